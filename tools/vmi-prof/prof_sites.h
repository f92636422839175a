/* vmi-prof --sites: the hottest call sites of a per-site execution profile (docs/specializer.md),
 * attributed to functions and file:line through the image's symbols and DWARF (the hosted
 * library: elf_image, dwarf_lines, site_info; with --rom a session, lib/session.h). */
#ifndef VMI_PROF_SITES_H
#define VMI_PROF_SITES_H

#include <stdint.h>
#include <stdio.h>

struct prof_site_opts {
    const char *profile;       /* a profile file, or a serial log holding a profile block */
    const char *phase;         /* the Linux workload's block phase=NAME; NULL: phase=total */
    const char *chart;         /* --chart F.svg|F.png: the rows as bars; NULL: none */
    const char *image;         /* the 32-bit ELF the profile was taken of */
    const char *rom;           /* NULL: no decisions; else plan the image's sites against it */
    int policy;                /* enum vmi_policy, for the decisions */
    unsigned top;              /* rows to print; 0: every site */
    int json;
};

/* Reads, attributes, prints (to out).  Returns 0, or 1 with one line on stderr naming the file
 * (and the line, for a bad profile line). */
int prof_sites_run(const struct prof_site_opts *o, FILE *out);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
