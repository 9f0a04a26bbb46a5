/* bench-plot.c — render time of a live-plot-sized figure (issue #4 target:
 * 1000×600 points with a 10^6-point line and three other series in ≤ 15 ms
 * to an image surface)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>
#include <glib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "vi-figure.h"

#define TARGET_MS 15.0

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double
time_draw (ViFigure        *fig,
           cairo_surface_t *surface)
{
  cairo_t *cr = cairo_create (surface);
  gint64 t0 = g_get_monotonic_time ();

  vi_figure_draw (fig, cr, 1000, 600);
  cairo_surface_flush (surface);
  cairo_destroy (cr);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

int
main (void)
{
  enum { N = 1000000, M = 1000, REPS = 41 };
  gsl_rng *rng;
  ViFigure *fig;
  ViPanel *p;
  ViSeries *live;
  cairo_surface_t *surface;
  double *y, *bx, *blo, *bhi, *sx, *sy;
  double t_static[REPS], t_append[REPS];
  double walk = 0, m_static, m_append;

  gsl_set_error_handler_off ();
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 20240601);
  y = g_new (double, N);
  for (gsize i = 0; i < N; i++)
    {
      walk += gsl_ran_gaussian (rng, 1);
      y[i] = -1000 + 800 * (1 - exp (-(double) i / 2e5)) + 0.05 * walk;
    }
  bx = g_new (double, M);
  blo = g_new (double, M);
  bhi = g_new (double, M);
  sx = g_new (double, M);
  sy = g_new (double, M);
  for (gsize i = 0; i < M; i++)
    {
      bx[i] = i * (double) N / M;
      blo[i] = -1000 + 800 * (1 - exp (-bx[i] / 2e5)) - 40;
      bhi[i] = blo[i] + 80;
      sx[i] = gsl_rng_uniform (rng) * N;
      sy[i] = -900 + 700 * gsl_rng_uniform (rng);
    }

  fig = vi_figure_create (1, 1);
  p = vi_figure_get_panel (fig, 0, 0);
  vi_panel_set_title (p, "benchmark");
  vi_panel_set_axis_label (p, VI_AXIS_X, "iteration");
  vi_panel_set_axis_label (p, VI_AXIS_Y, "ELBO");
  live = vi_panel_add_line (p, "10⁶-point line", NULL, y, N);
  vi_panel_add_band (p, "band", bx, blo, bhi, M);
  vi_panel_add_scatter (p, "scatter", sx, sy, M);
  vi_panel_add_hline (p, "reference", -300);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 600);

  time_draw (fig, surface);   /* warm up fonts and caches */
  for (int r = 0; r < REPS; r++)
    t_static[r] = time_draw (fig, surface);
  /* Live plot: append 1000 points, redraw. */
  for (int r = 0; r < REPS; r++)
    {
      double more[1000];

      for (int i = 0; i < 1000; i++)
        more[i] = y[N - 1] + gsl_ran_gaussian (rng, 1);
      {
        gint64 t0 = g_get_monotonic_time ();

        vi_series_append (live, NULL, more, 1000);
        t_append[r] = (g_get_monotonic_time () - t0) / 1000.0;
      }
      t_append[r] += time_draw (fig, surface);
    }
  m_static = median (t_static, REPS);
  m_append = median (t_append, REPS);
  printf ("bench-plot: 1000×600, 10^6-point line + band + scatter + hline\n");
  printf ("  draw median        %.2f ms (min %.2f, max %.2f, %d runs)\n", m_static, t_static[0],
          t_static[REPS - 1], REPS);
  printf ("  append 1000 + draw %.2f ms median\n", m_append);
  printf ("  target ≤ %.0f ms: %s\n", TARGET_MS, m_static <= TARGET_MS ? "met" : "MISSED");

  cairo_surface_destroy (surface);
  vi_figure_free (fig);
  g_free (y);
  g_free (bx);
  g_free (blo);
  g_free (bhi);
  g_free (sx);
  g_free (sy);
  gsl_rng_free (rng);
  return 0;
}
