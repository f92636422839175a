/* The parts of a ROM's assembler source that come from its routine, helper and init blocks
 * (rom_body.c), shared with the layout emitter (emit_rom.c).  Layout: docs/rom-format.md. */
#ifndef VMI_GEN_ROM_BODY_H
#define VMI_GEN_ROM_BODY_H

#include "outbuf.h"
#include "spec_model.h"

#define ROM_MAX_RELOCS 8   /* rel32 relocations of one inline body */

/* The assembler label of a block: rt_NAME for a routine, NAME for a helper, vmi_init for init. */
void rom_block_label(const struct spec_block *b, char *buf, size_t cap);

/* The call of a routine block. */
const struct spec_call *rom_block_call(const struct spec *spec, const struct spec_block *b);

/* Whether the ROM appends `ret` after the block's body: every block but the routines of
 * non-returning calls (IRET, SYSEXIT) and jump routines. */
int rom_block_returns(const struct spec *spec, const struct spec_block *b);

/* Checks the rules an emitted block must follow beyond spec_check's (an inline body declares its
 * clobbers, a variant is on the argument sites record, ...). */
int rom_block_check(const struct spec *spec, const struct spec_rom *rom, const struct spec_block *b,
                    struct spec_error *err);

/* Writes LABEL:, the body, LABEL_end: and the trailing ret.  For an inline body, each `call SYM`
 * to a symbol outside the body becomes an explicit E8 rel32 whose field is labelled LABEL_rN;
 * *nrelocs receives N.  Body lines carry line markers naming their spec line; self names the
 * generated file for the lines after them. */
int rom_emit_block(const struct spec *spec, const struct spec_block *b, const char *self,
                   struct outbuf *ob, unsigned *nrelocs, struct spec_error *err);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
