/* check-rom against the consumer's rules: every rule of the generated vmi_linux_rules[]
 * (include/vmi_linux.h, from spec/linux.vmi) applied to the image's executed GetRelocationInfo
 * answers, its header, and for two rules to what a routine does: GetCycleFrequency is executed in
 * check-rom's emulator (romchk_emu.c) and must not return 0; APICRead/APICWrite are decoded and
 * must not use their EAX argument as an address.  No rule is written here: the table is the spec's.
 * docs/linux-rules.md says why each rule exists. */
#include "romchk_consumer.h"
#include "vmi_linux.h"

#include <Zydis/Zydis.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EXEC_BASE 0x000c8000u    /* where the routine runs in the emulator */
#define SCAN_MAX  64             /* instructions decoded from a routine's entry */

static const char *const type_names[] = { "NONE", "CALL_REL", "JUMP_REL", "NOP" };

static const char *call_name(unsigned n)
{
    return n < VMI_NUM_CALLS && vmi_call_table[n].name ? vmi_call_table[n].name : "?";
}

static void broken(struct romchk *c, const struct vmi_linux_rule *r, long off, const char *where,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void broken(struct romchk *c, const struct vmi_linux_rule *r, long off, const char *where,
                   const char *fmt, ...)
{
    char detail[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    romchk_add(c, off, where, "breaks %s rule '%s': %s", VMI_LINUX_KERNEL, r->name, detail);
}

static long routine_off(const struct romchk *c, unsigned n)
{
    return c->reloc_type[n] == VMI_RELOCATION_NONE ? -1 : (long)c->reloc_off[n];
}

static void all_or_none(struct romchk *c, const struct vmi_linux_rule *r)
{
    unsigned first = r->calls[0], t0 = c->reloc_type[first];
    for (unsigned i = 0; i < r->ncalls; i++) {
        unsigned n = r->calls[i], t = c->reloc_type[n];
        if (t == t0 && (t == VMI_RELOCATION_CALL_REL || t == VMI_RELOCATION_NONE))
            continue;
        if (t == t0 || i == 0)
            broken(c, r, routine_off(c, n), call_name(n), "%s answers %s: these %u calls must "
                   "all answer CALL_REL, or all NONE", call_name(n), type_names[t], r->ncalls);
        else
            broken(c, r, routine_off(c, n), call_name(n), "%s answers %s but %s answers %s: these "
                   "%u calls must all answer CALL_REL, or all NONE", call_name(first),
                   type_names[t0], call_name(n), type_names[t], r->ncalls);
        return;
    }
}

static void not_nop(struct romchk *c, const struct vmi_linux_rule *r)
{
    for (unsigned i = 0; i < r->ncalls; i++)
        if (c->reloc_type[r->calls[i]] == VMI_RELOCATION_NOP)
            broken(c, r, routine_off(c, r->calls[i]), call_name(r->calls[i]), "%s answers NOP, "
                   "which Linux reads as absent: answer CALL_REL (an empty routine) or NONE",
                   call_name(r->calls[i]));
}

static void pair(struct romchk *c, const struct vmi_linux_rule *r)
{
    unsigned a = r->calls[0], b = r->calls[1];
    if (c->reloc_type[a] == VMI_RELOCATION_CALL_REL && c->reloc_type[b] != VMI_RELOCATION_CALL_REL)
        broken(c, r, routine_off(c, b), call_name(b), "%s answers CALL_REL, so Linux calls %s, "
               "which answers %s: it must answer CALL_REL", call_name(a), call_name(b),
               type_names[c->reloc_type[b]]);
}

static void jump_only(struct romchk *c, const struct vmi_linux_rule *r)
{
    for (unsigned n = 0; n < 256; n++) {
        if (c->reloc_type[n] != VMI_RELOCATION_JUMP_REL)
            continue;
        unsigned i;
        for (i = 0; i < r->ncalls && r->calls[i] != n; i++)
            ;
        if (i == r->ncalls)
            broken(c, r, routine_off(c, n), call_name(n), "call %u (%s) answers JUMP_REL", n,
                   call_name(n));
    }
}

/* Executes the routine (no arguments) and looks at its result. */
static void nonzero_result(struct romchk *c, const struct vmi_linux_rule *r)
{
    unsigned n = r->calls[0];
    if (c->reloc_type[n] != VMI_RELOCATION_CALL_REL)
        return;
    uint32_t eax, edx;
    /* a routine the emulator cannot run (one that calls the hypervisor) is not judged here */
    if (romchk_emu_call(c->img, c->rom_size, EXEC_BASE, c->reloc_off[n], 0, &eax, &edx, NULL) < 0)
        return;
    if (eax == 0 && (r->value == 1 || edx == 0))
        broken(c, r, (long)c->reloc_off[n], call_name(n), "%s returns 0 in %s", call_name(n),
               r->value == 1 ? "eax" : "edx:eax");
}

/* 1 when the straight-line code from off uses EAX (its first argument) as a memory address before
 * writing it; the scan ends at a branch, a call, a return or a write to EAX. */
static int dereferences_eax(const struct romchk *c, uint32_t off)
{
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    for (int k = 0; k < SCAN_MAX && off < c->rom_size; k++) {
        ZydisDecodedInstruction zi;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, c->img + off, c->rom_size - off, &zi, ops)))
            return 0;
        for (unsigned i = 0; i < zi.operand_count; i++)
            if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
                (ops[i].mem.base == ZYDIS_REGISTER_EAX || ops[i].mem.index == ZYDIS_REGISTER_EAX))
                return 1;
        for (unsigned i = 0; i < zi.operand_count; i++)
            if (ops[i].type == ZYDIS_OPERAND_TYPE_REGISTER &&
                (ops[i].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) &&
                ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LEGACY_32, ops[i].reg.value) ==
                ZYDIS_REGISTER_EAX)
                return 0;
        switch (zi.meta.category) {
        case ZYDIS_CATEGORY_COND_BR: case ZYDIS_CATEGORY_UNCOND_BR: case ZYDIS_CATEGORY_CALL:
        case ZYDIS_CATEGORY_RET:
            return 0;
        default:
            break;
        }
        off += zi.length;
    }
    return 0;
}

static void reg_offset(struct romchk *c, const struct vmi_linux_rule *r)
{
    for (unsigned i = 0; i < r->ncalls; i++) {
        unsigned n = r->calls[i];
        if (c->reloc_type[n] == VMI_RELOCATION_CALL_REL && dereferences_eax(c, c->reloc_off[n]))
            broken(c, r, (long)c->reloc_off[n], call_name(n), "%s uses EAX as an address, but "
                   "Linux passes a register offset there", call_name(n));
    }
}

void romchk_consumer(struct romchk *c)
{
    for (unsigned i = 0; i < VMI_LINUX_NUM_RULES; i++) {
        const struct vmi_linux_rule *r = &vmi_linux_rules[i];
        if (r->kind == VMI_LINUX_RULE_VIRTUAL_TOP_ALIGN) {
            if (c->rom_size && c->virtual_top % r->value)
                broken(c, r, (long)offsetof(struct vrom_header, virtual_top), "header",
                       "virtual_top 0x%x is not a multiple of 0x%x", c->virtual_top, r->value);
            continue;
        }
        if (!c->reloc_done)
            continue;
        switch (r->kind) {
        case VMI_LINUX_RULE_ALL_OR_NONE:    all_or_none(c, r); break;
        case VMI_LINUX_RULE_NOT_NOP:        not_nop(c, r); break;
        case VMI_LINUX_RULE_PAIR:           pair(c, r); break;
        case VMI_LINUX_RULE_JUMP_ONLY:      jump_only(c, r); break;
        case VMI_LINUX_RULE_NONZERO_RESULT: nonzero_result(c, r); break;
        case VMI_LINUX_RULE_REG_OFFSET:     reg_offset(c, r); break;
        default:
            romchk_add(c, -1, "", "rule '%s' has a kind (%u) this check-rom does not know",
                       r->name, r->kind);
        }
    }
}
/* SPDX-License-Identifier: GPL-2.0-only */
