/* The in-memory form of the VMI ABI spec: what spec_parse.c builds, spec_check.c validates and the
 * emitters (emit_header.c, emit_glue.c, emit_rom.c) turn into generated files.
 * The file format is described in docs/spec-format.md. */
#ifndef VMI_SPEC_MODEL_H
#define VMI_SPEC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define SPEC_NAME_MAX     48
#define SPEC_TEXT_MAX     160
#define SPEC_MAX_CALLS    256
#define SPEC_MAX_ARGS     6
#define SPEC_MAX_CONSTS   256
#define SPEC_MAX_STRUCTS  32
#define SPEC_MAX_FIELDS   48
#define SPEC_MAX_NATIVE   64    /* bytes of one native sequence */
#define SPEC_MAX_INSNS    32    /* instructions of one native sequence */
#define SPEC_MAX_ROMS     4
#define SPEC_MAX_BLOCKS   160   /* routines and helpers of one ROM */
#define SPEC_MAX_KEYS     16    /* key/value settings of one ROM */

/* Where a spec item was written: every diagnostic names it. */
struct spec_pos {
    const char *file;
    int line;
    int col;
};

/* The error record every spec function fills on failure. */
struct spec_error {
    struct spec_pos pos;
    char msg[256];
};

/* Register numbering follows the VMI_CLOBBER_* bits of the generated header. */
enum spec_reg {
    REG_EAX = 0, REG_ECX, REG_EDX, REG_EBX, REG_ESI, REG_EDI, REG_EBP, REG_FLAGS,
    REG_STACK,  /* an argument slot on the stack, not a register */
    REG_NONE
};
#define REG_BIT(r) (1u << (r))
#define CLOBBER_STD (REG_BIT(REG_EAX) | REG_BIT(REG_ECX) | REG_BIT(REG_EDX) | REG_BIT(REG_FLAGS))

enum spec_type { TYPE_U8, TYPE_U16, TYPE_U32, TYPE_S32, TYPE_U64, TYPE_PTR };

enum spec_class { CLASS_CPU, CLASS_DESC, CLASS_CR, CLASS_IRQ, CLASS_MMU, CLASS_TIMER, CLASS_MISC };

enum spec_result {
    RESULT_NONE,      /* - */
    RESULT_EAX,       /* eax */
    RESULT_EDX_EAX,   /* edx:eax, a u64 */
    RESULT_CPUID,     /* eax, ebx, ecx, edx */
    RESULT_NORETURN   /* control never comes back to the site */
};

struct spec_arg {
    struct spec_pos pos;
    struct spec_pos where_pos; /* the register part, after '@' */
    char name[SPEC_NAME_MAX];
    enum spec_type type;
    enum spec_reg lo;   /* the register (or REG_STACK) of the value, or of its low half */
    enum spec_reg hi;   /* a u64's high half; REG_NONE otherwise */
};

/* One decoded instruction of a native sequence. */
struct spec_insn {
    struct spec_pos pos;
    uint8_t offset;
    uint8_t len;
    char text[SPEC_TEXT_MAX];  /* as written in the spec, whitespace-normalized */
};

struct spec_call {
    struct spec_pos pos;
    unsigned number;
    char name[SPEC_NAME_MAX];
    enum spec_class klass;
    int jump_site;             /* site column: jump */
    unsigned reserve;          /* size column */
    uint8_t clobbers;          /* REG_BIT mask, results included */
    int noclobber_column;      /* the column was '-' (a call that never returns) */
    int memory;
    enum spec_result result;
    struct spec_arg args[SPEC_MAX_ARGS];
    unsigned nargs;
    unsigned stack_bytes;      /* bytes of stack arguments */
    int const_arg;             /* the argument a site records when it is a compile-time constant,
                                  or -1 (the 'specialize' directive) */
    struct spec_pos const_pos;
    /* native sequence */
    int has_native;
    struct spec_pos native_pos;
    uint8_t native[SPEC_MAX_NATIVE];
    unsigned native_len;
    struct spec_insn insns[SPEC_MAX_INSNS];
    unsigned ninsns;
};

struct spec_const {
    struct spec_pos pos;
    char name[SPEC_NAME_MAX];
    int is_string;
    uint64_t value;
    char text[SPEC_TEXT_MAX];  /* the string of a string constant */
    char comment[SPEC_TEXT_MAX];
};

struct spec_field {
    struct spec_pos pos;
    unsigned offset;
    enum spec_type type;
    unsigned count;            /* 0: scalar; n: array of n */
    char name[SPEC_NAME_MAX];
    char comment[SPEC_TEXT_MAX];
};

struct spec_struct {
    struct spec_pos pos;
    char name[SPEC_NAME_MAX];
    int packed;
    unsigned size;
    int has_size;
    struct spec_field fields[SPEC_MAX_FIELDS];
    unsigned nfields;
};

/* A ROM flavor's routine or helper: assembler text carried verbatim into the ROM stub. */
enum spec_block_kind { BLOCK_ROUTINE, BLOCK_HELPER, BLOCK_INIT };

struct spec_block {
    struct spec_pos pos;
    enum spec_block_kind kind;
    char name[SPEC_NAME_MAX];
    int call;                  /* call number of a routine, -1 otherwise */
    int is_inline;             /* the body may be copied into call sites */
    int use_native;            /* the body is the call's native sequence */
    int is_nop;                /* GetRelocationInfo answers NOP; no body */
    int is_jump;               /* GetRelocationInfo answers JUMP_REL */
    int has_clobbers;
    uint8_t clobbers;          /* declared clobbers of an inline body */
    int has_variant;
    unsigned variant_arg;
    uint32_t variant_value;
    char *text;                /* body lines joined with '\n'; heap */
    int text_line;             /* spec line of the first body line */
};

struct spec_kv {
    struct spec_pos pos;
    char key[SPEC_NAME_MAX];
    char value[SPEC_TEXT_MAX];
};

struct spec_rom {
    struct spec_pos pos;
    char flavor[SPEC_NAME_MAX];
    struct spec_kv keys[SPEC_MAX_KEYS];
    unsigned nkeys;
    struct spec_block blocks[SPEC_MAX_BLOCKS];
    unsigned nblocks;
};

/* ---- the Linux consumer profile (spec/linux.vmi; gen/linux_parse.c, gen/linux_check.c) ---- */
#define SPEC_MAX_LCONFIGS 8
#define SPEC_MAX_LGROUPS  16
#define SPEC_MAX_LOPS     160
#define SPEC_MAX_LRULES   32
#define SPEC_MAX_RCALLS   16   /* calls one rule names */

/* A kernel configuration bit (config NAME BIT SYMBOL). */
struct spec_lconfig {
    struct spec_pos pos;
    char name[SPEC_NAME_MAX];
    unsigned bit;
    char symbol[SPEC_NAME_MAX];
};

/* A `when` condition: the row exists in a build whose bits satisfy (config & mask) == value. */
struct spec_lcond {
    uint8_t mask;
    uint8_t value;
};

/* How Linux's VMI backend uses an op (docs/spec-format.md); LUSE_NATIVE is the empty set. */
#define LUSE_PATCH 0x01
#define LUSE_FILL  0x02
#define LUSE_WRAP  0x04
#define LUSE_GET   0x08
#define LUSE_PROBE 0x10

/* One row of a group: a member (under a condition) and its use. */
struct spec_lop {
    struct spec_pos pos;
    char member[SPEC_NAME_MAX];   /* may hold dots: lazy_mode.enter */
    unsigned group;
    unsigned words;
    struct spec_lcond when;
    uint8_t uses;
    int call;                     /* call number, or -1 for native */
    struct spec_pos call_pos;
};

struct spec_lgroup {
    struct spec_pos pos;
    char name[SPEC_NAME_MAX];
    int is_extern;                /* outside struct paravirt_patch_template: no type numbers */
    unsigned first;               /* index of its first row in ops[] */
    unsigned nops;
};

/* A rule a ROM must keep for Linux (docs/linux-rules.md). */
enum spec_rule_kind {
    RULE_ALL_OR_NONE,     /* the calls all answer CALL_REL, or all NONE */
    RULE_NOT_NOP,         /* none of the calls answers NOP */
    RULE_PAIR,            /* calls[0] CALL_REL requires calls[1] CALL_REL */
    RULE_JUMP_ONLY,       /* JUMP_REL only for the calls named */
    RULE_VIRTUAL_TOP_ALIGN, /* virtual_top is a multiple of value */
    RULE_NONZERO_RESULT,  /* a CALL_REL routine of calls[0] returns non-zero (edx:eax or eax) */
    RULE_REG_OFFSET       /* a CALL_REL routine of the calls does not use EAX as an address */
};

struct spec_lrule {
    struct spec_pos pos;
    char name[SPEC_NAME_MAX];
    enum spec_rule_kind kind;
    int calls[SPEC_MAX_RCALLS];
    unsigned ncalls;
    uint32_t value;               /* alignment; for nonzero-result: 2 = edx:eax, 1 = eax */
    struct spec_lcond when;
    char why[SPEC_TEXT_MAX];      /* the comment on the rule line: why Linux needs it */
};

struct spec_linux {
    int present;
    struct spec_pos pos;
    char kernel[SPEC_NAME_MAX];   /* kernel "Linux 2.6.32" */
    struct spec_lconfig configs[SPEC_MAX_LCONFIGS];
    unsigned nconfigs;
    struct spec_lgroup groups[SPEC_MAX_LGROUPS];
    unsigned ngroups;
    struct spec_lop ops[SPEC_MAX_LOPS];
    unsigned nops;
    struct spec_lrule rules[SPEC_MAX_LRULES];
    unsigned nrules;
};

struct spec {
    struct spec_call calls[SPEC_MAX_CALLS];   /* indexed by position, sorted by number on check */
    unsigned ncalls;
    struct spec_const consts[SPEC_MAX_CONSTS];
    unsigned nconsts;
    struct spec_struct structs[SPEC_MAX_STRUCTS];
    unsigned nstructs;
    struct spec_rom roms[SPEC_MAX_ROMS];
    unsigned nroms;
    struct spec_linux lx;      /* the Linux consumer profile, when a spec file has one */
    const char *files[16];     /* spec files in the order read */
    unsigned nfiles;
};

/* spec_parse.c */
int spec_parse_file(struct spec *spec, const char *path, struct spec_error *err);
int spec_parse_text(struct spec *spec, const char *path, const char *text, struct spec_error *err);
void spec_free(struct spec *spec);

/* spec_check.c: the cross-item rules of the convention; sorts calls by number. */
int spec_check(struct spec *spec, struct spec_error *err);

/* linux_parse.c: the directives of the Linux profile (config, group, extern, rule). */
struct linux_parser {
    struct spec *spec;
    const char *file;
    int line;
    struct spec_lgroup *group;   /* open group or extern block */
};
struct lex_line;
int linux_is_directive(const char *keyword);
int linux_parse_line(struct linux_parser *lp, const struct lex_line *l, struct spec_error *err);
const char *spec_rule_kind_name(enum spec_rule_kind kind);

/* linux_check.c: the profile's own consistency, and each ROM flavor against the rules. */
int linux_check(struct spec *spec, struct spec_error *err);

/* linux_rules.c: each ROM flavor against the profile's rules; fills out[] with up to max findings
 * ("ROM flavor 'F' breaks KERNEL rule 'NAME': ...") and returns how many there are in all. */
unsigned linux_rules_check(const struct spec *spec, struct spec_error *out, unsigned max);

/* native_decode.c: decode a native sequence with Zydis and compare it with its written text. */
int native_decode(struct spec_call *call, const char *const texts[], struct spec_error *err);

/* Lookups used by the checker and the emitters. */
const struct spec_call *spec_find_call(const struct spec *spec, const char *name);
/* A decimal, 0x hex or 0 octal number filling the whole string: 0, or -1 (spec_parse.c). */
int spec_parse_u64(const char *s, uint64_t *out);
const struct spec_const *spec_find_const(const struct spec *spec, const char *name);
const char *spec_reg_name(enum spec_reg reg);
const char *spec_type_c(enum spec_type type);
unsigned spec_type_size(enum spec_type type);
const char *spec_class_name(enum spec_class klass);
void spec_set_error(struct spec_error *err, struct spec_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
