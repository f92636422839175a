/* The base image of the bad-input corpus (tests/bad/elf, tests/bad/sites): a small 32-bit
 * "kernel" with known call sites, owned by the corpus so that its layout (and so the expected
 * messages, which name offsets and section numbers) changes only when this file, the glue or the
 * compilers do.  Built -O2 -g -nostdlib -static by gcc (image-gcc) and clang (image-clang); never
 * run.  The records, in order (tests/bad/sites/cases relies on it):
 *   0 DisableInterrupts  1 EnableInterrupts  2 GetCR3  3 SetPxE  4 SetPxE const flags=0x41
 *   5 GetInterruptMask   6 DisableInterrupts 7 SetInterruptMask  8 FlushTLB const 0x3
 *   then, from image_asm.S: IRET (a jump site), SYSEXIT.
 * cold_path() lands in .text.unlikely, so the compile unit's ranges are not contiguous and gcc
 * emits .debug_rnglists (case rnglists-address-size-0). */
#include <stdint.h>
#include "vmi_glue.h"

uint32_t page_table[1024];
volatile uint32_t sink;

__attribute__((noinline)) void irq_off(void) { vmi_DisableInterrupts(); }
__attribute__((noinline)) void irq_on(void) { vmi_EnableInterrupts(); }
__attribute__((noinline)) uint32_t read_cr3(void) { return vmi_GetCR3(); }

__attribute__((noinline)) void set_pte(uint32_t *ptep, uint32_t pte, uint32_t flags)
{
    vmi_SetPxE(pte, ptep, flags);
}

__attribute__((noinline)) void set_pte_const(uint32_t *ptep, uint32_t pte)
{
    vmi_SetPxE(pte, ptep, VMI_PAGE_L1);
}

__attribute__((noinline)) uint32_t save_and_cli(void)
{
    uint32_t flags = vmi_GetInterruptMask();
    vmi_DisableInterrupts();
    return flags;
}

__attribute__((noinline)) void restore_flags(uint32_t flags)
{
    vmi_SetInterruptMask(flags);
}

__attribute__((noinline, cold)) void cold_path(void)
{
    vmi_FlushTLB(VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL);
}

void _start(void)
{
    uint32_t flags = save_and_cli();
    irq_off();
    set_pte(&page_table[1], 0x1003, sink);
    set_pte_const(&page_table[2], 0x2003);
    sink = read_cr3();
    if (sink == 42)
        cold_path();
    restore_flags(flags);
    irq_on();
    for (;;)
        ;
}
/* SPDX-License-Identifier: GPL-2.0-only */
