/* vi-blas.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cblas.h>

#include "vi-blas.h"

void
vi_blas_gemm (double       *c,
              const double *a,
              const double *b,
              size_t        m,
              size_t        n,
              size_t        k,
              int           trans_a,
              int           trans_b,
              double        alpha,
              double        beta)
{
  cblas_dgemm (CblasRowMajor,
               trans_a ? CblasTrans : CblasNoTrans,
               trans_b ? CblasTrans : CblasNoTrans,
               (int) m, (int) n, (int) k, alpha,
               a, trans_a ? (int) m : (int) k,
               b, trans_b ? (int) k : (int) n,
               beta, c, (int) n);
}

void
vi_blas_gemm_naive (double       *c,
                    const double *a,
                    const double *b,
                    size_t        m,
                    size_t        n,
                    size_t        k,
                    int           trans_a,
                    int           trans_b,
                    double        alpha,
                    double        beta)
{
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++)
      {
        double s = 0.0;
        for (size_t l = 0; l < k; l++)
          {
            double x = trans_a ? a[l * m + i] : a[i * k + l];
            double y = trans_b ? b[j * k + l] : b[l * n + j];
            s += x * y;
          }
        c[i * n + j] = alpha * s + (beta == 0.0 ? 0.0 : beta * c[i * n + j]);
      }
}

const char *
vi_blas_describe (void)
{
  return openblas_get_config ();
}

void
vi_blas_set_threads (int n)
{
  if (n > 0)
    openblas_set_num_threads (n);
}
