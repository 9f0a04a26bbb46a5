/* vi-bbvi-job-private.h — what the bbvi job's two files share: the job's
 * state and its snapshot functions
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "vi-bbvi-job.h"
#include "vi-optim.h"

G_BEGIN_DECLS

/* One optimisation run; its trace arrays are decimated as they grow
 * (vi-bbvi-job.h). */
typedef struct
{
  ViBbviEstimator estimator;
  gsl_rng *rng;
  ViOptimizer *opt;
  double u[VI_BBVI_MAX_DIM];
  double params[VI_BBVI_MAX_DIM];
  GArray *iteration, *elbo, *elbo_estimate, *trace_params;
  GArray *grad_var, *grad_snr;  /* the estimate's own variance and SNR */
  guint64 stride;               /* iterations between two trace points */
  double grad_var_sum;          /* over every step with a finite variance */
  guint64 grad_var_n;
  gboolean diverged;
  char *message;
} Run;

typedef struct
{
  ViBbviModel model;
  const ViBbviFamily *family;
  guint64 seed;
  guint64 data_seed;
  size_t samples;
  guint64 iterations;
  guint64 t;
  Run runs[VI_BBVI_N_ESTIMATORS];
  size_t n_runs;
  ViBbviWorkspace *ws;
  double params_opt[VI_BBVI_MAX_DIM];
  double elbo_opt;
  /* variance mode */
  gboolean variance_mode;
  ViBbviEstimator var_estimators[VI_BBVI_N_ESTIMATORS];
  size_t n_var_estimators;
  GArray *sweep_samples;  /* size_t */
  GArray *sweep_theta;    /* double */
  double at[VI_BBVI_MAX_DIM];
  size_t repeats;
  guint threads;
  ViBbviExact exact;
  GArray *points;         /* ViBbviVariancePoint */
} BbviJob;

/* ViJobType.snapshot and .snapshot_free of the bbvi job. */
gpointer vi_bbvi_job_snapshot_state   (gpointer state);
void     vi_bbvi_job_snapshot_release (gpointer snapshot);

G_END_DECLS
