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

/* aot.c: a pre-specialized image (vmi-aot specialize: section .vmi_aot). */
enum aot_state { AOT_NONE = 0, AOT_MATCH, AOT_MISMATCH, AOT_UNTRUSTED };
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
/* untrusted when the sites' bytes do not hash to the identity's; match when the ROM (hash, size,
 * base at Linux's address) is the identity's; else mismatch. */
enum aot_state aot_check(const struct aot_image *aot, const struct vmi_text *text,
                         const struct vmi_site_table *sites, const struct loader_rom *lr,
                         uint64_t *sites_hash);
const char *aot_state_name(enum aot_state s);

#endif
