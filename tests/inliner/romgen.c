/* Synthetic ROM images: see romgen.h. */
#include <string.h>
#include "romgen.h"

/* Every layout through the generated packed structs (alignment 1, little-endian as the target). */
void romgen_fix_checksum(uint8_t *img)
{
    uint8_t sum = 0;
    uint32_t size = (uint32_t)((struct vrom_header *)img)->rom_length * VMI_ROM_BLOCK, i;
    img[size - 1] = 0;
    for (i = 0; i < size; i++)
        sum = (uint8_t)(sum + img[i]);
    img[size - 1] = (uint8_t)-sum;
}

static void header(uint8_t *img, const struct romgen_spec *spec)
{
    struct vrom_header *h = (struct vrom_header *)img;
    struct pci_header *pci = (struct pci_header *)(img + ROMGEN_PCI);
    uint32_t i;
    h->rom_signature = VMI_ROM_SIGNATURE;
    h->rom_length = (uint8_t)(ROMGEN_SIZE / VMI_ROM_BLOCK);
    h->rom_entry[0] = 0xcb;                         /* retf: the BIOS init stub */
    h->vrom_signature = VMI_SIGNATURE;
    h->api_version_min = spec->minor;
    h->api_version_maj = VMI_API_REV_MAJOR;
    h->virtual_top = ROMGEN_VTOP;
    h->license_offs = ROMGEN_LICENSE;
    h->pci_header_offs = ROMGEN_PCI;
    h->pnp_header_offs = ROMGEN_PNP;
    memcpy(h->vmi_init, "\x31\xc0\xc3", 3);              /* VMI_Init: xor %eax,%eax; ret */
    memcpy(h->get_reloc, "\x31\xc0\x31\xd2\xc3", 5);    /* GetRelocationInfo: NONE */
    memcpy(img + ROMGEN_LICENSE, "GPL", 4);
    memcpy(&pci->signature, "PCIR", 4);
    pci->vendorID = VMI_PCI_VENDOR_VMWARE;
    pci->deviceID = VMI_PCI_DEVICE_VMI;
    pci->chunks = (uint16_t)(ROMGEN_SIZE / VMI_ROM_BLOCK);
    pci->rom_version_min = 2;
    pci->rom_version_maj = 1;
    memcpy(img + ROMGEN_PNP, "$PnP", 4);
    for (i = 0; i < VMI_NUM_CALLS; i++)
        img[ROMGEN_ROUTINES + 16 * i] = 0xc3;       /* ret */
}

/* The inline table at toffs and the bodies from ROMGEN_BODIES, their rel32 fields aimed at
 * their targets for a ROM at base. */
static void inline_table(uint8_t *img, uint32_t base, uint32_t toffs, uint32_t nrel,
                         const struct romgen_spec *spec)
{
    struct vmi_inline_ptr *ptr = (struct vmi_inline_ptr *)(img + VMI_INLINE_PTR_OFFSET);
    struct vmi_inline_table *t = (struct vmi_inline_table *)(img + toffs);
    struct vmi_inline_entry *ent = (struct vmi_inline_entry *)(t + 1);
    struct vmi_inline_reloc *rel = (struct vmi_inline_reloc *)(ent + spec->nbodies);
    uint32_t boffs = ROMGEN_BODIES, ri = 0, i, k;
    ptr->magic = VMI_INLINE_PTR_MAGIC;
    ptr->table_offs = (uint16_t)toffs;
    ptr->table_size = (uint16_t)(sizeof *t + sizeof *ent * spec->nbodies + sizeof *rel * nrel);
    t->magic = VMI_INLINE_TABLE_MAGIC;
    t->version = VMI_INLINE_VERSION;
    t->header_size = sizeof *t;
    t->entry_size = sizeof *ent;
    t->reloc_size = sizeof *rel;
    t->entry_count = (uint16_t)spec->nbodies;
    t->reloc_count = (uint16_t)nrel;
    for (i = 0; i < (uint32_t)spec->nbodies; i++) {
        const struct romgen_body *b = &spec->bodies[i];
        memcpy(img + boffs, b->bytes, b->len);
        for (k = 0; k < b->nrel; k++) {
            uint32_t field_end = base + boffs + b->rel[k].offset + 4;
            uint32_t target = b->rel[k].absolute ? b->rel[k].target : base + b->rel[k].target;
            uint32_t disp = target - field_end;
            memcpy(img + boffs + b->rel[k].offset, &disp, 4);
            rel[ri + k].offset = b->rel[k].offset;
            rel[ri + k].kind = VMI_INLINE_RELOC_REL32;
        }
        ent[i] = (struct vmi_inline_entry){
            .call = b->call, .clobbers = b->clobbers,
            .flags = b->variant ? VMI_INLINE_VARIANT : 0, .variant_arg = b->arg,
            .body_offs = (uint16_t)boffs, .body_len = b->len, .reloc_count = b->nrel,
            .reloc_first = (uint16_t)ri, .variant_value = b->value,
        };
        ri += b->nrel;
        boffs += b->len;
    }
}

uint32_t romgen_build(uint8_t *img, uint32_t base, const struct romgen_spec *spec)
{
    uint32_t toffs = ROMGEN_BODIES, i, nrel = 0;
    memset(img, 0, ROMGEN_SIZE);
    header(img, spec);
    for (i = 0; i < (uint32_t)spec->nbodies; i++) {
        nrel += spec->bodies[i].nrel;
        toffs += spec->bodies[i].len;
    }
    toffs = (toffs + 15) & ~15u;
    if (spec->minor >= VMI_API_REV_MINOR_INLINE && !spec->no_inline_ptr)
        inline_table(img, base, toffs, nrel, spec);
    else
        toffs = 0;
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
