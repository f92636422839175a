#include "outbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ob_printf(struct outbuf *ob, const char *fmt, ...)
{
    if (ob->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(ob->data ? ob->data + ob->len : NULL, ob->data ? ob->cap - ob->len : 0,
                          fmt, ap);
        va_end(ap);
        if (n < 0) {
            ob->failed = 1;
            return;
        }
        if (ob->data && ob->len + (size_t)n < ob->cap) {
            ob->len += (size_t)n;
            return;
        }
        size_t cap = ob->cap ? ob->cap : 4096;
        while (cap <= ob->len + (size_t)n)
            cap *= 2;
        char *t = realloc(ob->data, cap);
        if (!t) {
            ob->failed = 1;
            return;
        }
        ob->data = t;
        ob->cap = cap;
    }
}

void ob_free(struct outbuf *ob)
{
    free(ob->data);
    ob->data = NULL;
    ob->len = ob->cap = 0;
}

int ob_write_file(const struct outbuf *ob, const char *path, char *why, size_t why_cap)
{
    if (ob->failed) {
        snprintf(why, why_cap, "out of memory");
        return -1;
    }
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        snprintf(why, why_cap, "path too long");
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(why, why_cap, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    size_t put = ob->len ? fwrite(ob->data, 1, ob->len, f) : 0;
    int bad = put != ob->len;
    bad |= fflush(f) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        snprintf(why, why_cap, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
