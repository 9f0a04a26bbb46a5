/* vi-view.c — the views layer's shared helpers
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>

#include "vi-view.h"

void
vi_view_context_init (ViViewContext *ctx)
{
  const struct lconv *lc = localeconv ();

  g_return_if_fail (ctx != NULL);
  *ctx = (ViViewContext) {
    .theme = VI_THEME_LIGHT,
    .line_scale = 1.0,
    .relevance = 1.0,
  };
  g_strlcpy (ctx->decimal_mark,
             lc != NULL && lc->decimal_point != NULL && *lc->decimal_point != '\0'
             ? lc->decimal_point : ".", sizeof ctx->decimal_mark);
}

double
vi_view_line_width (const ViViewContext *ctx,
                    double               base)
{
  return base * (ctx->line_scale > 0 ? ctx->line_scale : 1.0);
}

void
vi_view_data_name (ViSeries   *series,
                   const char *format,
                   ...)
{
  g_autofree char *name = NULL;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);
  vi_series_set_data_name (series, name);
}

void
vi_view_style (ViSeries            *series,
               const ViViewContext *ctx,
               guint                color,
               double               alpha,
               ViDash               dash,
               double               width)
{
  vi_series_set_color_index (series, color);
  if (alpha < 1)
    vi_series_set_alpha (series, alpha);
  if (dash != VI_DASH_SOLID)
    vi_series_set_dash (series, dash);
  vi_series_set_line_width (series, vi_view_line_width (ctx, width));
}

guint
vi_view_history_color (guint slot)
{
  /* Away from the live colours (expfam: 0 histogram, 5 curve), ordered so
   * that cyclic neighbours differ in relative luminance (0.22, 0.42, 0.26,
   * 0.74, 0.29). */
  static const guint slots[] = { 3, 1, 2, 6, 4 };

  return slots[slot % G_N_ELEMENTS (slots)];
}

ViDash
vi_view_history_dash (guint slot)
{
  static const ViDash dashes[] = {
    VI_DASH_DASHED, VI_DASH_DOTTED, VI_DASH_DASH_DOT, VI_DASH_LONG_DASH,
  };

  return dashes[slot % G_N_ELEMENTS (dashes)];
}

void
vi_view_history_style (ViSeries            *series,
                       const ViViewContext *ctx,
                       guint                slot,
                       double               alpha,
                       double               width)
{
  vi_view_style (series, ctx, vi_view_history_color (slot), alpha,
                 vi_view_history_dash (slot), width);
}

ViPanel *
vi_view_begin (ViFigure            *fig,
               const ViViewContext *ctx)
{
  vi_figure_set_theme (fig, ctx->theme);
  vi_figure_set_decimal_mark (fig, ctx->decimal_mark);
  return vi_figure_get_panel (fig, 0, 0);
}

void
vi_view_panel_reset (ViPanel *panel)
{
  vi_panel_clear (panel);
  vi_panel_set_title (panel, NULL);
  vi_panel_set_categories (panel, NULL);
  vi_panel_set_legend (panel, VI_LEGEND_AUTO);
  vi_panel_set_grid (panel, TRUE);
  for (ViAxis axis = VI_AXIS_X; axis <= VI_AXIS_Y; axis++)
    {
      vi_panel_set_axis_label (panel, axis, NULL);
      vi_panel_set_scale (panel, axis, VI_SCALE_LINEAR);
      vi_panel_set_auto_range (panel, axis);
    }
}

void
vi_ema_smooth (double       *out,
               const double *y,
               gsize         n,
               double        smoothing)
{
  double a = CLAMP (smoothing, 0.0, 0.999);
  double acc = NAN;

  for (gsize i = 0; i < n; i++)
    {
      double v = y[i];

      if (!isfinite (v))
        {
          out[i] = v;
          continue;
        }
      acc = isfinite (acc) ? a * acc + (1 - a) * v : v;
      out[i] = acc;
    }
}

gboolean
vi_view_write (ViFigure        *fig,
               GOutputStream   *stream,
               ViFigureFormat   format,
               double           width,
               double           height,
               GError         **error)
{
  ViTheme theme = vi_figure_get_theme (fig);
  gboolean ok;

  if (!(width > 0 && height > 0))
    {
      width = VI_VIEW_EXPORT_WIDTH;
      height = VI_VIEW_EXPORT_HEIGHT;
    }
  /* Exports are for documents: the light theme on an opaque page. */
  vi_figure_set_theme (fig, VI_THEME_LIGHT);
  vi_figure_set_transparent (fig, FALSE);
  ok = vi_figure_write (fig, stream, format, width, height, VI_VIEW_EXPORT_SCALE, error);
  vi_figure_set_theme (fig, theme);
  return ok;
}

gboolean
vi_view_export (ViFigure    *fig,
                const char  *path,
                double       width,
                double       height,
                GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  ViTheme theme = vi_figure_get_theme (fig);
  gboolean ok;

  if (g_str_has_suffix (lower, ".csv"))
    return vi_figure_export_csv (fig, path, error);
  if (!(width > 0 && height > 0))
    {
      width = VI_VIEW_EXPORT_WIDTH;
      height = VI_VIEW_EXPORT_HEIGHT;
    }
  /* Exports are for documents: the light theme on an opaque page. */
  vi_figure_set_theme (fig, VI_THEME_LIGHT);
  vi_figure_set_transparent (fig, FALSE);
  ok = vi_figure_export (fig, path, width, height, VI_VIEW_EXPORT_SCALE, error);
  vi_figure_set_theme (fig, theme);
  return ok;
}
