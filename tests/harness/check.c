/* The harness's checks and the log both the monitor and the model write. */
#include <stdio.h>
#include "harness.h"

unsigned h_passed, h_failed;

void h_check(int ok, const char *file, int line, const char *what, uint32_t got, uint32_t want)
{
    if (ok) {
        h_passed++;
        return;
    }
    h_failed++;
    if (h_failed <= 50)
        fprintf(stderr, "FAIL %s:%d: %s (got 0x%x, want 0x%x)\n", file, line, what, got, want);
}

void log_add(struct h_log *l, uint32_t kind, uint32_t a, uint32_t b)
{
    if (l->n < LOG_MAX) {
        l->rec[l->n][0] = kind;
        l->rec[l->n][1] = a;
        l->rec[l->n][2] = b;
    }
    l->n++;
}
