/* vmi-prof's outputs: an aligned table with ratios, JSON, CSV, the targets, and an SVG or PNG
 * bar chart. */
#ifndef VMI_PROF_OUTPUT_H
#define VMI_PROF_OUTPUT_H

#include <stdio.h>

#include "aot_err.h"
#include "json_out.h"
#include "prof_stats.h"

#define PROF_MAX_NOTES 16

/* What the JSON records about the run besides its rows (filled by the front end). */
struct prof_params {
    char cpu_model[128];       /* /proc/cpuinfo "model name" */
    char date[32];             /* UTC, ISO 8601, when the run started */
    unsigned n, k, trap_n;     /* 0 when not a measurement (a guest log) */
    unsigned runs;             /* engine processes pooled */
    int cpu;                   /* pinned CPU asked for, -1: the one it started on */
    const char *only;          /* NULL: every workload */
    int callgrind;
    const char *guest_log;     /* --guest LOG, else NULL */
    char clock[48];            /* the guest's TSC: "instructions", "host-clock cycles", ... */
};

struct prof_result {
    struct prof_row *rows;
    unsigned count, cap;
    int have_insns;            /* rows carry callgrind instruction counts */
    char source[160];          /* "user space (rdtsc)", "guest serial log", ... */
    int measured;              /* rdtsc samples with the loop overhead subtracted (not a log) */
    char notes[PROF_MAX_NOTES][200];   /* printed under the table */
    unsigned nnotes;
    struct prof_params params;
};

/* A new zeroed row (insns_per_op = -1), or NULL when out of memory. */
struct prof_row *prof_result_add(struct prof_result *r);
struct prof_row *prof_result_find(struct prof_result *r, const char *workload,
                                  enum prof_strategy s);
void prof_result_note(struct prof_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void prof_result_free(struct prof_result *r);

void prof_print_table(const struct prof_result *r, FILE *out);
/* The document (docs/schema/vmi-prof.result.json): tool, version, schema, cpu, date, source,
 * parameters, rows, targets (docs/profiling.md); a new object, or NULL on out of memory. */
json_t *prof_result_json(const struct prof_result *r);
/* It written, indented.  0, or -1 when out of memory (nothing written) or the write failed. */
int prof_print_json(const struct prof_result *r, FILE *out);
/* The rows as CSV.  0, or -1 when the write failed. */
int prof_print_csv(const struct prof_result *r, FILE *out);
/* The targets, reported (never asserted): inlined within 1.15x of hand-written on every
 * inlinable call (medians), and, from paired intervals with callgrind's instructions beside them
 * (prof_targets.h), direct call at least 3x inlined on the interrupt-flag calls and inlined within
 * 1.05x of hand-written on the paths.  Returns the number of targets missed. */
int prof_print_targets(const struct prof_result *r, FILE *out);
/* The specialization table: each workload "X[arg=v]" whose sites record constants (inline strategy:
 * the planner's variant) against "X(arg=v)" with the values in registers (inline: the generic body
 * or a call) and called.  Returns the number of rows. */
int prof_print_specialization(const struct prof_result *r, FILE *out);
/* Draws a grouped bar chart: SVG when path ends in .svg, PNG when .png, into tmp (which the
 * caller renames over path).  Returns 0, or -1 with err set (naming path). */
int prof_draw_chart(const struct prof_result *r, const char *path, const char *tmp,
                    struct aot_err *err);
/* Releases cairo's and fontconfig's caches (after the last chart). */
void prof_chart_cleanup(void);

/* Differences below this many cycles per operation are below what the method resolves. */
#define PROF_RESOLUTION 0.25

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
