/* vmi-aot: a thin dispatcher over subcommands.  Each subcommand lives in its own file and adds one
 * line to the table below (declared in aot_cmds.h or its own header). */
#include <stdio.h>
#include <string.h>

#include "aot_cmds.h"

struct aot_command {
    const char *name;
    int (*run)(int argc, char **argv);      /* argv[0] is the subcommand's name */
    const char *summary;
};

static const struct aot_command commands[] = {
    { "sites", aot_cmd_sites, "list the VMI call sites of a 32-bit ELF image (--json)" },
    { "check-rom", aot_cmd_check_rom, "check a VMI option ROM deeply (--json)" },
    { "specialize", aot_cmd_specialize, "plan and patch an image's sites for one ROM (docs/aot.md)" },
    { "verify", aot_cmd_verify, "check a specialized image independently of the planner" },
};

static void usage(FILE *f)
{
    fputs("usage: vmi-aot COMMAND [ARGS...]   (vmi-aot COMMAND --help for its options)\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "vmi-aot: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
