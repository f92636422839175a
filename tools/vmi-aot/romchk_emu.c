/* check-rom's way of asking GetRelocationInfo: execute it, on a copy of the image placed at a
 * chosen linear address, in a small 32-bit interpreter built on Zydis's decoder.  It knows the
 * integer subset such an entry needs (moves, lea, arithmetic and logic, compares, push/pop,
 * relative jumps and calls, ret) and refuses anything else, so a ROM that does more is reported,
 * not guessed at.  Memory is the image and a 512-byte stack; nothing else is readable. */
#include "romchk.h"

#include <Zydis/Zydis.h>
#include <stdio.h>
#include <string.h>

#define STACK_TOP  0x00001000u
#define STACK_SIZE 512u
#define SENTINEL   0xfffffff0u
#define MAX_STEPS  2000

struct cpu {
    uint32_t r[8];             /* ZydisRegister order eax, ecx, edx, ebx, esp, ebp, esi, edi */
    int cf, zf, sf, of;
    const uint8_t *img;
    uint32_t size, base;
    uint8_t stack[STACK_SIZE];
    char *why;
    size_t why_cap;
};

static int fail(struct cpu *m, const char *fmt, const char *what, uint32_t at)
{
    snprintf(m->why, m->why_cap, fmt, what, at);
    return -1;
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

static uint8_t *mem(struct cpu *m, uint32_t addr, unsigned bytes, int write)
{
    if (!write && addr - m->base < m->size && m->size - (addr - m->base) >= bytes)
        return (uint8_t *)m->img + (addr - m->base);   /* read only */
    if (addr - (STACK_TOP - STACK_SIZE) < STACK_SIZE &&
        STACK_TOP - addr >= bytes)
        return m->stack + (addr - (STACK_TOP - STACK_SIZE));
    return NULL;
}

static uint32_t ea(struct cpu *m, const ZydisDecodedOperand *op)
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

static int rd(struct cpu *m, const ZydisDecodedOperand *op, uint32_t *v)
{
    int i;
    unsigned s, b;
    switch (op->type) {
    case ZYDIS_OPERAND_TYPE_REGISTER:
        if (gpr(op->reg.value, &i, &s, &b) < 0)
            return -1;
        *v = (m->r[i] >> s) & mask_of(b);
        return 0;
    case ZYDIS_OPERAND_TYPE_IMMEDIATE:
        *v = (uint32_t)op->imm.value.u & mask_of(op->size);
        return 0;
    case ZYDIS_OPERAND_TYPE_MEMORY: {
        if (op->mem.type == ZYDIS_MEMOP_TYPE_AGEN) {
            *v = ea(m, op);
            return 0;
        }
        const uint8_t *p = mem(m, ea(m, op), op->size / 8, 0);
        if (!p)
            return -1;
        *v = 0;
        for (unsigned k = 0; k < op->size / 8; k++)
            *v |= (uint32_t)p[k] << (8 * k);
        return 0;
    }
    default:
        return -1;
    }
}

static int wr(struct cpu *m, const ZydisDecodedOperand *op, uint32_t v)
{
    int i;
    unsigned s, b;
    if (op->type == ZYDIS_OPERAND_TYPE_REGISTER) {
        if (gpr(op->reg.value, &i, &s, &b) < 0)
            return -1;
        if (b == 32)
            m->r[i] = v;
        else
            m->r[i] = (m->r[i] & ~(mask_of(b) << s)) | ((v & mask_of(b)) << s);
        return 0;
    }
    if (op->type != ZYDIS_OPERAND_TYPE_MEMORY)
        return -1;
    uint8_t *p = mem(m, ea(m, op), op->size / 8, 1);
    if (!p)
        return -1;
    for (unsigned k = 0; k < op->size / 8; k++)
        p[k] = (uint8_t)(v >> (8 * k));
    return 0;
}

static int push(struct cpu *m, uint32_t v)
{
    m->r[4] -= 4;
    uint8_t *p = mem(m, m->r[4], 4, 1);
    if (!p)
        return -1;
    memcpy(p, &v, 4);
    return 0;
}

static int pop(struct cpu *m, uint32_t *v)
{
    const uint8_t *p = mem(m, m->r[4], 4, 1);
    if (!p)
        return -1;
    memcpy(v, p, 4);
    m->r[4] += 4;
    return 0;
}

static void logic_flags(struct cpu *m, uint32_t r, unsigned bits)
{
    r &= mask_of(bits);
    m->cf = m->of = 0;
    m->zf = r == 0;
    m->sf = (int)(r >> (bits - 1)) & 1;
}

static uint32_t alu(struct cpu *m, ZydisMnemonic mn, uint32_t a, uint32_t b, unsigned bits)
{
    uint32_t mk = mask_of(bits), r;
    uint32_t sign = 1u << (bits - 1);
    a &= mk;
    b &= mk;
    switch (mn) {
    case ZYDIS_MNEMONIC_ADD:
        r = (a + b) & mk;
        m->cf = r < a;
        m->of = !((a ^ b) & sign) && ((a ^ r) & sign);
        break;
    case ZYDIS_MNEMONIC_SUB:
    case ZYDIS_MNEMONIC_CMP:
        r = (a - b) & mk;
        m->cf = a < b;
        m->of = ((a ^ b) & sign) && ((a ^ r) & sign);
        break;
    case ZYDIS_MNEMONIC_AND:
    case ZYDIS_MNEMONIC_TEST:
        logic_flags(m, a & b, bits);
        return a & b;
    case ZYDIS_MNEMONIC_OR:
        logic_flags(m, a | b, bits);
        return a | b;
    default: /* XOR */
        logic_flags(m, a ^ b, bits);
        return a ^ b;
    }
    m->zf = r == 0;
    m->sf = (r & sign) != 0;
    return r;
}

static int cond(const struct cpu *m, ZydisMnemonic mn, int *taken)
{
    switch (mn) {
    case ZYDIS_MNEMONIC_JZ: *taken = m->zf; break;
    case ZYDIS_MNEMONIC_JNZ: *taken = !m->zf; break;
    case ZYDIS_MNEMONIC_JB: *taken = m->cf; break;
    case ZYDIS_MNEMONIC_JNB: *taken = !m->cf; break;
    case ZYDIS_MNEMONIC_JBE: *taken = m->cf || m->zf; break;
    case ZYDIS_MNEMONIC_JNBE: *taken = !m->cf && !m->zf; break;
    case ZYDIS_MNEMONIC_JL: *taken = m->sf != m->of; break;
    case ZYDIS_MNEMONIC_JNL: *taken = m->sf == m->of; break;
    case ZYDIS_MNEMONIC_JLE: *taken = m->zf || m->sf != m->of; break;
    case ZYDIS_MNEMONIC_JNLE: *taken = !m->zf && m->sf == m->of; break;
    case ZYDIS_MNEMONIC_JS: *taken = m->sf; break;
    case ZYDIS_MNEMONIC_JNS: *taken = !m->sf; break;
    default: return -1;
    }
    return 0;
}

/* One instruction at eip; *done when the outermost ret was reached. */
static int step(struct cpu *m, ZydisDecoder *dec, uint32_t *eip, int *done)
{
    uint32_t off = *eip - m->base;
    if (off >= m->size)
        return fail(m, "%sexecution left the image at 0x%x", "", *eip);
    ZydisDecodedInstruction zi;
    ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
    if (ZYAN_FAILED(ZydisDecoderDecodeFull(dec, m->img + off, m->size - off, &zi, op)))
        return fail(m, "%sundecodable bytes at +0x%x", "", off);
    uint32_t next = *eip + zi.length, a, b;
    const char *name = ZydisMnemonicGetString(zi.mnemonic);
    ZyanU64 target = 0;
    if (zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE)
        ZydisCalcAbsoluteAddress(&zi, &op[0], *eip, &target);
    switch (zi.mnemonic) {
    case ZYDIS_MNEMONIC_NOP:
        break;
    case ZYDIS_MNEMONIC_MOV:
    case ZYDIS_MNEMONIC_LEA:
        if (rd(m, &op[1], &a) < 0 || wr(m, &op[0], a) < 0)
            return fail(m, "%s at +0x%x touches memory outside the image or its stack", name, off);
        break;
    case ZYDIS_MNEMONIC_MOVZX:
    case ZYDIS_MNEMONIC_MOVSX:
        if (rd(m, &op[1], &a) < 0)
            return fail(m, "%s at +0x%x reads outside the image", name, off);
        if (zi.mnemonic == ZYDIS_MNEMONIC_MOVSX && (a >> (op[1].size - 1)) & 1)
            a |= ~mask_of(op[1].size);
        if (wr(m, &op[0], a) < 0)
            return fail(m, "%s at +0x%x: bad destination", name, off);
        break;
    case ZYDIS_MNEMONIC_ADD: case ZYDIS_MNEMONIC_SUB: case ZYDIS_MNEMONIC_AND:
    case ZYDIS_MNEMONIC_OR: case ZYDIS_MNEMONIC_XOR: case ZYDIS_MNEMONIC_CMP:
    case ZYDIS_MNEMONIC_TEST: {
        if (rd(m, &op[0], &a) < 0 || rd(m, &op[1], &b) < 0)
            return fail(m, "%s at +0x%x reads outside the image", name, off);
        if (op[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && op[1].imm.is_signed)
            b = (uint32_t)op[1].imm.value.s;
        uint32_t r = alu(m, zi.mnemonic, a, b, op[0].size);
        if (zi.mnemonic != ZYDIS_MNEMONIC_CMP && zi.mnemonic != ZYDIS_MNEMONIC_TEST &&
            wr(m, &op[0], r) < 0)
            return fail(m, "%s at +0x%x writes outside its stack", name, off);
        break;
    }
    case ZYDIS_MNEMONIC_INC:
    case ZYDIS_MNEMONIC_DEC: {
        int cf = m->cf;
        if (rd(m, &op[0], &a) < 0)
            return fail(m, "%s at +0x%x reads outside the image", name, off);
        a = alu(m, zi.mnemonic == ZYDIS_MNEMONIC_INC ? ZYDIS_MNEMONIC_ADD : ZYDIS_MNEMONIC_SUB, a,
                1, op[0].size);
        m->cf = cf;
        if (wr(m, &op[0], a) < 0)
            return fail(m, "%s at +0x%x writes outside its stack", name, off);
        break;
    }
    case ZYDIS_MNEMONIC_SHL:
    case ZYDIS_MNEMONIC_SHR:
        if (rd(m, &op[0], &a) < 0 || rd(m, &op[1], &b) < 0)
            return fail(m, "%s at +0x%x reads outside the image", name, off);
        b &= 31;
        a = zi.mnemonic == ZYDIS_MNEMONIC_SHL ? a << b : a >> b;
        logic_flags(m, a, op[0].size);
        if (wr(m, &op[0], a) < 0)
            return fail(m, "%s at +0x%x: bad destination", name, off);
        break;
    case ZYDIS_MNEMONIC_PUSH:
        if (rd(m, &op[0], &a) < 0 || push(m, a) < 0)
            return fail(m, "%s at +0x%x overflows the stack", name, off);
        break;
    case ZYDIS_MNEMONIC_POP:
        if (pop(m, &a) < 0 || wr(m, &op[0], a) < 0)
            return fail(m, "%s at +0x%x underflows the stack", name, off);
        break;
    case ZYDIS_MNEMONIC_CALL:
        if (!(zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE) || push(m, next) < 0)
            return fail(m, "%s at +0x%x is indirect or overflows the stack", name, off);
        next = (uint32_t)target;
        break;
    case ZYDIS_MNEMONIC_JMP:
        if (!(zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE))
            return fail(m, "%s at +0x%x is indirect", name, off);
        next = (uint32_t)target;
        break;
    case ZYDIS_MNEMONIC_RET:
        if (zi.meta.branch_type == ZYDIS_BRANCH_TYPE_FAR || pop(m, &next) < 0)
            return fail(m, "%s at +0x%x: far, or nothing to return to", name, off);
        if (zi.operand_count_visible)
            m->r[4] += (uint32_t)op[0].imm.value.u;
        if (next == SENTINEL)
            *done = 1;
        break;
    default: {
        int taken;
        if (zi.meta.category != ZYDIS_CATEGORY_COND_BR || cond(m, zi.mnemonic, &taken) < 0)
            return fail(m, "%s at +0x%x is outside the subset check-rom executes", name, off);
        if (taken)
            next = (uint32_t)target;
    }
    }
    *eip = next;
    return 0;
}

int romchk_emu_call(const uint8_t *img, uint32_t size, uint32_t base, uint32_t entry,
                    uint32_t eax_in, uint32_t *eax, uint32_t *edx, char *why, size_t why_cap)
{
    static struct cpu zero;
    struct cpu m = zero;
    m.img = img;
    m.size = size;
    m.base = base;
    m.why = why;
    m.why_cap = why_cap;
    for (int i = 0; i < 8; i++)
        m.r[i] = 0xdead0000u + (uint32_t)i;    /* garbage the code must not depend on */
    m.r[4] = STACK_TOP;
    m.r[0] = eax_in;
    if (push(&m, SENTINEL) < 0)
        return -1;
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    uint32_t eip = base + entry;
    int done = 0;
    for (int n = 0; n < MAX_STEPS && !done; n++)
        if (step(&m, &dec, &eip, &done) < 0)
            return -1;
    if (!done) {
        snprintf(why, why_cap, "did not return within %d instructions", MAX_STEPS);
        return -1;
    }
    if (m.r[4] != STACK_TOP) {
        snprintf(why, why_cap, "returned with ESP moved by %d bytes", (int)(m.r[4] - STACK_TOP));
        return -1;
    }
    *eax = m.r[0];
    *edx = m.r[2];
    return 0;
}
