/* Whole-or-nothing output files: see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int aot_outfile_open(struct aot_outfile *o, const char *path, struct aot_err *err)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return aot_fail(err, "%s: cannot write: is a directory", path);
    size_t n = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(n + sizeof ".tmp.XXXXXX");
    if (!o->path || !o->tmp) {
        aot_outfile_abort(o);
        return aot_fail(err, "%s: out of memory", path);
    }
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        aot_outfile_abort(o);
        return aot_fail(err, "%s: cannot create a temporary file next to it: %s", path, strerror(e));
    }
    o->f = fdopen(fd, "w");
    if (!o->f) {
        close(fd);
        aot_outfile_abort(o);
        return aot_fail(err, "%s: cannot open the temporary file: %s", path, strerror(errno));
    }
    setvbuf(o->f, NULL, _IOFBF, 1 << 20);
    return 0;
}

const char *aot_outfile_by_name(struct aot_outfile *o)
{
    if (!o->tmp)
        return NULL;
    if (o->f)
        fclose(o->f);           /* nothing was written: nothing to lose */
    o->f = NULL;
    return o->tmp;
}

mode_t aot_outfile_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* The temporary file written by name (aot_outfile_by_name): its mode set and its data synced
 * through a descriptor of its own.  0, or -1 with errno. */
static int sync_by_name(const char *tmp, mode_t mode)
{
    int fd = open(tmp, O_RDONLY);
    if (fd < 0)
        return -1;
    int bad = fchmod(fd, mode) != 0 || fsync(fd) != 0;
    int e = errno;
    close(fd);
    errno = e;
    return bad ? -1 : 0;
}

int aot_outfile_commit(struct aot_outfile *o, mode_t mode, struct aot_err *err)
{
    if (!o->path) {
        if (o->f && (fflush(o->f) != 0 || ferror(o->f)))
            return aot_fail(err, "standard output: write error: %s", strerror(errno));
        return 0;
    }
    int bad, e;
    if (!o->f) {
        bad = sync_by_name(o->tmp, mode) != 0;
        e = errno;
    } else {
        bad = fflush(o->f) != 0 || ferror(o->f) || fchmod(fileno(o->f), mode) != 0 ||
              fsync(fileno(o->f)) != 0;
        e = errno;
        if (fclose(o->f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        o->f = NULL;
    }
    if (!bad && rename(o->tmp, o->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        aot_fail(err, "%s: cannot write: %s", o->path, strerror(e));
        aot_outfile_abort(o);
        return -1;
    }
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
    return 0;
}

void aot_outfile_abort(struct aot_outfile *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
/* SPDX-License-Identifier: GPL-2.0-only */
