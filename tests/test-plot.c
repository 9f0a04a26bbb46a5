/* test-plot.c — the plot library: ticks, transforms, decimation, robust
 * rendering, export to PNG/SVG/PDF/CSV, hit testing
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything renders to image surfaces or files; no display is needed.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <glib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "vi-bbvi-job.h"
#include "vi-core-autocleanups.h"
#include "vi-decimate.h"
#include "vi-figure.h"
#include "vi-job.h"
#include "vi-status.h"
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
test_ticks_on_step_multiples (void)
{
  /* Ticks sit on multiples of their spacing and their labels are distinct
   * (regression: [2.02, 5.63] once gave 2.5, 3.5, … labelled "2 4 4 6"). */
  g_autoptr(gsl_rng) rng = make_rng (20240611);

  for (guint k = 0; k < 2000; k++)
    {
      double lo = (gsl_rng_uniform (rng) - 0.5) * pow (10, gsl_rng_uniform_int (rng, 8) - 3.0);
      double hi = lo + gsl_rng_uniform_pos (rng) * pow (10, gsl_rng_uniform_int (rng, 8) - 3.0);
      guint target = 2 + (guint) gsl_rng_uniform_int (rng, 8);
      double t[64], step;
      guint n = vi_ticks_linear (k == 0 ? 2.02 : lo, k == 0 ? 5.63 : hi, target, FALSE, t, 64,
                                 &step);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *a = vi_ticks_format (t[i], step, FALSE);

          if (fabs (t[i] / step - round (t[i] / step)) > 1e-6)
            g_error ("[%.17g, %.17g] target %u: tick %.17g, step %.17g", lo, hi, target, t[i],
                     step);
          for (guint j = 0; j < i; j++)
            {
              g_autofree char *b = vi_ticks_format (t[j], step, FALSE);
              g_assert_cmpstr (a, !=, b);
            }
        }
    }
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
    { 1, 0, TRUE, "10⁰" },
    { 10, 0, TRUE, "10¹" },
    { 0.01, 0.01, FALSE, "0.01" },
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
          double dx = (mode & 1) ? pow (10, gsl_ran_flat (rng, -1, 3))
                                 : gsl_ran_flat (rng, -50, 250);
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

/* A pyramid gives the same summaries however its values arrive: one at a
 * time (a live trace), in one go (a plot rebuilt from a snapshot), or in
 * runs of random length; over 32^3 values so three levels fill, with NaN,
 * ±inf, zeros and negatives to set every field and flag. */
static void
test_pyramid_appends (void)
{
  g_autoptr(gsl_rng) rng = make_rng (20261203);
  enum { N = 40000 };
  g_autofree double *y = g_new (double, N);
  ViPyramid *p[3] = { vi_pyramid_create (), vi_pyramid_create (), vi_pyramid_create () };
  gsize n = 0;

  for (gsize i = 0; i < N; i++)
    {
      double u = gsl_rng_uniform (rng);

      y[i] = u < 0.001 ? NAN : u < 0.002 ? (u < 0.0015 ? INFINITY : -INFINITY)
           : u < 0.01 ? 0 : gsl_ran_gaussian (rng, 1.0) + 1.5;
    }
  for (gsize i = 1; i <= N; i++)
    vi_pyramid_extend (p[0], y, i);
  vi_pyramid_extend (p[1], y, N);
  while (n < N)
    {
      n = MIN (N, n + 1 + gsl_rng_uniform_int (rng, 3000));
      vi_pyramid_extend (p[2], y, n);
    }
  for (guint k = 0; k < 4000; k++)
    {
      gsize a = gsl_rng_uniform_int (rng, N), b = a + gsl_rng_uniform_int (rng, N - a + 1);
      ViRange want;

      if (k == 0)
        a = 0, b = N;
      brute_range (y, a, b, &want);
      for (guint m = 0; m < G_N_ELEMENTS (p); m++)
        {
          ViRange got;

          g_assert_cmpuint (vi_pyramid_get_n (p[m]), ==, N);
          vi_pyramid_query (p[m], y, a, b, &got);
          g_assert_cmpfloat (got.min, ==, want.min);
          g_assert_cmpfloat (got.max, ==, want.max);
          g_assert_cmpfloat (got.minpos, ==, want.minpos);
          g_assert_cmpuint (got.flags, ==, want.flags);
        }
    }
  /* The whole array has every flag; an extension by nothing changes nothing. */
  vi_pyramid_extend (p[0], y, N / 2);
  g_assert_cmpuint (vi_pyramid_get_n (p[0]), ==, N);
  for (guint m = 0; m < G_N_ELEMENTS (p); m++)
    vi_pyramid_free (p[m]);
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
test_hidden_and_band_append (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  const double x[2] = { 0, 1 }, y[2] = { 0, 1 }, far[2] = { 100, 200 };
  const double lo[2] = { -1, -2 }, hi[2] = { 1, 2 };
  ViSeries *outlier = vi_panel_add_line (p, "outlier", x, far, 2);
  ViSeries *band = vi_panel_add_band (p, "band", NULL, NULL, NULL, 0);
  g_autofree char *csv = NULL;
  cairo_surface_t *s;
  double a, b;
  ViHit hit;

  vi_panel_add_line (p, "main", x, y, 2);
  vi_series_set_visible (outlier, FALSE);
  g_assert_false (vi_series_get_visible (outlier));
  vi_panel_get_range (p, VI_AXIS_Y, &a, &b);
  g_assert_cmpfloat (b, <, 100);          /* the hidden outlier is not in the range */
  csv = vi_figure_to_csv (fig);
  g_assert_null (strstr (csv, "outlier"));
  s = render (fig, 300, 200);
  {
    double px, py;

    vi_panel_data_to_pixel (p, 1, 1, &px, &py);
    g_assert_true (vi_figure_hit_test (fig, px, py, 10, &hit));
    g_assert_cmpstr (hit.name, ==, "main");
  }
  cairo_surface_destroy (s);

  vi_series_append_band (band, NULL, lo, hi, 2);
  vi_series_append_band (band, NULL, lo, hi, 2);
  g_assert_cmpuint (vi_series_get_n_points (band), ==, 4);
  vi_panel_get_range (p, VI_AXIS_Y, &a, &b);
  vi_assert_close (a, -2 - 0.05 * 4, 1e-12, 0);
  vi_panel_get_range (p, VI_AXIS_X, &a, &b);
  vi_assert_close (b, 3 + 0.05 * 3, 1e-12, 0);
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

/* A HiDPI widget surface (device scale 2, device offset): the fast scatter
 * path must put markers where the vector path would. */
static void
test_scatter_device_scale (void)
{
  const double x[3] = { 0, 1, 2 }, y[3] = { 0, 2, 1 };
  cairo_surface_t *fast = NULL, *slow = NULL;
  cairo_t *cr;
  gsize differ = 0, inked = 0;

  for (int k = 0; k < 2; k++)
    {
      ViFigure *fig = vi_figure_create (1, 1);
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      ViSeries *s = vi_panel_add_scatter (p, "pts", x, y, 3);
      cairo_surface_t *target;

      vi_series_set_marker (s, VI_MARKER_SQUARE, 8);
      vi_panel_set_grid (p, FALSE);
      vi_panel_set_legend (p, VI_LEGEND_NONE);
      if (k == 0)
        target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
      else
        {
          /* A recording surface takes the vector path; replay it. */
          cairo_rectangle_t ext = { 0, 0, 400, 300 };
          target = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &ext);
        }
      cairo_surface_set_device_scale (target, 2, 2);
      cairo_surface_set_device_offset (target, 0, 0);
      cr = cairo_create (target);
      vi_figure_draw (fig, cr, 200, 150);
      cairo_destroy (cr);
      if (k == 0)
        fast = target;
      else
        {
          slow = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
          cairo_surface_set_device_scale (target, 1, 1);
          cr = cairo_create (slow);
          cairo_set_source_surface (cr, target, 0, 0);
          cairo_paint (cr);
          cairo_destroy (cr);
          cairo_surface_destroy (target);
        }
      vi_figure_free (fig);
    }
  cairo_surface_flush (fast);
  cairo_surface_flush (slow);
  for (int yy = 0; yy < 300; yy++)
    for (int xx = 0; xx < 400; xx++)
      {
        guint32 a = pixel_at (fast, xx, yy), b = pixel_at (slow, xx, yy);
        int ga = (a >> 8) & 0xff, gb = (b >> 8) & 0xff;

        if (a != pixel_at (fast, 0, 0))
          inked++;
        /* Marker edges may differ by rounding to the pixel; interiors not. */
        if (ABS (ga - gb) > 40)
          differ++;
      }
  g_assert_cmpuint (inked, >, 300);
  g_assert_cmpuint (differ, <, 3 * 2 * 4 * 16);   /* at most a pixel ring per marker */
  cairo_surface_destroy (fast);
  cairo_surface_destroy (slow);
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

/* Seeded random figures of every kind with hostile values, scales, views
 * and sizes: each must draw, export to CSV and hit-test without error. */
static double
hostile_value (gsl_rng *rng)
{
  switch (gsl_rng_uniform_int (rng, 12))
    {
    case 0: return NAN;
    case 1: return INFINITY;
    case 2: return -INFINITY;
    case 3: return 0;
    case 4: return 1e300 * (gsl_rng_uniform (rng) - 0.5);
    case 5: return 1e-300 * gsl_rng_uniform (rng);
    case 6: return -gsl_rng_uniform (rng);
    default: return gsl_ran_gaussian (rng, 1) * pow (10, gsl_ran_flat (rng, -3, 3));
    }
}

static void
test_render_fuzz (void)
{
  g_autoptr(gsl_rng) rng = make_rng (20240603);

  for (guint trial = 0; trial < 150; trial++)
    {
      guint rows = 1 + gsl_rng_uniform_int (rng, 2), cols = 1 + gsl_rng_uniform_int (rng, 2);
      ViFigure *fig = vi_figure_create (rows, cols);
      g_autofree char *csv = NULL;
      cairo_surface_t *s;
      ViHit hit;

      vi_figure_set_theme (fig, (ViTheme) gsl_rng_uniform_int (rng, 3));
      vi_figure_set_font_scale (fig, gsl_ran_flat (rng, 0.5, 3));
      if (trial % 5 == 0)
        vi_figure_set_title (fig, "fuzz <not markup> & more");
      for (guint pi = 0; pi < rows * cols; pi++)
        {
          ViPanel *p = vi_figure_get_panel (fig, pi / cols, pi % cols);
          guint n_series = gsl_rng_uniform_int (rng, 4);

          vi_panel_set_scale (p, VI_AXIS_X, gsl_rng_uniform_int (rng, 3) == 0
                              ? VI_SCALE_LOG10 : VI_SCALE_LINEAR);
          vi_panel_set_scale (p, VI_AXIS_Y, gsl_rng_uniform_int (rng, 3) == 0
                              ? VI_SCALE_LOG10 : VI_SCALE_LINEAR);
          vi_panel_set_legend (p, (ViLegendPosition) gsl_rng_uniform_int (rng, 8));
          if (gsl_rng_uniform_int (rng, 4) == 0)
            vi_panel_set_view (p, VI_AXIS_X, hostile_value (rng), hostile_value (rng));
          if (gsl_rng_uniform_int (rng, 4) == 0)
            vi_panel_set_range (p, VI_AXIS_Y, hostile_value (rng), hostile_value (rng));
          if (gsl_rng_uniform_int (rng, 3) == 0)
            vi_panel_set_axis_markup (p, VI_AXIS_X, gsl_rng_uniform_int (rng, 2)
                                      ? "<i>x</i><sub>1</sub>" : "<broken");
          for (guint k = 0; k < n_series; k++)
            {
              gsize n = gsl_rng_uniform_int (rng, 3) == 0 ? gsl_rng_uniform_int (rng, 3)
                                                          : gsl_rng_uniform_int (rng, 3000);
              g_autofree double *x = g_new (double, n + 1);
              g_autofree double *y = g_new (double, n + 1);
              g_autofree double *z = g_new (double, n + 1);
              g_autofree guint *cat = g_new (guint, n + 1);
              ViSeries *s2 = NULL;

              for (gsize i = 0; i <= n; i++)
                {
                  x[i] = gsl_rng_uniform_int (rng, 2) ? (double) i : hostile_value (rng);
                  y[i] = hostile_value (rng);
                  z[i] = hostile_value (rng);
                  cat[i] = gsl_rng_uniform_int (rng, 12);
                }
              switch (gsl_rng_uniform_int (rng, 11))
                {
                case 0: s2 = vi_panel_add_line (p, "line", x, y, n); break;
                case 1:
                  s2 = vi_panel_add_scatter (p, "scatter", x, y, n);
                  if (k % 2)
                    vi_series_set_values (s2, z, n, VI_COLORMAP_MAGMA, "v");
                  else
                    {
                      const char *const names[] = { "a", "b", NULL };
                      vi_series_set_categories (s2, cat, n, names);
                    }
                  break;
                case 2: s2 = vi_panel_add_band (p, "band", x, y, z, n); break;
                case 3: s2 = vi_panel_add_bars (p, "bars", y, k % 2 ? z : NULL, MIN (n, 40)); break;
                case 4: s2 = vi_panel_add_step (p, "step", x, y, n); break;
                case 5: s2 = vi_panel_add_histogram_of (p, "hist", y, n, k * 7, k % 2); break;
                case 6: s2 = vi_panel_add_hline (p, "h", y[0]); break;
                case 7: s2 = vi_panel_add_vline (p, "v", x[0]); break;
                case 8: s2 = vi_panel_add_heatmap (p, "hm", z, n / 10, MIN (n, 10),
                                                   VI_COLORMAP_GREYS); break;
                case 9: s2 = vi_panel_add_images (p, "im", z, n / 9, 3, 3, 1, NULL, k); break;
                default: s2 = vi_panel_add_text (p, x[0], y[0], "annotation"); break;
                }
              if (gsl_rng_uniform_int (rng, 3) == 0)
                {
                  vi_series_set_alpha (s2, hostile_value (rng));
                  vi_series_set_line_width (s2, hostile_value (rng));
                  vi_series_set_marker (s2, (ViMarker) gsl_rng_uniform_int (rng, 6),
                                        hostile_value (rng));
                  vi_series_set_dash (s2, (ViDash) gsl_rng_uniform_int (rng, 4));
                }
              if (gsl_rng_uniform_int (rng, 3) == 0)
                vi_series_append (s2, NULL, y, n);
            }
        }
      s = render (fig, 20 + gsl_rng_uniform_int (rng, 500), 20 + gsl_rng_uniform_int (rng, 400));
      for (guint k = 0; k < 20; k++)
        vi_figure_hit_test (fig, gsl_ran_flat (rng, -10, 520), gsl_ran_flat (rng, -10, 420),
                            gsl_ran_flat (rng, 0, 50), &hit);
      csv = vi_figure_to_csv (fig);
      g_assert_nonnull (csv);
      cairo_surface_destroy (s);
      vi_figure_free (fig);
    }
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

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in @dir, sorted and joined by spaces ("" when empty). */
static char *
dir_listing (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_add (names, NULL);
  g_qsort_with_data (names->pdata, names->len - 1, sizeof (char *), compare_names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Exports go through vi-output.h: every failure names the file and leaves
 * no file behind (no new file, no temporary file). */
static void
test_export_failures_leave_nothing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "fig.svg", NULL);
  g_autofree char *unknown = tmp_path (dir, "fig.bmp");
  g_autofree char *full_link = tmp_path (dir, "full.png");
  g_autofree char *listing = NULL;
  ViFigure *fig = simple_figure ();
  GError *error = NULL;

  g_assert_false (vi_figure_export (fig, missing, 300, 200, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_false (vi_figure_export_csv (fig, missing, &error));
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_false (vi_figure_export (fig, unknown, 300, 200, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, unknown));
  g_clear_error (&error);

  /* A device is written in place: the write fails and names the file. */
  if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_assert_false (vi_figure_export_csv (fig, "/dev/full", &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "/dev/full"));
      g_clear_error (&error);
      g_assert_cmpint (symlink ("/dev/full", full_link), ==, 0);
      g_assert_false (vi_figure_export (fig, full_link, 300, 200, 1, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, full_link));
      g_clear_error (&error);
      g_assert_true (g_file_test (full_link, G_FILE_TEST_IS_SYMLINK));
      g_assert_true (g_file_test ("/dev/full", G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test ("/dev/full", G_FILE_TEST_IS_REGULAR));
      g_unlink (full_link);
    }
  else
    g_test_message ("no /dev/full: skipping the device case");

  listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "");
  g_rmdir (dir);
  vi_figure_free (fig);
}

/* Over an existing file through a symlink: the link stays, its target is
 * replaced by the figure. */
static void
test_export_through_symlink (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
  g_autofree char *target = tmp_path (dir, "target.svg");
  g_autofree char *link = tmp_path (dir, "link.svg");
  g_autofree char *csv_target = tmp_path (dir, "target.csv");
  g_autofree char *csv_link = tmp_path (dir, "link.csv");
  g_autofree char *text = NULL, *expected = NULL, *listing = NULL;
  g_autoptr(GError) error = NULL;
  ViFigure *fig = simple_figure ();

  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink ("target.svg", link), ==, 0);
  g_assert_true (vi_figure_export (fig, link, 300, 200, 1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<svg"));
  g_clear_pointer (&text, g_free);

  g_assert_true (g_file_set_contents (csv_target, "old", -1, NULL));
  g_assert_cmpint (symlink (csv_target, csv_link), ==, 0);
  g_assert_true (vi_figure_export_csv (fig, csv_link, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (csv_link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (csv_target, &text, NULL, NULL));
  expected = vi_figure_to_csv (fig);
  g_assert_cmpstr (text, ==, expected);

  listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "link.csv link.svg target.csv target.svg");
  g_unlink (link);
  g_unlink (target);
  g_unlink (csv_link);
  g_unlink (csv_target);
  g_rmdir (dir);
  vi_figure_free (fig);
}

/* A write that fails half-way (the file size limit, RLIMIT_FSIZE, makes
 * write() return EFBIG) leaves an existing file as it was and no new or
 * temporary file. Run in a subprocess so the limit cannot leak. */
static void
test_export_failed_write_keeps_file (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
      g_autofree char *keep = tmp_path (dir, "keep.png");
      g_autofree char *fresh = tmp_path (dir, "new.pdf");
      g_autofree char *text = NULL, *listing = NULL;
      struct rlimit limit = { 1024, 1024 };
      ViFigure *fig = simple_figure ();
      GError *error = NULL;

      g_assert_true (g_file_set_contents (keep, "old", -1, NULL));
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_false (vi_figure_export (fig, keep, 300, 200, 2, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, keep));
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (keep, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, "old");

      g_assert_false (vi_figure_export (fig, fresh, 300, 200, 1, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, fresh));
      g_clear_error (&error);

      listing = dir_listing (dir);
      g_assert_cmpstr (listing, ==, "keep.png");
      g_unlink (keep);
      g_rmdir (dir);
      vi_figure_free (fig);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* The bytes of @fig in @format written through vi_figure_write() to a
 * growing memory stream. */
static GBytes *
write_to_memory (ViFigure       *fig,
                 ViFigureFormat  format)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vi_figure_write (fig, out, format, 300, 200, 1.5, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* What may differ between two writes of one figure in one process: a
 * PDF's creation time, and the ids of SVG surfaces (cairo numbers them
 * process-wide). The PDF is binary: its lines are cut out by hand. */
static GBytes *
normalised (const char     *data,
            gsize           len,
            ViFigureFormat  format)
{
  if (format == VI_FIGURE_FORMAT_PDF)
    {
      GByteArray *out = g_byte_array_new ();
      const char *end = data + len;

      for (const char *p = data; p < end;)
        {
          const char *nl = memchr (p, '\n', end - p);
          const char *next = nl != NULL ? nl + 1 : end;

          if (g_strstr_len (p, next - p, "/CreationDate") == NULL)
            g_byte_array_append (out, (const guint8 *) p, next - p);
          p = next;
        }
      return g_byte_array_free_to_bytes (out);
    }
  if (format == VI_FIGURE_FORMAT_SVG)
    {
      g_autoptr(GRegex) re = g_regex_new ("surface[0-9]+", G_REGEX_RAW, 0, NULL);
      char *text = g_regex_replace_literal (re, data, len, 0, "surface", 0, NULL);

      g_assert_nonnull (text);
      return g_bytes_new_take (text, strlen (text));
    }
  return g_bytes_new (data, len);
}

static void
test_write_stream (void)
{
  static const struct { ViFigureFormat format; const char *name; } cases[] = {
    { VI_FIGURE_FORMAT_PNG, "fig.png" },
    { VI_FIGURE_FORMAT_SVG, "fig.svg" },
    { VI_FIGURE_FORMAT_PDF, "fig.pdf" },
    { VI_FIGURE_FORMAT_CSV, "fig.csv" },
  };
  g_autofree char *dir = g_dir_make_tmp ("vi-plot-XXXXXX", NULL);
  ViFigure *fig = simple_figure ();

  vi_figure_set_title (fig, "stream");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tmp_path (dir, cases[i].name);
      g_autofree char *file_data = NULL;
      g_autoptr(GBytes) mem = NULL;
      g_autoptr(GError) error = NULL;
      ViFigureFormat format = VI_FIGURE_FORMAT_CSV;
      gsize file_len = 0, mem_len;
      const char *mem_data;

      g_assert_true (vi_figure_format_from_path_or_csv (path, &format, &error));
      g_assert_no_error (error);
      g_assert_cmpint (format, ==, cases[i].format);
      if (cases[i].format == VI_FIGURE_FORMAT_CSV)
        g_assert_true (vi_figure_export_csv (fig, path, &error));
      else
        g_assert_true (vi_figure_export (fig, path, 300, 200, 1.5, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &file_data, &file_len, NULL));
      mem = write_to_memory (fig, cases[i].format);
      mem_data = g_bytes_get_data (mem, &mem_len);
      g_assert_cmpuint (mem_len, >, 0);
      {
        g_autoptr(GBytes) a = normalised (file_data, file_len, cases[i].format);
        g_autoptr(GBytes) b = normalised (mem_data, mem_len, cases[i].format);

        g_assert_cmpuint (g_bytes_get_size (b), >, 100);
        g_assert_true (g_bytes_equal (a, b));
      }
      g_unlink (path);
    }
  g_rmdir (dir);
  vi_figure_free (fig);
}

static void
test_write_stream_errors (void)
{
  ViFigure *fig = simple_figure ();

  for (ViFigureFormat f = VI_FIGURE_FORMAT_PNG; f <= VI_FIGURE_FORMAT_CSV; f++)
    {
      char buf[16];
      /* Too small to hold any of the formats: writing runs out of space. */
      g_autoptr(GOutputStream) full = g_memory_output_stream_new (buf, sizeof buf, NULL, NULL);
      g_autoptr(GOutputStream) closed = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;

      g_assert_false (vi_figure_write (fig, full, f, 300, 200, 1, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_nonnull (strstr (error->message, "GMemoryOutputStream"));
      g_clear_error (&error);

      g_assert_true (g_output_stream_close (closed, NULL, NULL));
      g_assert_false (vi_figure_write (fig, closed, f, 300, 200, 1, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
      g_assert_nonnull (strstr (error->message, "GMemoryOutputStream"));
      g_clear_error (&error);
    }
  /* Bad sizes are refused before anything is written. */
  {
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
    g_autoptr(GError) error = NULL;

    g_assert_false (vi_figure_write (fig, out, VI_FIGURE_FORMAT_PNG, 0, 200, 1, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "width"));
    g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
  }
  vi_figure_free (fig);
}

static void
test_format_from_path (void)
{
  static const struct { const char *path; int pictures; int with_csv; } cases[] = {
    { "a.png", VI_FIGURE_FORMAT_PNG, VI_FIGURE_FORMAT_PNG },
    { "dir.d/a.SVG", VI_FIGURE_FORMAT_SVG, VI_FIGURE_FORMAT_SVG },
    { "a.Pdf", VI_FIGURE_FORMAT_PDF, VI_FIGURE_FORMAT_PDF },
    { "a.csv", -1, VI_FIGURE_FORMAT_CSV },
    { "a.txt", -1, -1 },
    { "dir.png/a", -1, -1 },
    { "a", -1, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      ViFigureFormat f = 99;

      g_assert_cmpint (vi_figure_format_from_path (cases[i].path, &f, &error), ==,
                       cases[i].pictures >= 0);
      if (cases[i].pictures >= 0)
        g_assert_cmpint (f, ==, cases[i].pictures);
      else
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error->message, cases[i].path));
          g_assert_nonnull (strstr (error->message, "(use .png, .svg or .pdf)"));
        }
      g_clear_error (&error);
      g_assert_cmpint (vi_figure_format_from_path_or_csv (cases[i].path, NULL, &error), ==,
                       cases[i].with_csv >= 0);
      if (cases[i].with_csv < 0)
        g_assert_nonnull (strstr (error->message, "(use .png, .svg, .pdf or .csv)"));
    }
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
                   "\"loss, train · x\",\"loss, train · y\","
                   "bars · category,bars · height,bars · error");
  g_assert_cmpstr (lines[1], ==, "1,0.5,0,4,0.10000000000000001");
  g_assert_cmpstr (lines[2], ==, "2,NaN,1,5,0.20000000000000001");
  g_assert_cmpstr (lines[3], ==, "3,-2,,,");
  g_assert_cmpstr (lines[4], ==, "");
  vi_figure_free (fig);
}

/* Column names come from the series and the axes, in untranslated data
 * names; nothing is called "series N" or "x:y"; numbers keep '.' in a
 * comma-decimal locale. */
static void
test_export_csv_names (void)
{
  ViFigure *fig = vi_figure_create (2, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0), *q = vi_figure_get_panel (fig, 1, 0);
  const double x[2] = { 1, 2 }, y[2] = { 0.5, 0.25 }, h[2] = { 10, 10 }, true_h[2] = { 3e9, 7 };
  const char *const cats[] = { "naive", "cv", NULL };
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  ViSeries *s;

  vi_panel_set_axis_label (p, VI_AXIS_X, "iteration (translated)");
  vi_panel_set_axis_data_name (p, VI_AXIS_X, "iteration");
  vi_panel_set_axis_markup (p, VI_AXIS_Y, "ELBO σ<sup>2</sup> &amp; more");
  s = vi_panel_add_line (p, "naïve (translated)", x, y, 2);
  vi_series_set_data_name (s, "naive");
  vi_panel_add_line (p, NULL, x, y, 2);
  vi_panel_add_line (p, "naive", x, y, 2);
  vi_panel_set_categories (q, cats);
  s = vi_panel_add_bars (q, "measured", h, NULL, 2);
  vi_series_set_true_heights (s, true_h, 2);
  vi_series_set_true_heights (s, true_h, 1);    /* wrong length: ignored */
  vi_panel_add_hline (q, "", 1.5);
  csv = vi_figure_to_csv (fig);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "naive · iteration,naive · ELBO σ2 & more,line · iteration,"
                   "line · ELBO σ2 & more,naive · iteration (2),naive · ELBO σ2 & more (2),"
                   "measured · category,measured · height,horizontal line · y");
  g_assert_cmpstr (lines[1], ==, "1,0.5,1,0.5,1,0.5,naive,3000000000,1.5");
  g_assert_cmpstr (lines[2], ==, "2,0.25,2,0.25,2,0.25,cv,7,");
  g_assert_null (strstr (csv, "series"));

  /* Setting the label again resets the data name to it. */
  vi_panel_set_axis_label (p, VI_AXIS_X, "step");
  g_free (csv);
  csv = vi_figure_to_csv (fig);
  g_assert_true (g_str_has_prefix (csv, "naive · step,"));

  /* '.' whatever the locale. */
  if (setlocale (LC_NUMERIC, "sv_SE.UTF-8") != NULL || setlocale (LC_NUMERIC, "de_DE.UTF-8"))
    {
      g_autofree char *local = g_strdup_printf ("%.1f", 0.5);
      g_autofree char *again = vi_figure_to_csv (fig);

      setlocale (LC_NUMERIC, "C");
      g_assert_cmpstr (local, ==, "0,5");
      g_assert_cmpstr (again, ==, csv);
    }
  vi_figure_free (fig);
}

/* ---- hit testing -------------------------------------------------------- */

/* The tooltip names the series and gives the point in data units with the
 * axes' names; a bar drawn clipped reports its true height, and its marker
 * stays in the plot area. */
static void
test_hit_describe (void)
{
  ViFigure *fig = vi_figure_create (1, 2);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0), *q = vi_figure_get_panel (fig, 0, 1);
  const double x[3] = { 0, 1, 2 }, y[3] = { 0.5, 1.5, 2.5 };
  const double h[2] = { 100, 5 }, tall[2] = { 1e6, 5 };
  const char *const cats[] = { "naive", "cv", NULL };
  g_autofree char *text = NULL, *bar = NULL;
  cairo_surface_t *surface;
  double px, py, ax, ay, aw, ah;
  ViSeries *s;
  ViHit hit;

  vi_panel_set_axis_label (p, VI_AXIS_X, "iteration");
  vi_panel_set_axis_markup (p, VI_AXIS_Y, "σ<sup>2</sup>");
  vi_panel_add_line (p, "naive", x, y, 3);
  vi_panel_set_categories (q, cats);
  vi_panel_set_axis_label (q, VI_AXIS_Y, "ratio");
  s = vi_panel_add_bars (q, "measured", h, NULL, 2);
  vi_series_set_true_heights (s, tall, 2);
  vi_panel_set_range (q, VI_AXIS_Y, 0, 10);     /* bar 0 is drawn clipped */
  surface = render (fig, 600, 300);

  vi_panel_data_to_pixel (p, 1, 1.5, &px, &py);
  g_assert_true (vi_figure_hit_test (fig, px, py, 10, &hit));
  text = vi_hit_describe (&hit);
  g_assert_cmpstr (text, ==, "naive: iteration = 1, σ2 = 1.5");

  vi_panel_data_to_pixel (q, 0, 5, &px, &py);
  g_assert_true (vi_figure_hit_test (fig, px, py, 10, &hit));
  g_assert_cmpfloat (hit.y, ==, 1e6);
  g_assert_true (vi_panel_get_plot_area (q, &ax, &ay, &aw, &ah));
  g_assert_cmpfloat (hit.py, >=, ay);
  g_assert_cmpfloat (hit.py, <=, ay + ah);
  bar = vi_hit_describe (&hit);
  g_assert_cmpstr (bar, ==, "measured: naive, ratio = 1e+06");
  cairo_surface_destroy (surface);
  vi_figure_free (fig);
}

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

  /* Inside a bar: that bar, whatever the distance to its top. */
  {
    const double h[3] = { 2, 8, 4 }, z[6] = { 1, 2, 3, 4, 5, 6 };
    ViFigure *f = vi_figure_create (1, 2);
    ViPanel *bp = vi_figure_get_panel (f, 0, 0), *hm = vi_figure_get_panel (f, 0, 1);

    vi_panel_add_bars (bp, "bars", h, NULL, 3);
    vi_panel_add_heatmap (hm, "heat", z, 2, 3, VI_COLORMAP_VIRIDIS);
    s = render (f, 600, 300);
    vi_panel_data_to_pixel (bp, 1, 1, &px, &py);
    g_assert_true (vi_figure_hit_test (f, px, py, 5, &hit));
    g_assert_cmpstr (hit.name, ==, "bars");
    g_assert_cmpuint (hit.index, ==, 1);
    g_assert_cmpfloat (hit.y, ==, 8);
    g_assert_cmpfloat (hit.distance, ==, 0);
    /* Heat map: the cell under the pointer, row 1 column 2 = 6. */
    vi_panel_data_to_pixel (hm, 2.2, 0.9, &px, &py);
    g_assert_true (vi_figure_hit_test (f, px, py, 5, &hit));
    g_assert_true (hit.panel == hm);
    g_assert_cmpfloat (hit.x, ==, 2);
    g_assert_cmpfloat (hit.y, ==, 1);
    g_assert_cmpfloat (hit.value, ==, 6);
    cairo_surface_destroy (s);
    vi_figure_free (f);
  }
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

/* The legend entry under a point: its group for a grouped entry (runs), NULL
 * for a plain series' entry, outside the legend and before a draw. */
static void
test_legend_hit (void)
{
  ViFigure *fig = vi_figure_create (1, 2);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  ViPanel *q = vi_figure_get_panel (fig, 0, 1);
  double x[50], y[50], lx, ly, lw, lh, px, py;
  const double *sx, *sy;
  cairo_surface_t *s;

  for (guint i = 0; i < 50; i++)
    {
      x[i] = i;
      y[i] = -0.02 * (i - 25.0) * (i - 25.0);
    }
  g_assert_null (vi_figure_legend_group_at (fig, 10, 10));
  vi_panel_add_line (p, "live", x, y, 50);
  for (guint r = 0; r < 2; r++)
    {
      g_autofree char *group = g_strdup_printf ("run %u", r + 1);

      for (guint t = 0; t < 2; t++)
        vi_series_set_legend_group (vi_panel_add_line (p, t == 0 ? "a" : "b", x, y, 50 - 10 * t),
                                    group);
    }
  vi_panel_add_line (q, "alone", x, y, 50);
  s = render (fig, 800, 400);
  g_assert_true (vi_panel_get_legend_box (p, &lx, &ly, &lw, &lh));
  /* Three entries (live, run 1, run 2): the runs' groups are found inside
   * the box, in the order drawn, and nothing is found around it. */
  {
    guint found[3] = { 0 };
    double first[3] = { -1, -1, -1 };

    for (double yy = ly; yy <= ly + lh; yy += 0.5)
      for (double xx = lx; xx <= lx + lw; xx += 0.5)
        {
          const char *g = vi_figure_legend_group_at (fig, xx, yy);
          guint k = g == NULL ? 0 : g_str_equal (g, "run 1") ? 1 : g_str_equal (g, "run 2") ? 2 : 9;

          g_assert_cmpuint (k, <, 3);
          found[MIN (k, 2)]++;
          if (k > 0 && first[k] < 0)
            first[k] = yy * 1e4 + xx;
        }
    g_assert_cmpuint (found[1], >, 20);
    g_assert_cmpuint (found[2], >, 20);
    g_assert_cmpfloat (first[1], <, first[2]);
    for (double t = 0; t <= 1; t += 0.01)
      {
        g_assert_null (vi_figure_legend_group_at (fig, lx - 1, ly + t * lh));
        g_assert_null (vi_figure_legend_group_at (fig, lx + lw + 1, ly + t * lh));
        g_assert_null (vi_figure_legend_group_at (fig, lx + t * lw, ly - 1));
        g_assert_null (vi_figure_legend_group_at (fig, lx + t * lw, ly + lh + 1));
      }
  }
  g_assert_true (vi_panel_get_legend_box (q, &lx, &ly, &lw, &lh));
  g_assert_null (vi_figure_legend_group_at (fig, lx + 12, ly + lh / 2));
  /* A data point maps to where the hit test finds it. */
  g_assert_cmpuint (vi_series_get_xy (vi_panel_get_series (p, 0), &sx, &sy), ==, 50);
  g_assert_cmpfloat (sx[25], ==, 25);
  g_assert_true (vi_panel_data_to_pixel (p, sx[25], sy[25], &px, &py));
  g_assert_null (vi_figure_legend_group_at (fig, px, py));
  g_assert_cmpuint (vi_series_get_xy (vi_panel_add_hline (p, "h", 1), &sx, &sy), ==, 0);
  g_assert_null (sx);
  cairo_surface_destroy (s);
  vi_figure_free (fig);
}

/* Legend box of @p's last draw at @w × @h, the figure rendered first. */
static void
legend_box (ViFigure *fig,
            ViPanel  *p,
            int       w,
            int       h,
            double   *box)
{
  cairo_surface_destroy (render (fig, w, h));
  g_assert_true (vi_panel_get_legend_box (p, &box[0], &box[1], &box[2], &box[3]));
}

/* @n_runs runs of @per_run lines each named "run R · kind", grouped by run
 * when @grouped. */
static ViFigure *
runs_figure (guint    n_runs,
             guint    per_run,
             gboolean grouped)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double y[50];

  for (guint r = 0; r < n_runs; r++)
    for (guint k = 0; k < per_run; k++)
      {
        g_autofree char *name = g_strdup_printf ("run %u · estimator %u", r + 1, k);
        g_autofree char *group = g_strdup_printf ("run %u", r + 1);
        ViSeries *s;

        for (guint i = 0; i < 50; i++)
          y[i] = -100.0 / (1 + i) - r - 0.3 * k;
        s = vi_panel_add_line (p, grouped ? name : group, NULL, y, 50);
        if (grouped)
          vi_series_set_legend_group (s, group);
      }
  return fig;
}

/* 8 runs × 3 series grouped: one entry per run, exactly as tall as a
 * legend of 8 single series, and much shorter than 24 entries. */
static void
test_legend_groups (void)
{
  ViFigure *grouped = runs_figure (8, 3, TRUE);
  ViFigure *single = runs_figure (8, 1, FALSE);
  ViPanel *pg = vi_figure_get_panel (grouped, 0, 0), *ps = vi_figure_get_panel (single, 0, 0);
  double bg[4], bs[4];

  vi_panel_set_legend (pg, VI_LEGEND_OUTSIDE_RIGHT);
  vi_panel_set_legend (ps, VI_LEGEND_OUTSIDE_RIGHT);
  legend_box (grouped, pg, 900, 700, bg);
  legend_box (single, ps, 900, 700, bs);
  g_assert_cmpfloat_with_epsilon (bg[3], bs[3], 1e-9);
  g_assert_cmpfloat_with_epsilon (bg[2], bs[2], 1e-9);
  g_assert_cmpstr (vi_series_get_legend_group (vi_panel_get_series (pg, 5)), ==, "run 2");
  vi_figure_free (grouped);
  vi_figure_free (single);
}

/* y of point @i of series @k in runs_figure (@per_run 1) or the zig-zag. */
typedef double PointY (guint k, gsize i);

static double
run_y (guint k,
       gsize i)
{
  return -100.0 / (1 + i) - k;
}

static double
zigzag_y (guint k,
          gsize i)
{
  return (i % 2 == 0) ? 0.0 : 1.0;
}

/* True when no point (i, @y (k, i)) of @p's series k lies in its legend box. */
static gboolean
legend_hides_no_point (ViPanel *p,
                       PointY  *y)
{
  double lx, ly, lw, lh;

  g_assert_true (vi_panel_get_legend_box (p, &lx, &ly, &lw, &lh));
  for (guint k = 0; k < vi_panel_get_n_series (p); k++)
    {
      ViSeries *s = vi_panel_get_series (p, k);

      for (gsize i = 0; i < vi_series_get_n_points (s); i++)
        {
          double px, py;

          /* The lines of these tests have x = i. */
          if (!vi_panel_data_to_pixel (p, (double) i, y (k, i), &px, &py))
            return FALSE;
          if (px >= lx && px <= lx + lw && py >= ly && py <= ly + lh)
            return FALSE;
        }
    }
  return TRUE;
}

/* Data in every inside corner (a dense zig-zag over the whole area): the
 * legend goes outside, shrinks the plot area, stays whole in the figure
 * and covers no data point; a fixed inside corner does the same. */
static void
test_legend_outside (void)
{
  static const ViLegendPosition positions[] = { VI_LEGEND_AUTO, VI_LEGEND_TOP_RIGHT };

  for (guint k = 0; k < G_N_ELEMENTS (positions); k++)
    {
      ViFigure *fig = vi_figure_create (1, 1);
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      double y[400], b[4], ax, ay, aw, ah;

      for (guint i = 0; i < 400; i++)
        y[i] = (i % 2 == 0) ? 0.0 : 1.0;
      vi_panel_add_line (p, "zig-zag over everything", NULL, y, 400);
      vi_panel_add_line (p, "a second run", NULL, y, 400);
      vi_panel_set_legend (p, positions[k]);
      legend_box (fig, p, 600, 400, b);
      g_assert_true (vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah));
      g_assert_true (b[0] >= ax + aw || b[1] + b[3] <= ay);
      g_assert_cmpfloat (b[0], >=, 0);
      g_assert_cmpfloat (b[1], >=, 0);
      g_assert_cmpfloat (b[0] + b[2], <=, 600);
      g_assert_cmpfloat (b[1] + b[3], <=, 400);
      g_assert_true (legend_hides_no_point (p, zigzag_y));
      vi_figure_free (fig);
    }
}

/* @b (x, y, w, h) lies within the W × H figure. */
static void
assert_box_inside (const double *b,
                   double        W,
                   double        H)
{
  g_assert_cmpfloat (b[0], >=, -1e-9);
  g_assert_cmpfloat (b[1], >=, -1e-9);
  g_assert_cmpfloat (b[0] + b[2], <=, W + 1e-9);
  g_assert_cmpfloat (b[1] + b[3], <=, H + 1e-9);
  g_assert_cmpfloat (b[2], >, 0);
  g_assert_cmpfloat (b[3], >, 0);
}

static ViFigure *
long_texts_figure (const char *title)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double y[20];

  for (guint i = 0; i < G_N_ELEMENTS (y); i++)
    y[i] = exp (-0.3 * i);
  vi_figure_set_title (fig, "A figure title far too long for a small figure, that must wrap");
  vi_panel_set_title (p, title);
  vi_panel_set_axis_label (p, VI_AXIS_X, "iteration of the optimiser, counted from the start");
  vi_panel_set_axis_label (p, VI_AXIS_Y, "ELBO* − ELBO (nats, log), the gap to the optimum");
  vi_panel_set_scale (p, VI_AXIS_Y, VI_SCALE_LOG10);
  vi_panel_add_line (p, "gap", NULL, y, G_N_ELEMENTS (y));
  return fig;
}

/* Titles and axis labels too long for a small figure are laid out within
 * it (wrapped or shrunk, never cut), beside the plot area and not over
 * each other, and drawn where they are reported. */
static void
test_text_fits (void)
{
  static const struct { int w, h; double font_scale; } cases[] = {
    { 240, 160, 1 }, { 320, 220, 1 }, { 420, 260, 1.4 }, { 900, 600, 1 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      ViFigure *fig = long_texts_figure ("Gap to the best ELBO in the family, ELBO* − ELBO (exact)");
      ViFigure *short_fig = long_texts_figure ("Gap");
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      double W = cases[k].w, H = cases[k].h;
      double fb[4], tb[4], xb[4], yb[4], sb[4], ax, ay, aw, ah;
      cairo_surface_t *s;
      guint32 bg;

      vi_figure_set_font_scale (fig, cases[k].font_scale);
      vi_figure_set_font_scale (short_fig, cases[k].font_scale);
      s = render (fig, cases[k].w, cases[k].h);
      bg = pixel_at (s, 0, 0);
      g_assert_true (vi_figure_get_title_box (fig, &fb[0], &fb[1], &fb[2], &fb[3]));
      g_assert_true (vi_panel_get_text_box (p, VI_PANEL_TEXT_TITLE, &tb[0], &tb[1], &tb[2],
                                            &tb[3]));
      g_assert_true (vi_panel_get_text_box (p, VI_PANEL_TEXT_X_LABEL, &xb[0], &xb[1], &xb[2],
                                            &xb[3]));
      g_assert_true (vi_panel_get_text_box (p, VI_PANEL_TEXT_Y_LABEL, &yb[0], &yb[1], &yb[2],
                                            &yb[3]));
      g_assert_true (vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah));
      for (guint i = 0; i < 4; i++)
        {
          const double *b = (const double *[]) { fb, tb, xb, yb }[i];

          assert_box_inside (b, W, H);
          /* The text is drawn in its box. */
          g_assert_cmpuint (count_non_background (s, b[0], b[1], b[2], b[3], bg), >, 0);
        }
      /* Figure title, panel title, plot area, x label from the top down;
       * the y label left of the plot area; the y label along the plot. */
      g_assert_cmpfloat (fb[1] + fb[3], <=, tb[1] + 1e-9);
      g_assert_cmpfloat (tb[1] + tb[3], <=, ay + 1e-9);
      g_assert_cmpfloat (xb[1], >=, ay + ah);
      g_assert_cmpfloat (yb[0] + yb[2], <=, ax);
      g_assert_cmpfloat (yb[3], <=, MAX (ah, H / 2) + 1e-9);

      /* The long title is wrapped to two lines or shrunk where the short
       * one takes one line at full size; a wide figure has room for it. */
      cairo_surface_destroy (render (short_fig, cases[k].w, cases[k].h));
      g_assert_true (vi_panel_get_text_box (vi_figure_get_panel (short_fig, 0, 0),
                                            VI_PANEL_TEXT_TITLE, &sb[0], &sb[1], &sb[2], &sb[3]));
      if (cases[k].w < 400)
        g_assert_true (tb[3] > 1.5 * sb[3] || tb[3] < sb[3] - 1e-6);
      else if (cases[k].w >= 900)
        g_assert_cmpfloat (tb[3], ==, sb[3]);

      cairo_surface_destroy (s);
      vi_figure_free (short_fig);
      vi_figure_free (fig);
    }
}

/* An annotation too long for the plot area moves left, else shrinks or
 * wraps, and stays inside it. */
static void
test_annotation_fits (void)
{
  static const int widths[] = { 260, 420, 900 };

  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      ViFigure *fig = vi_figure_create (1, 1);
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      double y[] = { 0, 1, 0.5, 0.8 }, b[4], ax, ay, aw, ah;

      vi_panel_add_line (p, "data", NULL, y, G_N_ELEMENTS (y));
      vi_panel_add_text (p, 2.5, 0.2, "log p(x) = -106.6, off the top: 109 nats above the best "
                         "ELBO of this family");
      vi_panel_set_legend (p, VI_LEGEND_NONE);
      cairo_surface_destroy (render (fig, widths[k], 200));
      g_assert_true (vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah));
      g_assert_cmpuint (vi_panel_get_n_annotations (p), ==, 1);
      g_assert_true (vi_panel_get_annotation_box (p, 0, &b[0], &b[1], &b[2], &b[3]));
      g_assert_cmpfloat (b[0], >=, ax);
      g_assert_cmpfloat (b[0] + b[2], <=, ax + aw);
      g_assert_cmpfloat (b[1], >=, ay);
      g_assert_cmpfloat (b[1] + b[3], <=, ay + ah);
      vi_figure_free (fig);
    }
}

/* 40 entries in a short figure: the legend stays inside the figure. */
static void
test_legend_bounded (void)
{
  static const int sizes[][2] = { { 900, 300 }, { 300, 500 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      ViFigure *fig = runs_figure (40, 1, FALSE);
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      double b[4];

      legend_box (fig, p, sizes[k][0], sizes[k][1], b);
      g_assert_cmpfloat (b[1], >=, 0);
      g_assert_cmpfloat (b[1] + b[3], <=, sizes[k][1]);
      g_assert_cmpfloat (b[0] + b[2], <=, sizes[k][0]);
      g_assert_true (legend_hides_no_point (p, run_y));
      vi_figure_free (fig);
    }
}

/* A collapsed legend is one short row, whatever the number of entries. */
static void
test_legend_collapsed (void)
{
  ViFigure *fig = runs_figure (8, 3, FALSE);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double open[4], shut[4];

  legend_box (fig, p, 900, 600, open);
  vi_panel_set_legend_collapsed (p, TRUE);
  g_assert_true (vi_panel_get_legend_collapsed (p));
  legend_box (fig, p, 900, 600, shut);
  g_assert_cmpfloat (shut[3], <, 25);
  g_assert_cmpfloat (shut[2], <, 90);
  g_assert_cmpfloat (shut[3] * 5, <, open[3]);
  vi_figure_free (fig);
}

/* Two text annotations and two labelled reference lines at the same y: the
 * four drawn boxes do not overlap. */
static void
test_legend_annotations (void)
{
  ViFigure *fig = simple_figure ();
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double b[4][4];

  vi_panel_add_text (p, 1, 0.5, "best ELBO in the family");
  vi_panel_add_text (p, 1, 0.5, "optimum");
  vi_panel_add_hline (p, "closed form", 0.5);
  vi_panel_add_hline (p, "closed form too", 0.5);
  cairo_surface_destroy (render (fig, 500, 350));
  g_assert_cmpuint (vi_panel_get_n_annotations (p), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (vi_panel_get_annotation_box (p, i, &b[i][0], &b[i][1], &b[i][2], &b[i][3]));
  g_assert_false (vi_panel_get_annotation_box (p, 4, NULL, NULL, NULL, NULL));
  for (guint i = 0; i < 4; i++)
    for (guint j = i + 1; j < 4; j++)
      g_assert_false (b[i][0] < b[j][0] + b[j][2] && b[i][0] + b[i][2] > b[j][0]
                      && b[i][1] < b[j][1] + b[j][3] && b[i][1] + b[i][3] > b[j][1]);
  vi_figure_free (fig);
}

/* ---- command line ----------------------------------------------------- */

/* ---- the min–max envelope of dense lines -------------------------------- */

/* Kinds of dense test data: a smooth random walk, noise of sd 10 and 60
 * around a trend (the S-sample ELBO estimate), the noise with gaps of NaN
 * and ±inf, and positive noisy data with zeros and negatives (log axis). */
typedef enum
{
  ENV_SMOOTH,
  ENV_NOISY10,
  ENV_NOISY60,
  ENV_GAPS,
  ENV_LOG,
} EnvData;

enum { ENV_N = 20000, ENV_W = 400, ENV_H = 300 };

/* The gap of ENV_GAPS and ENV_LOG: indices [ENV_N·0.40, ENV_N·0.50). */
#define ENV_GAP0 (ENV_N * 2 / 5)
#define ENV_GAP1 (ENV_N / 2)

static double *
envelope_data (EnvData kind)
{
  g_autoptr(gsl_rng) rng = make_rng (20261202 + kind);
  double *y = g_new (double, ENV_N);
  double walk = 0;

  for (gsize i = 0; i < ENV_N; i++)
    {
      double trend = -1000 + 800 * (1 - exp (-(double) i / (ENV_N / 5)));

      walk += gsl_ran_gaussian (rng, 1);
      switch (kind)
        {
        case ENV_SMOOTH:
          y[i] = trend + 0.2 * walk;
          break;
        case ENV_NOISY10:
          y[i] = trend + gsl_ran_gaussian (rng, 10);
          break;
        case ENV_NOISY60:
        case ENV_GAPS:
          y[i] = trend + gsl_ran_gaussian (rng, 60);
          break;
        case ENV_LOG:
        default:
          y[i] = exp (gsl_ran_gaussian (rng, 1.5) - (double) i / ENV_N);
          break;
        }
    }
  if (kind == ENV_GAPS || kind == ENV_LOG)
    for (gsize i = ENV_GAP0; i < ENV_GAP1; i++)
      y[i] = kind == ENV_LOG ? -(double) (i % 3) : i % 2 ? NAN : -INFINITY;
  if (kind == ENV_GAPS)
    {
      y[ENV_N / 5] = INFINITY;    /* lone non-finite values in dense columns */
      y[ENV_N * 3 / 4] = NAN;
    }
  return y;
}

/* A figure of the line @y (x = index, the plot area's ranges fixed). The
 * reference gets one more point at x = NaN: an x that is not sorted turns
 * decimation off, so it strokes the plain polyline through every point. */
static ViFigure *
envelope_figure (const double *y,
                 gboolean      reference,
                 gboolean      logy,
                 ViDash        dash)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  g_autofree double *x = g_new (double, ENV_N + 1);
  g_autofree double *yy = g_new (double, ENV_N + 1);
  ViSeries *s;

  for (gsize i = 0; i < ENV_N; i++)
    {
      x[i] = i;
      yy[i] = y[i];
    }
  x[ENV_N] = NAN;
  yy[ENV_N] = 1;
  vi_panel_set_grid (p, FALSE);
  vi_panel_set_legend (p, VI_LEGEND_NONE);
  if (logy)
    vi_panel_set_scale (p, VI_AXIS_Y, VI_SCALE_LOG10);
  vi_panel_set_range (p, VI_AXIS_X, -0.02 * ENV_N, 1.02 * ENV_N);
  if (logy)
    vi_panel_set_range (p, VI_AXIS_Y, 1e-4, 1e3);
  else
    vi_panel_set_range (p, VI_AXIS_Y, -1300, 100);
  s = vi_panel_add_line (p, NULL, x, yy, reference ? ENV_N + 1 : ENV_N);
  if (dash != VI_DASH_SOLID)
    vi_series_set_dash (s, dash);
  return fig;
}

static cairo_surface_t *
render_scaled (ViFigure *fig,
               double    scale)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, ENV_W * scale,
                                                   ENV_H * scale);
  cairo_t *cr;

  cairo_surface_set_device_scale (s, scale, scale);
  cr = cairo_create (s);
  vi_figure_draw (fig, cr, ENV_W, ENV_H);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* How far pixel (@xx, @yy) is from the background @bg: its largest channel
 * difference, 0 … 255. */
static int
ink (cairo_surface_t *s,
     int              xx,
     int              yy,
     guint32          bg)
{
  guint32 p = pixel_at (s, xx, yy);
  int d = 0;

  for (int sh = 0; sh < 24; sh += 8)
    d = MAX (d, abs ((int) ((p >> sh) & 0xff) - (int) ((bg >> sh) & 0xff)));
  return d;
}

/* Compares the decimated drawing @got with the reference polyline @ref
 * (device scale @scale) inside the plot area: every pixel the reference
 * inks darker than half is inked by @got (*@missing counts those that are
 * not), and, when @near, every pixel @got inks lies within a pixel (user
 * units) of one the reference inks (*@extra counts the others). */
static void
envelope_compare (cairo_surface_t *ref,
                  cairo_surface_t *got,
                  ViPanel         *p,
                  double           scale,
                  gsize           *missing,
                  gsize           *extra,
                  gsize           *inked)
{
  double ax, ay, aw, ah;
  guint32 bg = pixel_at (ref, 0, 0);
  int r = (int) ceil (scale);
  int x0, y0, x1, y1;

  vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah);
  x0 = (int) ceil (ax * scale) + 1;
  y0 = (int) ceil (ay * scale) + 1;
  x1 = (int) floor ((ax + aw) * scale) - 1;
  y1 = (int) floor ((ay + ah) * scale) - 1;
  *missing = *extra = *inked = 0;
  for (int yy = y0; yy < y1; yy++)
    for (int xx = x0; xx < x1; xx++)
      {
        int g = ink (got, xx, yy, bg);

        if (ink (ref, xx, yy, bg) > 128)
          {
            (*inked)++;
            if (g == 0)
              (*missing)++;
          }
        if (g > 0)
          {
            gboolean near = FALSE;

            for (int dy = -r; dy <= r && !near; dy++)
              for (int dx = -r; dx <= r && !near; dx++)
                near = ink (ref, CLAMP (xx + dx, x0 - 1, x1), CLAMP (yy + dy, y0 - 1, y1), bg) > 0;
            if (!near)
              (*extra)++;
          }
      }
}

/* Inked pixels in the device-pixel columns [@c0, @c1) inside the plot area. */
static gsize
ink_in_columns (cairo_surface_t *s,
                ViPanel         *p,
                double           scale,
                int              c0,
                int              c1)
{
  double ax, ay, aw, ah;
  guint32 bg = pixel_at (s, 0, 0);
  gsize n = 0;

  vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah);
  for (int yy = (int) ceil (ay * scale) + 1; yy < (int) floor ((ay + ah) * scale) - 1; yy++)
    for (int xx = c0; xx < c1; xx++)
      n += ink (s, xx, yy, bg) > 0;
  return n;
}

/* Draws @kind both ways at 1× and 2× and compares them (see
 * envelope_compare); a dashed line's dashes are only checked for
 * coverage. A gap in the data stays a gap. */
static void
check_envelope (EnvData kind,
                ViDash  dash)
{
  g_autofree double *y = envelope_data (kind);
  ViFigure *ref_fig = envelope_figure (y, TRUE, kind == ENV_LOG, dash);
  ViFigure *fig = envelope_figure (y, FALSE, kind == ENV_LOG, dash);

  for (double scale = 1; scale <= 2; scale++)
    {
      cairo_surface_t *ref = render_scaled (ref_fig, scale);
      cairo_surface_t *got = render_scaled (fig, scale);
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      gsize missing, extra, inked;

      envelope_compare (ref, got, p, scale, &missing, &extra, &inked);
      g_test_message ("data %d dash %d scale %g: %zu inked, %zu missing, %zu extra", kind,
                      dash, scale, inked, missing, extra);
      g_assert_cmpuint (inked, >, 300 * scale);
      g_assert_cmpuint (missing, ==, 0);
      if (dash == VI_DASH_SOLID)
        g_assert_cmpuint (extra, ==, 0);
      if (kind == ENV_GAPS || kind == ENV_LOG)
        {
          double gx0, gx1;
          int c0, c1;

          vi_panel_data_to_pixel (p, ENV_GAP0, 1, &gx0, NULL);
          vi_panel_data_to_pixel (p, ENV_GAP1 - 1, 1, &gx1, NULL);
          c0 = (int) ceil (gx0 * scale) + 3;
          c1 = (int) floor (gx1 * scale) - 3;
          g_assert_cmpint (c1 - c0, >, 10);
          g_assert_cmpuint (ink_in_columns (ref, p, scale, c0, c1), ==, 0);
          g_assert_cmpuint (ink_in_columns (got, p, scale, c0, c1), ==, 0);
        }
      cairo_surface_destroy (ref);
      cairo_surface_destroy (got);
    }
  vi_figure_free (ref_fig);
  vi_figure_free (fig);
}

static void
test_envelope_smooth (void)
{
  check_envelope (ENV_SMOOTH, VI_DASH_SOLID);
}

static void
test_envelope_noisy (void)
{
  check_envelope (ENV_NOISY10, VI_DASH_SOLID);
  check_envelope (ENV_NOISY60, VI_DASH_SOLID);
}

static void
test_envelope_gaps (void)
{
  check_envelope (ENV_GAPS, VI_DASH_SOLID);
}

static void
test_envelope_log (void)
{
  check_envelope (ENV_LOG, VI_DASH_SOLID);
}

/* Inked device-pixel columns along the row of y = 0 (±@half rows), and in
 * *@gaps the number of runs of blank columns between inked ones. */
static int
inked_columns_on_row (cairo_surface_t *s,
                      ViPanel         *p,
                      int              half,
                      int             *gaps)
{
  double ax, ay, aw, ah, py;
  guint32 bg = pixel_at (s, 0, 0);
  gboolean prev = TRUE;
  int n = 0;

  *gaps = 0;
  vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah);
  vi_panel_data_to_pixel (p, 0, 0, NULL, &py);
  for (int xx = (int) ax + 4; xx < (int) (ax + aw) - 4; xx++)
    {
      gboolean any = FALSE;

      for (int yy = (int) py - half; yy <= (int) py + half; yy++)
        any |= ink (s, xx, yy, bg) > 0;
      n += any;
      *gaps += prev && !any;
      prev = any;
    }
  return n;
}

/* Dashes: a sparse dashed line and a dense one whose columns are thin
 * still show gaps; on dense noise the envelope is solid and covers every
 * pixel the dashed polyline inks. */
static void
test_envelope_dashes (void)
{
  for (int dense = 0; dense <= 1; dense++)
    {
      gsize n = dense ? ENV_N : 40;
      g_autofree double *x = g_new (double, n);
      g_autofree double *y = g_new0 (double, n);
      ViFigure *fig = vi_figure_create (1, 1);
      ViPanel *p = vi_figure_get_panel (fig, 0, 0);
      cairo_surface_t *s;
      double ax, ay, aw, ah;
      int cols, gaps;

      for (gsize i = 0; i < n; i++)
        {
          x[i] = i;
          y[i] = dense ? 1e-3 * sin (i * 0.7) : 0;
        }
      vi_panel_set_grid (p, FALSE);
      vi_panel_set_range (p, VI_AXIS_Y, -1, 1);
      vi_series_set_dash (vi_panel_add_line (p, NULL, x, y, n), VI_DASH_DASHED);
      s = render (fig, ENV_W, ENV_H);
      vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah);
      cols = inked_columns_on_row (s, p, 3, &gaps);
      g_test_message ("dense %d: %d of %d columns inked, %d gaps", dense, cols, (int) aw - 8,
                      gaps);
      /* 4 w on, 2.5 w off: a dash every ~10 px (a dense line spends some of
       * its length going up and down its columns). */
      g_assert_cmpint (cols, >, 0.4 * (aw - 8));
      g_assert_cmpint (cols, <, 0.9 * (aw - 8));
      g_assert_cmpint (gaps, >, (aw - 8) / 30);
      cairo_surface_destroy (s);
      vi_figure_free (fig);
    }
  check_envelope (ENV_NOISY60, VI_DASH_DASHED);
}

/* Pixels that differ between two images of the same size. */
static gsize
count_differing (cairo_surface_t *a,
                 cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  gsize n = 0;

  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  for (int yy = 0; yy < h; yy++)
    for (int xx = 0; xx < w; xx++)
      n += pixel_at (a, xx, yy) != pixel_at (b, xx, yy);
  return n;
}

/* A line of @n points, @noisy (sd 40 % of the range) or one smooth
 * period, drawn with @dash. */
static cairo_surface_t *
render_dash_line (gsize    n,
                  gboolean noisy,
                  ViDash   dash)
{
  g_autoptr(gsl_rng) rng = make_rng (11);
  g_autofree double *y = g_new (double, n);
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  cairo_surface_t *s;
  ViSeries *line;

  for (gsize i = 0; i < n; i++)
    y[i] = noisy ? gsl_ran_gaussian (rng, 0.4) : sin (2 * G_PI * i / n);
  vi_panel_set_grid (p, FALSE);
  vi_panel_set_legend (p, VI_LEGEND_NONE);
  vi_panel_set_range (p, VI_AXIS_Y, -1.5, 1.5);
  line = vi_panel_add_line (p, NULL, NULL, y, n);
  if (dash != VI_DASH_SOLID)
    vi_series_set_dash (line, dash);
  s = render (fig, ENV_W, ENV_H);
  vi_figure_free (fig);
  return s;
}

/* A dashed line that zig-zags through more than a point per dash period
 * is stroked solid (its dashes were a smear that cost cairo a polygon of
 * ~10^6 edges for an LDA trace); a sparse noisy line and a dense smooth
 * one keep their dashes, in every pattern. */
static void
test_dash_zigzag_solid (void)
{
  static const ViDash dashes[] = {
    VI_DASH_DASHED, VI_DASH_DOTTED, VI_DASH_DASH_DOT, VI_DASH_LONG_DASH,
  };
  static const struct { gsize n; gboolean noisy, solid; } cases[] = {
    { 1024, TRUE, TRUE },       /* 3 points a pixel column, 40 px swings */
    { 20, TRUE, FALSE },        /* a point every 18 px */
    { 1024, FALSE, FALSE },     /* dense but smooth */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      cairo_surface_t *solid = render_dash_line (cases[c].n, cases[c].noisy, VI_DASH_SOLID);

      for (guint d = 0; d < G_N_ELEMENTS (dashes); d++)
        {
          cairo_surface_t *got = render_dash_line (cases[c].n, cases[c].noisy, dashes[d]);
          gsize differ = count_differing (solid, got);

          g_test_message ("n %zu noisy %d dash %d: %zu pixels differ from the solid line",
                          cases[c].n, cases[c].noisy, dashes[d], differ);
          if (cases[c].solid)
            g_assert_cmpuint (differ, ==, 0);
          else
            g_assert_cmpuint (differ, >, 100);
          cairo_surface_destroy (got);
        }
      cairo_surface_destroy (solid);
    }
}

/* Bytes of the figure of a noisy line of @n points in @format. */
static gsize
noisy_vector_size (gsize          n,
                   ViFigureFormat format)
{
  g_autoptr(gsl_rng) rng = make_rng (7);
  g_autofree double *y = g_new (double, n);
  ViFigure *fig = vi_figure_create (1, 1);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < n; i++)
    y[i] = -1000 + 800 * (1 - exp (-5.0 * i / n)) + gsl_ran_gaussian (rng, 60);
  vi_panel_add_line (vi_figure_get_panel (fig, 0, 0), "noisy", NULL, y, n);
  bytes = write_to_memory (fig, format);
  vi_figure_free (fig);
  return g_bytes_get_size (bytes);
}

/* Vector output of a 10^6-point noisy line stays small and no bigger than
 * that of 10^5 points: the envelope is a few boxes a column, whatever the
 * number of points. */
static void
test_envelope_vector_size (void)
{
  const ViFigureFormat formats[] = { VI_FIGURE_FORMAT_SVG, VI_FIGURE_FORMAT_PDF };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      gsize big = noisy_vector_size (1000000, formats[f]);
      gsize small = noisy_vector_size (100000, formats[f]);

      g_test_message ("format %d: %zu bytes (10^5 points: %zu)", formats[f], big, small);
      g_assert_cmpuint (big, <, 128 * 1024);
      g_assert_cmpuint (big, <, small * 5 / 4);
    }
}

/* Over a dense noisy line the hit test finds its points, and the legend
 * goes where the envelope is not. */
static void
test_envelope_hit_and_legend (void)
{
  g_autofree double *y = envelope_data (ENV_NOISY60);
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double box[4], px, py, ax, ay, aw, ah;
  ViHit hit;

  vi_panel_set_range (p, VI_AXIS_Y, -1300, 2500);   /* the data in the lower third */
  vi_panel_add_line (p, "a rather long legend label", NULL, y, ENV_N);
  legend_box (fig, p, ENV_W, ENV_H, box);
  vi_panel_get_plot_area (p, &ax, &ay, &aw, &ah);
  vi_panel_data_to_pixel (p, 0, 200, NULL, &py);
  g_assert_cmpfloat (box[1] + box[3], <, py);
  vi_panel_data_to_pixel (p, ENV_N / 2, y[ENV_N / 2], &px, &py);
  g_assert_true (vi_figure_hit_test (fig, px, py, 5, &hit));
  g_assert_true (hit.series != NULL);
  g_assert_cmpfloat (hit.distance, <=, 1);
  vi_figure_free (fig);
}

static int
run_cli (const char *const *args,
         char              **err_out)
{
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, err_out, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
check_png_size (const char *path,
                int         w,
                int         h)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, h);
  cairo_surface_destroy (s);
}

static void
test_cli_gallery (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-gallery-XXXXXX", NULL);
  const char *args[] = { "gallery", "--scale", "1", dir, NULL };
  const char *name;
  guint n_png = 0, n_svg = 0, n_pdf = 0;
  GDir *d;

  if (g_getenv ("ELBO_LAB_CLI") == NULL)
    {
      g_test_skip ("ELBO_LAB_CLI not set");
      return;
    }
  g_assert_cmpint (run_cli (args, NULL), ==, 0);
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_str_has_suffix (name, ".png"))
        {
          cairo_surface_t *s = cairo_image_surface_create_from_png (path);

          g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
          cairo_surface_destroy (s);
          n_png++;
        }
      n_svg += g_str_has_suffix (name, ".svg");
      n_pdf += g_str_has_suffix (name, ".pdf");
      g_unlink (path);
    }
  g_dir_close (d);
  g_rmdir (dir);
  g_assert_cmpuint (n_png, >=, 10);
  g_assert_cmpuint (n_svg, ==, n_png);
  g_assert_cmpuint (n_pdf, ==, n_png);
}

/* The column of @csv (a figure's exported data) headed @name, as doubles;
 * empty cells (shorter series) end it. */
static GArray *
csv_column (const char *csv,
            const char *name)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_auto(GStrv) head = g_strsplit (lines[0], ",", -1);
  GArray *col = g_array_new (FALSE, FALSE, sizeof (double));
  int k = -1;

  for (int j = 0; head[j] != NULL; j++)
    if (g_str_equal (head[j], name))
      k = j;
  g_assert_cmpint (k, >=, 0);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      double v;

      g_assert_cmpuint (g_strv_length (cells), >, (guint) k);
      if (cells[k][0] == '\0')
        break;
      v = g_ascii_strtod (cells[k], NULL);
      g_array_append_val (col, v);
    }
  return col;
}

/* The files of gallery run @dir named @name, read. */
static char *
gallery_file (const char *dir,
              const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
remove_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

/* The gallery's BBVI figures draw a real, seeded bbvi run: the multi-panel
 * figure's ELBO columns are the traces of a fresh job with the same
 * parameters, and two gallery runs write identical CSV and SVG. */
static void
test_cli_gallery_real (void)
{
  static const char *const files[] = { "gallery-01-line.csv", "gallery-11-multipanel.csv",
                                       "gallery-12-loglog.csv", "gallery-11-multipanel.svg",
                                       "gallery-12-loglog.svg", "gallery-01-line.svg",
                                       "gallery-06-histogram.csv" };
  g_autofree char *d1 = g_dir_make_tmp ("vi-gallery-XXXXXX", NULL);
  g_autofree char *d2 = g_dir_make_tmp ("vi-gallery-XXXXXX", NULL);
  const char *a1[] = { "gallery", "--csv", "--scale", "0.5", d1, NULL };
  const char *a2[] = { "gallery", "--csv", "--scale", "0.5", d2, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ViJob) job = NULL;
  g_autofree char *csv = NULL;
  ViBbviSnapshot *snap;
  GVariantBuilder b;
  gint cancel = 0;

  if (g_getenv ("ELBO_LAB_CLI") == NULL)
    {
      g_test_skip ("ELBO_LAB_CLI not set");
      return;
    }
  g_assert_cmpint (run_cli (a1, NULL), ==, 0);
  g_assert_cmpint (run_cli (a2, NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *t1 = gallery_file (d1, files[i]);
      g_autofree char *t2 = gallery_file (d2, files[i]);

      g_assert_cmpstr (t1, ==, t2);
    }

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string ("naive,cv,cv-suff"));
  g_variant_builder_add (&b, "{sv}", "iterations", g_variant_new_int64 (300));
  g_variant_builder_add (&b, "{sv}", "samples", g_variant_new_int64 (20));
  g_variant_builder_add (&b, "{sv}", "seed", g_variant_new_uint64 (1));
  job = vi_job_create (&vi_bbvi_job_type, g_variant_builder_end (&b), &error);
  g_assert_no_error (error);
  while (vi_job_step (job, &cancel) == VI_CONTINUE)
    ;
  g_assert_true (vi_job_is_finished (job));
  snap = vi_job_snapshot (job);
  g_assert_cmpuint (snap->n_traces, ==, 3);
  csv = gallery_file (d1, "gallery-11-multipanel.csv");
  for (size_t k = 0; k < snap->n_traces; k++)
    {
      const ViBbviTrace *t = &snap->traces[k];
      g_autofree char *name = g_strdup_printf ("%s · ELBO (nats)",
                                               vi_bbvi_estimator_get_name (t->estimator));
      g_autoptr(GArray) col = csv_column (csv, name);

      g_assert_cmpuint (col->len, ==, t->len);
      g_assert_cmpuint (t->len, >, 100);
      for (size_t i = 0; i < t->len; i++)
        g_assert_cmpfloat (g_array_index (col, double, i), ==, t->elbo[i]);
    }
  vi_bbvi_snapshot_free (snap);
  remove_dir (d1);
  remove_dir (d2);
}

static void
test_cli_expfam_plot (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vi-expfam-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "gamma.png", NULL);
  g_autofree char *pmf = g_build_filename (dir, "poisson.svg", NULL);
  g_autofree char *csv = g_build_filename (dir, "gamma.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "gamma.jpg", NULL);
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  const char *a1[] = { "expfam", "--family", "gamma", "--param", "shape=2.5", "--param",
                       "rate=1.5", "--samples", "2000", "--plot", png, NULL };
  const char *a2[] = { "expfam", "--family", "poisson", "--param", "rate=4", "--samples", "500",
                       "--plot", pmf, NULL };
  const char *a3[] = { "expfam", "--family", "gamma", "--param", "shape=2.5", "--param",
                       "rate=1.5", "--samples", "2000", "--plot", csv, NULL };
  const char *a4[] = { "expfam", "--family", "gamma", "--param", "shape=2.5", "--param",
                       "rate=1.5", "--plot", bad, NULL };

  if (g_getenv ("ELBO_LAB_CLI") == NULL)
    {
      g_test_skip ("ELBO_LAB_CLI not set");
      return;
    }
  g_assert_cmpint (run_cli (a1, NULL), ==, 0);
  check_png_size (png, 960, 640);
  g_assert_cmpint (run_cli (a2, NULL), ==, 0);
  g_assert_true (g_file_test (pmf, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (run_cli (a3, NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  /* Histogram, density line and the mean at 2.5/1.5. */
  g_assert_true (g_str_has_prefix (text, "2000 draws · x from,2000 draws · x to,"
                                         "2000 draws · density,density p(x) · x,"
                                         "density p(x) · density,mean · x\r\n"));
  g_assert_cmpint (run_cli (a4, &err), ==, 2);
  g_assert_nonnull (strstr (err, "gamma.jpg"));
  /* One line: the only newline ends the message. */
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_unlink (png);
  g_unlink (pmf);
  g_unlink (csv);
  g_rmdir (dir);
}

/* An empty panel with a message shows it instead of "no data", without
 * axes or grid; vi_panel_clear keeps the message. */
static void
test_empty_message (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  cairo_surface_t *plain, *hint;
  guint32 bg;
  gsize n_plain, n_hint;

  g_assert_null (vi_panel_get_empty_message (panel));
  plain = render (fig, 400, 300);
  vi_panel_set_empty_message (panel, "Choose a file to see the plot");
  vi_panel_clear (panel);
  g_assert_cmpstr (vi_panel_get_empty_message (panel), ==, "Choose a file to see the plot");
  hint = render (fig, 400, 300);
  bg = ((const guint32 *) cairo_image_surface_get_data (plain))[0];
  /* The bottom fifth holds the x axis and its tick labels, and no text. */
  n_plain = count_non_background (plain, 0, 240, 400, 60, bg);
  n_hint = count_non_background (hint, 0, 240, 400, 60, bg);
  g_assert_cmpuint (n_plain, >, 0);
  g_assert_cmpuint (n_hint, ==, 0);
  /* The message is drawn in the middle. */
  g_assert_cmpuint (count_non_background (hint, 0, 120, 400, 60, bg), >, 0);
  vi_panel_set_empty_message (panel, NULL);
  g_assert_null (vi_panel_get_empty_message (panel));
  cairo_surface_destroy (plain);
  cairo_surface_destroy (hint);
  vi_figure_free (fig);
}

/* ---- locale and accessibility -------------------------------------------- */

static guchar *
render_pixels (ViFigure *fig,
               gsize    *len)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (surface);
  guchar *pixels;

  vi_figure_draw (fig, cr, 400, 300);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  *len = (gsize) cairo_image_surface_get_stride (surface) * 300;
  pixels = g_memdup2 (cairo_image_surface_get_data (surface), *len);
  cairo_surface_destroy (surface);
  return pixels;
}

/* The figure's decimal mark is in the tick labels it draws, never in its
 * CSV. */
static void
test_figure_decimal_mark (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  const double x[3] = { 0, 0.5, 1 }, y[3] = { 0.25, 0.75, 0.5 };
  g_autofree char *csv = NULL, *csv_comma = NULL;
  g_autofree guchar *dot = NULL, *comma = NULL, *again = NULL;
  gsize n_dot, n_comma, n_again;
  const struct { double v, step; gboolean log; const char *want; } cases[] = {
    { 0.25, 0.25, FALSE, "0,25" },
    { -1.5, 0.5, FALSE, "−1,5" },
    { 1500, 500, FALSE, "1500" },
    { 1000, 0, TRUE, "10³" },
    { 2.5e6, 5e5, FALSE, "2,5×10⁶" },
  };

  vi_panel_add_line (p, "curve", x, y, 3);
  vi_panel_set_range (p, VI_AXIS_X, 0, 1);
  vi_panel_set_range (p, VI_AXIS_Y, 0, 1);
  g_assert_cmpstr (vi_figure_get_decimal_mark (fig), ==, ".");
  csv = vi_figure_to_csv (fig);
  dot = render_pixels (fig, &n_dot);

  vi_figure_set_decimal_mark (fig, ",");
  g_assert_cmpstr (vi_figure_get_decimal_mark (fig), ==, ",");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = vi_figure_format_tick (fig, cases[i].v, cases[i].step,
                                                    cases[i].log);

      g_assert_cmpstr (got, ==, cases[i].want);
    }
  /* The axes draw those labels: the picture changes, the data does not. */
  comma = render_pixels (fig, &n_comma);
  g_assert_cmpuint (n_comma, ==, n_dot);
  g_assert_true (memcmp (dot, comma, n_dot) != 0);
  csv_comma = vi_figure_to_csv (fig);
  g_assert_cmpstr (csv_comma, ==, csv);
  g_assert_nonnull (strstr (csv, "0.5,0.75"));

  /* NULL, "" and "." restore the default and its picture. */
  vi_figure_set_decimal_mark (fig, NULL);
  g_assert_cmpstr (vi_figure_get_decimal_mark (fig), ==, ".");
  vi_figure_set_decimal_mark (fig, "");
  g_assert_cmpstr (vi_figure_get_decimal_mark (fig), ==, ".");
  again = render_pixels (fig, &n_again);
  g_assert_true (memcmp (dot, again, n_dot) == 0);
  {
    g_autofree char *got = vi_figure_format_tick (fig, 0.25, 0.25, FALSE);

    g_assert_cmpstr (got, ==, "0.25");
  }
  vi_figure_free (fig);
}

/* The summary names the figure's titles, axes with their ranges and every
 * named series with its last value, with the figure's decimal mark. */
static void
test_figure_describe (void)
{
  ViFigure *fig = vi_figure_create (2, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0), *q = vi_figure_get_panel (fig, 1, 0);
  const double x[3] = { 0, 1, 2 }, y[3] = { -3, -2.75, -2.5 }, h[2] = { 1.5, 0.25 };
  const char *const cats[] = { "naive", "cv", NULL };
  g_autofree char *empty = NULL, *text = NULL, *comma = NULL, *drawn = NULL;

  empty = vi_figure_describe (fig);
  g_assert_cmpstr (empty, ==, "");

  vi_figure_set_title (fig, "Run");
  vi_panel_set_title (p, "ELBO per estimator");
  vi_panel_set_axis_label (p, VI_AXIS_X, "iteration");
  vi_panel_set_axis_markup (p, VI_AXIS_Y, "ELBO σ<sup>2</sup>");
  vi_panel_set_range (p, VI_AXIS_X, 0, 2);
  vi_panel_set_range (p, VI_AXIS_Y, -4, 0.5);
  vi_panel_add_line (p, "naive", x, y, 3);
  vi_panel_add_line (p, NULL, x, y, 3);             /* unnamed: left out */
  vi_panel_add_hline (p, "log p(x)", -1.25);
  vi_panel_set_categories (q, cats);
  vi_panel_add_bars (q, "variance", h, NULL, 2);

  text = vi_figure_describe (fig);
  g_assert_cmpstr (text, ==,
                   "Run. ELBO per estimator. iteration 0 – 2, ELBO σ2 −4 – 0.5. "
                   "naive: iteration 2, ELBO σ2 −2.5. log p(x): ELBO σ2 −1.25. "
                   "0 – 1.575. variance: naive 1.5, cv 0.25.");
  vi_figure_set_decimal_mark (fig, ",");
  comma = vi_figure_describe (fig);
  g_assert_nonnull (strstr (comma, "ELBO σ2 −4 – 0,5. naive: iteration 2, ELBO σ2 −2,5."));

  /* A draw changes nothing: the summary follows the figure, not its last
   * picture. */
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
    cairo_t *cr = cairo_create (surface);

    vi_figure_draw (fig, cr, 400, 300);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
  drawn = vi_figure_describe (fig);
  g_assert_cmpstr (drawn, ==, comma);
  vi_figure_free (fig);
}

/* ---- where a series lies against the range ------------------------------ */

/* vi_series_get_fit: inside, clipped, wholly below/above, empty; log axes
 * count only positive values; reference lines span the other axis. */
static void
test_series_fit (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  const double x[] = { 0, 1, 2 }, in[] = { 1, 2, 3 }, part[] = { 1, 2, 30 };
  const double low[] = { 1e-25, 2e-25, 0 }, high[] = { 20, 30, 40 }, nan3[] = { NAN, NAN, NAN };
  ViSeries *a = vi_panel_add_line (p, "in", x, in, 3);
  ViSeries *b = vi_panel_add_line (p, "part", x, part, 3);
  ViSeries *c = vi_panel_add_line (p, "low", x, low, 3);
  ViSeries *d = vi_panel_add_line (p, "high", x, high, 3);
  ViSeries *e = vi_panel_add_line (p, "nan", x, nan3, 3);
  ViSeries *h = vi_panel_add_hline (p, "ref", 50);
  ViSeries *t = vi_panel_add_line (p, NULL, x, in, 3);

  vi_panel_set_scale (p, VI_AXIS_Y, VI_SCALE_LOG10);
  vi_panel_set_range (p, VI_AXIS_Y, 0.5, 10);
  g_assert_cmpint (vi_series_get_fit (a, VI_AXIS_Y), ==, VI_FIT_INSIDE);
  g_assert_cmpint (vi_series_get_fit (b, VI_AXIS_Y), ==, VI_FIT_CLIPPED);
  g_assert_cmpint (vi_series_get_fit (c, VI_AXIS_Y), ==, VI_FIT_BELOW);
  g_assert_cmpint (vi_series_get_fit (d, VI_AXIS_Y), ==, VI_FIT_ABOVE);
  g_assert_cmpint (vi_series_get_fit (e, VI_AXIS_Y), ==, VI_FIT_EMPTY);
  g_assert_cmpint (vi_series_get_fit (h, VI_AXIS_Y), ==, VI_FIT_ABOVE);
  g_assert_cmpint (vi_series_get_fit (h, VI_AXIS_X), ==, VI_FIT_INSIDE);
  /* The automatic x range holds every point. */
  g_assert_cmpint (vi_series_get_fit (b, VI_AXIS_X), ==, VI_FIT_INSIDE);
  vi_panel_set_range (p, VI_AXIS_X, 1.5, 5);
  g_assert_cmpint (vi_series_get_fit (a, VI_AXIS_X), ==, VI_FIT_CLIPPED);
  /* Linear: the zero of "low" counts and lies inside [−1, 10]. */
  vi_panel_set_scale (p, VI_AXIS_Y, VI_SCALE_LINEAR);
  vi_panel_set_range (p, VI_AXIS_Y, -1, 10);
  g_assert_cmpint (vi_series_get_fit (c, VI_AXIS_Y), ==, VI_FIT_INSIDE);
  /* Legend entries: named, visible, not empty. */
  g_assert_true (vi_series_get_in_legend (a));
  g_assert_false (vi_series_get_in_legend (t));
  vi_series_set_visible (a, FALSE);
  g_assert_false (vi_series_get_in_legend (a));
  vi_series_set_show_in_legend (b, FALSE);
  g_assert_false (vi_series_get_in_legend (b));
  vi_figure_free (fig);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plot/ticks/linear", test_ticks_linear);
  g_test_add_func ("/plot/ticks/on-step-multiples", test_ticks_on_step_multiples);
  g_test_add_func ("/plot/ticks/degenerate", test_ticks_degenerate);
  g_test_add_func ("/plot/ticks/log", test_ticks_log);
  g_test_add_func ("/plot/ticks/format", test_ticks_format);
  g_test_add_func ("/plot/transform/round-trip", test_transform_round_trip);
  g_test_add_func ("/plot/transform/view-range", test_view_range);
  g_test_add_func ("/plot/decimate/exact-min-max", test_decimate_exact);
  g_test_add_func ("/plot/decimate/pyramid-appends", test_pyramid_appends);
  g_test_add_func ("/plot/decimate/render-extremes", test_decimate_render_extremes);
  g_test_add_func ("/plot/decimate/append", test_append);
  g_test_add_func ("/plot/decimate/envelope-smooth", test_envelope_smooth);
  g_test_add_func ("/plot/decimate/envelope-noisy", test_envelope_noisy);
  g_test_add_func ("/plot/decimate/envelope-gaps", test_envelope_gaps);
  g_test_add_func ("/plot/decimate/envelope-log", test_envelope_log);
  g_test_add_func ("/plot/decimate/envelope-dashes", test_envelope_dashes);
  g_test_add_func ("/plot/dash/zigzag-solid", test_dash_zigzag_solid);
  g_test_add_func ("/plot/decimate/envelope-vector-size", test_envelope_vector_size);
  g_test_add_func ("/plot/decimate/envelope-hit-and-legend", test_envelope_hit_and_legend);
  g_test_add_func ("/plot/model/hidden-and-band-append", test_hidden_and_band_append);
  g_test_add_func ("/plot/render/robust", test_render_robust);
  g_test_add_func ("/plot/render/scatter-device-scale", test_scatter_device_scale);
  g_test_add_func ("/plot/render/fuzz", test_render_fuzz);
  g_test_add_func ("/plot/export/png", test_export_png);
  g_test_add_func ("/plot/export/svg", test_export_svg);
  g_test_add_func ("/plot/export/pdf", test_export_pdf);
  g_test_add_func ("/plot/export/errors", test_export_errors);
  g_test_add_func ("/plot/export/csv", test_export_csv);
  g_test_add_func ("/plot/export/csv-names", test_export_csv_names);
  g_test_add_func ("/plot/export/failures-leave-nothing", test_export_failures_leave_nothing);
  g_test_add_func ("/plot/export/through-symlink", test_export_through_symlink);
  g_test_add_func ("/plot/export/failed-write-keeps-file",
                   test_export_failed_write_keeps_file);
  g_test_add_func ("/plot/export/format-from-path", test_format_from_path);
  g_test_add_func ("/plot/export/write-stream", test_write_stream);
  g_test_add_func ("/plot/export/write-stream-errors", test_write_stream_errors);
  g_test_add_func ("/plot/hit/nearest", test_hit_test);
  g_test_add_func ("/plot/hit/describe", test_hit_describe);
  g_test_add_func ("/plot/legend/avoids-data", test_legend_avoids_data);
  g_test_add_func ("/plot/legend/groups", test_legend_groups);
  g_test_add_func ("/plot/legend/outside", test_legend_outside);
  g_test_add_func ("/plot/legend/bounded", test_legend_bounded);
  g_test_add_func ("/plot/series/fit", test_series_fit);
  g_test_add_func ("/plot/legend/collapsed", test_legend_collapsed);
  g_test_add_func ("/plot/legend/annotations", test_legend_annotations);
  g_test_add_func ("/plot/legend/hit", test_legend_hit);
  g_test_add_func ("/plot/cli/gallery", test_cli_gallery);
  g_test_add_func ("/plot/cli/gallery-real", test_cli_gallery_real);
  g_test_add_func ("/plot/cli/expfam-plot", test_cli_expfam_plot);
  g_test_add_func ("/plot/panel/empty-message", test_empty_message);
  g_test_add_func ("/plot/figure/decimal-mark", test_figure_decimal_mark);
  g_test_add_func ("/plot/figure/describe", test_figure_describe);
  g_test_add_func ("/plot/text/fits-small-figure", test_text_fits);
  g_test_add_func ("/plot/text/annotation-inside", test_annotation_fits);

  return g_test_run ();
}
