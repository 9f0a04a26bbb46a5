/* vi-series-line.c — line, step and band series: model and drawing
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

ViSeries *
vi_panel_add_line (ViPanel      *panel,
                   const char   *name,
                   const double *x,
                   const double *y,
                   gsize         n)
{
  return vi_series_add_xy (panel, VI_SERIES_LINE, name, x, y, n);
}

ViSeries *
vi_panel_add_step (ViPanel      *panel,
                   const char   *name,
                   const double *x,
                   const double *y,
                   gsize         n)
{
  return vi_series_add_xy (panel, VI_SERIES_STEP, name, x, y, n);
}

/* Appends @n band points (x NULL: continue the index), keeping the bounds. */
static void
push_band (ViSeries     *s,
           const double *x,
           const double *lower,
           const double *upper,
           gsize         n)
{
  if (lower == NULL || upper == NULL)
    return;
  for (gsize i = 0; i < n; i++)
    {
      double xi = x != NULL ? x[i] : (double) s->x->len;

      g_array_append_val (s->x, xi);
      g_array_append_val (s->y, lower[i]);
      g_array_append_val (s->y2, upper[i]);
      vi_range_add (&s->bx, xi);
      vi_range_add (&s->by, lower[i]);
      vi_range_add (&s->by, upper[i]);
    }
}

ViSeries *
vi_panel_add_band (ViPanel      *panel,
                   const char   *name,
                   const double *x,
                   const double *lower,
                   const double *upper,
                   gsize         n)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, VI_SERIES_BAND, name);
  push_band (s, x, lower, upper, n);
  return s;
}

void
vi_series_append_band (ViSeries     *s,
                       const double *x,
                       const double *lower,
                       const double *upper,
                       gsize         n)
{
  g_return_if_fail (s != NULL);
  if (s->kind == VI_SERIES_BAND)
    push_band (s, x, lower, upper, n);
}

/* Draws points [a, b) of a line through the polyline builder. */
static void
line_raw (const ViXform *xf,
          ViPoly        *pl,
          const double  *x,
          const double  *y,
          gsize          a,
          gsize          b)
{
  for (gsize i = a; i < b; i++)
    {
      if (!vi_valid_point (xf, x[i], y[i]))
        vi_poly_break (pl);
      else
        vi_poly_point (pl, vi_xf_x (xf, x[i]), vi_xf_y (xf, y[i]));
    }
}

/* Index range [*a, *b) of the points of a sorted series inside the x range,
 * plus one neighbour on each side so the line runs to the edges. */
static void
visible_range (ViSeries      *s,
               const ViXform *xf,
               gsize         *a,
               gsize         *b,
               double        *e0,
               double        *e1)
{
  const double *x = (const double *) s->x->data;
  gsize n = s->x->len;
  double lo = vi_axis_untransform (xf->scale[0], MIN (xf->tlo[0], xf->thi[0]));
  double hi = vi_axis_untransform (xf->scale[0], MAX (xf->tlo[0], xf->thi[0]));

  *e0 = lo;
  *e1 = hi;
  *a = vi_lower_bound (x, n, lo);
  *b = vi_lower_bound (x, n, nextafter (hi, INFINITY));
}

/* The markers of a line or step series at its valid points [a, b), when it
 * has markers and at most 5000 points there; points past the coordinate
 * limit are far outside the plot and get none. */
static void
draw_markers (cairo_t        *cr,
              const ViXform  *xf,
              const ViSeries *s,
              const double   *x,
              const double   *y,
              gsize           a,
              gsize           b)
{
  if (s->marker == VI_MARKER_NONE || b - a > 5000)
    return;
  for (gsize i = a; i < b; i++)
    if (vi_valid_point (xf, x[i], y[i]))
      {
        double px = vi_xf_x (xf, x[i]), py = vi_xf_y (xf, y[i]);

        if (fabs (px) < VI_COORD_LIMIT && fabs (py) < VI_COORD_LIMIT)
          vi_marker_path (cr, s->marker, px, py, s->marker_size);
      }
  vi_marker_paint (cr, s->marker, s->line_width);
}

/* One column of a min–max envelope: its index, top and bottom (user units). */
typedef struct
{
  gsize  col;
  double top, bottom;
} EnvColumn;

/* Adds y[@i] to @r when it is a drawable value (positive on a log axis). */
static void
range_add_valid (ViRange       *r,
                 const double  *y,
                 gsize          i,
                 gboolean       logy)
{
  if (isfinite (y[i]) && (!logy || y[i] > 0))
    vi_range_add (r, y[i]);
}

/* Adds to @cr's path the envelope run @run[0 .. n) of adjacent columns:
 * the union of one box a column, as wide as the device-pixel column and as
 * tall as its points, and @hw (half the line width) more each way — what
 * a stroke of the points covers, to within the corners' rounding. The
 * union goes as boxes that do not overlap (two a column: where a box
 * meets its neighbours' margins, it takes the tallest), which cost the
 * compositor almost nothing; a polygon through noise would cost its
 * height in every column. */
static void
envelope_boxes (cairo_t         *cr,
                const ViXform   *xf,
                double           sx,
                const EnvColumn *run,
                gsize            n,
                double           hw)
{
  double x0 = xf->ax + run[0].col / sx;
  gsize lo = 0, hi = 0, i = 0, j = 0;
  double p = x0 - hw;
  double box[4] = { p, p, 0, 0 };   /* left, right, top, bottom: boxes of one
                                     * height are merged */

  /* Breakpoints: the boxes' left edges L_k = x0 + k/sx − hw and right
   * edges R_k = x0 + (k+1)/sx + hw, merged; between two, the boxes
   * lo … hi cover. */
  while (j < n)
    {
      double l = i < n ? x0 + i / sx - hw : G_MAXDOUBLE;
      double r = x0 + (j + 1) / sx + hw;
      double q = MIN (l, r);

      if (q > p && lo <= hi)
        {
          double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;

          for (gsize k = lo; k <= hi; k++)
            {
              top = MIN (top, run[k].top);
              bottom = MAX (bottom, run[k].bottom);
            }
          if (top != box[2] || bottom != box[3])
            {
              if (box[1] > box[0])
                cairo_rectangle (cr, box[0], box[2] - hw, box[1] - box[0],
                                 box[3] - box[2] + 2 * hw);
              box[0] = p;
              box[2] = top;
              box[3] = bottom;
            }
          box[1] = q;
        }
      p = MAX (p, q);
      if (l <= r)
        hi = i++;
      else
        lo = ++j;
    }
  if (box[1] > box[0])
    cairo_rectangle (cr, box[0], box[2] - hw, box[1] - box[0], box[3] - box[2] + 2 * hw);
}

/* Where an envelope run ended, the polyline goes on from @pend. */
static void
flush_pending (ViPoly       *pl,
               gboolean     *pending,
               const double *pend)
{
  if (*pending)
    vi_poly_point (pl, pend[0], pend[1]);
  *pending = FALSE;
}

/* Draws points [a, b) of a sorted line series with more than 4 points per
 * device-pixel column, from the min/max pyramid, in O(columns).
 *
 * Each column of 8+ points and no gap joins a min–max envelope: per run
 * of adjacent such columns, the boxes of envelope_boxes() in one fill.
 * The polyline runs into a run's first point and on from its last, and
 * draws the sparse columns and those with gaps (a non-finite value breaks
 * the line; on a log axis a non-positive one) as before. A zig-zag
 * polyline through noisy columns cost its stroke's full height in every
 * column (30+ ms for 10^6 noisy points, over 100 ms at 2×). Every pixel
 * the plain polyline inks darker than half is inked, and none lies more
 * than a pixel from one it inks (/plot/decimate/envelope-*).
 *
 * A dashed line (@dashed) keeps the two-vertex polyline through its
 * columns up to two line widths tall, so a dense but smooth dashed line
 * still shows dashes; taller columns of 2+ points go into the (solid)
 * envelope, since a dash pattern along a zig-zag through them was a solid
 * smear already, and cost a dash per period of its length (dashes_show()). */
static void
draw_decimated (ViDrawCtx     *ctx,
                const ViXform *xf,
                ViSeries      *s,
                ViPoly        *pl,
                double         sx,
                gsize          ncol,
                gboolean       dashed)
{
  cairo_t *cr = ctx->cr;
  const double *x, *y;
  gsize n = vi_series_columns (s, &x, &y), nc, i0, i1;
  gboolean logy = xf->scale[1] == VI_SCALE_LOG10;
  g_autofree double *edges = g_new (double, ncol + 1);
  g_autofree ViColumn *cols = g_new (ViColumn, ncol);
  g_autofree gsize *col_of = g_new (gsize, ncol);
  g_autoptr(GArray) env = g_array_new (FALSE, FALSE, sizeof (EnvColumn));
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (gsize));
  gboolean pending = FALSE;
  double pend[2] = { 0, 0 };

  for (gsize c2 = 0; c2 <= ncol; c2++)
    edges[c2] = vi_axis_untransform (xf->scale[0],
                                     xf->tlo[0] + (xf->thi[0] - xf->tlo[0]) * (double) c2 / ncol);
  nc = vi_decimate_columns (s->pyramid, x, y, n, edges, ncol, cols, col_of);
  /* Round joins on thousands of tiny segments cost more than the rest of
   * the figure and look the same as bevels. */
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  i0 = vi_lower_bound (x, n, edges[0]);
  if (i0 > 0)
    line_raw (xf, pl, x, y, i0 - 1, i0);
  for (gsize k = 0; k < nc; k++)
    {
      ViColumn *col = &cols[k];
      double cx = xf->ax + (col_of[k] + 0.5) / sx;
      double lo = logy ? col->range.minpos : col->range.min;
      double hi = col->range.max;
      double ylo = vi_xf_y (xf, lo), yhi = vi_xf_y (xf, hi);
      gboolean gap = (col->range.flags & VI_RANGE_NONFINITE)
                     || (logy && (col->range.flags & VI_RANGE_NONPOS));

      if (col->last - col->first < (dashed ? 2 : 8) || gap)
        {
          flush_pending (pl, &pending, pend);
          if (col->last - col->first < 64)
            {
              line_raw (xf, pl, x, y, col->first, col->last + 1);
              continue;
            }
          /* Many points with a gap: the column's extent, isolated. */
          line_raw (xf, pl, x, y, col->first, col->first + 1);
          vi_poly_break (pl);
          if (lo <= hi)
            {
              vi_poly_point (pl, cx, ylo);
              vi_poly_point (pl, cx, yhi);
            }
          vi_poly_break (pl);
          line_raw (xf, pl, x, y, col->last, col->last + 1);
          continue;
        }
      if (!dashed || fabs (ylo - yhi) > 2 * MAX (1.0, s->line_width * sx) / sx)
        {
          /* Into the envelope, with the points that join the column to its
           * neighbours. */
          gboolean join_prev = pending && col_of[k - 1] + 1 == col_of[k];
          ViRange r = col->range;
          EnvColumn e;

          if (logy)
            r.min = r.minpos;
          if (col->first > 0 && k > 0 && col_of[k - 1] + 1 == col_of[k])
            range_add_valid (&r, y, col->first - 1, logy);
          if (col->last + 1 < n && k + 1 < nc && col_of[k + 1] == col_of[k] + 1)
            range_add_valid (&r, y, col->last + 1, logy);
          ylo = vi_xf_y (xf, r.min);
          yhi = vi_xf_y (xf, r.max);
          e.col = col_of[k];
          e.top = CLAMP (MIN (ylo, yhi), pl->by0, pl->by1);
          e.bottom = CLAMP (MAX (ylo, yhi), pl->by0, pl->by1);
          if (!join_prev)
            {
              gsize start = env->len;

              flush_pending (pl, &pending, pend);
              g_array_append_val (runs, start);
              vi_poly_point (pl, cx, vi_xf_y (xf, y[col->first]));
              vi_poly_break (pl);
            }
          g_array_append_val (env, e);
          /* The polyline goes on from the column's last point unless the
           * next column continues the run. */
          pending = TRUE;
          pend[0] = cx;
          pend[1] = vi_xf_y (xf, y[col->last]);
          continue;
        }
      /* Two vertices per column, ordered by the column's trend: the path
       * covers exactly the column's min…max span. */
      flush_pending (pl, &pending, pend);
      if (y[col->first] <= y[col->last])
        {
          vi_poly_point (pl, cx, ylo);
          vi_poly_point (pl, cx, yhi);
        }
      else
        {
          vi_poly_point (pl, cx, yhi);
          vi_poly_point (pl, cx, ylo);
        }
    }
  flush_pending (pl, &pending, pend);
  i1 = nc > 0 ? cols[nc - 1].last + 1 : i0;
  if (i1 < n)
    line_raw (xf, pl, x, y, i1, i1 + 1);
  cairo_stroke (cr);

  if (env->len == 0)
    return;
  for (gsize r = 0; r < runs->len; r++)
    {
      gsize a = g_array_index (runs, gsize, r);
      gsize b = r + 1 < runs->len ? g_array_index (runs, gsize, r + 1) : env->len;

      envelope_boxes (cr, xf, sx, &g_array_index (env, EnvColumn, a), b - a,
                      s->line_width / 2);
    }
  cairo_fill (cr);
}

/* Whether dashes of @period stay dashes along the line through points
 * [a, b): it has under 8 segments, or its length is at most twice its
 * width, or it has at most a point per period of its width. Otherwise it
 * zig-zags through more than a point per dash and the neighbouring strokes
 * cover the gaps: a smear that looks solid, and costs cairo a dash (round
 * caps: a dot is a polygon of its own) per period of the whole length. An
 * earlier run's dotted ELBO trace on the LDA page (1024 noisy points,
 * 300 px swings) made a polygon of ~10^6 edges every frame: 15 MB of
 * edges and 14 MB of scan-converter pool at a time, which left the render
 * thread's malloc arena 10–25 MB larger (the soak's RSS). A line that
 * keeps its dashes costs at most max (2 X, n H) / period of them, for its
 * width X, its height H and its n ≤ X / period segments. */
static gboolean
dashes_show (const ViXform *xf,
             const double  *x,
             const double  *y,
             gsize          a,
             gsize          b,
             double         period)
{
  double length = 0, x0 = INFINITY, x1 = -INFINITY, px = 0, py = 0;
  gboolean have_prev = FALSE;
  gsize segments = 0;

  for (gsize i = a; i < b; i++)
    {
      double qx, qy;

      if (!vi_valid_point (xf, x[i], y[i]))
        {
          have_prev = FALSE;
          continue;
        }
      qx = vi_xf_x (xf, x[i]);
      qy = vi_xf_y (xf, y[i]);
      if (have_prev)
        {
          length += sqrt ((qx - px) * (qx - px) + (qy - py) * (qy - py));
          segments++;
        }
      x0 = MIN (x0, qx);
      x1 = MAX (x1, qx);
      px = qx;
      py = qy;
      have_prev = TRUE;
    }
  return segments < 8 || length <= 2 * (x1 - x0) || segments * period <= x1 - x0;
}

void
vi_draw_line_series (ViDrawCtx     *ctx,
                     const ViXform *xf,
                     ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  const double *x, *y;
  gsize n = vi_series_columns (s, &x, &y), a = 0, b = n;
  gboolean flipped_x = xf->thi[0] < xf->tlo[0];
  double e0, e1;
  ViDash dash;
  ViPoly pl;

  if (n == 0)
    return;
  if (s->x_sorted && !flipped_x)
    {
      visible_range (s, xf, &a, &b, &e0, &e1);
      if (a > 0)
        a--;
      if (b < n)
        b++;
    }
  /* The legend mask: the line walked cell by cell (vi-series-mask.c);
   * markers, if any, as below. */
  if (ctx->for_mask && s->kind == VI_SERIES_LINE && !flipped_x)
    {
      vi_mask_line_series (ctx, xf, s, a, b);
      vi_series_begin (ctx, s, FALSE);
      draw_markers (cr, xf, s, x, y, a, b);
      cairo_restore (cr);
      return;
    }
  vi_series_begin (ctx, s, TRUE);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  vi_poly_init (&pl, cr, xf);

  if (s->x_sorted && !flipped_x && s->pyramid != NULL && s->kind == VI_SERIES_LINE)
    {
      double sx = vi_device_scale_x (cr);
      gsize ncol = (gsize) CLAMP (ceil (xf->aw * sx), 1, 100000);

      if (b - a > 4 * ncol)
        {
          draw_decimated (ctx, xf, s, &pl, sx, ncol,
                          vi_series_draw_dash (ctx, s) != VI_DASH_SOLID);
          cairo_restore (cr);
          return;
        }
      /* Over a point per pixel column the segments are shorter than the
       * line is wide: their round joins look like bevels but cost more than
       * the rest of the stroke (as in draw_decimated()). */
      if (b - a > ncol)
        cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
    }

  dash = vi_series_draw_dash (ctx, s);
  if (dash != VI_DASH_SOLID
      && !dashes_show (xf, x, y, a, b, vi_dash_period (dash, s->line_width)))
    cairo_set_dash (cr, NULL, 0, 0);
  line_raw (xf, &pl, x, y, a, b);
  cairo_stroke (cr);

  draw_markers (cr, xf, s, x, y, a, b);
  cairo_restore (cr);
}

void
vi_draw_step_series (ViDrawCtx     *ctx,
                     const ViXform *xf,
                     ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  const double *x, *y;
  gsize n = vi_series_columns (s, &x, &y);
  ViPoly pl;

  if (n == 0)
    return;
  vi_series_begin (ctx, s, TRUE);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  vi_poly_init (&pl, cr, xf);
  for (gsize i = 0; i < n; i++)
    {
      if (!vi_valid_point (xf, x[i], y[i]))
        {
          vi_poly_break (&pl);
          continue;
        }
      if (i > 0 && pl.have_prev && vi_valid_point (xf, x[i], y[i - 1]))
        vi_poly_point (&pl, vi_xf_x (xf, x[i]), vi_xf_y (xf, y[i - 1]));
      vi_poly_point (&pl, vi_xf_x (xf, x[i]), vi_xf_y (xf, y[i]));
    }
  cairo_stroke (cr);
  draw_markers (cr, xf, s, x, y, 0, n);
  cairo_restore (cr);
}

void
vi_draw_band_series (ViDrawCtx     *ctx,
                     const ViXform *xf,
                     ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  const double *x = (const double *) s->x->data;
  const double *lo = (const double *) s->y->data;
  const double *hi = (const double *) s->y2->data;
  gsize n = s->x->len, i = 0;

  vi_series_begin (ctx, s, FALSE);
  while (i < n)
    {
      gsize start, end;

      while (i < n && !(vi_valid_point (xf, x[i], lo[i]) && vi_valid_point (xf, x[i], hi[i])))
        i++;
      start = i;
      while (i < n && vi_valid_point (xf, x[i], lo[i]) && vi_valid_point (xf, x[i], hi[i]))
        i++;
      end = i;
      if (end <= start)
        continue;
      cairo_move_to (cr, vi_clampc (vi_xf_x (xf, x[start])), vi_clampc (vi_xf_y (xf, hi[start])));
      for (gsize k = start + 1; k < end; k++)
        cairo_line_to (cr, vi_clampc (vi_xf_x (xf, x[k])), vi_clampc (vi_xf_y (xf, hi[k])));
      for (gsize k = end; k-- > start;)
        cairo_line_to (cr, vi_clampc (vi_xf_x (xf, x[k])), vi_clampc (vi_xf_y (xf, lo[k])));
      cairo_close_path (cr);
    }
  cairo_fill (cr);
  cairo_restore (cr);
}
