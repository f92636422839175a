/* Running the measurement engine, callgrind, the patching benchmark; reading a guest's log. */
#ifndef VMI_PROF_RUN_H
#define VMI_PROF_RUN_H

#include <stdio.h>
#include <time.h>

#include "aot_err.h"
#include "prof_output.h"

struct prof_run_opts {
    const char *engine;        /* vmi-prof-engine */
    const char *rom;           /* the pv ROM the engine was generated for */
    const char *valgrind;
    const char *only;          /* workloads whose name contains it */
    unsigned n, k, trap_n;     /* iterations, repetitions, iterations of the trap strategy */
    unsigned runs;             /* engine processes, each K repetitions, pooled (0 or 1: one) */
    int cpu;                   /* -1: the CPU the engine starts on */
    int verbose;
    /* called as each phase starts ("rdtsc [3/27] SetCR2: 15 repetitions x 5 strategies"); NULL:
     * silent.  The caller decides where it goes. */
    void (*progress)(void *ctx, const char *what);
    void *progress_ctx;
};

/* Fills engine and rom when NULL, from the front end's own directory. */
int prof_find_files(struct prof_run_opts *o, struct aot_err *err);
/* rdtsc samples of every (workload, strategy): rows appended to res. */
int prof_run_engine(const struct prof_run_opts *o, struct prof_result *res,
                    struct aot_err *err);
/* The same loops under callgrind: insns_per_op of the rows already in res. */
int prof_run_callgrind(const struct prof_run_opts *o, struct prof_result *res,
                       struct aot_err *err);

struct prof_patch_result {
    unsigned sites, reps;
    double read_ns[PROF_MAX_REPS], plan_ns[PROF_MAX_REPS], apply_ns[PROF_MAX_REPS];
    double verify_ns[PROF_MAX_REPS], revert_ns[PROF_MAX_REPS];
    /* the reference: the same bytes copied site by site, and the whole text in one memcpy */
    double copy_sites_ns[PROF_MAX_REPS], copy_text_ns[PROF_MAX_REPS];
    unsigned bytes;                 /* the sum of the site lengths */
    unsigned inline_sites, call_sites, native_sites, nop_sites, jump_sites;
};
int prof_run_patch_bench(const struct prof_run_opts *o, unsigned sites,
                         struct prof_patch_result *out, struct aot_err *err);

/* Runs argv (stdout to /dev/null): wall time, peak resident memory, exit status. */
int prof_measure(char *const argv[], double *wall_s, long *maxrss_kib, int *status,
                 struct aot_err *err);

/* How QEMU ran the guest whose log is read, which says what its TSC counted: under -icount
 * shift=0 one tick per instruction (exact), otherwise a virtual clock following the host's. */
enum prof_guest_clock { PROF_CLOCK_UNSAID, PROF_CLOCK_ICOUNT, PROF_CLOCK_HOST };
/* "icount" or "host" (--guest-clock); -1 otherwise. */
int prof_guest_clock_parse(const char *s, enum prof_guest_clock *out);

/* Reads the guest kernel's serial report (docs/guest.md) into rows.  The clock comes from the
 * log's "qemu clock=icount-shift-0|host" line (tests/guest/boot.sh writes it) or from clock
 * (--guest-clock); the two disagreeing is an error.  Fills res->params.clock.  Returns the number
 * of rows added, or -1 with err set. */
int prof_read_guest(const char *path, enum prof_guest_clock clock, struct prof_result *res,
                    struct aot_err *err);

/* The CPU model (/proc/cpuinfo) and the date (UTC) of a run; everything else zero, cpu -1. */
void prof_params_init(struct prof_params *p);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
