/* The identity check of a pre-specialized image: the one place the boot contract's rules are
 * written (docs/aot.md, "The identity check").  The guest, the harness, aotboot and the Linux
 * loader all call it, so they cannot disagree. */
#include "vmi_aot.h"
#include "vmi_internal.h"

static enum vmi_aot_state decide(struct vmi_aot_verdict *v, enum vmi_aot_state state,
                                 enum vmi_aot_rule rule)
{
    v->state = state;
    v->rule = rule;
    return state;
}

/* The rules on the record alone: can this code read it at all? */
static int identity_readable(const struct vmi_aot_identity *id, struct vmi_aot_verdict *v)
{
    if (id->magic != VMI_AOT_MAGIC)
        return decide(v, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_MAGIC), 0;
    if (id->version != VMI_AOT_VERSION)
        return decide(v, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_VERSION), 0;
    if (id->hash_kind != VMI_AOT_HASH_FNV1A64)
        return decide(v, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_HASH_KIND), 0;
    if (id->policy >= VMI_POLICY_COUNT)
        return decide(v, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_POLICY), 0;
    return 1;
}

enum vmi_aot_state vmi_aot_check(const struct vmi_aot_identity *id, const struct vmi_text *text,
                                 const struct vmi_site_table *sites, const struct vmi_rom *rom,
                                 struct vmi_aot_verdict *out)
{
    struct vmi_aot_verdict local, *v = out ? out : &local;
    v->sites_hash = 0;
    v->rom_hash = 0;
    if (!id || !text || !sites)
        return decide(v, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_MAGIC);
    if (id->magic == 0)
        return decide(v, VMI_AOT_NONE, VMI_AOT_RULE_ZERO);
    if (!identity_readable(id, v))
        return v->state;
    if (id->site_count != sites->count)
        return decide(v, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_SITE_COUNT);
    if (vmi_sites_hash(text, sites, &v->sites_hash, 0) != VMI_OK || v->sites_hash != id->sites_hash)
        return decide(v, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_SITES_HASH);
    /* the sites are what vmi-aot wrote: from here on they may be rewritten */
    if (!rom || !rom->image)
        return decide(v, VMI_AOT_MISMATCH, VMI_AOT_RULE_NO_ROM);
    if (rom->size != id->rom_size)
        return decide(v, VMI_AOT_MISMATCH, VMI_AOT_RULE_ROM_SIZE);
    if (rom->base != id->rom_base)
        return decide(v, VMI_AOT_MISMATCH, VMI_AOT_RULE_ROM_BASE);
    v->rom_hash = vmi_fnv1a64(VMI_FNV1A64_INIT, rom->image, rom->size);
    if (v->rom_hash != id->rom_hash)
        return decide(v, VMI_AOT_MISMATCH, VMI_AOT_RULE_ROM_HASH);
    return decide(v, VMI_AOT_MATCH, VMI_AOT_RULE_MATCHED);
}

const char *vmi_aot_state_name(unsigned state)
{
    static const char *const names[VMI_AOT_STATE_COUNT] = {
        "none", "untrusted", "match", "mismatch",
    };
    return state < VMI_AOT_STATE_COUNT ? names[state] : "?";
}

const char *vmi_aot_rule_name(unsigned rule)
{
    static const char *const names[VMI_AOT_RULE_COUNT] = {
        "zero", "magic", "version", "hash-kind", "policy", "site-count", "sites-hash",
        "no-rom", "rom-size", "rom-base", "rom-hash", "matched",
    };
    return rule < VMI_AOT_RULE_COUNT ? names[rule] : "?";
}
/* SPDX-License-Identifier: GPL-2.0-only */
