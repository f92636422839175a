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

int main(int argc, char **argv)
{
    const char *path = "build/rom/vmi-pv.rom";
    const char *profile = NULL;
    struct vmi_rom rom1, rom2;
    struct vmi_reloc_table rel1, rel2;
    struct vmi_site_table sites;
    struct vmi_plan native, p1, p2;
    struct vmi_save save;
    struct vmi_error err;
    uint32_t total_len, rom_size, base1, base2;
    uint8_t *code_n, *code1, *code2;
    static struct vmi_stats stats;
    FILE *f;
    long n;

    int parsed = parse_args(argc, argv, &path, &profile);
    if (parsed >= 0)
        return parsed;
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* The option-ROM area, with the ROM shadowed at a 2 KiB boundary. */
    region = mmap((void *)REGION_BASE, REGION_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (region != (uint8_t *)REGION_BASE) {
        fprintf(stderr, "vmi-selftest: cannot map the ROM area at 0x%x: %s\n", REGION_BASE,
                strerror(errno));
        printf("0 passed, 1 failed\n");
        return 1;
    }
    f = fopen(path, "rb");
    n = f ? (long)fread(region + ROM1_OFFSET, 1, ROM2_OFFSET - ROM1_OFFSET, f) : -1;
    if (f)
        fclose(f);
    if (n <= 0) {
        fprintf(stderr, "vmi-selftest: cannot read the ROM %s\n", path);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    memcpy(region + ROM2_OFFSET, region + ROM1_OFFSET, (size_t)n);
    mprotect(region, REGION_SIZE, PROT_READ | PROT_EXEC);

    EXPECT_OK("scan the ROM area", vmi_rom_scan(&rom1, region, REGION_BASE, REGION_SIZE, 0, &err));
    CHECK_EQ(rom1.base, REGION_BASE + ROM1_OFFSET);
    CHECK(rom1.has_inline);
    rom_size = rom1.size;
    EXPECT_OK("probe the second copy", vmi_rom_probe(&rom2, region + ROM2_OFFSET,
                                                     REGION_SIZE - ROM2_OFFSET,
                                                     REGION_BASE + ROM2_OFFSET, 0, &err));
    if (h_failed) {
        printf("%u passed, %u failed\n", h_passed, h_failed);
        return 1;
    }
    base1 = rom1.base;
    base2 = rom2.base;
    printf("ROM %s: %u bytes at 0x%x and 0x%x, API %u.%u, virtual_top 0x%x, %u inline bodies\n",
           path, rom_size, base1, base2, rom1.api_major, rom1.api_minor, rom1.virtual_top,
           rom1.inline_entries);

    /* The state page and the monitor, then VMI_Init and GetRelocationInfo, run for real. */
    if (monitor_install(rom1.virtual_top) != 0) {
        fprintf(stderr, "vmi-selftest: cannot map the state page at 0x%x\n", rom1.virtual_top);
        printf("%u passed, %u failed\n", h_passed, h_failed + 1);
        return 1;
    }
    CHECK_EQ(harness_rom_init(base1), 0);
    CHECK_EQ(harness_rom_init(base2), 0);
    EXPECT_OK("GetRelocationInfo, first copy", vmi_reloc_table_fill(&rel1, harness_query_rom, &base1, &err));
    EXPECT_OK("GetRelocationInfo, second copy", vmi_reloc_table_fill(&rel2, harness_query_rom, &base2, &err));
    CHECK(rel1.info[VMI_CALL_CPUID].eip - rel2.info[VMI_CALL_CPUID].eip == base1 - base2);

    /* Our own text and site table. */
    text.bytes = (uint8_t *)__executable_start;
    text.base = (uint32_t)(uintptr_t)__executable_start;
    text.size = (uint32_t)(etext - __executable_start);
    text_lo = text.base & ~4095u;
    text_hi = (text.base + text.size + 4095u) & ~4095u;
    original = malloc(text.size);
    memcpy(original, text.bytes, text.size);
    {
        uint32_t bytes = (uint32_t)((const char *)__stop_vmi_sites - (const char *)__start_vmi_sites);
        sites.cap = bytes / sizeof(struct vmi_site);
        sites.sites = calloc(sites.cap + 1, sizeof(*sites.sites));
        EXPECT_OK("read the site table", vmi_sites_read(&sites, __start_vmi_sites,
                  (uint32_t)(uintptr_t)__start_vmi_sites, bytes, &err));
    }
    /* A pre-specialized image (vmi-aot specialize --rom-base HARNESS_ROM_BASE): check it against the ROM
     * found, as a kernel does at boot; the rounds below then start from native text. */
    switch (aot_boot(&text, &sites, &rom1, &rel1)) {
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
    struct vmi_plan_size need;
    vmi_plan_size_for(&sites, &need);
    total_len = need.code;
    printf("text 0x%x-0x%x: %u sites, %u bytes\n", text.base, text.base + text.size, sites.count,
           total_len);
    CHECK(sites.count > 50);

    code_n = malloc(total_len + 1);
    code1 = malloc(total_len + 1);
    code2 = malloc(total_len + 1);
    save.bytes = malloc(total_len + 1);
    save.cap = total_len;
    vmi_plan_init(&native, plan_sites(sites.count), sites.count, code_n, total_len);
    vmi_plan_init(&p1, plan_sites(sites.count), sites.count, code1, total_len);
    vmi_plan_init(&p2, plan_sites(sites.count), sites.count, code2, total_len);

    /* The unpatched text is exactly the native bytes + NOP fill at every site. */
    EXPECT_OK("native plan", vmi_plan_build(&native, &sites, NULL, NULL, NULL, &err));
    EXPECT_OK("the text as loaded is the native plan", vmi_verify(&text, &native, &err));
    printf("unpatched: %u workloads ran natively\n", run_workloads(&native, "unpatched"));

    for (int round = 0; round < ROUNDS; round++) {
        for (unsigned pol = 0; pol < VMI_POLICY_COUNT; pol++) {
            struct vmi_plan_options opt = { (enum vmi_policy)pol, 0 };
            unsigned ran1, ran2;
            char label[64];

            EXPECT_OK("plan", vmi_plan_build(&p1, &sites, &rom1, &rel1, &opt, &err));
            EXPECT_OK("plan, second ROM", vmi_plan_build(&p2, &sites, &rom2, &rel2, &opt, &err));
            CHECK_EQ(text_writable(1), 0);
            EXPECT_OK("apply", vmi_apply(&text, &p1, NULL, &save, &err));
            CHECK_EQ(text_writable(0), 0);
            EXPECT_OK("verify", vmi_verify(&text, &p1, &err));
            snprintf(label, sizeof(label), "%s@0x%x", vmi_policy_name(pol), base1);
            ran1 = run_workloads(&p1, label);

            /* Re-apply against the second copy, from what the first plan wrote. */
            CHECK_EQ(text_writable(1), 0);
            EXPECT_OK("re-apply, second ROM", vmi_apply(&text, &p2, &p1, NULL, &err));
            CHECK_EQ(text_writable(0), 0);
            snprintf(label, sizeof(label), "%s@0x%x", vmi_policy_name(pol), base2);
            ran2 = run_workloads(&p2, label);

            CHECK_EQ(text_writable(1), 0);
            EXPECT_OK("revert", vmi_revert(&text, &p2, &save, &err));
            CHECK_EQ(text_writable(0), 0);
            CHECK(memcmp(text.bytes, original, text.size) == 0);
            if (round == 0) {
                vmi_plan_stats(&p1, &stats);
                printf("policy %s: %u workloads ran (ROM 1), %u (ROM 2)\n", vmi_policy_name(pol),
                       ran1, ran2);
                vmi_report(&p1, &stats, verbose, print_line, NULL);
            }
            CHECK(ran1 >= 1 && ran1 == ran2);
        }
    }
    /* Measured: plan, apply (with its checks and read-back) and revert, auto policy. */
    {
        struct vmi_plan_options opt = { VMI_POLICY_AUTO, 0 };
        struct timespec t0, t1, t2, t3;
        double plan_ns = 0, apply_ns = 0, revert_ns = 0;
        const int reps = 200;
        CHECK_EQ(text_writable(1), 0);
        for (int i = 0; i < reps; i++) {
            clock_gettime(CLOCK_MONOTONIC, &t0);
            vmi_plan_build(&p1, &sites, &rom1, &rel1, &opt, &err);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            vmi_apply(&text, &p1, NULL, &save, &err);
            clock_gettime(CLOCK_MONOTONIC, &t2);
            vmi_revert(&text, &p1, &save, &err);
            clock_gettime(CLOCK_MONOTONIC, &t3);
            plan_ns += (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
            apply_ns += (t2.tv_sec - t1.tv_sec) * 1e9 + (t2.tv_nsec - t1.tv_nsec);
            revert_ns += (t3.tv_sec - t2.tv_sec) * 1e9 + (t3.tv_nsec - t2.tv_nsec);
        }
        CHECK_EQ(text_writable(0), 0);
        CHECK(memcmp(text.bytes, original, text.size) == 0);
        printf("measured (%d reps, %u sites): plan %.1f us, apply %.1f us, revert %.1f us\n", reps,
               sites.count, plan_ns / reps / 1e3, apply_ns / reps / 1e3, revert_ns / reps / 1e3);
    }
    /* Per-site execution counts under the auto plan (docs/specializer.md). */
    run_counting(&text, &sites, &rom1, &rel1, &save, original, profile);

    /* After all that, the native workloads still run on the reverted text. */
    run_workloads(&native, "reverted");
    CHECK(memcmp(text.bytes, original, text.size) == 0);

    printf("%u passed, %u failed\n", h_passed, h_failed);
    return h_failed != 0;
}
