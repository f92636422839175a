/* The site table: decoding, sorting, and every refusal. */
#include "tinl.h"

static struct vmi_site_info infos[T_MAX_SITES];

static vmi_status read_sites(const struct tsite *s, int n, struct vmi_site_table *t,
                             struct vmi_error *err)
{
    uint8_t buf[12 * T_MAX_SITES];
    uint32_t bytes = trecords(buf, s, n);
    t->sites = infos;
    t->cap = T_MAX_SITES;
    return vmi_sites_read(t, buf, T_REC_ADDR, bytes, err);
}

static void test_read_sorted(void **state)
{
    struct tsite s[3] = {
        tsite_std(T_TEXT_BASE + 0x100, VMI_CALL_EnableInterrupts),
        tsite_std(T_TEXT_BASE + 0x10, VMI_CALL_DisableInterrupts),
        tsite_std(T_TEXT_BASE + 0x40, VMI_CALL_IRET),
    };
    struct vmi_site_table t;
    struct vmi_error err;
    (void)state;
    s[0].cv = 0;
    assert_int_equal(read_sites(s, 3, &t, &err), VMI_OK);
    assert_int_equal(t.count, 3);
    assert_int_equal(t.sites[0].addr, T_TEXT_BASE + 0x10);
    assert_int_equal(t.sites[0].index, 1);
    assert_int_equal(t.sites[0].call, VMI_CALL_DisableInterrupts);
    assert_int_equal(t.sites[0].len, 8);
    assert_int_equal(t.sites[0].clobbers, VMI_CLOBBER_FLAGS);
    assert_int_equal(t.sites[1].addr, T_TEXT_BASE + 0x40);
    assert_int_equal(t.sites[1].flags, VMI_SITE_JUMP);
    assert_int_equal(t.sites[2].index, 0);
    assert_int_equal(t.sites[2].len, 24);
    /* Sites before the records (negative offsets) decode too. */
    s[0].addr = T_REC_ADDR - 0x800;
    assert_int_equal(read_sites(s, 3, &t, &err), VMI_OK);
    assert_int_equal(t.sites[2].addr, T_REC_ADDR - 0x800);
    /* An empty table is fine. */
    assert_int_equal(read_sites(s, 0, &t, &err), VMI_OK);
    assert_int_equal(t.count, 0);
}

static void test_many_sorted(void **state)
{
    struct tsite s[T_MAX_SITES];
    struct vmi_site_table t;
    struct vmi_error err;
    (void)state;
    for (int i = 0; i < T_MAX_SITES; i++)      /* a scrambled order */
        s[i] = tsite_std(T_TEXT_BASE + 32u * (uint32_t)((i * 37) % T_MAX_SITES), VMI_CALL_RDTSC);
    assert_int_equal(read_sites(s, T_MAX_SITES, &t, &err), VMI_OK);
    for (uint32_t i = 0; i < t.count; i++) {
        assert_int_equal(t.sites[i].addr, T_TEXT_BASE + 32 * i);
        assert_int_equal(s[t.sites[i].index].addr, t.sites[i].addr);
    }
}

static struct vmi_error bad_err;

static void expect_bad(struct tsite *s, int n, vmi_status want, uint32_t site)
{
    struct vmi_site_table t;
    assert_int_equal(read_sites(s, n, &t, &bad_err), want);
    assert_int_equal(bad_err.status, want);
    assert_int_equal(bad_err.site, site);
    assert_int_equal(bad_err.address, s[site].addr);
    assert_int_equal(t.count, 0);
}

static void test_errors(void **state)
{
    struct tsite s[2];
    struct vmi_site_table t;
    struct vmi_error err;
    uint8_t buf[64];
    (void)state;

    s[0] = tsite_std(T_TEXT_BASE, VMI_CALL_RDTSC);
    s[1] = tsite_std(T_TEXT_BASE + 0x20, VMI_CALL_SetPxE);
    s[1].call = 49;                                       /* undefined */
    expect_bad(s, 2, VMI_E_SITE_CALL, 1);
    s[1].call = 200;
    expect_bad(s, 2, VMI_E_SITE_CALL, 1);
    s[1] = tsite_std(T_TEXT_BASE + 0x20, VMI_CALL_FlushTLB);
    s[1].len = 26;                                        /* native is 27 */
    expect_bad(s, 2, VMI_E_SITE_LEN, 1);
    s[1] = tsite_std(T_TEXT_BASE + 0x20, VMI_CALL_RDTSC);
    s[1].flags = 0x40;                                    /* unknown bit */
    expect_bad(s, 2, VMI_E_SITE_FLAGS, 1);
    s[1].flags = VMI_SITE_JUMP;                           /* RDTSC is not a jump */
    expect_bad(s, 2, VMI_E_SITE_FLAGS, 1);
    s[1] = tsite_std(T_TEXT_BASE + 0x20, VMI_CALL_IRET);
    s[1].flags = 0;                                       /* IRET is */
    expect_bad(s, 2, VMI_E_SITE_FLAGS, 1);
    s[1] = tsite_std(T_TEXT_BASE + 0x20, VMI_CALL_RDTSC);
    s[1].flags = VMI_SITE_CONST;                          /* RDTSC records no constant */
    expect_bad(s, 2, VMI_E_SITE_FLAGS, 1);
    s[1] = tsite_std(T_TEXT_BASE + 0x20, VMI_CALL_SetPxE);
    s[1].flags = VMI_SITE_CONST | (1 << VMI_SITE_CONST_ARG_SHIFT); /* SetPxE's is argument 2 */
    expect_bad(s, 2, VMI_E_SITE_FLAGS, 1);
    s[1].flags = 2 << VMI_SITE_CONST_ARG_SHIFT;           /* index without the flag */
    expect_bad(s, 2, VMI_E_SITE_FLAGS, 1);
    s[1].flags = VMI_SITE_CONST | (2 << VMI_SITE_CONST_ARG_SHIFT);
    {
        struct vmi_site_table ok;
        assert_int_equal(read_sites(s, 2, &ok, &err), VMI_OK);
    }
    s[1] = tsite_std(T_TEXT_BASE + 7, VMI_CALL_RDTSC);    /* overlaps [0, 8) */
    expect_bad(s, 2, VMI_E_SITE_OVERLAP, 1);
    assert_int_equal(bad_err.expected, T_TEXT_BASE + 8);
    s[1] = tsite_std(T_TEXT_BASE, VMI_CALL_RDTSC);        /* the same site twice */
    expect_bad(s, 2, VMI_E_SITE_OVERLAP, 1);
    /* a site running past 4 GiB would overlap the lowest sites (found by the fuzzer:
     * tests/fuzz/regress/sites/sites-wrap-past-4g); one ending exactly at 4 GiB is fine */
    s[1] = tsite_std(0xfffffffcu, VMI_CALL_RDTSC);        /* RDTSC reserves 8 */
    expect_bad(s, 2, VMI_E_SITE_RANGE, 1);
    s[1] = tsite_std(0xfffffff8u, VMI_CALL_RDTSC);
    {
        struct vmi_site_table ok;
        assert_int_equal(read_sites(s, 2, &ok, &err), VMI_OK);
    }
    s[1] = tsite_std(T_TEXT_BASE + 8, VMI_CALL_RDTSC);    /* adjacent: fine */
    {
        struct vmi_site_table ok;
        assert_int_equal(read_sites(s, 2, &ok, &err), VMI_OK);
    }
    /* Size not a multiple of 12, capacity, NULL. */
    t.sites = infos;
    t.cap = T_MAX_SITES;
    trecords(buf, s, 2);
    assert_int_equal(vmi_sites_read(&t, buf, T_REC_ADDR, 23, &err), VMI_E_SITE_TABLE);
    assert_int_equal(err.actual, 11);
    t.cap = 1;
    assert_int_equal(vmi_sites_read(&t, buf, T_REC_ADDR, 24, &err), VMI_E_CAPACITY);
    assert_int_equal(err.expected, 2);
    assert_int_equal(vmi_sites_read(NULL, buf, T_REC_ADDR, 24, &err), VMI_E_ARG);
    assert_int_equal(vmi_sites_read(&t, NULL, T_REC_ADDR, 24, &err), VMI_E_ARG);
}

int run_site_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_sorted),
        cmocka_unit_test(test_many_sorted),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("sites", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
