/* What a run records about where and when it ran: the CPU model and the UTC date. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "prof_run.h"

void prof_params_init(struct prof_params *p)
{
    memset(p, 0, sizeof *p);
    p->cpu = -1;
    snprintf(p->cpu_model, sizeof p->cpu_model, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) != 0 || !colon)
            continue;
        colon += 1 + (colon[1] == ' ');
        colon[strcspn(colon, "\n")] = 0;
        snprintf(p->cpu_model, sizeof p->cpu_model, "%s", colon);
        break;
    }
    if (f)
        fclose(f);
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(p->date, sizeof p->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
/* SPDX-License-Identifier: GPL-2.0-only */
