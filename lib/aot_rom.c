/* ROM files for specialize and verify: see aot_rom.h. */
#include "aot_rom.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "romchk.h"
#include "romchk_run.h"
#include "vmi_aot.h"

#define ROM_FILE_MAX (256u * 1024u)     /* as check-rom */
#define EMU_LOW      0x00001000u        /* romchk_emu.c's stack lives below this */

void aot_rom_free(struct aot_rom *r)
{
    free(r->img);
    free(r->chk);
    memset(r, 0, sizeof *r);
}

int aot_rom_load(struct aot_rom *r, const char *path, struct aot_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return aot_fail(err, "%s: cannot open: %s", path, strerror(errno));
    r->img = malloc(ROM_FILE_MAX + 1);
    r->chk = calloc(1, sizeof *r->chk);
    if (!r->img || !r->chk) {
        fclose(f);
        aot_rom_free(r);
        return aot_fail(err, "%s: out of memory", path);
    }
    size_t n = fread(r->img, 1, ROM_FILE_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > ROM_FILE_MAX) {
        aot_rom_free(r);
        return aot_fail(err, "%s: %s", path, bad ? "read error" : "larger than 256 KiB: not a ROM");
    }
    r->file_size = (uint32_t)n;
    struct romchk *c = r->chk;
    c->file = path;
    c->img = r->img;
    c->size = r->file_size;
    if (romchk_run(c) != 0) {
        unsigned total = c->nfindings + c->dropped;
        if (c->nfindings && c->findings[0].off >= 0)
            aot_fail(err, "%s: fails check-rom (%u finding%s), first at 0x%lx: %s%s%s", path, total,
                     total == 1 ? "" : "s", c->findings[0].off, c->findings[0].where,
                     c->findings[0].where[0] ? ": " : "", c->findings[0].msg);
        else if (c->nfindings)
            aot_fail(err, "%s: fails check-rom (%u finding%s): %s%s%s", path, total,
                     total == 1 ? "" : "s", c->findings[0].where,
                     c->findings[0].where[0] ? ": " : "", c->findings[0].msg);
        else
            aot_fail(err, "%s: fails check-rom", path);
        aot_rom_free(r);
        return -1;
    }
    if (c->rom_size == 0 || c->rom_size > r->file_size) {
        aot_rom_free(r);
        return aot_fail(err, "%s: rom_length * 512 = %u bytes, but the file has %u", path,
                        c->rom_size, (unsigned)n);
    }
    r->size = c->rom_size;
    r->hash = vmi_fnv1a64(VMI_FNV1A64_INIT, r->img, r->size);
    return 0;
}

int aot_rom_base_ok(const struct aot_rom *r, uint32_t base, struct aot_err *err)
{
    if (base < EMU_LOW || (uint64_t)base + r->size > 0xfffff000ull)
        return aot_fail(err, "%s: a ROM base of 0x%08x is not supported: the %u-byte ROM must lie "
                        "in 0x%08x..0xfffff000", r->path, base, r->size, EMU_LOW);
    return 0;
}

vmi_status aot_rom_query(void *ctx, uint8_t call, struct vmi_relocation_info *out)
{
    struct aot_rom_at *at = ctx;
    uint32_t eax, edx;
    if (romchk_emu_call(at->rom->img, at->rom->size, at->base, VMI_ROM_GET_RELOC_OFFSET, call,
                        &eax, &edx, &at->why) < 0)
        return VMI_E_RELOC_QUERY;
    memset(out, 0, sizeof *out);
    out->eip = eax;
    out->type = (uint8_t)edx;
    return VMI_OK;
}

int aot_rom_relocs(const struct aot_rom *r, uint32_t base, struct vmi_reloc_table *relocs,
                   struct aot_err *err)
{
    struct aot_rom_at at = { r, base, { "" } };
    struct vmi_error e;
    if (vmi_reloc_table_fill(relocs, aot_rom_query, &at, &e) != VMI_OK) {
        aot_fail_vmi(err, &e, "%s: GetRelocationInfo at 0x%08x", r->path, base);
        if (err && at.why.msg[0]) {         /* the emulator's reason after the core's */
            size_t l = strlen(err->msg);
            snprintf(err->msg + l, sizeof err->msg - l, ": %s", at.why.msg);
            aot_one_line(err->msg);
        }
        return -1;
    }
    return 0;
}

int aot_rom_in_routine(const struct aot_rom *r, uint32_t off, const char **name)
{
    const struct romchk *c = r->chk;
    for (unsigned i = 0; i < c->nroutines; i++) {
        const struct romchk_routine *x = &c->routines[i];
        if (x->kind != RK_ENTRY && x->kind != RK_ROUTINE && x->kind != RK_HELPER)
            continue;
        uint32_t len = x->len ? x->len : 1;
        if (off - x->off < len) {
            if (name)
                *name = x->name;
            return 1;
        }
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
