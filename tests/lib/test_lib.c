/* Unit tests of the hosted library (lib/, docs/architecture.md): the one adapter from the core's
 * error record, the one JSON string escaper, the one address search of the ELF image layer
 * (every site and function found at its first and last byte, nothing in the gaps), on the aot
 * test image, and output files written whole or not at all (lib/outfile.h).  LIB_TEST_IMAGE
 * names the image (mk/lib.mk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aot_err.h"
#include "elf_image.h"
#include "json_out.h"
#include "outfile.h"
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

/* ---- lib/outfile.c: whole or nothing ---- */

/* The number of names in dir besides . and .. (a temporary file left behind shows here). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
}

static void test_outfile_commit_abort(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-lib-outfile.XXXXXX", path[64], buf[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.txt", dir);
    struct aot_outfile o;
    struct aot_err err;
    /* committed: the data under its name, the mode asked for, nothing else in the directory */
    assert_int_equal(aot_outfile_open(&o, path, &err), 0);
    assert_int_equal(entries(dir), 1);              /* the temporary file, already */
    fputs("first\n", o.f);
    assert_int_equal(aot_outfile_commit(&o, 0640, &err), 0);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "first\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(entries(dir), 1);
    /* aborted: the old file stays as it was and the temporary file is gone */
    assert_int_equal(aot_outfile_open(&o, path, &err), 0);
    fputs("second\n", o.f);
    aot_outfile_abort(&o);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "first\n");
    assert_int_equal(entries(dir), 1);
    /* a struct never opened: aborting it does nothing */
    static const struct aot_outfile zero;
    o = zero;
    aot_outfile_abort(&o);
    unlink(path);
    rmdir(dir);
}

/* What cannot be written is refused at open, naming the file, leaving nothing behind. */
static void test_outfile_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-lib-outfile.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    struct aot_outfile o;
    struct aot_err err;
    assert_int_equal(aot_outfile_open(&o, dir, &err), -1);
    assert_non_null(strstr(err.msg, dir));
    assert_non_null(strstr(err.msg, "is a directory"));
    snprintf(path, sizeof path, "%s/missing/out.txt", dir);
    assert_int_equal(aot_outfile_open(&o, path, &err), -1);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "No such file or directory"));
    assert_int_equal(entries(dir), 0);
    rmdir(dir);
}

/* A writer that takes a name (cairo) writes into the temporary file; the commit renames it with
 * the mode a plain fopen would give.  Standard output has no name to give. */
static void test_outfile_by_name(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-lib-outfile.XXXXXX", path[64], buf[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/chart.svg", dir);
    mode_t old = umask(027);
    assert_int_equal(aot_outfile_mode(), 0640);
    umask(022);
    assert_int_equal(aot_outfile_mode(), 0644);
    struct aot_outfile o;
    struct aot_err err;
    assert_int_equal(aot_outfile_open(&o, path, &err), 0);
    const char *tmp = aot_outfile_by_name(&o);
    assert_non_null(tmp);
    assert_null(o.f);
    assert_string_not_equal(tmp, path);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fputs("<svg/>", f);
    fclose(f);
    assert_int_equal(aot_outfile_commit(&o, aot_outfile_mode(), &err), 0);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "<svg/>");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(entries(dir), 1);
    /* by name, then aborted: nothing appears */
    unlink(path);
    assert_int_equal(aot_outfile_open(&o, path, &err), 0);
    assert_non_null(aot_outfile_by_name(&o));
    aot_outfile_abort(&o);
    assert_int_equal(entries(dir), 0);
    /* "-": standard output, no name; the commit only flushes */
    assert_int_equal(aot_outfile_open(&o, "-", &err), 0);
    assert_ptr_equal(o.f, stdout);
    assert_null(aot_outfile_by_name(&o));
    assert_int_equal(aot_outfile_commit(&o, 0644, &err), 0);
    umask(old);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_vmi),
        cmocka_unit_test(test_json_str),
        cmocka_unit_test(test_site_and_func_at),
        cmocka_unit_test(test_outfile_commit_abort),
        cmocka_unit_test(test_outfile_refused),
        cmocka_unit_test(test_outfile_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
