/* Samples of one (workload, strategy) pair and the statistics vmi-prof reports for it. */
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
    double per_op[PROF_MAX_REPS];   /* cycles per operation of each repetition, overhead removed */
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

#endif
