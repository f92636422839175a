/* The harness's checks (the log is lib/m32/monitor_log.c's). */
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
/* SPDX-License-Identifier: GPL-2.0-only */
