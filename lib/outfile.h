/* Output files written whole or not at all: the data goes to a temporary file next to the
 * destination (DEST.tmp.XXXXXX), which is flushed, synced and renamed over DEST on commit and
 * removed on abort.  A destination of NULL or "-" is standard output (commit only flushes).
 * Opening creates the temporary file at once, so a tool can open its outputs before a long
 * measurement and refuse a path that cannot be written before spending the time. */
#ifndef VMI_AOT_OUTFILE_H
#define VMI_AOT_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "aot_err.h"

/* All zero: an output never opened (aborting it does nothing). */
struct aot_outfile {
    FILE *f;                /* write here; NULL once aot_outfile_by_name gave the name */
    char *path;             /* destination; NULL for standard output */
    char *tmp;              /* the temporary file's name */
};

/* A destination that is a directory is refused here, not at the rename. */
int aot_outfile_open(struct aot_outfile *o, const char *path, struct aot_err *err);
/* For a writer that takes a file name (cairo): closes the stream (nothing written through it yet)
 * and returns the temporary file's name to write into, committed or aborted as usual; NULL when
 * the destination is standard output. */
const char *aot_outfile_by_name(struct aot_outfile *o);
/* Flushes, sets mode (when path is a file), syncs and renames. */
int aot_outfile_commit(struct aot_outfile *o, mode_t mode, struct aot_err *err);
/* The mode a plain fopen would give a new file: 0666 less the umask. */
mode_t aot_outfile_mode(void);
/* Closes and removes the temporary file; nothing appears at the destination. */
void aot_outfile_abort(struct aot_outfile *o);

#endif /* VMI_AOT_OUTFILE_H */
/* SPDX-License-Identifier: GPL-2.0-only */
