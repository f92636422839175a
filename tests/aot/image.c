/* The test image for `vmi-aot sites`: a small 32-bit "kernel" whose VMI call sites are known.
 * Every line that lays down a site carries a tag  @site <Call>  in a comment; tests/aot/sites.sh
 * checks the tool's call name, function and file:line for each site against these tags
 * (func= names the function a site lands in when it is not the enclosing one: inlining).
 * It also defines the AOT contract's vmi_rom_area and vmi_aot_identity, for `vmi-aot specialize`.
 * Built with gcc -m32 -O2 -g -nostdlib -static (see mk/aot.mk).  Never run. */
#include <stdint.h>
#include "vmi_glue.h"

uint32_t page_table[1024];
volatile uint32_t sink;

/* The AOT contract (docs/aot.md): the ROM area, 64 KiB of NOBITS in .vmi_rom, 4 KiB aligned and
 * executable, and the identity record vmi-aot specialize fills in .vmi_aot_id. */
__asm__(".pushsection .vmi_rom, \"awx\", @nobits\n"
        ".balign 4096\n"
        ".globl vmi_rom_area\n"
        ".type vmi_rom_area, @object\n"
        ".size vmi_rom_area, 0x10000\n"
        "vmi_rom_area:\n"
        ".skip 0x10000\n"
        ".popsection");
struct vmi_aot_identity vmi_aot_identity __attribute__((section(".vmi_aot_id"), used));

__attribute__((noinline)) void irq_off(void)
{
    vmi_DisableInterrupts();                    /* @site DisableInterrupts */
}

__attribute__((noinline)) void irq_on(void)
{
    vmi_EnableInterrupts();                     /* @site EnableInterrupts */
}

__attribute__((noinline)) uint32_t read_cr3(void)
{
    return vmi_GetCR3();                        /* @site GetCR3 */
}

__attribute__((noinline)) void set_pte(uint32_t *ptep, uint32_t pte, uint32_t flags)
{
    vmi_SetPxE(pte, ptep, flags);               /* @site SetPxE */
}

__attribute__((noinline)) void set_pte_const(uint32_t *ptep, uint32_t pte)
{
    vmi_SetPxE(pte, ptep, VMI_PAGE_L1);         /* @site SetPxE const=0x41 */
}

__attribute__((noinline)) uint32_t save_and_cli(void)
{
    uint32_t flags = vmi_GetInterruptMask();    /* @site GetInterruptMask */
    vmi_DisableInterrupts();                    /* @site DisableInterrupts */
    return flags;
}

__attribute__((noinline)) void restore_flags(uint32_t flags)
{
    vmi_SetInterruptMask(flags);                /* @site SetInterruptMask */
}

__attribute__((noinline)) void flush_all(void)
{
    vmi_FlushTLB(VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL); /* @site FlushTLB const=0x3 */
    vmi_SetCR3(vmi_GetCR3());                   /* @site GetCR3 @site SetCR3 */
}

static inline void lazy_cpu(void)
{
    vmi_SetLazyMode(VMI_LAZY_CPU);              /* @site SetLazyMode const=0x2 func=context_switch */
}

__attribute__((noinline)) void context_switch(uint32_t cr3, uint32_t esp0)
{
    lazy_cpu();
    vmi_UpdateKernelStack(0x18, esp0);          /* @site UpdateKernelStack */
    vmi_SetCR3(cr3);                            /* @site SetCR3 */
    vmi_SetLazyMode(VMI_LAZY_NONE);             /* @site SetLazyMode const=0x0 */
}

__attribute__((noinline, noreturn)) void halt_forever(void)
{
    for (;;)
        vmi_Halt();                             /* @site Halt */
}

void _start(void)
{
    uint32_t flags = save_and_cli();
    irq_off();
    set_pte(&page_table[1], 0x1003, sink);
    set_pte_const(&page_table[2], 0x2003);
    sink = read_cr3();
    flush_all();
    context_switch(sink, 0x1000);
    restore_flags(flags);
    irq_on();
    halt_forever();
}
/* SPDX-License-Identifier: GPL-2.0-only */
