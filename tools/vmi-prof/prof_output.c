#include "prof_output.h"

#include <string.h>

/* The row of the same workload measured with another strategy, or NULL. */
static const struct prof_row *peer(const struct prof_result *r, const char *workload,
                                   enum prof_strategy s)
{
    for (unsigned i = 0; i < r->count; i++)
        if (r->rows[i].strategy == s && strcmp(r->rows[i].workload, workload) == 0)
            return &r->rows[i];
    return NULL;
}

void prof_print_table(const struct prof_result *r, FILE *out)
{
    fprintf(out, "%-28s %-9s %10s %10s %10s %9s%s\n", "workload", "strategy", "median", "min",
            "max", "vs hand", r->have_insns ? "  insns/op" : "");
    const char *last = "";
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        const struct prof_row *hand = peer(r, row->workload, STRAT_HAND);
        char ratio[16] = "-";
        if (hand && hand->median > 0)
            snprintf(ratio, sizeof ratio, "%.2fx", row->median / hand->median);
        fprintf(out, "%-28s %-9s %10.2f %10.2f %10.2f %9s",
                strcmp(last, row->workload) ? row->workload : "",
                prof_strategy_name(row->strategy), row->median, row->min, row->max, ratio);
        if (r->have_insns)
            fprintf(out, "  %8.2f", row->insns_per_op);
        fprintf(out, "\n");
        last = row->workload;
    }
    fprintf(out, "(cycles per operation, loop overhead subtracted; source: %s)\n", r->source);
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
                     "\"cycles_max\": %.3f, \"repetitions\": %u",
                prof_strategy_name(row->strategy), row->median, row->min, row->max, row->reps);
        if (r->have_insns)
            fprintf(out, ", \"insns_per_op\": %.3f", row->insns_per_op);
        fprintf(out, "}");
    }
    fprintf(out, "\n]\n");
}

void prof_print_csv(const struct prof_result *r, FILE *out)
{
    fprintf(out, "workload,strategy,cycles_median,cycles_min,cycles_max,repetitions%s\n",
            r->have_insns ? ",insns_per_op" : "");
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        fprintf(out, "%s,%s,%.3f,%.3f,%.3f,%u", row->workload, prof_strategy_name(row->strategy),
                row->median, row->min, row->max, row->reps);
        if (r->have_insns)
            fprintf(out, ",%.3f", row->insns_per_op);
        fprintf(out, "\n");
    }
}
