/* The pv platform: the monitor behind the pv ROM's hypercall gate (docs/pv-rom.md), living in the
 * same image as the kernel but playing the hypervisor.  It alone executes privileged instructions
 * once the pv ROM is active, and it alone owns the real interrupt flag and the real IDT:
 *
 *   - every real interrupt and exception enters platform_trap() through the platform's IDT;
 *   - exceptions are reflected to the guest's handler at once (the guest's IDT is virtual: SetIDT
 *     and WriteIDTEntry only record it);
 *   - an external interrupt is reflected only when the virtual IF is on and the guest is outside
 *     the ROM; otherwise it is recorded as pending, and delivered when the ROM's slow path calls the
 *     gate on EnableInterrupts / SetInterruptMask (or at Halt, or at the end of any hypercall made
 *     with the virtual IF on);
 *   - a reflected interrupt clears the virtual IF, and the guest's IRET (a hypercall) restores it
 *     from the EFLAGS image, as a CPU's interrupt gate and iret do with the real one.
 * The counters it keeps are printed in the "platform" report line. */
#include "kernel.h"
#include "platform.h"
#include "vmi_inliner.h"

struct platform_frame {
    uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;   /* pusha */
    uint32_t vector;                                           /* bit 8: dummy error code */
    uint32_t error, eip, cs, eflags;
};

struct dtr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

extern void platform_gate(void);
extern void platform_call_guest(uint32_t handler);
extern const uint32_t pstub_table[48];
extern const uint8_t __platform_start[], __platform_end[];

int platform_active;
static volatile struct vmi_pv_state *st;
static uint64_t real_idt[48] __attribute__((aligned(8)));
static struct dtr guest_idtr;
static int real_idt_loaded;
static uint32_t pending_irqs;            /* bit n: IRQ n (vector 0x20 + n) waits for the virtual IF */

static struct {
    uint32_t hypercalls, irqs, irqs_direct, irqs_deferred, delivered_slow, exceptions;
    uint32_t delivered_by[VMI_NUM_CALLS];
    uint32_t violations;                 /* a reflection with the virtual IF off: never */
    uint32_t queue_drained, pages_tracked, max_tracked;
} ps;

static inline uint32_t rd_cr(int n)
{
    uint32_t v = 0;
    switch (n) {
    case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
    case 2: __asm__ volatile("mov %%cr2, %0" : "=r"(v)); break;
    case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
    case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
    }
    return v;
}

static int in_rom(uint32_t eip)
{
    return boot_rom.found && eip - boot_rom.base < boot_rom.size;
}

static int in_platform(uint32_t eip)
{
    return eip >= (uint32_t)__platform_start && eip < (uint32_t)__platform_end;
}

/* Before VMI_Init: the state page at virtual_top, in the tables every address space shares. */
void platform_reserve_hole(uint32_t virtual_top)
{
    if (virtual_top & 0xfff)
        panic("virtual_top 0x%x is not a page boundary", virtual_top);
    uint32_t f = frame_alloc();
    paging_map_hole(virtual_top, f, PAGE_SIZE);
    st = (volatile struct vmi_pv_state *)virtual_top;
    memset((void *)st, 0, sizeof(*st));
    st->magic = VMI_PV_STATE_MAGIC;
    st->version = VMI_PV_VERSION;
    st->gate = (uint32_t)platform_gate;
    st->vif = 0;
    st->cr0 = rd_cr(0);
    st->cr3 = rd_cr(3);
    st->cr4 = rd_cr(4);
    kprintf("hole virtual_top=0x%x reserved_kib=%u state_page=0x%x gate=0x%x\n", virtual_top,
            (uint32_t)((0x100000000ull - virtual_top) >> 10), f, st->gate);
}

static void drain_queue(void)
{
    uint32_t n = st->queue_count;
    for (uint32_t i = 0; i < n && i < VMI_PV_QUEUE_LEN; i++)
        *(volatile uint32_t *)st->queue[2 * i] = st->queue[2 * i + 1];
    if (n)
        ps.queue_drained += n;
    st->queue_count = 0;
}

static uint32_t guest_handler(uint32_t vector)
{
    if (vector * 8 + 7 > guest_idtr.limit || !guest_idtr.base)
        panic("platform: vector %u outside the guest's IDT", vector);
    const uint32_t *g = (const uint32_t *)(guest_idtr.base + vector * 8);
    if (!(g[1] & 0x8000))
        panic("platform: guest gate %u not present", vector);
    return (g[0] & 0xffff) | (g[1] & 0xffff0000u);
}

/* Deliver pending interrupts while the virtual IF is on; `by` is the hypercall that found them. */
static void deliver_pending(uint32_t by)
{
    while (pending_irqs && (st->vif & VMI_INTERRUPT_MASK_IF)) {
        uint32_t irq = (uint32_t)__builtin_ctz(pending_irqs);
        pending_irqs &= pending_irqs - 1;
        st->pending = pending_irqs != 0;
        ps.delivered_slow++;
        ps.delivered_by[by]++;
        st->vif = 0;                         /* as an interrupt gate clears IF */
        platform_call_guest(guest_handler(0x20 + irq));
    }
    st->pending = pending_irqs != 0;
}

static void load_real_idt(void)
{
    struct dtr idtr = { sizeof(real_idt) - 1, (uint32_t)real_idt };
    for (uint32_t v = 0; v < 48; v++) {
        uint32_t off = pstub_table[v];
        real_idt[v] = (uint64_t)((off & 0xffff) | ((uint32_t)SEL_KCODE << 16)) |
                      ((uint64_t)((off & 0xffff0000u) | 0x8e00u) << 32);
    }
    __asm__ volatile("lidt %0" :: "m"(idtr) : "memory");
    real_idt_loaded = 1;
}

static void flush_tlb(uint32_t flags)
{
    uint32_t cr4 = rd_cr(4);
    if ((flags & VMI_FLUSH_GLOBAL) && (cr4 & 0x80)) {
        __asm__ volatile("mov %0, %%cr4" :: "r"(cr4 & ~0x80u) : "memory");
        __asm__ volatile("mov %0, %%cr4" :: "r"(cr4) : "memory");
    }
    __asm__ volatile("mov %0, %%cr3" :: "r"(rd_cr(3)) : "memory");
}

/* The hypercalls, one group of calls per function; each returns 0 for a call outside its group. */

/* Instructions the guest may not execute itself: CPUID, the MSRs, the control registers (their
 * values kept in the state page), WBINVD, CLTS. */
static int cpu_call(struct vmi_pv_frame *f)
{
    uint32_t a = f->eax, d = f->edx, c = f->ecx;

    switch (f->nr) {
    case VMI_CALL_CPUID:
        __asm__ volatile("cpuid" : "+a"(f->eax), "=b"(f->ebx), "+c"(f->ecx), "=d"(f->edx));
        return 1;
    case VMI_CALL_WRMSR:
        __asm__ volatile("wrmsr" :: "a"(a), "d"(d), "c"(c));
        return 1;
    case VMI_CALL_RDMSR:
        __asm__ volatile("rdmsr" : "=a"(f->eax), "=d"(f->edx) : "c"(c));
        return 1;
    case VMI_CALL_SetCR0:
        __asm__ volatile("mov %0, %%cr0" :: "r"(a) : "memory");
        st->cr0 = a;
        return 1;
    case VMI_CALL_SetCR3:
        __asm__ volatile("mov %0, %%cr3" :: "r"(a) : "memory");
        st->cr3 = a;
        return 1;
    case VMI_CALL_SetCR4:
        __asm__ volatile("mov %0, %%cr4" :: "r"(a) : "memory");
        st->cr4 = a;
        return 1;
    case VMI_CALL_WBINVD:
        __asm__ volatile("wbinvd" ::: "memory");
        return 1;
    case VMI_CALL_CLTS:
        __asm__ volatile("clts");
        st->cr0 &= ~8u;
        return 1;
    }
    return 0;
}

/* The descriptor tables and the task register: the GDT, LDT and TR are loaded for real; the IDT
 * is the guest's virtual one (recorded; the real one stays the platform's). */
static int descriptor_call(struct vmi_pv_frame *f)
{
    uint32_t a = f->eax, d = f->edx, c = f->ecx;
    const uint32_t *stk = (const uint32_t *)f->arg_ptr;

    switch (f->nr) {
    case VMI_CALL_SetGDT:
        __asm__ volatile("lgdt (%0)" :: "r"(a) : "memory");
        return 1;
    case VMI_CALL_GetGDT:
        __asm__ volatile("sgdt (%0)" :: "r"(a) : "memory");
        return 1;
    case VMI_CALL_SetLDT:
        __asm__ volatile("lldt %w0" :: "r"(a));
        return 1;
    case VMI_CALL_GetLDT:
        __asm__ volatile("sldt %0" : "=r"(f->eax));
        return 1;
    case VMI_CALL_SetTR:
        __asm__ volatile("ltr %w0" :: "r"(a) : "memory");
        return 1;
    case VMI_CALL_GetTR:
        __asm__ volatile("str %0" : "=r"(f->eax));
        return 1;
    case VMI_CALL_SetIDT:
        guest_idtr = *(const struct dtr *)a;
        if (!real_idt_loaded)
            load_real_idt();
        return 1;
    case VMI_CALL_GetIDT:
        *(struct dtr *)a = guest_idtr;
        return 1;
    case VMI_CALL_WriteGDTEntry:
    case VMI_CALL_WriteLDTEntry:
    case VMI_CALL_WriteIDTEntry:
        ((volatile uint32_t *)a)[2 * d] = c;
        ((volatile uint32_t *)a)[2 * d + 1] = stk[0];
        return 1;
    case VMI_CALL_UpdateKernelStack:
        return 1;                           /* the guest wrote its TSS; no ring change happens */
    }
    return 0;
}

/* Paging: direct, so a page-table entry is live once written (and the queue was drained before
 * the call); pages are only counted; the TLB is flushed for real. */
static int paging_call(struct vmi_pv_frame *f)
{
    switch (f->nr) {
    case VMI_CALL_SetPxE:
    case VMI_CALL_SetPxELong:
    case VMI_CALL_UpdatePxE:
    case VMI_CALL_UpdatePxELong:
        return 1;
    case VMI_CALL_AllocatePage:
        ps.pages_tracked++;
        if (ps.pages_tracked > ps.max_tracked)
            ps.max_tracked = ps.pages_tracked;
        return 1;
    case VMI_CALL_ReleasePage:
        ps.pages_tracked--;
        return 1;
    case VMI_CALL_InvalPage:
        __asm__ volatile("invlpg (%0)" :: "r"(f->eax) : "memory");
        return 1;
    case VMI_CALL_FlushTLB:
        flush_tlb(f->eax);
        return 1;
    case VMI_CALL_SetLazyMode:
        return 1;                           /* leaving lazy mode: the queue was drained */
    }
    return 0;
}

/* The virtual interrupt flag and the machine's state: the delivery after every call is the
 * whole job of enabling interrupts; a halt waits for an interrupt meant for the guest. */
static int interrupt_call(struct vmi_pv_frame *f)
{
    switch (f->nr) {
    case VMI_CALL_EnableInterrupts:
    case VMI_CALL_SetInterruptMask:
        return 1;
    case VMI_CALL_Halt:
        /* a safe halt: wait with real interrupts on until one is pending for the guest */
        while (!pending_irqs)
            __asm__ volatile("sti; hlt; cli" ::: "memory");
        return 1;
    case VMI_CALL_Reboot:
    case VMI_CALL_Shutdown:
        qemu_exit(EXIT_FAIL);
    }
    return 0;
}

void platform_hypercall(struct vmi_pv_frame *f);
void platform_hypercall(struct vmi_pv_frame *f)
{
    platform_active = 1;
    ps.hypercalls++;
    drain_queue();
    if (!cpu_call(f) && !descriptor_call(f) && !paging_call(f) && !interrupt_call(f))
        panic("platform: hypercall %u (%s) not implemented", f->nr, vmi_call_name(f->nr));
    deliver_pending(f->nr);
}

/* The guest's IRET: the virtual IF comes from the EFLAGS image; the real IF is the platform's: on
 * for the guest, off when the frame returns into the monitor (a delivery from deliver_pending). */
void platform_iret_prepare(struct vmi_pv_frame *f);
void platform_iret_prepare(struct vmi_pv_frame *f)
{
    volatile uint32_t *frame = (volatile uint32_t *)f->arg_ptr;   /* eip, cs, eflags */
    platform_active = 1;
    ps.hypercalls++;
    drain_queue();
    st->vif = frame[2] & VMI_INTERRUPT_MASK_IF;
    if (in_platform(frame[0]))
        frame[2] &= ~VMI_INTERRUPT_MASK_IF;
    else
        frame[2] |= VMI_INTERRUPT_MASK_IF;
}

/* Every real interrupt and exception.  Returns the guest handler to run on the CPU's frame, or 0
 * to resume what was interrupted. */
uint32_t platform_trap(struct platform_frame *f);
uint32_t platform_trap(struct platform_frame *f)
{
    uint32_t vector = f->vector & 0xff;
    if (vector < 0x20) {
        if (in_platform(f->eip))
            panic("platform: exception %u inside the monitor at eip %x", vector, f->eip);
        ps.exceptions++;
        if (vector == 14)
            st->cr2 = rd_cr(2);
    } else {
        uint32_t irq = vector - 0x20;
        ps.irqs++;
        if (!(st->vif & VMI_INTERRUPT_MASK_IF) || in_rom(f->eip) || in_platform(f->eip)) {
            pending_irqs |= 1u << irq;
            st->pending = 1;
            ps.irqs_deferred++;
            return 0;
        }
        ps.irqs_direct++;
    }
    /* reflect: the EFLAGS image carries the virtual IF; the handler starts with it off */
    f->eflags = (f->eflags & ~VMI_INTERRUPT_MASK_IF) | (st->vif & VMI_INTERRUPT_MASK_IF);
    if (vector >= 0x20 && !(f->eflags & VMI_INTERRUPT_MASK_IF))
        ps.violations++;
    st->vif = 0;
    return guest_handler(vector);
}

void platform_report(void)
{
    if (!platform_active) {
        kprintf("platform active=0\n");
        return;
    }
    uint32_t exits = 0;
    for (uint32_t i = 0; i < VMI_PV_COUNTERS; i++)
        exits += st->exits[i];
    kprintf("platform active=1 hypercalls=%u rom_exits=%u irqs=%u direct=%u deferred=%u "
            "delivered_slow=%u by_sti=%u by_popf=%u by_halt=%u exceptions=%u queue_drained=%u "
            "pages_tracked=%u violations=%u\n",
            ps.hypercalls, exits, ps.irqs, ps.irqs_direct, ps.irqs_deferred, ps.delivered_slow,
            ps.delivered_by[VMI_CALL_EnableInterrupts], ps.delivered_by[VMI_CALL_SetInterruptMask],
            ps.delivered_by[VMI_CALL_Halt], ps.exceptions, ps.queue_drained, ps.pages_tracked,
            ps.violations);
    check("pv_platform", ps.violations == 0 && ps.irqs_deferred > 0 && ps.delivered_slow > 0 &&
          (ps.delivered_by[VMI_CALL_EnableInterrupts] + ps.delivered_by[VMI_CALL_SetInterruptMask]) > 0 &&
          ps.queue_drained > 0,
          "deferred=%u delivered_by_rom_slow_path=%u reflected_with_vif_off=%u queued_pte_updates=%u",
          ps.irqs_deferred,
          ps.delivered_by[VMI_CALL_EnableInterrupts] + ps.delivered_by[VMI_CALL_SetInterruptMask],
          ps.violations, ps.queue_drained);
}
/* SPDX-License-Identifier: GPL-2.0-only */
