/* Unit tests of the option table (lib/opts.h): --opt=value, -oFILE, "--", unknown and ambiguous
 * options, a missing or an unwanted value, optional values, the operand counts, "+" against
 * permuting, --help and --version, a table that is itself wrong, and the rendered help holding
 * every option with its help lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "opts.h"
#include "vmi_version.h"

enum { T_JSON = 1, T_OUTPUT, T_REPORT, T_ROM, T_VERBOSE, T_LIST };

static const struct opts_option rows[] = {
    { "json", 0, OPTS_OPTIONAL_ARG, "FILE", "JSON (stdout without FILE)", T_JSON },
    { "output", 'o', OPTS_ARG, "FILE", "write to FILE\nwhole or not at all", T_OUTPUT },
    OPTS_HEADING("more:"),
    { "report", 0, OPTS_ARG, "FILE", "a report", T_REPORT },
    { "rom", 0, OPTS_ARG, "ROM", "the ROM", T_ROM },
    { NULL, 'v', OPTS_NO_ARG, NULL, "one line per site", T_VERBOSE },
    { "list", 0, OPTS_NO_ARG, NULL, "list", T_LIST },
    { 0 },
};

static struct opts_command cmd = {
    .prog = "vmi-test sub",
    .synopsis = "[--json[=FILE]] [-o FILE] KERNEL\n        [--rom ROM]",
    .description = "Tests the option table: a paragraph long enough to be wrapped at a word "
                   "boundary before the ninety-eighth column of the terminal, and then some more.",
    .operands = "KERNEL",
    .min_operands = 1,
    .max_operands = 1,
    .options = rows,
    .epilogue = "Exit status: 0, 1, 2.",
};

/* One option seen by parse. */
struct seen {
    int id;
    const char *arg;
};

/* Parses the NULL-terminated words (argv[0] first) into ids and values; returns what ended the
 * options (OPTS_END, OPTS_HELP, OPTS_VERSION, OPTS_ERROR). */
static int parse(struct opts_parser *p, struct aot_err *err, struct seen *seen, int *nseen,
                 char **words)
{
    int argc = 0, id;
    while (words[argc])
        argc++;
    *nseen = 0;
    opts_begin(p, &cmd, argc, words);
    while ((id = opts_next(p, err)) > 0) {
        seen[*nseen].id = id;
        seen[(*nseen)++].arg = p->arg;
    }
    return id;
}

#define WORDS(...) ((char *[]){ "prog", __VA_ARGS__, NULL })

static void test_values(void **state)
{
    (void)state;
    struct opts_parser p;
    struct aot_err err;
    struct seen s[8];
    int n;
    assert_int_equal(parse(&p, &err, s, &n, WORDS("--output=a.txt", "k.elf", "-ob.txt", "-o",
                                                  "c.txt", "--json", "--json=j", "-v")),
                     OPTS_END);
    assert_int_equal(n, 6);
    assert_int_equal(s[0].id, T_OUTPUT);
    assert_string_equal(s[0].arg, "a.txt");
    assert_string_equal(s[1].arg, "b.txt");               /* -oFILE */
    assert_string_equal(s[2].arg, "c.txt");               /* -o FILE */
    assert_int_equal(s[3].id, T_JSON);
    assert_null(s[3].arg);                                /* an optional value not given */
    assert_string_equal(s[4].arg, "j");
    assert_int_equal(s[5].id, T_VERBOSE);
    assert_int_equal(p.noperands, 1);                     /* permuted behind the options */
    assert_string_equal(p.operands[0], "k.elf");
    /* an unambiguous prefix is the option */
    assert_int_equal(parse(&p, &err, s, &n, WORDS("--out", "x", "--li", "k")), OPTS_END);
    assert_int_equal(s[0].id, T_OUTPUT);
    assert_int_equal(s[1].id, T_LIST);
}

static void test_dashdash(void **state)
{
    (void)state;
    struct opts_parser p;
    struct aot_err err;
    struct seen s[8];
    int n;
    assert_int_equal(parse(&p, &err, s, &n, WORDS("-v", "--", "-x.elf")), OPTS_END);
    assert_int_equal(n, 1);
    assert_int_equal(p.noperands, 1);
    assert_string_equal(p.operands[0], "-x.elf");
}

/* Each bad command line: OPTS_ERROR and exactly this line. */
static void expect_error(char **words, const char *line)
{
    struct opts_parser p;
    struct aot_err err;
    struct seen s[8];
    int n;
    memset(&err, 0, sizeof err);
    assert_int_equal(parse(&p, &err, s, &n, words), OPTS_ERROR);
    assert_string_equal(err.msg, line);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error(WORDS("--xml", "k"), "unrecognized option '--xml'");
    expect_error(WORDS("--xml=1", "k"), "unrecognized option '--xml=1'");
    expect_error(WORDS("-x", "k"), "invalid option -- 'x'");
    expect_error(WORDS("k", "--output"), "option '--output' requires an argument");
    expect_error(WORDS("k", "-o"), "option requires an argument -- 'o'");
    expect_error(WORDS("--list=yes", "k"), "option '--list' doesn't allow an argument");
    expect_error(WORDS("--r", "k"),
                 "option '--r' is ambiguous; possibilities: '--report' '--rom'");
    expect_error(WORDS("--o\n", "k"), "unrecognized option '--o?'");   /* still one line */
}

static void test_operands(void **state)
{
    (void)state;
    expect_error(WORDS("-v"), "no KERNEL given");
    expect_error(WORDS("a.elf", "b.elf"), "more than one KERNEL (a.elf, b.elf)");
    struct opts_command many = cmd;
    many.min_operands = 0;
    many.max_operands = 2;
    struct opts_parser p;
    struct aot_err err;
    opts_begin(&p, &many, 1, WORDS("x"));      /* argc 1: no operand */
    assert_int_equal(opts_next(&p, &err), OPTS_END);
    assert_int_equal(p.noperands, 0);
    opts_begin(&p, &many, 4, WORDS("a", "b", "c"));
    assert_int_equal(opts_next(&p, &err), OPTS_ERROR);
    assert_string_equal(err.msg, "c: more than 2 KERNEL operands");
}

/* "+": the options end at the first operand (vmi-aot's own options before the command). */
static void test_stop_at_operand(void **state)
{
    (void)state;
    struct opts_command stop = cmd;
    stop.stop_at_operand = 1;
    stop.max_operands = -1;
    struct opts_parser p;
    struct aot_err err;
    char **w = WORDS("-v", "sites", "--json", "k");
    opts_begin(&p, &stop, 5, w);
    assert_int_equal(opts_next(&p, &err), T_VERBOSE);
    assert_int_equal(opts_next(&p, &err), OPTS_END);
    assert_int_equal(p.noperands, 3);
    assert_string_equal(p.operands[0], "sites");
    assert_string_equal(p.operands[1], "--json");
}

static void test_help_version(void **state)
{
    (void)state;
    struct opts_parser p;
    struct aot_err err;
    struct seen s[8];
    int n;
    assert_int_equal(parse(&p, &err, s, &n, WORDS("--json", "--help", "--xml")), OPTS_HELP);
    assert_int_equal(n, 1);
    assert_int_equal(parse(&p, &err, s, &n, WORDS("-h")), OPTS_HELP);
    assert_int_equal(parse(&p, &err, s, &n, WORDS("--version")), OPTS_VERSION);
    assert_int_equal(parse(&p, &err, s, &n, WORDS("--vers")), OPTS_VERSION);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(opts_finish(&cmd, OPTS_VERSION, NULL, f, NULL), 0);
    fclose(f);
    assert_string_equal(buf, "vmi-test " VMI_VERSION "\n");
    free(buf);
    /* a usage error: the line, then the help, into errout; exit status 2 */
    f = open_memstream(&buf, &len);
    opts_fail(&err, "bad --rom '%s'", "x");
    assert_int_equal(opts_finish(&cmd, OPTS_ERROR, &err, NULL, f), 2);
    fclose(f);
    assert_memory_equal(buf, "vmi-test sub: bad --rom 'x'\nusage: vmi-test sub [--json[=FILE]]",
                        strlen("vmi-test sub: bad --rom 'x'\nusage: vmi-test sub [--json[=FILE]]"));
    free(buf);
}

/* A table that is itself wrong is an error of the first opts_next, not a crash. */
static void test_bad_table(void **state)
{
    (void)state;
    static const struct opts_option bad[] = { { "x", 0, OPTS_NO_ARG, NULL, "x", -5 }, { 0 } };
    struct opts_command c = cmd;
    c.options = bad;
    struct opts_parser p;
    struct aot_err err;
    opts_begin(&p, &c, 2, WORDS("k"));
    assert_int_equal(opts_next(&p, &err), OPTS_ERROR);
    assert_non_null(strstr(err.msg, "option table row 0"));
}

/* The help: the usage lines, the paragraph wrapped, every row with its value and every help
 * line, the headings, --help, --version and the epilogue. */
static void test_help_text(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(opts_help(f, &cmd), 0);
    fclose(f);
    const char *want[] = {
        "usage: vmi-test sub [--json[=FILE]] [-o FILE] KERNEL\n",
        "\n               [--rom ROM]\n",
        "\n  Tests the option table: ",
        "\n  --json[=FILE]      JSON (stdout without FILE)\n",
        "\n  -o, --output FILE  write to FILE\n                     whole or not at all\n",
        "\nmore:\n",
        "\n  --report FILE      a report\n",
        "\n  --rom ROM          the ROM\n",
        "\n  -v                 one line per site\n",
        "\n  --list             list\n",
        "\n  -h, --help         this text\n",
        "\n  --version          the version\n",
        "\nExit status: 0, 1, 2.\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(buf, want[i]))
            fail_msg("the help lacks \"%s\":\n%s", want[i], buf);
    for (const char *l = buf; *l; l = strchr(l, '\n') + 1)
        assert_true(strchr(l, '\n') - l <= 98);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_dashdash),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_operands),
        cmocka_unit_test(test_stop_at_operand),
        cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_bad_table),
        cmocka_unit_test(test_help_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
