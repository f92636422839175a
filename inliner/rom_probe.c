/* Probing and validating a VMI ROM: Linux 2.6.21's checks, the 8-bit checksum and the inline
 * extension (spec/ext.vmi, docs/rom-format.md); looking up inline bodies. */
#include "vmi_internal.h"

#define HDR_SIZE ((uint32_t)sizeof(struct vrom_header))
#define OFF(type, field) ((uint32_t)offsetof(struct type, field))

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

/* The table's parts, through the generated structs: the header, entry i, relocation j. */
static const struct vmi_inline_table *table_at(const uint8_t *image, uint32_t toffs)
{
    return (const struct vmi_inline_table *)(image + toffs);
}

static uint32_t entry_offs(uint32_t toffs, uint32_t i)
{
    return toffs + (uint32_t)sizeof(struct vmi_inline_table)
         + i * (uint32_t)sizeof(struct vmi_inline_entry);
}

static uint32_t reloc_offs(uint32_t toffs, uint32_t entries, uint32_t j)
{
    return entry_offs(toffs, entries) + j * (uint32_t)sizeof(struct vmi_inline_reloc);
}

static const struct vmi_inline_entry *entry_at(const uint8_t *image, uint32_t toffs, uint32_t i)
{
    return (const struct vmi_inline_entry *)(image + entry_offs(toffs, i));
}

const struct vmi_inline_entry *vmi_rom_inline_entry(const struct vmi_rom *rom, uint32_t i)
{
    if (!rom || !rom->has_inline || i >= rom->inline_entries)
        return 0;
    return entry_at(rom->image, rom->inline_table_offs, i);
}

static int same_variant(const struct vmi_inline_entry *a, const struct vmi_inline_entry *b)
{
    if (a->call != b->call || (a->flags & VMI_INLINE_VARIANT) != (b->flags & VMI_INLINE_VARIANT))
        return 0;
    return !(a->flags & VMI_INLINE_VARIANT)
        || (a->variant_arg == b->variant_arg && a->variant_value == b->variant_value);
}

static vmi_status check_relocs(const struct vmi_rom *rom, uint32_t toffs, uint32_t ec,
                               const struct vmi_inline_entry *e, struct vmi_error *err)
{
    uint32_t boffs = e->body_offs, blen = e->body_len;
    for (uint32_t k = 0; k < e->reloc_count; k++) {
        uint32_t ro = reloc_offs(toffs, ec, (uint32_t)e->reloc_first + k);
        const struct vmi_inline_reloc *r = (const struct vmi_inline_reloc *)(rom->image + ro);
        uint32_t off = r->offset, field_end, target;

        if (r->kind != VMI_INLINE_RELOC_REL32)
            return rom_fail(err, VMI_E_INLINE_RELOC, rom, ro + OFF(vmi_inline_reloc, kind), VMI_INLINE_RELOC_REL32, r->kind,
                            "unknown relocation kind");
        if (off + 4 > blen)
            return rom_fail(err, VMI_E_INLINE_RELOC, rom, ro, blen, off + 4,
                            "relocated field runs past the end of the body");
        field_end = boffs + off + 4;
        target = field_end + vmi_rd32(rom->image + boffs + off);
        if (target - boffs < blen)
            return rom_fail(err, VMI_E_INLINE_RELOC, rom, boffs + off, 0, target,
                            "relocated field's target is inside its own body");
    }
    return VMI_OK;
}

static vmi_status check_entry(const struct vmi_rom *rom, uint32_t toffs, uint32_t ec,
                              uint32_t rc, uint32_t i, struct vmi_error *err)
{
    uint32_t eo = entry_offs(toffs, i);
    const struct vmi_inline_entry *e = entry_at(rom->image, toffs, i);
    uint32_t first = e->reloc_first, nrel = e->reloc_count;

    if (!vmi_call_defined(e->call))
        return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo, 0, e->call,
                        "inline entry for an undefined call");
    if (e->flags & ~(uint32_t)VMI_INLINE_VARIANT)
        return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo + OFF(vmi_inline_entry, flags), VMI_INLINE_VARIANT, e->flags,
                        "inline entry has unknown flags");
    if (!vmi_in_range(e->body_offs, e->body_len, rom->size))
        return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo + OFF(vmi_inline_entry, body_offs), rom->size,
                        (uint32_t)e->body_offs + e->body_len, "inline body outside the ROM");
    if (first + nrel > rc)
        return rom_fail(err, VMI_E_INLINE_ENTRY, rom, eo + OFF(vmi_inline_entry, reloc_first), rc, first + nrel,
                        "inline entry's relocations outside the relocation array");
    vmi_status st = check_relocs(rom, toffs, ec, e, err);
    if (st != VMI_OK)
        return st;
    for (uint32_t j = 0; j < i; j++)
        if (same_variant(entry_at(rom->image, toffs, j), e))
            return rom_fail(err, VMI_E_INLINE_DUPLICATE, rom, eo, j, i,
                            "two inline entries for the same call and variant");
    return VMI_OK;
}

static vmi_status probe_inline(struct vmi_rom *rom, struct vmi_error *err)
{
    const struct vmi_inline_ptr *ptr =
        (const struct vmi_inline_ptr *)(rom->image + VMI_INLINE_PTR_OFFSET);
    const struct vmi_inline_table *t;
    uint32_t toffs, tsize, ec, rc, need, i;

    if (ptr->magic != VMI_INLINE_PTR_MAGIC) {
        rom->warnings |= VMI_ROM_WARN_NO_INLINE;
        return VMI_OK;
    }
    toffs = ptr->table_offs;
    tsize = ptr->table_size;
    if (!vmi_in_range(toffs, tsize, rom->size) || tsize < sizeof(struct vmi_inline_table))
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, VMI_INLINE_PTR_OFFSET + OFF(vmi_inline_ptr, table_offs), rom->size,
                        toffs + tsize, "inline table outside the ROM or shorter than its header");
    t = table_at(rom->image, toffs);
    if (t->magic != VMI_INLINE_TABLE_MAGIC)
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs, VMI_INLINE_TABLE_MAGIC, t->magic,
                        "inline table magic is not VIXT");
    if (t->version != VMI_INLINE_VERSION)
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs + OFF(vmi_inline_table, version), VMI_INLINE_VERSION, t->version,
                        "unknown inline table version");
    if (t->header_size != sizeof(struct vmi_inline_table)
        || t->entry_size != sizeof(struct vmi_inline_entry)
        || t->reloc_size != sizeof(struct vmi_inline_reloc))
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs + OFF(vmi_inline_table, header_size), 0x100410,
                        (uint32_t)t->header_size << 16 | (uint32_t)t->entry_size << 8
                        | t->reloc_size,
                        "inline table header, entry or relocation size is wrong");
    ec = t->entry_count;
    rc = t->reloc_count;
    need = reloc_offs(0, ec, rc);
    if (need > tsize)
        return rom_fail(err, VMI_E_INLINE_TABLE, rom, toffs + OFF(vmi_inline_table, entry_count), tsize, need,
                        "inline entries and relocations overrun the table size");
    for (i = 0; i < ec; i++) {
        vmi_status st = check_entry(rom, toffs, ec, rc, i, err);
        if (st != VMI_OK)
            return st;
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
    const struct vrom_header *h = image;
    const struct pci_header *ph;
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
    if (h->rom_signature != VMI_ROM_SIGNATURE)
        return rom_fail(err, VMI_E_ROM_SIGNATURE, rom, 0, VMI_ROM_SIGNATURE, h->rom_signature,
                        "no option-ROM signature 55 aa");
    if (h->vrom_signature != VMI_SIGNATURE)
        return rom_fail(err, VMI_E_ROM_VMI_SIGNATURE, rom, OFF(vrom_header, vrom_signature), VMI_SIGNATURE, h->vrom_signature,
                        "no VMI signature cVmi");
    rom->api_minor = h->api_version_min;
    rom->api_major = h->api_version_maj;
    if (rom->api_major != VMI_API_REV_MAJOR)
        return rom_fail(err, VMI_E_ROM_VERSION, rom, OFF(vrom_header, api_version_maj), VMI_API_REV_MAJOR, rom->api_major,
                        "API major version is not 3");
    pci = h->pci_header_offs;
    if (pci == 0)
        return rom_fail(err, VMI_E_ROM_NO_PCI, rom, OFF(vrom_header, pci_header_offs), 1, 0, "ROM does not contain PCI header");
    /* Sizes and offsets: Linux trusts them; we do not. */
    size = (uint32_t)h->rom_length * VMI_ROM_BLOCK;
    if (size == 0 || size > avail || size < HDR_SIZE)
        return rom_fail(err, VMI_E_ROM_SIZE, rom, OFF(vrom_header, rom_length), avail, size,
                        "rom_length is 0, below the header size, or beyond the image");
    rom->size = size;
    if (!vmi_in_range(pci, sizeof(struct pci_header), size))
        return rom_fail(err, VMI_E_ROM_OFFSET, rom, OFF(vrom_header, pci_header_offs), size, pci, "PCI header outside the ROM");
    ph = (const struct pci_header *)(p + pci);
    rom->pci_vendor = ph->vendorID;
    rom->pci_device = ph->deviceID;
    rom->rom_version_minor = ph->rom_version_min;
    rom->rom_version_major = ph->rom_version_maj;
    if (rom->pci_vendor != VMI_PCI_VENDOR_VMWARE || rom->pci_device != VMI_PCI_DEVICE_VMI)
        rom->warnings |= VMI_ROM_WARN_VENDOR;
    pnp = h->pnp_header_offs;
    if (pnp && !vmi_in_range(pnp, sizeof(struct pnp_header), size))
        return rom_fail(err, VMI_E_ROM_OFFSET, rom, OFF(vrom_header, pnp_header_offs), size, pnp, "PnP header outside the ROM");
    lic = h->license_offs;
    if (lic == 0 || lic >= size)
        return rom_fail(err, VMI_E_ROM_OFFSET, rom, OFF(vrom_header, license_offs), size, lic,
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
    rom->virtual_top = h->virtual_top;
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
    const struct vmi_inline_entry *e;

    for (uint32_t i = 0; (e = vmi_rom_inline_entry(rom, i)) != 0; i++) {
        int is_var = (e->flags & VMI_INLINE_VARIANT) != 0;
        if (e->call != call || is_var != (variant != 0))
            continue;
        if (is_var && (e->variant_arg != arg || e->variant_value != value))
            continue;
        if (out) {
            out->addr = rom->base + e->body_offs;
            out->bytes = rom->image + e->body_offs;
            out->call = e->call;
            out->clobbers = e->clobbers;
            out->is_variant = (uint8_t)is_var;
            out->variant_arg = e->variant_arg;
            out->len = e->body_len;
            out->reloc_count = e->reloc_count;
            out->reloc_first = e->reloc_first;
            out->variant_value = e->variant_value;
            out->entry = (uint16_t)i;
        }
        return 1;
    }
    return 0;
}

uint8_t vmi_rom_inline_reloc(const struct vmi_rom *rom, const struct vmi_inline_body *body,
                             uint32_t i)
{
    uint32_t ro = reloc_offs(rom->inline_table_offs, rom->inline_entries,
                             (uint32_t)body->reloc_first + i);
    return ((const struct vmi_inline_reloc *)(rom->image + ro))->offset;
}
/* SPDX-License-Identifier: GPL-2.0-only */
