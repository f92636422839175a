/* Writing a changed copy of a 32-bit ELF image: same-size rewrites of bytes in allocated
 * PROGBITS sections (site bytes, an identity record) and one added non-allocated section (e.g.
 * .vmi_aot with the original site bytes), everything else byte-identical.
 *
 * Layout of the output: the input file, byte for byte, with the patches applied and only two
 * ELF header fields changed (e_shoff, e_shnum); then, appended, a copy of the section-name table
 * with the new name added, the new section's data and a new section header table (the old one
 * plus one entry; the name table's entry points at the copy).  The old name table and old
 * header table stay where they were, unreferenced.  So no section moves, program headers and
 * every loaded byte outside the patches are unchanged, and `cmp` of the input against the
 * output's first input-size bytes shows exactly the patches and the two header fields.
 *
 * libelf is used to read (elf_image.h) and to re-read the result before it is renamed into
 * place; the bytes are laid out here, because libelf's elf_update under ELF_F_LAYOUT fills the
 * gaps it does not know about (the old tables) with zeros (measured with elfutils 0.188). */
#ifndef VMI_AOT_ELF_WRITER_H
#define VMI_AOT_ELF_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "aot_err.h"
#include "elf_image.h"

struct aot_writer {
    const struct aot_image *img;
    uint8_t *buf;           /* the output's first img->size bytes */
    char *sec_name;         /* the added section, if any */
    uint8_t *sec_data;
    size_t sec_len;
    uint32_t sec_align;
    uint32_t npatches;      /* bytes-changing patch calls so far */
};

int aot_writer_init(struct aot_writer *w, const struct aot_image *img, struct aot_err *err);
void aot_writer_free(struct aot_writer *w);

/* Replaces the len bytes at virtual address addr, which must lie inside one allocated PROGBITS
 * section.  The bytes the image held are in img->data, unchanged. */
int aot_writer_patch(struct aot_writer *w, uint32_t addr, const void *bytes, uint32_t len,
                     struct aot_err *err);

/* The current output bytes of [addr, addr + len), or NULL when that is not in an allocated
 * PROGBITS section. */
const uint8_t *aot_writer_bytes(const struct aot_writer *w, uint32_t addr, uint32_t len);

/* Adds the non-allocated SHT_PROGBITS section name with a copy of data (align: a power of two,
 * 1..4096).  One per output; the image must not already have a section of that name. */
int aot_writer_add_section(struct aot_writer *w, const char *name, const void *data, size_t len,
                           uint32_t align, struct aot_err *err);

/* Writes the output to out_path through a temporary file (without an added section the output
 * is the input with the patches, the same size), re-reads it (headers, sections, site
 * table, the added section's bytes) and renames it into place; the input is never the target.
 * mode: the new file's permissions. */
int aot_writer_write(struct aot_writer *w, const char *out_path, unsigned mode, struct aot_err *err);

#endif /* VMI_AOT_ELF_WRITER_H */
/* SPDX-License-Identifier: GPL-2.0-only */
