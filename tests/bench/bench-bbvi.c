/* bench-bbvi.c — the gradient-variance sweep of issue #6: R = 1000 repeats
 * at S = 2 … 1000 for naive, cv, cv-suff and reparam at θ* (α = 2, β = 1,
 * 50 counts at rate 4, seed 1). Target: under 1 s on a 2-core machine.
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "vi-bbvi.h"
#include "vi-bbvi-variance.h"
#include "vi-status.h"

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main (void)
{
  static const size_t sweep[] = { 2, 5, 10, 20, 50, 100, 200, 500, 1000 };
  static const ViBbviEstimator est[] = { VI_BBVI_NAIVE, VI_BBVI_CV, VI_BBVI_CV_SUFF,
                                         VI_BBVI_REPARAM };
  const size_t R = 1000;
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *x = NULL;
  ViBbviModel m;
  ViBbviExact ex;
  enum { RUNS = 5 };
  double wall[RUNS], cpu[RUNS], c0, med;
  gint64 t0, t1;

  gsl_set_error_handler_off ();
  x = vi_bbvi_counts_synthetic (50, 4.0, 1, &error);
  if (x == NULL || !vi_bbvi_model_init (&m, 2.0, 1.0, x, 50, &error))
    {
      fprintf (stderr, "bench-bbvi: %s\n", error->message);
      return 1;
    }
  /* RUNS runs, each the whole sweep including the exact variances; the
   * median and the range of their times, wall-clock and CPU (the sweep
   * uses every core: its CPU time is the sum over threads). */
  for (int run = 0; run < RUNS; run++)
    {
      t0 = g_get_monotonic_time ();
      c0 = cpu_seconds ();
      if (vi_bbvi_variance_exact (&ex, &m, (m.beta + (double) m.n) / (m.alpha + m.sum_x)) != VI_OK)
        return 1;
      for (gsize i = 0; i < G_N_ELEMENTS (sweep); i++)
        {
          ViBbviVariancePoint pt;
          int status = vi_bbvi_variance_measure (&pt, &m, &ex, sweep[i], R, est,
                                                 G_N_ELEMENTS (est), 1, 0, NULL);

          if (status != VI_OK)
            {
              fprintf (stderr, "bench-bbvi: %s\n", vi_status_to_string (status));
              return 1;
            }
          if (run == 0)
            printf ("S %4zu  var naive %-12.6g cv %-12.6g cv-suff %-12.6g reparam %-12.6g\n",
                    sweep[i], pt.est[0].variance, pt.est[1].variance,
                    pt.est[2].defined ? pt.est[2].variance : NAN, pt.est[3].variance);
        }
      t1 = g_get_monotonic_time ();
      wall[run] = (double) (t1 - t0) / 1e6;
      cpu[run] = cpu_seconds () - c0;
    }
  qsort (wall, RUNS, sizeof (double), cmp_double);
  qsort (cpu, RUNS, sizeof (double), cmp_double);
  med = wall[RUNS / 2];
  printf ("bbvi variance sweep: R = %zu, S = 2..1000, 4 estimators, %u threads, %d runs:\n"
          "  wall median %.3f s (%.3f–%.3f)   cpu median %.3f s (%.3f–%.3f)\n"
          "  target: wall median < 1 s: %s\n", R, g_get_num_processors (), RUNS, med, wall[0],
          wall[RUNS - 1], cpu[RUNS / 2], cpu[0], cpu[RUNS - 1], med < 1.0 ? "met" : "MISSED");
  return 0;
}
