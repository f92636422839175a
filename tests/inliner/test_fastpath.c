/* The hot paths' shortcuts against the slow forms they replace: vmi_copy / vmi_same against
 * memcpy / memcmp, vmi_is_native against vmi_render_native + memcmp for every call and length,
 * and the run-at-a-time compares of vmi_verify, vmi_apply and vmi_revert naming the same site and
 * byte as a site-by-site compare would. */
#include <stdio.h>
#include "tinl.h"
#include "vmi_internal.h"

static void test_copy_same(void **state)
{
    uint8_t a[96], b[96], c[96];
    (void)state;
    for (uint32_t i = 0; i < sizeof a; i++)
        a[i] = (uint8_t)(i * 37 + 11);
    for (uint32_t off = 0; off < 8; off++)
        for (uint32_t n = 0; n + off <= 80; n++) {
            memset(b, 0x5a, sizeof b);
            memset(c, 0x5a, sizeof c);
            vmi_copy(b + off, a + 3, n);
            memcpy(c + off, a + 3, n);
            assert_memory_equal(b, c, sizeof b);     /* nothing outside the n bytes either */
            assert_true(vmi_same(b + off, a + 3, n));
            for (uint32_t k = 0; k < n; k++) {
                b[off + k] ^= 0x40;
                assert_false(vmi_same(b + off, a + 3, n));
                assert_false(vmi_same(a + 3, b + off, n));
                b[off + k] ^= 0x40;
            }
        }
}

/* vmi_is_native(have, call, len) == (vmi_render_native(call, len) succeeds and have holds it) */
static void check_native(const uint8_t *have, unsigned call, uint32_t len)
{
    uint8_t ref[256];
    int want = vmi_render_native((uint8_t)call, len, ref) != VMI_NO_SITE
               && memcmp(have, ref, len) == 0;
    assert_int_equal(vmi_is_native(have, (uint8_t)call, len), want);
}

static void test_is_native(void **state)
{
    uint8_t buf[256], junk[256];
    unsigned calls = 0;
    (void)state;
    memset(junk, 0x90, sizeof junk);
    for (unsigned call = 0; call < 256; call++) {
        if (call < VMI_NUM_CALLS && vmi_call_defined(call))
            calls++;
        for (uint32_t len = 0; len <= 80; len++) {
            check_native(junk, call, len);
            if (vmi_render_native((uint8_t)call, len, buf) == VMI_NO_SITE)
                continue;
            assert_true(vmi_is_native(buf, (uint8_t)call, len));
            for (uint32_t k = 0; k < len; k++) {       /* every byte counts */
                buf[k] ^= 0x01;
                assert_false(vmi_is_native(buf, (uint8_t)call, len));
                buf[k] ^= 0x01;
            }
            for (uint32_t l2 = 0; l2 <= len; l2++)      /* a longer site's prefix */
                check_native(buf, call, l2);
        }
        if (vmi_render_native((uint8_t)call, 255, buf) != VMI_NO_SITE)
            assert_true(vmi_is_native(buf, (uint8_t)call, 255));
    }
    assert_true(calls > 40);
}

/* Six sites back to back (one run), then a gap, then two more. */
static uint8_t tb[T_TEXT_SIZE], orig[T_TEXT_SIZE], codebuf[4096], savebuf[4096];
static struct vmi_site_plan spl[T_MAX_SITES];
static struct vmi_site_table table;
static struct vmi_text text;
static struct vmi_plan plan;
static struct vmi_save save;
static struct vmi_rom rom;
static struct vmi_reloc_table rel;
static uint8_t romimg[ROMGEN_SIZE];

static void setup_runs(void)
{
    static const uint8_t calls[8] = { VMI_CALL_RDTSC, VMI_CALL_FlushTLB, VMI_CALL_IODelay,
                                      VMI_CALL_DisableInterrupts, VMI_CALL_EnableInterrupts,
                                      VMI_CALL_RDTSC, VMI_CALL_IODelay, VMI_CALL_FlushTLB };
    struct tsite s[8];
    struct vmi_error err;
    uint32_t a = T_TEXT_BASE + 0x20;
    for (int i = 0; i < 8; i++) {
        if (i == 6)
            a += 0x31;
        s[i] = tsite_std(a, calls[i]);
        a += s[i].len;
    }
    tread(&table, s, 8);
    ttext(&text, tb, &table);
    memcpy(orig, tb, sizeof orig);
    tmkrom(&rom, romimg, NULL, 0);
    romgen_relocs(&rel, T_ROM_BASE);
    vmi_plan_init(&plan, spl, T_MAX_SITES, codebuf, sizeof codebuf);
    assert_int_equal(vmi_plan_build(&plan, &table, &rom, &rel, NULL, &err), VMI_OK);
    save.bytes = savebuf;
    save.cap = sizeof savebuf;
    save.len = save.count = 0;
}

/* Every byte of every site, changed, is named (site and offset) by vmi_verify, and before the
 * write by vmi_apply and vmi_revert, which then write nothing. */
static void test_run_compares(void **state)
{
    struct vmi_error err;
    (void)state;
    setup_runs();
    for (uint32_t i = 0; i < plan.count; i++)
        for (uint32_t k = 0; k < plan.sites[i].len; k++) {
            uint8_t *p = tb + (plan.sites[i].addr - T_TEXT_BASE) + k;
            *p ^= 0x80;
            memcpy(orig, tb, sizeof orig);
            assert_int_equal(vmi_apply(&text, &plan, NULL, &save, &err), VMI_E_SITE_BYTES);
            assert_int_equal(err.site, plan.sites[i].index);
            assert_int_equal(err.offset, k);
            assert_memory_equal(tb, orig, sizeof orig);
            *p ^= 0x80;
        }
    assert_int_equal(vmi_apply(&text, &plan, NULL, &save, &err), VMI_OK);
    assert_int_equal(save.len, plan.code_len);
    for (uint32_t i = 0; i < plan.count; i++)
        for (uint32_t k = 0; k < plan.sites[i].len; k++) {
            uint8_t *p = tb + (plan.sites[i].addr - T_TEXT_BASE) + k;
            assert_int_equal(vmi_verify(&text, &plan, &err), VMI_OK);
            *p ^= 0x80;
            assert_int_equal(vmi_verify(&text, &plan, &err), VMI_E_SITE_BYTES);
            assert_int_equal(err.site, plan.sites[i].index);
            assert_int_equal(err.offset, k);
            assert_int_equal(err.actual, *p);
            memcpy(orig, tb, sizeof orig);
            assert_int_equal(vmi_revert(&text, &plan, &save, &err), VMI_E_SITE_BYTES);
            assert_int_equal(err.site, plan.sites[i].index);
            assert_int_equal(err.offset, k);
            assert_memory_equal(tb, orig, sizeof orig);
            *p ^= 0x80;
        }
    assert_int_equal(vmi_revert(&text, &plan, &save, &err), VMI_OK);
    setup_runs();
    assert_memory_equal(tb, orig, sizeof orig);
}

/* A write hook that stores one wrong byte: the read-back names it, in any site of a run. */
static uint32_t bad_addr;
static int poke_one_bad(void *ctx, uint32_t addr, const uint8_t *src, uint32_t len)
{
    struct vmi_text *t = ctx;
    memcpy(t->bytes + (addr - t->base), src, len);
    if (bad_addr - addr < len)
        t->bytes[bad_addr - t->base] ^= 0x08;
    return 0;
}

static void test_run_read_back(void **state)
{
    struct vmi_error err;
    (void)state;
    for (uint32_t i = 0; i < 8; i++) {
        setup_runs();
        text.poke = poke_one_bad;
        text.poke_ctx = &text;
        bad_addr = plan.sites[i].addr + plan.sites[i].len - 1;
        assert_int_equal(vmi_apply(&text, &plan, NULL, &save, &err), VMI_E_VERIFY);
        assert_int_equal(err.site, plan.sites[i].index);
        assert_int_equal(err.offset, plan.sites[i].len - 1u);
        /* the same for the revert's read-back of the saved bytes */
        tb[bad_addr - T_TEXT_BASE] ^= 0x08;
        assert_int_equal(vmi_verify(&text, &plan, &err), VMI_OK);
        assert_int_equal(vmi_revert(&text, &plan, &save, &err), VMI_E_VERIFY);
        assert_int_equal(err.site, plan.sites[i].index);
        assert_int_equal(err.offset, plan.sites[i].len - 1u);
        text.poke = NULL;
    }
}

int run_fastpath_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_same),
        cmocka_unit_test(test_is_native),
        cmocka_unit_test(test_run_compares),
        cmocka_unit_test(test_run_read_back),
    };
    return cmocka_run_group_tests_name("fastpath", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
