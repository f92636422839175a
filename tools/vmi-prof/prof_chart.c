/* The bar chart, drawn with cairo: one group of horizontal bars per workload, one bar per
 * strategy, on a log scale (a trap costs thousands of cycles, an inlined store one). */
#define _GNU_SOURCE
#include "prof_output.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const double colors[STRAT_COUNT][3] = {
    { 0.30, 0.30, 0.30 },   /* hand: grey */
    { 0.13, 0.55, 0.13 },   /* inline: green */
    { 0.12, 0.35, 0.75 },   /* call: blue */
    { 0.85, 0.55, 0.10 },   /* indirect: orange */
    { 0.75, 0.15, 0.15 },   /* trap: red */
};

enum { LABEL_W = 230, PLOT_W = 560, MARGIN = 20, BAR_H = 11, GROUP_GAP = 10, TOP = 60 };

static double log_x(double v, double lo, double hi)
{
    if (v < lo)
        v = lo;
    return LABEL_W + PLOT_W * (log10(v) - log10(lo)) / (log10(hi) - log10(lo));
}

static void draw(cairo_t *cr, const struct prof_result *r, double width, double height)
{
    double lo = 0.5, hi = 1;
    for (unsigned i = 0; i < r->count; i++)
        if (r->rows[i].median > hi)
            hi = r->rows[i].median;
    hi = pow(10, ceil(log10(hi * 1.2)));

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 14);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, MARGIN, 24);
    cairo_show_text(cr, "VMI call cost by strategy (cycles per operation, log scale)");
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10);

    /* legend */
    for (int s = 0; s < STRAT_COUNT; s++) {
        double x = MARGIN + s * 110;
        cairo_set_source_rgb(cr, colors[s][0], colors[s][1], colors[s][2]);
        cairo_rectangle(cr, x, 34, 12, 10);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, x + 16, 43);
        cairo_show_text(cr, prof_strategy_name((enum prof_strategy)s));
    }
    /* decade grid */
    for (double v = 1; v <= hi; v *= 10) {
        double x = log_x(v, lo, hi);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, x, TOP - 4);
        cairo_line_to(cr, x, height - 24);
        cairo_stroke(cr);
        char label[24];
        snprintf(label, sizeof label, "%.0f", v);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, x - 6, height - 10);
        cairo_show_text(cr, label);
    }
    /* groups */
    double y = TOP;
    const char *last = NULL;
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        if (!last || strcmp(last, row->workload) != 0) {
            if (last)
                y += GROUP_GAP;
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_move_to(cr, MARGIN, y + BAR_H - 2);
            cairo_show_text(cr, row->workload);
            last = row->workload;
        }
        const double *c = colors[row->strategy];
        cairo_set_source_rgb(cr, c[0], c[1], c[2]);
        double x1 = log_x(row->median, lo, hi);
        cairo_rectangle(cr, LABEL_W, y, x1 - LABEL_W > 1 ? x1 - LABEL_W : 1, BAR_H - 1);
        cairo_fill(cr);
        char value[32];
        if (row->median < PROF_RESOLUTION && r->measured)
            snprintf(value, sizeof value, "< %.2f", PROF_RESOLUTION);   /* below resolution */
        else
            snprintf(value, sizeof value, "%.1f", row->median);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, (x1 > LABEL_W ? x1 : LABEL_W) + 4, y + BAR_H - 2);
        cairo_show_text(cr, value);
        y += BAR_H;
    }
    (void)width;
}

static double chart_height(const struct prof_result *r)
{
    unsigned groups = 0;
    for (unsigned i = 0; i < r->count; i++)
        if (i == 0 || strcmp(r->rows[i].workload, r->rows[i - 1].workload) != 0)
            groups++;
    return TOP + r->count * BAR_H + groups * GROUP_GAP + 40;
}

/* cairo draws text as glyph outlines: a <title> and a <desc> after the <svg> tag carry the
 * chart's words as text too, for a screen reader, a search, or grep.  Returns 0 or -1. */
static int svg_add_text(const struct prof_result *r, const char *tmp)
{
    FILE *f = fopen(tmp, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    char *svg = buf ? memmem(buf, len, "<svg", 4) : NULL;
    char *end = svg ? memchr(svg, '>', len - (size_t)(svg - buf)) : NULL;
    if (!end) {
        free(buf);
        return -1;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        free(buf);
        return -1;
    }
    size_t head = (size_t)(end - buf) + 1;
    fwrite(buf, 1, head, f);
    fprintf(f, "\n<title>VMI call cost by strategy (cycles per operation, log scale)</title>\n"
               "<desc>source: %s.", r->source);
    const char *last = "";
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        if (strcmp(last, row->workload) != 0)
            fprintf(f, "\nworkload %s:", row->workload);   /* names hold no < & or " */
        fprintf(f, " %s %.2f", prof_strategy_name(row->strategy), row->median);
        last = row->workload;
    }
    fprintf(f, "</desc>");
    fwrite(buf + head, 1, len - head, f);
    free(buf);
    return fclose(f);
}

int prof_draw_chart(const struct prof_result *r, const char *path, const char *tmp, char *why,
                    size_t why_cap)
{
    double w = LABEL_W + PLOT_W + 80, h = chart_height(r);
    size_t n = strlen(path);
    int png = n > 4 && strcmp(path + n - 4, ".png") == 0;
    if (!png && !(n > 4 && strcmp(path + n - 4, ".svg") == 0)) {
        snprintf(why, why_cap, "%s: the chart's name must end in .svg or .png", path);
        return -1;
    }
    cairo_surface_t *s = png ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h)
                             : cairo_svg_surface_create(tmp, w, h);
    cairo_t *cr = cairo_create(s);
    draw(cr, r, w, h);
    cairo_destroy(cr);
    cairo_status_t st = png ? cairo_surface_write_to_png(s, tmp) : CAIRO_STATUS_SUCCESS;
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st == CAIRO_STATUS_SUCCESS && !png && svg_add_text(r, tmp) != 0)
        st = CAIRO_STATUS_WRITE_ERROR;
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(why, why_cap, "%s: %s", path, cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

void prof_chart_cleanup(void)
{
    /* cairo and fontconfig keep font caches until exit: release them, so a leak checker sees
     * only what is ours */
    cairo_debug_reset_static_data();
    FcFini();
}
