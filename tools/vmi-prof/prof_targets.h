/* The two ratio targets, judged from intervals (docs/profiling.md, "Targets"):
 *   call >= 3x inline on the interrupt-flag calls (call/inline per repetition)
 *   inline <= 1.05x hand on the kernel paths        (inline/hand per repetition)
 * For each workload: the paired per-repetition ratios, the order-statistic interval of their
 * median, its verdict, and callgrind's instructions of the same two strategies with their own
 * (exact) verdict.  Pure: computes from a prof_result, prints nothing. */
#ifndef VMI_PROF_TARGETS_H
#define VMI_PROF_TARGETS_H

#include "prof_output.h"

#define PROF_CONFIDENCE   0.95
#define PROF_TARGETS      2
#define PROF_TARGET_MAX_W 16

struct prof_target_workload {
    char workload[PROF_NAME_MAX];
    struct prof_interval ci;        /* of the median of the paired ratios */
    enum prof_verdict verdict;
    int have_insns;
    double insns_num, insns_den, insns_ratio;
    enum prof_verdict insns_verdict;
};

struct prof_target {
    const char *id;                 /* "call-vs-inline-irq-flag", "inline-vs-hand-paths" */
    const char *title;
    enum prof_strategy num, den;    /* ratio = num / den */
    enum prof_direction dir;
    double threshold;
    unsigned count;
    struct prof_target_workload w[PROF_TARGET_MAX_W];
    enum prof_verdict verdict;      /* over the workloads: prof_verdict_all */
    int have_insns;                 /* every workload has both instruction counts */
    enum prof_verdict insns_verdict;
};

/* Fills out[0..PROF_TARGETS-1] from the rows of r. */
void prof_targets_eval(const struct prof_result *r, double confidence,
                       struct prof_target out[PROF_TARGETS]);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
