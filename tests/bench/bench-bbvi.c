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

#include <gsl/gsl_errno.h>

#include "vi-bbvi.h"
#include "vi-bbvi-variance.h"
#include "vi-status.h"

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
  gint64 t0, t1;
  double best = G_MAXDOUBLE;

  gsl_set_error_handler_off ();
  x = vi_bbvi_counts_synthetic (50, 4.0, 1, &error);
  if (x == NULL || !vi_bbvi_model_init (&m, 2.0, 1.0, x, 50, &error))
    {
      fprintf (stderr, "bench-bbvi: %s\n", error->message);
      return 1;
    }
  /* Best of three runs, each the whole sweep including the exact variances. */
  for (int run = 0; run < 3; run++)
    {
      t0 = g_get_monotonic_time ();
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
      best = MIN (best, (double) (t1 - t0) / 1e6);
    }
  printf ("bbvi variance sweep: R = %zu, S = 2..1000, 4 estimators, %u threads: %.3f s "
          "(target < 1 s)%s\n", R, g_get_num_processors (), best,
          best < 1.0 ? "" : "  OVER TARGET");
  return 0;
}
