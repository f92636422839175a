#include "prof_stats.h"

#include <stdlib.h>
#include <string.h>

static const char *const strategy_names[STRAT_COUNT] = { "hand", "inline", "call", "indirect",
                                                         "trap" };

const char *prof_strategy_name(enum prof_strategy s)
{
    return s < STRAT_COUNT ? strategy_names[s] : "?";
}

int prof_strategy_parse(const char *name, enum prof_strategy *out)
{
    for (int i = 0; i < STRAT_COUNT; i++)
        if (strcmp(strategy_names[i], name) == 0) {
            *out = (enum prof_strategy)i;
            return 0;
        }
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double prof_median(double *v, unsigned n)
{
    qsort(v, n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void prof_row_summarize(struct prof_row *row)
{
    if (row->reps == 0) {
        row->median = row->min = row->max = 0;
        return;
    }
    double sorted[PROF_MAX_REPS];
    memcpy(sorted, row->per_op, row->reps * sizeof sorted[0]);
    qsort(sorted, row->reps, sizeof sorted[0], cmp_double);
    row->median = prof_median(sorted, row->reps);
    row->min = sorted[0];
    row->max = sorted[row->reps - 1];
}
