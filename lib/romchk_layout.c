/* check-rom, the structure of the bytes: what a PC BIOS and a Linux 2.6.21 VMI kernel require of
 * an option ROM (signature, length, checksum, "cVmi", API major 3, GPL license, PCI data structure,
 * PnP header, a 16-bit init entry that far-returns) and the inline extension's table structure. */
#include "romchk.h"

#include <Zydis/Zydis.h>
#include <stdio.h>
#include <string.h>

#define HDR ((uint32_t)sizeof(struct vrom_header))
#define HOFF(f) ((uint32_t)offsetof(struct vrom_header, f))

static int in_image(const struct romchk *c, uint32_t off, uint32_t len)
{
    return off <= c->rom_size && len <= c->rom_size - off;
}

/* A NUL-terminated printable string at off, inside the image; returns its length or -1. */
static int string_at(const struct romchk *c, uint32_t off)
{
    for (uint32_t i = off; i < c->rom_size; i++) {
        if (c->img[i] == 0)
            return (int)(i - off);
        if (c->img[i] < 0x20 || c->img[i] > 0x7e)
            return -1;
    }
    return -1;
}

static void check_license(struct romchk *c)
{
    uint32_t off = romchk_rd16(c, HOFF(license_offs));
    if (off == 0 || off >= c->rom_size) {
        romchk_add(c, HOFF(license_offs), "header", "license_offs 0x%x is outside the image", off);
        return;
    }
    if (string_at(c, off) < 0) {
        romchk_add(c, off, "license", "the license is not a NUL-terminated string inside the "
                   "image");
        return;
    }
    const char *s = (const char *)c->img + off;
    if (strcmp(s, "GPL") != 0 && strcmp(s, "GPL v2") != 0)
        romchk_add(c, off, "license", "license is \"%.40s\": Linux uses only a \"GPL\" or "
                   "\"GPL v2\" ROM", s);
}

static void check_pci(struct romchk *c)
{
    uint32_t off = romchk_rd16(c, HOFF(pci_header_offs));
    if (off == 0) {
        romchk_add(c, HOFF(pci_header_offs), "PCI", "no PCI data structure (pci_header_offs is "
                   "0): Linux refuses the ROM");
        return;
    }
    if (!in_image(c, off, sizeof(struct pci_header))) {
        romchk_add(c, off, "PCI", "PCI data structure at 0x%x runs past the image end (0x%x)",
                   off, c->rom_size);
        return;
    }
    if (off & 3)
        romchk_add(c, off, "PCI", "PCI data structure at 0x%x is not 4-byte aligned", off);
    if (memcmp(c->img + off, "PCIR", 4) != 0) {
        romchk_add(c, off, "PCI", "PCI data structure signature is not \"PCIR\"");
        return;
    }
#define PCI_AT(field) (off + (uint32_t)offsetof(struct pci_header, field))
    uint32_t ven = romchk_rd16(c, PCI_AT(vendorID)), dev = romchk_rd16(c, PCI_AT(deviceID));
    if (ven != VMI_PCI_VENDOR_VMWARE || dev != VMI_PCI_DEVICE_VMI)
        romchk_add(c, PCI_AT(vendorID), "PCI", "PCI vendor:device is %04x:%04x, not %04x:%04x",
                   ven, dev, VMI_PCI_VENDOR_VMWARE, VMI_PCI_DEVICE_VMI);
    if (romchk_rd16(c, PCI_AT(size)) != sizeof(struct pci_header))
        romchk_add(c, PCI_AT(size), "PCI", "PCI data structure length is %u, not %u",
                   romchk_rd16(c, PCI_AT(size)), (unsigned)sizeof(struct pci_header));
    uint32_t chunks = romchk_rd16(c, PCI_AT(chunks));
    if (chunks != c->rom_size / VMI_ROM_BLOCK)
        romchk_add(c, PCI_AT(chunks), "PCI", "PCI image length is %u blocks, rom_length is %u",
                   chunks, c->rom_size / VMI_ROM_BLOCK);
    if (c->img[PCI_AT(codetype)] != 0)
        romchk_add(c, PCI_AT(codetype), "PCI", "PCI code type %u is not x86 (0)",
                   c->img[PCI_AT(codetype)]);
    if (!(c->img[PCI_AT(lastRom)] & 0x80))
        romchk_add(c, PCI_AT(lastRom), "PCI", "PCI indicator does not mark the last image");
#undef PCI_AT
}

static void check_pnp_string(struct romchk *c, uint32_t field, const char *what)
{
    uint32_t off = romchk_rd16(c, field);
    if (off == 0 || off >= c->rom_size || string_at(c, off) <= 0)
        romchk_add(c, field, "PnP", "PnP %s string at 0x%x is not a printable NUL-terminated "
                   "string inside the image", what, off);
}

static void check_pnp(struct romchk *c)
{
    uint32_t off = romchk_rd16(c, HOFF(pnp_header_offs));
    if (off == 0) {
        romchk_add(c, HOFF(pnp_header_offs), "PnP", "no PnP header (pnp_header_offs is 0)");
        return;
    }
    if (!in_image(c, off, sizeof(struct pnp_header))) {
        romchk_add(c, off, "PnP", "PnP header at 0x%x runs past the image end (0x%x)", off,
                   c->rom_size);
        return;
    }
    if (off & 15)
        romchk_add(c, off, "PnP", "PnP header at 0x%x is not 16-byte aligned", off);
    if (memcmp(c->img + off, "$PnP", 4) != 0) {
        romchk_add(c, off, "PnP", "PnP header signature is not \"$PnP\"");
        return;
    }
    uint32_t len = 16u * c->img[off + offsetof(struct pnp_header, size)];
    if (len < sizeof(struct pnp_header) || !in_image(c, off, len)) {
        romchk_add(c, off + 5, "PnP", "PnP header length %u is too short or runs past the image",
                   len);
        return;
    }
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + c->img[off + i]);
    if (sum)
        romchk_add(c, off, "PnP", "PnP header checksum: its %u bytes sum to 0x%02x, not 0", len,
                   sum);
    check_pnp_string(c, off + offsetof(struct pnp_header, manufacturer_offset), "manufacturer");
    check_pnp_string(c, off + offsetof(struct pnp_header, product_offset), "product");
}

/* The BIOS far-calls offset 3 in real mode: follow jumps until a far return. */
static void check_init16(struct romchk *c)
{
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_REAL_16, ZYDIS_STACK_WIDTH_16);
    uint32_t at = HOFF(rom_entry);
    for (int n = 0; n < 32 && at < c->rom_size; n++) {
        ZydisDecodedInstruction zi;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, c->img + at, c->rom_size - at, &zi, ops)))
            break;
        if (zi.mnemonic == ZYDIS_MNEMONIC_RET && zi.meta.branch_type == ZYDIS_BRANCH_TYPE_FAR)
            return;
        if (zi.mnemonic == ZYDIS_MNEMONIC_JMP && (zi.attributes & ZYDIS_ATTRIB_IS_RELATIVE)) {
            ZyanU64 t;
            if (ZYAN_FAILED(ZydisCalcAbsoluteAddress(&zi, &ops[0], at, &t)))
                break;
            at = (uint32_t)t & 0xffff;
            continue;
        }
        if (zi.meta.category == ZYDIS_CATEGORY_COND_BR || zi.meta.category == ZYDIS_CATEGORY_CALL ||
            zi.meta.category == ZYDIS_CATEGORY_RET || zi.meta.category == ZYDIS_CATEGORY_INTERRUPT ||
            zi.meta.category == ZYDIS_CATEGORY_UNCOND_BR || zi.mnemonic == ZYDIS_MNEMONIC_HLT)
            break;
        at += zi.length;
    }
    romchk_add(c, HOFF(rom_entry), "rom_entry", "the 16-bit init entry does not reach a far "
               "return (stopped at 0x%x)", at);
}

static void check_table(struct romchk *c, unsigned minor)
{
    uint32_t magic = romchk_rd32(c, VMI_INLINE_PTR_OFFSET);
    if (magic != VMI_INLINE_PTR_MAGIC) {
        if (minor >= VMI_API_REV_MINOR_INLINE)
            romchk_add(c, VMI_INLINE_PTR_OFFSET, "inline", "API minor %u announces the inline "
                       "extension, but there is no vmi_inline_ptr at 0x%x", minor,
                       VMI_INLINE_PTR_OFFSET);
        return;
    }
    if (minor < VMI_API_REV_MINOR_INLINE)
        romchk_add(c, VMI_INLINE_PTR_OFFSET, "inline", "a vmi_inline_ptr is present but "
                   "api_version_min is %u (< %u)", minor, VMI_API_REV_MINOR_INLINE);
#define PTR_AT(field) (VMI_INLINE_PTR_OFFSET + (uint32_t)offsetof(struct vmi_inline_ptr, field))
#define TAB_AT(field) (off + (uint32_t)offsetof(struct vmi_inline_table, field))
    uint32_t off = romchk_rd16(c, PTR_AT(table_offs));
    uint32_t size = romchk_rd16(c, PTR_AT(table_size));
    if (off < HDR || !in_image(c, off, size) || size < sizeof(struct vmi_inline_table)) {
        romchk_add(c, PTR_AT(table_offs), "inline", "inline table at 0x%x, %u bytes, is "
                   "not inside the image after the header", off, size);
        return;
    }
    const struct vmi_inline_table *t = (const struct vmi_inline_table *)(c->img + off);
    if (t->magic != VMI_INLINE_TABLE_MAGIC) {
        romchk_add(c, off, "inline", "inline table magic is 0x%08x, not \"VIXT\"", t->magic);
        return;
    }
    if (t->version != VMI_INLINE_VERSION) {
        romchk_add(c, TAB_AT(version), "inline", "inline table version %u is not %u", t->version,
                   VMI_INLINE_VERSION);
        return;
    }
    if (t->header_size != sizeof(struct vmi_inline_table) ||
        t->entry_size != sizeof(struct vmi_inline_entry) ||
        t->reloc_size != sizeof(struct vmi_inline_reloc)) {
        romchk_add(c, TAB_AT(header_size), "inline", "inline table header/entry/relocation "
                   "sizes are %u/%u/%u, not %u/%u/%u", t->header_size, t->entry_size,
                   t->reloc_size, (unsigned)sizeof(struct vmi_inline_table),
                   (unsigned)sizeof(struct vmi_inline_entry),
                   (unsigned)sizeof(struct vmi_inline_reloc));
        return;
    }
    unsigned ne = t->entry_count, nr = t->reloc_count;
    uint32_t need = (uint32_t)(sizeof(struct vmi_inline_table) +
                               ne * sizeof(struct vmi_inline_entry) +
                               nr * sizeof(struct vmi_inline_reloc));
    if (need != size) {
        romchk_add(c, PTR_AT(table_size), "inline", "inline table size %u does not match "
                   "its %u entries and %u relocations (%u bytes)", size, ne, nr, need);
        return;
    }
    uint8_t flavor = t->flavor;
    if (flavor > VMI_INLINE_FLAVOR_NATIVE)
        romchk_add(c, TAB_AT(flavor), "inline", "unknown ROM flavor %u", flavor);
    else if (!c->flavor_forced)
        c->native = flavor == VMI_INLINE_FLAVOR_NATIVE;
    c->has_table = 1;
    c->table_off = off;
    c->entries = ne;
    c->relocs = nr;
#undef PTR_AT
#undef TAB_AT
}

int romchk_layout(struct romchk *c)
{
    c->rom_size = c->size;
    if (c->size < HDR) {
        romchk_add(c, 0, "header", "truncated: %u bytes, shorter than the %u-byte ROM header",
                   c->size, HDR);
        return -1;
    }
    if (romchk_rd16(c, 0) != VMI_ROM_SIGNATURE)
        romchk_add(c, 0, "header", "ROM signature is 0x%04x, not 0x%04x (bytes 55 aa)",
                   romchk_rd16(c, 0), VMI_ROM_SIGNATURE);
    uint32_t rom_size = c->img[HOFF(rom_length)] * (uint32_t)VMI_ROM_BLOCK;
    if (rom_size < HDR) {
        romchk_add(c, HOFF(rom_length), "header", "rom_length %u blocks is shorter than the "
                   "header", c->img[HOFF(rom_length)]);
        return -1;
    }
    if (rom_size > c->size) {
        romchk_add(c, HOFF(rom_length), "header", "truncated: rom_length says %u bytes, the file "
                   "has %u", rom_size, c->size);
        return -1;
    }
    if (rom_size < c->size)
        romchk_add(c, rom_size, "header", "the file has %u bytes beyond rom_length's %u",
                   c->size - rom_size, rom_size);
    c->rom_size = rom_size;
    uint8_t sum = 0;
    for (uint32_t i = 0; i < rom_size; i++)
        sum = (uint8_t)(sum + c->img[i]);
    if (sum)
        romchk_add(c, -1, "header", "checksum: the image's bytes sum to 0x%02x, not 0", sum);
    if (romchk_rd32(c, HOFF(vrom_signature)) != VMI_SIGNATURE)
        romchk_add(c, HOFF(vrom_signature), "header", "VMI signature is 0x%08x, not \"cVmi\" "
                   "(0x%08x)", romchk_rd32(c, HOFF(vrom_signature)), VMI_SIGNATURE);
    unsigned major = c->img[HOFF(api_version_maj)], minor = c->img[HOFF(api_version_min)];
    if (major != VMI_API_REV_MAJOR)
        romchk_add(c, HOFF(api_version_maj), "header", "API major version is %u: Linux 2.6.21 "
                   "requires %u", major, VMI_API_REV_MAJOR);
    c->virtual_top = romchk_rd32(c, HOFF(virtual_top));
    if (c->virtual_top == 0 || (c->virtual_top & 0xfff))
        romchk_add(c, HOFF(virtual_top), "header", "virtual_top 0x%x is not a page-aligned "
                   "address above 0", c->virtual_top);
    c->gate_addr = c->virtual_top + (uint32_t)offsetof(struct vmi_pv_state, gate);
    check_license(c);
    check_pci(c);
    check_pnp(c);
    check_init16(c);
    check_table(c, minor);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
