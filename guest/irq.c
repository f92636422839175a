/* The kernel's critical sections: save the interrupt mask, disable, and restore.  cs_depth
 * lets interrupt handlers prove they never run inside one. */
#include "kernel.h"

volatile uint32_t cs_depth;

uint32_t irq_save(void)
{
    uint32_t flags = VMI(GetInterruptMask);
    VMI(DisableInterrupts);
    cs_depth++;
    return flags;
}

void irq_restore(uint32_t flags)
{
    cs_depth--;
    VMI(SetInterruptMask, flags);
}
/* SPDX-License-Identifier: GPL-2.0-only */
