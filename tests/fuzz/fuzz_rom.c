/* libFuzzer target: the inliner's ROM probe and inline-extension reader on arbitrary bytes.
 *
 * The input is a ROM image.  It is probed twice (with and without the checksum, so mutations that
 * break the sum still reach the inline extension), scanned as a 2 KiB-stepped region, and when a
 * probe passes, every inline body the ROM offers is looked up (generic and each variant), its
 * bytes and relocation offsets are read, and one site per defined call is planned against it with
 * every policy, so the planner's use of bodies and relocations runs on the fuzzed table too.
 * Seeds: the built ROMs and synthetic ROMs from tests/fuzz/mkseeds.c.  An error status is fine;
 * a crash or a sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmi_inliner.h"

#define ROM_BASE 0x000c8000u
#define TEXT_BASE 0x00100000u

static volatile uint8_t sink;

static void touch(const uint8_t *p, uint32_t n)
{
    uint8_t x = 0;
    for (uint32_t i = 0; i < n; i++)
        x ^= p[i];
    sink ^= x;
}

/* Every body: its bytes, its relocation offsets, and finding it again by (call, variant). */
static void read_bodies(const struct vmi_rom *rom)
{
    for (unsigned call = 0; call < 256; call++) {
        struct vmi_inline_body b;
        if (vmi_rom_inline_find(rom, (uint8_t)call, 0, 0, 0, &b)) {
            touch(b.bytes, b.len);
            for (uint32_t i = 0; i < b.reloc_count; i++)
                sink ^= vmi_rom_inline_reloc(rom, &b, i);
        }
    }
    if (!rom->has_inline)
        return;
    /* the variants: the entries name their own (arg, value) */
    const uint8_t *t = rom->image + rom->inline_table_offs;
    for (uint32_t e = 0; e < rom->inline_entries; e++) {
        const uint8_t *ent = t + 16 + e * 16;
        uint32_t value = (uint32_t)ent[12] | (uint32_t)ent[13] << 8 | (uint32_t)ent[14] << 16
                       | (uint32_t)ent[15] << 24;
        struct vmi_inline_body b;
        if (vmi_rom_inline_find(rom, ent[0], 1, ent[3], value, &b)) {
            touch(b.bytes, b.len);
            for (uint32_t i = 0; i < b.reloc_count; i++)
                sink ^= vmi_rom_inline_reloc(rom, &b, i);
        }
    }
}

/* One site per defined call (constant sites for calls that specialize, with the value taken from
 * the ROM's first variant for that call when there is one), planned with every policy. */
static void plan_against(const struct vmi_rom *rom)
{
    static struct vmi_site_info info[VMI_NUM_CALLS];
    static struct vmi_site_plan sp[VMI_NUM_CALLS];
    static uint8_t code[VMI_NUM_CALLS * VMI_RESERVE_MAX];
    static uint8_t text[VMI_NUM_CALLS * VMI_RESERVE_MAX];
    struct vmi_reloc_table relocs;
    uint32_t n = 0, addr = TEXT_BASE;

    memset(&relocs, 0, sizeof relocs);
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++) {
        const struct vmi_call_meta *m = &vmi_call_table[c];
        if (!(m->flags & VMI_CALL_F_DEFINED))
            continue;
        /* every routine somewhere inside the ROM; jump calls JUMP_REL, the rest CALL_REL */
        relocs.info[c].eip = rom->base + (0x100u + 8u * c) % rom->size;
        relocs.info[c].type = (m->flags & VMI_CALL_F_JUMP) ? VMI_RELOCATION_JUMP_REL
                                                            : VMI_RELOCATION_CALL_REL;
        struct vmi_site_info *s = &info[n];
        memset(s, 0, sizeof *s);
        s->addr = addr;
        s->index = n;
        s->call = (uint8_t)c;
        s->len = m->reserve;
        s->clobbers = m->clobbers;
        s->flags = (m->flags & VMI_CALL_F_JUMP) ? VMI_SITE_JUMP : 0;
        if (m->flags & VMI_CALL_F_CONST) {
            s->flags |= (uint8_t)(VMI_SITE_CONST | m->const_arg << VMI_SITE_CONST_ARG_SHIFT);
            s->const_value = 0;
        }
        addr += s->len;
        n++;
    }
    if (rom->has_inline) {
        const uint8_t *t = rom->image + rom->inline_table_offs;
        for (uint32_t e = 0; e < rom->inline_entries; e++) {
            const uint8_t *ent = t + 16 + e * 16;
            if (!(ent[2] & VMI_INLINE_VARIANT))
                continue;
            for (uint32_t i = 0; i < n; i++)
                if (info[i].call == ent[0] && (info[i].flags & VMI_SITE_CONST))
                    info[i].const_value = (uint32_t)ent[12] | (uint32_t)ent[13] << 8
                                        | (uint32_t)ent[14] << 16 | (uint32_t)ent[15] << 24;
        }
    }
    struct vmi_site_table table = { info, n, n };
    for (unsigned pol = 0; pol < VMI_POLICY_COUNT; pol++) {
        struct vmi_plan plan, native;
        struct vmi_plan_options opt = { (enum vmi_policy)pol, 0 };
        static struct vmi_site_plan nsp[VMI_NUM_CALLS];
        static uint8_t ncode[VMI_NUM_CALLS * VMI_RESERVE_MAX];
        struct vmi_error err;

        vmi_plan_init(&plan, sp, n, code, sizeof code);
        if (vmi_plan_build(&plan, &table, rom, &relocs, &opt, &err) != VMI_OK)
            continue;
        touch(plan.code, plan.code_len);
        /* write the plan over a native text and back */
        vmi_plan_init(&native, nsp, n, ncode, sizeof ncode);
        if (vmi_plan_build(&native, &table, NULL, NULL, NULL, &err) != VMI_OK)
            abort();    /* the native plan of a valid table cannot fail */
        for (uint32_t i = 0; i < native.count; i++)
            memcpy(text + (nsp[i].addr - TEXT_BASE), ncode + nsp[i].code_offs, nsp[i].len);
        struct vmi_text tx = { text, TEXT_BASE, addr - TEXT_BASE, NULL, NULL };
        static uint8_t savebuf[VMI_NUM_CALLS * VMI_RESERVE_MAX];
        struct vmi_save save = { savebuf, sizeof savebuf, 0, 0 };
        if (vmi_apply(&tx, &plan, NULL, &save, &err) != VMI_OK)
            abort();    /* a plan just built for this text must apply */
        if (vmi_verify(&tx, &plan, &err) != VMI_OK || vmi_revert(&tx, &plan, &save, &err) != VMI_OK
            || vmi_verify(&tx, &native, &err) != VMI_OK)
            abort();
        static struct vmi_stats st;
        vmi_plan_stats(&plan, &st);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vmi_rom rom;
    struct vmi_error err;
    char line[256];

    if (size > 0x20000)
        return 0;
    for (uint32_t flags = 0; flags < 4; flags++) {
        if (vmi_rom_probe(&rom, data, (uint32_t)size, ROM_BASE, flags, &err) == VMI_OK) {
            touch(rom.image, rom.size);
            read_bodies(&rom);
            if (flags == 0 || flags == VMI_PROBE_NO_CHECKSUM)
                plan_against(&rom);
        } else {
            vmi_error_format(&err, line, sizeof line);
        }
    }
    if (vmi_rom_scan(&rom, data, ROM_BASE, (uint32_t)size, VMI_PROBE_NO_CHECKSUM, &err) == VMI_OK)
        read_bodies(&rom);
    else
        vmi_error_format(&err, line, sizeof line);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
