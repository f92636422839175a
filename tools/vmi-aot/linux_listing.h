/* `vmi-aot sites` output for a Linux kernel (img->lx set): every .parainstructions record with
 * its op (the kernel's DWARF, checked against the spec), type, VMI call, Linux's use of it,
 * length, clobbers, function, file:line and instructions, then the sites per op.  Text: '#'
 * header lines, one line per site, '#' summary and per-op lines.  JSON (docs/json.md, schema
 * docs/schema/vmi-aot.linux-sites.json): one document with the configuration, "ops" (one per op
 * with sites, most first) and "sites" (address order).  docs/aot.md, "vmi-aot sites on a Linux
 * kernel". */
#ifndef VMI_AOT_LINUX_LISTING_H
#define VMI_AOT_LINUX_LISTING_H

#include <stdio.h>

#include "disasm.h"
#include "dwarf_lines.h"
#include "elf_image.h"
#include "json_out.h"
#include "linux_image.h"

/* The document's "tool" and "schema" (docs/json.md). */
#define AOT_SITES_TOOL          "vmi-aot sites"
#define AOT_LINUX_SITES_SCHEMA  "vmi-aot.linux-sites/1"

/* 0, or -1 on out of memory (nothing useful written). */
int aot_linux_print_text(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo);
/* The whole JSON document: the head (aot_json_doc, aot_linux_sites_head), then "sites", one
 * per line (aot_json_stream).  0, or -1 on out of memory or a failed write. */
int aot_linux_print_json(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo);
/* The members before "sites" set on doc: image, kind, table, records, config, template_words,
 * op_names, ops.  0, or -1 on out of memory. */
int aot_linux_sites_head(json_t *doc, const struct aot_image *img);
/* One element of "sites" (a new object, or NULL on out of memory). */
json_t *aot_linux_site_json(const struct aot_image *img, const struct aot_dwarf *dw,
                            const struct aot_disasm *dis, struct aot_disasm_memo *memo,
                            const struct aot_site *s);

/* specialize's report on a Linux kernel: the "linux" member (after "totals"): per op with sites,
 * in template order, the sites and what the plan decided for them, and how many sites Linux's
 * vmi_patch rewrites (use patch) the plan left as they are.  A new object, or NULL on out of
 * memory. */
struct vmi_plan;
json_t *aot_linux_report_json(const struct aot_image *img, const struct vmi_plan *plan);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
