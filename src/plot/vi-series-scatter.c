/* vi-series-scatter.c — scatter series (category or continuous colours) and the colour bar
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-draw-private.h"

ViSeries *
vi_panel_add_scatter (ViPanel      *panel,
                      const char   *name,
                      const double *x,
                      const double *y,
                      gsize         n)
{
  return vi_series_add_xy (panel, VI_SERIES_SCATTER, name, x, y, n);
}

void
vi_series_set_categories (ViSeries          *s,
                          const guint       *categories,
                          gsize              n,
                          const char *const *names)
{
  g_return_if_fail (s != NULL);
  if (s->kind != VI_SERIES_SCATTER || categories == NULL || n != s->y->len)
    return;
  g_clear_pointer (&s->values, g_free);
  g_free (s->categories);
  s->categories = g_memdup2 (categories, n * sizeof (guint));
  vi_set_strv (&s->category_names, names);
}

void
vi_series_set_values (ViSeries     *s,
                      const double *values,
                      gsize         n,
                      ViColormap    map,
                      const char   *label)
{
  g_return_if_fail (s != NULL);
  if (s->kind != VI_SERIES_SCATTER || values == NULL || n != s->y->len)
    return;
  g_clear_pointer (&s->categories, g_free);
  g_free (s->values);
  s->values = g_memdup2 (values, n * sizeof (double));
  s->map = map;
  vi_series_set_value_range (s, values, n);
  vi_series_set_colorbar_label (s, label);
}

#define N_VALUE_BUCKETS 255

/* Fast scatter markers on an image surface: one antialiased coverage stamp
 * of the marker, blended straight into the pixels at each point (rounded to
 * the device pixel). Vector targets keep real paths. */
typedef struct
{
  guint32 *pixels;
  int      stride;        /* in pixels */
  int      cx0, cy0, cx1, cy1;   /* device clip, half-open */
  guint8  *stamp;
  int      size;
  double   sx, sy, tx, ty;       /* user → device: d = s·u + t */
} Blitter;

static gboolean
blitter_init (Blitter       *b,
              cairo_t       *cr,
              const ViXform *xf,
              ViMarker       marker,
              double         size,
              double         line_width)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_surface_t *st;
  cairo_matrix_t m;
  cairo_t *scr;
  cairo_format_t fmt;
  double x0, y0, x1, y1;
  int W, H, sst;
  guint8 *sdata;

  memset (b, 0, sizeof *b);
  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;
  fmt = cairo_image_surface_get_format (target);
  if (fmt != CAIRO_FORMAT_ARGB32 && fmt != CAIRO_FORMAT_RGB24)
    return FALSE;
  cairo_get_matrix (cr, &m);
  if (m.xy != 0 || m.yx != 0 || m.xx <= 0 || m.yy <= 0)
    return FALSE;
  {
    /* Pixels = device scale · CTM · user + device offset (the CTM has
     * neither; HiDPI widgets and pushed groups set them). */
    double ox = 0, oy = 0, dsx = 1, dsy = 1;

    cairo_surface_get_device_offset (target, &ox, &oy);
    cairo_surface_get_device_scale (target, &dsx, &dsy);
    m.xx *= dsx;
    m.x0 = m.x0 * dsx + ox;
    m.yy *= dsy;
    m.y0 = m.y0 * dsy + oy;
  }
  b->sx = m.xx, b->sy = m.yy, b->tx = m.x0, b->ty = m.y0;
  W = cairo_image_surface_get_width (target);
  H = cairo_image_surface_get_height (target);
  /* The current clip (plot area ∩ whatever the caller clipped to), as a
   * box: exact for the rectangular clips used here and by widgets. */
  cairo_clip_extents (cr, &x0, &y0, &x1, &y1);
  x0 = MAX (x0, xf->ax);
  y0 = MAX (y0, xf->ay);
  x1 = MIN (x1, xf->ax + xf->aw);
  y1 = MIN (y1, xf->ay + xf->ah);
  x0 = b->sx * x0 + b->tx;
  y0 = b->sy * y0 + b->ty;
  x1 = b->sx * x1 + b->tx;
  y1 = b->sy * y1 + b->ty;
  b->cx0 = CLAMP ((int) floor (x0), 0, W);
  b->cy0 = CLAMP ((int) floor (y0), 0, H);
  b->cx1 = CLAMP ((int) ceil (x1), 0, W);
  b->cy1 = CLAMP ((int) ceil (y1), 0, H);
  b->size = (int) ceil (size * MAX (b->sx, b->sy)) + 3;
  if (b->size > 64)
    return FALSE;

  st = cairo_image_surface_create (CAIRO_FORMAT_A8, b->size, b->size);
  scr = cairo_create (st);
  cairo_translate (scr, b->size / 2.0, b->size / 2.0);
  cairo_scale (scr, b->sx, b->sy);
  vi_marker_path (scr, marker, 0, 0, size);
  vi_marker_paint (scr, marker, line_width);
  cairo_destroy (scr);
  cairo_surface_flush (st);
  sdata = cairo_image_surface_get_data (st);
  sst = cairo_image_surface_get_stride (st);
  b->stamp = g_new (guint8, b->size * b->size);
  for (int r = 0; r < b->size; r++)
    memcpy (b->stamp + r * b->size, sdata + r * sst, b->size);
  cairo_surface_destroy (st);

  cairo_surface_flush (target);
  b->pixels = (guint32 *) cairo_image_surface_get_data (target);
  b->stride = cairo_image_surface_get_stride (target) / 4;
  return b->pixels != NULL;
}

static void
blitter_finish (Blitter *b,
                cairo_t *cr)
{
  if (b->pixels != NULL)
    cairo_surface_mark_dirty (cairo_get_target (cr));
  g_free (b->stamp);
}

static inline void
blit (Blitter       *b,
      double         ux,
      double         uy,
      const ViColor *c)
{
  int x0 = (int) lround (b->sx * ux + b->tx) - b->size / 2;
  int y0 = (int) lround (b->sy * uy + b->ty) - b->size / 2;
  int i0 = MAX (0, b->cx0 - x0), j0 = MAX (0, b->cy0 - y0);
  int i1 = MIN (b->size, b->cx1 - x0), j1 = MIN (b->size, b->cy1 - y0);
  /* Premultiplied source, 0…255 fixed point. */
  guint32 a = (guint32) lround (c->a * 255);
  guint32 r = (guint32) lround (c->r * c->a * 255);
  guint32 g = (guint32) lround (c->g * c->a * 255);
  guint32 bl = (guint32) lround (c->b * c->a * 255);

  for (int j = j0; j < j1; j++)
    {
      guint32 *row = b->pixels + (gsize) (y0 + j) * b->stride + x0;
      const guint8 *cov = b->stamp + j * b->size;

      for (int i = i0; i < i1; i++)
        {
          guint32 k = cov[i], d, inv;

          if (k == 0)
            continue;
          d = row[i];
          /* out = src·k + dst·(1 − a·k), channel by channel, in 0…255. */
          inv = 255 * 255 - a * k;
          row[i] = ((((a * k) + ((d >> 24) & 0xff) * inv / 255) / 255) << 24)
                   | ((((r * k) + ((d >> 16) & 0xff) * inv / 255) / 255) << 16)
                   | ((((g * k) + ((d >> 8) & 0xff) * inv / 255) / 255) << 8)
                   | (((bl * k) + (d & 0xff) * inv / 255) / 255);
        }
    }
}

void
vi_draw_scatter_series (ViDrawCtx     *ctx,
                        const ViXform *xf,
                        ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  const double *x, *y;
  gsize n = vi_series_columns (s, &x, &y);
  g_autofree guint8 *bucket = NULL;
  g_autofree guint16 *seen = NULL;
  g_autofree gsize *order = NULL;
  gsize start[N_VALUE_BUCKETS + 2] = { 0 };
  guint n_buckets = 1;
  gsize stride = 1;
  double sx = vi_device_scale_x (cr);
  int gw = 0, gh = 0;
  double cell;
  Blitter blitter;
  gboolean blitting;

  if (n == 0)
    return;
  /* The legend mask only needs the shape of the cloud. */
  if (ctx->for_mask && n > 5000)
    stride = n / 5000;

  bucket = g_new0 (guint8, n);
  if (s->categories != NULL)
    {
      n_buckets = 8;
      for (gsize i = 0; i < n; i++)
        bucket[i] = (guint8) (s->categories[i] % 8);
    }
  else if (s->values != NULL)
    {
      double span = s->vmax - s->vmin;

      n_buckets = N_VALUE_BUCKETS + 1;   /* the last bucket holds NaN values */
      for (gsize i = 0; i < n; i++)
        {
          double t = span > 0 ? (s->values[i] - s->vmin) / span : 0.5;

          bucket[i] = isfinite (s->values[i])
                      ? (guint8) CLAMP ((int) (t * N_VALUE_BUCKETS), 0, N_VALUE_BUCKETS - 1)
                      : N_VALUE_BUCKETS;
        }
    }
  /* Counting sort of the point indices by colour: one path per colour,
   * higher values drawn last (on top). */
  for (gsize i = 0; i < n; i += stride)
    start[bucket[i] + 1]++;
  for (guint b = 0; b < n_buckets; b++)
    start[b + 1] += start[b];
  order = g_new (gsize, MAX (start[n_buckets], 1));
  {
    gsize fill[N_VALUE_BUCKETS + 2];

    memcpy (fill, start, sizeof fill);
    for (gsize i = 0; i < n; i += stride)
      order[fill[bucket[i]]++] = i;
  }

  /* Points of one colour landing in the same quarter-marker cell are drawn
   * once: a 100k-point cloud costs what its covered area costs. */
  cell = MAX (s->marker_size / 4, 1 / sx);
  if (n > 20000 && !ctx->for_mask)
    {
      gw = (int) ceil ((xf->aw + 2 * s->marker_size) / cell) + 1;
      gh = (int) ceil ((xf->ah + 2 * s->marker_size) / cell) + 1;
      if ((gsize) gw * gh <= 16 * 1024 * 1024)
        seen = g_new0 (guint16, (gsize) gw * gh);
    }

  blitting = !ctx->for_mask
             && blitter_init (&blitter, cr, xf, s->marker, s->marker_size, s->line_width);
  cairo_save (cr);
  for (guint bk = 0; bk < n_buckets; bk++)
    {
      ViColor c;
      gboolean any = FALSE;

      if (start[bk + 1] == start[bk])
        continue;
      if (s->categories != NULL)
        {
          c = vi_palette_get (ctx->theme, bk);
          c.a *= s->alpha;
        }
      else if (s->values != NULL)
        {
          c = bk == N_VALUE_BUCKETS ? vi_theme_colors (ctx->theme)->grid
                                    : vi_colormap_get (s->map, (bk + 0.5) / N_VALUE_BUCKETS);
          c.a = s->alpha;
        }
      else
        c = vi_series_resolve_color (s, ctx->theme);
      if (ctx->for_mask)
        c.a = 1;
      for (gsize k = start[bk]; k < start[bk + 1]; k++)
        {
          gsize i = order[k];
          double px, py;

          if (!vi_valid_point (xf, x[i], y[i]))
            continue;
          px = vi_xf_x (xf, x[i]);
          py = vi_xf_y (xf, y[i]);
          if (px < xf->ax - s->marker_size || px > xf->ax + xf->aw + s->marker_size
              || py < xf->ay - s->marker_size || py > xf->ay + xf->ah + s->marker_size)
            continue;
          if (seen != NULL)
            {
              int gx = (int) ((px - xf->ax + s->marker_size) / cell);
              int gy = (int) ((py - xf->ay + s->marker_size) / cell);

              if (gx >= 0 && gy >= 0 && gx < gw && gy < gh)
                {
                  guint16 *m = &seen[(gsize) gy * gw + gx];

                  if (*m == bk + 1)
                    continue;
                  *m = (guint16) (bk + 1);
                }
            }
          if (blitting)
            blit (&blitter, px, py, &c);
          else if (ctx->for_mask)
            cairo_rectangle (cr, px - s->marker_size / 2, py - s->marker_size / 2,
                             s->marker_size, s->marker_size);
          else if (c.a < 1)
            {
              /* Translucent markers darken where they overlap, as the
               * blended raster path does: one fill per marker. */
              vi_marker_path (cr, s->marker, px, py, s->marker_size);
              vi_set_color (cr, &c);
              vi_marker_paint (cr, s->marker, s->line_width);
              continue;
            }
          else
            vi_marker_path (cr, s->marker, px, py, s->marker_size);
          any = !blitting;
        }
      if (any && ctx->for_mask)
        cairo_fill (cr);
      else if (any)
        {
          vi_set_color (cr, &c);
          vi_marker_paint (cr, s->marker, s->line_width);
        }
      cairo_new_path (cr);
    }
  cairo_restore (cr);
  if (blitting)
    blitter_finish (&blitter, cr);
}

