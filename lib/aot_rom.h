/* A ROM file as `specialize` and `verify` use it: read whole, refused unless `vmi-aot check-rom`
 * passes it (romchk_run), identified by FNV-1a 64 of its rom_length * 512 bytes (docs/aot.md),
 * GetRelocationInfo answered by check-rom's emulator executing the ROM's own code at any base (no
 * second decoder of the ROM), and the extents of its routines for branch-target checks. */
#ifndef VMI_AOT_ROM_H
#define VMI_AOT_ROM_H

#include <stdint.h>

#include "aot_err.h"
#include "vmi_inliner.h"

struct romchk;

struct aot_rom {
    const char *path;
    uint8_t *img;           /* the file's bytes */
    uint32_t file_size;
    uint32_t size;          /* rom_length * 512: the bytes that are hashed and copied */
    uint64_t hash;          /* vmi_fnv1a64 of the size bytes */
    struct romchk *chk;     /* check-rom's results: routines, helpers, GetRelocationInfo */
};

/* Reads path (at most 256 KiB, as check-rom), runs every check of check-rom on it and hashes it.
 * On any check-rom finding: -1, err = "ROM: fails check-rom (N findings): the first". */
int aot_rom_load(struct aot_rom *r, const char *path, struct aot_err *err);
void aot_rom_free(struct aot_rom *r);

/* The bases a ROM may be planned for: [base, base + size) above the emulator's scratch page and
 * below 0xfffff000.  0 when fine, else -1 and err. */
int aot_rom_base_ok(const struct aot_rom *r, uint32_t base, struct aot_err *err);

/* A vmi_reloc_query_fn: ctx is a struct aot_rom_at.  Executes the ROM's GetRelocationInfo with the
 * ROM placed at base, with check-rom's emulator (romchk_emu_call), as the kernel executes it at
 * vmi_rom_area. */
struct aot_rom_at {
    const struct aot_rom *rom;
    uint32_t base;
    struct aot_err why;     /* the emulator's reason when a query fails (msg "" until then) */
};
vmi_status aot_rom_query(void *ctx, uint8_t call, struct vmi_relocation_info *out);

/* Fills relocs for the ROM at base (vmi_reloc_table_fill + aot_rom_query).  0, or -1 and err. */
int aot_rom_relocs(const struct aot_rom *r, uint32_t base, struct vmi_reloc_table *relocs,
                   struct aot_err *err);

/* 1 when ROM offset off lies inside the code of one of the ROM's routines, helpers or fixed
 * entries as check-rom decoded them ([off, off + decoded length)), else 0.  *name gets the
 * routine's name when found. */
int aot_rom_in_routine(const struct aot_rom *r, uint32_t off, const char **name);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
