/* The hottest sites of a profile as one bar each, longest on top, on a log axis with a decade
 * grid (the counts of a kernel's sites span from one to hundreds of thousands).  A count is exact
 * (the profile's), so a bar has no spread; a count of 1 still shows, at the minimum width. */
#include "prof_sites_chart.h"
#include "prof_surface.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>

enum { MARGIN = 10, PLOT_W = 380, RIGHT = 80, BAR_H = 14, TOP = 58, BOTTOM = 50, MIN_BAR = 3 };

static double text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/* The label column's width: the widest label in the chart's font. */
static double labels_w(const struct site_bar *bars, size_t n)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 9);
    double w = text_w(cr, "rank address decision function");
    for (size_t i = 0; i < n; i++)
        w = fmax(w, text_w(cr, bars[i].label));
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return w;
}

/* The decade grid from 1 to hi, its tick labels and the axis title. */
static void axis(cairo_t *cr, double x0, double hi_log, double bottom)
{
    char t[32];
    cairo_set_font_size(cr, 9);
    for (int d = 0; d <= (int)hi_log; d++) {
        double x = x0 + PLOT_W * d / hi_log;
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, x, TOP - 4);
        cairo_line_to(cr, x, bottom);
        cairo_stroke(cr);
        snprintf(t, sizeof t, "%.0f", pow(10, d));
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, x - text_w(cr, t) / 2, bottom + 13);
        cairo_show_text(cr, t);
    }
    const char *title = "executions of the site in the profile, log scale";
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, x0 + (PLOT_W - text_w(cr, title)) / 2, bottom + 32);
    cairo_show_text(cr, title);
}

int prof_sites_chart(const char *path, int png, const char *title, const struct site_bar *bars,
                     size_t n)
{
    double label_w = labels_w(bars, n), x0 = MARGIN + label_w + 12;
    double bottom = TOP + (double)n * BAR_H + 4;
    double w = ceil(x0 + PLOT_W + RIGHT), h = bottom + BOTTOM;
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        max = bars[i].count > max ? bars[i].count : max;
    double hi_log = ceil(log10((double)max));
    if (hi_log < 1)
        hi_log = 1;
    cairo_surface_t *s = prof_surface_create(png, path, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, MARGIN, 20);
    cairo_show_text(cr, title);
    cairo_set_line_width(cr, 1);
    axis(cr, x0, hi_log, bottom);
    cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 9);
    cairo_move_to(cr, MARGIN, TOP - 8);
    cairo_show_text(cr, "rank address decision function");
    cairo_move_to(cr, x0, TOP - 8);
    cairo_show_text(cr, "executions (count)");
    cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (size_t i = 0; i < n; i++) {
        double y = TOP + (double)i * BAR_H;
        double len = bars[i].count ? PLOT_W * log10((double)bars[i].count) / hi_log : 0;
        if (bars[i].count && len < MIN_BAR)
            len = MIN_BAR;
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, MARGIN, y + BAR_H - 4);
        cairo_show_text(cr, bars[i].label);
        cairo_set_source_rgb(cr, 0.13, 0.45, 0.70);
        cairo_rectangle(cr, x0, y + 1, len, BAR_H - 3);
        cairo_fill(cr);
        char t[32];
        snprintf(t, sizeof t, "%llu", (unsigned long long)bars[i].count);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, x0 + len + 4, y + BAR_H - 4);
        cairo_show_text(cr, t);
    }
    return prof_surface_close(cr, s, png, path) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}
/* SPDX-License-Identifier: GPL-2.0-only */
