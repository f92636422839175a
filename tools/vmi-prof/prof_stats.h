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
    double per_op[PROF_MAX_REPS];   /* cycles per operation of each repetition, overhead removed */
    unsigned reps;
    double median, min, max;        /* over the repetitions */
    double insns_per_op;            /* from callgrind; < 0 when not measured */
};

const char *prof_strategy_name(enum prof_strategy s);
int prof_strategy_parse(const char *name, enum prof_strategy *out);

/* Sorts a copy of the samples and fills median, min and max. */
void prof_row_summarize(struct prof_row *row);

#endif
