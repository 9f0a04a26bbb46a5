/* vi-plot-cache.h — a plot view's rendered figure: kept until it changes,
 * and rasterised off the UI thread while a job runs flat out
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A change to the figure (@live: a page's rebuild, whether from a running
 * job's snapshot, the end of a run or a settings change) is drawn into a
 * cairo recording surface on the UI thread (layout, text shaping, hit-test
 * geometry) and replayed into an image on a render thread while the
 * previous image stays on screen, so stroking thousands of noisy segments
 * or eight earlier runs never holds a frame. What the user does to the
 * view (zoom, pan, size, theme) and the first picture are rendered at
 * once, and so is everything while a screenshot is taken. A recording is
 * immutable once made and cairo's font caches are locked, so the replay
 * needs nothing from the UI thread. At an unchanged size a replay draws
 * into an image an earlier one made, so a run flat out allocates no
 * image a frame (and malloc's arenas do not fragment over a long run).
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
/* While @sync (main thread), every cache renders what is current at once,
 * a change in flight included: for screenshots of the window. */
void         vi_plot_cache_set_synchronous (gboolean sync);
/* Whether a render is in flight (tests). */
gboolean     vi_plot_cache_is_rendering (ViPlotCache *cache);
/* How many images every cache together has made so far: a live refresh
 * at an unchanged size draws into one made earlier (tests). */
guint        vi_plot_cache_images_made (void);

G_END_DECLS
