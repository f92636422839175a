/* check-rom's 32-bit machine (romchk_mach.h): one instruction at a time, decoded by Zydis.  Every
 * instruction it does not model, and every access outside the mapped regions, stops the run with
 * a reason, so nothing is guessed. */
#include "romchk_mach.h"

#include <Zydis/Zydis.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define F_CF 0x001u
#define F_PF 0x004u
#define F_AF 0x010u
#define F_ZF 0x040u
#define F_SF 0x080u
#define F_OF 0x800u

int mach_map(struct mach *m, uint32_t base, uint32_t size, uint8_t *bytes, int writable,
             const char *name)
{
    if (m->nrg == MACH_MAX_REGIONS)
        return -1;
    m->rg[m->nrg] = (struct mach_region){ base, size, bytes, writable, name };
    return (int)m->nrg++;
}

static uint8_t *locate(struct mach *m, uint32_t addr, unsigned bytes, int write)
{
    for (unsigned i = 0; i < m->nrg; i++) {
        const struct mach_region *g = &m->rg[i];
        if (addr - g->base < g->size && g->size - (addr - g->base) >= bytes)
            return write && !g->writable ? NULL : g->bytes + (addr - g->base);
    }
    return NULL;
}

int mach_read(struct mach *m, uint32_t addr, unsigned bytes, uint32_t *v)
{
    const uint8_t *p = locate(m, addr, bytes, 0);
    if (!p) {
        m->fault_addr = addr;
        return -1;
    }
    *v = 0;
    for (unsigned k = 0; k < bytes; k++)
        *v |= (uint32_t)p[k] << (8 * k);
    return 0;
}

int mach_write(struct mach *m, uint32_t addr, unsigned bytes, uint32_t v)
{
    uint8_t *p = locate(m, addr, bytes, 1);
    if (!p) {
        m->fault_addr = addr;
        return -1;
    }
    for (unsigned k = 0; k < bytes; k++)
        p[k] = (uint8_t)(v >> (8 * k));
    return 0;
}

int mach_push(struct mach *m, uint32_t v)
{
    if (mach_write(m, m->r[M_ESP] - 4, 4, v) < 0)
        return -1;
    m->r[M_ESP] -= 4;
    return 0;
}

int mach_pop(struct mach *m, uint32_t *v)
{
    if (mach_read(m, m->r[M_ESP], 4, v) < 0)
        return -1;
    m->r[M_ESP] += 4;
    return 0;
}

void mach_event(struct mach *m, uint32_t kind, uint32_t a, uint32_t b, uint32_t c)
{
    if (m->nev == MACH_MAX_EVENTS) {
        m->ev_lost++;
        return;
    }
    uint32_t *e = m->ev[m->nev++];
    e[0] = kind;
    e[1] = a;
    e[2] = b;
    e[3] = c;
}

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    return x ^ (x >> 16);
}

uint64_t mach_msr(const struct mach *m, uint32_t index)
{
    for (unsigned i = 0; i < m->nmsr; i++)
        if (m->msr_key[i] == index)
            return (uint64_t)m->msr_hi[i] << 32 | m->msr_lo[i];
    return (uint64_t)mix(index ^ 0x4d535200u) << 32 | mix(index);
}

uint32_t mach_cpuid(uint32_t leaf, uint32_t sub, int reg)
{
    return mix(leaf * 4u + (uint32_t)reg) ^ mix(sub + 0x43505549u);
}

/* ---- operands ---------------------------------------------------------------------------- */

static int stop(struct mach *m, enum mach_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int stop(struct mach *m, enum mach_outcome o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->why, sizeof m->why, fmt, ap);
    va_end(ap);
    return -(int)o - 1;
}

static int gpr(ZydisRegister reg, int *idx, unsigned *shift, unsigned *bits)
{
    static const ZydisRegister r32[] = { ZYDIS_REGISTER_EAX, ZYDIS_REGISTER_ECX,
        ZYDIS_REGISTER_EDX, ZYDIS_REGISTER_EBX, ZYDIS_REGISTER_ESP, ZYDIS_REGISTER_EBP,
        ZYDIS_REGISTER_ESI, ZYDIS_REGISTER_EDI };
    static const ZydisRegister r16[] = { ZYDIS_REGISTER_AX, ZYDIS_REGISTER_CX, ZYDIS_REGISTER_DX,
        ZYDIS_REGISTER_BX, ZYDIS_REGISTER_SP, ZYDIS_REGISTER_BP, ZYDIS_REGISTER_SI,
        ZYDIS_REGISTER_DI };
    static const ZydisRegister r8[] = { ZYDIS_REGISTER_AL, ZYDIS_REGISTER_CL, ZYDIS_REGISTER_DL,
        ZYDIS_REGISTER_BL, ZYDIS_REGISTER_AH, ZYDIS_REGISTER_CH, ZYDIS_REGISTER_DH,
        ZYDIS_REGISTER_BH };
    for (int i = 0; i < 8; i++) {
        if (reg == r32[i]) { *idx = i; *shift = 0; *bits = 32; return 0; }
        if (reg == r16[i]) { *idx = i; *shift = 0; *bits = 16; return 0; }
        if (reg == r8[i]) { *idx = i & 3; *shift = i < 4 ? 0 : 8; *bits = 8; return 0; }
    }
    return -1;
}

static uint32_t mask_of(unsigned bits)
{
    return bits >= 32 ? 0xffffffffu : (1u << bits) - 1;
}

/* Control and debug registers: only in kernel mode. */
static uint32_t *sysreg(struct mach *m, ZydisRegister reg)
{
    if (!m->kernel)
        return NULL;
    if (reg >= ZYDIS_REGISTER_CR0 && reg <= ZYDIS_REGISTER_CR4)
        return &m->cr[reg - ZYDIS_REGISTER_CR0];
    if (reg >= ZYDIS_REGISTER_DR0 && reg <= ZYDIS_REGISTER_DR7)
        return &m->dr[reg - ZYDIS_REGISTER_DR0];
    return NULL;
}

static uint32_t ea(struct mach *m, const ZydisDecodedOperand *op)
{
    uint32_t a = (uint32_t)op->mem.disp.value;
    int i;
    unsigned s, b;
    if (op->mem.base != ZYDIS_REGISTER_NONE && gpr(op->mem.base, &i, &s, &b) == 0)
        a += m->r[i];
    if (op->mem.index != ZYDIS_REGISTER_NONE && gpr(op->mem.index, &i, &s, &b) == 0)
        a += m->r[i] * op->mem.scale;
    return a;
}

static int mem_ok(const ZydisDecodedOperand *op)
{
    return (op->mem.segment == ZYDIS_REGISTER_DS || op->mem.segment == ZYDIS_REGISTER_SS ||
            op->mem.segment == ZYDIS_REGISTER_ES || op->mem.segment == ZYDIS_REGISTER_NONE) &&
           (op->mem.base == ZYDIS_REGISTER_NONE || op->mem.base < ZYDIS_REGISTER_CR0) &&
           (op->mem.base == ZYDIS_REGISTER_NONE ||
            ZydisRegisterGetClass(op->mem.base) == ZYDIS_REGCLASS_GPR32);
}

static int rd(struct mach *m, const ZydisDecodedOperand *op, uint32_t *v)
{
    int i;
    unsigned s, b;
    switch (op->type) {
    case ZYDIS_OPERAND_TYPE_REGISTER: {
        uint32_t *sr = sysreg(m, op->reg.value);
        if (sr) {
            *v = *sr;
            return 0;
        }
        if (gpr(op->reg.value, &i, &s, &b) < 0)
            return -1;
        *v = (m->r[i] >> s) & mask_of(b);
        return 0;
    }
    case ZYDIS_OPERAND_TYPE_IMMEDIATE:
        /* Zydis gives an imm8 of a 32-bit operation its own size: sign-extend, the ALU masks */
        *v = op->imm.is_signed ? (uint32_t)(int32_t)op->imm.value.s : (uint32_t)op->imm.value.u;
        return 0;
    case ZYDIS_OPERAND_TYPE_MEMORY:
        if (!mem_ok(op))
            return -1;
        if (op->mem.type == ZYDIS_MEMOP_TYPE_AGEN) {
            *v = ea(m, op);
            return 0;
        }
        if (op->size == 0 || op->size > 32)
            return -1;
        return mach_read(m, ea(m, op), op->size / 8, v) < 0 ? -2 : 0;
    default:
        return -1;
    }
}

static int wr(struct mach *m, const ZydisDecodedOperand *op, uint32_t v)
{
    int i;
    unsigned s, b;
    if (op->type == ZYDIS_OPERAND_TYPE_REGISTER) {
        uint32_t *sr = sysreg(m, op->reg.value);
        if (sr) {
            *sr = v;
            /* a control register write acts at once (TLB flush, paging mode): every value
             * written counts, not only the last */
            if (op->reg.value >= ZYDIS_REGISTER_CR0 && op->reg.value <= ZYDIS_REGISTER_CR4)
                mach_event(m, EV_CR_WRITE, (uint32_t)(op->reg.value - ZYDIS_REGISTER_CR0), v, 0);
            return 0;
        }
        if (gpr(op->reg.value, &i, &s, &b) < 0)
            return -1;
        if (b == 32)
            m->r[i] = v;
        else
            m->r[i] = (m->r[i] & ~(mask_of(b) << s)) | ((v & mask_of(b)) << s);
        return 0;
    }
    if (op->type != ZYDIS_OPERAND_TYPE_MEMORY || !mem_ok(op) || op->size == 0 || op->size > 32)
        return -1;
    return mach_write(m, ea(m, op), op->size / 8, v) < 0 ? -2 : 0;
}

/* ---- arithmetic ------------------------------------------------------------------------- */

static void set_flag(struct mach *m, uint32_t f, int on)
{
    m->eflags = on ? m->eflags | f : m->eflags & ~f;
}

static void result_flags(struct mach *m, uint32_t r, unsigned bits)
{
    r &= mask_of(bits);
    set_flag(m, F_ZF, r == 0);
    set_flag(m, F_SF, (r >> (bits - 1)) & 1);
    set_flag(m, F_PF, !__builtin_parity(r & 0xff));
}

static uint32_t alu(struct mach *m, ZydisMnemonic mn, uint32_t a, uint32_t b, unsigned bits)
{
    uint32_t mk = mask_of(bits), sign = 1u << (bits - 1), r;
    a &= mk;
    b &= mk;
    switch (mn) {
    case ZYDIS_MNEMONIC_ADD:
        r = (a + b) & mk;
        set_flag(m, F_CF, r < a);
        set_flag(m, F_OF, !((a ^ b) & sign) && ((a ^ r) & sign));
        set_flag(m, F_AF, (a ^ b ^ r) & 0x10);
        break;
    case ZYDIS_MNEMONIC_SUB:
    case ZYDIS_MNEMONIC_CMP:
        r = (a - b) & mk;
        set_flag(m, F_CF, a < b);
        set_flag(m, F_OF, ((a ^ b) & sign) && ((a ^ r) & sign));
        set_flag(m, F_AF, (a ^ b ^ r) & 0x10);
        break;
    case ZYDIS_MNEMONIC_AND:
    case ZYDIS_MNEMONIC_TEST:
        r = a & b;
        goto logic;
    case ZYDIS_MNEMONIC_OR:
        r = a | b;
        goto logic;
    default: /* XOR */
        r = a ^ b;
    logic:
        set_flag(m, F_CF | F_OF | F_AF, 0);
        break;
    }
    result_flags(m, r, bits);
    return r;
}

static int cond(const struct mach *m, ZydisMnemonic mn, int *taken)
{
    int cf = !!(m->eflags & F_CF), zf = !!(m->eflags & F_ZF), sf = !!(m->eflags & F_SF);
    int of = !!(m->eflags & F_OF), pf = !!(m->eflags & F_PF);
    switch (mn) {
    case ZYDIS_MNEMONIC_JZ: *taken = zf; break;
    case ZYDIS_MNEMONIC_JNZ: *taken = !zf; break;
    case ZYDIS_MNEMONIC_JB: *taken = cf; break;
    case ZYDIS_MNEMONIC_JNB: *taken = !cf; break;
    case ZYDIS_MNEMONIC_JBE: *taken = cf || zf; break;
    case ZYDIS_MNEMONIC_JNBE: *taken = !cf && !zf; break;
    case ZYDIS_MNEMONIC_JL: *taken = sf != of; break;
    case ZYDIS_MNEMONIC_JNL: *taken = sf == of; break;
    case ZYDIS_MNEMONIC_JLE: *taken = zf || sf != of; break;
    case ZYDIS_MNEMONIC_JNLE: *taken = !zf && sf == of; break;
    case ZYDIS_MNEMONIC_JS: *taken = sf; break;
    case ZYDIS_MNEMONIC_JNS: *taken = !sf; break;
    case ZYDIS_MNEMONIC_JO: *taken = of; break;
    case ZYDIS_MNEMONIC_JNO: *taken = !of; break;
    case ZYDIS_MNEMONIC_JP: *taken = pf; break;
    case ZYDIS_MNEMONIC_JNP: *taken = !pf; break;
    default: return -1;
    }
    return 0;
}

/* ---- instructions ------------------------------------------------------------------------ */

struct insn {
    ZydisDecodedInstruction zi;
    ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
    const char *name;
    uint32_t at, next;
};

static int bad_mem(struct mach *m, const struct insn *x, int rc)
{
    if (rc == -2)
        return stop(m, MACH_FAULT, "'%s' at 0x%x accesses 0x%x, outside the machine's memory",
                    x->name, x->at, m->fault_addr);
    return stop(m, MACH_UNSUPPORTED, "'%s' at 0x%x has an operand check-rom does not model",
                x->name, x->at);
}

static int binary(struct mach *m, const struct insn *x)
{
    uint32_t a, b;
    int rc;
    if ((rc = rd(m, &x->op[0], &a)) < 0 || (rc = rd(m, &x->op[1], &b)) < 0)
        return bad_mem(m, x, rc);
    uint32_t r = alu(m, x->zi.mnemonic, a, b, x->op[0].size);
    if (x->zi.mnemonic != ZYDIS_MNEMONIC_CMP && x->zi.mnemonic != ZYDIS_MNEMONIC_TEST &&
        (rc = wr(m, &x->op[0], r)) < 0)
        return bad_mem(m, x, rc);
    return 0;
}

static int unary(struct mach *m, const struct insn *x)
{
    uint32_t a, cf = m->eflags & F_CF;
    unsigned bits = x->op[0].size;
    int rc;
    if ((rc = rd(m, &x->op[0], &a)) < 0)
        return bad_mem(m, x, rc);
    switch (x->zi.mnemonic) {
    case ZYDIS_MNEMONIC_INC: a = alu(m, ZYDIS_MNEMONIC_ADD, a, 1, bits); set_flag(m, F_CF, cf); break;
    case ZYDIS_MNEMONIC_DEC: a = alu(m, ZYDIS_MNEMONIC_SUB, a, 1, bits); set_flag(m, F_CF, cf); break;
    case ZYDIS_MNEMONIC_NEG: a = alu(m, ZYDIS_MNEMONIC_SUB, 0, a, bits); break;
    default: a = ~a; break;   /* NOT: no flags */
    }
    if ((rc = wr(m, &x->op[0], a)) < 0)
        return bad_mem(m, x, rc);
    return 0;
}

static int shift(struct mach *m, const struct insn *x)
{
    uint32_t a, n;
    unsigned bits = x->op[0].size;
    int rc;
    if ((rc = rd(m, &x->op[0], &a)) < 0 || (rc = rd(m, &x->op[1], &n)) < 0)
        return bad_mem(m, x, rc);
    n &= 31;
    if (n == 0)
        return 0;
    uint32_t r, out;
    a &= mask_of(bits);
    if (x->zi.mnemonic == ZYDIS_MNEMONIC_SHL) {
        out = n <= bits ? (a >> (bits - n)) & 1 : 0;
        r = n >= 32 ? 0 : a << n;
    } else if (x->zi.mnemonic == ZYDIS_MNEMONIC_SHR) {
        out = (a >> (n - 1)) & 1;
        r = a >> n;
    } else {
        int32_t s = (int32_t)(a << (32 - bits)) >> (32 - bits);
        out = (uint32_t)(s >> (n - 1)) & 1;
        r = (uint32_t)(s >> n);
    }
    set_flag(m, F_CF, out);
    set_flag(m, F_OF, x->zi.mnemonic == ZYDIS_MNEMONIC_SHL ? ((r >> (bits - 1)) & 1) != out
                      : x->zi.mnemonic == ZYDIS_MNEMONIC_SHR ? (a >> (bits - 1)) & 1 : 0);
    result_flags(m, r, bits);
    if ((rc = wr(m, &x->op[0], r)) < 0)
        return bad_mem(m, x, rc);
    return 0;
}

static int privileged(struct mach *m, const struct insn *x)
{
    if (m->kernel)
        return 0;
    return stop(m, MACH_FAULT, "'%s' at 0x%x is privileged: the run is not in kernel mode",
                x->name, x->at);
}

/* The descriptor-table and task registers: lgdt/lidt/sgdt/sidt move 6 bytes of memory. */
static int desc(struct mach *m, const struct insn *x)
{
    ZydisMnemonic mn = x->zi.mnemonic;
    uint8_t *reg = mn == ZYDIS_MNEMONIC_LGDT || mn == ZYDIS_MNEMONIC_SGDT ? m->gdtr : m->idtr;
    if (privileged(m, x))
        return -(int)MACH_FAULT - 1;
    if (x->op[0].type != ZYDIS_OPERAND_TYPE_MEMORY || !mem_ok(&x->op[0]))
        return stop(m, MACH_UNSUPPORTED, "'%s' at 0x%x: operand not modelled", x->name, x->at);
    uint32_t a = ea(m, &x->op[0]), v;
    for (unsigned k = 0; k < 6; k++) {
        int rc = mn == ZYDIS_MNEMONIC_LGDT || mn == ZYDIS_MNEMONIC_LIDT
                 ? mach_read(m, a + k, 1, &v) : mach_write(m, a + k, 1, reg[k]);
        if (rc < 0)
            return bad_mem(m, x, -2);
        if (mn == ZYDIS_MNEMONIC_LGDT || mn == ZYDIS_MNEMONIC_LIDT)
            reg[k] = (uint8_t)v;
    }
    return 0;
}

static int selector(struct mach *m, const struct insn *x)
{
    ZydisMnemonic mn = x->zi.mnemonic;
    uint16_t *reg = mn == ZYDIS_MNEMONIC_LLDT || mn == ZYDIS_MNEMONIC_SLDT ? &m->ldtr : &m->tr;
    uint32_t v;
    int rc;
    if (privileged(m, x))
        return -(int)MACH_FAULT - 1;
    if (mn == ZYDIS_MNEMONIC_LLDT || mn == ZYDIS_MNEMONIC_LTR) {
        if ((rc = rd(m, &x->op[0], &v)) < 0)
            return bad_mem(m, x, rc);
        *reg = (uint16_t)v;
        return 0;
    }
    if ((rc = wr(m, &x->op[0], *reg)) < 0)
        return bad_mem(m, x, rc);
    return 0;
}

static int is_sysreg(const ZydisDecodedOperand *op)
{
    if (op->type != ZYDIS_OPERAND_TYPE_REGISTER)
        return 0;
    ZydisRegisterClass k = ZydisRegisterGetClass(op->reg.value);
    return k == ZYDIS_REGCLASS_CONTROL || k == ZYDIS_REGCLASS_DEBUG;
}

static int msr_write(struct mach *m)
{
    uint32_t k = m->r[M_ECX];
    unsigned i;
    for (i = 0; i < m->nmsr && m->msr_key[i] != k; i++)
        ;
    if (i == MACH_MAX_MSRS)
        return stop(m, MACH_UNSUPPORTED, "more than %d MSRs written", MACH_MAX_MSRS);
    if (i == m->nmsr)
        m->nmsr++;
    m->msr_key[i] = k;
    m->msr_lo[i] = m->r[M_EAX];
    m->msr_hi[i] = m->r[M_EDX];
    mach_event(m, EV_WRMSR, k, m->r[M_EAX], m->r[M_EDX]);
    return 0;
}

static int popf(struct mach *m, uint32_t v)
{
    uint32_t keep = m->kernel ? 0 : M_FLAGS_IF | M_FLAGS_IOPL;
    uint32_t writable = M_FLAGS_ARITH | M_FLAGS_SYS;
    m->eflags = (m->eflags & (keep | ~writable)) | (v & writable & ~keep);
    return 0;
}

static int control(struct mach *m, struct insn *x)
{
    ZyanU64 target = 0;
    uint32_t v;
    int rc;
    if (x->zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE)
        ZydisCalcAbsoluteAddress(&x->zi, &x->op[0], x->at, &target);
    switch (x->zi.mnemonic) {
    case ZYDIS_MNEMONIC_CALL:
        if (x->zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE)
            v = (uint32_t)target;
        else if ((rc = rd(m, &x->op[0], &v)) < 0)
            return bad_mem(m, x, rc);
        if (mach_push(m, x->next) < 0)
            return bad_mem(m, x, -2);
        if (m->gate && v == m->gate_addr) {
            m->gate(m, m->gate_ctx);            /* the monitor behind the gate, then its ret */
            if (mach_pop(m, &x->next) < 0)
                return bad_mem(m, x, -2);
            return 0;
        }
        x->next = v;
        return 0;
    case ZYDIS_MNEMONIC_JMP:
        if (x->zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE)
            x->next = (uint32_t)target;
        else if ((rc = rd(m, &x->op[0], &x->next)) < 0)
            return bad_mem(m, x, rc);
        return 0;
    case ZYDIS_MNEMONIC_RET:
        if (x->zi.meta.branch_type == ZYDIS_BRANCH_TYPE_FAR)
            return stop(m, MACH_UNSUPPORTED, "far return at 0x%x", x->at);
        if (mach_pop(m, &x->next) < 0)
            return bad_mem(m, x, -2);
        if (x->zi.operand_count_visible)
            m->r[M_ESP] += (uint32_t)x->op[0].imm.value.u;
        return 0;
    default: {
        int taken;
        if (x->zi.meta.category != ZYDIS_CATEGORY_COND_BR || cond(m, x->zi.mnemonic, &taken) < 0)
            return stop(m, MACH_UNSUPPORTED, "'%s' at 0x%x is outside the subset check-rom "
                        "executes", x->name, x->at);
        if (taken)
            x->next = (uint32_t)target;
        return 0;
    }
    }
}

static int stack_ops(struct mach *m, struct insn *x)
{
    uint32_t v;
    int rc;
    switch (x->zi.mnemonic) {
    case ZYDIS_MNEMONIC_PUSH:
        if (x->zi.operand_width != 32)
            return stop(m, MACH_UNSUPPORTED, "16-bit push at 0x%x", x->at);
        if ((rc = rd(m, &x->op[0], &v)) < 0)
            return bad_mem(m, x, rc);
        return mach_push(m, v) < 0 ? bad_mem(m, x, -2) : 0;
    case ZYDIS_MNEMONIC_POP:
        if (mach_pop(m, &v) < 0)
            return bad_mem(m, x, -2);
        if ((rc = wr(m, &x->op[0], v)) < 0)
            return bad_mem(m, x, rc);
        return 0;
    case ZYDIS_MNEMONIC_PUSHFD:
        return mach_push(m, (m->eflags & ~0x30000u) | 2u) < 0 ? bad_mem(m, x, -2) : 0;
    case ZYDIS_MNEMONIC_POPFD:
        if (mach_pop(m, &v) < 0)
            return bad_mem(m, x, -2);
        return popf(m, v);
    case ZYDIS_MNEMONIC_PUSHAD: {
        uint32_t esp = m->r[M_ESP];
        for (int i = 0; i < 8; i++)
            if (mach_push(m, i == M_ESP ? esp : m->r[i]) < 0)
                return bad_mem(m, x, -2);
        return 0;
    }
    case ZYDIS_MNEMONIC_POPAD:
        for (int i = 7; i >= 0; i--) {
            if (mach_pop(m, &v) < 0)
                return bad_mem(m, x, -2);
            if (i != M_ESP)
                m->r[i] = v;
        }
        return 0;
    case ZYDIS_MNEMONIC_LEAVE:
        m->r[M_ESP] = m->r[M_EBP];
        if (mach_pop(m, &m->r[M_EBP]) < 0)
            return bad_mem(m, x, -2);
        return 0;
    default:
        return 1;
    }
}

/* The system instructions, one group per function; each returns 1 for an instruction outside
 * its group, as stack_ops does. */

/* The interrupt and direction flags (IF only at the privilege that may change it). */
static int flag_ops(struct mach *m, struct insn *x)
{
    switch (x->zi.mnemonic) {
    case ZYDIS_MNEMONIC_CLI:
    case ZYDIS_MNEMONIC_STI:
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        set_flag(m, M_FLAGS_IF, x->zi.mnemonic == ZYDIS_MNEMONIC_STI);
        return 0;
    case ZYDIS_MNEMONIC_CLD:
    case ZYDIS_MNEMONIC_STD:
        set_flag(m, M_FLAGS_DF, x->zi.mnemonic == ZYDIS_MNEMONIC_STD);
        return 0;
    default:
        return 1;
    }
}

/* Privileged instructions with an effect outside the registers: recorded as the machine's
 * events (CR0, caches, TLB, halt, ports), the MSRs read and written. */
static int privileged_ops(struct mach *m, struct insn *x)
{
    int rc;
    switch (x->zi.mnemonic) {
    case ZYDIS_MNEMONIC_CLTS:
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        m->cr[0] &= ~8u;
        mach_event(m, EV_CR_WRITE, 0, m->cr[0], 0);
        return 0;
    case ZYDIS_MNEMONIC_WBINVD:
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        mach_event(m, EV_WBINVD, 0, 0, 0);
        return 0;
    case ZYDIS_MNEMONIC_INVLPG:
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        mach_event(m, EV_INVLPG, ea(m, &x->op[0]), 0, 0);
        return 0;
    case ZYDIS_MNEMONIC_HLT:
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        mach_event(m, EV_HLT, m->eflags & M_FLAGS_IF, 0, 0);
        return 0;
    case ZYDIS_MNEMONIC_OUT: {
        uint32_t port, val;
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        if ((rc = rd(m, &x->op[0], &port)) < 0 || (rc = rd(m, &x->op[1], &val)) < 0)
            return bad_mem(m, x, rc);
        mach_event(m, EV_OUT, port & 0xffff, val, x->op[1].size);
        return 0;
    }
    case ZYDIS_MNEMONIC_RDMSR:
    case ZYDIS_MNEMONIC_RDPMC: {
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        uint64_t q = x->zi.mnemonic == ZYDIS_MNEMONIC_RDMSR ? mach_msr(m, m->r[M_ECX])
                     : (uint64_t)mach_cpuid(0x504d43u, m->r[M_ECX], 0) << 8;
        m->r[M_EAX] = (uint32_t)q;
        m->r[M_EDX] = (uint32_t)(q >> 32);
        return 0;
    }
    case ZYDIS_MNEMONIC_WRMSR:
        if (privileged(m, x))
            return -(int)MACH_FAULT - 1;
        return msr_write(m);
    default:
        return 1;
    }
}

/* What the processor answers about itself: the time-stamp counter, CPUID. */
static int info_ops(struct mach *m, struct insn *x)
{
    switch (x->zi.mnemonic) {
    case ZYDIS_MNEMONIC_RDTSC:
        m->r[M_EAX] = (uint32_t)m->tsc;
        m->r[M_EDX] = (uint32_t)(m->tsc >> 32);
        return 0;
    case ZYDIS_MNEMONIC_CPUID: {
        uint32_t leaf = m->r[M_EAX], sub = m->r[M_ECX];
        m->r[M_EAX] = mach_cpuid(leaf, sub, 0);
        m->r[M_EBX] = mach_cpuid(leaf, sub, 1);
        m->r[M_ECX] = mach_cpuid(leaf, sub, 2);
        m->r[M_EDX] = mach_cpuid(leaf, sub, 3);
        return 0;
    }
    default:
        return 1;
    }
}

/* Moves: the descriptor-table registers and selectors, xchg, and mov (privileged when it reads
 * or writes a control or debug register). */
static int move_ops(struct mach *m, struct insn *x)
{
    uint32_t v;
    int rc;
    switch (x->zi.mnemonic) {
    case ZYDIS_MNEMONIC_LGDT: case ZYDIS_MNEMONIC_LIDT:
    case ZYDIS_MNEMONIC_SGDT: case ZYDIS_MNEMONIC_SIDT:
        return desc(m, x);
    case ZYDIS_MNEMONIC_LLDT: case ZYDIS_MNEMONIC_LTR:
    case ZYDIS_MNEMONIC_SLDT: case ZYDIS_MNEMONIC_STR:
        return selector(m, x);
    case ZYDIS_MNEMONIC_XCHG: {
        uint32_t a, b;
        if ((rc = rd(m, &x->op[0], &a)) < 0 || (rc = rd(m, &x->op[1], &b)) < 0 ||
            (rc = wr(m, &x->op[0], b)) < 0 || (rc = wr(m, &x->op[1], a)) < 0)
            return bad_mem(m, x, rc);
        return 0;
    }
    case ZYDIS_MNEMONIC_MOV:
        if ((is_sysreg(&x->op[0]) || is_sysreg(&x->op[1])) && privileged(m, x))
            return -(int)MACH_FAULT - 1;
        if ((rc = rd(m, &x->op[1], &v)) < 0 || (rc = wr(m, &x->op[0], v)) < 0)
            return bad_mem(m, x, rc);
        return 0;
    default:
        return 1;
    }
}

static int system_ops(struct mach *m, struct insn *x)
{
    int rc;
    if ((rc = flag_ops(m, x)) == 1 && (rc = privileged_ops(m, x)) == 1 &&
        (rc = info_ops(m, x)) == 1)
        rc = move_ops(m, x);
    return rc;
}

static int step(struct mach *m, ZydisDecoder *dec, uint32_t *eip)
{
    struct insn x;
    uint8_t buf[16];
    unsigned n = 0;
    uint32_t v;
    for (; n < sizeof buf && mach_read(m, *eip + n, 1, &v) == 0; n++)
        buf[n] = (uint8_t)v;
    if (n == 0)
        return stop(m, MACH_FAULT, "execution reached 0x%x, outside the machine's code", *eip);
    if (ZYAN_FAILED(ZydisDecoderDecodeFull(dec, buf, n, &x.zi, x.op)))
        return stop(m, MACH_UNSUPPORTED, "undecodable bytes at 0x%x", *eip);
    x.at = *eip;
    x.next = *eip + x.zi.length;
    x.name = ZydisMnemonicGetString(x.zi.mnemonic);
    int rc;
    if (x.zi.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE |
                           ZYDIS_ATTRIB_HAS_LOCK))
        return stop(m, MACH_UNSUPPORTED, "'%s' at 0x%x: prefixed forms are not modelled",
                    x.name, x.at);
    switch (x.zi.mnemonic) {
    case ZYDIS_MNEMONIC_NOP:
        rc = 0;
        break;
    case ZYDIS_MNEMONIC_UD2:
        return stop(m, MACH_TRAP, "ud2 at 0x%x", x.at);
    case ZYDIS_MNEMONIC_LEA:
        rc = rd(m, &x.op[1], &v);
        rc = rc < 0 ? bad_mem(m, &x, rc) : wr(m, &x.op[0], v) < 0 ? bad_mem(m, &x, -1) : 0;
        break;
    case ZYDIS_MNEMONIC_MOVZX:
    case ZYDIS_MNEMONIC_MOVSX:
        if ((rc = rd(m, &x.op[1], &v)) < 0) {
            rc = bad_mem(m, &x, rc);
            break;
        }
        if (x.zi.mnemonic == ZYDIS_MNEMONIC_MOVSX && (v >> (x.op[1].size - 1)) & 1)
            v |= ~mask_of(x.op[1].size);
        rc = wr(m, &x.op[0], v) < 0 ? bad_mem(m, &x, -1) : 0;
        break;
    case ZYDIS_MNEMONIC_ADD: case ZYDIS_MNEMONIC_SUB: case ZYDIS_MNEMONIC_AND:
    case ZYDIS_MNEMONIC_OR: case ZYDIS_MNEMONIC_XOR: case ZYDIS_MNEMONIC_CMP:
    case ZYDIS_MNEMONIC_TEST:
        rc = binary(m, &x);
        break;
    case ZYDIS_MNEMONIC_INC: case ZYDIS_MNEMONIC_DEC: case ZYDIS_MNEMONIC_NEG:
    case ZYDIS_MNEMONIC_NOT:
        rc = unary(m, &x);
        break;
    case ZYDIS_MNEMONIC_SHL: case ZYDIS_MNEMONIC_SHR: case ZYDIS_MNEMONIC_SAR:
        rc = shift(m, &x);
        break;
    default:
        if ((rc = stack_ops(m, &x)) == 1 && (rc = system_ops(m, &x)) == 1)
            rc = control(m, &x);
        break;
    }
    if (rc < 0)
        return rc;
    *eip = x.next;
    return 0;
}

enum mach_outcome mach_run(struct mach *m, uint32_t eip, uint32_t stop_at, unsigned max_steps)
{
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    m->why[0] = '\0';
    for (unsigned n = 0; n < max_steps; n++) {
        if (eip == stop_at) {
            m->eip = eip;
            return MACH_DONE;
        }
        int rc = step(m, &dec, &eip);
        if (rc < 0) {
            m->eip = eip;
            return (enum mach_outcome)(-rc - 1);
        }
    }
    m->eip = eip;
    snprintf(m->why, sizeof m->why, "did not finish within %u instructions", max_steps);
    return MACH_LIMIT;
}
/* SPDX-License-Identifier: GPL-2.0-only */
