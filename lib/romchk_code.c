/* check-rom's code analysis: decodes a routine or an inline body with Zydis, follows its control
 * flow through the image, and tracks per instruction an abstract state: the stack depth below the
 * entry ESP, what each pushed slot holds (a register's entry value, a pointer to a slot, or
 * something else) and which registers differ from their entry values.  A register pushed and popped
 * back is preserved; a call into the ROM applies the callee's summary; the pv gate (an indirect
 * call through virtual_top + vmi_pv_state.gate) changes EAX, ECX, EDX, EFLAGS and the frame it was
 * given.  States meet at joins (registers: union; slots: equal or unknown; depths must agree). */
#include "romchk.h"

#include <Zydis/Zydis.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SLOTS  48
#define TAG_OTHER  0
#define TAG_REG(r) (1 + (r))            /* the entry value of register r (VMI_CLOBBER bit index) */
#define TAG_PTR(s) (0x40 + (s))         /* the address of slot s */
#define FLAGS_BIT  7
#define FRAME_WORDS ((unsigned)(sizeof(struct vmi_pv_frame) / 4))

struct state {
    int valid;
    int depth;                  /* bytes pushed since entry */
    uint8_t modified;           /* VMI_CLOBBER_* bits */
    uint8_t slot[MAX_SLOTS + 1];   /* slot i = the 4 bytes at entry ESP - 4i */
};

struct walk {
    struct romchk *c;
    uint32_t start, end;        /* inline: the body; routine: [start, rom_size) */
    int is_inline;
    const char *where;
    struct state *st;           /* per image offset */
    uint8_t *seen;              /* 1: an instruction starts here (flow) */
    uint32_t *work;
    unsigned nwork;
    struct romchk_summary sum;
    int depth_reported;
};

/* Registers as VMI_CLOBBER bit indexes (eax 0, ecx 1, edx 2, ebx 3, esi 4, edi 5, ebp 6);
 * 8 for esp, -1 for others. */
static int reg_bit(ZydisRegister r)
{
    ZydisRegister big = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LEGACY_32, r);
    switch (big) {
    case ZYDIS_REGISTER_EAX: return 0;
    case ZYDIS_REGISTER_ECX: return 1;
    case ZYDIS_REGISTER_EDX: return 2;
    case ZYDIS_REGISTER_EBX: return 3;
    case ZYDIS_REGISTER_ESI: return 4;
    case ZYDIS_REGISTER_EDI: return 5;
    case ZYDIS_REGISTER_EBP: return 6;
    case ZYDIS_REGISTER_ESP: return 8;
    case ZYDIS_REGISTER_EFLAGS: return FLAGS_BIT;
    default: return -1;
    }
}

int romchk_is_sensitive(unsigned mnemonic, uint64_t attributes)
{
    static const ZydisMnemonic list[] = {
        ZYDIS_MNEMONIC_CLI, ZYDIS_MNEMONIC_STI, ZYDIS_MNEMONIC_PUSHF, ZYDIS_MNEMONIC_PUSHFD,
        ZYDIS_MNEMONIC_POPF, ZYDIS_MNEMONIC_POPFD, ZYDIS_MNEMONIC_IN, ZYDIS_MNEMONIC_OUT,
        ZYDIS_MNEMONIC_INSB, ZYDIS_MNEMONIC_INSW, ZYDIS_MNEMONIC_INSD, ZYDIS_MNEMONIC_OUTSB,
        ZYDIS_MNEMONIC_OUTSW, ZYDIS_MNEMONIC_OUTSD, ZYDIS_MNEMONIC_IRET, ZYDIS_MNEMONIC_IRETD,
        ZYDIS_MNEMONIC_SGDT, ZYDIS_MNEMONIC_SIDT, ZYDIS_MNEMONIC_SLDT, ZYDIS_MNEMONIC_STR,
        ZYDIS_MNEMONIC_SMSW, ZYDIS_MNEMONIC_LAR, ZYDIS_MNEMONIC_LSL, ZYDIS_MNEMONIC_VERR,
        ZYDIS_MNEMONIC_VERW, ZYDIS_MNEMONIC_INT, ZYDIS_MNEMONIC_INT1, ZYDIS_MNEMONIC_INTO,
        ZYDIS_MNEMONIC_SYSENTER, ZYDIS_MNEMONIC_SYSEXIT, ZYDIS_MNEMONIC_SYSCALL,
        ZYDIS_MNEMONIC_SYSRET, ZYDIS_MNEMONIC_HLT, ZYDIS_MNEMONIC_CPUID,
    };
    if (attributes & ZYDIS_ATTRIB_IS_PRIVILEGED)
        return 1;
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (list[i] == (ZydisMnemonic)mnemonic)
            return 1;
    return 0;
}

static void finding(struct walk *w, uint32_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void finding(struct walk *w, uint32_t at, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    romchk_add(w->c, (long)at, w->where, "%s", msg);
}

static void enqueue(struct walk *w, uint32_t at, const struct state *s)
{
    struct state *t = &w->st[at];
    if (!t->valid) {
        *t = *s;
        w->work[w->nwork++] = at;
        return;
    }
    int changed = 0;
    if (t->depth != s->depth) {
        if (!w->depth_reported)
            romchk_add(w->c, (long)at, w->where, "the stack depth at +0x%x differs between paths "
                       "(%d and %d bytes)", at - w->start, t->depth, s->depth);
        w->depth_reported = 1;
        return;
    }
    if ((t->modified | s->modified) != t->modified) {
        t->modified |= s->modified;
        changed = 1;
    }
    for (int i = 0; i <= MAX_SLOTS; i++)
        if (t->slot[i] != s->slot[i] && t->slot[i] != TAG_OTHER) {
            t->slot[i] = TAG_OTHER;
            changed = 1;
        }
    if (changed)
        w->work[w->nwork++] = at;
}

static int set_depth(struct walk *w, struct state *s, int depth, uint32_t at)
{
    if (depth < 0 || depth > 4 * MAX_SLOTS || (depth & 3)) {
        romchk_add(w->c, (long)at, w->where, "the stack at +0x%x is %d bytes from the entry ESP: "
                   "unbalanced or untracked", at - w->start, depth);
        return -1;
    }
    for (int i = s->depth / 4 + 1; i <= depth / 4; i++)
        s->slot[i] = TAG_OTHER;
    s->depth = depth;
    return 0;
}

/* An exit: ret (routine) or the body's end (inline). */
static void leave(struct walk *w, const struct state *s, uint32_t at, unsigned pops)
{
    if (s->depth != 0)
        romchk_add(w->c, (long)at, w->where, "%s with %d bytes still pushed (unbalanced push/pop)",
                   w->is_inline ? "the body ends" : "returns", s->depth);
    if (w->sum.returns && w->sum.pops != pops)
        romchk_add(w->c, (long)at, w->where, "returns drop %u and %u bytes of arguments",
                   w->sum.pops, pops);
    w->sum.returns = 1;
    w->sum.pops = pops;
    w->sum.writes |= s->modified;
}

static int analyse(struct romchk *c, uint32_t off, int is_inline, uint32_t len, const char *where,
                   struct romchk_summary *out);

static const struct romchk_summary *callee(struct romchk *c, uint32_t target)
{
    for (unsigned i = 0; i < c->nhelpers; i++)
        if (c->helpers[i].off == target)
            return c->helpers[i].busy ? NULL : &c->helpers[i].s;
    if (c->nhelpers == ROMCHK_MAX_HELPERS)
        return NULL;
    unsigned k = c->nhelpers++;
    c->helpers[k].off = target;
    c->helpers[k].busy = 1;
    char name[48];
    snprintf(name, sizeof name, "helper@0x%x", target);
    struct romchk_routine *r = romchk_routine_add(c, RK_HELPER, -1, name, target);
    struct romchk_summary s;
    analyse(c, target, 0, 0, name, &s);
    r->len = s.extent;
    r->writes = s.writes;
    c->helpers[k].s = s;
    c->helpers[k].busy = 0;
    return &c->helpers[k].s;
}

static void mem_operand(struct walk *w, struct state *s, const ZydisDecodedOperand *op,
                        uint32_t at, const char *text)
{
    if (op->type != ZYDIS_OPERAND_TYPE_MEMORY || op->mem.type == ZYDIS_MEMOP_TYPE_AGEN)
        return;
    int base = op->mem.base == ZYDIS_REGISTER_NONE ? -1 : reg_bit(op->mem.base);
    if (base == 8) {
        int rel = (int)op->mem.disp.value - s->depth;   /* from the entry ESP */
        if (w->is_inline && rel >= 0)
            finding(w, at, "'%s' reaches the stack at or above the body's entry ESP (+%d)", text,
                    rel);
        if ((op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) && rel < 0 && (-rel) % 4 == 0 &&
            -rel / 4 <= MAX_SLOTS)
            s->slot[-rel / 4] = TAG_OTHER;
    }
    if (base < 0 && op->mem.segment != ZYDIS_REGISTER_FS && op->mem.segment != ZYDIS_REGISTER_GS &&
        (uint32_t)op->mem.disp.value < w->c->virtual_top)
        finding(w, at, "'%s' uses absolute address below virtual_top (0x%x): not "
                "position-independent", text, (unsigned)op->mem.disp.value);
}

static int is_gate(const struct walk *w, const ZydisDecodedOperand *op)
{
    return op->type == ZYDIS_OPERAND_TYPE_MEMORY && op->mem.base == ZYDIS_REGISTER_NONE &&
           op->mem.index == ZYDIS_REGISTER_NONE && !w->c->native &&
           (uint32_t)op->mem.disp.value == w->c->gate_addr;
}

/* An instruction's branch target: rel is set for a relative branch, outside_body when its
 * target is outside the code being walked. */
struct branch {
    ZyanU64 target;
    int rel, outside_body;
};

/* ret: the path ends; leave() records the pops.  A far return, or any ret in an inline body, is
 * a finding. */
static int transfer_ret(struct walk *w, struct state *s, const ZydisDecodedInstruction *zi,
                        const ZydisDecodedOperand *ops, uint32_t at, const char *text)
{
    if (zi->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR) {
        finding(w, at, "'%s': a far return in 32-bit code", text);
        return 0;
    }
    if (w->is_inline) {
        finding(w, at, "the inline body contains '%s'", text);
        return 0;
    }
    leave(w, s, at, zi->operand_count_visible ? (unsigned)ops[0].imm.value.u : 0);
    return 0;
}

/* A direct jump, conditional or not (cond: the path also continues after it): to the inline
 * body's end it leaves the body; elsewhere outside the body it is a finding; else its target
 * is walked. */
static int transfer_jump(struct walk *w, struct state *s, const struct branch *b, int cond,
                         uint32_t at, const char *text)
{
    if (w->is_inline && b->target == w->end) {
        leave(w, s, at, 0);
        return cond;
    }
    if (w->is_inline && b->outside_body) {
        finding(w, at, "'%s' leaves the inline body: only a call may", text);
        return cond;
    }
    enqueue(w, (uint32_t)b->target, s);
    return cond;
}

/* An indirect call, which may only be the pv hypercall gate: it clobbers EAX, ECX, EDX and the
 * flags, and the frame it was given (the slots from the pointer on top of the stack) is gone. */
static int call_gate(struct walk *w, struct state *s, const ZydisDecodedOperand *ops, uint32_t at,
                     const char *text)
{
    if (!is_gate(w, &ops[0]))
        finding(w, at, "indirect call '%s' that is not the pv hypercall gate", text);
    s->modified |= 0x87;             /* eax, ecx, edx, flags */
    uint8_t top = s->depth ? s->slot[s->depth / 4] : TAG_OTHER;
    if (top >= TAG_PTR(0) && top - TAG_PTR(0) <= MAX_SLOTS) {
        int first = top - TAG_PTR(0);    /* the frame: that slot and the ones above it */
        for (int i = first; i > first - (int)FRAME_WORDS && i > 0; i--)
            s->slot[i] = TAG_OTHER;
    } else {
        memset(s->slot, TAG_OTHER, sizeof s->slot);
    }
    return 1;
}

/* A call: the gate; call/pop (the code finds its own address: the call pushes it); or a helper
 * routine, whose summary says what it writes, whether it returns and what it pops. */
static int transfer_call(struct walk *w, struct state *s, const ZydisDecodedInstruction *zi,
                         const ZydisDecodedOperand *ops, const struct branch *b, uint32_t at,
                         const char *text)
{
    if (!b->rel)
        return call_gate(w, s, ops, at, text);
    if (b->target == at + zi->length) {
        if (set_depth(w, s, s->depth + 4, at) < 0)
            return 0;
        s->slot[s->depth / 4] = TAG_OTHER;
        return 1;
    }
    const struct romchk_summary *cs = callee(w->c, (uint32_t)b->target);
    if (!cs) {
        finding(w, at, "'%s' calls recursively or too many helpers", text);
        return 0;
    }
    s->modified |= cs->writes;
    if (!cs->returns)
        return 0;
    return set_depth(w, s, s->depth - (int)cs->pops, at) == 0;
}

/* The control transfer of one instruction; returns 1 when the path continues after it. */
static int transfer(struct walk *w, struct state *s, const ZydisDecodedInstruction *zi,
                    const ZydisDecodedOperand *ops, uint32_t at, const char *text)
{
    struct branch b = { 0, (zi->attributes & ZYDIS_ATTRIB_IS_RELATIVE) != 0, 0 };
    if (b.rel)
        ZydisCalcAbsoluteAddress(zi, &ops[0], at, &b.target);
    b.outside_body = b.rel && (b.target < w->start || b.target >= w->end);
    if (b.rel && b.target >= w->c->rom_size) {
        finding(w, at, "'%s' branches outside the image (0x%x)", text, (unsigned)b.target);
        return 0;
    }
    switch (zi->meta.category) {
    case ZYDIS_CATEGORY_RET:
        return transfer_ret(w, s, zi, ops, at, text);
    case ZYDIS_CATEGORY_UNCOND_BR:
        if (!b.rel) {
            finding(w, at, "indirect jump '%s'", text);
            return 0;
        }
        return transfer_jump(w, s, &b, 0, at, text);
    case ZYDIS_CATEGORY_COND_BR:
        return transfer_jump(w, s, &b, 1, at, text);
    case ZYDIS_CATEGORY_CALL:
        return transfer_call(w, s, zi, ops, &b, at, text);
    default:
        break;
    }
    switch (zi->mnemonic) {
    case ZYDIS_MNEMONIC_UD2:
    case ZYDIS_MNEMONIC_IRET:
    case ZYDIS_MNEMONIC_IRETD:
    case ZYDIS_MNEMONIC_SYSEXIT:
        return 0;
    case ZYDIS_MNEMONIC_INT3:
        finding(w, at, "'%s' on a path of the code", text);
        return 0;
    default:
        return 1;
    }
}

/* pushad: eight slots, EAX first; the ESP slot holds the address of the slot before it. */
static int push_all(struct walk *w, struct state *s, uint32_t at, const char *text)
{
    static const int order[8] = { 0, 1, 2, 3, 8, 6, 4, 5 };   /* eax ecx edx ebx esp ebp esi edi */
    (void)text;
    int before = s->depth;
    if (set_depth(w, s, s->depth + 32, at) < 0)
        return -1;
    for (int i = 0; i < 8; i++) {
        int r = order[i], slot = before / 4 + 1 + i;
        s->slot[slot] = r == 8 ? (uint8_t)TAG_PTR(before / 4)
                        : !(s->modified & (1u << r)) ? (uint8_t)TAG_REG(r) : TAG_OTHER;
    }
    return 0;
}

/* popad: EDI first, the ESP slot skipped; a register popped from its own slot is preserved. */
static int pop_all(struct walk *w, struct state *s, uint32_t at, const char *text)
{
    static const int order[8] = { 5, 4, 6, 8, 3, 2, 1, 0 };   /* edi esi ebp (esp) ebx edx ecx eax */
    if (s->depth < 32) {
        finding(w, at, "'%s' pops %s (unbalanced push/pop)", text,
                w->is_inline ? "above the body's entry stack" : "the return address");
        return -1;
    }
    for (int i = 0; i < 8; i++) {
        int r = order[i];
        uint8_t tag = s->slot[s->depth / 4 - i];
        if (r == 8)
            continue;
        if (tag == TAG_REG(r))
            s->modified &= (uint8_t)~(1u << r);
        else
            s->modified |= (uint8_t)(1u << r);
    }
    return set_depth(w, s, s->depth - 32, at);
}

/* push (or pushfd): one 32-bit slot, tagged with the register it saves while that register is
 * unmodified, or with its own address for ESP. */
static int push_one(struct walk *w, struct state *s, const ZydisDecodedInstruction *zi,
                    const ZydisDecodedOperand *ops, uint32_t at, const char *text)
{
    uint8_t tag = TAG_OTHER;
    if (zi->mnemonic == ZYDIS_MNEMONIC_PUSH && ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER) {
        int r = reg_bit(ops[0].reg.value);
        if (r == 8)
            tag = (uint8_t)TAG_PTR(s->depth / 4);
        else if (r >= 0 && r < 7 && !(s->modified & (1u << r)))
            tag = (uint8_t)TAG_REG(r);
    }
    if (zi->operand_width != 32) {
        finding(w, at, "'%s': a 16-bit push", text);
        return -1;
    }
    if (set_depth(w, s, s->depth + 4, at) < 0)
        return -1;
    s->slot[s->depth / 4] = tag;
    return 0;
}

/* pop (or popfd): a register popped from its own slot is preserved, from any other modified;
 * popping ESP is not followed. */
static int pop_one(struct walk *w, struct state *s, const ZydisDecodedInstruction *zi,
                   const ZydisDecodedOperand *ops, uint32_t at, const char *text)
{
    if (s->depth == 0) {
        finding(w, at, "'%s' pops %s (unbalanced push/pop)", text,
                w->is_inline ? "above the body's entry stack" : "the return address");
        return -1;
    }
    uint8_t tag = s->slot[s->depth / 4];
    if (zi->mnemonic == ZYDIS_MNEMONIC_POPFD) {
        s->modified |= 1u << FLAGS_BIT;
    } else if (ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER) {
        int r = reg_bit(ops[0].reg.value);
        if (r == 8) {
            finding(w, at, "'%s' loads ESP from the stack", text);
            return -1;
        }
        if (r >= 0 && tag == TAG_REG(r))
            s->modified &= (uint8_t)~(1u << r);
        else if (r >= 0)
            s->modified |= (uint8_t)(1u << r);
    }
    return set_depth(w, s, s->depth - 4, at);
}

/* An instruction that writes ESP explicitly: add/sub of an immediate and lea disp(%esp) move the
 * depth; any other is not followed (-1). */
static int esp_arith(struct walk *w, struct state *s, const ZydisDecodedInstruction *zi,
                     const ZydisDecodedOperand *ops, uint32_t at, const char *text)
{
    int d = 0;
    if ((zi->mnemonic == ZYDIS_MNEMONIC_ADD || zi->mnemonic == ZYDIS_MNEMONIC_SUB) &&
        ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
        d = (int)ops[1].imm.value.s * (zi->mnemonic == ZYDIS_MNEMONIC_ADD ? -1 : 1);
    else if (zi->mnemonic == ZYDIS_MNEMONIC_LEA && reg_bit(ops[1].mem.base) == 8 &&
             ops[1].mem.index == ZYDIS_REGISTER_NONE)
        d = -(int)ops[1].mem.disp.value;
    else {
        finding(w, at, "'%s' changes ESP in a way check-rom cannot follow", text);
        return -1;
    }
    if (zi->mnemonic != ZYDIS_MNEMONIC_LEA)
        s->modified |= 1u << FLAGS_BIT;
    return set_depth(w, s, s->depth + d, at);
}

/* Whether the instruction writes ESP otherwise, visibly or not (xchg, mov, and, inc, ...): a
 * finding.  Calls, returns and the instructions that end the path move ESP as expected. */
static int esp_hidden_write(struct walk *w, const ZydisDecodedInstruction *zi,
                            const ZydisDecodedOperand *ops, uint32_t at, const char *text)
{
    int leaves = zi->mnemonic == ZYDIS_MNEMONIC_IRET || zi->mnemonic == ZYDIS_MNEMONIC_IRETD ||
                 zi->mnemonic == ZYDIS_MNEMONIC_SYSEXIT;     /* the path ends there */
    if (zi->meta.category == ZYDIS_CATEGORY_CALL || zi->meta.category == ZYDIS_CATEGORY_RET ||
        leaves)
        return 0;
    for (unsigned i = 0; i < zi->operand_count; i++)
        if (ops[i].type == ZYDIS_OPERAND_TYPE_REGISTER && reg_bit(ops[i].reg.value) == 8 &&
            (ops[i].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)) {
            finding(w, at, "'%s' changes ESP in a way check-rom cannot follow", text);
            return 1;
        }
    return 0;
}

/* Stack pointer arithmetic and push/pop; returns -1 when the path cannot go on. */
static int stack_effect(struct walk *w, struct state *s, const ZydisDecodedInstruction *zi,
                        const ZydisDecodedOperand *ops, uint32_t at, const char *text, int *handled)
{
    *handled = 1;
    switch (zi->mnemonic) {
    case ZYDIS_MNEMONIC_PUSH:
    case ZYDIS_MNEMONIC_PUSHFD:
        return push_one(w, s, zi, ops, at, text);
    case ZYDIS_MNEMONIC_POP:
    case ZYDIS_MNEMONIC_POPFD:
        return pop_one(w, s, zi, ops, at, text);
    case ZYDIS_MNEMONIC_PUSHAD:
        return push_all(w, s, at, text);
    case ZYDIS_MNEMONIC_POPAD:
        return pop_all(w, s, at, text);
    case ZYDIS_MNEMONIC_PUSHA: case ZYDIS_MNEMONIC_POPA:
    case ZYDIS_MNEMONIC_PUSHF: case ZYDIS_MNEMONIC_POPF:
        finding(w, at, "'%s': a 16-bit stack operation (the stack is tracked in 32-bit words)",
                text);
        return -1;
    case ZYDIS_MNEMONIC_ENTER:
    case ZYDIS_MNEMONIC_LEAVE:
        finding(w, at, "'%s' moves ESP through EBP: check-rom cannot follow it", text);
        return -1;
    default:
        break;
    }
    if (zi->meta.category == ZYDIS_CATEGORY_STRINGOP && w->is_inline) {
        finding(w, at, "'%s' in an inline body reads or writes memory through ESI/EDI, which "
                "check-rom cannot bound (it may be the kernel's stack)", text);
        return -1;
    }
    if (zi->operand_count_visible >= 1 && ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER &&
        reg_bit(ops[0].reg.value) == 8 && (ops[0].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
        return esp_arith(w, s, zi, ops, at, text);
    if (esp_hidden_write(w, zi, ops, at, text))
        return -1;
    *handled = 0;
    return 0;
}

static void writes(struct state *s, const ZydisDecodedInstruction *zi,
                   const ZydisDecodedOperand *ops)
{
    for (unsigned i = 0; i < zi->operand_count; i++) {
        const ZydisDecodedOperand *op = &ops[i];
        if (op->type != ZYDIS_OPERAND_TYPE_REGISTER ||
            !(op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
            continue;
        int r = reg_bit(op->reg.value);
        if (r >= 0 && r != 8)
            s->modified |= (uint8_t)(1u << r);
    }
    const ZydisAccessedFlags *f = zi->cpu_flags;
    if (f && (f->modified | f->set_0 | f->set_1 | f->undefined))
        s->modified |= 1u << FLAGS_BIT;
}

static void visit(struct walk *w, uint32_t at, ZydisDecoder *dec, ZydisFormatter *fmt)
{
    struct state s = w->st[at];
    ZydisDecodedInstruction zi;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    uint32_t limit = w->is_inline ? w->end : w->c->rom_size;
    if (ZYAN_FAILED(ZydisDecoderDecodeFull(dec, w->c->img + at, limit - at, &zi, ops))) {
        romchk_add(w->c, (long)at, w->where, "undecodable bytes at +0x%x%s", at - w->start,
                   w->is_inline ? " (or an instruction running past the body's end)" : "");
        return;
    }
    char text[96];
    if (ZYAN_FAILED(ZydisFormatterFormatInstruction(fmt, &zi, ops, zi.operand_count_visible, text,
                                                    sizeof text, at, NULL)))
        snprintf(text, sizeof text, "?");
    for (uint32_t k = 1; k < zi.length; k++)
        if (w->seen[at + k] == 1) {
            romchk_add(w->c, (long)(at + k), w->where, "a branch lands inside '%s' at +0x%x",
                       text, at - w->start);
            break;
        }
    if (w->seen[at] != 1)
        w->sum.extent += zi.length;
    w->seen[at] = 1;
    for (uint32_t k = 1; k < zi.length; k++)
        if (!w->seen[at + k])
            w->seen[at + k] = 2;
    if (!w->c->native && romchk_is_sensitive(zi.mnemonic, zi.attributes))
        finding(w, at, "privileged or sensitive instruction '%s' in a pv ROM (its only privilege "
                "is the hypercall gate)", text);
    for (unsigned i = 0; i < zi.operand_count_visible; i++)
        mem_operand(w, &s, &ops[i], at, text);
    int handled;
    if (stack_effect(w, &s, &zi, ops, at, text, &handled) < 0)
        return;
    if (!handled && zi.meta.category != ZYDIS_CATEGORY_CALL && zi.meta.category != ZYDIS_CATEGORY_RET)
        writes(&s, &zi, ops);
    if (!transfer(w, &s, &zi, ops, at, text))
        return;
    uint32_t next = at + zi.length;
    if (w->is_inline && next == w->end) {
        leave(w, &s, next, 0);
        return;
    }
    enqueue(w, next, &s);
}

static int analyse(struct romchk *c, uint32_t off, int is_inline, uint32_t len, const char *where,
                   struct romchk_summary *out)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    memset(out, 0, sizeof *out);
    w.c = c;
    w.start = off;
    w.end = is_inline ? off + len : c->rom_size;
    w.is_inline = is_inline;
    w.where = where;
    w.st = calloc(c->rom_size + 1, sizeof *w.st);
    w.seen = calloc(c->rom_size + 1, 1);
    w.work = calloc(4 * (size_t)c->rom_size + 16, sizeof *w.work);
    if (!w.st || !w.seen || !w.work) {
        free(w.st);
        free(w.seen);
        free(w.work);
        romchk_add(c, (long)off, where, "out of memory");
        return -1;
    }
    ZydisDecoder dec;
    ZydisFormatter fmt;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_ATT);
    struct state s0;
    memset(&s0, 0, sizeof s0);
    s0.valid = 1;
    if (off < c->rom_size)
        enqueue(&w, off, &s0);
    unsigned steps = 0;
    while (w.nwork && steps++ < 100000) {
        uint32_t at = w.work[--w.nwork];
        if (at >= w.end) {
            romchk_add(c, (long)at, where, "execution runs past the end of the %s",
                       is_inline ? "body" : "image");
            continue;
        }
        visit(&w, at, &dec, &fmt);
        if (w.nwork + 4 >= 4 * (size_t)c->rom_size)
            break;
    }
    *out = w.sum;
    free(w.st);
    free(w.seen);
    free(w.work);
    return 0;
}

/* Linear decoding of an inline body: clean instruction boundaries, no ret, and the rel32 fields
 * whose targets leave the body (the relocations it must declare). */
static void sweep_body(struct romchk *c, uint32_t off, struct romchk_body *body, const char *where)
{
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    body->nrel = 0;
    for (uint32_t at = off; at < off + body->len;) {
        ZydisDecodedInstruction zi;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, c->img + at, off + body->len - at, &zi,
                                               ops))) {
            romchk_add(c, (long)at, where, "the body does not decode to whole instructions: "
                       "bytes at +0x%x run past its end or are invalid", at - off);
            return;
        }
        if (zi.meta.category == ZYDIS_CATEGORY_RET)
            romchk_add(c, (long)at, where, "the inline body contains ret at +0x%x", at - off);
        ZyanU64 target;
        if ((zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE) &&
            ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&zi, &ops[0], at, &target)) &&
            (target < off || target > off + body->len)) {
            if (zi.raw.imm[0].size != 32)
                romchk_add(c, (long)at, where, "a rel%u branch at +0x%x leaves the body: it "
                           "cannot be relocated", zi.raw.imm[0].size, at - off);
            else if (body->nrel < sizeof body->rel_fields / sizeof body->rel_fields[0])
                body->rel_fields[body->nrel++] = at - off + zi.raw.imm[0].offset;
        }
        at += zi.length;
    }
}

int romchk_code(struct romchk *c, uint32_t off, struct romchk_body *body, const char *where,
                struct romchk_summary *out)
{
    if (body && body->is_inline) {
        sweep_body(c, off, body, where);
        return analyse(c, off, 1, body->len, where, out);
    }
    return analyse(c, off, 0, 0, where, out);
}
/* SPDX-License-Identifier: GPL-2.0-only */
