/* An output file (--json=F, --csv=F, --chart F) created as a temporary file in its directory
 * before anything is measured, so a path that cannot be written fails at once; written, then
 * renamed over F at the end, so F is never half-written.  "-" is standard output. */
#ifndef VMI_PROF_OUTFILE_H
#define VMI_PROF_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct prof_outfile {
    const char *path;          /* NULL: unused */
    char tmp[4096];            /* "" for standard output */
    int fd;
};

/* Creates path's temporary file (0 or -1 with why = "PATH: reason"). */
int prof_outfile_open(struct prof_outfile *f, const char *path, char *why, size_t cap);
/* A stream on the temporary file (or stdout); NULL when out of memory. */
FILE *prof_outfile_stream(struct prof_outfile *f);
/* Closes the temporary file without writing a stream (a chart drawn by name into f->tmp). */
void prof_outfile_close_fd(struct prof_outfile *f);
/* Renames the temporary file over path after closing stream (NULL when none); 0 or -1 with why. */
int prof_outfile_commit(struct prof_outfile *f, FILE *stream, char *why, size_t cap);
/* Removes the temporary file (a failed run). */
void prof_outfile_abort(struct prof_outfile *f);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
