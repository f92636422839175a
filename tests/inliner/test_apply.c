/* Applying, verifying, reverting, re-applying against another ROM; every validation error;
 * statistics and report lines. */
#include <stdio.h>
#include "tinl.h"

static uint8_t img1[ROMGEN_SIZE], img2[ROMGEN_SIZE];
static struct vmi_rom rom1, rom2;
static struct vmi_reloc_table rel1, rel2;
static uint8_t textbuf[T_TEXT_SIZE], orig[T_TEXT_SIZE];
static struct vmi_text text;
static struct vmi_site_table sites;
static struct vmi_site_plan sp1[T_MAX_SITES], sp2[T_MAX_SITES], spn[T_MAX_SITES];
static uint8_t code1[4096], code2[4096], coden[4096], savebuf[4096];
static struct vmi_plan p1, p2, pn;
static struct vmi_save save;

static const struct romgen_body b_cli = {
    .call = VMI_CALL_DisableInterrupts, .clobbers = 0, .len = 7,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x00 },
};
static const struct romgen_body b_sti = {
    .call = VMI_CALL_EnableInterrupts, .clobbers = VMI_CLOBBER_FLAGS, .len = 21,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x01, 0x80, 0x3d, 0x11, 0x00, 0x00, 0xfc, 0x00,
               0x74, 0x05, 0xe8 },
    .nrel = 1, .rel = { { 17, ROMGEN_ROUTINES, 0 } },
};

static void setup_all(void)
{
    struct tsite s[6] = {
        tsite_std(T_TEXT_BASE + 0x010, VMI_CALL_DisableInterrupts),
        tsite_std(T_TEXT_BASE + 0x020, VMI_CALL_EnableInterrupts),
        tsite_std(T_TEXT_BASE + 0x040, VMI_CALL_RDTSC),
        tsite_std(T_TEXT_BASE + 0x100, VMI_CALL_IRET),
        tsite_std(T_TEXT_BASE + 0x108, VMI_CALL_IODelay),      /* adjacent to IRET */
        tsite_std(T_TEXT_BASE + 0x200, VMI_CALL_FlushTLB),
    };
    struct romgen_body b[2] = { b_cli, b_sti };
    struct vmi_error err;

    tread(&sites, s, 6);
    ttext(&text, textbuf, &sites);
    memcpy(orig, textbuf, sizeof(orig));
    tmkrom(&rom1, img1, b, 2);
    romgen_relocs(&rel1, T_ROM_BASE);
    rel1.info[VMI_CALL_IODelay].type = VMI_RELOCATION_NOP;
    /* The second ROM: at another base, no inline bodies, RDTSC native. */
    {
        struct romgen_spec spec = { 0, 0, NULL, 0 };
        romgen_build(img2, T_ROM_BASE + 0x4000, &spec);
        assert_int_equal(vmi_rom_probe(&rom2, img2, ROMGEN_SIZE, T_ROM_BASE + 0x4000, 0, &err), VMI_OK);
    }
    romgen_relocs(&rel2, T_ROM_BASE + 0x4000);
    rel2.info[VMI_CALL_RDTSC].type = VMI_RELOCATION_NONE;
    vmi_plan_init(&p1, sp1, T_MAX_SITES, code1, sizeof(code1));
    vmi_plan_init(&p2, sp2, T_MAX_SITES, code2, sizeof(code2));
    vmi_plan_init(&pn, spn, T_MAX_SITES, coden, sizeof(coden));
    assert_int_equal(vmi_plan_build(&p1, &sites, &rom1, &rel1, NULL, &err), VMI_OK);
    assert_int_equal(vmi_plan_build(&p2, &sites, &rom2, &rel2, NULL, &err), VMI_OK);
    assert_int_equal(vmi_plan_build(&pn, &sites, NULL, NULL, NULL, &err), VMI_OK);
    save.bytes = savebuf;
    save.cap = sizeof(savebuf);
    save.len = save.count = 0;
}

static void test_cycle(void **state)
{
    struct vmi_error err;
    (void)state;
    setup_all();
    /* The native plan is what the text holds. */
    assert_int_equal(vmi_verify(&text, &pn, &err), VMI_OK);
    assert_int_equal(vmi_verify(&text, &p1, &err), VMI_E_SITE_BYTES);
    assert_int_equal(err.site, 0);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_OK);
        assert_int_equal(save.count, 6);
        assert_int_equal(save.len, pn.code_len);
        assert_int_equal(vmi_verify(&text, &p1, &err), VMI_OK);
        assert_memory_not_equal(textbuf, orig, sizeof(orig));
        /* Bytes outside the sites are untouched. */
        for (uint32_t i = 0; i < T_TEXT_SIZE; i++) {
            int in = 0;
            for (uint32_t k = 0; k < sites.count; k++)
                in |= T_TEXT_BASE + i - sites.sites[k].addr < sites.sites[k].len;
            if (!in)
                assert_int_equal(textbuf[i], orig[i]);
        }
        /* Re-apply against the other ROM, from what p1 wrote. */
        assert_int_equal(vmi_apply(&text, &p2, NULL, NULL, &err), VMI_E_SITE_BYTES);
        assert_int_equal(vmi_apply(&text, &p2, &p1, NULL, &err), VMI_OK);
        assert_int_equal(vmi_verify(&text, &p2, &err), VMI_OK);
        /* Revert: byte-identical to the original. */
        assert_int_equal(vmi_revert(&text, &p1, &save, &err), VMI_E_SITE_BYTES);
        assert_int_equal(vmi_revert(&text, &p2, &save, &err), VMI_OK);
        assert_memory_equal(textbuf, orig, sizeof(orig));
    }
    /* Applying the native plan over the native text writes nothing and succeeds. */
    assert_int_equal(vmi_apply(&text, &pn, NULL, NULL, &err), VMI_OK);
    assert_memory_equal(textbuf, orig, sizeof(orig));
}

static void test_decisions_written(void **state)
{
    struct vmi_error err;
    uint32_t d;
    (void)state;
    setup_all();
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_OK);
    assert_int_equal(sp1[0].decision, VMI_DECISION_INLINE);
    assert_int_equal(sp1[1].decision, VMI_DECISION_INLINE);
    assert_int_equal(sp1[2].decision, VMI_DECISION_CALL);
    assert_int_equal(sp1[3].decision, VMI_DECISION_JUMP);
    assert_int_equal(sp1[4].decision, VMI_DECISION_NOP);
    assert_int_equal(sp1[5].decision, VMI_DECISION_CALL);
    assert_int_equal(sp2[2].decision, VMI_DECISION_NATIVE);
    assert_memory_equal(textbuf + 0x10, b_cli.bytes, 7);
    assert_int_equal(textbuf[0x40], 0xe8);
    memcpy(&d, textbuf + 0x41, 4);
    assert_int_equal(T_TEXT_BASE + 0x45 + d, romgen_routine(T_ROM_BASE, VMI_CALL_RDTSC));
    /* The inlined EnableInterrupts call reaches the ROM routine from the site. */
    memcpy(&d, textbuf + 0x20 + 17, 4);
    assert_int_equal(T_TEXT_BASE + 0x20 + 21 + d, T_ROM_BASE + ROMGEN_ROUTINES);
    assert_int_equal(textbuf[0x100], 0xe9);
    assert_memory_equal(textbuf + 0x108, vmi_nops[8], 8);
}

static void test_nothing_written_on_error(void **state)
{
    struct vmi_error err;
    uint8_t before[T_TEXT_SIZE];
    (void)state;
    setup_all();
    /* The last site holds a wrong byte: the error names it, nothing is written. */
    textbuf[0x200 + 5] ^= 0xff;
    memcpy(before, textbuf, sizeof(before));
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_SITE_BYTES);
    assert_int_equal(err.site, 5);
    assert_int_equal(err.address, T_TEXT_BASE + 0x200);
    assert_int_equal(err.offset, 5);
    assert_int_equal(err.expected, orig[0x205]);
    assert_int_equal(err.actual, (uint8_t)(orig[0x205] ^ 0xff));
    assert_memory_equal(textbuf, before, sizeof(before));
    /* A text too small for the last site. */
    setup_all();
    text.size = 0x205;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_SITE_RANGE);
    assert_int_equal(err.site, 5);
    assert_memory_equal(textbuf, orig, sizeof(orig));
    text.size = T_TEXT_SIZE;
    text.base = T_TEXT_BASE + 0x11;                   /* starts after the first site */
    text.bytes = textbuf + 0x11;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_SITE_RANGE);
    assert_int_equal(err.site, 0);
    text.base = T_TEXT_BASE;
    text.bytes = textbuf;
    /* Plans for different sites. */
    {
        struct vmi_plan shorter = p2;
        shorter.count = 5;
        assert_int_equal(vmi_apply(&text, &p1, &shorter, &save, &err), VMI_E_PLAN_MISMATCH);
        sp2[3].addr += 1;
        assert_int_equal(vmi_apply(&text, &p1, &p2, &save, &err), VMI_E_PLAN_MISMATCH);
        assert_int_equal(err.site, 3);
        sp2[3].addr -= 1;
    }
    /* Overlapping sites in a hand-made plan. */
    sp1[2].addr = sp1[1].addr + 4;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_SITE_OVERLAP);
    assert_int_equal(err.site, sp1[2].index);
    setup_all();
    /* Save area too small. */
    save.cap = p1.code_len - 1;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_CAPACITY);
    assert_memory_equal(textbuf, orig, sizeof(orig));
    assert_int_equal(vmi_apply(NULL, &p1, NULL, NULL, &err), VMI_E_ARG);
    /* Trusting the text skips only the expected-bytes check. */
    setup_all();
    textbuf[0x41] ^= 1;
    assert_int_equal(vmi_apply_ex(&text, &p1, NULL, NULL, VMI_APPLY_TRUST_TEXT, &err), VMI_OK);
    assert_int_equal(vmi_verify(&text, &p1, &err), VMI_OK);
}

static int poke_calls;
static int poke_bad(void *ctx, uint32_t addr, const uint8_t *src, uint32_t len)
{
    struct vmi_text *t = ctx;
    poke_calls++;
    memcpy(t->bytes + (addr - t->base), src, len);
    if (addr == T_TEXT_BASE + 0x40)
        t->bytes[addr - t->base + 4] ^= 0x10;          /* the write "does not take" */
    return 0;
}
static int poke_fail(void *ctx, uint32_t addr, const uint8_t *src, uint32_t len)
{
    (void)ctx; (void)src; (void)len;
    poke_calls++;
    return addr == T_TEXT_BASE + 0x100 ? -1 : 0;
}
static int poke_ok(void *ctx, uint32_t addr, const uint8_t *src, uint32_t len)
{
    struct vmi_text *t = ctx;
    poke_calls++;
    memcpy(t->bytes + (addr - t->base), src, len);
    return 0;
}

static void test_write_hook(void **state)
{
    struct vmi_error err;
    (void)state;
    setup_all();
    text.poke = poke_ok;
    text.poke_ctx = &text;
    poke_calls = 0;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_OK);
    assert_int_equal(poke_calls, 6);
    assert_int_equal(vmi_revert(&text, &p1, &save, &err), VMI_OK);
    assert_memory_equal(textbuf, orig, sizeof(orig));
    text.poke = poke_bad;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_VERIFY);
    assert_int_equal(err.site, 2);
    assert_int_equal(err.offset, 4);
    setup_all();
    text.poke = poke_fail;
    text.poke_ctx = &text;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_WRITE);
    assert_int_equal(err.site, 3);
    text.poke = NULL;
}

static void test_revert_errors(void **state)
{
    struct vmi_error err;
    struct vmi_save other;
    (void)state;
    setup_all();
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_OK);
    other = save;
    other.count = 5;
    assert_int_equal(vmi_revert(&text, &p1, &other, &err), VMI_E_PLAN_MISMATCH);
    assert_int_equal(vmi_revert(&text, &p1, NULL, &err), VMI_E_ARG);
    textbuf[0x11] ^= 1;                                  /* someone changed a site */
    assert_int_equal(vmi_revert(&text, &p1, &save, &err), VMI_E_SITE_BYTES);
    assert_int_equal(err.site, 0);
    assert_int_equal(err.offset, 1);
    textbuf[0x11] ^= 1;
    assert_int_equal(vmi_revert(&text, &p1, &save, &err), VMI_OK);
    assert_memory_equal(textbuf, orig, sizeof(orig));
}

static char lines[64][256];
static int nlines;
static void sink(void *ctx, const char *line, uint32_t len)
{
    (void)ctx;
    assert_int_equal(strlen(line), len);
    snprintf(lines[nlines++ % 64], 256, "%s", line);
}

static void test_stats_and_report(void **state)
{
    struct vmi_stats st;
    char buf[256];
    struct vmi_error err;
    uint32_t n;
    (void)state;
    setup_all();
    vmi_plan_stats(&p1, &st);
    assert_int_equal(st.sites, 6);
    assert_int_equal(st.decision[VMI_DECISION_INLINE], 2);
    assert_int_equal(st.decision[VMI_DECISION_CALL], 2);
    assert_int_equal(st.decision[VMI_DECISION_JUMP], 1);
    assert_int_equal(st.decision[VMI_DECISION_NOP], 1);
    assert_int_equal(st.call_decision[VMI_CALL_RDTSC][VMI_DECISION_CALL], 1);
    assert_int_equal(st.call_sites[VMI_CALL_IRET], 1);
    assert_int_equal(st.bytes_total, 8 + 24 + 8 + 8 + 8 + 28);
    assert_int_equal(st.bytes_inlined, 7 + 21);
    assert_int_equal(st.bytes_branch, 15);
    assert_int_equal(st.bytes_nop, st.bytes_total - 28 - 15);
    assert_int_equal(st.nop_count, 1 + 1 + 1 + 1 + 1 + 3);
    assert_int_equal(st.relocs, 1);
    assert_int_equal(st.reason[VMI_REASON_INLINE], 2);
    n = vmi_report_site(&sp1[2], buf, sizeof(buf));
    assert_int_equal(n, strlen(buf));
    snprintf(lines[0], 256, "site index=2 addr=0x08048040 call=RDTSC len=8 decision=call "
             "reason=call-rel noinline=no-body used=5 nops=1 target=0x%08x",
             romgen_routine(T_ROM_BASE, VMI_CALL_RDTSC));
    assert_string_equal(buf, lines[0]);
    /* Truncation keeps the full length and a terminated prefix. */
    assert_int_equal(vmi_report_site(&sp1[2], buf, 10), n);
    assert_string_equal(buf, "site inde");
    nlines = 0;
    vmi_report(&p1, &st, 1, sink, NULL);
    assert_int_equal(nlines, 1 + 4 + 6 + 6);   /* stats, reasons, calls, sites */
    assert_true(strstr(lines[0], "stats policy=auto rom=0x000c8000 sites=6 native=0 inline=2 call=2 "
                                 "jump=1 nop=1 bytes=84 inlined=28") == lines[0]);
    /* Error lines. */
    textbuf[0x41] ^= 1;
    assert_int_equal(vmi_apply(&text, &p1, NULL, &save, &err), VMI_E_SITE_BYTES);
    vmi_error_format(&err, buf, sizeof(buf));
    assert_string_equal(buf, "error status=site-bytes site=2 addr=0x08048040 offset=1 "
                             "expected=0x00000031 actual=0x00000030 "
                             "reason=\"site does not hold the native bytes and NOP fill\"");
    assert_string_equal(vmi_status_name(VMI_E_VERIFY), "verify");
    assert_string_equal(vmi_status_name((vmi_status)99), "?");
    assert_string_equal(vmi_call_name(49), "?");
    assert_string_equal(vmi_call_name(VMI_CALL_SetLazyMode), "SetLazyMode");
    assert_string_equal(vmi_policy_name(VMI_POLICY_INLINE_ONLY), "inline-only");
    for (unsigned i = 0; i < VMI_STATUS_COUNT; i++)
        assert_non_null(vmi_status_name((vmi_status)i));
    for (unsigned i = 0; i < VMI_REASON_COUNT; i++)
        assert_string_not_equal(vmi_reason_name(i), "?");
}

int run_apply_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_decisions_written),
        cmocka_unit_test(test_nothing_written_on_error),
        cmocka_unit_test(test_write_hook),
        cmocka_unit_test(test_revert_errors),
        cmocka_unit_test(test_stats_and_report),
    };
    return cmocka_run_group_tests_name("apply", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
