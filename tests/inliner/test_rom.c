/* ROM probe: Linux's checks, the checksum, the inline extension, the scan; one test per error. */
#include "tinl.h"

static uint8_t img[ROMGEN_SIZE];

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
    expect_edit(8, 'x', VMI_E_ROM_VMI_SIGNATURE, 8);
    expect_edit(0x0d, 2, VMI_E_ROM_VERSION, 0x0d);
    expect_edit(0x0d, 13, VMI_E_ROM_VERSION, 0x0d);
    build();
    img[0x18] = img[0x19] = 0;
    romgen_fix_checksum(img);
    assert_int_equal(probe(0, &err), VMI_E_ROM_NO_PCI);
    assert_int_equal(err.offset, 0x18);
    /* A wrong vendor only warns, as in Linux. */
    {
        struct vmi_rom rom;
        build();
        img[ROMGEN_PCI + 4] = 0x86;
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
    img[0x16] = 0xf0;
    img[0x17] = 0x1f;
    memset(img + 0x1ff0, 'G', 16);
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, VMI_PROBE_NO_CHECKSUM, &err),
                     VMI_E_ROM_LICENSE);
    expect_edit(0x17, 0x40, VMI_E_ROM_OFFSET, 0x16);          /* license beyond the ROM */
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
    img[2] = 0;                                               /* rom_length 0 */
    assert_int_equal(probe(0, &err), VMI_E_ROM_SIZE);
    assert_int_equal(err.offset, 2);
    expect_edit(0x19, 0x40, VMI_E_ROM_OFFSET, 0x18);          /* PCI header beyond the ROM */
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
    /* pointer: table offset beyond the ROM */
    expect_edit(VMI_INLINE_PTR_OFFSET + 5, 0x7f, VMI_E_INLINE_TABLE, VMI_INLINE_PTR_OFFSET + 4);
    expect_edit(VMI_INLINE_PTR_OFFSET + 6, 8, VMI_E_INLINE_TABLE, VMI_INLINE_PTR_OFFSET + 4);
    expect_edit(table_offs, 'x', VMI_E_INLINE_TABLE, table_offs);
    expect_edit(table_offs + 4, 2, VMI_E_INLINE_TABLE, table_offs + 4);
    expect_edit(table_offs + 5, 12, VMI_E_INLINE_TABLE, table_offs + 5);
    expect_edit(table_offs + 6, 12, VMI_E_INLINE_TABLE, table_offs + 5);
    expect_edit(table_offs + 7, 8, VMI_E_INLINE_TABLE, table_offs + 5);
    expect_edit(table_offs + 8, 3, VMI_E_INLINE_TABLE, table_offs + 8);   /* 3 entries */
    expect_edit(table_offs + 10, 2, VMI_E_INLINE_TABLE, table_offs + 8);  /* 2 relocations */
}

static void test_inline_entry_errors(void **state)
{
    uint32_t e0, e1;
    (void)state;
    build();
    e0 = table_offs + 16;
    e1 = table_offs + 32;
    expect_edit(e0, 49, VMI_E_INLINE_ENTRY, e0);                 /* undefined call 49 */
    expect_edit(e0, VMI_NUM_CALLS, VMI_E_INLINE_ENTRY, e0);
    expect_edit(e0 + 2, 0x80, VMI_E_INLINE_ENTRY, e0 + 2);       /* unknown flags */
    expect_edit(e0 + 5, 0x20, VMI_E_INLINE_ENTRY, e0 + 4);       /* body beyond the ROM */
    expect_edit(e1 + 8, 1, VMI_E_INLINE_ENTRY, e1 + 8);          /* relocations beyond the array */
    expect_edit(e0, VMI_CALL_EnableInterrupts, VMI_E_INLINE_DUPLICATE, e1);
}

static void test_inline_reloc_errors(void **state)
{
    uint32_t r0;
    struct vmi_error err;
    (void)state;
    build();
    r0 = table_offs + 16 + 2 * 16;
    expect_edit(r0 + 1, 2, VMI_E_INLINE_RELOC, r0 + 1);          /* unknown kind */
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
