/* The Linux profile's layout: which op a .parainstructions type names under a kernel config, and
 * how big each group of struct paravirt_patch_template is.  Walks the generated rows of
 * include/vmi_linux.h in template order, skipping rows that do not exist in the build.
 * Freestanding: no library calls. */
#include "vmi_linux_ops.h"

int vmi_linux_op_active(unsigned config, unsigned op)
{
    if (op >= VMI_LINUX_NUM_OPS)
        return 0;
    return (config & vmi_linux_ops[op].cfg_mask) == vmi_linux_ops[op].cfg_value;
}

/* Calls visit(op, type) for each row of the template existing under config, in order, until it
 * returns non-zero; returns that value, or 0. */
static int walk_template(unsigned config, int (*visit)(unsigned op, unsigned type, unsigned arg),
                         unsigned arg)
{
    unsigned type = 0;
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++) {
        if (vmi_linux_groups[g].is_extern)
            continue;
        unsigned end = vmi_linux_groups[g].first + vmi_linux_groups[g].count;
        for (unsigned op = vmi_linux_groups[g].first; op < end; op++) {
            if (!vmi_linux_op_active(config, op))
                continue;
            int r = visit(op, type, arg);
            if (r)
                return r;
            type += vmi_linux_ops[op].words;
        }
    }
    return 0;
}

static int starts_at(unsigned op, unsigned type, unsigned want)
{
    return type == want ? (int)op + 1 : 0;
}

int vmi_linux_op_at(unsigned config, unsigned type)
{
    return walk_template(config, starts_at, type) - 1;
}

static int is_op(unsigned op, unsigned type, unsigned want)
{
    return op == want ? (int)type + 1 : 0;
}

int vmi_linux_op_type(unsigned config, unsigned op)
{
    if (!vmi_linux_op_active(config, op) || vmi_linux_groups[vmi_linux_ops[op].group].is_extern)
        return -1;
    return walk_template(config, is_op, op) - 1;
}

int vmi_linux_group_words(unsigned config, unsigned group)
{
    if (group >= VMI_LINUX_NUM_GROUPS)
        return -1;
    int words = 0;
    unsigned end = vmi_linux_groups[group].first + vmi_linux_groups[group].count;
    for (unsigned op = vmi_linux_groups[group].first; op < end; op++)
        if (vmi_linux_op_active(config, op))
            words += vmi_linux_ops[op].words;
    return words;
}

int vmi_linux_template_words(unsigned config)
{
    int words = 0;
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++)
        if (!vmi_linux_groups[g].is_extern)
            words += vmi_linux_group_words(config, g);
    return words;
}

int vmi_linux_size_mismatch(unsigned config, const int32_t group_bytes[VMI_LINUX_NUM_GROUPS])
{
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++)
        if (!vmi_linux_groups[g].is_extern && group_bytes[g] >= 0 &&
            group_bytes[g] != 4 * vmi_linux_group_words(config, g))
            return (int)g;
    return -1;
}

static int same(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int vmi_linux_group_find(const char *name)
{
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++)
        if (same(vmi_linux_groups[g].name, name))
            return (int)g;
    return -1;
}

int vmi_linux_op_find(unsigned config, const char *name)
{
    for (unsigned op = 0; op < VMI_LINUX_NUM_OPS; op++)
        if (vmi_linux_op_active(config, op) && same(vmi_linux_ops[op].name, name))
            return (int)op;
    return -1;
}
/* SPDX-License-Identifier: GPL-2.0-only */
