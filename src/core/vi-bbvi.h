/* vi-bbvi.h — black-box VI on the Poisson–Gamma model (REFERENCES.md §2):
 * the model, its data, three variational families with exact ELBOs and
 * gradients, and Monte-Carlo estimators of the ELBO gradient
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "vi-counts.h"

G_BEGIN_DECLS

/* ---- Model: λ ~ Gamma(α, β) (rate β), x₁..x_N | λ ~ Poisson(λ) ----
 *
 * Only sufficient statistics are kept, so the model is a plain value record
 * (like gsl_multimin_function), not an opaque object. With A = α + Σx and
 * B = β + N:  log p(x, λ) = K + (A − 1) log λ − B λ, where
 * K = α log β − lgamma(α) − Σ lgamma(xₙ + 1), and the posterior is Gamma(A, B).
 */
typedef struct
{
  double  alpha;       /* prior shape, > 0 */
  double  beta;        /* prior rate, > 0 */
  guint64 n;           /* number of counts, ≥ 1 */
  double  sum_x;       /* Σ xₙ */
  double  sum_lgamma;  /* Σ lgamma(xₙ + 1) */
} ViBbviModel;

/* Fills @model from α, β and @n ≥ 1 counts. Returns FALSE and sets @error
 * naming "alpha"/"beta"/"counts" on invalid values. */
gboolean vi_bbvi_model_init         (ViBbviModel   *model,
                                     double         alpha,
                                     double         beta,
                                     const guint64 *x,
                                     size_t         n,
                                     GError       **error);
/* log p(x, λ) for λ > 0 (−inf at λ = 0 when A > 1). */
double   vi_bbvi_model_log_joint    (const ViBbviModel *model,
                                     double             lambda);
/* log p(x) = K + lgamma(A) − A log B. */
double   vi_bbvi_model_log_evidence (const ViBbviModel *model);
/* Posterior Gamma(shape, rate) = Gamma(α + Σx, β + N). */
void     vi_bbvi_model_posterior    (const ViBbviModel *model,
                                     double            *shape,
                                     double            *rate);

/* The counts readers under their old names, kept for the bbvi job until it
 * calls vi_counts_read() and vi_counts_synthetic() (vi-counts.h) itself. */
guint64 *vi_bbvi_counts_read        (const char  *path,
                                     size_t      *n_out,
                                     GError     **error);
guint64 *vi_bbvi_counts_synthetic   (size_t       n,
                                     double       rate,
                                     guint64      seed,
                                     GError     **error);

/* ---- Variational families ----
 *
 * Parameters are stored on their natural scale in a double[dim]:
 *   exponential  theta            q(λ) = θ e^{−θλ}
 *   gamma        shape, rate      q(λ) = Gamma(a, b)
 *   lognormal    mu, sigma2       log λ ~ N(μ, σ²)
 * Optimisers work on the unconstrained vector u: log θ; (log a, log(a/b)),
 * i.e. log shape and log mean, which are orthogonal parameters of the gamma
 * (diagonal Fisher information), so the long ridge a/b = const of the ELBO
 * in (a, b) becomes an axis; (μ, log σ²).
 */
#define VI_BBVI_MAX_DIM 2

typedef struct _ViBbviFamily ViBbviFamily;

/* (transfer none) NULL for an unknown name. */
const ViBbviFamily *vi_bbvi_family_lookup      (const char *name);
/* NULL-terminated, static. */
const char *const  *vi_bbvi_family_list_names  (void);
const char         *vi_bbvi_family_get_name    (const ViBbviFamily *family);
size_t              vi_bbvi_family_get_dim     (const ViBbviFamily *family);
/* NULL-terminated, static. */
const char *const  *vi_bbvi_family_get_param_names (const ViBbviFamily *family);
/* Whether the reparameterisation estimator exists for this family. */
gboolean            vi_bbvi_family_has_reparam (const ViBbviFamily *family);

/* Checks params are finite and in their domain; the error names the
 * parameter and value ("gamma: shape must be > 0 (got -1)"). */
gboolean vi_bbvi_family_check_params (const ViBbviFamily *family,
                                      const double       *params,
                                      GError            **error);
/* Starting point: q moment-matched to the prior Gamma(α, β) (exponential:
 * same mean; gamma: the prior itself; lognormal: same mean and variance). */
void     vi_bbvi_family_init_params  (const ViBbviFamily *family,
                                      const ViBbviModel  *model,
                                      double             *params);
/* Exact ELBO(params) = E_q[log p(x, λ) − log q(λ)] in closed form. */
double   vi_bbvi_family_elbo         (const ViBbviFamily *family,
                                      const ViBbviModel  *model,
                                      const double       *params);
/* Exact ∂ELBO/∂params (natural scale), @grad of length dim. */
void     vi_bbvi_family_elbo_grad    (const ViBbviFamily *family,
                                      const ViBbviModel  *model,
                                      const double       *params,
                                      double             *grad);
/* The ELBO-optimal params of the family (closed form) into @params; returns
 * the optimal ELBO (log p(x) for gamma). */
double   vi_bbvi_family_optimum      (const ViBbviFamily *family,
                                      const ViBbviModel  *model,
                                      double             *params);
/* KL(q ‖ posterior) = log p(x) − ELBO ≥ 0. */
double   vi_bbvi_family_kl           (const ViBbviFamily *family,
                                      const ViBbviModel  *model,
                                      const double       *params);
double   vi_bbvi_family_log_q        (const ViBbviFamily *family,
                                      const double       *params,
                                      double              lambda);
/* One draw λ ~ q. */
double   vi_bbvi_family_sample       (const ViBbviFamily *family,
                                      const double       *params,
                                      gsl_rng            *rng);
/* Score h = ∇_params log q(λ) into @score (length dim). */
void     vi_bbvi_family_score        (const ViBbviFamily *family,
                                      const double       *params,
                                      double              lambda,
                                      double             *score);
/* u ↔ params (see above). */
void     vi_bbvi_family_to_unconstrained   (const ViBbviFamily *family,
                                            const double       *params,
                                            double             *u);
void     vi_bbvi_family_from_unconstrained (const ViBbviFamily *family,
                                            const double       *u,
                                            double             *params);
/* Chain rule: ∂/∂u = (∂params/∂u)ᵀ ∂/∂params, from @grad (natural scale)
 * into @grad_u; both of length dim. */
void     vi_bbvi_family_grad_unconstrained (const ViBbviFamily *family,
                                            const double       *params,
                                            const double       *grad,
                                            double             *grad_u);

/* ---- Estimators of ∇ELBO from S samples ----
 *
 *  naive    (1/S) Σ f(λₛ), f = h (log p − log q), h = ∇ log q.
 *  cv       (1/S) Σ [f(λₛ) − â₋ₛ h(λₛ)] per component, with the leave-one-out
 *           â₋ₛ = Σ_{t≠s} f_t h_t / Σ_{t≠s} h_t²: the optimal
 *           Cov(f, h)/Var(h) = E[fh]/E[h²] because E[h] = 0 is known. â₋ₛ
 *           does not depend on λₛ, so each term is unbiased. Needs S ≥ 2.
 *  cv-suff  per component, least-squares fit of f on g = (h, h log λ, h λ),
 *           whose expectations ∂E[1], ∂E[log λ], ∂E[λ] are known in closed
 *           form: (1/S) Σ [f − c₋ₛᵀ (gₛ − E[g])] with leave-one-out
 *           coefficients c₋ₛ (unbiased for every family). Needs S ≥ 3; at
 *           S = 3 leave-one-out is underdetermined and the same-sample fit is
 *           used. Because log p − log q is linear in (1, log λ, λ) for the
 *           exponential and gamma families, the fit is exact, unbiased at
 *           every S ≥ 3, and the variance is rounding.
 *  reparam  λ = ε/θ (exponential), λ = e^{μ + σε} (lognormal), λ = z/b with
 *           z ~ Gamma(a, 1) and the implicit derivative dz/da (gamma;
 *           Figurnov et al. 2018); the total derivative of log p − log q
 *           through λ.
 *  cv-same-sample  the cv estimator with â fitted on the same samples: biased
 *           (kept to measure that bias; not offered by the CLI).
 */
typedef enum
{
  VI_BBVI_NAIVE = 0,
  VI_BBVI_CV,
  VI_BBVI_CV_SUFF,
  VI_BBVI_REPARAM,
  VI_BBVI_CV_SAME_SAMPLE,
  VI_BBVI_N_ESTIMATORS
} ViBbviEstimator;

/* The four estimators offered to users come first. */
#define VI_BBVI_N_PUBLIC_ESTIMATORS 4

/* Returns FALSE for an unknown name (cv-same-sample is accepted). */
gboolean    vi_bbvi_estimator_from_name  (const char      *name,
                                          ViBbviEstimator *out);
const char *vi_bbvi_estimator_get_name   (ViBbviEstimator  estimator);
/* Smallest S for which the estimator is defined (1, 2, 3, 1, 2). */
size_t      vi_bbvi_estimator_min_samples (ViBbviEstimator estimator);

typedef struct _ViBbviWorkspace ViBbviWorkspace;

/* (transfer full) Scratch space for up to @max_samples samples. NULL if
 * allocation fails. */
ViBbviWorkspace *vi_bbvi_workspace_create (size_t           max_samples);
void             vi_bbvi_workspace_free   (ViBbviWorkspace *ws);

/* One S-sample estimate of ∂ELBO/∂params (natural scale) into @grad (dim),
 * and the plain Monte-Carlo ELBO estimate (1/S) Σ (log p − log q) into
 * *@elbo_estimate (may be NULL). Draws only from @rng.
 * Returns VI_OK; VI_EINVAL if S is below the estimator's minimum, above the
 * workspace size, or the family has no reparameterisation; VI_ENONFINITE if
 * a NaN/inf appeared (e.g. params so extreme that q underflows). */
int vi_bbvi_estimate (double             *grad,
                      double             *elbo_estimate,
                      ViBbviWorkspace    *ws,
                      const ViBbviModel  *model,
                      const ViBbviFamily *family,
                      const double       *params,
                      ViBbviEstimator     estimator,
                      size_t              samples,
                      gsl_rng            *rng);

/* The same, and an estimate of the variance of @grad from its own S
 * per-sample terms (the terms whose mean is the estimate: f(λₛ) for naive,
 * the terms after the control variate for cv, cv-suff and cv-same-sample,
 * the chain-rule gradients for reparam): Σ_d s²_d / S, the trace of the
 * covariance of @grad, with s²_d the sample variance (S − 1 denominator) of
 * component d's terms; NaN for S = 1. Into *@grad_var (may be NULL). For
 * naive and reparam it is unbiased for Var(one-sample term)/S; for the
 * leave-one-out estimators it ignores the terms' weak correlation. */
int vi_bbvi_estimate_var (double             *grad,
                          double             *elbo_estimate,
                          double             *grad_var,
                          ViBbviWorkspace    *ws,
                          const ViBbviModel  *model,
                          const ViBbviFamily *family,
                          const double       *params,
                          ViBbviEstimator     estimator,
                          size_t              samples,
                          gsl_rng            *rng);

/* Implicit reparameterisation derivative of z ~ Gamma(@shape, 1) at fixed
 * CDF value: dz/da = −∂_a F(z; a)/p(z; a), with ∂_a F by adaptive quadrature
 * (relative accuracy ~1e-12). Returns VI_OK, VI_EDOM for z ≤ 0, or the
 * status of a quadrature failure. */
int vi_bbvi_gamma_dz_dshape (double          *dz_da,
                             ViBbviWorkspace *ws,
                             double           shape,
                             double           z);

G_END_DECLS
