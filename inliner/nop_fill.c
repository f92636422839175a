/* NOP fill and native bytes: the same rule the generator used for the glue, so an unpatched
 * site is exactly the native bytes followed by this fill. */
#include "vmi_internal.h"

uint32_t vmi_nop_fill(uint8_t *dst, uint32_t len)
{
    uint32_t count = 0;

    while (len >= VMI_NOP_MAX) {
        vmi_copy(dst, vmi_nops[VMI_NOP_MAX], VMI_NOP_MAX);
        dst += VMI_NOP_MAX;
        len -= VMI_NOP_MAX;
        count++;
    }
    if (len) {
        vmi_copy(dst, vmi_nops[len], len);
        count++;
    }
    return count;
}

uint32_t vmi_render_native(uint8_t call, uint32_t len, uint8_t *dst)
{
    const struct vmi_call_meta *m;

    if (!vmi_call_defined(call))
        return VMI_NO_SITE;
    m = &vmi_call_table[call];
    if (len < m->native_len)
        return VMI_NO_SITE;
    vmi_copy(dst, m->native, m->native_len);
    return vmi_nop_fill(dst + m->native_len, len - m->native_len);
}

/* The fill compared piece by piece as vmi_nop_fill lays it down: what vmi_render_native would
 * write, without writing it (tests/inliner/test_apply.c holds the two to the same answer). */
int vmi_is_native(const uint8_t *have, uint8_t call, uint32_t len)
{
    const struct vmi_call_meta *m;

    if (!vmi_call_defined(call))
        return 0;
    m = &vmi_call_table[call];
    if (len < m->native_len || !vmi_same(have, m->native, m->native_len))
        return 0;
    have += m->native_len;
    len -= m->native_len;
    for (; len >= VMI_NOP_MAX; len -= VMI_NOP_MAX, have += VMI_NOP_MAX)
        if (!vmi_same(have, vmi_nops[VMI_NOP_MAX], VMI_NOP_MAX))
            return 0;
    return vmi_same(have, vmi_nops[len], len);
}
/* SPDX-License-Identifier: GPL-2.0-only */
