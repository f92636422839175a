/* The VMI ROM as the loader sees it (rom.c). */
#ifndef LOADER_ROM_H
#define LOADER_ROM_H

#include "loader.h"
#include "vmi_inliner.h"

/* A ROM whose virtual_top is 0, or at or above this, keeps no hypervisor area (at most the 2 MiB that
 * keep Linux's fixmap aligned): its routines run on the bare machine from Linux's first
 * instruction.  Below it, the ROM needs a hypervisor's mapping and a successful VMI_Init before
 * any routine runs (docs/loader.md). */
#define ROM_BARE_VIRTUAL_TOP 0xffe00000u

struct loader_rom {
    int found;                      /* a ROM passed the probe */
    uint32_t phys;                  /* its physical address */
    struct vmi_rom rom;             /* probed at Linux's address: base = PAGE_OFFSET + phys */
    struct vmi_reloc_table relocs;  /* GetRelocationInfo's answers, at Linux's address */
};

/* 0: a ROM was found (lr->found) or no candidate exists; -1: a candidate failed the probe (err). */
int rom_find(struct loader_rom *lr, uint32_t page_offset, struct ld_error *err);
int rom_needs_hypervisor(const struct loader_rom *lr);
/* Executes GetRelocationInfo for every call, at the physical address and at a copy, and keeps the
 * answers translated to Linux's address. */
int rom_relocs(struct loader_rom *lr, struct ld_error *err);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
