/* vmi-prof --linux: the Linux workload (tools/vmi-prof/linux/) booted in five configurations under
 * QEMU's -icount shift=0, instructions per phase and per operation side by side
 * (docs/profiling.md, "Linux"). */
#ifndef VMI_PROF_LINUX_H
#define VMI_PROF_LINUX_H

struct prof_linux_opts {
    const char *helper;        /* libexec/vmi-prof-linux: boots one configuration */
    const char *linux_dir, *loader, *rom, *workload, *log_dir;
    const char *json, *chart;  /* NULL: not written */
    int quiet;
};

/* Runs the four boots, prints the table on stdout.  0, or 1 with one line on stderr. */
int prof_linux_run(const struct prof_linux_opts *o);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
