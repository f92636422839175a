/* Compiled like header_modes.c (hosted, -m32, -m32 -ffreestanding; gcc and clang): the Linux
 * profile's generated header must compile in each mode, and its tables must be usable in constant
 * expressions where the loader needs them. */
#include "vmi_linux.h"

_Static_assert(VMI_LINUX_CFG_PAE == 0x01, "the PAE bit is the one the brief fixed");
_Static_assert(VMI_LINUX_GROUP_pv_init_ops == 0, "the template starts with pv_init_ops");
_Static_assert(VMI_LINUX_GROUP_pv_lock_ops == 6, "seven template groups, in the kernel's order");
_Static_assert(VMI_LINUX_NUM_OPS > 0 && VMI_LINUX_NUM_RULES <= 64, "tables present");

int linux_header_rows(void);
int linux_header_rows(void)
{
    return vmi_linux_ops[0].words + vmi_linux_groups[0].count + (int)sizeof vmi_linux_rules +
           vmi_linux_configs[0].bit;
}
/* SPDX-License-Identifier: GPL-2.0-only */
