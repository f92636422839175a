/* The strategy chart's layout, as drawn: every text with its box and every bar, so a test can
 * check what the chart says (axis titles, units) and that nothing overlaps or is clipped
 * (tests/prof/test_chart.c).  prof_draw_chart (prof_output.h) draws the same layout to a file. */
#ifndef VMI_PROF_CHART_H
#define VMI_PROF_CHART_H

#include "prof_output.h"

enum { PROF_CHART_MAX_TEXT = 1024, PROF_CHART_MAX_BARS = 512 };

struct prof_chart_text {
    char s[128];
    double x, y, w, h;              /* the ink's box, top left and size, in pixels */
};

struct prof_chart_bar {
    int panel;                      /* 0: hand, inline, call, indirect; 1: trap */
    enum prof_strategy strategy;
    double x0, x1, y, h;            /* the bar */
    double wlo, whi;                /* the whisker (min..max), x; wlo == whi: none drawn */
    double value;                   /* the median it stands for */
    int stub;                       /* under the resolution: drawn at the minimum width */
};

struct prof_chart_trace {
    double width, height;
    unsigned ntext, nbar;
    unsigned dropped;               /* texts or bars beyond the arrays (a test fails on it) */
    struct prof_chart_text text[PROF_CHART_MAX_TEXT];
    struct prof_chart_bar bar[PROF_CHART_MAX_BARS];
};

/* Lays r out and draws it on a recording surface, filling t.  0, or -1 when cairo failed. */
int prof_chart_trace(const struct prof_result *r, struct prof_chart_trace *t);

/* The unit of r's figures: "cycles" (rdtsc, measured), else the guest log's ("instructions",
 * "host TSC ticks"). */
const char *prof_chart_unit(const struct prof_result *r);

/* The narrowest bar drawn, in pixels: a median under the resolution still shows. */
#define PROF_CHART_MIN_BAR 4.0

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
