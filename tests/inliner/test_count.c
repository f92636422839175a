/* The counting plan (inliner/count.c): every site jumps to a thunk that counts, runs the base
 * plan's bytes moved with their branches fixed, and jumps back to the site's end.  Checked by
 * decoding sites and thunks with Zydis. */
#include <Zydis/Zydis.h>
#include "tinl.h"

#define THUNKS_ADDR   0x08100000u
#define COUNTERS_ADDR 0x08200000u

static ZydisDecoder dec;

static void decode(const uint8_t *p, uint32_t len, ZydisDecodedInstruction *in,
                   ZydisDecodedOperand *ops)
{
    assert_true(ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, p, len, in, ops)));
}

static uint32_t branch_target(const uint8_t *p, uint32_t at, ZydisMnemonic want)
{
    ZydisDecodedInstruction in;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    ZyanU64 t;
    decode(p, 5, &in, ops);
    assert_int_equal(in.mnemonic, want);
    assert_int_equal(in.length, 5);
    assert_true(ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&in, &ops[0], at, &t)));
    return (uint32_t)t;
}

/* An inlinable body with a call out of it (a slow path), for EnableInterrupts. */
static const struct romgen_body sti_body = {
    .call = VMI_CALL_EnableInterrupts, .clobbers = VMI_CLOBBER_FLAGS, .len = 14,
    .bytes = { 0xc6, 0x05, 0x0d, 0x00, 0x00, 0xfc, 0x02,   /* movb $2, 0xfc00000d */
               0x74, 0x05,                                 /* je +5 (internal) */
               0xe8, 0, 0, 0, 0 },                         /* call routine (reloc 10) */
    .nrel = 1, .rel = { { 10, ROMGEN_ROUTINES + 16 * 3, 0 } },
};

struct fixture {
    uint8_t rom_img[ROMGEN_SIZE];
    struct vmi_rom rom;
    struct vmi_reloc_table relocs;
    struct vmi_site_table table;
    struct vmi_site_plan base_sites[4], count_sites[4];
    uint8_t base_code[256], count_code[256], thunks[512];
    struct vmi_plan base, counting;
    struct vmi_count_area area;
};

static void setup(struct fixture *f, const struct tsite *s, int n, uint32_t thunks_cap)
{
    struct vmi_error err;
    assert_true(ZYAN_SUCCESS(ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32,
                                              ZYDIS_STACK_WIDTH_32)));
    tmkrom(&f->rom, f->rom_img, &sti_body, 1);
    romgen_relocs(&f->relocs, T_ROM_BASE);
    tread(&f->table, s, n);
    vmi_plan_init(&f->base, f->base_sites, 4, f->base_code, sizeof f->base_code);
    assert_int_equal(vmi_plan_build(&f->base, &f->table, &f->rom, &f->relocs, NULL, &err), VMI_OK);
    vmi_plan_init(&f->counting, f->count_sites, 4, f->count_code, sizeof f->count_code);
    f->area = (struct vmi_count_area){ f->thunks, THUNKS_ADDR, thunks_cap, 0, COUNTERS_ADDR };
}

/* Site i: jmp to its thunk; thunk: lock inc counters[i]; base's bytes; jmp to the site's end. */
static void check_site(struct fixture *f, uint32_t i, uint32_t *thunk_at)
{
    const struct vmi_site_plan *bp = &f->base.sites[i], *cp = &f->counting.sites[i];
    const uint8_t *site = f->counting.code + cp->code_offs;
    uint32_t taddr = THUNKS_ADDR + *thunk_at;
    const uint8_t *t = f->thunks + *thunk_at;
    ZydisDecodedInstruction in;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];

    assert_int_equal(cp->decision, bp->decision);
    assert_int_equal(branch_target(site, cp->addr, ZYDIS_MNEMONIC_JMP), taddr);
    for (uint32_t at = 5; at < cp->len; at += in.length) {   /* the rest of the site: NOPs */
        decode(site + at, cp->len - at, &in, ops);
        assert_int_equal(in.mnemonic, ZYDIS_MNEMONIC_NOP);
    }
    decode(t, 16, &in, ops);
    assert_int_equal(in.mnemonic, ZYDIS_MNEMONIC_INC);
    assert_true(in.attributes & ZYDIS_ATTRIB_HAS_LOCK);
    assert_int_equal(ops[0].type, ZYDIS_OPERAND_TYPE_MEMORY);
    assert_int_equal((uint32_t)ops[0].mem.disp.value, COUNTERS_ADDR + 4 * i);
    assert_int_equal(in.length, 7);
    tinl_compare_moved(f->base.code + bp->code_offs, bp->addr, t + 7, taddr + 7, bp->used);
    assert_int_equal(branch_target(t + 7 + bp->used, taddr + 7 + bp->used, ZYDIS_MNEMONIC_JMP),
                     cp->addr + cp->len);
    *thunk_at += 7 + bp->used + 5;
}

static void test_count_every_decision(void **state)
{
    (void)state;
    static struct fixture f;
    struct tsite s[3] = {
        tsite_std(T_TEXT_BASE + 0x100, VMI_CALL_EnableInterrupts),   /* INLINE, 1 relocation */
        tsite_std(T_TEXT_BASE + 0x200, VMI_CALL_SetCR3),             /* CALL into the ROM */
        tsite_std(T_TEXT_BASE + 0x300, VMI_CALL_FlushTLB),           /* NATIVE with a branch */
    };
    struct vmi_reloc_table none;
    struct vmi_error err;
    setup(&f, s, 3, sizeof f.thunks);
    /* FlushTLB stays native: answer NONE for it */
    f.relocs.info[VMI_CALL_FlushTLB].type = VMI_RELOCATION_NONE;
    (void)none;
    assert_int_equal(vmi_plan_build(&f.base, &f.table, &f.rom, &f.relocs, NULL, &err), VMI_OK);
    assert_int_equal(f.base.sites[0].decision, VMI_DECISION_INLINE);
    assert_int_equal(f.base.sites[1].decision, VMI_DECISION_CALL);
    assert_int_equal(f.base.sites[2].decision, VMI_DECISION_NATIVE);
    assert_int_equal(vmi_plan_count(&f.counting, &f.base, &f.rom, &f.area, &err), VMI_OK);
    uint32_t at = 0;
    for (uint32_t i = 0; i < 3; i++)
        check_site(&f, i, &at);
    assert_int_equal(f.area.thunks_len, at);
}

static void test_count_refusals(void **state)
{
    (void)state;
    static struct fixture f;
    struct tsite s[1] = { tsite_std(T_TEXT_BASE + 0x100, VMI_CALL_EnableInterrupts) };
    struct vmi_error err;
    setup(&f, s, 1, 7 + 14 + 4);   /* one byte short */
    assert_int_equal(vmi_plan_count(&f.counting, &f.base, &f.rom, &f.area, &err), VMI_E_CAPACITY);
    assert_int_equal(err.expected, 7 + 14 + 5);
    /* an inlined body the ROM does not have */
    setup(&f, s, 1, sizeof f.thunks);
    f.base.sites[0].target += 1;
    assert_int_equal(vmi_plan_count(&f.counting, &f.base, &f.rom, &f.area, &err),
                     VMI_E_PLAN_MISMATCH);
    assert_int_equal(err.site, 0);
    assert_int_equal(vmi_plan_count(NULL, &f.base, &f.rom, &f.area, &err), VMI_E_ARG);
}

int run_count_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_every_decision),
        cmocka_unit_test(test_count_refusals),
    };
    return cmocka_run_group_tests_name("count", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
