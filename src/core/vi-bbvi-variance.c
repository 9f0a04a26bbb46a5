/* vi-bbvi-variance.c — exact (QAGIU) and measured variances of the BBVI
 * gradient estimators
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_integration.h>
#include <gsl/gsl_linalg.h>

#include "vi-bbvi-variance.h"
#include "vi-parallel.h"
#include "vi-rng.h"
#include "vi-status.h"

/* One-sample functions of λ for q = Exponential(θ). */
enum
{
  FN_ONE,
  FN_F,       /* h (log p − log q) */
  FN_H,       /* 1/θ − λ */
  FN_HLOG,    /* h log λ */
  FN_HLAM,    /* h λ */
  FN_REPARAM, /* (Bλ − A)/θ */
  FN_RESID,   /* f − c*ᵀ g */
};

typedef struct
{
  const ViBbviModel *model;
  double theta;
  double c[3];
  int i, j;
} Integrand;

static double
fn_eval (const Integrand *p,
         int              which,
         double           lambda)
{
  const ViBbviModel *m = p->model;
  double t = p->theta, h = 1.0 / t - lambda, w;

  switch (which)
    {
    case FN_ONE:
      return 1.0;
    case FN_H:
      return h;
    case FN_HLOG:
      return h * log (lambda);
    case FN_HLAM:
      return h * lambda;
    case FN_REPARAM:
      return ((m->beta + (double) m->n) * lambda - (m->alpha + m->sum_x)) / t;
    case FN_F:
    case FN_RESID:
    default:
      w = vi_bbvi_model_log_joint (m, lambda) - (log (t) - t * lambda);
      if (which == FN_F)
        return h * w;
      return h * w - h * (p->c[0] + p->c[1] * log (lambda) + p->c[2] * lambda);
    }
}

/* ∫ φ_i φ_j q dλ with λ = u/θ, q dλ = e^{−u} du. */
static double
integrand (double  u,
           void   *data)
{
  const Integrand *p = data;
  double lambda = u / p->theta;

  if (u == 0.0)
    return 0.0;
  return fn_eval (p, p->i, lambda) * fn_eval (p, p->j, lambda) * exp (-u);
}

static int
expect (double                     *out,
        Integrand                  *p,
        gsl_integration_workspace  *ws,
        int                         i,
        int                         j)
{
  gsl_function F = { integrand, p };
  double err;
  int status;

  p->i = i;
  p->j = j;
  status = gsl_integration_qagiu (&F, 0.0, 1e-12, 1e-11, 1000, ws, out, &err);
  if (status == GSL_EROUND)
    status = GSL_SUCCESS;  /* the requested accuracy is beyond rounding; *out is fine */
  return status == GSL_SUCCESS ? VI_OK : vi_status_from_gsl (status);
}

/* One moment E[φ_i φ_j] and where it goes. */
typedef struct
{
  double *out;
  int     i, j;
} Moment;

/* expect() for each of @moments in order; stops at the first failure. */
static int
expect_all (const Moment               *moments,
            gsize                       n_moments,
            Integrand                  *p,
            gsl_integration_workspace  *ws)
{
  int status = VI_OK;

  for (gsize k = 0; k < n_moments && status == VI_OK; k++)
    status = expect (moments[k].out, p, ws, moments[k].i, moments[k].j);
  return status;
}

int
vi_bbvi_variance_exact (ViBbviExact       *out,
                        const ViBbviModel *model,
                        double             theta)
{
  gsl_integration_workspace *ws = NULL;
  Integrand p = { model, theta, { 0, 0, 0 }, 0, 0 };
  static const int gfn[3] = { FN_H, FN_HLOG, FN_HLAM };
  double ef, eff, efh, ehh, er, err_, erep, erep2;
  double G[9], b[3];
  int status;

  if (!(isfinite (theta) && theta > 0.0))
    return VI_EDOM;
  memset (out, 0, sizeof *out);
  out->theta = theta;
  out->gradient = ((model->beta + (double) model->n) - theta * (model->alpha + model->sum_x))
                  / (theta * theta);
  ws = gsl_integration_workspace_alloc (1000);
  if (ws == NULL)
    return VI_ENOMEM;

  {
    const Moment moments[] = {
      { &ef, FN_ONE, FN_F },
      { &eff, FN_F, FN_F },
      { &efh, FN_F, FN_H },
      { &ehh, FN_H, FN_H },
      { &erep, FN_ONE, FN_REPARAM },
      { &erep2, FN_REPARAM, FN_REPARAM },
    };

    status = expect_all (moments, G_N_ELEMENTS (moments), &p, ws);
  }
  /* The control variates' normal equations E[ggᵀ] c = E[g f]. */
  for (int i = 0; i < 3 && status == VI_OK; i++)
    {
      status = expect (&b[i], &p, ws, gfn[i], FN_F);
      for (int j = i; j < 3 && status == VI_OK; j++)
        {
          status = expect (&G[3 * i + j], &p, ws, gfn[i], gfn[j]);
          G[3 * j + i] = G[3 * i + j];
        }
    }
  if (status != VI_OK)
    goto out;
  {
    gsl_matrix_view Gv = gsl_matrix_view_array (G, 3, 3);
    gsl_vector_view bv = gsl_vector_view_array (b, 3);
    gsl_vector_view cv = gsl_vector_view_array (p.c, 3);

    /* E[ggᵀ] is symmetric positive definite. */
    status = gsl_linalg_cholesky_decomp1 (&Gv.matrix);
    if (status == GSL_SUCCESS)
      status = gsl_linalg_cholesky_solve (&Gv.matrix, &bv.vector, &cv.vector);
    if (status != GSL_SUCCESS)
      {
        status = vi_status_from_gsl (status);
        goto out;
      }
  }
  {
    const Moment residual[] = {
      { &er, FN_ONE, FN_RESID },
      { &err_, FN_RESID, FN_RESID },
    };

    status = expect_all (residual, G_N_ELEMENTS (residual), &p, ws);
    if (status != VI_OK)
      goto out;
  }

  out->mean1[VI_BBVI_NAIVE] = ef;
  out->variance1[VI_BBVI_NAIVE] = eff - ef * ef;
  out->mean1[VI_BBVI_CV] = ef;
  out->variance1[VI_BBVI_CV] = eff - efh * efh / ehh - ef * ef;
  out->mean1[VI_BBVI_CV_SAME_SAMPLE] = ef;
  out->variance1[VI_BBVI_CV_SAME_SAMPLE] = out->variance1[VI_BBVI_CV];
  /* ∂E[log λ]/∂θ = −1/θ and ∂E[λ]/∂θ = −1/θ² restore the mean of c*ᵀg. */
  out->mean1[VI_BBVI_CV_SUFF] = er - p.c[1] / theta - p.c[2] / (theta * theta);
  /* f − c*ᵀg vanishes identically (log p − log q is linear in (1, log λ, λ)),
   * so what the quadrature returns is its own error: below its relative
   * tolerance times the scale E[f²] the exact value is 0, and 0 is what a
   * log-log plot should leave out rather than draw as a line of noise. */
  out->variance1[VI_BBVI_CV_SUFF] = err_ - er * er <= 1e-10 * eff ? 0.0 : err_ - er * er;
  out->mean1[VI_BBVI_REPARAM] = erep;
  out->variance1[VI_BBVI_REPARAM] = erep2 - erep * erep;
  status = VI_OK;

out:
  gsl_integration_workspace_free (ws);
  return status;
}

typedef struct
{
  const ViBbviModel *model;
  const ViBbviFamily *family;
  double theta;
  ViBbviEstimator estimator;
  size_t samples;
  ViBbviWorkspace **ws;   /* one per worker */
  double *values;         /* this estimator's row: one slot per repeat */
} Repeats;

/* Repeat task->index of one estimator, drawing from the task's stream. */
static int
repeat_run (const ViParallelTask *task,
            gpointer              data)
{
  Repeats *c = data;

  return vi_bbvi_estimate (&c->values[task->index], NULL, c->ws[task->worker], c->model,
                           c->family, &c->theta, c->estimator, c->samples, task->rng);
}

int
vi_bbvi_variance_measure (ViBbviVariancePoint *out, const ViBbviModel *model,
                          const ViBbviExact *exact, size_t samples, size_t repeats,
                          const ViBbviEstimator *estimators, size_t n_estimators, guint64 seed,
                          guint n_threads, const gint *cancel)
{
  g_autofree double *values = NULL;
  g_autofree ViBbviWorkspace **ws = NULL;
  Repeats c = { model, vi_bbvi_family_lookup ("exponential"), exact->theta, 0, samples,
                NULL, NULL };
  ViParallel *par;
  guint n_workers;
  int status = VI_OK;

  memset (out, 0, sizeof *out);
  out->theta = exact->theta;
  out->samples = samples;
  out->repeats = repeats;
  out->exact_gradient = exact->gradient;
  if (samples == 0 || repeats < 2 || n_estimators == 0)
    return VI_EINVAL;
  if (n_threads == 0)
    n_threads = MIN (8, g_get_num_processors ());
  n_threads = (guint) MIN ((size_t) n_threads, repeats);
  values = g_try_new (double, n_estimators * repeats);
  if (values == NULL || (par = vi_parallel_create (n_threads, NULL)) == NULL)
    return VI_ENOMEM;

  /* Repeat r of estimator e is task r of a parallel-for over the streams of
   * vi_rng_stream_seed (seed, 1 + e); its estimate goes to slot r. */
  n_workers = vi_parallel_get_n_workers (par);
  ws = c.ws = g_new0 (ViBbviWorkspace *, n_workers);
  for (guint i = 0; i < n_workers && status == VI_OK; i++)
    if ((ws[i] = vi_bbvi_workspace_create (samples)) == NULL)
      status = VI_ENOMEM;
  for (size_t k = 0; k < n_estimators && status == VI_OK; k++)
    {
      guint64 stream_seed = vi_rng_stream_seed (seed, 1 + (guint64) estimators[k]);

      c.estimator = estimators[k];
      c.values = values + k * repeats;
      if (samples >= vi_bbvi_estimator_min_samples (c.estimator))
        status = vi_parallel_for (par, repeats, stream_seed, 0, repeat_run, &c, cancel);
    }
  for (guint i = 0; i < n_workers; i++)
    vi_bbvi_workspace_free (ws[i]);
  vi_parallel_free (par);
  if (status != VI_OK)
    return status;

  for (size_t k = 0; k < n_estimators; k++)
    {
      ViBbviEstimator e = estimators[k];
      ViBbviVarianceStat *st = &out->est[e];
      const double *v = values + k * repeats;
      double mean = 0.0, ss = 0.0;

      if (samples < vi_bbvi_estimator_min_samples (e))
        continue;
      for (size_t r = 0; r < repeats; r++)
        mean += v[r];
      mean /= (double) repeats;
      for (size_t r = 0; r < repeats; r++)
        ss += (v[r] - mean) * (v[r] - mean);
      st->defined = TRUE;
      st->mean = mean;
      st->variance = ss / (double) (repeats - 1);
      st->mean_stderr = sqrt (st->variance / (double) repeats);
      st->bias = mean - exact->gradient;
      st->variance_exact = exact->variance1[e] / (double) samples;
    }
  return VI_OK;
}
