/* The Linux kernel's pv sites as the loader patches them (linux_config.c, patch.c). */
#ifndef LOADER_LINUX_H
#define LOADER_LINUX_H

#include "loader.h"
#include "loader_rom.h"
#include "vmi_linux_sites.h"
#include "vmi_linux.h"

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

/* Reads the sites of the loaded kernel and keeps their original bytes (patch.c). */
int linux_sites_read(const struct vmlinux *vm, const struct linux_config *lc, struct vmi_text *text,
                     struct ld_error *err);
int linux_patch(struct patch_result *res, struct vmi_text *text, const struct loader_rom *lr,
                int policy, struct ld_error *err);
void linux_report_ops(const struct linux_config *lc, const struct patch_result *res);

#endif
