/* Output files written whole or not at all: the data goes to a temporary file next to the
 * destination (DEST.tmp.XXXXXX), which is flushed, synced and renamed over DEST on commit and
 * removed on abort.  A destination of NULL or "-" is standard output (commit only flushes). */
#ifndef VMI_AOT_OUTFILE_H
#define VMI_AOT_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "aot_err.h"

struct aot_outfile {
    FILE *f;                /* write here */
    char *path;             /* destination; NULL for standard output */
    char *tmp;              /* the temporary file's name */
};

int aot_outfile_open(struct aot_outfile *o, const char *path, struct aot_err *err);
/* Flushes, sets mode (when path is a file), syncs and renames. */
int aot_outfile_commit(struct aot_outfile *o, mode_t mode, struct aot_err *err);
/* Closes and removes the temporary file; nothing appears at the destination. */
void aot_outfile_abort(struct aot_outfile *o);

#endif /* VMI_AOT_OUTFILE_H */
/* SPDX-License-Identifier: GPL-2.0-only */
