#include "prof_output.h"

#include <math.h>
#include <stdarg.h>
#include "prof_targets.h"
#include "prof_version.h"
#include "json_out.h"
#include <stdlib.h>
#include <string.h>

struct prof_row *prof_result_add(struct prof_result *r)
{
    if (r->count == r->cap) {
        unsigned cap = r->cap ? 2 * r->cap : 64;
        struct prof_row *rows = realloc(r->rows, cap * sizeof *rows);
        if (!rows)
            return NULL;
        r->rows = rows;
        r->cap = cap;
    }
    struct prof_row *row = &r->rows[r->count++];
    memset(row, 0, sizeof *row);
    row->insns_per_op = -1;
    return row;
}

struct prof_row *prof_result_find(struct prof_result *r, const char *workload,
                                  enum prof_strategy s)
{
    for (unsigned i = 0; i < r->count; i++)
        if (r->rows[i].strategy == s && strcmp(r->rows[i].workload, workload) == 0)
            return &r->rows[i];
    return NULL;
}

void prof_result_note(struct prof_result *r, const char *fmt, ...)
{
    if (r->nnotes == PROF_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->notes[r->nnotes++], sizeof r->notes[0], fmt, ap);
    va_end(ap);
}

void prof_result_free(struct prof_result *r)
{
    free(r->rows);
    r->rows = NULL;
    r->count = r->cap = 0;
}

/* The row of the same workload measured with another strategy, or NULL. */
static const struct prof_row *peer(const struct prof_result *r, const char *workload,
                                   enum prof_strategy s)
{
    return prof_result_find((struct prof_result *)r, workload, s);
}

void prof_print_table(const struct prof_result *r, FILE *out)
{
    fprintf(out, "%-36s %-9s %10s %10s %10s %9s%s\n", "workload", "strategy", "median", "min",
            "max", "vs hand", r->have_insns ? "  insns/op" : "");
    const char *last = "";
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        const struct prof_row *hand = peer(r, row->workload, STRAT_HAND);
        char ratio[16] = "-";
        /* a hand-written cost under the resolution makes any ratio noise */
        if (hand && hand->median >= PROF_RESOLUTION)
            snprintf(ratio, sizeof ratio, "%.2fx", row->median / hand->median);
        fprintf(out, "%-36s %-9s %10.2f %10.2f %10.2f %9s",
                strcmp(last, row->workload) ? row->workload : "",
                prof_strategy_name(row->strategy), row->median, row->min, row->max, ratio);
        if (r->have_insns) {
            if (row->insns_per_op >= 0)
                fprintf(out, "  %8.2f", row->insns_per_op);
            else
                fprintf(out, "  %8s", "-");
        }
        fprintf(out, "\n");
        last = row->workload;
    }
    if (r->measured)
        fprintf(out, "(cycles per operation, loop overhead subtracted; source: %s;\n"
                     " vs hand: '-' when hand-written costs under %.2f cycles, the resolution)\n",
                r->source, PROF_RESOLUTION);
    else
        fprintf(out, "(%s per operation as reported; source: %s)\n",
                r->params.clock[0] ? r->params.clock : "cycles", r->source);
    for (unsigned i = 0; i < r->nnotes; i++)
        fprintf(out, "%s\n", r->notes[i]);
}

static json_t *json_rows(const struct prof_result *r)
{
    json_t *a = json_array();
    int bad = 0;
    for (unsigned i = 0; i < r->count && !bad; i++) {
        const struct prof_row *row = &r->rows[i];
        json_t *o = json_pack("{s:o, s:s, s:o, s:o, s:o, s:i, s:i, s:o, s:b}",
                              "workload", aot_json_string(row->workload),
                              "strategy", prof_strategy_name(row->strategy),
                              "cycles_median", aot_json_real(row->median, 3),
                              "cycles_min", aot_json_real(row->min, 3),
                              "cycles_max", aot_json_real(row->max, 3),
                              "repetitions", (int)row->reps, "iterations", (int)row->iters,
                              "overhead_cycles", aot_json_real(row->overhead, 3),
                              "path", row->is_path);
        if (r->have_insns && row->insns_per_op >= 0)
            bad |= aot_json_set(o, "insns_per_op", aot_json_real(row->insns_per_op, 3));
        bad |= aot_json_push(a, o);
    }
    if (bad)
        json_decref(a);
    return bad ? NULL : a;
}

/* One workload of a target: the paired ratio's interval (its upper end null when unbounded: a
 * denominator under the resolution) and the instruction counts beside it. */
static json_t *json_target_workload(const struct prof_target *t,
                                    const struct prof_target_workload *w)
{
    json_t *insns = !w->have_insns ? json_null()
        : json_pack("{s:o, s:o, s:o, s:s}", prof_strategy_name(t->num),
                    aot_json_real(w->insns_num, 3), prof_strategy_name(t->den),
                    aot_json_real(w->insns_den, 3), "ratio", aot_json_real(w->insns_ratio, 4),
                    "verdict", prof_verdict_name(w->insns_verdict));
    return json_pack("{s:o, s:o, s:[oo], s:o, s:b, s:i, s:i, s:s, s:o}",
                     "workload", aot_json_string(w->workload),
                     "ratio_median", aot_json_real(w->ci.median, 4),
                     "interval", aot_json_real(w->ci.lo, 4), aot_json_real(w->ci.hi, 4),
                     "coverage", aot_json_real(w->ci.coverage, 4), "interval_ok", w->ci.ok,
                     "repetitions", (int)w->ci.n, "censored", (int)w->ci.censored,
                     "verdict", prof_verdict_name(w->verdict), "instructions", insns);
}

static json_t *json_target(const struct prof_target *t)
{
    char ratio[64];
    snprintf(ratio, sizeof ratio, "%s/%s", prof_strategy_name(t->num), prof_strategy_name(t->den));
    json_t *ws = json_array();
    int bad = 0;
    for (unsigned i = 0; i < t->count; i++)
        bad |= aot_json_push(ws, json_target_workload(t, &t->w[i]));
    json_t *o = json_pack("{s:s, s:o, s:s, s:s, s:o, s:s, s:o, s:o}", "id", t->id,
                          "title", aot_json_string(t->title), "ratio", ratio,
                          "direction", t->dir == PROF_AT_LEAST ? ">=" : "<=",
                          "threshold", aot_json_real(t->threshold, 3),
                          "verdict", prof_verdict_name(t->verdict),
                          "instructions_verdict", t->have_insns
                              ? json_string(prof_verdict_name(t->insns_verdict)) : json_null(),
                          "workloads", ws);
    if (bad)
        json_decref(o);
    return bad ? NULL : o;
}

static json_t *json_parameters(const struct prof_result *r)
{
    const struct prof_params *p = &r->params;
    if (p->guest_log)
        return json_pack("{s:o, s:o}", "guest_log", aot_json_string(p->guest_log),
                         "unit", aot_json_string(p->clock));
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:o, s:b, s:s, s:o, s:o}", "n", (int)p->n,
                     "k", (int)p->k, "runs", (int)p->runs, "trap_n", (int)p->trap_n,
                     "cpu", p->cpu, "only", aot_json_string(p->only), "callgrind", p->callgrind,
                     "unit", "cycles", "confidence", aot_json_real(PROF_CONFIDENCE, 2),
                     "resolution_cycles", aot_json_real(PROF_RESOLUTION, 2));
}

json_t *prof_result_json(const struct prof_result *r)
{
    const struct prof_params *p = &r->params;
    json_t *doc = aot_json_doc(PROF_TOOL, PROF_SCHEMA);
    int bad = aot_json_set(doc, "cpu", aot_json_string(p->cpu_model));
    bad |= aot_json_set(doc, "date", aot_json_string(p->date));
    bad |= aot_json_set(doc, "source", aot_json_string(r->source));
    bad |= aot_json_set(doc, "parameters", json_parameters(r));
    bad |= aot_json_set(doc, "rows", json_rows(r));
    struct prof_target t[PROF_TARGETS];
    prof_targets_eval(r, PROF_CONFIDENCE, t);
    json_t *ts = json_array();
    for (unsigned i = 0; i < PROF_TARGETS; i++)
        bad |= aot_json_push(ts, json_target(&t[i]));
    bad |= aot_json_set(doc, "targets", ts);
    if (bad)
        json_decref(doc);
    return bad ? NULL : doc;
}

int prof_print_json(const struct prof_result *r, FILE *out)
{
    return aot_json_write(out, prof_result_json(r), AOT_JSON_PRETTY);
}

static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int prof_print_csv(const struct prof_result *r, FILE *out)
{
    fprintf(out, "workload,strategy,cycles_median,cycles_min,cycles_max,repetitions,iterations,"
                 "overhead_cycles%s\n", r->have_insns ? ",insns_per_op" : "");
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        csv_field(out, row->workload);
        fprintf(out, ",%s,%.3f,%.3f,%.3f,%u,%u,%.3f", prof_strategy_name(row->strategy),
                row->median, row->min, row->max, row->reps, row->iters, row->overhead);
        if (r->have_insns) {
            if (row->insns_per_op >= 0)
                fprintf(out, ",%.3f", row->insns_per_op);
            else
                fprintf(out, ",");
        }
        fprintf(out, "\n");
    }
    return ferror(out) ? -1 : 0;
}

/* inline vs hand over one class of workloads; returns 1 when the target is missed */
static int inline_target(const struct prof_result *r, int paths, double limit, FILE *out)
{
    double worst = 0, worst_diff = 0;
    const char *worst_name = NULL;
    unsigned n = 0, met = 0;
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *in = &r->rows[i];
        if (in->strategy != STRAT_INLINE || in->is_path != paths)
            continue;
        /* "X(arg=v)": the unspecialized counterpart of a variant, for the specialization table;
         * its hand-written form may inline what the planner must call (SetLazyMode) */
        if (strchr(in->workload, '('))
            continue;
        const struct prof_row *hand = peer(r, in->workload, STRAT_HAND);
        if (!hand)
            continue;
        n++;
        double diff = in->median - hand->median;
        double ratio = hand->median > 0 ? in->median / hand->median : 0;
        int ok = diff <= PROF_RESOLUTION || (hand->median > 0 && ratio <= limit);
        met += ok;
        if (hand->median > 0 && (!worst_name || ratio > worst)) {
            worst = ratio;
            worst_diff = diff;
            worst_name = in->workload;
        }
        if (!ok)
            fprintf(out, "    missed: %-26s inline %.2f vs hand %.2f cycles (%.2fx, +%.2f)\n",
                    in->workload, in->median, hand->median, ratio, diff);
    }
    if (!n) {
        fprintf(out, "  inline <= %.2fx hand on %s: not measured\n", limit,
                paths ? "the kernel paths" : "every inlinable call");
        return 0;
    }
    fprintf(out, "  inline <= %.2fx hand on %-22s %u of %u met; highest ratio %s %.2fx "
                 "(%+.2f cycles) -> %s\n", limit,
            paths ? "the kernel paths:" : "every inlinable call:", met, n,
            worst_name ? worst_name : "-", worst, worst_diff, met == n ? "MET" : "MISSED");
    return met != n;
}

/* One interval target: a line per workload (ratio median, interval, verdict, instructions and
 * their verdict), then the target's line.  Returns 1 when it is missed. */
static int interval_target(const struct prof_target *t, FILE *out)
{
    const char *num = prof_strategy_name(t->num), *den = prof_strategy_name(t->den);
    for (unsigned i = 0; i < t->count; i++) {
        const struct prof_target_workload *w = &t->w[i];
        char med[24], hi[24];
        snprintf(med, sizeof med, "%s%.2fx", w->ci.censored ? ">=" : "", w->ci.median);
        if (isinf(w->ci.hi))
            snprintf(hi, sizeof hi, "inf");
        else
            snprintf(hi, sizeof hi, "%.2f", w->ci.hi);
        fprintf(out, "    %-34s %s/%-6s %8s [%5.2f, %5s] %2.0f%% K=%-3u %-9s", w->workload, num,
                den, med, w->ci.lo, hi, 100 * w->ci.coverage, w->ci.n,
                prof_verdict_name(w->verdict));
        if (w->have_insns)
            fprintf(out, " insns %.1f/%.1f = %.2fx %s", w->insns_num, w->insns_den, w->insns_ratio,
                    prof_verdict_name(w->insns_verdict));
        fprintf(out, "\n");
    }
    if (!t->count) {
        fprintf(out, "  %s: not measured -> undecided\n", t->title);
        return 0;
    }
    fprintf(out, "  %s: -> %s", t->title, prof_verdict_name(t->verdict));
    if (t->have_insns)
        fprintf(out, " (instructions: %s)", prof_verdict_name(t->insns_verdict));
    fprintf(out, "\n");
    return t->verdict == PROF_MISSED;
}

int prof_print_targets(const struct prof_result *r, FILE *out)
{
    int missed = 0;
    fprintf(out, "targets (reported, not asserted; differences under %.2f cycles count as met):\n",
            PROF_RESOLUTION);
    missed += inline_target(r, 0, 1.15, out);
    struct prof_target t[PROF_TARGETS];
    prof_targets_eval(r, PROF_CONFIDENCE, t);
    fprintf(out, "ratio targets: median of the per-repetition ratios (the two strategies measured in "
                 "the same repetition),\n[%.0f%% order-statistic interval of that median]; MET or "
                 "MISSED only when the whole interval is on one\nside of the target, else "
                 "undecided; a denominator under %.2f cycles makes that ratio a lower bound (>=,\n"
                 "upper end inf); insns: callgrind's instructions per op, exact, their own verdict\n",
            100 * PROF_CONFIDENCE, PROF_RESOLUTION);
    for (unsigned i = 0; i < PROF_TARGETS; i++)
        missed += interval_target(&t[i], out);
    return missed;
}

/* The general counterpart of a workload whose sites record constants: "X[a=v,...]" ->
 * "X(a=v,...)", the same values passed in registers.  0 when name has no "[...]" at its end. */
static int general_name(const char *name, char *buf, size_t cap)
{
    const char *lb = strchr(name, '[');
    size_t n = strlen(name);
    if (!lb || n < 3 || name[n - 1] != ']' || n >= cap)
        return 0;
    memcpy(buf, name, n + 1);
    buf[lb - name] = '(';
    buf[n - 1] = ')';
    return 1;
}

int prof_print_specialization(const struct prof_result *r, FILE *out)
{
    unsigned rows = 0;
    char gname[PROF_NAME_MAX];
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *v = &r->rows[i];
        if (v->strategy != STRAT_INLINE || !general_name(v->workload, gname, sizeof gname))
            continue;
        const struct prof_row *g = peer(r, gname, STRAT_INLINE);
        const struct prof_row *c = peer(r, gname, STRAT_CALL);
        if (!g || !c)
            continue;
        if (!rows++) {
            fprintf(out, "specialization: constant at the site (variant inlined) against the same "
                         "value in a register\n(general: the generic body inlined, or a call where "
                         "the ROM has none) against called (cycles per op%s):\n",
                    r->have_insns ? "; callgrind instructions per op" : "");
            fprintf(out, "  %-36s %9s %9s %9s %9s %9s", "workload", "variant", "general",
                    "called", "gen/var", "call/var");
            if (r->have_insns)
                fprintf(out, "   %7s %7s %7s", "i:var", "i:gen", "i:call");
            fprintf(out, "\n");
        }
        /* a variant under the resolution is taken as the resolution: the ratios are lower bounds */
        double denom = v->median > PROF_RESOLUTION ? v->median : PROF_RESOLUTION;
        const char *ge = v->median > PROF_RESOLUTION ? "" : ">=";
        char gr[24], cr[24];
        snprintf(gr, sizeof gr, "%s%.1fx", ge, g->median / denom);
        snprintf(cr, sizeof cr, "%s%.1fx", ge, c->median / denom);
        fprintf(out, "  %-36s %9.2f %9.2f %9.2f %9s %9s", v->workload, v->median, g->median,
                c->median, gr, cr);
        if (r->have_insns)
            fprintf(out, "   %7.1f %7.1f %7.1f", v->insns_per_op, g->insns_per_op,
                    c->insns_per_op);
        fprintf(out, "\n");
    }
    if (!rows)
        fprintf(out, "specialization: not measured (no workload with constants at its sites)\n");
    return (int)rows;
}
/* SPDX-License-Identifier: GPL-2.0-only */
