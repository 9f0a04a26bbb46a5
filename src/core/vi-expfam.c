/* vi-expfam.c — the exponential-family table (REFERENCES.md §1)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "vi-expfam.h"
#include "vi-status.h"

#define LOG_SQRT_2PI 0.91893853320467274178032973640561764

struct _ViExpfam
{
  const char *name;
  size_t dim;
  const char *param_names[VI_EXPFAM_MAX_DIM + 1];
  const char *stat_names[VI_EXPFAM_MAX_DIM + 1];
  double default_params[VI_EXPFAM_MAX_DIM];
  gboolean discrete;
  double support_lo, support_hi;
  gboolean lo_open;   /* support excludes support_lo (lognormal: log 0) */

  gboolean (*check)     (const ViExpfam *fam, const double *theta, GError **error);
  gboolean (*check_eta) (const ViExpfam *fam, const double *eta, GError **error);
  void     (*natural)   (const double *theta, double *eta);
  void     (*from_nat)  (const double *eta, double *theta);
  double   (*log_part)  (const double *eta);
  void     (*grad)      (const double *eta, double *g);
  void     (*hess)      (const double *eta, double *h);
  void     (*jac)       (const double *theta, double *j);
  void     (*suff)      (double x, double *t);
  double   (*log_h)     (double x);
  double   (*sample)    (const double *theta, gsl_rng *rng);
};

/* ---- parameter checks ------------------------------------------------- */

static gboolean
require (gboolean     ok,
         const char  *family,
         const char  *name,
         const char  *condition,
         double       value,
         GError     **error)
{
  if (ok)
    return TRUE;
  g_set_error (error, VI_ERROR, VI_EDOM, "%s: %s must be %s (got %g)",
               family, name, condition, value);
  return FALSE;
}

static gboolean
check_positive_all (const ViExpfam *fam,
                    const double   *theta,
                    GError        **error)
{
  for (size_t i = 0; i < fam->dim; i++)
    if (!require (isfinite (theta[i]) && theta[i] > 0, fam->name, fam->param_names[i],
                  "a finite number > 0", theta[i], error))
      return FALSE;
  return TRUE;
}

/* GSL's Poisson sampler counts in an unsigned int: above about 2³²·8/7 it
 * loops forever, and draws beyond 2³² − 1 would wrap. Up to the cap a draw
 * exceeds 2³² − 1 only ~1500 standard deviations above the mean. */
static gboolean
check_poisson (const ViExpfam *fam,
               const double   *theta,
               GError        **error)
{
  if (!check_positive_all (fam, theta, error))
    return FALSE;
  if (theta[0] <= VI_EXPFAM_POISSON_RATE_MAX)
    return TRUE;
  g_set_error (error, VI_ERROR, VI_EDOM, "%s: rate must be in (0, %g] (got %.17g): larger rates "
               "are beyond the sampler", fam->name, VI_EXPFAM_POISSON_RATE_MAX, theta[0]);
  return FALSE;
}

static gboolean
check_bernoulli (const ViExpfam *fam,
                 const double   *theta,
                 GError        **error)
{
  return require (theta[0] > 0 && theta[0] < 1, fam->name, "p", "in (0, 1)", theta[0], error);
}

static gboolean
check_location_scale (const ViExpfam *fam,
                      const double   *theta,
                      GError        **error)
{
  return require (isfinite (theta[0]), fam->name, fam->param_names[0], "finite", theta[0], error)
      && require (isfinite (theta[1]) && theta[1] > 0, fam->name, fam->param_names[1],
                  "a finite number > 0", theta[1], error);
}

/* Natural-space checks: name the natural coordinate. */
static gboolean
check_eta_finite (const ViExpfam *fam,
                  const double   *eta,
                  GError        **error)
{
  for (size_t i = 0; i < fam->dim; i++)
    if (!isfinite (eta[i]))
      {
        g_set_error (error, VI_ERROR, VI_EDOM, "%s: eta%zu must be finite (got %g)",
                     fam->name, i + 1, eta[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_eta_negative_last (const ViExpfam *fam,
                         const double   *eta,
                         GError        **error)
{
  size_t k = fam->dim - 1;

  if (!check_eta_finite (fam, eta, error))
    return FALSE;
  if (!(eta[k] < 0))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "%s: eta%zu must be < 0 (got %g)",
                   fam->name, k + 1, eta[k]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_eta_gamma (const ViExpfam *fam,
                 const double   *eta,
                 GError        **error)
{
  if (!check_eta_negative_last (fam, eta, error))
    return FALSE;
  if (!(eta[0] > -1))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "%s: eta1 must be > -1 (got %g)", fam->name, eta[0]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_eta_beta (const ViExpfam *fam,
                const double   *eta,
                GError        **error)
{
  if (!check_eta_finite (fam, eta, error))
    return FALSE;
  for (size_t i = 0; i < 2; i++)
    if (!(eta[i] > -1))
      {
        g_set_error (error, VI_ERROR, VI_EDOM, "%s: eta%zu must be > -1 (got %g)",
                     fam->name, i + 1, eta[i]);
        return FALSE;
      }
  return TRUE;
}

/* ---- poisson ------------------------------------------------------------ */

static void poisson_natural (const double *th, double *eta) { eta[0] = log (th[0]); }
static void poisson_from_nat (const double *eta, double *th) { th[0] = exp (eta[0]); }
static double poisson_log_part (const double *eta) { return exp (eta[0]); }
static void poisson_grad (const double *eta, double *g) { g[0] = exp (eta[0]); }
static void poisson_hess (const double *eta, double *h) { h[0] = exp (eta[0]); }
static void poisson_jac (const double *th, double *j) { j[0] = 1.0 / th[0]; }
static void scalar_suff (double x, double *t) { t[0] = x; }
static double poisson_log_h (double x) { return -lgamma (x + 1.0); }
static double
poisson_sample (const double *th, gsl_rng *rng)
{
  return (double) gsl_ran_poisson (rng, th[0]);
}

/* ---- exponential -------------------------------------------------------- */

static void exponential_natural (const double *th, double *eta) { eta[0] = -th[0]; }
static void exponential_from_nat (const double *eta, double *th) { th[0] = -eta[0]; }
static double exponential_log_part (const double *eta) { return -log (-eta[0]); }
static void exponential_grad (const double *eta, double *g) { g[0] = -1.0 / eta[0]; }
static void exponential_hess (const double *eta, double *h) { h[0] = 1.0 / (eta[0] * eta[0]); }
static void exponential_jac (const double *th, double *j) { j[0] = -1.0; }
static double zero_log_h (double x) { return 0.0; }
static double
exponential_sample (const double *th, gsl_rng *rng)
{
  return gsl_ran_exponential (rng, 1.0 / th[0]);   /* GSL takes the mean */
}

/* ---- bernoulli ---------------------------------------------------------- */

static double
sigmoid (double z)
{
  if (z >= 0)
    return 1.0 / (1.0 + exp (-z));
  return exp (z) / (1.0 + exp (z));
}

static void bernoulli_natural (const double *th, double *eta)
{
  eta[0] = log (th[0]) - log1p (-th[0]);
}
static void bernoulli_from_nat (const double *eta, double *th) { th[0] = sigmoid (eta[0]); }
static double
bernoulli_log_part (const double *eta)
{
  /* softplus, stable for large |η| */
  return eta[0] > 0 ? eta[0] + log1p (exp (-eta[0])) : log1p (exp (eta[0]));
}
static void bernoulli_grad (const double *eta, double *g) { g[0] = sigmoid (eta[0]); }
static void
bernoulli_hess (const double *eta, double *h)
{
  double s = sigmoid (eta[0]);
  h[0] = s * sigmoid (-eta[0]);
}
static void bernoulli_jac (const double *th, double *j) { j[0] = 1.0 / (th[0] * (1.0 - th[0])); }
static double
bernoulli_sample (const double *th, gsl_rng *rng)
{
  return (double) gsl_ran_bernoulli (rng, th[0]);
}

/* ---- gaussian and lognormal share the natural-parameter algebra ---------- */

static void
normal_natural (const double *th, double *eta)
{
  eta[0] = th[0] / th[1];
  eta[1] = -0.5 / th[1];
}
static void
normal_from_nat (const double *eta, double *th)
{
  th[1] = -0.5 / eta[1];
  th[0] = eta[0] * th[1];
}
static double
normal_log_part (const double *eta)
{
  return -eta[0] * eta[0] / (4.0 * eta[1]) - 0.5 * log (-2.0 * eta[1]);
}
static void
normal_grad (const double *eta, double *g)
{
  /* (μ, μ² + σ²) */
  g[0] = -eta[0] / (2.0 * eta[1]);
  g[1] = eta[0] * eta[0] / (4.0 * eta[1] * eta[1]) - 1.0 / (2.0 * eta[1]);
}
static void
normal_hess (const double *eta, double *h)
{
  /* Cov of (x, x²): [[σ², 2μσ²], [2μσ², 4μ²σ² + 2σ⁴]] */
  double e1 = eta[0], e2 = eta[1];
  h[0] = -1.0 / (2.0 * e2);
  h[1] = h[2] = e1 / (2.0 * e2 * e2);
  h[3] = -e1 * e1 / (2.0 * e2 * e2 * e2) + 1.0 / (2.0 * e2 * e2);
}
static void
normal_jac (const double *th, double *j)
{
  double mu = th[0], s = th[1];
  j[0] = 1.0 / s;
  j[1] = -mu / (s * s);
  j[2] = 0.0;
  j[3] = 0.5 / (s * s);
}
static void
gaussian_suff (double x, double *t)
{
  t[0] = x;
  t[1] = x * x;
}
static double gaussian_log_h (double x) { return -LOG_SQRT_2PI; }
static double
gaussian_sample (const double *th, gsl_rng *rng)
{
  return th[0] + gsl_ran_gaussian_ziggurat (rng, sqrt (th[1]));
}
static void
lognormal_suff (double x, double *t)
{
  double lx = log (x);
  t[0] = lx;
  t[1] = lx * lx;
}
static double lognormal_log_h (double x) { return -log (x) - LOG_SQRT_2PI; }
static double
lognormal_sample (const double *th, gsl_rng *rng)
{
  return exp (th[0] + gsl_ran_gaussian_ziggurat (rng, sqrt (th[1])));
}

/* ---- gamma -------------------------------------------------------------- */

static void
gamma_natural (const double *th, double *eta)
{
  eta[0] = th[0] - 1.0;
  eta[1] = -th[1];
}
static void
gamma_from_nat (const double *eta, double *th)
{
  th[0] = eta[0] + 1.0;
  th[1] = -eta[1];
}
static double
gamma_log_part (const double *eta)
{
  return lgamma (eta[0] + 1.0) - (eta[0] + 1.0) * log (-eta[1]);
}
static void
gamma_grad (const double *eta, double *g)
{
  g[0] = gsl_sf_psi (eta[0] + 1.0) - log (-eta[1]);
  g[1] = -(eta[0] + 1.0) / eta[1];
}
static void
gamma_hess (const double *eta, double *h)
{
  h[0] = gsl_sf_psi_1 (eta[0] + 1.0);
  h[1] = h[2] = -1.0 / eta[1];
  h[3] = (eta[0] + 1.0) / (eta[1] * eta[1]);
}
static void
gamma_jac (const double *th, double *j)
{
  j[0] = 1.0;
  j[1] = 0.0;
  j[2] = 0.0;
  j[3] = -1.0;
}
static void
gamma_suff (double x, double *t)
{
  t[0] = log (x);
  t[1] = x;
}
static double
gamma_sample (const double *th, gsl_rng *rng)
{
  return gsl_ran_gamma (rng, th[0], 1.0 / th[1]);   /* GSL takes the scale */
}

/* ---- beta --------------------------------------------------------------- */

static void
beta_natural (const double *th, double *eta)
{
  eta[0] = th[0] - 1.0;
  eta[1] = th[1] - 1.0;
}
static void
beta_from_nat (const double *eta, double *th)
{
  th[0] = eta[0] + 1.0;
  th[1] = eta[1] + 1.0;
}
static double
beta_log_part (const double *eta)
{
  return lgamma (eta[0] + 1.0) + lgamma (eta[1] + 1.0) - lgamma (eta[0] + eta[1] + 2.0);
}
static void
beta_grad (const double *eta, double *g)
{
  double psi_ab = gsl_sf_psi (eta[0] + eta[1] + 2.0);
  g[0] = gsl_sf_psi (eta[0] + 1.0) - psi_ab;
  g[1] = gsl_sf_psi (eta[1] + 1.0) - psi_ab;
}
static void
beta_hess (const double *eta, double *h)
{
  double psi1_ab = gsl_sf_psi_1 (eta[0] + eta[1] + 2.0);
  h[0] = gsl_sf_psi_1 (eta[0] + 1.0) - psi1_ab;
  h[1] = h[2] = -psi1_ab;
  h[3] = gsl_sf_psi_1 (eta[1] + 1.0) - psi1_ab;
}
static void
identity_jac2 (const double *th, double *j)
{
  j[0] = 1.0;
  j[1] = 0.0;
  j[2] = 0.0;
  j[3] = 1.0;
}
static void
beta_suff (double x, double *t)
{
  t[0] = log (x);
  t[1] = log1p (-x);
}
static double
beta_sample (const double *th, gsl_rng *rng)
{
  return gsl_ran_beta (rng, th[0], th[1]);
}

/* ---- the table ---------------------------------------------------------- */

static const ViExpfam families[] = {
  { "poisson", 1, { "rate", NULL }, { "x", NULL }, { 4.0 }, TRUE, 0, INFINITY, FALSE,
    check_poisson, check_eta_finite, poisson_natural, poisson_from_nat, poisson_log_part,
    poisson_grad, poisson_hess, poisson_jac, scalar_suff, poisson_log_h, poisson_sample },
  { "exponential", 1, { "rate", NULL }, { "x", NULL }, { 1.5 }, FALSE, 0, INFINITY, FALSE,
    check_positive_all, check_eta_negative_last, exponential_natural, exponential_from_nat,
    exponential_log_part, exponential_grad, exponential_hess, exponential_jac, scalar_suff,
    zero_log_h, exponential_sample },
  { "bernoulli", 1, { "p", NULL }, { "x", NULL }, { 0.3 }, TRUE, 0, 1, FALSE,
    check_bernoulli, check_eta_finite, bernoulli_natural, bernoulli_from_nat, bernoulli_log_part,
    bernoulli_grad, bernoulli_hess, bernoulli_jac, scalar_suff, zero_log_h, bernoulli_sample },
  { "gaussian", 2, { "mean", "variance", NULL }, { "x", "x²", NULL }, { 1.0, 2.0 }, FALSE,
    -INFINITY, INFINITY, FALSE,
    check_location_scale, check_eta_negative_last, normal_natural, normal_from_nat,
    normal_log_part, normal_grad, normal_hess, normal_jac, gaussian_suff, gaussian_log_h,
    gaussian_sample },
  { "gamma", 2, { "shape", "rate", NULL }, { "log x", "x", NULL }, { 2.5, 1.5 }, FALSE,
    0, INFINITY, FALSE,
    check_positive_all, check_eta_gamma, gamma_natural, gamma_from_nat, gamma_log_part,
    gamma_grad, gamma_hess, gamma_jac, gamma_suff, zero_log_h, gamma_sample },
  { "lognormal", 2, { "mu", "sigma2", NULL }, { "log x", "(log x)²", NULL }, { 0.0, 0.25 },
    FALSE, 0, INFINITY, TRUE,
    check_location_scale, check_eta_negative_last, normal_natural, normal_from_nat,
    normal_log_part, normal_grad, normal_hess, normal_jac, lognormal_suff, lognormal_log_h,
    lognormal_sample },
  { "beta", 2, { "a", "b", NULL }, { "log x", "log(1−x)", NULL }, { 2.0, 5.0 }, FALSE,
    0, 1, FALSE,
    check_positive_all, check_eta_beta, beta_natural, beta_from_nat, beta_log_part,
    beta_grad, beta_hess, identity_jac2, beta_suff, zero_log_h, beta_sample },
};

static const char *const family_names[] = {
  "poisson", "exponential", "bernoulli", "gaussian", "gamma", "lognormal", "beta", NULL
};

G_STATIC_ASSERT (G_N_ELEMENTS (families) + 1 == G_N_ELEMENTS (family_names));

const ViExpfam *
vi_expfam_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    if (strcmp (families[i].name, name) == 0)
      return &families[i];
  return NULL;
}

const ViExpfam *
vi_expfam_lookup_checked (const char  *name,
                          GError     **error)
{
  const ViExpfam *fam = vi_expfam_lookup (name);

  if (fam == NULL)
    {
      g_autofree char *valid = g_strjoinv (", ", (char **) family_names);
      g_set_error (error, VI_ERROR, VI_EINVAL, "unknown family '%s' (valid: %s)",
                   name != NULL ? name : "", valid);
    }
  return fam;
}

const char *const *
vi_expfam_list_names (void)
{
  return family_names;
}

/* The plain fields of a family, and the methods that map one vector to
 * another (the public names are declared and documented in vi-expfam.h). */
#define FAMILY_FIELD(Ret, func, field) \
  Ret func (const ViExpfam *fam) { return fam->field; }
#define FAMILY_MAP(func, method) \
  void func (const ViExpfam *fam, const double *in, double *out) { fam->method (in, out); }

FAMILY_FIELD (const char *, vi_expfam_get_name, name)
FAMILY_FIELD (size_t, vi_expfam_get_dim, dim)
FAMILY_FIELD (const char *const *, vi_expfam_get_param_names, param_names)
FAMILY_FIELD (const char *const *, vi_expfam_get_stat_names, stat_names)
FAMILY_FIELD (gboolean, vi_expfam_is_discrete, discrete)
FAMILY_MAP (vi_expfam_natural, natural)
FAMILY_MAP (vi_expfam_params_from_natural, from_nat)
FAMILY_MAP (vi_expfam_mean_sufficient, grad)
FAMILY_MAP (vi_expfam_fisher_natural, hess)
FAMILY_MAP (vi_expfam_jacobian, jac)

int
vi_expfam_param_index (const ViExpfam *fam,
                       const char     *param_name)
{
  for (size_t i = 0; i < fam->dim; i++)
    if (g_strcmp0 (fam->param_names[i], param_name) == 0)
      return (int) i;
  return -1;
}

void
vi_expfam_get_default_params (const ViExpfam *fam,
                              double         *theta)
{
  memcpy (theta, fam->default_params, fam->dim * sizeof (double));
}

void
vi_expfam_get_support (const ViExpfam *fam,
                       double         *lo,
                       double         *hi)
{
  *lo = fam->support_lo;
  *hi = fam->support_hi;
}

gboolean
vi_expfam_check_params (const ViExpfam *fam,
                        const double   *theta,
                        GError        **error)
{
  return fam->check (fam, theta, error);
}

gboolean
vi_expfam_check_natural (const ViExpfam *fam,
                         const double   *eta,
                         GError        **error)
{
  return fam->check_eta (fam, eta, error);
}

double
vi_expfam_log_partition (const ViExpfam *fam,
                         const double   *eta)
{
  return fam->log_part (eta);
}

void
vi_expfam_fisher_params_from (const ViExpfam *fam,
                              const double   *theta,
                              const double   *fisher_eta,
                              double         *fisher)
{
  double j[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  size_t d = fam->dim;

  fam->jac (theta, j);
  /* I(θ)_ab = Σ_ik J_ia I(η)_ik J_kb */
  for (size_t a = 0; a < d; a++)
    for (size_t b = 0; b < d; b++)
      {
        double s = 0.0;
        for (size_t i = 0; i < d; i++)
          for (size_t k = 0; k < d; k++)
            s += j[i * d + a] * fisher_eta[i * d + k] * j[k * d + b];
        fisher[a * d + b] = s;
      }
}

void
vi_expfam_fisher_params (const ViExpfam *fam,
                         const double   *theta,
                         double         *fisher)
{
  double eta[VI_EXPFAM_MAX_DIM], h[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];

  fam->natural (theta, eta);
  fam->hess (eta, h);
  vi_expfam_fisher_params_from (fam, theta, h, fisher);
}

gboolean
vi_expfam_in_support (const ViExpfam *fam,
                      double          x)
{
  if (isnan (x) || x < fam->support_lo || x > fam->support_hi)
    return FALSE;
  if (fam->discrete && (!isfinite (x) || x != floor (x)))
    return FALSE;
  if (fam->lo_open && x <= fam->support_lo)
    return FALSE;
  return isfinite (x);
}

void
vi_expfam_sufficient (const ViExpfam *fam,
                      double          x,
                      double         *t)
{
  fam->suff (x, t);
}

double
vi_expfam_log_base (const ViExpfam *fam,
                    double          x)
{
  if (isnan (x))
    return NAN;
  if (!vi_expfam_in_support (fam, x))
    return -INFINITY;
  return fam->log_h (x);
}

double
vi_expfam_log_density (const ViExpfam *fam,
                       const double   *eta,
                       double          x)
{
  double t[VI_EXPFAM_MAX_DIM];
  double s;

  if (isnan (x))
    return NAN;
  if (!vi_expfam_in_support (fam, x))
    return -INFINITY;
  fam->suff (x, t);
  s = fam->log_h (x) - fam->log_part (eta);
  /* At the edge of the support a statistic may be ±inf (log 0); a zero
   * natural coordinate then contributes nothing (0·∞ is taken as 0, the
   * limit of the density), e.g. gamma with shape 1 at x = 0. */
  for (size_t i = 0; i < fam->dim; i++)
    if (eta[i] != 0.0)
      s += eta[i] * t[i];
  return s;
}

double
vi_expfam_sample (const ViExpfam *fam,
                  const double   *theta,
                  gsl_rng        *rng)
{
  return fam->sample (theta, rng);
}

void
vi_expfam_sample_n (const ViExpfam *fam,
                    const double   *theta,
                    gsl_rng        *rng,
                    size_t          n,
                    double         *out)
{
  for (size_t i = 0; i < n; i++)
    out[i] = fam->sample (theta, rng);
}

void
vi_expfam_mc_moments (const ViExpfam *fam, const double *theta, gsl_rng *rng, size_t n,
                      double *mean, double *mean_stderr, double *cov, double *cov_stderr)
{
  size_t d = fam->dim;
  double *t = g_new (double, n * d);
  double m[VI_EXPFAM_MAX_DIM] = { 0 };

  g_assert (n >= 2);
  for (size_t s = 0; s < n; s++)
    fam->suff (fam->sample (theta, rng), t + s * d);

  /* Two passes (mean, then centred products) for accuracy. */
  for (size_t s = 0; s < n; s++)
    for (size_t i = 0; i < d; i++)
      m[i] += t[s * d + i];
  for (size_t i = 0; i < d; i++)
    m[i] /= (double) n;

  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++)
      {
        /* Welford over the products p_s = (t_i − m_i)(t_j − m_j): their mean
         * times n/(n−1) is the covariance, their spread gives its stderr. */
        double pm = 0.0, pv = 0.0;
        for (size_t s = 0; s < n; s++)
          {
            double p = (t[s * d + i] - m[i]) * (t[s * d + j] - m[j]);
            double delta = p - pm;
            pm += delta / (double) (s + 1);
            pv += delta * (p - pm);
          }
        cov[i * d + j] = pm * (double) n / (double) (n - 1);
        if (cov_stderr != NULL)
          cov_stderr[i * d + j] = sqrt (pv / (double) (n - 1) / (double) n);
      }

  for (size_t i = 0; i < d; i++)
    {
      mean[i] = m[i];
      if (mean_stderr != NULL)
        mean_stderr[i] = sqrt (cov[i * d + i] / (double) n);
    }
  g_free (t);
}
