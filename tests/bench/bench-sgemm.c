/* bench-sgemm.c — the sgemm GFLOP/s of this machine for bench-vae's FLOP
 * floor: the best of 5 products C = A B of N × N floats (default 1024)
 * through vi_blas_sgemm on THREADS OpenBLAS threads. Prints one JSON line
 * with the wall-clock and the CPU-time rates.
 * Usage: bench-sgemm THREADS [N]
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vi-blas.h"

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main (int    argc,
      char **argv)
{
  int threads = argc > 1 ? atoi (argv[1]) : 1;
  size_t n = argc > 2 ? (size_t) atol (argv[2]) : 1024;
  ViBlasGemm shape = { FALSE, FALSE, n, n, n, n, n, n };
  float *a = g_new (float, n * n), *b = g_new (float, n * n), *c = g_new0 (float, n * n);
  double best = 1e300, best_cpu = 1e300, flops = 2.0 * n * n * n;

  if (threads < 1 || n < 16)
    {
      fprintf (stderr, "usage: bench-sgemm THREADS [N ≥ 16]\n");
      return 2;
    }
  for (size_t i = 0; i < n * n; i++)
    {
      a[i] = (float) ((i * 7919) % 1000) / 1000.0f - 0.5f;
      b[i] = (float) ((i * 104729) % 1000) / 1000.0f - 0.5f;
    }
  vi_blas_set_threads (threads);
  vi_blas_sgemm (&shape, 1.0f, a, b, 0.0f, c);   /* warm up */
  for (int r = 0; r < 5; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double c0 = cpu_now ();

      vi_blas_sgemm (&shape, 1.0f, a, b, 0.0f, c);
      best = MIN (best, (g_get_monotonic_time () - t0) * 1e-6);
      best_cpu = MIN (best_cpu, cpu_now () - c0);
    }
  printf ("{\"threads\": %d, \"n\": %zu, \"gflops\": %.3f, \"cpu_gflops\": %.3f, "
          "\"check\": %.6g}\n", threads, n, flops / best * 1e-9, flops / best_cpu * 1e-9,
          (double) c[n * n / 2]);
  g_free (a);
  g_free (b);
  g_free (c);
  return 0;
}
