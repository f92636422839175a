/* The ratio targets judged from paired intervals (prof_targets.h). */
#include "prof_targets.h"

#include <string.h>

static int is_irq_flag_call(const char *w)
{
    return strcmp(w, "DisableInterrupts") == 0 || strcmp(w, "EnableInterrupts") == 0 ||
           strcmp(w, "GetInterruptMask") == 0 || strcmp(w, "SetInterruptMask") == 0;
}

/* "X(arg=v)" is the unspecialized counterpart of a variant, kept for the specialization table:
 * its hand-written form inlines what the planner must call, so no target counts it. */
static int in_target(unsigned t, const struct prof_row *row)
{
    if (t == 0)
        return !row->is_path && is_irq_flag_call(row->workload);
    return row->is_path && !strchr(row->workload, '(');
}

static void eval_workload(struct prof_target *t, const struct prof_row *num,
                          const struct prof_row *den, double confidence,
                          struct prof_target_workload *w)
{
    unsigned n = num->reps < den->reps ? num->reps : den->reps;
    memset(w, 0, sizeof *w);
    snprintf(w->workload, sizeof w->workload, "%s", num->workload);
    if (prof_ratio_interval(num->per_op, den->per_op, n, PROF_RESOLUTION, confidence, &w->ci) != 0)
        w->verdict = PROF_UNDECIDED;
    else
        w->verdict = prof_judge_interval(&w->ci, t->dir, t->threshold);
    w->have_insns = num->insns_per_op >= 0 && den->insns_per_op > 0;
    if (w->have_insns) {
        w->insns_num = num->insns_per_op;
        w->insns_den = den->insns_per_op;
        w->insns_ratio = num->insns_per_op / den->insns_per_op;
        w->insns_verdict = prof_judge_value(w->insns_ratio, t->dir, t->threshold);
    }
}

void prof_targets_eval(const struct prof_result *r, double confidence,
                       struct prof_target out[PROF_TARGETS])
{
    static const struct prof_target defs[PROF_TARGETS] = {
        { .id = "call-vs-inline-irq-flag", .title = "call >= 3x inline on the interrupt-flag calls",
          .num = STRAT_CALL, .den = STRAT_INLINE, .dir = PROF_AT_LEAST, .threshold = 3.0 },
        { .id = "inline-vs-hand-paths", .title = "inline <= 1.05x hand on the kernel paths",
          .num = STRAT_INLINE, .den = STRAT_HAND, .dir = PROF_AT_MOST, .threshold = 1.05 },
    };
    for (unsigned t = 0; t < PROF_TARGETS; t++) {
        struct prof_target *tg = &out[t];
        *tg = defs[t];
        enum prof_verdict v[PROF_TARGET_MAX_W], iv[PROF_TARGET_MAX_W];
        unsigned ninsns = 0;
        for (unsigned i = 0; i < r->count && tg->count < PROF_TARGET_MAX_W; i++) {
            const struct prof_row *num = &r->rows[i];
            if (num->strategy != tg->num || !in_target(t, num))
                continue;
            const struct prof_row *den =
                prof_result_find((struct prof_result *)r, num->workload, tg->den);
            if (!den)
                continue;
            struct prof_target_workload *w = &tg->w[tg->count];
            eval_workload(tg, num, den, confidence, w);
            v[tg->count] = w->verdict;
            if (w->have_insns)
                iv[ninsns++] = w->insns_verdict;
            tg->count++;
        }
        tg->verdict = prof_verdict_all(v, tg->count);
        tg->have_insns = tg->count > 0 && ninsns == tg->count;
        tg->insns_verdict = tg->have_insns ? prof_verdict_all(iv, ninsns) : PROF_UNDECIDED;
    }
}
/* SPDX-License-Identifier: GPL-2.0-only */
