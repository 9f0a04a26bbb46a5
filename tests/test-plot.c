/* test-plot.c — the plot library: ticks, transforms, decimation, robust
 * rendering, export to PNG/SVG/PDF/CSV, hit testing
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything renders to image surfaces or files; no display is needed.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "vi-core-autocleanups.h"
#include "vi-decimate.h"
#include "vi-figure.h"
#include "vi-test-util.h"

/* ---- helpers ------------------------------------------------------------ */

static gsl_rng *
make_rng (unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (r, seed);
  return r;
}

/* Draws @fig into a fresh W×H image surface; asserts cairo is happy. */
static cairo_surface_t *
render (ViFigure *fig,
        int       w,
        int       h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);

  vi_figure_draw (fig, cr, w, h);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* Pixels inside [x, x+w) × [y, y+h) (device units) that differ from the
 * pixel at (x0, y0) of the background. */
static gsize
count_non_background (cairo_surface_t *s,
                      double           x,
                      double           y,
                      double           w,
                      double           h,
                      guint32          bg)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  int W = cairo_image_surface_get_width (s), H = cairo_image_surface_get_height (s);
  gsize n = 0;

  for (int yy = MAX (0, (int) ceil (y)); yy < MIN (H, (int) floor (y + h)); yy++)
    for (int xx = MAX (0, (int) ceil (x)); xx < MIN (W, (int) floor (x + w)); xx++)
      if (((const guint32 *) (data + yy * stride))[xx] != bg)
        n++;
  return n;
}

static guint32
pixel_at (cairo_surface_t *s,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  return ((const guint32 *) (data + y * stride))[x];
}

static ViFigure *
simple_figure (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double x[50], y[50];

  for (guint i = 0; i < 50; i++)
    {
      x[i] = i;
      y[i] = sin (i / 5.0);
    }
  vi_panel_set_title (p, "test");
  vi_panel_set_axis_label (p, VI_AXIS_X, "x");
  vi_panel_set_axis_label (p, VI_AXIS_Y, "y");
  vi_panel_add_line (p, "sine", x, y, 50);
  return fig;
}

/* ---- ticks -------------------------------------------------------------- */

/* TRUE if @step is 1, 2, 2.5, 3, 4, 5 (times a skip factor ≤ 3) × 10^k:
 * at most two significant digits. */
static gboolean
is_nice_step (double step)
{
  double m = step / pow (10, floor (log10 (step)));

  return fabs (m * 10 - round (m * 10)) < 1e-6;
}

static void
test_ticks_linear (void)
{
  g_autoptr(gsl_rng) rng = make_rng (20240601);
  double t[64], step;

  for (guint trial = 0; trial < 2000; trial++)
    {
      double mag = pow (10, gsl_ran_flat (rng, -8, 8));
      double lo = gsl_ran_flat (rng, -5, 5) * mag;
      double hi = lo + gsl_ran_flat (rng, 0.05, 10) * mag;
      gboolean loose = trial % 2 == 0;
      guint n = vi_ticks_linear (lo, hi, 6, loose, t, 64, &step);

      g_assert_cmpuint (n, >=, 4);
      g_assert_cmpuint (n, <=, 10);
      g_assert_true (step > 0);
      g_assert_true (is_nice_step (step));
      for (guint i = 1; i < n; i++)
        vi_assert_close (t[i] - t[i - 1], step, 1e-9 * step, 0);
      if (loose)
        {
          g_assert_cmpfloat (t[0], <=, lo + 1e-9 * step);
          g_assert_cmpfloat (t[n - 1], >=, hi - 1e-9 * step);
        }
      else
        {
          g_assert_cmpfloat (t[0], >=, lo - 1e-9 * step);
          g_assert_cmpfloat (t[n - 1], <=, hi + 1e-9 * step);
          /* Inside, yet spanning most of the range. */
          g_assert_cmpfloat (t[n - 1] - t[0], >=, 0.5 * (hi - lo));
        }
    }

  /* Known answers. */
  g_assert_cmpuint (vi_ticks_linear (0, 1, 6, FALSE, t, 64, &step), ==, 6);
  vi_assert_close (step, 0.2, 1e-15, 0);
  vi_assert_close (t[3], 0.6, 1e-15, 0);
  g_assert_cmpuint (vi_ticks_linear (-430, -90, 5, FALSE, t, 64, &step), ==, 4);
  vi_assert_close (t[0], -400, 0, 0);
  vi_assert_close (step, 100, 0, 0);
}

static void
test_ticks_degenerate (void)
{
  double t[64], step;
  const double cases[][2] = { { 3, 3 }, { 0, 0 }, { -1e-300, -1e-300 }, { 1e300, 1e300 },
                              { NAN, NAN }, { NAN, 2 }, { -INFINITY, INFINITY }, { 5, 1 },
                              { 1, 1 + 1e-15 } };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      guint n = vi_ticks_linear (cases[k][0], cases[k][1], 5, FALSE, t, 64, &step);

      g_assert_cmpuint (n, >=, 2);
      g_assert_cmpuint (n, <=, 10);
      g_assert_true (isfinite (step) && step > 0);
      for (guint i = 0; i < n; i++)
        g_assert_true (isfinite (t[i]));
      if (isfinite (cases[k][0]) && cases[k][0] == cases[k][1] && fabs (cases[k][0]) < 1e299)
        {
          g_assert_cmpfloat (t[0], <=, cases[k][0]);
          g_assert_cmpfloat (t[n - 1], >=, cases[k][0]);
        }
    }
}

static void
test_ticks_log (void)
{
  double major[64], minor[512];
  guint n, nm;

  n = vi_ticks_log (1, 1e4, major, 64, minor, 512, &nm);
  g_assert_cmpuint (n, ==, 5);
  for (guint i = 0; i < n; i++)
    vi_assert_close (major[i], pow (10, i), 0, 1e-12);
  g_assert_cmpuint (nm, ==, 32);   /* 2…9 in each of 4 decades */
  vi_assert_close (minor[0], 2, 0, 1e-12);

  n = vi_ticks_log (0.02, 3e5, major, 64, minor, 512, &nm);
  g_assert_cmpuint (n, ==, 7);      /* 0.1 … 1e5 */
  vi_assert_close (major[0], 0.1, 0, 1e-12);
  vi_assert_close (major[n - 1], 1e5, 0, 1e-12);

  /* Sixty decades: every k-th decade, at most ten labels, all decades. */
  n = vi_ticks_log (1e-30, 1e30, major, 64, minor, 512, &nm);
  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpuint (n, <=, 10);
  for (guint i = 0; i < n; i++)
    vi_assert_close (log10 (major[i]), round (log10 (major[i])), 1e-9, 0);

  /* Under two decades: linear ticks, all positive and inside. */
  n = vi_ticks_log (2, 7, major, 64, minor, 512, &nm);
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (major[i], >=, 2);
      g_assert_cmpfloat (major[i], <=, 7);
    }

  /* Nonsense input still gives ticks. */
  n = vi_ticks_log (-5, -1, major, 64, minor, 512, &nm);
  g_assert_cmpuint (n, >=, 1);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (major[i], >, 0);
}

static void
test_ticks_format (void)
{
  const struct { double v, step; gboolean log; const char *want; } cases[] = {
    { 0.25, 0.25, FALSE, "0.25" },
    { 0.5, 0.25, FALSE, "0.50" },
    { -1, 1, FALSE, "−1" },
    { 1e-17, 0.1, FALSE, "0" },
    { 1500, 500, FALSE, "1500" },
    { 1000, 0, TRUE, "10³" },
    { 0.01, 0, TRUE, "10⁻²" },
    { 1, 0, TRUE, "1" },
    { 2e6, 1e6, FALSE, "2×10⁶" },
    { 1e6, 1e6, FALSE, "10⁶" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = vi_ticks_format (cases[i].v, cases[i].step, cases[i].log);

      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

/* ---- transforms --------------------------------------------------------- */

static void
test_transform_round_trip (void)
{
  g_autoptr(gsl_rng) rng = make_rng (7);

  for (guint mode = 0; mode < 4; mode++)
    {
      ViFigure *fig = vi_figure_create (1, 1);
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      double x[3] = { 0.5, 3, 200 }, y[3] = { 0.01, 2, 90 };
      cairo_surface_t *s;
      double ax, ay, aw, ah;

      vi_panel_set_scale (p, VI_AXIS_X, mode & 1 ? VI_SCALE_LOG10 : VI_SCALE_LINEAR);
      vi_panel_set_scale (p, VI_AXIS_Y, mode & 2 ? VI_SCALE_LOG10 : VI_SCALE_LINEAR);
      vi_panel_add_line (p, "l", x, y, 3);
      g_assert_false (vi_panel_pixel_to_data (p, 1, 1, NULL, NULL));
      s = render (fig, 500, 300);
      g_assert_true (vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah));
      g_assert_cmpfloat (aw, >, 300);
      g_assert_cmpfloat (ah, >, 150);
      for (guint k = 0; k < 200; k++)
        {
          double dx = (mode & 1) ? pow (10, gsl_ran_flat (rng, -1, 3)) : gsl_ran_flat (rng, -50, 250);
          double dy = (mode & 2) ? pow (10, gsl_ran_flat (rng, -3, 2)) : gsl_ran_flat (rng, -5, 95);
          double px, py, bx, by;

          g_assert_true (vi_panel_data_to_pixel (p, dx, dy, &px, &py));
          g_assert_true (vi_panel_pixel_to_data (p, px, py, &bx, &by));
          vi_assert_close (bx, dx, 1e-12, 1e-12);
          vi_assert_close (by, dy, 1e-12, 1e-12);
        }
      /* The axis ends map to the plot-area edges. */
      {
        double lo, hi, px, py;

        vi_panel_get_range (p, VI_AXIS_X, &lo, &hi);
        vi_panel_data_to_pixel (p, lo, 1, &px, NULL);
        vi_assert_close (px, ax, 1e-9, 0);
        vi_panel_data_to_pixel (p, hi, 1, &px, NULL);
        vi_assert_close (px, ax + aw, 1e-9, 0);
        vi_panel_get_range (p, VI_AXIS_Y, &lo, &hi);
        vi_panel_data_to_pixel (p, 1, lo, NULL, &py);
        vi_assert_close (py, ay + ah, 1e-9, 0);
      }
      cairo_surface_destroy (s);
      vi_figure_free (fig);
    }
}

static void
test_view_range (void)
{
  ViFigure *fig = simple_figure ();
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double lo, hi;

  vi_panel_get_range (p, VI_AXIS_X, &lo, &hi);
  vi_assert_close (lo, -0.05 * 49, 1e-12, 0);    /* 5 % padding */
  vi_assert_close (hi, 49 + 0.05 * 49, 1e-12, 0);
  vi_panel_set_view (p, VI_AXIS_X, 10, 20);
  g_assert_true (vi_panel_has_view (p));
  vi_panel_get_range (p, VI_AXIS_X, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 10);
  g_assert_cmpfloat (hi, ==, 20);
  vi_panel_set_view (p, VI_AXIS_Y, 1, 1);        /* invalid: ignored */
  vi_panel_get_range (p, VI_AXIS_Y, &lo, &hi);
  g_assert_cmpfloat (lo, <, hi);
  vi_panel_reset_view (p);
  g_assert_false (vi_panel_has_view (p));
  vi_panel_get_range (p, VI_AXIS_X, &lo, &hi);
  vi_assert_close (lo, -0.05 * 49, 1e-12, 0);
  vi_panel_set_range (p, VI_AXIS_Y, -2, 2);
  vi_panel_get_range (p, VI_AXIS_Y, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -2);
  g_assert_cmpfloat (hi, ==, 2);
  vi_figure_free (fig);
}

/* ---- decimation --------------------------------------------------------- */

static void
brute_range (const double *y,
             gsize         a,
             gsize         b,
             ViRange      *r)
{
  vi_range_init (r);
  for (gsize i = a; i < b; i++)
    vi_range_add (r, y[i]);
}

static void
test_decimate_exact (void)
{
  g_autoptr(gsl_rng) rng = make_rng (20240602);
  enum { N = 200000, COLS = 777 };
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);
  g_autofree double *edges = g_new (double, COLS + 1);
  g_autofree ViColumn *cols = g_new (ViColumn, COLS);
  g_autofree gsize *col_of = g_new (gsize, COLS);
  ViPyramid *p = vi_pyramid_create ();
  double walk = 0, t = 0;
  gsize n = 0, nc, start;

  for (gsize i = 0; i < N; i++)
    {
      t += gsl_ran_exponential (rng, 1.0);   /* uneven spacing */
      walk += gsl_ran_gaussian (rng, 1.0);
      x[i] = t;
      y[i] = gsl_rng_uniform (rng) < 0.001 ? NAN : walk;
    }
  /* Build by appends of random size, as a live plot does. */
  while (n < N)
    {
      n = MIN (N, n + 1 + gsl_rng_uniform_int (rng, 5000));
      vi_pyramid_extend (p, y, n);
    }
  g_assert_cmpuint (vi_pyramid_get_n (p), ==, N);

  for (gsize c = 0; c <= COLS; c++)
    edges[c] = x[0] + (x[N - 1] - x[0]) * 0.1 + (x[N - 1] - x[0]) * 0.8 * c / COLS;
  nc = vi_decimate_columns (p, x, y, N, edges, COLS, cols, col_of);
  g_assert_cmpuint (nc, >, COLS / 2);
  start = vi_lower_bound (x, N, edges[0]);
  for (gsize k = 0; k < nc; k++)
    {
      ViRange want;
      gsize c = col_of[k];

      /* Columns are contiguous, in order, and hold exactly their points. */
      g_assert_cmpuint (cols[k].first, ==, start);
      g_assert_cmpfloat (x[cols[k].first], >=, edges[c]);
      g_assert_cmpfloat (x[cols[k].last], <=, edges[c + 1]);
      if (cols[k].first > 0)
        g_assert_cmpfloat (x[cols[k].first - 1], <, edges[c]);
      brute_range (y, cols[k].first, cols[k].last + 1, &want);
      /* Exactly the min and max of the column, not approximations. */
      g_assert_cmpfloat (cols[k].range.min, ==, want.min);
      g_assert_cmpfloat (cols[k].range.max, ==, want.max);
      g_assert_cmpfloat (cols[k].range.minpos, ==, want.minpos);
      g_assert_cmpuint (cols[k].range.flags, ==, want.flags);
      start = cols[k].last + 1;
    }

  /* Arbitrary ranges, including ones inside one block. */
  for (guint k = 0; k < 3000; k++)
    {
      gsize a = gsl_rng_uniform_int (rng, N), b = a + gsl_rng_uniform_int (rng, N - a + 1);
      ViRange got, want;

      if (k % 3 == 0)
        b = MIN (N, a + gsl_rng_uniform_int (rng, 70));
      vi_pyramid_query (p, y, a, b, &got);
      brute_range (y, a, b, &want);
      g_assert_cmpfloat (got.min, ==, want.min);
      g_assert_cmpfloat (got.max, ==, want.max);
      g_assert_cmpuint (got.flags, ==, want.flags);
    }
  vi_pyramid_free (p);
}

/* A decimated 10^6-point line draws the same extremes as the data: the
 * topmost and bottommost inked rows match the data's max and min. */
static void
test_decimate_render_extremes (void)
{
  enum { N = 1000000 };
  g_autofree double *y = g_new0 (double, N);
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  ViSeries *s;
  cairo_surface_t *surf;
  double ax, ay, aw, ah, py_max, py_min;
  int top = -1, bottom = -1;
  guint32 bg;

  /* One spike up and one down, each a single sample. */
  y[333333] = 10;
  y[777777] = -10;
  vi_panel_set_range (p, VI_AXIS_Y, -12, 12);
  vi_panel_set_grid (p, FALSE);
  s = vi_panel_add_line (p, NULL, NULL, y, N);
  vi_series_set_line_width (s, 1);
  surf = render (fig, 400, 300);
  vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah);
  vi_panel_data_to_pixel (p, 0, 10, NULL, &py_max);
  vi_panel_data_to_pixel (p, 0, -10, NULL, &py_min);
  bg = pixel_at (surf, 1, 1);
  for (int yy = (int) ay + 1; yy < (int) (ay + ah) - 1; yy++)
    if (count_non_background (surf, ax + 2, yy, aw - 4, 1, bg) > 0)
      {
        if (top < 0)
          top = yy;
        bottom = yy;
      }
  g_assert_cmpint (top, >=, 0);
  g_assert_cmpfloat (fabs (top - py_max), <=, 1.5);
  g_assert_cmpfloat (fabs (bottom - py_min), <=, 1.5);
  cairo_surface_destroy (surf);
  vi_figure_free (fig);
}

static void
test_append (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  ViSeries *s = vi_panel_add_line (p, "live", NULL, NULL, 0);
  double lo, hi;

  for (guint frame = 0; frame < 100; frame++)
    {
      double y[1000];
      cairo_surface_t *surf;

      for (guint i = 0; i < 1000; i++)
        y[i] = frame * 1000 + i;
      vi_series_append (s, NULL, y, 1000);
      if (frame % 25 == 0)
        {
          surf = render (fig, 300, 200);
          cairo_surface_destroy (surf);
        }
    }
  g_assert_cmpuint (vi_series_get_n_points (s), ==, 100000);
  vi_panel_get_range (p, VI_AXIS_Y, &lo, &hi);
  vi_assert_close (lo, -0.05 * 99999, 1e-9, 0);
  vi_assert_close (hi, 99999 * 1.05, 1e-9, 0);
  vi_panel_get_range (p, VI_AXIS_X, &lo, &hi);
  vi_assert_close (hi, 99999 * 1.05, 1e-9, 0);
  vi_figure_free (fig);
}

/* ---- robustness --------------------------------------------------------- */

static void
test_render_robust (void)
{
  const double nan3[3] = { NAN, NAN, NAN };
  const double neg[4] = { -1, 0, -3, -0.5 };
  const double x4[4] = { 1, 2, 3, 4 };
  const double wild[6] = { 1e300, -1e300, INFINITY, -INFINITY, NAN, 1e-300 };
  const double gap[7] = { 1, 2, NAN, 3, 4, INFINITY, 5 };
  const double flat[3] = { 7, 7, 7 };
  ViFigure *fig = vi_figure_create (3, 4);
  const int sizes[][2] = { { 0, 0 }, { 1, 1 }, { 10, 8 }, { 640, 480 } };

  vi_panel_add_line (vi_figure_get_panel (fig, 0, 0), "gap", NULL, gap, 7);
  vi_panel_add_line (vi_figure_get_panel (fig, 0, 1), "empty", NULL, NULL, 0);
  vi_panel_add_line (vi_figure_get_panel (fig, 0, 2), "flat", NULL, flat, 3);
  vi_panel_add_line (vi_figure_get_panel (fig, 0, 3), "nan", NULL, nan3, 3);
  {
    ViPanel *p = vi_figure_get_panel (fig, 1, 0);

    vi_panel_set_scale (p, VI_AXIS_Y, VI_SCALE_LOG10);
    vi_panel_set_scale (p, VI_AXIS_X, VI_SCALE_LOG10);
    vi_panel_add_line (p, "neg", x4, neg, 4);
    vi_panel_add_scatter (p, "neg", neg, x4, 4);
    vi_panel_add_bars (p, "neg", neg, x4, 4);
    vi_panel_add_histogram_of (p, "neg", neg, 4, 0, TRUE);
    vi_panel_add_band (p, "neg", x4, neg, x4, 4);
    vi_panel_add_hline (p, "neg", -1);
  }
  vi_panel_add_line (vi_figure_get_panel (fig, 1, 1), "wild", NULL, wild, 6);
  vi_panel_add_scatter (vi_figure_get_panel (fig, 1, 2), "wild", wild, wild, 6);
  vi_panel_add_heatmap (vi_figure_get_panel (fig, 1, 3), "nan", nan3, 1, 3, VI_COLORMAP_MAGMA);
  vi_panel_add_images (vi_figure_get_panel (fig, 2, 0), "none", NULL, 0, 0, 0, 1, NULL, 0);
  vi_panel_add_images (vi_figure_get_panel (fig, 2, 1), "nan", nan3, 1, 1, 3, 1, NULL, 0);
  vi_panel_add_step (vi_figure_get_panel (fig, 2, 2), "wild", wild, wild, 6);
  vi_panel_add_text (vi_figure_get_panel (fig, 2, 3), NAN, 1, "lost");
  vi_panel_add_vline (vi_figure_get_panel (fig, 2, 3), NULL, INFINITY);
  vi_panel_add_histogram (vi_figure_get_panel (fig, 2, 3), "h", wild, wild, 5);
  vi_panel_set_view (vi_figure_get_panel (fig, 2, 3), VI_AXIS_X, 1e-300, 2e-300);

  for (guint theme = VI_THEME_LIGHT; theme <= VI_THEME_PRINT; theme++)
    for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
      {
        cairo_surface_t *s;

        vi_figure_set_theme (fig, (ViTheme) theme);
        vi_figure_set_font_scale (fig, k == 3 ? 1.5 : 1);
        if (sizes[k][0] == 0)
          {
            /* Zero size is accepted (nothing to draw). */
            cairo_surface_t *one = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
            cairo_t *cr = cairo_create (one);

            vi_figure_draw (fig, cr, 0, 0);
            g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
            cairo_destroy (cr);
            cairo_surface_destroy (one);
            continue;
          }
        s = render (fig, sizes[k][0], sizes[k][1]);
        cairo_surface_destroy (s);
      }

  /* The empty panel says "no data": ink inside its plot area. */
  {
    ViFigure *f = vi_figure_create (1, 1);
    ViPanel *p = vi_figure_get_panel (f, 0, 0);
    cairo_surface_t *s;
    double ax, ay, aw, ah;

    s = render (f, 300, 200);
    g_assert_true (vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah));
    g_assert_cmpuint (count_non_background (s, ax + 2, ay + 2, aw - 4, ah - 4,
                                            pixel_at (s, 0, 0)), >, 20);
    cairo_surface_destroy (s);
    vi_figure_free (f);
  }
  vi_figure_free (fig);
}

/* ---- export ------------------------------------------------------------- */

static char *
tmp_path (const char *dir,
          const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
test_export_png (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
  g_autofree char *path = tmp_path (dir, "fig.PNG");
  g_autoptr(GError) error = NULL;
  ViFigure *fig = simple_figure ();
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  cairo_surface_t *s;
  double ax, ay, aw, ah;

  g_assert_true (vi_figure_export (fig, path, 300, 200, 2.5, &error));
  g_assert_no_error (error);
  s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 750);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 500);
  g_assert_true (vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah));
  /* The line is inside the plot area (in pixels: points × scale). */
  g_assert_cmpuint (count_non_background (s, ax * 2.5 + 2, ay * 2.5 + 2, aw * 2.5 - 4,
                                          ah * 2.5 - 4, pixel_at (s, 0, 0)), >, 200);
  cairo_surface_destroy (s);
  g_unlink (path);
  g_rmdir (dir);
  vi_figure_free (fig);
}

static void
test_export_svg (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
  g_autofree char *path = tmp_path (dir, "fig.svg");
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  ViFigure *fig = simple_figure ();
  const char *svg;

  g_assert_true (vi_figure_export (fig, path, 300, 200, 1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  svg = strstr (text, "<svg");
  g_assert_nonnull (svg);
  g_assert_nonnull (strstr (svg, "width=\"300pt\""));
  g_assert_nonnull (strstr (svg, "height=\"200pt\""));
  g_assert_nonnull (strstr (svg, "viewBox=\"0 0 300 200\""));
  g_assert_nonnull (strstr (text, "</svg>"));
  if (xmllint != NULL)
    {
      const char *argv[] = { xmllint, "--noout", path, NULL };
      int status;
      g_autofree char *err = NULL;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                   NULL, NULL, &err, &status, &error));
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("xmllint rejects %s: %s", path, err);
    }
  else
    g_test_message ("xmllint not installed: skipping the well-formedness check");
  g_unlink (path);
  g_rmdir (dir);
  vi_figure_free (fig);
}

static void
test_export_pdf (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
  g_autofree char *path = tmp_path (dir, "fig.pdf");
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  ViFigure *fig = simple_figure ();
  gsize len;

  g_assert_true (vi_figure_export (fig, path, 300, 200, 1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpuint (len, >, 5);
  g_assert_true (memcmp (text, "%PDF-", 5) == 0);
  if (pdfinfo != NULL)
    {
      const char *argv[] = { pdfinfo, path, NULL };
      g_autofree char *out = NULL;
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                   NULL, &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_true (g_regex_match_simple ("^Pages:\\s+1$", out, G_REGEX_MULTILINE, 0));
      g_assert_true (g_regex_match_simple ("^Page size:\\s+300 x 200 pts", out,
                                           G_REGEX_MULTILINE, 0));
    }
  else
    g_test_message ("pdfinfo not installed: skipping the page count check");
  g_unlink (path);
  g_rmdir (dir);
  vi_figure_free (fig);
}

static void
test_export_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
  g_autofree char *txt = tmp_path (dir, "fig.txt");
  g_autofree char *noext = tmp_path (dir, "figure");
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir", "fig.png", NULL);
  g_autofree char *keep = tmp_path (dir, "keep.png");
  g_autofree char *before = NULL, *after = NULL;
  ViFigure *fig = simple_figure ();
  GError *error = NULL;

  g_assert_false (vi_figure_export (fig, txt, 300, 200, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, ".txt"));
  g_assert_nonnull (strstr (error->message, "unknown file type"));
  g_clear_error (&error);
  g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));

  g_assert_false (vi_figure_export (fig, noext, 300, 200, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (vi_figure_export (fig, missing, 300, 200, 1, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_false (vi_figure_export (fig, keep, 0, 200, 1, &error));
  g_assert_nonnull (strstr (error->message, "width"));
  g_clear_error (&error);
  g_assert_false (vi_figure_export (fig, keep, 300, NAN, 1, &error));
  g_clear_error (&error);
  g_assert_false (vi_figure_export (fig, keep, 300, 200, -1, &error));
  g_assert_nonnull (strstr (error->message, "scale"));
  g_clear_error (&error);

  g_assert_false (vi_figure_export_csv (fig, missing, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_unlink (keep);
  g_rmdir (dir);
  vi_figure_free (fig);
}

static void
test_export_csv (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  const double x[3] = { 1, 2, 3 }, y[3] = { 0.5, NAN, -2 }, h[2] = { 4, 5 }, e[2] = { 0.1, 0.2 };
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  vi_panel_add_line (p, "loss, train", x, y, 3);
  vi_panel_add_bars (p, "bars", h, e, 2);
  csv = vi_figure_to_csv (fig);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "\"loss, train:x\",\"loss, train:y\",bars:category,bars:height,bars:error");
  g_assert_cmpstr (lines[1], ==, "1,0.5,0,4,0.10000000000000001");
  g_assert_cmpstr (lines[2], ==, "2,NaN,1,5,0.20000000000000001");
  g_assert_cmpstr (lines[3], ==, "3,-2,,,");
  g_assert_cmpstr (lines[4], ==, "");
  vi_figure_free (fig);
}

/* ---- hit testing -------------------------------------------------------- */

static void
test_hit_test (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  const double x[5] = { 0, 1, 2, 3, 4 }, a[5] = { 0, 1, 0, 1, 0 }, b[5] = { 5, 5, 5, 5, 5 };
  cairo_surface_t *s;
  ViHit hit;
  double px, py;

  vi_panel_add_line (p, "zigzag", x, a, 5);
  vi_panel_add_scatter (p, "flat", x, b, 5);
  g_assert_false (vi_figure_hit_test (fig, 10, 10, 20, &hit));   /* not drawn yet */
  s = render (fig, 400, 300);

  /* Right on point 3 of zigzag. */
  vi_panel_data_to_pixel (p, 3, 1, &px, &py);
  g_assert_true (vi_figure_hit_test (fig, px + 2, py - 1, 20, &hit));
  g_assert_true (hit.panel == p);
  g_assert_cmpstr (hit.name, ==, "zigzag");
  g_assert_cmpuint (hit.index, ==, 3);
  g_assert_cmpfloat (hit.x, ==, 3);
  g_assert_cmpfloat (hit.y, ==, 1);
  vi_assert_close (hit.distance, sqrt (5), 1e-9, 0);
  vi_assert_close (hit.px, px, 1e-9, 0);

  /* Near the flat series. */
  vi_panel_data_to_pixel (p, 1.1, 4.9, &px, &py);
  g_assert_true (vi_figure_hit_test (fig, px, py, 30, &hit));
  g_assert_cmpstr (hit.name, ==, "flat");
  g_assert_cmpuint (hit.index, ==, 1);

  /* Far from everything. */
  vi_panel_data_to_pixel (p, 2, 3, &px, &py);
  g_assert_false (vi_figure_hit_test (fig, px, py, 5, &hit));
  g_assert_true (vi_figure_get_panel_at (fig, px, py) == p);
  g_assert_null (vi_figure_get_panel_at (fig, -5, -5));
  cairo_surface_destroy (s);
  vi_figure_free (fig);
}

/* ---- legend placement --------------------------------------------------- */

/* Data filling the top right: the automatic legend must go elsewhere and
 * cover no drawn data. */
static void
test_legend_avoids_data (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double x[100], y[100];
  cairo_surface_t *with_legend, *without;
  double ax, ay, aw, ah;

  for (guint i = 0; i < 100; i++)
    {
      x[i] = i;
      y[i] = i;   /* diagonal: bottom-left to top-right */
    }
  vi_panel_set_grid (p, FALSE);
  vi_panel_add_line (p, "a rather long legend label", x, y, 100);
  vi_panel_set_legend (p, VI_LEGEND_NONE);
  without = render (fig, 400, 300);
  vi_panel_set_legend (p, VI_LEGEND_AUTO);
  with_legend = render (fig, 400, 300);
  vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah);
  /* Same plot area, and every line pixel of the legend-less picture is
   * unchanged: the legend hides nothing. */
  {
    const guint8 *d0 = cairo_image_surface_get_data (without);
    const guint8 *d1 = cairo_image_surface_get_data (with_legend);
    int stride = cairo_image_surface_get_stride (without);
    guint32 bg = pixel_at (without, 0, 0);
    gsize changed = 0, inked = 0;

    for (int yy = (int) ay + 1; yy < (int) (ay + ah) - 1; yy++)
      for (int xx = (int) ax + 1; xx < (int) (ax + aw) - 1; xx++)
        {
          guint32 p0 = ((const guint32 *) (d0 + yy * stride))[xx];
          guint32 p1 = ((const guint32 *) (d1 + yy * stride))[xx];

          if (p0 != bg)
            {
              inked++;
              if (p1 != p0)
                changed++;
            }
        }
    g_assert_cmpuint (inked, >, 100);
    g_assert_cmpuint (changed, ==, 0);
  }
  cairo_surface_destroy (with_legend);
  cairo_surface_destroy (without);
  vi_figure_free (fig);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plot/ticks/linear", test_ticks_linear);
  g_test_add_func ("/plot/ticks/degenerate", test_ticks_degenerate);
  g_test_add_func ("/plot/ticks/log", test_ticks_log);
  g_test_add_func ("/plot/ticks/format", test_ticks_format);
  g_test_add_func ("/plot/transform/round-trip", test_transform_round_trip);
  g_test_add_func ("/plot/transform/view-range", test_view_range);
  g_test_add_func ("/plot/decimate/exact-min-max", test_decimate_exact);
  g_test_add_func ("/plot/decimate/render-extremes", test_decimate_render_extremes);
  g_test_add_func ("/plot/decimate/append", test_append);
  g_test_add_func ("/plot/render/robust", test_render_robust);
  g_test_add_func ("/plot/export/png", test_export_png);
  g_test_add_func ("/plot/export/svg", test_export_svg);
  g_test_add_func ("/plot/export/pdf", test_export_pdf);
  g_test_add_func ("/plot/export/errors", test_export_errors);
  g_test_add_func ("/plot/export/csv", test_export_csv);
  g_test_add_func ("/plot/hit/nearest", test_hit_test);
  g_test_add_func ("/plot/legend/avoids-data", test_legend_avoids_data);

  return g_test_run ();
}
