/* vmi-live: live re-patching under load (docs/reliability.md §4).
 *
 * A 32-bit program whose worker threads run code full of VMI call sites (the generated glue)
 * while the main thread switches that text between three plans made by the inliner against the
 * pv ROM: native, auto (inline where a body fits) and call-only, thousands of times, with the
 * breakpoint protocol Linux uses for live text (text_poke_bp), batched over every site that
 * changes:
 *
 *   1. write int3 (0xcc) over the first byte of each changing site;      sync every CPU
 *   2. wait until every worker passed a quiescent point (see below)
 *   3. write bytes 1..len-1 of each site;                                 sync every CPU
 *   4. write the first byte of each site;                                 sync every CPU
 *
 * "Sync every CPU" is membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE), registered first:
 * every thread of the process executes a core-serializing instruction before it runs user code
 * again.  A worker that reaches an int3 gets SIGTRAP; the handler moves its EIP to an out-of-line
 * copy of the site (as the plan being installed renders it for the copy's address, followed by a
 * jmp back to the site's end).  The copies are built once, before any thread starts, and never
 * change, so whichever copy a late handler picks is a whole, correct implementation.
 *
 * Step 2 is not in text_poke_bp, which patches one instruction: a VMI site is several
 * instructions (a native sequence and NOPs, or an inline body), and a thread can be stopped
 * between two of them (preempted, or inside the ROM routine a CALL site entered, with its return
 * address in the middle of the site).  Rewriting the rest of the site under such a thread would
 * resume it in the middle of different instructions.  Once every entry is an int3 no thread can
 * enter a site, so the patcher waits until each worker has been seen outside every site (its
 * flag reads "outside", or its quiescent counter moved) -- the user-space analogue of the
 * synchronize_rcu_tasks() Linux's optprobes use before replacing several instructions.
 * --no-quiesce skips it, to show the hazard.
 *
 * The pv state page is one virtual CPU shared by all threads, so the workload keeps to operations
 * whose effect is checkable whatever the interleaving and whatever each site currently is:
 * SetPxE / SetPxELong into each thread's own page-table arrays (flags without CURRENT_AS or
 * DEFER: no hypercall, and no lazy mode is ever entered), UpdatePxE without CURRENT_AS (no-op),
 * GetInterruptMask / SetInterruptMask round trips (vif is IF from start to end and is only
 * written with the value it holds, so every read sees IF, natively and pv), RDTSC, and CPUID,
 * whose answer must be exactly the processor's (native site) or the monitor's (pv site).
 * The monitor (lib/m32/monitor.c) is the harness's; only CPUID reaches it.
 *
 * Usage: vmi-live [--threads N] [--switches N] [--no-quiesce] [--dwell] [--bad-plan] [-v] PV_ROM
 * --dwell: after each switch, wait until every worker ran two rounds of the new text;
 * --bad-plan (implies --dwell): the auto plan drops every generic SetPxE store, which must fail.
 * Exit 0: every check passed; 1: a check failed; 2: setup failed. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_mman.h"     /* <sys/mman.h>, MAP_FIXED_NOREPLACE: lib/ */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "aot_err.h"
#include "vmi_glue.h"
#include "vmi_inliner.h"
#include "harness.h"
#include "vmi_version.h"

#define REGION_BASE  0x000c8000u    /* the ROM is mapped where a BIOS could shadow it */
#define REGION_SIZE  0x00010000u
#define ROM_OFFSET   (HARNESS_ROM_BASE - REGION_BASE)   /* make's (mk/inliner.mk), as the harness:
                                                     * 2 KiB aligned, not 4 KiB */
#define SLOT         64u            /* out-of-line copy: site bytes + jmp back */
#define MAX_THREADS  16
#define NPLANS       3
#define IF           VMI_INTERRUPT_MASK_IF
#define SITES_PER_ROUND (16 * 6 + 3)     /* S() uses per round of worker_main */

enum { P_NATIVE, P_AUTO, P_CALL };
static const char *const plan_names[NPLANS] = { "native", "auto", "call-only" };

/* ---- the sites, the plans and the out-of-line copies ---- */
static struct vmi_site_info *sites;
static uint32_t nsites;
static uint32_t *site_addr;                 /* sorted, for the trap handler */
static struct vmi_plan plans[NPLANS];
static uint8_t *tramp;                      /* NPLANS * nsites slots */
static volatile uint32_t steer_plan;        /* the plan whose copies the handler uses */
static uint32_t text_lo, text_hi;

static uint32_t tramp_addr(uint32_t p, uint32_t i)
{
    return (uint32_t)(uintptr_t)tramp + (p * nsites + i) * SLOT;
}

/* ---- the workers ---- */
struct worker {
    pthread_t tid;
    unsigned id;
    volatile uint32_t gen;                  /* bumped at every quiescent point */
    volatile uint32_t in_site;              /* 1 from just before a site to just after it */
    volatile uint32_t done;
    uint64_t blocks, traps_seen;
    uint32_t failures;
    char first_failure[160];
    uint32_t pt[64] __attribute__((aligned(64)));
    uint64_t pt64[32];
} __attribute__((aligned(64)));

static struct worker workers[MAX_THREADS];
static unsigned nthreads = 4;
static volatile int stop;
static volatile uint32_t opaque_pt_flags = VMI_PAGE_PT, opaque_l1 = VMI_PAGE_L1, opaque_zero;
static uint32_t cpuid_native[4], cpuid_monitor[4];
static uint32_t traps;                      /* SIGTRAPs steered (atomic) */

static void fail(struct worker *w, const char *what, uint32_t got, uint32_t want)
{
    if (w->failures++ == 0)
        snprintf(w->first_failure, sizeof w->first_failure, "%s: got 0x%x, want 0x%x", what, got,
                 want);
}

#define EXPECT(w, what, got, want) do { \
        uint32_t g_ = (uint32_t)(got), e_ = (uint32_t)(want); \
        if (g_ != e_) fail(w, what, g_, e_); \
    } while (0)

/* S(w, site): a site, with the worker's "inside a site" flag set around it and its quiescent
 * counter bumped after it.  The compiler barriers keep the flag's stores on their side of the
 * site's asm. */
#define BARRIER() __asm__ volatile("" ::: "memory")
#define S(w, ...) do { \
        (w)->in_site = 1; BARRIER(); __VA_ARGS__; BARRIER(); (w)->in_site = 0; (w)->gen++; \
    } while (0)

/* One block: six sites and their checks.  k varies per block so that each expansion is its own
 * set of sites. */
#define BLOCK(k) do { \
        uint32_t pte_ = seed * 2654435761u + (k) * 40503u + 0x1000u; \
        uint32_t f_; \
        S(w, vmi_SetPxE(pte_, &w->pt[(k)], opaque_pt_flags)); \
        EXPECT(w, "SetPxE block " #k, w->pt[(k)], pte_); \
        S(w, vmi_SetPxE(pte_ ^ 0x5a5a0000u, &w->pt[32 + (k)], 0)); \
        EXPECT(w, "SetPxE flags=0 block " #k, w->pt[32 + (k)], pte_ ^ 0x5a5a0000u); \
        S(w, f_ = vmi_GetInterruptMask()); \
        EXPECT(w, "GetInterruptMask IF block " #k, f_ & IF, IF); \
        S(w, vmi_SetInterruptMask(f_)); \
        S(w, vmi_SetPxELong((uint64_t)~pte_ << 32 | pte_, &w->pt64[(k)], opaque_l1)); \
        EXPECT(w, "SetPxELong low block " #k, (uint32_t)w->pt64[(k)], pte_); \
        EXPECT(w, "SetPxELong high block " #k, (uint32_t)(w->pt64[(k)] >> 32), ~pte_); \
        S(w, vmi_UpdatePxE(&w->pt[(k)], opaque_zero)); \
        EXPECT(w, "UpdatePxE block " #k, w->pt[(k)], pte_); \
        sum += pte_ ^ (k); \
    } while (0)

static void check_cpuid(struct worker *w, const struct vmi_cpuid_regs *r)
{
    const uint32_t got[4] = { r->eax, r->ebx, r->ecx, r->edx };
    if (memcmp(got, cpuid_native, sizeof got) != 0 && memcmp(got, cpuid_monitor, sizeof got) != 0)
        fail(w, "CPUID leaf 0 is neither the processor's nor the monitor's answer", got[0],
             cpuid_native[0]);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    uint32_t seed = w->id * 0x9e3779b9u + 1;

    while (!stop) {
        uint32_t sum = 0, want = 0;
        struct vmi_cpuid_regs r;
        uint64_t t0, t1;
        S(w, t0 = vmi_RDTSC());
        BLOCK(0); BLOCK(1); BLOCK(2); BLOCK(3); BLOCK(4); BLOCK(5); BLOCK(6); BLOCK(7);
        BLOCK(8); BLOCK(9); BLOCK(10); BLOCK(11); BLOCK(12); BLOCK(13); BLOCK(14); BLOCK(15);
        S(w, vmi_CPUID(&r, 0, 0));
        check_cpuid(w, &r);
        S(w, t1 = vmi_RDTSC());
        if (t0 == 0 && t1 == 0)
            fail(w, "RDTSC returned 0 twice", 0, 1);
        /* the same sums computed without any site: registers survived every site */
        for (uint32_t k = 0; k < 16; k++)
            want += (seed * 2654435761u + k * 40503u + 0x1000u) ^ k;
        EXPECT(w, "sum of the block values", sum, want);
        w->blocks += 16;
        seed++;
    }
    w->done = 1;
    return NULL;
}

/* ---- the trap handler ---- */
static void on_trap(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    uint32_t at = (uint32_t)uc->uc_mcontext.gregs[REG_EIP] - 1, lo = 0, hi = nsites;
    (void)sig;
    (void)si;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (site_addr[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == nsites || site_addr[lo] != at) {
        static const char msg[] = "vmi-live: SIGTRAP outside any site entry\n";
        ssize_t rc = write(2, msg, sizeof msg - 1);
        (void)rc;
        _exit(1);
    }
    uc->uc_mcontext.gregs[REG_EIP] = (greg_t)tramp_addr(__atomic_load_n(&steer_plan, __ATOMIC_RELAXED), lo);
    __atomic_fetch_add(&traps, 1, __ATOMIC_RELAXED);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- syncing every CPU ---- */
static void sync_cores(void)
{
    if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) != 0) {
        perror("vmi-live: membarrier SYNC_CORE");
        exit(2);
    }
}

static int quiesce = 1;
static double t_sync, t_wait;
static uint64_t wait_sleeps;

/* Waits until every worker has been seen outside every site: its counter moved, or its flag
 * reads 0 (read after the sync, a 0 means it had not begun a site before the int3s were in
 * place, and any site it begins now starts with an int3), or it finished. */
static void wait_quiescent(void)
{
    uint32_t snap[MAX_THREADS];
    for (unsigned t = 0; t < nthreads; t++)
        snap[t] = workers[t].gen;
    for (unsigned t = 0; t < nthreads; t++)
        while (workers[t].gen == snap[t] && workers[t].in_site && !workers[t].done) {
            /* sleep, not sched_yield: a waking sleeper preempts a worker at once, a yielder
             * waits for the end of the workers' time slices */
            struct timespec ts = { 0, 20000 };
            nanosleep(&ts, NULL);
            wait_sleeps++;
        }
}

/* Switches the text from plan `from` to plan `to`.  Returns the sites rewritten. */
static uint32_t switch_text(unsigned from, unsigned to)
{
    const struct vmi_plan *a = &plans[from], *b = &plans[to];
    static uint32_t *chg;
    uint32_t n = 0;

    if (!chg && !(chg = malloc(nsites * sizeof *chg)))
        abort();
    for (uint32_t i = 0; i < nsites; i++)
        if (memcmp(a->code + a->sites[i].code_offs, b->code + b->sites[i].code_offs,
                   b->sites[i].len) != 0)
            chg[n++] = i;
    __atomic_store_n(&steer_plan, to, __ATOMIC_RELAXED);
    for (uint32_t k = 0; k < n; k++)
        *(volatile uint8_t *)(uintptr_t)b->sites[chg[k]].addr = 0xcc;
    double ta = now();
    sync_cores();
    double tb = now();
    if (quiesce)
        wait_quiescent();
    t_wait += now() - tb;
    t_sync += tb - ta;
    for (uint32_t k = 0; k < n; k++) {
        const struct vmi_site_plan *sp = &b->sites[chg[k]];
        memcpy((uint8_t *)(uintptr_t)sp->addr + 1, b->code + sp->code_offs + 1, sp->len - 1u);
    }
    sync_cores();
    for (uint32_t k = 0; k < n; k++) {
        const struct vmi_site_plan *sp = &b->sites[chg[k]];
        *(volatile uint8_t *)(uintptr_t)sp->addr = b->code[sp->code_offs];
    }
    sync_cores();
    return n;
}

/* ---- setup ---- */
static uint32_t rom_base;
static struct vmi_rom rom;
static struct vmi_reloc_table relocs;
static struct vmi_site_table table;
static uint32_t code_len;
static const enum vmi_policy pol[NPLANS] = { VMI_POLICY_NATIVE_ONLY, VMI_POLICY_AUTO,
                                             VMI_POLICY_CALL_ONLY };
static struct vmi_text text;            /* the pages holding the sites */

static void die_status(const char *what, const struct vmi_error *err)
{
    struct aot_err e;
    aot_fail_vmi(&e, err, "%s", what);
    fprintf(stderr, "vmi-live: %s\n", e.msg);
    exit(2);
}

static void die(const char *what)
{
    fprintf(stderr, "vmi-live: %s\n", what);
    exit(2);
}

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p)
        die("out of memory");
    return p;
}

/* What the command line asks for. */
struct live_args {
    const char *rom_path;
    unsigned long switches;
    int bad_plan, verbose, dwell;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vmi-live [--threads 1-%d] [--switches N] [--no-quiesce] [--dwell] "
               "[--bad-plan] [-v] [--] PV_ROM\n", MAX_THREADS);
}

/* A usage error: one line naming the option, then the usage; exit status 2. */
static void usage_error(const char *fmt, const char *arg) __attribute__((noreturn));
static void usage_error(const char *fmt, const char *arg)
{
    fputs("vmi-live: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    exit(2);
}

static unsigned long parse_count(const char *opt, const char *v, unsigned long lo,
                                 unsigned long hi)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 0);
    if (!*v || *end || errno || *v == '-' || n < lo || n > hi) {
        fprintf(stderr, "vmi-live: %s needs a number from %lu to %lu, not '%s'\n", opt, lo, hi, v);
        usage(stderr);
        exit(2);
    }
    return n;
}

enum { OPT_THREADS = 0x100, OPT_SWITCHES, OPT_NO_QUIESCE, OPT_DWELL, OPT_BAD_PLAN, OPT_HELP,
       OPT_VERSION };

static const struct option live_options[] = {
    { "threads", required_argument, NULL, OPT_THREADS },
    { "switches", required_argument, NULL, OPT_SWITCHES },
    { "no-quiesce", no_argument, NULL, OPT_NO_QUIESCE },
    { "dwell", no_argument, NULL, OPT_DWELL },
    { "bad-plan", no_argument, NULL, OPT_BAD_PLAN },
    { "help", no_argument, NULL, OPT_HELP },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv, struct live_args *a)
{
    int c;
    *a = (struct live_args){ .switches = 3000 };
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":v", live_options, NULL)) != -1) {
        switch (c) {
        case OPT_THREADS: nthreads = (unsigned)parse_count("--threads", optarg, 1, MAX_THREADS); break;
        case OPT_SWITCHES: a->switches = parse_count("--switches", optarg, 1, 1000000000ul); break;
        case OPT_NO_QUIESCE: quiesce = 0; break;
        case OPT_BAD_PLAN: a->bad_plan = a->dwell = 1; break;
        case OPT_DWELL: a->dwell = 1; break;
        case 'v': a->verbose = 1; break;
        case OPT_HELP: usage(stdout); exit(0);
        case OPT_VERSION: printf("vmi-live " VMI_VERSION "\n"); exit(0);
        case ':': usage_error("%s needs a value", argv[optind - 1]);
        default: usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        usage_error("%s", "no PV_ROM given");
    a->rom_path = argv[optind++];
    if (optind < argc)
        usage_error("one PV_ROM only: '%s' is a second", argv[optind]);
}

/* The ROM, where a BIOS could have shadowed it; probed; the monitor; VMI_Init; GetRelocationInfo. */
static void map_rom(const char *rom_path)
{
    struct vmi_error err;
    uint8_t *region = mmap((void *)(uintptr_t)REGION_BASE, REGION_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (region != (uint8_t *)(uintptr_t)REGION_BASE) {
        perror("vmi-live: cannot map the ROM area at 0xc8000");
        exit(2);
    }
    FILE *f = fopen(rom_path, "rb");
    size_t n = f ? fread(region + ROM_OFFSET, 1, REGION_SIZE - ROM_OFFSET, f) : 0;
    if (!f || n == 0) {
        fprintf(stderr, "vmi-live: %s: cannot read\n", rom_path);
        exit(2);
    }
    fclose(f);
    mprotect(region, REGION_SIZE, PROT_READ | PROT_EXEC);
    rom_base = REGION_BASE + ROM_OFFSET;
    if (vmi_rom_probe(&rom, region + ROM_OFFSET, (uint32_t)n, rom_base, 0, &err) != VMI_OK)
        die_status(rom_path, &err);
    if (monitor_install(rom.virtual_top) != 0) {
        perror("vmi-live: cannot map the pv state page");
        exit(2);
    }
    pv->vif = IF;       /* the guest runs with interrupts on, as the native threads do */
    if (harness_rom_init(rom_base) != 0)
        die("VMI_Init failed");
    if (vmi_reloc_table_fill(&relocs, harness_query_rom, &rom_base, &err) != VMI_OK)
        die_status("GetRelocationInfo", &err);
}

/* The sites of this program (sized by the core: vmi_plan_size_for), and the three plans. */
static void read_sites_and_plan(void)
{
    struct vmi_error err;
    uint32_t bytes = (uint32_t)((uintptr_t)__stop_vmi_sites - (uintptr_t)__start_vmi_sites);
    table = (struct vmi_site_table){ xcalloc(bytes / 12, sizeof *sites), 0, bytes / 12 };
    if (vmi_sites_read(&table, __start_vmi_sites, (uint32_t)(uintptr_t)__start_vmi_sites, bytes,
                       &err) != VMI_OK)
        die_status("vmi_sites_read", &err);
    sites = table.sites;
    nsites = table.count;
    site_addr = xcalloc(nsites, sizeof *site_addr);
    struct vmi_plan_size need;
    vmi_plan_size_for(&table, &need);
    code_len = need.code;
    for (uint32_t i = 0; i < nsites; i++) {
        site_addr[i] = sites[i].addr;
        if (sites[i].len + 5u > SLOT) {
            fprintf(stderr, "vmi-live: site of %u bytes does not fit a %u-byte slot\n",
                    sites[i].len, SLOT);
            exit(2);
        }
    }
    for (unsigned p = 0; p < NPLANS; p++) {
        struct vmi_plan_options opt = { pol[p], 0 };
        vmi_plan_init(&plans[p], xcalloc(nsites, sizeof(struct vmi_site_plan)), nsites,
                      xcalloc(code_len, 1), code_len);
        if (vmi_plan_build(&plans[p], &table, p == P_NATIVE ? NULL : &rom, &relocs, &opt, &err)
            != VMI_OK)
            die_status(plan_names[p], &err);
    }
}

/* Plan p's out-of-line copies: the plan rendered for the copies' addresses (a site table of the
 * same sites at the slots), then a jmp back to the real site's end. */
static void build_copies(unsigned p)
{
    struct vmi_error err;
    struct vmi_site_info *shadow = xcalloc(nsites, sizeof *shadow);
    struct vmi_plan sp;
    struct vmi_plan_options opt = { pol[p], 0 };
    for (uint32_t i = 0; i < nsites; i++) {
        shadow[i] = sites[i];
        shadow[i].addr = tramp_addr(p, i);
    }
    struct vmi_site_table st = { shadow, nsites, nsites };
    vmi_plan_init(&sp, xcalloc(nsites, sizeof(struct vmi_site_plan)), nsites,
                  xcalloc(code_len, 1), code_len);
    if (vmi_plan_build(&sp, &st, p == P_NATIVE ? NULL : &rom, &relocs, &opt, &err) != VMI_OK)
        die_status("out-of-line plan", &err);
    for (uint32_t i = 0; i < nsites; i++) {
        uint8_t *slot = (uint8_t *)(uintptr_t)tramp_addr(p, i);
        uint32_t end = sites[i].addr + sites[i].len, jmp = tramp_addr(p, i) + sites[i].len;
        if (sp.sites[i].decision != plans[p].sites[i].decision)
            abort();    /* decisions do not depend on the address */
        memcpy(slot, sp.code + sp.sites[i].code_offs, sites[i].len);
        slot[sites[i].len] = 0xe9;
        uint32_t rel = end - (jmp + 5);
        memcpy(slot + sites[i].len + 1, &rel, 4);
    }
    free(shadow);
    free(sp.sites);
    free(sp.code);
}

/* Every plan's copies, then the copies made read-only; --bad-plan's broken auto plan. */
static void build_all_copies(int bad_plan)
{
    tramp = mmap(NULL, (size_t)NPLANS * nsites * SLOT, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (tramp == MAP_FAILED) {
        perror("vmi-live: cannot map the out-of-line copies");
        exit(2);
    }
    for (unsigned p = 0; p < NPLANS; p++)
        build_copies(p);
    mprotect(tramp, (size_t)NPLANS * nsites * SLOT, PROT_READ | PROT_EXEC);
    /* --bad-plan: the auto plan forgets the store of every generic SetPxE site, which the
     * workers must notice (this test can fail). */
    if (bad_plan)
        for (uint32_t i = 0; i < nsites; i++)
            if (plans[P_AUTO].sites[i].call == VMI_CALL_SetPxE && !(sites[i].flags & VMI_SITE_CONST))
                vmi_nop_fill(plans[P_AUTO].code + plans[P_AUTO].sites[i].code_offs, sites[i].len);
}

/* The text as loaded must be the native plan; then it is made writable. */
static void check_loaded_text(void)
{
    struct vmi_error err;
    text_lo = sites[0].addr & ~4095u;
    text_hi = (sites[nsites - 1].addr + sites[nsites - 1].len + 4095u) & ~4095u;
    text = (struct vmi_text){ (uint8_t *)(uintptr_t)text_lo, text_lo, text_hi - text_lo, NULL,
                              NULL };
    if (vmi_verify(&text, &plans[P_NATIVE], &err) != VMI_OK)
        die_status("the text as loaded is not native", &err);
    if (mprotect((void *)(uintptr_t)text_lo, text_hi - text_lo,
                 PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        perror("vmi-live: mprotect the text");
        exit(2);
    }
}

/* CPUID's two right answers, membarrier registered, the SIGTRAP handler; the plans' line. */
static void prepare_workers(void)
{
    /* the processor's (not through a site) and the monitor's */
    __asm__ volatile("cpuid" : "=a"(cpuid_native[0]), "=b"(cpuid_native[1]), "=c"(cpuid_native[2]),
                     "=d"(cpuid_native[3]) : "a"(0), "c"(0));
    for (int r = 0; r < 4; r++)
        cpuid_monitor[r] = monitor_cpuid(0, 0, r);
    if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) != 0) {
        perror("vmi-live: membarrier REGISTER_PRIVATE_EXPEDITED_SYNC_CORE");
        exit(2);
    }
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);   /* the quiescence wait's short sleeps */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTRAP, &sa, NULL);
    struct vmi_stats *stats = xcalloc(NPLANS, sizeof *stats);
    for (unsigned p = 0; p < NPLANS; p++)
        vmi_plan_stats(&plans[p], &stats[p]);
    printf("vmi-live: %u sites; plans: native %u native; auto %u inline, %u call, %u nop, %u native; "
           "call-only %u call, %u nop, %u native\n", nsites,
           stats[P_NATIVE].decision[VMI_DECISION_NATIVE],
           stats[P_AUTO].decision[VMI_DECISION_INLINE], stats[P_AUTO].decision[VMI_DECISION_CALL],
           stats[P_AUTO].decision[VMI_DECISION_NOP], stats[P_AUTO].decision[VMI_DECISION_NATIVE],
           stats[P_CALL].decision[VMI_DECISION_CALL], stats[P_CALL].decision[VMI_DECISION_NOP],
           stats[P_CALL].decision[VMI_DECISION_NATIVE]);
    fflush(stdout);
    free(stats);
    for (unsigned t = 0; t < nthreads; t++) {
        workers[t].id = t;
        if (pthread_create(&workers[t].tid, NULL, worker_main, &workers[t]) != 0)
            die("pthread_create failed");
    }
}

/* What the switching saw. */
struct live_result {
    unsigned cur;               /* the plan the text holds */
    uint64_t rewritten;
    uint32_t verify_failures, failures;
    double elapsed;
    uint64_t blocks;
};

/* N -> A -> C -> N -> C -> A -> N: every ordered pair of plans, over and over; the text checked
 * against its plan before each switch; with --dwell every worker runs every site of the new text
 * at least once. */
static void run_switches(const struct live_args *a, struct live_result *res)
{
    static const unsigned cycle[6] = { P_AUTO, P_CALL, P_NATIVE, P_CALL, P_AUTO, P_NATIVE };
    struct vmi_error err;
    struct aot_err e;
    res->cur = P_NATIVE;
    double t0 = now();
    for (unsigned long s = 0; s < a->switches; s++) {
        unsigned next = cycle[s % 6];
        if (vmi_verify(&text, &plans[res->cur], &err) != VMI_OK && res->verify_failures++ == 0) {
            aot_fail_vmi(&e, &err, "before switch %lu the text is not the %s plan", s,
                         plan_names[res->cur]);
            fprintf(stderr, "vmi-live: %s\n", e.msg);
        }
        res->rewritten += switch_text(res->cur, next);
        res->cur = next;
        if (a->dwell) {
            uint32_t snap[MAX_THREADS];
            for (unsigned t = 0; t < nthreads; t++)
                snap[t] = workers[t].gen;
            for (unsigned t = 0; t < nthreads; t++)
                while (workers[t].gen - snap[t] < 2 * SITES_PER_ROUND && !workers[t].done)
                    sched_yield();
        }
    }
    res->elapsed = now() - t0;
}

/* The workers stopped (after a little of the final text) and their failures; the text back to
 * native and byte-identical to what was loaded; only CPUID reached the monitor, vif IF throughout. */
static void stop_and_check(struct live_result *res)
{
    struct vmi_error err;
    usleep(20000);
    stop = 1;
    for (unsigned t = 0; t < nthreads; t++) {
        pthread_join(workers[t].tid, NULL);
        res->blocks += workers[t].blocks;
        res->failures += workers[t].failures;
        if (workers[t].failures)
            fprintf(stderr, "vmi-live: thread %u: %u wrong results; first: %s\n", t,
                    workers[t].failures, workers[t].first_failure);
    }
    switch_text(res->cur, P_NATIVE);
    if (vmi_verify(&text, &plans[P_NATIVE], &err) != VMI_OK)
        res->verify_failures++;
    uint32_t other_exits = 0;
    for (unsigned c = 0; c < 256; c++)
        if (c != VMI_CALL_CPUID)
            other_exits += pv->exits[c];
    if (other_exits || pv->vif != IF || pv->queue_count != 0) {
        fprintf(stderr, "vmi-live: the pv state moved: %u hypercalls other than CPUID, vif 0x%x, "
                        "queue %u\n", other_exits, pv->vif, pv->queue_count);
        res->failures++;
    }
}

static void report(const struct live_args *a, const struct live_result *res)
{
    unsigned long switches = a->switches;
    double elapsed = res->elapsed;
    printf("vmi-live: %u threads, %lu switches (native/auto/call-only, %llu site rewrites) in "
           "%.3f s: %.0f switches/s, %.1f us per switch; %u traps steered; %llu blocks "
           "(%llu site executions); quiesce %s; %u wrong results, %u verify failures\n",
           nthreads, switches, (unsigned long long)res->rewritten, elapsed, switches / elapsed,
           elapsed * 1e6 / switches, traps, (unsigned long long)res->blocks,
           (unsigned long long)res->blocks * 6 + res->blocks / 16 * 3, quiesce ? "on" : "off",
           res->failures, res->verify_failures);
    if (a->verbose)
        printf("vmi-live: monitor saw %u CPUID hypercalls; per switch: first sync %.1f us, "
               "quiescence wait %.1f us (%.1f sleeps)\n", pv->exits[VMI_CALL_CPUID],
               t_sync * 1e6 / switches, t_wait * 1e6 / switches, (double)wait_sleeps / switches);
}

/* The phases: options, the ROM, the sites and plans, the out-of-line copies, the loaded text
 * checked, the workers started, the switches, the final checks, the report. */
int main(int argc, char **argv)
{
    struct live_args a;
    struct live_result res = { 0 };
    parse_args(argc, argv, &a);
    map_rom(a.rom_path);
    read_sites_and_plan();
    build_all_copies(a.bad_plan);
    check_loaded_text();
    prepare_workers();
    run_switches(&a, &res);
    stop_and_check(&res);
    report(&a, &res);
    return res.failures || res.verify_failures ? 1 : 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
