/* Synthetic VMI ROM images for the inliner's unit tests: a vrom_header, PCI and PnP headers, a
 * license, one 16-byte routine slot per call, inline bodies with relocations, and the checksum. */
#ifndef ROMGEN_H
#define ROMGEN_H

#include <stdint.h>
#include "vmi_inliner.h"

#define ROMGEN_SIZE      0x2000u     /* 16 blocks */
#define ROMGEN_ROUTINES  0x0200u     /* call N's routine at ROMGEN_ROUTINES + 16 * N */
#define ROMGEN_BODIES    0x0800u
#define ROMGEN_PCI       0x00a0u
#define ROMGEN_PNP       0x00c0u
#define ROMGEN_LICENSE   0x0090u
#define ROMGEN_VTOP      0xfc000000u

struct romgen_reloc {
    uint8_t  offset;        /* of the rel32 field in the body */
    uint32_t target;        /* ROM offset (or, with absolute, a linear address) it must reach */
    int      absolute;
};

struct romgen_body {
    uint8_t  call;
    uint8_t  clobbers;
    uint8_t  variant;       /* 1: VMI_INLINE_VARIANT */
    uint8_t  arg;
    uint32_t value;
    uint8_t  len;
    uint8_t  bytes[64];
    uint8_t  nrel;
    struct romgen_reloc rel[8];
};

struct romgen_spec {
    uint8_t  minor;                 /* api_version_min: 1 carries the inline extension */
    int      no_inline_ptr;         /* leave 0x20 empty */
    const struct romgen_body *bodies;
    int      nbodies;
};

/* Lays the ROM out in img (ROMGEN_SIZE bytes); base is the linear address it will be mapped at
 * (needed for absolute relocation targets).  Returns the offset of the inline table (0 if none). */
uint32_t romgen_build(uint8_t *img, uint32_t base, const struct romgen_spec *spec);

/* Makes the 8-bit sum of the ROM zero again after a test edited it. */
void romgen_fix_checksum(uint8_t *img);

/* The routine address GetRelocationInfo reports for a call. */
static inline uint32_t romgen_routine(uint32_t base, uint8_t call)
{
    return base + ROMGEN_ROUTINES + 16u * call;
}

/* A relocation table: every defined call CALL_REL to its routine, IRET and SYSEXIT JUMP_REL. */
void romgen_relocs(struct vmi_reloc_table *t, uint32_t base);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
