/* Source positions of addresses from an image's DWARF (libdwarf): built once for all sites, then
 * looked up by binary search.
 *
 * What is read: the line tables and the subprogram / inlined-subroutine DIEs of the compile
 * units whose address ranges hold at least one site (a CU with no range attributes is read).
 * file:line is the line-table row with the greatest address <= addr (the last row at that
 * address; end_sequence rows end coverage).  The glue's sites sit inside always_inline
 * functions of vmi_glue.h, whose row names the glue header; then the call site of the innermost
 * inlined subroutine holding the address (DW_AT_call_file/line) is reported instead, i.e. the
 * line of the kernel's source that called vmi_<Name>().  Functions come from DWARF subprograms
 * here; elf_image.h gives the symbol-table answer, which callers prefer. */
#ifndef VMI_AOT_DWARF_LINES_H
#define VMI_AOT_DWARF_LINES_H

#include <stdint.h>

#include "aot_err.h"
#include "elf_image.h"

struct aot_dwarf;

struct aot_srcloc {
    const char *file;       /* NULL when unknown; owned by the index */
    uint32_t line;          /* 0 when unknown */
    const char *func;       /* DWARF subprogram holding the address, or NULL */
};

/* Reads img's DWARF for the addresses in img->sites.  No debug info is not an error: *out is
 * an empty index and every lookup answers unknown.  Malformed DWARF is: -1 and err. */
int aot_dwarf_open(struct aot_dwarf **out, const struct aot_image *img, struct aot_err *err);
void aot_dwarf_close(struct aot_dwarf *dw);

/* 1 when the image had DWARF line information. */
int aot_dwarf_has_lines(const struct aot_dwarf *dw);

void aot_dwarf_lookup(const struct aot_dwarf *dw, uint32_t addr, struct aot_srcloc *loc);

/* Counts, for reports and tests. */
struct aot_dwarf_stats {
    uint32_t cus, cus_read, rows, funcs, inlines;
};
void aot_dwarf_stats(const struct aot_dwarf *dw, struct aot_dwarf_stats *st);

#endif /* VMI_AOT_DWARF_LINES_H */
/* SPDX-License-Identifier: GPL-2.0-only */
