/* vi-figure-private.h — internals shared by the files of src/plot
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "vi-decimate.h"
#include "vi-figure.h"

G_BEGIN_DECLS

typedef struct
{
  ViColor  background;
  ViColor  foreground;
  ViColor  muted;          /* tick labels, "no data" */
  ViColor  axis;
  ViColor  grid;
  ViColor  legend_bg;
  ViColor  legend_border;
  ViColor  reference;      /* reference lines */
  gboolean full_frame;     /* box around the plot instead of left+bottom spines */
  gboolean grid_on;
  gboolean cycle_dashes;   /* series dashes follow the palette slot */
} ViThemeColors;

struct _ViSeries
{
  ViPanel      *panel;
  ViSeriesKind  kind;
  char         *name;
  char         *data_name;   /* untranslated name for CSV, or NULL: name */

  /* line, scatter, step, band, text: x and y (band: y = lower, y2 = upper);
   * bars: y = heights, y2 = errors (may be empty); histogram: x = edges
   * (n + 1), y = counts; hline/vline: value. */
  GArray       *x;
  GArray       *y;
  GArray       *y2;
  double        value;
  char         *text;

  /* Running bounds of the data (finite values only). */
  ViRange       bx;
  ViRange       by;
  gboolean      x_sorted;    /* x non-decreasing and finite so far */
  ViPyramid    *pyramid;     /* over y, for line/step decimation */

  /* scatter colouring */
  guint        *categories;  /* n points, or NULL */
  char        **category_names;
  double       *values;      /* n points, or NULL; bars: the true heights */
  double        vmin, vmax;
  ViColormap    map;
  char         *colorbar_label;

  /* heat map */
  double       *z;
  gsize         rows, cols;
  char        **row_labels;
  char        **col_labels;

  /* images */
  double       *pixels;
  gsize         n_images, img_h, img_w;
  guint         channels;
  char        **captions;
  guint         grid_cols;

  /* style */
  guint         color_index;
  gboolean      has_color;
  ViColor       color;
  double        alpha;
  double        line_width;
  ViDash        dash;
  gboolean      dash_set;
  ViMarker      marker;
  double        marker_size;
  gboolean      in_legend;
  char         *legend_group;  /* one legend entry per group (e.g. a run), or NULL */
  gboolean      hidden;      /* not drawn, not in ranges, legend, hits, CSV */
};

struct _ViPanel
{
  ViFigure        *fig;
  char            *title;
  char            *empty_message;       /* instead of "no data", NULL: that */
  char            *label[2];
  char            *data_label[2];  /* untranslated, for CSV; NULL: label */
  gboolean         label_markup[2];
  ViScale          scale[2];
  gboolean         fixed[2];
  double           fixed_lo[2], fixed_hi[2];
  gboolean         view[2];
  double           view_lo[2], view_hi[2];
  ViLegendPosition legend;
  gboolean         legend_collapsed;
  gboolean         grid;
  char           **categories;
  GPtrArray       *series;
  guint            next_color;

  /* Geometry of the last draw. */
  gboolean         laid_out;
  double           ax, ay, aw, ah;      /* plot area */
  double           tlo[2], thi[2];      /* drawn range, transformed (log10 on log axes) */
  gboolean         leg_drawn;
  double           leg_box[4];          /* x, y, w, h of the drawn legend */
  gboolean         text_drawn[3];       /* ViPanelText */
  double           text_box[3][4];      /* x, y, w, h of the drawn title and axis titles */
  GArray          *annotations;         /* double[4] boxes of the drawn annotations */
  GArray          *leg_entries;         /* ViLegendHit of the drawn legend's entries */
};

/* A drawn legend entry: its box in points and its legend group (owned), or
 * NULL for an entry that is no group. */
typedef struct
{
  double  box[4];
  char   *group;
} ViLegendHit;

struct _ViFigure
{
  guint     rows, cols;
  ViPanel **panels;
  char     *title;
  ViTheme   theme;
  double    font_scale;
  char     *font_family;
  gboolean  transparent;
  gboolean  drawn;
  char     *decimal_mark;   /* NULL: "." */
  gboolean  title_drawn;
  double    title_box[4];               /* x, y, w, h of the drawn title */
};

/* Transform of one panel: data → user units. */
typedef struct
{
  double  ax, ay, aw, ah;
  double  tlo[2], thi[2];
  ViScale scale[2];
} ViXform;

const ViThemeColors *vi_theme_colors (ViTheme theme);
void vi_colormap_stops (ViColormap map, guint *n, double *pos, ViColor *colors);

/* ---- series and panels (vi-series.c, vi-panel.c) ------------------------ */

/* A new series of @kind appended to @panel, with the defaults every kind
 * shares; (transfer none). */
ViSeries *vi_series_new (ViPanel *panel, ViSeriesKind kind, const char *name);
/* vi_series_new() and vi_series_push_xy(): a line, step or scatter. */
ViSeries *vi_series_add_xy (ViPanel *panel, ViSeriesKind kind, const char *name, const double *x,
                            const double *y, gsize n);
void vi_series_free (gpointer data);
/* vmin/vmax of the finite values of @v (an empty range if none). */
void vi_series_set_value_range (ViSeries *s, const double *v, gsize n);
/* Appends points to x/y (x NULL: continue the index) keeping bounds,
 * sortedness and the pyramid current: O(n) in the new points only. */
void vi_series_push_xy (ViSeries *s, const double *x, const double *y, gsize n);

ViPanel *vi_panel_new (ViFigure *fig);
void vi_panel_free (ViPanel *p);
/* The last draw's transform of @p (with its current scales); FALSE before
 * the first draw. */
gboolean vi_panel_get_xform (ViPanel *p, ViXform *xf);
/* The first visible series of @kind, or NULL. */
ViSeries *vi_panel_find_kind (ViPanel *p, ViSeriesKind kind);

/* Effective range of @axis (see vi_panel_get_range) and whether any data
 * contributes to it. */
gboolean vi_panel_compute_range (ViPanel *panel, ViAxis axis, double *lo, double *hi);
gboolean vi_panel_has_data (ViPanel *panel);
/* @axis's name as plain text: the data name (if @data), else the label with
 * markup stripped, else @fallback (vi-figure-csv.c). */
char *vi_panel_axis_text (ViPanel *panel, ViAxis axis, gboolean data, const char *fallback);
gboolean vi_panel_is_image_only (ViPanel *panel);
/* Number of bar series in the panel and the group slot of @series. */
guint vi_panel_bar_groups (ViPanel *panel, ViSeries *series, guint *slot);

/* The colour a series is drawn with (palette or explicit, times alpha). */
ViColor vi_series_resolve_color (ViSeries *s, ViTheme theme);
ViDash vi_series_resolve_dash (ViSeries *s, ViTheme theme);

static inline double
vi_axis_transform (ViScale scale,
                   double  v)
{
  return scale == VI_SCALE_LOG10 ? (v > 0 ? log10 (v) : NAN) : v;
}

static inline double
vi_axis_untransform (ViScale scale,
                     double  t)
{
  return scale == VI_SCALE_LOG10 ? pow (10, t) : t;
}

/* The x and y columns of @s into *@x, *@y (histogram: edges, counts);
 * returns the number of points (bins), the length of y. */
static inline gsize
vi_series_columns (const ViSeries  *s,
                   const double   **x,
                   const double   **y)
{
  *x = (const double *) s->x->data;
  *y = (const double *) s->y->data;
  return s->y->len;
}

/* Replaces the string (vector) in *@field by a copy of @value. */
static inline void
vi_set_str (char       **field,
            const char  *value)
{
  char *old = *field;

  *field = g_strdup (value);
  g_free (old);
}

static inline void
vi_set_strv (char              ***field,
             const char *const   *value)
{
  char **old = *field;

  *field = value != NULL ? g_strdupv ((char **) value) : NULL;
  g_strfreev (old);
}

/* The plain accessors of ViFigure, ViPanel and ViSeries, one line each:
 * a getter returns self->EXPR; a setter checks @self and stores @value in
 * self->FIELD (a string setter stores a copy). Accessors that clamp or
 * validate are written out. */
#define VI_DEFINE_GETTER(Type, func, Ret, expr) \
  Ret func (Type *self) { return self->expr; }
#define VI_DEFINE_SETTER(Type, func, Arg, field) \
  void func (Type *self, Arg value) { g_return_if_fail (self != NULL); self->field = value; }
#define VI_DEFINE_STR_SETTER(Type, func, field) \
  void func (Type *self, const char *value) \
  { g_return_if_fail (self != NULL); vi_set_str (&self->field, value); }

static inline double
vi_xf_x (const ViXform *xf,
         double         v)
{
  double t = vi_axis_transform (xf->scale[0], v);

  return xf->ax + (t - xf->tlo[0]) / (xf->thi[0] - xf->tlo[0]) * xf->aw;
}

static inline double
vi_xf_y (const ViXform *xf,
         double         v)
{
  double t = vi_axis_transform (xf->scale[1], v);

  return xf->ay + xf->ah - (t - xf->tlo[1]) / (xf->thi[1] - xf->tlo[1]) * xf->ah;
}

/* User units back to the transformed data coordinate (log10 on a log axis). */
static inline double
vi_xf_inverse_x (const ViXform *xf,
                 double         px)
{
  return xf->tlo[0] + (px - xf->ax) / xf->aw * (xf->thi[0] - xf->tlo[0]);
}

static inline double
vi_xf_inverse_y (const ViXform *xf,
                 double         py)
{
  return xf->tlo[1] + (xf->ay + xf->ah - py) / xf->ah * (xf->thi[1] - xf->tlo[1]);
}

G_END_DECLS
