/* test-blas.c — the CBLAS wrapper against the naive reference
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gsl/gsl_errno.h>

#include "vi-blas.h"
#include "vi-core-autocleanups.h"
#include "vi-rng.h"
#include "vi-test-util.h"

static void
check_gemm (size_t m,
            size_t n,
            size_t k,
            int    ta,
            int    tb,
            double beta)
{
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, m * 131 + n * 17 + k);
  double *a = g_new (double, m * k), *b = g_new (double, k * n);
  double *c = g_new (double, m * n), *c_ref = g_new (double, m * n);

  for (size_t i = 0; i < m * k; i++)
    a[i] = gsl_rng_uniform (rng) - 0.5;
  for (size_t i = 0; i < k * n; i++)
    b[i] = gsl_rng_uniform (rng) - 0.5;
  for (size_t i = 0; i < m * n; i++)
    c[i] = c_ref[i] = gsl_rng_uniform (rng);

  vi_blas_gemm (c, a, b, m, n, k, ta, tb, 0.7, beta);
  vi_blas_gemm_naive (c_ref, a, b, m, n, k, ta, tb, 0.7, beta);
  vi_assert_close_array (c, c_ref, m * n, 1e-12 * (double) k, 0);

  g_free (a);
  g_free (b);
  g_free (c);
  g_free (c_ref);
}

static void
test_gemm_matches_naive (void)
{
  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++)
      {
        check_gemm (7, 5, 3, ta, tb, 0.0);
        check_gemm (64, 33, 129, ta, tb, 0.5);
        check_gemm (1, 200, 40, ta, tb, 1.0);
      }
}

static void
test_describe_openblas (void)
{
  const char *d = vi_blas_describe ();

  g_assert_nonnull (d);
  g_assert_true (g_str_has_prefix (d, "OpenBLAS"));
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/blas/gemm-matches-naive", test_gemm_matches_naive);
  g_test_add_func ("/core/blas/describe-openblas", test_describe_openblas);
  return g_test_run ();
}
