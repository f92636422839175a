/* Running the measurement engine, callgrind, the patching benchmark; reading a guest's log. */
#ifndef VMI_PROF_RUN_H
#define VMI_PROF_RUN_H

#include <stdio.h>
#include <time.h>

#include "prof_output.h"

struct prof_run_opts {
    const char *engine;        /* vmi-prof-engine */
    const char *rom;           /* the pv ROM the engine was generated for */
    const char *valgrind;
    const char *only;          /* workloads whose name contains it */
    unsigned n, k, trap_n;     /* iterations, repetitions, iterations of the trap strategy */
    int cpu;                   /* -1: the CPU the engine starts on */
    int verbose;
};

/* Fills engine and rom when NULL, from the front end's own directory. */
int prof_find_files(struct prof_run_opts *o, char *why, size_t cap);
/* rdtsc samples of every (workload, strategy): rows appended to res. */
int prof_run_engine(const struct prof_run_opts *o, struct prof_result *res, char *why,
                    size_t cap);
/* The same loops under callgrind: insns_per_op of the rows already in res. */
int prof_run_callgrind(const struct prof_run_opts *o, struct prof_result *res, char *why,
                       size_t cap);

struct prof_patch_result {
    unsigned sites, reps;
    double read_ns[PROF_MAX_REPS], plan_ns[PROF_MAX_REPS], apply_ns[PROF_MAX_REPS];
    double verify_ns[PROF_MAX_REPS], revert_ns[PROF_MAX_REPS];
    unsigned inline_sites, call_sites, native_sites, nop_sites, jump_sites;
};
int prof_run_patch_bench(const struct prof_run_opts *o, unsigned sites,
                         struct prof_patch_result *out, char *why, size_t cap);

/* Runs argv (stdout to /dev/null): wall time, peak resident memory, exit status. */
int prof_measure(char *const argv[], double *wall_s, long *maxrss_kib, int *status, char *why,
                 size_t cap);

/* Reads the guest kernel's serial report (docs/guest.md) into rows.  Returns the number of rows
 * added, or -1 with why[] set. */
int prof_read_guest(const char *path, struct prof_result *res, char *why, size_t cap);

#endif
