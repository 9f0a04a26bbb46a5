/* vi-series-mask.c — a line series written straight into the legend mask
 *
 * The legend mask (vi_layout_build_mask()) is a quarter-resolution A8
 * image of where the data is. A live plot rebuilds it every frame, and
 * stroking each line into it with cairo was over half of a frame's figure
 * work once a page kept a few earlier runs (LDA's soak: 8 kept runs of
 * three algorithms, dashed and translucent, every frame). A mask cell only
 * needs to know whether a line passes through it, so a line is walked
 * segment by segment in steps of a quarter cell and every cell within half
 * its width of the path is set: the same cells cairo's antialiased stroke
 * inks past the mask's threshold, give or take an edge cell
 * (/plot/mask/line-matches-cairo).
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

typedef struct
{
  guint8        *data;
  int            stride, w, h;
  cairo_matrix_t m;        /* user space → mask cells */
  double         r;        /* half the line width, in cells */
  gboolean       have;     /* a previous point to join */
  double         px, py;
} MaskPen;

static void
mask_dot (MaskPen *mp,
          double   x,
          double   y)
{
  int x0 = (int) floor (x - mp->r), x1 = (int) floor (x + mp->r);
  int y0 = (int) floor (y - mp->r), y1 = (int) floor (y + mp->r);

  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, mp->w - 1);
  y1 = MIN (y1, mp->h - 1);
  for (int yy = y0; yy <= y1; yy++)
    for (int xx = x0; xx <= x1; xx++)
      mp->data[(gsize) yy * mp->stride + xx] = 255;
}

/* Clips the segment to the mask grown by the pen (Liang–Barsky); FALSE
 * when nothing of it is inside. */
static gboolean
clip_segment (const MaskPen *mp,
              double        *x0,
              double        *y0,
              double        *x1,
              double        *y1)
{
  double lo[2] = { -mp->r - 1, -mp->r - 1 };
  double hi[2] = { mp->w + mp->r + 1, mp->h + mp->r + 1 };
  double p0[2] = { *x0, *y0 }, d[2] = { *x1 - *x0, *y1 - *y0 };
  double t0 = 0, t1 = 1;

  for (int k = 0; k < 2; k++)
    {
      if (d[k] == 0)
        {
          if (p0[k] < lo[k] || p0[k] > hi[k])
            return FALSE;
          continue;
        }
      double ta = (lo[k] - p0[k]) / d[k], tb = (hi[k] - p0[k]) / d[k];

      t0 = MAX (t0, MIN (ta, tb));
      t1 = MIN (t1, MAX (ta, tb));
    }
  if (t0 > t1)
    return FALSE;
  *x0 = p0[0] + t0 * d[0];
  *y0 = p0[1] + t0 * d[1];
  *x1 = p0[0] + t1 * d[0];
  *y1 = p0[1] + t1 * d[1];
  return TRUE;
}

static void
mask_to (MaskPen *mp,
         double   ux,
         double   uy)
{
  double x = ux, y = uy;

  cairo_matrix_transform_point (&mp->m, &x, &y);
  if (mp->have)
    {
      double x0 = mp->px, y0 = mp->py, x1 = x, y1 = y;

      if (clip_segment (mp, &x0, &y0, &x1, &y1))
        {
          double len = MAX (fabs (x1 - x0), fabs (y1 - y0));
          gsize steps = (gsize) ceil (len * 4);

          for (gsize i = 0; i <= steps; i++)
            {
              double t = steps > 0 ? (double) i / steps : 0;

              mask_dot (mp, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            }
        }
    }
  else if (x > -mp->r - 1 && y > -mp->r - 1 && x < mp->w + mp->r + 1 && y < mp->h + mp->r + 1)
    mask_dot (mp, x, y);
  mp->have = TRUE;
  mp->px = x;
  mp->py = y;
}

static void
mask_raw (MaskPen       *mp,
          const ViXform *xf,
          const double  *x,
          const double  *y,
          gsize          a,
          gsize          b)
{
  for (gsize i = a; i < b; i++)
    {
      if (!vi_valid_point (xf, x[i], y[i]))
        mp->have = FALSE;
      else
        mask_to (mp, vi_clampc (vi_xf_x (xf, x[i])), vi_clampc (vi_xf_y (xf, y[i])));
    }
}

/* Columns of many points, one a mask cell wide: their min–max span at the
 * cell's centre, joined to the neighbours through their first and last
 * points, as draw_decimated() draws them. */
static void
mask_columns (MaskPen       *mp,
              const ViXform *xf,
              ViSeries      *s,
              const double  *x,
              const double  *y)
{
  gboolean logy = xf->scale[1] == VI_SCALE_LOG10;
  gsize n = s->x->len, ncol = (gsize) mp->w, nc, i0;
  g_autofree double *edges = g_new (double, ncol + 1);
  g_autofree ViColumn *cols = g_new (ViColumn, ncol);
  g_autofree gsize *col_of = g_new (gsize, ncol);

  /* Cell c spans user x from (c - x0) / xx: no rotation in the mask. */
  for (gsize c = 0; c <= ncol; c++)
    edges[c] = vi_axis_untransform (xf->scale[0],
                                    vi_xf_inverse_x (xf, ((double) c - mp->m.x0) / mp->m.xx));
  nc = vi_decimate_columns (s->pyramid, x, y, n, edges, ncol, cols, col_of);
  i0 = vi_lower_bound (x, n, edges[0]);
  if (i0 > 0)
    mask_raw (mp, xf, x, y, i0 - 1, i0);
  for (gsize k = 0; k < nc; k++)
    {
      const ViColumn *col = &cols[k];
      gboolean gap = (col->range.flags & VI_RANGE_NONFINITE)
                     || (logy && (col->range.flags & VI_RANGE_NONPOS));
      double lo = logy ? col->range.minpos : col->range.min, hi = col->range.max;
      double cx = ((double) col_of[k] + 0.5 - mp->m.x0) / mp->m.xx;

      if (col->last - col->first < 8 || gap || !(lo <= hi))
        {
          mask_raw (mp, xf, x, y, col->first, col->last + 1);
          continue;
        }
      /* In to the first point, the span, on from the last one. */
      mask_raw (mp, xf, x, y, col->first, col->first + 1);
      mp->have = FALSE;
      mask_to (mp, cx, vi_clampc (vi_xf_y (xf, lo)));
      mask_to (mp, cx, vi_clampc (vi_xf_y (xf, hi)));
      mp->have = FALSE;
      mask_raw (mp, xf, x, y, col->last, col->last + 1);
    }
  i0 = nc > 0 ? cols[nc - 1].last + 1 : i0;
  if (i0 < n)
    mask_raw (mp, xf, x, y, i0, i0 + 1);
}

void
vi_mask_line_series (ViDrawCtx     *ctx,
                     const ViXform *xf,
                     ViSeries      *s,
                     gsize          a,
                     gsize          b)
{
  cairo_surface_t *target = cairo_get_target (ctx->cr);
  const double *x, *y;
  double rx = s->line_width / 2, ry = 0;
  MaskPen mp = { 0 };

  vi_series_columns (s, &x, &y);

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE
      || cairo_image_surface_get_format (target) != CAIRO_FORMAT_A8)
    return;
  cairo_surface_flush (target);
  mp.data = cairo_image_surface_get_data (target);
  mp.stride = cairo_image_surface_get_stride (target);
  mp.w = cairo_image_surface_get_width (target);
  mp.h = cairo_image_surface_get_height (target);
  if (mp.data == NULL || mp.w <= 0 || mp.h <= 0)
    return;
  cairo_get_matrix (ctx->cr, &mp.m);
  cairo_matrix_transform_distance (&mp.m, &rx, &ry);
  /* A thin line still inks the cells it crosses (cairo's coverage there is
   * over the mask's threshold of 16/255). */
  mp.r = MAX (hypot (rx, ry), 0.25);

  if (s->x_sorted && s->pyramid != NULL && b - a > (gsize) 4 * mp.w
      && mp.m.xx > 0 && mp.m.yx == 0 && mp.m.xy == 0)
    mask_columns (&mp, xf, s, x, y);
  else
    mask_raw (&mp, xf, x, y, a, b);
  cairo_surface_mark_dirty (target);
}
