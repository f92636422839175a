/* vmi-prof-engine: the 32-bit measurement engine behind vmi-prof (docs/profiling.md).
 *
 *   vmi-prof-engine [--n N] [--k K] [--trap-n N] [--warmup N] [--cpu C] [--only SUBSTR]
 *                   [--callgrind] ROM
 *   vmi-prof-engine --patch-bench SITES [--k K] ROM
 *
 * Maps ROM at PROF_ROM_BASE, installs the harness monitor (state page and gate), patches the
 * inline copy of the loops with VMI_POLICY_AUTO and the call copy with VMI_POLICY_CALL_ONLY,
 * fills the indirect strategy's table from GetRelocationInfo, pins itself to one CPU and runs
 * every (workload, strategy) K times, interleaved.  It prints raw samples, one line each, for the
 * 64-bit front end:
 *   meta KEY VALUE             (among them "meta workloads N" before the first workload and
 *                               "meta start NAME S" as each starts, S strategies: progress)
 *   plan POLICY sites=N inline=N call=N native=N nop=N
 *   sample WORKLOAD STRATEGY N C1 ... CK       (rdtsc cycles of N iterations; strategy "empty"
 *                                               is the loop overhead)
 *   error TEXT
 * With --callgrind (under valgrind --tool=callgrind) each run is bracketed by CALLGRIND_ZERO_STATS
 * and CALLGRIND_DUMP_STATS_AT("prof WORKLOAD|STRATEGY|N"), and no samples are printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "aot_err.h"
#include "engine.h"
#include "vmi_aot.h"
#include "vmi_host32.h"
#include "vmi_version.h"

uint32_t prof_args[PROF_MAX_OPS][3];
uint32_t prof_ops[VMI_NUM_CALLS];

extern const struct vmi_site __start_vmi_sites[], __stop_vmi_sites[];
extern uint8_t prof_text_inline_start[], prof_text_inline_end[];
extern uint8_t prof_text_call_start[], prof_text_call_end[];

static const char *const strat_name[PE_COUNT] = { "hand", "inline", "call", "indirect", "trap",
                                                  "empty" };

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("error ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    exit(1);
}

static void usage(FILE *f)
{
    fputs("usage: vmi-prof-engine [--n N] [--k K] [--trap-n N] [--warmup N] [--cpu C]\n"
          "                       [--only SUBSTR] [--callgrind] [--] ROM\n"
          "       vmi-prof-engine --patch-bench SITES [--k K] [--] ROM\n"
          "  The 32-bit measurement engine behind vmi-prof (docs/profiling.md): raw samples,\n"
          "  one line each, on standard output.\n", f);
}

/* A usage error: one line naming the option, then the usage; exit status 2. */
static void usage_error(const char *fmt, const char *arg) __attribute__((noreturn));
static void usage_error(const char *fmt, const char *arg)
{
    fputs("vmi-prof-engine: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    exit(2);
}

static uint32_t parse_u32(const char *opt, const char *s, uint32_t lo, uint32_t hi)
{
    char *end;
    errno = 0;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || errno || *end || end == s || v < lo || v > hi) {
        fprintf(stderr, "vmi-prof-engine: %s needs a number from %u to %u\n", opt, lo, hi);
        usage(stderr);
        exit(2);
    }
    return (uint32_t)v;
}

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* ---- patching the loops ---- */

static vmi_status reloc_query(void *ctx, uint8_t call, struct vmi_relocation_info *out)
{
    uint32_t base = *(const uint32_t *)ctx;
    uint64_t r = prof_rom_reloc(base, call);
    out->eip = (uint32_t)r;
    out->type = (uint8_t)(r >> 32);
    return VMI_OK;
}

static struct vmi_site_info all_sites[1024], sub_sites[1024];
static struct vmi_site_plan plan_sites[1024];
static uint8_t plan_code[VMI_PLAN_CODE_BYTES(1024, VMI_RESERVE_MAX)],
    save_bytes[VMI_PLAN_CODE_BYTES(1024, VMI_RESERVE_MAX)];

static void patch_range(const struct vmi_site_table *all, const struct vmi_rom *rom,
                        const struct vmi_reloc_table *relocs, uint8_t *start, uint8_t *end,
                        enum vmi_policy policy)
{
    struct vmi_site_table sub = { sub_sites, 0, 1024 };
    uint32_t lo = (uint32_t)(uintptr_t)start, hi = (uint32_t)(uintptr_t)end;
    for (uint32_t i = 0; i < all->count; i++)
        if (all->sites[i].addr >= lo && all->sites[i].addr < hi)
            sub.sites[sub.count++] = all->sites[i];
    struct vmi_plan plan;
    struct vmi_plan_options opt = { policy, 0 };
    struct vmi_error err;
    struct aot_err ae;
    char line[256];
    vmi_plan_init(&plan, plan_sites, 1024, plan_code, sizeof plan_code);
    if (vmi_plan_build(&plan, &sub, rom, relocs, &opt, &err) != VMI_OK) {
        aot_fail_vmi(&ae, &err, "plan %s", vmi_policy_name(policy));
        fail("%s", ae.msg);
    }
    uint32_t page_lo = lo & ~4095u, page_hi = (hi + 4095u) & ~4095u;
    if (mprotect((void *)(uintptr_t)page_lo, page_hi - page_lo,
                 PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
        fail("mprotect of the loops' text: %s", strerror(errno));
    struct vmi_text text = { (uint8_t *)(uintptr_t)page_lo, page_lo, page_hi - page_lo, NULL,
                             NULL };
    struct vmi_save save = { save_bytes, sizeof save_bytes, 0, 0 };
    if (vmi_apply(&text, &plan, NULL, &save, &err) != VMI_OK ||
        vmi_verify(&text, &plan, &err) != VMI_OK) {
        aot_fail_vmi(&ae, &err, "apply %s", vmi_policy_name(policy));
        fail("%s", ae.msg);
    }
    if (mprotect((void *)(uintptr_t)page_lo, page_hi - page_lo, PROT_READ | PROT_EXEC) != 0)
        fail("mprotect of the loops' text: %s", strerror(errno));
    __builtin___clear_cache((char *)start, (char *)end);
    struct vmi_stats st;
    vmi_plan_stats(&plan, &st);
    printf("plan %s sites=%u inline=%u call=%u native=%u nop=%u\n", vmi_policy_name(policy),
           st.sites, st.decision[VMI_DECISION_INLINE], st.decision[VMI_DECISION_CALL],
           st.decision[VMI_DECISION_NATIVE], st.decision[VMI_DECISION_NOP]);
    /* a site the policy should have inlined (or called) but did not is worth a line */
    for (uint32_t i = 0; i < plan.count; i++) {
        const struct vmi_site_plan *sp = &plan.sites[i];
        if (sp->decision == VMI_DECISION_NATIVE) {
            vmi_report_site(sp, line, sizeof line);
            printf("meta native_site %s\n", line);
        }
    }
}

/* ---- arguments and the page-table page ---- */

static uint8_t *pt_ro, *pt_rw;

static void set_args(const struct prof_workload *w, int strat)
{
    uint32_t pt = (uint32_t)(uintptr_t)(strat == PE_TRAP ? pt_ro : pt_rw);
    memset(prof_args, 0, sizeof prof_args);
    for (unsigned k = 0; k < w->nops; k++) {
        const struct prof_op *op = &w->ops[k];
        prof_args[k][0] = op->eax + (op->flags & PROF_PT_EAX ? pt : 0);
        prof_args[k][1] = op->edx + (op->flags & PROF_PT_EDX ? pt : 0);
        prof_args[k][2] = op->ecx;
    }
}

/* The same state before every run: interrupts enabled, nothing pending or queued. */
static void reset_state(void)
{
    monitor_reset();
    pv->vif = VMI_INTERRUPT_MASK_IF;
}

static int map_page_table(void)
{
    int fd = memfd_create("vmi-prof-pt", 0);
    if (fd < 0 || ftruncate(fd, 4096) != 0)
        return -1;
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    void *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (ro == MAP_FAILED || rw == MAP_FAILED)
        return -1;
    pt_ro = ro;
    pt_rw = rw;
    return 0;
}

static int pin_cpu(int want)
{
    cpu_set_t set;
    int cpu = want >= 0 ? want : sched_getcpu();
    if (cpu < 0)
        cpu = 0;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        return -1;
    return cpu;
}

/* What the command line asks for. */
struct engine_args {
    uint32_t n, k, trap_n, warm, patch_sites;
    int cpu, callgrind;
    const char *only, *rom_path;
};

enum { OPT_N = 0x100, OPT_K, OPT_TRAP_N, OPT_WARMUP, OPT_CPU, OPT_ONLY, OPT_CALLGRIND,
       OPT_PATCH_BENCH, OPT_HELP, OPT_VERSION };

static const struct option engine_options[] = {
    { "n", required_argument, NULL, OPT_N },
    { "k", required_argument, NULL, OPT_K },
    { "trap-n", required_argument, NULL, OPT_TRAP_N },
    { "warmup", required_argument, NULL, OPT_WARMUP },
    { "cpu", required_argument, NULL, OPT_CPU },
    { "only", required_argument, NULL, OPT_ONLY },
    { "callgrind", no_argument, NULL, OPT_CALLGRIND },
    { "patch-bench", required_argument, NULL, OPT_PATCH_BENCH },
    { "help", no_argument, NULL, OPT_HELP },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

/* Options, then ROM; the defaults that depend on N.  Exits on --help, --version, a usage error. */
static void parse_args(int argc, char **argv, struct engine_args *a)
{
    int c;
    *a = (struct engine_args){ .n = 100000, .k = 15, .cpu = -1 };
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", engine_options, NULL)) != -1) {
        const char *o = argv[optind - 1];
        switch (c) {
        case OPT_N: a->n = parse_u32("--n", optarg, 1, 100000000); break;
        case OPT_K: a->k = parse_u32("--k", optarg, 1, 255); break;
        case OPT_TRAP_N: a->trap_n = parse_u32("--trap-n", optarg, 1, 100000000); break;
        case OPT_WARMUP: a->warm = parse_u32("--warmup", optarg, 1, 100000000); break;
        case OPT_CPU: a->cpu = (int)parse_u32("--cpu", optarg, 0, CPU_SETSIZE - 1); break;
        case OPT_ONLY: a->only = optarg; break;
        case OPT_CALLGRIND: a->callgrind = 1; break;
        case OPT_PATCH_BENCH: a->patch_sites = parse_u32("--patch-bench", optarg, 1, 1000000); break;
        case OPT_HELP: usage(stdout); exit(0);
        case OPT_VERSION: printf("vmi-prof-engine " VMI_VERSION "\n"); exit(0);
        case ':': usage_error("%s needs a value", o);
        default: usage_error("unknown option '%s'", o);
        }
    }
    if (optind >= argc)
        usage_error("%s", "no ROM given");
    a->rom_path = argv[optind++];
    if (optind < argc)
        usage_error("more than one ROM: '%s'", argv[optind]);
    if (!a->trap_n)
        a->trap_n = a->n / 50 ? a->n / 50 : 1;
    if (!a->warm)
        a->warm = a->n / 10 ? a->n / 10 : 1;
}

/* The ROM mapped at PROF_ROM_BASE and checked to be the one the loops were generated for, probed,
 * the monitor installed, VMI_Init run, GetRelocationInfo's answers read; the indirect strategy's
 * table filled from them. */
static void setup_rom(const char *rom_path, struct vmi_rom *rom, struct vmi_reloc_table *relocs)
{
    const uint8_t *img;
    uint32_t size;
    struct vmi_error err;
    struct aot_err ae;
    if (prof_rom_map(rom_path, PROF_ROM_BASE, &img, &size, &ae) != 0)
        fail("%s", ae.msg);
    if (size != prof_rom_size || vmi_fnv1a64(VMI_FNV1A64_INIT, img, size) != prof_rom_hash)
        fail("%s is not the ROM this engine was generated for (rebuild: make)", rom_path);
    if (vmi_rom_probe(rom, img, size, PROF_ROM_BASE, 0, &err) != VMI_OK) {
        aot_fail_vmi(&ae, &err, "%s", rom_path);
        fail("%s", ae.msg);
    }
    if (monitor_install(rom->virtual_top) != 0)
        fail("cannot map the state page at 0x%x", rom->virtual_top);
    if (prof_rom_init(PROF_ROM_BASE) != 0)
        fail("VMI_Init failed");
    uint32_t base = PROF_ROM_BASE;
    if (vmi_reloc_table_fill(relocs, reloc_query, &base, &err) != VMI_OK) {
        aot_fail_vmi(&ae, &err, "GetRelocationInfo");
        fail("%s", ae.msg);
    }
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++)
        prof_ops[c] = relocs->info[c].type == VMI_RELOCATION_CALL_REL ? relocs->info[c].eip : 0;
}

/* The engine's own site table; the inline copy of the loops patched with VMI_POLICY_AUTO, the
 * call copy with VMI_POLICY_CALL_ONLY. */
static void patch_loops(const struct vmi_rom *rom, const struct vmi_reloc_table *relocs)
{
    struct vmi_error err;
    struct aot_err ae;
    struct vmi_site_table all = { all_sites, 0, 1024 };
    uint32_t bytes = (uint32_t)((const uint8_t *)__stop_vmi_sites -
                                (const uint8_t *)__start_vmi_sites);
    if (vmi_sites_read(&all, __start_vmi_sites, (uint32_t)(uintptr_t)__start_vmi_sites, bytes,
                       &err) != VMI_OK) {
        aot_fail_vmi(&ae, &err, "site table");
        fail("%s", ae.msg);
    }
    patch_range(&all, rom, relocs, prof_text_inline_start, prof_text_inline_end,
                VMI_POLICY_AUTO);
    patch_range(&all, rom, relocs, prof_text_call_start, prof_text_call_end,
                VMI_POLICY_CALL_ONLY);
}

/* The trap strategy's page-table page and handler, the CPU pinned; the run's meta lines. */
static void prepare_runs(const struct engine_args *a)
{
    struct aot_err ae;
    if (map_page_table() != 0)
        fail("cannot map the page-table page twice: %s", strerror(errno));
    if (prof_trap_install(pt_ro, pt_rw, &ae) != 0)
        fail("%s", ae.msg);
    int on = pin_cpu(a->cpu);
    if (on < 0)
        fail("sched_setaffinity: %s", strerror(errno));
    printf("meta cpu %d\nmeta n %u\nmeta k %u\nmeta trap_n %u\nmeta rom_base 0x%x\n", on, a->n,
           a->k, a->trap_n, PROF_ROM_BASE);
    if (a->callgrind)
        printf("meta callgrind %d\n", RUNNING_ON_VALGRIND ? 1 : 0);
}

/* Under callgrind: each strategy once, bracketed by the collection requests.  No trap: its cost
 * is the kernel's and the CPU's, which callgrind does not see (and valgrind's EIP at a faulting
 * store is not precise enough to emulate it). */
static void run_callgrind(const struct engine_args *a, const struct prof_workload *w)
{
    for (int s = 0; s < PE_COUNT; s++) {
        if (!w->fn[s] || s == PE_TRAP)
            continue;
        char desc[128];
        snprintf(desc, sizeof desc, "prof %s|%s|%u", w->name, strat_name[s], a->n);
        set_args(w, s);
        reset_state();
        CALLGRIND_ZERO_STATS;
        w->fn[s](a->n);
        CALLGRIND_DUMP_STATS_AT(desc);
    }
    printf("done %s\n", w->name);
}

/* K repetitions, the strategies interleaved inside each so drift hits all alike; one sample line
 * per strategy. */
static void run_timed(const struct engine_args *a, const struct prof_workload *w)
{
    static uint64_t samples[PE_COUNT][256];
    for (uint32_t r = 0; r < a->k; r++)
        for (int s = 0; s < PE_COUNT; s++) {
            if (!w->fn[s])
                continue;
            uint32_t iters = s == PE_TRAP ? a->trap_n : a->n;
            set_args(w, s);
            reset_state();
            uint64_t t0 = tsc();
            w->fn[s](iters);
            uint64_t t1 = tsc();
            samples[s][r] = t1 - t0;
        }
    for (int s = 0; s < PE_COUNT; s++) {
        if (!w->fn[s])
            continue;
        printf("sample %s %s %u", w->name, strat_name[s], s == PE_TRAP ? a->trap_n : a->n);
        for (uint32_t r = 0; r < a->k; r++)
            printf(" %llu", (unsigned long long)samples[s][r]);
        printf("\n");
    }
}

/* One workload: its start line, a warm-up of every strategy (caches and predictors trained),
 * then the runs. */
static void run_workload(const struct engine_args *a, const struct prof_workload *w)
{
    unsigned strategies = 0;
    for (int s = 0; s < PE_EMPTY; s++)
        strategies += w->fn[s] && !(a->callgrind && s == PE_TRAP);
    printf("meta start %s %u\n", w->name, strategies);
    for (int s = 0; s < PE_COUNT; s++) {
        if (!w->fn[s] || (a->callgrind && s == PE_TRAP))
            continue;
        set_args(w, s);
        reset_state();
        w->fn[s](s == PE_TRAP ? (a->warm / 50 ? a->warm / 50 : 1) : a->warm);
    }
    if (a->callgrind)
        run_callgrind(a, w);
    else
        run_timed(a, w);
}

/* The phases: options, the ROM, the patch benchmark or the loops patched, the runs prepared,
 * every selected workload run, the trap count. */
int main(int argc, char **argv)
{
    struct engine_args a;
    parse_args(argc, argv, &a);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct vmi_rom rom;
    static struct vmi_reloc_table relocs;
    setup_rom(a.rom_path, &rom, &relocs);
    if (a.patch_sites)
        return prof_patch_bench(&rom, &relocs, a.patch_sites, a.k);
    patch_loops(&rom, &relocs);
    prepare_runs(&a);
    unsigned selected = 0;
    for (unsigned wi = 0; wi < prof_nworkloads; wi++)
        selected += !a.only || strstr(prof_workloads[wi].name, a.only) != NULL;
    printf("meta workloads %u\n", selected);
    for (unsigned wi = 0; wi < prof_nworkloads; wi++)
        if (!a.only || strstr(prof_workloads[wi].name, a.only))
            run_workload(&a, &prof_workloads[wi]);
    printf("meta traps %u\n", prof_traps);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
