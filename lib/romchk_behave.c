/* check-rom's behavioural proof (romchk_behave.h).  Machine layout of every run: the ROM image at
 * ROM_BASE (read-only), a stack page with the site's ESP in its middle (stack arguments above it),
 * a data page that pointer arguments point into, the pv state page at virtual_top (pv flavor), the
 * native sequence under test at SITE_BASE, and the hypercall gate at GATE_ADDR (not memory: a
 * call there runs check-rom's monitor, which uses the model's monitor duties). */
#include "romchk_behave.h"
#include "romchk_mach.h"
#include "vmi_pv_model.h"

#include <Zydis/Zydis.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define ROM_BASE   0x000c8000u
#define STACK_BASE 0x00070000u
#define STACK_SIZE 0x400u
#define SITE_ESP   (STACK_BASE + 0x300u)      /* 768 bytes for the code, 256 of arguments */
#define DATA_BASE  0x00300000u
#define DATA_SIZE  0x400u
#define SITE_BASE  0x00500000u
#define GATE_ADDR  0x00600000u
#define SENTINEL   0xfffffff0u
#define MAX_STEPS  4000
#define PAGE_SIZE  4096u

/* One run's whole machine: registers and the memory the regions point into. */
struct world {
    struct mach m;
    uint8_t stack[STACK_SIZE];
    uint8_t data[DATA_SIZE];
    uint8_t page[PAGE_SIZE];
    uint8_t site[64];
    int stack_args;             /* the call's frame.arg_ptr is meaningful */
};

enum impl_kind { IMPL_SITE, IMPL_CALL, IMPL_EMPTY, IMPL_MODEL, IMPL_NATIVE };

struct impl {
    enum impl_kind kind;
    uint32_t off, len;          /* ROM offset (SITE: a body of len bytes; CALL: a routine) */
    uint8_t clobbers;           /* what it may change (inline: its declared clobbers) */
    char name[64];
};

struct binding {
    int reg;                    /* M_* register a variant binds, -1 none */
    uint32_t value;
};

struct outcome {
    enum mach_outcome o;
    uint32_t fault;
    char why[160];
};

/* ---- random states ----------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static uint32_t rnd(uint64_t *s)
{
    return (uint32_t)(rng_next(s) >> 16);
}

/* Values that take the branches a VMI routine has: zero, small numbers, single flag bits,
 * all ones, anything. */
static uint32_t interesting(uint64_t *s)
{
    uint32_t r = rnd(s);
    switch (r % 8) {
    case 0: return 0;
    case 1: return rnd(s) % 16;
    case 2: return 1u << (rnd(s) % 32);
    case 3: return rnd(s) | VMI_PAGE_CURRENT_AS;
    case 4: return 0xffffffffu;
    default: return rnd(s);
    }
}

/* The register or stack word of each argument, from the spec's "name:type@where" list. */
struct arg { int reg; int stack_word; int ptr; };

static unsigned parse_args(const char *args, struct arg *out, unsigned cap)
{
    unsigned n = 0, words = 0;
    for (const char *p = args; *p && n < cap;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *colon = strchr(p, ':'), *at = strchr(p, '@');
        const char *end = strchr(p, ' ');
        if (!end)
            end = p + strlen(p);
        if (!colon || !at || at > end)
            break;
        struct arg a = { -1, -1, strncmp(colon + 1, "ptr", 3) == 0 };
        int wide = strncmp(colon + 1, "u64", 3) == 0;
        if (strncmp(at + 1, "stack", 5) == 0) {
            a.stack_word = (int)words;
            words += wide ? 2 : 1;
        } else {
            const char *r = at + 1 + (wide ? 4 : 0);        /* edx:eax: the low half last */
            a.reg = strncmp(r, "eax", 3) == 0 ? M_EAX : strncmp(r, "ecx", 3) == 0 ? M_ECX
                    : strncmp(r, "edx", 3) == 0 ? M_EDX : -1;
        }
        out[n++] = a;
        p = end;
    }
    return n;
}

/* The systematic half of the states: value j of a sweep every argument goes through, so that
 * enumerations (a debug register number, a lazy mode) and flag words (one bit at a time) are
 * all seen, not left to chance. */
#define SWEEP_LEN 48u
static uint32_t sweep(unsigned j)
{
    j %= SWEEP_LEN;
    return j < 16 ? j : 1u << (j - 16);
}

static void fill(uint64_t *s, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = rng_next(s);
        memcpy(p + i, &v, n - i < 8 ? n - i : 8);
    }
}

static void pv_page(uint64_t *s, struct world *w, uint32_t gate_word, unsigned k)
{
    struct vmi_pv_state st;
    memset(&st, 0, sizeof st);
    st.magic = VMI_PV_STATE_MAGIC;
    st.version = VMI_PV_VERSION;
    st.gate = gate_word;
    int sys = k < SWEEP_LEN;         /* systematic: every combination of the page's switches */
    st.vif = (sys ? k & 1 : rnd(s) & 1) ? VMI_INTERRUPT_MASK_IF : 0;
    uint32_t p = sys ? (k >> 1) % 4 : rnd(s) % 4;
    st.pending = p == 0 || p == 1 ? 0 : p == 2 ? 1 : rnd(s) | 1;
    st.lazy_mode = sys ? (k >> 3) % 3 : rnd(s) % 3;
    st.cr0 = rnd(s);
    st.cr2 = rnd(s);
    st.cr3 = rnd(s);
    st.cr4 = rnd(s);
    uint32_t q = sys ? (k / 24 + k) % 4 : rnd(s) % 4;
    st.queue_count = q == 0 ? 0 : q == 1 ? VMI_PV_QUEUE_LEN : rnd(s) % VMI_PV_QUEUE_LEN;
    for (unsigned i = 0; i < 2 * VMI_PV_QUEUE_LEN; i++)
        st.queue[i] = rnd(s);
    for (unsigned i = 0; i < 256; i++)
        st.exits[i] = rnd(s) % 1000;
    memcpy(w->page, &st, sizeof st);
}

static void make_state(const struct romchk *c, unsigned call, unsigned k, struct world *w)
{
    uint64_t s = 0x9e3779b97f4a7c15ull ^ ((uint64_t)call << 32) ^ (k * 0x2545f4914f6cdd1dull);
    for (int i = 0; i < 4; i++)
        rng_next(&s);
    memset(w, 0, sizeof *w);
    fill(&s, w->stack, sizeof w->stack);
    fill(&s, w->data, sizeof w->data);
    struct mach *m = &w->m;
    for (int i = 0; i < 8; i++)
        m->r[i] = interesting(&s);
    m->r[M_ESP] = SITE_ESP;
    m->eflags = 2u | (rnd(&s) & M_FLAGS_ARITH) | (rnd(&s) & 1 ? M_FLAGS_IF : 0) |
                (c->native ? rnd(&s) & (M_FLAGS_IOPL | 0x244000u) : 0);   /* NT, AC, ID */
    for (int i = 0; i < 5; i++)
        m->cr[i] = rnd(&s);
    for (int i = 0; i < 8; i++)
        m->dr[i] = rnd(&s);
    fill(&s, m->gdtr, sizeof m->gdtr);
    fill(&s, m->idtr, sizeof m->idtr);
    m->ldtr = (uint16_t)rnd(&s);
    m->tr = (uint16_t)rnd(&s);
    m->tsc = (uint64_t)rnd(&s) << 32 | rnd(&s);
    const struct vmi_call_meta *meta = &vmi_call_table[call];
    struct arg a[8];
    unsigned na = parse_args(meta->args, a, 8);
    for (unsigned i = 0; i < na; i++) {
        uint32_t v = a[i].ptr ? DATA_BASE + ((rnd(&s) % (DATA_SIZE - 64)) & ~3u)
                     : k < SWEEP_LEN ? sweep(k + 7 * i) : interesting(&s);
        if (a[i].reg >= 0)
            m->r[a[i].reg] = v;
        else if (a[i].stack_word >= 0)
            memcpy(w->stack + (SITE_ESP - STACK_BASE) + 4 * (unsigned)a[i].stack_word, &v, 4);
    }
    w->stack_args = meta->stack_bytes > 0 || call == VMI_CALL_IRET;
    if (!c->native)
        pv_page(&s, w, GATE_ADDR, k);
}

/* ---- the monitor behind the gate, for both the ROM's runs and the model ---------------------- */

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x45d9f3bu;
    x ^= x >> 16;
    return x;
}

static int env_rd(void *ctx, uint32_t addr, unsigned bytes, uint32_t *v)
{
    return mach_read(&((struct world *)ctx)->m, addr, bytes, v);
}

static int env_wr(void *ctx, uint32_t addr, unsigned bytes, uint32_t v)
{
    return mach_write(&((struct world *)ctx)->m, addr, bytes, v);
}

static uint64_t env_tsc(void *ctx)
{
    return ((struct world *)ctx)->m.tsc;
}

static void env_drained(void *ctx, uint32_t addr, uint32_t value)
{
    mach_event(&((struct world *)ctx)->m, EV_DRAIN, addr, value, 0);
}

static void monitor(void *ctx, struct vmi_pv_frame *f);

static struct pv_model_env env_of(struct world *w, const struct romchk *c)
{
    struct pv_model_env e = { w, c->virtual_top, env_rd, env_wr, monitor, env_tsc, env_drained };
    return e;
}

static uint32_t top_of_world;   /* virtual_top of the ROM under test, for the monitor */

/* Drains the queue, records the frame, delivers, and answers with values that depend on
 * everything the call passed, so a ROM that passes the wrong register is seen. */
static void monitor(void *ctx, struct vmi_pv_frame *f)
{
    struct world *w = ctx;
    struct pv_model_env e = { w, top_of_world, env_rd, env_wr, monitor, env_tsc, env_drained };
    pv_monitor_drain(&e);
    mach_event(&w->m, EV_GATE, f->nr, f->eax, f->edx);
    mach_event(&w->m, EV_GATE_REGS, f->ecx, f->ebx, w->stack_args ? f->arg_ptr : 0);
    if (pv_monitor_delivers(&e, f->nr))
        mach_event(&w->m, EV_DELIVER, f->nr, 0, 0);
    uint32_t in = mix(f->nr * 0x10001u ^ f->eax ^ mix(f->edx ^ mix(f->ecx ^ f->ebx)));
    f->eax = in;
    f->edx = mix(in + 1);
    f->ecx = mix(in + 2);
    f->ebx = mix(in + 3);
}

static void gate(struct mach *m, void *ctx)
{
    struct world *w = ctx;
    uint32_t fp, v[6];
    if (mach_read(m, m->r[M_ESP] + 4, 4, &fp) < 0)
        return;
    for (int i = 0; i < 6; i++)
        if (mach_read(m, fp + 4 * (uint32_t)i, 4, &v[i]) < 0) {
            mach_event(m, EV_GATE, 0xbadf0000u, fp, 0);
            return;
        }
    struct vmi_pv_frame f = { v[0], v[1], v[2], v[3], v[4], v[5] };
    monitor(w, &f);
    const uint32_t out[6] = { f.nr, f.eax, f.edx, f.ecx, f.ebx, f.arg_ptr };
    for (int i = 0; i < 6; i++)
        mach_write(m, fp + 4 * (uint32_t)i, 4, out[i]);
    m->eflags ^= M_FLAGS_ARITH & 0x0c1u;    /* the gate may change the arithmetic flags */
}

/* ---- running one implementation ------------------------------------------------------------ */

static void map_world(struct world *w, const struct romchk *c)
{
    struct mach *m = &w->m;
    m->nrg = 0;
    mach_map(m, ROM_BASE, c->rom_size, (uint8_t *)c->img, 0, "image");
    mach_map(m, STACK_BASE, STACK_SIZE, w->stack, 1, "stack");
    mach_map(m, DATA_BASE, DATA_SIZE, w->data, 1, "data");
    mach_map(m, SITE_BASE, sizeof w->site, w->site, 0, "site");
    if (!c->native)
        mach_map(m, c->virtual_top, PAGE_SIZE, w->page, 1, "state page");
    m->kernel = c->native;
    m->gate = c->native ? NULL : gate;
    m->gate_addr = GATE_ADDR;
    m->gate_ctx = w;
}

static void run(const struct romchk *c, unsigned call, const struct impl *im, struct world *w,
                struct outcome *out)
{
    struct mach *m = &w->m;
    map_world(w, c);
    out->why[0] = '\0';
    out->fault = 0;
    switch (im->kind) {
    case IMPL_EMPTY:
        out->o = MACH_DONE;
        return;
    case IMPL_MODEL: {
        struct pv_model_env e = env_of(w, c);
        struct pv_model_regs r = { m->r[M_EAX], m->r[M_ECX], m->r[M_EDX], m->r[M_EBX],
                                   m->r[M_ESP] };
        enum pv_model_result x = pv_model_call(&e, call, &r);
        m->r[M_EAX] = r.eax;
        m->r[M_ECX] = r.ecx;
        m->r[M_EDX] = r.edx;
        m->r[M_EBX] = r.ebx;
        out->o = x == PV_MODEL_OK ? MACH_DONE : x == PV_MODEL_NORETURN ? MACH_TRAP : MACH_FAULT;
        out->fault = x == PV_MODEL_FAULT ? m->fault_addr : 0;
        return;
    }
    case IMPL_NATIVE: {
        const struct vmi_call_meta *meta = &vmi_call_table[call];
        memcpy(w->site, meta->native, meta->native_len);
        out->o = mach_run(m, SITE_BASE, SITE_BASE + meta->native_len, MAX_STEPS);
        break;
    }
    case IMPL_SITE:
        out->o = mach_run(m, ROM_BASE + im->off, ROM_BASE + im->off + im->len, MAX_STEPS);
        break;
    case IMPL_CALL:
        if (mach_push(m, SENTINEL) < 0) {
            out->o = MACH_FAULT;
            return;
        }
        out->o = mach_run(m, ROM_BASE + im->off, SENTINEL, MAX_STEPS);
        break;
    }
    out->fault = out->o == MACH_FAULT ? m->fault_addr : 0;
    snprintf(out->why, sizeof out->why, "%s", m->why);
}

/* ---- comparing two runs ------------------------------------------------------------------ */

static const char *const reg_names[8] = { "EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI" };
static const int clobber_bit[8] = { 0, 1, 2, 3, -1, 6, 4, 5 };   /* M_* -> VMI_CLOBBER bit */

/* The call's result registers: those its native sequence writes (the spec's definition of the
 * operation).  Calls without one have no register result. */
static uint8_t result_regs(unsigned call)
{
    const struct vmi_call_meta *meta = &vmi_call_table[call];
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    uint8_t mask = 0;
    for (unsigned at = 0; at < meta->native_len;) {
        ZydisDecodedInstruction zi;
        ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
        if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, meta->native + at, meta->native_len - at,
                                               &zi, op)))
            break;
        for (unsigned i = 0; i < zi.operand_count; i++) {
            if (op[i].type != ZYDIS_OPERAND_TYPE_REGISTER ||
                !(op[i].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
                continue;
            ZydisRegister big = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LEGACY_32,
                                                                 op[i].reg.value);
            for (int r = 0; r < 8; r++)
                if (r != M_ESP && (int)big == (int)ZYDIS_REGISTER_EAX + r)
                    mask |= (uint8_t)(1u << r);
        }
        at += zi.length;
    }
    return mask;
}

struct diff { char what[120]; uint32_t got, want; };

static int differ(struct diff *d, uint32_t got, uint32_t want, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int differ(struct diff *d, uint32_t got, uint32_t want, const char *fmt, ...)
{
    if (got == want)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->what, sizeof d->what, fmt, ap);
    va_end(ap);
    d->got = got;
    d->want = want;
    return 1;
}

static const char *pv_field(uint32_t off, char *buf, size_t cap)
{
    static const struct { uint32_t off; const char *name; } f[] = {
        { offsetof(struct vmi_pv_state, magic), "magic" },
        { offsetof(struct vmi_pv_state, version), "version" },
        { offsetof(struct vmi_pv_state, gate), "gate" },
        { offsetof(struct vmi_pv_state, vif), "vif" },
        { offsetof(struct vmi_pv_state, pending), "pending" },
        { offsetof(struct vmi_pv_state, lazy_mode), "lazy_mode" },
        { offsetof(struct vmi_pv_state, cr0), "cr0" }, { offsetof(struct vmi_pv_state, cr2), "cr2" },
        { offsetof(struct vmi_pv_state, cr3), "cr3" }, { offsetof(struct vmi_pv_state, cr4), "cr4" },
        { offsetof(struct vmi_pv_state, queue_count), "queue_count" },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (off >= f[i].off && off < f[i].off + 4) {
            snprintf(buf, cap, "%s byte %u", f[i].name, off - f[i].off);
            return buf;
        }
    uint32_t q = offsetof(struct vmi_pv_state, queue), e = offsetof(struct vmi_pv_state, exits);
    if (off >= q && off < q + 8 * VMI_PV_QUEUE_LEN)
        snprintf(buf, cap, "queue[%u] byte %u", (off - q) / 4, (off - q) % 4);
    else if (off >= e && off < e + 4 * 256)
        snprintf(buf, cap, "exits[%u] byte %u", (off - e) / 4, (off - e) % 4);
    else
        snprintf(buf, cap, "reserved byte 0x%x", off);
    return buf;
}

/* The first byte at which two copies of a region differ, or -1. */
static long first_difference(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (memcmp(a, b, n) == 0)
        return -1;
    size_t i = 0;
    while (a[i] == b[i])
        i++;
    return (long)i;
}

static int diff_memory(const struct romchk *c, const struct world *a, const struct world *b,
                       struct diff *d)
{
    char buf[48];
    uint32_t from = SITE_ESP - STACK_BASE;
    long i = first_difference(a->stack + from, b->stack + from, STACK_SIZE - from);
    if (i >= 0)
        return differ(d, a->stack[from + i], b->stack[from + i],
                      "the stack byte at the site's ESP+%ld", i);
    if ((i = first_difference(a->data, b->data, DATA_SIZE)) >= 0)
        return differ(d, a->data[i], b->data[i], "the byte at 0x%lx (behind a pointer argument)",
                      DATA_BASE + i);
    if (!c->native && (i = first_difference(a->page, b->page, PAGE_SIZE)) >= 0)
        return differ(d, a->page[i], b->page[i], "state page %s (0x%lx)",
                      pv_field((uint32_t)i, buf, sizeof buf), c->virtual_top + i);
    return 0;
}

static int diff_events(const struct mach *a, const struct mach *b, struct diff *d)
{
    static const char *const names[] = { "", "wbinvd", "invlpg", "out", "hlt", "wrmsr",
        "hypercall (nr, eax, edx)", "hypercall (ecx, ebx, arg_ptr)", "queue drain",
        "interrupt delivery", "control register write (CRn, value)" };
    unsigned n = a->nev < b->nev ? a->nev : b->nev;
    for (unsigned i = 0; i < n; i++)
        for (int k = 0; k < 4; k++)
            if (differ(d, a->ev[i][k], b->ev[i][k], "side effect %u (%s), word %d", i + 1,
                       names[b->ev[i][0] < 11 ? b->ev[i][0] : 0], k))
                return 1;
    return differ(d, a->nev, b->nev, "the number of side effects (hypercalls, drains, "
                  "privileged operations)");
}

static int diff_machine(const struct romchk *c, unsigned call, const struct impl *im,
                        const struct world *in, const struct world *a, const struct world *b,
                        struct diff *d)
{
    const struct mach *ma = &a->m, *mb = &b->m;
    uint8_t results = result_regs(call);
    for (int r = 0; r < 8 && im->clobbers != 0xff; r++) {
        int bit = clobber_bit[r];
        int may = bit >= 0 && (im->clobbers & (1u << bit));
        if ((results & (1u << r)) && differ(d, ma->r[r], mb->r[r], "%s", reg_names[r]))
            return 1;
        if (!may && differ(d, ma->r[r], in->m.r[r], "%s, which it must preserve", reg_names[r]))
            return 1;
    }
    if (differ(d, ma->eflags & M_FLAGS_SYS, mb->eflags & M_FLAGS_SYS,
               "EFLAGS's system flags (TF, IF, DF, IOPL, NT, AC, ID)"))
        return 1;
    if (!(im->clobbers & VMI_CLOBBER_FLAGS) &&
        differ(d, ma->eflags & M_FLAGS_ARITH, in->m.eflags & M_FLAGS_ARITH,
               "the arithmetic flags, which it must preserve"))
        return 1;
    for (int i = 0; i < 5; i++)
        if (differ(d, ma->cr[i], mb->cr[i], "CR%d", i))
            return 1;
    for (int i = 0; i < 8; i++)
        if (differ(d, ma->dr[i], mb->dr[i], "DR%d", i))
            return 1;
    for (int i = 0; i < 6; i++)
        if (differ(d, ma->gdtr[i], mb->gdtr[i], "GDTR byte %d", i) ||
            differ(d, ma->idtr[i], mb->idtr[i], "IDTR byte %d", i))
            return 1;
    if (differ(d, ma->ldtr, mb->ldtr, "LDTR") || differ(d, ma->tr, mb->tr, "TR"))
        return 1;
    return diff_events(ma, mb, d) || diff_memory(c, a, b, d);
}

static void describe_state(const struct romchk *c, const struct world *in, unsigned k, char *buf,
                           size_t cap)
{
    const struct mach *m = &in->m;
    int n = snprintf(buf, cap, "state #%u: eax=%x ecx=%x edx=%x ebx=%x eflags=%x", k,
                     m->r[M_EAX], m->r[M_ECX], m->r[M_EDX], m->r[M_EBX], m->eflags);
    if (n < 0 || (size_t)n >= cap)
        return;
    struct vmi_pv_state st;
    memcpy(&st, in->page, sizeof st);
    if (c->native)
        snprintf(buf + n, cap - (size_t)n, " cr0=%x cr2=%x cr3=%x cr4=%x", m->cr[0], m->cr[2],
                 m->cr[3], m->cr[4]);
    else
        snprintf(buf + n, cap - (size_t)n, " vif=%x pending=%x lazy_mode=%u queue_count=%u",
                 st.vif, st.pending, st.lazy_mode, st.queue_count);
}

/* A run that has ended, as the finding words it. */
static const char *ending(const struct outcome *o)
{
    static const char *const on[] = { "returns", "stops at ud2 (never returns)", "faults",
                                      "cannot be executed", "does not finish" };
    return on[o->o];
}

/* Runs impl and ref on state k; 0 when they agree, else fills msg (cut short if it must be: the
 * finding's text has a fixed size). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
static int compare_one(struct romchk *c, unsigned call, const struct impl *im,
                       const struct impl *ref, const struct binding *bind, unsigned k,
                       char *msg, size_t cap)
{
    static struct world in, a, b;
    make_state(c, call, k, &in);
    if (bind->reg >= 0)
        in.m.r[bind->reg] = bind->value;
    struct outcome oa, ob;
    a = in;
    b = in;
    run(c, call, im, &a, &oa);
    run(c, call, ref, &b, &ob);
    if (ob.o == MACH_UNSUPPORTED || ob.o == MACH_LIMIT)
        if (oa.o != MACH_UNSUPPORTED && oa.o != MACH_LIMIT)
            return 0;     /* check-rom cannot run the reference: its limit, not the ROM's fault */
    char state[200];
    describe_state(c, &in, k, state, sizeof state);
    if (oa.o == MACH_UNSUPPORTED || oa.o == MACH_LIMIT) {
        snprintf(msg, cap, "its behaviour cannot be proven on %s: %s", state, oa.why);
        return 1;
    }
    if (oa.o != ob.o || oa.fault != ob.fault) {
        snprintf(msg, cap, "differs from %s on %s: it %s%s%s, %s %s", ref->name, state,
                 ending(&oa), oa.o == MACH_FAULT ? ": " : "", oa.o == MACH_FAULT ? oa.why : "",
                 ref->name, ending(&ob));
        return 1;
    }
    if (oa.o == MACH_FAULT)
        return 0;         /* both fault at the same address: the same behaviour */
    struct diff d;
    struct impl scope = *im;
    if (oa.o == MACH_TRAP)
        scope.clobbers = 0xff;      /* never returns: its registers are nobody's */
    if (diff_machine(c, call, &scope, &in, &a, &b, &d)) {
        snprintf(msg, cap, "differs from %s on %s: %s is 0x%x, %s gives 0x%x", ref->name, state,
                 d.what, d.got, ref->name, d.want);
        return 1;
    }
    return 0;
}

/* Every state; the first disagreement is the finding. */
static void compare(struct romchk *c, unsigned call, const struct impl *im,
                    const struct impl *ref, const struct binding *bind)
{
    char msg[400];
    top_of_world = c->virtual_top;
    for (unsigned k = 0; k < ROMCHK_BEHAVE_STATES; k++)
        if (compare_one(c, call, im, ref, bind, k, msg, sizeof msg)) {
            romchk_add(c, (long)im->off, im->name, "%s", msg);
            return;
        }
}

/* ---- which implementations are compared with which references ------------------------------ */

static void impl_routine(const struct romchk *c, unsigned call, struct impl *im)
{
    const struct vmi_call_meta *meta = &vmi_call_table[call];
    memset(im, 0, sizeof *im);
    im->kind = c->reloc_type[call] == VMI_RELOCATION_NOP ? IMPL_EMPTY : IMPL_CALL;
    im->off = c->reloc_off[call];
    im->clobbers = meta->clobbers;
    snprintf(im->name, sizeof im->name, "%s", meta->name);
}

static void impl_reference(const struct romchk *c, unsigned call, struct impl *ref)
{
    memset(ref, 0, sizeof *ref);
    ref->kind = c->native ? IMPL_NATIVE : IMPL_MODEL;
    ref->clobbers = vmi_call_table[call].clobbers;
    snprintf(ref->name, sizeof ref->name, "%s", c->native ? "the spec's native sequence"
                                                          : "the pv model");
}

static int comparable(const struct romchk *c, unsigned call)
{
    const struct vmi_call_meta *meta = &vmi_call_table[call];
    if (!(meta->flags & VMI_CALL_F_DEFINED))
        return 0;
    /* native IRET/SYSEXIT leave the machine: nothing to compare on it */
    if (c->native && (meta->flags & (VMI_CALL_F_JUMP | VMI_CALL_F_NORETURN)))
        return 0;
    return 1;
}

static unsigned check_entries(struct romchk *c)
{
    unsigned n = 0;
    for (unsigned i = 0; c->has_table && i < c->entries; i++) {
        const uint8_t *e = c->img + c->table_off + sizeof(struct vmi_inline_table) +
                           i * sizeof(struct vmi_inline_entry);
        unsigned call = e[0];
        if (call >= VMI_NUM_CALLS || !comparable(c, call) || e[6] == 0 ||
            romchk_rd16(c, (uint32_t)(e - c->img) + 4) + e[6] >= c->rom_size)
            continue;
        const struct vmi_call_meta *meta = &vmi_call_table[call];
        struct impl body = { IMPL_SITE, romchk_rd16(c, (uint32_t)(e - c->img) + 4), e[6],
                             (uint8_t)(e[1] & meta->clobbers), "" };
        struct binding bind = { -1, 0 };
        if (e[2] & VMI_INLINE_VARIANT) {
            struct arg a[8];
            unsigned na = parse_args(meta->args, a, 8);
            if (e[3] >= na || a[e[3]].reg < 0)
                continue;           /* a finding of the structural checks already */
            bind.reg = a[e[3]].reg;
            bind.value = romchk_rd32(c, (uint32_t)(e - c->img) + 12);
            snprintf(body.name, sizeof body.name, "%s[%u]=%u", meta->name, e[3], bind.value);
        } else {
            snprintf(body.name, sizeof body.name, "%s (inline)", meta->name);
        }
        struct impl ref, routine;
        impl_reference(c, call, &ref);
        compare(c, call, &body, &ref, &bind);
        n++;
        if (c->reloc_type[call] == VMI_RELOCATION_CALL_REL ||
            c->reloc_type[call] == VMI_RELOCATION_NOP) {
            impl_routine(c, call, &routine);
            snprintf(routine.name, sizeof routine.name, "its routine (%s)", meta->name);
            compare(c, call, &body, &routine, &bind);
            n++;
        }
    }
    return n;
}

/* VMI_Init on state k: the platform's hello present or not (pv), the page's fields right or not.
 * Without the hello the state page is not mapped, so a ROM that reads it faults. */
static int init_one(struct romchk *c, unsigned k, char *msg, size_t cap)
{
    static struct world in, a;
    make_state(c, VMI_CALL_CPUID, k, &in);
    struct mach *m = &in.m;
    struct vmi_pv_state st;
    memcpy(&st, in.page, sizeof st);
    int hello = k % 4 == 0 || k % 4 == 3;
    if (!c->native) {
        m->r[M_EAX] = k % 4 == 2 ? m->r[M_EAX] : VMI_PV_STATE_MAGIC;
        m->r[M_EDX] = k % 4 == 1 ? m->r[M_EDX] : c->virtual_top;
        hello = m->r[M_EAX] == VMI_PV_STATE_MAGIC && m->r[M_EDX] == c->virtual_top;
        st.magic ^= k % 8 == 4 ? 1u : 0;
        st.version ^= k % 8 == 7 ? 2u : 0;
        st.gate = k % 8 == 3 ? 0 : st.gate;
        memcpy(in.page, &st, sizeof st);
    }
    uint32_t want = 0;
    if (!c->native) {
        struct pv_model_env e = env_of(&in, c);
        map_world(&in, c);
        pv_model_init(&e, m->r[M_EAX], m->r[M_EDX], &want);
    }
    a = in;
    map_world(&a, c);
    if (!c->native && !hello)
        a.m.nrg--;                       /* no state page: the platform did not say hello */
    struct outcome o;
    a.m.nev = 0;
    if (mach_push(&a.m, SENTINEL) < 0)
        return 0;
    o.o = mach_run(&a.m, ROM_BASE + VMI_ROM_INIT_OFFSET, SENTINEL, MAX_STEPS);
    char state[200];
    describe_state(c, &in, k, state, sizeof state);
    if (o.o != MACH_DONE) {
        snprintf(msg, cap, "on %s%s it %s: %s", state, hello ? "" : " (no hello: no state page)",
                 ending(&o), a.m.why);
        return 1;
    }
    struct diff d;
    struct impl im = { IMPL_CALL, VMI_ROM_INIT_OFFSET, 0, VMI_CLOBBER_STD, "VMI_Init" };
    struct world ref = in;
    ref.m.r[M_EAX] = want;
    if (differ(&d, a.m.r[M_EAX], want, "EAX") ||
        diff_machine(c, VMI_CALL_SetCR0, &im, &in, &a, &ref, &d)) {
        snprintf(msg, cap, "differs from %s on %s%s: %s is 0x%x, expected 0x%x",
                 c->native ? "the native ROM's (always 0)" : "the pv model", state,
                 hello ? "" : " (no hello)", d.what, d.got, d.want);
        return 1;
    }
    return 0;
}

static void check_init(struct romchk *c)
{
    char msg[400];
    for (unsigned k = 0; k < ROMCHK_BEHAVE_STATES; k++)
        if (init_one(c, k, msg, sizeof msg)) {
            romchk_add(c, VMI_ROM_INIT_OFFSET, "VMI_Init", "%s", msg);
            return;
        }
}

/* A pv ROM that answers NONE sends the kernel to the call's native sequence; that is a behaviour
 * only when the sequence can run in a paravirtual guest (no privileged or sensitive
 * instruction).  The first such instruction is named. */
static void check_none_answers(struct romchk *c)
{
    ZydisDecoder dec;
    ZydisFormatter fmt;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_ATT);
    for (unsigned call = 0; call < VMI_NUM_CALLS && call < 256; call++) {
        const struct vmi_call_meta *meta = &vmi_call_table[call];
        if (c->native || !(meta->flags & VMI_CALL_F_DEFINED) ||
            c->reloc_type[call] != VMI_RELOCATION_NONE)
            continue;
        for (unsigned at = 0; at < meta->native_len;) {
            ZydisDecodedInstruction zi;
            ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
            if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, meta->native + at,
                                                   meta->native_len - at, &zi, op)))
                break;
            if (romchk_is_sensitive(zi.mnemonic, zi.attributes)) {
                char text[96];
                if (ZYAN_FAILED(ZydisFormatterFormatInstruction(&fmt, &zi, op,
                                zi.operand_count_visible, text, sizeof text, 0, NULL)))
                    snprintf(text, sizeof text, "?");
                romchk_add(c, -1, "GetRelocationInfo", "GetRelocationInfo(%u) answers NONE for "
                           "%s: the kernel then runs its native sequence, whose '%s' a pv guest "
                           "cannot execute", call, meta->name, text);
                break;
            }
            at += zi.length;
        }
    }
}

/* GetRelocationInfo's registers beyond the type byte Linux reads: EAX = 0 with NONE, the rest of
 * EDX 0 always (docs/rom-format.md §3), executed again at the first base. */
static void check_answer_registers(struct romchk *c)
{
    for (unsigned n = 0; n < 256; n++) {
        uint32_t eax, edx;
        if (romchk_emu_call(c->img, c->rom_size, ROM_BASE, VMI_ROM_GET_RELOC_OFFSET, n, &eax, &edx,
                            NULL) < 0)
            return;                 /* a finding of check_relocs already */
        if ((edx & ~0xffu) || (c->reloc_type[n] == VMI_RELOCATION_NONE && eax != 0)) {
            romchk_add(c, VMI_ROM_GET_RELOC_OFFSET, "GetRelocationInfo", "GetRelocationInfo(%u) "
                       "answers EAX 0x%x, EDX 0x%x: NONE has EAX 0, and EDX is only the type", n,
                       eax, edx);
            return;
        }
    }
}

/* Native IRET and SYSEXIT leave the machine, so they are not run: their routine must be the
 * spec's native sequence itself, byte for byte. */
static void check_native_jumps(struct romchk *c)
{
    for (unsigned call = 0; c->native && call < VMI_NUM_CALLS && call < 256; call++) {
        const struct vmi_call_meta *meta = &vmi_call_table[call];
        if (!(meta->flags & VMI_CALL_F_DEFINED) || !(meta->flags & VMI_CALL_F_NORETURN) ||
            c->reloc_type[call] == VMI_RELOCATION_NONE)
            continue;
        uint32_t off = c->reloc_off[call];
        if (off + meta->native_len > c->rom_size ||
            memcmp(c->img + off, meta->native, meta->native_len) != 0)
            romchk_add(c, (long)off, meta->name, "%s never returns, so check-rom cannot run it: "
                       "its routine must be the spec's native sequence (%u bytes), and is not",
                       meta->name, meta->native_len);
    }
}

unsigned romchk_behave(struct romchk *c)
{
    if (!c->reloc_done)
        return 0;
    unsigned n = 1;
    check_init(c);
    check_none_answers(c);
    check_answer_registers(c);
    check_native_jumps(c);
    for (unsigned call = 0; call < VMI_NUM_CALLS && call < 256; call++) {
        if (!comparable(c, call) || c->reloc_type[call] == VMI_RELOCATION_NONE ||
            c->reloc_type[call] == VMI_RELOCATION_JUMP_REL)
            continue;
        struct impl routine, ref;
        struct binding none = { -1, 0 };
        impl_routine(c, call, &routine);
        impl_reference(c, call, &ref);
        compare(c, call, &routine, &ref, &none);
        n++;
    }
    return n + check_entries(c);
}
/* SPDX-License-Identifier: GPL-2.0-only */
