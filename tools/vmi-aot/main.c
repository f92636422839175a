/* vmi-aot: a thin dispatcher over subcommands.  Each subcommand lives in its own file and adds one
 * line to the table below (declared in aot_cmds.h or its own header). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "aot_cmds.h"
#include "vmi_version.h"

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

static void usage(FILE *f)
{
    fputs("usage: vmi-aot COMMAND [ARGS...]      (vmi-aot COMMAND --help for its options)\n"
          "       vmi-aot --help | --version\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
}

/* vmi-aot's own options come before the command; the command parses the rest (its argv[0] is
 * its name, and getopt starts afresh for it). */
int main(int argc, char **argv)
{
    static const struct option longs[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    argv[0] = "vmi-aot";                /* getopt's messages name the program, not its path */
    for (int c; (c = getopt_long(argc, argv, "+h", longs, NULL)) != -1;) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (c == 'V') {
            printf("vmi-aot %s\n", VMI_VERSION);
            return 0;
        }
        usage(stderr);                  /* getopt named the option */
        return 2;
    }
    if (optind == argc) {
        fputs("vmi-aot: no command given\n", stderr);
        usage(stderr);
        return 2;
    }
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0) {
            int first = optind;
            optind = 0;                 /* glibc: a fresh scan of the command's arguments */
            return commands[i].run(argc - first, argv + first);
        }
    fprintf(stderr, "vmi-aot: unknown command '%s'\n", name);
    usage(stderr);
    return 2;
}
/* SPDX-License-Identifier: GPL-2.0-only */
