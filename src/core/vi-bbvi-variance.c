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
#include <gsl/gsl_sf_psi.h>

#include "vi-bbvi-private.h"
#include "vi-bbvi-variance.h"
#include "vi-parallel.h"
#include "vi-rng.h"
#include "vi-status.h"

/* One-sample functions of λ for coordinate d: index 1 + d · N_KIND + kind
 * (index 0 is the constant 1). */
enum
{
  FN_F,       /* h_d (log p − log q) */
  FN_H,       /* h_d = ∂_d log q */
  FN_HLOG,    /* h_d log λ */
  FN_HLAM,    /* h_d λ */
  FN_REPARAM, /* the reparameterised gradient's coordinate d */
  FN_RESID,   /* f_d − c*_dᵀ g_d */
  N_KIND
};

#define FN_ONE 0
#define FN(d, kind) (1 + (int) (d) * N_KIND + (kind))
#define N_FN (1 + VI_BBVI_MAX_DIM * N_KIND)

typedef enum
{
  MAP_EXPONENTIAL,  /* QAGIU over u ≥ 0: λ = u/θ, q dλ = e^{−u} du */
  MAP_LOG,          /* QAGI over t: log λ = m + s t, q dλ = weight(t) dt */
} MapKind;

typedef struct
{
  const ViBbviModel *model;
  const ViBbviFamily *family;
  const double *params;
  MapKind map;
  double m, s;                  /* MAP_LOG: log λ = m + s t */
  double c[VI_BBVI_MAX_DIM][3]; /* cv-suff coefficients per coordinate */
  double diag[N_FN];            /* E[φ²], NAN until integrated */
  ViBbviWorkspace *ws;          /* gamma's implicit reparameterisation */
  double rep_lambda;            /* λ of rep[] (a cache: reparam_at can be costly) */
  double rep[VI_BBVI_MAX_DIM];
  int rep_status;
  int i, j;
} Integrand;

static double
fn_eval (Integrand *p,
         int        which,
         double     lambda)
{
  const ViBbviModel *m = p->model;
  int d, kind;
  double h[VI_BBVI_MAX_DIM], w;

  if (which == FN_ONE)
    return 1.0;
  d = (which - 1) / N_KIND;
  kind = (which - 1) % N_KIND;
  if (kind == FN_REPARAM)
    {
      if (lambda != p->rep_lambda)
        {
          int status = p->family->reparam_at (m, p->params, lambda, p->ws, p->rep);

          p->rep_lambda = lambda;
          if (status != VI_OK && p->rep_status == VI_OK)
            p->rep_status = status;
        }
      return p->rep[d];
    }
  p->family->score (p->params, lambda, h);
  switch (kind)
    {
    case FN_H:
      return h[d];
    case FN_HLOG:
      return h[d] * log (lambda);
    case FN_HLAM:
      return h[d] * lambda;
    case FN_F:
    case FN_RESID:
    default:
      w = vi_bbvi_model_log_joint (m, lambda) - p->family->log_q (p->params, lambda);
      if (kind == FN_F)
        return h[d] * w;
      return h[d] * (w - (p->c[d][0] + p->c[d][1] * log (lambda) + p->c[d][2] * lambda));
    }
}

/* ∫ φ_i φ_j q dλ in the variable of p->map. */
static double
integrand (double  t,
           void   *data)
{
  Integrand *p = data;
  double lambda, weight;

  if (p->map == MAP_EXPONENTIAL)
    {
      if (t == 0.0)
        return 0.0;
      lambda = t / p->params[0];
      weight = exp (-t);
    }
  else
    {
      double y = p->m + p->s * t;

      lambda = exp (y);
      if (p->family == vi_bbvi_family_lookup ("gamma"))
        {
          /* Gamma(a, b) density of log λ, times dy/dt = s. */
          double a = p->params[0], b = p->params[1];

          weight = p->s * exp (a * log (b) - lgamma (a) + a * y - b * lambda);
        }
      else
        weight = exp (-0.5 * t * t) / sqrt (2.0 * M_PI);   /* lognormal: y = μ + σ t */
    }
  if (!(weight > 0.0) || !(lambda > 0.0) || !isfinite (lambda))
    return 0.0;
  return fn_eval (p, p->i, lambda) * fn_eval (p, p->j, lambda) * weight;
}

static int expect (double *out, Integrand *p, gsl_integration_workspace *iws, int i, int j);

/* The size E[φ²] that an integral of φ is judged against. */
static int
scale_of (double                     *out,
          Integrand                  *p,
          gsl_integration_workspace  *iws,
          int                         i)
{
  int status = VI_OK;

  if (i == FN_ONE)
    {
      *out = 1.0;
      return VI_OK;
    }
  /* f − c*ᵀg vanishes for the exponential and gamma families: judge its
   * integrals against f's size, not against its own rounding noise. */
  if ((i - 1) % N_KIND == FN_RESID)
    i = i - FN_RESID + FN_F;
  if (isnan (p->diag[i]))
    status = expect (&p->diag[i], p, iws, i, i);
  *out = p->diag[i];
  return status;
}

/* E[φ_i φ_j] to a relative accuracy of about 1e-11, or 1e-13 of
 * sqrt(E[φ_i²] E[φ_j²]), which bounds it (Cauchy–Schwarz), so integrals that
 * are 0 (E[h] = 0, a gradient at its optimum) converge too. */
static int
expect (double                     *out,
        Integrand                  *p,
        gsl_integration_workspace  *iws,
        int                         i,
        int                         j)
{
  gsl_function F = { integrand, p };
  double err, si = 0.0, sj = 0.0, epsabs = 0.0;
  int status = VI_OK;

  if (i != j || (i - 1) % N_KIND == FN_RESID)
    {
      status = scale_of (&si, p, iws, i);
      if (status == VI_OK)
        status = scale_of (&sj, p, iws, j);
      if (status != VI_OK)
        return status;
      epsabs = MAX (1e-13 * sqrt (si * sj), 1e-300);
    }
  p->i = i;
  p->j = j;
  p->rep_status = VI_OK;
  if (p->map == MAP_EXPONENTIAL)
    status = gsl_integration_qagiu (&F, 0.0, MAX (epsabs, 1e-12), 1e-11, 1000, iws, out, &err);
  else
    status = gsl_integration_qagi (&F, epsabs, 1e-11, 1000, iws, out, &err);
  if (status == GSL_EROUND)
    status = GSL_SUCCESS;  /* the requested accuracy is beyond rounding; *out is fine */
  if (status != GSL_SUCCESS)
    return vi_status_from_gsl (status);
  return p->rep_status;
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
            gsl_integration_workspace  *iws)
{
  int status = VI_OK;

  for (gsize k = 0; k < n_moments && status == VI_OK; k++)
    status = expect (moments[k].out, p, iws, moments[k].i, moments[k].j);
  return status;
}

/* Coordinate d's moments into @out. */
static int
exact_coord (ViBbviExact                *out,
             Integrand                  *p,
             gsl_integration_workspace  *iws,
             size_t                      d)
{
  const int gfn[3] = { FN (d, FN_H), FN (d, FN_HLOG), FN (d, FN_HLAM) };
  double ef, eff, efh, ehh, er, err_, erep = NAN, erep2 = NAN, G[9], b[3];
  double eg[2 * VI_BBVI_MAX_DIM];
  int f = FN (d, FN_F), status;

  {
    const Moment moments[] = {
      { &ef, FN_ONE, f },
      { &eff, f, f },
      { &efh, f, FN (d, FN_H) },
      { &ehh, FN (d, FN_H), FN (d, FN_H) },
      { &erep, FN_ONE, FN (d, FN_REPARAM) },
      { &erep2, FN (d, FN_REPARAM), FN (d, FN_REPARAM) },
    };

    status = expect_all (moments, G_N_ELEMENTS (moments), p, iws);
  }
  /* The control variates' normal equations E[ggᵀ] c = E[g f]. */
  for (int i = 0; i < 3 && status == VI_OK; i++)
    {
      status = expect (&b[i], p, iws, gfn[i], f);
      for (int j = i; j < 3 && status == VI_OK; j++)
        {
          status = expect (&G[3 * i + j], p, iws, gfn[i], gfn[j]);
          G[3 * j + i] = G[3 * i + j];
        }
    }
  if (status != VI_OK)
    return status;
  {
    gsl_matrix_view Gv = gsl_matrix_view_array (G, 3, 3);
    gsl_vector_view bv = gsl_vector_view_array (b, 3);
    gsl_vector_view cv = gsl_vector_view_array (p->c[d], 3);

    /* E[ggᵀ] is symmetric positive definite. */
    status = gsl_linalg_cholesky_decomp1 (&Gv.matrix);
    if (status == GSL_SUCCESS)
      status = gsl_linalg_cholesky_solve (&Gv.matrix, &bv.vector, &cv.vector);
    if (status != GSL_SUCCESS)
      return vi_status_from_gsl (status);
  }
  {
    const Moment residual[] = {
      { &er, FN_ONE, FN (d, FN_RESID) },
      { &err_, FN (d, FN_RESID), FN (d, FN_RESID) },
    };

    status = expect_all (residual, G_N_ELEMENTS (residual), p, iws);
    if (status != VI_OK)
      return status;
  }

  out->coord_mean1[VI_BBVI_NAIVE][d] = ef;
  out->coord_variance1[VI_BBVI_NAIVE][d] = eff - ef * ef;
  out->coord_mean1[VI_BBVI_CV][d] = ef;
  out->coord_variance1[VI_BBVI_CV][d] = eff - efh * efh / ehh - ef * ef;
  out->coord_mean1[VI_BBVI_CV_SAME_SAMPLE][d] = ef;
  out->coord_variance1[VI_BBVI_CV_SAME_SAMPLE][d] = out->coord_variance1[VI_BBVI_CV][d];
  /* E[g] = (0, E[h log λ], E[h λ]) (the derivatives of E[1], E[log λ],
   * E[λ]) restores the mean of c*ᵀg. */
  p->family->suff_mean (p->params, eg);
  out->coord_mean1[VI_BBVI_CV_SUFF][d] = er + p->c[d][1] * eg[2 * d] + p->c[d][2] * eg[2 * d + 1];
  /* For the exponential and gamma families f − c*ᵀg vanishes identically
   * (log p − log q is linear in (1, log λ, λ)), so what the quadrature
   * returns is its own error: below its relative tolerance times the scale
   * E[f²] the exact value is 0, and 0 is what a log-log plot should leave
   * out rather than draw as a line of noise. */
  out->coord_variance1[VI_BBVI_CV_SUFF][d] = err_ - er * er <= 1e-10 * eff ? 0.0
                                             : err_ - er * er;
  out->coord_mean1[VI_BBVI_REPARAM][d] = erep;
  out->coord_variance1[VI_BBVI_REPARAM][d] = erep2 - erep * erep;
  return VI_OK;
}

int
vi_bbvi_variance_exact_at (ViBbviExact        *out,
                           const ViBbviModel  *model,
                           const ViBbviFamily *family,
                           const double       *params)
{
  gsl_integration_workspace *iws = NULL;
  Integrand p = { model, family, params, MAP_EXPONENTIAL };
  int status = VI_OK;

  memset (out, 0, sizeof *out);
  if (!vi_bbvi_family_check_params (family, params, NULL))
    return VI_EDOM;
  out->family = family;
  out->dim = vi_bbvi_family_get_dim (family);
  memcpy (out->params, params, out->dim * sizeof (double));
  out->theta = params[0];
  vi_bbvi_family_elbo_grad (family, model, params, out->gradients);
  out->gradient = out->gradients[0];
  for (int i = 0; i < N_FN; i++)
    p.diag[i] = NAN;
  p.rep_lambda = NAN;
  if (family == vi_bbvi_family_lookup ("gamma"))
    {
      /* log λ has mean ψ(a) − log b and variance ψ′(a). */
      p.map = MAP_LOG;
      p.m = gsl_sf_psi (params[0]) - log (params[1]);
      p.s = sqrt (gsl_sf_psi_1 (params[0]));
    }
  else if (family == vi_bbvi_family_lookup ("lognormal"))
    {
      p.map = MAP_LOG;
      p.m = params[0];
      p.s = sqrt (params[1]);
    }
  iws = gsl_integration_workspace_alloc (1000);
  p.ws = vi_bbvi_workspace_create (1);
  if (iws == NULL || p.ws == NULL)
    status = VI_ENOMEM;
  for (size_t d = 0; d < out->dim && status == VI_OK; d++)
    status = exact_coord (out, &p, iws, d);
  for (int e = 0; e < VI_BBVI_N_ESTIMATORS && status == VI_OK; e++)
    {
      out->mean1[e] = out->coord_mean1[e][0];
      out->variance1[e] = out->coord_variance1[e][0];
    }
  if (iws != NULL)
    gsl_integration_workspace_free (iws);
  vi_bbvi_workspace_free (p.ws);
  return status;
}

typedef struct
{
  const ViBbviModel *model;
  const ViBbviFamily *family;
  const double *params;
  ViBbviEstimator estimator;
  size_t samples;
  size_t dim;
  ViBbviWorkspace **ws;   /* one per worker */
  double *values;         /* this estimator's rows: dim slots per repeat */
} Repeats;

/* Repeat task->index of one estimator, drawing from the task's stream. */
static int
repeat_run (const ViParallelTask *task,
            gpointer              data)
{
  Repeats *c = data;

  return vi_bbvi_estimate (&c->values[task->index * c->dim], NULL, c->ws[task->worker],
                           c->model, c->family, c->params, c->estimator, c->samples,
                           task->rng);
}

/* The figures of coordinate d of @repeats estimates v[r · stride]. */
static void
coord_stat (ViBbviCoordStat *st,
            const double    *v,
            size_t           stride,
            size_t           repeats,
            double           exact_gradient,
            double           variance1,
            size_t           samples)
{
  double mean = 0.0, ss = 0.0, m4 = 0.0, R = (double) repeats, var;

  for (size_t r = 0; r < repeats; r++)
    mean += v[r * stride];
  mean /= R;
  for (size_t r = 0; r < repeats; r++)
    {
      double dv = v[r * stride] - mean;

      ss += dv * dv;
      m4 += dv * dv * dv * dv;
    }
  m4 /= R;
  var = ss / (R - 1.0);
  st->mean = mean;
  st->variance = var;
  st->mean_stderr = sqrt (var / R);
  st->variance_stderr = sqrt (MAX (m4 - var * var * (R - 3.0) / (R - 1.0), 0.0) / R);
  st->bias = mean - exact_gradient;
  st->variance_exact = variance1 / (double) samples;
}

int
vi_bbvi_variance_measure (ViBbviVariancePoint *out, const ViBbviModel *model,
                          const ViBbviExact *exact, size_t samples, size_t repeats,
                          const ViBbviEstimator *estimators, size_t n_estimators, guint64 seed,
                          guint n_threads, const gint *cancel)
{
  g_autofree double *values = NULL;
  g_autofree ViBbviWorkspace **ws = NULL;
  const ViBbviFamily *family = exact->family != NULL ? exact->family
                                                     : vi_bbvi_family_lookup ("exponential");
  size_t dim = vi_bbvi_family_get_dim (family);
  Repeats c = { model, family, exact->params, 0, samples, dim, NULL, NULL };
  ViParallel *par;
  guint n_workers;
  int status = VI_OK;

  memset (out, 0, sizeof *out);
  out->theta = exact->params[0];
  out->samples = samples;
  out->repeats = repeats;
  out->exact_gradient = exact->gradients[0];
  out->dim = dim;
  memcpy (out->params, exact->params, sizeof out->params);
  memcpy (out->exact_gradients, exact->gradients, sizeof out->exact_gradients);
  if (samples == 0 || repeats < 2 || n_estimators == 0)
    return VI_EINVAL;
  for (size_t k = 0; k < n_estimators; k++)
    if (estimators[k] == VI_BBVI_REPARAM && !vi_bbvi_family_has_reparam (family))
      return VI_EINVAL;
  if (n_threads == 0)
    n_threads = MIN (8, g_get_num_processors ());
  n_threads = (guint) MIN ((size_t) n_threads, repeats);
  values = g_try_new (double, n_estimators * repeats * dim);
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
      c.values = values + k * repeats * dim;
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

      if (samples < vi_bbvi_estimator_min_samples (e))
        continue;
      for (size_t d = 0; d < dim; d++)
        coord_stat (&st->coord[d], values + k * repeats * dim + d, dim, repeats,
                    exact->gradients[d], exact->coord_variance1[e][d], samples);
      st->defined = TRUE;
      st->mean = st->coord[0].mean;
      st->variance = st->coord[0].variance;
      st->mean_stderr = st->coord[0].mean_stderr;
      st->bias = st->coord[0].bias;
      st->variance_exact = st->coord[0].variance_exact;
    }
  return VI_OK;
}
