/* The original bytes of VMI_SITE_ORIGINAL sites, captured from the text.  A site whose native
 * form is not derivable from the spec (a Linux pv site: an indirect call through an ops table)
 * is planned and checked against these bytes (vmi_plan_set_original). */
#include "vmi_internal.h"

vmi_status vmi_sites_capture(const struct vmi_site_table *table, const struct vmi_text *text,
                             uint8_t *buf, uint32_t cap, uint32_t *len, struct vmi_error *err)
{
    uint32_t i, off = 0, need = 0;

    vmi_error_clear(err);
    if (!table || !text || !text->bytes || !len || (table->count && !table->sites))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL table, text or length");
    *len = 0;
    /* check every site first, so that a refusal copies nothing */
    for (i = 0; i < table->count; i++) {
        const struct vmi_site_info *s = &table->sites[i];
        if (s->addr < text->base || !vmi_in_range(s->addr - text->base, s->len, text->size))
            return vmi_fail(err, VMI_E_SITE_RANGE, s->index, s->addr, 0, text->base, s->addr,
                            "site outside the text (expected = text base)");
        need += s->len;
    }
    if (need > cap || (need && !buf))
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, 0, 0, need, cap,
                        "original-bytes buffer too small (expected = bytes needed)");
    for (i = 0; i < table->count; i++) {
        const struct vmi_site_info *s = &table->sites[i];
        vmi_memcpy(buf + off, text->bytes + (s->addr - text->base), s->len);
        off += s->len;
    }
    *len = need;
    return VMI_OK;
}
/* SPDX-License-Identifier: GPL-2.0-only */
