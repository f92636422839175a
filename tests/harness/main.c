/* vmi-selftest: maps the pv ROM where a BIOS would shadow it, maps the state page, installs the C
 * monitor as the hypercall gate, then patches its own text under every policy, runs the workloads,
 * re-applies against a second copy of the ROM, reverts, and checks the text is byte-identical to
 * the original after every revert.  Ends with "N passed, M failed".
 *   vmi-selftest [-v] [--profile FILE] [ROM]       (ROM: build/rom/vmi-pv.rom)
 * A test program: built in build/bin, not installed (docs/inliner.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "vmi_glue.h"
#include "vmi_inliner.h"
#include "harness.h"
#include "vmi_version.h"

#define REGION_BASE   VMI_ROM_SCAN_START          /* 0xc0000: the option-ROM area */
#define REGION_SIZE   (VMI_ROM_SCAN_END - VMI_ROM_SCAN_START)
#define ROM1_OFFSET   (HARNESS_ROM_BASE - REGION_BASE) /* make's HARNESS_ROM_BASE (mk/inliner.mk) */
#define ROM2_OFFSET   0x11800u                     /* 0xd1800: the second copy */
#define ROUNDS        3

extern char __executable_start[], etext[];

static uint8_t *region;
static struct vmi_text text;
static uint8_t *original;                         /* the text as loaded */
static uint32_t text_lo, text_hi;                 /* page-aligned bounds for mprotect */
static int verbose;

static void fail_status(const char *what, vmi_status st, const struct vmi_error *err)
{
    char buf[256];
    vmi_error_format(err, buf, sizeof(buf));
    fprintf(stderr, "FAIL %s: %s\n", what, buf);
    h_check(st == VMI_OK, __FILE__, __LINE__, what, st, VMI_OK);
}

#define EXPECT_OK(what, call) do { \
        vmi_status st_ = (call); \
        if (st_ != VMI_OK) fail_status(what, st_, &err); else h_passed++; \
    } while (0)

int text_writable(int on)
{
    return mprotect((void *)(uintptr_t)text_lo, text_hi - text_lo,
                    PROT_READ | PROT_EXEC | (on ? PROT_WRITE : 0));
}

static void print_line(void *ctx, const char *line, uint32_t len)
{
    (void)ctx;
    printf("  %.*s\n", (int)len, line);
}

/* Runs every workload whose calls are all patched (MODE_PV) or, if it is valid natively, all
 * native (MODE_NATIVE).  Returns how many ran. */
unsigned run_workloads(const struct vmi_plan *plan, const char *label)
{
    unsigned ran = 0;
    for (unsigned w = 0; w < n_workloads; w++) {
        const struct workload *wl = &workloads[w];
        int all_pv = 1, all_native = 1;
        for (uint32_t i = 0; i < plan->count; i++)
            for (unsigned k = 0; k < wl->ncalls; k++)
                if (plan->sites[i].call == wl->calls[k]) {
                    if (plan->sites[i].decision == VMI_DECISION_NATIVE)
                        all_pv = 0;
                    else
                        all_native = 0;
                }
        monitor_reset();
        model_reset();
        if (all_pv && plan->rom_base) {
            wl->run(MODE_PV);
            ran++;
        } else if (all_native && wl->native_ok) {
            wl->run(MODE_NATIVE);
            for (unsigned i = 0; i < 256; i++)      /* nothing reached the monitor */
                if (pv->exits[i])
                    CHECK_EQ(pv->exits[i], 0);
            CHECK_EQ(mon_log.n, 0);
            ran++;
        } else if (verbose) {
            printf("  %s: %s skipped (sites %s)\n", label, wl->name,
                   all_pv ? "patched, but no ROM" : all_native ? "native" : "mixed");
        }
    }
    return ran;
}

static struct vmi_site_plan *plan_sites(uint32_t n)
{
    struct vmi_site_plan *p = calloc(n ? n : 1, sizeof(*p));
    if (!p)
        abort();
    return p;
}

static void usage(FILE *f)
{
    fputs("usage: vmi-selftest [-v] [--profile FILE] [ROM]\n"
          "  Patches its own text against the pv ROM ROM (default build/rom/vmi-pv.rom) under\n"
          "  every policy, runs the workloads, reverts, and checks each result against a model;\n"
          "  ends with \"N passed, M failed\" (exit 1 when any failed).\n"
          "  -v, --verbose       a line per site and per skipped workload\n"
          "  --profile FILE      write the auto plan's per-site execution counts to FILE\n"
          "  --help, --version   this text; the version\n", f);
}

/* Returns -1 to go on, else the exit status (0 after --help or --version, 2 on a usage error). */
static int parse_args(int argc, char **argv, const char **path, const char **profile)
{
    static const struct option longs[] = {
        { "verbose", no_argument, NULL, 'v' },
        { "profile", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    argv[0] = "vmi-selftest";           /* getopt's messages name the program, not its path */
    for (int c; (c = getopt_long(argc, argv, "hv", longs, NULL)) != -1;) {
        if (c == 'v') {
            verbose = 1;
        } else if (c == 'p') {
            *profile = optarg;
        } else if (c == 'h') {
            usage(stdout);
            return 0;
        } else if (c == 'V') {
            printf("vmi-selftest %s\n", VMI_VERSION);
            return 0;
        } else {
            usage(stderr);              /* getopt named the option */
            return 2;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "vmi-selftest: more than one ROM (%s, %s)\n", argv[optind],
                argv[optind + 1]);
        usage(stderr);
        return 2;
    }
    if (optind < argc)
        *path = argv[optind];
    return -1;
}

/* What the phases share: the two ROM copies with their relocation answers, our own site table,
 * the native plan and the plans for each copy, and the save area of the apply. */
struct selftest {
    const char *path;
    struct vmi_rom rom1, rom2;
    struct vmi_reloc_table rel1, rel2;
    uint32_t base1, base2;
    struct vmi_site_table sites;
    struct vmi_plan native, p1, p2;
    struct vmi_save save;
};

/* The option-ROM area, with the ROM read into it at a 2 KiB boundary and copied once more.
 * 0, or 1 after the failure line. */
static int map_roms(const char *path)
{
    region = mmap((void *)REGION_BASE, REGION_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (region != (uint8_t *)REGION_BASE) {
        fprintf(stderr, "vmi-selftest: cannot map the ROM area at 0x%x: %s\n", REGION_BASE,
                strerror(errno));
        printf("0 passed, 1 failed\n");
        return 1;
    }
    FILE *f = fopen(path, "rb");
    long n = f ? (long)fread(region + ROM1_OFFSET, 1, ROM2_OFFSET - ROM1_OFFSET, f) : -1;
    if (f)
        fclose(f);
    if (n <= 0) {
        fprintf(stderr, "vmi-selftest: cannot read the ROM %s\n", path);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    memcpy(region + ROM2_OFFSET, region + ROM1_OFFSET, (size_t)n);
    mprotect(region, REGION_SIZE, PROT_READ | PROT_EXEC);
    return 0;
}

/* The scan finds the first copy where it was put, the probe the second; then the state page and
 * the monitor, and VMI_Init and GetRelocationInfo run for real in both.  0, or 1. */
static int start_roms(struct selftest *t)
{
    struct vmi_error err;

    EXPECT_OK("scan the ROM area", vmi_rom_scan(&t->rom1, region, REGION_BASE, REGION_SIZE, 0, &err));
    CHECK_EQ(t->rom1.base, REGION_BASE + ROM1_OFFSET);
    CHECK(t->rom1.has_inline);
    EXPECT_OK("probe the second copy", vmi_rom_probe(&t->rom2, region + ROM2_OFFSET,
                                                     REGION_SIZE - ROM2_OFFSET,
                                                     REGION_BASE + ROM2_OFFSET, 0, &err));
    if (h_failed) {
        printf("%u passed, %u failed\n", h_passed, h_failed);
        return 1;
    }
    t->base1 = t->rom1.base;
    t->base2 = t->rom2.base;
    printf("ROM %s: %u bytes at 0x%x and 0x%x, API %u.%u, virtual_top 0x%x, %u inline bodies\n",
           t->path, t->rom1.size, t->base1, t->base2, t->rom1.api_major, t->rom1.api_minor,
           t->rom1.virtual_top, t->rom1.inline_entries);
    if (monitor_install(t->rom1.virtual_top) != 0) {
        fprintf(stderr, "vmi-selftest: cannot map the state page at 0x%x\n", t->rom1.virtual_top);
        printf("%u passed, %u failed\n", h_passed, h_failed + 1);
        return 1;
    }
    CHECK_EQ(harness_rom_init(t->base1), 0);
    CHECK_EQ(harness_rom_init(t->base2), 0);
    EXPECT_OK("GetRelocationInfo, first copy",
              vmi_reloc_table_fill(&t->rel1, harness_query_rom, &t->base1, &err));
    EXPECT_OK("GetRelocationInfo, second copy",
              vmi_reloc_table_fill(&t->rel2, harness_query_rom, &t->base2, &err));
    CHECK(t->rel1.info[VMI_CALL_CPUID].eip - t->rel2.info[VMI_CALL_CPUID].eip ==
          t->base1 - t->base2);
    return 0;
}

/* Our own text (kept as loaded in original) and site table. */
static void read_own_sites(struct selftest *t)
{
    struct vmi_error err;
    uint32_t bytes = (uint32_t)((const char *)__stop_vmi_sites - (const char *)__start_vmi_sites);

    text.bytes = (uint8_t *)__executable_start;
    text.base = (uint32_t)(uintptr_t)__executable_start;
    text.size = (uint32_t)(etext - __executable_start);
    text_lo = text.base & ~4095u;
    text_hi = (text.base + text.size + 4095u) & ~4095u;
    original = malloc(text.size);
    memcpy(original, text.bytes, text.size);
    t->sites.cap = bytes / sizeof(struct vmi_site);
    t->sites.sites = calloc(t->sites.cap + 1, sizeof(*t->sites.sites));
    EXPECT_OK("read the site table", vmi_sites_read(&t->sites, __start_vmi_sites,
              (uint32_t)(uintptr_t)__start_vmi_sites, bytes, &err));
}

/* A pre-specialized image (vmi-aot specialize --rom-base HARNESS_ROM_BASE): checked against the ROM
 * found, as a kernel does at boot; the rounds then start from native text.  0, or 1. */
static int check_aot(struct selftest *t)
{
    switch (aot_boot(&text, &t->sites, &t->rom1, &t->rel1)) {
    case AOT_NONE:
        break;
    case AOT_MATCH:
    case AOT_MISMATCH:
        memcpy(original, text.bytes, text.size);
        break;
    case AOT_UNTRUSTED:
    case AOT_FAILED:
        printf("%u passed, %u failed\n", h_passed, h_failed + 1);
        return 1;
    }
    return 0;
}

/* The plans' memory, sized for the site table; then the unpatched text checked to be exactly
 * the native bytes and NOP fill at every site, and the workloads run on it. */
static void plan_native(struct selftest *t)
{
    struct vmi_error err;
    struct vmi_plan_size need;
    uint32_t n = t->sites.count, total_len;

    vmi_plan_size_for(&t->sites, &need);
    total_len = need.code;
    printf("text 0x%x-0x%x: %u sites, %u bytes\n", text.base, text.base + text.size, n, total_len);
    CHECK(n > 50);
    t->save.bytes = malloc(total_len + 1);
    t->save.cap = total_len;
    vmi_plan_init(&t->native, plan_sites(n), n, malloc(total_len + 1), total_len);
    vmi_plan_init(&t->p1, plan_sites(n), n, malloc(total_len + 1), total_len);
    vmi_plan_init(&t->p2, plan_sites(n), n, malloc(total_len + 1), total_len);
    EXPECT_OK("native plan", vmi_plan_build(&t->native, &t->sites, NULL, NULL, NULL, &err));
    EXPECT_OK("the text as loaded is the native plan", vmi_verify(&text, &t->native, &err));
    printf("unpatched: %u workloads ran natively\n", run_workloads(&t->native, "unpatched"));
}

/* One policy: planned for both copies, applied for the first, the workloads run, re-applied for
 * the second from what the first wrote, run again, reverted to the original text.  The first
 * round reports the plan. */
static void one_policy(struct selftest *t, int round, unsigned pol)
{
    static struct vmi_stats stats;
    struct vmi_plan_options opt = { (enum vmi_policy)pol, 0 };
    struct vmi_error err;
    unsigned ran1, ran2;
    char label[64];

    EXPECT_OK("plan", vmi_plan_build(&t->p1, &t->sites, &t->rom1, &t->rel1, &opt, &err));
    EXPECT_OK("plan, second ROM", vmi_plan_build(&t->p2, &t->sites, &t->rom2, &t->rel2, &opt, &err));
    CHECK_EQ(text_writable(1), 0);
    EXPECT_OK("apply", vmi_apply(&text, &t->p1, NULL, &t->save, &err));
    CHECK_EQ(text_writable(0), 0);
    EXPECT_OK("verify", vmi_verify(&text, &t->p1, &err));
    snprintf(label, sizeof(label), "%s@0x%x", vmi_policy_name(pol), t->base1);
    ran1 = run_workloads(&t->p1, label);

    CHECK_EQ(text_writable(1), 0);
    EXPECT_OK("re-apply, second ROM", vmi_apply(&text, &t->p2, &t->p1, NULL, &err));
    CHECK_EQ(text_writable(0), 0);
    snprintf(label, sizeof(label), "%s@0x%x", vmi_policy_name(pol), t->base2);
    ran2 = run_workloads(&t->p2, label);

    CHECK_EQ(text_writable(1), 0);
    EXPECT_OK("revert", vmi_revert(&text, &t->p2, &t->save, &err));
    CHECK_EQ(text_writable(0), 0);
    CHECK(memcmp(text.bytes, original, text.size) == 0);
    if (round == 0) {
        vmi_plan_stats(&t->p1, &stats);
        printf("policy %s: %u workloads ran (ROM 1), %u (ROM 2)\n", vmi_policy_name(pol),
               ran1, ran2);
        vmi_report(&t->p1, &stats, verbose, print_line, NULL);
    }
    CHECK(ran1 >= 1 && ran1 == ran2);
}

static double ns_between(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1e9 + (b->tv_nsec - a->tv_nsec);
}

/* Measured: plan, apply (with its checks and read-back) and revert, auto policy. */
static void measure(struct selftest *t)
{
    struct vmi_plan_options opt = { VMI_POLICY_AUTO, 0 };
    struct vmi_error err;
    struct timespec t0, t1, t2, t3;
    double plan_ns = 0, apply_ns = 0, revert_ns = 0;
    const int reps = 200;

    CHECK_EQ(text_writable(1), 0);
    for (int i = 0; i < reps; i++) {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        vmi_plan_build(&t->p1, &t->sites, &t->rom1, &t->rel1, &opt, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        vmi_apply(&text, &t->p1, NULL, &t->save, &err);
        clock_gettime(CLOCK_MONOTONIC, &t2);
        vmi_revert(&text, &t->p1, &t->save, &err);
        clock_gettime(CLOCK_MONOTONIC, &t3);
        plan_ns += ns_between(&t0, &t1);
        apply_ns += ns_between(&t1, &t2);
        revert_ns += ns_between(&t2, &t3);
    }
    CHECK_EQ(text_writable(0), 0);
    CHECK(memcmp(text.bytes, original, text.size) == 0);
    printf("measured (%d reps, %u sites): plan %.1f us, apply %.1f us, revert %.1f us\n", reps,
           t->sites.count, plan_ns / reps / 1e3, apply_ns / reps / 1e3, revert_ns / reps / 1e3);
}

/* Phases: options, the ROM copies mapped and started, our own sites read and a specialized
 * image checked, the native plan, every policy ROUNDS times, the measurement, the counting
 * plan, and the native workloads once more on the reverted text. */
int main(int argc, char **argv)
{
    struct selftest t = { .path = "build/rom/vmi-pv.rom" };
    const char *profile = NULL;

    int parsed = parse_args(argc, argv, &t.path, &profile);
    if (parsed >= 0)
        return parsed;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (map_roms(t.path) != 0 || start_roms(&t) != 0)
        return 1;
    read_own_sites(&t);
    if (check_aot(&t) != 0)
        return 1;
    plan_native(&t);
    for (int round = 0; round < ROUNDS; round++)
        for (unsigned pol = 0; pol < VMI_POLICY_COUNT; pol++)
            one_policy(&t, round, pol);
    measure(&t);
    /* Per-site execution counts under the auto plan (docs/specializer.md). */
    run_counting(&text, &t.sites, &t.rom1, &t.rel1, &t.save, original, profile);
    run_workloads(&t.native, "reverted");
    CHECK(memcmp(text.bytes, original, text.size) == 0);

    printf("%u passed, %u failed\n", h_passed, h_failed);
    return h_failed != 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
