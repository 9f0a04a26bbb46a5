/* vi-series.c — what every series shares: creation, data, style, colours
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-private.h"

void
vi_series_free (gpointer data)
{
  ViSeries *s = data;

  g_free (s->name);
  g_free (s->data_name);
  g_array_unref (s->x);
  g_array_unref (s->y);
  g_array_unref (s->y2);
  g_free (s->text);
  g_free (s->legend_group);
  vi_pyramid_free (s->pyramid);
  g_free (s->categories);
  g_strfreev (s->category_names);
  g_free (s->values);
  g_free (s->colorbar_label);
  g_free (s->z);
  g_strfreev (s->row_labels);
  g_strfreev (s->col_labels);
  g_free (s->pixels);
  g_strfreev (s->captions);
  g_free (s);
}

/* What a new series of each kind starts with. */
static const struct
{
  gboolean palette;       /* takes the panel's next palette slot */
  gboolean legend;        /* listed in the legend when it has a name */
  gboolean xy;            /* points (x, y): append, set_data, per-point colours */
  gboolean pyramid;       /* decimated drawing of long lines */
  double   alpha;
  double   line_width;
  ViMarker marker;
  double   marker_size;
  ViDash   dash;          /* VI_DASH_SOLID: the theme decides */
} kind_defaults[] = {
  /*                       palette legend xy     pyramid alpha width marker          size */
  [VI_SERIES_LINE]      = { TRUE,  TRUE,  TRUE,  TRUE,  1,    1.5, VI_MARKER_NONE,   6 },
  [VI_SERIES_SCATTER]   = { TRUE,  TRUE,  TRUE,  FALSE, 1,    1.5, VI_MARKER_CIRCLE, 4 },
  [VI_SERIES_BAND]      = { TRUE,  TRUE,  FALSE, FALSE, 0.25, 1.5, VI_MARKER_NONE,   6 },
  [VI_SERIES_BARS]      = { TRUE,  TRUE,  FALSE, FALSE, 1,    1.5, VI_MARKER_NONE,   6 },
  [VI_SERIES_STEP]      = { TRUE,  TRUE,  TRUE,  TRUE,  1,    1.5, VI_MARKER_NONE,   6 },
  [VI_SERIES_HISTOGRAM] = { TRUE,  TRUE,  FALSE, FALSE, 0.6,  1.5, VI_MARKER_NONE,   6 },
  [VI_SERIES_HLINE]     = { FALSE, FALSE, FALSE, FALSE, 1,    1.0, VI_MARKER_NONE,   6,
                            VI_DASH_DASHED },
  [VI_SERIES_VLINE]     = { FALSE, FALSE, FALSE, FALSE, 1,    1.0, VI_MARKER_NONE,   6,
                            VI_DASH_DASHED },
  [VI_SERIES_HEATMAP]   = { FALSE, FALSE, FALSE, FALSE, 1,    1.5, VI_MARKER_NONE,   6 },
  [VI_SERIES_IMAGES]    = { FALSE, FALSE, FALSE, FALSE, 1,    1.5, VI_MARKER_NONE,   6 },
  [VI_SERIES_TEXT]      = { FALSE, FALSE, FALSE, FALSE, 1,    1.5, VI_MARKER_NONE,   6 },
};

ViSeries *
vi_series_new (ViPanel      *panel,
               ViSeriesKind  kind,
               const char   *name)
{
  ViSeries *s = g_new0 (ViSeries, 1);

  s->panel = panel;
  s->kind = kind;
  s->name = g_strdup (name != NULL ? name : "");
  s->x = g_array_new (FALSE, FALSE, sizeof (double));
  s->y = g_array_new (FALSE, FALSE, sizeof (double));
  s->y2 = g_array_new (FALSE, FALSE, sizeof (double));
  vi_range_init (&s->bx);
  vi_range_init (&s->by);
  s->x_sorted = TRUE;
  s->value = NAN;
  s->vmin = INFINITY;
  s->vmax = -INFINITY;
  s->map = VI_COLORMAP_VIRIDIS;
  s->alpha = kind_defaults[kind].alpha;
  s->line_width = kind_defaults[kind].line_width;
  s->marker = kind_defaults[kind].marker;
  s->marker_size = kind_defaults[kind].marker_size;
  s->dash = kind_defaults[kind].dash;
  s->dash_set = s->dash != VI_DASH_SOLID;
  s->in_legend = kind_defaults[kind].legend && *s->name != '\0';
  if (kind_defaults[kind].pyramid)
    s->pyramid = vi_pyramid_create ();
  if (kind_defaults[kind].palette)
    s->color_index = panel->next_color++;
  g_ptr_array_add (panel->series, s);
  return s;
}

ViSeries *
vi_series_add_xy (ViPanel      *panel,
                  ViSeriesKind  kind,
                  const char   *name,
                  const double *x,
                  const double *y,
                  gsize         n)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, kind, name);
  vi_series_push_xy (s, x, y, n);
  return s;
}

void
vi_series_push_xy (ViSeries     *s,
                   const double *x,
                   const double *y,
                   gsize         n)
{
  gsize old = s->y->len;
  double *xs, *ys, prev;

  if (n == 0 || y == NULL)
    return;
  prev = s->x->len > 0 ? g_array_index (s->x, double, s->x->len - 1) : -INFINITY;
  g_array_set_size (s->x, old + n);
  g_array_set_size (s->y, old + n);
  xs = &g_array_index (s->x, double, old);
  ys = &g_array_index (s->y, double, old);
  memcpy (ys, y, n * sizeof (double));
  for (gsize i = 0; i < n; i++)
    {
      xs[i] = x != NULL ? x[i] : (double) (old + i);
      if (!isfinite (xs[i]) || xs[i] < prev)
        s->x_sorted = FALSE;
      prev = xs[i];
    }
  vi_range_add_n (&s->bx, xs, n);
  vi_range_add_n (&s->by, ys, n);
  if (s->pyramid != NULL)
    vi_pyramid_extend (s->pyramid, (const double *) s->y->data, s->y->len);
}

static gboolean
series_is_xy (ViSeries *s)
{
  return kind_defaults[s->kind].xy;
}

void
vi_series_set_value_range (ViSeries     *s,
                           const double *v,
                           gsize         n)
{
  s->vmin = INFINITY;
  s->vmax = -INFINITY;
  for (gsize i = 0; i < n; i++)
    if (isfinite (v[i]))
      {
        s->vmin = MIN (s->vmin, v[i]);
        s->vmax = MAX (s->vmax, v[i]);
      }
}

void
vi_series_remove (ViSeries *s)
{
  if (s == NULL)
    return;
  g_ptr_array_remove (s->panel->series, s);
}

VI_DEFINE_GETTER (ViSeries, vi_series_get_kind, ViSeriesKind, kind)
VI_DEFINE_GETTER (ViSeries, vi_series_get_name, const char *, name)

void
vi_series_set_name (ViSeries   *s,
                    const char *name)
{
  g_return_if_fail (s != NULL);
  vi_set_str (&s->name, name != NULL ? name : "");
  g_clear_pointer (&s->data_name, g_free);
}

void
vi_series_set_true_heights (ViSeries     *s,
                            const double *heights,
                            gsize         n)
{
  g_return_if_fail (s != NULL);
  if (s->kind != VI_SERIES_BARS || (heights != NULL && n != s->y->len))
    return;
  g_free (s->values);
  s->values = heights != NULL ? g_memdup2 (heights, n * sizeof (double)) : NULL;
}

void
vi_series_set_data_name (ViSeries   *s,
                         const char *name)
{
  g_return_if_fail (s != NULL);
  vi_set_str (&s->data_name, name != NULL && *name != '\0' ? name : NULL);
}

gsize
vi_series_get_n_points (ViSeries *s)
{
  switch (s->kind)
    {
    case VI_SERIES_HEATMAP:
      return s->rows * s->cols;
    case VI_SERIES_IMAGES:
      return s->n_images;
    case VI_SERIES_HLINE:
    case VI_SERIES_VLINE:
      return isfinite (s->value) ? 1 : 0;
    default:
      return s->y->len;
    }
}

gsize
vi_series_get_xy (ViSeries      *s,
                  const double **x,
                  const double **y)
{
  const double *xs = NULL, *ys = NULL;
  gsize n = 0;

  g_return_val_if_fail (s != NULL, 0);
  if (s->kind == VI_SERIES_LINE || s->kind == VI_SERIES_SCATTER || s->kind == VI_SERIES_STEP
      || s->kind == VI_SERIES_BAND)
    n = vi_series_columns (s, &xs, &ys);
  if (x != NULL)
    *x = n > 0 ? xs : NULL;
  if (y != NULL)
    *y = n > 0 ? ys : NULL;
  return n;
}

void
vi_series_append (ViSeries     *s,
                  const double *x,
                  const double *y,
                  gsize         n)
{
  g_return_if_fail (s != NULL);
  if (!series_is_xy (s))
    return;
  if (s->categories != NULL || s->values != NULL)
    {
      /* Per-point colours no longer match; drop them rather than guess. */
      g_clear_pointer (&s->categories, g_free);
      g_clear_pointer (&s->values, g_free);
    }
  vi_series_push_xy (s, x, y, n);
}

void
vi_series_set_data (ViSeries     *s,
                    const double *x,
                    const double *y,
                    gsize         n)
{
  /* Empty the series, then append (which checks @s and drops per-point
   * colours). */
  if (s != NULL && series_is_xy (s))
    {
      g_array_set_size (s->x, 0);
      g_array_set_size (s->y, 0);
      vi_range_init (&s->bx);
      vi_range_init (&s->by);
      s->x_sorted = TRUE;
      if (s->pyramid != NULL)
        vi_pyramid_reset (s->pyramid);
    }
  vi_series_append (s, x, y, n);
}

void
vi_series_set_visible (ViSeries *s,
                       gboolean  visible)
{
  g_return_if_fail (s != NULL);
  s->hidden = !visible;
}

gboolean
vi_series_get_visible (ViSeries *s)
{
  return !s->hidden;
}

VI_DEFINE_SETTER (ViSeries, vi_series_set_color_index, guint, color_index)
VI_DEFINE_GETTER (ViSeries, vi_series_get_color_index, guint, color_index)

void
vi_series_set_color (ViSeries      *s,
                     const ViColor *color)
{
  g_return_if_fail (s != NULL);
  s->has_color = color != NULL;
  if (color != NULL)
    s->color = *color;
}

void
vi_series_set_alpha (ViSeries *s,
                     double    alpha)
{
  g_return_if_fail (s != NULL);
  s->alpha = isfinite (alpha) ? CLAMP (alpha, 0, 1) : 1;
}

void
vi_series_set_line_width (ViSeries *s,
                          double    width)
{
  g_return_if_fail (s != NULL);
  s->line_width = isfinite (width) ? CLAMP (width, 0.1, 50) : 1.5;
}

void
vi_series_set_dash (ViSeries *s,
                    ViDash    dash)
{
  g_return_if_fail (s != NULL);
  s->dash = dash;
  s->dash_set = TRUE;
}

void
vi_series_set_marker (ViSeries *s,
                      ViMarker  marker,
                      double    size)
{
  g_return_if_fail (s != NULL);
  s->marker = marker;
  s->marker_size = isfinite (size) ? CLAMP (size, 0.5, 100) : 6;
}

VI_DEFINE_SETTER (ViSeries, vi_series_set_show_in_legend, gboolean, in_legend)
VI_DEFINE_STR_SETTER (ViSeries, vi_series_set_colorbar_label, colorbar_label)
VI_DEFINE_STR_SETTER (ViSeries, vi_series_set_legend_group, legend_group)
VI_DEFINE_GETTER (ViSeries, vi_series_get_legend_group, const char *, legend_group)

ViColor
vi_series_resolve_color (ViSeries *s,
                         ViTheme   theme)
{
  ViColor c;

  if (s->kind == VI_SERIES_HLINE || s->kind == VI_SERIES_VLINE || s->kind == VI_SERIES_TEXT)
    c = s->has_color ? s->color : vi_theme_colors (theme)->reference;
  else
    c = s->has_color ? s->color : vi_palette_get (theme, s->color_index);
  if (s->kind == VI_SERIES_TEXT && !s->has_color)
    c = vi_theme_colors (theme)->foreground;
  c.a *= s->alpha;
  return c;
}

ViColor
vi_series_get_color (ViSeries *s,
                     ViTheme   theme)
{
  g_return_val_if_fail (s != NULL, vi_palette_get (theme, 0));
  return vi_series_resolve_color (s, theme);
}

ViDash
vi_series_resolve_dash (ViSeries *s,
                        ViTheme   theme)
{
  if (s->dash_set)
    return s->dash;
  if (vi_theme_colors (theme)->cycle_dashes && s->kind == VI_SERIES_LINE)
    return (ViDash) (s->color_index % 4);
  return VI_DASH_SOLID;
}

gboolean
vi_series_get_in_legend (ViSeries *s)
{
  g_return_val_if_fail (s != NULL, FALSE);
  return s->in_legend && !s->hidden && *s->name != '\0' && vi_series_get_n_points (s) > 0;
}

/* Counts @v's values below, within and above [lo, hi] (log: > 0 only). */
static void
fit_count (const double *v,
           gsize         n,
           double        lo,
           double        hi,
           gboolean      log_axis,
           gsize        *count)
{
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (v[i]) || (log_axis && v[i] <= 0))
        continue;
      count[v[i] < lo ? 0 : v[i] > hi ? 2 : 1]++;
    }
}

ViFit
vi_series_get_fit (ViSeries *s,
                   ViAxis    axis)
{
  gsize count[3] = { 0, 0, 0 };
  double lo, hi;
  gboolean log_axis;

  g_return_val_if_fail (s != NULL, VI_FIT_EMPTY);
  g_return_val_if_fail (axis == VI_AXIS_X || axis == VI_AXIS_Y, VI_FIT_EMPTY);
  vi_panel_get_range (s->panel, axis, &lo, &hi);
  if (lo > hi)
    {
      double t = lo;

      lo = hi;
      hi = t;
    }
  log_axis = vi_panel_get_scale (s->panel, axis) == VI_SCALE_LOG10;
  switch (s->kind)
    {
    case VI_SERIES_HLINE:
    case VI_SERIES_VLINE:
      if ((s->kind == VI_SERIES_HLINE) != (axis == VI_AXIS_Y))
        return VI_FIT_INSIDE;   /* spans the axis */
      fit_count (&s->value, 1, lo, hi, log_axis, count);
      break;
    case VI_SERIES_HEATMAP:
    case VI_SERIES_IMAGES:
      return VI_FIT_EMPTY;
    case VI_SERIES_BARS:
      if (axis == VI_AXIS_X)
        return s->y->len > 0 ? VI_FIT_INSIDE : VI_FIT_EMPTY;
      fit_count ((const double *) s->y->data, s->y->len, lo, hi, log_axis, count);
      break;
    case VI_SERIES_BAND:
      if (axis == VI_AXIS_Y)
        fit_count ((const double *) s->y2->data, s->y2->len, lo, hi, log_axis, count);
      G_GNUC_FALLTHROUGH;
    case VI_SERIES_LINE:
    case VI_SERIES_SCATTER:
    case VI_SERIES_STEP:
    case VI_SERIES_HISTOGRAM:
    case VI_SERIES_TEXT:
    default:
      {
        GArray *a = axis == VI_AXIS_X ? s->x : s->y;

        fit_count ((const double *) a->data, a->len, lo, hi, log_axis, count);
      }
      break;
    }
  if (count[0] + count[1] + count[2] == 0)
    return VI_FIT_EMPTY;
  if (count[0] + count[2] == 0)
    return VI_FIT_INSIDE;
  if (count[1] + count[2] == 0)
    return VI_FIT_BELOW;
  if (count[0] + count[1] == 0)
    return VI_FIT_ABOVE;
  return VI_FIT_CLIPPED;
}
