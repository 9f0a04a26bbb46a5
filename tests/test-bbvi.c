/* test-bbvi.c — black-box VI on the Poisson–Gamma model: closed forms
 * against quadrature and finite differences, estimators against their exact
 * means and variances, optimisers to the optimum, and clean errors
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "vi-bbvi.h"
#include "vi-bbvi-job.h"
#include "vi-bbvi-variance.h"
#include "vi-core-autocleanups.h"
#include "vi-optim.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-test-util.h"

/* α = 2, β = 1, 50 counts at rate 4 from stream 0 of seed 1: the issue's
 * reference problem. */
static void
reference_model (ViBbviModel *m)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *x = vi_bbvi_counts_synthetic (50, 4.0, 1, &error);

  g_assert_no_error (error);
  g_assert_true (vi_bbvi_model_init (m, 2.0, 1.0, x, 50, &error));
  g_assert_no_error (error);
}

static double
theta_star (const ViBbviModel *m)
{
  return (m->beta + (double) m->n) / (m->alpha + m->sum_x);
}

/* ---- quadrature helpers ---- */

typedef struct
{
  const ViBbviModel *m;
  const ViBbviFamily *fam;
  const double *params;
  int what;  /* 0: q (log p − log q); 1: exp(log p(x, λ) − shift); 2: q h_d t(λ);
              * 3: q t(λ) */
  int d, stat;
  double shift;
} Quad;

static double
quad_integrand (double  lambda,
                void   *data)
{
  const Quad *p = data;
  double lq, h[VI_BBVI_MAX_DIM], t;

  if (lambda <= 0.0)
    return 0.0;
  if (p->what == 1)
    return exp (vi_bbvi_model_log_joint (p->m, lambda) - p->shift);
  lq = vi_bbvi_family_log_q (p->fam, p->params, lambda);
  if (!isfinite (lq) || lq < -700.0)
    return 0.0;
  if (p->what == 0)
    return exp (lq) * (vi_bbvi_model_log_joint (p->m, lambda) - lq);
  t = p->stat == 0 ? 1.0 : p->stat == 1 ? log (lambda) : lambda;
  if (p->what == 3)
    return exp (lq) * t;
  vi_bbvi_family_score (p->fam, p->params, lambda, h);
  return exp (lq) * h[p->d] * t;
}

static double
integrate (Quad *p)
{
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc (2000);
  gsl_function F = { quad_integrand, p };
  double result = NAN, err;
  int status;

  status = gsl_integration_qagiu (&F, 0.0, 1e-13, 1e-12, 2000, ws, &result, &err);
  g_assert_true (status == GSL_SUCCESS || status == GSL_EROUND);
  gsl_integration_workspace_free (ws);
  return result;
}

/* ---- data ---- */

static char *
write_temp (const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("bbvi-counts-XXXXXX.txt", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

/* ---- closed forms ---- */

static void
test_model_evidence (void)
{
  ViBbviModel m;
  Quad q = { 0 };
  double shape, rate, lz, mode;

  reference_model (&m);
  vi_bbvi_model_posterior (&m, &shape, &rate);
  vi_assert_close (shape, 2.0 + m.sum_x, 0, 0);
  vi_assert_close (rate, 51.0, 0, 0);
  /* log p(x) = log ∫ p(x, λ) dλ, shifted by the log joint at the mode. */
  mode = (shape - 1.0) / rate;
  q.m = &m;
  q.what = 1;
  q.shift = vi_bbvi_model_log_joint (&m, mode);
  lz = log (integrate (&q)) + q.shift;
  vi_assert_close (vi_bbvi_model_log_evidence (&m), lz, 0, 1e-10);
}

static const double exp_points[][2] = { { 0.05, 0 }, { 0.25, 0 }, { 1.3, 0 } };
static const double gamma_points[][2] = { { 2.0, 1.0 }, { 150.0, 40.0 }, { 0.7, 0.3 } };
static const double lognormal_points[][2] = { { 1.2, 0.3 }, { 1.4, 0.005 }, { -0.5, 2.0 } };

static const double (*
points_for (const char *family))[2]
{
  return strcmp (family, "exponential") == 0 ? exp_points
         : strcmp (family, "gamma") == 0 ? gamma_points : lognormal_points;
}

static void
test_elbo_quadrature (gconstpointer data)
{
  const char *name = data;
  const ViBbviFamily *fam = vi_bbvi_family_lookup (name);
  const double (*pts)[2] = points_for (name);
  ViBbviModel m;

  reference_model (&m);
  for (int i = 0; i < 3; i++)
    {
      Quad q = { &m, fam, pts[i], 0, 0, 0, 0 };
      double elbo = vi_bbvi_family_elbo (fam, &m, pts[i]);
      double quad = integrate (&q);

      vi_assert_close (elbo, quad, 1e-9, 1e-9);
      /* KL = log p(x) − ELBO ≥ 0 */
      g_assert_cmpfloat (vi_bbvi_family_kl (fam, &m, pts[i]), >=, 0.0);
    }
}

static void
test_gamma_kl_closed_form (void)
{
  const ViBbviFamily *fam = vi_bbvi_family_lookup ("gamma");
  ViBbviModel m;
  double A, B;

  reference_model (&m);
  vi_bbvi_model_posterior (&m, &A, &B);
  for (int i = 0; i < 3; i++)
    {
      double a = gamma_points[i][0], b = gamma_points[i][1];
      /* KL(Gamma(a, b) ‖ Gamma(A, B)), an independent closed form. */
      double kl = (a - A) * gsl_sf_psi (a) - lgamma (a) + lgamma (A) + A * (log (b) - log (B))
                  + a * (B - b) / b;

      vi_assert_close (vi_bbvi_family_kl (fam, &m, gamma_points[i]), kl, 1e-9, 1e-10);
    }
}

static void
test_optimum (gconstpointer data)
{
  const char *name = data;
  const ViBbviFamily *fam = vi_bbvi_family_lookup (name);
  ViBbviModel m;
  double p[VI_BBVI_MAX_DIM], g[VI_BBVI_MAX_DIM], elbo_opt;
  size_t dim = vi_bbvi_family_get_dim (fam);

  reference_model (&m);
  elbo_opt = vi_bbvi_family_optimum (fam, &m, p);
  vi_assert_close (elbo_opt, vi_bbvi_family_elbo (fam, &m, p), 0, 1e-14);
  vi_bbvi_family_elbo_grad (fam, &m, p, g);
  for (size_t d = 0; d < dim; d++)
    vi_assert_close (g[d], 0.0, 1e-9, 0);
  if (strcmp (name, "gamma") == 0)
    vi_assert_close (elbo_opt, vi_bbvi_model_log_evidence (&m), 1e-10, 0);
  if (strcmp (name, "exponential") == 0)
    vi_assert_close (p[0], theta_star (&m), 0, 1e-15);
  /* Nudging any parameter lowers the ELBO. */
  for (size_t d = 0; d < dim; d++)
    for (int sgn = -1; sgn <= 1; sgn += 2)
      {
        double q[VI_BBVI_MAX_DIM];

        memcpy (q, p, sizeof q);
        q[d] *= 1.0 + sgn * 1e-3;
        g_assert_cmpfloat (vi_bbvi_family_elbo (fam, &m, q), <, elbo_opt);
      }
}

/* Central finite differences of the exact ELBO at seeded random points. */
static void
test_elbo_grad_fd (gconstpointer data)
{
  const char *name = data;
  const ViBbviFamily *fam = vi_bbvi_family_lookup (name);
  size_t dim = vi_bbvi_family_get_dim (fam);
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 0);
  ViBbviModel m;

  reference_model (&m);
  for (int i = 0; i < 20; i++)
    {
      double p[VI_BBVI_MAX_DIM], u[VI_BBVI_MAX_DIM], g[VI_BBVI_MAX_DIM];

      vi_bbvi_family_optimum (fam, &m, p);
      vi_bbvi_family_to_unconstrained (fam, p, u);
      for (size_t d = 0; d < dim; d++)
        u[d] += gsl_ran_flat (rng, -1.0, 1.0);
      vi_bbvi_family_from_unconstrained (fam, u, p);
      vi_bbvi_family_elbo_grad (fam, &m, p, g);
      for (size_t d = 0; d < dim; d++)
        {
          double hstep = 1e-5 * fmax (fabs (p[d]), 1e-3), pp[VI_BBVI_MAX_DIM],
                 pm[VI_BBVI_MAX_DIM], fd;

          memcpy (pp, p, sizeof pp);
          memcpy (pm, p, sizeof pm);
          pp[d] += hstep;
          pm[d] -= hstep;
          fd = (vi_bbvi_family_elbo (fam, &m, pp) - vi_bbvi_family_elbo (fam, &m, pm))
               / (2.0 * hstep);
          /* Rounding of the ELBO values (~10 eps |ELBO| / h) is the floor. */
          vi_assert_close (g[d], fd, 1e-15 * fabs (vi_bbvi_family_elbo (fam, &m, p)) / hstep,
                           1e-6);
        }
    }
}

/* E[h] = 0, and E[h log λ], E[h λ] (the cv-suff expectations) equal the
 * derivatives of E log λ and E λ: both sides by quadrature, the derivative by
 * central differences. */
static void
test_score_expectations (gconstpointer data)
{
  const char *name = data;
  const ViBbviFamily *fam = vi_bbvi_family_lookup (name);
  const double (*pts)[2] = points_for (name);
  size_t dim = vi_bbvi_family_get_dim (fam);
  ViBbviModel m;

  reference_model (&m);
  for (int i = 0; i < 3; i++)
    for (size_t d = 0; d < dim; d++)
      for (int st = 0; st < 3; st++)
        {
          double pp[VI_BBVI_MAX_DIM], pm[VI_BBVI_MAX_DIM], hstep, want;
          Quad q = { &m, fam, pts[i], 2, (int) d, st, 0 };
          Quad qp = { &m, fam, pp, 3, 0, st, 0 }, qm = { &m, fam, pm, 3, 0, st, 0 };

          hstep = 1e-4 * fmax (fabs (pts[i][d]), 1e-2);
          memcpy (pp, pts[i], sizeof pp);
          memcpy (pm, pts[i], sizeof pm);
          pp[d] += hstep;
          pm[d] -= hstep;
          want = st == 0 ? 0.0 : (integrate (&qp) - integrate (&qm)) / (2.0 * hstep);
          vi_assert_close (integrate (&q), want, 1e-7, 1e-6);
        }
}

/* ---- estimators ---- */

/* The reparameterisation gradient at a fixed ε equals the finite-difference
 * derivative of log p(x, λ(ε, φ)) − log q(λ(ε, φ) | φ). */
/* z with F(z; a) = F(z0; a0), by Newton's method on whichever of P, Q is the
 * smaller (GSL's incomplete gamma functions are accurate to ~1e-15). */
static double
gamma_invert (double a,
              double a0,
              double z0)
{
  gboolean upper = z0 > a0;
  double target = upper ? gsl_sf_gamma_inc_Q (a0, z0) : gsl_sf_gamma_inc_P (a0, z0);
  double z = z0;

  for (int it = 0; it < 100; it++)
    {
      double f = (upper ? gsl_sf_gamma_inc_Q (a, z) : gsl_sf_gamma_inc_P (a, z)) - target;
      double dens = exp ((a - 1.0) * log (z) - z - lgamma (a));
      double dz = (upper ? -f : f) / dens;

      z -= dz;
      if (fabs (dz) <= 1e-15 * z)
        break;
    }
  return z;
}

/* For gamma, eps is z0 ~ Gamma(a0, 1) drawn at the unperturbed shape a0. */
static double gamma_a0;

static double
reparam_objective (const ViBbviModel  *m,
                   const ViBbviFamily *fam,
                   const double       *p,
                   double              eps)
{
  const char *name = vi_bbvi_family_get_name (fam);
  double lambda = strcmp (name, "exponential") == 0 ? eps / p[0]
                  : strcmp (name, "gamma") == 0 ? gamma_invert (p[0], gamma_a0, eps) / p[1]
                  : exp (p[0] + sqrt (p[1]) * eps);

  return vi_bbvi_model_log_joint (m, lambda) - vi_bbvi_family_log_q (fam, p, lambda);
}

static void
test_reparam_fd (gconstpointer data)
{
  const char *name = data;
  const ViBbviFamily *fam = vi_bbvi_family_lookup (name);
  const double (*pts)[2] = points_for (name);
  size_t dim = vi_bbvi_family_get_dim (fam);
  g_autoptr(gsl_rng) rng = vi_rng_create (7, 3);
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (1);
  ViBbviModel m;

  reference_model (&m);
  for (int k = 0; k < 30; k++)
    {
      const double *p = pts[k % 3];
      g_autoptr(gsl_rng) copy = gsl_rng_clone (rng);
      double eps, g[VI_BBVI_MAX_DIM];

      /* The same draw the estimator makes (see vi-bbvi.c). */
      if (strcmp (name, "exponential") == 0)
        eps = -log (gsl_rng_uniform_pos (copy));
      else if (strcmp (name, "gamma") == 0)
        {
          eps = gsl_ran_gamma (copy, p[0], 1.0);
          gamma_a0 = p[0];
        }
      else
        eps = gsl_ran_gaussian_ziggurat (copy, 1.0);
      g_assert_cmpint (vi_bbvi_estimate (g, NULL, ws, &m, fam, p, VI_BBVI_REPARAM, 1, rng), ==,
                       VI_OK);
      for (size_t d = 0; d < dim; d++)
        {
          double pp[VI_BBVI_MAX_DIM], pm[VI_BBVI_MAX_DIM], hstep, fd;

          hstep = 1e-6 * fmax (fabs (p[d]), 1e-2);
          memcpy (pp, p, sizeof pp);
          memcpy (pm, p, sizeof pm);
          pp[d] += hstep;
          pm[d] -= hstep;
          fd = (reparam_objective (&m, fam, pp, eps) - reparam_objective (&m, fam, pm, eps))
               / (2.0 * hstep);
          vi_assert_close (g[d], fd, 1e-6 * (1.0 + fabs (reparam_objective (&m, fam, p, eps))),
                           1e-6);
        }
    }
  vi_bbvi_workspace_free (ws);
}

/* dz/da of z ~ Gamma(a, 1) at fixed CDF value against a central difference
 * of GSL's regularised incomplete gamma function in a. */
static void
test_gamma_dz_dshape (void)
{
  static const double shapes[] = { 0.3, 0.7, 2.0, 15.0, 195.0 };
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 9);
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (1);

  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    for (int k = 0; k < 40; k++)
      {
        double a = shapes[i], z = gsl_ran_gamma (rng, a, 1.0), h = 1e-5 * a, dz, fd, dens;

        g_assert_cmpint (vi_bbvi_gamma_dz_dshape (&dz, ws, a, z), ==, VI_OK);
        dens = exp ((a - 1.0) * log (z) - z - lgamma (a));
        /* ∂_a P = −∂_a Q; difference the smaller one. */
        if (z > a)
          fd = -(gsl_sf_gamma_inc_Q (a + h, z) - gsl_sf_gamma_inc_Q (a - h, z)) / (2.0 * h);
        else
          fd = (gsl_sf_gamma_inc_P (a + h, z) - gsl_sf_gamma_inc_P (a - h, z)) / (2.0 * h);
        vi_assert_close (dz, -fd / dens, 1e-9, 1e-6);
      }
  vi_bbvi_workspace_free (ws);
}

/* The two-parameter families' estimators are unbiased too (all of naive, cv,
 * cv-suff and reparam) within 5 standard errors per component. */
static void
test_unbiased_2d (void)
{
  static const char *const names[] = { "gamma", "lognormal" };
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (10);
  ViBbviModel m;

  reference_model (&m);
  for (int f = 0; f < 2; f++)
    {
      const ViBbviFamily *fam = vi_bbvi_family_lookup (names[f]);
      const double (*pts)[2] = points_for (names[f]);

      for (int i = 0; i < 2; i++)
        for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
          {
            g_autoptr(gsl_rng) rng = vi_rng_create (31, 1 + (guint64) e);
            double want[2], sum[2] = { 0, 0 }, sum2[2] = { 0, 0 };
            const int R = 4000;

            vi_bbvi_family_elbo_grad (fam, &m, pts[i], want);
            for (int r = 0; r < R; r++)
              {
                double g[2];

                g_assert_cmpint (vi_bbvi_estimate (g, NULL, ws, &m, fam, pts[i], e, 10, rng), ==,
                                 VI_OK);
                for (int d = 0; d < 2; d++)
                  {
                    sum[d] += g[d];
                    sum2[d] += g[d] * g[d];
                  }
              }
            for (int d = 0; d < 2; d++)
              {
                double mean = sum[d] / R, var = fmax (sum2[d] / R - mean * mean, 0.0);
                double se = sqrt (var / R);

                g_test_message ("%s %s [%d]: mean %g exact %g se %g", names[f],
                                vi_bbvi_estimator_get_name (e), d, mean, want[d], se);
                vi_assert_close (mean, want[d], 5.0 * se + 1e-9 * (1.0 + fabs (want[d])), 0);
              }
          }
    }
  vi_bbvi_workspace_free (ws);
}

/* With the exponential and gamma families, cv-suff reproduces f exactly, so
 * every estimate — even at S = 3 — is the exact gradient up to rounding. This
 * also checks the closed-form E[h log λ], E[h λ] the estimator uses. */
static void
test_cv_suff_exact (gconstpointer data)
{
  const char *name = data;
  const ViBbviFamily *fam = vi_bbvi_family_lookup (name);
  const double (*pts)[2] = points_for (name);
  size_t dim = vi_bbvi_family_get_dim (fam);
  g_autoptr(gsl_rng) rng = vi_rng_create (11, 1);
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (100);
  ViBbviModel m;

  reference_model (&m);
  for (int i = 0; i < 3; i++)
    for (size_t S = 3; S <= 100; S *= 3)
      {
        double g[VI_BBVI_MAX_DIM], want[VI_BBVI_MAX_DIM], scale = 0.0;

        vi_bbvi_family_elbo_grad (fam, &m, pts[i], want);
        g_assert_cmpint (vi_bbvi_estimate (g, NULL, ws, &m, fam, pts[i], VI_BBVI_CV_SUFF, S, rng),
                         ==, VI_OK);
        for (size_t d = 0; d < dim; d++)
          scale = fmax (scale, fabs (want[d]) + m.sum_x / pts[i][d]);
        for (size_t d = 0; d < dim; d++)
          vi_assert_close (g[d], want[d], 1e-9 * scale, 0);
      }
  vi_bbvi_workspace_free (ws);
}

/* Exact means and variances by QAGIU against independent closed forms. */
static void
test_exact_moments (void)
{
  ViBbviModel m;
  double ts;

  reference_model (&m);
  ts = theta_star (&m);
  for (int i = 0; i < 3; i++)
    {
      double theta = ts * (i == 0 ? 0.5 : i == 1 ? 1.0 : 2.0);
      double B = m.beta + (double) m.n;
      ViBbviExact ex;

      g_assert_cmpint (vi_bbvi_variance_exact (&ex, &m, theta), ==, VI_OK);
      for (int e = 0; e < VI_BBVI_N_ESTIMATORS; e++)
        vi_assert_close (ex.mean1[e], ex.gradient, 1e-7 * (1.0 + fabs (ex.gradient)), 0);
      /* Var((Bλ − A)/θ) = B² Var λ / θ² = B²/θ⁴. */
      vi_assert_close (ex.variance1[VI_BBVI_REPARAM], B * B / pow (theta, 4), 0, 1e-9);
      g_assert_cmpfloat (ex.variance1[VI_BBVI_CV], <, ex.variance1[VI_BBVI_NAIVE]);
      g_assert_cmpfloat (ex.variance1[VI_BBVI_CV_SUFF], <=, 1e-12 * ex.variance1[VI_BBVI_NAIVE]);
    }
}

static const ViBbviEstimator all_estimators[] = {
  VI_BBVI_NAIVE, VI_BBVI_CV, VI_BBVI_CV_SUFF, VI_BBVI_REPARAM, VI_BBVI_CV_SAME_SAMPLE,
};

/* Each estimator's mean within 5 standard errors of the exact gradient at
 * three θ (cv-suff, whose standard error is rounding, within 1e-9 relative). */
static void
test_unbiased (void)
{
  ViBbviModel m;
  double ts;

  reference_model (&m);
  ts = theta_star (&m);
  for (int i = 0; i < 3; i++)
    {
      double theta = ts * (i == 0 ? 0.5 : i == 1 ? 1.0 : 2.0);
      ViBbviExact ex;
      ViBbviVariancePoint pt;

      g_assert_cmpint (vi_bbvi_variance_exact (&ex, &m, theta), ==, VI_OK);
      g_assert_cmpint (vi_bbvi_variance_measure (&pt, &m, &ex, 10, 20000, all_estimators, 4,
                                                 20240601, 0, NULL), ==, VI_OK);
      for (int e = 0; e < 4; e++)
        {
          g_test_message ("theta %g %s: mean %g exact %g se %g", theta,
                          vi_bbvi_estimator_get_name (e), pt.est[e].mean, ex.gradient,
                          pt.est[e].mean_stderr);
          g_assert_true (pt.est[e].defined);
          if (e == VI_BBVI_CV_SUFF)
            vi_assert_close (pt.est[e].mean, ex.gradient, 1e-9 * (1.0 + m.sum_x / theta), 0);
          else
            vi_assert_close (pt.est[e].mean, ex.gradient, 5.0 * pt.est[e].mean_stderr, 0);
        }
    }
}

/* Measured variances at θ*, S = 100 against the exact ones; same-sample â is
 * measurably biased. */
static void
test_variance (void)
{
  ViBbviModel m;
  ViBbviExact ex;
  ViBbviVariancePoint pt;
  const ViBbviVarianceStat *st = pt.est;

  reference_model (&m);
  g_assert_cmpint (vi_bbvi_variance_exact (&ex, &m, theta_star (&m)), ==, VI_OK);
  g_assert_cmpint (vi_bbvi_variance_measure (&pt, &m, &ex, 100, 10000, all_estimators,
                                             G_N_ELEMENTS (all_estimators), 1, 0, NULL), ==, VI_OK);
  for (int e = 0; e < VI_BBVI_N_ESTIMATORS; e++)
    g_test_message ("%s: mean %g bias %g (se %g) variance %g exact %g ratio %g",
                    vi_bbvi_estimator_get_name (e), st[e].mean, st[e].bias, st[e].mean_stderr,
                    st[e].variance, st[e].variance_exact, st[e].variance / st[e].variance_exact);
  vi_assert_close (st[VI_BBVI_NAIVE].variance, st[VI_BBVI_NAIVE].variance_exact, 0, 0.10);
  vi_assert_close (st[VI_BBVI_REPARAM].variance, st[VI_BBVI_REPARAM].variance_exact, 0, 0.10);
  g_assert_cmpfloat (st[VI_BBVI_CV].variance, >=, 0.95 * st[VI_BBVI_CV].variance_exact);
  g_assert_cmpfloat (st[VI_BBVI_CV].variance, <=, 1.35 * st[VI_BBVI_CV].variance_exact);
  g_assert_cmpfloat (st[VI_BBVI_CV_SUFF].variance, <=, 1e-8 * st[VI_BBVI_NAIVE].variance);
  /* Fitting â on the same samples correlates it with them: a bias of many
   * standard errors (REFERENCES.md §2 quotes about −13.7 here). */
  g_assert_cmpfloat (fabs (st[VI_BBVI_CV_SAME_SAMPLE].bias), >,
                     10.0 * st[VI_BBVI_CV_SAME_SAMPLE].mean_stderr);
}

/* Results do not depend on the number of threads. */
static void
test_variance_threads (void)
{
  ViBbviModel m;
  ViBbviExact ex;
  ViBbviVariancePoint a, b;

  reference_model (&m);
  g_assert_cmpint (vi_bbvi_variance_exact (&ex, &m, 0.3), ==, VI_OK);
  g_assert_cmpint (vi_bbvi_variance_measure (&a, &m, &ex, 7, 101, all_estimators, 4, 5, 1, NULL),
                   ==, VI_OK);
  g_assert_cmpint (vi_bbvi_variance_measure (&b, &m, &ex, 7, 101, all_estimators, 4, 5, 3, NULL),
                   ==, VI_OK);
  for (int e = 0; e < 4; e++)
    {
      g_assert_cmpfloat (a.est[e].mean, ==, b.est[e].mean);
      g_assert_cmpfloat (a.est[e].variance, ==, b.est[e].variance);
    }
  /* Below the minimum S an estimator is undefined, not an error. */
  g_assert_cmpint (vi_bbvi_variance_measure (&a, &m, &ex, 2, 10, all_estimators, 4, 5, 0, NULL),
                   ==, VI_OK);
  g_assert_true (a.est[VI_BBVI_CV].defined);
  g_assert_false (a.est[VI_BBVI_CV_SUFF].defined);
}

static void
test_estimate_errors (void)
{
  ViBbviModel m;
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (10);
  g_autoptr(gsl_rng) rng = vi_rng_create (1, 1);
  const ViBbviFamily *gam = vi_bbvi_family_lookup ("gamma");
  double p[2] = { 2.0, 1.0 }, g[2];

  reference_model (&m);
  g_assert_cmpint (vi_bbvi_estimate (g, NULL, ws, &m, gam, p, VI_BBVI_CV, 1, rng), ==, VI_EINVAL);
  g_assert_cmpint (vi_bbvi_estimate (g, NULL, ws, &m, gam, p, VI_BBVI_CV_SUFF, 2, rng), ==,
                   VI_EINVAL);
  g_assert_cmpint (vi_bbvi_estimate (g, NULL, ws, &m, gam, p, VI_BBVI_NAIVE, 11, rng), ==,
                   VI_EINVAL);
  vi_bbvi_workspace_free (ws);
  vi_bbvi_workspace_free (NULL);
}

/* ---- optimisers ---- */

/* Maximise −Rosenbrock(x, y) with exact gradients (GSL multimin's standard
 * problem) from (−1.2, 1). */
static void
test_optim_rosenbrock (gconstpointer data)
{
  const char *name = data;
  g_autoptr(GError) error = NULL;
  double step = strcmp (name, "rm") == 0 ? 2e-4 : strcmp (name, "adagrad") == 0 ? 0.5 : 0.01;
  ViOptimizer *opt = vi_optimizer_create (name, 2, step, &error);
  double x[2] = { -1.2, 1.0 };
  int n = strcmp (name, "rm") == 0 ? 2000000 : 200000;

  g_assert_no_error (error);
  if (strcmp (name, "rm") == 0)
    vi_optimizer_set_schedule (opt, 1.0, 0.0);  /* constant step for a deterministic problem */
  for (int i = 0; i < n; i++)
    {
      double g[2] = { -(-2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0])),
                      -(200.0 * (x[1] - x[0] * x[0])) };

      g_assert_cmpint (vi_optimizer_step (opt, x, g), ==, VI_OK);
    }
  g_test_message ("%s: x = (%g, %g)", name, x[0], x[1]);
  vi_assert_close (x[0], 1.0, 1e-3, 0);
  vi_assert_close (x[1], 1.0, 2e-3, 0);
  g_assert_cmpuint (vi_optimizer_get_iteration (opt), ==, (guint) n);
  vi_optimizer_free (opt);
}

static void
test_optim_errors (void)
{
  g_autoptr(GError) error = NULL;
  ViOptimizer *opt;
  double x[1] = { 1.0 }, g[1] = { NAN };

  g_assert_null (vi_optimizer_create ("sgd", 1, 0.1, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_clear_error (&error);
  g_assert_null (vi_optimizer_create ("adam", 1, -1.0, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  opt = vi_optimizer_create ("adam", 1, 0.1, NULL);
  g_assert_cmpint (vi_optimizer_step (opt, x, g), ==, VI_ENONFINITE);
  g_assert_cmpfloat (x[0], ==, 1.0);
  g_assert_cmpuint (vi_optimizer_get_iteration (opt), ==, 0);
  vi_optimizer_free (opt);
  vi_optimizer_free (NULL);
}

/* ---- the job ---- */

static ViBbviSnapshot *
run_job (GVariant  *params,
         int        want_status,
         char     **message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViJob) job = vi_job_create (&vi_bbvi_job_type, params, &error);
  gint cancel = 0;
  int status;

  g_assert_no_error (error);
  while ((status = vi_job_step (job, &cancel)) == VI_CONTINUE)
    ;
  g_assert_cmpint (status, ==, want_status);
  if (message != NULL)
    *message = g_strdup (vi_job_get_error_message (job));
  return vi_job_snapshot (job);
}

static GVariant *
job_params (const char *family,
            const char *estimators,
            const char *extra_key,
            GVariant   *extra_value)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string (family));
  g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string (estimators));
  if (extra_key != NULL)
    g_variant_builder_add (&b, "{sv}", extra_key, extra_value);
  return g_variant_builder_end (&b);
}

/* Defaults (Adam with a decaying rate, S = 100, 3000 iterations, q from the
 * prior) reach θ* within 1 % with cv and reparam, and KL < 1e-3 with gamma. */
static void
test_converge (gconstpointer data)
{
  const char *which = data;
  gboolean gamma = g_str_has_prefix (which, "gamma-");
  const char *est = gamma ? which + 6 : which;
  ViBbviSnapshot *s = run_job (job_params (gamma ? "gamma" : "exponential", est, NULL, NULL),
                               VI_OK, NULL);
  ViBbviModel m;

  reference_model (&m);
  g_assert_cmpuint (s->n_traces, ==, 1);
  g_assert_cmpuint (s->iteration, ==, 3000);
  g_assert_cmpuint (s->traces[0].len, ==, 3000);
  g_assert_false (s->traces[0].diverged);
  if (gamma)
    {
      double kl = vi_bbvi_family_kl (s->family, &m, s->traces[0].current);

      g_test_message ("%s: KL %g (shape %g rate %g)", which, kl, s->traces[0].current[0],
                      s->traces[0].current[1]);
      /* With q = posterior, log p − log q is constant, so the score-function
       * estimators with control variates lose all variance at the optimum;
       * the reparameterisation gradient keeps its −∇log q term and still
       * jitters after 3000 steps (KL ~1e-3; started at KL ~110). */
      g_assert_cmpfloat (kl, <, strcmp (est, "reparam") == 0 ? 1e-2 : 1e-3);
    }
  else
    {
      double rel = s->traces[0].current[0] / theta_star (&m) - 1.0;

      g_test_message ("%s: theta/theta* - 1 = %g", which, rel);
      g_assert_cmpfloat (fabs (rel), <, 0.01);
      vi_assert_close (s->params_opt[0], theta_star (&m), 0, 1e-15);
    }
  /* The trace's exact ELBO is the closed form at the traced parameters. */
  vi_assert_close (s->traces[0].elbo[10],
                   vi_bbvi_family_elbo (s->family, &m, s->traces[0].params + 10 * s->dim), 0, 0);
  vi_bbvi_snapshot_free (s);
}

/* Several estimators side by side: each has its own stream, so a run's trace
 * is the same alone or beside others, and runs are reproducible. */
static void
test_side_by_side (void)
{
  ViBbviSnapshot *both = run_job (job_params ("exponential", "naive,reparam", "iterations",
                                              g_variant_new_int64 (50)), VI_OK, NULL);
  ViBbviSnapshot *one = run_job (job_params ("exponential", "reparam", "iterations",
                                             g_variant_new_int64 (50)), VI_OK, NULL);

  g_assert_cmpuint (both->n_traces, ==, 2);
  g_assert_cmpint (both->traces[1].estimator, ==, VI_BBVI_REPARAM);
  g_assert_cmpmem (both->traces[1].params, 50 * sizeof (double), one->traces[0].params,
                   50 * sizeof (double));
  g_assert_cmpmem (both->traces[1].elbo_estimate, 50 * sizeof (double),
                   one->traces[0].elbo_estimate, 50 * sizeof (double));
  vi_bbvi_snapshot_free (both);
  vi_bbvi_snapshot_free (one);
}

static void
test_divergence (void)
{
  g_autofree char *message = NULL;
  GVariantBuilder b;
  ViBbviSnapshot *s;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string ("naive"));
  g_variant_builder_add (&b, "{sv}", "optimizer", g_variant_new_string ("rm"));
  g_variant_builder_add (&b, "{sv}", "step-size", g_variant_new_double (1e6));
  g_variant_builder_add (&b, "{sv}", "samples", g_variant_new_int64 (5));
  s = run_job (g_variant_builder_end (&b), VI_ENONFINITE, &message);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "naive diverged at iteration"));
  g_assert_true (s->traces[0].diverged);
  g_assert_cmpuint (s->iteration, <, 3000);
  vi_bbvi_snapshot_free (s);
}

/* The other optimisers with their defaults also approach θ* (no
 * divergence), if less precisely than the default Adam schedule. */
static void
test_other_optimizers (gconstpointer data)
{
  const char *name = data;
  GVariantBuilder b;
  ViBbviSnapshot *s;
  ViBbviModel m;
  double rel;

  reference_model (&m);
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "optimizer", g_variant_new_string (name));
  s = run_job (g_variant_builder_end (&b), VI_OK, NULL);
  rel = s->traces[0].current[0] / theta_star (&m) - 1.0;
  g_test_message ("%s: theta/theta* - 1 = %g", name, rel);
  g_assert_cmpfloat (fabs (rel), <, 0.05);
  g_assert_cmpfloat (s->traces[0].current_elbo, >, s->traces[0].elbo[0]);
  vi_bbvi_snapshot_free (s);
}

/* Two seeds: data-seed draws the synthetic counts (stream 0), seed the
 * Monte-Carlo noise. Without data-seed the counts come from seed; a job on
 * data-seed 4 and seed 3 runs the same noise as a job given those counts
 * outright with seed 3. */
static ViBbviSnapshot *
seeded_job (guint64     seed,
            GVariant   *data)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string ("naive,cv,reparam"));
  g_variant_builder_add (&b, "{sv}", "iterations", g_variant_new_int64 (200));
  g_variant_builder_add (&b, "{sv}", "seed", g_variant_new_uint64 (seed));
  if (data != NULL)
    g_variant_builder_add (&b, "{sv}", g_variant_is_of_type (data, G_VARIANT_TYPE_UINT64)
                                       ? "data-seed" : "counts", data);
  return run_job (g_variant_builder_end (&b), VI_OK, NULL);
}

static void
assert_same_traces (const ViBbviSnapshot *a,
                    const ViBbviSnapshot *b)
{
  g_assert_cmpuint (a->n_traces, ==, b->n_traces);
  for (size_t k = 0; k < a->n_traces; k++)
    {
      g_assert_cmpuint (a->traces[k].len, ==, b->traces[k].len);
      g_assert_cmpmem (a->traces[k].elbo_estimate, a->traces[k].len * sizeof (double),
                       b->traces[k].elbo_estimate, b->traces[k].len * sizeof (double));
      g_assert_cmpmem (a->traces[k].params, a->traces[k].len * sizeof (double),
                       b->traces[k].params, b->traces[k].len * sizeof (double));
    }
}

static void
test_data_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *x = vi_bbvi_counts_synthetic (50, 4.0, 4, &error);
  g_autofree gint64 *xi = g_new (gint64, 50);
  ViBbviSnapshot *plain, *same, *other, *given, *noise;

  g_assert_no_error (error);
  for (size_t i = 0; i < 50; i++)
    xi[i] = (gint64) x[i];
  plain = seeded_job (3, NULL);
  same = seeded_job (3, g_variant_new_uint64 (3));
  other = seeded_job (3, g_variant_new_uint64 (4));
  given = seeded_job (3, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, xi, 50,
                                                    sizeof (gint64)));
  noise = seeded_job (5, g_variant_new_uint64 (3));
  /* Default: the data seed is the seed, bit for bit. */
  g_assert_cmpuint (plain->data_seed, ==, 3);
  g_assert_cmpfloat (plain->sum_x, ==, same->sum_x);
  assert_same_traces (plain, same);
  /* Another data seed: other data, the same noise on them. */
  g_assert_cmpuint (other->seed, ==, 3);
  g_assert_cmpuint (other->data_seed, ==, 4);
  g_assert_cmpfloat (other->sum_x, !=, plain->sum_x);
  g_assert_cmpfloat (other->sum_x, ==, given->sum_x);
  assert_same_traces (other, given);
  /* Another seed on the same data: the same data, other noise. */
  g_assert_cmpfloat (noise->sum_x, ==, plain->sum_x);
  g_assert_cmpfloat (noise->traces[0].elbo_estimate[10], !=, plain->traces[0].elbo_estimate[10]);
  vi_bbvi_snapshot_free (plain);
  vi_bbvi_snapshot_free (same);
  vi_bbvi_snapshot_free (other);
  vi_bbvi_snapshot_free (given);
  vi_bbvi_snapshot_free (noise);
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViJob) job = NULL;
  GVariantBuilder b;
  gint cancel = 0;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "mode", g_variant_new_string ("variance"));
  job = vi_job_create (&vi_bbvi_job_type, g_variant_builder_end (&b), &error);
  g_assert_no_error (error);
  g_atomic_int_set (&cancel, 1);
  g_assert_cmpint (vi_job_step (job, &cancel), ==, VI_ECANCELLED);
}

static void
check_create_error (const char *key,
                    GVariant   *value,
                    const char *needle)
{
  g_autoptr(GError) error = NULL;
  GVariantBuilder b;
  ViJob *job;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", key, value);
  if (strcmp (key, "family") == 0)
    g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string ("reparam"));
  if (strcmp (key, "samples") == 0)
    g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string ("cv-suff"));
  job = vi_job_create (&vi_bbvi_job_type, g_variant_builder_end (&b), &error);
  g_assert_null (job);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("message '%s' lacks '%s'", error->message, needle);
  g_assert_true (error->code == VI_EINVAL || error->code == VI_EDOM);
}

static void
test_bad_params (void)
{
  check_create_error ("alpha", g_variant_new_double (0.0), "alpha: must be > 0 (got 0)");
  check_create_error ("beta", g_variant_new_double (-1.0), "beta: must be > 0 (got -1)");
  check_create_error ("estimators", g_variant_new_string ("bogus"), "unknown estimator 'bogus'");
  check_create_error ("samples", g_variant_new_int64 (0), "samples");
  check_create_error ("samples", g_variant_new_int64 (2), "cv-suff needs at least 3 (got 2)");
  check_create_error ("family", g_variant_new_string ("weibull"), "unknown family 'weibull'");
  check_create_error ("optimizer", g_variant_new_string ("sgd"), "unknown optimizer 'sgd'");
  check_create_error ("step-size", g_variant_new_double (0.0), "step-size");
  check_create_error ("true-rate", g_variant_new_double (-4.0), "true-rate");
}

static void
test_bad_file_job (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp ("1\n-2\n", -1);
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "counts-file", g_variant_new_string (path));
  g_assert_null (vi_job_create (&vi_bbvi_job_type, g_variant_builder_end (&b), &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_unlink (path);
}

static void
test_variance_job (void)
{
  static const guint64 sweep[] = { 2, 3, 10 };
  GVariantBuilder b;
  ViBbviSnapshot *s;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "mode", g_variant_new_string ("variance"));
  g_variant_builder_add (&b, "{sv}", "repeats", g_variant_new_int64 (50));
  g_variant_builder_add (&b, "{sv}", "sweep-samples",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, sweep, 3,
                                                    sizeof (guint64)));
  s = run_job (g_variant_builder_end (&b), VI_OK, NULL);

  g_assert_true (s->variance_mode);
  g_assert_cmpuint (s->n_points, ==, 3);
  g_assert_cmpuint (s->points[0].samples, ==, 2);
  g_assert_false (s->points[0].est[VI_BBVI_CV_SUFF].defined);
  g_assert_true (s->points[1].est[VI_BBVI_CV_SUFF].defined);
  vi_assert_close (s->points[2].theta, s->params_opt[0], 0, 0);
  vi_assert_close (s->points[2].est[VI_BBVI_NAIVE].variance_exact * 10.0,
                   s->points[0].est[VI_BBVI_NAIVE].variance_exact * 2.0, 0, 1e-12);
  vi_bbvi_snapshot_free (s);
}


/* ---- the gradient's own variance (vi_bbvi_estimate_var) ---- */

/* Naive reference kernel: the S per-sample terms of @e at θ drawn from a
 * copy of @rng as the estimator draws them (λ = −log u/θ), written out by
 * hand: naive f = h w, cv f − â₋ₛ h, reparam (Bλ − A)/θ; returns their
 * sample variance / S. */
static double
reference_grad_var (const ViBbviModel *m,
                    double             theta,
                    ViBbviEstimator    e,
                    size_t             S,
                    const gsl_rng     *rng)
{
  g_autoptr(gsl_rng) r = gsl_rng_clone (rng);
  const ViBbviFamily *fam = vi_bbvi_family_lookup ("exponential");
  double A = m->alpha + m->sum_x, B = m->beta + (double) m->n;
  g_autofree double *f = g_new (double, S);
  g_autofree double *h = g_new (double, S);
  g_autofree double *term = g_new (double, S);
  double sfh = 0, shh = 0, mean = 0, ss = 0;

  for (size_t s = 0; s < S; s++)
    {
      double lambda = vi_bbvi_family_sample (fam, &theta, r);
      double w = vi_bbvi_model_log_joint (m, lambda) - vi_bbvi_family_log_q (fam, &theta, lambda);

      h[s] = 1.0 / theta - lambda;
      f[s] = e == VI_BBVI_REPARAM ? (B * lambda - A) / theta : h[s] * w;
      sfh += f[s] * h[s];
      shh += h[s] * h[s];
    }
  for (size_t s = 0; s < S; s++)
    {
      term[s] = e == VI_BBVI_CV ? f[s] - (sfh - f[s] * h[s]) / (shh - h[s] * h[s]) * h[s] : f[s];
      mean += term[s] / (double) S;
    }
  for (size_t s = 0; s < S; s++)
    ss += (term[s] - mean) * (term[s] - mean);
  return ss / (double) (S - 1) / (double) S;
}

/* The estimated variance is the sample variance / S of the terms whose mean
 * is the estimate; undefined (NaN) for S = 1; the estimate itself is the
 * one vi_bbvi_estimate() gives. */
static void
test_grad_var_terms (void)
{
  ViBbviModel m;
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (20);
  const ViBbviFamily *fam = vi_bbvi_family_lookup ("exponential");
  const ViBbviEstimator est[] = { VI_BBVI_NAIVE, VI_BBVI_CV, VI_BBVI_REPARAM };
  double theta = 0.4;

  reference_model (&m);
  for (gsize k = 0; k < G_N_ELEMENTS (est); k++)
    {
      g_autoptr(gsl_rng) rng = vi_rng_create (7, 1 + est[k]);
      g_autoptr(gsl_rng) rng2 = vi_rng_create (7, 1 + est[k]);
      double g, g2, var, ref = reference_grad_var (&m, theta, est[k], 20, rng);

      g_assert_cmpint (vi_bbvi_estimate_var (&g, NULL, &var, ws, &m, fam, &theta, est[k], 20,
                                             rng), ==, VI_OK);
      g_assert_cmpint (vi_bbvi_estimate (&g2, NULL, ws, &m, fam, &theta, est[k], 20, rng2), ==,
                       VI_OK);
      g_test_message ("%s: var %g reference %g", vi_bbvi_estimator_get_name (est[k]), var, ref);
      vi_assert_close (var, ref, 0, 1e-10);
      g_assert_cmpfloat (g, ==, g2);
    }
  {
    g_autoptr(gsl_rng) rng = vi_rng_create (7, 1);
    double g, var = 0;

    g_assert_cmpint (vi_bbvi_estimate_var (&g, NULL, &var, ws, &m, fam, &theta, VI_BBVI_NAIVE, 1,
                                           rng), ==, VI_OK);
    g_assert_true (isnan (var));
  }
  vi_bbvi_workspace_free (ws);
}

/* Mean and standard error of @y[0..n) (finite values). */
static void
mean_stderr (const double *y,
             size_t        n,
             double       *mean,
             double       *se)
{
  double s = 0, ss = 0;

  for (size_t i = 0; i < n; i++)
    s += y[i];
  *mean = s / (double) n;
  for (size_t i = 0; i < n; i++)
    ss += (y[i] - *mean) * (y[i] - *mean);
  *se = sqrt (ss / (double) (n - 1) / (double) n);
}

/* A run that keeps θ fixed (Robbins–Monro with ρ₀ = 1e-300: u + ρ g = u in
 * doubles): averaged over its iterations, the traced variance of naive and
 * reparam is the exact one-sample variance / S within 5 standard errors,
 * and the traced SNR is |ĝ|/√var of the very estimates the run drew. */
static void
test_grad_var_trace (void)
{
  GVariantBuilder b;
  ViBbviSnapshot *s;
  ViBbviModel m;
  ViBbviExact ex;
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (10);
  const size_t S = 10, T = 4000;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string ("naive,cv,reparam"));
  g_variant_builder_add (&b, "{sv}", "samples", g_variant_new_int64 ((gint64) S));
  g_variant_builder_add (&b, "{sv}", "iterations", g_variant_new_int64 ((gint64) T));
  g_variant_builder_add (&b, "{sv}", "optimizer", g_variant_new_string ("rm"));
  g_variant_builder_add (&b, "{sv}", "step-size", g_variant_new_double (1e-300));
  s = run_job (g_variant_builder_end (&b), VI_OK, NULL);
  reference_model (&m);
  g_assert_cmpuint (s->n_traces, ==, 3);
  g_assert_cmpfloat (s->traces[0].params[T - 1], ==, s->traces[0].params[0]);
  g_assert_cmpint (vi_bbvi_variance_exact (&ex, &m, s->traces[0].params[0]), ==, VI_OK);
  for (size_t k = 0; k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      double theta = t->params[0], mean, se;
      g_autoptr(gsl_rng) rng = vi_rng_create (1, 1 + t->estimator);

      g_assert_cmpuint (t->len, ==, T);
      g_assert_cmpfloat (t->params[T - 1], ==, theta);
      mean_stderr (t->grad_var, t->len, &mean, &se);
      g_test_message ("%s: mean traced var %g ± %g, exact var1/S %g",
                      vi_bbvi_estimator_get_name (t->estimator), mean, se,
                      ex.variance1[t->estimator] / (double) S);
      if (t->estimator != VI_BBVI_CV)
        vi_assert_close (mean, ex.variance1[t->estimator] / (double) S, 5 * se, 0);
      else
        /* Leave-one-out â: at or a little above the optimal-â variance. */
        g_assert_cmpfloat (mean, >, ex.variance1[VI_BBVI_CV] / (double) S - 5 * se);
      for (size_t i = 0; i < 50; i++)
        {
          double g, var;

          g_assert_cmpint (vi_bbvi_estimate_var (&g, NULL, &var, ws, &m, s->family, &theta,
                                                 t->estimator, S, rng), ==, VI_OK);
          g_assert_cmpfloat (t->grad_var[i], ==, var);
          vi_assert_close (t->grad_snr[i], fabs (g) / sqrt (var), 0, 1e-15);
        }
    }
  g_assert_cmpfloat (ex.variance1[VI_BBVI_CV], <, ex.variance1[VI_BBVI_NAIVE]);
  vi_bbvi_workspace_free (ws);
  vi_bbvi_snapshot_free (s);
}

/* A long run's trace stays bounded: at most 2¹² points, every stride-th
 * iteration, and each kept point holds exactly what the undecimated run
 * has there (the exact ELBO as the job reports it after each step, and the
 * noisy estimate of a shorter run that kept every iteration); the mean
 * gradient variance still covers every step. */
static void
test_trace_decimated (void)
{
  const guint64 T = 140000, T_SHORT = 4096;
  g_autoptr(GError) error = NULL;
  g_autofree double *elbo = g_new (double, T + 1);
  GVariant *params = g_variant_ref_sink (job_params ("exponential", "cv", "samples",
                                                    g_variant_new_int64 (2)));
  GVariantDict d;
  g_autoptr(ViJob) job = NULL;
  ViBbviSnapshot *s, *ref;
  const ViBbviTrace *t, *r;
  gint cancel = 0;
  guint64 steps = 0;
  int status;

  g_variant_dict_init (&d, params);
  g_variant_dict_insert (&d, "iterations", "x", (gint64) T);
  job = vi_job_create (&vi_bbvi_job_type, g_variant_dict_end (&d), &error);
  g_assert_no_error (error);
  elbo[0] = vi_job_get_objective (job);
  do
    {
      status = vi_job_step (job, &cancel);
      elbo[++steps] = vi_job_get_objective (job);
    }
  while (status == VI_CONTINUE);
  g_assert_cmpint (status, ==, VI_OK);
  g_assert_cmpuint (steps, ==, T);
  s = vi_job_snapshot (job);
  t = &s->traces[0];
  g_assert_cmpuint (t->len, <=, 1u << 12);
  g_assert_cmpuint (t->len, >, 1u << 11);
  g_assert_cmpuint (t->stride, ==, 64);
  g_assert_cmpuint (t->len, ==, (T - 1) / t->stride + 1);
  for (size_t i = 0; i < t->len; i++)
    {
      g_assert_cmpfloat (t->iteration[i], ==, (double) (i * t->stride));
      g_assert_cmpfloat (t->elbo[i], ==, elbo[i * t->stride]);
    }
  g_assert_cmpfloat (t->grad_var_mean, >, 0);

  g_variant_dict_init (&d, params);
  g_variant_dict_insert (&d, "iterations", "x", (gint64) T_SHORT);
  ref = run_job (g_variant_dict_end (&d), VI_OK, NULL);
  r = &ref->traces[0];
  g_assert_cmpuint (r->len, ==, T_SHORT);
  g_assert_cmpuint (r->stride, ==, 1);
  for (size_t i = 0; i * t->stride < T_SHORT; i++)
    {
      g_assert_cmpfloat (t->elbo_estimate[i], ==, r->elbo_estimate[i * t->stride]);
      g_assert_cmpfloat (t->params[i], ==, r->params[i * t->stride]);
      g_assert_cmpfloat (t->grad_var[i], ==, r->grad_var[i * t->stride]);
    }
  vi_bbvi_snapshot_free (ref);
  vi_bbvi_snapshot_free (s);
  g_variant_unref (params);
}

int
main (int    argc,
      char **argv)
{
  static const char *fams[] = { "exponential", "gamma", "lognormal" };

  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/core/bbvi/log-evidence-quadrature", test_model_evidence);
  for (int i = 0; i < 3; i++)
    {
      char path[128];

      g_snprintf (path, sizeof path, "/core/bbvi/elbo-quadrature/%s", fams[i]);
      g_test_add_data_func (path, fams[i], test_elbo_quadrature);
      g_snprintf (path, sizeof path, "/core/bbvi/elbo-grad-fd/%s", fams[i]);
      g_test_add_data_func (path, fams[i], test_elbo_grad_fd);
      g_snprintf (path, sizeof path, "/core/bbvi/optimum/%s", fams[i]);
      g_test_add_data_func (path, fams[i], test_optimum);
      g_snprintf (path, sizeof path, "/core/bbvi/score-expectations/%s", fams[i]);
      g_test_add_data_func (path, fams[i], test_score_expectations);
    }
  g_test_add_func ("/core/bbvi/gamma-kl-closed-form", test_gamma_kl_closed_form);
  g_test_add_data_func ("/core/bbvi/reparam-fd/exponential", "exponential", test_reparam_fd);
  g_test_add_data_func ("/core/bbvi/reparam-fd/lognormal", "lognormal", test_reparam_fd);
  g_test_add_data_func ("/core/bbvi/reparam-fd/gamma", "gamma", test_reparam_fd);
  g_test_add_func ("/core/bbvi/gamma-dz-dshape", test_gamma_dz_dshape);
  g_test_add_func ("/core/bbvi/unbiased-2d", test_unbiased_2d);
  g_test_add_data_func ("/core/bbvi/cv-suff-exact/exponential", "exponential", test_cv_suff_exact);
  g_test_add_data_func ("/core/bbvi/cv-suff-exact/gamma", "gamma", test_cv_suff_exact);
  g_test_add_func ("/core/bbvi/exact-moments", test_exact_moments);
  g_test_add_func ("/core/bbvi/unbiased", test_unbiased);
  g_test_add_func ("/core/bbvi/variance", test_variance);
  g_test_add_func ("/core/bbvi/data-seed", test_data_seed);
  g_test_add_func ("/core/bbvi/variance-threads", test_variance_threads);
  g_test_add_func ("/core/bbvi/estimate-errors", test_estimate_errors);
  g_test_add_data_func ("/core/bbvi/optim-rosenbrock/rm", "rm", test_optim_rosenbrock);
  g_test_add_data_func ("/core/bbvi/optim-rosenbrock/adagrad", "adagrad", test_optim_rosenbrock);
  g_test_add_data_func ("/core/bbvi/optim-rosenbrock/adam", "adam", test_optim_rosenbrock);
  g_test_add_func ("/core/bbvi/optim-errors", test_optim_errors);
  g_test_add_data_func ("/core/bbvi/converge/cv", "cv", test_converge);
  g_test_add_data_func ("/core/bbvi/converge/reparam", "reparam", test_converge);
  g_test_add_data_func ("/core/bbvi/converge/gamma-cv", "gamma-cv", test_converge);
  g_test_add_data_func ("/core/bbvi/converge/gamma-cv-suff", "gamma-cv-suff", test_converge);
  g_test_add_data_func ("/core/bbvi/converge/gamma-reparam", "gamma-reparam", test_converge);
  g_test_add_func ("/core/bbvi/side-by-side", test_side_by_side);
  g_test_add_data_func ("/core/bbvi/other-optimizers/rm", "rm", test_other_optimizers);
  g_test_add_data_func ("/core/bbvi/other-optimizers/adagrad", "adagrad", test_other_optimizers);
  g_test_add_func ("/core/bbvi/cancel", test_cancel);
  g_test_add_func ("/core/bbvi/divergence", test_divergence);
  g_test_add_func ("/core/bbvi/bad-params", test_bad_params);
  g_test_add_func ("/core/bbvi/bad-file", test_bad_file_job);
  g_test_add_func ("/core/bbvi/variance-job", test_variance_job);
  g_test_add_func ("/core/bbvi/grad-var/terms", test_grad_var_terms);
  g_test_add_func ("/core/bbvi/grad-var/trace", test_grad_var_trace);
  g_test_add_func ("/core/bbvi/trace-decimated", test_trace_decimated);
  return g_test_run ();
}
