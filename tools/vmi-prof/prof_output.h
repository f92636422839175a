/* vmi-prof's outputs: an aligned table with ratios, JSON, CSV, and an SVG or PNG bar chart. */
#ifndef VMI_PROF_OUTPUT_H
#define VMI_PROF_OUTPUT_H

#include <stdio.h>

#include "prof_stats.h"

struct prof_result {
    struct prof_row *rows;
    unsigned count;
    int have_insns;            /* rows carry callgrind instruction counts */
    char source[64];           /* "user space (rdtsc)", "guest serial log", ... */
};

void prof_print_table(const struct prof_result *r, FILE *out);
void prof_print_json(const struct prof_result *r, FILE *out);
void prof_print_csv(const struct prof_result *r, FILE *out);
/* Draws a grouped bar chart: SVG when path ends in .svg, PNG when .png.  Returns 0 or -1 with
 * why[] filled. */
int prof_draw_chart(const struct prof_result *r, const char *path, char *why, size_t why_cap);

#endif
