/* Unit tests of the hosted library (lib/, docs/architecture.md): the one adapter from the core's
 * error record, the one JSON string escaper, and the one address search of the ELF image layer
 * (every site and function found at its first and last byte, nothing in the gaps), on the aot
 * test image.  LIB_TEST_IMAGE names it (mk/lib.mk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aot_err.h"
#include "elf_image.h"
#include "json_out.h"
#include "vmi_inliner.h"

static void test_fail_vmi(void **state)
{
    (void)state;
    struct aot_err err;
    struct vmi_error e = { VMI_E_SITE_BYTES, 3, 0x1000, 2, 0x90, 0xcc, "not the native bytes" };
    char line[256];
    vmi_error_format(&e, line, sizeof line);
    char want[600];
    snprintf(want, sizeof want, "img.elf: apply: %s", line);
    assert_int_equal(aot_fail_vmi(&err, &e, "%s: %s", "img.elf", "apply"), -1);
    assert_string_equal(err.msg, want);
    assert_int_equal(aot_fail_vmi(NULL, &e, "x"), -1);     /* no record: still -1 */
}

static void test_json_str(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    aot_json_str(f, "a\"b\\c\n\t\x01");
    fputc(' ', f);
    aot_json_str(f, NULL);
    fclose(f);
    assert_string_equal(buf, "\"a\\\"b\\\\c\\n\\t\\u0001\" null");
    free(buf);
}

static void test_site_and_func_at(void **state)
{
    (void)state;
    const char *path = getenv("LIB_TEST_IMAGE");
    assert_non_null(path);
    struct aot_image img;
    struct aot_err err;
    assert_int_equal(aot_image_open(&img, path, 0, &err), 0);
    assert_true(img.nsites > 10);
    for (size_t i = 0; i < img.nsites; i++) {
        const struct aot_site *s = &img.sites[i];
        assert_ptr_equal(aot_image_site_at(&img, s->addr), s);
        assert_ptr_equal(aot_image_site_at(&img, s->addr + s->len - 1u), s);
        const struct aot_site *after = aot_image_site_at(&img, s->addr + s->len);
        assert_true(after == NULL || (i + 1 < img.nsites && after == s + 1));
    }
    assert_null(aot_image_site_at(&img, img.sites[0].addr - 1u));
    assert_true(img.nfuncs > 0);
    for (size_t i = 0; i < img.nfuncs; i++) {
        const struct aot_func *f = &img.funcs[i];
        if (!f->size)
            continue;
        const struct aot_func *g = aot_image_func_at(&img, f->addr);
        assert_non_null(g);
        assert_true(f->addr - g->addr < g->size);
    }
    assert_null(aot_image_func_at(&img, 0));
    aot_image_close(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_vmi),
        cmocka_unit_test(test_json_str),
        cmocka_unit_test(test_site_and_func_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
