/* The directives of the Linux consumer profile (spec/linux.vmi): config bits, the groups of
 * struct paravirt_patch_template and their rows, extern blocks, and the rules a ROM must keep.
 * spec_parse.c hands over every line whose keyword is one of them, and every line inside an open
 * group.  The format is documented in docs/spec-format.md ("The Linux profile"). */
#include "spec_model.h"
#include "spec_lex.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lfail(const struct linux_parser *lp, struct spec_error *err, int col, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
static int lfail(const struct linux_parser *lp, struct spec_error *err, int col, const char *fmt,
                 ...)
{
    va_list ap;
    err->pos.file = lp->file;
    err->pos.line = lp->line;
    err->pos.col = col;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

static struct spec_pos lpos(const struct linux_parser *lp, int col)
{
    struct spec_pos p = { lp->file, lp->line, col };
    return p;
}

int linux_is_directive(const char *kw)
{
    return strcmp(kw, "kernel") == 0 || strcmp(kw, "config") == 0 || strcmp(kw, "group") == 0 || strcmp(kw, "extern") == 0 ||
           strcmp(kw, "rule") == 0;
}

/* A C identifier that fits a name field; with dots, also a.b (a member of a nested struct). */
static int name_ok(const char *s, int dots)
{
    if (strlen(s) >= SPEC_NAME_MAX || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || (dots && *s == '.' && s[1] &&
                                                          s[1] != '.')))
            return 0;
    return 1;
}

static const struct spec_lconfig *find_config(const struct spec_linux *lx, const char *s, size_t n)
{
    for (unsigned i = 0; i < lx->nconfigs; i++)
        if (strlen(lx->configs[i].name) == n && strncmp(lx->configs[i].name, s, n) == 0)
            return &lx->configs[i];
    return NULL;
}

/* "-" or a comma list of NAME / !NAME, all of which must hold. */
static int parse_when(const struct linux_parser *lp, const struct lex_token *t,
                      struct spec_lcond *c, struct spec_error *err)
{
    c->mask = c->value = 0;
    if (strcmp(t->text, "-") == 0)
        return 0;
    const char *s = t->text;
    while (*s) {
        int neg = *s == '!';
        const char *name = s + neg;
        size_t n = strcspn(name, ",");
        int col = t->col + (int)(s - t->text);
        const struct spec_lconfig *k = find_config(&lp->spec->lx, name, n);
        if (!k)
            return lfail(lp, err, col, "unknown config '%.*s' (declare it with 'config')",
                         (int)n, name);
        if (c->mask & k->bit)
            return lfail(lp, err, col, "config '%s' named twice in one condition", k->name);
        c->mask |= (uint8_t)k->bit;
        if (!neg)
            c->value |= (uint8_t)k->bit;
        s = name + n;
        if (*s == ',')
            s++;
    }
    return 0;
}

/* kernel "NAME": the consumer the profile describes, as the findings name it. */
static int parse_kernel(struct linux_parser *lp, const struct lex_line *l, struct spec_error *err)
{
    struct spec_linux *lx = &lp->spec->lx;
    if (l->ntok != 2 || !l->tok[1].quoted || strlen(l->tok[1].text) >= sizeof lx->kernel)
        return lfail(lp, err, l->tok[0].col, "kernel takes one quoted name (at most %zu "
                     "characters)", sizeof lx->kernel - 1);
    if (lx->kernel[0])
        return lfail(lp, err, l->tok[0].col, "kernel named twice");
    memcpy(lx->kernel, l->tok[1].text, strlen(l->tok[1].text) + 1);
    if (!lx->present) {
        lx->present = 1;
        lx->pos = lpos(lp, l->tok[0].col);
    }
    return 0;
}

/* config NAME BIT SYMBOL */
static int parse_config(struct linux_parser *lp, const struct lex_line *l, struct spec_error *err)
{
    struct spec_linux *lx = &lp->spec->lx;
    if (l->ntok != 4)
        return lfail(lp, err, l->tok[0].col, "config takes a name, a bit and the kernel symbol");
    if (lx->nconfigs == SPEC_MAX_LCONFIGS)
        return lfail(lp, err, l->tok[0].col, "more than %d config bits", SPEC_MAX_LCONFIGS);
    if (!name_ok(l->tok[1].text, 0))
        return lfail(lp, err, l->tok[1].col, "config name '%s' is not an identifier",
                     l->tok[1].text);
    if (find_config(lx, l->tok[1].text, strlen(l->tok[1].text)))
        return lfail(lp, err, l->tok[1].col, "config '%s' declared twice", l->tok[1].text);
    uint64_t bit;
    if (spec_parse_u64(l->tok[2].text, &bit) < 0 || bit == 0 || bit > 0x80 || (bit & (bit - 1)))
        return lfail(lp, err, l->tok[2].col, "config bit '%s' is not one of 0x1 .. 0x80",
                     l->tok[2].text);
    for (unsigned i = 0; i < lx->nconfigs; i++)
        if (lx->configs[i].bit == bit)
            return lfail(lp, err, l->tok[2].col, "config bit 0x%x is already '%s'",
                         (unsigned)bit, lx->configs[i].name);
    if (!name_ok(l->tok[3].text, 0))
        return lfail(lp, err, l->tok[3].col, "kernel symbol '%s' is not an identifier",
                     l->tok[3].text);
    struct spec_lconfig *k = &lx->configs[lx->nconfigs++];
    k->pos = lpos(lp, l->tok[1].col);
    strcpy(k->name, l->tok[1].text);
    k->bit = (unsigned)bit;
    strcpy(k->symbol, l->tok[3].text);
    if (!lx->present) {
        lx->present = 1;
        lx->pos = k->pos;
    }
    return 0;
}

/* group NAME | extern NAME */
static int open_group(struct linux_parser *lp, const struct lex_line *l, struct spec_error *err)
{
    struct spec_linux *lx = &lp->spec->lx;
    if (l->ntok != 2)
        return lfail(lp, err, l->tok[0].col, "%s takes one name", l->tok[0].text);
    if (lx->ngroups == SPEC_MAX_LGROUPS)
        return lfail(lp, err, l->tok[0].col, "more than %d groups", SPEC_MAX_LGROUPS);
    if (!name_ok(l->tok[1].text, 0))
        return lfail(lp, err, l->tok[1].col, "group name '%s' is not an identifier",
                     l->tok[1].text);
    for (unsigned i = 0; i < lx->ngroups; i++)
        if (strcmp(lx->groups[i].name, l->tok[1].text) == 0)
            return lfail(lp, err, l->tok[1].col, "group '%s' defined twice (line %d)",
                         l->tok[1].text, lx->groups[i].pos.line);
    struct spec_lgroup *g = &lx->groups[lx->ngroups++];
    memset(g, 0, sizeof *g);
    g->pos = lpos(lp, l->tok[1].col);
    strcpy(g->name, l->tok[1].text);
    g->is_extern = strcmp(l->tok[0].text, "extern") == 0;
    g->first = lx->nops;
    if (!lx->present) {
        lx->present = 1;
        lx->pos = g->pos;
    }
    lp->group = g;
    return 0;
}

static int parse_uses(const struct linux_parser *lp, const struct lex_token *t, uint8_t *uses,
                      struct spec_error *err)
{
    static const struct { const char *name; uint8_t bit; } names[] = {
        { "patch", LUSE_PATCH }, { "fill", LUSE_FILL }, { "wrap", LUSE_WRAP },
        { "get", LUSE_GET }, { "probe", LUSE_PROBE },
    };
    *uses = 0;
    if (strcmp(t->text, "native") == 0)
        return 0;
    const char *s = t->text;
    while (*s) {
        size_t n = strcspn(s, ","), i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == n && strncmp(names[i].name, s, n) == 0)
                break;
        if (i == sizeof names / sizeof names[0] || (*uses & names[i].bit))
            return lfail(lp, err, t->col + (int)(s - t->text),
                         "use '%.*s' is not one of patch, fill, wrap, get, probe (once each) or "
                         "native", (int)n, s);
        *uses |= names[i].bit;
        s += n;
        if (*s == ',')
            s++;
    }
    return 0;
}

/* A row: MEMBER WORDS WHEN USE CALL */
static int parse_row(struct linux_parser *lp, const struct lex_line *l, struct spec_error *err)
{
    struct spec_linux *lx = &lp->spec->lx;
    if (l->ntok != 5)
        return lfail(lp, err, l->tok[l->ntok > 5 ? 5 : 0].col,
                     "a row is: member words when use call");
    if (lx->nops == SPEC_MAX_LOPS)
        return lfail(lp, err, l->tok[0].col, "more than %d rows", SPEC_MAX_LOPS);
    struct spec_lop *o = &lx->ops[lx->nops];
    memset(o, 0, sizeof *o);
    o->pos = lpos(lp, l->tok[0].col);
    o->group = (unsigned)(lp->group - lx->groups);
    if (!name_ok(l->tok[0].text, 1))
        return lfail(lp, err, l->tok[0].col, "member '%s' is not a C member name",
                     l->tok[0].text);
    strcpy(o->member, l->tok[0].text);
    uint64_t w;
    if (spec_parse_u64(l->tok[1].text, &w) < 0 || w == 0 || w > 16)
        return lfail(lp, err, l->tok[1].col, "words '%s' is not a number from 1 to 16",
                     l->tok[1].text);
    o->words = (unsigned)w;
    if (parse_when(lp, &l->tok[2], &o->when, err) < 0 || parse_uses(lp, &l->tok[3], &o->uses,
                                                                     err) < 0)
        return -1;
    o->call = -1;
    o->call_pos = lpos(lp, l->tok[4].col);
    if (strcmp(l->tok[4].text, "-") == 0) {
        if (o->uses)
            return lfail(lp, err, l->tok[4].col, "a row used by the backend names its VMI call");
    } else {
        const struct spec_call *c = spec_find_call(lp->spec, l->tok[4].text);
        if (!c)
            return lfail(lp, err, l->tok[4].col, "unknown call '%s'",
                         l->tok[4].text);
        if (!o->uses)
            return lfail(lp, err, l->tok[4].col, "a native row names no call: write '-'");
        o->call = (int)c->number;
    }
    lx->nops++;
    lp->group->nops++;
    return 0;
}

/* ---- rules --------------------------------------------------------------------------------- */

static const struct { const char *name; enum spec_rule_kind kind; } rule_kinds[] = {
    { "all-or-none", RULE_ALL_OR_NONE }, { "not-nop", RULE_NOT_NOP }, { "pair", RULE_PAIR },
    { "jump-only", RULE_JUMP_ONLY }, { "virtual-top-align", RULE_VIRTUAL_TOP_ALIGN },
    { "nonzero-result", RULE_NONZERO_RESULT }, { "reg-offset", RULE_REG_OFFSET },
};

const char *spec_rule_kind_name(enum spec_rule_kind kind)
{
    for (size_t i = 0; i < sizeof rule_kinds / sizeof rule_kinds[0]; i++)
        if (rule_kinds[i].kind == kind)
            return rule_kinds[i].name;
    return "?";
}

static int rule_name_ok(const char *s)
{
    if (!isalpha((unsigned char)s[0]) || strlen(s) >= SPEC_NAME_MAX)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static int add_rule_call(const struct linux_parser *lp, struct spec_lrule *r, int number, int col,
                         struct spec_error *err)
{
    for (unsigned i = 0; i < r->ncalls; i++)
        if (r->calls[i] == number)
            return 0;
    if (r->ncalls == SPEC_MAX_RCALLS)
        return lfail(lp, err, col, "a rule names at most %d calls", SPEC_MAX_RCALLS);
    r->calls[r->ncalls++] = number;
    return 0;
}

/* A call name, or use:USE for every call of the rows with that use (rows read so far). */
static int rule_calls(const struct linux_parser *lp, struct spec_lrule *r,
                      const struct lex_token *t, struct spec_error *err)
{
    if (strncmp(t->text, "use:", 4) == 0) {
        struct lex_token u = *t;
        snprintf(u.text, sizeof u.text, "%s", t->text + 4);
        u.col += 4;
        uint8_t uses;
        if (parse_uses(lp, &u, &uses, err) < 0)
            return -1;
        if (!uses)
            return lfail(lp, err, u.col, "use:native names no calls");
        unsigned before = r->ncalls;
        for (unsigned i = 0; i < lp->spec->lx.nops; i++) {
            const struct spec_lop *o = &lp->spec->lx.ops[i];
            if ((o->uses & uses) && add_rule_call(lp, r, o->call, t->col, err) < 0)
                return -1;
        }
        if (r->ncalls == before)
            return lfail(lp, err, t->col, "no row so far has the use '%s'", u.text);
        return 0;
    }
    const struct spec_call *c = spec_find_call(lp->spec, t->text);
    if (!c)
        return lfail(lp, err, t->col, "unknown call '%s'", t->text);
    return add_rule_call(lp, r, (int)c->number, t->col, err);
}

/* The rule's name (a word not used by an earlier rule) and its kind. */
static int rule_name_kind(struct linux_parser *lp, const struct lex_line *l, struct spec_lrule *r,
                          struct spec_error *err)
{
    struct spec_linux *lx = &lp->spec->lx;
    if (!rule_name_ok(l->tok[1].text))
        return lfail(lp, err, l->tok[1].col, "rule name '%s' is not a word of letters, digits "
                     "and '-'", l->tok[1].text);
    for (unsigned i = 0; i < lx->nrules; i++)
        if (strcmp(lx->rules[i].name, l->tok[1].text) == 0)
            return lfail(lp, err, l->tok[1].col, "rule '%s' defined twice (line %d)",
                         l->tok[1].text, lx->rules[i].pos.line);
    strcpy(r->name, l->tok[1].text);
    size_t k;
    for (k = 0; k < sizeof rule_kinds / sizeof rule_kinds[0]; k++)
        if (strcmp(rule_kinds[k].name, l->tok[2].text) == 0)
            break;
    if (k == sizeof rule_kinds / sizeof rule_kinds[0])
        return lfail(lp, err, l->tok[2].col, "unknown rule kind '%s' (all-or-none, not-nop, "
                     "pair, jump-only, virtual-top-align, nonzero-result, reg-offset)",
                     l->tok[2].text);
    r->kind = rule_kinds[k].kind;
    return 0;
}

/* nonzero-result CALL eax|edx:eax: the call, which returns its result in that register. */
static int nonzero_result_args(struct linux_parser *lp, struct spec_lrule *r,
                               const struct lex_token *a, int na, const struct lex_token *last,
                               struct spec_error *err)
{
    if (na != 2 || (strcmp(a[1].text, "edx:eax") != 0 && strcmp(a[1].text, "eax") != 0))
        return lfail(lp, err, na ? a[na - 1].col : last->col,
                     "nonzero-result takes a call and its result: eax or edx:eax");
    r->value = strcmp(a[1].text, "eax") == 0 ? 1 : 2;
    if (rule_calls(lp, r, &a[0], err) < 0)
        return -1;
    const struct spec_call *c = NULL;
    for (unsigned i = 0; i < lp->spec->ncalls; i++)
        if ((int)lp->spec->calls[i].number == r->calls[0])
            c = &lp->spec->calls[i];
    enum spec_result want = r->value == 1 ? RESULT_EAX : RESULT_EDX_EAX;
    if (c->result != want)
        return lfail(lp, err, a[1].col, "%s does not return its result in %s", c->name,
                     a[1].text);
    return 0;
}

/* The na arguments a of a rule of r->kind (last: the token to blame when one is missing):
 * a power of two, a call and its result register, or calls (two for a pair). */
static int rule_args(struct linux_parser *lp, const struct lex_line *l, struct spec_lrule *r,
                     const struct lex_token *a, int na, const struct lex_token *last,
                     struct spec_error *err)
{
    switch (r->kind) {
    case RULE_VIRTUAL_TOP_ALIGN: {
        uint64_t v;
        if (na != 1 || spec_parse_u64(a[0].text, &v) < 0 || v < 0x1000 || v > 0x80000000u ||
            (v & (v - 1)))
            return lfail(lp, err, na ? a[0].col : last->col, "virtual-top-align takes one "
                         "power of two from 0x1000 to 0x80000000");
        r->value = (uint32_t)v;
        return 0;
    }
    case RULE_NONZERO_RESULT:
        return nonzero_result_args(lp, r, a, na, last, err);
    case RULE_PAIR:
        if (na != 2)
            return lfail(lp, err, last->col, "pair takes two calls: the installed one and the "
                         "one its wrapper calls");
        /* fall through */
    default:
        if (na < 1)
            return lfail(lp, err, last->col, "%s takes at least one call", l->tok[2].text);
        for (int i = 0; i < na; i++)
            if (rule_calls(lp, r, &a[i], err) < 0)
                return -1;
        if (r->kind == RULE_PAIR && r->ncalls != 2)
            return lfail(lp, err, a[1].col, "a pair is two different calls");
        return 0;
    }
}

/* rule NAME KIND ARGS... [when COND]; the line's comment says why Linux needs it. */
static int parse_rule(struct linux_parser *lp, const struct lex_line *l, struct spec_error *err)
{
    struct spec_linux *lx = &lp->spec->lx;
    if (l->ntok < 3)
        return lfail(lp, err, l->tok[0].col, "rule takes a name, a kind and its arguments");
    if (lx->nrules == SPEC_MAX_LRULES)
        return lfail(lp, err, l->tok[0].col, "more than %d rules", SPEC_MAX_LRULES);
    struct spec_lrule *r = &lx->rules[lx->nrules];
    memset(r, 0, sizeof *r);
    r->pos = lpos(lp, l->tok[1].col);
    if (rule_name_kind(lp, l, r, err) < 0)
        return -1;
    int nargs = l->ntok;
    if (nargs >= 5 && strcmp(l->tok[nargs - 2].text, "when") == 0) {
        if (parse_when(lp, &l->tok[nargs - 1], &r->when, err) < 0)
            return -1;
        nargs -= 2;
    }
    const struct lex_token *a = &l->tok[3];
    int na = nargs - 3;
    if (rule_args(lp, l, r, a, na, na ? &a[na - 1] : &l->tok[2], err) < 0)
        return -1;
    if (!l->comment[0] || strlen(l->comment) >= sizeof r->why)
        return lfail(lp, err, l->tok[0].col, "a rule's comment says why the kernel needs it, in "
                     "1 to %zu characters", sizeof r->why - 1);
    memcpy(r->why, l->comment, strlen(l->comment) + 1);
    lx->nrules++;
    if (!lx->present) {
        lx->present = 1;
        lx->pos = r->pos;
    }
    return 0;
}

int linux_parse_line(struct linux_parser *lp, const struct lex_line *l, struct spec_error *err)
{
    const char *kw = l->tok[0].text;
    if (lp->group) {
        if (l->ntok == 1 && strcmp(kw, "end") == 0) {
            if (!lp->group->nops)
                return lfail(lp, err, l->tok[0].col, "group '%s' has no rows", lp->group->name);
            lp->group = NULL;
            return 0;
        }
        return parse_row(lp, l, err);
    }
    if (strcmp(kw, "kernel") == 0)
        return parse_kernel(lp, l, err);
    if (strcmp(kw, "config") == 0)
        return parse_config(lp, l, err);
    if (strcmp(kw, "rule") == 0)
        return parse_rule(lp, l, err);
    return open_group(lp, l, err);
}
/* SPDX-License-Identifier: GPL-2.0-only */
