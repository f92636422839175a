/* The identity of a pre-specialized kernel image (docs/aot.md): shared by vmi-aot, which writes
 * struct vmi_aot_identity, and the kernel, which checks it at boot.  Freestanding. */
#ifndef VMI_AOT_H
#define VMI_AOT_H

#include <stdint.h>
#include "vmi_inliner.h"

#define VMI_FNV1A64_INIT 0xcbf29ce484222325ull

/* FNV-1a, 64 bits, continuing from h (VMI_FNV1A64_INIT to start). */
uint64_t vmi_fnv1a64(uint64_t h, const void *data, uint32_t len);

/* vmi_aot_identity.sites_hash: FNV-1a 64 over every site's bytes, in the order of the table as
 * vmi_sites_read returns it (by address).  The kernel and vmi-aot both call this, so the two cannot
 * drift.  VMI_E_SITE_RANGE (nothing hashed) when a site lies outside the text. */
vmi_status vmi_sites_hash(const struct vmi_text *text, const struct vmi_site_table *sites,
                          uint64_t *hash, struct vmi_error *err);

/* ---- the identity check: what a kernel does at boot (docs/aot.md, "The identity check") ---- */

enum vmi_aot_state {
    VMI_AOT_NONE = 0,     /* not specialized: magic 0; patch at load as usual */
    VMI_AOT_UNTRUSTED,    /* an identity this code cannot read, or sites that are not what vmi-aot
                           * wrote: write nothing, run native */
    VMI_AOT_MATCH,        /* planned for this ROM at this base: verify, write nothing */
    VMI_AOT_MISMATCH,     /* the sites are vmi-aot's, the ROM is another (or none): revert to
                           * native (VMI_APPLY_TRUST_TEXT), then patch for the ROM found */
    VMI_AOT_STATE_COUNT
};

/* Which rule decided, in the order they are applied. */
enum vmi_aot_rule {
    VMI_AOT_RULE_ZERO = 0,      /* none: magic is 0 */
    VMI_AOT_RULE_MAGIC,         /* untrusted: magic is not VMI_AOT_MAGIC */
    VMI_AOT_RULE_VERSION,       /* untrusted: version is not VMI_AOT_VERSION */
    VMI_AOT_RULE_HASH_KIND,     /* untrusted: hash_kind is not VMI_AOT_HASH_FNV1A64 */
    VMI_AOT_RULE_POLICY,        /* untrusted: policy >= VMI_POLICY_COUNT */
    VMI_AOT_RULE_SITE_COUNT,    /* untrusted: site_count is not the table's count */
    VMI_AOT_RULE_SITES_HASH,    /* untrusted: vmi_sites_hash differs (or a site is outside the text) */
    VMI_AOT_RULE_NO_ROM,        /* mismatch: no ROM was found */
    VMI_AOT_RULE_ROM_SIZE,      /* mismatch: rom_size is not the ROM's size */
    VMI_AOT_RULE_ROM_BASE,      /* mismatch: rom_base is not the ROM's base */
    VMI_AOT_RULE_ROM_HASH,      /* mismatch: the ROM's bytes hash to another rom_hash */
    VMI_AOT_RULE_MATCHED,       /* match: every rule held */
    VMI_AOT_RULE_COUNT
};

struct vmi_aot_verdict {
    enum vmi_aot_state state;
    enum vmi_aot_rule  rule;     /* the rule that decided */
    uint64_t sites_hash;         /* vmi_sites_hash of the text (0 when not computed) */
    uint64_t rom_hash;           /* FNV-1a 64 of the ROM's size bytes (0 when not computed) */
};

/* Checks the identity record id against the text, its site table (as vmi_sites_read left it) and
 * the ROM found (NULL: none; its image, size and base are compared), by the rules above, and
 * returns the state (also in *out, if given, with the rule and the hashes).  Writes nothing. */
enum vmi_aot_state vmi_aot_check(const struct vmi_aot_identity *id, const struct vmi_text *text,
                                 const struct vmi_site_table *sites, const struct vmi_rom *rom,
                                 struct vmi_aot_verdict *out);

const char *vmi_aot_state_name(unsigned state);   /* none, untrusted, match, mismatch */
const char *vmi_aot_rule_name(unsigned rule);

/* ---- the .vmi_aot section (struct vmi_aot_record, docs/aot.md "What OUT records") ---- */

/* A decoded section: pointers into the caller's bytes, nothing allocated. */
struct vmi_aot_record_view {
    uint32_t flags;                               /* VMI_AOT_REC_F_* */
    struct vmi_aot_identity id;                   /* the identity copy */
    uint32_t count;                               /* entries */
    uint32_t bytes_size;                          /* the bytes area */
    const struct vmi_aot_record_entry *entries;   /* count entries, in address order */
    const uint8_t *bytes;                         /* bytes_size original bytes */
};

/* Decodes and checks len bytes of the section: the header (magic, version, header and entry
 * sizes), that the entries and the bytes area fill it exactly, no unknown flag, and
 * every entry's bytes inside the bytes area, its site after the previous one's end.
 * VMI_E_AOT_RECORD with err->offset the byte offset in the section (err->site: the entry). */
vmi_status vmi_aot_record_decode(struct vmi_aot_record_view *rec, const void *data, uint32_t len,
                                 struct vmi_error *err);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
