/* A growable text buffer for the emitters, written out all at once: to a temporary file beside the
 * target, then renamed over it, so that a failed run never leaves a half-written output. */
#ifndef VMI_OUTBUF_H
#define VMI_OUTBUF_H

#include <stddef.h>

struct outbuf {
    char *data;
    size_t len;
    size_t cap;
    int failed;   /* an allocation failed; the buffer is unusable */
};

void ob_printf(struct outbuf *ob, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ob_free(struct outbuf *ob);
/* Returns 0, or -1 with a message in why[]. */
int ob_write_file(const struct outbuf *ob, const char *path, char *why, size_t why_cap);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
