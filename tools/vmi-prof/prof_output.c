#include "prof_output.h"

#include <stdarg.h>
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
        fprintf(out, "(cycles per operation as reported; source: %s)\n", r->source);
    for (unsigned i = 0; i < r->nnotes; i++)
        fprintf(out, "%s\n", r->notes[i]);
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s < 0x20)
            fprintf(out, "\\u%04x", *s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

void prof_print_json(const struct prof_result *r, FILE *out)
{
    fprintf(out, "[");
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        fprintf(out, "%s\n  {\"workload\": ", i ? "," : "");
        json_string(out, row->workload);
        fprintf(out, ", \"strategy\": \"%s\", \"cycles_median\": %.3f, \"cycles_min\": %.3f, "
                     "\"cycles_max\": %.3f, \"repetitions\": %u, \"iterations\": %u, "
                     "\"overhead_cycles\": %.3f, \"path\": %s",
                prof_strategy_name(row->strategy), row->median, row->min, row->max, row->reps,
                row->iters, row->overhead, row->is_path ? "true" : "false");
        if (r->have_insns && row->insns_per_op >= 0)
            fprintf(out, ", \"insns_per_op\": %.3f", row->insns_per_op);
        fprintf(out, ", \"source\": ");
        json_string(out, r->source);
        fprintf(out, "}");
    }
    fprintf(out, "\n]\n");
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

void prof_print_csv(const struct prof_result *r, FILE *out)
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
}

static int is_irq_flag_call(const char *w)
{
    return strcmp(w, "DisableInterrupts") == 0 || strcmp(w, "EnableInterrupts") == 0 ||
           strcmp(w, "GetInterruptMask") == 0 || strcmp(w, "SetInterruptMask") == 0;
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

int prof_print_targets(const struct prof_result *r, FILE *out)
{
    int missed = 0;
    fprintf(out, "targets (reported, not asserted; differences under %.2f cycles count as met):\n",
            PROF_RESOLUTION);
    missed += inline_target(r, 0, 1.15, out);
    missed += inline_target(r, 1, 1.05, out);
    /* direct call vs inlined on the interrupt-flag calls */
    unsigned n = 0, met = 0;
    double lowest = 0;
    const char *low_name = NULL;
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *call = &r->rows[i];
        if (call->strategy != STRAT_CALL || !is_irq_flag_call(call->workload))
            continue;
        const struct prof_row *in = peer(r, call->workload, STRAT_INLINE);
        if (!in)
            continue;
        n++;
        /* an inlined cost under the resolution is taken as the resolution: a lower bound */
        double denom = in->median > PROF_RESOLUTION ? in->median : PROF_RESOLUTION;
        double ratio = call->median / denom;
        met += ratio >= 3;
        if (!low_name || ratio < lowest) {
            lowest = ratio;
            low_name = call->workload;
        }
        fprintf(out, "    %-20s call %6.2f, inline %6.2f cycles: call/inline %s%.1fx\n",
                call->workload, call->median, in->median,
                in->median > PROF_RESOLUTION ? "" : ">= ", ratio);
    }
    if (n)
        fprintf(out, "  call >= 3x inline on the interrupt-flag calls:  %u of %u met; lowest %s "
                     "%.1fx -> %s\n", met, n, low_name, lowest, met == n ? "MET" : "MISSED");
    else
        fprintf(out, "  call >= 3x inline on the interrupt-flag calls: not measured\n");
    missed += n && met != n;
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
