/* vi-figure-draw-private.h — internals shared by the drawing files of src/plot
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawing a figure (vi-figure-draw.c) lays each panel out (vi-figure-axes.c,
 * vi-figure-colorbar.c, vi-figure-legend.c), then hands each series to the
 * drawing function of its kind (the table in vi-series-draw.c, the
 * functions in vi-series-KIND.c). All of them draw through the primitives
 * of vi-figure-paint.c and the text of vi-figure-text.c. All lengths are in
 * points (cairo user units).
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "vi-figure-private.h"

G_BEGIN_DECLS

#define VI_MAX_TICKS 64
#define VI_MAX_MINOR 256
#define VI_MAX_LEGEND 64
#define VI_COORD_LIMIT 1e6   /* user units; keeps cairo's fixed point happy */

typedef struct ViLayout ViLayout;

typedef enum
{
  VI_FONT_TICK,
  VI_FONT_LABEL,
  VI_FONT_TITLE,
  VI_FONT_FIG_TITLE,
  VI_FONT_LEGEND,
  VI_N_FONTS
} ViFontRole;

/* The state of one vi_figure_draw(). */
typedef struct _ViLayoutCache ViLayoutCache;

typedef struct
{
  ViFigure              *fig;
  cairo_t               *cr;
  const ViThemeColors   *tc;
  ViTheme                theme;
  double                 fs;
  PangoLayout           *layout;    /* lent by @cache: the text last set */
  ViLayoutCache         *cache;     /* this thread's laid-out text */
  PangoFontDescription  *font[VI_N_FONTS];
  double                 line_h[VI_N_FONTS];
  GHashTable            *sizes;     /* "role|markup|text" → double[2] */
  gboolean               for_mask;  /* drawing the legend-avoidance mask */
  gboolean               annotate;  /* the pass after the data: labels and text only */
  gboolean               halo;      /* vi_draw_text strokes a background halo first */
  GArray                *placed;    /* double[4] boxes of the annotations drawn so far */
  const ViLayout        *L;         /* layout of the panel being drawn, or NULL */
  const struct ViTextFit *fit;      /* vi_draw_text() lays text out so (vi_draw_text_fit) */
} ViDrawCtx;

/* How a title or axis label fits its space (vi_text_fit). */
typedef struct ViTextFit
{
  double scale;      /* of the role's font size, ≥ VI_TEXT_MIN_SCALE */
  double wrap;       /* wrap width (points), ≤ 0: one line */
  guint  lines;
  double w, h;       /* logical size as laid out */
  double dx, dy;     /* logical box offset from the layout origin */
} ViTextFit;

/* The smallest a title or label shrinks to before it takes a third line. */
#define VI_TEXT_MIN_SCALE 0.7

typedef struct
{
  ViSeries   *series;
  const char *text;
  guint       category;   /* G_MAXUINT: not a category entry */
  gboolean    swatch;     /* FALSE: text only ("+N more", the collapsed handle) */
  double      ex, ey;     /* swatch left and row centre, relative to the box */
} ViLegendEntry;

/* Layout of one panel (vi-figure-axes.c, -colorbar.c, -legend.c). */
struct ViLayout
{
  /* ticks: values in data units, positions along the axis */
  double        ticks[2][VI_MAX_TICKS];
  char         *labels[2][VI_MAX_TICKS];
  guint         n_ticks[2];
  double        minor[2][VI_MAX_MINOR];
  guint         n_minor[2];
  double        label_w[2];        /* widest tick label */
  int           mult_exp[2];       /* labels are value / 10^mult_exp (0: none) */
  gboolean      rotate_x;
  double        xlab_h;
  ViTextFit     title_fit;         /* the panel title (w = 0: none) */
  ViTextFit     axis_fit[2];       /* the axis titles (w = 0: none) */
  double        cell[4];           /* x, y, w, h of the panel's cell */

  /* colour bar */
  ViSeries     *cbar;
  double        cbar_ticks[VI_MAX_TICKS];
  char         *cbar_labels[VI_MAX_TICKS];
  guint         n_cbar;
  double        cbar_w;            /* total width reserved */

  /* legend */
  ViLegendEntry entries[VI_MAX_LEGEND];
  guint         n_entries;
  double        leg_w, leg_h, leg_row_h, leg_text_x;
  gboolean      leg_outside;
  gboolean      leg_top;           /* outside, above the plot, entries in rows */
  guint         n_more;            /* entries left out for "+N more" */
  char          leg_note[64];      /* text of the "+N more" / "legend (N)" entry */
  double        leg_x, leg_y;

  gboolean      axes;
  ViXform       xf;

  /* data mask (see vi_layout_build_mask), NULL when not needed */
  guint32      *sat;
  int           mw, mh;
  gboolean      has_legend_box;   /* an inside legend at leg_x, leg_y */
};

/* ---- text (vi-figure-text.c) --------------------------------------------- */

/* Fonts and a Pango layout for drawing @fig into @cr (call after saving
 * @cr's state: the layout follows @cr); vi_draw_ctx_clear() frees them. */
void vi_draw_ctx_init (ViDrawCtx *ctx, ViFigure *fig, cairo_t *cr);
/* How many laid-out texts this thread keeps between draws, and the serial
 * of their context (it changes when they must all be laid out again); and
 * whether they are kept (off, each text is laid out anew). For tests. */
guint vi_text_layouts_cached (guint *context_serial);
void vi_text_cache_set_enabled (gboolean enabled);
void vi_draw_ctx_clear (ViDrawCtx *ctx);
/* Logical size of @text; memoised per draw, since layout is the costly
 * part of drawing text and labels are measured several times. */
void vi_text_size (ViDrawCtx *ctx, ViFontRole role, const char *text, gboolean markup, double *w,
                   double *h);
double vi_line_height (ViDrawCtx *ctx, ViFontRole role);
/* A free spot for an annotation box near (@x, @y) (top-left corner, moved
 * down then up in steps of its height) not overlapping ctx->placed, which
 * it joins. */
void vi_annotation_place (ViDrawCtx *ctx, double *x, double *y, double w, double h);
/* Whether the box overlaps an annotation already in ctx->placed. */
gboolean vi_annotation_overlaps (ViDrawCtx *ctx, double x, double y, double w, double h);
/* Draws @text with its box aligned at (x, y): @xalign/@yalign 0 = left/top,
 * 0.5 = centre, 1 = right/bottom, in the text's own frame after rotating by
 * @angle (radians, counter-clockwise positive on screen). */
void vi_draw_text (ViDrawCtx *ctx, ViFontRole role, const char *text, gboolean markup, double x,
                   double y, double xalign, double yalign, double angle, const ViColor *color);

/* How @text fits in @max_w points: on one line as it is; shrunk a
 * little; else wrapped to two lines and shrunk as needed down to
 * VI_TEXT_MIN_SCALE, where it takes as many lines as it needs. */
void vi_text_fit (ViDrawCtx *ctx, ViFontRole role, const char *text, gboolean markup,
                  double max_w, ViTextFit *fit);
/* Draws @text laid out by vi_text_fit() as @fit, its box's top centre at
 * (@x, @y); @vertical: turned a quarter counter-clockwise, its box's right
 * middle at (@x, @y). */
void vi_draw_text_fit (ViDrawCtx *ctx, ViFontRole role, const char *text, gboolean markup,
                       const ViTextFit *fit, double x, double y, gboolean vertical,
                       const ViColor *color);

/* Width (and *@height) of the widest of @n tick-font markup labels. */
double vi_widest_label (ViDrawCtx *ctx, char **labels, guint n, double *height);

/* ---- primitives (vi-figure-paint.c) -------------------------------------- */

/* A polyline builder that breaks at invalid points and clips each segment to
 * a box around the plot area, so far-away points cannot overflow cairo. */
typedef struct
{
  cairo_t *cr;
  double   bx0, by0, bx1, by1;
  gboolean have_prev;
  double   px, py;
  gboolean pen_at_prev;
} ViPoly;

void vi_set_dash (ViDrawCtx *ctx, ViDash dash, double width);
/* The length of one repeat of @dash on a line of @width (0: solid). */
double vi_dash_period (ViDash dash, double width);
void vi_poly_init (ViPoly *pl, cairo_t *cr, const ViXform *xf);
void vi_poly_break (ViPoly *pl);
void vi_poly_point (ViPoly *pl, double x, double y);
void vi_marker_path (cairo_t *cr, ViMarker marker, double x, double y, double size);
void vi_marker_paint (cairo_t *cr, ViMarker marker, double width);
/* Strokes the outline of the box at 0.75 pt in @color (image and colour-bar
 * frames); leaves the colour and width set. */
void vi_stroke_frame (cairo_t *cr, const ViColor *color, double x, double y, double w, double h);
/* The colour @s is drawn with (opaque when drawing the legend mask). */
ViColor vi_series_draw_color (ViDrawCtx *ctx, ViSeries *s);
ViDash  vi_series_draw_dash (ViDrawCtx *ctx, ViSeries *s);
/* Saves the cairo state and sets @s's colour, and with @stroke its line
 * width and dash; returns the colour. The caller restores the state. */
ViColor vi_series_begin (ViDrawCtx *ctx, ViSeries *s, gboolean stroke);
/* (transfer full) A @width × @height image surface of @format (32 bits a
 * pixel) to fill through *@data, *@stride pixels a row (*@data NULL if
 * cairo could not make it); mark it dirty when done. */
cairo_surface_t *vi_image_surface_new (cairo_format_t format, gsize width, gsize height,
                                       guint32 **data, int *stride);
/* Device pixels per user unit along x (HiDPI surfaces included). */
double vi_device_scale_x (cairo_t *cr);

static inline void
vi_set_color (cairo_t       *cr,
              const ViColor *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

/* An opaque pixel of an ARGB32/RGB24 surface, channels in [0, 1]. */
static inline guint32
vi_pixel_rgb (double r,
              double g,
              double b)
{
  return 0xff000000u | ((guint32) lround (r * 255) << 16) | ((guint32) lround (g * 255) << 8)
         | (guint32) lround (b * 255);
}

static inline double
vi_clampc (double v)
{
  return CLAMP (v, -VI_COORD_LIMIT, VI_COORD_LIMIT);
}

static inline gboolean
vi_valid_point (const ViXform *xf,
                double         x,
                double         y)
{
  if (!isfinite (x) || !isfinite (y))
    return FALSE;
  if (xf->scale[0] == VI_SCALE_LOG10 && x <= 0)
    return FALSE;
  if (xf->scale[1] == VI_SCALE_LOG10 && y <= 0)
    return FALSE;
  return TRUE;
}

/* ---- series kinds (vi-series-*.c; the table in vi-series-draw.c) -------- */

/* Draws series @s of its kind into ctx->cr with the panel transform @xf. */
typedef void ViDrawSeriesFunc (ViDrawCtx     *ctx,
                               const ViXform *xf,
                               ViSeries      *s);

/* Any visible series, by its kind. */
ViDrawSeriesFunc vi_draw_series;
ViDrawSeriesFunc vi_draw_line_series;
ViDrawSeriesFunc vi_draw_step_series;
ViDrawSeriesFunc vi_draw_band_series;
ViDrawSeriesFunc vi_draw_scatter_series;
ViDrawSeriesFunc vi_draw_bars_series;
ViDrawSeriesFunc vi_draw_histogram_series;
ViDrawSeriesFunc vi_draw_reference_series;
ViDrawSeriesFunc vi_draw_heatmap_series;
ViDrawSeriesFunc vi_draw_text_series;

/* Lays out and draws the image grid @s in the box (@x, @y, @w, @h), and
 * stores the grid's extent as @p's plot area. */
void vi_draw_images (ViDrawCtx *ctx, ViPanel *p, ViSeries *s, double x, double y, double w,
                     double h);
/* Where bars and histograms start: y = 0, or the bottom on a log axis. */
double vi_bar_base (const ViXform *xf);

/* ---- colour bar (vi-figure-colorbar.c) ----------------------------------- */

/* Picks the series whose values the colour bar shows (L->cbar, or NULL),
 * its ticks and the width it takes (L->cbar_w; 0 without one). */
void vi_colorbar_layout (ViDrawCtx *ctx, ViPanel *p, ViLayout *L);
void vi_colorbar_draw (ViDrawCtx *ctx, ViLayout *L);

/* ---- layout, axes (vi-figure-axes.c) ------------------------------------- */

void vi_layout_clear (ViLayout *L);
/* The panel's drawn ranges (transformed) into L->xf. */
void vi_layout_set_ranges (ViPanel *p, ViLayout *L);
/* Computes the plot area and ticks of panel @p inside the cell. */
void vi_layout_panel (ViDrawCtx *ctx, ViPanel *p, ViLayout *L, double cx, double cy, double cw,
                      double ch, gboolean legend_outside);
void vi_draw_axes (ViDrawCtx *ctx, ViPanel *p, ViLayout *L);
void vi_draw_grid (ViDrawCtx *ctx, ViLayout *L);

/* ---- legend (vi-figure-legend.c) ----------------------------------------- */

void vi_legend_build (ViDrawCtx *ctx, ViPanel *p, ViLayout *L);
/* Lays the entries out in rows no wider than @max_w (legend above the
 * plot, for panels too narrow to give the legend a column). */
void vi_legend_flow (ViDrawCtx *ctx, ViLayout *L, double max_w);
/* Bounds a legend column to @max_h: two columns when they fit in @max_w,
 * else the first entries and "+N more". */
void vi_legend_bound (ViDrawCtx *ctx, ViLayout *L, double max_w, double max_h);
/* Keeps the first @keep − 1 entries and a last "+N more" (flowed legends). */
void vi_legend_truncate (ViLayout *L, guint keep);
/* Draws the legend and keeps its entries' boxes in @p for hit tests. */
void vi_legend_draw (ViDrawCtx *ctx, ViPanel *p, ViLayout *L);
/* Picks the inside legend position covering the fewest drawn data pixels.
 * Returns the covered pixel count of the best spot. */
gsize vi_legend_place_auto (ViDrawCtx *ctx, ViPanel *p, ViLayout *L);
void vi_legend_place_fixed (ViDrawCtx *ctx, ViPanel *p, ViLayout *L);
/* ---- the mask of the drawn data (vi-series-draw.c) ---------------------- */

#define VI_MASK_SCALE 0.25

/* A quarter-resolution alpha mask of everything the series draw in the
 * plot area, as a summed-area table (L->sat), so the legend and the labels
 * of reference lines can go where they hide the least data. */
void vi_layout_build_mask (ViDrawCtx *ctx, ViPanel *p, ViLayout *L);
/* Writes line series @s's points [a, b) into the mask @ctx draws (an A8
 * image) without cairo (vi-series-mask.c). */
void vi_mask_line_series (ViDrawCtx *ctx, const ViXform *xf, ViSeries *s, gsize a, gsize b);

/* Covered mask pixels under the user-space rectangle; outside the plot
 * area counts as covered (a label must stay inside); 0 without a mask. */
static inline gsize
vi_layout_mask_cost (const ViLayout *L,
                     double          x,
                     double          y,
                     double          w,
                     double          h)
{
  const ViXform *xf = &L->xf;
  int x0, y0, x1, y1;
  gsize cost = 0;

  if (L->sat == NULL)
    return 0;
  if (x < xf->ax - 0.5 || y < xf->ay - 0.5 || x + w > xf->ax + xf->aw + 0.5
      || y + h > xf->ay + xf->ah + 0.5)
    cost += 1000000;
  x0 = CLAMP ((int) floor ((x - xf->ax) * VI_MASK_SCALE), 0, L->mw);
  y0 = CLAMP ((int) floor ((y - xf->ay) * VI_MASK_SCALE), 0, L->mh);
  x1 = CLAMP ((int) ceil ((x + w - xf->ax) * VI_MASK_SCALE), 0, L->mw);
  y1 = CLAMP ((int) ceil ((y + h - xf->ay) * VI_MASK_SCALE), 0, L->mh);
  cost += L->sat[(gsize) y1 * (L->mw + 1) + x1] - L->sat[(gsize) y0 * (L->mw + 1) + x1]
          - L->sat[(gsize) y1 * (L->mw + 1) + x0] + L->sat[(gsize) y0 * (L->mw + 1) + x0];
  return cost;
}

G_END_DECLS
