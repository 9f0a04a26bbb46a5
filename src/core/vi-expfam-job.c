/* vi-expfam-job.c — Monte-Carlo draws in batches for the expfam page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vi-expfam-job.h"
#include "vi-rng.h"
#include "vi-status.h"

/* The trace keeps at most this many points; when full it keeps every other
 * one and records only every 2nd, 4th, … step after that. */
#define TRACE_MAX 2048
#define CANCEL_EVERY 4096

typedef struct
{
  ViExpfamSnapshot snap;        /* trace_* point into the arrays below */
  gsl_rng *rng;
  guint64 batch;
  guint64 trace_stride;
  double *scratch;              /* batch draws */
  /* Welford moments of t(x). */
  double w_mean[VI_EXPFAM_MAX_DIM];
  double w_m2[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  guint64 w_n;
} ExpfamJob;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
vi_expfam_job_plot_range (const ViExpfam *fam,
                          const double   *theta,
                          double         *lo,
                          double         *hi)
{
  enum { N = 4000 };
  double *x = g_new (double, N);
  gsl_rng *rng = vi_rng_create (20240601, 99);
  double slo, shi, a, b, pad;

  vi_expfam_get_support (fam, &slo, &shi);
  vi_expfam_sample_n (fam, theta, rng, N, x);
  qsort (x, N, sizeof (double), compare_doubles);
  a = x[N / 1000];
  b = x[N - 1 - N / 1000];
  gsl_rng_free (rng);
  g_free (x);

  if (vi_expfam_is_discrete (fam))
    {
      a = MAX (floor (a) - 1, slo);
      b = MAX (ceil (b) + 1, a + 1);
      if (isfinite (shi))
        b = MIN (b, shi);
      *lo = a - 0.5;
      *hi = b + 0.5;
      return;
    }
  pad = 0.05 * (b - a);
  if (!(pad > 0))
    pad = 0.5;
  a = MAX (a - pad, slo);
  b = MIN (b + pad, shi);
  /* Positive families: start at 0 when the quantile is close to it. */
  if (slo == 0 && a < 0.2 * b)
    a = 0;
  *lo = a;
  *hi = b;
}

static void
fisher_theta_from_eta (const ViExpfam *fam,
                       const double   *theta,
                       const double   *fisher_eta,
                       double         *out)
{
  size_t d = vi_expfam_get_dim (fam);
  double jac[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];

  /* I(θ) = Jᵀ I(η) J with J = ∂η/∂θ (REFERENCES.md §1). */
  vi_expfam_jacobian (fam, theta, jac);
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++)
      {
        double s = 0;
        for (size_t k = 0; k < d; k++)
          for (size_t l = 0; l < d; l++)
            s += jac[k * d + i] * fisher_eta[k * d + l] * jac[l * d + j];
        out[i * d + j] = s;
      }
}

static void
update_estimates (ExpfamJob *job)
{
  ViExpfamSnapshot *s = &job->snap;
  size_t d = s->dim;
  double num = 0, den = 0;

  if (job->w_n < 2)
    return;
  for (size_t i = 0; i < d; i++)
    s->mc_mean_t[i] = job->w_mean[i];
  for (size_t i = 0; i < d * d; i++)
    s->mc_fisher_eta[i] = job->w_m2[i] / (double) (job->w_n - 1);
  fisher_theta_from_eta (s->fam, s->theta, s->mc_fisher_eta, s->mc_fisher_theta);
  for (size_t i = 0; i < d * d; i++)
    {
      num += (s->mc_fisher_eta[i] - s->fisher_eta[i]) * (s->mc_fisher_eta[i] - s->fisher_eta[i]);
      den += s->fisher_eta[i] * s->fisher_eta[i];
    }
  s->objective = den > 0 ? sqrt (num / den) : NAN;
}

static void
trace_append (ExpfamJob *job)
{
  ViExpfamSnapshot *s = &job->snap;
  size_t dd = s->dim * s->dim;

  if (job->w_n < 2 || s->iteration % job->trace_stride != 0)
    return;
  if (s->trace_len == TRACE_MAX)
    {
      for (guint k = 0; k < TRACE_MAX / 2; k++)
        {
          s->trace_n[k] = s->trace_n[2 * k + 1];
          memcpy (&s->trace_fisher[k * dd], &s->trace_fisher[(2 * k + 1) * dd],
                  dd * sizeof (double));
        }
      s->trace_len = TRACE_MAX / 2;
      job->trace_stride *= 2;
      if (s->iteration % job->trace_stride != 0)
        return;
    }
  s->trace_n[s->trace_len] = (double) s->n_drawn;
  memcpy (&s->trace_fisher[s->trace_len * dd], s->mc_fisher_eta, dd * sizeof (double));
  s->trace_len++;
}

static void
expfam_job_free (gpointer state)
{
  ExpfamJob *job = state;

  if (job == NULL)
    return;
  g_clear_pointer (&job->rng, gsl_rng_free);
  g_free (job->scratch);
  g_free (job->snap.trace_n);
  g_free (job->snap.trace_fisher);
  g_free (job);
}

static gpointer
expfam_job_create (GVariant  *params,
                   GError   **error)
{
  g_autofree char *family = vi_params_dup_string (params, "family", "gaussian");
  const ViExpfam *fam;
  ExpfamJob *job = NULL;
  ViExpfamSnapshot *s;
  const char *const *names;
  double def[VI_EXPFAM_MAX_DIM];
  gint64 n, batch, seed;
  size_t d;

  fam = vi_expfam_lookup_checked (family, error);
  if (fam == NULL)
    return NULL;
  d = vi_expfam_get_dim (fam);
  names = vi_expfam_get_param_names (fam);
  vi_expfam_get_default_params (fam, def);

  job = g_new0 (ExpfamJob, 1);
  s = &job->snap;
  s->fam = fam;
  s->dim = d;
  for (size_t i = 0; i < d; i++)
    if (!vi_params_get_double (params, names[i], def[i], -G_MAXDOUBLE, G_MAXDOUBLE,
                               &s->theta[i], error))
      goto fail;
  if (!vi_expfam_check_params (fam, s->theta, error))
    goto fail;
  if (!vi_params_get_int64 (params, "n", 20000, 2, G_GINT64_CONSTANT (10000000000), &n, error)
      || !vi_params_get_int64 (params, "batch", 200, 1, 10000000, &batch, error)
      || !vi_params_get_int64 (params, "seed", 1, 0, G_MAXINT64, &seed, error))
    goto fail;

  vi_expfam_natural (fam, s->theta, s->eta);
  vi_expfam_mean_sufficient (fam, s->eta, s->mean_t);
  vi_expfam_fisher_natural (fam, s->eta, s->fisher_eta);
  vi_expfam_fisher_params (fam, s->theta, s->fisher_theta);
  for (size_t i = 0; i < VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM; i++)
    s->mc_fisher_eta[i] = s->mc_fisher_theta[i] = NAN;
  for (size_t i = 0; i < VI_EXPFAM_MAX_DIM; i++)
    s->mc_mean_t[i] = NAN;
  s->objective = NAN;
  s->n_total = (guint64) n;

  vi_expfam_job_plot_range (fam, s->theta, &s->lo, &s->hi);
  if (vi_expfam_is_discrete (fam))
    s->n_bins = (guint) MIN ((double) VI_EXPFAM_JOB_MAX_BINS, round (s->hi - s->lo));
  else
    s->n_bins = 60;
  if (vi_expfam_is_discrete (fam) && s->n_bins == VI_EXPFAM_JOB_MAX_BINS)
    s->hi = s->lo + VI_EXPFAM_JOB_MAX_BINS;

  job->batch = (guint64) batch;
  job->trace_stride = 1;
  job->rng = vi_rng_create ((guint64) seed, 0);
  job->scratch = g_try_new (double, MIN ((guint64) batch, CANCEL_EVERY));
  s->trace_n = g_try_new (double, TRACE_MAX);
  s->trace_fisher = g_try_new (double, TRACE_MAX * d * d);
  if (job->rng == NULL || job->scratch == NULL || s->trace_n == NULL || s->trace_fisher == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "expfam: out of memory (batch %" G_GINT64_FORMAT ")",
                   batch);
      goto fail;
    }
  return job;

fail:
  expfam_job_free (job);
  return NULL;
}

static int
expfam_job_step (gpointer     state,
                 const gint  *cancel,
                 char       **error_message)
{
  ExpfamJob *job = state;
  ViExpfamSnapshot *s = &job->snap;
  size_t d = s->dim;
  guint64 todo = MIN (job->batch, s->n_total - s->n_drawn);
  double width = (s->hi - s->lo) / s->n_bins;

  /* The batch is drawn in chunks so that cancel is seen every few ms; a
   * cancelled step has still drawn whole chunks, which stay counted. */
  while (todo > 0)
    {
      size_t chunk = (size_t) MIN (todo, CANCEL_EVERY);

      if (cancel != NULL && g_atomic_int_get (cancel))
        return VI_ECANCELLED;
      vi_expfam_sample_n (s->fam, s->theta, job->rng, chunk, job->scratch);
      for (size_t k = 0; k < chunk; k++)
        {
          double x = job->scratch[k];
          double t[VI_EXPFAM_MAX_DIM], delta[VI_EXPFAM_MAX_DIM];
          double pos = (x - s->lo) / width;

          if (pos >= 0 && pos < s->n_bins)
            s->counts[(guint) pos] += 1;
          else
            s->n_outside++;

          vi_expfam_sufficient (s->fam, x, t);
          job->w_n++;
          for (size_t i = 0; i < d; i++)
            {
              delta[i] = t[i] - job->w_mean[i];
              job->w_mean[i] += delta[i] / (double) job->w_n;
            }
          for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++)
              job->w_m2[i * d + j] += delta[i] * (t[j] - job->w_mean[j]);
        }
      s->n_drawn += chunk;
      todo -= chunk;
    }
  s->iteration++;
  update_estimates (job);
  trace_append (job);
  for (size_t i = 0; i < d * d; i++)
    if (job->w_n >= 2 && !isfinite (s->mc_fisher_eta[i]))
      {
        *error_message = g_strdup_printf ("expfam: Monte-Carlo Fisher estimate is not finite "
                                          "after %" G_GUINT64_FORMAT " draws", s->n_drawn);
        return VI_ENONFINITE;
      }
  return s->n_drawn >= s->n_total ? VI_OK : VI_CONTINUE;
}

ViExpfamSnapshot *
vi_expfam_snapshot_copy (const ViExpfamSnapshot *snap)
{
  ViExpfamSnapshot *copy = g_memdup2 (snap, sizeof *snap);
  size_t dd = snap->dim * snap->dim;

  copy->trace_n = g_memdup2 (snap->trace_n, MAX (1, snap->trace_len) * sizeof (double));
  copy->trace_fisher = g_memdup2 (snap->trace_fisher,
                                  MAX (1, snap->trace_len) * dd * sizeof (double));
  return copy;
}

void
vi_expfam_snapshot_free (ViExpfamSnapshot *snap)
{
  if (snap == NULL)
    return;
  g_free (snap->trace_n);
  g_free (snap->trace_fisher);
  g_free (snap);
}

static gpointer
expfam_job_snapshot (gpointer state)
{
  return vi_expfam_snapshot_copy (&((ExpfamJob *) state)->snap);
}

static void
expfam_snapshot_free (gpointer snapshot)
{
  vi_expfam_snapshot_free (snapshot);
}

static guint64
expfam_job_get_iteration (gpointer state)
{
  return ((ExpfamJob *) state)->snap.iteration;
}

static double
expfam_job_get_objective (gpointer state)
{
  return ((ExpfamJob *) state)->snap.objective;
}

const ViJobType vi_expfam_job_type = {
  .name = "expfam",
  .create = expfam_job_create,
  .step = expfam_job_step,
  .snapshot = expfam_job_snapshot,
  .snapshot_free = expfam_snapshot_free,
  .free = expfam_job_free,
  .get_iteration = expfam_job_get_iteration,
  .get_objective = expfam_job_get_objective,
};
