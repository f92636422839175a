/* cmocka: lib/json_out.c, the one JSON writer: strings always valid UTF-8 (each invalid byte as
 * U+FFFD), the number conventions, the document head, the failure rule of aot_json_set. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json_out.h"
#include "vmi_version.h"

/* v written on one line (the reference is kept); the caller frees. */
static char *dump(const json_t *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(aot_json_write_value(f, v), 0);
    fclose(f);
    return buf;
}

static void expect(json_t *v, const char *want)
{
    assert_non_null(v);
    char *got = dump(v);
    assert_string_equal(got, want);
    free(got);
    json_decref(v);
}

static void test_strings(void **state)
{
    (void)state;
    expect(aot_json_string("a\"b\\c\n\t\x01\x7f"), "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\"");
    expect(aot_json_string(NULL), "null");
    expect(aot_json_string("caf\xc3\xa9 \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    /* each byte outside a valid sequence: one U+FFFD */
    expect(aot_json_string("r\xff.rom"), "\"r\xef\xbf\xbd.rom\"");
    expect(aot_json_string("\xc0\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");            /* overlong */
    expect(aot_json_string("\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* surrogate */
    expect(aot_json_string("\xf4\x90\x80\x80!"),                                  /* > U+10FFFF */
           "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!\"");
    expect(aot_json_string("x\xe2\x82"), "\"x\xef\xbf\xbd\xef\xbf\xbd\"");          /* truncated */
    expect(aot_json_string("\xe2\x82\xac\x80"), "\"\xe2\x82\xac\xef\xbf\xbd\"");    /* stray */
}

static void test_str_to_stream(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    aot_json_str(f, "a\xff");
    fputc(' ', f);
    aot_json_str(f, NULL);
    fclose(f);
    assert_string_equal(buf, "\"a\xef\xbf\xbd\" null");
    free(buf);
}

static void test_numbers(void **state)
{
    (void)state;
    expect(aot_json_addr(0x1000), "\"0x00001000\"");
    expect(aot_json_hash(0xa3785e55a5a01fdbull), "\"0xa3785e55a5a01fdb\"");
    expect(aot_json_hash(1), "\"0x0000000000000001\"");
    expect(aot_json_hex(0x85), "\"0x85\"");
    expect(aot_json_hex(0), "\"0x0\"");
    uint8_t b[] = { 0x0f, 0x01, 0xc1 };
    expect(aot_json_bytes(b, 3), "\"0f 01 c1\"");
    expect(aot_json_bytes(b, 0), "\"\"");
    expect(aot_json_real(0.81, 4), "0.81");
    expect(aot_json_real(2.6264999, 3), "2.626");
    expect(aot_json_real(-0.026, 3), "-0.026");
    expect(aot_json_real(NAN, 3), "null");
    expect(aot_json_real(INFINITY, 3), "null");
    expect(aot_json_bool(1), "true");
}

static void test_doc(void **state)
{
    (void)state;
    json_t *d = aot_json_doc("vmi-aot sites", "vmi-aot.sites/1");
    assert_int_equal(aot_json_set(d, "image", aot_json_string("k.elf")), 0);
    json_t *a = json_array();
    assert_int_equal(aot_json_push(a, json_integer(3)), 0);
    assert_int_equal(aot_json_set(d, "sites", a), 0);
    expect(d, "{\"tool\":\"vmi-aot sites\",\"version\":\"" VMI_VERSION "\","
              "\"schema\":\"vmi-aot.sites/1\",\"image\":\"k.elf\",\"sites\":[3]}");
}

static void test_location(void **state)
{
    (void)state;
    json_t *o = json_object();
    assert_int_equal(aot_json_set_location(o, "gdt_init", "guest/gdt.c", 33), 0);
    expect(o, "{\"function\":\"gdt_init\",\"file\":\"guest/gdt.c\",\"line\":33}");
    o = json_object();
    assert_int_equal(aot_json_set_location(o, "?", "?", 0), 0);
    expect(o, "{\"function\":null,\"file\":null,\"line\":null}");
}

static void test_set_failures(void **state)
{
    (void)state;
    json_t *o = json_object();
    assert_int_equal(aot_json_set(o, "x", NULL), -1);             /* a failed constructor */
    assert_int_equal(aot_json_set(NULL, "x", json_integer(1)), -1);  /* the value is released */
    assert_int_equal(aot_json_push(NULL, json_integer(1)), -1);
    assert_int_equal(aot_json_write(stdout, NULL, AOT_JSON_COMPACT), -1);
    expect(o, "{}");
}

static void test_write(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(aot_json_write(f, json_pack("{s:i}", "a", 1), AOT_JSON_PRETTY), 0);
    assert_int_equal(aot_json_write(f, json_pack("{s:i}", "a", 1), AOT_JSON_COMPACT), 0);
    fclose(f);
    assert_string_equal(buf, "{\n \"a\": 1\n}\n{\"a\":1}\n");
    free(buf);
}

static void test_stream(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    struct aot_json_stream js;
    assert_int_equal(aot_json_stream_begin(&js, f, json_pack("{s:i}", "n", 2), "sites"), 0);
    assert_int_equal(aot_json_stream_item(&js, json_pack("{s:i}", "a", 1)), 0);
    assert_int_equal(aot_json_stream_item(&js, json_pack("{s:s}", "b", "x")), 0);
    assert_int_equal(aot_json_stream_end(&js), 0);
    assert_int_equal(aot_json_stream_begin(&js, f, json_object(), "e"), 0);    /* empty both */
    assert_int_equal(aot_json_stream_end(&js), 0);
    assert_int_equal(aot_json_stream_begin(&js, f, json_object(), "e"), 0);
    assert_int_equal(aot_json_stream_item(&js, NULL), -1);    /* a failed element fails the end */
    assert_int_equal(aot_json_stream_end(&js), -1);
    assert_int_equal(aot_json_stream_begin(&js, f, NULL, "e"), -1);
    fclose(f);
    assert_string_equal(buf, "{\n \"n\": 2,\n \"sites\": [\n  {\"a\":1},\n  {\"b\":\"x\"}\n ]\n}\n"
                             "{\n \"e\": []\n}\n"
                             "{\n \"e\": [");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),     cmocka_unit_test(test_str_to_stream),
        cmocka_unit_test(test_numbers),     cmocka_unit_test(test_doc),
        cmocka_unit_test(test_location),    cmocka_unit_test(test_set_failures),
        cmocka_unit_test(test_write),       cmocka_unit_test(test_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
