/* Relocation: GetRelocationInfo's answers per call, and moving rel32 fields. */
#include "vmi_internal.h"

vmi_status vmi_reloc_table_fill(struct vmi_reloc_table *table, vmi_reloc_query_fn query,
                                void *ctx, struct vmi_error *err)
{
    uint32_t call;

    vmi_error_clear(err);
    if (!table || !query)
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL table or query");
    vmi_memset(table, 0, sizeof(*table));
    for (call = 0; call < VMI_NUM_CALLS; call++) {
        struct vmi_relocation_info info;
        vmi_status st;

        if (!vmi_call_defined(call))
            continue;
        vmi_memset(&info, 0, sizeof(info));
        st = query(ctx, (uint8_t)call, &info);
        if (st != VMI_OK)
            return vmi_fail(err, VMI_E_RELOC_QUERY, VMI_NO_SITE, 0, call, VMI_OK, st,
                            "relocation query failed (offset = call number)");
        if (info.type > VMI_RELOCATION_NOP)
            return vmi_fail(err, VMI_E_RELOC_TYPE, VMI_NO_SITE, info.eip, call, VMI_RELOCATION_NOP,
                            info.type, "unknown relocation type (offset = call number)");
        table->info[call] = info;
    }
    return VMI_OK;
}

void vmi_rel32_move(uint8_t *field, uint32_t old_end, uint32_t new_end)
{
    uint32_t target = old_end + vmi_rd32(field);
    vmi_wr32(field, target - new_end);
}
/* SPDX-License-Identifier: GPL-2.0-only */
