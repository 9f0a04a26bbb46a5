/* vi-plot-cache.h — a plot view's rendered figure: kept until it changes,
 * and rasterised off the UI thread while a job runs flat out
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figure is drawn into a cairo recording surface on the UI thread (the
 * figure's layout, text shaping and hit-test geometry happen there), and
 * replayed into an image. A change made by a live refresh (the frame
 * budget's, vi-plot-budget.h) is replayed on a worker thread while the
 * previous image stays on screen, so stroking thousands of noisy segments
 * never holds a frame; any other change (settings, zoom, size, theme, a
 * finished run) is rendered at once, so what is shown is always current
 * when nothing runs. A recording is immutable once made and cairo's font
 * caches are locked, so the replay needs nothing from the UI thread.
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-figure.h"

G_BEGIN_DECLS

typedef struct _ViPlotCache ViPlotCache;

/* (transfer full) A cache whose late renders queue a redraw of @owner
 * (weakly held). */
ViPlotCache *vi_plot_cache_new        (GtkWidget   *owner);
/* Drops the image; a render in flight finishes and is thrown away. */
void         vi_plot_cache_free       (ViPlotCache *cache);
/* The figure changed: by a live refresh (@live) or otherwise. */
void         vi_plot_cache_invalidate (ViPlotCache *cache,
                                       gboolean     live);
/* Brings the image up to date for @figure drawn @width × @height
 * (logical pixels) at @scale, already themed; returns the UI thread's
 * microseconds spent (0 when the image was current). */
gint64       vi_plot_cache_update     (ViPlotCache *cache,
                                       ViFigure    *figure,
                                       int          width,
                                       int          height,
                                       int          scale,
                                       gboolean     dark);
/* Paints the image at the origin of @cr (logical pixels); nothing
 * before the first render. */
void         vi_plot_cache_paint      (ViPlotCache *cache,
                                       cairo_t     *cr);
/* Whether a render is in flight (tests). */
gboolean     vi_plot_cache_is_rendering (ViPlotCache *cache);

G_END_DECLS
