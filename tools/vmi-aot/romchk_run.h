/* check-rom's whole run, for the subcommands that must refuse a ROM check-rom refuses
 * (specialize, verify).  Defined in cmd_check_rom.c (the ROM checker's file). */
#ifndef VMI_AOT_ROMCHK_RUN_H
#define VMI_AOT_ROMCHK_RUN_H

#include "romchk.h"

/* Runs every check of `vmi-aot check-rom` on c (c->file, c->img, c->size set; c->native and
 * c->flavor_forced as --flavor would set them, 0 for the default).  Fills c's findings, routines,
 * and GetRelocationInfo answers (c->reloc_type / reloc_off, executed at two bases).  Returns 0
 * when there is no finding, -1 otherwise. */
int romchk_run(struct romchk *c);

#endif
