/* Each ROM flavor of the spec against the Linux profile's rules (spec/linux.vmi,
 * docs/linux-rules.md): what GetRelocationInfo will answer for each call follows from the
 * flavor's routines (a routine: CALL_REL; `jump`: JUMP_REL; `nop`: NOP; none: NONE), and the
 * rules are checked on those answers and the flavor's settings.  The two rules about what a
 * routine computes are decided here only for `native` routines, whose instructions the spec
 * holds (decoded with Zydis); vmi-aot check-rom runs them on the built image. */
#include "spec_model.h"

#include <Zydis/Zydis.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const answer_names[] = { "NONE", "CALL_REL", "JUMP_REL", "NOP" };
enum { A_NONE, A_CALL, A_JUMP, A_NOP };

struct answer {
    int type;
    const struct spec_block *block;   /* the routine, or NULL */
};

struct ctx {
    const struct spec *spec;
    const struct spec_rom *rom;
    struct spec_error *out;
    unsigned max, n;
};

static const struct spec_call *call_by_number(const struct spec *spec, int number)
{
    for (unsigned i = 0; i < spec->ncalls; i++)
        if ((int)spec->calls[i].number == number)
            return &spec->calls[i];
    return NULL;
}

static struct answer answer_of(const struct spec_rom *rom, int call)
{
    struct answer a = { A_NONE, NULL };
    for (unsigned i = 0; i < rom->nblocks; i++) {
        const struct spec_block *b = &rom->blocks[i];
        if (b->kind != BLOCK_ROUTINE || b->call != call || b->has_variant)
            continue;
        a.block = b;
        a.type = b->is_nop ? A_NOP : b->is_jump ? A_JUMP : A_CALL;
    }
    return a;
}

static struct spec_pos where(const struct ctx *c, struct answer a)
{
    return a.block ? a.block->pos : c->rom->pos;
}

static void finding(struct ctx *c, const struct spec_lrule *r, struct spec_pos pos,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void finding(struct ctx *c, const struct spec_lrule *r, struct spec_pos pos,
                    const char *fmt, ...)
{
    if (c->n == c->max) {
        c->n++;
        return;
    }
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    spec_set_error(&c->out[c->n++], pos, "ROM flavor '%s' breaks %s rule '%s': %s",
                   c->rom->flavor, c->spec->lx.kernel, r->name, detail);
}

static const char *name_of(const struct ctx *c, int call)
{
    return call_by_number(c->spec, call)->name;
}

static void all_or_none(struct ctx *c, const struct spec_lrule *r)
{
    struct answer first = answer_of(c->rom, r->calls[0]);
    for (unsigned i = 0; i < r->ncalls; i++) {
        struct answer a = answer_of(c->rom, r->calls[i]);
        if (a.type == first.type && (a.type == A_CALL || a.type == A_NONE))
            continue;
        if (a.type == first.type || i == 0)
            finding(c, r, where(c, a), "%s answers %s: these %u calls must all answer CALL_REL, "
                    "or all NONE", name_of(c, r->calls[i]), answer_names[a.type], r->ncalls);
        else
            finding(c, r, where(c, a), "%s answers %s but %s answers %s: these %u calls must all "
                    "answer CALL_REL, or all NONE", name_of(c, r->calls[0]),
                    answer_names[first.type], name_of(c, r->calls[i]), answer_names[a.type],
                    r->ncalls);
        return;
    }
}

static void not_nop(struct ctx *c, const struct spec_lrule *r)
{
    for (unsigned i = 0; i < r->ncalls; i++) {
        struct answer a = answer_of(c->rom, r->calls[i]);
        if (a.type == A_NOP)
            finding(c, r, where(c, a), "%s answers NOP, which Linux reads as absent: answer "
                    "CALL_REL (an empty routine) or NONE", name_of(c, r->calls[i]));
    }
}

static void pair(struct ctx *c, const struct spec_lrule *r)
{
    struct answer a = answer_of(c->rom, r->calls[0]), b = answer_of(c->rom, r->calls[1]);
    if (a.type == A_CALL && b.type != A_CALL)
        finding(c, r, where(c, b), "%s answers CALL_REL, so Linux calls %s, which answers %s: it "
                "must answer CALL_REL", name_of(c, r->calls[0]), name_of(c, r->calls[1]),
                answer_names[b.type]);
}

static void virtual_top_align(struct ctx *c, const struct spec_lrule *r)
{
    for (unsigned i = 0; i < c->rom->nkeys; i++) {
        const struct spec_kv *kv = &c->rom->keys[i];
        if (strcmp(kv->key, "virtual_top") != 0)
            continue;
        unsigned long v = strtoul(kv->value, NULL, 0);
        if (v % r->value)
            finding(c, r, kv->pos, "virtual_top 0x%lx is not a multiple of 0x%x", v, r->value);
    }
}

/* ---- what a native routine computes ---------------------------------------------------------- */

/* Index of a 32-bit general register in eax, ecx, edx, ebx, esp, ebp, esi, edi order, or -1. */
static int reg32(ZydisRegister r)
{
    return r >= ZYDIS_REGISTER_EAX && r <= ZYDIS_REGISTER_EDI ? (int)(r - ZYDIS_REGISTER_EAX)
                                                                : -1;
}

/* Decodes instruction i of call's native sequence; -1 when it does not decode. */
static int decode(const struct spec_call *call, unsigned i, ZydisDecodedInstruction *zi,
                  ZydisDecodedOperand *ops)
{
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    const struct spec_insn *in = &call->insns[i];
    return ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, call->native + in->offset, in->len, zi, ops))
           ? -1 : 0;
}

/* The value the straight-line native sequence leaves in registers eax and edx, when it sets
 * them to constants (xor r,r; sub r,r; mov $imm,r) and writes them no other way.  Returns 1 with
 * *eax, *edx set, 0 when the sequence's result is not known from its text. */
static int native_constant_result(const struct spec_call *call, uint32_t *eax, uint32_t *edx)
{
    int known[8] = { 0 };
    uint32_t val[8] = { 0 };
    for (unsigned i = 0; i < call->ninsns; i++) {
        ZydisDecodedInstruction zi;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (decode(call, i, &zi, ops) < 0 || zi.meta.category == ZYDIS_CATEGORY_COND_BR ||
            zi.meta.category == ZYDIS_CATEGORY_UNCOND_BR || zi.meta.category == ZYDIS_CATEGORY_CALL)
            return 0;
        int dst = zi.operand_count_visible >= 1 && ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER
                  ? reg32(ops[0].reg.value) : -1;
        int same = zi.operand_count_visible == 2 && ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER &&
                   ops[1].reg.value == ops[0].reg.value;
        if (dst >= 0 && same && (zi.mnemonic == ZYDIS_MNEMONIC_XOR ||
                                 zi.mnemonic == ZYDIS_MNEMONIC_SUB)) {
            known[dst] = 1;
            val[dst] = 0;
            continue;
        }
        if (dst >= 0 && zi.mnemonic == ZYDIS_MNEMONIC_MOV &&
            ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE) {
            known[dst] = 1;
            val[dst] = (uint32_t)ops[1].imm.value.u;
            continue;
        }
        /* any other write to a general register makes it unknown */
        for (unsigned k = 0; k < zi.operand_count; k++)
            if (ops[k].type == ZYDIS_OPERAND_TYPE_REGISTER &&
                (ops[k].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)) {
                ZydisRegister r = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LEGACY_32,
                                                                   ops[k].reg.value);
                if (reg32(r) >= 0)
                    known[reg32(r)] = 0;
            }
    }
    *eax = val[0];
    *edx = val[2];
    return known[0] && known[2];
}

/* 1 when the native sequence uses its argument in EAX as a memory address before replacing it. */
static int native_dereferences_eax(const struct spec_call *call)
{
    for (unsigned i = 0; i < call->ninsns; i++) {
        ZydisDecodedInstruction zi;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (decode(call, i, &zi, ops) < 0)
            return 0;
        for (unsigned k = 0; k < zi.operand_count; k++)
            if (ops[k].type == ZYDIS_OPERAND_TYPE_MEMORY &&
                (ops[k].mem.base == ZYDIS_REGISTER_EAX || ops[k].mem.index == ZYDIS_REGISTER_EAX))
                return 1;
        for (unsigned k = 0; k < zi.operand_count; k++)
            if (ops[k].type == ZYDIS_OPERAND_TYPE_REGISTER &&
                (ops[k].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) &&
                ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LEGACY_32, ops[k].reg.value) ==
                ZYDIS_REGISTER_EAX)
                return 0;
        if (zi.meta.category == ZYDIS_CATEGORY_COND_BR ||
            zi.meta.category == ZYDIS_CATEGORY_UNCOND_BR)
            return 0;
    }
    return 0;
}

static void nonzero_result(struct ctx *c, const struct spec_lrule *r)
{
    struct answer a = answer_of(c->rom, r->calls[0]);
    const struct spec_call *call = call_by_number(c->spec, r->calls[0]);
    uint32_t eax, edx;
    if (a.type != A_CALL || !a.block->use_native || !native_constant_result(call, &eax, &edx))
        return;
    if (eax == 0 && (r->value == 1 || edx == 0))
        finding(c, r, where(c, a), "%s's routine (its native sequence) returns 0 in %s",
                call->name, r->value == 1 ? "eax" : "edx:eax");
}

static void reg_offset(struct ctx *c, const struct spec_lrule *r)
{
    for (unsigned i = 0; i < r->ncalls; i++) {
        struct answer a = answer_of(c->rom, r->calls[i]);
        const struct spec_call *call = call_by_number(c->spec, r->calls[i]);
        if (a.type == A_CALL && a.block->use_native && native_dereferences_eax(call))
            finding(c, r, where(c, a), "%s's routine (its native sequence) uses EAX as an address, "
                    "but Linux passes a register offset there", call->name);
    }
}

unsigned linux_rules_check(const struct spec *spec, struct spec_error *out, unsigned max)
{
    struct ctx c = { spec, NULL, out, max, 0 };
    if (!spec->lx.present)
        return 0;
    for (unsigned f = 0; f < spec->nroms; f++) {
        c.rom = &spec->roms[f];
        for (unsigned i = 0; i < spec->lx.nrules; i++) {
            const struct spec_lrule *r = &spec->lx.rules[i];
            switch (r->kind) {
            case RULE_ALL_OR_NONE:       all_or_none(&c, r); break;
            case RULE_NOT_NOP:           not_nop(&c, r); break;
            case RULE_PAIR:              pair(&c, r); break;
            case RULE_VIRTUAL_TOP_ALIGN: virtual_top_align(&c, r); break;
            case RULE_NONZERO_RESULT:    nonzero_result(&c, r); break;
            case RULE_REG_OFFSET:        reg_offset(&c, r); break;
            case RULE_JUMP_ONLY:
                break;   /* spec_check() already allows `jump` only at jump sites (linux_check.c
                            holds the rule's list to them) */
            }
        }
    }
    return c.n;
}
/* SPDX-License-Identifier: GPL-2.0-only */
