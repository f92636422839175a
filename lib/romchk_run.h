/* check-rom's whole run, for the subcommands that must refuse a ROM check-rom refuses
 * (specialize, verify).  Defined in romchk_check.c. */
#ifndef VMI_AOT_ROMCHK_RUN_H
#define VMI_AOT_ROMCHK_RUN_H

#include "romchk.h"

/* The two placements GetRelocationInfo is executed at. */
#define ROMCHK_BASE_A 0x000c8000u      /* where a BIOS would shadow it */
#define ROMCHK_BASE_B 0x000d0800u      /* another 2 KiB slot of the scan range */

/* The relocation types' names, by VMI_RELOCATION_* value. */
extern const char *const romchk_reloc_names[4];

/* Runs every check of `vmi-aot check-rom` on c (c->file, c->img, c->size set; c->native and
 * c->flavor_forced as --flavor would set them, 0 for the default).  Fills c's findings, routines,
 * and GetRelocationInfo answers (c->reloc_type / reloc_off, executed at two bases).  Returns 0
 * when there is no finding, -1 otherwise. */
int romchk_run(struct romchk *c);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
