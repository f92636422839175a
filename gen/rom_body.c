/* Emits a ROM block's code: a routine's body (its assembler text, or the call's native bytes), a
 * helper or VMI_Init, each followed by `ret` where it returns.  For an inline body it also finds,
 * from the text alone, the rel32 fields that leave the body: every `call SYM` whose SYM is not a
 * label of the body is written as an explicit E8 rel32 with a label on the field, and the inline
 * table lists those labels.  vmi-aot check-rom finds the same fields by decoding the bytes, so the
 * two derivations check each other. */
#include "rom_body.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_LABELS 32

void rom_block_label(const struct spec_block *b, char *buf, size_t cap)
{
    if (b->kind == BLOCK_INIT)
        snprintf(buf, cap, "vmi_init");
    else if (b->kind == BLOCK_HELPER)
        snprintf(buf, cap, "%s", b->name);
    else
        snprintf(buf, cap, "rt_%s", b->name);
}

const struct spec_call *rom_block_call(const struct spec *spec, const struct spec_block *b)
{
    for (unsigned i = 0; i < spec->ncalls; i++)
        if ((int)spec->calls[i].number == b->call)
            return &spec->calls[i];
    return NULL;
}

int rom_block_returns(const struct spec *spec, const struct spec_block *b)
{
    if (b->kind != BLOCK_ROUTINE)
        return 1;
    const struct spec_call *c = rom_block_call(spec, b);
    return !b->is_jump && c->result != RESULT_NORETURN;
}

int rom_block_check(const struct spec *spec, const struct spec_rom *rom, const struct spec_block *b,
                    struct spec_error *err)
{
    if (b->kind != BLOCK_ROUTINE)
        return 0;
    const struct spec_call *c = rom_block_call(spec, b);
    if (b->is_inline && !b->has_clobbers) {
        spec_set_error(err, b->pos, "inline routine %s in ROM %s must declare what it clobbers "
                       "(clobbers LIST)", b->name, rom->flavor);
        return -1;
    }
    if (b->is_inline && (b->is_jump || c->result == RESULT_NORETURN)) {
        spec_set_error(err, b->pos, "%s never returns to its site: it cannot be inlined", c->name);
        return -1;
    }
    if (b->has_variant && (int)b->variant_arg != c->const_arg) {
        spec_set_error(err, b->pos, "sites of %s record %s, so a variant on argument %s is never "
                       "chosen", c->name, c->const_arg >= 0 ? c->args[c->const_arg].name
                       : "no constant", c->args[b->variant_arg].name);
        return -1;
    }
    /* An empty native sequence makes an empty routine (CALL_REL to a bare ret, an empty inline
     * body): unlike a NOP answer, which Linux's vmi_get_function() reads as "absent". */
    for (unsigned i = 0; b->use_native && c->stack_bytes && i < c->ninsns; i++)
        if (strstr(c->insns[i].text, "(%esp)")) {
            spec_set_error(err, b->pos, "the native sequence of %s reads the stack at 0(%%esp), "
                           "which is the return address in a routine: write a body", c->name);
            return -1;
        }
    return 0;
}

/* ---- text of a body ------------------------------------------------------------------------- */

static int is_ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_' || c == '.';
}

static int is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$';
}

/* One statement: optional labels, then mnemonic and operands. */
struct stmt {
    char labels[4][SPEC_NAME_MAX];
    unsigned nlabels;
    char mnem[32];
    char operand[512];
};

static void copy_bounded(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void parse_stmt(const char *line, struct stmt *s)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", line);
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = '\0';
    memset(s, 0, sizeof *s);
    char *p = buf;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        char *q = p;
        while (is_ident_char(*q) && *q)
            q++;
        if (q > p && *q == ':' && s->nlabels < 4) {
            copy_bounded(s->labels[s->nlabels++], SPEC_NAME_MAX, p, (size_t)(q - p));
            p = q + 1;
            continue;
        }
        break;
    }
    char *q = p;
    while (*q && !isspace((unsigned char)*q))
        q++;
    copy_bounded(s->mnem, sizeof s->mnem, p, (size_t)(q - p));
    while (isspace((unsigned char)*q))
        q++;
    copy_bounded(s->operand, sizeof s->operand, q, strlen(q));
    size_t n = strlen(s->operand);
    while (n && isspace((unsigned char)s->operand[n - 1]))
        s->operand[--n] = '\0';
}

static int is_symbol(const char *s)
{
    if (!is_ident_start(s[0]))
        return 0;
    for (; *s; s++)
        if (!is_ident_char(*s))
            return 0;
    return 1;
}

static int is_label_of(const char *name, char labels[][SPEC_NAME_MAX], unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(labels[i], name) == 0)
            return 1;
    return 0;
}

static int is_jump_mnemonic(const char *m)
{
    return m[0] == 'j' || strncmp(m, "loop", 4) == 0;
}

static int is_return_mnemonic(const char *m)
{
    static const char *const r[] = { "ret", "retl", "lret", "iret", "iretl", "iretd", "sysexit" };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (strcmp(m, r[i]) == 0)
            return 1;
    return 0;
}

static int emit_text(const struct spec_block *b, const char *label, struct outbuf *ob,
                     unsigned *nrelocs, struct spec_error *err)
{
    char labels[MAX_LABELS][SPEC_NAME_MAX];
    unsigned nlabels = 0;
    /* first pass: the labels the body defines */
    for (const char *line = b->text; *line;) {
        const char *nl = strchr(line, '\n');
        char one[512];
        snprintf(one, sizeof one, "%.*s", (int)(nl ? nl - line : (long)strlen(line)), line);
        struct stmt s;
        parse_stmt(one, &s);
        for (unsigned i = 0; i < s.nlabels && nlabels < MAX_LABELS; i++)
            snprintf(labels[nlabels++], SPEC_NAME_MAX, "%s", s.labels[i]);
        line = nl ? nl + 1 : line + strlen(line);
    }
    int lineno = b->text_line;
    for (const char *line = b->text; *line; lineno++) {
        const char *nl = strchr(line, '\n');
        char one[512];
        snprintf(one, sizeof one, "%.*s", (int)(nl ? nl - line : (long)strlen(line)), line);
        line = nl ? nl + 1 : line + strlen(line);
        struct spec_pos pos = { b->pos.file, lineno, 1 };
        ob_printf(ob, "# %d \"%s\"\n", lineno, b->pos.file);
        if (!b->is_inline) {
            ob_printf(ob, "%s\n", one);
            continue;
        }
        struct stmt s;
        parse_stmt(one, &s);
        char *hash = strchr(one, '#');
        if (strchr(one, ';') && (!hash || strchr(one, ';') < hash)) {
            spec_set_error(err, pos, "one statement per line in an inline body");
            return -1;
        }
        if (is_return_mnemonic(s.mnem)) {
            spec_set_error(err, pos, "an inline body never contains %s: the ROM appends ret to "
                           "the routine", s.mnem);
            return -1;
        }
        int outside = is_symbol(s.operand) && !is_label_of(s.operand, labels, nlabels);
        if (outside && is_jump_mnemonic(s.mnem)) {
            spec_set_error(err, pos, "%s leaves the inline body for %s: only call may leave an "
                           "inline body", s.mnem, s.operand);
            return -1;
        }
        if (!outside || (strcmp(s.mnem, "call") != 0 && strcmp(s.mnem, "calll") != 0)) {
            ob_printf(ob, "%s\n", one);
            continue;
        }
        if (*nrelocs == ROM_MAX_RELOCS) {
            spec_set_error(err, pos, "more than %d calls out of one inline body", ROM_MAX_RELOCS);
            return -1;
        }
        for (unsigned i = 0; i < s.nlabels; i++)
            ob_printf(ob, "%s:\n", s.labels[i]);
        ob_printf(ob, "\t.byte 0xe8\t\t# call %s: relocation %u\n%s_r%u:\n\t.long %s - %s_r%u - 4\n",
                  s.operand, *nrelocs, label, *nrelocs, s.operand, label, *nrelocs);
        (*nrelocs)++;
    }
    return 0;
}

static unsigned count_lines(const struct outbuf *ob)
{
    unsigned n = 0;
    for (size_t i = 0; i < ob->len; i++)
        n += ob->data[i] == '\n';
    return n;
}

int rom_emit_block(const struct spec *spec, const struct spec_block *b, const char *self,
                   struct outbuf *ob, unsigned *nrelocs, struct spec_error *err)
{
    char label[SPEC_NAME_MAX + 8];
    rom_block_label(b, label, sizeof label);
    const struct spec_call *c = b->kind == BLOCK_ROUTINE ? rom_block_call(spec, b) : NULL;
    *nrelocs = 0;
    ob_printf(ob, "\n# %s %s%s\n%s:\n", b->kind == BLOCK_ROUTINE ? "routine" :
              b->kind == BLOCK_HELPER ? "helper" : "init", b->name, b->is_inline ? ", inline" : "",
              label);
    if (b->use_native) {
        for (unsigned i = 0; i < c->ninsns; i++) {
            const struct spec_insn *in = &c->insns[i];
            ob_printf(ob, "\t.byte ");
            for (unsigned k = 0; k < in->len; k++)
                ob_printf(ob, "%s0x%02x", k ? "," : "", c->native[in->offset + k]);
            ob_printf(ob, "\t\t# %s\n", in->text);
        }
    } else if (b->text) {
        if (emit_text(b, label, ob, nrelocs, err) < 0)
            return -1;
        /* back to the generated file's own line numbers */
        ob_printf(ob, "# %u \"%s\"\n", count_lines(ob) + 2, self);
    } else if (b->kind == BLOCK_INIT) {
        ob_printf(ob, "\txor %%eax, %%eax\n");
    }
    ob_printf(ob, "%s_end:\n", label);
    if (rom_block_returns(spec, b))
        ob_printf(ob, "\tret\n");
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
