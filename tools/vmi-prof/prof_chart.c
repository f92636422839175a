/* The strategy chart, drawn with cairo: one group of horizontal bars per workload, one bar per
 * strategy, each with a whisker from the fastest to the slowest repetition.  Two panels, each on
 * its own log axis: hand, inline, call and indirect (a fraction of a cycle to a few hundred) on
 * the left, the trap (tens of thousands to hundreds of thousands) on the right, so the trap does
 * not squeeze the comparison the chart is for into one decade.  A median under the resolution
 * (PROF_RESOLUTION) is drawn as a pale stub of the minimum width with its value printed. */
#define _GNU_SOURCE
#include "prof_chart.h"
#include "prof_surface.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double colors[STRAT_COUNT][3] = {
    { 0.30, 0.30, 0.30 },   /* hand: grey */
    { 0.13, 0.55, 0.13 },   /* inline: green */
    { 0.12, 0.35, 0.75 },   /* call: blue */
    { 0.85, 0.55, 0.10 },   /* indirect: orange */
    { 0.75, 0.15, 0.15 },   /* trap: red */
};

enum { MARGIN = 20, FAST_W = 440, TRAP_W = 220, PANEL_GAP = 120, RIGHT = 80, BAR_H = 12,
       GROUP_GAP = 8, TOP = 108, BOTTOM = 56, FONT = 10 };

/* One log axis: the panel's left edge and width, the decades it spans. */
struct axis {
    double x, w, lo, hi;
};

struct layout {
    double width, height, label_x, bottom;
    struct axis fast, trap;
    int have_trap;
    const char *unit;
};

/* The drawing: cairo, and the trace to record into (NULL: none). */
struct pen {
    cairo_t *cr;
    struct prof_chart_trace *t;
};

const char *prof_chart_unit(const struct prof_result *r)
{
    return r->measured || !r->params.clock[0] ? "cycles" : r->params.clock;
}

static double ax_x(const struct axis *a, double v)
{
    if (!(v > a->lo))
        v = a->lo;
    if (v > a->hi)
        v = a->hi;
    return a->x + a->w * (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
}

/* Text with its baseline's left end at (x, y), recorded with its box. */
static void put(struct pen *p, double x, double y, const char *s)
{
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, s);
    if (!p->t)
        return;
    if (p->t->ntext == PROF_CHART_MAX_TEXT) {
        p->t->dropped++;
        return;
    }
    cairo_text_extents_t e;
    cairo_text_extents(p->cr, s, &e);
    struct prof_chart_text *o = &p->t->text[p->t->ntext++];
    snprintf(o->s, sizeof o->s, "%s", s);
    o->x = x + e.x_bearing;
    o->y = y + e.y_bearing;
    o->w = e.width;
    o->h = e.height;
}

static double text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

static void font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* "0.25", "3.10", "124.9", "26,699": a figure as the chart prints it. */
static void fmt_value(char *buf, size_t cap, double v)
{
    if (fabs(v) < 10)
        snprintf(buf, cap, "%.2f", v);
    else if (fabs(v) < 1000)
        snprintf(buf, cap, "%.1f", v);
    else {
        char d[32];
        int n = snprintf(d, sizeof d, "%.0f", v), o = 0;
        for (int i = 0; i < n && (size_t)o + 2 < cap; i++) {
            if (i && (n - i) % 3 == 0)
                buf[o++] = ',';
            buf[o++] = d[i];
        }
        buf[o] = 0;
    }
}

static unsigned group_end(const struct prof_result *r, unsigned i)
{
    unsigned j = i + 1;
    while (j < r->count && strcmp(r->rows[j].workload, r->rows[i].workload) == 0)
        j++;
    return j;
}

/* The height of one workload's group: a bar per strategy other than the trap (at least one). */
static double group_h(const struct prof_result *r, unsigned i, unsigned j)
{
    unsigned n = 0;
    for (unsigned k = i; k < j; k++)
        n += r->rows[k].strategy != STRAT_TRAP;
    return (n ? n : 1) * BAR_H;
}

/* The decades around lo..hi: [10^floor(log lo), 10^ceil(log hi)]. */
static void decades(struct axis *a, double lo, double hi)
{
    a->lo = pow(10, floor(log10(lo)));
    a->hi = pow(10, ceil(log10(hi)));
    if (a->hi <= a->lo)
        a->hi = a->lo * 10;
}

/* Both axes' ranges from the medians and whiskers of the rows each panel shows. */
static void axes_range(const struct prof_result *r, struct layout *L)
{
    double flo = INFINITY, fhi = 0, tlo = INFINITY, thi = 0;
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        double top = row->median;   /* a slow outlier does not stretch the axis: its whisker
                                     * ends in an arrow at the edge, the figure printed */
        if (row->strategy == STRAT_TRAP) {
            L->have_trap = 1;
            if (row->median > 0 && row->median < tlo)
                tlo = row->median;
            thi = top > thi ? top : thi;
        } else {
            if (row->median >= PROF_RESOLUTION && row->median < flo)
                flo = row->median;
            fhi = top > fhi ? top : fhi;
        }
    }
    /* a measured run starts below the resolution, so that stubs and small bars differ */
    if (r->measured || flo == INFINITY)
        flo = PROF_RESOLUTION / 2.5;
    decades(&L->fast, flo, fhi > flo ? fhi * 1.05 : flo * 10);
    decades(&L->trap, tlo < INFINITY ? tlo : 1000, thi > 0 ? thi * 1.05 : 10000);
}

static void layout(cairo_t *cr, const struct prof_result *r, struct layout *L)
{
    memset(L, 0, sizeof *L);
    L->unit = prof_chart_unit(r);
    double label_w = 0, h = TOP;
    font(cr, FONT, 0);
    for (unsigned i = 0; i < r->count; i = group_end(r, i)) {
        double w = text_w(cr, r->rows[i].workload);
        label_w = w > label_w ? w : label_w;
        h += group_h(r, i, group_end(r, i)) + GROUP_GAP;
    }
    axes_range(r, L);
    L->label_x = MARGIN;
    L->fast.x = MARGIN + label_w + 14;
    L->fast.w = FAST_W;
    L->trap.x = L->fast.x + FAST_W + PANEL_GAP;
    L->trap.w = TRAP_W;
    L->width = (L->have_trap ? L->trap.x + TRAP_W : L->fast.x + FAST_W) + RIGHT;
    if (L->width < 760)
        L->width = 760;         /* the title and the legend fit */
    font(cr, 9, 0);
    char src[200];
    snprintf(src, sizeof src, "source: %s", r->source);
    if (L->width < 2 * MARGIN + text_w(cr, src))
        L->width = ceil(2 * MARGIN + text_w(cr, src));
    L->bottom = h;
    L->height = h + BOTTOM;
}

static void title_and_legend(struct pen *p, const struct prof_result *r, const struct layout *L)
{
    cairo_t *cr = p->cr;
    char s[256];
    cairo_set_source_rgb(cr, 0, 0, 0);
    font(cr, 14, 1);
    snprintf(s, sizeof s, "VMI call cost by strategy, %s per operation", L->unit);
    put(p, MARGIN, 24, s);
    font(cr, 9, 0);
    snprintf(s, sizeof s, "source: %s", r->source);
    put(p, MARGIN, 42, s);
    font(cr, FONT, 0);
    double x = MARGIN;
    for (int k = 0; k < STRAT_COUNT; k++) {
        if (k == STRAT_TRAP && !L->have_trap)
            continue;
        cairo_set_source_rgb(cr, colors[k][0], colors[k][1], colors[k][2]);
        cairo_rectangle(cr, x, 54, 12, 10);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        put(p, x + 16, 63, prof_strategy_name((enum prof_strategy)k));
        x += 100;
    }
    font(cr, 9, 0);
    if (!r->measured) {
        put(p, MARGIN, 81, "one figure per strategy (the log's best of runs): no spread shown");
        return;
    }
    /* the whisker and the stub, explained by a sample of each */
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, MARGIN, 78);
    cairo_line_to(cr, MARGIN + 24, 78);
    cairo_move_to(cr, MARGIN, 74);
    cairo_line_to(cr, MARGIN, 82);
    cairo_move_to(cr, MARGIN + 24, 74);
    cairo_line_to(cr, MARGIN + 24, 82);
    cairo_stroke(cr);
    snprintf(s, sizeof s, "whisker: fastest to slowest of the %u repetitions (an arrow: beyond the axis);", r->params.k *
             (r->params.runs ? r->params.runs : 1));
    put(p, MARGIN + 30, 81, s);
    x = MARGIN + 34 + text_w(cr, s);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_rectangle(cr, x, 73, PROF_CHART_MIN_BAR, 10);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    snprintf(s, sizeof s, "pale stub: a median under %.2f %s (the resolution), printed with its spread",
             PROF_RESOLUTION, L->unit);
    put(p, x + PROF_CHART_MIN_BAR + 6, 81, s);
}

/* A panel's header, decade grid, tick labels and axis title. */
static void panel_axis(struct pen *p, const struct layout *L, const struct axis *a,
                       const char *header, const char *title, int resolution)
{
    cairo_t *cr = p->cr;
    char s[64];
    /* a frame: each panel reads as its own axis, not one axis continued */
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, a->x - 0.5, TOP - 4.5, a->w + 1, L->bottom - TOP + 5);
    cairo_stroke(cr);
    font(cr, FONT, 1);
    cairo_set_source_rgb(cr, 0, 0, 0);
    put(p, a->x, TOP - 12, header);
    font(cr, 9, 0);
    for (double v = a->lo; v <= a->hi * 1.001; v *= 10) {
        double x = ax_x(a, v);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, x, TOP - 4);
        cairo_line_to(cr, x, L->bottom);
        cairo_stroke(cr);
        if (v < 1)
            snprintf(s, sizeof s, "%g", v);
        else if (v < 1000)
            snprintf(s, sizeof s, "%.0f", v);
        else
            fmt_value(s, sizeof s, v);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        put(p, x - text_w(cr, s) / 2, L->bottom + 14, s);
    }
    if (resolution) {
        double x = ax_x(a, PROF_RESOLUTION);
        static const double dash[] = { 3, 3 };
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, x, TOP - 4);
        cairo_line_to(cr, x, L->bottom);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        snprintf(s, sizeof s, "%.2f", PROF_RESOLUTION);
        put(p, x - text_w(cr, s) / 2, L->bottom + 14, s);
    }
    font(cr, FONT, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    put(p, a->x + (a->w - text_w(cr, title)) / 2, L->bottom + 34, title);
}

/* One bar at y with its whisker and its value; recorded in the trace. */
static void bar(struct pen *p, const struct prof_result *r, const struct axis *a, int panel,
                const struct prof_row *row, double y)
{
    cairo_t *cr = p->cr;
    const double *c = colors[row->strategy];
    double x0 = a->x, x1 = ax_x(a, row->median);
    int stub = (r->measured && row->median < PROF_RESOLUTION) || x1 - x0 < PROF_CHART_MIN_BAR;
    if (x1 - x0 < PROF_CHART_MIN_BAR)
        x1 = x0 + PROF_CHART_MIN_BAR;
    double k = stub ? 0.45 : 1;     /* a stub is pale: mixed with white */
    cairo_set_source_rgb(cr, 1 - k * (1 - c[0]), 1 - k * (1 - c[1]), 1 - k * (1 - c[2]));
    cairo_rectangle(cr, x0, y, x1 - x0, BAR_H - 2);
    cairo_fill(cr);
    double wlo = 0, whi = 0, mid = y + (BAR_H - 2) / 2.0;
    if (row->reps > 1 && row->max > row->min) {
        wlo = ax_x(a, row->min);
        whi = ax_x(a, row->max);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, wlo, mid);
        cairo_line_to(cr, whi, mid);
        cairo_move_to(cr, wlo, mid - 3);
        cairo_line_to(cr, wlo, mid + 3);
        if (row->max > a->hi) {     /* beyond the axis: an arrow head */
            cairo_move_to(cr, whi - 4, mid - 3);
            cairo_line_to(cr, whi, mid);
            cairo_line_to(cr, whi - 4, mid + 3);
        } else {
            cairo_move_to(cr, whi, mid - 3);
            cairo_line_to(cr, whi, mid + 3);
        }
        cairo_stroke(cr);
    }
    char v[48], lo[48], hi[48], s[160];
    fmt_value(v, sizeof v, row->median);
    fmt_value(lo, sizeof lo, row->min);
    fmt_value(hi, sizeof hi, row->max);
    /* under the axis' low end a whisker has no length: the spread in figures */
    if (stub && r->measured && row->median < PROF_RESOLUTION && row->reps > 1)
        snprintf(s, sizeof s, "%s (%s..%s, < %.2f)", v, lo, hi, PROF_RESOLUTION);
    else if (stub && r->measured && row->median < PROF_RESOLUTION)
        snprintf(s, sizeof s, "%s (< %.2f)", v, PROF_RESOLUTION);
    else if (row->max > a->hi && row->reps > 1)
        snprintf(s, sizeof s, "%s (max %s)", v, hi);
    else
        snprintf(s, sizeof s, "%s", v);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    font(cr, 9, 0);
    put(p, (whi > x1 ? whi : x1) + 4, y + BAR_H - 3, s);
    if (!p->t)
        return;
    if (p->t->nbar == PROF_CHART_MAX_BARS) {
        p->t->dropped++;
        return;
    }
    p->t->bar[p->t->nbar++] = (struct prof_chart_bar){ panel, row->strategy, x0, x1, y, BAR_H - 2,
                                                       wlo, whi, row->median, stub };
}

static void draw(struct pen *p, const struct prof_result *r, const struct layout *L)
{
    cairo_t *cr = p->cr;
    char s[160];
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    title_and_legend(p, r, L);
    font(cr, FONT, 1);
    cairo_set_source_rgb(cr, 0, 0, 0);
    put(p, L->label_x, TOP - 12, "workload");
    snprintf(s, sizeof s, "%s per operation%s, log scale", L->unit,
             r->measured ? " (rdtsc, loop overhead subtracted)" : "");
    panel_axis(p, L, &L->fast, "hand, inline, call, indirect", s, r->measured);
    if (L->have_trap) {
        snprintf(s, sizeof s, "%s per operation, log scale", L->unit);
        panel_axis(p, L, &L->trap, "trap (fault and emulation)", s, 0);
    }
    double y = TOP;
    for (unsigned i = 0; i < r->count;) {
        unsigned j = group_end(r, i);
        double gh = group_h(r, i, j), yy = y;
        font(cr, FONT, 0);
        cairo_set_source_rgb(cr, 0, 0, 0);
        put(p, L->label_x, y + BAR_H - 3, r->rows[i].workload);
        for (unsigned k = i; k < j; k++) {
            if (r->rows[k].strategy == STRAT_TRAP) {
                bar(p, r, &L->trap, 1, &r->rows[k], y + (gh - BAR_H) / 2);
                continue;
            }
            bar(p, r, &L->fast, 0, &r->rows[k], yy);
            yy += BAR_H;
        }
        y += gh + GROUP_GAP;
        i = j;
    }
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
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    char *svg = buf ? memmem(buf, len, "<svg", 4) : NULL;
    char *end = svg ? memchr(svg, '>', len - (size_t)(svg - buf)) : NULL;
    if (!end || !(f = fopen(tmp, "wb"))) {
        free(buf);
        return -1;
    }
    size_t head = (size_t)(end - buf) + 1;
    fwrite(buf, 1, head, f);
    fprintf(f, "\n<title>VMI call cost by strategy, %s per operation (log scale; the trap on "
               "its own axis)</title>\n<desc>source: %s. median (min..max):", prof_chart_unit(r),
            r->source);
    const char *last = "";
    for (unsigned i = 0; i < r->count; i++) {
        const struct prof_row *row = &r->rows[i];
        if (strcmp(last, row->workload) != 0)
            fprintf(f, "\nworkload %s:", row->workload);   /* names hold no < & or " */
        fprintf(f, " %s %.2f (%.2f..%.2f)", prof_strategy_name(row->strategy), row->median,
                row->min, row->max);
        last = row->workload;
    }
    fprintf(f, "</desc>");
    fwrite(buf + head, 1, len - head, f);
    free(buf);
    return fclose(f);
}

/* The layout, measured with a scratch surface's fonts. */
static void measure_layout(const struct prof_result *r, struct layout *L)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(s);
    layout(cr, r, L);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

int prof_chart_trace(const struct prof_result *r, struct prof_chart_trace *t)
{
    struct layout L;
    measure_layout(r, &L);
    memset(t, 0, sizeof *t);
    t->width = ceil(L.width);
    t->height = ceil(L.height);
    cairo_rectangle_t extent = { 0, 0, t->width, t->height };
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &extent);
    struct pen p = { cairo_create(s), t };
    draw(&p, r, &L);
    cairo_status_t st = cairo_status(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

int prof_draw_chart(const struct prof_result *r, const char *path, const char *tmp,
                    struct aot_err *err)
{
    size_t n = strlen(path);
    int png = n > 4 && strcmp(path + n - 4, ".png") == 0;
    if (!png && !(n > 4 && strcmp(path + n - 4, ".svg") == 0)) {
        return aot_fail(err, "%s: the chart's name must end in .svg or .png", path);
    }
    struct layout L;
    measure_layout(r, &L);
    double w = ceil(L.width), h = ceil(L.height);
    cairo_surface_t *s = prof_surface_create(png, tmp, w, h);
    struct pen p = { cairo_create(s), NULL };
    draw(&p, r, &L);
    cairo_status_t st = prof_surface_close(p.cr, s, png, tmp);
    if (st == CAIRO_STATUS_SUCCESS && !png && svg_add_text(r, tmp) != 0)
        st = CAIRO_STATUS_WRITE_ERROR;
    if (st != CAIRO_STATUS_SUCCESS) {
        return aot_fail(err, "%s: %s", path, cairo_status_to_string(st));
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
/* SPDX-License-Identifier: GPL-2.0-only */
