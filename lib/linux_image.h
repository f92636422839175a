/* A Linux VMI kernel (vmlinux) as vmi-aot reads it: its pv patch sites (section
 * .parainstructions, struct paravirt_patch_site, inliner/vmi_linux_sites.h) in place of a
 * vmi_sites table.  aot_image_open(..., AOT_OPEN_LINUX) calls aot_linux_read when the image has
 * no vmi_sites section but has .parainstructions: the kernel's configuration is decided from its
 * ELF symbol sizes (each template group's symbol is the group's words * 4 bytes, docs/linux.md),
 * the types are mapped through the spec's Linux profile (vmi_linux_types_for), the records are
 * checked and decoded by the inliner's own reader (vmi_linux_sites_read), and img->sites gets one
 * entry per record (call = the VMI call, or VMI_NO_CALL).
 *
 * aot_linux_check_dwarf cross-checks every record's op name against the kernel's DWARF (the
 * member of struct paravirt_patch_template at the record's word). */
#ifndef VMI_AOT_LINUX_IMAGE_H
#define VMI_AOT_LINUX_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "aot_err.h"
#include "elf_image.h"
#include "vmi_linux_sites.h"
#include "vmi_linux_ops.h"

#define AOT_LINUX_SECTION ".parainstructions"

struct aot_linux {
    unsigned config;                    /* VMI_LINUX_CFG_* bits */
    struct vmi_linux_type type[VMI_LINUX_NUM_OPS];
    struct vmi_linux_types types;       /* over type[] */
    uint32_t nrec;
    uint8_t *rec_type;                  /* per record (index in .parainstructions): instrtype */
    uint16_t *rec_clobbers;             /* per record: Linux's CLBR_* mask */
    struct vmi_text_range *text;        /* the executable sections */
    size_t ntext;
    struct vmi_site_info *infos;        /* the inliner's table, in address order */
    struct vmi_site_table table;
    const char *op_source;              /* "spec", or "dwarf" once aot_linux_check_dwarf passed */
};

/* Reads .parainstructions section t of img into img->sites and img->lx (allocated).
 * 0, or -1 with err naming the file and the record. */
int aot_linux_read(struct aot_image *img, const struct aot_section *t, struct aot_err *err);
void aot_linux_free(struct aot_linux *lx);

/* The spec's name of an op type under lx's config ("pv_irq_ops.irq_disable"), or "?". */
const char *aot_linux_op_name(const struct aot_linux *lx, unsigned type);

/* "patch", "fill", "wrap", "get", "native". */
const char *aot_linux_use_name(unsigned use);

/* "!pae,!local_apic,!smp,!highpte" style, into buf. */
const char *aot_linux_config_name(unsigned config, char *buf, size_t cap);

/* Cross-checks each record's type against the kernel's DWARF: the member of struct
 * paravirt_patch_template at word `type` (nested members joined with '.', a one-member wrapper
 * struct such as paravirt_callee_save named for its outer member) must be the spec's op.  No
 * DWARF, or no such struct: 0, lx->op_source stays "spec".  A disagreement: -1, err naming the
 * first record. */
int aot_linux_check_dwarf(struct aot_image *img, struct aot_err *err);

#endif /* VMI_AOT_LINUX_IMAGE_H */
/* SPDX-License-Identifier: GPL-2.0-only */
