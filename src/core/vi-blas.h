/* vi-blas.h — thin wrappers over CBLAS (OpenBLAS)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>

/* C (m×n) = alpha · op(A) · op(B) + beta · C, all row-major, where op(A) is
 * m×k (A is k×m when @trans_a) and op(B) is k×n (B is n×k when @trans_b).
 * Calls cblas_dgemm, which must bind to OpenBLAS (tests/check-blas-binding.sh). */
void        vi_blas_gemm         (double       *c,
                                  const double *a,
                                  const double *b,
                                  size_t        m,
                                  size_t        n,
                                  size_t        k,
                                  int           trans_a,
                                  int           trans_b,
                                  double        alpha,
                                  double        beta);

/* The same product by three loops: the reference the tests compare against. */
void        vi_blas_gemm_naive   (double       *c,
                                  const double *a,
                                  const double *b,
                                  size_t        m,
                                  size_t        n,
                                  size_t        k,
                                  int           trans_a,
                                  int           trans_b,
                                  double        alpha,
                                  double        beta);

/* A short description of the BLAS in use, e.g. "OpenBLAS 0.3.21 …". */
const char *vi_blas_describe     (void);

/* Sets the number of BLAS threads (OpenBLAS); n ≤ 0 leaves the default. */
void        vi_blas_set_threads  (int n);
