/* vmi-prof: what an inlined VMI call costs against a called one, an indirect one, a trapped one
 * and the hand-written limit, per call and per kernel-like path.  docs/profiling.md. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prof_outfile.h"
#include "prof_run.h"
#include "prof_sites.h"
#include "prof_linux.h"
#include <libgen.h>
#include <sys/stat.h>
#include "prof_version.h"
#include "vmi_inliner.h"

static const char usage[] =
    "usage: vmi-prof [OPTIONS]                  measure every workload and strategy\n"
    "       vmi-prof --guest LOG [OUTPUT...]    the guest kernel's serial report\n"
    "       vmi-prof --patch-bench [SITES]      plan + apply + verify + revert SITES sites\n"
    "       vmi-prof --measure LABEL -- CMD...  wall time and peak memory of a command\n"
    "       vmi-prof --sites PROFILE --image ELF [--rom ROM [--policy P]] [--top N] [--json]\n"
    "                [--phase NAME] [--chart F.svg|F.png]   (a Linux workload log: that phase)\n"
    "       vmi-prof --linux [--rom ROM] [--json=F] [--chart F.svg|F.png] [--linux-dir DIR] [--quiet]\n"
    "                                           the Linux workload in four configurations,\n"
    "                                           exact instructions (QEMU -icount shift=0)\n"
    "                                           the hottest sites of a profile (or of a log's\n"
    "                                           profile block): count, share, decision,\n"
    "                                           function, file:line\n"
    "measuring: --n N (iterations, 100000) --k K (repetitions, 15) --trap-n N (N/50)\n"
    "           --runs R (R engine processes of K repetitions each, pooled; 1)\n"
    "           --only TEXT (workloads whose name contains it) --cpu C --callgrind\n"
    "           --engine PATH --rom PATH --valgrind PATH -v\n"
    "           --quiet (no progress lines on stderr)\n"
    "guest:     --guest-clock icount|host  what the log's TSC counted, when the log does not say\n"
    "output:    the table and the targets; --json[=FILE] --csv[=FILE] (stdout without FILE,\n"
    "           instead of the table) --chart FILE.svg|FILE.png (up to four); each FILE is\n"
    "           created (as a temporary file beside it) before anything is measured\n"
    "           --version\n";

static void bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "vmi-prof: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (vmi-prof --help)\n");
    exit(2);
}

static unsigned num(const char *opt, const char *s, unsigned lo, unsigned hi)
{
    char *end;
    errno = 0;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || errno || *end || end == s || v < lo || v > hi) {
        fprintf(stderr, "vmi-prof: %s needs a number from %u to %u (vmi-prof --help)\n", opt, lo,
                hi);
        exit(2);
    }
    return (unsigned)v;
}

/* --json, --csv and the charts: opened before measuring, committed at the end. */
struct outputs {
    struct prof_outfile json, csv, charts[4];
    unsigned ncharts;
};

static void outputs_abort(struct outputs *o)
{
    prof_outfile_abort(&o->json);
    prof_outfile_abort(&o->csv);
    for (unsigned i = 0; i < o->ncharts; i++)
        prof_outfile_abort(&o->charts[i]);
}

/* Creates every output's temporary file; on the first that cannot be, one line and -1. */
static int outputs_open(struct outputs *o, const char *json, const char *csv,
                        const char *const *charts, unsigned ncharts)
{
    char why[4200];
    memset(o, 0, sizeof *o);
    if ((json && prof_outfile_open(&o->json, json, why, sizeof why) != 0) ||
        (csv && prof_outfile_open(&o->csv, csv, why, sizeof why) != 0)) {
        fprintf(stderr, "vmi-prof: %s\n", why);
        outputs_abort(o);
        return -1;
    }
    for (; o->ncharts < ncharts; o->ncharts++)
        if (prof_outfile_open(&o->charts[o->ncharts], charts[o->ncharts], why, sizeof why) != 0) {
            fprintf(stderr, "vmi-prof: %s\n", why);
            outputs_abort(o);
            return -1;
        }
    return 0;
}

/* Writes with f into an opened output and renames it into place.  0 or -1 (one line). */
static int write_out(struct prof_outfile *of, const struct prof_result *r,
                     void (*f)(const struct prof_result *, FILE *))
{
    char why[4200];
    FILE *s = prof_outfile_stream(of);
    if (!s) {
        fprintf(stderr, "vmi-prof: %s: out of memory\n", of->path);
        prof_outfile_abort(of);
        return -1;
    }
    f(r, s);
    if (prof_outfile_commit(of, s, why, sizeof why) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", why);
        return -1;
    }
    return 0;
}

static int write_chart(struct prof_outfile *of, const struct prof_result *r)
{
    char why[4200];
    prof_outfile_close_fd(of);
    if (prof_draw_chart(r, of->path, of->tmp, why, sizeof why) != 0 ||
        prof_outfile_commit(of, NULL, why, sizeof why) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", why);
        prof_outfile_abort(of);
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

/* Tracker issue 13: plan + apply + verify of the synthetic sites, per second. */
#define PATCH_TARGET 20e6

static int patch_bench(struct prof_run_opts *o, unsigned sites, struct prof_outfile *jf)
{
    const char *json = jf->path;
    struct prof_patch_result *p = malloc(sizeof *p);
    char why[512];
    if (o->progress) {
        char msg[128];
        snprintf(msg, sizeof msg, "patch-bench: %u sites, %u repetitions", sites, o->k);
        o->progress(o->progress_ctx, msg);
    }
    if (!p || prof_run_patch_bench(o, sites, p, why, sizeof why) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", p ? why : "out of memory");
        prof_outfile_abort(jf);
        free(p);
        return 1;
    }
    double load[PROF_MAX_REPS], papply[PROF_MAX_REPS];
    for (unsigned r = 0; r < p->reps; r++) {
        load[r] = p->read_ns[r] + p->plan_ns[r] + p->apply_ns[r] + p->verify_ns[r];
        papply[r] = p->plan_ns[r] + p->apply_ns[r] + p->verify_ns[r];
    }
    double m_read = med(p->read_ns, p->reps), m_plan = med(p->plan_ns, p->reps);
    double m_apply = med(p->apply_ns, p->reps), m_verify = med(p->verify_ns, p->reps);
    double m_revert = med(p->revert_ns, p->reps), m_load = med(load, p->reps);
    double m_pav = med(papply, p->reps);
    double m_csites = med(p->copy_sites_ns, p->reps), m_ctext = med(p->copy_text_ns, p->reps);
    double rate_csites = m_csites > 0 ? p->sites / (m_csites / 1e9) : 0;
    double rate = p->sites / (m_pav / 1e9), rate_load = p->sites / (m_load / 1e9);
    double rate_rev = p->sites / (m_revert / 1e9);
    if (json) {
        char ewhy[4200];
        FILE *out = prof_outfile_stream(jf);
        if (!out) {
            fprintf(stderr, "vmi-prof: %s: out of memory\n", json);
            prof_outfile_abort(jf);
            free(p);
            return 1;
        }
        struct prof_params meta;
        prof_params_init(&meta);
        /* names hold no quote or backslash: /proc/cpuinfo's model name, a fixed date format */
        fprintf(out, "{\"tool\": \"%s\", \"version\": \"%s\", \"schema\": \"vmi-prof.patch/1\", "
                     "\"cpu\": \"%s\", \"date\": \"%s\", ", PROF_TOOL, VMI_VERSION,
                meta.cpu_model, meta.date);
        fprintf(out, "\"sites\": %u, \"repetitions\": %u, \"read_ns\": %.0f, \"plan_ns\": %.0f, "
                     "\"apply_ns\": %.0f, \"verify_ns\": %.0f, \"revert_ns\": %.0f, "
                     "\"plan_apply_verify_sites_per_s\": %.0f, \"load_sites_per_s\": %.0f, "
                     "\"revert_sites_per_s\": %.0f, \"bytes\": %u, \"copy_sites_ns\": %.0f, "
                     "\"copy_text_ns\": %.0f, \"copy_sites_per_s\": %.0f, "
                     "\"target_sites_per_s\": %.0f, \"target_met\": %s, "
                     "\"inline\": %u, \"call\": %u, "
                     "\"native\": %u, \"nop\": %u, \"jump\": %u}\n",
                p->sites, p->reps, m_read, m_plan, m_apply, m_verify, m_revert, rate, rate_load,
                rate_rev, p->bytes, m_csites, m_ctext, rate_csites, PATCH_TARGET,
                rate >= PATCH_TARGET ? "true" : "false", p->inline_sites, p->call_sites, p->native_sites, p->nop_sites,
                p->jump_sites);
        free(p);
        if (prof_outfile_commit(jf, out, ewhy, sizeof ewhy) != 0) {
            fprintf(stderr, "vmi-prof: %s\n", ewhy);
            return 1;
        }
        return 0;
    }
    printf("patching %u synthetic sites (every call in turn; the pv ROM, policy auto), median of "
           "%u:\n", p->sites, p->reps);
    printf("  decisions: inline %u, call %u, jump %u, nop %u, native %u\n", p->inline_sites,
           p->call_sites, p->jump_sites, p->nop_sites, p->native_sites);
    printf("  read %.2f ms, plan %.2f ms, apply %.2f ms, verify %.2f ms; revert %.2f ms\n",
           m_read / 1e6, m_plan / 1e6, m_apply / 1e6, m_verify / 1e6, m_revert / 1e6);
    printf("  plan + apply + verify: %.1f million sites/s (%.1f ns a site)\n", rate / 1e6,
           m_pav / p->sites);
    printf("  load time (read + plan + apply + verify): %.2f ms, %.1f million sites/s\n",
           m_load / 1e6, rate_load / 1e6);
    printf("  revert: %.1f million sites/s\n", rate_rev / 1e6);
    printf("  reference, the same %u bytes: copying them site by site %.2f ms, %.1f million "
           "sites/s (plan + apply + verify takes %.1fx as long); one memcpy of the text %.3f ms "
           "(%.1f GB/s)\n", p->bytes, m_csites / 1e6, rate_csites / 1e6,
           m_csites > 0 ? m_pav / m_csites : 0, m_ctext / 1e6, m_ctext > 0 ? p->bytes / m_ctext : 0);
    printf("  target: plan + apply + verify >= %.0f million sites/s -> %s (median of %u; "
           "reported, not asserted)\n", PATCH_TARGET / 1e6, rate >= PATCH_TARGET ? "MET" : "MISSED",
           p->reps);
    free(p);
    return 0;
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
    int want_linux;
    struct prof_linux_opts lo;
};

/* Options of the engine's run.  1 when argv[*i] was one (*i moved past its value), else 0. */
static int parse_run_opt(struct cli *c, char **argv, int *i)
{
    const char *a = argv[*i];
    struct prof_run_opts *o = &c->o;
    if (strcmp(a, "--quiet") == 0)
        o->progress = NULL;
    else if (strcmp(a, "--n") == 0)
        o->n = num(a, argv[++*i], 1, 100000000);
    else if (strcmp(a, "--k") == 0)
        o->k = num(a, argv[++*i], 1, PROF_MAX_REPS - 1);
    else if (strcmp(a, "--runs") == 0)
        o->runs = num(a, argv[++*i], 1, 32);
    else if (strcmp(a, "--trap-n") == 0)
        o->trap_n = num(a, argv[++*i], 1, 100000000);
    else if (strcmp(a, "--cpu") == 0)
        o->cpu = (int)num(a, argv[++*i], 0, 1023);
    else if (strcmp(a, "--only") == 0) {
        if (!(o->only = argv[++*i]) || strchr(o->only, ' '))
            bad_usage("%s needs a workload name", a);
    } else if (strcmp(a, "--engine") == 0) {
        if (!(o->engine = argv[++*i]))
            bad_usage("%s needs a path", a);
    } else if (strcmp(a, "--rom") == 0) {
        if (!(o->rom = argv[++*i]))
            bad_usage("%s needs a path", a);
    } else if (strcmp(a, "--valgrind") == 0) {
        if (!(o->valgrind = argv[++*i]))
            bad_usage("%s needs a path", a);
    } else if (strcmp(a, "--callgrind") == 0)
        c->callgrind = 1;
    else if (strcmp(a, "-v") == 0)
        o->verbose = 1;
    else
        return 0;
    return 1;
}

/* --json, --csv, --chart. */
static int parse_output_opt(struct cli *c, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--json") == 0)
        c->want_json = 1, c->json = "-";
    else if (strncmp(a, "--json=", 7) == 0 && a[7])
        c->json = a + 7;
    else if (strcmp(a, "--csv") == 0)
        c->want_csv = 1, c->csv = "-";
    else if (strncmp(a, "--csv=", 6) == 0 && a[6])
        c->csv = a + 6;
    else if (strcmp(a, "--chart") == 0) {
        const char *chart = argv[++*i];
        if (!chart)
            bad_usage("%s needs a file name ending in .svg or .png", a);
        size_t l = strlen(chart);
        if (l < 5 || (strcmp(chart + l - 4, ".svg") && strcmp(chart + l - 4, ".png")))
            bad_usage("--chart %s: the name must end in .svg or .png", chart);
        if (c->ncharts == 4)
            bad_usage("%s: at most four charts", a);
        c->charts[c->ncharts++] = chart;
    } else
        return 0;
    return 1;
}

/* The other modes' options: --guest, --sites, --linux, --patch-bench and theirs. */
static int parse_mode_opt(struct cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--guest-clock") == 0) {
        if (prof_guest_clock_parse(argv[++*i], &c->guest_clock) != 0)
            bad_usage("%s needs icount or host", a);
        c->have_clock = 1;
    } else if (strcmp(a, "--guest") == 0) {
        if (!(c->guest = argv[++*i]))
            bad_usage("%s needs the guest's serial log", a);
    } else if (strcmp(a, "--sites") == 0) {
        if (!(c->so.profile = argv[++*i]))
            bad_usage("%s needs a profile file or a log holding a profile block", a);
    } else if (strcmp(a, "--image") == 0) {
        if (!(c->so.image = argv[++*i]))
            bad_usage("%s needs the ELF image the profile was taken of", a);
    } else if (strcmp(a, "--linux") == 0) {
        c->want_linux = 1;
    } else if (strcmp(a, "--linux-dir") == 0) {
        if (!(c->lo.linux_dir = argv[++*i]))
            bad_usage("%s needs the directory of the Linux fixtures", a);
    } else if (strcmp(a, "--phase") == 0) {
        if (!(c->so.phase = argv[++*i]))
            bad_usage("%s needs a phase name of the Linux workload's log", a);
    } else if (strcmp(a, "--top") == 0) {
        c->so.top = num(a, argv[++*i], 0, 100000000);
        c->have_top = 1;
    } else if (strcmp(a, "--policy") == 0) {
        const char *p = argv[++*i];
        c->so.policy = -1;
        for (unsigned k = 0; p && k < VMI_POLICY_COUNT; k++)
            if (strcmp(p, vmi_policy_name(k)) == 0)
                c->so.policy = (int)k;
        if (c->so.policy < 0)
            bad_usage("%s needs auto, call-only, native-only or inline-only", a);
        c->have_policy = 1;
    } else if (strcmp(a, "--patch-bench") == 0) {
        c->patch = 1;
        if (*i + 1 < argc && argv[*i + 1][0] != '-')
            c->patch_sites = num(a, argv[++*i], 1, 1000000);
    } else
        return 0;
    return 1;
}

/* --measure LABEL -- CMD ARGS...: wall time and peak memory of one command. */
static int run_measure(int argc, char **argv, int i)
{
    if (i + 2 >= argc || strcmp(argv[i + 2], "--") != 0 || i + 3 >= argc)
        bad_usage("%s needs LABEL -- COMMAND [ARGS...]", argv[i]);
    double wall;
    long rss;
    int status;
    char why[512];
    if (prof_measure(&argv[i + 3], &wall, &rss, &status, why, sizeof why) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", why);
        return 1;
    }
    printf("%s: %.3f s wall, peak resident %.1f MiB, exit status %d\n", argv[i + 1], wall,
           rss / 1024.0, status);
    return status == 0 ? 0 : 1;
}

/* Returns -1 when the command line was parsed, else the exit status (--help, --version,
 * --measure); a bad argument exits 2. */
static int parse_args(struct cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("%s %s\n", PROF_TOOL, VMI_VERSION);
            return 0;
        } else if (strcmp(a, "--measure") == 0) {
            return run_measure(argc, argv, i);
        } else if (!parse_run_opt(c, argv, &i) && !parse_output_opt(c, argv, &i) &&
                   !parse_mode_opt(c, argc, argv, &i)) {
            bad_usage("unknown argument '%s'", a);
        }
    }
    if (c->want_json && c->want_csv)
        bad_usage("%s", "--json and --csv both want stdout: give one a FILE (--csv=FILE)");
    if (c->guest && (c->callgrind || c->patch))
        bad_usage("%s", "--guest reads a log: it measures nothing (no --callgrind, --patch-bench)");
    if (c->lo.linux_dir && !c->want_linux)
        bad_usage("%s", "--linux-dir goes with --linux");
    if (c->so.phase && !c->so.profile)
        bad_usage("%s", "--phase goes with --sites LOG");
    return -1;
}

/* The helper, loader, ROM, workload and log directory of --linux: next to vmi-prof in the build
 * tree (BUILD/bin), or where `make install` puts them (PREFIX/bin, libexec/vmi, share/vmi). */
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
        snprintf(helper, sizeof helper, "%s/../libexec/vmi/vmi-prof-linux", bin);
    snprintf(loader, sizeof loader, built ? "%s/../loader/vmi-loader.elf"
                                          : "%s/../share/vmi/vmi-loader.elf", bin);
    snprintf(rom, sizeof rom, built ? "%s/../rom/vmi-native.rom" : "%s/../share/vmi/vmi-native.rom",
             bin);
    snprintf(wl, sizeof wl, built ? "%s/../linprof/vmi-workload.cpio"
                                  : "%s/../share/vmi/vmi-workload.cpio", bin);
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
    char why[512];
    const struct prof_run_opts *o = &c->o;
    if (c->guest) {
        res->params.guest_log = c->guest;
        if (prof_read_guest(c->guest, c->guest_clock, res, why, sizeof why) < 0)
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
    if (prof_run_engine(o, res, why, sizeof why) != 0)
        goto fail;
    if (c->callgrind && prof_run_callgrind(o, res, why, sizeof why) != 0) {
        fprintf(stderr, "vmi-prof: --callgrind: %s\n", why);
        outputs_abort(outs);
        return 1;
    }
    return 0;
fail:
    fprintf(stderr, "vmi-prof: %s\n", why);
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
    if (c->json && write_out(&outs->json, res, prof_print_json) != 0)
        rc = 1;
    if (c->csv && write_out(&outs->csv, res, prof_print_csv) != 0)
        rc = 1;
    for (unsigned i = 0; i < c->ncharts; i++)
        if (write_chart(&outs->charts[i], res) != 0)
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
        char why[512];
        if (prof_find_files(&c.o, why, sizeof why) != 0) {
            fprintf(stderr, "vmi-prof: %s\n", why);
            outputs_abort(&outs);
            return 1;
        }
        if (c.patch)
            return patch_bench(&c.o, c.patch_sites, &outs.json);
    }
    rc = measure(&c, &outs, &res);
    if (rc == 0)
        rc = write_outputs(&c, &outs, &res);
    prof_result_free(&res);
    return rc;
}
