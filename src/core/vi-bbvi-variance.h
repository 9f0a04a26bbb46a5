/* vi-bbvi-variance.h — measured against exact variance of the BBVI gradient
 * estimators for the Exponential(θ) family (REFERENCES.md §2)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-bbvi.h"

G_BEGIN_DECLS

/* Exact one-sample moments at θ, by GSL QAGIU integration over λ ~ q(·|θ)
 * (the S-sample variance is variance1/S):
 *   naive           Var f
 *   cv              Var(f − a* h), a* = E[fh]/E[h²]: the optimal-â variance,
 *                   which the leave-one-out estimator approaches as S grows
 *   cv-suff         Var(f − c*ᵀg), c* = E[ggᵀ]⁻¹E[gf], g = (h, h log λ, h λ):
 *                   zero up to integration error for this model
 *   reparam         Var((Bλ − A)/θ)
 *   cv-same-sample  as cv.
 * mean1 holds the integrated one-sample means (each should equal gradient). */
typedef struct
{
  double theta;
  double gradient;                                /* exact dELBO/dθ */
  double mean1[VI_BBVI_N_ESTIMATORS];
  double variance1[VI_BBVI_N_ESTIMATORS];
} ViBbviExact;

/* Returns VI_OK, VI_EDOM for θ ≤ 0 or non-finite, VI_ENOMEM, or the
 * ViStatus of a GSL integration failure. */
int vi_bbvi_variance_exact (ViBbviExact       *out,
                            const ViBbviModel *model,
                            double             theta);

typedef struct
{
  gboolean defined;        /* FALSE: not requested or S below the minimum */
  double   mean;           /* mean of the R estimates */
  double   variance;       /* their sample variance (R − 1 denominator) */
  double   mean_stderr;    /* sqrt(variance / R) */
  double   bias;           /* mean − exact gradient */
  double   variance_exact; /* variance1 / S */
} ViBbviVarianceStat;

typedef struct
{
  double theta;
  size_t samples;
  size_t repeats;
  double exact_gradient;
  ViBbviVarianceStat est[VI_BBVI_N_ESTIMATORS];
} ViBbviVariancePoint;

/* R = @repeats S-sample estimates of dELBO/dθ at @exact->theta for each of
 * the @n_estimators listed estimators (Exponential family). Repeat r of
 * estimator e draws from stream r of the seed vi_rng_stream_seed (@seed,
 * 1 + e), so results do not depend on @n_threads (0: one per processor, at
 * most 8). Repeats are the tasks of a vi-parallel.h pool joined before returning.
 * Returns VI_OK, VI_EINVAL (S = 0, repeats < 2), VI_ENOMEM, VI_ECANCELLED
 * when *@cancel (may be NULL) became non-zero, or VI_ENONFINITE. */
int vi_bbvi_variance_measure (ViBbviVariancePoint   *out,
                              const ViBbviModel     *model,
                              const ViBbviExact     *exact,
                              size_t                 samples,
                              size_t                 repeats,
                              const ViBbviEstimator *estimators,
                              size_t                 n_estimators,
                              guint64                seed,
                              guint                  n_threads,
                              const gint            *cancel);

G_END_DECLS
