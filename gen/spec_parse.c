/* The spec parser: reads spec files line by line into struct spec.  Each line is a directive
 * (const, native), the header of a block (table calls, struct, rom, routine, helper, init) or a line
 * inside the open block.  Everything not understood is an error naming FILE:LINE:COL.
 * The format is documented in docs/spec-format.md. */
#include "spec_model.h"
#include "spec_lex.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum block_state { IN_NONE, IN_TABLE, IN_STRUCT, IN_ROM, IN_BODY };

struct parser {
    struct spec *spec;
    const char *file;
    int line;
    enum block_state state;
    struct spec_pos block_pos;   /* where the open block started */
    struct spec_struct *st;      /* open struct */
    struct spec_rom *rom;        /* ROM that routines of this file belong to */
    struct spec_block *body;     /* open routine, helper or init */
    size_t body_len;
    size_t body_cap;
    /* a native sequence being collected (consecutive native lines of one call) */
    struct spec_call *native_call;
    const char *native_texts[SPEC_MAX_INSNS];
    char native_store[SPEC_MAX_INSNS][SPEC_TEXT_MAX];
    struct linux_parser lx;      /* the Linux profile's directives (linux_parse.c) */
    struct spec_error *err;
};

void spec_set_error(struct spec_error *err, struct spec_pos pos, const char *fmt, ...)
{
    va_list ap;
    err->pos = pos;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

static struct spec_pos pos_at(const struct parser *p, int col)
{
    struct spec_pos pos = { p->file, p->line, col };
    return pos;
}

static int fail(struct parser *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct parser *p, int col, const char *fmt, ...)
{
    va_list ap;
    p->err->pos = pos_at(p, col);
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- small value parsers ------------------------------------------------------------------- */

int spec_parse_u64(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)s[0]))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_uint(struct parser *p, const struct lex_token *t, uint64_t max, uint64_t *out,
                      const char *what)
{
    if (spec_parse_u64(t->text, out) < 0)
        return fail(p, t->col, "%s: '%s' is not a number", what, t->text);
    if (*out > max)
        return fail(p, t->col, "%s: %s is out of range (at most %llu)", what, t->text,
                    (unsigned long long)max);
    return 0;
}

static int valid_ident(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static int copy_name(struct parser *p, char *dst, const struct lex_token *t, const char *what)
{
    if (!valid_ident(t->text))
        return fail(p, t->col, "%s '%s' is not an identifier", what, t->text);
    if (strlen(t->text) >= SPEC_NAME_MAX)
        return fail(p, t->col, "%s '%s' is too long", what, t->text);
    strcpy(dst, t->text);
    return 0;
}

static void copy_text(char *dst, const char *src)
{
    snprintf(dst, SPEC_TEXT_MAX, "%s", src);
}

static const struct { const char *name; enum spec_reg reg; } reg_names[] = {
    { "eax", REG_EAX }, { "ecx", REG_ECX }, { "edx", REG_EDX }, { "ebx", REG_EBX },
    { "esi", REG_ESI }, { "edi", REG_EDI }, { "ebp", REG_EBP }, { "flags", REG_FLAGS },
    { "stack", REG_STACK },
};

static int reg_from_name(const char *s, size_t n, enum spec_reg *out)
{
    for (size_t i = 0; i < sizeof reg_names / sizeof reg_names[0]; i++)
        if (strlen(reg_names[i].name) == n && strncmp(reg_names[i].name, s, n) == 0) {
            *out = reg_names[i].reg;
            return 0;
        }
    return -1;
}

const char *spec_reg_name(enum spec_reg reg)
{
    for (size_t i = 0; i < sizeof reg_names / sizeof reg_names[0]; i++)
        if (reg_names[i].reg == reg)
            return reg_names[i].name;
    return "?";
}

static const char *const type_names[] = { "u8", "u16", "u32", "s32", "u64", "ptr" };

static int type_from_name(const char *s, enum spec_type *out)
{
    for (unsigned i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(type_names[i], s) == 0) {
            *out = (enum spec_type)i;
            return 0;
        }
    return -1;
}

const char *spec_type_c(enum spec_type type)
{
    static const char *const c[] = { "uint8_t", "uint16_t", "uint32_t", "int32_t", "uint64_t",
                                     "uint32_t" };
    return c[type];
}

unsigned spec_type_size(enum spec_type type)
{
    static const unsigned size[] = { 1, 2, 4, 4, 8, 4 };
    return size[type];
}

static const char *const class_names[] = { "cpu", "desc", "cr", "irq", "mmu", "timer", "misc" };

const char *spec_class_name(enum spec_class klass)
{
    return class_names[klass];
}

/* A comma-separated register list, or one of the words std, flags and none. */
static int parse_clobbers(struct parser *p, const struct lex_token *t, uint8_t *mask)
{
    if (strcmp(t->text, "std") == 0) {
        *mask = CLOBBER_STD;
        return 0;
    }
    if (strcmp(t->text, "none") == 0) {
        *mask = 0;
        return 0;
    }
    *mask = 0;
    const char *s = t->text;
    while (*s) {
        size_t n = strcspn(s, ",");
        enum spec_reg r;
        if (reg_from_name(s, n, &r) < 0 || r == REG_STACK)
            return fail(p, t->col + (int)(s - t->text), "unknown register '%.*s' in clobbers",
                        (int)n, s);
        if (*mask & REG_BIT(r))
            return fail(p, t->col + (int)(s - t->text), "register '%.*s' listed twice", (int)n, s);
        *mask |= (uint8_t)REG_BIT(r);
        s += n;
        if (*s == ',')
            s++;
    }
    return 0;
}

/* ---- table calls --------------------------------------------------------------------------- */

/* name:type@where, where is a register, "stack", or high:low for a u64. */
static int parse_arg(struct parser *p, const struct lex_token *t, struct spec_arg *a)
{
    char buf[LEX_TOKEN_MAX];
    strcpy(buf, t->text);
    char *colon = strchr(buf, ':');
    char *at = strchr(buf, '@');
    if (!colon || !at || at < colon)
        return fail(p, t->col, "argument '%s' is not name:type@where", t->text);
    *colon = '\0';
    *at = '\0';
    a->pos = pos_at(p, t->col);
    if (!valid_ident(buf) || strlen(buf) >= SPEC_NAME_MAX)
        return fail(p, t->col, "argument name '%s' is not an identifier", buf);
    strcpy(a->name, buf);
    if (type_from_name(colon + 1, &a->type) < 0 || a->type == TYPE_S32)
        return fail(p, t->col + (int)(colon + 1 - buf), "unknown argument type '%s'", colon + 1);
    const char *where = at + 1;
    int where_col = t->col + (int)(where - buf);
    a->where_pos = pos_at(p, where_col);
    const char *sep = strchr(where, ':');
    a->hi = REG_NONE;
    if (sep) {
        if (reg_from_name(where, (size_t)(sep - where), &a->hi) < 0 ||
            reg_from_name(sep + 1, strlen(sep + 1), &a->lo) < 0 ||
            a->hi == REG_STACK || a->lo == REG_STACK)
            return fail(p, where_col, "'%s' is not a register pair", where);
    } else if (reg_from_name(where, strlen(where), &a->lo) < 0) {
        return fail(p, where_col, "unknown register '%s'", where);
    }
    return 0;
}

static int parse_result(struct parser *p, const struct lex_token *t, enum spec_result *r)
{
    static const struct { const char *name; enum spec_result r; } names[] = {
        { "-", RESULT_NONE }, { "eax", RESULT_EAX }, { "edx:eax", RESULT_EDX_EAX },
        { "cpuid", RESULT_CPUID }, { "noreturn", RESULT_NORETURN },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, t->text) == 0) {
            *r = names[i].r;
            return 0;
        }
    return fail(p, t->col, "unknown result '%s' (expected -, eax, edx:eax, cpuid or noreturn)",
                t->text);
}

static int parse_call_row(struct parser *p, const struct lex_line *l)
{
    enum { C_NR, C_NAME, C_CLASS, C_SITE, C_SIZE, C_CLOB, C_MEM, C_RESULT, C_ARGS };
    if (l->ntok < C_ARGS)
        return fail(p, l->ntok ? l->tok[l->ntok - 1].col : 1,
                    "call row has %d of the 8 required columns (nr name class site size "
                    "clobbers mem result)", l->ntok);
    if (p->spec->ncalls == SPEC_MAX_CALLS)
        return fail(p, 1, "too many calls");
    struct spec_call *c = &p->spec->calls[p->spec->ncalls];
    memset(c, 0, sizeof *c);
    c->pos = pos_at(p, l->tok[C_NR].col);
    c->const_arg = -1;
    uint64_t v;
    if (parse_uint(p, &l->tok[C_NR], 255, &v, "call number") < 0)
        return -1;
    c->number = (unsigned)v;
    if (copy_name(p, c->name, &l->tok[C_NAME], "call name") < 0)
        return -1;
    unsigned k;
    for (k = 0; k < sizeof class_names / sizeof class_names[0]; k++)
        if (strcmp(class_names[k], l->tok[C_CLASS].text) == 0)
            break;
    if (k == sizeof class_names / sizeof class_names[0])
        return fail(p, l->tok[C_CLASS].col,
                    "unknown class '%s' (expected cpu, desc, cr, irq, mmu, timer or misc)",
                    l->tok[C_CLASS].text);
    c->klass = (enum spec_class)k;
    if (strcmp(l->tok[C_SITE].text, "call") == 0)
        c->jump_site = 0;
    else if (strcmp(l->tok[C_SITE].text, "jump") == 0)
        c->jump_site = 1;
    else
        return fail(p, l->tok[C_SITE].col, "unknown site kind '%s' (expected call or jump)",
                    l->tok[C_SITE].text);
    if (parse_uint(p, &l->tok[C_SIZE], 255, &v, "site size") < 0)
        return -1;
    c->reserve = (unsigned)v;
    if (strcmp(l->tok[C_CLOB].text, "-") == 0)
        c->noclobber_column = 1;
    else if (parse_clobbers(p, &l->tok[C_CLOB], &c->clobbers) < 0)
        return -1;
    if (strcmp(l->tok[C_MEM].text, "mem") == 0)
        c->memory = 1;
    else if (strcmp(l->tok[C_MEM].text, "-") != 0)
        return fail(p, l->tok[C_MEM].col, "memory column must be 'mem' or '-', not '%s'",
                    l->tok[C_MEM].text);
    if (parse_result(p, &l->tok[C_RESULT], &c->result) < 0)
        return -1;
    for (int i = C_ARGS; i < l->ntok; i++) {
        if (c->nargs == SPEC_MAX_ARGS)
            return fail(p, l->tok[i].col, "more than %d arguments", SPEC_MAX_ARGS);
        if (parse_arg(p, &l->tok[i], &c->args[c->nargs]) < 0)
            return -1;
        for (unsigned j = 0; j < c->nargs; j++)
            if (strcmp(c->args[j].name, c->args[c->nargs].name) == 0)
                return fail(p, l->tok[i].col, "argument '%s' named twice", c->args[j].name);
        c->nargs++;
    }
    p->spec->ncalls++;
    return 0;
}

/* ---- native sequences ---------------------------------------------------------------------- */

static struct spec_call *find_call_mut(struct spec *spec, const char *name)
{
    for (unsigned i = 0; i < spec->ncalls; i++)
        if (strcmp(spec->calls[i].name, name) == 0)
            return &spec->calls[i];
    return NULL;
}

static int finish_native(struct parser *p)
{
    struct spec_call *c = p->native_call;
    if (!c)
        return 0;
    p->native_call = NULL;
    return native_decode(c, p->native_texts, p->err);
}

/* native NAME - | native NAME BYTES... | TEXT; consecutive lines of one call form its sequence. */
static int parse_native(struct parser *p, const char *raw, const struct lex_line *l)
{
    if (l->ntok < 3)
        return fail(p, l->tok[0].col, "native needs a call name and bytes, or '-'");
    const struct lex_token *name = &l->tok[1];
    if (p->native_call && strcmp(p->native_call->name, name->text) != 0 && finish_native(p) < 0)
        return -1;
    struct spec_call *c = find_call_mut(p->spec, name->text);
    if (!c)
        return fail(p, name->col, "native sequence for unknown call '%s'", name->text);
    if (c->has_native && p->native_call != c)
        return fail(p, name->col, "second native sequence for '%s' (first at line %d)", c->name,
                    c->native_pos.line);
    if (!c->has_native) {
        c->has_native = 1;
        c->native_pos = pos_at(p, name->col);
    }
    if (strcmp(l->tok[2].text, "-") == 0) {
        if (l->ntok != 3)
            return fail(p, l->tok[3].col, "nothing may follow '-' (the empty sequence)");
        if (c->ninsns)
            return fail(p, l->tok[2].col, "'-' inside a non-empty sequence");
        return finish_native(p);   /* an empty sequence has nothing to decode */
    }
    p->native_call = c;
    const char *bar = strchr(raw, '|');
    if (!bar)
        return fail(p, l->tok[l->ntok - 1].col, "missing '|' before the instruction text");
    int bar_col = (int)(bar - raw) + 1;
    if (c->ninsns == SPEC_MAX_INSNS)
        return fail(p, l->tok[2].col, "more than %d instructions", SPEC_MAX_INSNS);
    struct spec_insn *in = &c->insns[c->ninsns];
    in->pos = pos_at(p, l->tok[2].col);
    in->offset = (uint8_t)c->native_len;
    unsigned start = c->native_len;
    for (int i = 2; i < l->ntok && l->tok[i].col < bar_col; i++) {
        const char *h = l->tok[i].text;
        if (strlen(h) != 2 || !isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1]))
            return fail(p, l->tok[i].col, "'%s' is not a hex byte", h);
        if (c->native_len == SPEC_MAX_NATIVE)
            return fail(p, l->tok[i].col, "native sequence longer than %d bytes", SPEC_MAX_NATIVE);
        c->native[c->native_len++] = (uint8_t)strtoul(h, NULL, 16);
    }
    if (c->native_len == start)
        return fail(p, l->tok[2].col, "instruction line without bytes");
    in->len = (uint8_t)(c->native_len - start);
    char text[SPEC_TEXT_MAX];
    snprintf(text, sizeof text, "%s", bar + 1);
    char *hash = strchr(text, '#');
    if (hash)
        *hash = '\0';
    lex_normalize_space(in->text, sizeof in->text, text);
    if (!in->text[0])
        return fail(p, bar_col, "missing instruction text after '|'");
    p->native_texts[c->ninsns] = in->text;
    c->ninsns++;
    return 0;
}

/* specialize CALL ARG: sites record ARG when the compiler knows it is a constant. */
static int parse_specialize(struct parser *p, const struct lex_line *l)
{
    if (l->ntok != 3)
        return fail(p, l->tok[0].col, "specialize takes a call and one of its arguments");
    struct spec_call *c = find_call_mut(p->spec, l->tok[1].text);
    if (!c)
        return fail(p, l->tok[1].col, "specialize names unknown call '%s'", l->tok[1].text);
    if (c->const_arg >= 0)
        return fail(p, l->tok[1].col, "%s is already specialized on %s", c->name,
                    c->args[c->const_arg].name);
    for (unsigned a = 0; a < c->nargs; a++)
        if (strcmp(c->args[a].name, l->tok[2].text) == 0) {
            if (c->args[a].type == TYPE_U64)
                return fail(p, l->tok[2].col, "a site records only 32-bit constants");
            c->const_arg = (int)a;
            c->const_pos = pos_at(p, l->tok[2].col);
            return 0;
        }
    return fail(p, l->tok[2].col, "%s has no argument '%s'", c->name, l->tok[2].text);
}

/* ---- constants ----------------------------------------------------------------------------- */

static int parse_const(struct parser *p, const struct lex_line *l)
{
    if (l->ntok != 3)
        return fail(p, l->ntok > 3 ? l->tok[3].col : l->tok[0].col,
                    "const takes a name and one value");
    if (p->spec->nconsts == SPEC_MAX_CONSTS)
        return fail(p, 1, "too many constants");
    struct spec_const *k = &p->spec->consts[p->spec->nconsts];
    memset(k, 0, sizeof *k);
    k->pos = pos_at(p, l->tok[1].col);
    if (copy_name(p, k->name, &l->tok[1], "constant") < 0)
        return -1;
    if (l->tok[2].quoted) {
        k->is_string = 1;
        copy_text(k->text, l->tok[2].text);
    } else if (spec_parse_u64(l->tok[2].text, &k->value) < 0 || k->value > 0xffffffffu) {
        return fail(p, l->tok[2].col, "constant value '%s' is not a 32-bit number or a string",
                    l->tok[2].text);
    }
    copy_text(k->comment, l->comment);
    p->spec->nconsts++;
    return 0;
}

/* ---- structs ------------------------------------------------------------------------------- */

static int open_struct(struct parser *p, const struct lex_line *l)
{
    if (l->ntok < 2 || l->ntok > 3)
        return fail(p, l->tok[0].col, "struct takes a name and optionally 'packed'");
    if (p->spec->nstructs == SPEC_MAX_STRUCTS)
        return fail(p, 1, "too many structs");
    struct spec_struct *s = &p->spec->structs[p->spec->nstructs++];
    memset(s, 0, sizeof *s);
    s->pos = pos_at(p, l->tok[1].col);
    if (copy_name(p, s->name, &l->tok[1], "struct") < 0)
        return -1;
    if (l->ntok == 3) {
        if (strcmp(l->tok[2].text, "packed") != 0)
            return fail(p, l->tok[2].col, "unknown struct attribute '%s'", l->tok[2].text);
        s->packed = 1;
    }
    p->st = s;
    p->state = IN_STRUCT;
    return 0;
}

static int parse_field(struct parser *p, const struct lex_line *l)
{
    struct spec_struct *s = p->st;
    uint64_t v;
    if (strcmp(l->tok[0].text, "size") == 0) {
        if (l->ntok != 2)
            return fail(p, l->tok[0].col, "size takes one value");
        if (parse_uint(p, &l->tok[1], 0xffff, &v, "struct size") < 0)
            return -1;
        s->size = (unsigned)v;
        s->has_size = 1;
        return 0;
    }
    if (l->ntok != 3)
        return fail(p, l->tok[0].col, "a field is: offset type name");
    if (s->has_size)
        return fail(p, l->tok[0].col, "field after the struct's size line");
    if (s->nfields == SPEC_MAX_FIELDS)
        return fail(p, l->tok[0].col, "too many fields");
    struct spec_field *f = &s->fields[s->nfields];
    memset(f, 0, sizeof *f);
    f->pos = pos_at(p, l->tok[0].col);
    if (parse_uint(p, &l->tok[0], 0xffff, &v, "field offset") < 0)
        return -1;
    f->offset = (unsigned)v;
    char type[LEX_TOKEN_MAX];
    strcpy(type, l->tok[1].text);
    char *br = strchr(type, '[');
    if (br) {
        char *end = strchr(br, ']');
        if (end && !end[1])
            *end = '\0';
        if (!end || end[1] || spec_parse_u64(br + 1, &v) < 0 || v == 0 || v > 4096)
            return fail(p, l->tok[1].col + (int)(br - type), "bad array count in '%s'",
                        l->tok[1].text);
        f->count = (unsigned)v;
        *br = '\0';
    }
    if (type_from_name(type, &f->type) < 0 || f->type == TYPE_PTR)
        return fail(p, l->tok[1].col, "unknown field type '%s'", type);
    if (copy_name(p, f->name, &l->tok[2], "field") < 0)
        return -1;
    for (unsigned i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].name, f->name) == 0)
            return fail(p, l->tok[2].col, "field '%s' named twice", f->name);
    copy_text(f->comment, l->comment);
    s->nfields++;
    return 0;
}

/* ---- ROM flavors and their routines -------------------------------------------------------- */

static const char *const rom_keys[] = {
    "manufacturer", "product", "rom_version", "api_minor", "virtual_top", "license",
};

static int open_rom(struct parser *p, const struct lex_line *l)
{
    if (l->ntok != 2)
        return fail(p, l->tok[0].col, "rom takes one flavor name");
    if (p->spec->nroms == SPEC_MAX_ROMS)
        return fail(p, l->tok[0].col, "too many ROM flavors");
    for (unsigned i = 0; i < p->spec->nroms; i++)
        if (strcmp(p->spec->roms[i].flavor, l->tok[1].text) == 0)
            return fail(p, l->tok[1].col, "ROM flavor '%s' defined twice", l->tok[1].text);
    struct spec_rom *r = &p->spec->roms[p->spec->nroms++];
    memset(r, 0, sizeof *r);
    r->pos = pos_at(p, l->tok[1].col);
    if (copy_name(p, r->flavor, &l->tok[1], "ROM flavor") < 0)
        return -1;
    p->rom = r;
    p->state = IN_ROM;
    return 0;
}

static int parse_rom_key(struct parser *p, const struct lex_line *l)
{
    struct spec_rom *r = p->rom;
    if (l->ntok != 2)
        return fail(p, l->tok[0].col, "a ROM setting is: key value");
    size_t k;
    for (k = 0; k < sizeof rom_keys / sizeof rom_keys[0]; k++)
        if (strcmp(rom_keys[k], l->tok[0].text) == 0)
            break;
    if (k == sizeof rom_keys / sizeof rom_keys[0])
        return fail(p, l->tok[0].col, "unknown ROM setting '%s'", l->tok[0].text);
    for (unsigned i = 0; i < r->nkeys; i++)
        if (strcmp(r->keys[i].key, l->tok[0].text) == 0)
            return fail(p, l->tok[0].col, "ROM setting '%s' given twice", l->tok[0].text);
    if (r->nkeys == SPEC_MAX_KEYS)
        return fail(p, l->tok[0].col, "too many ROM settings");
    struct spec_kv *kv = &r->keys[r->nkeys++];
    kv->pos = pos_at(p, l->tok[1].col);
    strcpy(kv->key, l->tok[0].text);
    copy_text(kv->value, l->tok[1].text);
    return 0;
}

/* The block's kind and name from its line's head: init (VMI_Init), a helper, or a routine for a
 * known call.  *first_opt: the first token after the head. */
static int block_head(struct parser *p, const struct lex_line *l, struct spec_block *b,
                      int *first_opt)
{
    *first_opt = 2;
    if (strcmp(l->tok[0].text, "init") == 0) {
        b->kind = BLOCK_INIT;
        strcpy(b->name, "VMI_Init");
        *first_opt = 1;
        return 0;
    }
    b->kind = strcmp(l->tok[0].text, "routine") == 0 ? BLOCK_ROUTINE : BLOCK_HELPER;
    if (l->ntok < 2)
        return fail(p, l->tok[0].col, "%s needs a name", l->tok[0].text);
    if (copy_name(p, b->name, &l->tok[1], l->tok[0].text) < 0)
        return -1;
    if (b->kind == BLOCK_ROUTINE) {
        const struct spec_call *c = spec_find_call(p->spec, b->name);
        if (!c)
            return fail(p, l->tok[1].col, "routine for unknown call '%s'", b->name);
        b->call = (int)c->number;
    }
    return 0;
}

/* variant ARG=VALUE: an argument of the routine's call and a 32-bit value. */
static int parse_variant(struct parser *p, struct spec_block *b, const struct lex_token *v)
{
    const char *eq = strchr(v->text, '=');
    const struct spec_call *c = spec_find_call(p->spec, b->name);
    uint64_t val;
    if (!eq || spec_parse_u64(eq + 1, &val) < 0 || val > 0xffffffffu)
        return fail(p, v->col, "variant '%s' is not ARG=VALUE", v->text);
    unsigned a;
    for (a = 0; a < c->nargs; a++)
        if (strlen(c->args[a].name) == (size_t)(eq - v->text) &&
            strncmp(c->args[a].name, v->text, (size_t)(eq - v->text)) == 0)
            break;
    if (a == c->nargs)
        return fail(p, v->col, "%s has no argument '%.*s'", c->name, (int)(eq - v->text),
                    v->text);
    b->has_variant = 1;
    b->variant_arg = a;
    b->variant_value = (uint32_t)val;
    return 0;
}

/* A routine's options, from token first_opt on (a helper and init take none). */
static int block_options(struct parser *p, const struct lex_line *l, struct spec_block *b,
                         int first_opt)
{
    if (b->kind != BLOCK_ROUTINE && l->ntok > first_opt)
        return fail(p, l->tok[first_opt].col, "%s takes no options", l->tok[0].text);
    for (int i = first_opt; i < l->ntok; i++) {
        const struct lex_token *t = &l->tok[i];
        if (strcmp(t->text, "inline") == 0) {
            b->is_inline = 1;
        } else if (strcmp(t->text, "native") == 0) {
            b->use_native = 1;
        } else if (strcmp(t->text, "nop") == 0) {
            b->is_nop = 1;
        } else if (strcmp(t->text, "jump") == 0) {
            b->is_jump = 1;
        } else if (strcmp(t->text, "clobbers") == 0) {
            if (++i == l->ntok)
                return fail(p, t->col, "clobbers needs a register list");
            if (parse_clobbers(p, &l->tok[i], &b->clobbers) < 0)
                return -1;
            b->has_clobbers = 1;
        } else if (strcmp(t->text, "variant") == 0) {
            if (++i == l->ntok)
                return fail(p, t->col, "variant needs ARG=VALUE");
            if (parse_variant(p, b, &l->tok[i]) < 0)
                return -1;
        } else {
            return fail(p, t->col, "unknown routine option '%s'", t->text);
        }
    }
    return 0;
}

/* routine NAME [inline] [native] [nop] [jump] [clobbers LIST] [variant ARG=VALUE]
 * helper NAME
 * init */
static int open_body(struct parser *p, const struct lex_line *l)
{
    if (!p->rom)
        return fail(p, l->tok[0].col, "'%s' outside a ROM: write 'rom FLAVOR ... end' first",
                    l->tok[0].text);
    struct spec_rom *r = p->rom;
    if (r->nblocks == SPEC_MAX_BLOCKS)
        return fail(p, l->tok[0].col, "too many routines");
    struct spec_block *b = &r->blocks[r->nblocks];
    memset(b, 0, sizeof *b);
    b->pos = pos_at(p, l->tok[0].col);
    b->call = -1;
    int first_opt;
    if (block_head(p, l, b, &first_opt) < 0 || block_options(p, l, b, first_opt) < 0)
        return -1;
    if (b->has_variant) {
        /* a variant is a second inline body of the same call: name it apart */
        snprintf(b->name + strlen(b->name), SPEC_NAME_MAX - strlen(b->name), "_%u",
                 (unsigned)b->variant_value);
    }
    /* after the variant's renaming: a call's routine and its variants are distinct blocks */
    for (unsigned i = 0; i < r->nblocks; i++)
        if (strcmp(r->blocks[i].name, b->name) == 0)
            return fail(p, l->tok[first_opt > 1 ? 1 : 0].col, "'%s' defined twice in ROM '%s'",
                        b->name, r->flavor);
    r->nblocks++;
    p->body = b;
    p->body_len = 0;
    p->body_cap = 0;
    b->text_line = p->line + 1;
    p->state = IN_BODY;
    return 0;
}

static int body_append(struct parser *p, const char *raw)
{
    size_t n = strlen(raw);
    while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
        n--;
    if (p->body_len + n + 2 > p->body_cap) {
        size_t cap = p->body_cap ? p->body_cap * 2 : 256;
        while (cap < p->body_len + n + 2)
            cap *= 2;
        char *t = realloc(p->body->text, cap);
        if (!t)
            return fail(p, 1, "out of memory");
        p->body->text = t;
        p->body_cap = cap;
    }
    memcpy(p->body->text + p->body_len, raw, n);
    p->body_len += n;
    p->body->text[p->body_len++] = '\n';
    p->body->text[p->body_len] = '\0';
    return 0;
}

/* ---- the line dispatcher ------------------------------------------------------------------- */

static int is_end(const struct lex_line *l)
{
    return l->ntok == 1 && strcmp(l->tok[0].text, "end") == 0;
}

static int parse_line(struct parser *p, const char *raw)
{
    struct lex_line l;
    int bad_col;
    const char *why;

    if (p->state == IN_BODY) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", raw);
        if (strcmp(lex_trim(copy), "end") == 0) {
            p->state = IN_NONE;
            if (!p->body->text && !p->body->is_nop && !p->body->use_native)
                return fail(p, 1, "'%s' has an empty body", p->body->name);
            return 0;
        }
        if (p->body->is_nop || p->body->use_native)
            return fail(p, 1, "'%s' is %s: it takes no body", p->body->name,
                        p->body->is_nop ? "nop" : "native");
        return body_append(p, raw);
    }
    if (lex_split(raw, &l, &bad_col, &why) < 0)
        return fail(p, bad_col, "%s", why);
    if (l.ntok == 0)
        return 0;
    const char *kw = l.tok[0].text;

    if (p->native_call && strcmp(kw, "native") != 0 && finish_native(p) < 0)
        return -1;

    if (p->lx.group || (p->state == IN_NONE && linux_is_directive(kw))) {
        p->lx.line = p->line;
        return linux_parse_line(&p->lx, &l, p->err);
    }

    switch (p->state) {
    case IN_TABLE:
        return is_end(&l) ? (p->state = IN_NONE, 0) : parse_call_row(p, &l);
    case IN_STRUCT:
        if (is_end(&l)) {
            p->state = IN_NONE;
            if (!p->st->has_size)
                return fail(p, 1, "struct '%s' has no size line", p->st->name);
            return 0;
        }
        return parse_field(p, &l);
    case IN_ROM:
        return is_end(&l) ? (p->state = IN_NONE, 0) : parse_rom_key(p, &l);
    default:
        break;
    }
    if (strcmp(kw, "const") == 0)
        return parse_const(p, &l);
    if (strcmp(kw, "native") == 0)
        return parse_native(p, raw, &l);
    if (strcmp(kw, "specialize") == 0)
        return parse_specialize(p, &l);
    if (strcmp(kw, "table") == 0) {
        if (l.ntok != 2 || strcmp(l.tok[1].text, "calls") != 0)
            return fail(p, l.ntok > 1 ? l.tok[1].col : l.tok[0].col,
                        "the only table is 'table calls'");
        p->state = IN_TABLE;
        p->block_pos = pos_at(p, l.tok[0].col);
        return 0;
    }
    if (strcmp(kw, "struct") == 0)
        return open_struct(p, &l);
    if (strcmp(kw, "rom") == 0)
        return open_rom(p, &l);
    if (strcmp(kw, "routine") == 0 || strcmp(kw, "helper") == 0 || strcmp(kw, "init") == 0)
        return open_body(p, &l);
    if (strcmp(kw, "end") == 0)
        return fail(p, l.tok[0].col, "'end' without an open block");
    return fail(p, l.tok[0].col, "unknown directive '%s'", kw);
}

int spec_parse_text(struct spec *spec, const char *path, const char *text, struct spec_error *err)
{
    struct parser p;
    memset(&p, 0, sizeof p);
    p.spec = spec;
    p.file = path;
    p.err = err;
    p.lx.spec = spec;
    p.lx.file = path;
    if (spec->nfiles < sizeof spec->files / sizeof spec->files[0])
        spec->files[spec->nfiles++] = path;

    const char *s = text;
    while (*s) {
        p.line++;
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char line[512];
        if (n >= sizeof line)
            return fail(&p, (int)sizeof line, "line longer than %zu characters", sizeof line - 1);
        memcpy(line, s, n);
        line[n] = '\0';
        if (memchr(line, '\0', n) != NULL && strlen(line) != n)
            return fail(&p, (int)strlen(line) + 1, "NUL byte in the spec");
        if (parse_line(&p, line) < 0)
            return -1;
        s += n + (nl ? 1 : 0);
    }
    if (finish_native(&p) < 0)
        return -1;
    if (p.lx.group) {
        p.line++;
        return fail(&p, 1, "end of file inside the group '%s' opened at line %d",
                    p.lx.group->name, p.lx.group->pos.line);
    }
    if (p.state != IN_NONE) {
        static const char *const what[] = { "", "table", "struct", "rom", "routine" };
        p.line++;
        return fail(&p, 1, "end of file inside the %s block opened at line %d",
                    what[p.state],
                    p.state == IN_BODY ? p.body->pos.line
                    : p.state == IN_STRUCT ? p.st->pos.line
                    : p.state == IN_ROM ? p.rom->pos.line : p.block_pos.line);
    }
    return 0;
}

int spec_parse_file(struct spec *spec, const char *path, struct spec_error *err)
{
    struct spec_pos pos = { path, 0, 0 };
    FILE *f = fopen(path, "rb");
    if (!f) {
        spec_set_error(err, pos, "cannot open: %s", strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *t = realloc(buf, cap);
            if (!t) {
                free(buf);
                fclose(f);
                spec_set_error(err, pos, "out of memory");
                return -1;
            }
            buf = t;
        }
        size_t got = fread(buf + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        spec_set_error(err, pos, "cannot read: %s", strerror(errno ? errno : EIO));
        return -1;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        pos.line = 1;
        for (size_t i = 0; i < strlen(buf); i++)
            pos.line += buf[i] == '\n';
        pos.col = 1;
        free(buf);
        spec_set_error(err, pos, "NUL byte in the spec");
        return -1;
    }
    int rc = spec_parse_text(spec, path, buf, err);
    free(buf);
    return rc;
}

void spec_free(struct spec *spec)
{
    for (unsigned r = 0; r < spec->nroms; r++)
        for (unsigned b = 0; b < spec->roms[r].nblocks; b++) {
            free(spec->roms[r].blocks[b].text);
            spec->roms[r].blocks[b].text = NULL;
        }
}

const struct spec_call *spec_find_call(const struct spec *spec, const char *name)
{
    for (unsigned i = 0; i < spec->ncalls; i++)
        if (strcmp(spec->calls[i].name, name) == 0)
            return &spec->calls[i];
    return NULL;
}

const struct spec_const *spec_find_const(const struct spec *spec, const char *name)
{
    for (unsigned i = 0; i < spec->nconsts; i++)
        if (strcmp(spec->consts[i].name, name) == 0)
            return &spec->consts[i];
    return NULL;
}
/* SPDX-License-Identifier: GPL-2.0-only */
