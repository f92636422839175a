/* Statistics, names and machine-readable report lines.  No libc: a tiny line builder. */
#include "vmi_internal.h"

static const char *const status_names[VMI_STATUS_COUNT] = {
    [VMI_OK] = "ok",
    [VMI_E_ARG] = "bad-argument",
    [VMI_E_CAPACITY] = "capacity",
    [VMI_E_ROM_SIZE] = "rom-size",
    [VMI_E_ROM_SIGNATURE] = "rom-signature",
    [VMI_E_ROM_VMI_SIGNATURE] = "rom-vmi-signature",
    [VMI_E_ROM_VERSION] = "rom-version",
    [VMI_E_ROM_NO_PCI] = "rom-no-pci",
    [VMI_E_ROM_OFFSET] = "rom-offset",
    [VMI_E_ROM_LICENSE] = "rom-license",
    [VMI_E_ROM_CHECKSUM] = "rom-checksum",
    [VMI_E_ROM_NOT_FOUND] = "rom-not-found",
    [VMI_E_INLINE_TABLE] = "inline-table",
    [VMI_E_INLINE_ENTRY] = "inline-entry",
    [VMI_E_INLINE_RELOC] = "inline-reloc",
    [VMI_E_INLINE_DUPLICATE] = "inline-duplicate",
    [VMI_E_RELOC_TYPE] = "reloc-type",
    [VMI_E_RELOC_TARGET] = "reloc-target",
    [VMI_E_RELOC_QUERY] = "reloc-query",
    [VMI_E_SITE_TABLE] = "site-table",
    [VMI_E_SITE_CALL] = "site-call",
    [VMI_E_SITE_LEN] = "site-len",
    [VMI_E_SITE_FLAGS] = "site-flags",
    [VMI_E_SITE_RANGE] = "site-range",
    [VMI_E_SITE_OVERLAP] = "site-overlap",
    [VMI_E_PLAN_MISMATCH] = "plan-mismatch",
    [VMI_E_SITE_BYTES] = "site-bytes",
    [VMI_E_VERIFY] = "verify",
    [VMI_E_WRITE] = "write",
    [VMI_E_SITE_TYPE] = "site-type",
    [VMI_E_AOT_RECORD] = "aot-record",
};

static const char *const decision_names[VMI_DECISION_COUNT] = {
    "native", "inline", "call", "jump", "nop",
};

static const char *const reason_names[VMI_REASON_COUNT] = {
    [VMI_REASON_INLINE] = "inline-body",
    [VMI_REASON_INLINE_VARIANT] = "inline-variant",
    [VMI_REASON_CALL_REL] = "call-rel",
    [VMI_REASON_JUMP_REL] = "jump-rel",
    [VMI_REASON_NOP_REL] = "nop-rel",
    [VMI_REASON_RELOC_NONE] = "reloc-none",
    [VMI_REASON_NO_ROM] = "no-rom",
    [VMI_REASON_POLICY] = "policy",
    [VMI_REASON_SITE_TOO_SHORT] = "site-too-short",
    [VMI_REASON_CALL_CLOBBERS] = "call-clobbers",
    [VMI_REASON_JUMP_AT_CALL_SITE] = "jump-at-call-site",
    [VMI_REASON_LINUX_KEEP] = "linux-keep",
    [VMI_REASON_FILL_NOP] = "fill-nop",
};

static const char *const noinline_names[VMI_NOINLINE_COUNT] = {
    "inlined", "policy", "no-extension", "no-body", "too-long", "clobbers", "linux-use",
};

static const char *const policy_names[VMI_POLICY_COUNT] = {
    "auto", "call-only", "native-only", "inline-only",
};

const char *vmi_status_name(vmi_status status)
{
    return (unsigned)status < VMI_STATUS_COUNT ? status_names[status] : "?";
}

const char *vmi_decision_name(unsigned d)
{
    return d < VMI_DECISION_COUNT ? decision_names[d] : "?";
}

const char *vmi_reason_name(unsigned r)
{
    return r < VMI_REASON_COUNT ? reason_names[r] : "?";
}

const char *vmi_noinline_name(unsigned w)
{
    return w < VMI_NOINLINE_COUNT ? noinline_names[w] : "?";
}

const char *vmi_policy_name(unsigned p)
{
    return p < VMI_POLICY_COUNT ? policy_names[p] : "?";
}

const char *vmi_call_name(unsigned call)
{
    if (call == VMI_NO_CALL)
        return "none";
    return vmi_call_defined(call) ? vmi_call_table[call].name : "?";
}

void vmi_plan_stats(const struct vmi_plan *plan, struct vmi_stats *st)
{
    uint32_t i;

    if (!st)
        return;
    vmi_memset(st, 0, sizeof(*st));
    if (!plan)
        return;
    for (i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        uint32_t d = sp->decision < VMI_DECISION_COUNT ? sp->decision : VMI_DECISION_NATIVE;
        st->sites++;
        st->decision[d]++;
        if (sp->reason < VMI_REASON_COUNT)
            st->reason[sp->reason]++;
        if (sp->noinline < VMI_NOINLINE_COUNT)
            st->noinline[sp->noinline]++;
        if (sp->call < VMI_NUM_CALLS) {
            st->call_sites[sp->call]++;
            st->call_decision[sp->call][d]++;
        }
        st->bytes_total += sp->len;
        if (d == VMI_DECISION_INLINE)
            st->bytes_inlined += sp->used;
        else if (d == VMI_DECISION_NATIVE)
            st->bytes_native += sp->used;
        else
            st->bytes_branch += sp->used;
        st->bytes_nop += (uint32_t)sp->len - sp->used;
        st->nop_count += sp->nops;
        st->relocs += sp->relocs;
    }
}

/* ---- a line builder ---- */

struct line {
    char *buf;
    uint32_t cap;
    uint32_t len;       /* length before truncation */
};

static void put_c(struct line *l, char c)
{
    if (l->len + 1 < l->cap)
        l->buf[l->len] = c;
    l->len++;
}

static void put_s(struct line *l, const char *s)
{
    while (*s)
        put_c(l, *s++);
}

static void put_u(struct line *l, uint32_t v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        put_c(l, tmp[--n]);
}

static void put_x(struct line *l, uint32_t v)
{
    int sh;
    put_s(l, "0x");
    for (sh = 28; sh >= 0; sh -= 4)
        put_c(l, "0123456789abcdef"[(v >> sh) & 0xf]);
}

static void put_kv_u(struct line *l, const char *k, uint32_t v)
{
    put_c(l, ' ');
    put_s(l, k);
    put_c(l, '=');
    put_u(l, v);
}

static void put_kv_s(struct line *l, const char *k, const char *v)
{
    put_c(l, ' ');
    put_s(l, k);
    put_c(l, '=');
    put_s(l, v);
}

static void put_kv_x(struct line *l, const char *k, uint32_t v)
{
    put_c(l, ' ');
    put_s(l, k);
    put_c(l, '=');
    put_x(l, v);
}

static uint32_t finish(struct line *l)
{
    if (l->cap)
        l->buf[l->len < l->cap ? l->len : l->cap - 1] = 0;
    return l->len;
}

uint32_t vmi_report_site(const struct vmi_site_plan *sp, char *buf, uint32_t cap)
{
    struct line l = { buf, buf ? cap : 0, 0 };

    put_s(&l, "site");
    put_kv_u(&l, "index", sp->index);
    put_kv_x(&l, "addr", sp->addr);
    put_kv_s(&l, "call", vmi_call_name(sp->call));
    put_kv_u(&l, "len", sp->len);
    put_kv_s(&l, "decision", vmi_decision_name(sp->decision));
    put_kv_s(&l, "reason", vmi_reason_name(sp->reason));
    put_kv_s(&l, "noinline", vmi_noinline_name(sp->noinline));
    put_kv_u(&l, "used", sp->used);
    put_kv_u(&l, "nops", sp->nops);
    put_kv_x(&l, "target", sp->target);
    return finish(&l);
}

uint32_t vmi_error_format(const struct vmi_error *err, char *buf, uint32_t cap)
{
    struct line l = { buf, buf ? cap : 0, 0 };

    put_s(&l, "error");
    put_kv_s(&l, "status", vmi_status_name(err->status));
    if (err->site == VMI_NO_SITE)
        put_kv_s(&l, "site", "none");
    else
        put_kv_u(&l, "site", err->site);
    put_kv_x(&l, "addr", err->address);
    put_kv_u(&l, "offset", err->offset);
    put_kv_x(&l, "expected", err->expected);
    put_kv_x(&l, "actual", err->actual);
    put_s(&l, " reason=\"");
    put_s(&l, err->reason ? err->reason : "");
    put_c(&l, '"');
    return finish(&l);
}

void vmi_report(const struct vmi_plan *plan, const struct vmi_stats *stats, int per_site,
                vmi_sink_fn sink, void *ctx)
{
    char buf[256];
    uint32_t i, d;

    if (!plan || !stats || !sink)
        return;
#define st (*stats)
    {
        struct line l = { buf, sizeof(buf), 0 };
        put_s(&l, "stats");
        put_kv_s(&l, "policy", vmi_policy_name(plan->policy));
        put_kv_x(&l, "rom", plan->rom_base);
        put_kv_u(&l, "sites", st.sites);
        for (d = 0; d < VMI_DECISION_COUNT; d++)
            put_kv_u(&l, vmi_decision_name(d), st.decision[d]);
        put_kv_u(&l, "bytes", st.bytes_total);
        put_kv_u(&l, "inlined", st.bytes_inlined);
        put_kv_u(&l, "native_bytes", st.bytes_native);
        put_kv_u(&l, "branch_bytes", st.bytes_branch);
        put_kv_u(&l, "nop_bytes", st.bytes_nop);
        put_kv_u(&l, "nop_count", st.nop_count);
        put_kv_u(&l, "relocs", st.relocs);
        sink(ctx, buf, finish(&l) < sizeof(buf) ? l.len : sizeof(buf) - 1);
    }
    for (i = 0; i < VMI_REASON_COUNT; i++) {
        struct line l = { buf, sizeof(buf), 0 };
        if (!st.reason[i])
            continue;
        put_s(&l, "reason");
        put_kv_s(&l, "name", vmi_reason_name(i));
        put_kv_u(&l, "sites", st.reason[i]);
        sink(ctx, buf, finish(&l) < sizeof(buf) ? l.len : sizeof(buf) - 1);
    }
    for (i = 0; i < VMI_NUM_CALLS; i++) {
        struct line l = { buf, sizeof(buf), 0 };
        if (!st.call_sites[i])
            continue;
        put_s(&l, "call");
        put_kv_s(&l, "name", vmi_call_name(i));
        put_kv_u(&l, "sites", st.call_sites[i]);
        for (d = 0; d < VMI_DECISION_COUNT; d++)
            put_kv_u(&l, vmi_decision_name(d), st.call_decision[i][d]);
        sink(ctx, buf, finish(&l) < sizeof(buf) ? l.len : sizeof(buf) - 1);
    }
    for (i = 0; per_site && i < plan->count; i++) {
        uint32_t n = vmi_report_site(&plan->sites[i], buf, sizeof(buf));
        sink(ctx, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
    }
#undef st
}
/* SPDX-License-Identifier: GPL-2.0-only */
