/* A chart's cairo surface, for each of vmi-prof's charts (the strategy chart, the Linux phases,
 * the hottest sites): an SVG surface writes to its file as it is drawn on, a PNG one is written
 * when the drawing is closed. */
#ifndef PROF_SURFACE_H
#define PROF_SURFACE_H

#include <cairo.h>

/* A w x h surface for path: PNG when png, else SVG (written to path while drawing). */
cairo_surface_t *prof_surface_create(int png, const char *path, double w, double h);

/* Ends the drawing: cr destroyed, the PNG written to path, the surface finished and released.
 * CAIRO_STATUS_SUCCESS, or the first error. */
cairo_status_t prof_surface_close(cairo_t *cr, cairo_surface_t *s, int png, const char *path);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
