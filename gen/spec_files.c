/* The spec files read as one spec whatever order the command line gives them in
 * (gen/spec_files.h): a canonical order, and a file that names what a later file defines put off
 * until that file has been read. */
#include "spec_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int by_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = strcmp(base_name(x), base_name(y));
    return c ? c : strcmp(x, y);
}

/* Undoes a failed file: frees the ROM bodies it added, then restores the spec as it was before. */
static void spec_restore(struct spec *spec, const struct spec *saved)
{
    for (unsigned r = 0; r < spec->nroms; r++) {
        unsigned kept = r < saved->nroms ? saved->roms[r].nblocks : 0;
        for (unsigned b = kept; b < spec->roms[r].nblocks; b++)
            free(spec->roms[r].blocks[b].text);
    }
    memcpy(spec, saved, sizeof *spec);
}

/* Tries the files not yet read (todo[i] != NULL) once each, in order; returns how many it read. */
static unsigned parse_round(struct spec *spec, struct spec *saved, const char *todo[], unsigned n,
                            struct spec_error *errs)
{
    unsigned done = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!todo[i])
            continue;
        memcpy(saved, spec, sizeof *spec);
        if (spec_parse_file(spec, todo[i], &errs[i]) == 0) {
            todo[i] = NULL;
            done++;
        } else {
            spec_restore(spec, saved);
        }
    }
    return done;
}

int spec_parse_files(struct spec *spec, const char *const paths[], unsigned n,
                     struct spec_error *err)
{
    const char **todo = calloc(n ? n : 1, sizeof *todo);
    struct spec_error *errs = calloc(n ? n : 1, sizeof *errs);
    struct spec *saved = malloc(sizeof *saved);
    struct spec_pos nowhere = { "vmi-gen", 0, 0 };
    if (!todo || !errs || !saved) {
        free(todo);
        free(errs);
        free(saved);
        spec_set_error(err, nowhere, "out of memory");
        return -1;
    }
    memcpy(todo, paths, n * sizeof *todo);
    qsort(todo, n, sizeof *todo, by_name);
    for (unsigned i = 1; i < n; i++)
        if (strcmp(todo[i - 1], todo[i]) == 0) {
            struct spec_pos twice = { todo[i], 0, 0 };
            spec_set_error(err, twice, "given twice");
            free(todo);
            free(errs);
            free(saved);
            return -1;
        }
    unsigned left = n;
    for (unsigned got; left > 0 && (got = parse_round(spec, saved, todo, n, errs)) > 0;)
        left -= got;
    int rc = 0;
    for (unsigned i = 0; left > 0 && i < n && rc == 0; i++)   /* report in the order given */
        for (unsigned j = 0; j < n; j++)
            if (todo[j] && strcmp(todo[j], paths[i]) == 0) {
                *err = errs[j];
                rc = -1;
                break;
            }
    free(todo);
    free(errs);
    free(saved);
    return rc;
}

int spec_dir_files(const char *dir, char *paths[], unsigned max, struct spec_error *err)
{
    struct spec_pos pos = { dir, 0, 0 };
    DIR *d = opendir(dir);
    if (!d) {
        spec_set_error(err, pos, "cannot read the spec directory: %s", strerror(errno));
        return -1;
    }
    unsigned n = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || strcmp(e->d_name + len - 4, ".vmi") != 0 || e->d_name[0] == '.')
            continue;
        size_t need = strlen(dir) + 1 + len + 1;
        if (n == max) {
            spec_set_error(err, pos, "more than %u spec files", max);
            rc = -1;
        } else if (!(paths[n] = malloc(need))) {
            spec_set_error(err, pos, "out of memory");
            rc = -1;
        } else {
            snprintf(paths[n++], need, "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    if (rc == 0 && n == 0) {
        spec_set_error(err, pos, "no .vmi spec file in the directory");
        rc = -1;
    }
    if (rc < 0) {
        while (n)
            free(paths[--n]);
        return -1;
    }
    qsort(paths, n, sizeof *paths, by_name);
    return (int)n;
}
/* SPDX-License-Identifier: GPL-2.0-only */
