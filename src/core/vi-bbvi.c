/* vi-bbvi.c — Poisson–Gamma model and variational families with exact ELBOs
 * for black-box VI (REFERENCES.md §2; Ranganath, Gerrish & Blei 2014); the
 * gradient estimators are in vi-bbvi-estimate.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "vi-bbvi.h"
#include "vi-bbvi-private.h"
#include "vi-rng.h"
#include "vi-status.h"

/* ---- Model ---- */

gboolean
vi_bbvi_model_init (ViBbviModel   *model,
                    double         alpha,
                    double         beta,
                    const guint64 *x,
                    size_t         n,
                    GError       **error)
{
  double sum_x = 0.0, sum_lg = 0.0;

  if (!(isfinite (alpha) && alpha > 0.0))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "alpha: must be > 0 (got %g)", alpha);
      return FALSE;
    }
  if (!(isfinite (beta) && beta > 0.0))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "beta: must be > 0 (got %g)", beta);
      return FALSE;
    }
  if (n == 0 || x == NULL)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "counts: need at least one count (got 0)");
      return FALSE;
    }
  for (size_t i = 0; i < n; i++)
    {
      if (x[i] > VI_COUNTS_MAX)
        {
          g_set_error (error, VI_ERROR, VI_EDOM,
                       "counts: count %zu too large (got %" G_GUINT64_FORMAT ")", i, x[i]);
          return FALSE;
        }
      sum_x += (double) x[i];
      sum_lg += lgamma ((double) x[i] + 1.0);
    }
  model->alpha = alpha;
  model->beta = beta;
  model->n = n;
  model->sum_x = sum_x;
  model->sum_lgamma = sum_lg;
  return TRUE;
}

double
vi_bbvi_model_log_joint (const ViBbviModel *model,
                         double             lambda)
{
  return model_K (model) + (model_A (model) - 1.0) * log (lambda) - model_B (model) * lambda;
}

double
vi_bbvi_model_log_evidence (const ViBbviModel *model)
{
  double A = model_A (model), B = model_B (model);

  return model_K (model) + lgamma (A) - A * log (B);
}

void
vi_bbvi_model_posterior (const ViBbviModel *model,
                         double            *shape,
                         double            *rate)
{
  *shape = model_A (model);
  *rate = model_B (model);
}

/* ---- Data (vi-counts.c) ---- */

guint64 *
vi_bbvi_counts_read (const char  *path,
                     size_t      *n_out,
                     GError     **error)
{
  return vi_counts_read (path, n_out, error);
}

guint64 *
vi_bbvi_counts_synthetic (size_t   n,
                          double   rate,
                          guint64  seed,
                          GError **error)
{
  return vi_counts_synthetic (n, rate, seed, error);
}

/* ---- Families ----
 *
 * Closed forms (A = α + Σx, B = β + N, K as in the header):
 *  exponential: E log λ = ψ(1) − log θ, E λ = 1/θ, H = 1 − log θ.
 *  gamma:       E log λ = ψ(a) − log b, E λ = a/b,
 *               H = a − log b + lgamma(a) + (1 − a)ψ(a).
 *  lognormal:   E log λ = μ, E λ = e^{μ + σ²/2}, H = μ + ½ log(2πe σ²).
 * ELBO = K + (A − 1) E log λ − B E λ + H. The expectations of the score times
 * (log λ, λ) used by cv-suff are the derivatives of E log λ and E λ. The
 * table's type, struct _ViBbviFamily, is in vi-bbvi-private.h.
 */

static gboolean
check_positive (const char  *family,
                const char  *name,
                double       x,
                GError     **error)
{
  if (!(isfinite (x) && x > 0.0))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "%s: %s must be > 0 (got %g)", family, name, x);
      return FALSE;
    }
  return TRUE;
}

/* Exponential(θ) */

static gboolean
exp_check (const double *p, GError **error)
{
  return check_positive ("exponential", "theta", p[0], error);
}

static void
exp_init (const ViBbviModel *m, double *p)
{
  p[0] = m->beta / m->alpha;
}

static double
exp_elbo (const ViBbviModel *m, const double *p)
{
  double lt = log (p[0]);

  return model_K (m) + (model_A (m) - 1.0) * (-M_EULER - lt) - model_B (m) / p[0] + 1.0 - lt;
}

static void
exp_grad (const ViBbviModel *m, const double *p, double *g)
{
  double t = p[0];

  g[0] = (model_B (m) - t * model_A (m)) / (t * t);
}

static double
exp_optimum (const ViBbviModel *m, double *p)
{
  p[0] = model_B (m) / model_A (m);
  return exp_elbo (m, p);
}

static double
exp_log_q (const double *p, double lambda)
{
  return log (p[0]) - p[0] * lambda;
}

static double
exp_sample (const double *p, gsl_rng *rng)
{
  return -log (gsl_rng_uniform_pos (rng)) / p[0];
}

static void
exp_score (const double *p, double lambda, double *h)
{
  h[0] = 1.0 / p[0] - lambda;
}

static void
exp_suff_mean (const double *p, double *out)
{
  out[0] = -1.0 / p[0];
  out[1] = -1.0 / (p[0] * p[0]);
}

static void
exp_to_u (const double *p, double *u)
{
  u[0] = log (p[0]);
}

static void
exp_from_u (const double *u, double *p)
{
  p[0] = exp (u[0]);
}

static void
exp_grad_u (const double *p, const double *g, double *gu)
{
  gu[0] = p[0] * g[0];
}

/* λ = ε/θ: d/dθ [log p(x, λ) − log q(λ | θ)] with log q = log θ − ε, so
 * ((A − 1)/λ − B)(−λ/θ) − 1/θ = (Bλ − A)/θ. */
static int
exp_reparam_at (const ViBbviModel *m, const double *p, double lambda, ViBbviWorkspace *ws,
                double *g)
{
  g[0] = (model_B (m) * lambda - model_A (m)) / p[0];
  return VI_OK;
}

static double
exp_reparam (const ViBbviModel *m, const double *p, gsl_rng *rng, ViBbviWorkspace *ws, double *g)
{
  double lambda = exp_sample (p, rng);

  exp_reparam_at (m, p, lambda, ws, g);
  return lambda;
}

/* Gamma(a, b) */

static gboolean
gamma_check (const double *p, GError **error)
{
  return check_positive ("gamma", "shape", p[0], error)
         && check_positive ("gamma", "rate", p[1], error);
}

static void
gamma_init (const ViBbviModel *m, double *p)
{
  p[0] = m->alpha;
  p[1] = m->beta;
}

static double
gamma_elbo (const ViBbviModel *m, const double *p)
{
  double a = p[0], b = p[1], psi = gsl_sf_psi (a), lb = log (b);

  return model_K (m) + (model_A (m) - 1.0) * (psi - lb) - model_B (m) * a / b
         + a - lb + lgamma (a) + (1.0 - a) * psi;
}

static void
gamma_grad (const ViBbviModel *m, const double *p, double *g)
{
  double a = p[0], b = p[1];

  g[0] = (model_A (m) - a) * gsl_sf_psi_1 (a) - model_B (m) / b + 1.0;
  g[1] = (model_B (m) * a - model_A (m) * b) / (b * b);
}

static double
gamma_optimum (const ViBbviModel *m, double *p)
{
  p[0] = model_A (m);
  p[1] = model_B (m);
  return vi_bbvi_model_log_evidence (m);
}

static double
gamma_log_q (const double *p, double lambda)
{
  return p[0] * log (p[1]) - lgamma (p[0]) + (p[0] - 1.0) * log (lambda) - p[1] * lambda;
}

static double
gamma_sample (const double *p, gsl_rng *rng)
{
  return gsl_ran_gamma (rng, p[0], 1.0 / p[1]);
}

static void
gamma_score (const double *p, double lambda, double *h)
{
  h[0] = log (p[1]) - gsl_sf_psi (p[0]) + log (lambda);
  h[1] = p[0] / p[1] - lambda;
}

static void
gamma_suff_mean (const double *p, double *out)
{
  double a = p[0], b = p[1];

  out[0] = gsl_sf_psi_1 (a);
  out[1] = 1.0 / b;
  out[2] = -1.0 / b;
  out[3] = -a / (b * b);
}

/* u = (log a, log(a/b)): a = e^{u₀}, b = e^{u₀ − u₁}. */
static void
gamma_to_u (const double *p, double *u)
{
  u[0] = log (p[0]);
  u[1] = log (p[0]) - log (p[1]);
}

static void
gamma_from_u (const double *u, double *p)
{
  p[0] = exp (u[0]);
  p[1] = exp (u[0] - u[1]);
}

static void
gamma_grad_u (const double *p, const double *g, double *gu)
{
  gu[0] = p[0] * g[0] + p[1] * g[1];
  gu[1] = -p[1] * g[1];
}

/* Implicit reparameterisation (Figurnov, Mohamed & Mnih 2018): z ~ Gamma(a, 1)
 * with u = F(z; a) held fixed has dz/da = −∂_a F(z; a) / p(z; a).
 *
 * Lower side (log z ≤ ψ(a + 1), about z ≤ a + ½): differentiate the series
 * P(a, z) = Σ_n T_n, T_n = e^{−z} z^{a+n}/Γ(a + n + 1), term by term:
 * ∂_a P = Σ_n T_n (log z − ψ(a + n + 1)). Every factor is negative there, so
 * the sum has no cancellation; T_{n+1} = T_n z/(a + n + 1) and
 * ψ(x + 1) = ψ(x) + 1/x make each term cheap.
 * Upper side: ∂_a F = −∫_z^∞ p(t; a)(log t − ψ(a)) dt by QAGIU, an integral
 * over the tail only, hence small and free of cancellation too. */
typedef struct
{
  double a, lg_a, psi_a;
} GammaDeriv;

static double
gamma_deriv_integrand (double  t,
                       void   *data)
{
  const GammaDeriv *d = data;
  double lt;

  if (t <= 0.0)
    return 0.0;
  lt = log (t);
  return exp ((d->a - 1.0) * lt - t - d->lg_a) * (lt - d->psi_a);
}

static int
gamma_dz_da (double                     a,
             double                     z,
             gsl_integration_workspace *iws,
             double                    *out)
{
  double lz, dF, log_density;

  if (!(z > 0.0 && isfinite (z)) || !(a > 0.0 && isfinite (a)))
    return VI_EDOM;
  lz = log (z);
  log_density = (a - 1.0) * lz - z - lgamma (a);
  if (lz <= gsl_sf_psi (a + 1.0))
    {
      /* T_0 = e^{−z} z^a / Γ(a + 1); work relative to T_0 to avoid underflow. */
      double term = 1.0, psi = gsl_sf_psi (a + 1.0), sum = 0.0;

      for (int n = 0; n < 100000; n++)
        {
          double x = a + (double) n + 1.0;
          double contrib = term * (lz - psi);

          sum += contrib;
          if (fabs (contrib) <= 1e-17 * fabs (sum) && z < x)
            break;
          term *= z / x;
          psi += 1.0 / x;
        }
      /* ∂_a F / p(z) = Σ (T_n/T_0)(…) · T_0/p(z), and T_0/p(z) = z/a. */
      *out = -sum * z / a;
      return isfinite (*out) ? VI_OK : VI_ENONFINITE;
    }
  else
    {
      GammaDeriv d = { a, lgamma (a), gsl_sf_psi (a) };
      gsl_function F = { gamma_deriv_integrand, &d };
      double integral, err;
      int status = gsl_integration_qagiu (&F, z, 0.0, 1e-12, 1000, iws, &integral, &err);

      if (status == GSL_EROUND)
        status = GSL_SUCCESS;  /* rounding-level accuracy already */
      if (status != GSL_SUCCESS)
        return vi_status_from_gsl (status);
      dF = -integral;
      *out = -dF / exp (log_density);
      return isfinite (*out) ? VI_OK : VI_ENONFINITE;
    }
}

int
vi_bbvi_gamma_dz_dshape (double          *dz_da,
                         ViBbviWorkspace *ws,
                         double           shape,
                         double           z)
{
  return gamma_dz_da (shape, z, ws->iws, dz_da);
}

/* λ = z/b with z ~ Gamma(a, 1): dλ/da = (dz/da)/b, dλ/db = −λ/b, and the
 * gradient is the total derivative of log p(x, λ) − log q(λ | a, b):
 * (∂_λ log p − ∂_λ log q) dλ/dφ − ∂_φ log q. */
static int
gamma_reparam_z (const ViBbviModel *m, const double *p, double z, double lambda,
                 ViBbviWorkspace *ws, double *g)
{
  double a = p[0], b = p[1], dz_da, dw;
  int status = vi_bbvi_gamma_dz_dshape (&dz_da, ws, a, z);

  if (status != VI_OK)
    return status;
  dw = (model_A (m) - a) / lambda - model_B (m) + b;
  g[0] = dw * dz_da / b - (log (b) - gsl_sf_psi (a) + log (lambda));
  g[1] = -dw * lambda / b - (a / b - lambda);
  return VI_OK;
}

static double
gamma_reparam (const ViBbviModel *m, const double *p, gsl_rng *rng, ViBbviWorkspace *ws,
               double *g)
{
  double z = gsl_ran_gamma (rng, p[0], 1.0), lambda = z / p[1];

  return gamma_reparam_z (m, p, z, lambda, ws, g) == VI_OK ? lambda : NAN;
}

static int
gamma_reparam_at (const ViBbviModel *m, const double *p, double lambda, ViBbviWorkspace *ws,
                  double *g)
{
  return gamma_reparam_z (m, p, p[1] * lambda, lambda, ws, g);
}

/* LogNormal(μ, σ²) */

static gboolean
lognormal_check (const double *p, GError **error)
{
  if (!isfinite (p[0]))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "lognormal: mu must be finite (got %g)", p[0]);
      return FALSE;
    }
  return check_positive ("lognormal", "sigma2", p[1], error);
}

static void
lognormal_init (const ViBbviModel *m, double *p)
{
  /* Same mean α/β and variance α/β² as the prior. */
  p[1] = log1p (1.0 / m->alpha);
  p[0] = log (m->alpha / m->beta) - 0.5 * p[1];
}

static double
lognormal_elbo (const ViBbviModel *m, const double *p)
{
  double mu = p[0], s = p[1];

  return model_K (m) + model_A (m) * mu - model_B (m) * exp (mu + 0.5 * s)
         + 0.5 * log (2.0 * M_PI * M_E * s);
}

static void
lognormal_grad (const ViBbviModel *m, const double *p, double *g)
{
  double e = model_B (m) * exp (p[0] + 0.5 * p[1]);

  g[0] = model_A (m) - e;
  g[1] = -0.5 * e + 0.5 / p[1];
}

static double
lognormal_optimum (const ViBbviModel *m, double *p)
{
  double A = model_A (m);

  p[1] = 1.0 / A;
  p[0] = log (A / model_B (m)) - 0.5 / A;
  return lognormal_elbo (m, p);
}

static double
lognormal_log_q (const double *p, double lambda)
{
  double l = log (lambda), z = l - p[0];

  return -l - 0.5 * log (2.0 * M_PI * p[1]) - z * z / (2.0 * p[1]);
}

static double
lognormal_sample (const double *p, gsl_rng *rng)
{
  return exp (p[0] + sqrt (p[1]) * gsl_ran_gaussian_ziggurat (rng, 1.0));
}

static void
lognormal_score (const double *p, double lambda, double *h)
{
  double z = log (lambda) - p[0], s = p[1];

  h[0] = z / s;
  h[1] = -0.5 / s + z * z / (2.0 * s * s);
}

static void
lognormal_suff_mean (const double *p, double *out)
{
  double e = exp (p[0] + 0.5 * p[1]);

  out[0] = 1.0;
  out[1] = e;
  out[2] = 0.0;
  out[3] = 0.5 * e;
}

static void
lognormal_to_u (const double *p, double *u)
{
  u[0] = p[0];
  u[1] = log (p[1]);
}

static void
lognormal_from_u (const double *u, double *p)
{
  p[0] = u[0];
  p[1] = exp (u[1]);
}

static void
lognormal_grad_u (const double *p, const double *g, double *gu)
{
  gu[0] = g[0];
  gu[1] = p[1] * g[1];
}

/* λ = e^{μ + σε}: with log q(λ) = −log λ − ½ log(2πσ²) − ε²/2 and
 * d log p/d log λ = A − 1 − Bλ, the chain rule gives
 * g_μ = A − Bλ and g_{σ²} = (A − Bλ) ε/(2σ) + 1/(2σ²). */
static void
lognormal_reparam_eps (const ViBbviModel *m, const double *p, double eps, double lambda,
                       double *g)
{
  double r = model_A (m) - model_B (m) * lambda;

  g[0] = r;
  g[1] = r * eps / (2.0 * sqrt (p[1])) + 0.5 / p[1];
}

static double
lognormal_reparam (const ViBbviModel *m, const double *p, gsl_rng *rng, ViBbviWorkspace *ws,
                   double *g)
{
  double eps = gsl_ran_gaussian_ziggurat (rng, 1.0);
  double lambda = exp (p[0] + sqrt (p[1]) * eps);

  lognormal_reparam_eps (m, p, eps, lambda, g);
  return lambda;
}

static int
lognormal_reparam_at (const ViBbviModel *m, const double *p, double lambda, ViBbviWorkspace *ws,
                      double *g)
{
  lognormal_reparam_eps (m, p, (log (lambda) - p[0]) / sqrt (p[1]), lambda, g);
  return VI_OK;
}

static const ViBbviFamily families[] = {
  { "exponential", 1, { "theta", NULL }, TRUE,
    exp_check, exp_init, exp_elbo, exp_grad, exp_optimum, exp_log_q, exp_sample, exp_score,
    exp_suff_mean, exp_to_u, exp_from_u, exp_grad_u, exp_reparam, exp_reparam_at },
  { "gamma", 2, { "shape", "rate", NULL }, TRUE,
    gamma_check, gamma_init, gamma_elbo, gamma_grad, gamma_optimum, gamma_log_q, gamma_sample,
    gamma_score, gamma_suff_mean, gamma_to_u, gamma_from_u, gamma_grad_u, gamma_reparam,
    gamma_reparam_at },
  { "lognormal", 2, { "mu", "sigma2", NULL }, TRUE,
    lognormal_check, lognormal_init, lognormal_elbo, lognormal_grad, lognormal_optimum,
    lognormal_log_q, lognormal_sample, lognormal_score, lognormal_suff_mean, lognormal_to_u,
    lognormal_from_u, lognormal_grad_u, lognormal_reparam, lognormal_reparam_at },
};

static const char *const family_names[] = { "exponential", "gamma", "lognormal", NULL };

const ViBbviFamily *
vi_bbvi_family_lookup (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (families); i++)
    if (strcmp (families[i].name, name) == 0)
      return &families[i];
  return NULL;
}

const char *const *
vi_bbvi_family_list_names (void)
{
  return family_names;
}

/* The plain fields of a family, and its maps between parameterisations
 * (the public names are declared and documented in vi-bbvi.h). */
#define FAMILY_FIELD(Ret, func, field) \
  Ret func (const ViBbviFamily *family) { return family->field; }
#define FAMILY_MAP(func, method) \
  void func (const ViBbviFamily *family, const double *in, double *out) \
  { family->method (in, out); }

FAMILY_FIELD (const char *, vi_bbvi_family_get_name, name)
FAMILY_FIELD (size_t, vi_bbvi_family_get_dim, dim)
FAMILY_FIELD (const char *const *, vi_bbvi_family_get_param_names, param_names)
FAMILY_FIELD (gboolean, vi_bbvi_family_has_reparam, has_reparam)
FAMILY_MAP (vi_bbvi_family_to_unconstrained, to_u)
FAMILY_MAP (vi_bbvi_family_from_unconstrained, from_u)

gboolean
vi_bbvi_family_check_params (const ViBbviFamily *family,
                             const double       *params,
                             GError            **error)
{
  return family->check (params, error);
}

void
vi_bbvi_family_init_params (const ViBbviFamily *family,
                            const ViBbviModel  *model,
                            double             *params)
{
  family->init (model, params);
}

double
vi_bbvi_family_elbo (const ViBbviFamily *family,
                     const ViBbviModel  *model,
                     const double       *params)
{
  return family->elbo (model, params);
}

void
vi_bbvi_family_elbo_grad (const ViBbviFamily *family,
                          const ViBbviModel  *model,
                          const double       *params,
                          double             *grad)
{
  family->grad (model, params, grad);
}

double
vi_bbvi_family_optimum (const ViBbviFamily *family,
                        const ViBbviModel  *model,
                        double             *params)
{
  return family->optimum (model, params);
}

double
vi_bbvi_family_kl (const ViBbviFamily *family,
                   const ViBbviModel  *model,
                   const double       *params)
{
  return vi_bbvi_model_log_evidence (model) - family->elbo (model, params);
}

double
vi_bbvi_family_log_q (const ViBbviFamily *family,
                      const double       *params,
                      double              lambda)
{
  return family->log_q (params, lambda);
}

double
vi_bbvi_family_sample (const ViBbviFamily *family,
                       const double       *params,
                       gsl_rng            *rng)
{
  return family->sample (params, rng);
}

void
vi_bbvi_family_score (const ViBbviFamily *family,
                      const double       *params,
                      double              lambda,
                      double             *score)
{
  family->score (params, lambda, score);
}

void
vi_bbvi_family_grad_unconstrained (const ViBbviFamily *family,
                                   const double       *params,
                                   const double       *grad,
                                   double             *grad_u)
{
  family->grad_u (params, grad, grad_u);
}

/* ---- Estimators ---- */
