/* The paravirtual platform: the part of this image that plays the hypervisor for the pv ROM
 * (docs/pv-rom.md).  It owns the state page at virtual_top and the hypercall gate. */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H
#include <stdint.h>

void platform_reserve_hole(uint32_t virtual_top);   /* map and fill the state page */
void platform_report(void);
extern int platform_active;                         /* the ROM has called the gate */
#endif
/* SPDX-License-Identifier: GPL-2.0-only */
