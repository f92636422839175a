/* Reading Linux's .parainstructions records into the site table (vmi_linux_sites.h). */
#include "vmi_internal.h"
#include "vmi_linux_sites.h"

#define PATCH_MIN_LEN VMI_BRANCH_LEN  /* vmi_patch writes a rel32 call or jmp: BUG_ON(len < 5) */
#define AT(field) (off + (uint32_t)offsetof(struct vmi_linux_patch_site, field))

uint8_t vmi_linux_clobbers(uint16_t clbr)
{
    return (uint8_t)((clbr & (VMI_LINUX_CLBR_EAX | VMI_LINUX_CLBR_ECX | VMI_LINUX_CLBR_EDX))
                     | VMI_CLOBBER_FLAGS);
}

static int in_text(uint32_t addr, uint32_t len, const struct vmi_text_range *text, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++)
        if (addr >= text[i].base && vmi_in_range(addr - text[i].base, len, text[i].size))
            return 1;
    return 0;
}

/* Checks record i and decodes it into *s. */
static vmi_status read_one(struct vmi_site_info *s, const struct vmi_linux_patch_site *r, uint32_t i,
                           const struct vmi_linux_types *types,
                           const struct vmi_text_range *text, uint32_t ntext,
                           struct vmi_error *err)
{
    uint32_t off = i * VMI_LINUX_SITE_SIZE;
    uint32_t addr = r->instr, type = r->instrtype, len = r->len, clbr = r->clobbers;
    const struct vmi_linux_type *t;

    if (type >= types->count || !types->type[type].defined)
        return vmi_fail(err, VMI_E_SITE_TYPE, i, addr, AT(instrtype), types->count, type,
                        "site type is no op of paravirt_patch_template (expected = its words)");
    t = &types->type[type];
    if (t->call != VMI_NO_CALL && !vmi_call_defined(t->call))
        return vmi_fail(err, VMI_E_SITE_CALL, i, addr, AT(instrtype), 0, t->call,
                        "the type table maps the site's type to a call the ABI does not define");
    if (t->use < VMI_USE_LINUX_PATCH || t->use >= VMI_USE_COUNT)
        return vmi_fail(err, VMI_E_SITE_TYPE, i, addr, AT(instrtype), VMI_USE_LINUX_PATCH, t->use,
                        "the type table gives the site's type an unknown Linux use");
    if (clbr & ~VMI_LINUX_CLBR_ANY)
        return vmi_fail(err, VMI_E_SITE_FLAGS, i, addr, AT(clobbers), VMI_LINUX_CLBR_ANY, clbr,
                        "site clobbers bits i386 Linux does not define (expected = CLBR_ANY)");
    if (len == 0 || (t->use == VMI_USE_LINUX_PATCH && len < PATCH_MIN_LEN))
        return vmi_fail(err, VMI_E_SITE_LEN, i, addr, AT(len), len ? PATCH_MIN_LEN : 1, len,
                        len ? "site Linux's vmi_patch rewrites is shorter than a rel32 call"
                            : "site of length 0");
    if (!in_text(addr, len, text, ntext))
        return vmi_fail(err, VMI_E_SITE_RANGE, i, addr, off, ntext ? text[0].base : 0, addr,
                        "site outside the kernel's text (expected = first text range's base)");
    s->addr = addr;
    s->index = i;
    s->const_value = 0;
    s->call = t->call;
    s->len = (uint8_t)len;
    s->clobbers = vmi_linux_clobbers((uint16_t)clbr);
    s->flags = VMI_SITE_ORIGINAL;
    if (t->call != VMI_NO_CALL && (vmi_call_table[t->call].flags & VMI_CALL_F_JUMP))
        s->flags |= VMI_SITE_JUMP;
    s->use = t->use;
    return VMI_OK;
}

vmi_status vmi_linux_sites_read(struct vmi_site_table *table, const void *records, uint32_t bytes,
                                const struct vmi_linux_types *types,
                                const struct vmi_text_range *text, uint32_t ntext,
                                struct vmi_error *err)
{
    const uint8_t *p = records;
    uint32_t n, i;
    vmi_status st;

    vmi_error_clear(err);
    if (!table || (!records && bytes) || !types || (types->count && !types->type)
        || (ntext && !text))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0,
                        "NULL table, records, type table or text ranges");
    table->count = 0;
    if (bytes % VMI_LINUX_SITE_SIZE)
        return vmi_fail(err, VMI_E_SITE_TABLE, VMI_NO_SITE, 0, bytes, 0, bytes % VMI_LINUX_SITE_SIZE,
                        "pv site table size is not a multiple of 8 bytes");
    n = bytes / VMI_LINUX_SITE_SIZE;
    if (n > table->cap || (n && !table->sites))
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, 0, 0, n, table->cap,
                        "site array too small");
    for (i = 0; i < n; i++) {
        st = read_one(&table->sites[i],
                      (const struct vmi_linux_patch_site *)(p + i * VMI_LINUX_SITE_SIZE), i, types,
                      text, ntext, err);
        if (st != VMI_OK)
            return st;
    }
    vmi_sites_sort(table->sites, n);
    st = vmi_sites_check_overlap(table->sites, n, err);
    if (st != VMI_OK)
        return st;
    table->count = n;
    return VMI_OK;
}
/* SPDX-License-Identifier: GPL-2.0-only */
