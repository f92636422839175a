/* The ELF side of vmi-aot: opens a linked 32-bit i386 ELF image (ET_EXEC or ET_DYN) read-only,
 * validates its headers and its VMI call-site table (section vmi_sites, struct vmi_site records,
 * docs/site-table.md) and gives the sites sorted by address, with their bytes, sections and
 * containing functions (from the ELF symbol table).
 *
 * The file is mapped privately: nothing here ever writes to it.  Every check failure is an
 * error value: aot_image_open() returns -1 with one line in err naming the file and what/where
 * is wrong.  Reading only; rewriting is elf_writer.h. */
#ifndef VMI_AOT_ELF_IMAGE_H
#define VMI_AOT_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "aot_err.h"

struct Elf;     /* libelf's handle (gelf.h); only elf_image.c and its users that need it include it */
struct aot_linux;   /* linux_image.h: a Linux kernel's pv sites */

struct aot_section {
    const char *name;       /* never NULL; "" when the name can't be read */
    uint32_t index;         /* section header index */
    uint32_t type;          /* SHT_* */
    uint32_t flags;         /* SHF_* */
    uint32_t addr;          /* sh_addr */
    uint32_t offset;        /* sh_offset */
    uint32_t size;          /* sh_size */
};

struct aot_site {
    uint32_t addr;          /* virtual address of the site's first byte: record address + offset */
    uint32_t offset;        /* file offset of that byte */
    uint32_t rec_addr;      /* virtual address of its record in vmi_sites */
    uint32_t rec_index;     /* position of the record in vmi_sites, from 0 */
    uint32_t const_value;   /* meaningful when flags has VMI_SITE_CONST */
    uint32_t section;       /* index of the executable section that holds the site */
    uint8_t call;           /* VMI_CALL_*, a defined call */
    uint8_t len;            /* bytes, equal to the call's reserve */
    uint8_t clobbers;       /* VMI_CLOBBER_* the site allows */
    uint8_t flags;          /* VMI_SITE_* */
};

struct aot_func {
    uint32_t addr, size;    /* a sized STT_FUNC symbol */
    const char *name;
};

struct aot_image {
    char *path;             /* as given to aot_image_open, for messages */
    int fd;                 /* read-only */
    uint8_t *data;          /* the whole file, mapped privately */
    size_t size;
    struct Elf *elf;        /* libelf handle over data */
    uint16_t type;          /* ET_EXEC or ET_DYN */
    uint32_t entry;
    struct aot_section *secs;       /* all section headers, by index */
    size_t nsecs;
    size_t shstrndx;                /* the section-name table's index (extended numbering resolved) */
    const struct aot_section *site_table;   /* vmi_sites; NULL only with AOT_OPEN_NO_SITES */
    struct aot_site *sites;         /* sorted by address, non-overlapping */
    size_t nsites;
    struct aot_func *funcs;         /* sorted by address, then larger first, then name */
    size_t nfuncs;
    unsigned open_flags;            /* as given to aot_image_open */
    /* AOT_OPEN_LINUX and a Linux kernel: its pv sites are the sites (site_table is
     * .parainstructions, each site's call a VMI_CALL_* or VMI_NO_CALL); else NULL */
    struct aot_linux *lx;
};

/* aot_image_open flags */
#define AOT_OPEN_NO_SITES   0x1     /* an image without vmi_sites is fine (nsites = 0) */
#define AOT_OPEN_LINUX      0x2     /* no vmi_sites but .parainstructions: a Linux kernel's pv
                                     * sites (linux_image.h) */

/* Opens and validates path.  On success fills *img (release with aot_image_close) and returns 0.
 * On failure returns -1, leaves img closed and err holding "PATH: what (where)".  Checks: ELF
 * magic, 32-bit, little-endian, i386, linked (not ET_REL), header tables and every section inside
 * the file, vmi_sites present (unless AOT_OPEN_NO_SITES), allocated, a whole number of records;
 * each record's call defined, its length at least the native sequence (and 1), flags known, its site inside one
 * executable PROGBITS section; no two sites overlapping. */
int aot_image_open(struct aot_image *img, const char *path, unsigned flags, struct aot_err *err);
void aot_image_close(struct aot_image *img);

/* The section named name, or NULL (the first when several share the name). */
const struct aot_section *aot_image_find_section(const struct aot_image *img, const char *name);

/* The PROGBITS section whose address range holds [addr, addr + len) and has all of need_flags
 * (SHF_*), or NULL. */
const struct aot_section *aot_image_section_at(const struct aot_image *img, uint32_t addr,
                                               uint32_t len, uint32_t need_flags);

/* The file bytes of [addr, addr + len) in a PROGBITS allocated section, or NULL. */
const uint8_t *aot_image_bytes(const struct aot_image *img, uint32_t addr, uint32_t len);

/* The bytes of a site (len bytes). */
static inline const uint8_t *aot_site_bytes(const struct aot_image *img, const struct aot_site *s)
{
    return img->data + s->offset;
}

/* The sized STT_FUNC symbol that contains addr, or NULL. */
const struct aot_func *aot_image_func_at(const struct aot_image *img, uint32_t addr);

/* The site whose bytes contain addr, or NULL. */
const struct aot_site *aot_image_site_at(const struct aot_image *img, uint32_t addr);

/* A symbol found by name. */
struct aot_symbol {
    uint32_t value;         /* st_value: the address in a linked image */
    uint32_t size;          /* st_size */
    uint32_t shndx;         /* section index (SHN_ABS etc. as in the table) */
    uint8_t type, bind;     /* STT_*, STB_* */
};

/* Looks name up in .symtab (else .dynsym): a defined global or weak symbol is preferred, else a
 * defined local one (the first in table order).  Returns 1 and fills *out when found, 0 when the
 * image has no defined symbol of that name, -1 with err when the table cannot be read or two
 * defined global symbols share the name. */
int aot_image_symbol(const struct aot_image *img, const char *name, struct aot_symbol *out,
                     struct aot_err *err);

/* The call's name ("DisableInterrupts"), or NULL for an undefined number. */
const char *aot_call_name(unsigned call);

#endif /* VMI_AOT_ELF_IMAGE_H */
/* SPDX-License-Identifier: GPL-2.0-only */
