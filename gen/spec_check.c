/* The convention's rules across the items of a parsed spec: unique names and numbers, arguments
 * where regparm(3) puts them, clobber sets the convention allows, sites big enough, struct offsets
 * that match their layout, ROM routines that fit their calls.  Sorts the calls by number. */
#include "spec_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_calls(const void *a, const void *b)
{
    const struct spec_call *x = a, *y = b;
    return (int)x->number - (int)y->number;
}

static int check_unique(const struct spec *spec, struct spec_error *err)
{
    for (unsigned i = 0; i < spec->ncalls; i++)
        for (unsigned j = 0; j < i; j++) {
            const struct spec_call *a = &spec->calls[j], *b = &spec->calls[i];
            if (a->number == b->number) {
                spec_set_error(err, b->pos, "call number %u used twice (%s at line %d)",
                               b->number, a->name, a->pos.line);
                return -1;
            }
            if (strcmp(a->name, b->name) == 0) {
                spec_set_error(err, b->pos, "call name %s used twice (line %d)", b->name,
                               a->pos.line);
                return -1;
            }
        }
    for (unsigned i = 0; i < spec->nconsts; i++)
        for (unsigned j = 0; j < i; j++)
            if (strcmp(spec->consts[i].name, spec->consts[j].name) == 0) {
                spec_set_error(err, spec->consts[i].pos, "constant %s defined twice (line %d)",
                               spec->consts[i].name, spec->consts[j].pos.line);
                return -1;
            }
    for (unsigned i = 0; i < spec->nstructs; i++)
        for (unsigned j = 0; j < i; j++)
            if (strcmp(spec->structs[i].name, spec->structs[j].name) == 0) {
                spec_set_error(err, spec->structs[i].pos, "struct %s defined twice (line %d)",
                               spec->structs[i].name, spec->structs[j].pos.line);
                return -1;
            }
    return 0;
}

/* ---- arguments ----------------------------------------------------------------------------- */

static int is_arg_reg(enum spec_reg r)
{
    return r == REG_EAX || r == REG_EDX || r == REG_ECX || r == REG_STACK;
}

static void where_name(char *buf, size_t cap, enum spec_reg hi, enum spec_reg lo)
{
    if (hi == REG_NONE)
        snprintf(buf, cap, "%s", spec_reg_name(lo));
    else
        snprintf(buf, cap, "%s:%s", spec_reg_name(hi), spec_reg_name(lo));
}

/* A call with its own register convention (CPUID, the jump sites) names registers freely among
 * eax, ecx and edx, once each, and takes nothing on the stack. */
static int check_special_args(const struct spec_call *c, struct spec_error *err)
{
    unsigned used = 0;
    for (unsigned i = 0; i < c->nargs; i++) {
        const struct spec_arg *a = &c->args[i];
        if (a->lo == REG_STACK || a->hi != REG_NONE || a->type == TYPE_U64) {
            spec_set_error(err, a->pos, "%s passes every argument in one of eax, ecx, edx",
                           c->name);
            return -1;
        }
        if (used & REG_BIT(a->lo)) {
            spec_set_error(err, a->pos, "register %s holds two arguments", spec_reg_name(a->lo));
            return -1;
        }
        used |= REG_BIT(a->lo);
    }
    return 0;
}

/* regparm(3): eax, edx, ecx in order; a u64 takes two consecutive free registers (high:low) or
 * goes to the stack; after the first stack argument, every later one is on the stack too. */
static int check_regparm_args(struct spec_call *c, struct spec_error *err)
{
    static const enum spec_reg order[3] = { REG_EAX, REG_EDX, REG_ECX };
    unsigned next = 0;
    int on_stack = 0;
    c->stack_bytes = 0;
    for (unsigned i = 0; i < c->nargs; i++) {
        const struct spec_arg *a = &c->args[i];
        unsigned words = a->type == TYPE_U64 ? 2 : 1;
        enum spec_reg lo = REG_STACK, hi = REG_NONE;
        if (!on_stack && next + words <= 3) {
            lo = order[next];
            if (words == 2)
                hi = order[next + 1];
            next += words;
        } else {
            on_stack = 1;
            c->stack_bytes += 4 * words;
        }
        if (!is_arg_reg(a->lo) || (a->hi != REG_NONE && !is_arg_reg(a->hi))) {
            spec_set_error(err, a->where_pos,
                           "register %s is outside the calling convention (eax, edx, ecx, stack)",
                           spec_reg_name(is_arg_reg(a->lo) ? a->hi : a->lo));
            return -1;
        }
        if (words == 2 && lo == REG_STACK && a->lo == REG_STACK && a->hi == REG_NONE)
            continue;   /* a u64 on the stack is written @stack */
        if (a->lo != lo || a->hi != hi) {
            char want[16], got[16];
            where_name(want, sizeof want, hi, lo);
            where_name(got, sizeof got, a->hi, a->lo);
            spec_set_error(err, a->where_pos,
                           "argument %s of %s is in %s under regparm(3), not %s", a->name,
                           c->name, want, got);
            return -1;
        }
    }
    return 0;
}

/* ---- clobbers and sites -------------------------------------------------------------------- */

static uint8_t result_regs(enum spec_result r)
{
    switch (r) {
    case RESULT_EAX:
        return REG_BIT(REG_EAX);
    case RESULT_EDX_EAX:
        return REG_BIT(REG_EAX) | REG_BIT(REG_EDX);
    case RESULT_CPUID:
        return REG_BIT(REG_EAX) | REG_BIT(REG_EBX) | REG_BIT(REG_ECX) | REG_BIT(REG_EDX);
    default:
        return 0;
    }
}

static int check_clobbers(struct spec_call *c, struct spec_error *err)
{
    struct spec_pos pos = c->pos;
    if (c->jump_site && c->result != RESULT_NORETURN) {
        spec_set_error(err, pos, "%s is a jump site, so its result must be noreturn", c->name);
        return -1;
    }
    if (c->noclobber_column) {
        if (c->result != RESULT_NORETURN) {
            spec_set_error(err, pos, "only a call that never returns may have '-' as clobbers");
            return -1;
        }
        return 0;
    }
    if (!(c->clobbers & REG_BIT(REG_FLAGS))) {
        spec_set_error(err, pos, "the clobber set of %s must include flags", c->name);
        return -1;
    }
    const uint8_t saved = REG_BIT(REG_EBX) | REG_BIT(REG_ESI) | REG_BIT(REG_EDI) |
                          REG_BIT(REG_EBP);
    for (int r = REG_EBX; r <= REG_EBP; r++)
        if (c->clobbers & saved & REG_BIT(r)) {
            spec_set_error(err, pos, "%s clobbers %s, which the convention preserves", c->name,
                           spec_reg_name((enum spec_reg)r));
            return -1;
        }
    if (c->klass == CLASS_IRQ && c->clobbers != REG_BIT(REG_FLAGS)) {
        spec_set_error(err, pos,
                       "%s is an interrupt-flag call: it clobbers only flags (and its result)",
                       c->name);
        return -1;
    }
    c->clobbers |= result_regs(c->result);
    return 0;
}

static int check_site(const struct spec_call *c, struct spec_error *err)
{
    if (c->reserve < 5) {
        spec_set_error(err, c->pos, "site size %u of %s cannot hold a 5-byte call or jump",
                       c->reserve, c->name);
        return -1;
    }
    if (!c->has_native) {
        spec_set_error(err, c->pos, "%s has no native sequence", c->name);
        return -1;
    }
    if (c->native_len > c->reserve) {
        spec_set_error(err, c->native_pos,
                       "native sequence of %s is %u bytes, more than its site size %u", c->name,
                       c->native_len, c->reserve);
        return -1;
    }
    return 0;
}

/* ---- structs ------------------------------------------------------------------------------- */

/* Alignment under the i386 System V ABI, which is what every layout here follows. */
static unsigned natural_align(enum spec_type t)
{
    unsigned s = spec_type_size(t);
    return s > 4 ? 4 : s;
}

static int check_struct(const struct spec_struct *s, struct spec_error *err)
{
    unsigned end = 0, align = 1;
    for (unsigned i = 0; i < s->nfields; i++) {
        const struct spec_field *f = &s->fields[i];
        unsigned a = natural_align(f->type);
        unsigned want = s->packed ? end : (end + a - 1) / a * a;
        if (f->offset != want) {
            spec_set_error(err, f->pos, "field %s at offset 0x%x, but the %s layout puts it at "
                           "0x%x", f->name, f->offset, s->packed ? "packed" : "natural", want);
            return -1;
        }
        end = f->offset + spec_type_size(f->type) * (f->count ? f->count : 1);
        if (a > align)
            align = a;
    }
    unsigned want = s->packed ? end : (end + align - 1) / align * align;
    if (s->size != want) {
        spec_set_error(err, s->pos, "struct %s has size 0x%x, but its fields make 0x%x", s->name,
                       s->size, want);
        return -1;
    }
    return 0;
}

/* ---- ROM flavors --------------------------------------------------------------------------- */

static const struct spec_kv *rom_key(const struct spec_rom *r, const char *key)
{
    for (unsigned i = 0; i < r->nkeys; i++)
        if (strcmp(r->keys[i].key, key) == 0)
            return &r->keys[i];
    return NULL;
}

static int check_rom_keys(const struct spec_rom *r, struct spec_error *err)
{
    static const char *const required[] = { "manufacturer", "product", "rom_version",
                                            "api_minor", "virtual_top", "license" };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!rom_key(r, required[i])) {
            spec_set_error(err, r->pos, "ROM %s has no '%s' setting", r->flavor, required[i]);
            return -1;
        }
    const struct spec_kv *lic = rom_key(r, "license");
    if (strcmp(lic->value, "GPL") != 0 && strcmp(lic->value, "GPL v2") != 0) {
        spec_set_error(err, lic->pos, "license must be \"GPL\" or \"GPL v2\": Linux refuses any "
                       "other ROM");
        return -1;
    }
    char *end;
    const struct spec_kv *top = rom_key(r, "virtual_top");
    unsigned long v = strtoul(top->value, &end, 0);
    if (*end || v == 0 || v > 0xffffffffUL || (v & 0xfff)) {
        spec_set_error(err, top->pos, "virtual_top must be a page-aligned 32-bit address");
        return -1;
    }
    const struct spec_kv *minor = rom_key(r, "api_minor");
    v = strtoul(minor->value, &end, 0);
    if (*end || v > 255) {
        spec_set_error(err, minor->pos, "api_minor must be a number from 0 to 255");
        return -1;
    }
    const struct spec_kv *ver = rom_key(r, "rom_version");
    unsigned long maj = strtoul(ver->value, &end, 10);
    if (*end != '.' || maj > 255 || strtoul(end + 1, &end, 10) > 255 || *end) {
        spec_set_error(err, ver->pos, "rom_version must be MAJOR.MINOR");
        return -1;
    }
    return 0;
}

static int check_block(const struct spec *spec, const struct spec_rom *r,
                       const struct spec_block *b, struct spec_error *err)
{
    if (b->kind != BLOCK_ROUTINE)
        return 0;
    const struct spec_call *c = NULL;
    for (unsigned i = 0; i < spec->ncalls; i++)
        if ((int)spec->calls[i].number == b->call)
            c = &spec->calls[i];
    if (b->is_nop && (b->is_inline || b->is_jump || b->use_native)) {
        spec_set_error(err, b->pos, "a nop routine has no body to inline, call or jump to");
        return -1;
    }
    if (b->is_jump && !c->jump_site) {
        spec_set_error(err, b->pos, "a jump relocation is only for jump sites (IRET, SYSEXIT), "
                       "not %s", c->name);
        return -1;
    }
    if (b->has_variant && !b->is_inline) {
        spec_set_error(err, b->pos, "a variant is an inline body: add 'inline'");
        return -1;
    }
    if (b->is_inline && c->stack_bytes) {
        spec_set_error(err, b->pos, "%s takes stack arguments, which an inline body cannot reach",
                       c->name);
        return -1;
    }
    if (b->has_clobbers && !b->is_inline) {
        spec_set_error(err, b->pos, "clobbers are declared for inline bodies only");
        return -1;
    }
    if (b->has_clobbers && (b->clobbers & ~c->clobbers)) {
        spec_set_error(err, b->pos, "the body of %s in ROM %s clobbers more than the call allows",
                       c->name, r->flavor);
        return -1;
    }
    return 0;
}

static int check_roms(const struct spec *spec, struct spec_error *err)
{
    for (unsigned i = 0; i < spec->nroms; i++) {
        const struct spec_rom *r = &spec->roms[i];
        if (check_rom_keys(r, err) < 0)
            return -1;
        for (unsigned b = 0; b < r->nblocks; b++)
            if (check_block(spec, r, &r->blocks[b], err) < 0)
                return -1;
    }
    return 0;
}

int spec_check(struct spec *spec, struct spec_error *err)
{
    if (check_unique(spec, err) < 0)
        return -1;
    for (unsigned i = 0; i < spec->nstructs; i++)
        if (check_struct(&spec->structs[i], err) < 0)
            return -1;
    if (spec->ncalls == 0) {
        struct spec_pos pos = { spec->nfiles ? spec->files[0] : "spec", 1, 1 };
        spec_set_error(err, pos, "no 'table calls' in the spec");
        return -1;
    }
    for (unsigned i = 0; i < spec->ncalls; i++) {
        struct spec_call *c = &spec->calls[i];
        int special = c->result == RESULT_CPUID || c->jump_site;
        if ((special ? check_special_args(c, err) : check_regparm_args(c, err)) < 0)
            return -1;
        if (check_clobbers(c, err) < 0 || check_site(c, err) < 0)
            return -1;
    }
    if (check_roms(spec, err) < 0 || linux_check(spec, err) < 0)
        return -1;
    /* ROM blocks refer to calls by number, so sorting the calls last keeps them valid */
    qsort(spec->calls, spec->ncalls, sizeof spec->calls[0], cmp_calls);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
