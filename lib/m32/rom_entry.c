/* Calling a ROM's two fixed entries from 32-bit user space, as Linux 2.6.21 does: VMI_Init at
 * ROM+0x80 (regparm, result in EAX) and GetRelocationInfo at ROM+0x88 (call number in EAX, the
 * relocation record back in EDX:EAX).  Shared by the harness, the live re-patching test, aotboot and
 * the vmi-prof engine. */
#include "rom_entry.h"

vmi_status harness_query_rom(void *ctx, uint8_t call, struct vmi_relocation_info *out)
{
    uint32_t entry = *(const uint32_t *)ctx + VMI_ROM_GET_RELOC_OFFSET;
    uint32_t eax = call, edx;
    __asm__ volatile("call *%2" : "+a"(eax), "=d"(edx) : "r"(entry) : "ecx", "cc", "memory");
    out->eip = eax;
    out->type = (uint8_t)edx;
    return VMI_OK;
}

uint32_t host_rom_init_regs(uint32_t base, uint32_t eax, uint32_t edx)
{
    __asm__ volatile("call *%2" : "+a"(eax), "+d"(edx) : "r"(base + VMI_ROM_INIT_OFFSET)
                     : "ecx", "cc", "memory");
    return eax;
}

/* With the platform's hello (docs/pv-rom.md): the harness's C monitor is the platform. */
uint32_t harness_rom_init(uint32_t base)
{
    return host_rom_init_regs(base, VMI_PV_STATE_MAGIC,
                              ((const struct vrom_header *)(uintptr_t)base)->virtual_top);
}
/* SPDX-License-Identifier: GPL-2.0-only */
