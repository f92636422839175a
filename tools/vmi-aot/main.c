/* vmi-aot: a thin dispatcher over subcommands.  Each subcommand lives in its own file and adds one
 * line to the table below (declared in aot_cmds.h or its own header). */
#include <stdio.h>
#include <string.h>

#include "aot_cmds.h"
#include "opts.h"

struct aot_command {
    const char *name;
    int (*run)(int argc, char **argv);      /* argv[0] is the subcommand's name */
    const char *summary;
};

static const struct aot_command commands[] = {
    { "sites", aot_cmd_sites, "list the VMI call sites of a 32-bit ELF image (--json, -o FILE)" },
    { "check-rom", aot_cmd_check_rom, "check a VMI option ROM deeply (--json)" },
    { "specialize", aot_cmd_specialize, "plan and patch an image's sites for one ROM (docs/aot.md)" },
    { "verify", aot_cmd_verify, "check a specialized image independently of the planner" },
};

/* "  NAME  SUMMARY" per command, after the options of vmi-aot --help (check-man reads them). */
static char command_list[1024];

static struct opts_command aot_main = {
    .prog = "vmi-aot",
    .synopsis = "COMMAND [ARGS...]      (vmi-aot COMMAND --help for its options)\n"
                "vmi-aot --help | --version",
    .operands = "command",
    .min_operands = 1,
    .max_operands = -1,
    .stop_at_operand = 1,               /* the command parses what follows its name */
    .options = (const struct opts_option[]){ { 0 } },
    .epilogue = command_list,
};

static void list_commands(void)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        n += (size_t)snprintf(command_list + n, sizeof command_list - n, "%s  %-12s %s",
                              i ? "\n" : "", commands[i].name, commands[i].summary);
}

/* vmi-aot's own options come before the command; the command parses the rest (its argv[0] is
 * its name, and its own opts_begin starts getopt afresh). */
int main(int argc, char **argv)
{
    struct opts_parser p;
    struct aot_err err;
    int id;
    list_commands();
    opts_begin(&p, &aot_main, argc, argv);
    while ((id = opts_next(&p, &err)) > 0)
        ;                               /* no options of its own but --help and --version */
    if (id != OPTS_END)
        return opts_finish(&aot_main, id, &err, stdout, stderr);
    const char *name = p.operands[0];
    if (strcmp(name, "help") == 0)
        return opts_finish(&aot_main, OPTS_HELP, NULL, stdout, stderr);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(p.noperands, p.operands);
    opts_fail(&err, "unknown command '%s'", name);
    return opts_finish(&aot_main, OPTS_ERROR, &err, stdout, stderr);
}
/* SPDX-License-Identifier: GPL-2.0-only */
