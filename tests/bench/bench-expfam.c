/* bench-expfam.c — 10^6 Monte-Carlo draws per family (issue #3 target:
 * under 0.3 s each, sampling plus the moments of t)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run: meson test -C _build --benchmark --verbose bench-expfam
 *      (or ./run bench). Prints one line per family: the median and min–max
 *      of 5 runs, wall-clock and CPU time; exits 1 when a family's median
 *      moments time misses the target.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "vi-core-autocleanups.h"
#include "vi-expfam.h"
#include "vi-rng.h"

enum { REPS = 5 };

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

/* Sorts @v[REPS] and prints "median (min–max)"; returns the median. */
static double
print_runs (double *v)
{
  qsort (v, REPS, sizeof (double), cmp_double);
  printf ("  %.4f (%.4f–%.4f)", v[REPS / 2], v[0], v[REPS - 1]);
  return v[REPS / 2];
}

int
main (int    argc,
      char **argv)
{
  const size_t n = 1000000;
  const char *const *names = vi_expfam_list_names ();
  double worst = 0;

  gsl_set_error_handler_off ();
  printf ("10^6 draws: sample, then t(x) + mean/cov; seconds, median (min–max) of %d runs\n"
          "%-12s %-24s %-24s %-24s %-24s\n", REPS, "family", "draws wall", "draws cpu",
          "moments wall", "moments cpu");
  for (guint f = 0; names[f] != NULL; f++)
    {
      const ViExpfam *fam = vi_expfam_lookup (names[f]);
      double theta[2];
      double draw_w[REPS], draw_c[REPS], mom_w[REPS], mom_c[REPS];
      double *x = g_new (double, n), mom;

      vi_expfam_get_default_params (fam, theta);
      for (int rep = 0; rep < REPS; rep++)
        {
          g_autoptr(gsl_rng) rng = vi_rng_create (1, (uint64_t) rep);
          double m[2], se[2], cov[4];
          gint64 t0 = g_get_monotonic_time (), t1, t2;
          double c0 = cpu_seconds (), c1, c2;

          vi_expfam_sample_n (fam, theta, rng, n, x);
          t1 = g_get_monotonic_time ();
          c1 = cpu_seconds ();
          vi_expfam_mc_moments (fam, theta, rng, n, m, se, cov, NULL);
          t2 = g_get_monotonic_time ();
          c2 = cpu_seconds ();
          draw_w[rep] = (t1 - t0) / 1e6;
          draw_c[rep] = c1 - c0;
          mom_w[rep] = (t2 - t1) / 1e6;
          mom_c[rep] = c2 - c1;
        }
      printf ("%-12s", names[f]);
      print_runs (draw_w);
      print_runs (draw_c);
      mom = print_runs (mom_w);
      worst = MAX (worst, mom);
      print_runs (mom_c);
      printf ("\n");
      g_free (x);
    }
  printf ("slowest family (median moments wall): %.4f s (target < 0.3 s) %s\n", worst,
          worst < 0.3 ? "PASS" : "FAIL");
  return worst < 0.3 ? 0 : 1;
}
