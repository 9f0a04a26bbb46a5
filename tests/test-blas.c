/* test-blas.c — the CBLAS wrappers against the naive references
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

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

  ViBlasGemm shape = { ta, tb, m, n, k, 0, 0, 0 };

  vi_blas_dgemm (&shape, 0.7, a, b, beta, c);
  vi_blas_dgemm_naive (&shape, 0.7, a, b, beta, c_ref);
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

/* A 2×3 by 3×2 product worked by hand: the reference itself is right. */
static void
test_naive_known_answer (void)
{
  const double a[6] = { 1, 2, 3, 4, 5, 6 };        /* 2×3 */
  const double b[6] = { 7, 8, 9, 10, 11, 12 };     /* 3×2 */
  const double want[4] = { 58, 64, 139, 154 };
  const float af[6] = { 1, 2, 3, 4, 5, 6 };
  const float bf[6] = { 7, 8, 9, 10, 11, 12 };
  ViBlasGemm shape = { FALSE, FALSE, 2, 2, 3, 0, 0, 0 };
  ViBlasGemm shape_t = { TRUE, TRUE, 2, 2, 3, 0, 0, 0 };
  const double at[6] = { 1, 4, 2, 5, 3, 6 };       /* Aᵀ stored 3×2 */
  const double bt[6] = { 7, 9, 11, 8, 10, 12 };    /* Bᵀ stored 2×3 */
  double c[4] = { 1, 1, 1, 1 };
  float cf[4] = { NAN, NAN, NAN, NAN };

  vi_blas_dgemm_naive (&shape, 2.0, a, b, -1.0, c);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (c[i], ==, 2.0 * want[i] - 1.0);
  vi_blas_dgemm_naive (&shape_t, 1.0, at, bt, 0.0, c);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (c[i], ==, want[i]);
  /* beta = 0 never reads C, so NaNs there do not propagate. */
  vi_blas_sgemm_naive (&shape, 1.0f, af, bf, 0.0f, cf);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (cf[i], ==, want[i]);
}

/* op(A) m×k, op(B) k×n, C m×n stored with padded rows (pad extra columns,
 * filled with a sentinel that must survive); both precisions against the
 * naive kernels. */
static void
check_ld (size_t m,
          size_t n,
          size_t k,
          int    ta,
          int    tb,
          double alpha,
          double beta,
          size_t pad)
{
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 7 + m * 131 + n * 17 + k + pad);
  size_t ra = ta ? k : m, ca = ta ? m : k, rb = tb ? n : k, cb = tb ? k : n;
  ViBlasGemm shape = { ta, tb, m, n, k, pad ? ca + pad : 0, pad ? cb + pad : 0,
                       pad ? n + pad : 0 };
  size_t lda = ca + pad, ldb = cb + pad, ldc = n + pad;
  g_autofree double *a = g_new (double, ra * lda + 1), *b = g_new (double, rb * ldb + 1);
  g_autofree double *c = g_new (double, m * ldc + 1), *c_ref = g_new (double, m * ldc + 1);
  g_autofree float *af = g_new (float, ra * lda + 1), *bf = g_new (float, rb * ldb + 1);
  g_autofree float *cf = g_new (float, m * ldc + 1), *cf_ref = g_new (float, m * ldc + 1);

  for (size_t i = 0; i < ra * lda; i++)
    af[i] = (float) (a[i] = i % lda < ca ? gsl_rng_uniform (rng) - 0.5 : NAN);
  for (size_t i = 0; i < rb * ldb; i++)
    bf[i] = (float) (b[i] = i % ldb < cb ? gsl_rng_uniform (rng) - 0.5 : NAN);
  for (size_t i = 0; i < m * ldc; i++)
    {
      c[i] = c_ref[i] = i % ldc < n ? gsl_rng_uniform (rng) : 999.0;
      cf[i] = cf_ref[i] = (float) c[i];
    }

  vi_blas_dgemm (&shape, alpha, a, b, beta, c);
  vi_blas_dgemm_naive (&shape, alpha, a, b, beta, c_ref);
  vi_blas_sgemm (&shape, (float) alpha, af, bf, (float) beta, cf);
  vi_blas_sgemm_naive (&shape, (float) alpha, af, bf, (float) beta, cf_ref);
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < ldc; j++)
      {
        size_t ij = i * ldc + j;

        if (j >= n)
          {
            g_assert_cmpfloat (c[ij], ==, 999.0);
            g_assert_cmpfloat (c_ref[ij], ==, 999.0);
            g_assert_cmpfloat (cf[ij], ==, 999.0f);
            g_assert_cmpfloat (cf_ref[ij], ==, 999.0f);
            continue;
          }
        vi_assert_close (c[ij], c_ref[ij], 1e-12 * (double) k, 0);
        /* Float products summed in float: |error| ≲ k ε_f Σ|a b| ≤ k ε_f k/4. */
        vi_assert_close ((double) cf[ij], (double) cf_ref[ij],
                         2e-7 * (1.0 + (double) (k * k) / 4.0), 0);
      }
}

static void
test_gemm_leading_dimensions (void)
{
  const double ab[][2] = { { 1.0, 0.0 }, { -0.5, 1.0 }, { 2.0, -0.25 } };

  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++)
      for (gsize s = 0; s < G_N_ELEMENTS (ab); s++)
        for (size_t pad = 0; pad < 4; pad += 3)
          {
            check_ld (7, 5, 3, ta, tb, ab[s][0], ab[s][1], pad);
            check_ld (1, 1, 1, ta, tb, ab[s][0], ab[s][1], pad);
            check_ld (13, 1, 29, ta, tb, ab[s][0], ab[s][1], pad);
            check_ld (33, 65, 17, ta, tb, ab[s][0], ab[s][1], pad);
            check_ld (4, 3, 0, ta, tb, ab[s][0], ab[s][1], pad);
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
  g_test_add_func ("/core/blas/naive-known-answer", test_naive_known_answer);
  g_test_add_func ("/core/blas/gemm-leading-dimensions", test_gemm_leading_dimensions);
  g_test_add_func ("/core/blas/describe-openblas", test_describe_openblas);
  return g_test_run ();
}
