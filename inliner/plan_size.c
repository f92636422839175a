/* How much memory a plan of a site table needs: the one sizing rule its users share. */
#include "vmi_internal.h"

void vmi_plan_size_for(const struct vmi_site_table *table, struct vmi_plan_size *size)
{
    uint32_t code = 0;
    if (!size)
        return;
    for (uint32_t i = 0; table && table->sites && i < table->count; i++)
        code += table->sites[i].len;
    size->sites = table ? table->count : 0;
    size->code = code;
    size->thunks = size->sites * VMI_COUNT_THUNK_FIXED + code;
}
/* SPDX-License-Identifier: GPL-2.0-only */
