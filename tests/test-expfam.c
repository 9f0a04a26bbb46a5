/* test-expfam.c — the exponential-family table against GSL's densities,
 * closed forms, finite differences and Monte Carlo
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "expfam-closed-forms.h"
#include "vi-core-autocleanups.h"
#include "vi-expfam.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-test-util.h"

/* GSL's density (or pmf) at x, in GSL's own parameterisation
 * (REFERENCES.md §1). */
static double
gsl_density (const char   *family,
             const double *th,
             double        x)
{
  if (strcmp (family, "poisson") == 0)
    return gsl_ran_poisson_pdf ((unsigned int) x, th[0]);
  if (strcmp (family, "exponential") == 0)
    return gsl_ran_exponential_pdf (x, 1.0 / th[0]);          /* mean */
  if (strcmp (family, "bernoulli") == 0)
    return gsl_ran_bernoulli_pdf ((unsigned int) x, th[0]);
  if (strcmp (family, "gaussian") == 0)
    return gsl_ran_gaussian_pdf (x - th[0], sqrt (th[1]));    /* sd */
  if (strcmp (family, "gamma") == 0)
    return gsl_ran_gamma_pdf (x, th[0], 1.0 / th[1]);         /* scale */
  if (strcmp (family, "lognormal") == 0)
    return gsl_ran_lognormal_pdf (x, th[0], sqrt (th[1]));    /* sd of log x */
  if (strcmp (family, "beta") == 0)
    return gsl_ran_beta_pdf (x, th[0], th[1]);
  g_assert_not_reached ();
}

static void
test_log_density_matches_gsl (void)
{
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 0);
  guint compared = 0;

  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const ViExpfam *fam = vi_expfam_lookup (pc->family);
      double eta[2], pts[40];
      size_t n = 0;

      g_assert_nonnull (fam);
      vi_expfam_natural (fam, pc->theta, eta);
      if (strcmp (pc->family, "poisson") == 0)
        for (n = 0; n < 25; n++)
          pts[n] = (double) (n * (1 + (size_t) pc->theta[0] / 10));
      else if (strcmp (pc->family, "bernoulli") == 0)
        {
          pts[n++] = 0;
          pts[n++] = 1;
        }
      else
        {
          /* 20 draws plus the far tails (ten times beyond a draw). */
          for (; n < 20; n++)
            pts[n] = vi_expfam_sample (fam, pc->theta, rng);
          pts[n++] = pts[0] * 10;
          pts[n++] = pts[1] / 10;
        }
      for (size_t i = 0; i < n; i++)
        {
          double x = pts[i];
          double p = gsl_density (pc->family, pc->theta, x);
          double lp = vi_expfam_log_density (fam, eta, x);

          if (!(p > 1e4 * DBL_MIN) || !vi_expfam_in_support (fam, x))
            continue;   /* GSL underflows: nothing to compare with */
          vi_assert_close (lp, log (p), 1e-12 * MAX (1.0, fabs (log (p))), 0);
          compared++;
        }
    }
  /* ≥ 20 points for every family (bernoulli: 2 points × 3 parameter sets × …). */
  g_assert_cmpuint (compared, >=, 20 * 6 + 6);
}

static void
test_bernoulli_many_points (void)
{
  /* Bernoulli has two support points; cover ≥ 20 (p, x) pairs. */
  const ViExpfam *fam = vi_expfam_lookup ("bernoulli");

  for (int k = 1; k < 20; k++)
    {
      double th[1] = { k / 20.0 }, eta[1];
      vi_expfam_natural (fam, th, eta);
      for (unsigned x = 0; x < 2; x++)
        {
          double p = gsl_ran_bernoulli_pdf (x, th[0]);
          double lp = vi_expfam_log_density (fam, eta, x);
          vi_assert_close (lp, log (p), 1e-12 * MAX (1, fabs (log (p))), 0);
        }
    }
}

static void
test_round_trip (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const ViExpfam *fam = vi_expfam_lookup (pc->family);
      size_t d = vi_expfam_get_dim (fam);
      double eta[2], back[2];

      g_assert_true (vi_expfam_check_params (fam, pc->theta, NULL));
      vi_expfam_natural (fam, pc->theta, eta);
      g_assert_true (vi_expfam_check_natural (fam, eta, NULL));
      vi_expfam_params_from_natural (fam, eta, back);
      vi_assert_close_array (back, pc->theta, d, 1e-14, 1e-12);
    }
}

static void
test_closed_forms (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const ViExpfam *fam = vi_expfam_lookup (pc->family);
      size_t d = vi_expfam_get_dim (fam);
      double eta[2], g[2], h[4], f[4];
      ClosedForm cf;

      g_assert_true (closed_form (pc->family, pc->theta, &cf));
      g_assert_cmpint (cf.dim, ==, (int) d);
      vi_expfam_natural (fam, pc->theta, eta);
      vi_assert_close_array (eta, cf.eta, d, 1e-14, 1e-12);
      vi_assert_close (vi_expfam_log_partition (fam, eta), cf.log_partition, 1e-13, 1e-12);
      vi_expfam_mean_sufficient (fam, eta, g);
      vi_assert_close_array (g, cf.mean, d, 1e-14, 1e-12);
      vi_expfam_fisher_natural (fam, eta, h);
      vi_assert_close_array (h, cf.fisher_eta, d * d, 1e-14, 1e-12);
      vi_expfam_fisher_params (fam, pc->theta, f);
      vi_assert_close_array (f, cf.fisher_theta, d * d, 1e-14, 1e-11);
    }
}

static void
test_gradients_finite_differences (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const ViExpfam *fam = vi_expfam_lookup (pc->family);
      size_t d = vi_expfam_get_dim (fam);
      double eta[2], g[2], h[4];

      vi_expfam_natural (fam, pc->theta, eta);
      vi_expfam_mean_sufficient (fam, eta, g);
      vi_expfam_fisher_natural (fam, eta, h);
      for (size_t i = 0; i < d; i++)
        {
          /* Step relative to how far η_i is from the edge of the natural
           * space, so both sides stay valid. */
          double step = 1e-5 * MAX (1e-2, fabs (eta[i]));
          double ep[2], em[2], gp[2], gm[2];

          memcpy (ep, eta, sizeof ep);
          memcpy (em, eta, sizeof em);
          ep[i] += step;
          em[i] -= step;
          g_assert_true (vi_expfam_check_natural (fam, ep, NULL));
          g_assert_true (vi_expfam_check_natural (fam, em, NULL));
          vi_assert_close ((vi_expfam_log_partition (fam, ep) - vi_expfam_log_partition (fam, em))
                           / (2 * step), g[i], 1e-9, 1e-6);
          vi_expfam_mean_sufficient (fam, ep, gp);
          vi_expfam_mean_sufficient (fam, em, gm);
          for (size_t j = 0; j < d; j++)
            vi_assert_close ((gp[j] - gm[j]) / (2 * step), h[j * d + i], 1e-9, 1e-6);
        }
    }
}

static void
test_fisher_params_jacobian (void)
{
  /* I(θ) = Jᵀ I(η) J with J = ∂η/∂θ by central differences of the map. */
  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const ViExpfam *fam = vi_expfam_lookup (pc->family);
      size_t d = vi_expfam_get_dim (fam);
      double eta[2], h[4], jac[4] = { 0 }, jac_analytic[4], f[4], want[4];

      vi_expfam_natural (fam, pc->theta, eta);
      vi_expfam_fisher_natural (fam, eta, h);
      for (size_t j = 0; j < d; j++)
        {
          double step = 1e-6 * MAX (1e-3, fabs (pc->theta[j]));
          double tp[2], tm[2], ep[2], em[2];

          if (strcmp (pc->family, "bernoulli") == 0)
            step = 1e-6 * MIN (pc->theta[0], 1 - pc->theta[0]);
          memcpy (tp, pc->theta, sizeof tp);
          memcpy (tm, pc->theta, sizeof tm);
          tp[j] += step;
          tm[j] -= step;
          vi_expfam_natural (fam, tp, ep);
          vi_expfam_natural (fam, tm, em);
          for (size_t i = 0; i < d; i++)
            jac[i * d + j] = (ep[i] - em[i]) / (2 * step);
        }
      vi_expfam_jacobian (fam, pc->theta, jac_analytic);
      vi_assert_close_array (jac_analytic, jac, d * d, 1e-8, 1e-6);

      for (size_t a = 0; a < d; a++)
        for (size_t b = 0; b < d; b++)
          {
            double s = 0;
            for (size_t i = 0; i < d; i++)
              for (size_t k = 0; k < d; k++)
                s += jac[i * d + a] * h[i * d + k] * jac[k * d + b];
            want[a * d + b] = s;
          }
      vi_expfam_fisher_params (fam, pc->theta, f);
      vi_assert_close_array (f, want, d * d, 1e-8, 1e-6);
    }
}

/* Jᵀ F J for a given F: the same bits as vi_expfam_fisher_params() when F
 * is I(η), and a naive reference (transposed loop order) for any other F
 * (a non-symmetric one, as a Monte-Carlo estimate may be). */
static void
test_fisher_params_from (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const ViExpfam *fam = vi_expfam_lookup (pc->family);
      size_t d = vi_expfam_get_dim (fam);
      double eta[2], h[4], jac[4], f[4], g[4], want[4] = { 0 };
      const double other[4] = { 1.5, -0.25, 0.75, 2.0 };

      vi_expfam_natural (fam, pc->theta, eta);
      vi_expfam_fisher_natural (fam, eta, h);
      vi_expfam_fisher_params (fam, pc->theta, f);
      vi_expfam_fisher_params_from (fam, pc->theta, h, g);
      for (size_t i = 0; i < d * d; i++)
        g_assert_cmpfloat (g[i], ==, f[i]);

      vi_expfam_jacobian (fam, pc->theta, jac);
      for (size_t k = 0; k < d; k++)
        for (size_t i = 0; i < d; i++)
          for (size_t a = 0; a < d; a++)
            for (size_t b = 0; b < d; b++)
              want[a * d + b] += jac[i * d + a] * other[i * d + k] * jac[k * d + b];
      vi_expfam_fisher_params_from (fam, pc->theta, other, g);
      vi_assert_close_array (g, want, d * d, 1e-12, 1e-12);
    }
}

static void
test_monte_carlo_moments (void)
{
  /* E[t] and Cov[t] from 10^6 draws within 5 standard errors of ∇a, ∇²a. */
  const size_t n = 1000000;

  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const ViExpfam *fam = vi_expfam_lookup (pc->family);
      size_t d = vi_expfam_get_dim (fam);
      g_autoptr(gsl_rng) rng = vi_rng_create (20240601, c);
      double eta[2], g[2], h[4], m[2], m_se[2], cov[4], cov_se[4];

      vi_expfam_natural (fam, pc->theta, eta);
      vi_expfam_mean_sufficient (fam, eta, g);
      vi_expfam_fisher_natural (fam, eta, h);
      vi_expfam_mc_moments (fam, pc->theta, rng, n, m, m_se, cov, cov_se);
      for (size_t i = 0; i < d; i++)
        {
          if (g_test_verbose ())
            g_test_message ("%s E[t%zu]: mc %.6g ± %.2g, exact %.6g", pc->family, i, m[i],
                            m_se[i], g[i]);
          vi_assert_close (m[i], g[i], 5 * m_se[i], 0);
        }
      for (size_t k = 0; k < d * d; k++)
        vi_assert_close (cov[k], h[k], 5 * cov_se[k], 0);
    }
}

static void
test_sampler_reproducible (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ViExpfam *fam = vi_expfam_lookup (param_cases[c].family);
      g_autoptr(gsl_rng) a = vi_rng_create (99, 4);
      g_autoptr(gsl_rng) b = vi_rng_create (99, 4);
      double xa[16], xb[16];

      vi_expfam_sample_n (fam, param_cases[c].theta, a, 16, xa);
      vi_expfam_sample_n (fam, param_cases[c].theta, b, 16, xb);
      g_assert_cmpmem (xa, sizeof xa, xb, sizeof xb);
      for (int i = 0; i < 16; i++)
        g_assert_true (vi_expfam_in_support (fam, xa[i]));
    }
}

static void
expect_domain_error (const char *family,
                     double      t0,
                     double      t1,
                     const char *want_prefix)
{
  const ViExpfam *fam = vi_expfam_lookup (family);
  double th[2] = { t0, t1 };
  g_autoptr(GError) error = NULL;

  g_assert_false (vi_expfam_check_params (fam, th, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  if (!g_str_has_prefix (error->message, want_prefix))
    g_error ("message '%s' does not start with '%s'", error->message, want_prefix);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_domain_errors (void)
{
  const double bad[] = { 0.0, -1.0, NAN, INFINITY, -INFINITY };
  g_autoptr(GError) error = NULL;
  double th[2] = { -1, 1.5 };

  g_assert_false (vi_expfam_check_params (vi_expfam_lookup ("gamma"), th, &error));
  g_assert_cmpstr (error->message, ==, "gamma: shape must be a finite number > 0 (got -1)");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      double x = bad[i];
      expect_domain_error ("poisson", x, 0, "poisson: rate must be");
      expect_domain_error ("exponential", x, 0, "exponential: rate must be");
      expect_domain_error ("bernoulli", x, 0, "bernoulli: p must be in (0, 1)");
      expect_domain_error ("gaussian", 0, x, "gaussian: variance must be");
      expect_domain_error ("gamma", x, 1, "gamma: shape must be");
      expect_domain_error ("gamma", 1, x, "gamma: rate must be");
      expect_domain_error ("lognormal", 0, x, "lognormal: sigma2 must be");
      expect_domain_error ("beta", x, 1, "beta: a must be");
      expect_domain_error ("beta", 1, x, "beta: b must be");
      if (!isfinite (x))
        {
          expect_domain_error ("gaussian", x, 1, "gaussian: mean must be finite");
          expect_domain_error ("lognormal", x, 1, "lognormal: mu must be finite");
        }
    }
  expect_domain_error ("bernoulli", 1.0, 0, "bernoulli: p must be in (0, 1) (got 1)");
  expect_domain_error ("bernoulli", 1.5, 0, "bernoulli: p must be in (0, 1) (got 1.5)");

  /* Natural-space checks. */
  {
    double e[2] = { 0.5, 0.0 };
    g_assert_false (vi_expfam_check_natural (vi_expfam_lookup ("gaussian"), e, NULL));
    e[0] = -1.0;
    e[1] = -1.0;
    g_assert_false (vi_expfam_check_natural (vi_expfam_lookup ("gamma"), e, NULL));
    g_assert_false (vi_expfam_check_natural (vi_expfam_lookup ("beta"), e, NULL));
    e[0] = 0.0;
    g_assert_false (vi_expfam_check_natural (vi_expfam_lookup ("exponential"), e, NULL));
  }
}

static void
test_outside_support (void)
{
  struct { const char *family; double x; } cases[] = {
    { "poisson", -1 }, { "poisson", 2.5 }, { "poisson", INFINITY },
    { "exponential", -0.1 }, { "exponential", -INFINITY }, { "exponential", INFINITY },
    { "bernoulli", 2 }, { "bernoulli", 0.5 }, { "bernoulli", -1 },
    { "gaussian", INFINITY }, { "gaussian", -INFINITY },
    { "gamma", -1 }, { "gamma", INFINITY },
    { "lognormal", 0 }, { "lognormal", -2 },
    { "beta", 0 - 1e-9 }, { "beta", 1.5 }, { "beta", -INFINITY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ViExpfam *fam = vi_expfam_lookup (cases[i].family);
      double th[2], eta[2], lp;

      vi_expfam_get_default_params (fam, th);
      vi_expfam_natural (fam, th, eta);
      lp = vi_expfam_log_density (fam, eta, cases[i].x);
      if (!(isinf (lp) && lp < 0))
        g_error ("%s at %g: log density %g, want -inf", cases[i].family, cases[i].x, lp);
    }
}

static void
test_support_edges (void)
{
  /* At x = 0 a zero natural coordinate contributes nothing (0·log 0 → 0):
   * gamma(1, β) is the exponential, density β at 0. */
  const ViExpfam *gamma = vi_expfam_lookup ("gamma");
  double th[2] = { 1.0, 2.5 }, eta[2];

  vi_expfam_natural (gamma, th, eta);
  vi_assert_close (vi_expfam_log_density (gamma, eta, 0.0), log (2.5), 1e-15, 1e-14);
  vi_assert_close (vi_expfam_log_density (vi_expfam_lookup ("exponential"), (double[]) { -2.5 },
                                          0.0), log (2.5), 1e-15, 1e-14);
}

static void
test_lookup (void)
{
  const char *const *names = vi_expfam_list_names ();
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (; names[n] != NULL; n++)
    g_assert_cmpstr (vi_expfam_get_name (vi_expfam_lookup (names[n])), ==, names[n]);
  g_assert_cmpuint (n, ==, 7);
  g_assert_null (vi_expfam_lookup ("cauchy"));
  g_assert_null (vi_expfam_lookup_checked ("cauchy", &error));
  g_assert_nonnull (strstr (error->message, "unknown family 'cauchy'"));
  g_assert_cmpint (vi_expfam_param_index (vi_expfam_lookup ("gamma"), "rate"), ==, 1);
  g_assert_cmpint (vi_expfam_param_index (vi_expfam_lookup ("gamma"), "scale"), ==, -1);
}

/* CPU seconds of this process. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* GSL's Poisson sampler loops forever above ~2³²·8/7: the largest rate
 * accepted (VI_EXPFAM_POISSON_RATE_MAX) samples promptly with the right
 * moments and 32-bit draws; the next double up is refused naming the
 * parameter and the range. */
static void
test_poisson_large_rate (void)
{
  const ViExpfam *fam = vi_expfam_lookup ("poisson");
  double th[1] = { VI_EXPFAM_POISSON_RATE_MAX };
  g_autoptr(GError) error = NULL;
  g_autoptr(gsl_rng) rng = vi_rng_create (3, 0);
  enum { N = 2000 };
  double mean = 0.0, m2 = 0.0, t0;

  g_assert_true (vi_expfam_check_params (fam, th, &error));
  g_assert_no_error (error);
  t0 = cpu_seconds ();
  for (int i = 0; i < N; i++)
    {
      double x = vi_expfam_sample (fam, th, rng);
      double delta = x - mean;

      g_assert_true (x == floor (x) && x >= 0 && x < 4294967296.0);
      mean += delta / (i + 1);
      m2 += delta * (x - mean);
    }
  g_assert_cmpfloat (cpu_seconds () - t0, <, 5.0);
  vi_assert_close (mean, th[0], 5.0 * sqrt (th[0] / N), 0.0);
  /* The sample variance's relative sd is √(2/(N−1)) ≈ 3 %. */
  vi_assert_close (m2 / (N - 1), th[0], 0.0, 0.16);

  th[0] = nextafter (VI_EXPFAM_POISSON_RATE_MAX, INFINITY);
  g_assert_false (vi_expfam_check_params (fam, th, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_assert_cmpstr (error->message, ==, "poisson: rate must be in (0, 4e+09] (got 4000000000.0000005): "
                   "larger rates are beyond the sampler");
  g_clear_error (&error);
  th[0] = 5e9;
  g_assert_false (vi_expfam_check_params (fam, th, &error));
  g_assert_true (g_str_has_prefix (error->message, "poisson: rate must be in (0, 4e+09] "
                                   "(got 5000000000)"));
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/expfam/lookup", test_lookup);
  g_test_add_func ("/core/expfam/log-density-matches-gsl", test_log_density_matches_gsl);
  g_test_add_func ("/core/expfam/bernoulli-many-points", test_bernoulli_many_points);
  g_test_add_func ("/core/expfam/round-trip", test_round_trip);
  g_test_add_func ("/core/expfam/closed-forms", test_closed_forms);
  g_test_add_func ("/core/expfam/gradients-finite-differences", test_gradients_finite_differences);
  g_test_add_func ("/core/expfam/fisher-params-jacobian", test_fisher_params_jacobian);
  g_test_add_func ("/core/expfam/fisher-params-from", test_fisher_params_from);
  g_test_add_func ("/core/expfam/monte-carlo-moments", test_monte_carlo_moments);
  g_test_add_func ("/core/expfam/sampler-reproducible", test_sampler_reproducible);
  g_test_add_func ("/core/expfam/domain-errors", test_domain_errors);
  g_test_add_func ("/core/expfam/outside-support", test_outside_support);
  g_test_add_func ("/core/expfam/support-edges", test_support_edges);
  g_test_add_func ("/core/expfam/poisson-large-rate", test_poisson_large_rate);
  return g_test_run ();
}
