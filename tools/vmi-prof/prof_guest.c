/* vmi-prof --guest LOG: the guest kernel's serial report (docs/guest.md) into the same table.
 * The lines read are
 *   VMI-GUEST compiler=NAME
 *   rom found=0|1 ...
 *   bench op=NAME iters=N rounds=R native=X call=Y inline=Z     (cycles per op, or "-")
 * A value is the best of R runs of N iterations: median, min and max are that one number.
 * "native" (the privileged instructions on the bare machine, no ROM) is not one of the five
 * strategies: it is reported under the table. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prof_run.h"

/* The value of key=VALUE in a space-separated line, copied into buf; NULL when absent. */
static const char *field(const char *line, const char *key, char *buf, size_t cap)
{
    size_t kl = strlen(key);
    for (const char *p = line; (p = strstr(p, key)) != NULL; p += kl) {
        if ((p != line && p[-1] != ' ') || p[kl] != '=')
            continue;
        const char *v = p + kl + 1;
        size_t n = strcspn(v, " \r\n");
        if (n >= cap)
            n = cap - 1;
        memcpy(buf, v, n);
        buf[n] = 0;
        return buf;
    }
    return NULL;
}

int prof_guest_clock_parse(const char *s, enum prof_guest_clock *out)
{
    if (s && strcmp(s, "icount") == 0)
        *out = PROF_CLOCK_ICOUNT;
    else if (s && strcmp(s, "host") == 0)
        *out = PROF_CLOCK_HOST;
    else
        return -1;
    return 0;
}

static const char *clock_unit(enum prof_guest_clock c)
{
    return c == PROF_CLOCK_ICOUNT ? "instructions"
         : c == PROF_CLOCK_HOST   ? "host TSC ticks"
                                  : "host TSC ticks (assumed: the log does not say how QEMU ran)";
}

/* "qemu clock=VALUE": the boot script's record of QEMU's mode.  0, or -1 with err set. */
static int log_clock(const char *path, int lineno, const char *line, enum prof_guest_clock given,
                     enum prof_guest_clock *clock, struct aot_err *err)
{
    char v[32];
    enum prof_guest_clock c;
    if (!field(line, "clock", v, sizeof v)) {
        return aot_fail(err, "%s:%d: a 'qemu' line without clock=", path, lineno);
    }
    if (strcmp(v, "icount-shift-0") == 0)
        c = PROF_CLOCK_ICOUNT;
    else if (strcmp(v, "host") == 0)
        c = PROF_CLOCK_HOST;
    else {
        return aot_fail(err, "%s:%d: unknown clock=%s (icount-shift-0 or host)", path, lineno, v);
    }
    if (given != PROF_CLOCK_UNSAID && given != c) {
        return aot_fail(err, "%s:%d: the log says clock=%s, --guest-clock says %s", path, lineno, v,
                        given == PROF_CLOCK_ICOUNT ? "icount" : "host");
    }
    *clock = c;
    return 0;
}

/* One "bench op=" line: a row per measured strategy, the call/inline ratio and the native figure
 * as notes.  The number of rows added, or -1 with err set. */
static int bench_line(const char *path, int lineno, const char *line, struct prof_result *res,
                      struct aot_err *err)
{
    static const struct { const char *key; int strat; } keys[] = {
        { "hand", STRAT_HAND }, { "inline", STRAT_INLINE }, { "call", STRAT_CALL },
        { "indirect", STRAT_INDIRECT }, { "trap", STRAT_TRAP },
    };
    char op[32], iters[16], rounds[16], buf[64];
    int added = 0;
    if (!field(line, "op", op, sizeof op) || !field(line, "iters", iters, sizeof iters) ||
        !field(line, "rounds", rounds, sizeof rounds)) {
        return aot_fail(err, "%s:%d: a bench line without op, iters and rounds", path, lineno);
    }
    char name[PROF_NAME_MAX];
    snprintf(name, sizeof name, "guest:%s", op);
    for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (!field(line, keys[i].key, buf, sizeof buf) || strcmp(buf, "-") == 0)
            continue;
        char *end;
        double v = strtod(buf, &end);
        if (end == buf || *end) {
            return aot_fail(err, "%s:%d: %s=%s is not a number", path, lineno, keys[i].key, buf);
        }
        struct prof_row *row = prof_result_add(res);
        if (!row) {
            return aot_fail(err, "out of memory");
        }
        snprintf(row->workload, sizeof row->workload, "%s", name);
        row->strategy = (enum prof_strategy)keys[i].strat;
        row->is_path = 1;
        row->reps = 1;
        row->per_op[0] = v;
        row->iters = (unsigned)strtoul(iters, NULL, 10);
        prof_row_summarize(row);
        added++;
    }
    char cv[32], iv[32];
    if (field(line, "call", cv, sizeof cv) && field(line, "inline", iv, sizeof iv) &&
        atof(iv) > 0)
        prof_result_note(res, "%s: call/inline %.2fx", name, atof(cv) / atof(iv));
    if (field(line, "native", buf, sizeof buf))
        prof_result_note(res, "%s native (privileged instructions, no ROM): %s%s", name, buf,
                         strcmp(buf, "-") == 0 ? " (not run: no native variant here)" : "");
    return added;
}

/* Where the figures come from and what unit they are in. */
static void guest_source(struct prof_result *res, enum prof_guest_clock clock,
                         const char *compiler, const char *rom)
{
    snprintf(res->params.clock, sizeof res->params.clock, "%s",
             clock == PROF_CLOCK_ICOUNT ? "instructions" : "host TSC ticks");
    snprintf(res->source, sizeof res->source, "guest serial log (%s, rom found=%s), best of runs, %s",
             compiler, rom, clock_unit(clock));
    if (clock == PROF_CLOCK_ICOUNT)
        prof_result_note(res, "guest figures are instructions per operation: QEMU -icount shift=0 "
                              "makes the guest TSC count instructions (exact, repeatable)");
    else
        prof_result_note(res, "guest figures are host TSC ticks (without -icount the guest's "
                              "rdtsc reads the host's TSC): they move with the host's load");
}

int prof_read_guest(const char *path, enum prof_guest_clock given, struct prof_result *res,
                    struct aot_err *err)
{
    enum prof_guest_clock clock = given;
    FILE *f = fopen(path, "r");
    if (!f) {
        return aot_fail(err, "%s: %s", path, strerror(errno));
    }
    char *line = NULL, compiler[32] = "?", rom[8] = "?";
    size_t lcap = 0;
    int added = 0, lineno = 0, n = 0;
    while (n >= 0 && getline(&line, &lcap, f) >= 0) {
        lineno++;
        if (strncmp(line, "qemu ", 5) == 0 &&
            log_clock(path, lineno, line, given, &clock, err) != 0)
            n = -1;
        else if (strncmp(line, "VMI-GUEST ", 10) == 0)
            field(line, "compiler", compiler, sizeof compiler);
        else if (strncmp(line, "rom ", 4) == 0)
            field(line, "found", rom, sizeof rom);
        else if (strncmp(line, "bench op=", 9) == 0 &&
                 (n = bench_line(path, lineno, line, res, err)) > 0)
            added += n;
    }
    free(line);
    fclose(f);
    if (n < 0)
        return -1;
    if (!added) {
        return aot_fail(err, "%s: no 'bench op=' line with a measured strategy", path);
    }
    guest_source(res, clock, compiler, rom);
    return added;
}
/* SPDX-License-Identifier: GPL-2.0-only */
