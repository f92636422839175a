/* Unit tests of the session (lib/session.h): the pipeline on the aot test image and the pv ROM
 * (LIB_TEST_IMAGE, LIB_TEST_ROM: mk/lib.mk) -- every site planned, applied to the span and read
 * back -- and its error values: a missing ROM, an ELF as the ROM, a base the ROM cannot run at,
 * the phases out of order, and a span applied twice (no longer the native bytes, the site named). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session.h"

static const char *env(const char *name)
{
    const char *v = getenv(name);
    assert_non_null(v);
    return v;
}

/* The image opened, the ROM loaded and placed at the image's vmi_rom_area, the sites read. */
static void open_placed(struct aot_session *s)
{
    struct aot_err err;
    struct aot_symbol area;
    aot_session_init(s);
    assert_int_equal(aot_session_open_image(s, env("LIB_TEST_IMAGE"), 0, &err), 0);
    assert_int_equal(aot_session_load_rom(s, env("LIB_TEST_ROM"), &err), 0);
    assert_int_equal(aot_image_symbol(&s->img, "vmi_rom_area", &area, &err), 1);
    assert_int_equal(aot_session_place(s, area.value, &err), 0);
    assert_int_equal(s->base, area.value);
    assert_int_equal(aot_session_read_sites(s, &err), 0);
}

static void test_pipeline(void **state)
{
    (void)state;
    struct aot_session s;
    struct aot_err err;
    open_placed(&s);
    assert_true(s.img.nsites > 10);
    assert_int_equal(s.table.count, s.img.nsites);
    assert_true(s.need.code >= s.img.nsites);
    assert_int_equal(aot_session_plan(&s, VMI_POLICY_AUTO, &err), 0);
    assert_int_equal(s.plan.count, s.img.nsites);
    /* before apply the span holds the image's bytes, and orig a copy of them */
    uint32_t off = 0;
    for (uint32_t i = 0; i < s.plan.count; i++) {
        const struct aot_site *st = &s.img.sites[i];
        assert_memory_equal(aot_session_site_bytes(&s, i), aot_site_bytes(&s.img, st), st->len);
        assert_memory_equal(s.orig + off, aot_site_bytes(&s.img, st), st->len);
        off += st->len;
    }
    assert_int_equal(aot_session_apply(&s, &err), 0);
    unsigned changed = 0;
    for (uint32_t i = 0; i < s.plan.count; i++) {
        const struct vmi_site_plan *sp = &s.plan.sites[i];
        assert_memory_equal(aot_session_site_bytes(&s, i), s.plan.code + sp->code_offs, sp->len);
        changed += memcmp(aot_session_site_bytes(&s, i), aot_site_bytes(&s.img, &s.img.sites[i]),
                          sp->len) != 0;
    }
    assert_true(changed > 0);               /* the pv ROM: sites inlined or called */
    assert_string_not_equal(aot_session_site_name(&s, s.img.sites[0].addr), "?");
    assert_string_equal(aot_session_site_name(&s, 0), "?");
    aot_session_close(&s);
    assert_int_equal(s.have_img, 0);
    assert_null(s.span);
}

static void test_bad_rom(void **state)
{
    (void)state;
    struct aot_session s;
    struct aot_err err;
    aot_session_init(&s);
    assert_int_equal(aot_session_load_rom(&s, "/nonexistent/vmi.rom", &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/vmi.rom: cannot open"));
    assert_int_equal(s.have_rom, 0);
    /* an ELF image is no ROM: check-rom refuses it */
    assert_int_equal(aot_session_load_rom(&s, env("LIB_TEST_IMAGE"), &err), -1);
    assert_true(strstr(err.msg, "fails check-rom") || strstr(err.msg, "not a ROM"));
    /* no ROM: nothing to place */
    assert_int_equal(aot_session_place(&s, 0xd0000, &err), -1);
    assert_non_null(strstr(err.msg, "no ROM"));
    aot_session_close(&s);
}

static void test_bad_base(void **state)
{
    (void)state;
    struct aot_session s;
    struct aot_err err;
    aot_session_init(&s);
    assert_int_equal(aot_session_load_rom(&s, env("LIB_TEST_ROM"), &err), 0);
    assert_int_equal(aot_session_place(&s, 0x10, &err), -1);
    assert_true(err.msg[0] != '\0');
    assert_null(strchr(err.msg, '\n'));
    assert_int_equal(s.base, 0);
    aot_session_close(&s);
}

static void test_out_of_order(void **state)
{
    (void)state;
    struct aot_session s;
    struct aot_err err;
    aot_session_init(&s);
    assert_int_equal(aot_session_open_image(&s, env("LIB_TEST_IMAGE"), 0, &err), 0);
    assert_int_equal(aot_session_plan(&s, VMI_POLICY_AUTO, &err), -1);     /* no sites, no ROM */
    assert_non_null(strstr(err.msg, "a caller's bug"));
    assert_int_equal(aot_session_apply(&s, &err), -1);
    assert_non_null(strstr(err.msg, "nothing planned"));
    assert_int_equal(aot_session_open_image(&s, env("LIB_TEST_IMAGE"), 0, &err), -1);
    aot_session_close(&s);
}

static void test_apply_twice(void **state)
{
    (void)state;
    struct aot_session s;
    struct aot_err err;
    open_placed(&s);
    assert_int_equal(aot_session_plan(&s, VMI_POLICY_AUTO, &err), 0);
    assert_int_equal(aot_session_apply(&s, &err), 0);
    assert_int_equal(aot_session_apply(&s, &err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s: not the native bytes (already patched?): site at 0x",
             s.img.path);
    assert_memory_equal(err.msg, want, strlen(want));
    aot_session_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline),
        cmocka_unit_test(test_bad_rom),
        cmocka_unit_test(test_bad_base),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_apply_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
