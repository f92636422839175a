/* vmi-prof: what an inlined VMI call costs against a called one, an indirect one, a trapped one
 * and the hand-written limit, per call and per kernel-like path.  docs/profiling.md. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"
#include "prof_run.h"
#include "prof_sites.h"
#include "prof_linux.h"
#include <libgen.h>
#include <math.h>
#include <sys/stat.h>
#include "json_out.h"
#include "opts.h"
#include "prof_version.h"
#include "vmi_paths.h"
#include "vmi_inliner.h"

/* vmi-prof's one table: the parser, --help and the usage after an error (the options below
 * struct cli). */
static const struct opts_command prof_cmd;

/* A usage error: one line saying what was wrong, then the usage, on stderr; status 2. */
static void bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "vmi-prof: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    opts_help(stderr, &prof_cmd);
    exit(2);
}

static unsigned num(const char *opt, const char *s, unsigned lo, unsigned hi)
{
    char *end;
    errno = 0;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || errno || *end || end == s || v < lo || v > hi) {
        fprintf(stderr, "vmi-prof: %s needs a number from %u to %u\n", opt, lo, hi);
        opts_help(stderr, &prof_cmd);
        exit(2);
    }
    return (unsigned)v;
}

/* --json, --csv and the charts: opened before measuring, committed at the end (lib/outfile.h). */
struct outputs {
    struct aot_outfile json, csv, charts[4];
    unsigned ncharts;
};

static void outputs_abort(struct outputs *o)
{
    aot_outfile_abort(&o->json);
    aot_outfile_abort(&o->csv);
    for (unsigned i = 0; i < o->ncharts; i++)
        aot_outfile_abort(&o->charts[i]);
}

/* Creates every output's temporary file; on the first that cannot be, one line and -1. */
static int outputs_open(struct outputs *o, const char *json, const char *csv,
                        const char *const *charts, unsigned ncharts)
{
    struct aot_err err;
    memset(o, 0, sizeof *o);
    int bad = (json && aot_outfile_open(&o->json, json, &err) != 0) ||
              (csv && aot_outfile_open(&o->csv, csv, &err) != 0);
    for (; !bad && o->ncharts < ncharts; o->ncharts++)
        bad = aot_outfile_open(&o->charts[o->ncharts], charts[o->ncharts], &err) != 0;
    if (!bad)
        return 0;
    fprintf(stderr, "vmi-prof: %s\n", err.msg);
    outputs_abort(o);
    return -1;
}

/* Writes with f into the opened output `name` and renames it into place.  0 or -1 (one line). */
static int write_out(struct aot_outfile *of, const char *name, const struct prof_result *r,
                     int (*f)(const struct prof_result *, FILE *))
{
    struct aot_err err;
    int wrote = f(r, of->f);
    if (wrote != 0 && of->path) {           /* out of memory or a write error: no file */
        aot_outfile_abort(of);
    } else if (aot_outfile_commit(of, aot_outfile_mode(), &err) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", err.msg);
        return -1;
    }
    if (wrote != 0)
        fprintf(stderr, "vmi-prof: %s: out of memory, or a write error\n", name);
    return wrote;
}

/* A chart is drawn by cairo into the temporary file by name, then renamed into place. */
static int write_chart(struct aot_outfile *of, const char *name, const struct prof_result *r)
{
    struct aot_err err;
    const char *tmp = aot_outfile_by_name(of);
    if (!tmp)
        aot_fail(&err, "%s: a chart cannot go to standard output", name);
    if (!tmp || prof_draw_chart(r, name, tmp, &err) != 0 ||
        aot_outfile_commit(of, aot_outfile_mode(), &err) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", err.msg);
        aot_outfile_abort(of);
        return -1;
    }
    return 0;
}

static void progress_to_stderr(void *ctx, const char *what)
{
    (void)ctx;
    fprintf(stderr, "vmi-prof: %s\n", what);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double med(const double *v, unsigned n)
{
    double t[PROF_MAX_REPS];
    memcpy(t, v, n * sizeof t[0]);
    qsort(t, n, sizeof t[0], cmp_dbl);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* plan + apply + verify of the synthetic sites, per second (docs/profiling.md). */
#define PATCH_TARGET 20e6

/* The patch bench's medians over the repetitions, and the rates they give. */
struct patch_summary {
    double read, plan, apply, verify, revert, load, pav, csites, ctext;
    double rate, rate_load, rate_rev, rate_csites;
};

static void patch_summarize(const struct prof_patch_result *p, struct patch_summary *m)
{
    double load[PROF_MAX_REPS], pav[PROF_MAX_REPS];
    for (unsigned r = 0; r < p->reps; r++) {
        pav[r] = p->plan_ns[r] + p->apply_ns[r] + p->verify_ns[r];
        load[r] = p->read_ns[r] + pav[r];
    }
    m->read = med(p->read_ns, p->reps);
    m->plan = med(p->plan_ns, p->reps);
    m->apply = med(p->apply_ns, p->reps);
    m->verify = med(p->verify_ns, p->reps);
    m->revert = med(p->revert_ns, p->reps);
    m->load = med(load, p->reps);
    m->pav = med(pav, p->reps);
    m->csites = med(p->copy_sites_ns, p->reps);
    m->ctext = med(p->copy_text_ns, p->reps);
    m->rate_csites = m->csites > 0 ? p->sites / (m->csites / 1e9) : 0;
    m->rate = p->sites / (m->pav / 1e9);
    m->rate_load = p->sites / (m->load / 1e9);
    m->rate_rev = p->sites / (m->revert / 1e9);
}

/* x rounded to a whole number, or null when it is not finite (a rate over no time). */
static json_t *json_whole(double x)
{
    return isfinite(x) ? json_integer((json_int_t)llround(x)) : json_null();
}

/* The document (schema vmi-prof.patch/1, docs/json.md): times in whole nanoseconds and rates in
 * whole sites per second, as JSON numbers.  NULL on out of memory. */
static json_t *patch_json(const struct prof_patch_result *p, const struct patch_summary *m)
{
    struct prof_params meta;
    prof_params_init(&meta);
    json_t *doc = aot_json_doc(PROF_TOOL, "vmi-prof.patch/1");
    int bad = aot_json_set(doc, "cpu", aot_json_string(meta.cpu_model));
    bad |= aot_json_set(doc, "date", aot_json_string(meta.date));
    bad |= aot_json_set(doc, "sites", json_integer(p->sites));
    bad |= aot_json_set(doc, "repetitions", json_integer(p->reps));
    const struct { const char *key; double v; } times[] = {
        { "read_ns", m->read }, { "plan_ns", m->plan }, { "apply_ns", m->apply },
        { "verify_ns", m->verify }, { "revert_ns", m->revert },
        { "plan_apply_verify_sites_per_s", m->rate }, { "load_sites_per_s", m->rate_load },
        { "revert_sites_per_s", m->rate_rev },
    };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        bad |= aot_json_set(doc, times[i].key, json_whole(times[i].v));
    bad |= aot_json_set(doc, "bytes", json_integer(p->bytes));
    bad |= aot_json_set(doc, "copy_sites_ns", json_whole(m->csites));
    bad |= aot_json_set(doc, "copy_text_ns", json_whole(m->ctext));
    bad |= aot_json_set(doc, "copy_sites_per_s", json_whole(m->rate_csites));
    bad |= aot_json_set(doc, "target_sites_per_s", json_whole(PATCH_TARGET));
    bad |= aot_json_set(doc, "target_met", aot_json_bool(m->rate >= PATCH_TARGET));
    const struct { const char *key; unsigned n; } decided[] = {
        { "inline", p->inline_sites }, { "call", p->call_sites }, { "native", p->native_sites },
        { "nop", p->nop_sites }, { "jump", p->jump_sites },
    };
    for (size_t i = 0; i < sizeof decided / sizeof decided[0]; i++)
        bad |= aot_json_set(doc, decided[i].key, json_integer(decided[i].n));
    if (bad)
        json_decref(doc);
    return bad ? NULL : doc;
}

static void patch_print(const struct prof_patch_result *p, const struct patch_summary *m)
{
    printf("patching %u synthetic sites (every call in turn; the pv ROM, policy auto), median of "
           "%u:\n", p->sites, p->reps);
    printf("  decisions: inline %u, call %u, jump %u, nop %u, native %u\n", p->inline_sites,
           p->call_sites, p->jump_sites, p->nop_sites, p->native_sites);
    printf("  read %.2f ms, plan %.2f ms, apply %.2f ms, verify %.2f ms; revert %.2f ms\n",
           m->read / 1e6, m->plan / 1e6, m->apply / 1e6, m->verify / 1e6, m->revert / 1e6);
    printf("  plan + apply + verify: %.1f million sites/s (%.1f ns a site)\n", m->rate / 1e6,
           m->pav / p->sites);
    printf("  load time (read + plan + apply + verify): %.2f ms, %.1f million sites/s\n",
           m->load / 1e6, m->rate_load / 1e6);
    printf("  revert: %.1f million sites/s\n", m->rate_rev / 1e6);
    printf("  reference, the same %u bytes: copying them site by site %.2f ms, %.1f million "
           "sites/s (plan + apply + verify takes %.1fx as long); one memcpy of the text %.3f ms "
           "(%.1f GB/s)\n", p->bytes, m->csites / 1e6, m->rate_csites / 1e6,
           m->csites > 0 ? m->pav / m->csites : 0, m->ctext / 1e6,
           m->ctext > 0 ? p->bytes / m->ctext : 0);
    printf("  target: plan + apply + verify >= %.0f million sites/s -> %s (median of %u; "
           "reported, not asserted)\n", PATCH_TARGET / 1e6,
           m->rate >= PATCH_TARGET ? "MET" : "MISSED", p->reps);
}

/* The JSON into jf (opened before measuring), whole or not at all.  0, or 1 after one line on
 * stderr. */
static int patch_write_json(struct aot_outfile *jf, const char *name,
                            const struct prof_patch_result *p, const struct patch_summary *m)
{
    struct aot_err err;
    json_t *doc = patch_json(p, m);
    if (!doc) {
        fprintf(stderr, "vmi-prof: %s: out of memory\n", name);
        aot_outfile_abort(jf);
        return 1;
    }
    int wrote = aot_json_write(jf->f, doc, AOT_JSON_PRETTY);
    if (wrote != 0 && jf->path) {           /* a write error into the file: no file */
        aot_outfile_abort(jf);
    } else if (aot_outfile_commit(jf, aot_outfile_mode(), &err) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", err.msg);
        return 1;
    }
    if (wrote != 0) {
        fprintf(stderr, "vmi-prof: %s: write error\n", name);
        return 1;
    }
    return 0;
}

/* --patch-bench: runs it, then the JSON into jf (opened before, as name) or the text on stdout. */
static int patch_bench(struct prof_run_opts *o, unsigned sites, struct aot_outfile *jf,
                       const char *name)
{
    struct prof_patch_result *p = malloc(sizeof *p);
    struct aot_err err;
    if (o->progress) {
        char msg[128];
        snprintf(msg, sizeof msg, "patch-bench: %u sites, %u repetitions", sites, o->k);
        o->progress(o->progress_ctx, msg);
    }
    if (!p || prof_run_patch_bench(o, sites, p, &err) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", p ? err.msg : "out of memory");
        aot_outfile_abort(jf);
        free(p);
        return 1;
    }
    struct patch_summary m;
    patch_summarize(p, &m);
    int rc = 0;
    if (jf->f)
        rc = patch_write_json(jf, name, p, &m);
    else
        patch_print(p, &m);
    free(p);
    return rc;
}

/* Everything the command line chose. */
struct cli {
    struct prof_run_opts o;
    enum prof_guest_clock guest_clock;
    int have_clock;
    const char *json, *csv, *charts[4], *guest;
    struct prof_site_opts so;
    int have_top, have_policy;
    unsigned ncharts;
    int want_json, want_csv, callgrind, patch;
    unsigned patch_sites;
    int have_patch_sites;       /* --patch-bench=SITES or --patch-bench SITES */
    int want_linux;
    struct prof_linux_opts lo;
    const char *measure;        /* --measure LABEL; the command follows "--" */
    char **command;
};

enum {
    OPT_N = 1, OPT_K, OPT_RUNS, OPT_TRAP_N, OPT_CPU, OPT_ONLY, OPT_ENGINE, OPT_ROM,
    OPT_VALGRIND, OPT_CALLGRIND, OPT_QUIET, OPT_VERBOSE, OPT_JSON, OPT_CSV, OPT_CHART,
    OPT_GUEST_CLOCK, OPT_GUEST, OPT_SITES, OPT_IMAGE, OPT_LINUX, OPT_LINUX_DIR, OPT_PHASE, OPT_TOP,
    OPT_POLICY, OPT_PATCH, OPT_MEASURE,
};

static const struct opts_option prof_opts[] = {
    OPTS_HEADING("measuring (the default mode):"),
    { "n", 0, OPTS_ARG, "N", "iterations (100000)", OPT_N },
    { "k", 0, OPTS_ARG, "K", "repetitions (15)", OPT_K },
    { "trap-n", 0, OPTS_ARG, "N", "iterations of the trapped strategy (N/50)", OPT_TRAP_N },
    { "runs", 0, OPTS_ARG, "R", "R engine processes of K repetitions each, pooled (1)",
      OPT_RUNS },
    { "only", 0, OPTS_ARG, "TEXT", "the workloads whose name contains TEXT", OPT_ONLY },
    { "cpu", 0, OPTS_ARG, "C", "pin the engine to CPU C", OPT_CPU },
    { "callgrind", 0, OPTS_NO_ARG, NULL, "also count instructions under callgrind",
      OPT_CALLGRIND },
    { "engine", 0, OPTS_ARG, "PATH", "the engine (beside vmi-prof by default)", OPT_ENGINE },
    { "rom", 0, OPTS_ARG, "ROM", "the ROM (with --sites: the one --policy plans against)",
      OPT_ROM },
    { "valgrind", 0, OPTS_ARG, "PATH", "valgrind (/usr/bin/valgrind)", OPT_VALGRIND },
    { NULL, 'v', OPTS_NO_ARG, NULL, "the engine's own lines too", OPT_VERBOSE },
    { "quiet", 0, OPTS_NO_ARG, NULL, "no progress lines on stderr", OPT_QUIET },
    { "patch-bench", 0, OPTS_OPTIONAL_ARG, "SITES",
      "plan + apply + verify + revert SITES synthetic sites (100000)", OPT_PATCH },
    { "measure", 0, OPTS_ARG, "LABEL", "wall time and peak memory of the command after '--'",
      OPT_MEASURE },
    OPTS_HEADING("guest:"),
    { "guest", 0, OPTS_ARG, "LOG", "read the guest kernel's serial report instead of measuring",
      OPT_GUEST },
    { "guest-clock", 0, OPTS_ARG, "icount|host",
      "what the log's TSC counted, when the log does not say", OPT_GUEST_CLOCK },
    OPTS_HEADING("sites:"),
    { "sites", 0, OPTS_ARG, "PROFILE", "the hottest sites of a profile (or of a log's profile "
      "block)", OPT_SITES },
    { "image", 0, OPTS_ARG, "ELF", "the image the profile was taken of", OPT_IMAGE },
    { "policy", 0, OPTS_ARG, "P", "plan against --rom with P: auto, call-only, native-only,\n"
      "inline-only", OPT_POLICY },
    { "top", 0, OPTS_ARG, "N", "the N hottest (10; 0: all)", OPT_TOP },
    { "phase", 0, OPTS_ARG, "NAME", "a Linux workload log: that phase's profile", OPT_PHASE },
    OPTS_HEADING("linux:"),
    { "linux", 0, OPTS_NO_ARG, NULL, "the Linux workload in five configurations, exact\n"
      "instructions (QEMU -icount shift=0)", OPT_LINUX },
    { "linux-dir", 0, OPTS_ARG, "DIR", "the Linux fixtures (or LINUX_VMI_DIR)", OPT_LINUX_DIR },
    OPTS_HEADING("output (the table and the targets on stdout, unless JSON or CSV go there):"),
    { "json", 0, OPTS_OPTIONAL_ARG, "FILE", "the results as JSON (stdout without FILE)",
      OPT_JSON },
    { "csv", 0, OPTS_OPTIONAL_ARG, "FILE", "the results as CSV (stdout without FILE)", OPT_CSV },
    { "chart", 0, OPTS_ARG, "FILE", "a chart, FILE.svg or FILE.png (up to four)", OPT_CHART },
    OPTS_HEADING("other:"),
    { 0 },
};

static const struct opts_command prof_cmd = {
    .prog = "vmi-prof",
    .synopsis =
        "[OPTIONS]                  measure every workload and strategy\n"
        "vmi-prof --guest LOG [OUTPUT...]    the guest kernel's serial report\n"
        "vmi-prof --patch-bench [SITES]      plan + apply + verify + revert SITES sites\n"
        "vmi-prof --measure LABEL -- CMD...  wall time and peak memory of a command\n"
        "vmi-prof --sites PROFILE --image ELF [--rom ROM [--policy P]] [--top N] [--json]\n"
        "         [--phase NAME] [--chart F.svg|F.png]   (a Linux workload log: that phase)\n"
        "                                    the hottest sites of a profile (or of a log's\n"
        "                                    profile block): count, share, decision,\n"
        "                                    function, file:line\n"
        "vmi-prof --linux [--rom ROM] [--json=F] [--chart F.svg|F.png] [--linux-dir DIR] "
        "[--quiet]\n"
        "                                    the Linux workload in five configurations,\n"
        "                                    exact instructions (QEMU -icount shift=0)",
    .description = "What an inlined VMI call costs against a called one, an indirect one, a "
                   "trapped one and the hand-written limit, per call and per kernel-like path "
                   "(docs/profiling.md).  An option's value comes as --opt VALUE or --opt=VALUE; "
                   "'--' ends the options (--measure's command follows it); each output FILE is "
                   "created (as a temporary file beside it) before anything is measured.",
    .operands = "SITES",
    .min_operands = 0,
    .max_operands = 1,                  /* --patch-bench SITES */
    .options = prof_opts,
};

/* "--NAME" (or "-C") of an option's id, for the messages. */
static const char *opt_name(int code)
{
    static char buf[48];
    for (const struct opts_option *o = prof_opts; o->id; o++)
        if (o->id == code) {
            if (o->name)
                snprintf(buf, sizeof buf, "--%s", o->name);
            else
                snprintf(buf, sizeof buf, "-%c", o->short_name);
            return buf;
        }
    return "?";
}

/* Options of the engine's run.  1 when opt was one, else 0. */
static int parse_run_opt(struct cli *c, int opt, const char *arg)
{
    struct prof_run_opts *o = &c->o;
    const char *a = opt_name(opt);
    switch (opt) {
    case OPT_QUIET: o->progress = NULL; break;
    case OPT_N: o->n = num(a, arg, 1, 100000000); break;
    case OPT_K: o->k = num(a, arg, 1, PROF_MAX_REPS - 1); break;
    case OPT_RUNS: o->runs = num(a, arg, 1, 32); break;
    case OPT_TRAP_N: o->trap_n = num(a, arg, 1, 100000000); break;
    case OPT_CPU: o->cpu = (int)num(a, arg, 0, 1023); break;
    case OPT_ONLY:
        if (!*arg || strchr(arg, ' '))
            bad_usage("%s needs a workload name", a);
        o->only = arg;
        break;
    case OPT_ENGINE: o->engine = arg; break;
    case OPT_ROM: o->rom = arg; break;
    case OPT_VALGRIND: o->valgrind = arg; break;
    case OPT_CALLGRIND: c->callgrind = 1; break;
    case OPT_VERBOSE: o->verbose = 1; break;
    default: return 0;
    }
    return 1;
}

/* --json, --csv, --chart.  1 when opt was one, else 0. */
static int parse_output_opt(struct cli *c, int opt, const char *arg)
{
    size_t l = arg ? strlen(arg) : 0;
    switch (opt) {
    case OPT_JSON:
    case OPT_CSV:
        if (arg && !*arg)
            bad_usage("%s= needs a FILE (or no '=': standard output)", opt_name(opt));
        if (opt == OPT_JSON)
            c->want_json = !arg, c->json = arg ? arg : "-";
        else
            c->want_csv = !arg, c->csv = arg ? arg : "-";
        break;
    case OPT_CHART:
        if (l < 5 || (strcmp(arg + l - 4, ".svg") && strcmp(arg + l - 4, ".png")))
            bad_usage("--chart %s: the name must end in .svg or .png", arg);
        if (c->ncharts == 4)
            bad_usage("%s: at most four charts", "--chart");
        c->charts[c->ncharts++] = arg;
        break;
    default:
        return 0;
    }
    return 1;
}

static int parse_policy(const char *p)
{
    for (unsigned k = 0; k < VMI_POLICY_COUNT; k++)
        if (strcmp(p, vmi_policy_name(k)) == 0)
            return (int)k;
    bad_usage("%s needs auto, call-only, native-only or inline-only", "--policy");
    return -1;
}

/* The other modes' options: --guest, --sites, --linux, --patch-bench and theirs. */
static int parse_mode_opt(struct cli *c, int opt, const char *arg)
{
    switch (opt) {
    case OPT_GUEST_CLOCK:
        if (prof_guest_clock_parse(arg, &c->guest_clock) != 0)
            bad_usage("%s needs icount or host", "--guest-clock");
        c->have_clock = 1;
        break;
    case OPT_GUEST: c->guest = arg; break;
    case OPT_SITES: c->so.profile = arg; break;
    case OPT_IMAGE: c->so.image = arg; break;
    case OPT_LINUX: c->want_linux = 1; break;
    case OPT_LINUX_DIR: c->lo.linux_dir = arg; break;
    case OPT_PHASE: c->so.phase = arg; break;
    case OPT_TOP:
        c->so.top = num("--top", arg, 0, 100000000);
        c->have_top = 1;
        break;
    case OPT_POLICY:
        c->so.policy = parse_policy(arg);
        c->have_policy = 1;
        break;
    case OPT_PATCH:
        c->patch = 1;
        if (arg)
            c->patch_sites = num("--patch-bench", arg, 1, 1000000), c->have_patch_sites = 1;
        break;
    case OPT_MEASURE: c->measure = arg; break;
    default: return 0;
    }
    return 1;
}

/* --measure LABEL -- CMD ARGS...: wall time and peak memory of one command. */
static int run_measure(const char *label, char **command)
{
    if (!command || !command[0])
        bad_usage("%s needs LABEL -- COMMAND [ARGS...]", "--measure");
    double wall;
    long rss;
    int status;
    struct aot_err err;
    if (prof_measure(command, &wall, &rss, &status, &err) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", err.msg);
        return 1;
    }
    printf("%s: %.3f s wall, peak resident %.1f MiB, exit status %d\n", label, wall,
           rss / 1024.0, status);
    return status == 0 ? 0 : 1;
}

/* What no single option can say: the combinations.  Exits 2 on a bad one. */
static void check_combinations(const struct cli *c)
{
    if (c->want_json && c->want_csv)
        bad_usage("%s", "--json and --csv both want stdout: give one a FILE (--csv=FILE)");
    if (c->guest && (c->callgrind || c->patch))
        bad_usage("%s", "--guest reads a log: it measures nothing (no --callgrind, --patch-bench)");
    if (c->lo.linux_dir && !c->want_linux)
        bad_usage("%s", "--linux-dir goes with --linux");
    if (c->so.phase && !c->so.profile)
        bad_usage("%s", "--phase goes with --sites LOG");
}

/* Returns -1 when the command line was parsed, else the exit status (--help, --version,
 * --measure); a bad argument exits 2.  Options end at "--" (what follows is --measure's
 * command); the one operand allowed is --patch-bench's SITES. */
static int parse_args(struct cli *c, int argc, char **argv)
{
    int end = 1;
    while (end < argc && strcmp(argv[end], "--") != 0)
        end++;
    if (end < argc)
        c->command = &argv[end + 1];
    struct opts_parser p;
    struct aot_err err;
    int opt;
    opts_begin(&p, &prof_cmd, end, argv);
    while ((opt = opts_next(&p, &err)) > 0)
        if (!parse_run_opt(c, opt, p.arg) && !parse_output_opt(c, opt, p.arg))
            parse_mode_opt(c, opt, p.arg);
    if (opt != OPTS_END)
        return opts_finish(&prof_cmd, opt, &err, stdout, stderr);
    if (c->measure)
        return run_measure(c->measure, c->command);
    if (c->command)
        bad_usage("%s", "'--' goes with --measure LABEL -- COMMAND");
    if (p.noperands && (!c->patch || c->have_patch_sites))
        bad_usage("unknown argument '%s'", p.operands[0]);
    if (p.noperands)
        c->patch_sites = num("--patch-bench", p.operands[0], 1, 1000000);
    check_combinations(c);
    return -1;
}

/* The helper, loader, ROM, workload and log directory of --linux: next to vmi-prof in the build
 * tree (BUILD/bin), or where `make install` puts them (bindir, pkglibexecdir, pkgdatadir: the
 * VMI_BIN_TO_* relative paths, mk/install.mk). */
static void linux_files(struct prof_linux_opts *lo, const char *rom_opt)
{
    static char base[4096], helper[4200], loader[4200], rom[4200], wl[4200], logs[4200];
    ssize_t l = readlink("/proc/self/exe", base, sizeof base - 1);
    if (l <= 0)
        bad_usage("%s", "--linux: cannot find where vmi-prof is (/proc/self/exe)");
    base[l] = 0;
    char *bin = dirname(base);
    snprintf(helper, sizeof helper, "%s/../libexec/vmi-prof-linux", bin);
    int built = access(helper, R_OK) == 0;
    if (!built)
        snprintf(helper, sizeof helper, "%s/%s/vmi-prof-linux", bin, VMI_BIN_TO_PKGLIBEXEC);
    const char *data = VMI_BIN_TO_PKGDATA;
    snprintf(loader, sizeof loader, "%s/%s/vmi-loader.elf", bin, built ? "../loader" : data);
    snprintf(rom, sizeof rom, "%s/%s/vmi-native.rom", bin, built ? "../rom" : data);
    snprintf(wl, sizeof wl, "%s/%s/vmi-workload.cpio", bin, built ? "../linprof" : data);
    if (built)
        snprintf(logs, sizeof logs, "%s/../linprof/logs", bin);
    else
        snprintf(logs, sizeof logs, "vmi-prof-linux-logs");   /* installed: in the cwd */
    lo->helper = helper;
    lo->loader = loader;
    lo->rom = rom_opt ? rom_opt : rom;
    lo->workload = wl;
    lo->log_dir = logs;
}

/* --linux: the fixture kernels booted through the loader with each plan (prof_linux.c). */
static int run_linux(struct cli *c)
{
    struct prof_linux_opts *lo = &c->lo;
    if (c->guest || c->callgrind || c->patch || c->csv || c->ncharts > 1 ||
        (c->json && c->want_json) || c->o.only)
        bad_usage("%s", "--linux: only --rom, --json=FILE, one --chart, --linux-dir and "
                        "--quiet go with it");
    linux_files(lo, c->o.rom);
    lo->json = c->json;
    lo->chart = c->ncharts ? c->charts[0] : NULL;
    lo->quiet = c->o.progress == NULL;
    if (!lo->linux_dir)
        lo->linux_dir = getenv("LINUX_VMI_DIR");
    if (!lo->linux_dir)
        bad_usage("%s", "--linux needs the Linux fixtures: --linux-dir DIR or LINUX_VMI_DIR");
    mkdir(lo->log_dir, 0755);
    int rc = prof_linux_run(lo);
    if (lo->chart)
        prof_chart_cleanup();
    return rc;
}

/* --sites PROFILE --image ELF: the executed sites, attributed (prof_sites.c). */
static int run_sites(struct cli *c)
{
    struct prof_site_opts *so = &c->so;
    if (!so->profile || !so->image)
        bad_usage("%s", so->profile ? "--sites needs --image ELF (the image the profile was taken of)"
                                    : "--image goes with --sites PROFILE");
    if (c->guest || c->callgrind || c->patch || c->csv || c->ncharts > 1 ||
        (c->json && !c->want_json) || c->o.only)
        bad_usage("%s", "--sites reads a profile: only --image, --rom, --policy, --top, "
                        "--phase, one --chart and --json (to stdout) go with it");
    so->chart = c->ncharts ? c->charts[0] : NULL;
    if (c->have_policy && !c->o.rom)
        bad_usage("%s", "--policy plans against a ROM: give --rom ROM");
    so->rom = c->o.rom;
    so->json = c->want_json;
    int rc = prof_sites_run(so, stdout);
    if (so->chart)
        prof_chart_cleanup();
    return rc;
}

/* The measurements: the engine's run (and callgrind's), or the guest's log, into res.  0, or 1
 * after one line on stderr (the outputs aborted). */
static int measure(struct cli *c, struct outputs *outs, struct prof_result *res)
{
    struct aot_err err;
    const struct prof_run_opts *o = &c->o;
    if (c->guest) {
        res->params.guest_log = c->guest;
        if (prof_read_guest(c->guest, c->guest_clock, res, &err) < 0)
            goto fail;
        return 0;
    }
    res->params.n = o->n;
    res->params.k = o->k;
    res->params.runs = o->runs;
    res->params.trap_n = o->trap_n ? o->trap_n : (o->n / 50 ? o->n / 50 : 1);
    res->params.cpu = o->cpu;
    res->params.only = o->only;
    res->params.callgrind = c->callgrind;
    if (prof_run_engine(o, res, &err) != 0)
        goto fail;
    if (c->callgrind && prof_run_callgrind(o, res, &err) != 0) {
        fprintf(stderr, "vmi-prof: --callgrind: %s\n", err.msg);
        outputs_abort(outs);
        return 1;
    }
    return 0;
fail:
    fprintf(stderr, "vmi-prof: %s\n", err.msg);
    outputs_abort(outs);
    return 1;
}

/* The table (unless JSON or CSV go to stdout), then each output file. */
static int write_outputs(struct cli *c, struct outputs *outs, struct prof_result *res)
{
    int rc = 0;
    if (!c->want_json && !c->want_csv) {
        prof_print_table(res, stdout);
        printf("\n");
        prof_print_targets(res, stdout);
        if (!c->guest) {
            printf("\n");
            prof_print_specialization(res, stdout);
        }
    }
    if (c->json && write_out(&outs->json, c->json, res, prof_print_json) != 0)
        rc = 1;
    if (c->csv && write_out(&outs->csv, c->csv, res, prof_print_csv) != 0)
        rc = 1;
    for (unsigned i = 0; i < c->ncharts; i++)
        if (write_chart(&outs->charts[i], c->charts[i], res) != 0)
            rc = 1;
    if (c->ncharts)
        prof_chart_cleanup();
    return rc;
}

/* The phases: options; then --linux, --sites, or the measurements (the engine's, or a guest's
 * log) with their outputs opened first, so a path that cannot be written fails at once. */
int main(int argc, char **argv)
{
    static struct cli c = {
        .o = { NULL, NULL, "/usr/bin/valgrind", NULL, 100000, 15, 0, 1, -1, 0,
               progress_to_stderr, NULL },
        .guest_clock = PROF_CLOCK_UNSAID,
        .so = { NULL, NULL, NULL, NULL, NULL, VMI_POLICY_AUTO, 10, 0 },
        .patch_sites = 100000,
    };
    int rc = parse_args(&c, argc, argv);
    if (rc >= 0)
        return rc;
    if (c.want_linux)
        return run_linux(&c);
    if (c.so.profile || c.so.image)
        return run_sites(&c);
    if (c.have_top || c.have_policy)
        bad_usage("%s", "--top and --policy go with --sites PROFILE");
    if (c.have_clock && !c.guest)
        bad_usage("%s", "--guest-clock goes with --guest LOG");
    if (c.o.runs * c.o.k > PROF_MAX_REPS - 1)
        bad_usage("%s", "--runs x --k must stay under 256 repetitions");
    if (c.patch && (c.csv || c.ncharts))
        bad_usage("%s", "--patch-bench writes only --json");

    struct prof_result res = { 0 };
    prof_params_init(&res.params);
    struct outputs outs;
    if (outputs_open(&outs, c.json, c.csv, c.charts, c.ncharts) != 0)
        return 1;
    if (!c.guest) {
        struct aot_err err;
        if (prof_find_files(&c.o, &err) != 0) {
            fprintf(stderr, "vmi-prof: %s\n", err.msg);
            outputs_abort(&outs);
            return 1;
        }
        if (c.patch)
            return patch_bench(&c.o, c.patch_sites, &outs.json, c.json);
    }
    rc = measure(&c, &outs, &res);
    if (rc == 0)
        rc = write_outputs(&c, &outs, &res);
    prof_result_free(&res);
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
