/* A chart's cairo surface: see prof_surface.h. */
#include "prof_surface.h"

#include <cairo-svg.h>

cairo_surface_t *prof_surface_create(int png, const char *path, double w, double h)
{
    return png ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h)
               : cairo_svg_surface_create(path, w, h);
}

cairo_status_t prof_surface_close(cairo_t *cr, cairo_surface_t *s, int png, const char *path)
{
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && png)
        st = cairo_surface_write_to_png(s, path);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    return st;
}
/* SPDX-License-Identifier: GPL-2.0-only */
