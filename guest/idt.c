/* IDT: 48 interrupt gates written with WriteIDTEntry, loaded with SetIDT; the trap dispatcher
 * and the page-fault handler (GetCR2) with its fixup for probe_read. */
#include "kernel.h"

struct dtr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

static uint64_t idt[256] __attribute__((aligned(4096)));
static trap_handler handlers[48];
volatile uint32_t last_fault_cr2, fault_count;
extern char probe_insn[], probe_fixup[];

static void page_fault(struct trap_frame *tf)
{
    uint32_t cr2 = VMI(GetCR2);
    if (tf->eip != (uint32_t)probe_insn)
        panic("page fault at eip %x, cr2 %x, error %x", tf->eip, cr2, tf->error);
    last_fault_cr2 = cr2;
    fault_count++;
    tf->eip = (uint32_t)probe_fixup;
}

void trap_dispatch(struct trap_frame *tf);
void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector < 48 && handlers[tf->vector]) {
        handlers[tf->vector](tf);
        return;
    }
    panic("unexpected trap %u at eip %x, error %x", tf->vector, tf->eip, tf->error);
}

void idt_set_handler(uint32_t vector, trap_handler h)
{
    handlers[vector] = h;
}

void idt_init(void)
{
    struct dtr idtr = { sizeof(idt) - 1, (uint32_t)idt }, check;

    for (uint32_t v = 0; v < 48; v++) {
        uint32_t off = isr_table[v];
        uint32_t lo = (off & 0xffff) | ((uint32_t)SEL_KCODE << 16);
        uint32_t hi = (off & 0xffff0000) | 0x8e00;      /* present, DPL 0, 32-bit interrupt gate */
        VMI(WriteIDTEntry, idt, v, lo, hi);
    }
    idt_set_handler(14, page_fault);
    VMI(SetIDT, &idtr);
    VMI(GetIDT, &check);
    if (check.base != idtr.base || check.limit != idtr.limit)
        panic("GetIDT returned base %x limit %x", check.base, check.limit);
}
/* SPDX-License-Identifier: GPL-2.0-only */
