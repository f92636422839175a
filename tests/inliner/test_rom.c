/* ROM probe: Linux's checks, the checksum, the inline extension, the scan; one test per error. */
#include "tinl.h"

static uint8_t img[ROMGEN_SIZE];

/* The offsets of fields in the ROM header, the inline pointer, table, entry and relocation. */
#define H(field) ((uint32_t)offsetof(struct vrom_header, field))
#define P(field) (VMI_INLINE_PTR_OFFSET + (uint32_t)offsetof(struct vmi_inline_ptr, field))
#define T(field) ((uint32_t)offsetof(struct vmi_inline_table, field))
#define E(field) ((uint32_t)offsetof(struct vmi_inline_entry, field))
#define R(field) ((uint32_t)offsetof(struct vmi_inline_reloc, field))

/* A body per test ROM: DisableInterrupts as `movb $0, vtop+0x10` and a relocated call. */
static const struct romgen_body body_cli = {
    .call = VMI_CALL_DisableInterrupts, .clobbers = 0, .len = 7,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x00 },
};
static const struct romgen_body body_call = {
    .call = VMI_CALL_EnableInterrupts, .clobbers = VMI_CLOBBER_FLAGS, .len = 5,
    .bytes = { 0xe8 }, .nrel = 1, .rel = { { 1, ROMGEN_ROUTINES, 0 } },
};

static uint32_t table_offs;

static void build(void)
{
    struct romgen_body b[2] = { body_cli, body_call };
    struct romgen_spec spec = { 1, 0, b, 2 };
    table_offs = romgen_build(img, T_ROM_BASE, &spec);
}

static vmi_status probe(uint32_t flags, struct vmi_error *err)
{
    struct vmi_rom rom;
    return vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, flags, err);
}

/* Edits one byte (then fixes the checksum) and expects status, with the error at offset. */
static void expect_edit(uint32_t at, uint8_t v, vmi_status want, uint32_t want_offset)
{
    struct vmi_error err;
    build();
    img[at] = v;
    romgen_fix_checksum(img);
    assert_int_equal(probe(0, &err), want);
    assert_int_equal(err.status, want);
    assert_int_equal(err.offset, want_offset);
    assert_int_equal(err.address, T_ROM_BASE + want_offset);
    assert_int_equal(err.site, VMI_NO_SITE);
    assert_non_null(err.reason);
}

static void test_good_rom(void **state)
{
    struct vmi_rom rom;
    struct vmi_error err;
    struct vmi_inline_body b;
    (void)state;
    build();
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_OK);
    assert_int_equal(err.status, VMI_OK);
    assert_int_equal(rom.size, ROMGEN_SIZE);
    assert_int_equal(rom.virtual_top, ROMGEN_VTOP);
    assert_int_equal(rom.api_major, 3);
    assert_int_equal(rom.api_minor, 1);
    assert_int_equal(rom.rom_version_major, 1);
    assert_int_equal(rom.rom_version_minor, 2);
    assert_int_equal(rom.warnings, 0);
    assert_true(rom.has_inline);
    assert_int_equal(rom.inline_entries, 2);
    assert_int_equal(rom.inline_relocs, 1);
    assert_int_equal(rom.inline_table_offs, table_offs);
    assert_true(vmi_rom_inline_find(&rom, VMI_CALL_DisableInterrupts, 0, 0, 0, &b));
    assert_int_equal(b.len, 7);
    assert_int_equal(b.addr, T_ROM_BASE + ROMGEN_BODIES);
    assert_memory_equal(b.bytes, body_cli.bytes, 7);
    assert_true(vmi_rom_inline_find(&rom, VMI_CALL_EnableInterrupts, 0, 0, 0, &b));
    assert_int_equal(b.reloc_count, 1);
    assert_int_equal(vmi_rom_inline_reloc(&rom, &b, 0), 1);
    assert_false(vmi_rom_inline_find(&rom, VMI_CALL_EnableInterrupts, 1, 0, 0, &b));
    assert_false(vmi_rom_inline_find(&rom, VMI_CALL_CPUID, 0, 0, 0, &b));
}

static void test_linux_checks(void **state)
{
    struct vmi_error err;
    (void)state;
    expect_edit(0, 0x56, VMI_E_ROM_SIGNATURE, 0);
    expect_edit(H(vrom_signature), 'x', VMI_E_ROM_VMI_SIGNATURE, H(vrom_signature));
    expect_edit(H(api_version_maj), 2, VMI_E_ROM_VERSION, H(api_version_maj));
    expect_edit(H(api_version_maj), 13, VMI_E_ROM_VERSION, H(api_version_maj));
    build();
    img[H(pci_header_offs)] = img[H(pci_header_offs) + 1] = 0;
    romgen_fix_checksum(img);
    assert_int_equal(probe(0, &err), VMI_E_ROM_NO_PCI);
    assert_int_equal(err.offset, H(pci_header_offs));
    /* A wrong vendor only warns, as in Linux. */
    {
        struct vmi_rom rom;
        build();
        img[ROMGEN_PCI + offsetof(struct pci_header, vendorID)] = 0x86;
        romgen_fix_checksum(img);
        assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_OK);
        assert_int_equal(rom.warnings & VMI_ROM_WARN_VENDOR, VMI_ROM_WARN_VENDOR);
    }
}

static void test_license(void **state)
{
    struct vmi_error err;
    struct vmi_rom rom;
    (void)state;
    build();
    memcpy(img + ROMGEN_LICENSE, "GPL v2", 7);
    romgen_fix_checksum(img);
    assert_int_equal(probe(0, &err), VMI_OK);
    build();
    memcpy(img + ROMGEN_LICENSE, "BSD", 4);
    romgen_fix_checksum(img);
    assert_int_equal(probe(0, &err), VMI_E_ROM_LICENSE);
    assert_int_equal(err.offset, ROMGEN_LICENSE);
    build();
    memcpy(img + ROMGEN_LICENSE, "GPLv2", 6);       /* not exactly GPL or GPL v2 */
    romgen_fix_checksum(img);
    assert_int_equal(probe(0, &err), VMI_E_ROM_LICENSE);
    /* Unterminated: the license runs to the end of the ROM. */
    build();
    img[H(license_offs)] = 0xf0;                              /* at ROMGEN_SIZE - 16 */
    img[H(license_offs) + 1] = 0x1f;
    memset(img + ROMGEN_SIZE - 16, 'G', 16);
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, VMI_PROBE_NO_CHECKSUM, &err),
                     VMI_E_ROM_LICENSE);
    expect_edit(H(license_offs) + 1, 0x40, VMI_E_ROM_OFFSET, H(license_offs));          /* license beyond the ROM */
}

static void test_sizes_and_offsets(void **state)
{
    struct vmi_error err;
    struct vmi_rom rom;
    (void)state;
    build();
    assert_int_equal(vmi_rom_probe(&rom, img, 0x8f, T_ROM_BASE, 0, &err), VMI_E_ROM_SIZE);
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE - 1, T_ROM_BASE, 0, &err), VMI_E_ROM_SIZE);
    assert_int_equal(err.offset, 2);
    build();
    img[H(rom_length)] = 0;
    assert_int_equal(probe(0, &err), VMI_E_ROM_SIZE);
    assert_int_equal(err.offset, 2);
    expect_edit(H(pci_header_offs) + 1, 0x40, VMI_E_ROM_OFFSET, H(pci_header_offs));          /* PCI header beyond the ROM */
    expect_edit(0x1b, 0x40, VMI_E_ROM_OFFSET, 0x1a);          /* PnP header beyond the ROM */
    assert_int_equal(vmi_rom_probe(NULL, img, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_E_ARG);
    assert_int_equal(vmi_rom_probe(&rom, NULL, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_E_ARG);
}

static void test_checksum(void **state)
{
    struct vmi_error err;
    struct vmi_rom rom;
    (void)state;
    build();
    img[0x1000] ^= 1;
    assert_int_equal(probe(0, &err), VMI_E_ROM_CHECKSUM);
    assert_int_equal(err.actual, 1);
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, VMI_PROBE_NO_CHECKSUM, &err),
                     VMI_OK);
    assert_true(rom.warnings & VMI_ROM_WARN_NO_CHECKSUM);
}

static void test_inline_presence(void **state)
{
    struct vmi_error err;
    struct vmi_rom rom;
    struct romgen_body b[1] = { body_cli };
    struct romgen_spec spec = { 0, 0, b, 1 };
    (void)state;
    romgen_build(img, T_ROM_BASE, &spec);            /* API 3.0: no extension */
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_OK);
    assert_false(rom.has_inline);
    assert_int_equal(rom.warnings, 0);
    spec.minor = 1;
    spec.no_inline_ptr = 1;                          /* 3.1 without the pointer: warn */
    romgen_build(img, T_ROM_BASE, &spec);
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_OK);
    assert_false(rom.has_inline);
    assert_true(rom.warnings & VMI_ROM_WARN_NO_INLINE);
    build();
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, VMI_PROBE_NO_INLINE, &err),
                     VMI_OK);
    assert_false(rom.has_inline);
    assert_false(vmi_rom_inline_find(&rom, VMI_CALL_DisableInterrupts, 0, 0, 0, NULL));
}

static void test_inline_table_errors(void **state)
{
    (void)state;
    build();
    /* pointer: table offset beyond the ROM (edits of the high bytes of its 16-bit fields) */
    expect_edit(P(table_offs) + 1, 0x7f, VMI_E_INLINE_TABLE, P(table_offs));
    expect_edit(P(table_size), 8, VMI_E_INLINE_TABLE, P(table_offs));
    expect_edit(table_offs, 'x', VMI_E_INLINE_TABLE, table_offs);
    expect_edit(table_offs + T(version), 2, VMI_E_INLINE_TABLE, table_offs + T(version));
    expect_edit(table_offs + T(header_size), 12, VMI_E_INLINE_TABLE, table_offs + T(header_size));
    expect_edit(table_offs + T(entry_size), 12, VMI_E_INLINE_TABLE, table_offs + T(header_size));
    expect_edit(table_offs + T(reloc_size), 8, VMI_E_INLINE_TABLE, table_offs + T(header_size));
    expect_edit(table_offs + T(entry_count), 3, VMI_E_INLINE_TABLE,          /* 3 entries */
                table_offs + T(entry_count));
    expect_edit(table_offs + T(reloc_count), 2, VMI_E_INLINE_TABLE,          /* 2 relocations */
                table_offs + T(entry_count));
}

static void test_inline_entry_errors(void **state)
{
    uint32_t e0, e1;
    (void)state;
    build();
    e0 = table_offs + (uint32_t)sizeof(struct vmi_inline_table);
    e1 = e0 + (uint32_t)sizeof(struct vmi_inline_entry);
    expect_edit(e0, 49, VMI_E_INLINE_ENTRY, e0);                 /* undefined call 49 */
    expect_edit(e0, VMI_NUM_CALLS, VMI_E_INLINE_ENTRY, e0);
    expect_edit(e0 + E(flags), 0x80, VMI_E_INLINE_ENTRY, e0 + E(flags));      /* unknown flags */
    expect_edit(e0 + E(body_offs) + 1, 0x20, VMI_E_INLINE_ENTRY,             /* body beyond the ROM */
                e0 + E(body_offs));
    expect_edit(e1 + E(reloc_first), 1, VMI_E_INLINE_ENTRY,         /* relocations beyond the array */
                e1 + E(reloc_first));
    expect_edit(e0, VMI_CALL_EnableInterrupts, VMI_E_INLINE_DUPLICATE, e1);
}

static void test_inline_reloc_errors(void **state)
{
    uint32_t r0;
    struct vmi_error err;
    (void)state;
    build();
    r0 = table_offs +
         (uint32_t)(sizeof(struct vmi_inline_table) + 2 * sizeof(struct vmi_inline_entry));
    expect_edit(r0 + R(kind), 2, VMI_E_INLINE_RELOC, r0 + R(kind));          /* unknown kind */
    expect_edit(r0, 2, VMI_E_INLINE_RELOC, r0);                  /* field runs past the body */
    /* A target inside its own body. */
    build();
    {
        uint32_t field = ROMGEN_BODIES + 7 + 1;                  /* second body's field */
        uint32_t disp = (uint32_t)-4;                            /* target = the field itself */
        memcpy(img + field, &disp, 4);
        romgen_fix_checksum(img);
        assert_int_equal(probe(0, &err), VMI_E_INLINE_RELOC);
        assert_int_equal(err.offset, field);
    }
    /* A variant for the same call is not a duplicate; two equal variants are. */
    {
        struct romgen_body b[3] = { body_cli, body_cli, body_cli };
        struct romgen_spec spec = { 1, 0, b, 3 };
        b[1].variant = 1;
        b[1].value = 5;
        b[2].variant = 1;
        b[2].value = 6;
        romgen_build(img, T_ROM_BASE, &spec);
        assert_int_equal(probe(0, &err), VMI_OK);
        b[2].value = 5;
        romgen_build(img, T_ROM_BASE, &spec);
        assert_int_equal(probe(0, &err), VMI_E_INLINE_DUPLICATE);
    }
}

static void test_scan(void **state)
{
    static uint8_t region[0x20000];
    struct vmi_rom rom;
    struct vmi_error err;
    (void)state;
    build();
    memset(region, 0, sizeof(region));
    region[0x800] = 0x55;                  /* a non-VMI option ROM first */
    region[0x801] = 0xaa;
    region[0x802] = 4;
    memcpy(region + 0x8000, img, ROMGEN_SIZE);
    assert_int_equal(vmi_rom_scan(&rom, region, VMI_ROM_SCAN_START, sizeof(region), 0, &err), VMI_OK);
    assert_int_equal(rom.base, VMI_ROM_SCAN_START + 0x8000);
    assert_ptr_equal(rom.image, region + 0x8000);
    /* Not on a 2 KiB boundary: not found. */
    memset(region + 0x8000, 0, ROMGEN_SIZE);
    memcpy(region + 0x8400, img, ROMGEN_SIZE);
    assert_int_equal(vmi_rom_scan(&rom, region, VMI_ROM_SCAN_START, sizeof(region), 0, &err),
                     VMI_E_ROM_NOT_FOUND);
    assert_int_equal(err.expected, VMI_E_ROM_VMI_SIGNATURE);   /* the last candidate's failure */
    assert_int_equal(err.address, VMI_ROM_SCAN_START + 0x800);
}

int run_rom_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_rom),
        cmocka_unit_test(test_linux_checks),
        cmocka_unit_test(test_license),
        cmocka_unit_test(test_sizes_and_offsets),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_inline_presence),
        cmocka_unit_test(test_inline_table_errors),
        cmocka_unit_test(test_inline_entry_errors),
        cmocka_unit_test(test_inline_reloc_errors),
        cmocka_unit_test(test_scan),
    };
    return cmocka_run_group_tests_name("rom", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
