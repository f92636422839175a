/* The hottest sites of a profile as one bar each, longest on top, on a log scale (the counts of a
 * kernel's sites span from one to hundreds of thousands). */
#include "prof_sites_chart.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>

enum { LABEL_W = 430, PLOT_W = 380, BAR_H = 14, TOP = 40 };

int prof_sites_chart(const char *path, int png, const char *title, const struct site_bar *bars,
                     size_t n)
{
    double w = LABEL_W + PLOT_W + 90, h = TOP + (double)n * BAR_H + 30;
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        max = bars[i].count > max ? bars[i].count : max;
    double hi = log10((double)max * 1.2);
    cairo_surface_t *s = png ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h)
                             : cairo_svg_surface_create(path, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 10, 20);
    cairo_show_text(cr, title);
    cairo_set_font_size(cr, 9);
    for (size_t i = 0; i < n; i++) {
        double y = TOP + (double)i * BAR_H;
        double len = bars[i].count ? PLOT_W * log10((double)bars[i].count + 1) / hi : 0;
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, 10, y + BAR_H - 4);
        cairo_show_text(cr, bars[i].label);
        cairo_set_source_rgb(cr, 0.13, 0.45, 0.70);
        cairo_rectangle(cr, LABEL_W, y + 1, len, BAR_H - 3);
        cairo_fill(cr);
        char t[32];
        snprintf(t, sizeof t, "%llu", (unsigned long long)bars[i].count);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, LABEL_W + len + 4, y + BAR_H - 4);
        cairo_show_text(cr, t);
    }
    cairo_move_to(cr, LABEL_W, TOP + (double)n * BAR_H + 18);
    cairo_show_text(cr, "executions, log scale");
    cairo_destroy(cr);
    int bad = png && cairo_surface_write_to_png(s, path) != CAIRO_STATUS_SUCCESS;
    cairo_surface_finish(s);
    bad |= cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return bad ? -1 : 0;
}
