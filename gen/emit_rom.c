/* Writes the assembler source of one ROM flavor: the option-ROM header with the VMI fields, the two
 * fixed entries, the PCI data structure and PnP header, the 16-bit BIOS init entry, the relocation
 * table and GetRelocationInfo, the routines and helpers, and the inline extension's table.
 * `gcc -m32 -c` assembles it (no preprocessor: constants and field offsets come as .equ), and
 * vmi-romfinish sets the lengths and checksums.  Layout and field values: docs/rom-format.md. */
#include "emit.h"
#include "rom_body.h"

#include <stdlib.h>
#include <string.h>

#define RELOC_TABLE_MAGIC "VRLT"   /* private to this generator's ROMs; see docs/rom-format.md */

static const char *key(const struct spec_rom *rom, const char *name)
{
    for (unsigned i = 0; i < rom->nkeys; i++)
        if (strcmp(rom->keys[i].key, name) == 0)
            return rom->keys[i].value;
    return "";
}

static void emit_string(struct outbuf *ob, const char *label, const char *s)
{
    ob_printf(ob, "%s:\n\t.asciz \"", label);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            ob_printf(ob, "\\%c", *s);
        else
            ob_printf(ob, "%c", *s);
    }
    ob_printf(ob, "\"\n");
}

static void emit_equs(const struct spec *spec, const struct spec_rom *rom, struct outbuf *ob)
{
    ob_printf(ob, "\n# ---- constants, call numbers and layouts of the spec ----\n");
    for (unsigned i = 0; i < spec->nconsts; i++)
        if (!spec->consts[i].is_string)
            ob_printf(ob, "\t.equ %s, 0x%llx\n", spec->consts[i].name,
                      (unsigned long long)spec->consts[i].value);
    for (unsigned i = 0; i < spec->ncalls; i++)
        ob_printf(ob, "\t.equ VMI_CALL_%s, %u\n", spec->calls[i].name, spec->calls[i].number);
    for (unsigned i = 0; i < spec->nstructs; i++) {
        const struct spec_struct *s = &spec->structs[i];
        for (unsigned f = 0; f < s->nfields; f++)
            ob_printf(ob, "\t.equ %s.%s, 0x%x\n", s->name, s->fields[f].name, s->fields[f].offset);
        ob_printf(ob, "\t.equ %s.SIZE, 0x%x\n", s->name, s->size);
    }
    ob_printf(ob, "\t.equ ROM_VIRTUAL_TOP, %s\t\t# this ROM's virtual_top\n",
              key(rom, "virtual_top"));
}

static void emit_rom_header(const struct spec_rom *rom, unsigned api_minor, struct outbuf *ob)
{
    unsigned long maj = strtoul(key(rom, "rom_version"), NULL, 10);
    unsigned long min = strtoul(strchr(key(rom, "rom_version"), '.') + 1, NULL, 10);
    ob_printf(ob,
        "\n# ---- the option-ROM header, struct vrom_header ----\n"
        "\t.text\n\t.code16\nrom_base:\n"
        "\t.word VMI_ROM_SIGNATURE\t\t# 0x00 55 aa\n"
        "\t.byte 0\t\t\t\t# 0x02 rom_length: vmi-romfinish\n"
        "\t.byte 0xe9\t\t\t# 0x03 rom_entry: jmp near bios_init\n"
        "\t.word bios_init - (. + 2)\n"
        "\t.byte 0\n"
        "\t.byte 0\t\t\t\t# 0x07 rom_pad0\n"
        "\t.long VMI_SIGNATURE\t\t# 0x08 \"cVmi\"\n"
        "\t.byte %u, VMI_API_REV_MAJOR\t# 0x0c api_version_min, api_version_maj\n"
        "\t.byte 0, 0\t\t\t# 0x0e jump_slots, reserved1\n"
        "\t.long ROM_VIRTUAL_TOP\t\t# 0x10 virtual_top\n"
        "\t.word 0\t\t\t\t# 0x14 reserved2\n"
        "\t.word rom_license - rom_base\t# 0x16 license_offs\n"
        "\t.word rom_pci - rom_base\t\t# 0x18 pci_header_offs\n"
        "\t.word rom_pnp - rom_base\t\t# 0x1a pnp_header_offs\n"
        "\t.long 0\t\t\t\t# 0x1c rom_pad3\n",
        api_minor);
    if (api_minor >= 1)
        ob_printf(ob,
            "\t.long VMI_INLINE_PTR_MAGIC\t# 0x20 struct vmi_inline_ptr\n"
            "\t.word inline_table - rom_base\n"
            "\t.word inline_table_end - inline_table\n");
    ob_printf(ob,
        "\t.fill 0x80 - (. - rom_base), 1, 0\t# rest of reserved[96]\n"
        "\t.code32\n"
        "\t.byte 0xe9\t\t\t# 0x80 vmi_init: jmp vmi_init\n"
        "\t.long vmi_init - . - 4\n"
        "\t.fill 3, 1, 0xcc\n"
        "\t.byte 0xe9\t\t\t# 0x88 get_reloc: jmp get_reloc\n"
        "\t.long get_reloc - . - 4\n"
        "\t.fill 3, 1, 0xcc\n");
    ob_printf(ob,
        "\n# ---- PCI data structure (PCI Firmware spec, revision 0 layout) ----\n"
        "\t.balign 4, 0\nrom_pci:\n"
        "\t.ascii \"PCIR\"\n"
        "\t.word VMI_PCI_VENDOR_VMWARE, VMI_PCI_DEVICE_VMI\n"
        "\t.word 0\t\t\t\t# vital product data: none\n"
        "\t.word pci_header.SIZE\t\t# length of this structure\n"
        "\t.byte 0\t\t\t\t# structure revision\n"
        "\t.byte 0x00, 0x80, 0x08\t\t# class code: prog-if 0, subclass 0x80, class 0x08 (other"
        " system peripheral)\n"
        "\t.word 0\t\t\t\t# image length in 512-byte units: vmi-romfinish\n"
        "\t.byte %lu, %lu\t\t\t# revision level of code/data: rom_version minor, major\n"
        "\t.byte 0\t\t\t\t# code type: x86 PC-AT compatible\n"
        "\t.byte 0x80\t\t\t# indicator: last image\n"
        "\t.word 0\n", min, maj);
    ob_printf(ob,
        "\n# ---- PnP expansion header (PnP BIOS spec 1.0a), 32 bytes ----\n"
        "\t.balign 16, 0\nrom_pnp:\n"
        "\t.ascii \"$PnP\"\n"
        "\t.byte 1\t\t\t\t# structure revision\n"
        "\t.byte 2\t\t\t\t# length in 16-byte units\n"
        "\t.word 0\t\t\t\t# next header: none\n"
        "\t.byte 0\t\t\t\t# reserved\n"
        "\t.byte 0\t\t\t\t# checksum: vmi-romfinish\n"
        "\t.long 0\t\t\t\t# device identifier\n"
        "\t.word rom_manufacturer - rom_base\n"
        "\t.word rom_product - rom_base\n"
        "\t.byte 0x80, 0x80, 0x08\t\t# device type: as the PCI class code\n"
        "\t.byte 0x00\t\t\t# device indicators\n"
        "\t.word 0, 0, 0, 0, 0\t\t# boot connection, disconnect, bootstrap, reserved, static "
        "resources\n");
    ob_printf(ob, "\n");
    emit_string(ob, "rom_license", key(rom, "license"));
    emit_string(ob, "rom_manufacturer", key(rom, "manufacturer"));
    emit_string(ob, "rom_product", key(rom, "product"));
    ob_printf(ob,
        "\n# ---- the 16-bit init entry: a BIOS far-calls ROM offset 3 after shadowing ----\n"
        "\t.code16\nbios_init:\n"
        "\txor %%ax, %%ax\t\t\t# no boot, display or input device\n"
        "\tlret\n"
        "\t.code32\n");
}

/* The relocation table and VMI_GetRelocationInfo: EAX = call number in; EAX = the routine's linear
 * address (0 for NONE), EDX = VMI_RELOCATION_* out.  Position-independent: call/pop finds the
 * table. */
static void emit_get_reloc(const struct spec *spec, const struct spec_rom *rom, unsigned count,
                           struct outbuf *ob)
{
    ob_printf(ob,
        "\n# ---- relocation table: one entry per call number below %u ----\n"
        "\t.balign 4, 0\nreloc_table:\n"
        "\t.ascii \"%s\"\n"
        "\t.word %u, 4\t\t\t# entries, entry size\n"
        "reloc_entries:\n", count, RELOC_TABLE_MAGIC, count);
    for (unsigned n = 0; n < count; n++) {
        const struct spec_block *b = NULL;
        for (unsigned i = 0; i < rom->nblocks; i++)
            if (rom->blocks[i].call == (int)n && !rom->blocks[i].has_variant)
                b = &rom->blocks[i];
        char label[SPEC_NAME_MAX + 8];
        if (!b) {
            ob_printf(ob, "\t.word 0\n\t.byte VMI_RELOCATION_NONE, 0\t# %u\n", n);
            continue;
        }
        rom_block_label(b, label, sizeof label);
        if (b->is_nop)
            ob_printf(ob, "\t.word rom_nop - rom_base\n\t.byte VMI_RELOCATION_NOP, 0\t# %u %s\n",
                      n, b->name);
        else
            ob_printf(ob, "\t.word %s - rom_base\n\t.byte VMI_RELOCATION_%s, 0\t# %u\n", label,
                      b->is_jump ? "JUMP_REL" : "CALL_REL", n);
    }
    (void)spec;
    ob_printf(ob,
        "\n# VMI_GetRelocationInfo\n"
        "get_reloc:\n"
        "\tcall 1f\n"
        "1:\tpop %%edx\t\t\t# edx = the address of 1b, wherever the ROM is\n"
        "\tcmp $%u, %%eax\n"
        "\tjae 2f\n"
        "\tmovzwl reloc_entries - 1b(%%edx,%%eax,4), %%ecx\n"
        "\tmovzbl reloc_entries + 2 - 1b(%%edx,%%eax,4), %%eax\n"
        "\ttest %%eax, %%eax\n"
        "\tjz 2f\n"
        "\tlea rom_base - 1b(%%edx,%%ecx), %%ecx\n"
        "\tmov %%eax, %%edx\n"
        "\tmov %%ecx, %%eax\n"
        "\tret\n"
        "2:\txor %%eax, %%eax\t\t\t# VMI_RELOCATION_NONE\n"
        "\txor %%edx, %%edx\n"
        "\tret\n"
        "\n# the target of NOP answers: an empty routine\n"
        "rom_nop:\n"
        "\tret\n", count);
}

/* One struct vmi_inline_entry; its relocations start at index first. */
static void emit_inline_entry(const struct spec_block *b, unsigned nreloc, unsigned first,
                              struct outbuf *ob)
{
    char label[SPEC_NAME_MAX + 8];
    rom_block_label(b, label, sizeof label);
    ob_printf(ob,
        "\t.byte %d, 0x%02x, %s, %u\t# %s\n"
        "\t.word %s - rom_base\n"
        "\t.byte %s_end - %s, %u\n"
        "\t.word %u, 0\n"
        "\t.long 0x%x\n",
        b->call, b->clobbers, b->has_variant ? "VMI_INLINE_VARIANT" : "0",
        b->has_variant ? b->variant_arg : 0, b->name, label, label, label, nreloc,
        nreloc ? first : 0, b->has_variant ? b->variant_value : 0);
}

/* The block's struct vmi_inline_reloc records, one per rel32 field. */
static void emit_inline_relocs(const struct spec_block *b, unsigned nreloc, struct outbuf *ob)
{
    char label[SPEC_NAME_MAX + 8];
    rom_block_label(b, label, sizeof label);
    for (unsigned r = 0; r < nreloc; r++)
        ob_printf(ob, "\t.byte %s_r%u - %s, VMI_INLINE_RELOC_REL32\n\t.word 0\n", label, r,
                  label);
}

static void emit_inline_table(const struct spec *spec, const struct spec_rom *rom,
                              const unsigned *nrelocs, struct outbuf *ob)
{
    unsigned entries = 0, relocs = 0;
    for (unsigned i = 0; i < rom->nblocks; i++)
        if (rom->blocks[i].is_inline) {
            entries++;
            relocs += nrelocs[i];
        }
    int native = strcmp(rom->flavor, "native") == 0;
    ob_printf(ob,
        "\n# ---- the inline extension: struct vmi_inline_table, entries, relocations ----\n"
        "\t.balign 4, 0\ninline_table:\n"
        "\t.long VMI_INLINE_TABLE_MAGIC\n"
        "\t.byte VMI_INLINE_VERSION, vmi_inline_table.SIZE, vmi_inline_entry.SIZE, "
        "vmi_inline_reloc.SIZE\n"
        "\t.word %u, %u\t\t\t# entries, relocations\n"
        "\t.byte VMI_INLINE_FLAVOR_%s, 0, 0, 0\n", entries, relocs, native ? "NATIVE" : "PV");
    unsigned first = 0;
    for (unsigned i = 0; i < rom->nblocks; i++)
        if (rom->blocks[i].is_inline) {
            emit_inline_entry(&rom->blocks[i], nrelocs[i], first, ob);
            first += nrelocs[i];
        }
    for (unsigned i = 0; i < rom->nblocks; i++)
        if (rom->blocks[i].is_inline)
            emit_inline_relocs(&rom->blocks[i], nrelocs[i], ob);
    ob_printf(ob, "inline_table_end:\n");
    (void)spec;
}

int emit_rom(const struct spec *spec, const struct spec_rom *rom, struct outbuf *ob,
             struct spec_error *err)
{
    unsigned api_minor = (unsigned)strtoul(key(rom, "api_minor"), NULL, 0);
    const struct spec_const *inl = spec_find_const(spec, "VMI_API_REV_MINOR_INLINE");
    unsigned need = inl ? (unsigned)inl->value : 1;
    int has_init = 0, has_inline = 0;
    unsigned count = 0;
    for (unsigned i = 0; i < spec->ncalls; i++)
        if (spec->calls[i].number + 1 > count)
            count = spec->calls[i].number + 1;
    for (unsigned i = 0; i < rom->nblocks; i++) {
        const struct spec_block *b = &rom->blocks[i];
        if (rom_block_check(spec, rom, b, err) < 0)
            return -1;
        has_init |= b->kind == BLOCK_INIT;
        has_inline |= b->is_inline;
    }
    if (has_inline && api_minor < need) {
        spec_set_error(err, rom->pos, "ROM %s has inline routines, so its api_minor must be at "
                       "least %u (VMI_API_REV_MINOR_INLINE)", rom->flavor, need);
        return -1;
    }
    char self[SPEC_NAME_MAX + 16];
    snprintf(self, sizeof self, "vmi-%s.s", rom->flavor);
    emit_banner(spec, ob, "#", "");
    ob_printf(ob, "# The %s VMI option ROM: assemble with gcc -m32 -c, link at 0, then vmi-romfinish.\n"
                  "# Layout: docs/rom-format.md.\n", rom->flavor);
    emit_equs(spec, rom, ob);
    emit_rom_header(rom, api_minor, ob);
    emit_get_reloc(spec, rom, count, ob);
    unsigned nrelocs[SPEC_MAX_BLOCKS] = { 0 };
    if (!has_init)
        ob_printf(ob, "\n# VMI_Init: nothing to set up\nvmi_init:\n\txor %%eax, %%eax\n\tret\n");
    ob_printf(ob, "\n# ---- routines and helpers ----\n");
    for (unsigned i = 0; i < rom->nblocks; i++)
        if (!rom->blocks[i].is_nop &&
            rom_emit_block(spec, &rom->blocks[i], self, ob, &nrelocs[i], err) < 0)
            return -1;
    if (api_minor >= 1)
        emit_inline_table(spec, rom, nrelocs, ob);
    ob_printf(ob, "\n\t.section .note.GNU-stack, \"\", @progbits\n");
    return ob->failed ? (spec_set_error(err, rom->pos, "out of memory"), -1) : 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
