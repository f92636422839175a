/* The generator's outputs, each built from a checked spec into a text buffer. */
#ifndef VMI_GEN_EMIT_H
#define VMI_GEN_EMIT_H

#include <stdio.h>

#include "outbuf.h"
#include "spec_model.h"

/* include/vmi_abi.h: constants, call numbers, layouts and the call metadata table. */
void emit_header(const struct spec *spec, struct outbuf *ob);

/* vmi_glue.h: the C call-site functions and the assembler site macros. */
void emit_glue(const struct spec *spec, struct outbuf *ob);

/* The assembler source of one ROM flavor (emit_rom.c); returns -1 with err set when a routine
 * cannot be emitted. */
int emit_rom(const struct spec *spec, const struct spec_rom *rom, struct outbuf *ob,
             struct spec_error *err);

/* include/vmi_linux.h: the Linux consumer profile's tables (emit_linux.c). */
void emit_linux_header(const struct spec *spec, struct outbuf *ob);

/* A table of the ABI for people: one line per call. */
void emit_summary(const struct spec *spec, FILE *out);

/* "spec/abi.vmi spec/calls.vmi ..." for the generated files' banners. */
void emit_banner(const struct spec *spec, struct outbuf *ob, const char *comment_open,
                 const char *comment_close);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
