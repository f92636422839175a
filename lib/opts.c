/* The option table: see opts.h. */
#include "opts.h"

#include <stdarg.h>
#include <string.h>

#include "vmi_version.h"

/* getopt_long's val for the long form of row i: above every char, so a '?' or ':' says by optopt
 * whether the long or the short form was given (glibc sets optopt to the val of the long option
 * that was misused, to the letter for a short one). */
#define LONG_BASE 0x10000

/* The two rows every command gets after its own. */
static const struct opts_option builtin[2] = {
    { "help", 'h', OPTS_NO_ARG, NULL, "this text", OPTS_HELP },
    { "version", 0, OPTS_NO_ARG, NULL, "the version", OPTS_VERSION },
};

/* Like aot_fail, without the rest of aot_err.c (vmi-gen links this file alone): control
 * characters from argv become '?', so the message stays one line. */
static int vfail(struct aot_err *err, const char *fmt, va_list ap)
{
    if (!err)
        return OPTS_ERROR;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    for (char *c = err->msg; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return OPTS_ERROR;
}

int opts_fail(struct aot_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, fmt, ap);
    va_end(ap);
    return OPTS_ERROR;
}

/* Row i of the parse: the command's, then the two built-in ones. */
static const struct opts_option *row(const struct opts_parser *p, int i)
{
    return i < p->nrows ? &p->cmd->options[i] : &builtin[i - p->nrows];
}

static int is_heading(const struct opts_option *o)
{
    return !o->name && !o->short_name;
}

static int takes_h(const struct opts_command *cmd)
{
    for (const struct opts_option *o = cmd->options; o->id; o++)
        if (o->short_name == 'h')
            return 1;
    return 0;
}

/* One row into getopt's tables: its long form (when it has one) and its letter. */
static void add_row(struct opts_parser *p, int i, size_t *nl, size_t *ns, int h_taken)
{
    const struct opts_option *o = row(p, i);
    int ga = o->has_arg == OPTS_ARG ? required_argument
           : o->has_arg == OPTS_OPTIONAL_ARG ? optional_argument : no_argument;
    if (o->name)
        p->longs[(*nl)++] = (struct option){ o->name, ga, NULL, LONG_BASE + i };
    char c = o->short_name;
    if (!c || (o->id == OPTS_HELP && h_taken))
        return;
    p->shorts[(*ns)++] = c;
    if (o->has_arg != OPTS_NO_ARG)
        p->shorts[(*ns)++] = ':';
    if (o->has_arg == OPTS_OPTIONAL_ARG)
        p->shorts[(*ns)++] = ':';
}

void opts_begin(struct opts_parser *p, const struct opts_command *cmd, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    for (; cmd->options[p->nrows].id; p->nrows++)
        if (p->nrows == OPTS_MAX ||
            (cmd->options[p->nrows].id < 0 && !is_heading(&cmd->options[p->nrows]))) {
            p->bad_row = p->nrows + 1;  /* opts_next reports it */
            return;
        }
    size_t nl = 0, ns = 0;
    if (cmd->stop_at_operand)
        p->shorts[ns++] = '+';
    p->shorts[ns++] = ':';              /* a missing value returns ':', not '?' */
    int h_taken = takes_h(cmd);
    for (int i = 0; i < p->nrows + 2; i++)
        add_row(p, i, &nl, &ns, h_taken);
    p->shorts[ns] = 0;
    p->longs[nl] = (struct option){ NULL, 0, NULL, 0 };
    opterr = 0;                         /* the messages are ours, as values */
    optind = 0;                         /* glibc: a full re-initialisation */
}

/* The row a getopt result stands for (a long form's val or a letter), or NULL. */
static const struct opts_option *row_of(const struct opts_parser *p, int c)
{
    if (c >= LONG_BASE && c < LONG_BASE + p->nrows + 2)
        return row(p, c - LONG_BASE);
    for (int i = 0; i < p->nrows + 2; i++)
        if (c && row(p, i)->short_name == c && !is_heading(row(p, i)))
            return row(p, i);
    return NULL;
}

/* An unknown long option: ambiguous (a prefix of several names) or unrecognized, worded as
 * getopt would. */
static int unknown_long(const struct opts_parser *p, const char *word, struct aot_err *err)
{
    const char *name = word + 2;
    size_t len = strcspn(name, "=");
    char poss[256] = "";
    int n = 0;
    for (const struct option *o = p->longs; o->name; o++)
        if (len && strncmp(o->name, name, len) == 0 &&
            strlen(poss) + strlen(o->name) + 6 < sizeof poss) {
            snprintf(poss + strlen(poss), sizeof poss - strlen(poss), " '--%s'", o->name);
            n++;
        }
    if (n > 1)
        return opts_fail(err, "option '%.*s' is ambiguous; possibilities:%s", (int)len + 2, word,
                         poss);
    return opts_fail(err, "unrecognized option '%s'", word);
}

/* getopt's '?' and ':' as one line each. */
static int bad_option(const struct opts_parser *p, int c, struct aot_err *err)
{
    const struct opts_option *o = optopt >= LONG_BASE ? row_of(p, optopt) : NULL;
    if (c == ':' && o)
        return opts_fail(err, "option '--%s' requires an argument", o->name);
    if (c == ':')
        return opts_fail(err, "option requires an argument -- '%c'", optopt);
    if (o)
        return opts_fail(err, "option '--%s' doesn't allow an argument", o->name);
    if (optopt)
        return opts_fail(err, "invalid option -- '%c'", optopt);
    return unknown_long(p, p->argv[optind - 1], err);
}

/* The options are done: the operands are what getopt left from optind on. */
static int operands(struct opts_parser *p, struct aot_err *err)
{
    const struct opts_command *cmd = p->cmd;
    p->operands = p->argv + optind;
    p->noperands = p->argc - optind;
    if (p->noperands < cmd->min_operands)
        return opts_fail(err, "no %s given", cmd->operands);
    if (cmd->max_operands < 0 || p->noperands <= cmd->max_operands)
        return OPTS_END;
    if (cmd->max_operands == 1)
        return opts_fail(err, "more than one %s (%s, %s)", cmd->operands, p->operands[0],
                         p->operands[1]);
    return opts_fail(err, "%s: more than %d %s operands", p->operands[cmd->max_operands],
                     cmd->max_operands, cmd->operands);
}

int opts_next(struct opts_parser *p, struct aot_err *err)
{
    p->arg = NULL;
    if (p->bad_row)                     /* the table is wrong, not the command line */
        return opts_fail(err, "option table row %d: more than %d rows, or an id below 1",
                         p->bad_row - 1, OPTS_MAX);
    int c = getopt_long(p->argc, p->argv, p->shorts, p->longs, NULL);
    if (c == -1)
        return operands(p, err);
    if (c == '?' || c == ':')
        return bad_option(p, c, err);
    const struct opts_option *o = row_of(p, c);
    if (!o)                             /* cannot happen: getopt returns only what it was given */
        return opts_fail(err, "getopt returned %d, no option of the table", c);
    p->arg = optarg;
    return o->id;
}

/* ---- the help text ---- */

/* The left column of a row: "-o, --output FILE", "--json[=FILE]", "-v", "--dry-run". */
static void left_column(const struct opts_option *o, int h_taken, char *buf, size_t len)
{
    size_t n = 0;
    char c = (o->id == OPTS_HELP && h_taken) ? 0 : o->short_name;
    if (c)
        n += (size_t)snprintf(buf + n, len - n, "-%c%s", c, o->name ? ", " : "");
    if (o->name && n < len)
        n += (size_t)snprintf(buf + n, len - n, "--%s", o->name);
    if (o->has_arg == OPTS_OPTIONAL_ARG && n < len)
        snprintf(buf + n, len - n, "[=%s]", o->arg ? o->arg : "VALUE");
    else if (o->has_arg == OPTS_ARG && n < len)
        snprintf(buf + n, len - n, " %s", o->arg ? o->arg : "VALUE");
}

static size_t left_len(const struct opts_option *o, int h_taken)
{
    char buf[128];
    left_column(o, h_taken, buf, sizeof buf);
    return strlen(buf);
}

/* Where the help column starts: after the widest left column, but no further than 22 wide (a
 * wider one puts its help on the next line). */
static int help_column(const struct opts_command *cmd, int h_taken)
{
    size_t w = 0;
    for (const struct opts_option *o = cmd->options; o->id; o++)
        if (!is_heading(o) && left_len(o, h_taken) <= 22 && left_len(o, h_taken) > w)
            w = left_len(o, h_taken);
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (left_len(&builtin[i], h_taken) > w)
            w = left_len(&builtin[i], h_taken);
    return 2 + (int)w + 2;
}

/* Writes text's lines, the first after what is already on the line at column `at`, every one
 * at column col. */
static void indented_lines(FILE *f, const char *text, int at, int col)
{
    for (const char *s = text; s;) {
        const char *nl = strchr(s, '\n');
        int len = nl ? (int)(nl - s) : (int)strlen(s);
        fprintf(f, "%*s%.*s\n", col > at ? col - at : 0, "", len, s);
        at = 0;
        s = nl ? nl + 1 : NULL;
    }
}

static void option_help(FILE *f, const struct opts_option *o, int h_taken, int col)
{
    char buf[128];
    if (is_heading(o)) {
        fprintf(f, "%s\n", o->help);
        return;
    }
    left_column(o, h_taken, buf, sizeof buf);
    int at = fprintf(f, "  %s", buf);
    if (at + 1 > col) {                 /* no room: the help starts on the next line */
        fputc('\n', f);
        at = 0;
    }
    indented_lines(f, o->help, at, col);
}

/* The paragraph, wrapped at word boundaries to lines of at most 98 columns, indented by 2. */
static void paragraph(FILE *f, const char *text)
{
    int at = 0;
    for (const char *s = text; *s;) {
        while (*s == ' ' || *s == '\n')
            s++;
        size_t w = strcspn(s, " \n");
        if (!w)
            break;
        if (at && at + 1 + (int)w > 98) {
            fputc('\n', f);
            at = 0;
        }
        at += at ? fprintf(f, " %.*s", (int)w, s) : fprintf(f, "  %.*s", (int)w, s);
        s += w;
    }
    if (at)
        fputc('\n', f);
}

int opts_help(FILE *f, const struct opts_command *cmd)
{
    int h_taken = takes_h(cmd);
    int col = help_column(cmd, h_taken);
    /* the synopsis's further lines go under "usage: " */
    int at = fprintf(f, "usage: %s ", cmd->prog);
    indented_lines(f, cmd->synopsis, at, 7);
    if (cmd->description)
        paragraph(f, cmd->description);
    for (const struct opts_option *o = cmd->options; o->id; o++)
        option_help(f, o, h_taken, col);
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        option_help(f, &builtin[i], h_taken, col);
    if (cmd->epilogue)
        fprintf(f, "%s\n", cmd->epilogue);
    return ferror(f) ? -1 : 0;
}

int opts_finish(const struct opts_command *cmd, int status, const struct aot_err *err, FILE *out,
                FILE *errout)
{
    if (status == OPTS_HELP)
        return opts_help(out, cmd) == 0 && fflush(out) == 0 ? 0 : 1;
    if (status == OPTS_VERSION) {
        fprintf(out, "%.*s %s\n", (int)strcspn(cmd->prog, " "), cmd->prog, VMI_VERSION);
        return 0;
    }
    fprintf(errout, "%s: %s\n", cmd->prog, err ? err->msg : "usage error");
    opts_help(errout, cmd);
    return 2;
}
/* SPDX-License-Identifier: GPL-2.0-only */
