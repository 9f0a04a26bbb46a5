/* vi-plot-view.h — a GTK widget showing a ViFigure, with crosshair, tooltip,
 * zoom, pan, export and copy
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-figure.h"
#include "vi-plot-budget.h"

G_BEGIN_DECLS

#define VI_TYPE_PLOT_VIEW (vi_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (ViPlotView, vi_plot_view, VI, PLOT_VIEW, GtkWidget)

/* Signal "legend-activated" (const char *group): a primary click on a
 * legend entry of a legend group (vi_figure_legend_group_at). */
GtkWidget  *vi_plot_view_new                (void);
/* Takes ownership of @figure (transfer full; NULL clears). */
void        vi_plot_view_set_figure         (ViPlotView  *self,
                                             ViFigure    *figure);
/* (transfer none) */
ViFigure   *vi_plot_view_get_figure         (ViPlotView  *self);
/* Call after changing the figure's series: redraws on the next frame. */
void        vi_plot_view_figure_changed     (ViPlotView  *self);
/* (transfer none) What refreshing this plot costs, for the frame budget. */
ViPlotCost *vi_plot_view_get_cost           (ViPlotView  *self);

/* EMA smoothing factor in [0, 0.99] for noisy curves (property
 * "smoothing"); the page draws the smoothed curve and the raw one faint.
 * "smoothable" shows the smoothing slider in the context menu. */
double      vi_plot_view_get_smoothing      (ViPlotView  *self);
void        vi_plot_view_set_smoothing      (ViPlotView  *self,
                                             double       smoothing);
void        vi_plot_view_set_smoothable     (ViPlotView  *self,
                                             gboolean     smoothable);

/* Presentation mode: larger fonts; pages multiply their line widths by
 * vi_plot_view_get_line_scale(). */
void        vi_plot_view_set_presentation   (ViPlotView  *self,
                                             gboolean     presenting);
double      vi_plot_view_get_line_scale     (ViPlotView  *self);

/* Monotonic time (µs) of the last click, scroll or drag, 0 if none; a page
 * exports the plot the user touched last. */
gint64      vi_plot_view_get_last_used      (ViPlotView  *self);

/* (transfer full) The text the hover tooltip shows with the pointer at
 * (@x, @y) (widget coordinates, against the last draw): the series name and
 * the point in data units (vi_hit_describe()); NULL if nothing is near. */
char       *vi_plot_view_get_tooltip_text   (ViPlotView  *self,
                                             double       x,
                                             double       y);

/* Writes the figure (light theme) to @path: PNG, SVG or PDF by extension,
 * @width × @height points, PNG at @scale pixels per point; or CSV of the
 * data when @path ends in .csv. */
gboolean    vi_plot_view_export             (ViPlotView  *self,
                                             const char  *path,
                                             double       width,
                                             double       height,
                                             double       scale,
                                             GError     **error);
/* (transfer full) The figure rendered at @width × @height points × @scale. */
GdkTexture *vi_plot_view_render_texture     (ViPlotView  *self,
                                             double       width,
                                             double       height,
                                             double       scale);
void        vi_plot_view_copy_to_clipboard  (ViPlotView  *self);
/* Opens the native file chooser for Export (PNG/SVG/PDF/CSV, size, scale). */
void        vi_plot_view_export_dialog      (ViPlotView  *self);

G_END_DECLS
