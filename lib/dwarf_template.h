/* The layout of one structure type from an image's DWARF (libdwarf), flattened to the names of
 * its pointer-sized words: for Linux's struct paravirt_patch_template, the name of the pv op at
 * each .parainstructions type ("pv_irq_ops.save_fl", "pv_mmu_ops.lazy_mode.enter").  Nested
 * members are joined with '.'; below the top level, a member whose type is a struct of exactly
 * one member (Linux's struct paravirt_callee_save { void *func; }) keeps the outer member's name,
 * as PARAVIRT_PATCH() names it; a top-level member is a group and always names its members, even
 * a one-member group ("pv_apic_ops.startup_ipi_hook").  No offsets are assumed: they come from DW_AT_data_member_location. */
#ifndef VMI_AOT_DWARF_TEMPLATE_H
#define VMI_AOT_DWARF_TEMPLATE_H

#include <stdint.h>

#include "aot_err.h"
#include "elf_image.h"

struct aot_template {
    uint32_t words;         /* the struct's byte size / 4 */
    char **names;           /* per word: the member starting there, or NULL */
};

/* Finds the (complete, not declared-only) structure type `name` among the top-level DIEs of
 * the image's compile units and flattens it.  1 and *out (free with aot_template_free) when
 * found; 0 when the image has no DWARF or no such type; -1 with err on malformed DWARF. */
int aot_dwarf_template(const struct aot_image *img, const char *name, struct aot_template *out,
                       struct aot_err *err);
void aot_template_free(struct aot_template *t);

#endif /* VMI_AOT_DWARF_TEMPLATE_H */
/* SPDX-License-Identifier: GPL-2.0-only */
