/* The counting plan: per-site execution profiles without a special ROM.  Each site becomes a 5-byte
 * jmp to a thunk of its own (the rest NOP-filled); the thunk counts the execution, runs what the
 * base plan put at the site (moved, its rel32 fields fixed for the new place) and jumps back to the
 * site's end.  So the program behaves as under the base plan, and counters[i] says how often site
 * i ran.  docs/specializer.md. */
#include "vmi_internal.h"

#define LOCK_INCL_LEN 7u   /* f0 ff 05 abs32: lock incl counter */
_Static_assert(LOCK_INCL_LEN + VMI_BRANCH_LEN == VMI_COUNT_THUNK_FIXED, "thunk size");

/* A thunk: lock incl; the base plan's used bytes; jmp back (5).  Returns its length. */
static uint32_t thunk_len(const struct vmi_site_plan *sp)
{
    return LOCK_INCL_LEN + sp->used + VMI_BRANCH_LEN;
}

/* The body a planned INLINE site carries: found again by its ROM address. */
static int find_body(const struct vmi_rom *rom, const struct vmi_site_plan *sp,
                     struct vmi_inline_body *body)
{
    const struct vmi_inline_entry *e;
    for (int variant = 0; variant < 2; variant++)
        for (uint32_t i = 0; (e = vmi_rom_inline_entry(rom, i)) != 0; i++) {
            int is_var = (e->flags & VMI_INLINE_VARIANT) != 0;
            if (rom->base + e->body_offs == sp->target &&
                vmi_rom_inline_find(rom, e->call, is_var, e->variant_arg, e->variant_value, body) &&
                body->addr == sp->target && (int)body->is_variant == variant)
                return 1;
        }
    return 0;
}

/* Moves the base plan's bytes of a site to `at` (linear address taddr) and fixes what refers to
 * addresses outside them: a call or jmp into the ROM, an inlined body's relocations. */
static vmi_status move_site_code(uint8_t *at, uint32_t taddr, const struct vmi_plan *base,
                                 const struct vmi_site_plan *sp, const struct vmi_rom *rom,
                                 struct vmi_error *err)
{
    const uint8_t *code = base->code + sp->code_offs;
    struct vmi_inline_body body;
    vmi_memcpy(at, code, sp->used);
    switch (sp->decision) {
    case VMI_DECISION_CALL:
    case VMI_DECISION_JUMP:
        vmi_write_rel32_branch(at, code[0], taddr, sp->target);
        return VMI_OK;
    case VMI_DECISION_INLINE:
        if (!find_body(rom, sp, &body) || body.len != sp->used)
            return vmi_fail(err, VMI_E_PLAN_MISMATCH, sp->index, sp->addr, 0, sp->target, 0,
                            "inlined body not found in the ROM given to the counting plan");
        for (uint32_t k = 0; k < body.reloc_count; k++) {
            uint32_t off = vmi_rom_inline_reloc(rom, &body, k);
            vmi_rel32_move(at + off, sp->addr + off + 4, taddr + off + 4);
        }
        return VMI_OK;
    default:   /* NATIVE: relative branches stay inside the sequence; NOP: nothing */
        return VMI_OK;
    }
}

vmi_status vmi_plan_count(struct vmi_plan *out, const struct vmi_plan *base,
                          const struct vmi_rom *rom, struct vmi_count_area *area,
                          struct vmi_error *err)
{
    uint32_t i, need = 0;

    vmi_error_clear(err);
    if (!out || !base || !area || (base->count && (!area->thunks || !out->sites || !out->code)))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL plan or count area");
    if (base->count > out->cap || base->code_len > out->code_cap)
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, 0, 0, base->count, out->cap,
                        "counting plan's arrays smaller than the base plan's");
    for (i = 0; i < base->count; i++) {
        if (base->sites[i].len < VMI_BRANCH_LEN)
            return vmi_fail(err, VMI_E_SITE_LEN, base->sites[i].index, base->sites[i].addr, 0,
                            VMI_BRANCH_LEN, base->sites[i].len, "a counted site needs 5 bytes");
        need += thunk_len(&base->sites[i]);
    }
    if (need > area->thunks_cap)
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, area->thunks_addr, 0, need,
                        area->thunks_cap, "thunk area too small (expected = bytes needed)");

    uint32_t at = 0;
    out->count = base->count;
    out->code_len = base->code_len;
    out->rom_base = base->rom_base;
    out->policy = base->policy;
    out->original = base->original;
    out->original_len = base->original_len;
    for (i = 0; i < base->count; i++) {
        const struct vmi_site_plan *sp = &base->sites[i];
        uint8_t *t = area->thunks + at;
        uint32_t taddr = area->thunks_addr + at;
        t[0] = 0xf0;                              /* lock incl counters[i] */
        t[1] = 0xff;
        t[2] = 0x05;
        vmi_wr32(t + 3, area->counters_addr + 4 * i);
        vmi_status st = move_site_code(t + LOCK_INCL_LEN, taddr + LOCK_INCL_LEN, base, sp, rom,
                                       err);
        if (st != VMI_OK) {
            out->count = 0;
            return st;
        }
        uint8_t *back = t + LOCK_INCL_LEN + sp->used;
        vmi_write_rel32_branch(back, VMI_OP_JMP_REL32, taddr + LOCK_INCL_LEN + sp->used,
                               sp->addr + sp->len);            /* back to the site's end */

        struct vmi_site_plan *cp = &out->sites[i];
        *cp = *sp;
        uint8_t *code = out->code + sp->code_offs;
        vmi_write_rel32_branch(code, VMI_OP_JMP_REL32, sp->addr, taddr);   /* jmp thunk, NOPs */
        cp->nops = (uint8_t)vmi_nop_fill(code + VMI_BRANCH_LEN, sp->len - VMI_BRANCH_LEN);
        at += thunk_len(sp);
    }
    area->thunks_len = at;
    return VMI_OK;
}
/* SPDX-License-Identifier: GPL-2.0-only */
