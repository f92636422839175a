/* Checks libdwarf does not do safely: the unit headers of .debug_rnglists and .debug_loclists.
 *
 * libdwarf 20210528 (Debian 12) frees a buffer twice when a .debug_rnglists unit has address
 * size 0 (tests/fuzz/regress/elf/libdwarf-rnglists-address-size-0) and reads wild memory
 * through an offset array entry that points outside the section (libdwarf-rnglists-offset-
 * outside), and it loads these sections while reading the first compile-unit header, before
 * vmi-aot can look at anything.  So
 * aot_dwarf_open() calls this on the image's own bytes first, and refuses the image's DWARF when
 * a unit header is malformed.  DWARF 5 sections 7.28 and 7.29: each unit is unit_length (4 bytes,
 * or 0xffffffff and 8 bytes for 64-bit DWARF), version 5, address_size, segment_selector_size,
 * offset_entry_count, then the offset array and the lists; the units tile the section. */
#ifndef VMI_AOT_DWARF_SANITY_H
#define VMI_AOT_DWARF_SANITY_H

#include "aot_err.h"
#include "elf_image.h"

/* 0 when every .debug_rnglists and .debug_loclists unit header of img is well-formed (version 5,
 * address size 4, segment selector size 0, offset array inside the unit, each of its entries
 * naming a place after the array inside the unit, units exactly tiling the section) or the sections are absent; -1 with err "PATH: bad DWARF: SECTION unit at offset
 * 0x..: what" otherwise.  Only the headers are read; the lists themselves are libdwarf's. */
int aot_dwarf_sanity(const struct aot_image *img, struct aot_err *err);

#endif /* VMI_AOT_DWARF_SANITY_H */
/* SPDX-License-Identifier: GPL-2.0-only */
