/* vi-bbvi-private.h — what vi-bbvi.c (model, families) and
 * vi-bbvi-estimate.c (gradient estimators) share: not installed, not API
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include <gsl/gsl_integration.h>

#include "vi-bbvi.h"

G_BEGIN_DECLS

/* A = α + Σx, B = β + N and K of log p(x, λ) = K + (A − 1) log λ − B λ. */
static inline double
model_A (const ViBbviModel *m)
{
  return m->alpha + m->sum_x;
}

static inline double
model_B (const ViBbviModel *m)
{
  return m->beta + (double) m->n;
}

static inline double
model_K (const ViBbviModel *m)
{
  return m->alpha * log (m->beta) - lgamma (m->alpha) - m->sum_lgamma;
}

/* A variational family: a const table of closed forms (vi-bbvi.c). */
struct _ViBbviFamily
{
  const char *name;
  size_t dim;
  const char *param_names[VI_BBVI_MAX_DIM + 1];
  gboolean has_reparam;
  gboolean (*check) (const double *p, GError **error);
  void   (*init)      (const ViBbviModel *m, double *p);
  double (*elbo)      (const ViBbviModel *m, const double *p);
  void   (*grad)      (const ViBbviModel *m, const double *p, double *g);
  double (*optimum)   (const ViBbviModel *m, double *p);
  double (*log_q)     (const double *p, double lambda);
  double (*sample)    (const double *p, gsl_rng *rng);
  void   (*score)     (const double *p, double lambda, double *h);
  /* E[h_d log λ], E[h_d λ] for each component d: out[2d], out[2d + 1]. */
  void   (*suff_mean) (const double *p, double *out);
  void   (*to_u)      (const double *p, double *u);
  void   (*from_u)    (const double *u, double *p);
  void   (*grad_u)    (const double *p, const double *g, double *gu);
  /* One reparameterised gradient sample into g; returns λ (NaN on a
   * numerical failure). */
  double (*reparam)   (const ViBbviModel *m, const double *p, gsl_rng *rng,
                       ViBbviWorkspace *ws, double *g);
  /* The same gradient as a function of the draw λ (the exact variance
   * integrates over it); returns VI_OK or a ViStatus. */
  int    (*reparam_at) (const ViBbviModel *m, const double *p, double lambda,
                        ViBbviWorkspace *ws, double *g);
};

struct _ViBbviWorkspace
{
  size_t max_samples;
  double *lambda;   /* S */
  double *w;        /* S: log p − log q */
  double *h;        /* dim × S, component-major */
  double *f;        /* dim × S */
  double *q;        /* 3 × S: orthonormal columns of the cv-suff fit */
  gsl_integration_workspace *iws;  /* gamma implicit reparameterisation */
};

G_END_DECLS
