/* The Linux kernel's pv sites as the loader patches them (linux_config.c, patch.c). */
#ifndef LOADER_LINUX_H
#define LOADER_LINUX_H

#include "loader.h"
#include "loader_rom.h"
#include "vmi_linux_sites.h"
#include "vmi_linux.h"
#include "vmi_aot.h"

struct linux_config {
    int fits;
    unsigned config;                        /* VMI_LINUX_CFG_* bits of the first that fits */
    uint32_t also;                          /* other configs that fit and agree (bit per config) */
    struct vmi_linux_type type[VMI_LINUX_NUM_OPS];
    struct vmi_linux_types types;
};

int linux_config_pick(struct linux_config *lc, const struct vmlinux *vm, struct ld_error *err);

/* What the patching did, for the loader's lines. */
struct patch_result {
    uint32_t sites;
    struct vmi_stats stats;                 /* of the plan the text holds */
    uint32_t changed;                       /* sites whose bytes differ from the original */
    uint64_t cycles;                        /* TSC around plan + apply + verify */
    const char *aot;                        /* none, match, mismatch, untrusted */
};

/* patch.c: the site table, the plan, the writes. */
int linux_sites_read(const struct vmlinux *vm, const struct linux_config *lc, struct vmi_text *text,
                     struct ld_error *err);
const struct vmi_site_table *linux_sites(void);
int linux_capture(const struct vmi_text *text, struct ld_error *err);   /* originals = the text */
void linux_set_original(const uint8_t *bytes, uint32_t len);            /* originals kept elsewhere */
int linux_plan(const struct loader_rom *lr, int policy, struct ld_error *err);
int linux_write(struct vmi_text *text, uint32_t flags, struct ld_error *err);
int linux_check(const struct vmi_text *text, struct ld_error *err);
void linux_result(struct patch_result *res);
void linux_report_ops(const struct linux_config *lc, const struct patch_result *res);
const struct vmi_plan *linux_plan_now(void);                            /* the last plan built */
/* Linux 2.6.32's vmi_activate() runs apply_paravirt itself, from setup_arch, before the
 * command line's noreplace-paravirt is parsed: every site of an op vmi_patch rewrites would be
 * rewritten again.  This retypes the records of the sites the last plan rewrote, in the loaded
 * .parainstructions, to a type vmi_patch leaves alone (LINUX_GUARD_TYPE), so the plan's bytes
 * stay.  Returns the records retyped.  Only for a kernel that will find the ROM planned against:
 * with VMI active the type goes to vmi_patch, which returns the site's length for it. */
#define LINUX_GUARD_TYPE 0xffu
uint32_t linux_guard_records(const struct vmlinux *vm);

/* count.c: vmi.count=1, the counting version of the plan (count_area.h). */
struct boot_params;
int count_area_usable(const struct boot_info *bi, struct ld_error *err);
int count_write(struct vmi_text *text, const struct loader_rom *lr, uint32_t page_offset,
                uint32_t guarded, struct ld_error *err);
int count_reserve(struct boot_params *bp, struct ld_error *err);

/* aot.c: a pre-specialized image (vmi-aot specialize: section .vmi_aot). */
struct aot_image {
    int present;
    struct vmi_aot_identity id;
    const uint8_t *original;                /* the sites' original bytes, in table order */
    uint32_t original_len;
};
/* 0: absent or read (aot->present); -1: .vmi_aot is there but malformed or disagrees with the
 * site table (err). */
int aot_read(struct aot_image *aot, const struct vmlinux *vm, const struct vmi_site_table *sites,
             struct ld_error *err);
/* The core's vmi_aot_check (docs/aot.md, "The identity check") on the record's identity, the ROM
 * found (lr NULL: none) at Linux's address; *sites_hash: the text's, when computed. */
enum vmi_aot_state aot_check(const struct aot_image *aot, const struct vmi_text *text,
                             const struct vmi_site_table *sites, const struct loader_rom *lr,
                             uint64_t *sites_hash);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
