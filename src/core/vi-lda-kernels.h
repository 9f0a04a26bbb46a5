/* vi-lda-kernels.h — the inner loops of LDA's variational inference: a fast
 * digamma, exp(E log θ) and the per-document E-step (REFERENCES.md §3)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Topic vectors are stored with a padded stride @kp (K rounded up to a
 * multiple of 8, VI_LDA_PAD), the padding lanes kept at zero, so the AVX2
 * versions run over whole vectors (4 doubles or 8 floats). Each kernel has a scalar reference
 * (`_ref`), used on CPUs without AVX2 + FMA and by the tests; the dispatch
 * is made once, at the first call.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

#define VI_LDA_PAD 8

static inline size_t
vi_lda_padded (size_t k)
{
  return (k + VI_LDA_PAD - 1) / VI_LDA_PAD * VI_LDA_PAD;
}

/* ψ(x) for x > 0 to about 1e-14 relative (recurrence to x + 6, then the
 * asymptotic series to the x⁻¹⁴ term). */
double vi_lda_digamma          (double x);

/* @out[i] = ψ(@x[i]) − @shift for i < @n (x > 0). */
void   vi_lda_digamma_n        (double       *out,
                                const double *x,
                                size_t        n,
                                double        shift);
void   vi_lda_digamma_n_ref    (double       *out,
                                const double *x,
                                size_t        n,
                                double        shift);

/* @out[i] = exp(ψ(@x[i]) − ψ(Σ_{j<k} x[j])) for i < @k; out[k … kp) = 0. */
void   vi_lda_exp_elog         (double       *out,
                                const double *x,
                                size_t        k,
                                size_t        kp);

/* Row w of the @rows × @kp matrices: @out = exp(ψ(@lam) − @shift), lane by
 * lane (@shift has kp lanes: ψ of each topic's total); padding lanes (k …
 * kp) of @out are zero. Returns FALSE if @lam holds a value ≤ 0 or not finite
 * in a topic lane. */
gboolean vi_lda_exp_elog_rows  (double       *out,
                                const double *lam,
                                size_t        rows,
                                size_t        k,
                                size_t        kp,
                                const double *shift);

/* What one document's E-step needs and gives. @eb is a W × kp matrix,
 * row w = exp(E log β_·w) (or β̄_·w when scoring saved topics). */
typedef struct
{
  const double   *eb;
  size_t          k, kp;
  double          alpha;
  double          tol;        /* stop when mean |Δγ| < tol */
  unsigned        max_iter;
} ViLdaEstep;

/* Fits one document (@n unique @words with @counts): @gamma (kp, in: the
 * start, out: the fit) and @etheta (kp, out: exp(E log θ)); @scratch holds
 * kp + n doubles. When @sstats is not NULL, row i (kp values) gets
 * etheta · counts[i] / phinorm_i — the document's sufficient statistics
 * before the factor exp(E log β_kw) the caller applies. *@log_lik (may be
 * NULL) gets Σ_i counts[i] · log phinorm_i, phinorm_i = Σ_k etheta_k eb_kw.
 * Returns the number of rounds made. */
unsigned vi_lda_estep_doc      (const ViLdaEstep *e,
                                const uint32_t   *words,
                                const uint32_t   *counts,
                                uint32_t          n,
                                double           *gamma,
                                double           *etheta,
                                double           *sstats,
                                double           *log_lik,
                                double           *scratch);
unsigned vi_lda_estep_doc_ref  (const ViLdaEstep *e,
                                const uint32_t   *words,
                                const uint32_t   *counts,
                                uint32_t          n,
                                double           *gamma,
                                double           *etheta,
                                double           *sstats,
                                double           *log_lik,
                                double           *scratch);

/* The training E-step: the same fit with exp(E log β) (@eb, W × kp) and
 * the statistics rows (@sstats, n × kp, may be NULL) in float32, which
 * halves the memory the rounds stream through and doubles the vector
 * width; γ, exp(E log θ) and the log-likelihood stay double. @scratch holds
 * 2·kp + n floats. */
typedef struct
{
  const float    *eb;
  size_t          k, kp;
  double          alpha;
  double          tol;
  unsigned        max_iter;
} ViLdaEstepF32;

unsigned vi_lda_estep_doc_f32     (const ViLdaEstepF32 *e,
                                   const uint32_t      *words,
                                   const uint32_t      *counts,
                                   uint32_t             n,
                                   double              *gamma,
                                   double              *etheta,
                                   float               *sstats,
                                   double              *log_lik,
                                   float               *scratch);
unsigned vi_lda_estep_doc_f32_ref (const ViLdaEstepF32 *e,
                                   const uint32_t      *words,
                                   const uint32_t      *counts,
                                   uint32_t             n,
                                   double              *gamma,
                                   double              *etheta,
                                   float               *sstats,
                                   double              *log_lik,
                                   float               *scratch);

/* Whether the AVX2 + FMA kernels are in use. */
gboolean vi_lda_kernels_have_avx2 (void);

G_END_DECLS
