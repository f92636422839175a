/* Execution profiles for `vmi-aot specialize --profile FILE` (docs/specializer.md, docs/aot.md):
 * read a per-site profile of the same image, and say which executed ("hot") sites were not
 * inlined, by how much they missed, and what reserve per call would inline a chosen share of each
 * call's executions.
 *
 * The profile format (docs/specializer.md): `#` comment lines, blank lines, and one line per site
 *     site addr=0x0804a3c0 call=GetCR0 count=1000
 * (other key=value words are ignored).  A profile names sites by address, so it must be for this
 * very image: every address must be a site of the image, of the call named, listed once, and
 * every site of the image must be listed. */
#ifndef VMI_AOT_PROFILE_H
#define VMI_AOT_PROFILE_H

#include <stdint.h>
#include <stdio.h>

#include "aot_err.h"
#include "elf_image.h"
#include "json_out.h"
#include "vmi_inliner.h"

struct aot_profile {
    const char *path;
    uint64_t *count;        /* per site, in img->sites order (by address) */
    uint32_t nsites;
    uint64_t total;         /* the sum of the counts */
};

/* Reads path for img.  0, or -1 with err "PATH:LINE: what" (or "PATH: what" for the whole file). */
int aot_profile_read(struct aot_profile *p, const char *path, const struct aot_image *img,
                     struct aot_err *err);
void aot_profile_free(struct aot_profile *p);

/* One executed site the plan did not inline. */
struct aot_prof_miss {
    uint32_t site;          /* index in img->sites / the plan */
    uint64_t count;
    int body_len;           /* the shortest body that would fit the site's clobbers (the variant
                               for its constant when there is one), or -1: none would */
    int missed;             /* body_len - site length when the reason is too-long, else -1 */
    uint8_t conflict;       /* clobbers: what the body writes that the site keeps */
};

/* Per call with executions. */
struct aot_prof_call {
    uint8_t call;
    uint32_t sites, hot;
    uint64_t execs;
    uint32_t reserve;       /* the call's reserve today (vmi_call_table) */
    uint64_t at_reserve;    /* executions at sites inlinable at their current length */
    uint32_t suggested;     /* the smallest reserve inlining >= share of execs (see profile.c) */
    uint64_t at_suggested;  /* executions inlined at the suggested reserve */
    int reachable;          /* 0: no reserve reaches the share (no usable body for too many);
                               then suggested is the largest need, or reserve if none is usable */
};

struct aot_prof_result {
    uint32_t share_ppm;             /* the share asked for, parts per million */
    uint32_t hot;                   /* sites with count > 0 */
    uint64_t inlined;               /* executions at sites the plan inlined */
    struct aot_prof_miss *miss;     /* hot sites not inlined, by count (descending), then address */
    uint32_t nmiss;
    struct aot_prof_call *calls;    /* calls with executions, by executions (descending) */
    uint32_t ncalls;
};

/* Analyses the plan (built from table against rom; plan->sites and table->sites in img->sites
 * order) with the profile.  0, or -1 with err (out of memory). */
int aot_profile_analyze(struct aot_prof_result *r, const struct aot_profile *p,
                        const struct vmi_site_table *table, const struct vmi_plan *plan,
                        const struct vmi_rom *rom, uint32_t share_ppm, struct aot_err *err);
void aot_profile_result_free(struct aot_prof_result *r);

/* Text, several lines. */
void aot_profile_text(FILE *f, const struct aot_prof_result *r, const struct aot_profile *p,
                      const struct vmi_plan *plan);
/* The report's "profile" object (docs/schema/vmi-aot.specialize.json): a new object, or NULL
 * on out of memory. */
json_t *aot_profile_report_json(const struct aot_prof_result *r, const struct aot_profile *p,
                                const struct vmi_plan *plan);

/* Parses "0.9" (0 < P <= 1, at most 6 decimals) into parts per million; -1 when it is not one. */
int aot_parse_share(const char *s, uint32_t *ppm);

#endif /* VMI_AOT_PROFILE_H */
/* SPDX-License-Identifier: GPL-2.0-only */
