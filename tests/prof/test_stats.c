/* cmocka: vmi-prof's statistics (tools/vmi-prof/prof_stats.c) on synthetic samples: the
 * order-statistic interval of a median, paired ratios and their bounds, and the verdicts,
 * including runs that must come out undecided. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "prof_stats.h"

#define N_OF(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

/* 1..15 shuffled: the 95% interval of the median is [x(4), x(12)], coverage 1 - 2*576/32768. */
static void interval_k15(void **state)
{
    (void)state;
    double v[] = { 9, 3, 15, 1, 12, 7, 5, 14, 2, 11, 8, 4, 13, 6, 10 };
    struct prof_interval ci;
    assert_int_equal(prof_median_interval(v, N_OF(v), 0.95, &ci), 0);
    assert_true(ci.ok);
    assert_int_equal(ci.rank, 4);
    assert_true(ci.median == 8);
    assert_true(ci.lo == 4 && ci.hi == 12);
    assert_true(fabs(ci.coverage - (1 - 2 * 576.0 / 32768)) < 1e-12);
    /* the input is not reordered */
    assert_true(v[0] == 9 && v[14] == 10);
}

/* The smallest n with a 95% interval is 6 ([min, max], 1 - 2/64); n = 5 has none. */
static void interval_small_n(void **state)
{
    (void)state;
    double six[] = { 6, 1, 5, 2, 4, 3 }, five[] = { 5, 1, 4, 2, 3 };
    struct prof_interval ci;
    prof_median_interval(six, 6, 0.95, &ci);
    assert_true(ci.ok);
    assert_int_equal(ci.rank, 1);
    assert_true(ci.lo == 1 && ci.hi == 6 && ci.median == 3.5);
    assert_true(fabs(ci.coverage - (1 - 2.0 / 64)) < 1e-12);
    prof_median_interval(five, 5, 0.95, &ci);
    assert_false(ci.ok);
    assert_true(ci.lo == 1 && ci.hi == 5);
    assert_true(ci.coverage < 0.95);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_LEAST, 0.5), PROF_UNDECIDED);
    assert_int_equal(prof_median_interval(five, 0, 0.95, &ci), -1);
}

/* A larger n narrows the interval in rank: n = 31 at 95% uses x(10)..x(22). */
static void interval_k31(void **state)
{
    (void)state;
    double v[31];
    for (unsigned i = 0; i < 31; i++)
        v[i] = 31 - i;
    struct prof_interval ci;
    prof_median_interval(v, 31, 0.95, &ci);
    assert_int_equal(ci.rank, 10);
    assert_true(ci.lo == 10 && ci.hi == 22 && ci.median == 16);
    assert_true(ci.coverage >= 0.95 && ci.coverage < 0.98);
}

/* Pairing: the machine's speed drifts by 2x between repetitions, the ratio in each repetition
 * stays 4, so the interval is [4, 4] although each strategy's own spread is wide. */
static void paired_ratio_cancels_drift(void **state)
{
    (void)state;
    double den[15], num[15];
    for (unsigned r = 0; r < 15; r++) {
        den[r] = 1.0 + (r % 5) * 0.25;
        num[r] = 4 * den[r];
    }
    struct prof_interval ci;
    assert_int_equal(prof_ratio_interval(num, den, 15, 0.25, 0.95, &ci), 0);
    assert_true(fabs(ci.lo - 4) < 1e-12 && fabs(ci.hi - 4) < 1e-12);
    assert_int_equal(ci.censored, 0);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_LEAST, 3), PROF_MET);
}

/* A denominator under the floor: the ratio is only a lower bound (upper bound infinite). */
static void paired_ratio_censored(void **state)
{
    (void)state;
    double num[] = { 3, 3 }, den[] = { 0.1, 1.5 }, lo[2], hi[2];
    assert_int_equal(prof_paired_ratios(num, den, 2, 0.25, lo, hi), 1);
    assert_true(lo[0] == 12 && isinf(hi[0]));
    assert_true(lo[1] == 2 && hi[1] == 2);
}

/* call/inline >= 3, one synthetic run per verdict. */
static void verdict_at_least(void **state)
{
    (void)state;
    double inl[15], met[15], missed[15], straddle[15];
    for (unsigned r = 0; r < 15; r++) {
        inl[r] = 1.0 + 0.01 * r;
        met[r] = inl[r] * (3.4 + 0.02 * (r % 7));        /* 3.40 .. 3.52 */
        missed[r] = inl[r] * (2.2 + 0.03 * (r % 5));     /* 2.20 .. 2.32 */
        straddle[r] = inl[r] * (2.0 + 0.14 * r);         /* 2.00 .. 3.96, median 2.98 */
    }
    struct prof_interval ci;
    prof_ratio_interval(met, inl, 15, 0.25, 0.95, &ci);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_LEAST, 3), PROF_MET);
    prof_ratio_interval(missed, inl, 15, 0.25, 0.95, &ci);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_LEAST, 3), PROF_MISSED);
    prof_ratio_interval(straddle, inl, 15, 0.25, 0.95, &ci);
    assert_true(ci.lo < 3 && ci.hi > 3);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_LEAST, 3), PROF_UNDECIDED);
}

/* An inlined cost under the resolution in most repetitions: the lower bounds may prove MET, but
 * a low lower bound proves nothing (undecided, never MISSED). */
static void verdict_censored(void **state)
{
    (void)state;
    double call[15], inl[15];
    for (unsigned r = 0; r < 15; r++) {
        call[r] = 0.7;
        inl[r] = r < 12 ? 0.01 : 0.5;
    }
    struct prof_interval ci;
    prof_ratio_interval(call, inl, 15, 0.25, 0.95, &ci);
    assert_int_equal(ci.censored, 12);
    assert_true(fabs(ci.median - 2.8) < 1e-12 && isinf(ci.hi));
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_LEAST, 3), PROF_UNDECIDED);
    for (unsigned r = 0; r < 15; r++)
        call[r] = 3.5;                                   /* 3.5 / 0.25 = 14 >= 3: proven */
    prof_ratio_interval(call, inl, 15, 0.25, 0.95, &ci);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_LEAST, 3), PROF_MET);
}

/* inline/hand <= 1.05 on a path, one run per verdict, and one with too few repetitions. */
static void verdict_at_most(void **state)
{
    (void)state;
    double hand[15], inl_met[15], inl_missed[15], inl_noisy[15];
    for (unsigned r = 0; r < 15; r++) {
        hand[r] = 23 + (r % 3);
        inl_met[r] = hand[r] * (1.00 + 0.002 * r);       /* <= 1.028 */
        inl_missed[r] = hand[r] * (1.10 + 0.003 * r);
        inl_noisy[r] = hand[r] * (0.90 + 0.02 * r);      /* 0.90 .. 1.18 */
    }
    struct prof_interval ci;
    prof_ratio_interval(inl_met, hand, 15, 0.25, 0.95, &ci);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_MOST, 1.05), PROF_MET);
    prof_ratio_interval(inl_missed, hand, 15, 0.25, 0.95, &ci);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_MOST, 1.05), PROF_MISSED);
    prof_ratio_interval(inl_noisy, hand, 15, 0.25, 0.95, &ci);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_MOST, 1.05), PROF_UNDECIDED);
    /* three repetitions, all clearly fine, still cannot decide at 95% */
    prof_ratio_interval(inl_met, hand, 3, 0.25, 0.95, &ci);
    assert_false(ci.ok);
    assert_int_equal(prof_judge_interval(&ci, PROF_AT_MOST, 1.05), PROF_UNDECIDED);
}

static void verdict_exact_and_all(void **state)
{
    (void)state;
    assert_int_equal(prof_judge_value(2.0, PROF_AT_LEAST, 3), PROF_MISSED);
    assert_int_equal(prof_judge_value(3.0, PROF_AT_LEAST, 3), PROF_MET);
    assert_int_equal(prof_judge_value(1.02, PROF_AT_MOST, 1.05), PROF_MET);
    assert_int_equal(prof_judge_value(1.07, PROF_AT_MOST, 1.05), PROF_MISSED);
    enum prof_verdict all_met[] = { PROF_MET, PROF_MET };
    enum prof_verdict one_und[] = { PROF_MET, PROF_UNDECIDED, PROF_MET };
    enum prof_verdict one_miss[] = { PROF_UNDECIDED, PROF_MISSED, PROF_MET };
    assert_int_equal(prof_verdict_all(all_met, 2), PROF_MET);
    assert_int_equal(prof_verdict_all(one_und, 3), PROF_UNDECIDED);
    assert_int_equal(prof_verdict_all(one_miss, 3), PROF_MISSED);
    assert_int_equal(prof_verdict_all(all_met, 0), PROF_UNDECIDED);
    assert_string_equal(prof_verdict_name(PROF_MET), "MET");
    assert_string_equal(prof_verdict_name(PROF_MISSED), "MISSED");
    assert_string_equal(prof_verdict_name(PROF_UNDECIDED), "undecided");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interval_k15),
        cmocka_unit_test(interval_small_n),
        cmocka_unit_test(interval_k31),
        cmocka_unit_test(paired_ratio_cancels_drift),
        cmocka_unit_test(paired_ratio_censored),
        cmocka_unit_test(verdict_at_least),
        cmocka_unit_test(verdict_censored),
        cmocka_unit_test(verdict_at_most),
        cmocka_unit_test(verdict_exact_and_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
