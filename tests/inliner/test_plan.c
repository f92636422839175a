/* The planner: every decision, every reason, every policy, and its errors. */
#include "tinl.h"

static uint8_t img[ROMGEN_SIZE];
static struct vmi_rom rom;
static struct vmi_reloc_table relocs;
static struct vmi_site_plan sp[T_MAX_SITES];
static uint8_t code[T_MAX_SITES * 64];
static struct vmi_plan plan;

/* DisableInterrupts: movb $0, vtop+0x10 (7 bytes, no clobbers). */
static const struct romgen_body b_cli = {
    .call = VMI_CALL_DisableInterrupts, .clobbers = 0, .len = 7,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x00 },
};
/* SetInterruptMask generic: 30 bytes, too long for... nothing: its site is 32. */
static const struct romgen_body b_popf_generic = {
    .call = VMI_CALL_SetInterruptMask, .clobbers = VMI_CLOBBER_FLAGS, .len = 30,
    .bytes = { 0x90 },
};
/* SetInterruptMask variant for mask 0: the cli body. */
static const struct romgen_body b_popf_0 = {
    .call = VMI_CALL_SetInterruptMask, .clobbers = 0, .variant = 1, .arg = 0, .value = 0, .len = 7,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x00 },
};
/* SetInterruptMask variant for mask 0x200 that is too long for the site (falls back). */
static const struct romgen_body b_popf_200_long = {
    .call = VMI_CALL_SetInterruptMask, .clobbers = 0, .variant = 1, .arg = 0, .value = 0x200,
    .len = 33, .bytes = { 0x90 },
};
/* GetInterruptMask: clobbers eax and ecx: more than the site's eax+flags. */
static const struct romgen_body b_pushf_clobbers = {
    .call = VMI_CALL_GetInterruptMask, .clobbers = VMI_CLOBBER_EAX | VMI_CLOBBER_ECX, .len = 5,
    .bytes = { 0xb8, 0, 0, 0, 0 },
};
/* RDTSC body 9 bytes: longer than its 8-byte site. */
static const struct romgen_body b_rdtsc_long = {
    .call = VMI_CALL_RDTSC, .clobbers = VMI_CLOBBER_STD, .len = 9, .bytes = { 0x90 },
};

static void setup_rom(void)
{
    struct romgen_body b[6] = { b_cli, b_popf_generic, b_popf_0, b_popf_200_long, b_pushf_clobbers,
                                b_rdtsc_long };
    tmkrom(&rom, img, b, 6);
    romgen_relocs(&relocs, T_ROM_BASE);
    vmi_plan_init(&plan, sp, T_MAX_SITES, code, sizeof(code));
}

/* Plans one site under policy and returns its plan entry. */
static const struct vmi_site_plan *plan1(struct tsite s, unsigned policy)
{
    struct vmi_site_table t;
    struct vmi_plan_options opt = { (enum vmi_policy)policy, 0 };
    struct vmi_error err;
    tread(&t, &s, 1);
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, &relocs, &opt, &err), VMI_OK);
    assert_int_equal(plan.count, 1);
    assert_int_equal(plan.code_len, s.len);
    return &plan.sites[0];
}

static void expect(const struct vmi_site_plan *p, unsigned decision, unsigned reason, unsigned why)
{
    assert_string_equal(vmi_decision_name(p->decision), vmi_decision_name(decision));
    assert_string_equal(vmi_reason_name(p->reason), vmi_reason_name(reason));
    assert_string_equal(vmi_noinline_name(p->noinline), vmi_noinline_name(why));
}

static void test_inline(void **state)
{
    const struct vmi_site_plan *p;
    (void)state;
    setup_rom();
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_DisableInterrupts), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
    assert_int_equal(p->used, 7);
    assert_int_equal(p->nops, 1);
    assert_int_equal(p->target, T_ROM_BASE + ROMGEN_BODIES);
    assert_memory_equal(code, b_cli.bytes, 7);
    assert_int_equal(code[7], 0x90);
    /* The same under inline-only. */
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_DisableInterrupts), VMI_POLICY_INLINE_ONLY);
    expect(p, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
}

static void test_variants(void **state)
{
    struct tsite s = tsite_std(T_TEXT_BASE, VMI_CALL_SetInterruptMask);
    const struct vmi_site_plan *p;
    (void)state;
    setup_rom();
    /* No constant: the generic body (30 bytes fits 32). */
    p = plan1(s, VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
    assert_int_equal(p->used, 30);
    /* Constant 0: the variant. */
    s.flags = VMI_SITE_CONST;
    s.cv = 0;
    p = plan1(s, VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_INLINE, VMI_REASON_INLINE_VARIANT, VMI_NOINLINE_INLINED);
    assert_int_equal(p->used, 7);
    assert_int_equal(p->nops, 3);                 /* 25 = 9 + 9 + 7 */
    /* Constant 0x200: its variant is too long, so the generic body. */
    s.cv = 0x200;
    p = plan1(s, VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
    /* A constant without a variant: generic. */
    s.cv = 0x1234;
    p = plan1(s, VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
    /* The variant 0x200 too long and the generic clobbering too much: CALL, reason clobbers. */
    s.cv = 0x200;
    s.clobbers = 0;
    p = plan1(s, VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_NATIVE, VMI_REASON_CALL_CLOBBERS, VMI_NOINLINE_CLOBBERS);
    /* With only the variant existing and too long: too-long. */
    {
        struct romgen_body b[1] = { b_popf_200_long };
        tmkrom(&rom, img, b, 1);
        s.clobbers = VMI_CLOBBER_FLAGS;
        p = plan1(s, VMI_POLICY_AUTO);
        expect(p, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_TOO_LONG);
    }
}

static void test_call(void **state)
{
    const struct vmi_site_plan *p;
    struct tsite s;
    uint32_t disp;
    (void)state;
    setup_rom();
    /* No body for CPUID: CALL. */
    s = tsite_std(T_TEXT_BASE + 0x123, VMI_CALL_CPUID);
    p = plan1(s, VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_NO_BODY);
    assert_int_equal(code[0], 0xe8);
    memcpy(&disp, code + 1, 4);
    assert_int_equal(T_TEXT_BASE + 0x123 + 5 + disp, romgen_routine(T_ROM_BASE, VMI_CALL_CPUID));
    assert_int_equal(p->target, romgen_routine(T_ROM_BASE, VMI_CALL_CPUID));
    assert_int_equal(p->used, 5);
    assert_int_equal(p->nops, 1);
    assert_memory_equal(code + 5, vmi_nops[3], 3);
    /* A body longer than the site: CALL. */
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_RDTSC), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_TOO_LONG);
    /* A body that clobbers more than the site allows: CALL. */
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_GetInterruptMask), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_CLOBBERS);
    /* Call-only ignores the bodies. */
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_DisableInterrupts), VMI_POLICY_CALL_ONLY);
    expect(p, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_POLICY);
    /* No extension at all. */
    {
        struct romgen_spec spec = { 0, 0, NULL, 0 };
        struct vmi_error err;
        romgen_build(img, T_ROM_BASE, &spec);
        assert_int_equal(vmi_rom_probe(&rom, img, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_OK);
        p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_DisableInterrupts), VMI_POLICY_AUTO);
        expect(p, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_NO_EXTENSION);
    }
}

static void test_call_refusals(void **state)
{
    struct tsite s;
    (void)state;
    setup_rom();
    /* A 4-byte site cannot hold a call. */
    s = tsite_std(T_TEXT_BASE, VMI_CALL_CLTS);
    s.len = 4;
    expect(plan1(s, VMI_POLICY_AUTO), VMI_DECISION_NATIVE, VMI_REASON_SITE_TOO_SHORT,
           VMI_NOINLINE_NO_BODY);
    /* The routine clobbers eax, ecx, edx: a site that keeps ecx refuses it. */
    s = tsite_std(T_TEXT_BASE, VMI_CALL_CLTS);
    s.clobbers = VMI_CLOBBER_EAX | VMI_CLOBBER_EDX | VMI_CLOBBER_FLAGS;
    expect(plan1(s, VMI_POLICY_AUTO), VMI_DECISION_NATIVE, VMI_REASON_CALL_CLOBBERS,
           VMI_NOINLINE_NO_BODY);
    /* Exactly the spec's clobbers: fine. */
    s.clobbers = VMI_CLOBBER_STD;
    expect(plan1(s, VMI_POLICY_AUTO), VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_NO_BODY);
}

static void test_jump_nop_none(void **state)
{
    const struct vmi_site_plan *p;
    uint32_t disp;
    (void)state;
    setup_rom();
    p = plan1(tsite_std(T_TEXT_BASE + 0x40, VMI_CALL_IRET), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_JUMP, VMI_REASON_JUMP_REL, VMI_NOINLINE_NO_BODY);
    assert_int_equal(code[0], 0xe9);
    memcpy(&disp, code + 1, 4);
    assert_int_equal(T_TEXT_BASE + 0x40 + 5 + disp, romgen_routine(T_ROM_BASE, VMI_CALL_IRET));
    /* CALL_REL at a jump site is a call (the spec enters IRET by CALL). */
    relocs.info[VMI_CALL_SYSEXIT].type = VMI_RELOCATION_CALL_REL;
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_SYSEXIT), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_NO_BODY);
    /* JUMP_REL at a call site: refused. */
    relocs.info[VMI_CALL_RDTSC].type = VMI_RELOCATION_JUMP_REL;
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_RDTSC), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_NATIVE, VMI_REASON_JUMP_AT_CALL_SITE, VMI_NOINLINE_TOO_LONG);
    assert_memory_equal(code, vmi_call_table[VMI_CALL_RDTSC].native, 2);
    /* NOP. */
    relocs.info[VMI_CALL_IODelay].type = VMI_RELOCATION_NOP;
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_IODelay), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_NOP, VMI_REASON_NOP_REL, VMI_NOINLINE_NO_BODY);
    assert_int_equal(p->used, 0);
    assert_memory_equal(code, vmi_nops[8], 8);
    /* NONE: native bytes + fill. */
    relocs.info[VMI_CALL_WBINVD].type = VMI_RELOCATION_NONE;
    p = plan1(tsite_std(T_TEXT_BASE, VMI_CALL_WBINVD), VMI_POLICY_AUTO);
    expect(p, VMI_DECISION_NATIVE, VMI_REASON_RELOC_NONE, VMI_NOINLINE_NO_BODY);
    {
        uint8_t native[8];
        vmi_render_native(VMI_CALL_WBINVD, 8, native);
        assert_memory_equal(code, native, 8);
    }
}

static void test_policies(void **state)
{
    (void)state;
    setup_rom();
    expect(plan1(tsite_std(T_TEXT_BASE, VMI_CALL_DisableInterrupts), VMI_POLICY_NATIVE_ONLY),
           VMI_DECISION_NATIVE, VMI_REASON_POLICY, VMI_NOINLINE_POLICY);
    expect(plan1(tsite_std(T_TEXT_BASE, VMI_CALL_CPUID), VMI_POLICY_INLINE_ONLY),
           VMI_DECISION_NATIVE, VMI_REASON_POLICY, VMI_NOINLINE_NO_BODY);
    relocs.info[VMI_CALL_IODelay].type = VMI_RELOCATION_NOP;
    expect(plan1(tsite_std(T_TEXT_BASE, VMI_CALL_IODelay), VMI_POLICY_CALL_ONLY),
           VMI_DECISION_NOP, VMI_REASON_NOP_REL, VMI_NOINLINE_POLICY);
    expect(plan1(tsite_std(T_TEXT_BASE, VMI_CALL_IRET), VMI_POLICY_CALL_ONLY),
           VMI_DECISION_JUMP, VMI_REASON_JUMP_REL, VMI_NOINLINE_POLICY);
    /* No ROM: the native plan. */
    {
        struct tsite s = tsite_std(T_TEXT_BASE, VMI_CALL_FlushTLB);
        struct vmi_site_table t;
        struct vmi_error err;
        uint8_t native[28];
        tread(&t, &s, 1);
        assert_int_equal(vmi_plan_build(&plan, &t, NULL, NULL, NULL, &err), VMI_OK);
        expect(&plan.sites[0], VMI_DECISION_NATIVE, VMI_REASON_NO_ROM, VMI_NOINLINE_NO_EXTENSION);
        assert_int_equal(plan.rom_base, 0);
        vmi_render_native(VMI_CALL_FlushTLB, 28, native);
        assert_memory_equal(code, native, 28);
        assert_int_equal(plan.sites[0].used, 27);
        assert_int_equal(plan.sites[0].nops, 1);
    }
}

static void test_errors(void **state)
{
    struct tsite s[2] = { tsite_std(T_TEXT_BASE, VMI_CALL_CPUID),
                          tsite_std(T_TEXT_BASE + 8, VMI_CALL_RDTSC) };
    struct vmi_site_table t;
    struct vmi_plan_options opt = { VMI_POLICY_AUTO, 0 };
    struct vmi_error err;
    struct vmi_plan small;
    (void)state;
    setup_rom();
    tread(&t, s, 2);
    relocs.info[VMI_CALL_RDTSC].type = 4;
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, &relocs, &opt, &err), VMI_E_RELOC_TYPE);
    assert_int_equal(err.site, 1);
    assert_int_equal(err.address, T_TEXT_BASE + 8);
    assert_int_equal(err.actual, 4);
    assert_int_equal(plan.count, 0);
    relocs.info[VMI_CALL_RDTSC].type = VMI_RELOCATION_CALL_REL;
    relocs.info[VMI_CALL_RDTSC].eip = T_ROM_BASE + ROMGEN_SIZE;     /* one past the end */
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, &relocs, &opt, &err), VMI_E_RELOC_TARGET);
    assert_int_equal(err.actual, T_ROM_BASE + ROMGEN_SIZE);
    relocs.info[VMI_CALL_RDTSC].eip = T_ROM_BASE - 1;
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, &relocs, &opt, &err), VMI_E_RELOC_TARGET);
    opt.flags = VMI_PLAN_ANY_TARGET;
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, &relocs, &opt, &err), VMI_OK);
    assert_int_equal(plan.sites[1].target, T_ROM_BASE - 1);
    /* Capacity. */
    vmi_plan_init(&small, sp, 1, code, sizeof(code));
    assert_int_equal(vmi_plan_build(&small, &t, &rom, &relocs, &opt, &err), VMI_E_CAPACITY);
    assert_int_equal(err.expected, 2);
    vmi_plan_init(&small, sp, T_MAX_SITES, code, 15);
    assert_int_equal(vmi_plan_build(&small, &t, &rom, &relocs, &opt, &err), VMI_E_CAPACITY);
    assert_int_equal(err.expected, 16);
    /* Arguments. */
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, NULL, &opt, &err), VMI_E_ARG);
    assert_int_equal(vmi_plan_build(NULL, &t, &rom, &relocs, &opt, &err), VMI_E_ARG);
    opt.policy = VMI_POLICY_COUNT;
    assert_int_equal(vmi_plan_build(&plan, &t, &rom, &relocs, &opt, &err), VMI_E_ARG);
    /* The relocation query. */
}

static vmi_status query_ok(void *ctx, uint8_t call, struct vmi_relocation_info *out)
{
    (void)ctx;
    out->eip = romgen_routine(T_ROM_BASE, call);
    out->type = call == VMI_CALL_IODelay ? VMI_RELOCATION_NOP : VMI_RELOCATION_CALL_REL;
    return VMI_OK;
}

static vmi_status query_bad(void *ctx, uint8_t call, struct vmi_relocation_info *out)
{
    out->type = call == *(uint8_t *)ctx ? 9 : VMI_RELOCATION_NONE;
    return call == 70 ? VMI_E_ARG : VMI_OK;
}

static void test_reloc_query(void **state)
{
    struct vmi_reloc_table t;
    struct vmi_error err;
    uint8_t bad = 17;
    (void)state;
    assert_int_equal(vmi_reloc_table_fill(&t, query_ok, NULL, &err), VMI_OK);
    assert_int_equal(t.info[VMI_CALL_IODelay].type, VMI_RELOCATION_NOP);
    assert_int_equal(t.info[VMI_CALL_CPUID].eip, romgen_routine(T_ROM_BASE, 0));
    assert_int_equal(t.info[49].type, VMI_RELOCATION_NONE);     /* undefined: not asked */
    assert_int_equal(t.info[49].eip, 0);
    assert_int_equal(vmi_reloc_table_fill(&t, query_bad, &bad, &err), VMI_E_RELOC_TYPE);
    assert_int_equal(err.offset, 17);
    bad = 0xff;
    assert_int_equal(vmi_reloc_table_fill(&t, query_bad, &bad, &err), VMI_E_RELOC_QUERY);
    assert_int_equal(err.offset, 70);
    assert_int_equal(vmi_reloc_table_fill(&t, NULL, NULL, &err), VMI_E_ARG);
}

int run_plan_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inline),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_call),
        cmocka_unit_test(test_call_refusals),
        cmocka_unit_test(test_jump_nop_none),
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_reloc_query),
    };
    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
