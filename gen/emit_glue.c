/* Writes vmi_glue.h, the calling-convention glue.  For each call, C code gets vmi_<Name>(...) and
 * assembler gets the macro VMI_<Name>; both lay down one site: the native sequence NOP-filled to
 * the call's reserve, and a record in section vmi_sites (docs/site-table.md).  The inline-asm
 * constraints pin every argument to its ABI register and declare every register the call may
 * change, so the compiler's code around a site is right whether the site stays native, becomes a
 * call into the ROM, or holds an inlined ROM body. */
#include "emit.h"
#include "nops.h"

#include <string.h>

static const char reg_letter[] = { 'a', 'c', 'd', 'b' };   /* eax, ecx, edx, ebx */
static const char *const reg_var[] = { "__eax", "__ecx", "__edx", "__ebx" };

/* The site bytes: native sequence then the NOP fill, as .byte lines with the instructions'
 * text in comments.  nl is the line separator ("\n" in a macro, "\\n\\t\"\n\t\"" in C). */
static void emit_site_bytes(const struct spec_call *c, struct outbuf *ob, const char *pre,
                            const char *post, int in_c_asm)
{
    for (unsigned i = 0; i < c->ninsns; i++) {
        const struct spec_insn *in = &c->insns[i];
        ob_printf(ob, "%s.byte ", pre);
        for (unsigned b = 0; b < in->len; b++)
            ob_printf(ob, "%s0x%02x", b ? "," : "", c->native[in->offset + b]);
        ob_printf(ob, " /* ");
        for (const char *t = in->text; *t; t++)   /* '%' is an operand marker in a C asm string */
            ob_printf(ob, "%s", *t == '%' && in_c_asm ? "%%" : (char[2]){ *t, 0 });
        ob_printf(ob, " */%s", post);
    }
    uint8_t fill[256];
    unsigned pad = c->reserve - c->native_len;
    nop_fill(fill, pad);
    for (unsigned at = 0; at < pad;) {
        unsigned n = pad - at > NOP_MAX ? NOP_MAX : pad - at;
        ob_printf(ob, "%s.byte ", pre);
        for (unsigned b = 0; b < n; b++)
            ob_printf(ob, "%s0x%02x", b ? "," : "", fill[at + b]);
        ob_printf(ob, " /* nop */%s", post);
        at += n;
    }
}

/* ---- assembler macros ---------------------------------------------------------------------- */

static void emit_asm_macro(const struct spec_call *c, struct outbuf *ob)
{
    ob_printf(ob, ".macro VMI_%s clobbers=0x%02x\n771:\n", c->name, c->clobbers);
    emit_site_bytes(c, ob, "\t", "\n", 0);
    ob_printf(ob, "\t.pushsection vmi_sites, \"a\"\n\t.balign 4\n\t.long 771b - .\n"
                  "\t.byte %u, %u, \\clobbers, %s\n\t.long 0\n\t.popsection\n.endm\n",
              c->number, c->reserve, c->jump_site ? "VMI_SITE_JUMP" : "0");
}

/* ---- C functions --------------------------------------------------------------------------- */

struct operand_plan {
    const char *in[4];      /* C expression that loads the register, or NULL */
    int out[4];             /* the register carries (part of) the result */
    int clobbered[4];       /* the call may change it */
};

static int reg_index(enum spec_reg r)
{
    switch (r) {
    case REG_EAX: return 0;
    case REG_ECX: return 1;
    case REG_EDX: return 2;
    case REG_EBX: return 3;
    default: return -1;
    }
}

static const char *c_type(const struct spec_arg *a)
{
    return a->type == TYPE_PTR ? "void *" : spec_type_c(a->type);
}

static void plan_operands(const struct spec_call *c, struct operand_plan *p, char loads[][64],
                          const char *prefix)
{
    memset(p, 0, sizeof *p);
    for (unsigned i = 0; i < c->nargs; i++) {
        const struct spec_arg *a = &c->args[i];
        if (a->lo == REG_STACK)
            continue;
        if (a->type == TYPE_U64) {
            snprintf(loads[reg_index(a->lo)], 64, "(uint32_t)%s%s", prefix, a->name);
            snprintf(loads[reg_index(a->hi)], 64, "(uint32_t)(%s%s >> 32)", prefix, a->name);
            p->in[reg_index(a->lo)] = loads[reg_index(a->lo)];
            p->in[reg_index(a->hi)] = loads[reg_index(a->hi)];
        } else {
            snprintf(loads[reg_index(a->lo)], 64, "(uint32_t)%s%s%s",
                     a->type == TYPE_PTR ? "(uintptr_t)" : "", prefix, a->name);
            p->in[reg_index(a->lo)] = loads[reg_index(a->lo)];
        }
    }
    for (int r = 0; r < 4; r++) {
        enum spec_reg sr = r == 0 ? REG_EAX : r == 1 ? REG_ECX : r == 2 ? REG_EDX : REG_EBX;
        p->clobbered[r] = (c->clobbers >> sr) & 1;
    }
    if (c->result == RESULT_EAX || c->result == RESULT_EDX_EAX || c->result == RESULT_CPUID)
        p->out[0] = 1;
    if (c->result == RESULT_EDX_EAX || c->result == RESULT_CPUID)
        p->out[2] = 1;
    if (c->result == RESULT_CPUID)
        p->out[1] = p->out[3] = 1;
}

static const char *result_type(const struct spec_call *c)
{
    switch (c->result) {
    case RESULT_EAX: return "uint32_t";
    case RESULT_EDX_EAX: return "uint64_t";
    default: return "void";
    }
}

static void emit_params(const struct spec_call *c, struct outbuf *ob)
{
    if (c->result == RESULT_CPUID)
        ob_printf(ob, "%s", "struct vmi_cpuid_regs *regs, ");
    if (c->nargs == 0 && c->result != RESULT_CPUID) {
        ob_printf(ob, "void");
        return;
    }
    for (unsigned i = 0; i < c->nargs; i++)
        ob_printf(ob, "%s%s%s%s", i ? ", " : "", c_type(&c->args[i]),
                  c->args[i].type == TYPE_PTR ? "" : " ", c->args[i].name);
}

/* The asm statement's template: the stack arguments pushed right to left, the site (label 771)
 * with its native bytes, its vmi_sites record, and the pop of the stack arguments after it.
 * Each line ends with cont (a backslash-newline in the macro form). */
static void emit_asm_template(const struct spec_call *c, struct outbuf *ob, const char *ind,
                              const char *cont)
{
    for (int i = (int)c->nargs - 1; i >= 0; i--) {
        const struct spec_arg *a = &c->args[i];
        if (a->lo != REG_STACK)
            continue;
        if (a->type == TYPE_U64)
            ob_printf(ob, "%s    \"pushl %%[%s_hi]\\n\\t\"%s%s    \"pushl %%[%s_lo]\\n\\t\"%s", ind,
                      a->name, cont, ind, a->name, cont);
        else
            ob_printf(ob, "%s    \"pushl %%[%s]\\n\\t\"%s", ind, a->name, cont);
    }
    ob_printf(ob, "%s    \"771:\\n\\t\"%s", ind, cont);
    char pre[64], post[64];
    snprintf(pre, sizeof pre, "%s    \"", ind);
    snprintf(post, sizeof post, "\\n\\t\"%s", cont);
    emit_site_bytes(c, ob, pre, post, 1);
    ob_printf(ob, "%s    \".pushsection vmi_sites, \\\"a\\\"\\n\\t.balign 4\\n\\t.long 771b - .\\n\\t\"%s",
              ind, cont);
    ob_printf(ob, "%s    \".byte %u, %u, 0x%02x, %s\\n\\t.long %s\\n\\t.popsection\\n\\t\"%s", ind,
              c->number, c->reserve, c->clobbers, c->const_arg >= 0 ? "%c[cflag]" : "0",
              c->const_arg >= 0 ? "%c[cval]" : "0", cont);
    if (c->stack_bytes)
        ob_printf(ob, "%s    \"addl $%u, %%%%esp\\n\\t\"%s", ind, c->stack_bytes, cont);
}

/* The input operands: the registers only read, the stack arguments (a 64-bit one as two words),
 * and for a call that records a constant argument, its flag and value as immediates. */
static void emit_asm_inputs(const struct spec_call *c, const struct operand_plan *p,
                            struct outbuf *ob, const char *pre_name)
{
    int first = 1;
    for (int r = 0; r < 4; r++)
        if (p->in[r] && !p->clobbered[r] && !p->out[r]) {
            ob_printf(ob, "%s \"%c\"(%s)", first ? "" : ",", reg_letter[r], reg_var[r]);
            first = 0;
        }
    for (unsigned i = 0; i < c->nargs; i++) {
        const struct spec_arg *a = &c->args[i];
        if (a->lo != REG_STACK)
            continue;
        if (a->type == TYPE_U64)
            ob_printf(ob, "%s [%s_hi]\"ri\"((uint32_t)(%s%s >> 32)), [%s_lo]\"ri\"((uint32_t)%s%s)",
                      first ? "" : ",", a->name, pre_name, a->name, a->name, pre_name, a->name);
        else
            ob_printf(ob, "%s [%s]\"ri\"((uint32_t)%s%s%s)", first ? "" : ",", a->name,
                      a->type == TYPE_PTR ? "(uintptr_t)" : "", pre_name, a->name);
        first = 0;
    }
    if (c->const_arg >= 0) {
        const char *n = c->args[c->const_arg].name;
        ob_printf(ob, "%s [cflag]\"i\"(VMI_GLUE_CONST_FLAG_(%s_arg_, %d)), "
                      "[cval]\"i\"(VMI_GLUE_CONST_VALUE_(%s_arg_))",
                  first ? "" : ",", n, c->const_arg, n);
    }
}

/* The operand lists: outputs (registers written, "+" when also read), inputs, clobbers (the
 * registers written that are not operands, the flags, memory when the call touches it). */
static void emit_asm_operands(const struct spec_call *c, const struct operand_plan *p,
                              struct outbuf *ob, const char *ind, const char *cont,
                              const char *pre_name)
{
    ob_printf(ob, "%s    :", ind);
    int first = 1;
    for (int r = 0; r < 4; r++)
        if (p->out[r] || (p->in[r] && p->clobbered[r])) {
            ob_printf(ob, "%s \"%s%c\"(%s)", first ? "" : ",", p->in[r] ? "+" : "=", reg_letter[r],
                      reg_var[r]);
            first = 0;
        }
    ob_printf(ob, "%s%s    :", cont, ind);
    emit_asm_inputs(c, p, ob, pre_name);
    ob_printf(ob, "%s%s    : \"cc\"", cont, ind);
    for (int r = 0; r < 4; r++)
        if (p->clobbered[r] && !p->in[r] && !p->out[r])
            ob_printf(ob, ", \"%s\"", r == 0 ? "eax" : r == 1 ? "ecx" : r == 2 ? "edx" : "ebx");
    if (c->memory)
        ob_printf(ob, ", \"memory\"");
}

/* The body shared by the function and the macro form: locals, the asm statement, the result. */
static void emit_asm_statement(const struct spec_call *c, struct outbuf *ob, const char *ind,
                               int macro)
{
    struct operand_plan p;
    char loads[4][64] = { "", "", "", "" };
    const char *pre_name = macro ? "__vmi_" : "";   /* macro locals must not capture names */
    plan_operands(c, &p, loads, pre_name);
    const char *cont = macro ? " \\\n" : "\n";

    for (int r = 0; r < 4; r++)
        if (p.in[r] || p.out[r])
            ob_printf(ob, "%suint32_t %s = %s;%s", ind, reg_var[r], p.in[r] ? p.in[r] : "0", cont);
    ob_printf(ob, "%s__asm__ volatile(%s", ind, cont);
    emit_asm_template(c, ob, ind, cont);
    emit_asm_operands(c, &p, ob, ind, cont, pre_name);
    ob_printf(ob, ");%s", cont);
    if (c->result == RESULT_EAX)
        ob_printf(ob, "%sreturn __eax;\n", ind);
    else if (c->result == RESULT_EDX_EAX)
        ob_printf(ob, "%sreturn ((uint64_t)__edx << 32) | __eax;\n", ind);
    else if (c->result == RESULT_CPUID)
        ob_printf(ob, "%sregs->eax = __eax;\n%sregs->ebx = __ebx;\n%sregs->ecx = __ecx;\n"
                      "%sregs->edx = __edx;\n", ind, ind, ind, ind);
}

static void emit_comment(const struct spec_call *c, struct outbuf *ob)
{
    ob_printf(ob, "\n/* %s: call %u, class %s, %u-byte %s site, %u native bytes%s%s */\n", c->name,
              c->number, spec_class_name(c->klass), c->reserve, c->jump_site ? "jump" : "call",
              c->native_len, c->memory ? ", memory" : "",
              c->const_arg >= 0 ? ", records a constant argument" : "");
}

static void emit_c_function(const struct spec_call *c, struct outbuf *ob)
{
    emit_comment(c, ob);
    ob_printf(ob, "static inline __attribute__((always_inline)) %s vmi_%s(", result_type(c),
              c->name);
    emit_params(c, ob);
    ob_printf(ob, ")\n{\n");
    emit_asm_statement(c, ob, "    ", 0);
    ob_printf(ob, "}\n");
}

/* A call whose sites record a constant argument is a macro: "i" needs the argument as the caller
 * wrote it, which an inline function's parameter no longer is. */
static void emit_c_macro(const struct spec_call *c, struct outbuf *ob)
{
    emit_comment(c, ob);
    ob_printf(ob, "#define vmi_%s(", c->name);
    for (unsigned i = 0; i < c->nargs; i++)
        ob_printf(ob, "%s%s_arg_", i ? ", " : "", c->args[i].name);
    ob_printf(ob, ") ({ \\\n");
    for (unsigned i = 0; i < c->nargs; i++)
        ob_printf(ob, "    %s%s__vmi_%s = (%s_arg_); \\\n", c_type(&c->args[i]),
                  c->args[i].type == TYPE_PTR ? "" : " ", c->args[i].name, c->args[i].name);
    emit_asm_statement(c, ob, "    ", 1);
    ob_printf(ob, "})\n");
}

void emit_glue(const struct spec *spec, struct outbuf *ob)
{
    emit_banner(spec, ob, "/*", "*/");
    ob_printf(ob,
        "/* VMI call sites.  C: vmi_<Name>(args) lays down one site per use.  Assembler: the macro\n"
        " * VMI_<Name> [clobbers=MASK] lays down one site; MASK narrows what the site lets the call\n"
        " * change (a planner then refuses calls and bodies that change more).  Each site is the\n"
        " * native sequence, NOP-filled to the call's reserve, recorded in section vmi_sites.\n"
        " * Needs a 32-bit target.  Record format: docs/site-table.md. */\n"
        "#ifndef VMI_GLUE_H\n#define VMI_GLUE_H\n\n#include \"vmi_abi.h\"\n\n"
        "#ifdef __ASSEMBLER__\n");
    for (unsigned i = 0; i < spec->ncalls; i++)
        emit_asm_macro(&spec->calls[i], ob);
    ob_printf(ob,
        "#else /* C */\n\n"
        "#if !defined(__i386__)\n#error \"vmi_glue.h lays down 32-bit x86 call sites: build with -m32\"\n#endif\n\n"
        "struct vmi_cpuid_regs {\n    uint32_t eax, ebx, ecx, edx;\n};\n\n"
        "/* The site record's flags byte and value for an argument the compiler knows. */\n"
        "#define VMI_GLUE_CONST_FLAG_(x, arg) \\\n"
        "    (__builtin_constant_p(x) ? (VMI_SITE_CONST | ((arg) << VMI_SITE_CONST_ARG_SHIFT)) : 0)\n"
        "#define VMI_GLUE_CONST_VALUE_(x) (__builtin_constant_p(x) ? (uint32_t)(x) : 0u)\n\n"
        "/* The bounds of the site table, provided by the linker for a section named like a C\n"
        " * identifier; a kernel's linker script provides them itself. */\n"
        "extern const struct vmi_site __start_vmi_sites[], __stop_vmi_sites[];\n");
    for (unsigned i = 0; i < spec->ncalls; i++) {
        const struct spec_call *c = &spec->calls[i];
        if (c->jump_site)
            continue;   /* IRET and SYSEXIT exist only as assembler macros */
        if (c->const_arg >= 0)
            emit_c_macro(c, ob);
        else
            emit_c_function(c, ob);
    }
    ob_printf(ob, "\n#endif /* __ASSEMBLER__ */\n#endif /* VMI_GLUE_H */\n");
}
/* SPDX-License-Identifier: GPL-2.0-only */
