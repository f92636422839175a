/* vmi-prof --sites --chart F.svg|F.png: the hottest sites as horizontal bars (cairo). */
#ifndef VMI_PROF_SITES_CHART_H
#define VMI_PROF_SITES_CHART_H

#include <stddef.h>
#include <stdint.h>

struct site_bar {
    char label[160];           /* "rank addr op/call function" */
    uint64_t count;
};

/* Draws the bars into path (PNG when png, else SVG).  0, or -1 when cairo failed. */
int prof_sites_chart(const char *path, int png, const char *title, const struct site_bar *bars,
                     size_t n);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
