/* Prints the Linux profile's layout under one kernel config, for tests/linux/layout.sh to compare
 * with a fixture kernel's DWARF:
 *   layout_dump CONFIG             CONFIG: the VMI_LINUX_CFG_* bits (a number)
 *   layout_dump --patched CONFIG   the names of the rows vmi_patch() rewrites, one a line
 * Output, one item a line: "group NAME WORDS EXTERN" for every group, then
 * "op NAME TYPE" for every row that exists under CONFIG (TYPE -1 for an extern row). */
#include "vmi_linux_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char *end = "";
    int patched = argc == 3 && strcmp(argv[1], "--patched") == 0;
    unsigned long config = argc == 2 + patched ? strtoul(argv[1 + patched], &end, 0) : 0;
    if (argc != 2 + patched || *end || config > 0xff) {
        fprintf(stderr, "usage: layout_dump [--patched] CONFIG\n");
        return 2;
    }
    if (patched) {
        for (unsigned op = 0; op < VMI_LINUX_NUM_OPS; op++)
            if (vmi_linux_op_active((unsigned)config, op) &&
                (vmi_linux_ops[op].uses & VMI_LINUX_USE_PATCH))
                printf("%s\n", vmi_linux_ops[op].name);
        return 0;
    }
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++)
        printf("group %s %d %d\n", vmi_linux_groups[g].name,
               vmi_linux_group_words((unsigned)config, g), vmi_linux_groups[g].is_extern);
    for (unsigned op = 0; op < VMI_LINUX_NUM_OPS; op++)
        if (vmi_linux_op_active((unsigned)config, op))
            printf("op %s %d\n", vmi_linux_ops[op].name, vmi_linux_op_type((unsigned)config, op));
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
