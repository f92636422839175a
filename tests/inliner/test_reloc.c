/* Relocation fix-ups checked by decoding with Zydis: every branch target of an inlined body is
 * preserved at many site addresses and ROM bases; NOP fill for 1-64 bytes is the fewest NOPs. */
#include <Zydis/Zydis.h>
#include "tinl.h"

static ZydisDecoder dec;

/* A body mixing relocated and internal branches (offsets in comments). */
static struct romgen_body body(void)
{
    struct romgen_body b = {
        .call = VMI_CALL_SetInterruptMask, .clobbers = VMI_CLOBBER_FLAGS, .len = 37,
        .bytes = {
            0x80, 0x3d, 0x11, 0x00, 0x00, 0xfc, 0x00,   /*  0 cmpb $0, 0xfc000011 */
            0x74, 0x05,                                 /*  7 je 14 (internal) */
            0xe8, 0, 0, 0, 0,                           /*  9 call routine (reloc 10) */
            0x0f, 0x85, 0, 0, 0, 0,                     /* 14 jne routine (reloc 16) */
            0xe9, 0, 0, 0, 0,                           /* 20 jmp far away (reloc 21) */
            0xeb, 0x00,                                 /* 25 jmp 27 (internal) */
            0xe9, 0xe0, 0xff, 0xff, 0xff,               /* 27 jmp 0 (internal rel32) */
            0xe8, 0, 0, 0, 0,                           /* 32 call a hole page (reloc 33) */
        },
        .nrel = 4,
        .rel = { { 10, ROMGEN_ROUTINES + 16, 0 }, { 16, ROMGEN_ROUTINES + 32, 0 },
                 { 21, 0x0, 0 }, { 33, 0xfc001000u, 1 } },
    };
    return b;
}

static uint32_t abs_target(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
                           uint32_t at, int *has)
{
    ZyanU64 a = 0;
    *has = 0;
    for (unsigned i = 0; i < in->operand_count_visible; i++) {
        if (ops[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && ops[i].imm.is_relative) {
            assert_true(ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, &ops[i], at, &a)));
            *has = 1;
        }
    }
    return (uint32_t)a;
}

/* Decodes the ROM body and the inlined copy side by side (tinl.h). */
int tinl_compare_moved(const uint8_t *orig, uint32_t orig_addr, const uint8_t *copy,
                       uint32_t site, uint32_t len)
{
    uint32_t off = 0;
    int branches = 0;
    assert_true(ZYAN_SUCCESS(ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32,
                                              ZYDIS_STACK_WIDTH_32)));
    while (off < len) {
        ZydisDecodedInstruction a, b;
        ZydisDecodedOperand oa[ZYDIS_MAX_OPERAND_COUNT], ob[ZYDIS_MAX_OPERAND_COUNT];
        int ha, hb;
        uint32_t ta, tb;
        assert_true(ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, orig + off, len - off, &a, oa)));
        assert_true(ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, copy + off, len - off, &b, ob)));
        assert_int_equal(a.mnemonic, b.mnemonic);
        assert_int_equal(a.length, b.length);
        ta = abs_target(&a, oa, orig_addr + off, &ha);
        tb = abs_target(&b, ob, site + off, &hb);
        assert_int_equal(ha, hb);
        if (ha) {
            branches++;
            if (ta - orig_addr <= len)      /* inside the body or its end: same place in the copy */
                assert_int_equal(tb - site, ta - orig_addr);
            else                            /* outside: the same absolute target */
                assert_int_equal(tb, ta);
        } else {
            assert_memory_equal(orig + off, copy + off, a.length);
        }
        off += a.length;
    }
    assert_int_equal(off, len);
    return branches;
}

static void check_at(uint32_t rom_base, uint32_t site_addr)
{
    static uint8_t img[ROMGEN_SIZE];
    static struct vmi_site_info info[1];
    static struct vmi_site_plan sp[1];
    static uint8_t code[64];
    struct romgen_body b = body();
    struct romgen_spec spec = { 1, 0, &b, 1 };
    struct vmi_rom rom;
    struct vmi_reloc_table relocs;
    struct vmi_site_table t = { info, 1, 1 };
    struct vmi_plan plan;
    struct vmi_error err;

    romgen_build(img, rom_base, &spec);
    assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, rom_base, 0, &err), VMI_OK);
    romgen_relocs(&relocs, rom_base);
    info[0] = (struct vmi_site_info){ site_addr, 0, 0, VMI_CALL_SetInterruptMask, 40,
                                      VMI_CLOBBER_FLAGS, 0, VMI_USE_GLUE };
    vmi_plan_init(&plan, sp, 1, code, sizeof(code));
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, &relocs, NULL, &err), VMI_OK);
    assert_int_equal(sp[0].decision, VMI_DECISION_INLINE);
    assert_int_equal(sp[0].relocs, 4);
    assert_int_equal(sp[0].used, 37);
    assert_int_equal(tinl_compare_moved(img + ROMGEN_BODIES, rom_base + ROMGEN_BODIES, code,
                                     site_addr, 37), 7);
    /* The fill after the body decodes as one 3-byte NOP. */
    assert_memory_equal(code + 37, vmi_nops[3], 3);
}

static void test_reloc_many_addresses(void **state)
{
    static const uint32_t bases[] = { 0xc0000, 0xc8000, 0xdf800, 0x00100000, 0xc1234800u };
    uint32_t x = 12345;
    (void)state;
    for (unsigned b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
        check_at(bases[b], 0x08048000);
        check_at(bases[b], 0x00000000);             /* displacements wrap */
        check_at(bases[b], 0xffffffc0u);
        check_at(bases[b], bases[b] + ROMGEN_SIZE); /* right after the ROM */
        check_at(bases[b], 0xc0000000u);
        for (int i = 0; i < 200; i++) {
            x = x * 1103515245u + 12345u;
            check_at(bases[b], x & ~0u);
        }
    }
}

static void test_rel32_move(void **state)
{
    uint8_t f[4];
    uint32_t d = 0x100;
    (void)state;
    memcpy(f, &d, 4);                                /* target = 0x1000 + 0x100 */
    vmi_rel32_move(f, 0x1000, 0x5000);
    memcpy(&d, f, 4);
    assert_int_equal(0x5000 + d, 0x1100);
    vmi_rel32_move(f, 0x5000, 0xfffffff0u);          /* across the top of the address space */
    memcpy(&d, f, 4);
    assert_int_equal((uint32_t)(0xfffffff0u + d), 0x1100);
}

static void test_nop_fill(void **state)
{
    (void)state;
    for (uint32_t len = 1; len <= 64; len++) {
        uint8_t buf[80];
        uint32_t off = 0, n = 0, count;
        memset(buf, 0xcc, sizeof(buf));
        count = vmi_nop_fill(buf, len);
        assert_int_equal(count, (len + 8) / 9);
        assert_int_equal(buf[len], 0xcc);
        while (off < len) {
            ZydisDecodedInstruction in;
            ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
            uint32_t want = len - off >= 9 ? 9 : len - off;
            assert_true(ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, buf + off, len - off, &in, ops)));
            assert_int_equal(in.mnemonic, ZYDIS_MNEMONIC_NOP);
            assert_int_equal(in.length, want);
            off += in.length;
            n++;
        }
        assert_int_equal(off, len);
        assert_int_equal(n, count);
        assert_int_equal(vmi_nop_fill(buf, 0), 0);
    }
}

/* Every call's native site decodes: the native bytes, then only NOPs, ending at the reserve. */
static void test_native_render(void **state)
{
    (void)state;
    for (uint32_t c = 0; c < VMI_NUM_CALLS; c++) {
        const struct vmi_call_meta *m = &vmi_call_table[c];
        uint8_t buf[VMI_RESERVE_MAX];
        uint32_t off = 0, nops;
        if (!(m->flags & VMI_CALL_F_DEFINED)) {
            assert_int_equal(vmi_render_native((uint8_t)c, 8, buf), VMI_NO_SITE);
            continue;
        }
        nops = vmi_render_native((uint8_t)c, m->reserve, buf);
        assert_int_equal(nops, (m->reserve - m->native_len + 8u) / 9u);
        assert_memory_equal(buf, m->native, m->native_len);
        while (off < m->reserve) {
            ZydisDecodedInstruction in;
            ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
            assert_true(ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, buf + off, m->reserve - off, &in, ops)));
            if (off >= m->native_len)
                assert_int_equal(in.mnemonic, ZYDIS_MNEMONIC_NOP);
            off += in.length;
            if (off < m->native_len)
                continue;
        }
        assert_int_equal(off, m->reserve);
        if (m->native_len)
            assert_int_equal(vmi_render_native((uint8_t)c, m->native_len - 1u, buf), VMI_NO_SITE);
    }
}

static int setup(void **state)
{
    (void)state;
    return ZYAN_SUCCESS(ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32)) ? 0 : -1;
}

int run_reloc_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reloc_many_addresses),
        cmocka_unit_test(test_rel32_move),
        cmocka_unit_test(test_nop_fill),
        cmocka_unit_test(test_native_render),
    };
    return cmocka_run_group_tests_name("reloc", tests, setup, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
