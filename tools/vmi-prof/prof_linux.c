/* vmi-prof --linux: runs the helper once per configuration (each boot leaves a serial log), reads
 * the workload's "phase NAME end iters=N tsc=T" lines, and prints instructions per phase and per
 * operation with the ratio to the kernel without a ROM.  Under -icount shift=0 the TSC counts
 * guest instructions, so every figure is exact and the same on every run. */
#define _GNU_SOURCE
#include "prof_linux.h"
#include "prof_surface.h"
#include "json_out.h"
#include "outfile.h"
#include "prof_version.h"

#include <cairo.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The document's layout; a new layout gets a new number (docs/json.md). */
#define PROF_LINUX_SCHEMA "vmi-prof.linux/1"

#define NCONF 5
#define MAX_PHASES 16
static const char *const conf_name[NCONF] = { "none", "native", "auto", "call-only", "auto-nokeep" };
static const char *const conf_title[NCONF] = {
    "no ROM (Linux native)", "native ROM, Linux's vmi_patch", "loader, auto (inlined)",
    "loader, call-only",
    "loader, auto, vmi.keep=0 (Linux's vmi_activate re-patches six ops)" };

struct phase_row {
    char name[40];
    unsigned long iters, rounds;
    unsigned long long tsc[NCONF];      /* min_round x rounds: the interrupt-free cost */
    unsigned long long total[NCONF];    /* the sum of the rounds, as measured */
};

struct linux_result {
    struct phase_row ph[MAX_PHASES];
    unsigned n;
};

static int run_helper(const struct prof_linux_opts *o, unsigned c, const char *log)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setenv("LINUX_VMI_DIR", o->linux_dir, 1);
        setenv("VMI_LOADER", o->loader, 1);
        setenv("VMI_ROM", o->rom, 1);
        setenv("VMI_WORKLOAD", o->workload, 1);
        execl("/bin/bash", "bash", o->helper, conf_name[c], log, (char *)NULL);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* The phase lines of one log into column c. */
static int read_log(const char *log, unsigned c, struct linux_result *r)
{
    FILE *f = fopen(log, "r");
    if (!f) {
        fprintf(stderr, "vmi-prof: %s: %s\n", log, strerror(errno));
        return -1;
    }
    char line[256], name[40];
    unsigned long iters, rounds;
    unsigned long long tsc, min;
    unsigned k = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "phase %39s end iters=%lu tsc=%llu rounds=%lu min_round=%llu", name,
                   &iters, &tsc, &rounds, &min) == 5 && rounds) {
            if (k == MAX_PHASES || (c && (k >= r->n || strcmp(r->ph[k].name, name)))) {
                fprintf(stderr, "vmi-prof: %s: phase %s is not the %u. phase of the first log\n",
                        log, name, k + 1);
                fclose(f);
                return -1;
            }
            snprintf(r->ph[k].name, sizeof r->ph[k].name, "%s", name);
            r->ph[k].iters = iters;
            r->ph[k].rounds = rounds;
            r->ph[k].tsc[c] = min * rounds;
            r->ph[k].total[c] = tsc;
            k++;
        }
    fclose(f);
    if (!k || (c && k != r->n)) {
        fprintf(stderr, "vmi-prof: %s: %u phase lines, expected %u\n", log, k, c ? r->n : 1);
        return -1;
    }
    r->n = k;
    return 0;
}

static void print_table(const struct linux_result *r)
{
    printf("Linux workload, guest instructions (QEMU TCG, -icount shift=0; exact): each phase's\n"
           "operations in equal rounds, the cheapest round x rounds (no interrupt in it)\n");
    for (unsigned c = 0; c < NCONF; c++)
        printf("  %-10s %s\n", conf_name[c], conf_title[c]);
    printf("\n%-18s %6s", "phase", "ops");
    for (unsigned c = 0; c < NCONF; c++)
        printf(" %12s", conf_name[c]);
    printf("   per op:");
    for (unsigned c = 0; c < NCONF; c++)
        printf(" %9s", conf_name[c]);
    printf("   ratio to none:");
    for (unsigned c = 1; c < NCONF; c++)
        printf(" %9s", conf_name[c]);
    printf("\n");
    for (unsigned k = 0; k < r->n; k++) {
        const struct phase_row *p = &r->ph[k];
        printf("%-18s %6lu", p->name, p->iters);
        for (unsigned c = 0; c < NCONF; c++)
            printf(" %12llu", p->tsc[c]);
        printf("            ");
        for (unsigned c = 0; c < NCONF; c++)
            printf(" %9.1f", (double)p->tsc[c] / (double)p->iters);
        printf("                 ");
        for (unsigned c = 1; c < NCONF; c++)
            printf(" %9.4f", p->tsc[0] ? (double)p->tsc[c] / (double)p->tsc[0] : 0.0);
        printf("\n");
    }
}

/* {"none": v[0], "native": v[1], ...} for one phase. */
static json_t *per_conf(const unsigned long long *v)
{
    json_t *o = json_object();
    int bad = 0;
    for (unsigned c = 0; c < NCONF; c++)
        bad |= aot_json_set(o, conf_name[c], json_integer((json_int_t)v[c]));
    if (bad)
        json_decref(o);
    return bad ? NULL : o;
}

static json_t *phase_json(const struct phase_row *p)
{
    json_t *ratio = json_object();
    int bad = 0;
    for (unsigned c = 0; c < NCONF; c++)
        bad |= aot_json_set(ratio, conf_name[c], aot_json_real(p->tsc[0] ? (double)p->tsc[c] /
                                                               (double)p->tsc[0] : 0.0, 6));
    if (bad) {
        json_decref(ratio);
        return NULL;
    }
    return json_pack("{s:o, s:I, s:o, s:I, s:o, s:o}", "phase", aot_json_string(p->name),
                     "ops", (json_int_t)p->iters, "instructions", per_conf(p->tsc),
                     "rounds", (json_int_t)p->rounds, "measured_sum", per_conf(p->total),
                     "ratio_to_none", ratio);
}

/* The document (docs/schema/vmi-prof.linux.json); a new object, or NULL on out of memory. */
static json_t *linux_json(const struct linux_result *r)
{
    json_t *doc = aot_json_doc(PROF_TOOL, PROF_LINUX_SCHEMA);
    json_t *confs = json_array(), *phases = json_array();
    int bad = aot_json_set(doc, "unit", json_string("instructions"));
    for (unsigned c = 0; c < NCONF; c++)
        bad |= aot_json_push(confs, json_pack("{s:s, s:s}", "id", conf_name[c],
                                              "title", conf_title[c]));
    for (unsigned k = 0; k < r->n; k++)
        bad |= aot_json_push(phases, phase_json(&r->ph[k]));
    bad |= aot_json_set(doc, "configurations", confs);
    bad |= aot_json_set(doc, "phases", phases);
    if (bad)
        json_decref(doc);
    return bad ? NULL : doc;
}

/* One group of bars per phase (the null phase has no work and is left out): each configuration's
 * instructions as a ratio to the no-ROM kernel, on a linear scale around 1. */
static int draw_chart(const char *path, int png, const struct linux_result *r)
{
    static const double col[NCONF][3] = { { .3, .3, .3 }, { .85, .55, .1 }, { .13, .55, .13 },
                                          { .12, .35, .75 }, { .6, .8, .6 } };
    const double lw = 170, pw = 420, bar = 10, gap = 12, top = 50;
    unsigned shown = 0;
    for (unsigned k = 0; k < r->n; k++)
        shown += r->ph[k].tsc[0] > 1000;
    double h = top + shown * (NCONF * bar + gap) + 40, w = lw + pw + 120;
    cairo_surface_t *s = prof_surface_create(png, path, w, h);
    cairo_t *cr = cairo_create(s);
    double lo = 0.9, hi = 1.1;
    for (unsigned k = 0; k < r->n; k++)
        for (unsigned c = 0; c < NCONF && r->ph[k].tsc[0] > 1000; c++) {
            double v = (double)r->ph[k].tsc[c] / (double)r->ph[k].tsc[0];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 10, 20);
    cairo_show_text(cr, "Linux workload: instructions per phase / no-ROM kernel (-icount shift=0)");
    double y = top;
    for (unsigned k = 0; k < r->n; k++) {
        const struct phase_row *p = &r->ph[k];
        if (p->tsc[0] <= 1000)
            continue;
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_font_size(cr, 11);
        cairo_move_to(cr, 10, y + 2 * bar);
        cairo_show_text(cr, p->name);
        for (unsigned c = 0; c < NCONF; c++) {
            double v = (double)p->tsc[c] / (double)p->tsc[0];
            double x0 = lw, x1 = lw + pw * (v - lo) / (hi - lo);
            cairo_set_source_rgb(cr, col[c][0], col[c][1], col[c][2]);
            cairo_rectangle(cr, x0, y, x1 - x0, bar - 1);
            cairo_fill(cr);
            char t[64];
            snprintf(t, sizeof t, "%.4f %s", v, conf_name[c]);
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_font_size(cr, 9);
            cairo_move_to(cr, x1 + 4, y + bar - 2);
            cairo_show_text(cr, t);
            y += bar;
        }
        y += gap;
    }
    char t[64];
    snprintf(t, sizeof t, "axis from %.3f (left edge) to %.3f", lo, hi);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, lw, y + 15);
    cairo_show_text(cr, t);
    return prof_surface_close(cr, s, png, path) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

int prof_linux_run(const struct prof_linux_opts *o)
{
    static struct linux_result r;
    struct aot_outfile jf = { 0 }, cf = { 0 };
    struct aot_err err;
    char log[4096];
    const char *need[] = { o->helper, o->loader, o->rom, o->workload };
    for (unsigned i = 0; i < 4; i++)
        if (access(need[i], R_OK) != 0) {
            fprintf(stderr, "vmi-prof: %s: %s\n", need[i], strerror(errno));
            return 1;
        }
    if ((o->json && aot_outfile_open(&jf, o->json, &err) != 0) ||
        (o->chart && aot_outfile_open(&cf, o->chart, &err) != 0)) {
        fprintf(stderr, "vmi-prof: %s\n", err.msg);
        aot_outfile_abort(&jf);
        return 1;
    }
    for (unsigned c = 0; c < NCONF; c++) {
        snprintf(log, sizeof log, "%s/linux-%s.log", o->log_dir, conf_name[c]);
        if (!o->quiet)
            fprintf(stderr, "vmi-prof: linux [%u/%u] %s: one boot under -icount shift=0\n", c + 1,
                    NCONF, conf_title[c]);
        if (run_helper(o, c, log) != 0 || read_log(log, c, &r) != 0) {
            fprintf(stderr, "vmi-prof: --linux: the %s boot failed (log %s)\n", conf_name[c], log);
            aot_outfile_abort(&jf);
            aot_outfile_abort(&cf);
            return 1;
        }
    }
    print_table(&r);
    int rc = 0;
    if (o->json) {
        if (aot_json_write(jf.f, linux_json(&r), AOT_JSON_PRETTY) != 0) {
            fprintf(stderr, "vmi-prof: %s: out of memory, or the write failed\n", o->json);
            aot_outfile_abort(&jf);
            rc = 1;
        } else if (aot_outfile_commit(&jf, aot_outfile_mode(), &err) != 0) {
            fprintf(stderr, "vmi-prof: %s\n", err.msg);
            rc = 1;
        }
    }
    if (o->chart) {
        const char *tmp = aot_outfile_by_name(&cf);
        size_t l = strlen(o->chart);
        if (!tmp || draw_chart(tmp, l > 4 && !strcmp(o->chart + l - 4, ".png"), &r) != 0 ||
            aot_outfile_commit(&cf, aot_outfile_mode(), &err) != 0) {
            fprintf(stderr, "vmi-prof: %s: the chart could not be written\n", o->chart);
            aot_outfile_abort(&cf);
            rc = 1;
        }
    }
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
