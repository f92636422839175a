/* The subcommands of vmi-aot in tools/vmi-aot/cmd_*.c: each takes the arguments after
 * "vmi-aot" (argv[0] is the subcommand's name; main has set optind to 0, so a getopt_long scan
 * starts afresh) and returns the exit status: 0 done (also after --help, on stdout, and
 * --version, "vmi-aot VERSION"), 1 the input is bad or an output failed (one line on stderr
 * naming the file), 2 usage (one line "vmi-aot CMD: what was wrong", then the usage, on stderr). */
#ifndef VMI_AOT_CMDS_H
#define VMI_AOT_CMDS_H

int aot_cmd_sites(int argc, char **argv);
int aot_cmd_check_rom(int argc, char **argv);      /* cmd_check_rom.c */
int aot_cmd_specialize(int argc, char **argv);     /* cmd_specialize.c */
int aot_cmd_verify(int argc, char **argv);         /* cmd_verify.c */

#endif /* VMI_AOT_CMDS_H */
/* SPDX-License-Identifier: GPL-2.0-only */
