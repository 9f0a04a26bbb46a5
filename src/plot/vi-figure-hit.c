/* vi-figure-hit.c — hit testing against the last draw
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

static void
consider (ViHit    *best,
          ViPanel  *p,
          ViSeries *s,
          gsize     index,
          double    x,
          double    y,
          double    value,
          double    px,
          double    py,
          double    qx,
          double    qy)
{
  double d = hypot (px - qx, py - qy);

  if (!isfinite (d) || d >= best->distance)
    return;
  *best = (ViHit) { p, s, s->name, index, x, y, value, px, py, d };
}

static void
hit_points (ViPanel       *p,
            const ViXform *xf,
            ViSeries      *s,
            double         qx,
            double         qy,
            double         maxd,
            ViHit         *best)
{
  const double *x = (const double *) s->x->data;
  const double *y = (const double *) s->y->data;
  gsize n = s->y->len, a = 0, b = n;

  if (s->x_sorted && xf->thi[0] > xf->tlo[0])
    {
      /* Only points within maxd horizontally can win. */
      double tx0 = xf->tlo[0] + (qx - maxd - xf->ax) / xf->aw * (xf->thi[0] - xf->tlo[0]);
      double tx1 = xf->tlo[0] + (qx + maxd - xf->ax) / xf->aw * (xf->thi[0] - xf->tlo[0]);

      a = vi_lower_bound (x, n, vi_axis_untransform (xf->scale[0], tx0));
      b = vi_lower_bound (x, n, nextafter (vi_axis_untransform (xf->scale[0], tx1), INFINITY));
    }
  for (gsize i = a; i < b; i++)
    if (vi_valid_point (xf, x[i], y[i]))
      consider (best, p, s, i, x[i], y[i],
                s->values != NULL ? s->values[i] : NAN,
                vi_xf_x (xf, x[i]), vi_xf_y (xf, y[i]), qx, qy);
}

gboolean
vi_figure_hit_test (ViFigure *fig,
                    double    qx,
                    double    qy,
                    double    max_distance,
                    ViHit    *hit)
{
  ViPanel *p = NULL;
  ViHit best = { 0 };
  ViXform xf;

  g_return_val_if_fail (fig != NULL, FALSE);
  if (!isfinite (qx) || !isfinite (qy) || !(max_distance >= 0))
    return FALSE;
  for (guint i = 0; i < fig->rows * fig->cols && p == NULL; i++)
    {
      ViPanel *c = fig->panels[i];

      if (c->laid_out && !vi_panel_is_image_only (c)
          && qx >= c->ax - max_distance && qx <= c->ax + c->aw + max_distance
          && qy >= c->ay - max_distance && qy <= c->ay + c->ah + max_distance)
        p = c;
    }
  if (p == NULL)
    return FALSE;
  xf.ax = p->ax, xf.ay = p->ay, xf.aw = p->aw, xf.ah = p->ah;
  for (guint a = 0; a < 2; a++)
    {
      xf.tlo[a] = p->tlo[a];
      xf.thi[a] = p->thi[a];
      xf.scale[a] = p->scale[a];
    }
  best.distance = max_distance + 1e-9;

  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (s->hidden)
        continue;
      switch (s->kind)
        {
        case VI_SERIES_LINE:
        case VI_SERIES_STEP:
        case VI_SERIES_SCATTER:
          hit_points (p, &xf, s, qx, qy, max_distance, &best);
          break;
        case VI_SERIES_BAND:
          for (guint k = 0; k < s->x->len; k++)
            {
              double x = g_array_index (s->x, double, k);
              double lo = g_array_index (s->y, double, k), hi = g_array_index (s->y2, double, k);

              if (vi_valid_point (&xf, x, lo))
                consider (&best, p, s, k, x, lo, NAN, vi_xf_x (&xf, x), vi_xf_y (&xf, lo), qx, qy);
              if (vi_valid_point (&xf, x, hi))
                consider (&best, p, s, k, x, hi, NAN, vi_xf_x (&xf, x), vi_xf_y (&xf, hi), qx, qy);
            }
          break;
        case VI_SERIES_BARS:
          {
            guint slot = 0, groups = vi_panel_bar_groups (p, s, &slot);
            double w = 0.8 / MAX (groups, 1);

            for (guint k = 0; k < s->y->len; k++)
              {
                double h = g_array_index (s->y, double, k);
                double xc = k - 0.4 + w * (slot + 0.5);
                double x0 = vi_xf_x (&xf, k - 0.4 + w * slot);
                double x1 = vi_xf_x (&xf, k - 0.4 + w * (slot + 1));
                double y0 = vi_bar_base (&xf), y1 = vi_xf_y (&xf, h);
                double dx, dy;

                if (!vi_valid_point (&xf, 1, h))
                  continue;
                dx = MAX (0, MAX (MIN (x0, x1) - qx, qx - MAX (x0, x1)));
                dy = MAX (0, MAX (MIN (y0, y1) - qy, qy - MAX (y0, y1)));
                consider (&best, p, s, k, xc, h, NAN, qx + dx, qy + dy, qx, qy);
                if (best.series == s && best.index == k)
                  {
                    best.px = vi_xf_x (&xf, xc);
                    best.py = y1;
                  }
              }
          }
          break;
        case VI_SERIES_HISTOGRAM:
          for (guint k = 0; k < s->y->len; k++)
            {
              double e0 = g_array_index (s->x, double, k), e1 = g_array_index (s->x, double, k + 1);
              double h = g_array_index (s->y, double, k);
              double x0 = vi_xf_x (&xf, e0), x1 = vi_xf_x (&xf, e1);
              double y0 = vi_bar_base (&xf), y1 = vi_xf_y (&xf, h);
              double dx, dy;

              if (!vi_valid_point (&xf, e0, h) || !vi_valid_point (&xf, e1, h))
                continue;
              dx = MAX (0, MAX (MIN (x0, x1) - qx, qx - MAX (x0, x1)));
              dy = MAX (0, MAX (MIN (y0, y1) - qy, qy - MAX (y0, y1)));
              consider (&best, p, s, k, 0.5 * (e0 + e1), h, NAN, qx + dx, qy + dy, qx, qy);
              if (best.series == s && best.index == k)
                {
                  best.px = 0.5 * (x0 + x1);
                  best.py = y1;
                }
            }
          break;
        case VI_SERIES_HEATMAP:
          if (s->z != NULL && xf.scale[0] == VI_SCALE_LINEAR && xf.scale[1] == VI_SCALE_LINEAR)
            {
              double tx = xf.tlo[0] + (qx - xf.ax) / xf.aw * (xf.thi[0] - xf.tlo[0]);
              double ty = xf.tlo[1] + (xf.ay + xf.ah - qy) / xf.ah * (xf.thi[1] - xf.tlo[1]);
              double col = floor (tx + 0.5), row = floor (ty + 0.5);

              if (col >= 0 && row >= 0 && col < (double) s->cols && row < (double) s->rows)
                {
                  gsize idx = (gsize) row * s->cols + (gsize) col;

                  consider (&best, p, s, idx, col, row, s->z[idx], qx, qy, qx, qy);
                  best.px = vi_xf_x (&xf, col);
                  best.py = vi_xf_y (&xf, row);
                }
            }
          break;
        default:
          break;
        }
    }
  if (best.series == NULL)
    return FALSE;
  if (hit != NULL)
    *hit = best;
  return TRUE;
}
