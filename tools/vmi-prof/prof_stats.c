/* Medians, paired ratios, order-statistic intervals and verdicts (prof_stats.h). */
#include "prof_stats.h"

#include <math.h>
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

unsigned prof_paired_ratios(const double *num, const double *den, unsigned n, double floor,
                            double *lower, double *upper)
{
    unsigned censored = 0;
    for (unsigned r = 0; r < n; r++) {
        int under = !(den[r] > floor);
        lower[r] = num[r] / (under ? floor : den[r]);
        upper[r] = under ? INFINITY : lower[r];
        censored += under;
    }
    return censored;
}

/* P(Binomial(n, 1/2) <= j), summed term by term: C(n, i) / 2^n with C updated in place. */
static double binom_half_cdf(unsigned n, unsigned j)
{
    double term = 1, sum = 0;
    for (unsigned i = 0; i < n; i++)
        term /= 2;                          /* C(n, 0) / 2^n */
    for (unsigned i = 0; i <= j && i <= n; i++) {
        sum += term;
        term = term * (n - i) / (i + 1);    /* C(n, i+1) / 2^n */
    }
    return sum;
}

int prof_median_interval(const double *v, unsigned n, double confidence,
                         struct prof_interval *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || n > PROF_MAX_REPS)
        return -1;
    double s[PROF_MAX_REPS];
    memcpy(s, v, n * sizeof s[0]);
    qsort(s, n, sizeof s[0], cmp_double);
    out->n = n;
    out->median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    /* the widest interval, [x(1), x(n)], misses the median only when all n samples fall on one
     * side of it; each step inwards loses the binomial tail's next term */
    unsigned best = 0;
    for (unsigned j = 1; j <= (n + 1) / 2; j++) {
        double cover = 1 - 2 * binom_half_cdf(n, j - 1);
        if (cover < confidence)
            break;
        best = j;
        out->coverage = cover;
    }
    out->ok = best > 0;
    if (!best) {
        best = 1;
        out->coverage = 1 - 2 * binom_half_cdf(n, 0);
    }
    out->rank = best;
    out->lo = s[best - 1];
    out->hi = s[n - best];
    return 0;
}

int prof_ratio_interval(const double *num, const double *den, unsigned n, double floor,
                        double confidence, struct prof_interval *out)
{
    double lower[PROF_MAX_REPS], upper[PROF_MAX_REPS];
    struct prof_interval up;
    if (n == 0 || n > PROF_MAX_REPS) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    unsigned censored = prof_paired_ratios(num, den, n, floor, lower, upper);
    prof_median_interval(lower, n, confidence, out);
    prof_median_interval(upper, n, confidence, &up);
    out->hi = up.hi;
    out->censored = censored;
    return 0;
}

const char *prof_verdict_name(enum prof_verdict v)
{
    return v == PROF_MET ? "MET" : v == PROF_MISSED ? "MISSED" : "undecided";
}

enum prof_verdict prof_judge_interval(const struct prof_interval *ci, enum prof_direction dir,
                                      double threshold)
{
    if (!ci->ok)
        return PROF_UNDECIDED;
    if (dir == PROF_AT_LEAST)
        return ci->lo >= threshold ? PROF_MET : ci->hi < threshold ? PROF_MISSED : PROF_UNDECIDED;
    return ci->hi <= threshold ? PROF_MET : ci->lo > threshold ? PROF_MISSED : PROF_UNDECIDED;
}

enum prof_verdict prof_judge_value(double v, enum prof_direction dir, double threshold)
{
    int ok = dir == PROF_AT_LEAST ? v >= threshold : v <= threshold;
    return ok ? PROF_MET : PROF_MISSED;
}

enum prof_verdict prof_verdict_all(const enum prof_verdict *v, unsigned n)
{
    int undecided = n == 0;
    for (unsigned i = 0; i < n; i++) {
        if (v[i] == PROF_MISSED)
            return PROF_MISSED;
        undecided |= v[i] == PROF_UNDECIDED;
    }
    return undecided ? PROF_UNDECIDED : PROF_MET;
}
/* SPDX-License-Identifier: GPL-2.0-only */
