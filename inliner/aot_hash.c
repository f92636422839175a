/* FNV-1a 64: the hash that identifies a ROM and the bytes of a specialized image's sites. */
#include "vmi_aot.h"
#include "vmi_internal.h"

uint64_t vmi_fnv1a64(uint64_t h, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    for (uint32_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

vmi_status vmi_sites_hash(const struct vmi_text *text, const struct vmi_site_table *sites,
                          uint64_t *hash, struct vmi_error *err)
{
    uint64_t h = VMI_FNV1A64_INIT;
    vmi_error_clear(err);
    if (!text || !sites || !hash)
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL text, sites or hash");
    for (uint32_t i = 0; i < sites->count; i++) {
        const struct vmi_site_info *s = &sites->sites[i];
        if (!vmi_in_range(s->addr - text->base, s->len, text->size))
            return vmi_fail(err, VMI_E_SITE_RANGE, s->index, s->addr, 0, text->base, s->addr,
                            "site outside the text");
        h = vmi_fnv1a64(h, text->bytes + (s->addr - text->base), s->len);
    }
    *hash = h;
    return VMI_OK;
}
/* SPDX-License-Identifier: GPL-2.0-only */
