/* The harness's AOT mode: what a kernel does at boot when vmi-aot may have specialized its image
 * (docs/aot.md, "What the kernel does at boot"), with the harness's ROM at HARNESS_ROM_BASE
 * (make's, mk/inliner.mk) as the ROM base.  vmi-aot specializes the harness with --rom-base
 * HARNESS_ROM_BASE and fills vmi_aot_identity.
 * The state comes from the core's vmi_aot_check (the rules are written there once).
 *
 *   magic 0      the plain image: nothing to do (main then checks the text is native).
 *   untrusted    an identity this code does not know (version, hash kind, policy), or the site
 *                bytes do not hash to sites_hash: nothing is patched; the harness stops.
 *   match        the ROM (hash, size, base) is the one the image was planned for: the identity's
 *                policy is planned against it and vmi_verify checks that every site already holds
 *                the plan's bytes.  Nothing is written: no site is patched at load.
 *   mismatch     another ROM: every site reverted to native (VMI_APPLY_TRUST_TEXT, allowed because
 *                sites_hash held), then planned with the identity's policy and patched at load.
 *
 * In both last cases the workloads then run on the text as the boot left it, and the text is
 * reverted to native, so that main's rounds start from the same native text as for a plain
 * image.  No site runs before this. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmi_aot.h"
#include "vmi_inliner.h"
#include "harness.h"

/* Zero in the image; `vmi-aot specialize` fills it in place. */
struct vmi_aot_identity vmi_aot_identity __attribute__((section(".vmi_aot_id"), used));

static void report_error(const char *what, vmi_status st, const struct vmi_error *err)
{
    char buf[256];
    vmi_error_format(err, buf, sizeof buf);
    fprintf(stderr, "FAIL aot: %s: %s\n", what, buf);
    h_check(st == VMI_OK, __FILE__, __LINE__, what, st, VMI_OK);
}

#define AOT_OK(what, call) do { \
        vmi_status st_ = (call); \
        if (st_ != VMI_OK) { report_error(what, st_, &err); return -1; } \
        h_passed++; \
    } while (0)

/* The identity checked by the core: none and untrusted said here (the harness stops at
 * untrusted); match or mismatch for the ROM found. */
static enum aot_state identity_state(const struct vmi_aot_identity *id, const struct vmi_text *text,
                                     const struct vmi_site_table *sites, const struct vmi_rom *rom)
{
    struct vmi_aot_verdict v;
    switch (vmi_aot_check(id, text, sites, rom, &v)) {
    case VMI_AOT_NONE:
        printf("aot state=none: not specialized (vmi_aot_identity is zero)\n");
        return AOT_NONE;
    case VMI_AOT_UNTRUSTED:
        if (v.rule < VMI_AOT_RULE_SITE_COUNT) {
            printf("aot state=untrusted: identity magic 0x%08x version %u hash kind %u policy %u is "
                   "not one this harness reads (rule %s): nothing patched\n", id->magic,
                   id->version, id->hash_kind, id->policy, vmi_aot_rule_name(v.rule));
            return AOT_UNTRUSTED;
        }
        printf("aot state=untrusted: the %u site(s) hash to 0x%016llx, the identity says %u "
               "site(s), 0x%016llx: a site changed after specialize; nothing patched\n",
               sites->count, (unsigned long long)v.sites_hash, id->site_count,
               (unsigned long long)id->sites_hash);
        return AOT_UNTRUSTED;
    case VMI_AOT_MATCH:
        return AOT_MATCH;
    default:
        return AOT_MISMATCH;
    }
}

/* Match: the sites already hold what load-time patching would write: checked, nothing
 * written. */
static int boot_match(const struct vmi_text *text, const struct vmi_plan *plan,
                      const struct vmi_site_table *sites, const struct vmi_rom *rom, uint64_t rh,
                      const struct vmi_aot_identity *id)
{
    struct vmi_error err;
    AOT_OK("aot: the specialized sites are the load-time plan", vmi_verify(text, plan, &err));
    printf("aot state=match: specialized for this ROM (fnv1a64 0x%016llx, %u bytes at 0x%x), "
           "policy %s: %u sites verified, no site patched at load\n",
           (unsigned long long)rh, rom->size, rom->base, vmi_policy_name(id->policy),
           sites->count);
    return 0;
}

/* Mismatch: safe to rewrite, sites_hash says the sites are what vmi-aot wrote: every site back
 * to native, then patched at load for this ROM. */
static int boot_mismatch(struct vmi_text *text, const struct vmi_plan *native,
                         const struct vmi_plan *plan, const struct vmi_site_table *sites,
                         const struct vmi_rom *rom, uint64_t rh, const struct vmi_aot_identity *id)
{
    struct vmi_error err;
    CHECK_EQ(text_writable(1), 0);
    AOT_OK("aot: revert to native", vmi_apply_ex(text, native, NULL, NULL,
                                                 VMI_APPLY_TRUST_TEXT, &err));
    AOT_OK("aot: patch at load", vmi_apply(text, plan, NULL, NULL, &err));
    CHECK_EQ(text_writable(0), 0);
    printf("aot state=mismatch: specialized for another ROM (fnv1a64 0x%016llx, %u bytes at "
           "0x%x), this one is 0x%016llx, %u bytes at 0x%x: %u sites reverted to native, then "
           "patched at load, policy %s\n", (unsigned long long)id->rom_hash, id->rom_size,
           id->rom_base, (unsigned long long)rh, rom->size, rom->base, sites->count,
           vmi_policy_name(id->policy));
    return 0;
}

/* The program runs on the text as the boot left it; then back to native for main's rounds (the
 * text must hold the plan's bytes). */
static int run_then_native(struct vmi_text *text, const struct vmi_plan *native,
                           const struct vmi_plan *plan)
{
    struct vmi_error err;
    unsigned ran = run_workloads(plan, "aot");
    CHECK(ran >= 1);
    printf("aot: %u workloads ran on the text as booted\n", ran);
    CHECK_EQ(text_writable(1), 0);
    AOT_OK("aot: back to native for the rounds", vmi_apply(text, native, plan, NULL, &err));
    CHECK_EQ(text_writable(0), 0);
    AOT_OK("aot: the text is native", vmi_verify(text, native, &err));
    return 0;
}

/* The native plan and the plan with the identity's policy for the ROM found, then the boot as
 * the state says, then the workloads.  0, or -1 after a failed check. */
static int boot_specialized(struct vmi_text *text, struct vmi_plan *native, struct vmi_plan *plan,
                            const struct vmi_site_table *sites, const struct vmi_rom *rom,
                            const struct vmi_reloc_table *rel, const struct vmi_aot_identity *id,
                            enum aot_state state)
{
    struct vmi_plan_options opt = { (enum vmi_policy)id->policy, 0 };
    struct vmi_error err;
    uint64_t rh = vmi_fnv1a64(VMI_FNV1A64_INIT, rom->image, rom->size);

    AOT_OK("aot: native plan", vmi_plan_build(native, sites, NULL, NULL, NULL, &err));
    AOT_OK("aot: plan for the ROM found", vmi_plan_build(plan, sites, rom, rel, &opt, &err));
    if ((state == AOT_MATCH ? boot_match(text, plan, sites, rom, rh, id)
                            : boot_mismatch(text, native, plan, sites, rom, rh, id)) != 0)
        return -1;
    return run_then_native(text, native, plan);
}

enum aot_state aot_boot(struct vmi_text *text, const struct vmi_site_table *sites,
                        const struct vmi_rom *rom, const struct vmi_reloc_table *rel)
{
    struct vmi_aot_identity id = vmi_aot_identity;
    enum aot_state state = identity_state(&id, text, sites, rom);
    if (state == AOT_NONE || state == AOT_UNTRUSTED)
        return state;

    struct vmi_plan native, plan;
    struct vmi_plan_size need;
    vmi_plan_size_for(sites, &need);
    uint32_t total = need.code;
    struct vmi_site_plan *ns = calloc(sites->count + 1, sizeof *ns);
    struct vmi_site_plan *ps = calloc(sites->count + 1, sizeof *ps);
    uint8_t *nc = malloc(total + 1), *pc = malloc(total + 1);
    int ok = 0;
    if (!ns || !ps || !nc || !pc) {
        CHECK(!"aot: out of memory");
    } else {
        vmi_plan_init(&native, ns, sites->count, nc, total);
        vmi_plan_init(&plan, ps, sites->count, pc, total);
        ok = boot_specialized(text, &native, &plan, sites, rom, rel, &id, state) == 0;
    }
    free(ns);
    free(ps);
    free(nc);
    free(pc);
    return ok ? state : AOT_FAILED;
}
/* SPDX-License-Identifier: GPL-2.0-only */
