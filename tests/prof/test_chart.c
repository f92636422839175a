/* cmocka: vmi-prof's strategy chart (tools/vmi-prof/prof_chart.c) on synthetic results, through
 * the trace of what it drew: the axis titles name the unit (cycles for rdtsc, the guest log's own
 * unit otherwise); no text overlaps another or leaves the image; a median under the resolution is
 * a stub of the minimum width with its value printed; every spread is a whisker; the trap sits on
 * its own panel; the PNG has the layout's size. */
#define _GNU_SOURCE
#include <cairo.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "prof_chart.h"

static struct prof_row rows[32];

static void add(struct prof_result *r, const char *w, enum prof_strategy s, double med, double lo,
                double hi)
{
    struct prof_row *row = &r->rows[r->count++];
    memset(row, 0, sizeof *row);
    snprintf(row->workload, sizeof row->workload, "%s", w);
    row->strategy = s;
    row->reps = 5;
    row->median = med;
    row->min = lo;
    row->max = hi;
}

/* Two calls and a path as a measuring run gives them: sub-resolution medians, negative minima,
 * traps two to five decades above the rest. */
static void measured(struct prof_result *r)
{
    memset(r, 0, sizeof *r);
    r->rows = rows;
    r->measured = 1;
    r->params.k = 5;
    r->params.runs = 1;
    snprintf(r->source, sizeof r->source, "user space (rdtsc), K=5, N=2000");
    add(r, "DisableInterrupts", STRAT_HAND, 0.05, -0.3, 0.1);
    add(r, "DisableInterrupts", STRAT_INLINE, -0.03, -0.7, 0.2);
    add(r, "DisableInterrupts", STRAT_CALL, 2.9, 2.8, 4.6);
    add(r, "DisableInterrupts", STRAT_INDIRECT, 3.1, 3.0, 3.2);
    add(r, "DisableInterrupts", STRAT_TRAP, 26000, 25000, 31000);
    add(r, "SetPxE", STRAT_HAND, 1.0, 0.9, 1.1);
    add(r, "SetPxE", STRAT_INLINE, 1.1, 1.0, 1.3);
    add(r, "SetPxE", STRAT_CALL, 4.2, 4.1, 4000);     /* an outlier */
    add(r, "SetPxE", STRAT_INDIRECT, 4.3, 4.2, 4.4);
    add(r, "path:lazy-mmu-fill(mode=1,flags=0)", STRAT_HAND, 480, 470, 500);
    add(r, "path:lazy-mmu-fill(mode=1,flags=0)", STRAT_INLINE, 490, 480, 520);
    add(r, "path:lazy-mmu-fill(mode=1,flags=0)", STRAT_CALL, 510, 505, 515);
    add(r, "path:lazy-mmu-fill(mode=1,flags=0)", STRAT_INDIRECT, 515, 510, 900);
    add(r, "path:lazy-mmu-fill(mode=1,flags=0)", STRAT_TRAP, 277000, 270000, 390000);
}

static void guest(struct prof_result *r)
{
    memset(r, 0, sizeof *r);
    r->rows = rows;
    snprintf(r->params.clock, sizeof r->params.clock, "host TSC ticks");
    snprintf(r->source, sizeof r->source, "guest serial log (gcc, rom found=1), best of runs, "
                                          "host TSC ticks (assumed: the log does not say how "
                                          "QEMU ran)");
    add(r, "guest:irqsave", STRAT_INLINE, 29.5, 29.5, 29.5);
    add(r, "guest:irqsave", STRAT_CALL, 168.3, 168.3, 168.3);
    rows[0].reps = rows[1].reps = 1;
}

static const struct prof_chart_text *find(const struct prof_chart_trace *t, const char *s)
{
    for (unsigned i = 0; i < t->ntext; i++)
        if (strcmp(t->text[i].s, s) == 0)
            return &t->text[i];
    return NULL;
}

static int any_contains(const struct prof_chart_trace *t, const char *s)
{
    for (unsigned i = 0; i < t->ntext; i++)
        if (strstr(t->text[i].s, s))
            return 1;
    return 0;
}

/* Every text inside the image, none over another. */
static void assert_legible(const struct prof_chart_trace *t)
{
    assert_int_equal(t->dropped, 0);
    for (unsigned i = 0; i < t->ntext; i++) {
        const struct prof_chart_text *a = &t->text[i];
        if (a->x < 0 || a->y < 0 || a->x + a->w > t->width || a->y + a->h > t->height)
            fail_msg("'%s' at %.0f,%.0f (%.0fx%.0f) leaves the %.0fx%.0f image", a->s, a->x, a->y,
                     a->w, a->h, t->width, t->height);
        for (unsigned j = i + 1; j < t->ntext; j++) {
            const struct prof_chart_text *b = &t->text[j];
            if (a->x + 0.5 < b->x + b->w && b->x + 0.5 < a->x + a->w &&
                a->y + 0.5 < b->y + b->h && b->y + 0.5 < a->y + a->h)
                fail_msg("'%s' overlaps '%s'", a->s, b->s);
        }
    }
}

static void measured_chart(void **state)
{
    (void)state;
    struct prof_result r;
    measured(&r);
    struct prof_chart_trace *t = calloc(1, sizeof *t);
    assert_non_null(t);
    assert_int_equal(prof_chart_trace(&r, t), 0);
    assert_legible(t);
    /* the axis titles and the panels' headers */
    assert_non_null(find(t, "cycles per operation (rdtsc, loop overhead subtracted), log scale"));
    assert_non_null(find(t, "cycles per operation, log scale"));
    assert_non_null(find(t, "VMI call cost by strategy, cycles per operation"));
    assert_non_null(find(t, "hand, inline, call, indirect"));
    assert_non_null(find(t, "trap (fault and emulation)"));
    assert_non_null(find(t, "workload"));
    assert_non_null(find(t, "path:lazy-mmu-fill(mode=1,flags=0)"));
    /* sub-resolution medians: stubs, their values printed */
    assert_non_null(find(t, "0.05 (-0.30..0.10, < 0.25)"));
    assert_non_null(find(t, "-0.03 (-0.70..0.20, < 0.25)"));
    /* the outlier does not stretch the axis: its whisker ends at the edge, the figure printed */
    assert_non_null(find(t, "4.20 (max 4,000)"));
    assert_int_equal(t->nbar, r.count);
    double fast_right = 0, trap_left = INFINITY, x_hand = 0, x_call = 0;
    for (unsigned i = 0; i < t->nbar; i++) {
        const struct prof_chart_bar *b = &t->bar[i];
        assert_true(b->x1 - b->x0 >= PROF_CHART_MIN_BAR - 1e-9);
        assert_int_equal(b->stub, b->value < PROF_RESOLUTION);
        assert_int_equal(b->panel, b->strategy == STRAT_TRAP);
        /* a spread is a whisker around the bar's end (or, under the axis, printed) */
        assert_true(b->wlo < b->whi || (b->stub && b->whi <= b->x0 + 1e-9));
        assert_true(b->wlo <= b->x1 + 1e-9 && (b->stub || b->x1 <= b->whi + 1e-9));
        if (b->panel == 0)
            fast_right = fmax(fast_right, fmax(b->x1, b->whi));
        else
            trap_left = fmin(trap_left, b->x0);
        if (i == 5)
            x_hand = b->x1;
        if (i == 7)
            x_call = b->x1;
    }
    assert_true(fast_right < trap_left);
    /* hand 1.0 against call 4.2: far enough apart to read (a decade is over 80 pixels) */
    assert_true(x_call - x_hand > 50);
    free(t);
}

static void guest_chart(void **state)
{
    (void)state;
    struct prof_result r;
    guest(&r);
    struct prof_chart_trace *t = calloc(1, sizeof *t);
    assert_non_null(t);
    assert_int_equal(prof_chart_trace(&r, t), 0);
    assert_legible(t);
    assert_string_equal(prof_chart_unit(&r), "host TSC ticks");
    assert_non_null(find(t, "VMI call cost by strategy, host TSC ticks per operation"));
    assert_non_null(find(t, "host TSC ticks per operation, log scale"));
    assert_false(any_contains(t, "cycles"));
    assert_false(any_contains(t, "trap"));
    assert_non_null(find(t, "29.5"));
    assert_non_null(find(t, "168.3"));
    for (unsigned i = 0; i < t->nbar; i++)
        assert_true(t->bar[i].wlo == t->bar[i].whi && !t->bar[i].stub && t->bar[i].panel == 0);
    free(t);
}

/* The PNG has the trace's size; the SVG carries the unit and the spread as text. */
static void files(void **state)
{
    (void)state;
    struct prof_result r;
    measured(&r);
    struct prof_chart_trace *t = calloc(1, sizeof *t);
    assert_non_null(t);
    assert_int_equal(prof_chart_trace(&r, t), 0);
    char dir[] = "/tmp/test-prof-chart.XXXXXX", png[64], svg[64];
    struct aot_err err;
    assert_non_null(mkdtemp(dir));
    snprintf(png, sizeof png, "%s/c.png", dir);
    snprintf(svg, sizeof svg, "%s/c.svg", dir);
    assert_int_equal(prof_draw_chart(&r, "c.png", png, &err), 0);
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), (int)t->width);
    assert_int_equal(cairo_image_surface_get_height(s), (int)t->height);
    cairo_surface_destroy(s);
    assert_int_equal(prof_draw_chart(&r, "c.svg", svg, &err), 0);
    FILE *f = fopen(svg, "r");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    assert_non_null(strstr(buf, "cycles per operation"));
    assert_non_null(strstr(buf, "trap 277000.00 (270000.00..390000.00)"));
    /* a name that is neither: refused, nothing drawn */
    assert_int_equal(prof_draw_chart(&r, "c.pdf", png, &err), -1);
    assert_non_null(strstr(err.msg, "c.pdf"));
    unlink(png);
    unlink(svg);
    rmdir(dir);
    free(t);
    prof_chart_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(measured_chart),
        cmocka_unit_test(guest_chart),
        cmocka_unit_test(files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
