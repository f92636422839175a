/* check-rom's checks (docs/rom-format.md, "Checking a ROM"): structure (romchk_layout.c),
 * GetRelocationInfo executed for every call number at two placements (romchk_emu.c), every routine
 * and inline body decoded and analysed (romchk_code.c) against the spec's call table in vmi_abi.h
 * and the inline table's declarations, and what the code does (romchk_behave.c).  romchk_run runs
 * them all; `vmi-aot check-rom` prints what they found, specialize and verify refuse a ROM on any
 * finding (aot_rom.c).  Nothing here prints. */
#include "romchk.h"
#include "romchk_behave.h"
#include "romchk_run.h"

#include <stdio.h>
#include <string.h>

const char *const romchk_reloc_names[4] = { "NONE", "CALL_REL", "JUMP_REL", "NOP" };

static const struct vmi_call_meta *call_meta(unsigned n)
{
    if (n >= VMI_NUM_CALLS || !(vmi_call_table[n].flags & VMI_CALL_F_DEFINED))
        return NULL;
    return &vmi_call_table[n];
}

static void check_writes(struct romchk *c, uint32_t off, const char *where, uint8_t writes,
                         uint8_t allowed, const char *whose)
{
    if (!(writes & ~allowed))
        return;
    char w[64], a[64];
    romchk_clobber_text(writes & (uint8_t)~allowed, w, sizeof w);
    romchk_clobber_text(allowed, a, sizeof a);
    romchk_add(c, (long)off, where, "writes %s, not in %s (%s)", w, whose, a);
}

/* The two fixed entries: VMI_Init and GetRelocationInfo are regparm C functions. */
static void check_entries(struct romchk *c)
{
    static const struct { uint32_t off; const char *name; } e[] = {
        { VMI_ROM_INIT_OFFSET, "VMI_Init" }, { VMI_ROM_GET_RELOC_OFFSET, "GetRelocationInfo" },
    };
    for (int i = 0; i < 2; i++) {
        struct romchk_routine *r = romchk_routine_add(c, RK_ENTRY, -1, e[i].name, e[i].off);
        struct romchk_summary s;
        romchk_code(c, e[i].off, NULL, e[i].name, &s);
        r->len = s.extent;
        r->writes = s.writes;
        r->declared = VMI_CLOBBER_STD;
        if (!s.returns)
            romchk_add(c, e[i].off, e[i].name, "never returns");
        check_writes(c, e[i].off, e[i].name, s.writes, VMI_CLOBBER_STD,
                     "the C convention's scratch registers");
    }
}

/* GetRelocationInfo(n) for n = 0..255, executed at two bases. */
static void check_relocs(struct romchk *c)
{
    for (unsigned n = 0; n < 256; n++) {
        uint32_t a[2], d[2], base[2] = { ROMCHK_BASE_A, ROMCHK_BASE_B };
        struct aot_err why;
        for (int k = 0; k < 2; k++)
            if (romchk_emu_call(c->img, c->rom_size, base[k], VMI_ROM_GET_RELOC_OFFSET, n, &a[k],
                                &d[k], &why) < 0) {
                romchk_add(c, VMI_ROM_GET_RELOC_OFFSET, "GetRelocationInfo", "GetRelocationInfo"
                           "(%u) at 0x%x cannot be executed: %s", n, base[k], why.msg);
                return;
            }
        uint8_t type = (uint8_t)d[0];
        if (type > VMI_RELOCATION_NOP) {
            romchk_add(c, -1, "GetRelocationInfo", "GetRelocationInfo(%u) answers type %u, not "
                       "one of NONE, CALL_REL, JUMP_REL, NOP", n, type);
            continue;
        }
        if ((uint8_t)d[1] != type || (type != VMI_RELOCATION_NONE &&
                                      a[0] - ROMCHK_BASE_A != a[1] - ROMCHK_BASE_B)) {
            romchk_add(c, -1, "GetRelocationInfo", "GetRelocationInfo(%u) depends on where the "
                       "ROM is: 0x%x type %u at 0x%x, 0x%x type %u at 0x%x", n, a[0], type, ROMCHK_BASE_A,
                       a[1], (uint8_t)d[1], ROMCHK_BASE_B);
            continue;
        }
        const struct vmi_call_meta *m = call_meta(n);
        if (type != VMI_RELOCATION_NONE && a[0] - ROMCHK_BASE_A >= c->rom_size) {
            romchk_add(c, -1, "GetRelocationInfo", "GetRelocationInfo(%u) answers 0x%x, outside "
                       "the image at 0x%x", n, a[0], ROMCHK_BASE_A);
            continue;
        }
        if (type != VMI_RELOCATION_NONE && !m)
            romchk_add(c, -1, "GetRelocationInfo", "GetRelocationInfo(%u) answers %s for a call "
                       "number the ABI does not define", n, romchk_reloc_names[type]);
        if (type == VMI_RELOCATION_JUMP_REL && m && !(m->flags & VMI_CALL_F_JUMP))
            romchk_add(c, -1, "GetRelocationInfo", "GetRelocationInfo(%u) answers JUMP_REL for "
                       "%s: Linux accepts it only at IRET and SYSEXIT sites", n, m->name);
        c->reloc_type[n] = type;
        c->reloc_off[n] = type == VMI_RELOCATION_NONE ? 0 : a[0] - ROMCHK_BASE_A;
    }
    c->reloc_done = 1;
}

static void check_routines(struct romchk *c)
{
    for (unsigned n = 0; n < 256; n++) {
        const struct vmi_call_meta *m = call_meta(n);
        if (c->reloc_type[n] == VMI_RELOCATION_NONE || !m)
            continue;
        uint32_t off = c->reloc_off[n];
        struct romchk_routine *r = romchk_routine_add(c, RK_ROUTINE, (int)n, m->name, off);
        r->reloc_type = c->reloc_type[n];
        r->declared = m->clobbers;
        struct romchk_summary s;
        romchk_code(c, off, NULL, m->name, &s);
        r->len = s.extent;
        r->writes = s.writes;
        if (m->flags & VMI_CALL_F_NORETURN)
            continue;        /* never comes back to its site: what it writes is moot */
        if (!s.returns)
            romchk_add(c, off, m->name, "never returns, but %s does", m->name);
        if (s.pops)
            romchk_add(c, off, m->name, "returns with ret $%u: the caller pops arguments", s.pops);
        check_writes(c, off, m->name, s.writes, m->clobbers, "the call's clobbers");
    }
}

#define EOFF(field) ((uint32_t)offsetof(struct vmi_inline_entry, field))

/* What entry e claims, against its call's metadata: known flags, a variant on the argument its
 * sites record, a call that returns and takes no stack arguments, clobbers within the call's,
 * a length that fits the site. */
static void entry_claims(struct romchk *c, const struct vmi_inline_entry *e,
                         const struct vmi_call_meta *m, uint32_t eoff, const char *where)
{
    unsigned flags = e->flags, arg = e->variant_arg, len = e->body_len;
    uint8_t clob = e->clobbers;

    if (flags & ~(unsigned)VMI_INLINE_VARIANT)
        romchk_add(c, eoff + EOFF(flags), where, "unknown entry flags 0x%x", flags);
    if ((flags & VMI_INLINE_VARIANT) && (!(m->flags & VMI_CALL_F_CONST) || arg != m->const_arg))
        romchk_add(c, eoff + EOFF(variant_arg), where, "a variant on argument %u, but sites of %s record %s",
                   arg, m->name, (m->flags & VMI_CALL_F_CONST) ? "another argument" : "none");
    if (m->flags & (VMI_CALL_F_JUMP | VMI_CALL_F_NORETURN))
        romchk_add(c, eoff, where, "%s never returns to its site: it cannot be inlined", m->name);
    if (m->stack_bytes)
        romchk_add(c, eoff, where, "%s takes stack arguments, which an inline body cannot reach",
                   m->name);
    if (clob & ~m->clobbers) {
        char a[64], b[64];
        romchk_clobber_text(clob & (uint8_t)~m->clobbers, a, sizeof a);
        romchk_clobber_text(m->clobbers, b, sizeof b);
        romchk_add(c, eoff + EOFF(clobbers), where, "declares clobbers %s beyond the call's (%s)", a, b);
    }
    if (len == 0 || len > m->reserve)
        romchk_add(c, eoff + EOFF(body_len), where, "a body of %u bytes does not fit %s's %u-byte site", len,
                   m->name, m->reserve);
}

/* Where the body is: after the header, inside the image with its ret, clear of the inline
 * table; the generic body is what GetRelocationInfo answers; its relocations are in the table.
 * 0 when the body's code can be read, -1 when it cannot. */
static int entry_placement(struct romchk *c, const struct vmi_inline_entry *e, uint32_t eoff,
                           const char *where)
{
    unsigned call = e->call, len = e->body_len, nrel = e->reloc_count;
    uint32_t body = e->body_offs, first = e->reloc_first;

    if (body < sizeof(struct vrom_header)) {
        romchk_add(c, eoff + EOFF(body_offs), where, "the body at 0x%x overlaps the ROM header", body);
        return -1;
    }
    if (body + len + 1 > c->rom_size) {
        romchk_add(c, eoff + EOFF(body_offs), where, "the body at 0x%x, %u bytes, runs past the image end "
                   "(0x%x)", body, len, c->rom_size);
        return -1;
    }
    uint32_t tsize = romchk_rd16(c, VMI_INLINE_PTR_OFFSET +
                                        (uint32_t)offsetof(struct vmi_inline_ptr, table_size));
    if (body < c->table_off + tsize && body + len > c->table_off) {
        romchk_add(c, eoff + EOFF(body_offs), where, "the body at 0x%x overlaps the inline table", body);
        return -1;
    }
    if (c->img[body + len] != 0xc3)
        romchk_add(c, body + len, where, "the body is not followed by ret: one copy must serve "
                   "both the call and the inline copy");
    if (!(e->flags & VMI_INLINE_VARIANT) && c->reloc_done &&
        (c->reloc_type[call] != VMI_RELOCATION_CALL_REL || c->reloc_off[call] != body))
        romchk_add(c, eoff + EOFF(body_offs), where, "GetRelocationInfo(%u) does not answer CALL_REL to the "
                   "body at 0x%x", call, body);
    if (first + nrel > c->relocs) {
        romchk_add(c, eoff + EOFF(reloc_first), where, "relocations %u..%u are outside the table's %u", first,
                   first + nrel, c->relocs);
        return -1;
    }
    return 0;
}

/* The declared relocations are exactly the decoded rel32 fields that leave the body (b). */
static void entry_relocs(struct romchk *c, const struct vmi_inline_entry *e, const uint8_t *tab,
                         const struct romchk_body *b, const char *where)
{
    unsigned len = e->body_len, nrel = e->reloc_count;
    uint32_t body = e->body_offs, first = e->reloc_first;
    const struct vmi_inline_reloc *rel = (const struct vmi_inline_reloc *)
        (tab + sizeof(struct vmi_inline_table) + c->entries * sizeof(struct vmi_inline_entry));
    uint8_t declared[256] = { 0 };

    for (unsigned k = 0; k < nrel; k++) {
        const struct vmi_inline_reloc *x = &rel[first + k];
        long at = (long)((const uint8_t *)x - c->img);
        if (x->kind != VMI_INLINE_RELOC_REL32)
            romchk_add(c, at, where, "relocation %u has unknown kind %u", first + k, x->kind);
        else if (x->offset + 4u > len)
            romchk_add(c, at, where, "the relocation at +%u runs past the body's %u bytes",
                       x->offset, len);
        else
            declared[x->offset] = 1;
    }
    for (unsigned k = 0; k < b->nrel; k++) {
        if (!declared[b->rel_fields[k]])
            romchk_add(c, body + b->rel_fields[k], where, "the rel32 field at +%u leaves the body, "
                       "but no relocation is declared for it", b->rel_fields[k]);
        declared[b->rel_fields[k]] = 2;
    }
    for (unsigned k = 0; k < 256; k++)
        if (declared[k] == 1)
            romchk_add(c, body + k, where, "the relocation at +%u is not a rel32 field that leaves "
                       "the body", k);
}

/* Inline entry i at eoff: recorded as a routine, its claims checked, then (when it is placed
 * where it can be read) its code decoded, what it writes checked against its declared clobbers,
 * and its relocations against the code. */
static void check_entry(struct romchk *c, unsigned i, const uint8_t *tab, uint32_t eoff)
{
    const struct vmi_inline_entry *e = (const struct vmi_inline_entry *)(c->img + eoff);
    unsigned call = e->call, flags = e->flags;
    const struct vmi_call_meta *m = call_meta(call);
    char where[48];
    if (!m) {
        romchk_add(c, eoff, "inline", "inline entry %u is for undefined call %u", i, call);
        return;
    }
    if (flags & VMI_INLINE_VARIANT)
        snprintf(where, sizeof where, "%s[%u]=%u", m->name, (unsigned)e->variant_arg,
                 (unsigned)e->variant_value);
    else
        snprintf(where, sizeof where, "%s (inline)", m->name);
    struct romchk_routine *r = romchk_routine_add(c, flags & VMI_INLINE_VARIANT ? RK_VARIANT
                                                  : RK_INLINE, (int)call, where, e->body_offs);
    r->len = e->body_len;
    r->declared = e->clobbers;
    r->nrelocs = e->reloc_count;
    r->variant_value = e->variant_value;
    entry_claims(c, e, m, eoff, where);
    if (entry_placement(c, e, eoff, where) != 0)
        return;
    struct romchk_body b = { .is_inline = 1, .len = e->body_len };
    struct romchk_summary s;
    romchk_code(c, e->body_offs, &b, where, &s);
    r->writes = s.writes;
    check_writes(c, e->body_offs, where, s.writes, e->clobbers, "its declared clobbers");
    entry_relocs(c, e, tab, &b, where);
}

static void check_inline(struct romchk *c)
{
    if (!c->has_table)
        return;
    const uint8_t *tab = c->img + c->table_off;
    for (unsigned i = 0; i < c->entries; i++) {
        uint32_t eoff = c->table_off + (uint32_t)sizeof(struct vmi_inline_table) +
                        i * (uint32_t)sizeof(struct vmi_inline_entry);
        for (unsigned j = 0; j < i; j++) {
            const struct vmi_inline_entry *a = (const struct vmi_inline_entry *)(c->img + eoff),
                                          *b = a - (i - j);
            if (a->call == b->call &&
                (a->flags & VMI_INLINE_VARIANT) == (b->flags & VMI_INLINE_VARIANT) &&
                (!(a->flags & VMI_INLINE_VARIANT) ||
                 (a->variant_arg == b->variant_arg && a->variant_value == b->variant_value)))
                romchk_add(c, eoff, "inline", "entry %u repeats entry %u (call %u)", i, j, a->call);
        }
        check_entry(c, i, tab, eoff);
    }
}

/* Every check of check-rom, for other subcommands too (romchk_run.h). */
int romchk_run(struct romchk *c)
{
    if (romchk_layout(c) == 0) {
        check_entries(c);
        check_relocs(c);
        check_routines(c);
        check_inline(c);
        romchk_behave(c);       /* what the code does, on random states: romchk_behave.h */
    }
    return c->nfindings || c->dropped ? -1 : 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
