/* test-expfam-job.c — the "expfam" job (Monte-Carlo draws in batches)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "vi-core-autocleanups.h"
#include "vi-expfam-job.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-test-util.h"

static GVariant *
gamma_params (gint64 n,
              gint64 batch,
              gint64 seed)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string ("gamma"));
  g_variant_builder_add (&b, "{sv}", "shape", g_variant_new_double (2.5));
  g_variant_builder_add (&b, "{sv}", "rate", g_variant_new_double (1.5));
  g_variant_builder_add (&b, "{sv}", "n", g_variant_new_int64 (n));
  g_variant_builder_add (&b, "{sv}", "batch", g_variant_new_int64 (batch));
  g_variant_builder_add (&b, "{sv}", "seed", g_variant_new_int64 (seed));
  return g_variant_builder_end (&b);
}

static ViExpfamSnapshot *
run_to_end (ViJob *job)
{
  int status;

  while ((status = vi_job_step (job, NULL)) == VI_CONTINUE)
    ;
  g_assert_cmpint (status, ==, VI_OK);
  return vi_job_snapshot (job);
}

/* The job's estimate equals a two-pass covariance of the same draws (stream 0
 * of the seed), and agrees with the closed form I(η) within 5 standard errors
 * computed from those draws. */
static void
test_gamma_fisher (void)
{
  const gint64 n = 200000, seed = 20240601;
  g_autoptr(GError) error = NULL;
  g_autoptr(ViJob) job = vi_job_create (&vi_expfam_job_type, gamma_params (n, 7000, seed), &error);
  g_autoptr(gsl_rng) rng = vi_rng_create (seed, 0);
  const ViExpfam *fam = vi_expfam_lookup ("gamma");
  ViExpfamSnapshot *s;
  double theta[2] = { 2.5, 1.5 }, mean[2] = { 0, 0 }, cov[4] = { 0 }, var4[4] = { 0 };
  double *x = g_new (double, n);
  double total = 0;

  g_assert_no_error (error);
  s = run_to_end (job);
  g_assert_cmpuint (s->n_drawn, ==, (guint64) n);
  g_assert_cmpuint (s->iteration, ==, (guint64) ((n + 6999) / 7000));

  vi_expfam_sample_n (fam, theta, rng, (size_t) n, x);
  for (gint64 k = 0; k < n; k++)
    {
      double t[2];
      vi_expfam_sufficient (fam, x[k], t);
      mean[0] += t[0] / n;
      mean[1] += t[1] / n;
    }
  for (gint64 k = 0; k < n; k++)
    {
      double t[2];
      vi_expfam_sufficient (fam, x[k], t);
      for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
          cov[i * 2 + j] += (t[i] - mean[i]) * (t[j] - mean[j]) / (n - 1);
    }
  for (gint64 k = 0; k < n; k++)
    {
      double t[2];
      vi_expfam_sufficient (fam, x[k], t);
      for (int i = 0; i < 4; i++)
        {
          double p = (t[i / 2] - mean[i / 2]) * (t[i % 2] - mean[i % 2]) - cov[i];
          var4[i] += p * p / (n - 1);
        }
    }
  vi_assert_close_array (s->mc_fisher_eta, cov, 4, 0, 1e-9);
  vi_assert_close_array (s->mc_mean_t, mean, 2, 1e-12, 1e-9);
  for (int i = 0; i < 4; i++)
    vi_assert_close (s->mc_fisher_eta[i], s->fisher_eta[i], 5 * sqrt (var4[i] / n), 0);
  /* Closed form from REFERENCES.md §1: I(η) = [[ψ₁(α), 1/β], [1/β, α/β²]]. */
  vi_assert_close (s->fisher_eta[1], 1 / 1.5, 1e-14, 1e-12);
  vi_assert_close (s->fisher_eta[3], 2.5 / 2.25, 1e-14, 1e-12);
  vi_assert_close (s->fisher_theta[1], -1 / 1.5, 1e-14, 1e-12);

  for (guint b = 0; b < s->n_bins; b++)
    total += s->counts[b];
  g_assert_cmpfloat (total + (double) s->n_outside, ==, (double) n);
  /* The plot range holds all but about 0.2 % of the mass. */
  g_assert_cmpfloat ((double) s->n_outside, <, 0.01 * n);
  g_assert_cmpuint (s->trace_len, ==, s->iteration);
  g_assert_cmpfloat (s->trace_n[s->trace_len - 1], ==, (double) n);
  g_assert_true (s->objective >= 0 && s->objective < 0.05);

  g_free (x);
  vi_expfam_snapshot_free (s);
}

static void
test_reproducible (void)
{
  g_autoptr(ViJob) a = vi_job_create (&vi_expfam_job_type, gamma_params (5000, 100, 7), NULL);
  g_autoptr(ViJob) b = vi_job_create (&vi_expfam_job_type, gamma_params (5000, 100, 7), NULL);
  g_autoptr(ViJob) c = vi_job_create (&vi_expfam_job_type, gamma_params (5000, 100, 8), NULL);
  ViExpfamSnapshot *sa = run_to_end (a), *sb = run_to_end (b), *sc = run_to_end (c);

  g_assert_cmpmem (sa->counts, sizeof sa->counts, sb->counts, sizeof sb->counts);
  g_assert_cmpmem (sa->mc_fisher_eta, sizeof sa->mc_fisher_eta,
                   sb->mc_fisher_eta, sizeof sb->mc_fisher_eta);
  g_assert_cmpfloat (sa->mc_fisher_eta[0], !=, sc->mc_fisher_eta[0]);
  vi_expfam_snapshot_free (sa);
  vi_expfam_snapshot_free (sb);
  vi_expfam_snapshot_free (sc);
}

/* A long trace is decimated, never longer than the cap, and keeps its end. */
static void
test_trace_decimated (void)
{
  g_autoptr(ViJob) job = vi_job_create (&vi_expfam_job_type, gamma_params (30000, 5, 3), NULL);
  ViExpfamSnapshot *s = run_to_end (job);

  g_assert_cmpuint (s->iteration, ==, 6000);
  g_assert_cmpuint (s->trace_len, <=, 2048);
  g_assert_cmpuint (s->trace_len, >=, 1024);
  for (guint k = 1; k < s->trace_len; k++)
    g_assert_cmpfloat (s->trace_n[k], >, s->trace_n[k - 1]);
  g_assert_cmpfloat (s->trace_n[s->trace_len - 1], ==, 30000);
  vi_expfam_snapshot_free (s);
}

static void
test_cancel (void)
{
  g_autoptr(ViJob) job = vi_job_create (&vi_expfam_job_type,
                                        gamma_params (10000000, 10000000, 1), NULL);
  gint cancel = 1;

  g_assert_cmpint (vi_job_step (job, &cancel), ==, VI_ECANCELLED);
  g_assert_false (vi_job_is_finished (job));
  g_assert_cmpuint (vi_job_get_iteration (job), ==, 0);
}

static void
test_bad_params (void)
{
  GVariantBuilder b;
  g_autoptr(GError) error = NULL;
  ViJob *job;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string ("gamma"));
  g_variant_builder_add (&b, "{sv}", "shape", g_variant_new_double (-1));
  job = vi_job_create (&vi_expfam_job_type, g_variant_builder_end (&b), &error);
  g_assert_null (job);
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_assert_nonnull (strstr (error->message, "shape"));
  g_assert_nonnull (strstr (error->message, "-1"));
  g_clear_error (&error);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string ("cauchy"));
  job = vi_job_create (&vi_expfam_job_type, g_variant_builder_end (&b), &error);
  g_assert_null (job);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "cauchy"));
}

/* Poisson bins are centred on the integers and count exactly the draws equal
 * to each integer. */
static void
test_discrete_bins (void)
{
  GVariantBuilder b;
  g_autoptr(ViJob) job = NULL;
  g_autoptr(gsl_rng) rng = vi_rng_create (11, 0);
  const ViExpfam *fam = vi_expfam_lookup ("poisson");
  double theta[1] = { 3.0 }, x[4000];
  ViExpfamSnapshot *s;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string ("poisson"));
  g_variant_builder_add (&b, "{sv}", "rate", g_variant_new_double (3.0));
  g_variant_builder_add (&b, "{sv}", "n", g_variant_new_int64 (4000));
  g_variant_builder_add (&b, "{sv}", "seed", g_variant_new_int64 (11));
  job = vi_job_create (&vi_expfam_job_type, g_variant_builder_end (&b), NULL);
  s = run_to_end (job);
  vi_expfam_sample_n (fam, theta, rng, 4000, x);
  g_assert_cmpfloat (s->lo, ==, -0.5);
  for (guint bin = 0; bin < s->n_bins; bin++)
    {
      double want = 0;
      for (int k = 0; k < 4000; k++)
        want += x[k] == bin;
      g_assert_cmpfloat (s->counts[bin], ==, want);
    }
  vi_expfam_snapshot_free (s);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/expfam-job/gamma-fisher", test_gamma_fisher);
  g_test_add_func ("/core/expfam-job/reproducible", test_reproducible);
  g_test_add_func ("/core/expfam-job/trace-decimated", test_trace_decimated);
  g_test_add_func ("/core/expfam-job/cancel", test_cancel);
  g_test_add_func ("/core/expfam-job/bad-params", test_bad_params);
  g_test_add_func ("/core/expfam-job/discrete-bins", test_discrete_bins);
  return g_test_run ();
}
