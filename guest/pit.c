/* The 8259 PICs (remapped to vectors 0x20-0x2f, only IRQ0 unmasked) and the 8254 PIT channel 0 at
 * TIMER_HZ on IRQ0.  IODelay separates the PIC's initialization words, as on old hardware. */
#include "kernel.h"

#define PIT_HZ 1193182u

volatile uint32_t ticks;
volatile uint32_t tick_violations;
volatile uint32_t tick_if_clear;       /* the interrupted context had IF clear in its frame */

static void pic_out(uint16_t port, uint8_t v)
{
    outb(port, v);
    VMI(IODelay);
}

void pic_init(void)
{
    pic_out(0x20, 0x11);    /* ICW1: edge, cascade, ICW4 */
    pic_out(0xa0, 0x11);
    pic_out(0x21, 0x20);    /* ICW2: master vectors 0x20-0x27 */
    pic_out(0xa1, 0x28);    /*       slave 0x28-0x2f */
    pic_out(0x21, 0x04);    /* ICW3: slave on IRQ2 */
    pic_out(0xa1, 0x02);
    pic_out(0x21, 0x01);    /* ICW4: 8086 mode */
    pic_out(0xa1, 0x01);
    pic_out(0x21, 0xfe);    /* only IRQ0 */
    pic_out(0xa1, 0xff);
}

static void timer_irq(struct trap_frame *tf)
{
    if (cs_depth)
        tick_violations++;
    if (!(tf->eflags & VMI_INTERRUPT_MASK_IF))
        tick_if_clear++;
    ticks++;
    outb(0x20, 0x20);       /* EOI */
}

void pit_init(void)
{
    uint32_t div = (PIT_HZ + TIMER_HZ / 2) / TIMER_HZ;
    idt_set_handler(0x20, timer_irq);
    outb(0x43, 0x34);       /* channel 0, lo/hi, mode 2 (rate generator) */
    outb(0x40, (uint8_t)div);
    outb(0x40, (uint8_t)(div >> 8));
}

uint32_t pit_read(void)
{
    outb(0x43, 0x00);       /* latch channel 0 */
    uint32_t lo = inb(0x40);
    uint32_t hi = inb(0x40);
    return (hi << 8) | lo;
}

/* IRQ0 is raised and not yet handled by the kernel: requested (IRR: held off by the real IF) or in
 * service (ISR: taken by the pv platform, which records it as pending for the virtual IF). */
int irq0_due(void)
{
    outb(0x20, 0x0a);       /* OCW3: read IRR */
    uint8_t irr = inb(0x20);
    outb(0x20, 0x0b);       /* OCW3: read ISR */
    uint8_t isr = inb(0x20);
    outb(0x20, 0x0a);
    return (irr | isr) & 1;
}
/* SPDX-License-Identifier: GPL-2.0-only */
