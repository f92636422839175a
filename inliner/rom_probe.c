/* Probing and validating a VMI ROM: Linux 2.6.21's checks, the 8-bit checksum and the inline
 * extension (spec/ext.vmi, docs/rom-format.md); looking up inline bodies. */
#include "vmi_internal.h"

#define HDR_SIZE ((uint32_t)sizeof(struct vrom_header))

static vmi_status rom_fail(struct vmi_error *err, vmi_status st, const struct vmi_rom *rom,
                           uint32_t offset, uint32_t expected, uint32_t actual, const char *why)
{
    return vmi_fail(err, st, VMI_NO_SITE, rom->base + offset, offset, expected, actual, why);
}

static int str_eq(const uint8_t *s, const char *lit)
{
    while (*lit)
        if (*s++ != (uint8_t)*lit++)
            return 0;
    return *s == 0;
}

static vmi_status probe_inline(struct vmi_rom *rom, struct vmi_error *err)
{
    const uint8_t *p = rom->image;
    uint32_t toffs, tsize, ec, rc, need, i, j;
    const uint8_t *t;

    if (vmi_rd32(p + VMI_INLINE_PTR_OFFSET) != VMI_INLINE_PTR_MAGIC) {
        rom->warnings |= VMI_ROM_WARN_NO_INLINE;
        return VMI_OK;
    }
    toffs = vmi_rd16(p + VMI_INLINE_PTR_OFFSET + 4);
    tsize = vmi_rd16(p + VMI_INLINE_PTR_OFFSET + 6);
    if (!vmi_in_range(toffs, tsize, rom->size) || tsize < sizeof(struct vmi_inline_table))
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, VMI_INLINE_PTR_OFFSET + 4, rom->size,
                        toffs + tsize, "inline table outside the ROM or shorter than its header");
    t = p + toffs;
    if (vmi_rd32(t) != VMI_INLINE_TABLE_MAGIC)
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs, VMI_INLINE_TABLE_MAGIC, vmi_rd32(t),
                        "inline table magic is not VIXT");
    if (t[4] != VMI_INLINE_VERSION)
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs + 4, VMI_INLINE_VERSION, t[4],
                        "unknown inline table version");
    if (t[5] != sizeof(struct vmi_inline_table) || t[6] != sizeof(struct vmi_inline_entry)
        || t[7] != sizeof(struct vmi_inline_reloc))
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs + 5, 0x100410,
                        (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7],
                        "inline table header, entry or relocation size is wrong");
    ec = vmi_rd16(t + 8);
    rc = vmi_rd16(t + 10);
    need = (uint32_t)sizeof(struct vmi_inline_table) + ec * (uint32_t)sizeof(struct vmi_inline_entry)
         + rc * (uint32_t)sizeof(struct vmi_inline_reloc);
    if (need > tsize)
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs + 8, tsize, need,
                        "inline entries and relocations overrun the table size");

    for (i = 0; i < ec; i++) {
        uint32_t eo = toffs + 16 + i * 16;
        const uint8_t *e = p + eo;
        uint32_t call = e[0], flags = e[2], boffs = vmi_rd16(e + 4), blen = e[6];
        uint32_t nrel = e[7], first = vmi_rd16(e + 8), k;

        if (!vmi_call_defined(call))
            return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo, 0, call,
                            "inline entry for an undefined call");
        if (flags & ~(uint32_t)VMI_INLINE_VARIANT)
            return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo + 2, VMI_INLINE_VARIANT, flags,
                            "inline entry has unknown flags");
        if (!vmi_in_range(boffs, blen, rom->size))
            return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo + 4, rom->size, boffs + blen,
                            "inline body outside the ROM");
        if (first + nrel > rc)
            return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo + 8, rc, first + nrel,
                            "inline entry's relocations outside the relocation array");
        for (k = 0; k < nrel; k++) {
            uint32_t ro = toffs + 16 + ec * 16 + (first + k) * 4;
            uint32_t off = p[ro], kind = p[ro + 1], field_end, target;

            if (kind != VMI_INLINE_RELOC_REL32)
                return rom_fail(err, VMI_E_INLINE_RELOC, rom, ro + 1, VMI_INLINE_RELOC_REL32, kind,
                                "unknown relocation kind");
            if (off + 4 > blen)
                return rom_fail(err, VMI_E_INLINE_RELOC, rom, ro, blen, off + 4,
                                "relocated field runs past the end of the body");
            field_end = boffs + off + 4;
            target = field_end + vmi_rd32(p + boffs + off);
            if (target - boffs < blen)
                return rom_fail(err, VMI_E_INLINE_RELOC, rom, boffs + off, 0, target,
                                "relocated field's target is inside its own body");
        }
        for (j = 0; j < i; j++) {
            const uint8_t *o = p + toffs + 16 + j * 16;
            if (o[0] != call || (o[2] & VMI_INLINE_VARIANT) != (flags & VMI_INLINE_VARIANT))
                continue;
            if ((flags & VMI_INLINE_VARIANT)
                && (o[3] != e[3] || vmi_rd32(o + 12) != vmi_rd32(e + 12)))
                continue;
            return rom_fail(err, VMI_E_INLINE_DUPLICATE, rom, eo, j, i,
                            "two inline entries for the same call and variant");
        }
    }
    rom->has_inline = 1;
    rom->inline_table_offs = toffs;
    rom->inline_entries = (uint16_t)ec;
    rom->inline_relocs = (uint16_t)rc;
    return VMI_OK;
}

vmi_status vmi_rom_probe(struct vmi_rom *rom, const void *image, uint32_t avail, uint32_t base,
                         uint32_t flags, struct vmi_error *err)
{
    const uint8_t *p = image;
    uint32_t size, pci, pnp, lic, i;
    uint8_t sum;

    vmi_error_clear(err);
    if (!rom || !image)
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, base, 0, 0, 0, "NULL ROM or image");
    vmi_memset(rom, 0, sizeof(*rom));
    rom->image = p;
    rom->base = base;
    if (avail < HDR_SIZE)
        return rom_fail(err, VMI_E_ROM_SIZE, rom, 0, HDR_SIZE, avail,
                        "image shorter than the ROM header");
    /* Linux 2.6.21's checks, in its order. */
    if (vmi_rd16(p) != VMI_ROM_SIGNATURE)
        return rom_fail(err, VMI_E_ROM_SIGNATURE, rom, 0, VMI_ROM_SIGNATURE, vmi_rd16(p),
                        "no option-ROM signature 55 aa");
    if (vmi_rd32(p + 8) != VMI_SIGNATURE)
        return rom_fail(err, VMI_E_ROM_VMI_SIGNATURE, rom, 8, VMI_SIGNATURE, vmi_rd32(p + 8),
                        "no VMI signature cVmi");
    rom->api_minor = p[0x0c];
    rom->api_major = p[0x0d];
    if (rom->api_major != VMI_API_REV_MAJOR)
        return rom_fail(err, VMI_E_ROM_VERSION, rom, 0x0d, VMI_API_REV_MAJOR, rom->api_major,
                        "API major version is not 3");
    pci = vmi_rd16(p + 0x18);
    if (pci == 0)
        return rom_fail(err, VMI_E_ROM_NO_PCI, rom, 0x18, 1, 0, "ROM does not contain PCI header");
    /* Sizes and offsets: Linux trusts them; we do not. */
    size = (uint32_t)p[2] * VMI_ROM_BLOCK;
    if (size == 0 || size > avail || size < HDR_SIZE)
        return rom_fail(err, VMI_E_ROM_SIZE, rom, 2, avail, size,
                        "rom_length is 0, below the header size, or beyond the image");
    rom->size = size;
    if (!vmi_in_range(pci, sizeof(struct pci_header), size))
        return rom_fail(err, VMI_E_ROM_OFFSET, rom, 0x18, size, pci, "PCI header outside the ROM");
    rom->pci_vendor = vmi_rd16(p + pci + 4);
    rom->pci_device = vmi_rd16(p + pci + 6);
    rom->rom_version_minor = p[pci + 0x12];
    rom->rom_version_major = p[pci + 0x13];
    if (rom->pci_vendor != VMI_PCI_VENDOR_VMWARE || rom->pci_device != VMI_PCI_DEVICE_VMI)
        rom->warnings |= VMI_ROM_WARN_VENDOR;
    pnp = vmi_rd16(p + 0x1a);
    if (pnp && !vmi_in_range(pnp, sizeof(struct pnp_header), size))
        return rom_fail(err, VMI_E_ROM_OFFSET, rom, 0x1a, size, pnp, "PnP header outside the ROM");
    lic = vmi_rd16(p + 0x16);
    if (lic == 0 || lic >= size)
        return rom_fail(err, VMI_E_ROM_OFFSET, rom, 0x16, size, lic,
                        "license string outside the ROM");
    for (i = lic; i < size && p[i]; i++)
        ;
    if (i == size)
        return rom_fail(err, VMI_E_ROM_LICENSE, rom, lic, 0, size,
                        "license string is not NUL-terminated inside the ROM");
    if (!str_eq(p + lic, "GPL") && !str_eq(p + lic, "GPL v2"))
        return rom_fail(err, VMI_E_ROM_LICENSE, rom, lic, 0, p[lic],
                        "license is not GPL or GPL v2: ROM not used");
    rom->license_offs = lic;
    rom->virtual_top = vmi_rd32(p + 0x10);
    /* The 2006 specification's checksum. */
    if (flags & VMI_PROBE_NO_CHECKSUM) {
        rom->warnings |= VMI_ROM_WARN_NO_CHECKSUM;
    } else {
        for (sum = 0, i = 0; i < size; i++)
            sum = (uint8_t)(sum + p[i]);
        if (sum)
            return rom_fail(err, VMI_E_ROM_CHECKSUM, rom, 0, 0, sum,
                            "8-bit sum of the ROM is not 0");
    }
    if (!(flags & VMI_PROBE_NO_INLINE) && rom->api_minor >= VMI_API_REV_MINOR_INLINE)
        return probe_inline(rom, err);
    return VMI_OK;
}

vmi_status vmi_rom_scan(struct vmi_rom *rom, const void *region, uint32_t region_base,
                        uint32_t region_size, uint32_t flags, struct vmi_error *err)
{
    const uint8_t *p = region;
    struct vmi_error last;
    uint32_t off, last_off = 0;
    int seen = 0;

    vmi_error_clear(err);
    vmi_error_clear(&last);
    if (!rom || !region)
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, region_base, 0, 0, 0, "NULL ROM or region");
    off = (VMI_ROM_SCAN_STEP - (region_base % VMI_ROM_SCAN_STEP)) % VMI_ROM_SCAN_STEP;
    for (; off < region_size && region_size - off >= 2; off += VMI_ROM_SCAN_STEP) {
        if (vmi_rd16(p + off) != VMI_ROM_SIGNATURE)
            continue;
        if (vmi_rom_probe(rom, p + off, region_size - off, region_base + off, flags, &last) == VMI_OK)
            return VMI_OK;
        seen = 1;
        last_off = off;
    }
    if (!seen)
        return vmi_fail(err, VMI_E_ROM_NOT_FOUND, VMI_NO_SITE, region_base, 0, 0, 0,
                        "no option ROM in the region");
    return vmi_fail(err, VMI_E_ROM_NOT_FOUND, VMI_NO_SITE, region_base + last_off, last_off,
                    (uint32_t)last.status, last.offset,
                    "no ROM passed the checks; address: the last candidate, expected: its "
                    "status, actual: the ROM offset it failed at");
}

int vmi_rom_inline_find(const struct vmi_rom *rom, uint8_t call, int variant, uint8_t arg,
                        uint32_t value, struct vmi_inline_body *out)
{
    uint32_t i;

    if (!rom || !rom->has_inline)
        return 0;
    for (i = 0; i < rom->inline_entries; i++) {
        const uint8_t *e = rom->image + rom->inline_table_offs + 16 + i * 16;
        int is_var = (e[2] & VMI_INLINE_VARIANT) != 0;
        if (e[0] != call || is_var != (variant != 0))
            continue;
        if (is_var && (e[3] != arg || vmi_rd32(e + 12) != value))
            continue;
        if (out) {
            uint32_t boffs = vmi_rd16(e + 4);
            out->addr = rom->base + boffs;
            out->bytes = rom->image + boffs;
            out->call = e[0];
            out->clobbers = e[1];
            out->is_variant = (uint8_t)is_var;
            out->variant_arg = e[3];
            out->len = e[6];
            out->reloc_count = e[7];
            out->reloc_first = vmi_rd16(e + 8);
            out->variant_value = vmi_rd32(e + 12);
            out->entry = (uint16_t)i;
        }
        return 1;
    }
    return 0;
}

uint8_t vmi_rom_inline_reloc(const struct vmi_rom *rom, const struct vmi_inline_body *body,
                             uint32_t i)
{
    uint32_t ro = rom->inline_table_offs + 16 + (uint32_t)rom->inline_entries * 16
                + ((uint32_t)body->reloc_first + i) * 4;
    return rom->image[ro];
}
