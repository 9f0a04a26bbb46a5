/* vi-figure-hit.c — hit testing against the last draw
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

/* One hit test: the panel under the query point and the best hit so far. */
typedef struct
{
  ViPanel *p;
  ViXform  xf;
  double   qx, qy;       /* the query point, in points */
  double   maxd;
  ViHit    best;         /* best.distance: the distance to beat */
} Query;

/* Takes point @index of @s (data @x, @y; drawn at @px, @py) if it is the
 * nearest so far. */
static gboolean
consider (Query    *q,
          ViSeries *s,
          gsize     index,
          double    x,
          double    y,
          double    value,
          double    px,
          double    py)
{
  double d = hypot (px - q->qx, py - q->qy);

  if (!isfinite (d) || d >= q->best.distance)
    return FALSE;
  q->best = (ViHit) { q->p, s, s->name, index, x, y, value, px, py, d };
  return TRUE;
}

/* A bar spanning [@x0, @x1] × [@y0, @y1] in points: its distance is the
 * query point's distance to the box; a hit reports (@px, @py). */
static void
consider_box (Query    *q,
              ViSeries *s,
              gsize     index,
              double    x,
              double    y,
              double    x0,
              double    x1,
              double    y0,
              double    y1,
              double    px,
              double    py)
{
  double dx = MAX (0, MAX (MIN (x0, x1) - q->qx, q->qx - MAX (x0, x1)));
  double dy = MAX (0, MAX (MIN (y0, y1) - q->qy, q->qy - MAX (y0, y1)));

  if (consider (q, s, index, x, y, NAN, q->qx + dx, q->qy + dy))
    {
      /* A clipped bar's marker sits at the clip; the hit keeps its height. */
      q->best.px = CLAMP (px, q->p->ax, q->p->ax + q->p->aw);
      q->best.py = CLAMP (py, q->p->ay, q->p->ay + q->p->ah);
    }
}

static void
hit_points (Query    *q,
            ViSeries *s)
{
  const ViXform *xf = &q->xf;
  const double *x, *y;
  gsize n = vi_series_columns (s, &x, &y), a = 0, b = n;

  if (s->x_sorted && xf->thi[0] > xf->tlo[0])
    {
      /* Only points within maxd horizontally can win. */
      double tx0 = vi_xf_inverse_x (xf, q->qx - q->maxd);
      double tx1 = vi_xf_inverse_x (xf, q->qx + q->maxd);

      a = vi_lower_bound (x, n, vi_axis_untransform (xf->scale[0], tx0));
      b = vi_lower_bound (x, n, nextafter (vi_axis_untransform (xf->scale[0], tx1), INFINITY));
    }
  for (gsize i = a; i < b; i++)
    if (vi_valid_point (xf, x[i], y[i]))
      consider (q, s, i, x[i], y[i], s->values != NULL ? s->values[i] : NAN,
                vi_xf_x (xf, x[i]), vi_xf_y (xf, y[i]));
}

static void
hit_band (Query    *q,
          ViSeries *s)
{
  const ViXform *xf = &q->xf;

  for (guint k = 0; k < s->x->len; k++)
    {
      double x = g_array_index (s->x, double, k);
      double lo = g_array_index (s->y, double, k), hi = g_array_index (s->y2, double, k);

      if (vi_valid_point (xf, x, lo))
        consider (q, s, k, x, lo, NAN, vi_xf_x (xf, x), vi_xf_y (xf, lo));
      if (vi_valid_point (xf, x, hi))
        consider (q, s, k, x, hi, NAN, vi_xf_x (xf, x), vi_xf_y (xf, hi));
    }
}

static void
hit_bars (Query    *q,
          ViSeries *s)
{
  const ViXform *xf = &q->xf;
  guint slot = 0, groups = vi_panel_bar_groups (q->p, s, &slot);
  double w = 0.8 / MAX (groups, 1);

  for (guint k = 0; k < s->y->len; k++)
    {
      double h = g_array_index (s->y, double, k);
      double xc = k - 0.4 + w * (slot + 0.5);
      double x0 = vi_xf_x (xf, k - 0.4 + w * slot);
      double x1 = vi_xf_x (xf, k - 0.4 + w * (slot + 1));
      double y1 = vi_xf_y (xf, h);

      if (vi_valid_point (xf, 1, h))
        consider_box (q, s, k, xc, s->values != NULL ? s->values[k] : h, x0, x1, vi_bar_base (xf),
                      y1, vi_xf_x (xf, xc), y1);
    }
}

static void
hit_histogram (Query    *q,
               ViSeries *s)
{
  const ViXform *xf = &q->xf;

  for (guint k = 0; k < s->y->len; k++)
    {
      double e0 = g_array_index (s->x, double, k), e1 = g_array_index (s->x, double, k + 1);
      double h = g_array_index (s->y, double, k);
      double x0 = vi_xf_x (xf, e0), x1 = vi_xf_x (xf, e1), y1 = vi_xf_y (xf, h);

      if (vi_valid_point (xf, e0, h) && vi_valid_point (xf, e1, h))
        consider_box (q, s, k, 0.5 * (e0 + e1), h, x0, x1, vi_bar_base (xf), y1, 0.5 * (x0 + x1),
                      y1);
    }
}

/* The cell under the query point. */
static void
hit_heatmap (Query    *q,
             ViSeries *s)
{
  const ViXform *xf = &q->xf;
  double col, row;
  gsize idx;

  if (s->z == NULL || xf->scale[0] != VI_SCALE_LINEAR || xf->scale[1] != VI_SCALE_LINEAR)
    return;
  col = floor (vi_xf_inverse_x (xf, q->qx) + 0.5);
  row = floor (vi_xf_inverse_y (xf, q->qy) + 0.5);
  if (!(col >= 0 && row >= 0 && col < (double) s->cols && row < (double) s->rows))
    return;
  idx = (gsize) row * s->cols + (gsize) col;
  consider (q, s, idx, col, row, s->z[idx], q->qx, q->qy);
  q->best.px = vi_xf_x (xf, col);
  q->best.py = vi_xf_y (xf, row);
}

gboolean
vi_figure_hit_test (ViFigure *fig,
                    double    qx,
                    double    qy,
                    double    max_distance,
                    ViHit    *hit)
{
  Query q = { .qx = qx, .qy = qy, .maxd = max_distance };

  g_return_val_if_fail (fig != NULL, FALSE);
  if (!isfinite (qx) || !isfinite (qy) || !(max_distance >= 0))
    return FALSE;
  for (guint i = 0; i < fig->rows * fig->cols && q.p == NULL; i++)
    {
      ViPanel *c = fig->panels[i];

      if (c->laid_out && !vi_panel_is_image_only (c)
          && qx >= c->ax - max_distance && qx <= c->ax + c->aw + max_distance
          && qy >= c->ay - max_distance && qy <= c->ay + c->ah + max_distance)
        q.p = c;
    }
  if (q.p == NULL || !vi_panel_get_xform (q.p, &q.xf))
    return FALSE;
  q.best.distance = max_distance + 1e-9;

  for (guint i = 0; i < q.p->series->len; i++)
    {
      ViSeries *s = q.p->series->pdata[i];

      if (s->hidden)
        continue;
      switch (s->kind)
        {
        case VI_SERIES_LINE:
        case VI_SERIES_STEP:
        case VI_SERIES_SCATTER:
          hit_points (&q, s);
          break;
        case VI_SERIES_BAND:
          hit_band (&q, s);
          break;
        case VI_SERIES_BARS:
          hit_bars (&q, s);
          break;
        case VI_SERIES_HISTOGRAM:
          hit_histogram (&q, s);
          break;
        case VI_SERIES_HEATMAP:
          hit_heatmap (&q, s);
          break;
        default:
          break;
        }
    }
  if (q.best.series == NULL)
    return FALSE;
  if (hit != NULL)
    *hit = q.best;
  return TRUE;
}

/* Whether (@x, @y) is on an entry of @p's drawn legend; *@group its group. */
static gboolean
legend_entry_at (ViPanel     *p,
                 double       x,
                 double       y,
                 const char **group)
{
  if (!p->laid_out || !p->leg_drawn)
    return FALSE;
  for (guint k = 0; k < p->leg_entries->len; k++)
    {
      const ViLegendHit *e = &g_array_index (p->leg_entries, ViLegendHit, k);

      if (x >= e->box[0] && x <= e->box[0] + e->box[2] && y >= e->box[1]
          && y <= e->box[1] + e->box[3])
        {
          *group = e->group;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
vi_figure_legend_group_at (ViFigure *fig,
                           double    x,
                           double    y)
{
  const char *group = NULL;

  g_return_val_if_fail (fig != NULL, NULL);
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    if (legend_entry_at (fig->panels[i], x, y, &group))
      break;
  return group;
}

/* "3.2" in the locale's notation (the tooltip is text for the user). */
static char *
fmt (double v)
{
  return g_strdup_printf ("%.5g", v);
}

char *
vi_hit_describe (const ViHit *hit)
{
  ViPanel *p;
  ViSeries *s;
  g_autofree char *xn = NULL, *yn = NULL, *xs = NULL, *ys = NULL, *where = NULL;
  GString *out;

  g_return_val_if_fail (hit != NULL && hit->series != NULL && hit->panel != NULL, NULL);
  p = hit->panel;
  s = hit->series;
  out = g_string_new (NULL);
  if (s->name != NULL && *s->name != '\0')
    g_string_append_printf (out, "%s: ", s->name);
  else if (s->data_name != NULL)
    g_string_append_printf (out, "%s: ", s->data_name);
  switch (s->kind)
    {
    case VI_SERIES_BARS:
      xn = vi_panel_axis_text (p, VI_AXIS_X, FALSE, NULL);
      yn = vi_panel_axis_text (p, VI_AXIS_Y, FALSE, "height");
      ys = fmt (hit->y);
      if (p->categories != NULL && hit->index < g_strv_length (p->categories))
        where = g_strdup (p->categories[hit->index]);
      else
        where = g_strdup_printf ("%" G_GSIZE_FORMAT, hit->index + 1);
      if (xn != NULL)
        g_string_append_printf (out, "%s = %s, %s = %s", xn, where, yn, ys);
      else
        g_string_append_printf (out, "%s, %s = %s", where, yn, ys);
      break;
    case VI_SERIES_HISTOGRAM:
      {
        g_autofree char *e0 = fmt (g_array_index (s->x, double, hit->index));
        g_autofree char *e1 = fmt (g_array_index (s->x, double, hit->index + 1));

        xn = vi_panel_axis_text (p, VI_AXIS_X, FALSE, "x");
        yn = vi_panel_axis_text (p, VI_AXIS_Y, FALSE, "count");
        ys = fmt (hit->y);
        g_string_append_printf (out, "%s in [%s, %s), %s = %s", xn, e0, e1, yn, ys);
      }
      break;
    case VI_SERIES_HEATMAP:
      {
        gsize r = hit->index / MAX (s->cols, 1), c = hit->index % MAX (s->cols, 1);
        g_autofree char *rl = s->row_labels != NULL && r < g_strv_length (s->row_labels)
                              ? g_strdup (s->row_labels[r])
                              : g_strdup_printf ("row %" G_GSIZE_FORMAT, r + 1);
        g_autofree char *cl = s->col_labels != NULL && c < g_strv_length (s->col_labels)
                              ? g_strdup (s->col_labels[c])
                              : g_strdup_printf ("column %" G_GSIZE_FORMAT, c + 1);

        ys = fmt (hit->value);
        g_string_append_printf (out, "%s, %s: %s", rl, cl, ys);
      }
      break;
    default:
      xn = vi_panel_axis_text (p, VI_AXIS_X, FALSE, "x");
      yn = vi_panel_axis_text (p, VI_AXIS_Y, FALSE, "y");
      xs = fmt (hit->x);
      ys = fmt (hit->y);
      g_string_append_printf (out, "%s = %s, %s = %s", xn, xs, yn, ys);
      if (isfinite (hit->value))
        {
          g_autofree char *vs = fmt (hit->value);

          g_string_append_printf (out, ", %s = %s",
                                  s->colorbar_label != NULL && *s->colorbar_label != '\0'
                                  ? s->colorbar_label : "value", vs);
        }
      break;
    }
  return g_string_free (out, FALSE);
}
