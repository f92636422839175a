/* Patching the kernel's own call sites at boot with the inliner (inliner/vmi_inliner.h):
 * read the site table, plan against the ROM at vmi_rom_area, apply (the inliner checks every site
 * holds its native bytes first and reads every write back), and report the decisions.  A
 * pre-specialized image (docs/aot.md) is checked instead of patched, or reverted and re-patched
 * when it was specialized for another ROM.  The benchmark re-plans only its own sites.
 * With count=1 on the command line the boot plan is applied in its counting version
 * (vmi_plan_count, docs/specializer.md): every site jumps to a thunk of its own that counts it and
 * runs what the plan put there; the profile is printed at the end of the report. */
#include "kernel.h"
#include "platform.h"
#include "vmi_inliner.h"
#include "vmi_aot.h"

#define MAX_SITES 1024
#define CODE_CAP  VMI_PLAN_CODE_BYTES(MAX_SITES, VMI_RESERVE_MAX)   /* every site may be the largest */
#define BENCH_MAX 32

extern const uint8_t __kernel_start[], __text_end[], __bench_start[], __bench_end[];
extern struct vmi_rom rom_info;
extern struct vmi_reloc_table rom_relocs;

/* Filled by vmi-aot specialize in place; all zero in a plain build. */
struct vmi_aot_identity vmi_aot_identity __attribute__((section(".vmi_aot_id"), used));

static struct vmi_site_info site_info[MAX_SITES];
static struct vmi_site_table sites = { site_info, 0, MAX_SITES };
static struct vmi_site_plan boot_sp[MAX_SITES];
static uint8_t boot_code[CODE_CAP];
static struct vmi_plan boot_plan;
static struct vmi_stats stats;
static struct vmi_text text;
static uint32_t boot_policy;

/* The counting plan's memory, the kernel's own: thunks in .bss (executable: 32-bit paging without
 * PAE has no NX bit, and the kernel maps its image identity, present and writable) and one counter
 * per site.  A thunk is at most VMI_COUNT_THUNK_FIXED + VMI_RESERVE_MAX bytes. */
#define COUNT_SITES     256
static uint8_t count_thunks[VMI_COUNT_THUNK_BYTES(COUNT_SITES, VMI_RESERVE_MAX)]
    __attribute__((aligned(16)));
static volatile uint32_t count_counters[COUNT_SITES];
static uint32_t count_snapshot[COUNT_SITES];
static struct vmi_site_plan count_sp[MAX_SITES];
static uint8_t count_code[CODE_CAP];
static struct vmi_plan count_plan;
int counting;                       /* the text holds count_plan */

static void report_line(void *ctx, const char *line, uint32_t len)
{
    (void)ctx;
    (void)len;
    kprintf("plan %s\n", line);
}

static void fail_err(const char *what, const struct vmi_error *err)
{
    char line[200];
    vmi_error_format(err, line, sizeof(line));
    panic("%s: %s", what, line);
}

static int policy_from_name(const char *name)
{
    for (unsigned p = 0; p < VMI_POLICY_COUNT; p++)
        if (!strncmp(name, vmi_policy_name(p), 32))
            return (int)p;
    return -1;
}

static void build(struct vmi_plan *plan, const struct vmi_site_table *t, int with_rom,
                  uint32_t policy)
{
    struct vmi_plan_options opt = { (enum vmi_policy)policy, 0 };
    struct vmi_error err;
    if (vmi_plan_build(plan, t, with_rom ? &rom_info : 0, with_rom ? &rom_relocs : 0, &opt,
                       &err) != VMI_OK)
        fail_err("plan", &err);
}

static void serialize(void)
{
    struct vmi_cpuid_regs r;
    VMI(CPUID, &r, 0, 0);        /* a serializing instruction after cross-modifying our text */
}

/* The kernel's own site table and text, and the boot plan's memory. */
static void boot_sites_read(void)
{
    struct vmi_error err;
    uint32_t bytes = (uint32_t)((const uint8_t *)__stop_vmi_sites - (const uint8_t *)__start_vmi_sites);

    if (vmi_sites_read(&sites, __start_vmi_sites, (uint32_t)__start_vmi_sites, bytes, &err) != VMI_OK)
        fail_err("site table", &err);
    text.bytes = (uint8_t *)__kernel_start;
    text.base = (uint32_t)__kernel_start;
    text.size = (uint32_t)(__text_end - __kernel_start);
    vmi_plan_init(&boot_plan, boot_sp, MAX_SITES, boot_code, CODE_CAP);
}

/* The identity vmi-aot specialize left in the image, checked against this boot's text, sites and
 * ROM: nothing to do for a plain image (1); touch nothing for an untrusted one (-1, native run);
 * prove a match and write nothing (0); revert a mismatch to the native bytes and patch it (1). */
static int aot_boot(void)
{
    const struct vmi_aot_identity *id = &vmi_aot_identity;
    struct vmi_aot_verdict v;
    struct vmi_error err;
    enum vmi_aot_state state = vmi_aot_check(id, &text, &sites, boot_rom.found ? &rom_info : 0, &v);

    if (state == VMI_AOT_NONE) {
        kprintf("aot state=none\n");
        return 1;
    }
    kprintf("aot specialized=1 policy=%s rom_hash=0x%llx rom_size=%u rom_base=0x%x sites=%u "
            "rule=%s\n", vmi_policy_name(id->policy), (unsigned long long)id->rom_hash,
            id->rom_size, id->rom_base, id->site_count, vmi_aot_rule_name(v.rule));
    if (state == VMI_AOT_UNTRUSTED) {
        /* the text is not what vmi-aot wrote, or the record is not one we read: touch
         * nothing, run native (docs/aot.md, "The identity check") */
        kprintf("aot state=untrusted patched=0 rule=%s\n", vmi_aot_rule_name(v.rule));
        boot_rom.found = 0;
        return -1;
    }
    if (state == VMI_AOT_MATCH) {
        /* the image is already what this ROM and policy give: prove it, write nothing */
        boot_policy = id->policy;
        build(&boot_plan, &sites, 1, boot_policy);
        if (vmi_verify(&text, &boot_plan, &err) != VMI_OK)
            fail_err("aot: the specialized sites differ from the plan", &err);
        vmi_plan_stats(&boot_plan, &stats);
        kprintf("aot state=match patched=0 verified=%u\n", boot_plan.count);
        vmi_report(&boot_plan, &stats, 0, report_line, 0);
        return 0;
    }
    /* another ROM: back to the native bytes the spec defines, then patch for this ROM */
    build(&boot_plan, &sites, 0, VMI_POLICY_NATIVE_ONLY);
    if (vmi_apply_ex(&text, &boot_plan, 0, 0, VMI_APPLY_TRUST_TEXT, &err) != VMI_OK)
        fail_err("aot: revert to native", &err);
    serialize();
    kprintf("aot state=mismatch reverted=%u rule=%s\n", boot_plan.count, vmi_aot_rule_name(v.rule));
    return 1;
}

/* No ROM: the text must hold the native bytes; nothing is written. */
static void keep_native(void)
{
    struct vmi_error err;

    build(&boot_plan, &sites, 0, VMI_POLICY_NATIVE_ONLY);
    if (vmi_verify(&text, &boot_plan, &err) != VMI_OK)
        fail_err("native text", &err);
    vmi_plan_stats(&boot_plan, &stats);
    vmi_report(&boot_plan, &stats, 0, report_line, 0);
}

/* The boot plan for the ROM applied (in its counting version with want_count), timed. */
static void patch_for_rom(int want_count)
{
    struct vmi_error err;
    uint32_t t0 = (uint32_t)VMI(RDTSC);
    build(&boot_plan, &sites, 1, boot_policy);
    const struct vmi_plan *applied = &boot_plan;
    struct vmi_count_area area = { count_thunks, (uint32_t)count_thunks, sizeof(count_thunks), 0,
                                   (uint32_t)count_counters };
    if (want_count) {
        if (boot_plan.count > COUNT_SITES)
            panic("count: %u sites, room for %u", boot_plan.count, COUNT_SITES);
        vmi_plan_init(&count_plan, count_sp, MAX_SITES, count_code, CODE_CAP);
        if (vmi_plan_count(&count_plan, &boot_plan, &rom_info, &area, &err) != VMI_OK)
            fail_err("count plan", &err);
        applied = &count_plan;
    }
    if (vmi_apply(&text, applied, 0, 0, &err) != VMI_OK)
        fail_err("apply", &err);
    serialize();
    counting = want_count;
    uint32_t t1 = (uint32_t)VMI(RDTSC);
    vmi_plan_stats(&boot_plan, &stats);
    kprintf("patch sites=%u written=%u cycles=%u\n", applied->count, applied->count, t1 - t0);
    if (counting)
        kprintf("count plan=%s sites=%u thunks=0x%x thunk_bytes=%u counters=0x%x\n",
                vmi_policy_name(boot_policy), count_plan.count, area.thunks_addr, area.thunks_len,
                area.counters_addr);
    vmi_report(&boot_plan, &stats, 0, report_line, 0);
}

/* Phases: the sites read, the policy named, a specialized image's identity checked, then the
 * text kept native (no ROM) or patched for the ROM.  Returns -1 when the image is not trusted. */
int patch_boot(const char *policy_name, int want_count)
{
    int policy, aot;

    boot_sites_read();
    policy = policy_from_name(policy_name);
    if (policy < 0)
        panic("unknown policy %s", policy_name);
    boot_policy = (uint32_t)policy;
    aot = aot_boot();
    if (aot <= 0)
        return aot;
    if (!boot_rom.found)
        keep_native();
    else
        patch_for_rom(want_count);
    return 0;
}

/* ---- the benchmark's own sites: planned and rewritten in isolation ---- */

static struct vmi_site_table bench_sites;
static struct vmi_site_plan bench_sp[2][BENCH_MAX];
static uint8_t bench_code[2][VMI_PLAN_CODE_BYTES(BENCH_MAX, VMI_RESERVE_MAX)];
static struct vmi_plan bench_plan[2];
static int bench_cur;               /* which of bench_plan describes the text now */

void bench_sites_init(void)
{
    uint32_t first = sites.count, n = 0;
    for (uint32_t i = 0; i < sites.count; i++) {
        if (sites.sites[i].addr >= (uint32_t)__bench_start && sites.sites[i].addr < (uint32_t)__bench_end) {
            if (first == sites.count)
                first = i;
            n++;
        }
    }
    if (n > BENCH_MAX)
        panic("too many benchmark sites");
    bench_sites.sites = sites.sites + first;
    bench_sites.count = bench_sites.cap = n;
    for (int k = 0; k < 2; k++)
        vmi_plan_init(&bench_plan[k], bench_sp[k], BENCH_MAX, bench_code[k], sizeof(bench_code[k]));
    /* what the text holds now: the boot plan restricted to these sites */
    build(&bench_plan[0], &bench_sites, boot_rom.found, boot_rom.found ? boot_policy : VMI_POLICY_NATIVE_ONLY);
    bench_cur = 0;
}

/* Rewrites the benchmark's sites with policy (NATIVE_ONLY needs no ROM); returns in dec[] the
 * number of the loop body's sites per decision (the RDTSC sites around the loop are not counted). */
void bench_repatch(uint32_t policy, uint32_t *dec)
{
    struct vmi_error err;
    int next = !bench_cur;
    build(&bench_plan[next], &bench_sites, boot_rom.found && policy != VMI_POLICY_NATIVE_ONLY, policy);
    uint32_t flags = irq_save();            /* text writes with interrupts off, as at boot */
    if (vmi_apply(&text, &bench_plan[next], &bench_plan[bench_cur], 0, &err) != VMI_OK)
        fail_err("bench apply", &err);
    serialize();
    irq_restore(flags);
    bench_cur = next;
    for (int d = 0; d < VMI_DECISION_COUNT; d++)
        dec[d] = 0;
    for (uint32_t i = 0; i < bench_plan[next].count; i++)
        if (bench_plan[next].sites[i].call != VMI_CALL_RDTSC)
            dec[bench_plan[next].sites[i].decision]++;
}

void bench_restore(void)
{
    uint32_t dec[VMI_DECISION_COUNT];
    bench_repatch(boot_rom.found ? boot_policy : VMI_POLICY_NATIVE_ONLY, dec);
}

/* ---- the counting plan's results ---- */

/* Executions counted so far at the sites in [lo, hi) of one call. */
uint32_t count_sites_sum(uint32_t lo, uint32_t hi, uint8_t call, uint32_t *nsites)
{
    uint32_t sum = 0, n = 0;
    for (uint32_t i = 0; counting && i < count_plan.count; i++)
        if (count_plan.sites[i].addr >= lo && count_plan.sites[i].addr < hi &&
            count_plan.sites[i].call == call) {
            sum += count_counters[i];
            n++;
        }
    if (nsites)
        *nsites = n;
    return sum;
}

/* The profile (docs/specializer.md), between "profile begin" and "profile end": the counters are
 * copied first, so the lines and the total describe one moment. */
void count_report(void)
{
    uint32_t total = 0;
    if (!counting)
        return;
    for (uint32_t i = 0; i < count_plan.count; i++) {
        count_snapshot[i] = count_counters[i];
        total += count_snapshot[i];
    }
    kprintf("profile begin format=vmi-profile-1 sites=%u\n", count_plan.count);
    kprintf("# vmi-profile 1: one line per site, in site-table order\n");
    for (uint32_t i = 0; i < count_plan.count; i++)
        kprintf("site addr=0x%08x call=%s count=%u\n", count_plan.sites[i].addr,
                vmi_call_name(count_plan.sites[i].call), count_snapshot[i]);
    kprintf("profile end sites=%u executions=%u\n", count_plan.count, total);
}
/* SPDX-License-Identifier: GPL-2.0-only */
