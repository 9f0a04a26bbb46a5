/* vi-blas.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <limits.h>

#include <cblas.h>

#include "vi-blas.h"

/* @shape with its leading dimensions filled in; FALSE (and a g_critical)
 * for a stride shorter than its row or a size that does not fit an int. */
static gboolean
resolve (const ViBlasGemm *shape,
         ViBlasGemm       *out)
{
  size_t row_a = shape->trans_a ? shape->m : shape->k;
  size_t row_b = shape->trans_b ? shape->k : shape->n;

  *out = *shape;
  out->lda = MAX (1, shape->lda != 0 ? shape->lda : row_a);
  out->ldb = MAX (1, shape->ldb != 0 ? shape->ldb : row_b);
  out->ldc = MAX (1, shape->ldc != 0 ? shape->ldc : shape->n);
  g_return_val_if_fail (out->lda >= row_a && out->ldb >= row_b && out->ldc >= shape->n, FALSE);
  g_return_val_if_fail (MAX (MAX (out->m, out->n), out->k) <= INT_MAX, FALSE);
  g_return_val_if_fail (MAX (MAX (out->lda, out->ldb), out->ldc) <= INT_MAX, FALSE);
  return TRUE;
}

/* One product: the arguments of the public entry points, with the element
 * type (@f32: float, else double). */
typedef struct
{
  const ViBlasGemm *shape;
  double            alpha, beta;
  const void       *a, *b;
  void             *c;
  gboolean          f32;
} Gemm;

/* cblas_sgemm (f32) or cblas_dgemm; alpha and beta convert exactly. */
static void
gemm_blas (const Gemm *p)
{
  ViBlasGemm s;
  CBLAS_TRANSPOSE ta = p->shape->trans_a ? CblasTrans : CblasNoTrans;
  CBLAS_TRANSPOSE tb = p->shape->trans_b ? CblasTrans : CblasNoTrans;

  if (!resolve (p->shape, &s) || s.m == 0 || s.n == 0)
    return;
  if (p->f32)
    cblas_sgemm (CblasRowMajor, ta, tb, (int) s.m, (int) s.n, (int) s.k, (float) p->alpha,
                 p->a, (int) s.lda, p->b, (int) s.ldb, (float) p->beta, p->c, (int) s.ldc);
  else
    cblas_dgemm (CblasRowMajor, ta, tb, (int) s.m, (int) s.n, (int) s.k, p->alpha,
                 p->a, (int) s.lda, p->b, (int) s.ldb, p->beta, p->c, (int) s.ldc);
}

/* Element @i of a float (@f32) or double array. */
static double
load (const void *p,
      size_t      i,
      gboolean    f32)
{
  return f32 ? (double) ((const float *) p)[i] : ((const double *) p)[i];
}

static void
gemm_naive (const Gemm *p)
{
  ViBlasGemm g;
  gboolean f32 = p->f32;

  if (!resolve (p->shape, &g))
    return;
  for (size_t i = 0; i < g.m; i++)
    for (size_t j = 0; j < g.n; j++)
      {
        size_t ij = i * g.ldc + j;
        double s = 0.0, r;

        for (size_t l = 0; l < g.k; l++)
          s += load (p->a, g.trans_a ? l * g.lda + i : i * g.lda + l, f32)
               * load (p->b, g.trans_b ? j * g.ldb + l : l * g.ldb + j, f32);
        r = p->alpha * s + (p->beta == 0.0 ? 0.0 : p->beta * load (p->c, ij, f32));
        if (f32)
          ((float *) p->c)[ij] = (float) r;
        else
          ((double *) p->c)[ij] = r;
      }
}

/* The four public entry points: double and float over the BLAS and the
 * naive kernel, all of the shape declared in vi-blas.h. */
#define DEFINE_GEMM(name, T, kernel, f32) \
  void name (const ViBlasGemm *shape, T alpha, const T *a, const T *b, T beta, T *c) \
  { kernel (&(Gemm) { shape, alpha, beta, a, b, c, f32 }); }

DEFINE_GEMM (vi_blas_dgemm, double, gemm_blas, FALSE)
DEFINE_GEMM (vi_blas_sgemm, float, gemm_blas, TRUE)
DEFINE_GEMM (vi_blas_dgemm_naive, double, gemm_naive, FALSE)
DEFINE_GEMM (vi_blas_sgemm_naive, float, gemm_naive, TRUE)

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
