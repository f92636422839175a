/* The ELF image writer: see elf_writer.h. */
#include "elf_writer.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

int aot_writer_init(struct aot_writer *w, const struct aot_image *img, struct aot_err *err)
{
    memset(w, 0, sizeof *w);
    w->img = img;
    w->buf = malloc(img->size);
    if (!w->buf)
        return aot_fail(err, "%s: out of memory for a %zu-byte copy", img->path, img->size);
    memcpy(w->buf, img->data, img->size);
    return 0;
}

void aot_writer_free(struct aot_writer *w)
{
    free(w->buf);
    free(w->sec_name);
    free(w->sec_data);
    memset(w, 0, sizeof *w);
}

int aot_writer_patch(struct aot_writer *w, uint32_t addr, const void *bytes, uint32_t len,
                     struct aot_err *err)
{
    const struct aot_section *s = aot_image_section_at(w->img, addr, len, SHF_ALLOC);
    if (!s)
        return aot_fail(err, "%s: cannot patch 0x%08x..0x%08llx: not inside one allocated "
                        "PROGBITS section", w->img->path, addr, (unsigned long long)addr + len);
    uint8_t *p = w->buf + s->offset + (addr - s->addr);
    if (memcmp(p, bytes, len) != 0) {
        memcpy(p, bytes, len);
        w->npatches++;
    }
    return 0;
}

const uint8_t *aot_writer_bytes(const struct aot_writer *w, uint32_t addr, uint32_t len)
{
    const struct aot_section *s = aot_image_section_at(w->img, addr, len, SHF_ALLOC);
    return s ? w->buf + s->offset + (addr - s->addr) : NULL;
}

int aot_writer_add_section(struct aot_writer *w, const char *name, const void *data, size_t len,
                           uint32_t align, struct aot_err *err)
{
    if (w->sec_name)
        return aot_fail(err, "%s: the writer adds one section; %s is already added", w->img->path,
                        w->sec_name);
    if (!*name || strlen(name) > 255)
        return aot_fail(err, "%s: bad name for an added section", w->img->path);
    if (aot_image_find_section(w->img, name))
        return aot_fail(err, "%s: already has a section named %s (was it written by vmi-aot?)",
                        w->img->path, name);
    if (!align || (align & (align - 1)) || align > 4096)
        return aot_fail(err, "%s: section alignment %u is not a power of two up to 4096",
                        w->img->path, align);
    if (len > 0x7fffffff)
        return aot_fail(err, "%s: %zu bytes is too large for an added section", w->img->path, len);
    w->sec_name = strdup(name);
    w->sec_data = malloc(len ? len : 1);
    if (!w->sec_name || !w->sec_data) {
        free(w->sec_name);
        free(w->sec_data);
        w->sec_name = NULL;
        w->sec_data = NULL;
        return aot_fail(err, "%s: out of memory", w->img->path);
    }
    if (len)
        memcpy(w->sec_data, data, len);
    w->sec_len = len;
    w->sec_align = align;
    return 0;
}

static int put(FILE *f, const void *p, size_t n)
{
    return n == 0 || fwrite(p, 1, n, f) == n ? 0 : -1;
}

static int pad_to(FILE *f, uint64_t *pos, uint64_t align)
{
    static const uint8_t zeros[4096];
    uint64_t to = (*pos + align - 1) & ~(align - 1);
    int rc = put(f, zeros, (size_t)(to - *pos));
    *pos = to;
    return rc;
}

/* Reads the written temporary file back like any input and checks the layout promise: the
 * input's bytes (patched) are the output's prefix except e_shoff / e_shnum, the sections are the
 * input's, in place, plus the added one with its bytes. */
static int reread(const struct aot_writer *w, const char *tmp, struct aot_err *err)
{
    struct aot_image out;
    struct aot_err e2;
    const struct aot_image *in = w->img;
    unsigned flags = in->site_table ? (in->open_flags & AOT_OPEN_LINUX) : AOT_OPEN_NO_SITES;
    if (aot_image_open(&out, tmp, flags, &e2) != 0)
        return aot_fail(err, "vmi-aot wrote an image it cannot read back (%s)", e2.msg);
    int bad = 0;
    size_t extra = w->sec_name ? 1 : 0;
    Elf32_Ehdr a, b;
    memcpy(&a, w->buf, sizeof a);
    memcpy(&b, out.data, sizeof b);
    a.e_shoff = b.e_shoff;
    a.e_shnum = b.e_shnum;
    if (out.size < in->size || memcmp(&a, &b, sizeof a) != 0 ||
        memcmp(out.data + sizeof a, w->buf + sizeof a, in->size - sizeof a) != 0)
        bad = aot_fail(err, "%s: the written image does not start with the input's bytes", tmp);
    else if (out.nsecs != in->nsecs + extra || out.nsites != in->nsites)
        bad = aot_fail(err, "%s: read back %zu sections and %zu sites, expected %zu and %zu", tmp,
                       out.nsecs, out.nsites, in->nsecs + extra, in->nsites);
    for (size_t i = 0; !bad && i < in->nsecs; i++) {
        const struct aot_section *x = &in->secs[i], *y = &out.secs[i];
        if (strcmp(x->name, y->name) || x->type != y->type || x->flags != y->flags ||
            x->addr != y->addr || (i != in->shstrndx && (x->offset != y->offset ||
                                                         x->size != y->size)))
            bad = aot_fail(err, "%s: section [%zu] %s reads back changed", tmp, i, x->name);
    }
    if (!bad && w->sec_name) {
        const struct aot_section *n = &out.secs[in->nsecs];
        const struct aot_section *st = &out.secs[in->shstrndx];
        if (strcmp(n->name, w->sec_name) || n->size != w->sec_len || n->flags & SHF_ALLOC ||
            memcmp(out.data + n->offset, w->sec_data, w->sec_len) ||
            memcmp(out.data + st->offset, in->data + in->secs[in->shstrndx].offset,
                   in->secs[in->shstrndx].size))
            bad = aot_fail(err, "%s: the added section %s reads back wrong", tmp, w->sec_name);
    }
    aot_image_close(&out);
    return bad;
}

/* The output must not be the input, reached by another name: the input stays untouched. */
static int check_not_input(const struct aot_image *img, const char *out_path, struct aot_err *err)
{
    struct stat so, si;

    if (stat(out_path, &so) == 0 && fstat(img->fd, &si) == 0 && si.st_dev == so.st_dev &&
        si.st_ino == so.st_ino)
        return aot_fail(err, "%s: is the input image; vmi-aot never modifies its input", out_path);
    return 0;
}

/* After the image's bytes at *pos: the section-name table copied with the new name appended,
 * then the new section's data; sh (nsecs + 1 headers) describes both.  Nonzero when a write
 * failed. */
static int write_added_section(const struct aot_writer *w, FILE *f, Elf32_Shdr *sh,
                               uint64_t *pos)
{
    const struct aot_image *img = w->img;
    size_t nsecs = img->nsecs, strndx = img->shstrndx;
    const struct aot_section *st = &img->secs[strndx];
    uint32_t name_off = st->size;
    int bad = 0;

    sh[strndx].sh_offset = (Elf32_Off)*pos;
    sh[strndx].sh_size = st->size + (uint32_t)strlen(w->sec_name) + 1;
    bad |= put(f, img->data + st->offset, st->size);
    bad |= put(f, w->sec_name, strlen(w->sec_name) + 1);
    *pos += sh[strndx].sh_size;
    bad |= pad_to(f, pos, w->sec_align);
    Elf32_Shdr *n = &sh[nsecs];
    n->sh_name = name_off;
    n->sh_type = SHT_PROGBITS;
    n->sh_offset = (Elf32_Off)*pos;
    n->sh_size = (Elf32_Word)w->sec_len;
    n->sh_addralign = w->sec_align;
    bad |= put(f, w->sec_data, w->sec_len);
    *pos += w->sec_len;
    return bad;
}

/* The nout section headers at the end, then the ELF header rewritten at the start now that
 * e_shoff and e_shnum are known.  Nonzero when a write failed or the file would pass 4 GiB. */
static int write_section_headers(FILE *f, Elf32_Ehdr *eh, Elf32_Shdr *sh, size_t nout,
                                 uint64_t *pos)
{
    int bad = pad_to(f, pos, 4);

    if (*pos > 0xffffffffull - nout * sizeof *sh)
        return 1;
    eh->e_shoff = (Elf32_Off)*pos;
    if (eh->e_shnum == 0 || nout >= SHN_LORESERVE) {   /* extended numbering */
        eh->e_shnum = 0;
        sh[0].sh_size = (Elf32_Word)nout;
    } else {
        eh->e_shnum = (Elf32_Half)nout;
    }
    bad |= put(f, sh, nout * sizeof *sh);
    *pos += nout * sizeof *sh;
    bad |= fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0;
    bad |= put(f, eh, sizeof *eh);
    bad |= fflush(f) != 0 || fseek(f, 0, SEEK_END) != 0;
    return bad;
}

/* Phases: the output checked not to be the input, the image's bytes with the patches written to
 * a temporary file, then (with a section added) the name table, the section and the headers;
 * the file read back and checked, then renamed into place. */
int aot_writer_write(struct aot_writer *w, const char *out_path, unsigned mode, struct aot_err *err)
{
    const struct aot_image *img = w->img;
    struct aot_outfile of;
    Elf32_Ehdr eh;

    if (check_not_input(img, out_path, err) != 0)
        return -1;
    memcpy(&eh, w->buf, sizeof eh);
    size_t nsecs = img->nsecs, strndx = img->shstrndx;
    if (w->sec_name && (strndx == 0 || strndx >= nsecs || img->secs[strndx].type != SHT_STRTAB))
        return aot_fail(err, "%s: no section-name string table to add %s to", img->path,
                        w->sec_name);

    /* The section headers, as in the input. */
    size_t nout = nsecs + (w->sec_name ? 1 : 0);
    Elf32_Shdr *sh = calloc(nout, sizeof *sh);
    if (!sh)
        return aot_fail(err, "%s: out of memory", img->path);
    memcpy(sh, img->data + eh.e_shoff, nsecs * sizeof *sh);

    if (aot_outfile_open(&of, out_path, err) != 0) {
        free(sh);
        return -1;
    }
    uint64_t pos = img->size;
    int bad = put(of.f, w->buf, img->size);     /* header rewritten below, once known */
    if (w->sec_name) {                          /* else patches only: same size, same tables */
        bad |= write_added_section(w, of.f, sh, &pos);
        bad |= write_section_headers(of.f, &eh, sh, nout, &pos);
    }
    free(sh);
    if (bad || ferror(of.f)) {
        int e = errno;
        aot_outfile_abort(&of);
        return aot_fail(err, "%s: write failed: %s", out_path, e ? strerror(e) : "output too large");
    }
    if (fflush(of.f) != 0 || reread(w, of.tmp, err) != 0) {
        aot_outfile_abort(&of);
        return -1;
    }
    return aot_outfile_commit(&of, (mode_t)mode, err);
}
/* SPDX-License-Identifier: GPL-2.0-only */
