/* GDT and TSS: written with WriteGDTEntry, loaded with SetGDT and SetTR; the ring-0 stack is
 * announced with UpdateKernelStack (Linux's convention: SS0 in eax, esp0 in edx). */
#include "kernel.h"

struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap;
} __attribute__((packed));

struct dtr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

static uint64_t gdt[8] __attribute__((aligned(4096)));
static struct tss tss __attribute__((aligned(128)));
static uint8_t trap_stack[8192] __attribute__((aligned(16)));

static void descriptor(uint32_t base, uint32_t limit, uint32_t access, uint32_t gran,
                       uint32_t *lo, uint32_t *hi)
{
    *lo = (limit & 0xffff) | (base << 16);
    *hi = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (gran << 20) |
          (base & 0xff000000);
}

static void gdt_write(uint32_t entry, uint32_t base, uint32_t limit, uint32_t access,
                      uint32_t gran)
{
    uint32_t lo, hi;
    descriptor(base, limit, access, gran, &lo, &hi);
    VMI(WriteGDTEntry, gdt, entry, lo, hi);
}

void gdt_init(void)
{
    struct dtr gdtr = { sizeof(gdt) - 1, (uint32_t)gdt }, check;

    gdt_write(0, 0, 0, 0, 0);
    gdt_write(SEL_KCODE >> 3, 0, 0xfffff, 0x9a, 0xc);   /* ring-0 code, 4 GiB */
    gdt_write(SEL_KDATA >> 3, 0, 0xfffff, 0x92, 0xc);   /* ring-0 data, 4 GiB */
    memset(&tss, 0, sizeof(tss));
    tss.ss0 = SEL_KDATA;
    tss.iomap = sizeof(tss);
    gdt_write(SEL_TSS >> 3, (uint32_t)&tss, sizeof(tss) - 1, 0x89, 0);
    VMI(SetGDT, &gdtr);
    __asm__ volatile(
        "ljmp %0, $1f\n1:\n\t"
        "movl %1, %%eax\n\t"
        "movl %%eax, %%ds\n\tmovl %%eax, %%es\n\tmovl %%eax, %%ss\n\t"
        "movl %%eax, %%fs\n\tmovl %%eax, %%gs\n\t"
        :: "i"(SEL_KCODE), "i"(SEL_KDATA) : "eax", "memory");
    VMI(SetTR, SEL_TSS);
    tss_set_stack((uint32_t)(trap_stack + sizeof(trap_stack)));

    VMI(GetGDT, &check);
    if (check.base != gdtr.base || check.limit != gdtr.limit)
        panic("GetGDT returned base %x limit %x", check.base, check.limit);
    if (VMI(GetTR) != SEL_TSS)
        panic("GetTR is not the TSS selector");
}

void tss_set_stack(uint32_t esp0)
{
    tss.esp0 = esp0;
    VMI(UpdateKernelStack, SEL_KDATA, esp0);
}
/* SPDX-License-Identifier: GPL-2.0-only */
