/* vi-series-bars.c — bar and histogram series: model and drawing
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

ViSeries *
vi_panel_add_bars (ViPanel      *panel,
                   const char   *name,
                   const double *height,
                   const double *error,
                   gsize         n)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, VI_SERIES_BARS, name);
  if (height == NULL)
    return s;
  for (gsize i = 0; i < n; i++)
    {
      double xi = (double) i;

      g_array_append_val (s->x, xi);
      g_array_append_val (s->y, height[i]);
      vi_range_add (&s->bx, xi - 0.5);
      vi_range_add (&s->bx, xi + 0.5);
      vi_range_add (&s->by, height[i]);
      if (error != NULL)
        {
          double e = fabs (error[i]);

          g_array_append_val (s->y2, e);
          if (isfinite (e))
            {
              vi_range_add (&s->by, height[i] + e);
              if (height[i] - e > 0 || panel->scale[VI_AXIS_Y] != VI_SCALE_LOG10)
                vi_range_add (&s->by, height[i] - e);
            }
        }
    }
  return s;
}

ViSeries *
vi_panel_add_histogram (ViPanel      *panel,
                        const char   *name,
                        const double *edges,
                        const double *counts,
                        gsize         n_bins)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, VI_SERIES_HISTOGRAM, name);
  s->alpha = 0.6;
  if (edges == NULL || counts == NULL || n_bins == 0)
    return s;
  g_array_append_vals (s->x, edges, n_bins + 1);
  g_array_append_vals (s->y, counts, n_bins);
  for (gsize i = 0; i <= n_bins; i++)
    vi_range_add (&s->bx, edges[i]);
  for (gsize i = 0; i < n_bins; i++)
    vi_range_add (&s->by, counts[i]);
  return s;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

ViSeries *
vi_panel_add_histogram_of (ViPanel      *panel,
                           const char   *name,
                           const double *samples,
                           gsize         n,
                           guint         n_bins,
                           gboolean      density)
{
  g_autofree double *v = NULL;
  g_autofree double *edges = NULL;
  g_autofree double *counts = NULL;
  gsize m = 0;
  double lo, hi, width;

  g_return_val_if_fail (panel != NULL, NULL);
  if (samples != NULL)
    v = g_new (double, MAX (n, 1));
  for (gsize i = 0; samples != NULL && i < n; i++)
    if (isfinite (samples[i]))
      v[m++] = samples[i];
  if (m == 0)
    return vi_panel_add_histogram (panel, name, NULL, NULL, 0);
  qsort (v, m, sizeof (double), cmp_double);
  lo = v[0];
  hi = v[m - 1];
  if (n_bins == 0)
    {
      /* Freedman–Diaconis: h = 2·IQR·m^(−1/3). */
      double iqr = v[(3 * m) / 4] - v[m / 4];
      double h = 2 * iqr / cbrt ((double) m);

      n_bins = h > 0 ? (guint) CLAMP (ceil ((hi - lo) / h), 1, 200) : 1;
    }
  n_bins = CLAMP (n_bins, 1, 10000);
  if (hi <= lo)
    {
      lo -= 0.5;
      hi += 0.5;
    }
  width = (hi - lo) / n_bins;
  edges = g_new (double, n_bins + 1);
  counts = g_new0 (double, n_bins);
  for (guint b = 0; b <= n_bins; b++)
    edges[b] = lo + b * width;
  edges[n_bins] = hi;
  for (gsize i = 0; i < m; i++)
    {
      gssize b = (gssize) floor ((v[i] - lo) / width);

      counts[CLAMP (b, 0, (gssize) n_bins - 1)] += 1;
    }
  if (density)
    for (guint b = 0; b < n_bins; b++)
      counts[b] /= (double) m * width;
  return vi_panel_add_histogram (panel, name, edges, counts, n_bins);
}

double
vi_bar_base (const ViXform *xf)
{
  if (xf->scale[1] == VI_SCALE_LOG10)
    return xf->ay + xf->ah;
  return vi_clampc (vi_xf_y (xf, 0));
}

void
vi_draw_bars_series (ViDrawCtx     *ctx,
                     const ViXform *xf,
                     ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  guint slot = 0, groups = vi_panel_bar_groups (s->panel, s, &slot);
  double total = 0.8, w = total / MAX (groups, 1);
  ViColor fg = ctx->tc->foreground;
  double base = vi_bar_base (xf);

  if (ctx->for_mask)
    fg.a = 1;
  vi_series_begin (ctx, s, FALSE);
  for (guint i = 0; i < s->y->len; i++)
    {
      double h = g_array_index (s->y, double, i);
      double xl = i - total / 2 + w * slot, x0, x1, y1;

      if (!vi_valid_point (xf, 1, h))
        continue;
      x0 = vi_clampc (vi_xf_x (xf, xl + 0.04 * w));
      x1 = vi_clampc (vi_xf_x (xf, xl + 0.96 * w));
      y1 = vi_clampc (vi_xf_y (xf, h));
      cairo_rectangle (cr, MIN (x0, x1), MIN (base, y1), fabs (x1 - x0), fabs (y1 - base));
    }
  cairo_fill (cr);
  if (s->y2->len == s->y->len)
    {
      vi_set_color (cr, &fg);
      cairo_set_line_width (cr, 1.0);
      for (guint i = 0; i < s->y->len; i++)
        {
          double h = g_array_index (s->y, double, i);
          double e = g_array_index (s->y2, double, i);
          double xc = vi_clampc (vi_xf_x (xf, i - total / 2 + w * (slot + 0.5)));
          double cap = fabs (vi_xf_x (xf, w * 0.15) - vi_xf_x (xf, 0));
          double ylo = h - e, yhi = h + e, py0, py1;

          if (!isfinite (h) || !isfinite (e) || e == 0)
            continue;
          if (xf->scale[1] == VI_SCALE_LOG10)
            {
              if (yhi <= 0)
                continue;
              py0 = ylo > 0 ? vi_xf_y (xf, ylo) : xf->ay + xf->ah;
            }
          else
            py0 = vi_xf_y (xf, ylo);
          py0 = vi_clampc (py0);
          py1 = vi_clampc (vi_xf_y (xf, yhi));
          cairo_move_to (cr, xc, py0);
          cairo_line_to (cr, xc, py1);
          cairo_move_to (cr, xc - cap, py0);
          cairo_line_to (cr, xc + cap, py0);
          cairo_move_to (cr, xc - cap, py1);
          cairo_line_to (cr, xc + cap, py1);
        }
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

void
vi_draw_histogram_series (ViDrawCtx     *ctx,
                          const ViXform *xf,
                          ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  const double *e, *h;
  gsize n = vi_series_columns (s, &e, &h);
  double base = vi_bar_base (xf);
  ViColor edge;
  ViPoly pl;

  if (n == 0)
    return;
  edge = vi_series_begin (ctx, s, FALSE);
  for (gsize i = 0; i < n; i++)
    {
      double x0, x1, y1;

      if (!vi_valid_point (xf, e[i], h[i]) || !vi_valid_point (xf, e[i + 1], h[i]))
        continue;
      x0 = vi_clampc (vi_xf_x (xf, e[i]));
      x1 = vi_clampc (vi_xf_x (xf, e[i + 1]));
      y1 = vi_clampc (vi_xf_y (xf, h[i]));
      cairo_rectangle (cr, MIN (x0, x1), MIN (base, y1), fabs (x1 - x0), fabs (y1 - base));
    }
  cairo_fill (cr);
  /* Outline: the histogram's step contour at full opacity. */
  edge.a = MIN (1, s->alpha / 0.6) * (s->has_color ? s->color.a : 1);
  vi_set_color (cr, &edge);
  cairo_set_line_width (cr, 1.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  vi_poly_init (&pl, cr, xf);
  for (gsize i = 0; i < n; i++)
    {
      double x0, x1;

      if (!vi_valid_point (xf, e[i], h[i]) || !vi_valid_point (xf, e[i + 1], h[i]))
        {
          vi_poly_break (&pl);
          continue;
        }
      x0 = vi_xf_x (xf, e[i]);
      x1 = vi_xf_x (xf, e[i + 1]);
      if (!pl.have_prev)
        vi_poly_point (&pl, x0, base);
      vi_poly_point (&pl, x0, vi_xf_y (xf, h[i]));
      vi_poly_point (&pl, x1, vi_xf_y (xf, h[i]));
      if (i + 1 == n || !vi_valid_point (xf, e[i + 1], h[i + 1]))
        vi_poly_point (&pl, x1, base);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}
