/* Samples of one (workload, strategy) pair and the statistics vmi-prof reports for it: medians,
 * paired per-repetition ratios, a distribution-free confidence interval of their median, and a
 * target's verdict from that interval.  Pure functions (no I/O); tests/prof/test_stats.c. */
#ifndef VMI_PROF_STATS_H
#define VMI_PROF_STATS_H

#include <stddef.h>

#define PROF_NAME_MAX   48
#define PROF_MAX_REPS   256

enum prof_strategy { STRAT_HAND, STRAT_INLINE, STRAT_CALL, STRAT_INDIRECT, STRAT_TRAP,
                     STRAT_COUNT };

struct prof_row {
    char workload[PROF_NAME_MAX];
    enum prof_strategy strategy;
    int is_path;                    /* a kernel-like path (one op = one pass of the path) */
    double per_op[PROF_MAX_REPS];   /* cycles per operation of each repetition, overhead removed;
                                     * index r of every strategy of a workload is the same
                                     * repetition (measured interleaved) */
    unsigned reps;
    unsigned iters;                 /* loop iterations per repetition */
    double overhead;                /* loop overhead per iteration (median), subtracted */
    double median, min, max;        /* over the repetitions */
    double insns_per_op;            /* from callgrind; < 0 when not measured */
};

const char *prof_strategy_name(enum prof_strategy s);
int prof_strategy_parse(const char *name, enum prof_strategy *out);

/* Sorts a copy of the samples and fills median, min and max. */
void prof_row_summarize(struct prof_row *row);
/* The median of n values (n > 0); the array is left sorted. */
double prof_median(double *v, unsigned n);

/* The ratio num[r] / den[r] of two strategies measured in the same repetition r < n, as bounds:
 * a denominator at or under floor (a cost below what the method resolves) could be anything
 * from 0 to floor, so there lower[r] = num[r] / floor and upper[r] = +infinity; elsewhere both are
 * the ratio.  Returns how many denominators were under floor. */
unsigned prof_paired_ratios(const double *num, const double *den, unsigned n, double floor,
                            double *lower, double *upper);

/* A confidence interval of the median of n samples from their order statistics (distribution
 * free): [x(j), x(n+1-j)] with the largest j whose coverage 1 - 2 P(Binomial(n, 1/2) < j) is at
 * least the confidence asked.  ok = 0 when even [min, max] covers less (n < 6 at 95%): then lo and
 * hi are min and max and coverage is what they do cover. */
struct prof_interval {
    double median, lo, hi;
    double coverage;                /* the interval's actual confidence level */
    unsigned n, rank;               /* samples; j (1-based rank of lo) */
    int ok;
    unsigned censored;              /* prof_ratio_interval: ratios known only as lower bounds */
};
int prof_median_interval(const double *v, unsigned n, double confidence,
                         struct prof_interval *out);
/* The interval of the median paired ratio: lo from the lower bounds, hi from the upper bounds
 * (+infinity when a censored ratio reaches rank n+1-j), median of the lower bounds. */
int prof_ratio_interval(const double *num, const double *den, unsigned n, double floor,
                        double confidence, struct prof_interval *out);

enum prof_verdict { PROF_MET, PROF_MISSED, PROF_UNDECIDED };
enum prof_direction { PROF_AT_LEAST, PROF_AT_MOST };

const char *prof_verdict_name(enum prof_verdict v);
/* MET when the whole interval is on the target's side (>= or <= threshold), MISSED when it is
 * wholly on the other side, UNDECIDED when it straddles the threshold or is not ok. */
enum prof_verdict prof_judge_interval(const struct prof_interval *ci, enum prof_direction dir,
                                      double threshold);
/* An exact value (callgrind's instructions): MET or MISSED. */
enum prof_verdict prof_judge_value(double v, enum prof_direction dir, double threshold);
/* A target over several workloads: MISSED if one is, else UNDECIDED if one is, else MET; a target
 * with no workload (n == 0) is UNDECIDED. */
enum prof_verdict prof_verdict_all(const enum prof_verdict *v, unsigned n);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
