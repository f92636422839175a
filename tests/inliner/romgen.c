/* Synthetic ROM images: see romgen.h. */
#include <string.h>
#include "romgen.h"

static void w16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *p, uint32_t v) { w16(p, (uint16_t)v); w16(p + 2, (uint16_t)(v >> 16)); }

void romgen_fix_checksum(uint8_t *img)
{
    uint8_t sum = 0;
    uint32_t size = (uint32_t)img[2] * 512u, i;
    img[size - 1] = 0;
    for (i = 0; i < size; i++)
        sum = (uint8_t)(sum + img[i]);
    img[size - 1] = (uint8_t)-sum;
}

uint32_t romgen_build(uint8_t *img, uint32_t base, const struct romgen_spec *spec)
{
    uint32_t boffs = ROMGEN_BODIES, toffs, i, nrel = 0, ri = 0;

    memset(img, 0, ROMGEN_SIZE);
    w16(img, 0xaa55);
    img[2] = (uint8_t)(ROMGEN_SIZE / 512);
    img[3] = 0xcb;                                  /* retf: the BIOS init stub */
    w32(img + 8, VMI_SIGNATURE);
    img[0x0c] = spec->minor;
    img[0x0d] = VMI_API_REV_MAJOR;
    w32(img + 0x10, ROMGEN_VTOP);
    w16(img + 0x16, ROMGEN_LICENSE);
    w16(img + 0x18, ROMGEN_PCI);
    w16(img + 0x1a, ROMGEN_PNP);
    memcpy(img + 0x80, "\x31\xc0\xc3", 3);          /* VMI_Init: xor %eax,%eax; ret */
    memcpy(img + 0x88, "\x31\xc0\x31\xd2\xc3", 5);  /* GetRelocationInfo: NONE */
    memcpy(img + ROMGEN_LICENSE, "GPL", 4);
    memcpy(img + ROMGEN_PCI, "PCIR", 4);
    w16(img + ROMGEN_PCI + 4, VMI_PCI_VENDOR_VMWARE);
    w16(img + ROMGEN_PCI + 6, VMI_PCI_DEVICE_VMI);
    w16(img + ROMGEN_PCI + 0x10, (uint16_t)(ROMGEN_SIZE / 512));
    img[ROMGEN_PCI + 0x12] = 2;
    img[ROMGEN_PCI + 0x13] = 1;
    memcpy(img + ROMGEN_PNP, "$PnP", 4);
    for (i = 0; i < VMI_NUM_CALLS; i++)
        img[ROMGEN_ROUTINES + 16 * i] = 0xc3;       /* ret */

    for (i = 0; i < (uint32_t)spec->nbodies; i++)
        nrel += spec->bodies[i].nrel;
    toffs = boffs;
    for (i = 0; i < (uint32_t)spec->nbodies; i++)
        toffs += spec->bodies[i].len;
    toffs = (toffs + 15) & ~15u;
    if (spec->minor >= VMI_API_REV_MINOR_INLINE && !spec->no_inline_ptr) {
        uint8_t *t = img + toffs;
        w32(img + VMI_INLINE_PTR_OFFSET, VMI_INLINE_PTR_MAGIC);
        w16(img + VMI_INLINE_PTR_OFFSET + 4, (uint16_t)toffs);
        w16(img + VMI_INLINE_PTR_OFFSET + 6, (uint16_t)(16 + 16 * spec->nbodies + 4 * nrel));
        w32(t, VMI_INLINE_TABLE_MAGIC);
        t[4] = VMI_INLINE_VERSION;
        t[5] = 16;
        t[6] = 16;
        t[7] = 4;
        w16(t + 8, (uint16_t)spec->nbodies);
        w16(t + 10, (uint16_t)nrel);
        for (i = 0; i < (uint32_t)spec->nbodies; i++) {
            const struct romgen_body *b = &spec->bodies[i];
            uint8_t *e = t + 16 + 16 * i;
            uint32_t k;
            memcpy(img + boffs, b->bytes, b->len);
            for (k = 0; k < b->nrel; k++) {
                uint8_t *r = t + 16 + 16 * spec->nbodies + 4 * (ri + k);
                uint32_t field_end = base + boffs + b->rel[k].offset + 4;
                uint32_t target = b->rel[k].absolute ? b->rel[k].target : base + b->rel[k].target;
                w32(img + boffs + b->rel[k].offset, target - field_end);
                r[0] = b->rel[k].offset;
                r[1] = VMI_INLINE_RELOC_REL32;
            }
            e[0] = b->call;
            e[1] = b->clobbers;
            e[2] = b->variant ? VMI_INLINE_VARIANT : 0;
            e[3] = b->arg;
            w16(e + 4, (uint16_t)boffs);
            e[6] = b->len;
            e[7] = b->nrel;
            w16(e + 8, (uint16_t)ri);
            w32(e + 12, b->value);
            ri += b->nrel;
            boffs += b->len;
        }
    } else {
        toffs = 0;
    }
    romgen_fix_checksum(img);
    return toffs;
}

void romgen_relocs(struct vmi_reloc_table *t, uint32_t base)
{
    uint32_t c;
    memset(t, 0, sizeof(*t));
    for (c = 0; c < VMI_NUM_CALLS; c++) {
        if (!(vmi_call_table[c].flags & VMI_CALL_F_DEFINED))
            continue;
        t->info[c].eip = romgen_routine(base, (uint8_t)c);
        t->info[c].type = (vmi_call_table[c].flags & VMI_CALL_F_JUMP) ? VMI_RELOCATION_JUMP_REL
                                                                        : VMI_RELOCATION_CALL_REL;
    }
}
/* SPDX-License-Identifier: GPL-2.0-only */
