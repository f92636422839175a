/* What `vmi-aot verify` tells (docs/aot.md): the problems it found (at most AOT_VERIFY_SHOWN kept
 * with their site, the rest counted), the JSON document of --json (schema
 * docs/schema/vmi-aot.verify.json, through json_out.h) and the --stats lines. */
#ifndef VMI_AOT_VERIFY_OUT_H
#define VMI_AOT_VERIFY_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "aot_rom.h"
#include "aot_summary.h"
#include "elf_image.h"
#include "vmi_aot.h"

#define AOT_VERIFY_TOOL    "vmi-aot verify"
#define AOT_VERIFY_SCHEMA  "vmi-aot.verify/1"
#define AOT_VERIFY_SHOWN   20

struct aot_verify_problem {
    int has_site;               /* addr and record name the site */
    uint32_t addr, record;
    char msg[512];              /* one line, as printed after "vmi-aot verify: OUT: " */
};

/* One verify run's findings, filled as the checks go. */
struct aot_verify_result {
    const char *image, *rom, *orig;         /* the inputs; orig NULL without --orig */
    const struct aot_image *img;            /* NULL when OUT could not be opened */
    const struct aot_rom *rom_img;          /* NULL when the ROM could not be loaded */
    const struct vmi_aot_identity *id;      /* .vmi_aot's copy; NULL when unreadable */
    const char *identity;                   /* "filled", "in .vmi_aot", "none"; NULL: unknown */
    int sites_compared;                     /* the sites were decoded (the checks got there) */
    uint32_t changed;                       /* sites whose bytes differ from the original's */
    int orig_checked;                       /* --orig's comparison ran */
    uint64_t bytes_hashed;                  /* site bytes hashed for sites_hash */
    uint64_t orig_site_bytes;               /* original site bytes compared with --orig's */
    uint64_t image_bytes;                   /* bytes outside the sites compared with --orig's */
    struct aot_summary kinds;               /* sites per call (Linux op), decoded per kind */
    unsigned problems;
    struct aot_verify_problem shown[AOT_VERIFY_SHOWN];
};

/* Records one problem (kept when fewer than AOT_VERIFY_SHOWN are); site may be NULL. */
void aot_verify_note(struct aot_verify_result *r, const struct aot_site *site, const char *msg);
/* The --json document.  0, or -1 (out of memory or a failed write). */
int aot_verify_json(FILE *f, const struct aot_verify_result *r);
/* The --stats lines: sites and those decoded, per kind, bytes compared, problems. */
void aot_verify_stats(FILE *f, const struct aot_verify_result *r);

#endif /* VMI_AOT_VERIFY_OUT_H */
/* SPDX-License-Identifier: GPL-2.0-only */
