/* The critical-path benchmark: Linux's local_irq_save / local_irq_restore pair
 * (GetInterruptMask, DisableInterrupts, SetInterruptMask), timed with RDTSC.  Its sites live in
 * section .bench.text, so patch.c can rewrite just them native, called, and inlined in turn and
 * the same loop is measured three ways in one boot. */
#include "kernel.h"
#include "platform.h"
#include "vmi_inliner.h"

#define ITERS  2000u
#define ROUNDS 16u

__attribute__((section(".bench.text"), noinline))
static uint64_t bench_irqsave(uint32_t n)
{
    uint64_t t0 = vmi_RDTSC();
    for (uint32_t i = 0; i < n; i++) {
        uint32_t f = vmi_GetInterruptMask();
        vmi_DisableInterrupts();
        vmi_SetInterruptMask(f);
    }
    uint64_t t1 = vmi_RDTSC();
    return t1 - t0;
}

/* The fastest of ROUNDS runs (a timer tick inside a run only makes it slower), in tenths of a
 * cycle per operation. */
static uint32_t measure(void)
{
    uint64_t best = ~0ull;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        uint64_t c = bench_irqsave(ITERS);
        if (c < best)
            best = c;
    }
    vmi_count[VMI_CALL_RDTSC] += 2 * ROUNDS;
    vmi_count[VMI_CALL_GetInterruptMask] += ITERS * ROUNDS;
    vmi_count[VMI_CALL_DisableInterrupts] += ITERS * ROUNDS;
    vmi_count[VMI_CALL_SetInterruptMask] += ITERS * ROUNDS;
    if (best > 0xffffffffu / 10)
        best = 0xffffffffu / 10;
    return (uint32_t)best * 10 / ITERS;
}

static void put_tenths(char *buf, uint32_t cap, int have, uint32_t v)
{
    if (have)
        ksnprintf(buf, cap, "%u.%u", v / 10, v % 10);
    else
        ksnprintf(buf, cap, "-");
}

/* Under the counting plan the loop is not re-patched (its sites jump to counting thunks): it runs
 * ROUNDS x ITERS times as it is, and every site of the loop must have counted exactly that, the
 * RDTSC sites around it ROUNDS times each (nothing else runs the loop's code). */
static void bench_counted(void)
{
    extern const uint8_t __bench_start[], __bench_end[];
    static const uint8_t body[] = { VMI_CALL_GetInterruptMask, VMI_CALL_DisableInterrupts,
                                    VMI_CALL_SetInterruptMask };
    uint32_t lo = (uint32_t)__bench_start, hi = (uint32_t)__bench_end, n, bad = 0;
    uint32_t before[3], rd0 = count_sites_sum(lo, hi, VMI_CALL_RDTSC, 0);
    for (int c = 0; c < 3; c++)
        before[c] = count_sites_sum(lo, hi, body[c], 0);
    uint32_t cyc = measure();
    kprintf("bench variant=counted tenths=%u\n", cyc);
    for (int c = 0; c < 3; c++) {
        uint32_t got = count_sites_sum(lo, hi, body[c], &n) - before[c];
        kprintf("count loop call=%s sites=%u count=%u expected=%u\n", vmi_call_name(body[c]), n,
                got, ITERS * ROUNDS);
        bad += n == 0 || got != ITERS * ROUNDS;
    }
    uint32_t rd = count_sites_sum(lo, hi, VMI_CALL_RDTSC, &n) - rd0;
    bad += rd != 2 * ROUNDS;
    check("count_exact", bad == 0, "loop_iterations=%u rdtsc=%u expected_rdtsc=%u", ITERS * ROUNDS,
          rd, 2 * ROUNDS);
    kprintf("bench op=irqsave iters=%u rounds=%u native=- call=- inline=- counted=%u.%u\n", ITERS,
            ROUNDS, cyc / 10, cyc % 10);
}

void bench_run(void)
{
    static const struct { const char *name; uint32_t policy; } modes[] = {
        { "native", VMI_POLICY_NATIVE_ONLY },
        { "call", VMI_POLICY_CALL_ONLY },
        { "inline", VMI_POLICY_INLINE_ONLY },
    };
    char val[3][16];
    uint32_t dec[VMI_DECISION_COUNT];

    if (counting) {
        bench_counted();
        return;
    }
    bench_sites_init();
    for (int m = 0; m < 3; m++) {
        /* no ROM: only native.  Under the pv platform the kernel never runs the real cli/popf
         * (the real IF is the platform's), so there is no native variant either. */
        if ((!boot_rom.found && modes[m].policy != VMI_POLICY_NATIVE_ONLY) ||
            (platform_active && modes[m].policy == VMI_POLICY_NATIVE_ONLY)) {
            put_tenths(val[m], sizeof(val[m]), 0, 0);
            continue;
        }
        bench_repatch(modes[m].policy, dec);
        /* a variant counts only if every site of the loop body took that form */
        uint32_t want = m == 0 ? VMI_DECISION_NATIVE : m == 1 ? VMI_DECISION_CALL : VMI_DECISION_INLINE;
        uint32_t body = dec[want], all = 0;
        for (int d = 0; d < VMI_DECISION_COUNT; d++)
            all += dec[d];
        uint32_t cyc = measure();
        kprintf("bench variant=%s body_sites=%u native=%u inline=%u call=%u nop=%u tenths=%u\n",
                modes[m].name, all, dec[VMI_DECISION_NATIVE], dec[VMI_DECISION_INLINE],
                dec[VMI_DECISION_CALL], dec[VMI_DECISION_NOP], cyc);
        put_tenths(val[m], sizeof(val[m]), all && body == all, cyc);
    }
    bench_restore();
    kprintf("bench op=irqsave iters=%u rounds=%u native=%s call=%s inline=%s\n", ITERS, ROUNDS,
            val[0], val[1], val[2]);
}
/* SPDX-License-Identifier: GPL-2.0-only */
