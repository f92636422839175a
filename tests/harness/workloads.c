/* The workloads: code full of call sites laid down by the generated glue.  Each runs in the mode
 * its sites are in: MODE_PV (every site of its calls patched) checks against the model; MODE_NATIVE
 * (every site native; only workloads valid in ring 3) checks the native results. */
#include <cpuid.h>
#include <string.h>
#include "vmi_glue.h"
#include "harness.h"

#define IF VMI_INTERRUPT_MASK_IF
#define CUR VMI_PAGE_CURRENT_AS
#define DEFER VMI_PAGE_DEFER

/* Values the compiler cannot see through. */
static volatile uint32_t opaque_zero = 0, opaque_if = IF, opaque_flags_cur = CUR;

static inline uint32_t hide(uint32_t v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

/* ---- interrupt flag: cli, sti, pushf, popf, pending delivery ---- */
static void w_irq(enum h_mode mode)
{
    (void)mode;
    vmi_DisableInterrupts();
    m_cli();
    CHECK_EQ(vmi_GetInterruptMask(), m_pushf());
    vmi_EnableInterrupts();
    m_sti();
    CHECK_EQ(vmi_GetInterruptMask(), IF);
    model_compare("irq sti, nothing pending");
    /* An interrupt arrives while disabled; sti delivers it through the gate. */
    vmi_DisableInterrupts();
    m_cli();
    monitor_raise();
    m_raise();
    CHECK_EQ(vmi_GetInterruptMask(), 0);
    model_compare("irq pending while disabled");
    vmi_EnableInterrupts();
    m_sti();
    model_compare("irq sti delivers");
    /* popf with constants (variants where the ROM has them) and with unknown masks. */
    vmi_SetInterruptMask(0);
    m_popf(0);
    monitor_raise();
    m_raise();
    vmi_SetInterruptMask(IF);
    m_popf(IF);
    model_compare("irq popf constant");
    vmi_SetInterruptMask(opaque_zero);
    m_popf(0);
    monitor_raise();
    m_raise();
    vmi_SetInterruptMask(opaque_if | 0x46);     /* other EFLAGS bits are ignored */
    m_popf(IF | 0x46);
    model_compare("irq popf variable");
    /* save/disable/restore, as spin_lock_irqsave does */
    for (int i = 0; i < 100; i++) {
        uint32_t flags = vmi_GetInterruptMask();
        uint32_t mflags = m_pushf();
        vmi_DisableInterrupts();
        m_cli();
        if (i % 7 == 3) {
            monitor_raise();
            m_raise();
        }
        vmi_SetInterruptMask(flags);
        m_popf(mflags);
    }
    model_compare("irq save/restore loop");
}

/* ---- the flags-only calls preserve every register, even through the gate ---- */
static void w_regs(enum h_mode mode)
{
    uint32_t a = hide(0x11111111), b = hide(0x22222222), c = hide(0x33333333);
    uint32_t d = hide(0x44444444), e = hide(0x55555555);
    (void)mode;
    vmi_DisableInterrupts();
    m_cli();
    for (int i = 0; i < 20; i++) {
        monitor_raise();
        m_raise();
        vmi_EnableInterrupts();      /* slow path: the gate runs with a..e live */
        m_sti();
        a += b; b ^= c; c += d; d ^= e; e += a;
        vmi_DisableInterrupts();
        m_cli();
        monitor_raise();
        m_raise();
        vmi_SetInterruptMask(hide(IF));
        m_popf(IF);
        a ^= e; b += d; c ^= b; d += a; e ^= c;
        vmi_DisableInterrupts();
        m_cli();
    }
    {
        uint32_t ra = 0x11111111, rb = 0x22222222, rc = 0x33333333, rd = 0x44444444, re = 0x55555555;
        for (int i = 0; i < 20; i++) {
            ra += rb; rb ^= rc; rc += rd; rd ^= re; re += ra;
            ra ^= re; rb += rd; rc ^= rb; rd += ra; re ^= rc;
        }
        CHECK_EQ(a, ra);
        CHECK_EQ(b, rb);
        CHECK_EQ(c, rc);
        CHECK_EQ(d, rd);
        CHECK_EQ(e, re);
    }
    model_compare("regs");
}

/* ---- shadow control registers ---- */
static void w_cr(enum h_mode mode)
{
    (void)mode;
    CHECK_EQ(vmi_GetCR0(), m_getcr(0));
    CHECK_EQ(vmi_GetCR3(), m_getcr(3));
    CHECK_EQ(vmi_GetCR4(), m_getcr(4));
    vmi_SetCR0(0x80000011u);
    m_setcr(0, 0x80000011u);
    vmi_SetCR2(0xdeadb000u);
    m_setcr(2, 0xdeadb000u);
    vmi_SetCR3(hide(0x00234000u));
    m_setcr(3, 0x00234000u);
    vmi_SetCR4(0x00000690u);
    m_setcr(4, 0x00000690u);
    CHECK_EQ(vmi_GetCR0(), 0x80000011u);
    CHECK_EQ(vmi_GetCR2(), 0xdeadb000u);
    CHECK_EQ(vmi_GetCR3(), 0x00234000u);
    CHECK_EQ(vmi_GetCR4(), 0x00000690u);
    model_compare("cr");
}

/* ---- page-table stores, deferral, lazy mode, flushes ---- */
static uint32_t pt[1024] __attribute__((aligned(4096)));

static void w_pte(enum h_mode mode)
{
    (void)mode;
    memset(pt, 0, sizeof(pt));
    /* Other address spaces: a store, no exit (the flags=0 variant where constant). */
    vmi_SetPxE(0x1003u, &pt[1], 0);
    m_setpxe(&pt[1], 0x1003u, 0);
    vmi_SetPxE(0x2003u, &pt[2], hide(0));
    m_setpxe(&pt[2], 0x2003u, 0);
    /* The current address space: the monitor hears at once. */
    vmi_SetPxE(0x3003u, &pt[3], CUR);
    m_setpxe(&pt[3], 0x3003u, CUR);
    vmi_SetPxE(0x4003u, &pt[4], opaque_flags_cur);
    m_setpxe(&pt[4], 0x4003u, CUR);
    model_compare("pte immediate");
    /* Deferred updates queue up; FlushTLB drains them first. */
    for (uint32_t i = 10; i < 15; i++) {
        vmi_SetPxE(i << 12 | 3, &pt[i], CUR | DEFER);
        m_setpxe(&pt[i], i << 12 | 3, CUR | DEFER);
    }
    model_compare("pte deferred");
    vmi_FlushTLB(VMI_FLUSH_TLB);
    m_hypercall(VMI_CALL_FlushTLB, VMI_FLUSH_TLB, 0);
    model_compare("pte flush drains");
    /* Lazy MMU mode queues without DEFER; a full queue falls back to the hypercall. */
    vmi_SetLazyMode(VMI_LAZY_MMU);
    m_lazy(VMI_LAZY_MMU);
    for (uint32_t i = 100; i < 100 + VMI_PV_QUEUE_LEN + 3; i++) {
        vmi_SetPxE(i << 12 | 7, &pt[i], CUR);
        m_setpxe(&pt[i], i << 12 | 7, CUR);
    }
    model_compare("pte lazy, queue overflow");
    vmi_SetPxE(0x9003u, &pt[200], CUR);
    m_setpxe(&pt[200], 0x9003u, CUR);
    vmi_SetLazyMode(VMI_LAZY_NONE);              /* leaving lazy mode drains */
    m_lazy(VMI_LAZY_NONE);
    model_compare("pte lazy leave");
    vmi_SetLazyMode(hide(VMI_LAZY_CPU));
    m_lazy(VMI_LAZY_CPU);
    vmi_SetLazyMode(hide(VMI_LAZY_NONE));        /* nothing queued: no exit */
    m_lazy(VMI_LAZY_NONE);
    /* The guest changed an entry itself. */
    pt[300] = 0x12345007u;
    vmi_UpdatePxE(&pt[300], CUR);
    m_updpxe(&pt[300], CUR);
    vmi_UpdatePxE(&pt[300], 0);
    m_updpxe(&pt[300], 0);
    vmi_InvalPage(0x00400000u);
    m_hypercall(VMI_CALL_InvalPage, 0x00400000u, 0);
    model_compare("pte update, invalpage");
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t want = i == 1 ? 0x1003u : i == 2 ? 0x2003u : i == 3 ? 0x3003u : i == 4 ? 0x4003u
                      : (i >= 10 && i < 15) ? (i << 12 | 3) : (i >= 100 && i < 135) ? (i << 12 | 7)
                      : i == 200 ? 0x9003u : i == 300 ? 0x12345007u : 0;
        if (pt[i] != want)
            CHECK_EQ(pt[i], want);
    }
}

/* ---- page-table stores valid natively: other address spaces only ---- */
static void w_pte_native(enum h_mode mode)
{
    uint64_t pae[4] = { 0, 0, 0, 0 };
    memset(pt, 0, sizeof(pt));
    for (uint32_t i = 0; i < 64; i++) {
        vmi_SetPxE(i << 12 | 1, &pt[i], 0);
        vmi_SetPxE(i << 12 | 3, &pt[512 + i], hide(0));
    }
    vmi_UpdatePxE(&pt[5], 0);
    vmi_SetLazyMode(VMI_LAZY_MMU);
    vmi_SetLazyMode(VMI_LAZY_NONE);
    vmi_SetPxELong(0x8000000012345067ull, &pae[1], 0);
    for (uint32_t i = 0; i < 64; i++) {
        CHECK_EQ(pt[i], i << 12 | 1);
        CHECK_EQ(pt[512 + i], i << 12 | 3);
    }
    CHECK(pae[1] == 0x8000000012345067ull && pae[0] == 0 && pae[2] == 0);
    if (mode == MODE_PV) {
        m_lazy(VMI_LAZY_MMU);
        m_lazy(VMI_LAZY_NONE);
        model_compare("pte native-valid");
    }
}

/* ---- calls valid in ring 3 natively, with pv answers from the monitor ---- */
static void w_misc(enum h_mode mode)
{
    struct vmi_cpuid_regs r;
    uint32_t apic[4] = { 0, 0, 0, 0 };
    uint32_t gdt[8] = { 0 };
    uint64_t t0, t1, hz;

    vmi_CPUID(&r, 0, 0);
    if (mode == MODE_NATIVE) {
        unsigned a, b, c, d;
        __cpuid_count(0, 0, a, b, c, d);
        CHECK_EQ(r.eax, a);
        CHECK_EQ(r.ebx, b);
        CHECK_EQ(r.ecx, c);
        CHECK_EQ(r.edx, d);
    } else {
        m_hypercall(VMI_CALL_CPUID, 0, 0);
        CHECK_EQ(r.eax, monitor_cpuid(0, 0, 0) );
        CHECK_EQ(r.ebx, monitor_cpuid(0, 0, 1));
        CHECK_EQ(r.ecx, monitor_cpuid(0, 0, 2));
        CHECK_EQ(r.edx, monitor_cpuid(0, 0, 3));
        vmi_CPUID(&r, 7, hide(1));
        m_hypercall(VMI_CALL_CPUID, 7, 1);
        CHECK_EQ(r.eax, 7u ^ 0x564d4900u);
        CHECK_EQ(r.ebx, 1u + 0x1000u);
        CHECK_EQ(r.ecx, 7u * 3u + 1u);
        CHECK_EQ(r.edx, ~7u);
    }
    t0 = vmi_RDTSC();
    t1 = vmi_RDTSC();
    CHECK(t1 >= t0);
    CHECK_EQ(vmi_MachineToPhysical(hide(0x1234u)), 0x1234u);
    CHECK_EQ(vmi_PhysicalToMachine(0x5678u), 0x5678u);
    vmi_APICWrite((uint32_t)(uintptr_t)&apic[2], 0xfee00000u);
    CHECK_EQ(vmi_APICRead((uint32_t)(uintptr_t)&apic[2]), 0xfee00000u);
    vmi_WriteGDTEntry(gdt, 3, 0x0000ffffu, 0x00cf9a00u);
    CHECK_EQ(gdt[6], 0x0000ffffu);
    CHECK_EQ(gdt[7], 0x00cf9a00u);
    CHECK(gdt[5] == 0 && gdt[0] == 0);
    hz = vmi_GetCycleFrequency();
    if (mode == MODE_NATIVE) {
        CHECK(hz == 0);
    } else {
        CHECK(hz == H_CPU_HZ);
        m_hypercall(VMI_CALL_APICWrite, (uint32_t)(uintptr_t)&apic[2], 0xfee00000u);
        m_hypercall(VMI_CALL_APICRead, 0, 0);
        m_hypercall(VMI_CALL_WriteGDTEntry, 3, 0x00cf9a00u);
        m_hypercall(VMI_CALL_GetCycleFrequency, 0, 0);
        model_compare("misc");
    }
}

/* ---- MSRs, halt, the NOP calls: pv only ---- */
static void w_msr_halt(enum h_mode mode)
{
    (void)mode;
    vmi_WRMSR(0x1122334455667788ull, 0x10);
    m_hypercall(VMI_CALL_WRMSR, 0x10, 0x55667788u);
    CHECK(vmi_RDMSR(0, 0x10) == 0x1122334455667788ull);
    m_hypercall(VMI_CALL_RDMSR, 0x10, 0);
    vmi_DisableInterrupts();
    m_cli();
    vmi_Halt();
    m_halt();
    CHECK_EQ(vmi_GetInterruptMask(), IF);
    vmi_IODelay();
    vmi_IODelay();
    vmi_CLTS();
    m_hypercall(VMI_CALL_CLTS, 0, 0);
    model_compare("msr, halt, iodelay, clts");
}

/* ---- IRET: to the frame it was given (natively, a real iret in ring 3) ---- */
static void w_iret(enum h_mode mode)
{
    CHECK_EQ(harness_iret(0), 0x600d);
    if (mode == MODE_PV)
        m_iret(0);
    CHECK_EQ(harness_iret(IF), 0x600d);
    if (mode == MODE_PV) {
        m_iret(IF);
        model_compare("iret");
    }
}

/* ---- only calls whose every site the pv ROM can inline: runs under inline-only too ---- */
static void w_inline_paths(enum h_mode mode)
{
    uint32_t e = 0;
    uint64_t t0, t1;
    (void)mode;
    CHECK_EQ(vmi_GetCR0(), m_getcr(0));
    vmi_SetCR2(0x00c0ffeeu);
    m_setcr(2, 0x00c0ffeeu);
    CHECK_EQ(vmi_GetCR2(), 0x00c0ffeeu);
    CHECK_EQ(vmi_GetCR3(), m_getcr(3));
    CHECK_EQ(vmi_GetCR4(), m_getcr(4));
    vmi_SetPxE(0x7007u, &e, CUR);                 /* inline body, its slow path called in the ROM */
    m_setpxe(&e, 0x7007u, CUR);
    CHECK_EQ(e, 0x7007u);
    vmi_SetPxE(0x8007u, &e, 0);
    m_setpxe(&e, 0x8007u, 0);
    vmi_UpdatePxE(&e, CUR);
    m_updpxe(&e, CUR);
    t0 = vmi_RDTSC();
    t1 = vmi_RDTSC();
    CHECK(t1 >= t0);
    model_compare("inline paths");
}

#define CALLS(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

const struct workload workloads[] = {
    { "irq", 0, CALLS(VMI_CALL_EnableInterrupts, VMI_CALL_DisableInterrupts,
                      VMI_CALL_GetInterruptMask, VMI_CALL_SetInterruptMask), w_irq },
    { "regs", 0, CALLS(VMI_CALL_EnableInterrupts, VMI_CALL_DisableInterrupts,
                       VMI_CALL_SetInterruptMask), w_regs },
    { "cr", 0, CALLS(VMI_CALL_SetCR0, VMI_CALL_SetCR2, VMI_CALL_SetCR3, VMI_CALL_SetCR4,
                     VMI_CALL_GetCR0, VMI_CALL_GetCR2, VMI_CALL_GetCR3, VMI_CALL_GetCR4), w_cr },
    { "pte", 0, CALLS(VMI_CALL_SetPxE, VMI_CALL_UpdatePxE, VMI_CALL_FlushTLB, VMI_CALL_SetLazyMode,
                      VMI_CALL_InvalPage), w_pte },
    { "pte-native", 1, CALLS(VMI_CALL_SetPxE, VMI_CALL_UpdatePxE, VMI_CALL_SetLazyMode,
                             VMI_CALL_SetPxELong), w_pte_native },
    { "misc", 1, CALLS(VMI_CALL_CPUID, VMI_CALL_RDTSC, VMI_CALL_MachineToPhysical,
                       VMI_CALL_PhysicalToMachine, VMI_CALL_APICWrite, VMI_CALL_APICRead,
                       VMI_CALL_WriteGDTEntry, VMI_CALL_GetCycleFrequency), w_misc },
    { "msr-halt", 0, CALLS(VMI_CALL_WRMSR, VMI_CALL_RDMSR, VMI_CALL_DisableInterrupts,
                           VMI_CALL_Halt, VMI_CALL_GetInterruptMask, VMI_CALL_IODelay,
                           VMI_CALL_CLTS), w_msr_halt },
    { "iret", 1, CALLS(VMI_CALL_IRET), w_iret },
    { "inline-paths", 0, CALLS(VMI_CALL_GetCR0, VMI_CALL_GetCR2, VMI_CALL_GetCR3, VMI_CALL_GetCR4,
                               VMI_CALL_SetCR2, VMI_CALL_SetPxE, VMI_CALL_UpdatePxE,
                               VMI_CALL_RDTSC), w_inline_paths },
};
const unsigned n_workloads = sizeof(workloads) / sizeof(workloads[0]);
/* SPDX-License-Identifier: GPL-2.0-only */
