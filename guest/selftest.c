/* The self-test workload.  Every check prints one line "check NAME PASS|FAIL detail"; the harness
 * (tests/guest/boot.sh) requires each of them. */
#include "kernel.h"
#include "platform.h"

#define VA_TEST   0x40000000u
#define VA_TEST2  0x40001000u
#define PATTERN_A 0xa5a50001u
#define PATTERN_B 0x5a5a0002u

uint32_t checks_failed;
extern volatile uint32_t tick_if_clear;

void check(const char *name, int ok, const char *fmt, ...)
{
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    kprintf("check %s %s ", name, ok ? "PASS" : "FAIL");
    kvprintf(fmt, ap);
    kputs("\n");
    __builtin_va_end(ap);
    if (!ok)
        checks_failed++;
}

static void fill(uint32_t pa, uint32_t pattern)
{
    uint32_t *p = (uint32_t *)pa;
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        p[i] = pattern ^ i;
}

static int same(uint32_t va, uint32_t pattern)
{
    const volatile uint32_t *p = (const volatile uint32_t *)va;
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        if (p[i] != (pattern ^ i))
            return 0;
    return 1;
}

/* Map a page, check its contents through the mapping both ways, unmap, and see the access fault. */
static void test_map_unmap(void)
{
    uint32_t f = frame_alloc(), v = 0, faults = fault_count;
    fill(f, PATTERN_A);
    map_page(kernel_pd, VA_TEST, f, PTE_W);
    int read_ok = same(VA_TEST, PATTERN_A);
    *(volatile uint32_t *)(VA_TEST + 8) = 0x12345678;
    int write_ok = ((volatile uint32_t *)f)[2] == 0x12345678;
    /* UpdatePxE: clear the accessed bit natively, tell the ROM, and see the MMU set it again */
    uint32_t *pte = pte_ptr(kernel_pd, VA_TEST, 0);
    *pte &= ~PTE_A;
    VMI(UpdatePxE, pte, VMI_PAGE_PT | VMI_PAGE_CURRENT_AS | VA_TEST);
    VMI(InvalPage, VA_TEST);
    (void)*(volatile uint32_t *)VA_TEST;
    int accessed = (*pte & PTE_A) != 0;
    unmap_page(kernel_pd, VA_TEST);
    int gone = probe_read(VA_TEST, &v) == -1 && fault_count == faults + 1 && last_fault_cr2 == VA_TEST;
    frame_free(f);
    check("map_unmap", read_ok && write_ok && accessed && gone,
          "read=%d write=%d accessed_bit=%d unmapped_faults=%d cr2=0x%x", read_ok, write_ok,
          accessed, gone, last_fault_cr2);
}

/* A batch of mappings in the current address space under SetLazyMode(MMU): each SetPxE carries
 * CURRENT_AS and the VA, so a ROM may queue it until the batch ends (the pv ROM does). */
static void test_lazy_batch(void)
{
    enum { N = 8 };
    uint32_t f[N], ok = 0, gone = 0, v;
    for (int i = 0; i < N; i++) {
        f[i] = frame_alloc();
        fill(f[i], PATTERN_A + (uint32_t)i);
    }
    VMI(SetLazyMode, VMI_LAZY_MMU);
    for (int i = 0; i < N; i++)
        map_page(kernel_pd, VA_TEST2 + (uint32_t)i * PAGE_SIZE, f[i], 0);
    VMI(SetLazyMode, VMI_LAZY_NONE);
    for (int i = 0; i < N; i++)
        ok += same(VA_TEST2 + (uint32_t)i * PAGE_SIZE, PATTERN_A + (uint32_t)i);
    for (int i = 0; i < N; i++) {
        unmap_page(kernel_pd, VA_TEST2 + (uint32_t)i * PAGE_SIZE);
        gone += probe_read(VA_TEST2 + (uint32_t)i * PAGE_SIZE, &v) == -1;
        frame_free(f[i]);
    }
    check("lazy_batch", ok == N && gone == N, "mapped_and_read=%u unmapped_faults=%u", ok, gone);
}

/* Two address spaces map the same address to different frames; SetCR3 switches between them. */
static void test_address_spaces(void)
{
    uint32_t fa = frame_alloc(), fb = frame_alloc();
    fill(fa, PATTERN_A);
    fill(fb, PATTERN_B);
    uint32_t a = as_create(), b = as_create();
    map_page(a, VA_TEST, fa, 0);
    map_page(b, VA_TEST, fb, 0);
    uint32_t flags = irq_save();
    VMI(SetCR3, a);
    int in_a = same(VA_TEST, PATTERN_A) && (VMI(GetCR3) & ~0xfffu) == a;
    VMI(SetCR3, b);
    int in_b = same(VA_TEST, PATTERN_B) && (VMI(GetCR3) & ~0xfffu) == b;
    VMI(SetCR3, a);
    int back = same(VA_TEST, PATTERN_A);
    VMI(SetCR3, kernel_pd);
    irq_restore(flags);
    uint32_t v;
    int kernel_has_none = probe_read(VA_TEST, &v) == -1;
    as_destroy(a);
    as_destroy(b);
    frame_free(fa);
    frame_free(fb);
    check("address_spaces", in_a && in_b && back && kernel_has_none,
          "as_a=%d as_b=%d switch_back=%d kernel_unmapped=%d", in_a, in_b, back, kernel_has_none);
}

/* Retarget a mapping: until InvalPage the TLB may still hold the old frame (reported, not
 * required); after it the new frame must show.  Then unmap without InvalPage and FlushTLB: the
 * stale translation must be gone (the access faults). */
static void test_tlb(void)
{
    uint32_t f1 = frame_alloc(), f2 = frame_alloc(), v = 0;
    fill(f1, PATTERN_A);
    fill(f2, PATTERN_B);
    map_page(kernel_pd, VA_TEST, f1, 0);
    int first = same(VA_TEST, PATTERN_A);
    uint32_t *pte = pte_ptr(kernel_pd, VA_TEST, 0);
    VMI(SetPxE, f2 | PTE_P, pte, VMI_PAGE_PT);              /* no CURRENT_AS: no implied flush */
    int stale = same(VA_TEST, PATTERN_A);
    VMI(InvalPage, VA_TEST);
    int fresh = same(VA_TEST, PATTERN_B);

    map_page(kernel_pd, VA_TEST2, f1, 0);
    int mapped2 = same(VA_TEST2, PATTERN_A);
    VMI(SetPxE, 0, pte_ptr(kernel_pd, VA_TEST2, 0), VMI_PAGE_PT);
    VMI(FlushTLB, VMI_FLUSH_TLB);
    uint32_t faults = fault_count;
    int flushed = probe_read(VA_TEST2, &v) == -1 && fault_count == faults + 1 &&
                  last_fault_cr2 == VA_TEST2;
    VMI(FlushTLB, VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL);
    int after_global = same(VA_TEST, PATTERN_B);
    unmap_page(kernel_pd, VA_TEST);
    frame_free(f1);
    frame_free(f2);
    check("tlb_flush", first && fresh && mapped2 && flushed && after_global,
          "stale_before_invlpg=%d invlpg_new_frame=%d flushtlb_unmapped_faults=%d global_flush=%d",
          stale, fresh, flushed, after_global);
}

/* Spins until PIT channel 0 has wrapped n times (n timer periods have passed). */
static int pit_wrap(uint32_t n)
{
    uint32_t prev = pit_read();
    for (uint32_t spins = 0; n && spins < 50000000u; spins++) {
        uint32_t cur = pit_read();
        if (cur > prev)
            n--;
        prev = cur;
    }
    return n == 0;
}

/* Inside a critical section: waits until a timer interrupt is due (raised at the PIC and not yet
 * handled by the kernel), for at most 200 timer periods. */
static int tick_due(void)
{
    for (uint32_t i = 0; i < 200; i++) {
        if (irq0_due())
            return 1;
        pit_wrap(1);
    }
    return irq0_due();
}

static int wait_ticks(uint32_t n)
{
    uint32_t t = ticks;
    for (uint32_t i = 0; ticks - t < n && i < 10 * n; i++)
        VMI(Halt);
    return ticks - t >= n;
}

static void test_timer(void)
{
    VMI(EnableInterrupts);
    int on = (VMI(GetInterruptMask) & VMI_INTERRUPT_MASK_IF) != 0;
    int got = wait_ticks(5);
    check("timer_ticks", on && got, "irq_enabled=%d ticks=%u", on, ticks);

    /* nested critical sections: the tick is held off through both, delivered at the outer restore */
    uint32_t f1 = irq_save();
    int off1 = !(VMI(GetInterruptMask) & VMI_INTERRUPT_MASK_IF);
    uint32_t t0 = ticks;
    int due1 = tick_due();
    uint32_t f2 = irq_save();
    int due2 = pit_wrap(2) && tick_due();
    irq_restore(f2);
    int off2 = !(VMI(GetInterruptMask) & VMI_INTERRUPT_MASK_IF);
    uint32_t t_inner = ticks;
    irq_restore(f1);
    uint32_t t_after = ticks;                 /* the pending tick runs at the restore itself */
    int on2 = (VMI(GetInterruptMask) & VMI_INTERRUPT_MASK_IF) != 0;
    check("nested_critical", off1 && off2 && on2 && due1 && due2 && t_inner == t0 && t_after > t0,
          "ticks_inside=%u ticks_at_restore=%u masks=%d%d%d irq_due=%d%d",
          t_inner - t0, t_after - t0, off1, off2, on2, due1, due2);

    /* DisableInterrupts / EnableInterrupts without a saved mask */
    VMI(DisableInterrupts);
    cs_depth++;
    uint32_t t1 = ticks;
    int due3 = tick_due();
    uint32_t t_held = ticks;
    cs_depth--;
    VMI(EnableInterrupts);
    uint32_t t_en = ticks;
    check("enable_delivers", due3 && t_held == t1 && t_en > t1,
          "ticks_inside=%u ticks_at_enable=%u irq_due=%d", t_held - t1, t_en - t1, due3);

    wait_ticks(3);
    check("no_handler_in_critical_section", ticks > 0 && tick_violations == 0 && tick_if_clear == 0,
          "ticks=%u handler_in_cs=%u frame_if_clear=%u", ticks, tick_violations, tick_if_clear);
}

static void test_misc(void)
{
    struct vmi_cpuid_regs r;
    VMI(CPUID, &r, 0, 0);
    char vendor[13];
    memcpy(vendor, &r.ebx, 4);
    memcpy(vendor + 4, &r.edx, 4);
    memcpy(vendor + 8, &r.ecx, 4);
    vendor[12] = 0;
    uint64_t t0 = VMI(RDTSC);
    for (int i = 0; i < 4; i++)
        VMI(IODelay);
    uint64_t t1 = VMI(RDTSC);
    uint32_t cr0 = VMI(GetCR0), cr4 = VMI(GetCR4);
    check("cpu", r.eax >= 1 && t1 > t0 && (cr0 & 0x80000001u) == 0x80000001u,
          "cpuid_vendor=%s max_leaf=%u rdtsc_delta=%u cr0=0x%x cr4=0x%x", vendor, r.eax,
          (uint32_t)(t1 - t0), cr0, cr4);
}

void selftest(void)
{
    pte_ptr(kernel_pd, VA_TEST, 1);           /* the test area's page table stays */
    uint32_t frames = frames_in_use();
    test_misc();
    test_map_unmap();
    test_lazy_batch();
    test_address_spaces();
    test_tlb();
    check("frames_released", frames_in_use() == frames, "before=%u after=%u", frames, frames_in_use());
    test_timer();
}
/* SPDX-License-Identifier: GPL-2.0-only */
