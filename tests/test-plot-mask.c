/* test-plot-mask.c — the legend mask's lines, walked cell by cell, against
 * cairo's antialiased stroke of the same line
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <cairo.h>
#include <glib.h>

#include "vi-figure.h"
#include "vi-figure-draw-private.h"

/* The mask threshold of vi_layout_build_mask(). */
#define INKED(v) ((v) > 16)

typedef struct
{
  cairo_surface_t *img;
  cairo_t         *cr;
  int              w, h;
} Mask;

static void
mask_init (Mask          *m,
           const ViXform *xf)
{
  m->w = (int) ceil (xf->aw * VI_MASK_SCALE);
  m->h = (int) ceil (xf->ah * VI_MASK_SCALE);
  m->img = cairo_image_surface_create (CAIRO_FORMAT_A8, m->w, m->h);
  m->cr = cairo_create (m->img);
  cairo_scale (m->cr, VI_MASK_SCALE, VI_MASK_SCALE);
  cairo_translate (m->cr, -xf->ax, -xf->ay);
}

static void
mask_clear (Mask *m)
{
  cairo_destroy (m->cr);
  cairo_surface_destroy (m->img);
}

static guint8
cell (Mask *m,
      int   x,
      int   y)
{
  return cairo_image_surface_get_data (m->img)[y * cairo_image_surface_get_stride (m->img) + x];
}

/* What the mask held before: cairo's stroke of the whole polyline, round
 * joins and caps, breaking at non-finite points. */
static void
stroke_reference (Mask          *m,
                  const ViXform *xf,
                  const double  *x,
                  const double  *y,
                  gsize          n,
                  double         width)
{
  gboolean have = FALSE;

  cairo_set_line_width (m->cr, width);
  cairo_set_line_join (m->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (m->cr, CAIRO_LINE_CAP_ROUND);
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (y[i]))
        {
          have = FALSE;
          continue;
        }
      if (have)
        cairo_line_to (m->cr, vi_xf_x (xf, x[i]), vi_xf_y (xf, y[i]));
      else
        cairo_move_to (m->cr, vi_xf_x (xf, x[i]), vi_xf_y (xf, y[i]));
      have = TRUE;
    }
  cairo_stroke (m->cr);
  cairo_surface_flush (m->img);
}

/* Draws a figure of one line through @x, @y, then masks it both ways:
 * every cell cairo inks past a quarter is set (and at most 1 % of the cells
 * it inks past the threshold are missed, each under a quarter: the walk's
 * columns are spans at the cell's centre, cairo's stroke of the raw points
 * grazes the neighbouring cells at joins), and every cell set is within one
 * cell of one cairo inks. Returns the number of cells cairo inks. */
static gsize
compare (const double *x,
         const double *y,
         gsize         n,
         ViDash        dash,
         double        width)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  ViSeries *s = vi_panel_add_line (p, "line", x, y, n);
  cairo_surface_t *target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 400);
  cairo_t *cr = cairo_create (target);
  ViXform xf;
  ViDrawCtx ctx;
  Mask direct, ref;
  gsize inked = 0, missed = 0, faint = 0, stray = 0, set = 0;

  vi_series_set_line_width (s, width);
  if (dash != VI_DASH_SOLID)
    vi_series_set_dash (s, dash);
  vi_series_set_alpha (s, 0.45);
  vi_figure_draw (fig, cr, 640, 400);
  g_assert_true (vi_panel_get_xform (p, &xf));
  mask_init (&direct, &xf);
  mask_init (&ref, &xf);
  vi_draw_ctx_init (&ctx, fig, direct.cr);
  ctx.for_mask = TRUE;
  vi_draw_series (&ctx, &xf, s);
  vi_draw_ctx_clear (&ctx);
  cairo_surface_flush (direct.img);
  stroke_reference (&ref, &xf, x, y, n, width);

  for (int yy = 0; yy < direct.h; yy++)
    for (int xx = 0; xx < direct.w; xx++)
      {
        gboolean d = INKED (cell (&direct, xx, yy)), r = INKED (cell (&ref, xx, yy));

        inked += r;
        set += d;
        if (r && !d)
          {
            missed++;
            faint += cell (&ref, xx, yy) < 64;
          }
        if (d && !r)
          {
            gboolean near = FALSE;

            for (int dy = -1; dy <= 1 && !near; dy++)
              for (int dx = -1; dx <= 1 && !near; dx++)
                {
                  int u = xx + dx, v = yy + dy;

                  near = u >= 0 && v >= 0 && u < direct.w && v < direct.h
                         && INKED (cell (&ref, u, v));
                }
            stray += !near;
          }
      }
  g_test_message ("%zu points: cairo inks %zu cells, the walk sets %zu; %zu missed, %zu stray",
                  n, inked, set, missed, stray);
  /* A cell cairo inks a quarter or more is always set; one it only grazes
   * (under 64/255, at the rim of a join) may be missed, rarely. */
  g_assert_cmpuint (missed, ==, faint);
  g_assert_cmpuint (faint * 100, <=, inked);
  g_assert_cmpuint (stray, ==, 0);
  /* Not a smear: at most the cairo cells and a one-cell fringe. */
  g_assert_cmpuint (set, <=, 3 * inked);
  mask_clear (&direct);
  mask_clear (&ref);
  cairo_destroy (cr);
  cairo_surface_destroy (target);
  vi_figure_free (fig);
  return inked;
}

/* A noisy walk with a gap, a few hundred points (walked point by point). */
static void
test_mask_raw (void)
{
  const gsize n = 600;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  GRand *rand = g_rand_new_with_seed (7);
  double v = 0;

  for (gsize i = 0; i < n; i++)
    {
      v += g_rand_double_range (rand, -1, 1);
      x[i] = (double) i;
      y[i] = i >= 300 && i < 310 ? NAN : v;
    }
  g_assert_cmpuint (compare (x, y, n, VI_DASH_SOLID, 1.5), >, 200);
  g_assert_cmpuint (compare (x, y, n, VI_DASH_DASHED, 1.3), >, 200);
  /* A wide line: cells within half its width. */
  g_assert_cmpuint (compare (x, y, n, VI_DASH_SOLID, 12), >, 200);
  g_rand_free (rand);
}

/* A smooth curve of many points and a noisy trace of 10^5: their columns'
 * spans, as draw_decimated() draws them. */
static void
test_mask_columns (void)
{
  const gsize n = 100000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  GRand *rand = g_rand_new_with_seed (11);

  for (gsize i = 0; i < n; i++)
    {
      x[i] = (double) i;
      y[i] = sin (i * 1e-4);
    }
  g_assert_cmpuint (compare (x, y, n, VI_DASH_SOLID, 1.5), >, 100);
  for (gsize i = 0; i < n; i++)
    y[i] = -log1p (i * 1e-3) + g_rand_double_range (rand, -0.3, 0.3);
  g_assert_cmpuint (compare (x, y, n, VI_DASH_DOTTED, 1.3), >, 100);
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/mask/line-matches-cairo", test_mask_raw);
  g_test_add_func ("/plot/mask/columns-match-cairo", test_mask_columns);
  return g_test_run ();
}
