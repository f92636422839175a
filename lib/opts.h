/* The option table: a command describes itself once (its name, synopsis, a paragraph, its
 * operands and its options) and this builds getopt_long's tables from the description, adds
 * --help and --version, renders the --help text from the same table (so the help and the parser
 * cannot drift), checks the operand count and reports a usage error as one line in a struct
 * aot_err.  It prints nothing of its own: the help text and the outcome go only to the FILE *s its
 * caller passes.  Depends on libc and lib/aot_err.h only (vmi-gen links it too).
 *
 *   struct opts_parser p;
 *   opts_begin(&p, &cmd, argc, argv);
 *   while ((id = opts_next(&p, &err)) > 0)
 *       if (take(id, p.arg, &err) != 0) { id = OPTS_ERROR; break; }   (a bad value)
 *   if (id != OPTS_END)
 *       return opts_finish(&cmd, id, &err, stdout, stderr);       (0 help/version, 2 usage)
 *   ... p.operands[0 .. p.noperands - 1] ...
 */
#ifndef VMI_OPTS_H
#define VMI_OPTS_H

#include <getopt.h>
#include <stdio.h>

#include "aot_err.h"

/**
 * Whether an option takes a value.
 */
enum opts_arg {
    /** A flag: `--json`; `--json=x` is a usage error. */
    OPTS_NO_ARG,
    /** A value: `--output FILE`, `--output=FILE`, `-o FILE` or `-oFILE`. */
    OPTS_ARG,
    /** A value only after '=': `--json` or `--json=FILE` (opts_parser.arg NULL without one). */
    OPTS_OPTIONAL_ARG,
};

/**
 * One row of a command's table.  A row with neither a long nor a short name is a heading: its
 * help line is printed unindented among the options (vmi-prof groups its options so).
 */
struct opts_option {
    /** The long name without "--" ("output"), or NULL for a short-only option. */
    const char *name;
    /** The short letter ('o'), or 0 for none.  'h' is --help's unless a row takes it. */
    char short_name;
    /** Whether it takes a value. */
    enum opts_arg has_arg;
    /** The value's name in the help ("FILE"); NULL for OPTS_NO_ARG. */
    const char *arg;
    /** The help: one or more lines separated by '\n' (no trailing newline). */
    const char *help;
    /** What opts_next returns for it: > 0, distinct within the table (a heading's: -1); 0 ends
     * the table. */
    int id;
};

/** A heading row ("output:"): it names no option, so its id only has to be non-zero. */
#define OPTS_HEADING(text) { NULL, 0, OPTS_NO_ARG, NULL, (text), -1 }

/**
 * A command's description: everything its parser and its --help come from.
 */
struct opts_command {
    /** The name messages start with and the usage line shows ("vmi-aot sites"); its first
     * word is what --version prints before the version. */
    const char *prog;
    /** What follows "usage: PROG " ("[--json] [-o FILE] KERNEL"); each '\n' starts a line
     * indented under "usage: " (a continuation, or another form "PROG --guest LOG"). */
    const char *synopsis;
    /** One paragraph saying what the command does, wrapped to the terminal-safe width; NULL for
     * none. */
    const char *description;
    /** The operands' name in messages ("KERNEL": "no KERNEL given"). */
    const char *operands;
    /** How many operands there must be at least, and at most (-1: no limit). */
    int min_operands, max_operands;
    /** 1: the options end at the first operand (getopt's "+": vmi-aot's own options come
     * before the command); 0: options and operands mix. */
    int stop_at_operand;
    /** The table, ended by a row whose id is 0. */
    const struct opts_option *options;
    /** Lines printed verbatim after the options (an exit-status note), or NULL. */
    const char *epilogue;
};

/** What opts_next returns besides an option's id. */
enum {
    /** The options are done and the operand count is right: see opts_parser.operands. */
    OPTS_END = 0,
    /** A usage error: the one line is in the caller's struct aot_err. */
    OPTS_ERROR = -1,
    /** --help was given (nothing after it is parsed). */
    OPTS_HELP = -2,
    /** --version was given. */
    OPTS_VERSION = -3,
};

/** The most rows a table may have (headings included). */
#define OPTS_MAX 48

/**
 * One parse of argv against a command's table.
 */
struct opts_parser {
    /** The command being parsed. */
    const struct opts_command *cmd;
    /** The option just returned's value (NULL when it has none). */
    const char *arg;
    /** After OPTS_END: the operands, in order (permuted behind the options). */
    char **operands;
    /** After OPTS_END: how many. */
    int noperands;
    /* Private: getopt_long's tables, built from cmd by opts_begin. */
    int argc;
    char **argv;
    struct option longs[OPTS_MAX + 3];
    char shorts[3 * OPTS_MAX + 8];
    int nrows;
    int bad_row;
};

/**
 * Builds the tables for cmd and starts a fresh getopt scan of argv[1..argc-1] (optind = 0: glibc
 * re-initialises, so a command after vmi-aot's own scan starts clean).  A table that is itself
 * wrong (more than OPTS_MAX rows, an id below 1) makes the first opts_next an OPTS_ERROR.
 */
void opts_begin(struct opts_parser *p, const struct opts_command *cmd, int argc, char **argv);

/**
 * The next option's id (> 0; its value in p->arg), or OPTS_END, OPTS_HELP, OPTS_VERSION, or
 * OPTS_ERROR with one line in err naming the option or operand ("unrecognized option '--xml'",
 * "option '--header' requires an argument", "no KERNEL given", "more than one ROM (a, b)").
 */
int opts_next(struct opts_parser *p, struct aot_err *err);

/**
 * Writes the --help text of cmd to f: the usage line(s), the paragraph, one line (or more) per
 * option, --help and --version, the epilogue.  0, or -1 on a write error.
 */
int opts_help(FILE *f, const struct opts_command *cmd);

/**
 * The common ending of a parse that stopped before OPTS_END: OPTS_HELP writes the help to out
 * (returns 0), OPTS_VERSION "PROG VERSION" to out (0), OPTS_ERROR "PROG: message" and then the
 * help to errout (2).  Returns the exit status.
 */
int opts_finish(const struct opts_command *cmd, int status, const struct aot_err *err, FILE *out,
                FILE *errout);

/**
 * A usage error found by the caller after the parse (a bad value, a missing --rom): formats the
 * one line into err as aot_fail does and returns OPTS_ERROR, for opts_finish.
 */
int opts_fail(struct aot_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* VMI_OPTS_H */
/* SPDX-License-Identifier: GPL-2.0-only */
