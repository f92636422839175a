/* vmi-prof-engine: the 32-bit measurement engine of vmi-prof (docs/profiling.md). */
#ifndef VMI_PROF_ENGINE_H
#define VMI_PROF_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "aot_err.h"
#include "prof_workloads.h"
#include "vmi_inliner.h"

/* ---- the generated table (vmi-prof-gen) ---- */
struct prof_workload {
    const char *name;
    int is_path;
    unsigned nops;
    struct prof_op ops[PROF_MAX_OPS];
    void (*fn[PE_COUNT])(uint32_t n);     /* NULL: the strategy does not apply */
};
extern const struct prof_workload prof_workloads[];
extern const unsigned prof_nworkloads;
extern const uint64_t prof_rom_hash;
extern const uint32_t prof_rom_size;

/* What the loops read: op k's eax, edx, ecx; the indirect strategy's table. */
extern uint32_t prof_args[PROF_MAX_OPS][3];
extern uint32_t prof_ops[VMI_NUM_CALLS];

/* ---- rommap.c ---- */
/* Reads the image at path and maps it read-only and executable at base (MAP_FIXED_NOREPLACE).
 * Returns 0, or -1 with err set. */
int prof_rom_map(const char *path, uint32_t base, const uint8_t **img, uint32_t *size,
                 struct aot_err *err);
/* GetRelocationInfo of the mapped ROM: EDX:EAX = type:eip. */
uint64_t prof_rom_reloc(uint32_t base, uint32_t call);
uint32_t prof_rom_init(uint32_t base);

/* ---- trap.c: the trap-and-emulate strategy ---- */
/* Installs the SIGSEGV handler; pt_ro is the write-protected view of the page-table page and
 * pt_rw its writable alias.  Returns 0, or -1 with err set. */
int prof_trap_install(uint8_t *pt_ro, uint8_t *pt_rw, struct aot_err *err);
extern volatile uint32_t prof_traps;      /* faults emulated */

/* ---- patchbench.c ---- */
int prof_patch_bench(const struct vmi_rom *rom, const struct vmi_reloc_table *relocs,
                     uint32_t sites, unsigned reps);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
