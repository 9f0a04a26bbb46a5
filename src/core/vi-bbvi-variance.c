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

#define EXPECT(dst, i, j) \
  if ((status = expect (&(dst), &p, ws, (i), (j))) != VI_OK) \
    goto out;

  EXPECT (ef, FN_ONE, FN_F);
  EXPECT (eff, FN_F, FN_F);
  EXPECT (efh, FN_F, FN_H);
  EXPECT (ehh, FN_H, FN_H);
  EXPECT (erep, FN_ONE, FN_REPARAM);
  EXPECT (erep2, FN_REPARAM, FN_REPARAM);
  for (int i = 0; i < 3; i++)
    {
      EXPECT (b[i], gfn[i], FN_F);
      for (int j = i; j < 3; j++)
        {
          EXPECT (G[3 * i + j], gfn[i], gfn[j]);
          G[3 * j + i] = G[3 * i + j];
        }
    }
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
  EXPECT (er, FN_ONE, FN_RESID);
  EXPECT (err_, FN_RESID, FN_RESID);
#undef EXPECT

  out->mean1[VI_BBVI_NAIVE] = ef;
  out->variance1[VI_BBVI_NAIVE] = eff - ef * ef;
  out->mean1[VI_BBVI_CV] = ef;
  out->variance1[VI_BBVI_CV] = eff - efh * efh / ehh - ef * ef;
  out->mean1[VI_BBVI_CV_SAME_SAMPLE] = ef;
  out->variance1[VI_BBVI_CV_SAME_SAMPLE] = out->variance1[VI_BBVI_CV];
  /* ∂E[log λ]/∂θ = −1/θ and ∂E[λ]/∂θ = −1/θ² restore the mean of c*ᵀg. */
  out->mean1[VI_BBVI_CV_SUFF] = er - p.c[1] / theta - p.c[2] / (theta * theta);
  out->variance1[VI_BBVI_CV_SUFF] = fmax (0.0, err_ - er * er);
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
  const ViBbviExact *exact;
  const ViBbviEstimator *estimators;
  size_t n_estimators;
  size_t samples, repeats;
  guint64 seed;
  guint worker, n_workers;
  const gint *cancel;
  double *values;      /* n_estimators × repeats */
  int status;
} Chunk;

static gpointer
chunk_run (gpointer data)
{
  Chunk *c = data;
  const ViBbviFamily *fam = vi_bbvi_family_lookup ("exponential");
  ViBbviWorkspace *ws = vi_bbvi_workspace_create (c->samples);
  gsl_rng *rng = vi_rng_create (c->seed, 0);
  double theta = c->exact->theta;

  c->status = VI_OK;
  if (ws == NULL || rng == NULL)
    {
      c->status = VI_ENOMEM;
      goto out;
    }
  for (size_t r = c->worker; r < c->repeats; r += c->n_workers)
    {
      if (c->cancel != NULL && g_atomic_int_get (c->cancel))
        {
          c->status = VI_ECANCELLED;
          goto out;
        }
      for (size_t k = 0; k < c->n_estimators; k++)
        {
          ViBbviEstimator e = c->estimators[k];
          double g;
          int status;

          if (c->samples < vi_bbvi_estimator_min_samples (e))
            continue;
          vi_rng_reset (rng, vi_rng_stream_seed (c->seed, 1 + (guint64) e), r);
          status = vi_bbvi_estimate (&g, NULL, ws, c->model, fam, &theta, e, c->samples, rng);
          if (status != VI_OK)
            {
              c->status = status;
              goto out;
            }
          c->values[k * c->repeats + r] = g;
        }
    }
out:
  vi_bbvi_workspace_free (ws);
  if (rng != NULL)
    gsl_rng_free (rng);
  return NULL;
}

int
vi_bbvi_variance_measure (ViBbviVariancePoint   *out,
                          const ViBbviModel     *model,
                          const ViBbviExact     *exact,
                          size_t                 samples,
                          size_t                 repeats,
                          const ViBbviEstimator *estimators,
                          size_t                 n_estimators,
                          guint64                seed,
                          guint                  n_threads,
                          const gint            *cancel)
{
  g_autofree double *values = NULL;
  g_autofree Chunk *chunks = NULL;
  g_autofree GThread **threads = NULL;
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
  if (values == NULL)
    return VI_ENOMEM;
  chunks = g_new0 (Chunk, n_threads);
  threads = g_new0 (GThread *, n_threads);
  for (guint i = 0; i < n_threads; i++)
    chunks[i] = (Chunk) { model, exact, estimators, n_estimators, samples, repeats, seed,
                          i, n_threads, cancel, values, VI_OK };
  for (guint i = 1; i < n_threads; i++)
    {
      threads[i] = g_thread_try_new ("bbvi-variance", chunk_run, &chunks[i], NULL);
      if (threads[i] == NULL)
        chunk_run (&chunks[i]);
    }
  chunk_run (&chunks[0]);
  for (guint i = 1; i < n_threads; i++)
    if (threads[i] != NULL)
      g_thread_join (threads[i]);
  for (guint i = 0; i < n_threads; i++)
    if (chunks[i].status != VI_OK && (status == VI_OK || chunks[i].status == VI_ECANCELLED))
      status = chunks[i].status;
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
