/* vi-figure.c — the retained figure model: figures, panels, series, ranges,
 * CSV and file export
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gio/gio.h>
#include <pango/pango.h>

#include "vi-figure-private.h"

#define MAX_GRID 64
#define MAX_EXPORT_SIDE 100000.0   /* points */
#define MAX_PNG_PIXELS 32767.0     /* cairo image surface limit per side */

/* ---- series ------------------------------------------------------------- */

static void
series_free (gpointer data)
{
  ViSeries *s = data;

  g_free (s->name);
  g_array_unref (s->x);
  g_array_unref (s->y);
  g_array_unref (s->y2);
  g_free (s->text);
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

static ViSeries *
series_new (ViPanel      *panel,
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
  s->alpha = 1.0;
  s->line_width = 1.5;
  s->marker_size = 6;
  s->in_legend = name != NULL && *name != '\0';
  s->map = VI_COLORMAP_VIRIDIS;
  if (kind != VI_SERIES_HLINE && kind != VI_SERIES_VLINE && kind != VI_SERIES_TEXT
      && kind != VI_SERIES_HEATMAP && kind != VI_SERIES_IMAGES)
    s->color_index = panel->next_color++;
  g_ptr_array_add (panel->series, s);
  return s;
}

/* Appends points to x/y (x NULL: continue the index) keeping bounds,
 * sortedness and the pyramid current: O(n) in the new points only. */
static void
series_push_xy (ViSeries     *s,
                const double *x,
                const double *y,
                gsize         n)
{
  gsize old = s->y->len;

  if (n == 0 || y == NULL)
    return;
  for (gsize i = 0; i < n; i++)
    {
      double xi = x != NULL ? x[i] : (double) (old + i);
      double prev = s->x->len > 0 ? g_array_index (s->x, double, s->x->len - 1) : -INFINITY;

      g_array_append_val (s->x, xi);
      g_array_append_val (s->y, y[i]);
      vi_range_add (&s->bx, xi);
      vi_range_add (&s->by, y[i]);
      if (!isfinite (xi) || xi < prev)
        s->x_sorted = FALSE;
    }
  if (s->pyramid != NULL)
    vi_pyramid_extend (s->pyramid, (const double *) s->y->data, s->y->len);
}

static gboolean
series_is_xy (ViSeries *s)
{
  return s->kind == VI_SERIES_LINE || s->kind == VI_SERIES_SCATTER || s->kind == VI_SERIES_STEP;
}

ViSeries *
vi_panel_add_line (ViPanel      *panel,
                   const char   *name,
                   const double *x,
                   const double *y,
                   gsize         n)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = series_new (panel, VI_SERIES_LINE, name);
  s->pyramid = vi_pyramid_create ();
  series_push_xy (s, x, y, n);
  return s;
}

ViSeries *
vi_panel_add_step (ViPanel      *panel,
                   const char   *name,
                   const double *x,
                   const double *y,
                   gsize         n)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = series_new (panel, VI_SERIES_STEP, name);
  s->pyramid = vi_pyramid_create ();
  series_push_xy (s, x, y, n);
  return s;
}

ViSeries *
vi_panel_add_scatter (ViPanel      *panel,
                      const char   *name,
                      const double *x,
                      const double *y,
                      gsize         n)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = series_new (panel, VI_SERIES_SCATTER, name);
  s->marker = VI_MARKER_CIRCLE;
  s->marker_size = 4;
  series_push_xy (s, x, y, n);
  return s;
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
  s = series_new (panel, VI_SERIES_BAND, name);
  s->alpha = 0.25;
  if (lower == NULL || upper == NULL)
    return s;
  for (gsize i = 0; i < n; i++)
    {
      double xi = x != NULL ? x[i] : (double) i;

      g_array_append_val (s->x, xi);
      g_array_append_val (s->y, lower[i]);
      g_array_append_val (s->y2, upper[i]);
      vi_range_add (&s->bx, xi);
      vi_range_add (&s->by, lower[i]);
      vi_range_add (&s->by, upper[i]);
    }
  return s;
}

ViSeries *
vi_panel_add_bars (ViPanel      *panel,
                   const char   *name,
                   const double *height,
                   const double *error,
                   gsize         n)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = series_new (panel, VI_SERIES_BARS, name);
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
  s = series_new (panel, VI_SERIES_HISTOGRAM, name);
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

static ViSeries *
add_reference (ViPanel      *panel,
               ViSeriesKind  kind,
               const char   *label,
               double        v)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = series_new (panel, kind, label);
  s->in_legend = FALSE;
  s->value = v;
  s->line_width = 1.0;
  s->dash = VI_DASH_DASHED;
  s->dash_set = TRUE;
  if (kind == VI_SERIES_HLINE)
    vi_range_add (&s->by, v);
  else
    vi_range_add (&s->bx, v);
  return s;
}

ViSeries *
vi_panel_add_hline (ViPanel    *panel,
                    const char *label,
                    double      y)
{
  return add_reference (panel, VI_SERIES_HLINE, label, y);
}

ViSeries *
vi_panel_add_vline (ViPanel    *panel,
                    const char *label,
                    double      x)
{
  return add_reference (panel, VI_SERIES_VLINE, label, x);
}

static char **
strv_copy_or_null (const char *const *v)
{
  return v != NULL ? g_strdupv ((char **) v) : NULL;
}

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
  s = series_new (panel, VI_SERIES_HEATMAP, name);
  s->in_legend = FALSE;
  s->map = map;
  s->vmin = INFINITY;
  s->vmax = -INFINITY;
  if (z == NULL || rows == 0 || cols == 0 || rows > G_MAXSIZE / cols / sizeof (double))
    return s;
  s->rows = rows;
  s->cols = cols;
  s->z = g_memdup2 (z, rows * cols * sizeof (double));
  for (gsize i = 0; i < rows * cols; i++)
    if (isfinite (z[i]))
      {
        s->vmin = MIN (s->vmin, z[i]);
        s->vmax = MAX (s->vmax, z[i]);
      }
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
  g_strfreev (s->row_labels);
  g_strfreev (s->col_labels);
  s->row_labels = strv_copy_or_null (row_labels);
  s->col_labels = strv_copy_or_null (col_labels);
}

ViSeries *
vi_panel_add_images (ViPanel           *panel,
                     const char        *name,
                     const double      *pixels,
                     gsize              n_images,
                     gsize              height,
                     gsize              width,
                     guint              channels,
                     const char *const *captions,
                     guint              grid_cols)
{
  ViSeries *s;
  gsize total;

  g_return_val_if_fail (panel != NULL, NULL);
  s = series_new (panel, VI_SERIES_IMAGES, name);
  s->in_legend = FALSE;
  s->grid_cols = grid_cols;
  s->captions = strv_copy_or_null (captions);
  if (pixels == NULL || n_images == 0 || height == 0 || width == 0
      || (channels != 1 && channels != 3)
      || height > 65536 || width > 65536 || n_images > G_MAXSIZE / (height * width * 3 * 8))
    return s;
  total = n_images * height * width * channels;
  s->pixels = g_memdup2 (pixels, total * sizeof (double));
  s->n_images = n_images;
  s->img_h = height;
  s->img_w = width;
  s->channels = channels;
  return s;
}

ViSeries *
vi_panel_add_text (ViPanel    *panel,
                   double      x,
                   double      y,
                   const char *text)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = series_new (panel, VI_SERIES_TEXT, NULL);
  s->text = g_strdup (text != NULL ? text : "");
  g_array_append_val (s->x, x);
  g_array_append_val (s->y, y);
  vi_range_add (&s->bx, x);
  vi_range_add (&s->by, y);
  return s;
}

void
vi_series_remove (ViSeries *s)
{
  if (s == NULL)
    return;
  g_ptr_array_remove (s->panel->series, s);
}

ViSeriesKind
vi_series_get_kind (ViSeries *s)
{
  return s->kind;
}

const char *
vi_series_get_name (ViSeries *s)
{
  return s->name;
}

void
vi_series_set_name (ViSeries   *s,
                    const char *name)
{
  g_return_if_fail (s != NULL);
  g_free (s->name);
  s->name = g_strdup (name != NULL ? name : "");
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
  series_push_xy (s, x, y, n);
}

void
vi_series_set_data (ViSeries     *s,
                    const double *x,
                    const double *y,
                    gsize         n)
{
  g_return_if_fail (s != NULL);
  if (!series_is_xy (s))
    return;
  g_array_set_size (s->x, 0);
  g_array_set_size (s->y, 0);
  vi_range_init (&s->bx);
  vi_range_init (&s->by);
  s->x_sorted = TRUE;
  if (s->pyramid != NULL)
    vi_pyramid_reset (s->pyramid);
  g_clear_pointer (&s->categories, g_free);
  g_clear_pointer (&s->values, g_free);
  series_push_xy (s, x, y, n);
}

void
vi_series_append_band (ViSeries     *s,
                       const double *x,
                       const double *lower,
                       const double *upper,
                       gsize         n)
{
  g_return_if_fail (s != NULL);
  if (s->kind != VI_SERIES_BAND || lower == NULL || upper == NULL)
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

void
vi_series_set_color_index (ViSeries *s,
                           guint     index)
{
  g_return_if_fail (s != NULL);
  s->color_index = index;
}

guint
vi_series_get_color_index (ViSeries *s)
{
  return s->color_index;
}

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

void
vi_series_set_show_in_legend (ViSeries *s,
                              gboolean  show)
{
  g_return_if_fail (s != NULL);
  s->in_legend = show;
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
  g_strfreev (s->category_names);
  s->category_names = strv_copy_or_null (names);
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
  s->vmin = INFINITY;
  s->vmax = -INFINITY;
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      {
        s->vmin = MIN (s->vmin, values[i]);
        s->vmax = MAX (s->vmax, values[i]);
      }
  vi_series_set_colorbar_label (s, label);
}

void
vi_series_set_colorbar_label (ViSeries   *s,
                              const char *label)
{
  g_return_if_fail (s != NULL);
  g_free (s->colorbar_label);
  s->colorbar_label = g_strdup (label);
}

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

/* ---- panel -------------------------------------------------------------- */

static ViPanel *
panel_new (ViFigure *fig)
{
  ViPanel *p = g_new0 (ViPanel, 1);

  p->fig = fig;
  p->series = g_ptr_array_new_with_free_func (series_free);
  p->legend = VI_LEGEND_AUTO;
  p->grid = TRUE;
  return p;
}

static void
panel_free (ViPanel *p)
{
  if (p == NULL)
    return;
  g_free (p->title);
  g_free (p->label[0]);
  g_free (p->label[1]);
  g_strfreev (p->categories);
  g_ptr_array_unref (p->series);
  g_free (p);
}

static gboolean
markup_ok (const char *markup)
{
  return pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL);
}

void
vi_panel_set_title (ViPanel    *p,
                    const char *title)
{
  g_return_if_fail (p != NULL);
  g_free (p->title);
  p->title = g_strdup (title);
}

const char *
vi_panel_get_title (ViPanel *p)
{
  return p->title;
}

void
vi_panel_set_axis_label (ViPanel    *p,
                         ViAxis      axis,
                         const char *label)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  g_free (p->label[axis]);
  p->label[axis] = g_strdup (label);
  p->label_markup[axis] = FALSE;
}

void
vi_panel_set_axis_markup (ViPanel    *p,
                          ViAxis      axis,
                          const char *markup)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  g_free (p->label[axis]);
  p->label[axis] = g_strdup (markup);
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

static gboolean
has_kind (ViPanel      *p,
          ViSeriesKind  kind)
{
  for (guint i = 0; i < p->series->len; i++)
    if (((ViSeries *) p->series->pdata[i])->kind == kind
        && !((ViSeries *) p->series->pdata[i])->hidden)
      return TRUE;
  return FALSE;
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
  if (axis == VI_AXIS_Y && has_kind (p, VI_SERIES_HEATMAP))
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

void
vi_panel_set_legend (ViPanel          *p,
                     ViLegendPosition  position)
{
  g_return_if_fail (p != NULL);
  p->legend = position;
}

void
vi_panel_set_grid (ViPanel  *p,
                   gboolean  grid)
{
  g_return_if_fail (p != NULL);
  p->grid = grid;
}

void
vi_panel_set_categories (ViPanel           *p,
                         const char *const *labels)
{
  g_return_if_fail (p != NULL);
  g_strfreev (p->categories);
  p->categories = strv_copy_or_null (labels);
}

void
vi_panel_clear (ViPanel *p)
{
  g_return_if_fail (p != NULL);
  g_ptr_array_set_size (p->series, 0);
  p->next_color = 0;
}

guint
vi_panel_get_n_series (ViPanel *p)
{
  return p->series->len;
}

ViSeries *
vi_panel_get_series (ViPanel *p,
                     guint    index)
{
  g_return_val_if_fail (p != NULL, NULL);
  return index < p->series->len ? p->series->pdata[index] : NULL;
}

gboolean
vi_panel_get_plot_area (ViPanel *p,
                        double  *x,
                        double  *y,
                        double  *width,
                        double  *height)
{
  g_return_val_if_fail (p != NULL, FALSE);
  if (!p->laid_out)
    return FALSE;
  if (x != NULL)
    *x = p->ax;
  if (y != NULL)
    *y = p->ay;
  if (width != NULL)
    *width = p->aw;
  if (height != NULL)
    *height = p->ah;
  return TRUE;
}

gboolean
vi_panel_pixel_to_data (ViPanel *p,
                        double   px,
                        double   py,
                        double  *x,
                        double  *y)
{
  double tx, ty;

  g_return_val_if_fail (p != NULL, FALSE);
  if (!p->laid_out)
    return FALSE;
  tx = p->tlo[0] + (px - p->ax) / p->aw * (p->thi[0] - p->tlo[0]);
  ty = p->tlo[1] + (p->ay + p->ah - py) / p->ah * (p->thi[1] - p->tlo[1]);
  if (x != NULL)
    *x = vi_axis_untransform (p->scale[0], tx);
  if (y != NULL)
    *y = vi_axis_untransform (p->scale[1], ty);
  return TRUE;
}

gboolean
vi_panel_data_to_pixel (ViPanel *p,
                        double   x,
                        double   y,
                        double  *px,
                        double  *py)
{
  double tx, ty;

  g_return_val_if_fail (p != NULL, FALSE);
  if (!p->laid_out)
    return FALSE;
  tx = vi_axis_transform (p->scale[0], x);
  ty = vi_axis_transform (p->scale[1], y);
  if (px != NULL)
    *px = p->ax + (tx - p->tlo[0]) / (p->thi[0] - p->tlo[0]) * p->aw;
  if (py != NULL)
    *py = p->ay + p->ah - (ty - p->tlo[1]) / (p->thi[1] - p->tlo[1]) * p->ah;
  return TRUE;
}

/* ---- figure ------------------------------------------------------------- */

ViFigure *
vi_figure_create (guint rows,
                  guint cols)
{
  ViFigure *fig;

  rows = CLAMP (rows, 1, MAX_GRID);
  cols = CLAMP (cols, 1, MAX_GRID);
  fig = g_new0 (ViFigure, 1);
  fig->rows = rows;
  fig->cols = cols;
  fig->font_scale = 1.0;
  fig->theme = VI_THEME_LIGHT;
  fig->panels = g_new0 (ViPanel *, rows * cols);
  for (guint i = 0; i < rows * cols; i++)
    fig->panels[i] = panel_new (fig);
  return fig;
}

void
vi_figure_free (ViFigure *fig)
{
  if (fig == NULL)
    return;
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    panel_free (fig->panels[i]);
  g_free (fig->panels);
  g_free (fig->title);
  g_free (fig->font_family);
  g_free (fig);
}

void
vi_figure_set_title (ViFigure   *fig,
                     const char *title)
{
  g_return_if_fail (fig != NULL);
  g_free (fig->title);
  fig->title = g_strdup (title);
}

const char *
vi_figure_get_title (ViFigure *fig)
{
  return fig->title;
}

guint
vi_figure_get_n_rows (ViFigure *fig)
{
  return fig->rows;
}

guint
vi_figure_get_n_cols (ViFigure *fig)
{
  return fig->cols;
}

ViPanel *
vi_figure_get_panel (ViFigure *fig,
                     guint     row,
                     guint     col)
{
  g_return_val_if_fail (fig != NULL, NULL);
  if (row >= fig->rows || col >= fig->cols)
    return NULL;
  return fig->panels[row * fig->cols + col];
}

void
vi_figure_set_theme (ViFigure *fig,
                     ViTheme   theme)
{
  g_return_if_fail (fig != NULL);
  fig->theme = (guint) theme <= VI_THEME_PRINT ? theme : VI_THEME_LIGHT;
}

ViTheme
vi_figure_get_theme (ViFigure *fig)
{
  return fig->theme;
}

void
vi_figure_set_font_scale (ViFigure *fig,
                          double    font_scale)
{
  g_return_if_fail (fig != NULL);
  fig->font_scale = isfinite (font_scale) ? CLAMP (font_scale, 0.25, 8) : 1.0;
}

double
vi_figure_get_font_scale (ViFigure *fig)
{
  return fig->font_scale;
}

void
vi_figure_set_font_family (ViFigure   *fig,
                           const char *family)
{
  g_return_if_fail (fig != NULL);
  g_free (fig->font_family);
  fig->font_family = g_strdup (family);
}

void
vi_figure_set_transparent (ViFigure *fig,
                           gboolean  transparent)
{
  g_return_if_fail (fig != NULL);
  fig->transparent = transparent;
}

ViPanel *
vi_figure_get_panel_at (ViFigure *fig,
                        double    px,
                        double    py)
{
  g_return_val_if_fail (fig != NULL, NULL);
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    {
      ViPanel *p = fig->panels[i];

      if (p->laid_out && px >= p->ax && px <= p->ax + p->aw && py >= p->ay && py <= p->ay + p->ah)
        return p;
    }
  return NULL;
}

/* ---- CSV ---------------------------------------------------------------- */

typedef struct
{
  char   *header;
  GArray *values;    /* double, or NULL for text */
  GPtrArray *text;   /* char*, for text columns */
} CsvColumn;

static void
csv_column_free (gpointer data)
{
  CsvColumn *c = data;

  g_free (c->header);
  if (c->values != NULL)
    g_array_unref (c->values);
  if (c->text != NULL)
    g_ptr_array_unref (c->text);
  g_free (c);
}

static CsvColumn *
csv_add (GPtrArray  *cols,
         const char *prefix,
         const char *coord)
{
  CsvColumn *c = g_new0 (CsvColumn, 1);

  c->header = g_strdup_printf ("%s:%s", prefix, coord);
  c->values = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (cols, c);
  return c;
}

static void
csv_add_array (GPtrArray  *cols,
               const char *prefix,
               const char *coord,
               GArray     *a)
{
  CsvColumn *c = csv_add (cols, prefix, coord);

  g_array_append_vals (c->values, a->data, a->len);
}

static void
csv_append_quoted (GString    *out,
                   const char *s)
{
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      if (*s == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

static void
series_csv_columns (ViSeries   *s,
                    const char *prefix,
                    GPtrArray  *cols)
{
  CsvColumn *c, *c2, *c3;

  switch (s->kind)
    {
    case VI_SERIES_LINE:
    case VI_SERIES_STEP:
    case VI_SERIES_SCATTER:
      csv_add_array (cols, prefix, "x", s->x);
      csv_add_array (cols, prefix, "y", s->y);
      if (s->categories != NULL)
        {
          c = csv_add (cols, prefix, "category");
          for (guint i = 0; i < s->y->len; i++)
            {
              double v = s->categories[i];
              g_array_append_val (c->values, v);
            }
        }
      if (s->values != NULL)
        {
          c = csv_add (cols, prefix, "value");
          g_array_append_vals (c->values, s->values, s->y->len);
        }
      break;
    case VI_SERIES_BAND:
      csv_add_array (cols, prefix, "x", s->x);
      csv_add_array (cols, prefix, "lower", s->y);
      csv_add_array (cols, prefix, "upper", s->y2);
      break;
    case VI_SERIES_BARS:
      csv_add_array (cols, prefix, "category", s->x);
      csv_add_array (cols, prefix, "height", s->y);
      if (s->y2->len > 0)
        csv_add_array (cols, prefix, "error", s->y2);
      break;
    case VI_SERIES_HISTOGRAM:
      c = csv_add (cols, prefix, "left");
      c2 = csv_add (cols, prefix, "right");
      for (guint i = 0; i + 1 < s->x->len; i++)
        {
          g_array_append_val (c->values, g_array_index (s->x, double, i));
          g_array_append_val (c2->values, g_array_index (s->x, double, i + 1));
        }
      csv_add_array (cols, prefix, "count", s->y);
      break;
    case VI_SERIES_HLINE:
      c = csv_add (cols, prefix, "y");
      g_array_append_val (c->values, s->value);
      break;
    case VI_SERIES_VLINE:
      c = csv_add (cols, prefix, "x");
      g_array_append_val (c->values, s->value);
      break;
    case VI_SERIES_HEATMAP:
      c = csv_add (cols, prefix, "row");
      c2 = csv_add (cols, prefix, "col");
      c3 = csv_add (cols, prefix, "z");
      for (gsize r = 0; r < s->rows; r++)
        for (gsize k = 0; k < s->cols; k++)
          {
            double vr = r, vk = k;

            g_array_append_val (c->values, vr);
            g_array_append_val (c2->values, vk);
            g_array_append_val (c3->values, s->z[r * s->cols + k]);
          }
      break;
    case VI_SERIES_IMAGES:
      {
        gsize per = s->img_h * s->img_w;
        const char *names[3] = { "r", "g", "b" };
        CsvColumn *cc[3] = { NULL, NULL, NULL };

        c = csv_add (cols, prefix, "image");
        c2 = csv_add (cols, prefix, "row");
        c3 = csv_add (cols, prefix, "col");
        for (guint k = 0; k < s->channels; k++)
          cc[k] = csv_add (cols, prefix, s->channels == 1 ? "value" : names[k]);
        for (gsize i = 0; i < s->n_images * per; i++)
          {
            double vi = (double) (i / per), vr = (double) ((i % per) / s->img_w);
            double vc = (double) (i % s->img_w);

            g_array_append_val (c->values, vi);
            g_array_append_val (c2->values, vr);
            g_array_append_val (c3->values, vc);
            for (guint k = 0; k < s->channels; k++)
              g_array_append_val (cc[k]->values, s->pixels[i * s->channels + k]);
          }
      }
      break;
    case VI_SERIES_TEXT:
      csv_add_array (cols, prefix, "x", s->x);
      csv_add_array (cols, prefix, "y", s->y);
      c = g_new0 (CsvColumn, 1);
      c->header = g_strdup_printf ("%s:text", prefix);
      c->text = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (c->text, g_strdup (s->text));
      g_ptr_array_add (cols, c);
      break;
    default:
      break;
    }
}

char *
vi_figure_to_csv (ViFigure *fig)
{
  g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func (csv_column_free);
  GString *out = g_string_new (NULL);
  guint rows = 0;

  g_return_val_if_fail (fig != NULL, NULL);
  for (guint pi = 0; pi < fig->rows * fig->cols; pi++)
    {
      ViPanel *p = fig->panels[pi];

      for (guint i = 0; i < p->series->len; i++)
        {
          ViSeries *s = p->series->pdata[i];
          g_autofree char *name = NULL;
          g_autofree char *prefix = NULL;

          if (s->hidden)
            continue;
          if (*s->name != '\0')
            name = g_strdup (s->name);
          else
            name = g_strdup_printf ("series %u", i + 1);
          if (fig->rows * fig->cols > 1)
            prefix = g_strdup_printf ("%s/%s", p->title != NULL && *p->title != '\0'
                                      ? p->title : "panel", name);
          else
            prefix = g_strdup (name);
          if (fig->rows * fig->cols > 1 && (p->title == NULL || *p->title == '\0'))
            {
              g_free (prefix);
              prefix = g_strdup_printf ("panel %u/%s", pi + 1, name);
            }
          series_csv_columns (s, prefix, cols);
        }
    }

  for (guint c = 0; c < cols->len; c++)
    {
      CsvColumn *col = cols->pdata[c];

      if (c > 0)
        g_string_append_c (out, ',');
      csv_append_quoted (out, col->header);
      rows = MAX (rows, col->values != NULL ? col->values->len : col->text->len);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < rows; r++)
    {
      for (guint c = 0; c < cols->len; c++)
        {
          CsvColumn *col = cols->pdata[c];

          if (c > 0)
            g_string_append_c (out, ',');
          if (col->values != NULL && r < col->values->len)
            {
              double v = g_array_index (col->values, double, r);
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              if (isnan (v))
                g_string_append (out, "NaN");
              else if (isinf (v))
                g_string_append (out, v > 0 ? "inf" : "-inf");
              else
                g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v));
            }
          else if (col->text != NULL && r < col->text->len)
            csv_append_quoted (out, col->text->pdata[r]);
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

/* ---- export ------------------------------------------------------------- */

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} WriteClosure;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteClosure *wc = closure;

  if (wc->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (wc->stream, data, length, NULL, NULL, &wc->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static GFileOutputStream *
open_for_replace (const char  *path,
                  GFile      **file_out,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local = NULL;
  GFileOutputStream *stream;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &local);
  if (stream == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: cannot write: %s", path,
                   local->message);
      return NULL;
    }
  *file_out = g_steal_pointer (&file);
  return stream;
}

static gboolean
finish_stream (const char     *path,
               GOutputStream  *stream,
               WriteClosure   *wc,
               cairo_status_t  status,
               GError        **error)
{
  g_autoptr(GError) close_error = NULL;

  if (wc->error != NULL || status != CAIRO_STATUS_SUCCESS)
    {
      GCancellable *cancel = g_cancellable_new ();

      /* Abort the replace so the old file (if any) stays. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (stream, cancel, NULL);
      g_object_unref (cancel);
      if (wc->error != NULL)
        g_set_error (error, wc->error->domain, wc->error->code, "%s: write failed: %s", path,
                     wc->error->message);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: drawing failed: %s", path,
                     cairo_status_to_string (status));
      g_clear_error (&wc->error);
      return FALSE;
    }
  if (!g_output_stream_close (stream, NULL, &close_error))
    {
      g_set_error (error, close_error->domain, close_error->code, "%s: write failed: %s", path,
                   close_error->message);
      return FALSE;
    }
  return TRUE;
}

typedef enum { FMT_PNG, FMT_SVG, FMT_PDF, FMT_UNKNOWN } Format;

static Format
format_from_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, '/');

  if (dot == NULL || (slash != NULL && dot < slash))
    return FMT_UNKNOWN;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return FMT_PNG;
  if (g_ascii_strcasecmp (dot, ".svg") == 0)
    return FMT_SVG;
  if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    return FMT_PDF;
  return FMT_UNKNOWN;
}

gboolean
vi_figure_export (ViFigure    *fig,
                  const char  *path,
                  double       width,
                  double       height,
                  double       scale,
                  GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  WriteClosure wc = { NULL, NULL };
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;
  Format fmt;

  g_return_val_if_fail (fig != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  fmt = format_from_path (path);
  if (fmt == FMT_UNKNOWN)
    {
      const char *dot = strrchr (path, '.');

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: unknown file type '%s' (use .png, .svg or .pdf)", path,
                   dot != NULL && strchr (dot, '/') == NULL ? dot : "no extension");
      return FALSE;
    }
  if (!(width >= 1 && width <= MAX_EXPORT_SIDE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: width must be in [1, %g] points (got %g)", path, MAX_EXPORT_SIDE, width);
      return FALSE;
    }
  if (!(height >= 1 && height <= MAX_EXPORT_SIDE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: height must be in [1, %g] points (got %g)", path, MAX_EXPORT_SIDE, height);
      return FALSE;
    }
  if (fmt == FMT_PNG)
    {
      if (!(scale > 0) || !isfinite (scale))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: scale must be > 0 (got %g)", path, scale);
          return FALSE;
        }
      if (round (width * scale) < 1 || round (height * scale) < 1
          || round (width * scale) > MAX_PNG_PIXELS || round (height * scale) > MAX_PNG_PIXELS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: PNG size %g × %g pixels is outside [1, %g]", path,
                       round (width * scale), round (height * scale), MAX_PNG_PIXELS);
          return FALSE;
        }
    }

  stream = open_for_replace (path, &file, error);
  if (stream == NULL)
    return FALSE;
  wc.stream = G_OUTPUT_STREAM (stream);

  switch (fmt)
    {
    case FMT_PNG:
      {
        int pw = (int) round (width * scale), ph = (int) round (height * scale);

        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
        cr = cairo_create (surface);
        cairo_scale (cr, pw / width, ph / height);
        vi_figure_draw (fig, cr, width, height);
        status = cairo_status (cr);
        cairo_destroy (cr);
        if (status == CAIRO_STATUS_SUCCESS)
          status = cairo_surface_write_to_png_stream (surface, write_cb, &wc);
      }
      break;
    case FMT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, &wc, width, height);
      cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
      goto vector;
    case FMT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_cb, &wc, width, height);
      if (fig->title != NULL)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, fig->title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "ELBO Lab");
    vector:
      cr = cairo_create (surface);
      vi_figure_draw (fig, cr, width, height);
      status = cairo_status (cr);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
      break;
    case FMT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  cairo_surface_destroy (surface);
  return finish_stream (path, G_OUTPUT_STREAM (stream), &wc, status, error);
}

gboolean
vi_figure_export_csv (ViFigure    *fig,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *csv = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (fig != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  csv = vi_figure_to_csv (fig);
  if (!g_file_set_contents (path, csv, -1, &local))
    {
      g_set_error (error, G_FILE_ERROR, local->code, "%s: cannot write: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}
