/* vi-bbvi-variance.h — measured against exact variance of the BBVI gradient
 * estimators for every variational family (REFERENCES.md §2)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-bbvi.h"

G_BEGIN_DECLS

/* Coordinates: every figure is per coordinate of the gradient in the
 * family's natural parameters (vi_bbvi_family_get_param_names: theta;
 * shape, rate; mu, sigma2), which is what vi_bbvi_estimate() returns and
 * what each estimator's control-variate coefficients are fitted in. The
 * optimiser steps in u (vi-bbvi.h) with ∂/∂u = Jᵀ ∂/∂params, a fixed
 * linear map at a given point, so it adds no noise of its own.
 *
 * Exact one-sample moments at params, by 1-D GSL integration over λ ~ q
 * (QAGIU in u = θλ for the exponential, QAGI in the standardised log λ for
 * gamma and lognormal; the S-sample variance is variance1/S):
 *   naive           Var f_d,  f = h (log p − log q), h = ∇ log q
 *   cv              Var(f_d − a*_d h_d), a*_d = E[f_d h_d]/E[h_d²] per
 *                   coordinate, as the estimator fits â: the optimal-â
 *                   variance, which the leave-one-out estimator approaches as S
 *                   grows
 *   cv-suff         Var(f_d − c*ᵀg), c* = E[ggᵀ]⁻¹E[g f_d],
 *                   g = (h_d, h_d log λ, h_d λ): zero up to integration error
 *                   for the exponential and gamma families (log p − log q is
 *                   linear in (1, log λ, λ)), not for the lognormal; the
 *                   leave-one-out estimator approaches it as S grows
 *   reparam         Var of the reparameterised gradient as a function of λ
 *   cv-same-sample  as cv.
 * mean1 holds the integrated one-sample means (each should equal the
 * gradient). The scalar fields are coordinate 0 (the exponential's θ). */
typedef struct
{
  const ViBbviFamily *family;                     /* static */
  size_t dim;
  double params[VI_BBVI_MAX_DIM];                 /* natural scale */
  double gradients[VI_BBVI_MAX_DIM];              /* exact ∂ELBO/∂params */
  double coord_mean1[VI_BBVI_N_ESTIMATORS][VI_BBVI_MAX_DIM];
  double coord_variance1[VI_BBVI_N_ESTIMATORS][VI_BBVI_MAX_DIM];
  double theta;                                   /* params[0] */
  double gradient;                                /* gradients[0] */
  double mean1[VI_BBVI_N_ESTIMATORS];             /* coordinate 0 */
  double variance1[VI_BBVI_N_ESTIMATORS];         /* coordinate 0 */
} ViBbviExact;

/* Any family at @params (natural scale). Returns VI_OK, VI_EDOM for params
 * outside the family's domain (θ ≤ 0 or non-finite, …), VI_ENOMEM, or the
 * ViStatus of a GSL integration failure. */
int vi_bbvi_variance_exact_at (ViBbviExact        *out,
                               const ViBbviModel  *model,
                               const ViBbviFamily *family,
                               const double       *params);

/* The exponential family at θ. */
static inline int
vi_bbvi_variance_exact (ViBbviExact       *out,
                        const ViBbviModel *model,
                        double             theta)
{
  return vi_bbvi_variance_exact_at (out, model, vi_bbvi_family_lookup ("exponential"), &theta);
}

/* One coordinate's figures over the R repeats. */
typedef struct
{
  double mean;             /* mean of the R estimates */
  double variance;         /* their sample variance (R − 1 denominator) */
  double mean_stderr;      /* sqrt(variance / R) */
  /* Standard error of variance from the fourth central moment m₄:
   * sqrt((m₄ − variance² (R − 3)/(R − 1)) / R), valid whatever the
   * distribution of the estimates (not only Gaussian ones). */
  double variance_stderr;
  double bias;             /* mean − exact gradient */
  double variance_exact;   /* variance1 / S */
} ViBbviCoordStat;

typedef struct
{
  gboolean defined;        /* FALSE: not requested or S below the minimum */
  /* coordinate 0, as coord[0] (kept for the exponential family's users) */
  double   mean;
  double   variance;
  double   mean_stderr;
  double   bias;
  double   variance_exact;
  ViBbviCoordStat coord[VI_BBVI_MAX_DIM];
} ViBbviVarianceStat;

typedef struct
{
  double theta;            /* params[0] */
  size_t samples;
  size_t repeats;
  double exact_gradient;   /* exact_gradients[0] */
  size_t dim;
  double params[VI_BBVI_MAX_DIM];
  double exact_gradients[VI_BBVI_MAX_DIM];
  ViBbviVarianceStat est[VI_BBVI_N_ESTIMATORS];
} ViBbviVariancePoint;

/* R = @repeats S-sample estimates of ∇ELBO at @exact's family and params
 * for each of
 * the @n_estimators listed estimators. Repeat r of estimator e draws from
 * stream r of the seed vi_rng_stream_seed (@seed, 1 + e), so results do not
 * depend on @n_threads (0: one per processor, at most 8). Repeats are the
 * tasks of a vi-parallel.h pool joined before returning.
 * Returns VI_OK, VI_EINVAL (S = 0, repeats < 2, reparam for a family
 * without it), VI_ENOMEM, VI_ECANCELLED when *@cancel (may be NULL) became
 * non-zero, or VI_ENONFINITE. */
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
