/* A set of spec files read as one spec, in whatever order they are given (gen/spec_files.c). */
#ifndef VMI_GEN_SPEC_FILES_H
#define VMI_GEN_SPEC_FILES_H

#include "spec_model.h"

/* Parses the n files into spec in the canonical order: by file name (then path), except that a
 * file that fails is put off and tried again after the others, so that a file naming what another
 * defines (spec/native.vmi, the calls of spec/calls.vmi) may come anywhere on the command line.
 * The order read is the order of spec->files (the generated files' banners), so the same files
 * in any order give byte-identical outputs.  When some file fails even after all the others were
 * read, err holds its error (the first such file in the order given) and -1 is returned. */
int spec_parse_files(struct spec *spec, const char *const paths[], unsigned n,
                     struct spec_error *err);

/* The *.vmi files of dir, sorted by name, into paths[] (each malloc'd; up to max). Returns how
 * many, or -1 with err set (dir unreadable, no .vmi file in it, or more than max). */
int spec_dir_files(const char *dir, char *paths[], unsigned max, struct spec_error *err);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
