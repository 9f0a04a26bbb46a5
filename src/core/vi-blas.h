/* vi-blas.h — thin wrappers over CBLAS (OpenBLAS) and the naive reference
 * kernels the tests compare them with
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>

#include <glib.h>

G_BEGIN_DECLS

/* The shape of C (m×n) = alpha · op(A) · op(B) + beta · C, all row-major:
 * op(A) is m×k (A is stored k×m when @trans_a), op(B) is k×n (B is stored
 * n×k when @trans_b). @lda, @ldb, @ldc are the strides between stored rows,
 * at least the stored row length; 0 means packed (exactly the row length).
 * With beta = 0, C is only written (NaNs in it are not propagated). Sizes
 * must fit an int; a bad shape is a programming error (g_critical, C
 * untouched). */
typedef struct
{
  gboolean trans_a;
  gboolean trans_b;
  size_t   m, n, k;
  size_t   lda, ldb, ldc;
} ViBlasGemm;

/* Double precision, by cblas_dgemm, which must bind to OpenBLAS
 * (tests/check-blas-binding.sh). */
void        vi_blas_dgemm        (const ViBlasGemm *shape,
                                  double            alpha,
                                  const double     *a,
                                  const double     *b,
                                  double            beta,
                                  double           *c);
/* Single precision, by cblas_sgemm. */
void        vi_blas_sgemm        (const ViBlasGemm *shape,
                                  float             alpha,
                                  const float      *a,
                                  const float      *b,
                                  float             beta,
                                  float            *c);

/* The same products by three loops, summing in double (the sgemm reference
 * rounds each result to float once): the references the tests of this and
 * later models compare optimised kernels against. */
void        vi_blas_dgemm_naive  (const ViBlasGemm *shape,
                                  double            alpha,
                                  const double     *a,
                                  const double     *b,
                                  double            beta,
                                  double           *c);
void        vi_blas_sgemm_naive  (const ViBlasGemm *shape,
                                  float             alpha,
                                  const float      *a,
                                  const float      *b,
                                  float             beta,
                                  float            *c);

/* A short description of the BLAS in use, e.g. "OpenBLAS 0.3.21 …". */
const char *vi_blas_describe     (void);

/* Sets the number of BLAS threads (OpenBLAS); n ≤ 0 leaves the default. */
void        vi_blas_set_threads  (int n);

G_END_DECLS
