/* Output files through a temporary file in the target directory (prof_outfile.h). */
#define _GNU_SOURCE
#include "prof_outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int prof_outfile_open(struct prof_outfile *f, const char *path, char *why, size_t cap)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    f->fd = -1;
    if (strcmp(path, "-") == 0)
        return 0;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(why, cap, "%s: cannot write: is a directory", path);
        return -1;
    }
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    int n = snprintf(f->tmp, sizeof f->tmp, "%.*s.%s.tmp.XXXXXX", dirlen, path,
                     slash ? slash + 1 : path);
    if (n < 0 || (size_t)n >= sizeof f->tmp) {
        snprintf(why, cap, "%s: cannot write: the name is too long", path);
        f->tmp[0] = 0;
        return -1;
    }
    f->fd = mkstemp(f->tmp);
    if (f->fd < 0) {
        snprintf(why, cap, "%s: cannot write: %s", path, strerror(errno));
        f->tmp[0] = 0;
        return -1;
    }
    /* mkstemp makes it 0600; the result gets what a plain fopen would give it */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(f->fd, 0666 & ~mask) != 0) {
        snprintf(why, cap, "%s: cannot write: %s", path, strerror(errno));
        prof_outfile_abort(f);
        return -1;
    }
    return 0;
}

FILE *prof_outfile_stream(struct prof_outfile *f)
{
    if (!f->tmp[0])
        return stdout;
    FILE *s = fdopen(f->fd, "w");
    if (s)
        f->fd = -1;            /* the stream owns it now */
    return s;
}

void prof_outfile_close_fd(struct prof_outfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

int prof_outfile_commit(struct prof_outfile *f, FILE *stream, char *why, size_t cap)
{
    int bad = 0;
    if (stream && stream == stdout) {
        if (fflush(stdout) == 0)
            return 0;
        snprintf(why, cap, "standard output: %s", strerror(errno));
        return -1;
    }
    if (stream)
        bad = (ferror(stream) | fclose(stream)) != 0;
    prof_outfile_close_fd(f);
    if (bad || rename(f->tmp, f->path) != 0) {
        snprintf(why, cap, "%s: %s", f->path, bad ? "write error" : strerror(errno));
        prof_outfile_abort(f);
        return -1;
    }
    f->tmp[0] = 0;
    return 0;
}

void prof_outfile_abort(struct prof_outfile *f)
{
    prof_outfile_close_fd(f);
    if (f->tmp[0])
        unlink(f->tmp);
    f->tmp[0] = 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
