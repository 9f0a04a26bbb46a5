/* vi-panel.c — panels: titles, axes settings, ranges, pixel ↔ data
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <pango/pango.h>

#include "vi-figure-private.h"

static void
clear_legend_hit (gpointer data)
{
  g_free (((ViLegendHit *) data)->group);
}

ViPanel *
vi_panel_new (ViFigure *fig)
{
  ViPanel *p = g_new0 (ViPanel, 1);

  p->fig = fig;
  p->series = g_ptr_array_new_with_free_func (vi_series_free);
  p->annotations = g_array_new (FALSE, FALSE, sizeof (double));
  p->leg_entries = g_array_new (FALSE, FALSE, sizeof (ViLegendHit));
  g_array_set_clear_func (p->leg_entries, clear_legend_hit);
  p->legend = VI_LEGEND_AUTO;
  p->grid = TRUE;
  return p;
}

void
vi_panel_free (ViPanel *p)
{
  if (p == NULL)
    return;
  g_free (p->title);
  g_free (p->empty_message);
  g_free (p->label[0]);
  g_free (p->label[1]);
  g_free (p->data_label[0]);
  g_free (p->data_label[1]);
  g_strfreev (p->categories);
  g_ptr_array_unref (p->series);
  g_array_unref (p->annotations);
  g_array_unref (p->leg_entries);
  g_free (p);
}

static gboolean
markup_ok (const char *markup)
{
  return pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL);
}

VI_DEFINE_STR_SETTER (ViPanel, vi_panel_set_title, title)
VI_DEFINE_GETTER (ViPanel, vi_panel_get_title, const char *, title)
VI_DEFINE_STR_SETTER (ViPanel, vi_panel_set_empty_message, empty_message)
VI_DEFINE_GETTER (ViPanel, vi_panel_get_empty_message, const char *, empty_message)

void
vi_panel_set_axis_label (ViPanel    *p,
                         ViAxis      axis,
                         const char *label)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  vi_set_str (&p->label[axis], label);
  g_clear_pointer (&p->data_label[axis], g_free);
  p->label_markup[axis] = FALSE;
}

void
vi_panel_set_axis_markup (ViPanel    *p,
                          ViAxis      axis,
                          const char *markup)
{
  vi_panel_set_axis_label (p, axis, markup);
  if (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y))
    p->label_markup[axis] = markup != NULL && markup_ok (markup);
}

void
vi_panel_set_scale (ViPanel *p,
                    ViAxis   axis,
                    ViScale  scale)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  p->scale[axis] = scale == VI_SCALE_LOG10 ? VI_SCALE_LOG10 : VI_SCALE_LINEAR;
}

ViScale
vi_panel_get_scale (ViPanel *p,
                    ViAxis   axis)
{
  return p->scale[axis];
}

static gboolean
range_valid (ViPanel *p,
             ViAxis   axis,
             double   lo,
             double   hi)
{
  if (!isfinite (lo) || !isfinite (hi) || lo == hi)
    return FALSE;
  if (p->scale[axis] == VI_SCALE_LOG10 && (lo <= 0 || hi <= 0))
    return FALSE;
  return TRUE;
}

void
vi_panel_set_range (ViPanel *p,
                    ViAxis   axis,
                    double   lo,
                    double   hi)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  p->fixed[axis] = TRUE;
  p->fixed_lo[axis] = lo;
  p->fixed_hi[axis] = hi;
}

void
vi_panel_set_auto_range (ViPanel *p,
                         ViAxis   axis)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  p->fixed[axis] = FALSE;
}

void
vi_panel_set_view (ViPanel *p,
                   ViAxis   axis,
                   double   lo,
                   double   hi)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  p->view[axis] = TRUE;
  p->view_lo[axis] = lo;
  p->view_hi[axis] = hi;
}

void
vi_panel_reset_view (ViPanel *p)
{
  g_return_if_fail (p != NULL);
  p->view[0] = p->view[1] = FALSE;
}

gboolean
vi_panel_has_view (ViPanel *p)
{
  return p->view[0] || p->view[1];
}

ViSeries *
vi_panel_find_kind (ViPanel      *p,
                    ViSeriesKind  kind)
{
  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];
      if (s->kind == kind && !s->hidden)
        return s;
    }
  return NULL;
}

gboolean
vi_panel_is_image_only (ViPanel *p)
{
  gboolean any = FALSE;

  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (s->hidden)
        continue;
      if (s->kind != VI_SERIES_IMAGES)
        return FALSE;
      any = TRUE;
    }
  return any;
}

gboolean
vi_panel_has_data (ViPanel *p)
{
  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (s->hidden || s->kind == VI_SERIES_HLINE || s->kind == VI_SERIES_VLINE
          || s->kind == VI_SERIES_TEXT)
        continue;
      if (vi_series_get_n_points (s) > 0)
        return TRUE;
    }
  return FALSE;
}

guint
vi_panel_bar_groups (ViPanel  *p,
                     ViSeries *series,
                     guint    *slot)
{
  guint n = 0;

  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (s->kind != VI_SERIES_BARS || s->hidden)
        continue;
      if (s == series && slot != NULL)
        *slot = n;
      n++;
    }
  return n;
}

gboolean
vi_panel_compute_range (ViPanel *p,
                        ViAxis   axis,
                        double  *lo,
                        double  *hi)
{
  gboolean logs = p->scale[axis] == VI_SCALE_LOG10;
  gboolean baseline = FALSE, tight = FALSE, any = FALSE;
  double a = INFINITY, b = -INFINITY, ta, tb, pad;

  if (p->view[axis] && range_valid (p, axis, p->view_lo[axis], p->view_hi[axis]))
    {
      *lo = p->view_lo[axis];
      *hi = p->view_hi[axis];
      return TRUE;
    }
  if (p->fixed[axis] && range_valid (p, axis, p->fixed_lo[axis], p->fixed_hi[axis]))
    {
      *lo = p->fixed_lo[axis];
      *hi = p->fixed_hi[axis];
      return TRUE;
    }

  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];
      const ViRange *r = axis == VI_AXIS_X ? &s->bx : &s->by;
      double smin = logs ? r->minpos : r->min;

      if (s->kind == VI_SERIES_IMAGES || s->hidden)
        continue;
      if (smin > r->max)
        continue;
      a = MIN (a, smin);
      b = MAX (b, r->max);
      any = TRUE;
      if (s->kind == VI_SERIES_HEATMAP)
        tight = TRUE;
      if (axis == VI_AXIS_Y && (s->kind == VI_SERIES_BARS || s->kind == VI_SERIES_HISTOGRAM))
        baseline = TRUE;
      if (axis == VI_AXIS_X && s->kind == VI_SERIES_BARS)
        tight = TRUE;
    }
  if (p->categories != NULL && axis == VI_AXIS_X && !logs)
    {
      guint n = g_strv_length (p->categories);

      if (n > 0)
        {
          a = MIN (a, -0.5);
          b = MAX (b, n - 0.5);
          tight = any = TRUE;
        }
    }
  if (!any)
    {
      *lo = logs ? 1 : 0;
      *hi = logs ? 10 : 1;
      return FALSE;
    }
  if (baseline && !logs)
    {
      a = MIN (a, 0);
      b = MAX (b, 0);
    }

  ta = logs ? log10 (a) : a;
  tb = logs ? log10 (b) : b;
  if (tb - ta <= 1e-12 * MAX (fabs (ta), fabs (tb)) || tb - ta < 1e-300)
    {
      /* Zero-width data range: a window around the value. */
      double d = logs ? 0.5 : (fabs (ta) > 0 ? 0.1 * fabs (ta) : 0.5);

      ta -= d;
      tb += d;
    }
  else if (!tight)
    {
      double top_pad = 0.05;

      /* Room above the data for the labels of vertical reference lines. */
      if (axis == VI_AXIS_Y)
        for (guint i = 0; i < p->series->len; i++)
          {
            ViSeries *s = p->series->pdata[i];

            if (s->kind == VI_SERIES_VLINE && !s->hidden && *s->name != '\0'
                && isfinite (s->value))
              top_pad = 0.14;
          }
      pad = 0.05 * (tb - ta);
      if (!(baseline && !logs && ta == 0))
        ta -= pad;
      if (!(baseline && !logs && tb == 0))
        tb += top_pad / 0.05 * pad;
    }
  *lo = logs ? pow (10, ta) : ta;
  *hi = logs ? pow (10, tb) : tb;
  /* A heat map reads top-down: row 0 at the top. */
  if (axis == VI_AXIS_Y && vi_panel_find_kind (p, VI_SERIES_HEATMAP) != NULL)
    {
      double t = *lo;
      *lo = *hi;
      *hi = t;
    }
  return TRUE;
}

void
vi_panel_get_range (ViPanel *p,
                    ViAxis   axis,
                    double  *lo,
                    double  *hi)
{
  double a, b;

  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  vi_panel_compute_range (p, axis, &a, &b);
  if (lo != NULL)
    *lo = a;
  if (hi != NULL)
    *hi = b;
}

VI_DEFINE_SETTER (ViPanel, vi_panel_set_legend, ViLegendPosition, legend)
VI_DEFINE_SETTER (ViPanel, vi_panel_set_legend_collapsed, gboolean, legend_collapsed)
VI_DEFINE_GETTER (ViPanel, vi_panel_get_legend_collapsed, gboolean, legend_collapsed)
VI_DEFINE_SETTER (ViPanel, vi_panel_set_grid, gboolean, grid)

void
vi_panel_set_categories (ViPanel           *p,
                         const char *const *labels)
{
  g_return_if_fail (p != NULL);
  vi_set_strv (&p->categories, labels);
}

void
vi_panel_clear (ViPanel *p)
{
  g_return_if_fail (p != NULL);
  g_ptr_array_set_size (p->series, 0);
  p->next_color = 0;
}

VI_DEFINE_GETTER (ViPanel, vi_panel_get_n_series, guint, series->len)

ViSeries *
vi_panel_get_series (ViPanel *p,
                     guint    index)
{
  g_return_val_if_fail (p != NULL, NULL);
  return index < p->series->len ? p->series->pdata[index] : NULL;
}

/* The box @b into the non-NULL outputs when @ok. */
static gboolean
get_box (gboolean      ok,
         const double *b,
         double       *x,
         double       *y,
         double       *width,
         double       *height)
{
  double *out[] = { x, y, width, height };

  if (!ok)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    if (out[i] != NULL)
      *out[i] = b[i];
  return TRUE;
}

gboolean
vi_panel_get_plot_area (ViPanel *p,
                        double  *x,
                        double  *y,
                        double  *width,
                        double  *height)
{
  double b[4];

  g_return_val_if_fail (p != NULL, FALSE);
  b[0] = p->ax;
  b[1] = p->ay;
  b[2] = p->aw;
  b[3] = p->ah;
  return get_box (p->laid_out, b, x, y, width, height);
}

gboolean
vi_panel_get_text_box (ViPanel     *p,
                       ViPanelText  which,
                       double      *x,
                       double      *y,
                       double      *width,
                       double      *height)
{
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (which <= VI_PANEL_TEXT_Y_LABEL, FALSE);
  return get_box (p->laid_out && p->text_drawn[which], p->text_box[which], x, y, width, height);
}

gboolean
vi_panel_get_legend_box (ViPanel *p,
                         double  *x,
                         double  *y,
                         double  *width,
                         double  *height)
{
  g_return_val_if_fail (p != NULL, FALSE);
  return get_box (p->laid_out && p->leg_drawn, p->leg_box, x, y, width, height);
}

gboolean
vi_panel_get_xform (ViPanel *p,
                    ViXform *xf)
{
  if (!p->laid_out)
    return FALSE;
  *xf = (ViXform) { p->ax, p->ay, p->aw, p->ah, { p->tlo[0], p->tlo[1] },
                    { p->thi[0], p->thi[1] }, { p->scale[0], p->scale[1] } };
  return TRUE;
}

gboolean
vi_panel_pixel_to_data (ViPanel *p,
                        double   px,
                        double   py,
                        double  *x,
                        double  *y)
{
  ViXform xf;

  g_return_val_if_fail (p != NULL, FALSE);
  if (!vi_panel_get_xform (p, &xf))
    return FALSE;
  if (x != NULL)
    *x = vi_axis_untransform (xf.scale[0], vi_xf_inverse_x (&xf, px));
  if (y != NULL)
    *y = vi_axis_untransform (xf.scale[1], vi_xf_inverse_y (&xf, py));
  return TRUE;
}

gboolean
vi_panel_data_to_pixel (ViPanel *p,
                        double   x,
                        double   y,
                        double  *px,
                        double  *py)
{
  ViXform xf;

  g_return_val_if_fail (p != NULL, FALSE);
  if (!vi_panel_get_xform (p, &xf))
    return FALSE;
  if (px != NULL)
    *px = vi_xf_x (&xf, x);
  if (py != NULL)
    *py = vi_xf_y (&xf, y);
  return TRUE;
}

guint
vi_panel_get_n_annotations (ViPanel *p)
{
  g_return_val_if_fail (p != NULL, 0);
  return p->laid_out ? p->annotations->len / 4 : 0;
}

gboolean
vi_panel_get_annotation_box (ViPanel *p,
                             guint    index,
                             double  *x,
                             double  *y,
                             double  *width,
                             double  *height)
{
  g_return_val_if_fail (p != NULL, FALSE);
  if (index >= vi_panel_get_n_annotations (p))
    return FALSE;
  return get_box (TRUE, &g_array_index (p->annotations, double, 4 * index), x, y, width,
                  height);
}
