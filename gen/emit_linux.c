/* Writes include/vmi_linux.h: the Linux consumer profile as constant tables (config bits, the
 * groups of struct paravirt_patch_template, one row per member and build, the rules a ROM must
 * keep).  Compiles hosted and freestanding; the functions over the tables are in
 * inliner/linux_ops.c. */
#include "emit.h"

#include <ctype.h>
#include <string.h>

static void upper(char *dst, size_t cap, const char *src)
{
    size_t i;
    for (i = 0; i + 1 < cap && src[i]; i++)
        dst[i] = src[i] == '-' || src[i] == '.' ? '_' : (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}

static const char *call_name(const struct spec *spec, int number)
{
    for (unsigned i = 0; i < spec->ncalls; i++)
        if ((int)spec->calls[i].number == number)
            return spec->calls[i].name;
    return "?";
}

static void emit_interface(const struct spec_linux *lx, struct outbuf *ob)
{
    ob_printf(ob,
        "/* The %s consumer profile (spec/linux.vmi, docs/spec-format.md \"The Linux profile\").\n"
        " *\n"
        " * Interface, for hosted and freestanding C (i386 or x86-64):\n"
        " *   VMI_LINUX_CFG_*         kernel configuration bits; a build's config is their OR\n"
        " *   VMI_LINUX_USE_*         how the backend uses an op (vmi_linux_op.uses; 0 = native)\n"
        " *   struct vmi_linux_op     one row: \"group.member\", member, group index, size in words,\n"
        " *                           condition (the row exists when (config & cfg_mask) ==\n"
        " *                           cfg_value), uses, VMI call number or -1\n"
        " *   vmi_linux_ops[VMI_LINUX_NUM_OPS], in template order\n"
        " *   struct vmi_linux_group  name (also the kernel's global symbol: its ELF st_size is the\n"
        " *                           group's words * 4), first row, row count, is_extern (outside\n"
        " *                           struct paravirt_patch_template: no type numbers)\n"
        " *   vmi_linux_groups[VMI_LINUX_NUM_GROUPS]; VMI_LINUX_GROUP_<name> is a group's index\n"
        " *   struct vmi_linux_rule   a rule a ROM must keep (docs/linux-rules.md)\n"
        " *   vmi_linux_rules[VMI_LINUX_NUM_RULES]\n"
        " * Functions over the tables (the .parainstructions type of an op, a group's size under a\n"
        " * config): inliner/vmi_linux_ops.h, in libvmiinline. */\n", lx->kernel);
}

static void emit_configs(const struct spec_linux *lx, struct outbuf *ob)
{
    ob_printf(ob, "\n#define VMI_LINUX_KERNEL \"%s\"\n\n/* ---- configuration bits ---- */\n",
              lx->kernel);
    for (unsigned i = 0; i < lx->nconfigs; i++) {
        char u[SPEC_NAME_MAX];
        upper(u, sizeof u, lx->configs[i].name);
        ob_printf(ob, "#define VMI_LINUX_CFG_%-16s 0x%02x  /* %s */\n", u, lx->configs[i].bit,
                  lx->configs[i].symbol);
    }
    ob_printf(ob, "#define VMI_LINUX_NUM_CONFIGS     %u\n", lx->nconfigs);
    ob_printf(ob, "\nstatic const struct { const char *name; const char *symbol; uint8_t bit; }\n"
                  "vmi_linux_configs[VMI_LINUX_NUM_CONFIGS] __attribute__((unused)) = {\n");
    for (unsigned i = 0; i < lx->nconfigs; i++)
        ob_printf(ob, "    { \"%s\", \"%s\", 0x%02x },\n", lx->configs[i].name,
                  lx->configs[i].symbol, lx->configs[i].bit);
    ob_printf(ob, "};\n");
}

static void emit_cond_text(const struct spec_linux *lx, struct spec_lcond c, struct outbuf *ob)
{
    if (!c.mask) {
        ob_printf(ob, "-");
        return;
    }
    const char *sep = "";
    for (unsigned i = 0; i < lx->nconfigs; i++)
        if (c.mask & lx->configs[i].bit) {
            ob_printf(ob, "%s%s%s", sep, c.value & lx->configs[i].bit ? "" : "!",
                      lx->configs[i].name);
            sep = ",";
        }
}

static void emit_uses(uint8_t uses, struct outbuf *ob)
{
    static const struct { uint8_t bit; const char *name; } u[] = {
        { LUSE_PATCH, "PATCH" }, { LUSE_FILL, "FILL" }, { LUSE_WRAP, "WRAP" },
        { LUSE_GET, "GET" }, { LUSE_PROBE, "PROBE" },
    };
    if (!uses) {
        ob_printf(ob, "VMI_LINUX_USE_NATIVE");
        return;
    }
    const char *sep = "";
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        if (uses & u[i].bit) {
            ob_printf(ob, "%sVMI_LINUX_USE_%s", sep, u[i].name);
            sep = " | ";
        }
}

static void emit_groups(const struct spec_linux *lx, struct outbuf *ob)
{
    ob_printf(ob, "\n/* ---- groups: the members of struct paravirt_patch_template in order, then the\n"
                  " * extern blocks ---- */\n");
    for (unsigned g = 0; g < lx->ngroups; g++)
        ob_printf(ob, "#define VMI_LINUX_GROUP_%-20s %u\n", lx->groups[g].name, g);
    ob_printf(ob, "#define VMI_LINUX_NUM_GROUPS %u\n\n", lx->ngroups);
    ob_printf(ob,
        "struct vmi_linux_group {\n"
        "    const char *name;      /* the struct's member name and the kernel's global symbol */\n"
        "    uint16_t first;        /* its first row in vmi_linux_ops[] */\n"
        "    uint16_t count;        /* its rows */\n"
        "    uint8_t is_extern;     /* outside the template: no type numbers */\n"
        "};\n\n"
        "static const struct vmi_linux_group vmi_linux_groups[VMI_LINUX_NUM_GROUPS] "
        "__attribute__((unused)) = {\n");
    for (unsigned g = 0; g < lx->ngroups; g++)
        ob_printf(ob, "    { \"%s\", %u, %u, %d },\n", lx->groups[g].name, lx->groups[g].first,
                  lx->groups[g].nops, lx->groups[g].is_extern);
    ob_printf(ob, "};\n");
}

static void emit_ops(const struct spec *spec, struct outbuf *ob)
{
    const struct spec_linux *lx = &spec->lx;
    ob_printf(ob,
        "\n/* ---- ops ---- */\n"
        "#define VMI_LINUX_USE_NATIVE 0x00  /* the backend leaves the op alone */\n"
        "#define VMI_LINUX_USE_PATCH  0x%02x  /* vmi_patch() rewrites its sites */\n"
        "#define VMI_LINUX_USE_FILL   0x%02x  /* para_fill(): the op points into the ROM */\n"
        "#define VMI_LINUX_USE_WRAP   0x%02x  /* para_wrap(): a C wrapper calls the ROM */\n"
        "#define VMI_LINUX_USE_GET    0x%02x  /* vmi_get_function(): used when CALL_REL */\n"
        "#define VMI_LINUX_USE_PROBE  0x%02x  /* eip taken for any answer but NONE */\n"
        "#define VMI_LINUX_NUM_OPS    %u\n\n"
        "struct vmi_linux_op {\n"
        "    const char *name;      /* \"group.member\" */\n"
        "    const char *member;\n"
        "    uint8_t group;         /* index in vmi_linux_groups[] */\n"
        "    uint8_t words;         /* size in pointers */\n"
        "    uint8_t cfg_mask;      /* the row exists when (config & cfg_mask) == cfg_value */\n"
        "    uint8_t cfg_value;\n"
        "    uint8_t uses;          /* VMI_LINUX_USE_* */\n"
        "    int16_t call;          /* VMI_CALL_*, or -1 */\n"
        "};\n\n"
        "static const struct vmi_linux_op vmi_linux_ops[VMI_LINUX_NUM_OPS] "
        "__attribute__((unused)) = {\n",
        LUSE_PATCH, LUSE_FILL, LUSE_WRAP, LUSE_GET, LUSE_PROBE, lx->nops);
    for (unsigned i = 0; i < lx->nops; i++) {
        const struct spec_lop *o = &lx->ops[i];
        const char *g = lx->groups[o->group].name;
        ob_printf(ob, "    { \"%s.%s\", \"%s\", VMI_LINUX_GROUP_%s, %u, 0x%02x, 0x%02x, ", g,
                  o->member, o->member, g, o->words, o->when.mask, o->when.value);
        emit_uses(o->uses, ob);
        if (o->call >= 0)
            ob_printf(ob, ", VMI_CALL_%s },", call_name(spec, o->call));
        else
            ob_printf(ob, ", -1 },");
        ob_printf(ob, "  /* ");
        emit_cond_text(lx, o->when, ob);
        ob_printf(ob, " */\n");
    }
    ob_printf(ob, "};\n");
}

static void emit_rules(const struct spec *spec, struct outbuf *ob)
{
    const struct spec_linux *lx = &spec->lx;
    static const char *const kinds[] = { "ALL_OR_NONE", "NOT_NOP", "PAIR", "JUMP_ONLY",
                                         "VIRTUAL_TOP_ALIGN", "NONZERO_RESULT", "REG_OFFSET" };
    ob_printf(ob, "\n/* ---- rules a ROM must keep for the kernel (docs/linux-rules.md) ---- */\n");
    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        ob_printf(ob, "#define VMI_LINUX_RULE_%-18s %u  /* %s */\n", kinds[k], k,
                  spec_rule_kind_name((enum spec_rule_kind)k));
    ob_printf(ob,
        "#define VMI_LINUX_RULE_MAX_CALLS %u\n"
        "#define VMI_LINUX_NUM_RULES      %u\n\n"
        "struct vmi_linux_rule {\n"
        "    const char *name;      /* the rule's short name, as findings print it */\n"
        "    const char *why;       /* what in the kernel needs it */\n"
        "    uint8_t kind;          /* VMI_LINUX_RULE_* */\n"
        "    uint8_t cfg_mask;      /* the builds it matters for (informational: a ROM serves all) */\n"
        "    uint8_t cfg_value;\n"
        "    uint8_t ncalls;\n"
        "    uint8_t calls[VMI_LINUX_RULE_MAX_CALLS];\n"
        "    uint32_t value;        /* VIRTUAL_TOP_ALIGN: the alignment; NONZERO_RESULT: 1 eax,\n"
        "                              2 edx:eax */\n"
        "};\n\n"
        "static const struct vmi_linux_rule vmi_linux_rules[%s] __attribute__((unused)) = {\n",
        SPEC_MAX_RCALLS, lx->nrules, lx->nrules ? "VMI_LINUX_NUM_RULES" : "1");
    for (unsigned i = 0; i < lx->nrules; i++) {
        const struct spec_lrule *r = &lx->rules[i];
        ob_printf(ob, "    { \"%s\", \"", r->name);
        for (const char *s = r->why; *s; s++)
            ob_printf(ob, *s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
        ob_printf(ob, "\",\n      VMI_LINUX_RULE_%s, 0x%02x, 0x%02x, %u, {", kinds[r->kind],
                  r->when.mask, r->when.value, r->ncalls);
        for (unsigned c = 0; c < r->ncalls; c++)
            ob_printf(ob, "%s VMI_CALL_%s", c ? "," : "", call_name(spec, r->calls[c]));
        ob_printf(ob, "%s}, 0x%x },\n", r->ncalls ? " " : " 0 ", r->value);
    }
    ob_printf(ob, "};\n");
}

void emit_linux_header(const struct spec *spec, struct outbuf *ob)
{
    emit_banner(spec, ob, "/*", "*/");
    emit_interface(&spec->lx, ob);
    ob_printf(ob, "#ifndef VMI_LINUX_H\n#define VMI_LINUX_H\n\n#include <stdint.h>\n"
                  "#include \"vmi_abi.h\"\n");
    emit_configs(&spec->lx, ob);
    emit_groups(&spec->lx, ob);
    emit_ops(spec, ob);
    emit_rules(spec, ob);
    ob_printf(ob, "\n#endif /* VMI_LINUX_H */\n");
}
/* SPDX-License-Identifier: GPL-2.0-only */
