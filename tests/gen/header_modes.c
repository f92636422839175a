/* Compiled hosted x86-64, -m32 and -m32 -ffreestanding, with gcc and with clang: the generated
 * header must compile in each, and its layouts must have the offsets docs/rom-format.md gives (ROM header, PCI
 * data, relocation answer, AP state), asserted here independently of the header's own asserts. */
#include "vmi_abi.h"

#define AT(s, f, off) _Static_assert(offsetof(struct s, f) == (off), #s "." #f)

AT(vrom_header, rom_signature, 0x00);
AT(vrom_header, rom_length, 0x02);
AT(vrom_header, rom_entry, 0x03);
AT(vrom_header, rom_pad0, 0x07);
AT(vrom_header, vrom_signature, 0x08);
AT(vrom_header, api_version_min, 0x0c);
AT(vrom_header, api_version_maj, 0x0d);
AT(vrom_header, jump_slots, 0x0e);
AT(vrom_header, reserved1, 0x0f);
AT(vrom_header, virtual_top, 0x10);
AT(vrom_header, reserved2, 0x14);
AT(vrom_header, license_offs, 0x16);
AT(vrom_header, pci_header_offs, 0x18);
AT(vrom_header, pnp_header_offs, 0x1a);
AT(vrom_header, rom_pad3, 0x1c);
AT(vrom_header, reserved, 0x20);
AT(vrom_header, vmi_init, 0x80);
AT(vrom_header, get_reloc, 0x88);
_Static_assert(sizeof(struct vrom_header) == 144, "vrom_header is 144 bytes");

AT(pci_header, signature, 0);
AT(pci_header, vendorID, 4);
AT(pci_header, deviceID, 6);
AT(pci_header, vpdData, 8);
AT(pci_header, size, 10);
AT(pci_header, rev, 12);
AT(pci_header, class, 13);
AT(pci_header, chunks, 16);
AT(pci_header, rom_version_min, 18);
AT(pci_header, rom_version_maj, 19);
AT(pci_header, codetype, 20);
AT(pci_header, lastRom, 21);

AT(pnp_header, sig, 0);
AT(pnp_header, rev, 4);
AT(pnp_header, size, 5);
AT(pnp_header, next, 6);
AT(pnp_header, res, 8);
AT(pnp_header, devID, 10);
AT(pnp_header, manufacturer_offset, 0x0e);
AT(pnp_header, product_offset, 0x10);

AT(vmi_relocation_info, eip, 0);
AT(vmi_relocation_info, type, 4);
_Static_assert(sizeof(struct vmi_relocation_info) == 8, "fits EDX:EAX");

AT(vmi_ap_state, efer, 0x10);
AT(vmi_ap_state, eip, 0x18);
AT(vmi_ap_state, cs, 0x40);
AT(vmi_ap_state, gdtr_limit, 0x4e);
AT(vmi_ap_state, gdtr_base, 0x50);
AT(vmi_ap_state, idtr_base, 0x54);
AT(vmi_ap_state, idtr_limit, 0x58);
_Static_assert(sizeof(struct vmi_ap_state) == 92, "Linux's vmi_ap_state, natural alignment");

_Static_assert(VMI_SIGNATURE == 0x696d5663, "cVmi");
_Static_assert(VMI_API_REV_MAJOR == 3, "API 3");
_Static_assert(VMI_CALL_CPUID == 0 && VMI_CALL_SetLinearMapping == 48, "first block");
_Static_assert(VMI_CALL_SetIOPLMask == 61 && VMI_CALL_WallclockUpdated == 71, "second block");
_Static_assert(VMI_CALL_SetLazyMode == 73 && VMI_NUM_CALLS == 74, "last call");
_Static_assert(VMI_RELOCATION_NONE == 0 && VMI_RELOCATION_CALL_REL == 1 &&
               VMI_RELOCATION_JUMP_REL == 2 && VMI_RELOCATION_NOP == 3, "relocation types");
_Static_assert(VMI_PAGE_L1 == (VMI_PAGE_PT | VMI_PAGE_ZEROED), "L1");
_Static_assert(VMI_FLUSH_TLB == 1 && VMI_FLUSH_GLOBAL == 2, "flush flags");
_Static_assert(VMI_ALARM_IS_PERIODIC == 0x100 && VMI_ALARM_WIRED_LVTT == 0x10000, "alarm flags");

/* The table is usable: a freestanding build links this without libc. */
unsigned vmi_test_reserve_of(unsigned nr)
{
    return nr < VMI_NUM_CALLS ? vmi_call_table[nr].reserve : 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
