/* check-install: a 32-bit hosted program built with `pkg-config --cflags --libs vmi-host32`:
 * records into the monitor's log as the harness does.  Exit 0 when the log took the entry. */
#include "vmi_host32.h"

#include <stdio.h>

int main(void)
{
    static struct h_log log;
    log_add(&log, LOG_DRAIN, 1, 2);
    if (log.n != 1 || log.rec[0][0] != LOG_DRAIN || log.rec[0][2] != 2) {
        fprintf(stderr, "host32: log_add did not record the entry\n");
        return 1;
    }
    printf("host32: the monitor's log took one entry\n");
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
