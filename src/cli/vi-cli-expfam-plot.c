/* vi-cli-expfam-plot.c — the figure of `elbo-lab-cli expfam --plot FILE`:
 * density or pmf, the mean, and a histogram of the draws
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vi-cli-common.h"
#include "vi-cli-expfam-plot.h"
#include "vi-core-autocleanups.h"
#include "vi-figure.h"
#include "vi-rng.h"

#define PILOT 20000
#define GRID 400
#define MAX_CATEGORIES 60

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* E[x]: exact from a sufficient statistic t_k(x) = x, else the closed forms
 * of the two families without one. */
static double
mean_of_x (const ViExpfam *fam,
           const double   *theta)
{
  const char *const *stats = vi_expfam_get_stat_names (fam);
  const char *name = vi_expfam_get_name (fam);
  double eta[VI_EXPFAM_MAX_DIM], mean[VI_EXPFAM_MAX_DIM];

  vi_expfam_natural (fam, theta, eta);
  vi_expfam_mean_sufficient (fam, eta, mean);
  for (guint k = 0; stats[k] != NULL; k++)
    if (strcmp (stats[k], "x") == 0)
      return mean[k];
  if (strcmp (name, "lognormal") == 0)
    return exp (theta[0] + theta[1] / 2);
  if (strcmp (name, "beta") == 0)
    return theta[0] / (theta[0] + theta[1]);
  return NAN;
}

static char *
title_of (const ViExpfam *fam,
          const double   *theta)
{
  const char *const *names = vi_expfam_get_param_names (fam);
  GString *t = g_string_new (vi_expfam_get_name (fam));

  g_string_append_c (t, '(');
  for (guint k = 0; names[k] != NULL; k++)
    g_string_append_printf (t, "%s%s = %g", k ? ", " : "", names[k], theta[k]);
  g_string_append_c (t, ')');
  return g_string_free (t, FALSE);
}

ViFigure *
vi_cli_expfam_plot_figure (const ViExpfam *fam,
                           const double   *theta,
                           guint64         samples,
                           guint64         seed)
{
  g_autoptr(gsl_rng) pilot_rng = NULL;
  g_autoptr(gsl_rng) rng = NULL;
  g_autofree double *pilot = NULL;
  g_autofree char *title = NULL;
  ViFigure *fig;
  ViPanel *p;
  double eta[VI_EXPFAM_MAX_DIM], sup_lo, sup_hi, q_lo, q_hi, lo, hi;
  double mean = mean_of_x (fam, theta);
  g_autofree char *mean_label = NULL;

  pilot_rng = vi_rng_create (seed, 2);
  rng = vi_rng_create (seed, 1);
  pilot = g_new (double, PILOT);
  title = title_of (fam, theta);
  fig = vi_figure_create (1, 1);
  p = vi_figure_get_panel (fig, 0, 0);
  vi_expfam_natural (fam, theta, eta);
  vi_expfam_get_support (fam, &sup_lo, &sup_hi);
  /* The plotted range: the central 99.8 % of a pilot sample. */
  vi_expfam_sample_n (fam, theta, pilot_rng, PILOT, pilot);
  qsort (pilot, PILOT, sizeof (double), cmp_double);
  q_lo = pilot[PILOT / 1000];
  q_hi = pilot[PILOT - 1 - PILOT / 1000];
  vi_figure_set_title (fig, title);
  mean_label = g_strdup_printf ("mean %.4g", mean);

  if (vi_expfam_is_discrete (fam))
    {
      double kmin = MAX (sup_lo, floor (q_lo)), kmax = MIN (sup_hi, ceil (q_hi));
      g_autofree double *pmf = NULL;
      g_autofree double *freq = NULL;
      g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      gsize n;

      if (kmax - kmin + 1 > MAX_CATEGORIES)
        kmax = kmin + MAX_CATEGORIES - 1;
      n = (gsize) (kmax - kmin + 1);
      pmf = g_new (double, n);
      for (gsize i = 0; i < n; i++)
        {
          pmf[i] = exp (vi_expfam_log_density (fam, eta, kmin + i));
          g_ptr_array_add (labels, g_strdup_printf ("%g", kmin + i));
        }
      g_ptr_array_add (labels, NULL);
      vi_panel_set_categories (p, (const char *const *) labels->pdata);
      vi_panel_set_axis_label (p, VI_AXIS_X, "x");
      vi_panel_set_axis_label (p, VI_AXIS_Y, "probability");
      vi_panel_add_bars (p, "pmf p(x)", pmf, NULL, n);
      if (samples > 0)
        {
          g_autofree char *name = g_strdup_printf ("%" G_GUINT64_FORMAT " draws", samples);

          freq = g_new0 (double, n);
          for (guint64 i = 0; i < samples; i++)
            {
              double x = vi_expfam_sample (fam, theta, rng);

              if (x >= kmin && x <= kmax)
                freq[(gsize) (x - kmin)] += 1.0 / samples;
            }
          vi_panel_add_bars (p, name, freq, NULL, n);
        }
      /* Bars sit at category indices, so the mean moves with them. */
      vi_panel_add_vline (p, mean_label, mean - kmin);
    }
  else
    {
      double x[GRID], y[GRID], pad;

      lo = q_lo;
      hi = q_hi;
      pad = 0.05 * (hi - lo);
      lo = MAX (sup_lo, lo - pad);
      hi = MIN (sup_hi, hi + pad);
      if (isfinite (sup_lo) && sup_lo > lo - 2 * pad)
        lo = sup_lo;
      if (isfinite (sup_hi) && sup_hi < hi + 2 * pad)
        hi = sup_hi;
      for (guint i = 0; i < GRID; i++)
        {
          x[i] = lo + (hi - lo) * i / (GRID - 1);
          y[i] = exp (vi_expfam_log_density (fam, eta, x[i]));
        }
      vi_panel_set_axis_label (p, VI_AXIS_X, "x");
      vi_panel_set_axis_label (p, VI_AXIS_Y, "density");
      if (samples > 0)
        {
          /* Streamed into bins: any --samples fits in memory. */
          enum { BINS = 50 };
          double edges[BINS + 1], counts[BINS] = { 0 }, w = (hi - lo) / BINS;
          g_autofree char *name = g_strdup_printf ("%" G_GUINT64_FORMAT " draws", samples);
          ViSeries *h;

          for (guint b = 0; b <= BINS; b++)
            edges[b] = lo + b * w;
          for (guint64 i = 0; i < samples; i++)
            {
              double v = vi_expfam_sample (fam, theta, rng);
              double b = floor ((v - lo) / w);

              if (b >= 0 && b < BINS)
                counts[(gsize) b] += 1;
              else if (v == hi)
                counts[BINS - 1] += 1;
            }
          for (guint b = 0; b < BINS; b++)
            counts[b] /= (double) samples * w;
          h = vi_panel_add_histogram (p, name, edges, counts, BINS);
          vi_series_set_color_index (h, 5);
        }
      vi_series_set_color_index (vi_panel_add_line (p, "density p(x)", x, y, GRID), 0);
      vi_panel_add_vline (p, mean_label, mean);
    }

  return fig;
}
