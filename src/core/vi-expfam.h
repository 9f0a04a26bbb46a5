/* vi-expfam.h — exponential families p(x | η) = h(x) exp(ηᵀ t(x) − a(η))
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A table-driven API over seven families (REFERENCES.md §1). Every family has
 * dimension d = 1 or 2: d own parameters θ (in the order of param_names),
 * d natural parameters η and d sufficient statistics t(x). Vectors are
 * `double[d]`, matrices row-major `double[d*d]`.
 *
 *   family       θ (names)          η                        t(x)
 *   poisson      rate               log λ                    x
 *   exponential  rate               −λ                       x
 *   bernoulli    p                  log(p/(1−p))             x
 *   gaussian     mean, variance     (μ/σ², −1/(2σ²))         (x, x²)
 *   gamma        shape, rate        (α−1, −β)                (log x, x)
 *   lognormal    mu, sigma2         (μ/σ², −1/(2σ²))         (log x, (log x)²)
 *   beta         a, b               (a−1, b−1)               (log x, log(1−x))
 */
#pragma once

#include <stddef.h>
#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

#define VI_EXPFAM_MAX_DIM 2

/* Largest Poisson rate vi_expfam_check_params() accepts: the sampler's
 * (GSL's) draws must fit 32 bits. */
#define VI_EXPFAM_POISSON_RATE_MAX 4e9

typedef struct _ViExpfam ViExpfam;

/* (transfer none) The family called @name, or NULL. */
const ViExpfam     *vi_expfam_lookup           (const char *name);
/* (transfer none) NULL-terminated list of all family names, in table order. */
const char *const  *vi_expfam_list_names       (void);
/* Same as vi_expfam_lookup() but sets an error listing the valid names. */
const ViExpfam     *vi_expfam_lookup_checked   (const char  *name,
                                                GError     **error);

const char         *vi_expfam_get_name         (const ViExpfam *fam);
size_t              vi_expfam_get_dim          (const ViExpfam *fam);
/* (transfer none) NULL-terminated parameter names in order. */
const char *const  *vi_expfam_get_param_names  (const ViExpfam *fam);
/* (transfer none) human-readable names of t(x)'s components, e.g. "log x". */
const char *const  *vi_expfam_get_stat_names   (const ViExpfam *fam);
/* Index of @param_name in the parameter order, or -1. */
int                 vi_expfam_param_index      (const ViExpfam *fam,
                                                const char     *param_name);
/* A sensible default θ for demos (double[d]). */
void                vi_expfam_get_default_params (const ViExpfam *fam,
                                                  double         *theta);
gboolean            vi_expfam_is_discrete      (const ViExpfam *fam);
/* Support as an interval [lo, hi] (discrete families: integers in it). */
void                vi_expfam_get_support      (const ViExpfam *fam,
                                                double         *lo,
                                                double         *hi);

/* TRUE if θ is in the parameter domain; otherwise sets a VI_ERROR/VI_EDOM
 * error such as "gamma: shape must be > 0 (got -1)". */
gboolean vi_expfam_check_params     (const ViExpfam *fam,
                                     const double   *theta,
                                     GError        **error);
/* TRUE if η is in the natural parameter space; else error as above. */
gboolean vi_expfam_check_natural    (const ViExpfam *fam,
                                     const double   *eta,
                                     GError        **error);

/* θ → η. θ must be valid (check first). */
void     vi_expfam_natural          (const ViExpfam *fam,
                                     const double   *theta,
                                     double         *eta);
/* η → θ. η must be valid. */
void     vi_expfam_params_from_natural (const ViExpfam *fam,
                                        const double   *eta,
                                        double         *theta);
/* a(η). */
double   vi_expfam_log_partition    (const ViExpfam *fam,
                                     const double   *eta);
/* ∇a(η) = E[t(x)] (double[d]). */
void     vi_expfam_mean_sufficient  (const ViExpfam *fam,
                                     const double   *eta,
                                     double         *grad);
/* ∇²a(η) = Cov[t(x)] = I(η), Fisher information in η (double[d*d]). */
void     vi_expfam_fisher_natural   (const ViExpfam *fam,
                                     const double   *eta,
                                     double         *hess);
/* J = ∂η/∂θ at θ (double[d*d], J[i*d+j] = ∂η_i/∂θ_j). */
void     vi_expfam_jacobian         (const ViExpfam *fam,
                                     const double   *theta,
                                     double         *jac);
/* I(θ) = Jᵀ I(η) J (double[d*d]). */
void     vi_expfam_fisher_params    (const ViExpfam *fam,
                                     const double   *theta,
                                     double         *fisher);
/* Jᵀ @fisher_eta J (double[d*d]) for a given I(η) (double[d*d]), e.g. a
 * Monte-Carlo estimate: the change of variables of vi_expfam_fisher_params(). */
void     vi_expfam_fisher_params_from (const ViExpfam *fam,
                                       const double   *theta,
                                       const double   *fisher_eta,
                                       double         *fisher);
/* t(x) (double[d]); components may be ±inf at the edge of the support. */
void     vi_expfam_sufficient       (const ViExpfam *fam,
                                     double          x,
                                     double         *t);
/* TRUE if x is in the support (for the discrete families: an integer in it). */
gboolean vi_expfam_in_support       (const ViExpfam *fam,
                                     double          x);
/* log h(x); −inf outside the support. */
double   vi_expfam_log_base         (const ViExpfam *fam,
                                     double          x);
/* log p(x | η); −inf outside the support, NaN only for x = NaN. */
double   vi_expfam_log_density      (const ViExpfam *fam,
                                     const double   *eta,
                                     double          x);
/* One draw from p(· | θ). */
double   vi_expfam_sample           (const ViExpfam *fam,
                                     const double   *theta,
                                     gsl_rng        *rng);
/* @n draws into @out (double[n]). */
void     vi_expfam_sample_n         (const ViExpfam *fam,
                                     const double   *theta,
                                     gsl_rng        *rng,
                                     size_t          n,
                                     double         *out);

/* Monte-Carlo moments of t over @n draws (n ≥ 2): mean (double[d]), its
 * standard error (double[d]), sample covariance with divisor n − 1
 * (double[d*d]) and the standard error of each covariance entry (double[d*d],
 * may be NULL). Draws from @rng; allocates n·d doubles of scratch. */
void     vi_expfam_mc_moments       (const ViExpfam *fam,
                                     const double   *theta,
                                     gsl_rng        *rng,
                                     size_t          n,
                                     double         *mean,
                                     double         *mean_stderr,
                                     double         *cov,
                                     double         *cov_stderr);

G_END_DECLS
