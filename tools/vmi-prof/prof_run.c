/* Running the 32-bit engine (directly, or under callgrind) and reading what it prints. */
#define _GNU_SOURCE
#include "prof_run.h"
#include "vmi_paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs argv with stdout into a pipe and calls on_line for each line.  Returns the exit status
 * (0..255), or -1 with err set. */
static int run_lines(char *const argv[], int (*on_line)(void *ctx, char *line), void *ctx,
                     int quiet_stderr, struct rusage *ru, struct aot_err *err)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return aot_fail(err, "pipe: %s", strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
        aot_fail(err, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (quiet_stderr) {
            int nul = open("/dev/null", O_WRONLY);
            if (nul >= 0)
                dup2(nul, 2);
        }
        execv(argv[0], argv);
        fprintf(stderr, "vmi-prof: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    char *line = NULL;
    size_t lcap = 0;
    int bad = 0;
    while (in && getline(&line, &lcap, in) >= 0) {
        line[strcspn(line, "\n")] = 0;
        if (!bad && on_line(ctx, line) != 0)
            bad = 1;
    }
    free(line);
    if (in)
        fclose(in);
    else
        close(fds[0]);
    int status;
    struct rusage r;
    while (wait4(pid, &status, 0, &r) < 0)
        if (errno != EINTR) {
            return aot_fail(err, "wait: %s", strerror(errno));
        }
    if (ru)
        *ru = r;
    if (WIFSIGNALED(status)) {
        return aot_fail(err, "%s died of signal %d", argv[0], WTERMSIG(status));
    }
    if (bad) {
        return aot_fail(err, "%s: unreadable output", argv[0]);
    }
    return WEXITSTATUS(status);
}

/* ---- the rdtsc run ---- */

struct raw {
    char workload[PROF_NAME_MAX];
    char strategy[16];
    unsigned iters, reps;
    double cycles[PROF_MAX_REPS];
};

struct engine_ctx {
    struct raw *raw;
    unsigned nraw, cap;
    char error[300];
    struct prof_result *res;
    const struct prof_run_opts *opt;
    const char *phase;         /* "rdtsc", "callgrind" */
    unsigned n;                /* iterations per run of the phase */
    unsigned run;              /* engine process, 1..o->runs */
    unsigned workloads, started;
};

/* "meta workloads N" and "meta start NAME STRATEGIES": the engine's phases, told to o->progress. */
static void progress_line(struct engine_ctx *c, const char *line)
{
    const struct prof_run_opts *o = c->opt;
    char name[PROF_NAME_MAX + 1], msg[256];
    unsigned strategies;
    if (sscanf(line, "meta workloads %u", &c->workloads) == 1 || !o->progress)
        return;
    if (sscanf(line, "meta start %48s %u", name, &strategies) != 2)
        return;
    c->started++;
    if (strcmp(c->phase, "callgrind") == 0)
        snprintf(msg, sizeof msg, "callgrind [%u/%u] %s: %u strategies, N=%u", c->started,
                 c->workloads, name, strategies, c->n);
    else if (o->runs > 1)
        snprintf(msg, sizeof msg, "rdtsc run %u/%u [%u/%u] %s: %u repetitions x %u strategies, "
                 "N=%u", c->run, o->runs, c->started, c->workloads, name, o->k, strategies, c->n);
    else
        snprintf(msg, sizeof msg, "rdtsc [%u/%u] %s: %u repetitions x %u strategies, N=%u",
                 c->started, c->workloads, name, o->k, strategies, c->n);
    o->progress(o->progress_ctx, msg);
}

static int engine_line(void *vctx, char *line)
{
    struct engine_ctx *c = vctx;
    if (strncmp(line, "error ", 6) == 0) {
        if (!c->error[0])
            snprintf(c->error, sizeof c->error, "%s", line + 6);
        return 0;
    }
    if (strncmp(line, "plan ", 5) == 0 || strncmp(line, "meta ", 5) == 0) {
        if (c->opt->verbose)
            fprintf(stderr, "engine: %s\n", line);
        progress_line(c, line);
        if (strncmp(line, "meta native_site ", 17) == 0)
            prof_result_note(c->res, "warning: a site stayed native: %s", line + 17);
        return 0;
    }
    if (strncmp(line, "sample ", 7) != 0)
        return 0;
    /* sample WORKLOAD STRATEGY N C1 ... CK: the workload name has no spaces */
    struct raw got;
    memset(&got, 0, sizeof got);
    char *save, *tok = strtok_r(line + 7, " ", &save);
    if (!tok || strlen(tok) >= sizeof got.workload)
        return -1;
    strcpy(got.workload, tok);
    tok = strtok_r(NULL, " ", &save);
    if (!tok || strlen(tok) >= sizeof got.strategy)
        return -1;
    strcpy(got.strategy, tok);
    tok = strtok_r(NULL, " ", &save);
    if (!tok || (got.iters = (unsigned)strtoul(tok, NULL, 10)) == 0)
        return -1;
    while ((tok = strtok_r(NULL, " ", &save)) && got.reps < PROF_MAX_REPS)
        got.cycles[got.reps++] = strtod(tok, NULL);
    if (!got.reps)
        return -1;
    /* a later engine process (--runs): its repetitions follow the earlier ones', in the same
     * order for every strategy, so repetition r stays paired */
    for (unsigned i = 0; i < c->nraw; i++) {
        struct raw *r = &c->raw[i];
        if (strcmp(r->workload, got.workload) || strcmp(r->strategy, got.strategy))
            continue;
        if (r->iters != got.iters)
            return -1;
        for (unsigned k = 0; k < got.reps && r->reps < PROF_MAX_REPS; k++)
            r->cycles[r->reps++] = got.cycles[k];
        return 0;
    }
    if (c->nraw == c->cap) {
        unsigned cap = c->cap ? 2 * c->cap : 128;
        struct raw *r = realloc(c->raw, cap * sizeof *r);
        if (!r)
            return -1;
        c->raw = r;
        c->cap = cap;
    }
    c->raw[c->nraw++] = got;
    return 0;
}

static const char *self_dir(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0)
        return NULL;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = 0;
    return buf;
}

/* The engine and the ROM beside the front end: build/bin -> build/libexec, build/rom; installed
 * bindir -> pkglibexecdir, pkgdatadir (VMI_BIN_TO_*: the relative paths of the install layout,
 * mk/install.mk), so that the build tree and any installed or moved prefix work. */
int prof_find_files(struct prof_run_opts *o, struct aot_err *err)
{
    static char engine[4096], rom[4096];
    char dir[3072];                     /* + the longest suffix fits engine[] and rom[] */
    if (!self_dir(dir, sizeof dir)) {
        return aot_fail(err, "cannot find my own directory");
    }
    if (!o->engine) {
        const char *cand[] = { "../libexec", VMI_BIN_TO_PKGLIBEXEC };
        for (unsigned i = 0; i < 2 && !o->engine; i++) {
            snprintf(engine, sizeof engine, "%s/%s/vmi-prof-engine", dir, cand[i]);
            if (access(engine, X_OK) == 0)
                o->engine = engine;
        }
        if (!o->engine) {
            return aot_fail(err, "no vmi-prof-engine beside %s (give --engine PATH)", dir);
        }
    }
    if (!o->rom) {
        const char *cand[] = { "../rom", VMI_BIN_TO_PKGDATA };
        for (unsigned i = 0; i < 2 && !o->rom; i++) {
            snprintf(rom, sizeof rom, "%s/%s/vmi-pv.rom", dir, cand[i]);
            if (access(rom, R_OK) == 0)
                o->rom = rom;
        }
        if (!o->rom) {
            return aot_fail(err, "no vmi-pv.rom beside %s (give --rom PATH)", dir);
        }
    }
    return 0;
}

static void add_num(char **argv, unsigned *n, char bufs[][16], unsigned *nb, const char *opt,
                    unsigned v)
{
    argv[(*n)++] = (char *)opt;
    snprintf(bufs[*nb], 16, "%u", v);
    argv[(*n)++] = bufs[(*nb)++];
}

int prof_run_engine(const struct prof_run_opts *o, struct prof_result *res,
                    struct aot_err *err)
{
    char *argv[32], nums[8][16];
    unsigned n = 0, nb = 0;
    argv[n++] = (char *)o->engine;
    add_num(argv, &n, nums, &nb, "--n", o->n);
    add_num(argv, &n, nums, &nb, "--k", o->k);
    if (o->trap_n)
        add_num(argv, &n, nums, &nb, "--trap-n", o->trap_n);
    if (o->cpu >= 0)
        add_num(argv, &n, nums, &nb, "--cpu", (unsigned)o->cpu);
    if (o->only) {
        argv[n++] = "--only";
        argv[n++] = (char *)o->only;
    }
    argv[n++] = (char *)o->rom;
    argv[n] = NULL;

    struct engine_ctx c = { .res = res, .opt = o, .phase = "rdtsc", .n = o->n };
    int st = 0;
    unsigned runs = o->runs ? o->runs : 1;
    for (c.run = 1; c.run <= runs && st == 0 && !c.error[0]; c.run++) {
        c.started = 0;
        st = run_lines(argv, engine_line, &c, 0, NULL, err);
    }
    if (st != 0 || c.error[0]) {
        if (c.error[0])
            aot_fail(err, "engine: %s", c.error);
        else if (st > 0)
            aot_fail(err, "engine exited with status %d", st);
        free(c.raw);
        return -1;
    }
    if (c.nraw == 0) {
        aot_fail(err, "the engine measured nothing%s", o->only ? " (check --only)" : "");
        free(c.raw);
        return -1;
    }
    /* per workload: the overhead is the median of the empty loop's cycles per iteration */
    for (unsigned i = 0; i < c.nraw; i++) {
        const struct raw *r = &c.raw[i];
        enum prof_strategy s;
        if (prof_strategy_parse(r->strategy, &s) != 0)
            continue;
        double ovh = 0, tmp[PROF_MAX_REPS];
        for (unsigned j = 0; j < c.nraw; j++)
            if (strcmp(c.raw[j].workload, r->workload) == 0 &&
                strcmp(c.raw[j].strategy, "empty") == 0) {
                for (unsigned k = 0; k < c.raw[j].reps; k++)
                    tmp[k] = c.raw[j].cycles[k] / c.raw[j].iters;
                ovh = prof_median(tmp, c.raw[j].reps);
            }
        struct prof_row *row = prof_result_add(res);
        if (!row) {
            aot_fail(err, "out of memory");
            free(c.raw);
            return -1;
        }
        snprintf(row->workload, sizeof row->workload, "%s", r->workload);
        row->strategy = s;
        row->is_path = strncmp(r->workload, "path:", 5) == 0;
        row->iters = r->iters;
        row->reps = r->reps;
        row->overhead = ovh;
        for (unsigned k = 0; k < r->reps; k++)
            row->per_op[k] = r->cycles[k] / r->iters - ovh;
        prof_row_summarize(row);
    }
    free(c.raw);
    if (runs > 1)
        snprintf(res->source, sizeof res->source, "user space, rdtsc, %u runs x K=%u, N=%u", runs,
                 o->k, o->n);
    else
        snprintf(res->source, sizeof res->source, "user space, rdtsc, K=%u, N=%u", o->k, o->n);
    res->measured = 1;
    return 0;
}

/* ---- callgrind ---- */

static int callgrind_line(void *vctx, char *line)
{
    if (strncmp(line, "meta ", 5) == 0)
        progress_line(vctx, line);
    return 0;
}

struct cg_count {
    char workload[PROF_NAME_MAX];
    char strategy[16];
    unsigned iters;
    double ir;
};

/* The engine under valgrind --tool=callgrind, cn iterations, its dumps into dir.  0, or -1 with
 * err set (left as run_lines set it when valgrind could not be run). */
static int run_callgrind(const struct prof_run_opts *o, const char *dir, unsigned cn,
                         struct prof_result *res, struct aot_err *err)
{
    char outopt[256], nbuf[16], tbuf[16];
    snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s/cg.out", dir);
    snprintf(nbuf, sizeof nbuf, "%u", cn);
    snprintf(tbuf, sizeof tbuf, "%u", 1u);
    char *argv[24];
    unsigned n = 0;
    argv[n++] = (char *)o->valgrind;
    argv[n++] = "--tool=callgrind";
    argv[n++] = outopt;
    argv[n++] = "--dump-instr=no";
    argv[n++] = "--smc-check=all";
    argv[n++] = "--px-default=allregs-at-mem-access";
    argv[n++] = (char *)o->engine;
    argv[n++] = "--callgrind";
    argv[n++] = "--n";
    argv[n++] = nbuf;
    argv[n++] = "--warmup";
    argv[n++] = tbuf;
    if (o->only) {
        argv[n++] = "--only";
        argv[n++] = (char *)o->only;
    }
    argv[n++] = (char *)o->rom;
    argv[n] = NULL;
    struct engine_ctx pc = { .res = res, .opt = o, .phase = "callgrind", .n = cn };
    int st = run_lines(argv, callgrind_line, &pc, 1, NULL, err);
    if (st == 0)
        return 0;
    if (st > 0)
        aot_fail(err, "valgrind --tool=callgrind exited with status %d", st);
    return -1;
}

/* One dump (one per CALLGRIND_DUMP_STATS_AT): "desc: Trigger: Client Request: prof W|S|N" names
 * the workload, strategy and iterations, "totals: IR" (or "summary: IR") the count.  1 with *c
 * filled when the dump has both. */
static int read_dump(FILE *f, struct cg_count *c)
{
    static const char tag[] = "desc: Trigger: Client Request: prof ";
    char line[512];
    int have = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, tag, strlen(tag)) == 0) {
            char *p = line + strlen(tag), *bar1 = strchr(p, '|'),
                 *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
            if (bar1 && bar2 && bar1 - p < PROF_NAME_MAX && bar2 - bar1 - 1 < 16) {
                snprintf(c->workload, sizeof c->workload, "%.*s", (int)(bar1 - p), p);
                snprintf(c->strategy, sizeof c->strategy, "%.*s", (int)(bar2 - bar1 - 1),
                         bar1 + 1);
                c->iters = (unsigned)strtoul(bar2 + 1, NULL, 10);
                have = c->iters > 0;
            }
        } else if (strncmp(line, "totals:", 7) == 0 || strncmp(line, "summary:", 8) == 0) {
            c->ir = strtod(strchr(line, ':') + 1, NULL);
        }
    }
    return have && c->ir >= 0;
}

/* Every dump in dir read (when parse is set) into cnt (at most cap), and removed with dir. */
static unsigned collect_dumps(const char *dir, int parse, struct cg_count *cnt, unsigned cap)
{
    unsigned ncnt = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = parse ? fopen(path, "r") : NULL;
        struct cg_count c = { "", "", 0, -1 };
        int have = f && read_dump(f, &c);
        if (f)
            fclose(f);
        unlink(path);
        if (have && ncnt < cap)
            cnt[ncnt++] = c;
    }
    if (d)
        closedir(d);
    rmdir(dir);
    return ncnt;
}

/* Each count attached to the engine's row of its workload and strategy, less the empty loop's
 * count per iteration.  The number of rows that got one. */
static unsigned attach_counts(struct prof_result *res, const struct cg_count *cnt, unsigned ncnt)
{
    unsigned matched = 0;
    for (unsigned i = 0; i < ncnt; i++) {
        enum prof_strategy s;
        if (prof_strategy_parse(cnt[i].strategy, &s) != 0)
            continue;
        double empty = -1;
        for (unsigned j = 0; j < ncnt; j++)
            if (strcmp(cnt[j].workload, cnt[i].workload) == 0 &&
                strcmp(cnt[j].strategy, "empty") == 0)
                empty = cnt[j].ir / cnt[j].iters;
        struct prof_row *row = prof_result_find(res, cnt[i].workload, s);
        if (!row || empty < 0)
            continue;
        row->insns_per_op = cnt[i].ir / cnt[i].iters - empty;
        matched++;
    }
    return matched;
}

/* Phases: the engine run under callgrind in a temporary directory, its dumps collected (and the
 * directory removed), the counts attached to the rows. */
int prof_run_callgrind(const struct prof_run_opts *o, struct prof_result *res,
                       struct aot_err *err)
{
    char dir[] = "/tmp/vmi-prof-cg.XXXXXX";
    if (!mkdtemp(dir)) {
        return aot_fail(err, "mkdtemp: %s", strerror(errno));
    }
    unsigned cn = o->n < 2000 ? o->n : 2000;
    int rc = run_callgrind(o, dir, cn, res, err);
    struct cg_count cnt[512];
    unsigned ncnt = collect_dumps(dir, rc == 0, cnt, 512);
    if (rc != 0)
        return -1;
    if (!attach_counts(res, cnt, ncnt)) {
        return aot_fail(err, "callgrind reported no counts");
    }
    res->have_insns = 1;
    prof_result_note(res, "insns/op: instructions per operation under callgrind (N=%u), the "
                          "empty loop's subtracted; trap not counted (its cost is in the kernel)",
                     cn);
    return 0;
}

/* ---- the patching benchmark ---- */

struct patch_ctx {
    struct prof_patch_result *out;
    char error[300];
};

static int patch_line(void *vctx, char *line)
{
    struct patch_ctx *c = vctx;
    struct prof_patch_result *p = c->out;
    if (strncmp(line, "error ", 6) == 0) {
        if (!c->error[0])
            snprintf(c->error, sizeof c->error, "%s", line + 6);
        return 0;
    }
    unsigned sites, rep, inl, call, nat, nop, jmp;
    unsigned long long rd, pl, ap, ve, rv, cs, ct;
    unsigned bytes;
    if (sscanf(line, "patch sites=%u rep=%u read_ns=%llu plan_ns=%llu apply_ns=%llu "
                     "verify_ns=%llu revert_ns=%llu inline=%u call=%u native=%u nop=%u jump=%u "
                     "copy_sites_ns=%llu copy_text_ns=%llu bytes=%u",
               &sites, &rep, &rd, &pl, &ap, &ve, &rv, &inl, &call, &nat, &nop, &jmp, &cs, &ct,
               &bytes) != 15)
        return 0;
    if (p->reps == PROF_MAX_REPS)
        return 0;
    unsigned r = p->reps++;
    p->sites = sites;
    p->read_ns[r] = (double)rd;
    p->plan_ns[r] = (double)pl;
    p->apply_ns[r] = (double)ap;
    p->verify_ns[r] = (double)ve;
    p->revert_ns[r] = (double)rv;
    p->copy_sites_ns[r] = (double)cs;
    p->copy_text_ns[r] = (double)ct;
    p->bytes = bytes;
    p->inline_sites = inl;
    p->call_sites = call;
    p->native_sites = nat;
    p->nop_sites = nop;
    p->jump_sites = jmp;
    return 0;
}

int prof_run_patch_bench(const struct prof_run_opts *o, unsigned sites,
                         struct prof_patch_result *out, struct aot_err *err)
{
    char *argv[12], nums[4][16];
    unsigned n = 0, nb = 0;
    argv[n++] = (char *)o->engine;
    add_num(argv, &n, nums, &nb, "--patch-bench", sites);
    add_num(argv, &n, nums, &nb, "--k", o->k);
    argv[n++] = (char *)o->rom;
    argv[n] = NULL;
    memset(out, 0, sizeof *out);
    struct patch_ctx c = { out, "" };
    int st = run_lines(argv, patch_line, &c, 0, NULL, err);
    if (st != 0 || c.error[0] || out->reps == 0) {
        if (c.error[0])
            aot_fail(err, "engine: %s", c.error);
        else if (st >= 0)
            aot_fail(err, "the patching benchmark failed (status %d)", st);
        return -1;
    }
    return 0;
}

/* ---- a command's wall time and peak memory ---- */

int prof_measure(char *const argv[], double *wall_s, long *maxrss_kib, int *status,
                 struct aot_err *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        return aot_fail(err, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_WRONLY);
        if (nul >= 0)
            dup2(nul, 1);
        execvp(argv[0], argv);
        fprintf(stderr, "vmi-prof: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0)
        if (errno != EINTR) {
            return aot_fail(err, "wait: %s", strerror(errno));
        }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    *maxrss_kib = ru.ru_maxrss;
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
