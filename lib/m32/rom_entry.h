/* A VMI ROM's two fixed entries called for real from 32-bit user space, as Linux 2.6.21 does
 * (rom_entry.c): the one implementation the harness, vmi-live, aotboot, the vmi-prof engine and
 * the ROM's own test (tests/rom/reloc_test.c) call. */
#ifndef VMI_HOST32_ROM_ENTRY_H
#define VMI_HOST32_ROM_ENTRY_H

#include <stdint.h>
#include "vmi_abi.h"
#include "vmi_inliner.h"

/* GetRelocationInfo at ROM+0x88 of the ROM mapped at *(const uint32_t *)ctx: a
 * vmi_reloc_query_fn.  Always VMI_OK (the ROM's answer is whatever it returns). */
vmi_status harness_query_rom(void *ctx, uint8_t call, struct vmi_relocation_info *out);

/* VMI_Init at ROM+0x80 with EAX and EDX as given; its EAX back. */
uint32_t host_rom_init_regs(uint32_t base, uint32_t eax, uint32_t edx);

/* VMI_Init with the platform's hello (docs/pv-rom.md): EAX VMI_PV_STATE_MAGIC, EDX the header's
 * virtual_top. */
uint32_t harness_rom_init(uint32_t base);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
