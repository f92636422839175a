/* Writing a plan into the text: validate everything first, save, write, read back; and revert. */
#include "vmi_internal.h"

static uint8_t *host(const struct vmi_text *text, uint32_t addr)
{
    return text->bytes + (addr - text->base);
}

/* Every site inside the text, sorted, none overlapping. */
static vmi_status check_layout(const struct vmi_text *text, const struct vmi_plan *plan,
                               struct vmi_error *err)
{
    uint32_t i;

    if (!text || !text->bytes || !plan || (plan->count && (!plan->sites || !plan->code)))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL text or plan");
    for (i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        if (!vmi_in_range(sp->addr - text->base, sp->len, text->size) || sp->addr < text->base)
            return vmi_fail(err, VMI_E_SITE_RANGE, sp->index, sp->addr, 0, text->base, sp->addr,
                            "site outside the text (expected = text base)");
        if (!vmi_in_range(sp->code_offs, sp->len, plan->code_len))
            return vmi_fail(err, VMI_E_PLAN_MISMATCH, sp->index, sp->addr, 0, plan->code_len,
                            sp->code_offs, "site's bytes outside the plan's code");
        if (i && sp->addr - plan->sites[i - 1].addr < plan->sites[i - 1].len)
            return vmi_fail(err, VMI_E_SITE_OVERLAP, sp->index, sp->addr, 0,
                            plan->sites[i - 1].addr + plan->sites[i - 1].len, sp->addr,
                            "site overlaps the previous one or is out of order");
    }
    return VMI_OK;
}

static vmi_status same_sites(const struct vmi_plan *a, const struct vmi_plan *b,
                             struct vmi_error *err)
{
    uint32_t i;

    if (b->count != a->count || (b->count && (!b->sites || !b->code)))
        return vmi_fail(err, VMI_E_PLAN_MISMATCH, VMI_NO_SITE, 0, 0, a->count, b->count,
                        "the plans have different numbers of sites");
    for (i = 0; i < a->count; i++) {
        const struct vmi_site_plan *x = &a->sites[i], *y = &b->sites[i];
        if (x->addr != y->addr || x->len != y->len || x->call != y->call
            || !vmi_in_range(y->code_offs, y->len, b->code_len))
            return vmi_fail(err, VMI_E_PLAN_MISMATCH, x->index, x->addr, 0, x->addr, y->addr,
                            "the plans describe different sites");
    }
    return VMI_OK;
}

/* The first byte where the site differs from want: VMI_OK if none. */
static vmi_status compare_site(const struct vmi_text *text, const struct vmi_site_plan *sp,
                               const uint8_t *want, vmi_status st, const char *why,
                               struct vmi_error *err)
{
    const uint8_t *have = host(text, sp->addr);
    uint32_t k;

    if (vmi_same(have, want, sp->len))
        return VMI_OK;
    for (k = 0; k < sp->len; k++)   /* name the first differing byte */
        if (have[k] != want[k])
            return vmi_fail(err, st, sp->index, sp->addr, k, want[k], have[k], why);
    return VMI_OK;
}

/* The sites from i that follow one another in the text with no gap and, when by_code_offs, whose
 * bytes follow one another in the plan's code (in a save area they always do): one compare or
 * copy covers them.  Returns the end of the run (sites i .. end-1); *bytes is its length. */
static uint32_t run_end(const struct vmi_plan *plan, uint32_t i, int by_code_offs, uint32_t *bytes)
{
    const struct vmi_site_plan *sp = &plan->sites[i];
    uint32_t n = sp->len, j;

    for (j = i + 1; j < plan->count; j++, sp++) {
        const struct vmi_site_plan *next = sp + 1;
        if (next->addr != sp->addr + sp->len
            || (by_code_offs && next->code_offs != sp->code_offs + sp->len))
            break;
        n += next->len;
    }
    *bytes = n;
    return j;
}

/* Every site holds its bytes of want (want + code_offs, or the save layout): compared a
 * contiguous run at a time, and site by site only to name the first difference.  The caller has
 * run check_layout, so each run lies inside the text. */
static vmi_status compare_all(const struct vmi_text *text, const struct vmi_plan *plan,
                              const uint8_t *want, int by_code_offs, vmi_status st,
                              const char *why, struct vmi_error *err)
{
    uint32_t i = 0, off = 0;

    while (i < plan->count) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        const uint8_t *w = want + (by_code_offs ? sp->code_offs : off);
        uint32_t bytes, end = run_end(plan, i, by_code_offs, &bytes), k;

        if (!vmi_same(host(text, sp->addr), w, bytes)) {
            for (k = i; k < end; k++) {
                const struct vmi_site_plan *kp = &plan->sites[k];
                vmi_status s = compare_site(text, kp, by_code_offs ? want + kp->code_offs : w, st,
                                            why, err);
                if (s != VMI_OK)
                    return s;
                w += kp->len;
            }
        }
        off += bytes;
        i = end;
    }
    return VMI_OK;
}

static vmi_status write_site(struct vmi_text *text, const struct vmi_site_plan *sp,
                             const uint8_t *src, struct vmi_error *err)
{
    if (vmi_same(host(text, sp->addr), src, sp->len))
        return VMI_OK;      /* already there: no write */
    if (text->poke) {
        if (text->poke(text->poke_ctx, sp->addr, src, sp->len) != 0)
            return vmi_fail(err, VMI_E_WRITE, sp->index, sp->addr, 0, 0, 0,
                            "write hook failed (earlier sites were written)");
    } else {
        vmi_copy(host(text, sp->addr), src, sp->len);
    }
    return VMI_OK;
}

/* Writes every site that does not hold its bytes yet; src is the plan's code (by code_offs) or
 * the save layout.  Without a write hook the loop stores directly, with no call per site. */
static vmi_status write_all(struct vmi_text *text, const struct vmi_plan *plan,
                            const uint8_t *src, int by_code_offs, struct vmi_error *err)
{
    uint32_t i, off = 0;

    for (i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        const uint8_t *from = src + (by_code_offs ? sp->code_offs : off);
        uint8_t *to = host(text, sp->addr);
        off += sp->len;
        if (text->poke) {
            vmi_status st = write_site(text, sp, from, err);
            if (st != VMI_OK)
                return st;
        } else if (!vmi_same(to, from, sp->len)) {
            vmi_copy(to, from, sp->len);    /* already there: no write */
        }
    }
    return VMI_OK;
}

vmi_status vmi_verify(const struct vmi_text *text, const struct vmi_plan *plan,
                      struct vmi_error *err)
{
    vmi_status st;

    vmi_error_clear(err);
    st = check_layout(text, plan, err);
    if (st != VMI_OK)
        return st;
    return compare_all(text, plan, plan->code, 1, VMI_E_SITE_BYTES,
                       "site does not hold the plan's bytes", err);
}

vmi_status vmi_apply(struct vmi_text *text, const struct vmi_plan *plan,
                     const struct vmi_plan *expected, struct vmi_save *save,
                     struct vmi_error *err)
{
    return vmi_apply_ex(text, plan, expected, save, 0, err);
}

vmi_status vmi_apply_ex(struct vmi_text *text, const struct vmi_plan *plan,
                        const struct vmi_plan *expected, struct vmi_save *save, uint32_t flags,
                        struct vmi_error *err)
{
    uint8_t native[256];
    vmi_status st;
    uint32_t i;

    vmi_error_clear(err);
    st = check_layout(text, plan, err);
    if (st == VMI_OK && expected)
        st = same_sites(plan, expected, err);
    if (st != VMI_OK)
        return st;
    if (save && (!save->bytes || save->cap < plan->code_len))
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, 0, 0, plan->code_len, save->cap,
                        "save area too small");
    /* Every site must hold what we expect before anything is written. */
    for (i = 0; !(flags & VMI_APPLY_TRUST_TEXT) && i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        const uint8_t *want;
        if (expected) {
            want = expected->code + expected->sites[i].code_offs;
        } else if (sp->flags & VMI_SITE_ORIGINAL) {
            /* the plan's code and the original bytes share one layout (docs/inliner.md) */
            if (!plan->original || !vmi_in_range(sp->code_offs, sp->len, plan->original_len))
                return vmi_fail(err, VMI_E_ARG, sp->index, sp->addr, 0, 0, 0,
                                "site keeps its original bytes, but the plan has none");
            want = plan->original + sp->code_offs;
        } else {
            if (vmi_is_native(host(text, sp->addr), sp->call, sp->len))
                continue;   /* the common case, proved in place; else render it to name the byte */
            if (vmi_render_native(sp->call, sp->len, native) == VMI_NO_SITE)
                return vmi_fail(err, VMI_E_SITE_LEN, sp->index, sp->addr, 0,
                                vmi_call_defined(sp->call) ? vmi_call_table[sp->call].native_len : 0,
                                sp->len, "site cannot hold the call's native bytes");
            want = native;
        }
        st = compare_site(text, sp, want, VMI_E_SITE_BYTES,
                          expected ? "site does not hold the previous plan's bytes"
                          : (sp->flags & VMI_SITE_ORIGINAL) ? "site does not hold its original bytes"
                                   : "site does not hold the native bytes and NOP fill", err);
        if (st != VMI_OK)
            return st;
    }
    if (save) {
        uint32_t bytes, end;
        save->len = 0;
        for (i = 0; i < plan->count; i = end) {   /* a contiguous run of the text at a time */
            end = run_end(plan, i, 0, &bytes);
            vmi_copy(save->bytes + save->len, host(text, plan->sites[i].addr), bytes);
            save->len += bytes;
        }
        save->count = plan->count;
    }
    st = write_all(text, plan, plan->code, 1, err);
    if (st != VMI_OK)
        return st;
    return compare_all(text, plan, plan->code, 1, VMI_E_VERIFY,
                       "read-back differs from what was written", err);
}

vmi_status vmi_revert(struct vmi_text *text, const struct vmi_plan *applied,
                      const struct vmi_save *save, struct vmi_error *err)
{
    vmi_status st;

    vmi_error_clear(err);
    st = check_layout(text, applied, err);
    if (st != VMI_OK)
        return st;
    if (!save || (save->len && !save->bytes))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL save area");
    if (save->count != applied->count || save->len != applied->code_len)
        return vmi_fail(err, VMI_E_PLAN_MISMATCH, VMI_NO_SITE, 0, 0, applied->code_len, save->len,
                        "save area does not match the plan");
    st = compare_all(text, applied, applied->code, 1, VMI_E_SITE_BYTES,
                     "site does not hold the applied plan's bytes", err);
    if (st == VMI_OK)
        st = write_all(text, applied, save->bytes, 0, err);
    if (st == VMI_OK)
        st = compare_all(text, applied, save->bytes, 0, VMI_E_VERIFY,
                         "read-back differs from the saved bytes", err);
    return st;
}
/* SPDX-License-Identifier: GPL-2.0-only */
