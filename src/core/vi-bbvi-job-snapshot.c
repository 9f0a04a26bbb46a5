/* vi-bbvi-job-snapshot.c — the bbvi job's snapshots (see vi-bbvi-job.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-bbvi-job-private.h"
#include "vi-bbvi-job.h"

static double *
dup_array (GArray *a)
{
  return a->len > 0 ? g_memdup2 (a->data, a->len * sizeof (double)) : NULL;
}

gpointer
vi_bbvi_job_snapshot_state (gpointer state)
{
  BbviJob *job = state;
  ViBbviSnapshot *s = vi_bbvi_snapshot_new ();

  s->alpha = job->model.alpha;
  s->beta = job->model.beta;
  s->n = job->model.n;
  s->sum_x = job->model.sum_x;
  vi_bbvi_model_posterior (&job->model, &s->posterior_shape, &s->posterior_rate);
  s->log_evidence = vi_bbvi_model_log_evidence (&job->model);
  s->family = job->family;
  s->dim = vi_bbvi_family_get_dim (job->family);
  memcpy (s->params_opt, job->params_opt, sizeof s->params_opt);
  s->elbo_opt = job->elbo_opt;
  s->seed = job->seed;
  s->data_seed = job->data_seed;
  s->samples = job->samples;
  s->iteration = job->t;
  s->iterations = job->iterations;
  s->variance_mode = job->variance_mode;
  s->n_traces = job->n_runs;
  s->traces = g_new0 (ViBbviTrace, MAX (job->n_runs, 1));
  for (size_t k = 0; k < job->n_runs; k++)
    {
      Run *r = &job->runs[k];
      ViBbviTrace *t = &s->traces[k];

      t->estimator = r->estimator;
      t->len = r->iteration->len;
      t->iteration = dup_array (r->iteration);
      t->elbo = dup_array (r->elbo);
      t->elbo_estimate = dup_array (r->elbo_estimate);
      t->params = dup_array (r->trace_params);
      t->grad_var = dup_array (r->grad_var);
      t->grad_snr = dup_array (r->grad_snr);
      t->stride = r->stride;
      t->grad_var_mean = r->grad_var_n > 0 ? r->grad_var_sum / (double) r->grad_var_n : NAN;
      memcpy (t->current, r->params, sizeof t->current);
      t->current_elbo = vi_bbvi_family_elbo (job->family, &job->model, r->params);
      t->diverged = r->diverged;
      t->message = g_strdup (r->message);
    }
  if (job->variance_mode)
    {
      s->n_points = job->points->len;
      s->n_points_planned = job->sweep_samples != NULL ? job->sweep_samples->len
                            : job->sweep_theta != NULL ? job->sweep_theta->len : 1;
      s->points = s->n_points > 0 ? g_memdup2 (job->points->data,
                                               s->n_points * sizeof (ViBbviVariancePoint))
                                  : NULL;
    }
  return s;
}

ViBbviSnapshot *
vi_bbvi_snapshot_new (void)
{
  return g_atomic_rc_box_new0 (ViBbviSnapshot);
}

static void
snapshot_clear (gpointer data)
{
  ViBbviSnapshot *s = data;

  for (size_t k = 0; k < s->n_traces; k++)
    {
      g_free (s->traces[k].iteration);
      g_free (s->traces[k].elbo);
      g_free (s->traces[k].elbo_estimate);
      g_free (s->traces[k].params);
      g_free (s->traces[k].grad_var);
      g_free (s->traces[k].grad_snr);
      g_free (s->traces[k].message);
    }
  g_free (s->traces);
  g_free (s->points);
}

void
vi_bbvi_snapshot_free (ViBbviSnapshot *s)
{
  if (s != NULL)
    g_atomic_rc_box_release_full (s, snapshot_clear);
}

void
vi_bbvi_job_snapshot_release (gpointer s)
{
  vi_bbvi_snapshot_free (s);
}
