/* vi-figure-draw.c — layout and rendering of figures, hit testing
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All lengths are in points (cairo user units). Text goes through Pango at
 * 72 dpi with hinting off, so a layout measures the same on every surface
 * and a PNG at 2× is the 1× picture, sharper.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "vi-figure-private.h"

#define MAX_TICKS 64
#define MAX_MINOR 256
#define MAX_LEGEND 64
#define COORD_LIMIT 1e6   /* user units; keeps cairo's fixed point happy */

typedef struct Layout Layout;

typedef enum { FONT_TICK, FONT_LABEL, FONT_TITLE, FONT_FIG_TITLE, FONT_LEGEND, N_FONTS } FontRole;

typedef struct
{
  ViFigure              *fig;
  cairo_t               *cr;
  const ViThemeColors   *tc;
  ViTheme                theme;
  double                 fs;
  PangoLayout           *layout;
  PangoFontDescription  *font[N_FONTS];
  double                 line_h[N_FONTS];
  GHashTable            *sizes;     /* "role|markup|text" → double[2] */
  gboolean               for_mask;  /* drawing the legend-avoidance mask */
  const Layout          *L;         /* layout of the panel being drawn, or NULL */
} Ctx;

/* Transform of one panel: data → user units. */
typedef struct
{
  double  ax, ay, aw, ah;
  double  tlo[2], thi[2];
  ViScale scale[2];
} Xform;

typedef struct
{
  ViSeries   *series;
  const char *text;
  guint       category;   /* G_MAXUINT: not a category entry */
  double      ex, ey;     /* swatch left and row centre, relative to the box */
} LegendEntry;

struct Layout
{
  /* ticks: values in data units, positions along the axis */
  double      ticks[2][MAX_TICKS];
  char       *labels[2][MAX_TICKS];
  guint       n_ticks[2];
  double      minor[2][MAX_MINOR];
  guint       n_minor[2];
  double      label_w[2];        /* widest tick label */
  int         mult_exp[2];       /* labels are value / 10^mult_exp (0: none) */
  gboolean    rotate_x;
  double      xlab_h;

  /* colour bar */
  ViSeries   *cbar;
  double      cbar_ticks[MAX_TICKS];
  char       *cbar_labels[MAX_TICKS];
  guint       n_cbar;
  double      cbar_w;            /* total width reserved */

  /* legend */
  LegendEntry entries[MAX_LEGEND];
  guint       n_entries;
  double      leg_w, leg_h, leg_row_h, leg_text_x;
  gboolean    leg_outside;
  gboolean    leg_top;           /* outside, above the plot, entries in rows */
  double      leg_x, leg_y;

  gboolean    axes;
  Xform       xf;

  /* data mask (see build_mask), NULL when not needed */
  guint32    *sat;
  int         mw, mh;
  gboolean    has_legend_box;   /* an inside legend at leg_x, leg_y */
};

/* ---- text --------------------------------------------------------------- */

/* Pango 1.50 sizes <sub>/<sup> (font_scale attributes) wrongly at 72 dpi,
 * so they become spans with an explicit size and rise. */
static char *
rewrite_sub_sup (const char *markup,
                 double      size_pt)
{
  GString *out = g_string_new (NULL);
  char sub[64], sup[64];

  g_snprintf (sub, sizeof sub, "<span size='70%%' rise='%d'>",
              (int) lround (-0.18 * size_pt * PANGO_SCALE));
  g_snprintf (sup, sizeof sup, "<span size='70%%' rise='%d'>",
              (int) lround (0.38 * size_pt * PANGO_SCALE));
  for (const char *p = markup; *p;)
    {
      if (g_str_has_prefix (p, "<sub>"))
        g_string_append (out, sub), p += 5;
      else if (g_str_has_prefix (p, "<sup>"))
        g_string_append (out, sup), p += 5;
      else if (g_str_has_prefix (p, "</sub>") || g_str_has_prefix (p, "</sup>"))
        g_string_append (out, "</span>"), p += 6;
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static void
set_text (Ctx        *ctx,
          FontRole    role,
          const char *text,
          gboolean    markup)
{
  pango_layout_set_font_description (ctx->layout, ctx->font[role]);
  /* set_markup leaves its attributes on the layout; clear them for text. */
  pango_layout_set_attributes (ctx->layout, NULL);
  if (markup && (strstr (text, "<sub>") != NULL || strstr (text, "<sup>") != NULL))
    {
      double size = (double) pango_font_description_get_size (ctx->font[role]) / PANGO_SCALE;
      g_autofree char *fixed = rewrite_sub_sup (text, size);

      pango_layout_set_markup (ctx->layout, fixed, -1);
    }
  else if (markup)
    pango_layout_set_markup (ctx->layout, text, -1);
  else
    pango_layout_set_text (ctx->layout, text, -1);
}

/* Logical size of @text; memoised per draw, since layout is the costly
 * part of drawing text and labels are measured several times. */
static void
text_size (Ctx        *ctx,
           FontRole    role,
           const char *text,
           gboolean    markup,
           double     *w,
           double     *h)
{
  PangoRectangle logical;
  g_autofree char *key = g_strdup_printf ("%d%d%s", (int) role, markup ? 1 : 0, text);
  double *wh = g_hash_table_lookup (ctx->sizes, key);

  if (wh == NULL)
    {
      set_text (ctx, role, text, markup);
      pango_layout_get_extents (ctx->layout, NULL, &logical);
      wh = g_new (double, 2);
      wh[0] = (double) logical.width / PANGO_SCALE;
      wh[1] = (double) logical.height / PANGO_SCALE;
      g_hash_table_insert (ctx->sizes, g_steal_pointer (&key), wh);
    }
  if (w != NULL)
    *w = wh[0];
  if (h != NULL)
    *h = wh[1];
}

static double
line_height (Ctx      *ctx,
             FontRole  role)
{
  if (ctx->line_h[role] == 0)
    text_size (ctx, role, "0Ag", FALSE, NULL, &ctx->line_h[role]);
  return ctx->line_h[role];
}

/* Draws @text with its box aligned at (x, y): @xalign/@yalign 0 = left/top,
 * 0.5 = centre, 1 = right/bottom, in the text's own frame after rotating by
 * @angle (radians, counter-clockwise positive on screen). */
static void
draw_text (Ctx           *ctx,
           FontRole       role,
           const char    *text,
           gboolean       markup,
           double         x,
           double         y,
           double         xalign,
           double         yalign,
           double         angle,
           const ViColor *color)
{
  double w, h;
  cairo_t *cr = ctx->cr;

  if (text == NULL || *text == '\0')
    return;
  text_size (ctx, role, text, markup, &w, &h);
  set_text (ctx, role, text, markup);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  if (angle != 0)
    cairo_rotate (cr, -angle);
  cairo_move_to (cr, -xalign * w, -yalign * h);
  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a);
  pango_cairo_update_layout (cr, ctx->layout);
  pango_cairo_show_layout (cr, ctx->layout);
  cairo_restore (cr);
}

/* ---- helpers ------------------------------------------------------------ */

static void
set_color (cairo_t       *cr,
           const ViColor *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static void
set_dash (Ctx   *ctx,
          ViDash dash,
          double width)
{
  double w = MAX (width, 0.5);
  double d[4];

  switch (dash)
    {
    case VI_DASH_DASHED:
      d[0] = 4 * w, d[1] = 2.5 * w;
      cairo_set_dash (ctx->cr, d, 2, 0);
      break;
    case VI_DASH_DOTTED:
      d[0] = 0.01, d[1] = 2 * w;
      cairo_set_line_cap (ctx->cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (ctx->cr, d, 2, 0);
      break;
    case VI_DASH_DASH_DOT:
      d[0] = 4 * w, d[1] = 2 * w, d[2] = 0.01, d[3] = 2 * w;
      cairo_set_line_cap (ctx->cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (ctx->cr, d, 4, 0);
      break;
    case VI_DASH_SOLID:
    default:
      cairo_set_dash (ctx->cr, NULL, 0, 0);
      break;
    }
}

static inline double
clampc (double v)
{
  return CLAMP (v, -COORD_LIMIT, COORD_LIMIT);
}

static inline double
xf_x (const Xform *xf,
      double       v)
{
  double t = vi_axis_transform (xf->scale[0], v);

  return xf->ax + (t - xf->tlo[0]) / (xf->thi[0] - xf->tlo[0]) * xf->aw;
}

static inline double
xf_y (const Xform *xf,
      double       v)
{
  double t = vi_axis_transform (xf->scale[1], v);

  return xf->ay + xf->ah - (t - xf->tlo[1]) / (xf->thi[1] - xf->tlo[1]) * xf->ah;
}

/* Liang–Barsky clip of segment (x0,y0)–(x1,y1) to the box; FALSE if outside. */
static gboolean
clip_segment (double  bx0,
              double  by0,
              double  bx1,
              double  by1,
              double *x0,
              double *y0,
              double *x1,
              double *y1)
{
  double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *x0 - bx0, bx1 - *x0, *y0 - by0, by1 - *y0 };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
        }
      else
        {
          double r = q[i] / p[i];

          if (p[i] < 0)
            {
              if (r > t1)
                return FALSE;
              if (r > t0)
                t0 = r;
            }
          else
            {
              if (r < t0)
                return FALSE;
              if (r < t1)
                t1 = r;
            }
        }
    }
  if (t1 < 1)
    {
      *x1 = *x0 + t1 * dx;
      *y1 = *y0 + t1 * dy;
    }
  if (t0 > 0)
    {
      *x0 = *x0 + t0 * dx;
      *y0 = *y0 + t0 * dy;
    }
  return TRUE;
}

/* A polyline builder that breaks at invalid points and clips each segment to
 * a box around the plot area, so far-away points cannot overflow cairo. */
typedef struct
{
  cairo_t *cr;
  double   bx0, by0, bx1, by1;
  gboolean have_prev;
  double   px, py;
  gboolean pen_at_prev;
} Poly;

static void
poly_init (Poly        *pl,
           cairo_t     *cr,
           const Xform *xf)
{
  double m = 50;

  pl->cr = cr;
  pl->bx0 = xf->ax - m;
  pl->by0 = xf->ay - m;
  pl->bx1 = xf->ax + xf->aw + m;
  pl->by1 = xf->ay + xf->ah + m;
  pl->have_prev = FALSE;
  pl->pen_at_prev = FALSE;
}

static void
poly_break (Poly *pl)
{
  pl->have_prev = FALSE;
  pl->pen_at_prev = FALSE;
}

static void
poly_point (Poly  *pl,
            double x,
            double y)
{
  if (!isfinite (x) || !isfinite (y))
    {
      poly_break (pl);
      return;
    }
  if (pl->have_prev)
    {
      double x0 = pl->px, y0 = pl->py, x1 = x, y1 = y;

      if (clip_segment (pl->bx0, pl->by0, pl->bx1, pl->by1, &x0, &y0, &x1, &y1))
        {
          if (!pl->pen_at_prev || x0 != pl->px || y0 != pl->py)
            cairo_move_to (pl->cr, x0, y0);
          cairo_line_to (pl->cr, x1, y1);
          pl->pen_at_prev = x1 == x && y1 == y;
        }
      else
        pl->pen_at_prev = FALSE;
    }
  else if (x >= pl->bx0 && x <= pl->bx1 && y >= pl->by0 && y <= pl->by1)
    {
      /* A lone point still shows (as a dot with round caps). */
      cairo_move_to (pl->cr, x, y);
      cairo_line_to (pl->cr, x, y);
      cairo_move_to (pl->cr, x, y);
      pl->pen_at_prev = TRUE;
    }
  pl->px = x;
  pl->py = y;
  pl->have_prev = TRUE;
}

static gboolean
valid_point (const Xform *xf,
             double       x,
             double       y)
{
  if (!isfinite (x) || !isfinite (y))
    return FALSE;
  if (xf->scale[0] == VI_SCALE_LOG10 && x <= 0)
    return FALSE;
  if (xf->scale[1] == VI_SCALE_LOG10 && y <= 0)
    return FALSE;
  return TRUE;
}

static void
marker_path (cairo_t  *cr,
             ViMarker  marker,
             double    x,
             double    y,
             double    size)
{
  double r = size / 2;

  switch (marker)
    {
    case VI_MARKER_SQUARE:
      cairo_rectangle (cr, x - r * 0.886, y - r * 0.886, r * 1.772, r * 1.772);
      break;
    case VI_MARKER_TRIANGLE:
      cairo_move_to (cr, x, y - r * 1.15);
      cairo_line_to (cr, x + r, y + r * 0.58);
      cairo_line_to (cr, x - r, y + r * 0.58);
      cairo_close_path (cr);
      break;
    case VI_MARKER_DIAMOND:
      cairo_move_to (cr, x, y - r * 1.2);
      cairo_line_to (cr, x + r * 0.85, y);
      cairo_line_to (cr, x, y + r * 1.2);
      cairo_line_to (cr, x - r * 0.85, y);
      cairo_close_path (cr);
      break;
    case VI_MARKER_CROSS:
      cairo_move_to (cr, x - r, y - r);
      cairo_line_to (cr, x + r, y + r);
      cairo_move_to (cr, x - r, y + r);
      cairo_line_to (cr, x + r, y - r);
      break;
    case VI_MARKER_CIRCLE:
    case VI_MARKER_NONE:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    }
}

static void
marker_paint (cairo_t  *cr,
              ViMarker  marker,
              double    width)
{
  if (marker == VI_MARKER_CROSS)
    {
      cairo_set_line_width (cr, MAX (1.0, width));
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_stroke (cr);
    }
  else
    cairo_fill (cr);
}

/* ---- series ------------------------------------------------------------- */

static double
device_scale_x (cairo_t *cr)
{
  double dx = 1, dy = 0, sx = 1, sy = 1;

  /* The CTM excludes the surface's device scale (HiDPI widgets). */
  cairo_user_to_device_distance (cr, &dx, &dy);
  cairo_surface_get_device_scale (cairo_get_target (cr), &sx, &sy);
  return MAX (hypot (dx * sx, dy * sy), 1e-3);
}

/* Draws points [a, b) of a line through the polyline builder. */
static void
line_raw (const Xform  *xf,
          Poly         *pl,
          const double *x,
          const double *y,
          gsize         a,
          gsize         b)
{
  for (gsize i = a; i < b; i++)
    {
      if (!valid_point (xf, x[i], y[i]))
        poly_break (pl);
      else
        poly_point (pl, xf_x (xf, x[i]), xf_y (xf, y[i]));
    }
}

/* Index range [*a, *b) of the points of a sorted series inside the x range,
 * plus one neighbour on each side so the line runs to the edges. */
static void
visible_range (ViSeries    *s,
               const Xform *xf,
               gsize       *a,
               gsize       *b,
               double      *e0,
               double      *e1)
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

static void
draw_line_series (Ctx         *ctx,
                  const Xform *xf,
                  ViSeries    *s)
{
  cairo_t *cr = ctx->cr;
  const double *x = (const double *) s->x->data;
  const double *y = (const double *) s->y->data;
  gsize n = s->y->len, a = 0, b = n;
  ViColor c = vi_series_resolve_color (s, ctx->theme);
  gboolean flipped_x = xf->thi[0] < xf->tlo[0];
  gboolean logy = xf->scale[1] == VI_SCALE_LOG10;
  double e0, e1;
  Poly pl;

  if (n == 0)
    return;
  if (ctx->for_mask)
    c.a = 1;
  cairo_save (cr);
  set_color (cr, &c);
  cairo_set_line_width (cr, s->line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  set_dash (ctx, vi_series_resolve_dash (s, ctx->theme), s->line_width);
  poly_init (&pl, cr, xf);

  if (s->x_sorted && !flipped_x)
    {
      visible_range (s, xf, &a, &b, &e0, &e1);
      if (a > 0)
        a--;
      if (b < n)
        b++;
    }

  if (s->x_sorted && !flipped_x && s->pyramid != NULL && s->kind == VI_SERIES_LINE)
    {
      double sx = device_scale_x (cr);
      gsize ncol = (gsize) CLAMP (ceil (xf->aw * sx), 1, 100000);

      if (b - a > 4 * ncol)
        {
          /* Per-device-pixel-column decimation: first, min, max, last. */
          g_autofree double *edges = g_new (double, ncol + 1);
          g_autofree ViColumn *cols = g_new (ViColumn, ncol);
          g_autofree gsize *col_of = g_new (gsize, ncol);
          gsize nc, i0, i1;

          for (gsize c2 = 0; c2 <= ncol; c2++)
            edges[c2] = vi_axis_untransform (xf->scale[0],
                                             xf->tlo[0] + (xf->thi[0] - xf->tlo[0])
                                             * (double) c2 / ncol);
          nc = vi_decimate_columns (s->pyramid, x, y, n, edges, ncol, cols, col_of);
          /* Round joins on thousands of tiny segments cost more than the
           * rest of the figure and look the same as bevels. */
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
          i0 = vi_lower_bound (x, n, edges[0]);
          if (i0 > 0)
            line_raw (xf, &pl, x, y, i0 - 1, i0);
          for (gsize k = 0; k < nc; k++)
            {
              ViColumn *col = &cols[k];
              double cx = xf->ax + (col_of[k] + 0.5) / sx;
              double lo = logy ? col->range.minpos : col->range.min;
              double hi = col->range.max;
              gboolean gap = (col->range.flags & VI_RANGE_NONFINITE)
                             || (logy && (col->range.flags & VI_RANGE_NONPOS));

              if (col->last - col->first < 8 || gap)
                {
                  if (col->last - col->first < 64)
                    {
                      line_raw (xf, &pl, x, y, col->first, col->last + 1);
                      continue;
                    }
                  /* Many points with a gap: the column's extent, isolated. */
                  line_raw (xf, &pl, x, y, col->first, col->first + 1);
                  poly_break (&pl);
                  if (lo <= hi)
                    {
                      poly_point (&pl, cx, xf_y (xf, lo));
                      poly_point (&pl, cx, xf_y (xf, hi));
                    }
                  poly_break (&pl);
                  line_raw (xf, &pl, x, y, col->last, col->last + 1);
                  continue;
                }
              /* Two vertices per column, ordered by the column's trend:
               * the path covers exactly the column's min…max span. */
              if (y[col->first] <= y[col->last])
                {
                  poly_point (&pl, cx, xf_y (xf, lo));
                  poly_point (&pl, cx, xf_y (xf, hi));
                }
              else
                {
                  poly_point (&pl, cx, xf_y (xf, hi));
                  poly_point (&pl, cx, xf_y (xf, lo));
                }
            }
          i1 = nc > 0 ? cols[nc - 1].last + 1 : i0;
          if (i1 < n)
            line_raw (xf, &pl, x, y, i1, i1 + 1);
          cairo_stroke (cr);
          cairo_restore (cr);
          return;
        }
    }

  line_raw (xf, &pl, x, y, a, b);
  cairo_stroke (cr);

  if (s->marker != VI_MARKER_NONE && b - a <= 5000)
    {
      for (gsize i = a; i < b; i++)
        if (valid_point (xf, x[i], y[i]))
          {
            double px = xf_x (xf, x[i]), py = xf_y (xf, y[i]);

            if (fabs (px) < COORD_LIMIT && fabs (py) < COORD_LIMIT)
              marker_path (cr, s->marker, px, py, s->marker_size);
          }
      marker_paint (cr, s->marker, s->line_width);
    }
  cairo_restore (cr);
}

static void
draw_step_series (Ctx         *ctx,
                  const Xform *xf,
                  ViSeries    *s)
{
  cairo_t *cr = ctx->cr;
  const double *x = (const double *) s->x->data;
  const double *y = (const double *) s->y->data;
  gsize n = s->y->len;
  ViColor c = vi_series_resolve_color (s, ctx->theme);
  Poly pl;

  if (n == 0)
    return;
  if (ctx->for_mask)
    c.a = 1;
  cairo_save (cr);
  set_color (cr, &c);
  cairo_set_line_width (cr, s->line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  set_dash (ctx, vi_series_resolve_dash (s, ctx->theme), s->line_width);
  poly_init (&pl, cr, xf);
  for (gsize i = 0; i < n; i++)
    {
      if (!valid_point (xf, x[i], y[i]))
        {
          poly_break (&pl);
          continue;
        }
      if (i > 0 && pl.have_prev && valid_point (xf, x[i], y[i - 1]))
        poly_point (&pl, xf_x (xf, x[i]), xf_y (xf, y[i - 1]));
      poly_point (&pl, xf_x (xf, x[i]), xf_y (xf, y[i]));
    }
  cairo_stroke (cr);
  if (s->marker != VI_MARKER_NONE && n <= 5000)
    {
      for (gsize i = 0; i < n; i++)
        if (valid_point (xf, x[i], y[i]))
          marker_path (cr, s->marker, clampc (xf_x (xf, x[i])), clampc (xf_y (xf, y[i])),
                       s->marker_size);
      marker_paint (cr, s->marker, s->line_width);
    }
  cairo_restore (cr);
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
blitter_init (Blitter     *b,
              cairo_t     *cr,
              const Xform *xf,
              ViMarker     marker,
              double       size,
              double       line_width)
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
  marker_path (scr, marker, 0, 0, size);
  marker_paint (scr, marker, line_width);
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

static void
draw_scatter_series (Ctx         *ctx,
                     const Xform *xf,
                     ViSeries    *s)
{
  cairo_t *cr = ctx->cr;
  const double *x = (const double *) s->x->data;
  const double *y = (const double *) s->y->data;
  gsize n = s->y->len;
  g_autofree guint8 *bucket = NULL;
  g_autofree guint16 *seen = NULL;
  g_autofree gsize *order = NULL;
  gsize start[N_VALUE_BUCKETS + 2] = { 0 };
  guint n_buckets = 1;
  gsize stride = 1;
  double sx = device_scale_x (cr);
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

          if (!valid_point (xf, x[i], y[i]))
            continue;
          px = xf_x (xf, x[i]);
          py = xf_y (xf, y[i]);
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
              marker_path (cr, s->marker, px, py, s->marker_size);
              set_color (cr, &c);
              marker_paint (cr, s->marker, s->line_width);
              continue;
            }
          else
            marker_path (cr, s->marker, px, py, s->marker_size);
          any = !blitting;
        }
      if (any && ctx->for_mask)
        cairo_fill (cr);
      else if (any)
        {
          set_color (cr, &c);
          marker_paint (cr, s->marker, s->line_width);
        }
      cairo_new_path (cr);
    }
  cairo_restore (cr);
  if (blitting)
    blitter_finish (&blitter, cr);
}

static void
draw_band_series (Ctx         *ctx,
                  const Xform *xf,
                  ViSeries    *s)
{
  cairo_t *cr = ctx->cr;
  const double *x = (const double *) s->x->data;
  const double *lo = (const double *) s->y->data;
  const double *hi = (const double *) s->y2->data;
  gsize n = s->x->len, i = 0;
  ViColor c = vi_series_resolve_color (s, ctx->theme);

  if (ctx->for_mask)
    c.a = 1;
  cairo_save (cr);
  set_color (cr, &c);
  while (i < n)
    {
      gsize start, end;

      while (i < n && !(valid_point (xf, x[i], lo[i]) && valid_point (xf, x[i], hi[i])))
        i++;
      start = i;
      while (i < n && valid_point (xf, x[i], lo[i]) && valid_point (xf, x[i], hi[i]))
        i++;
      end = i;
      if (end <= start)
        continue;
      cairo_move_to (cr, clampc (xf_x (xf, x[start])), clampc (xf_y (xf, hi[start])));
      for (gsize k = start + 1; k < end; k++)
        cairo_line_to (cr, clampc (xf_x (xf, x[k])), clampc (xf_y (xf, hi[k])));
      for (gsize k = end; k-- > start;)
        cairo_line_to (cr, clampc (xf_x (xf, x[k])), clampc (xf_y (xf, lo[k])));
      cairo_close_path (cr);
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

static double
bar_base (const Xform *xf)
{
  if (xf->scale[1] == VI_SCALE_LOG10)
    return xf->ay + xf->ah;
  return clampc (xf_y (xf, 0));
}

static void
draw_bars_series (Ctx         *ctx,
                  const Xform *xf,
                  ViPanel     *p,
                  ViSeries    *s)
{
  cairo_t *cr = ctx->cr;
  guint slot = 0, groups = vi_panel_bar_groups (p, s, &slot);
  double total = 0.8, w = total / MAX (groups, 1);
  ViColor c = vi_series_resolve_color (s, ctx->theme);
  ViColor fg = ctx->tc->foreground;
  double base = bar_base (xf);

  if (ctx->for_mask)
    c.a = fg.a = 1;
  cairo_save (cr);
  set_color (cr, &c);
  for (guint i = 0; i < s->y->len; i++)
    {
      double h = g_array_index (s->y, double, i);
      double xl = i - total / 2 + w * slot, x0, x1, y1;

      if (!valid_point (xf, 1, h))
        continue;
      x0 = clampc (xf_x (xf, xl + 0.04 * w));
      x1 = clampc (xf_x (xf, xl + 0.96 * w));
      y1 = clampc (xf_y (xf, h));
      cairo_rectangle (cr, MIN (x0, x1), MIN (base, y1), fabs (x1 - x0), fabs (y1 - base));
    }
  cairo_fill (cr);
  if (s->y2->len == s->y->len)
    {
      set_color (cr, &fg);
      cairo_set_line_width (cr, 1.0);
      for (guint i = 0; i < s->y->len; i++)
        {
          double h = g_array_index (s->y, double, i);
          double e = g_array_index (s->y2, double, i);
          double xc = clampc (xf_x (xf, i - total / 2 + w * (slot + 0.5)));
          double cap = fabs (xf_x (xf, w * 0.15) - xf_x (xf, 0));
          double ylo = h - e, yhi = h + e, py0, py1;

          if (!isfinite (h) || !isfinite (e) || e == 0)
            continue;
          if (xf->scale[1] == VI_SCALE_LOG10)
            {
              if (yhi <= 0)
                continue;
              py0 = ylo > 0 ? xf_y (xf, ylo) : xf->ay + xf->ah;
            }
          else
            py0 = xf_y (xf, ylo);
          py0 = clampc (py0);
          py1 = clampc (xf_y (xf, yhi));
          cairo_move_to (cr, xc, py0);
          cairo_line_to (cr, xc, py1);
          cairo_move_to (cr, xc - cap, py0);
          cairo_line_to (cr, xc + cap, py0);
          cairo_move_to (cr, xc - cap, py1);
          cairo_line_to (cr, xc + cap, py1);
        }
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
draw_histogram_series (Ctx         *ctx,
                       const Xform *xf,
                       ViSeries    *s)
{
  cairo_t *cr = ctx->cr;
  const double *e = (const double *) s->x->data;
  const double *h = (const double *) s->y->data;
  gsize n = s->y->len;
  ViColor c = vi_series_resolve_color (s, ctx->theme);
  ViColor edge = c;
  double base = bar_base (xf);
  Poly pl;

  if (n == 0)
    return;
  if (ctx->for_mask)
    c.a = 1;
  cairo_save (cr);
  set_color (cr, &c);
  for (gsize i = 0; i < n; i++)
    {
      double x0, x1, y1;

      if (!valid_point (xf, e[i], h[i]) || !valid_point (xf, e[i + 1], h[i]))
        continue;
      x0 = clampc (xf_x (xf, e[i]));
      x1 = clampc (xf_x (xf, e[i + 1]));
      y1 = clampc (xf_y (xf, h[i]));
      cairo_rectangle (cr, MIN (x0, x1), MIN (base, y1), fabs (x1 - x0), fabs (y1 - base));
    }
  cairo_fill (cr);
  /* Outline: the histogram's step contour at full opacity. */
  edge.a = MIN (1, s->alpha / 0.6) * (s->has_color ? s->color.a : 1);
  set_color (cr, &edge);
  cairo_set_line_width (cr, 1.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  poly_init (&pl, cr, xf);
  for (gsize i = 0; i < n; i++)
    {
      double x0, x1;

      if (!valid_point (xf, e[i], h[i]) || !valid_point (xf, e[i + 1], h[i]))
        {
          poly_break (&pl);
          continue;
        }
      x0 = xf_x (xf, e[i]);
      x1 = xf_x (xf, e[i + 1]);
      if (!pl.have_prev)
        poly_point (&pl, x0, base);
      poly_point (&pl, x0, xf_y (xf, h[i]));
      poly_point (&pl, x1, xf_y (xf, h[i]));
      if (i + 1 == n || !valid_point (xf, e[i + 1], h[i + 1]))
        poly_point (&pl, x1, base);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static gsize mask_cost (const Layout *L,
                        double        x,
                        double        y,
                        double        w,
                        double        h);

/* Places the label of a reference line at the candidate spot (top-left
 * corners in @cand) hiding the least data and not the legend. */
static void
draw_reference_label (Ctx          *ctx,
                      const char   *text,
                      const double (*cand)[4],
                      guint         n_cand)
{
  const Layout *L = ctx->L;
  double w, h;
  gsize best_cost = G_MAXSIZE;
  guint best = 0;

  if (text == NULL || *text == '\0' || ctx->for_mask)
    return;
  text_size (ctx, FONT_TICK, text, FALSE, &w, &h);
  for (guint c = 0; c < n_cand && L != NULL; c++)
    {
      double x = cand[c][0] - cand[c][2] * w, y = cand[c][1] - cand[c][3] * h;
      gsize cost = mask_cost (L, x, y, w, h);

      if (L->has_legend_box && x < L->leg_x + L->leg_w && x + w > L->leg_x
          && y < L->leg_y + L->leg_h && y + h > L->leg_y)
        cost += 100000;
      if (cost < best_cost)
        {
          best_cost = cost;
          best = c;
        }
    }
  draw_text (ctx, FONT_TICK, text, FALSE, cand[best][0], cand[best][1], cand[best][2],
             cand[best][3], 0, &ctx->tc->muted);
}

static void
draw_reference_series (Ctx         *ctx,
                       const Xform *xf,
                       ViSeries    *s)
{
  cairo_t *cr = ctx->cr;
  ViColor c = vi_series_resolve_color (s, ctx->theme);
  double gap = 3 * ctx->fs;

  if (!isfinite (s->value))
    return;
  if (ctx->for_mask)
    c.a = 1;
  cairo_save (cr);
  set_color (cr, &c);
  cairo_set_line_width (cr, s->line_width);
  set_dash (ctx, vi_series_resolve_dash (s, ctx->theme), s->line_width);
  if (s->kind == VI_SERIES_HLINE)
    {
      double py = xf_y (xf, s->value);

      if (!isfinite (py) || py < xf->ay - 1 || py > xf->ay + xf->ah + 1)
        {
          cairo_restore (cr);
          return;
        }
      cairo_move_to (cr, xf->ax, py);
      cairo_line_to (cr, xf->ax + xf->aw, py);
      cairo_stroke (cr);
      cairo_restore (cr);
      {
        double r = xf->ax + xf->aw - gap, l = xf->ax + gap, mid = xf->ax + xf->aw / 2;
        /* x, y, xalign, yalign: right end above first, as readers expect. */
        const double cand[][4] = {
          { r, py - 2, 1, 1 }, { r, py + 2, 1, 0 }, { l, py - 2, 0, 1 },
          { l, py + 2, 0, 0 }, { mid, py - 2, 0.5, 1 }, { mid, py + 2, 0.5, 0 },
        };

        draw_reference_label (ctx, s->name, cand, G_N_ELEMENTS (cand));
      }
      return;
    }
  else
    {
      double px = xf_x (xf, s->value);

      if (!isfinite (px) || px < xf->ax - 1 || px > xf->ax + xf->aw + 1)
        {
          cairo_restore (cr);
          return;
        }
      cairo_move_to (cr, px, xf->ay);
      cairo_line_to (cr, px, xf->ay + xf->ah);
      cairo_stroke (cr);
      cairo_restore (cr);
      {
        double t = xf->ay + gap, b = xf->ay + xf->ah - gap, m = xf->ay + xf->ah / 2;
        const double cand[][4] = {
          { px + gap, t, 0, 0 }, { px - gap, t, 1, 0 }, { px + gap, b, 0, 1 },
          { px - gap, b, 1, 1 }, { px + gap, m, 0, 0.5 }, { px - gap, m, 1, 0.5 },
        };

        draw_reference_label (ctx, s->name, cand, G_N_ELEMENTS (cand));
      }
      return;
    }
  cairo_restore (cr);
}

static cairo_surface_t *
heatmap_surface (ViSeries *s)
{
  cairo_surface_t *img;
  guint32 *data;
  int stride;
  double span = s->vmax - s->vmin;

  img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) s->cols, (int) s->rows);
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    return img;
  cairo_surface_flush (img);
  data = (guint32 *) cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img) / 4;
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
        data[r * stride + k] = 0xff000000u | ((guint32) lround (c.r * 255) << 16)
                               | ((guint32) lround (c.g * 255) << 8) | (guint32) lround (c.b * 255);
      }
  cairo_surface_mark_dirty (img);
  return img;
}

static void
draw_heatmap_series (Ctx         *ctx,
                     const Xform *xf,
                     ViSeries    *s)
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
  x0 = xf_x (xf, -0.5);
  y0 = xf_y (xf, -0.5);
  dx = xf_x (xf, 0.5) - x0;
  dy = xf_y (xf, 0.5) - y0;
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

static void
draw_text_series (Ctx         *ctx,
                  const Xform *xf,
                  ViSeries    *s)
{
  ViColor c = vi_series_resolve_color (s, ctx->theme);
  double x = g_array_index (s->x, double, 0), y = g_array_index (s->y, double, 0);

  if (!valid_point (xf, x, y))
    return;
  if (ctx->for_mask)
    c.a = 1;
  draw_text (ctx, FONT_LEGEND, s->text, FALSE, clampc (xf_x (xf, x)), clampc (xf_y (xf, y)),
             0, 0.5, 0, &c);
}

static void
draw_series (Ctx         *ctx,
             const Xform *xf,
             ViPanel     *p,
             ViSeries    *s)
{
  if (s->hidden)
    return;
  switch (s->kind)
    {
    case VI_SERIES_LINE:
      draw_line_series (ctx, xf, s);
      break;
    case VI_SERIES_STEP:
      draw_step_series (ctx, xf, s);
      break;
    case VI_SERIES_SCATTER:
      draw_scatter_series (ctx, xf, s);
      break;
    case VI_SERIES_BAND:
      draw_band_series (ctx, xf, s);
      break;
    case VI_SERIES_BARS:
      draw_bars_series (ctx, xf, p, s);
      break;
    case VI_SERIES_HISTOGRAM:
      draw_histogram_series (ctx, xf, s);
      break;
    case VI_SERIES_HLINE:
    case VI_SERIES_VLINE:
      draw_reference_series (ctx, xf, s);
      break;
    case VI_SERIES_HEATMAP:
      draw_heatmap_series (ctx, xf, s);
      break;
    case VI_SERIES_TEXT:
      draw_text_series (ctx, xf, s);
      break;
    case VI_SERIES_IMAGES:
    default:
      break;
    }
}

/* ---- image grid panels -------------------------------------------------- */

static cairo_surface_t *
image_surface (ViSeries *s,
               gsize     index)
{
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) s->img_w,
                                                     (int) s->img_h);
  guint32 *data;
  int stride;
  const double *px = s->pixels + index * s->img_h * s->img_w * s->channels;

  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    return img;
  cairo_surface_flush (img);
  data = (guint32 *) cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img) / 4;
  for (gsize r = 0; r < s->img_h; r++)
    for (gsize c = 0; c < s->img_w; c++)
      {
        const double *v = px + (r * s->img_w + c) * s->channels;
        guint32 rgb[3];

        for (guint k = 0; k < 3; k++)
          {
            double t = v[s->channels == 3 ? k : 0];

            t = isfinite (t) ? CLAMP (t, 0, 1) : 0;
            rgb[k] = (guint32) lround (t * 255);
          }
        data[r * stride + c] = 0xff000000u | (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
      }
  cairo_surface_mark_dirty (img);
  return img;
}

static void
draw_images (Ctx      *ctx,
             ViPanel  *p,
             ViSeries *s,
             double    x,
             double    y,
             double    w,
             double    h)
{
  cairo_t *cr = ctx->cr;
  guint cols, rows;
  double gap = 6 * ctx->fs, cap_h = 0, cell_w, cell_h, img_w, img_h, x0, y0;
  gboolean captions = s->captions != NULL && s->captions[0] != NULL;

  if (s->n_images == 0 || s->img_w > 32767 || s->img_h > 32767)
    return;
  cols = s->grid_cols > 0 ? s->grid_cols : (guint) ceil (sqrt ((double) s->n_images));
  cols = (guint) MIN (cols, s->n_images);
  rows = (guint) ((s->n_images + cols - 1) / cols);
  if (captions)
    cap_h = line_height (ctx, FONT_TICK) + 2 * ctx->fs;
  cell_w = (w - gap * (cols - 1)) / cols;
  cell_h = (h - gap * (rows - 1)) / rows - cap_h;
  if (cell_w <= 1 || cell_h <= 1)
    return;
  /* Square pixels: fit the image aspect into the cell. */
  img_w = cell_w;
  img_h = img_w * s->img_h / s->img_w;
  if (img_h > cell_h)
    {
      img_h = cell_h;
      img_w = img_h * s->img_w / s->img_h;
    }
  x0 = x + (w - (cols * img_w + (cols - 1) * gap)) / 2;
  y0 = y + (h - (rows * (img_h + cap_h) + (rows - 1) * gap)) / 2;
  p->laid_out = TRUE;
  p->ax = x0;
  p->ay = y0;
  p->aw = cols * img_w + (cols - 1) * gap;
  p->ah = rows * (img_h + cap_h) + (rows - 1) * gap;
  for (gsize i = 0; i < s->n_images; i++)
    {
      double ix = x0 + (i % cols) * (img_w + gap);
      double iy = y0 + (i / cols) * (img_h + cap_h + gap);
      cairo_surface_t *img;
      cairo_pattern_t *pat;

      if (ctx->for_mask)
        continue;
      img = image_surface (s, i);
      cairo_save (cr);
      cairo_translate (cr, ix, iy);
      cairo_scale (cr, img_w / s->img_w, img_h / s->img_h);
      cairo_set_source_surface (cr, img, 0, 0);
      pat = cairo_get_source (cr);
      cairo_pattern_set_filter (pat, CAIRO_FILTER_NEAREST);
      cairo_rectangle (cr, 0, 0, (double) s->img_w, (double) s->img_h);
      cairo_fill (cr);
      cairo_restore (cr);
      cairo_surface_destroy (img);
      cairo_save (cr);
      set_color (cr, &ctx->tc->grid);
      cairo_set_line_width (cr, 0.75);
      cairo_rectangle (cr, ix, iy, img_w, img_h);
      cairo_stroke (cr);
      cairo_restore (cr);
      if (captions && i < g_strv_length (s->captions))
        draw_text (ctx, FONT_TICK, s->captions[i], FALSE, ix + img_w / 2, iy + img_h + ctx->fs,
                   0.5, 0, 0, &ctx->tc->foreground);
    }
}

/* ---- ticks and layout --------------------------------------------------- */

static void
layout_clear (Layout *L)
{
  for (guint a = 0; a < 2; a++)
    for (guint i = 0; i < L->n_ticks[a]; i++)
      g_clear_pointer (&L->labels[a][i], g_free);
  for (guint i = 0; i < L->n_cbar; i++)
    g_clear_pointer (&L->cbar_labels[i], g_free);
  L->n_ticks[0] = L->n_ticks[1] = L->n_cbar = 0;
}

static ViSeries *
find_kind (ViPanel      *p,
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

/* Category labels for @axis, or NULL: bars' categories on x, a heat map's
 * row/column labels. */
static char **
axis_categories (ViPanel *p,
                 ViAxis   axis,
                 gsize   *n)
{
  ViSeries *hm = find_kind (p, VI_SERIES_HEATMAP);

  if (hm != NULL)
    {
      char **labels = axis == VI_AXIS_X ? hm->col_labels : hm->row_labels;

      *n = axis == VI_AXIS_X ? hm->cols : hm->rows;
      return labels;
    }
  if (axis == VI_AXIS_X && p->categories != NULL && p->scale[0] == VI_SCALE_LINEAR)
    {
      *n = g_strv_length (p->categories);
      return p->categories;
    }
  *n = 0;
  return NULL;
}

/* Ticks for one axis given the pixel length available. */
static void
compute_ticks (Ctx     *ctx,
               ViPanel *p,
               Layout  *L,
               ViAxis   axis,
               double   length,
               guint    target)
{
  double lo = MIN (L->xf.tlo[axis], L->xf.thi[axis]);
  double hi = MAX (L->xf.tlo[axis], L->xf.thi[axis]);
  gsize n_cat = 0;
  char **cats = axis_categories (p, axis, &n_cat);
  gboolean integer = find_kind (p, VI_SERIES_HEATMAP) != NULL
                     || (axis == VI_AXIS_X && p->categories != NULL);
  double step = 1;
  guint n = 0;

  for (guint i = 0; i < L->n_ticks[axis]; i++)
    g_clear_pointer (&L->labels[axis][i], g_free);
  L->n_minor[axis] = 0;

  if (cats != NULL && n_cat > 0)
    {
      /* Every k-th category so the labels do not collide. */
      double per = length / MAX ((double) n_cat, 1);
      double need = axis == VI_AXIS_X && !L->rotate_x ? 0 : line_height (ctx, FONT_TICK) * 1.1;
      gsize k = 1;

      if (axis == VI_AXIS_X && !L->rotate_x)
        for (gsize i = 0; i < n_cat && cats[i] != NULL; i++)
          {
            double w;

            text_size (ctx, FONT_TICK, cats[i], FALSE, &w, NULL);
            need = MAX (need, w + 6 * ctx->fs);
          }
      if (per > 0)
        k = (gsize) MAX (1, ceil (need / per));
      for (gsize i = 0; i < n_cat && n < MAX_TICKS; i += k)
        {
          if (i >= g_strv_length (cats))
            break;
          L->ticks[axis][n] = (double) i;
          L->labels[axis][n] = g_markup_escape_text (cats[i], -1);
          n++;
        }
      L->n_ticks[axis] = n;
      return;
    }

  if (p->scale[axis] == VI_SCALE_LOG10)
    {
      double a = pow (10, lo), b = pow (10, hi);

      gboolean decades = TRUE;

      n = vi_ticks_log (a, b, L->ticks[axis], MAX_TICKS, L->minor[axis], MAX_MINOR,
                        &L->n_minor[axis]);
      for (guint i = 0; i < n; i++)
        {
          double e = log10 (L->ticks[axis][i]);

          if (fabs (e - round (e)) > 1e-9)
            decades = FALSE;
        }
      /* Less than two decades: vi_ticks_log gave linear ticks; label them so. */
      if (!decades && n >= 2)
        step = L->ticks[axis][1] - L->ticks[axis][0];
      /* Decades between 0.01 and 1000 read best as plain numbers; wider
       * axes get 10ⁿ throughout, never a mix. */
      if (decades && n > 0 && L->ticks[axis][0] >= 0.01 && L->ticks[axis][n - 1] <= 1000)
        for (guint i = 0; i < n; i++)
          L->labels[axis][i] = vi_ticks_format (L->ticks[axis][i], L->ticks[axis][i], FALSE);
      else
        for (guint i = 0; i < n; i++)
          L->labels[axis][i] = vi_ticks_format (L->ticks[axis][i], step, decades);
      L->n_ticks[axis] = n;
      return;
    }

  n = vi_ticks_linear (lo, hi, target, FALSE, L->ticks[axis], MAX_TICKS, &step);
  if (integer && step < 1)
    {
      n = vi_ticks_linear (lo, hi, target, FALSE, L->ticks[axis], MAX_TICKS, &step);
      for (guint i = 0; i < n;)
        if (L->ticks[axis][i] != round (L->ticks[axis][i]))
          {
            memmove (&L->ticks[axis][i], &L->ticks[axis][i + 1], (n - i - 1) * sizeof (double));
            n--;
          }
        else
          i++;
      step = MAX (step, 1);
    }
  L->mult_exp[axis] = 0;
  {
    double maxabs = 0, scale = 1;

    for (guint i = 0; i < n; i++)
      maxabs = MAX (maxabs, fabs (L->ticks[axis][i]));
    /* Large or tiny values: one common power of ten, shown by the axis
     * label, instead of a different exponent on every tick. */
    if (maxabs >= 1e5 || (maxabs > 0 && maxabs < 1e-3))
      {
        L->mult_exp[axis] = (int) floor (log10 (maxabs) + 1e-9);
        scale = pow (10, L->mult_exp[axis]);
      }
    for (guint i = 0; i < n; i++)
      L->labels[axis][i] = vi_ticks_format (L->ticks[axis][i] / scale, step / scale, FALSE);
  }
  L->n_ticks[axis] = n;
}

/* The axis label with the tick multiplier appended ("iteration (×10⁶)").
 * Sets *markup to whether the result is markup. (transfer full) */
static char *
axis_title (ViPanel  *p,
            Layout   *L,
            ViAxis    axis,
            gboolean *markup)
{
  const char *label = p->label[axis];
  g_autofree char *mult = NULL;

  *markup = p->label_markup[axis];
  if (L->mult_exp[axis] == 0)
    return g_strdup (label);
  {
    g_autofree char *power = vi_ticks_format (pow (10, L->mult_exp[axis]), 0, TRUE);

    mult = g_strdup_printf ("×%s", power);
  }
  if (label == NULL || *label == '\0')
    return g_steal_pointer (&mult);
  return g_strdup_printf ("%s (%s)", label, mult);
}

static double
widest_label (Ctx        *ctx,
              char      **labels,
              guint       n,
              double     *height)
{
  double wmax = 0, hmax = 0;

  for (guint i = 0; i < n; i++)
    {
      double w, h;

      text_size (ctx, FONT_TICK, labels[i], TRUE, &w, &h);
      wmax = MAX (wmax, w);
      hmax = MAX (hmax, h);
    }
  if (height != NULL)
    *height = hmax;
  return wmax;
}

static double
axis_pos (const Xform *xf,
          ViAxis       axis,
          double       v)
{
  return axis == VI_AXIS_X ? xf_x (xf, v) : xf_y (xf, v);
}

/* TRUE if neighbouring tick labels along x would touch. */
static gboolean
x_labels_collide (Ctx    *ctx,
                  Layout *L)
{
  double prev_right = -INFINITY;

  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double w, c = axis_pos (&L->xf, VI_AXIS_X, L->ticks[0][i]);

      text_size (ctx, FONT_TICK, L->labels[0][i], TRUE, &w, NULL);
      if (c - w / 2 < prev_right + 6 * ctx->fs)
        return TRUE;
      prev_right = c + w / 2;
    }
  return FALSE;
}

static void
build_legend (Ctx     *ctx,
              ViPanel *p,
              Layout  *L)
{
  double wmax = 0, h;
  double pad = 5 * ctx->fs, sw = 20 * ctx->fs, gap = 5 * ctx->fs;

  L->n_entries = 0;
  if (p->legend == VI_LEGEND_NONE)
    return;
  for (guint i = 0; i < p->series->len && L->n_entries < MAX_LEGEND; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (!s->in_legend || s->hidden || vi_series_get_n_points (s) == 0)
        continue;
      if (s->kind == VI_SERIES_SCATTER && s->categories != NULL && s->category_names != NULL)
        {
          for (guint k = 0; s->category_names[k] != NULL && L->n_entries < MAX_LEGEND; k++)
            L->entries[L->n_entries++] = (LegendEntry) { s, s->category_names[k], k };
          continue;
        }
      if (*s->name == '\0')
        continue;
      L->entries[L->n_entries++] = (LegendEntry) { s, s->name, G_MAXUINT };
    }
  if (L->n_entries == 0)
    return;
  h = line_height (ctx, FONT_LEGEND);
  for (guint i = 0; i < L->n_entries; i++)
    {
      double w;

      text_size (ctx, FONT_LEGEND, L->entries[i].text, FALSE, &w, NULL);
      wmax = MAX (wmax, w);
    }
  L->leg_row_h = h * 1.15;
  L->leg_text_x = sw + gap;
  L->leg_w = pad + L->leg_text_x + wmax + pad;
  L->leg_h = 2 * pad * 0.8 + L->n_entries * L->leg_row_h;
  for (guint i = 0; i < L->n_entries; i++)
    {
      L->entries[i].ex = pad;
      L->entries[i].ey = pad * 0.8 + (i + 0.5) * L->leg_row_h;
    }
}

/* Lays the entries out in rows no wider than @max_w (legend above the
 * plot, for panels too narrow to give the legend a column). */
static void
legend_flow (Ctx    *ctx,
             Layout *L,
             double  max_w)
{
  double pad = 5 * ctx->fs, spacing = 12 * ctx->fs;
  double x = pad, row = 0, widest = 0;

  for (guint i = 0; i < L->n_entries; i++)
    {
      double w, ew;

      text_size (ctx, FONT_LEGEND, L->entries[i].text, FALSE, &w, NULL);
      ew = L->leg_text_x + w;
      if (x > pad && x + ew + pad > max_w)
        {
          x = pad;
          row++;
        }
      L->entries[i].ex = x;
      L->entries[i].ey = pad * 0.8 + (row + 0.5) * L->leg_row_h;
      widest = MAX (widest, x + ew + pad);
      x += ew + spacing;
    }
  L->leg_w = widest;
  L->leg_h = 2 * pad * 0.8 + (row + 1) * L->leg_row_h;
  L->leg_top = TRUE;
}

static void
draw_legend_swatch (Ctx               *ctx,
                    const LegendEntry *e,
                    double             x,
                    double             yc)
{
  cairo_t *cr = ctx->cr;
  ViSeries *s = e->series;
  double sw = 20 * ctx->fs;
  ViColor c;

  cairo_save (cr);
  if (e->category != G_MAXUINT)
    {
      c = vi_palette_get (ctx->theme, e->category);
      c.a *= s->alpha;
    }
  else
    c = vi_series_resolve_color (s, ctx->theme);
  if (s->kind == VI_SERIES_SCATTER && s->values != NULL && e->category == G_MAXUINT)
    c = vi_colormap_get (s->map, 0.5);
  set_color (cr, &c);
  switch (s->kind)
    {
    case VI_SERIES_BAND:
    case VI_SERIES_BARS:
    case VI_SERIES_HISTOGRAM:
      cairo_rectangle (cr, x + 2 * ctx->fs, yc - 4.5 * ctx->fs, sw - 4 * ctx->fs, 9 * ctx->fs);
      cairo_fill (cr);
      break;
    case VI_SERIES_SCATTER:
      c.a = MAX (c.a, 0.6);
      set_color (cr, &c);
      marker_path (cr, s->marker, x + sw / 2, yc, MAX (s->marker_size, 5 * ctx->fs));
      marker_paint (cr, s->marker, s->line_width);
      break;
    default:
      cairo_set_line_width (cr, MAX (s->line_width, 1.0));
      set_dash (ctx, vi_series_resolve_dash (s, ctx->theme), s->line_width);
      cairo_move_to (cr, x, yc);
      cairo_line_to (cr, x + sw, yc);
      cairo_stroke (cr);
      if (s->marker != VI_MARKER_NONE)
        {
          marker_path (cr, s->marker, x + sw / 2, yc, s->marker_size);
          marker_paint (cr, s->marker, s->line_width);
        }
      break;
    }
  cairo_restore (cr);
}

static void
draw_legend (Ctx    *ctx,
             Layout *L)
{
  cairo_t *cr = ctx->cr;
  if (L->n_entries == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, L->leg_x + 0.5, L->leg_y + 0.5, L->leg_w - 1, L->leg_h - 1);
  set_color (cr, &ctx->tc->legend_bg);
  cairo_fill_preserve (cr);
  set_color (cr, &ctx->tc->legend_border);
  cairo_set_line_width (cr, 0.75);
  cairo_stroke (cr);
  cairo_restore (cr);
  for (guint i = 0; i < L->n_entries; i++)
    {
      double xs = L->leg_x + L->entries[i].ex, yc = L->leg_y + L->entries[i].ey;

      draw_legend_swatch (ctx, &L->entries[i], xs, yc);
      draw_text (ctx, FONT_LEGEND, L->entries[i].text, FALSE, xs + L->leg_text_x, yc,
                 0, 0.5, 0, &ctx->tc->foreground);
    }
}

#define MASK_SCALE 0.25

/* A quarter-resolution alpha mask of everything the series draw in the
 * plot area, as a summed-area table, so the legend and the labels of
 * reference lines can go where they hide the least data. */
static void
build_mask (Ctx     *ctx,
            ViPanel *p,
            Layout  *L)
{
  const Xform *xf = &L->xf;
  int mw = (int) ceil (xf->aw * MASK_SCALE), mh = (int) ceil (xf->ah * MASK_SCALE);
  cairo_surface_t *mask;
  cairo_t *mcr, *saved_cr;
  guint8 *data;
  int stride;

  g_clear_pointer (&L->sat, g_free);
  if (mw < 2 || mh < 2 || mw > 8192 || mh > 8192)
    return;
  mask = cairo_image_surface_create (CAIRO_FORMAT_A8, mw, mh);
  mcr = cairo_create (mask);
  cairo_scale (mcr, MASK_SCALE, MASK_SCALE);
  cairo_translate (mcr, -xf->ax, -xf->ay);
  saved_cr = ctx->cr;
  ctx->cr = mcr;
  ctx->for_mask = TRUE;
  for (guint i = 0; i < p->series->len; i++)
    draw_series (ctx, xf, p, p->series->pdata[i]);
  ctx->for_mask = FALSE;
  ctx->cr = saved_cr;
  cairo_destroy (mcr);
  cairo_surface_flush (mask);

  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  L->mw = mw;
  L->mh = mh;
  L->sat = g_new0 (guint32, (gsize) (mw + 1) * (mh + 1));
  for (int yy = 0; yy < mh; yy++)
    for (int xx = 0; xx < mw; xx++)
      L->sat[(gsize) (yy + 1) * (mw + 1) + xx + 1] = (data[yy * stride + xx] > 16)
        + L->sat[(gsize) yy * (mw + 1) + xx + 1] + L->sat[(gsize) (yy + 1) * (mw + 1) + xx]
        - L->sat[(gsize) yy * (mw + 1) + xx];
  cairo_surface_destroy (mask);
}

/* Covered mask pixels under the user-space rectangle; outside the plot
 * area counts as covered (a label must stay inside). */
static gsize
mask_cost (const Layout *L,
           double        x,
           double        y,
           double        w,
           double        h)
{
  const Xform *xf = &L->xf;
  int x0, y0, x1, y1;
  gsize cost = 0;

  if (L->sat == NULL)
    return 0;
  if (x < xf->ax - 0.5 || y < xf->ay - 0.5 || x + w > xf->ax + xf->aw + 0.5
      || y + h > xf->ay + xf->ah + 0.5)
    cost += 1000000;
  x0 = CLAMP ((int) floor ((x - xf->ax) * MASK_SCALE), 0, L->mw);
  y0 = CLAMP ((int) floor ((y - xf->ay) * MASK_SCALE), 0, L->mh);
  x1 = CLAMP ((int) ceil ((x + w - xf->ax) * MASK_SCALE), 0, L->mw);
  y1 = CLAMP ((int) ceil ((y + h - xf->ay) * MASK_SCALE), 0, L->mh);
  cost += L->sat[(gsize) y1 * (L->mw + 1) + x1] - L->sat[(gsize) y0 * (L->mw + 1) + x1]
          - L->sat[(gsize) y1 * (L->mw + 1) + x0] + L->sat[(gsize) y0 * (L->mw + 1) + x0];
  return cost;
}

/* Picks the inside legend position covering the fewest drawn data pixels.
 * Returns the covered pixel count of the best spot. */
static gsize
place_legend_auto (Ctx     *ctx,
                   ViPanel *p,
                   Layout  *L)
{
  const Xform *xf = &L->xf;
  double m = 6 * ctx->fs;
  double cand[8][2];
  gsize best_cost = G_MAXSIZE;
  guint best = 0;

  /* In order of preference: top right, top left, bottom right, bottom
   * left, top centre, bottom centre, middle right, middle left. */
  cand[0][0] = xf->ax + xf->aw - m - L->leg_w, cand[0][1] = xf->ay + m;
  cand[1][0] = xf->ax + m, cand[1][1] = xf->ay + m;
  cand[2][0] = cand[0][0], cand[2][1] = xf->ay + xf->ah - m - L->leg_h;
  cand[3][0] = cand[1][0], cand[3][1] = cand[2][1];
  cand[4][0] = xf->ax + (xf->aw - L->leg_w) / 2, cand[4][1] = cand[0][1];
  cand[5][0] = cand[4][0], cand[5][1] = cand[2][1];
  cand[6][0] = cand[0][0], cand[6][1] = xf->ay + (xf->ah - L->leg_h) / 2;
  cand[7][0] = cand[1][0], cand[7][1] = cand[6][1];

  L->leg_x = cand[0][0];
  L->leg_y = cand[0][1];
  if (L->leg_w + 2 * m > xf->aw || L->leg_h + 2 * m > xf->ah)
    return G_MAXSIZE;
  build_mask (ctx, p, L);
  if (L->sat == NULL)
    return G_MAXSIZE;
  for (guint c = 0; c < G_N_ELEMENTS (cand); c++)
    {
      gsize cost = mask_cost (L, cand[c][0], cand[c][1], L->leg_w, L->leg_h);

      if (cost < best_cost)
        {
          best_cost = cost;
          best = c;
        }
    }
  L->leg_x = cand[best][0];
  L->leg_y = cand[best][1];
  return best_cost;
}

static void
place_legend_fixed (Ctx    *ctx,
                    ViPanel *p,
                    Layout *L)
{
  const Xform *xf = &L->xf;
  double m = 6 * ctx->fs;

  switch (p->legend)
    {
    case VI_LEGEND_TOP_LEFT:
      L->leg_x = xf->ax + m, L->leg_y = xf->ay + m;
      break;
    case VI_LEGEND_BOTTOM_LEFT:
      L->leg_x = xf->ax + m, L->leg_y = xf->ay + xf->ah - m - L->leg_h;
      break;
    case VI_LEGEND_BOTTOM_RIGHT:
      L->leg_x = xf->ax + xf->aw - m - L->leg_w, L->leg_y = xf->ay + xf->ah - m - L->leg_h;
      break;
    case VI_LEGEND_TOP_RIGHT:
    default:
      L->leg_x = xf->ax + xf->aw - m - L->leg_w, L->leg_y = xf->ay + m;
      break;
    }
}

static ViSeries *
colorbar_series (ViPanel *p)
{
  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (s->hidden)
        continue;
      if ((s->kind == VI_SERIES_HEATMAP && s->z != NULL)
          || (s->kind == VI_SERIES_SCATTER && s->values != NULL))
        if (s->vmin <= s->vmax)
          return s;
    }
  return NULL;
}

/* Whether @axis gets a title line: a label, or a tick multiplier (which
 * compute_ticks will choose for these magnitudes). */
static gboolean
axis_has_title (ViPanel *p,
                Layout  *L,
                ViAxis   axis)
{
  double m = MAX (fabs (L->xf.tlo[axis]), fabs (L->xf.thi[axis]));
  gsize n_cat = 0;

  if (p->label[axis] != NULL && *p->label[axis] != '\0')
    return TRUE;
  if (p->scale[axis] == VI_SCALE_LOG10 || axis_categories (p, axis, &n_cat) != NULL)
    return FALSE;
  return m >= 1e5 || (m > 0 && m < 1.1e-3);
}

/* Computes the plot area and ticks of panel @p inside the cell. */
static void
layout_panel (Ctx     *ctx,
              ViPanel *p,
              Layout  *L,
              double   cx,
              double   cy,
              double   cw,
              double   ch,
              gboolean legend_outside)
{
  double fs = ctx->fs;
  double m = 8 * fs, tl = 4 * fs, tg = 3 * fs;
  double top = cy + m, bottom = cy + ch - m, left = cx + m, right = cx + cw - m;
  double tick_h = line_height (ctx, FONT_TICK);
  double label_h = line_height (ctx, FONT_LABEL);
  double xlab_h;
  guint target;

  L->leg_outside = legend_outside;
  if (p->title != NULL && *p->title != '\0')
    top += line_height (ctx, FONT_TITLE) + 4 * fs;
  if (axis_has_title (p, L, VI_AXIS_X))
    bottom -= label_h + 3 * fs;
  if (axis_has_title (p, L, VI_AXIS_Y))
    left += label_h + 3 * fs;

  /* Colour bar at the right. */
  L->cbar = colorbar_series (p);
  L->cbar_w = 0;
  if (L->cbar != NULL)
    {
      double step, w;

      L->n_cbar = vi_ticks_linear (L->cbar->vmin, L->cbar->vmax, 5, FALSE, L->cbar_ticks,
                                   MAX_TICKS, &step);
      for (guint i = 0; i < L->n_cbar; i++)
        L->cbar_labels[i] = vi_ticks_format (L->cbar_ticks[i], step, FALSE);
      w = widest_label (ctx, L->cbar_labels, L->n_cbar, NULL);
      L->cbar_w = 10 * fs + 10 * fs + tl + tg + w;
      if (L->cbar->colorbar_label != NULL && *L->cbar->colorbar_label != '\0')
        L->cbar_w += label_h + 4 * fs;
      right -= L->cbar_w;
    }
  L->leg_top = FALSE;
  if (legend_outside && L->n_entries > 0)
    {
      /* A legend column may take at most a third of the cell; otherwise
       * the entries flow in rows above the plot. */
      if (p->legend != VI_LEGEND_OUTSIDE_TOP && L->leg_w + 8 * fs <= (right - left) / 3)
        right -= L->leg_w + 8 * fs;
      else
        {
          legend_flow (ctx, L, right - left);
          L->leg_x = left + (right - left - L->leg_w) / 2;
          L->leg_y = top;
          top += L->leg_h + 6 * fs;
        }
    }

  /* y ticks depend on the height, x ticks on the width, which depends on
   * the y labels' width: settle the height first. */
  L->rotate_x = FALSE;
  xlab_h = tick_h;
  {
    gsize n_cat = 0;
    char **cats = axis_categories (p, VI_AXIS_X, &n_cat);

    if (cats != NULL && n_cat > 0)
      {
        double wsum = 0, wmax = 0;

        for (gsize i = 0; i < n_cat && cats[i] != NULL; i++)
          {
            double w;

            text_size (ctx, FONT_TICK, cats[i], FALSE, &w, NULL);
            wsum += w + 6 * fs;
            wmax = MAX (wmax, w);
          }
        /* Rotate long category labels when they do not fit side by side. */
        if (wsum > (right - left) * 0.95 && wmax > tick_h * 2)
          {
            L->rotate_x = TRUE;
            xlab_h = MIN (wmax, ch * 0.35);
          }
      }
  }
  L->xlab_h = xlab_h;
  bottom -= tl + tg + xlab_h;

  L->xf.ay = top;
  L->xf.ah = MAX (bottom - top, 1);
  target = (guint) CLAMP (L->xf.ah / (55 * fs) + 1, 2, 8);
  do
    {
      compute_ticks (ctx, p, L, VI_AXIS_Y, L->xf.ah, target);
      if (L->n_ticks[1] < 2 || p->scale[1] == VI_SCALE_LOG10)
        break;
      if (fabs (axis_pos (&L->xf, VI_AXIS_Y, L->ticks[1][1])
                - axis_pos (&L->xf, VI_AXIS_Y, L->ticks[1][0])) >= tick_h * 1.4)
        break;
    }
  while (--target >= 2);
  L->label_w[1] = widest_label (ctx, L->labels[1], L->n_ticks[1], NULL);
  left += L->label_w[1] + tl + tg;

  L->xf.ax = left;
  L->xf.aw = MAX (right - left, 1);
  target = (guint) CLAMP (L->xf.aw / (80 * fs) + 1, 2, 10);
  do
    {
      compute_ticks (ctx, p, L, VI_AXIS_X, L->xf.aw, target);
      if (L->n_ticks[0] < 2 || L->rotate_x || !x_labels_collide (ctx, L))
        break;
    }
  while (--target >= 2);
  if (L->n_ticks[0] >= 2 && !L->rotate_x && x_labels_collide (ctx, L))
    {
      /* Still too crowded: keep every other label. */
      guint k = 0;

      for (guint i = 0; i < L->n_ticks[0]; i++)
        if (i % 2 == 0)
          {
            L->ticks[0][k] = L->ticks[0][i];
            L->labels[0][k++] = L->labels[0][i];
          }
        else
          g_free (L->labels[0][i]);
      L->n_ticks[0] = k;
    }

  /* Keep the last x label inside the cell. */
  if (L->n_ticks[0] > 0 && !L->rotate_x)
    {
      double w, c = axis_pos (&L->xf, VI_AXIS_X, L->ticks[0][L->n_ticks[0] - 1]);
      double over;

      text_size (ctx, FONT_TICK, L->labels[0][L->n_ticks[0] - 1], TRUE, &w, NULL);
      over = c + w / 2 - (cx + cw - 2 * fs);
      if (over > 0 && L->cbar == NULL && !(legend_outside && L->n_entries > 0))
        L->xf.aw = MAX (L->xf.aw - over, 1);
    }
}

static void
draw_colorbar (Ctx    *ctx,
               Layout *L)
{
  cairo_t *cr = ctx->cr;
  ViSeries *s = L->cbar;
  double fs = ctx->fs, tl = 4 * fs, tg = 3 * fs;
  double x = L->xf.ax + L->xf.aw + 10 * fs, y = L->xf.ay, w = 10 * fs, h = L->xf.ah;
  double span = s->vmax - s->vmin, label_x;
  cairo_pattern_t *grad;
  double pos[17];
  ViColor cols[17];
  guint n;

  vi_colormap_stops (s->map, &n, pos, cols);
  grad = cairo_pattern_create_linear (0, y + h, 0, y);
  for (guint i = 0; i < n; i++)
    cairo_pattern_add_color_stop_rgb (grad, pos[i], cols[i].r, cols[i].g, cols[i].b);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source (cr, grad);
  cairo_fill (cr);
  cairo_pattern_destroy (grad);
  set_color (cr, &ctx->tc->axis);
  cairo_set_line_width (cr, 0.75);
  cairo_rectangle (cr, x, y, w, h);
  cairo_stroke (cr);
  label_x = x + w + tl + tg;
  for (guint i = 0; i < L->n_cbar; i++)
    {
      double t = span > 0 ? (L->cbar_ticks[i] - s->vmin) / span : 0.5;
      double py = y + h - t * h;

      cairo_move_to (cr, x + w, py);
      cairo_line_to (cr, x + w + tl, py);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
  for (guint i = 0; i < L->n_cbar; i++)
    {
      double t = span > 0 ? (L->cbar_ticks[i] - s->vmin) / span : 0.5;

      draw_text (ctx, FONT_TICK, L->cbar_labels[i], TRUE, label_x, y + h - t * h, 0, 0.5, 0,
                 &ctx->tc->muted);
    }
  if (s->colorbar_label != NULL && *s->colorbar_label != '\0')
    {
      double wl = widest_label (ctx, L->cbar_labels, L->n_cbar, NULL);

      draw_text (ctx, FONT_LABEL, s->colorbar_label, FALSE, label_x + wl + 4 * fs, y + h / 2,
                 0.5, 0, G_PI / 2, &ctx->tc->foreground);
    }
}

static void
draw_axes (Ctx     *ctx,
           ViPanel *p,
           Layout  *L)
{
  cairo_t *cr = ctx->cr;
  const Xform *xf = &L->xf;
  double fs = ctx->fs, tl = 4 * fs, tg = 3 * fs;
  double x0 = round (xf->ax) , y1 = xf->ay + xf->ah;

  (void) x0;
  cairo_save (cr);
  set_color (cr, &ctx->tc->axis);
  cairo_set_line_width (cr, 0.8);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  if (ctx->tc->full_frame)
    cairo_rectangle (cr, xf->ax, xf->ay, xf->aw, xf->ah);
  else
    {
      cairo_move_to (cr, xf->ax, xf->ay);
      cairo_line_to (cr, xf->ax, y1);
      cairo_line_to (cr, xf->ax + xf->aw, y1);
    }
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double px = xf_x (xf, L->ticks[0][i]);

      cairo_move_to (cr, px, y1);
      cairo_line_to (cr, px, y1 + tl);
    }
  for (guint i = 0; i < L->n_ticks[1]; i++)
    {
      double py = xf_y (xf, L->ticks[1][i]);

      cairo_move_to (cr, xf->ax, py);
      cairo_line_to (cr, xf->ax - tl, py);
    }
  cairo_stroke (cr);
  cairo_set_line_width (cr, 0.6);
  for (guint i = 0; i < L->n_minor[0]; i++)
    {
      double px = xf_x (xf, L->minor[0][i]);

      cairo_move_to (cr, px, y1);
      cairo_line_to (cr, px, y1 + tl * 0.55);
    }
  for (guint i = 0; i < L->n_minor[1]; i++)
    {
      double py = xf_y (xf, L->minor[1][i]);

      cairo_move_to (cr, xf->ax, py);
      cairo_line_to (cr, xf->ax - tl * 0.55, py);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double px = xf_x (xf, L->ticks[0][i]);

      if (L->rotate_x)
        draw_text (ctx, FONT_TICK, L->labels[0][i], TRUE, px, y1 + tl + tg, 1, 0.5, G_PI / 2,
                   &ctx->tc->muted);
      else
        draw_text (ctx, FONT_TICK, L->labels[0][i], TRUE, px, y1 + tl + tg, 0.5, 0, 0,
                   &ctx->tc->muted);
    }
  for (guint i = 0; i < L->n_ticks[1]; i++)
    draw_text (ctx, FONT_TICK, L->labels[1][i], TRUE, xf->ax - tl - tg, xf_y (xf, L->ticks[1][i]),
               1, 0.5, 0, &ctx->tc->muted);

  {
    gboolean mk;
    g_autofree char *tx = axis_title (p, L, VI_AXIS_X, &mk);
    g_autofree char *ty = NULL;

    if (tx != NULL)
      draw_text (ctx, FONT_LABEL, tx, mk, xf->ax + xf->aw / 2,
                 y1 + tl + tg + L->xlab_h + 3 * fs, 0.5, 0, 0, &ctx->tc->foreground);
    ty = axis_title (p, L, VI_AXIS_Y, &mk);
    if (ty != NULL)
      draw_text (ctx, FONT_LABEL, ty, mk, xf->ax - tl - tg - L->label_w[1] - 3 * fs,
                 xf->ay + xf->ah / 2, 0.5, 1, G_PI / 2, &ctx->tc->foreground);
  }
}

static void
draw_grid (Ctx    *ctx,
           Layout *L)
{
  cairo_t *cr = ctx->cr;
  const Xform *xf = &L->xf;

  cairo_save (cr);
  set_color (cr, &ctx->tc->grid);
  cairo_set_line_width (cr, 0.6);
  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double px = xf_x (xf, L->ticks[0][i]);

      cairo_move_to (cr, px, xf->ay);
      cairo_line_to (cr, px, xf->ay + xf->ah);
    }
  for (guint i = 0; i < L->n_ticks[1]; i++)
    {
      double py = xf_y (xf, L->ticks[1][i]);

      cairo_move_to (cr, xf->ax, py);
      cairo_line_to (cr, xf->ax + xf->aw, py);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
set_xform_ranges (ViPanel *p,
                  Layout  *L)
{
  for (guint a = 0; a < 2; a++)
    {
      double lo, hi, tlo, thi;

      vi_panel_compute_range (p, (ViAxis) a, &lo, &hi);
      L->xf.scale[a] = p->scale[a];
      tlo = vi_axis_transform (p->scale[a], lo);
      thi = vi_axis_transform (p->scale[a], hi);
      if (!isfinite (tlo) || !isfinite (thi) || tlo == thi)
        {
          tlo = 0;
          thi = 1;
        }
      L->xf.tlo[a] = tlo;
      L->xf.thi[a] = thi;
    }
}

static gboolean
has_reference_labels (ViPanel *p)
{
  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if ((s->kind == VI_SERIES_HLINE || s->kind == VI_SERIES_VLINE) && *s->name != '\0')
        return TRUE;
    }
  return FALSE;
}

static void
draw_panel (Ctx     *ctx,
            ViPanel *p,
            double   cx,
            double   cy,
            double   cw,
            double   ch)
{
  cairo_t *cr = ctx->cr;
  g_autofree Layout *L = g_new0 (Layout, 1);
  double fs = ctx->fs;
  gboolean has_data = vi_panel_has_data (p);
  gboolean outside = p->legend == VI_LEGEND_OUTSIDE_RIGHT || p->legend == VI_LEGEND_OUTSIDE_TOP;

  p->laid_out = FALSE;
  if (cw < 4 || ch < 4)
    return;

  if (p->title != NULL && *p->title != '\0')
    draw_text (ctx, FONT_TITLE, p->title, FALSE, cx + cw / 2, cy + 6 * fs, 0.5, 0, 0,
               &ctx->tc->foreground);

  if (vi_panel_is_image_only (p))
    {
      double top = cy + 8 * fs;

      if (p->title != NULL && *p->title != '\0')
        top += line_height (ctx, FONT_TITLE) + 4 * fs;
      for (guint i = 0; i < p->series->len; i++)
        if (!((ViSeries *) p->series->pdata[i])->hidden)
          draw_images (ctx, p, p->series->pdata[i], cx + 8 * fs, top, cw - 16 * fs,
                       cy + ch - 8 * fs - top);
      p->tlo[0] = p->tlo[1] = 0;
      p->thi[0] = p->thi[1] = 1;
      return;
    }

  set_xform_ranges (p, L);
  build_legend (ctx, p, L);
  layout_panel (ctx, p, L, cx, cy, cw, ch, outside);
  if (L->n_entries > 0 && !outside && p->legend != VI_LEGEND_NONE)
    {
      if (p->legend == VI_LEGEND_AUTO)
        {
          gsize cost = place_legend_auto (ctx, p, L);

          /* Hiding data anywhere inside: move the legend out. */
          if (cost > 2)
            {
              layout_clear (L);
              layout_panel (ctx, p, L, cx, cy, cw, ch, TRUE);
              outside = TRUE;
            }
        }
      else
        place_legend_fixed (ctx, p, L);
    }
  if (outside && L->n_entries > 0 && !L->leg_top)
    {
      L->leg_x = L->xf.ax + L->xf.aw + 8 * fs + L->cbar_w;
      L->leg_y = L->xf.ay;
    }
  else if (L->n_entries > 0 && p->legend != VI_LEGEND_NONE)
    L->has_legend_box = TRUE;
  /* Reference-line labels need the mask of the final plot area. */
  if (has_reference_labels (p) && (L->sat == NULL || outside))
    build_mask (ctx, p, L);

  p->laid_out = TRUE;
  p->ax = L->xf.ax;
  p->ay = L->xf.ay;
  p->aw = L->xf.aw;
  p->ah = L->xf.ah;
  p->tlo[0] = L->xf.tlo[0];
  p->thi[0] = L->xf.thi[0];
  p->tlo[1] = L->xf.tlo[1];
  p->thi[1] = L->xf.thi[1];

  if (ctx->tc->grid_on && p->grid && find_kind (p, VI_SERIES_HEATMAP) == NULL)
    draw_grid (ctx, L);

  cairo_save (cr);
  cairo_rectangle (cr, L->xf.ax, L->xf.ay, L->xf.aw, L->xf.ah);
  cairo_clip (cr);
  ctx->L = L;
  for (guint i = 0; i < p->series->len; i++)
    draw_series (ctx, &L->xf, p, p->series->pdata[i]);
  ctx->L = NULL;
  cairo_restore (cr);

  if (!has_data)
    draw_text (ctx, FONT_LABEL, "no data", FALSE, L->xf.ax + L->xf.aw / 2,
               L->xf.ay + L->xf.ah / 2, 0.5, 0.5, 0, &ctx->tc->muted);

  draw_axes (ctx, p, L);
  if (L->cbar != NULL)
    draw_colorbar (ctx, L);
  draw_legend (ctx, L);
  layout_clear (L);
  g_free (L->sat);
}

/* ---- figure ------------------------------------------------------------- */

static PangoFontDescription *
make_font (const char *family,
           double      size,
           gboolean    bold)
{
  PangoFontDescription *d = pango_font_description_new ();

  pango_font_description_set_family (d, family);
  pango_font_description_set_size (d, (gint) round (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (d, PANGO_WEIGHT_BOLD);
  return d;
}

void
vi_figure_draw (ViFigure *fig,
                cairo_t  *cr,
                double    width,
                double    height)
{
  Ctx ctx = { 0 };
  cairo_font_options_t *fo;
  PangoContext *pc;
  const char *family;
  double top = 0, fs;

  g_return_if_fail (fig != NULL);
  g_return_if_fail (cr != NULL);
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    fig->panels[i]->laid_out = FALSE;
  if (!(width > 0) || !(height > 0) || !isfinite (width) || !isfinite (height)
      || cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    return;
  width = MIN (width, COORD_LIMIT / 4);
  height = MIN (height, COORD_LIMIT / 4);

  ctx.fig = fig;
  ctx.cr = cr;
  ctx.theme = fig->theme;
  ctx.tc = vi_theme_colors (fig->theme);
  ctx.fs = fs = fig->font_scale;
  family = fig->font_family != NULL ? fig->font_family : "Sans";
  ctx.font[FONT_TICK] = make_font (family, 9 * fs, FALSE);
  ctx.font[FONT_LABEL] = make_font (family, 10 * fs, FALSE);
  ctx.font[FONT_TITLE] = make_font (family, 10.5 * fs, TRUE);
  ctx.font[FONT_FIG_TITLE] = make_font (family, 12 * fs, TRUE);
  ctx.font[FONT_LEGEND] = make_font (family, 9 * fs, FALSE);
  ctx.sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  cairo_save (cr);
  ctx.layout = pango_cairo_create_layout (cr);
  pc = pango_layout_get_context (ctx.layout);
  fo = cairo_font_options_create ();
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pc, fo);
  cairo_font_options_destroy (fo);
  pango_cairo_context_set_resolution (pc, 72);
  pango_layout_context_changed (ctx.layout);

  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (!fig->transparent)
    {
      set_color (cr, &ctx.tc->background);
      cairo_paint (cr);
    }

  if (fig->title != NULL && *fig->title != '\0')
    {
      draw_text (&ctx, FONT_FIG_TITLE, fig->title, FALSE, width / 2, 6 * fs, 0.5, 0, 0,
                 &ctx.tc->foreground);
      top = 6 * fs + line_height (&ctx, FONT_FIG_TITLE);
    }

  for (guint r = 0; r < fig->rows; r++)
    for (guint c = 0; c < fig->cols; c++)
      {
        double cw = width / fig->cols, ch = (height - top) / fig->rows;

        draw_panel (&ctx, fig->panels[r * fig->cols + c], c * cw, top + r * ch, cw, ch);
      }

  cairo_restore (cr);
  g_object_unref (ctx.layout);
  g_hash_table_unref (ctx.sizes);
  for (guint i = 0; i < N_FONTS; i++)
    pango_font_description_free (ctx.font[i]);
  fig->drawn = TRUE;
}

/* ---- hit testing -------------------------------------------------------- */

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
hit_points (ViPanel     *p,
            const Xform *xf,
            ViSeries    *s,
            double       qx,
            double       qy,
            double       maxd,
            ViHit       *best)
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
    if (valid_point (xf, x[i], y[i]))
      consider (best, p, s, i, x[i], y[i],
                s->values != NULL ? s->values[i] : NAN,
                xf_x (xf, x[i]), xf_y (xf, y[i]), qx, qy);
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
  Xform xf;

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

              if (valid_point (&xf, x, lo))
                consider (&best, p, s, k, x, lo, NAN, xf_x (&xf, x), xf_y (&xf, lo), qx, qy);
              if (valid_point (&xf, x, hi))
                consider (&best, p, s, k, x, hi, NAN, xf_x (&xf, x), xf_y (&xf, hi), qx, qy);
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
                double x0 = xf_x (&xf, k - 0.4 + w * slot);
                double x1 = xf_x (&xf, k - 0.4 + w * (slot + 1));
                double y0 = bar_base (&xf), y1 = xf_y (&xf, h);
                double dx, dy;

                if (!valid_point (&xf, 1, h))
                  continue;
                dx = MAX (0, MAX (MIN (x0, x1) - qx, qx - MAX (x0, x1)));
                dy = MAX (0, MAX (MIN (y0, y1) - qy, qy - MAX (y0, y1)));
                consider (&best, p, s, k, xc, h, NAN, qx + dx, qy + dy, qx, qy);
                if (best.series == s && best.index == k)
                  {
                    best.px = xf_x (&xf, xc);
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
              double x0 = xf_x (&xf, e0), x1 = xf_x (&xf, e1);
              double y0 = bar_base (&xf), y1 = xf_y (&xf, h);
              double dx, dy;

              if (!valid_point (&xf, e0, h) || !valid_point (&xf, e1, h))
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
                  best.px = xf_x (&xf, col);
                  best.py = xf_y (&xf, row);
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
