/* vi-series-heatmap.c — heat map series: model and drawing
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

ViSeries *
vi_panel_add_heatmap (ViPanel      *panel,
                      const char   *name,
                      const double *z,
                      gsize         rows,
                      gsize         cols,
                      ViColormap    map)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, VI_SERIES_HEATMAP, name);
  s->map = map;
  if (z == NULL || rows == 0 || cols == 0 || rows > G_MAXSIZE / cols / sizeof (double))
    return s;
  s->rows = rows;
  s->cols = cols;
  s->z = g_memdup2 (z, rows * cols * sizeof (double));
  vi_series_set_value_range (s, z, rows * cols);
  vi_range_add (&s->bx, -0.5);
  vi_range_add (&s->bx, cols - 0.5);
  vi_range_add (&s->by, -0.5);
  vi_range_add (&s->by, rows - 0.5);
  return s;
}

void
vi_series_set_heatmap_labels (ViSeries          *s,
                              const char *const *row_labels,
                              const char *const *col_labels)
{
  g_return_if_fail (s != NULL);
  vi_set_strv (&s->row_labels, row_labels);
  vi_set_strv (&s->col_labels, col_labels);
}

static cairo_surface_t *
heatmap_surface (ViSeries *s)
{
  guint32 *data;
  int stride;
  cairo_surface_t *img = vi_image_surface_new (CAIRO_FORMAT_ARGB32, s->cols, s->rows, &data,
                                               &stride);
  double span = s->vmax - s->vmin;

  if (data == NULL)
    return img;
  for (gsize r = 0; r < s->rows; r++)
    for (gsize k = 0; k < s->cols; k++)
      {
        double v = s->z[r * s->cols + k];
        ViColor c;

        if (!isfinite (v))
          {
            data[r * stride + k] = 0;
            continue;
          }
        c = vi_colormap_get (s->map, span > 0 ? (v - s->vmin) / span : 0.5);
        data[r * stride + k] = vi_pixel_rgb (c.r, c.g, c.b);
      }
  cairo_surface_mark_dirty (img);
  return img;
}

void
vi_draw_heatmap_series (ViDrawCtx     *ctx,
                        const ViXform *xf,
                        ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  cairo_surface_t *img;
  cairo_pattern_t *pat;
  double x0, y0, dx, dy;

  if (s->z == NULL || s->rows > 32767 || s->cols > 32767
      || xf->scale[0] == VI_SCALE_LOG10 || xf->scale[1] == VI_SCALE_LOG10)
    return;
  if (ctx->for_mask)
    {
      cairo_rectangle (cr, xf->ax, xf->ay, xf->aw, xf->ah);
      cairo_fill (cr);
      return;
    }
  x0 = vi_xf_x (xf, -0.5);
  y0 = vi_xf_y (xf, -0.5);
  dx = vi_xf_x (xf, 0.5) - x0;
  dy = vi_xf_y (xf, 0.5) - y0;
  if (!isfinite (x0 + y0 + dx + dy) || dx == 0 || dy == 0)
    return;
  img = heatmap_surface (s);
  cairo_save (cr);
  cairo_translate (cr, x0, y0);
  cairo_scale (cr, dx, dy);
  cairo_set_source_surface (cr, img, 0, 0);
  pat = cairo_get_source (cr);
  cairo_pattern_set_filter (pat, CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (pat, CAIRO_EXTEND_NONE);
  cairo_rectangle (cr, 0, 0, (double) s->cols, (double) s->rows);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}
