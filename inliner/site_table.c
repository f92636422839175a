/* Reading the call-site table: decode the self-relative records, check each against the call
 * table, sort by address, refuse overlaps. */
#include "vmi_internal.h"

#define REC_SIZE ((uint32_t)sizeof(struct vmi_site))
#define AT(field) (i * REC_SIZE + (uint32_t)offsetof(struct vmi_site, field))

static int site_less(const struct vmi_site_info *a, const struct vmi_site_info *b)
{
    return a->addr < b->addr || (a->addr == b->addr && a->index < b->index);
}

static void sift_down(struct vmi_site_info *s, uint32_t root, uint32_t n)
{
    for (;;) {
        uint32_t child = 2 * root + 1;
        struct vmi_site_info tmp;
        if (child >= n)
            return;
        if (child + 1 < n && site_less(&s[child], &s[child + 1]))
            child++;
        if (!site_less(&s[root], &s[child]))
            return;
        tmp = s[root];
        s[root] = s[child];
        s[child] = tmp;
        root = child;
    }
}

/* Heapsort: in place, O(n log n), no allocation.  A linker usually emits the records in address
 * order already, so a sorted table is recognized in one pass and left alone. */
void vmi_sites_sort(struct vmi_site_info *s, uint32_t n)
{
    uint32_t i;
    for (i = 1; i < n && s[i - 1].addr <= s[i].addr; i++)
        ;
    if (i >= n)
        return;
    for (i = n / 2; i-- > 0;)
        sift_down(s, i, n);
    for (i = n - 1; i > 0; i--) {
        struct vmi_site_info tmp = s[0];
        s[0] = s[i];
        s[i] = tmp;
        sift_down(s, 0, i);
    }
}

vmi_status vmi_sites_read(struct vmi_site_table *table, const void *records, uint32_t records_addr,
                          uint32_t bytes, struct vmi_error *err)
{
    const uint8_t *p = records;
    uint32_t n, i;

    vmi_error_clear(err);
    if (!table || (!records && bytes))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, records_addr, 0, 0, 0, "NULL table or records");
    table->count = 0;
    if (bytes % REC_SIZE)
        return vmi_fail(err, VMI_E_SITE_TABLE, VMI_NO_SITE, records_addr, bytes, 0, bytes % REC_SIZE,
                        "site table size is not a multiple of 12 bytes");
    n = bytes / REC_SIZE;
    if (n > table->cap || (n && !table->sites))
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, records_addr, 0, n, table->cap,
                        "site array too small");
    for (i = 0; i < n; i++) {
        const struct vmi_site *r = (const struct vmi_site *)(p + i * REC_SIZE);
        struct vmi_site_info *s = &table->sites[i];
        const struct vmi_call_meta *m;
        uint32_t rec_addr = records_addr + i * REC_SIZE;
        uint32_t flags, arg;

        s->addr = rec_addr + (uint32_t)r->offset;
        s->index = i;
        s->call = r->call;
        s->len = r->len;
        s->clobbers = r->clobbers;
        s->flags = r->flags;
        s->const_value = r->const_value;
        s->use = VMI_USE_GLUE;
        if (!vmi_call_defined(s->call))
            return vmi_fail(err, VMI_E_SITE_CALL, i, s->addr, AT(call), 0, s->call,
                            "site names a call the ABI does not define");
        m = &vmi_call_table[s->call];
        if (s->len < m->native_len || s->len == 0)
            return vmi_fail(err, VMI_E_SITE_LEN, i, s->addr, AT(len), m->native_len, s->len,
                            "site shorter than the call's native sequence");
        /* a site that runs past 4 GiB would overlap the lowest sites, which the check below,
         * on neighbours in address order, cannot see */
        if ((uint64_t)s->addr + s->len > 0x100000000ull)
            return vmi_fail(err, VMI_E_SITE_RANGE, i, s->addr, i * REC_SIZE, 0, s->len,
                            "site wraps the 32-bit address space");
        flags = s->flags;
        if (flags & ~(uint32_t)(VMI_SITE_JUMP | VMI_SITE_CONST | VMI_SITE_CONST_ARG_MASK))
            return vmi_fail(err, VMI_E_SITE_FLAGS, i, s->addr, AT(flags), 0, flags,
                            "site has unknown flag bits");
        if (!(flags & VMI_SITE_JUMP) != !(m->flags & VMI_CALL_F_JUMP))
            return vmi_fail(err, VMI_E_SITE_FLAGS, i, s->addr, AT(flags),
                            (m->flags & VMI_CALL_F_JUMP) ? VMI_SITE_JUMP : 0, flags,
                            "site's jump flag disagrees with the call");
        arg = (flags & VMI_SITE_CONST_ARG_MASK) >> VMI_SITE_CONST_ARG_SHIFT;
        if (flags & VMI_SITE_CONST) {
            if (!(m->flags & VMI_CALL_F_CONST) || arg != m->const_arg)
                return vmi_fail(err, VMI_E_SITE_FLAGS, i, s->addr, AT(flags), m->const_arg, arg,
                                "site records a constant for an argument the call does not specialize");
        } else if (arg) {
            return vmi_fail(err, VMI_E_SITE_FLAGS, i, s->addr, AT(flags), 0, flags,
                            "constant-argument index without the constant flag");
        }
    }
    vmi_sites_sort(table->sites, n);
    if (vmi_sites_check_overlap(table->sites, n, err) != VMI_OK)
        return VMI_E_SITE_OVERLAP;
    table->count = n;
    return VMI_OK;
}

vmi_status vmi_sites_check_overlap(const struct vmi_site_info *s, uint32_t n,
                                   struct vmi_error *err)
{
    uint32_t i;
    for (i = 0; i + 1 < n; i++) {
        const struct vmi_site_info *a = &s[i], *b = &s[i + 1];
        if (b->addr - a->addr < a->len)
            return vmi_fail(err, VMI_E_SITE_OVERLAP, b->index, b->addr, 0, a->addr + a->len, b->addr,
                            "site overlaps the previous site (expected = its end)");
    }
    return VMI_OK;
}
/* SPDX-License-Identifier: GPL-2.0-only */
