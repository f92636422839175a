/* `vmi-aot sites` output for a Linux kernel (img->lx set): every .parainstructions record with
 * its op (the kernel's DWARF, checked against the spec), type, VMI call, Linux's use of it,
 * length, clobbers, function, file:line and instructions, then the sites per op.  Text: '#'
 * header lines, one line per site, '#' summary and per-op lines.  JSON: one object with the
 * configuration, "ops" (one per op with sites, most first) and "sites" (one per line, address
 * order).  docs/aot.md, "vmi-aot sites on a Linux kernel". */
#ifndef VMI_AOT_LINUX_LISTING_H
#define VMI_AOT_LINUX_LISTING_H

#include <stdio.h>

#include "disasm.h"
#include "dwarf_lines.h"
#include "elf_image.h"
#include "linux_image.h"

/* 0, or -1 on out of memory (nothing useful written). */
int aot_linux_print_text(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo);
int aot_linux_print_json(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo);

/* specialize's report on a Linux kernel: the "linux" member (after "totals"): per op with sites,
 * in template order, the sites and what the plan decided for them, and how many sites Linux's
 * vmi_patch rewrites (use patch) the plan left as they are.  0, or -1 on out of memory. */
struct vmi_plan;
int aot_linux_report_ops(FILE *f, const struct aot_image *img, const struct vmi_plan *plan);

#endif
