/* NOP fill and native bytes: the same rule the generator used for the glue, so an unpatched
 * site is exactly the native bytes followed by this fill. */
#include "vmi_internal.h"

uint32_t vmi_nop_fill(uint8_t *dst, uint32_t len)
{
    uint32_t count = 0;

    while (len >= VMI_NOP_MAX) {
        vmi_memcpy(dst, vmi_nops[VMI_NOP_MAX], VMI_NOP_MAX);
        dst += VMI_NOP_MAX;
        len -= VMI_NOP_MAX;
        count++;
    }
    if (len) {
        vmi_memcpy(dst, vmi_nops[len], len);
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
    vmi_memcpy(dst, m->native, m->native_len);
    return vmi_nop_fill(dst + m->native_len, len - m->native_len);
}
