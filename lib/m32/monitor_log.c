/* The log the monitor writes (and the harness's model, to compare with it). */
#include "vmi_host32.h"

void log_add(struct h_log *l, uint32_t kind, uint32_t a, uint32_t b)
{
    if (l->n < LOG_MAX) {
        l->rec[l->n][0] = kind;
        l->rec[l->n][1] = a;
        l->rec[l->n][2] = b;
    }
    l->n++;
}
/* SPDX-License-Identifier: GPL-2.0-only */
