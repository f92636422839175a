/* Unit headers of .debug_rnglists and .debug_loclists: see dwarf_sanity.h. */
#include "dwarf_sanity.h"

#include <elf.h>
#include <string.h>

/* What follows a .debug_rnglists or .debug_loclists unit_length (DWARF 5, sections 7.28 and
 * 7.29), the same in 32- and 64-bit DWARF; little-endian like the images read here. */
struct list_header {
    uint16_t version;
    uint8_t  address_size;
    uint8_t  segment_selector_size;
    uint32_t offset_entry_count;
} __attribute__((packed));
_Static_assert(sizeof(struct list_header) == 8, "the 8-byte header after unit_length");

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd_off(const uint8_t *p, uint64_t offsz)
{
    return offsz == 8 ? rd32(p) | (uint64_t)rd32(p + 4) << 32 : rd32(p);
}

/* libdwarf 20210528 follows an offset array entry without comparing it with the section size
 * (a DW_FORM_rnglistx entry of 0x08000004 read wild memory: tests/fuzz/regress/elf/
 * libdwarf-rnglists-offset-outside).  An entry is relative to the array's start and must name a
 * list after the array and inside the unit: body bytes follow the 8-byte header. */
static int check_offsets(const struct aot_image *img, const struct aot_section *s, uint64_t unit,
                         const uint8_t *array, uint64_t count, uint64_t offsz, uint64_t body,
                         struct aot_err *err)
{
    for (uint64_t i = 0; i < count; i++) {
        uint64_t entry = rd_off(array + i * offsz, offsz);
        if (entry < count * offsz || entry >= body)
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: offset entry %llu is "
                            "0x%llx, outside the unit's lists (0x%llx..0x%llx)", img->path,
                            s->name, (unsigned long long)unit, (unsigned long long)i,
                            (unsigned long long)entry, (unsigned long long)(count * offsz),
                            (unsigned long long)body);
    }
    return 0;
}

static int check_section(const struct aot_image *img, const struct aot_section *s,
                         struct aot_err *err)
{
    const char *p = img->path, *name = s->name;

    if (s->type == SHT_NOBITS || s->size == 0)
        return 0;
    if (s->flags & SHF_COMPRESSED)      /* libdwarf would decompress it; we cannot check it first */
        return aot_fail(err, "%s: bad DWARF: %s is compressed (SHF_COMPRESSED); vmi-aot checks "
                        "its unit headers before libdwarf reads them and reads only uncompressed "
                        "ones", p, name);
    /* read_sections() checked that the section lies inside the file */
    const uint8_t *d = img->data + s->offset;
    uint64_t size = s->size, off = 0;
    while (off < size) {
        uint64_t left = size - off, hdr = 4, offsz = 4;
        if (left < 4)
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: %llu bytes left, too "
                            "few for a unit_length", p, name, (unsigned long long)off,
                            (unsigned long long)left);
        uint64_t len = rd32(d + off);
        if (len == 0xffffffffu) {       /* 64-bit DWARF */
            if (left < 12)
                return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: %llu bytes left, "
                                "too few for a 64-bit unit_length", p, name,
                                (unsigned long long)off, (unsigned long long)left);
            len = rd32(d + off + 4) | (uint64_t)rd32(d + off + 8) << 32;
            hdr = 12;
            offsz = 8;
        } else if (len >= 0xfffffff0u) {
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: reserved unit_length "
                            "0x%llx", p, name, (unsigned long long)off, (unsigned long long)len);
        }
        if (len > left - hdr)
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: unit_length 0x%llx "
                            "runs past the end of the section (0x%llx bytes)", p, name,
                            (unsigned long long)off, (unsigned long long)len,
                            (unsigned long long)size);
        if (len < sizeof(struct list_header))
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: unit_length %llu is "
                            "shorter than the 8-byte header after it", p, name,
                            (unsigned long long)off, (unsigned long long)len);
        const uint8_t *u = d + off + hdr;
        struct list_header h;
        memcpy(&h, u, sizeof h);
        unsigned version = h.version, asize = h.address_size, ssize = h.segment_selector_size;
        uint64_t count = h.offset_entry_count;
        if (version != 5)
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: version %u, expected 5",
                            p, name, (unsigned long long)off, version);
        if (asize != 4)
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: address size %u, "
                            "expected 4 (a 32-bit image)", p, name, (unsigned long long)off, asize);
        if (ssize != 0)
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: segment selector size "
                            "%u, expected 0", p, name, (unsigned long long)off, ssize);
        if (count * offsz > len - 8)
            return aot_fail(err, "%s: bad DWARF: %s unit at offset 0x%llx: offset_entry_count %llu "
                            "(%llu bytes) does not fit the unit's %llu bytes after its header", p,
                            name, (unsigned long long)off, (unsigned long long)count,
                            (unsigned long long)(count * offsz), (unsigned long long)(len - 8));
        if (check_offsets(img, s, off, u + sizeof h, count, offsz, len - sizeof h, err) != 0)
            return -1;
        off += hdr + len;
    }
    return 0;
}

int aot_dwarf_sanity(const struct aot_image *img, struct aot_err *err)
{
    /* the split-DWARF names too: libdwarf opens them with DW_GROUPNUMBER_ANY */
    static const char *const names[] = { ".debug_rnglists", ".debug_loclists",
                                         ".debug_rnglists.dwo", ".debug_loclists.dwo" };
    for (size_t i = 1; i < img->nsecs; i++) {
        const char *n = img->secs[i].name;
        if (strncmp(n, ".zdebug_rnglists", 16) == 0 || strncmp(n, ".zdebug_loclists", 16) == 0)
            return aot_fail(err, "%s: bad DWARF: %s is compressed (.zdebug); vmi-aot checks its "
                            "unit headers before libdwarf reads them and reads only uncompressed "
                            "ones", img->path, n);
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (strcmp(n, names[k]) == 0 && check_section(img, &img->secs[i], err) != 0)
                return -1;
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
