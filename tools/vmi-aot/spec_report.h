/* What `vmi-aot specialize` tells about a plan (docs/aot.md): the JSON report (--report FILE,
 * schema docs/schema/vmi-aot.specialize.json, through json_out.h, its sites streamed one per
 * line), and for a person the summary of --dry-run and --stats and, with -v, one line per site. */
#ifndef VMI_AOT_SPEC_REPORT_H
#define VMI_AOT_SPEC_REPORT_H

#include <stdio.h>

#include "aot_err.h"
#include "aot_record.h"
#include "aot_rom.h"
#include "aot_summary.h"
#include "elf_image.h"
#include "profile.h"
#include "vmi_aot.h"
#include "vmi_inliner.h"

#define AOT_SPEC_TOOL    "vmi-aot specialize"
#define AOT_SPEC_SCHEMA  "vmi-aot.specialize/1"

/* One run's plan and what it writes (or would write, dry_run). */
struct aot_spec_view {
    const char *kernel, *rom_path;
    const char *out;                        /* OUT, or NULL (a dry run without -o) */
    const struct aot_image *img;
    const struct aot_rom *rom;
    const struct vmi_plan *plan;            /* plan->code holds each site's new bytes */
    const struct vmi_aot_identity *id;
    uint32_t id_addr;                       /* vmi_aot_identity's address, when identity */
    int identity;                           /* the image's vmi_aot_identity is (to be) filled */
    int dry_run;
    const struct aot_prof_result *pr;       /* NULL without --profile */
    const struct aot_profile *prof;
};

/* The whole report.  0, or -1 with err (out of memory, a failed write, the DWARF unreadable). */
int aot_spec_report(FILE *f, const struct aot_spec_view *v, struct aot_err *err);
/* The summary: what was (or would be) written, the inputs, the decisions, reasons, code bytes,
 * the identity, then one "kind" line per call (or Linux op) with sites, most sites first. */
void aot_spec_summary(FILE *f, const struct aot_spec_view *v, const struct aot_summary *sum);
/* One "site" line per site in address order: address, call (a Linux op: OP/CALL), decision,
 * reason, function and file:line ("?" when the symbols and DWARF do not say).  0, or -1 with err. */
int aot_spec_site_lines(FILE *f, const struct aot_spec_view *v, struct aot_err *err);

#endif /* VMI_AOT_SPEC_REPORT_H */
/* SPDX-License-Identifier: GPL-2.0-only */
