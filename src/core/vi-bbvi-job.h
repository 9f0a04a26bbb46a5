/* vi-bbvi-job.h — the "bbvi" job: BBVI runs of several estimators side by
 * side (mode "optimize"), or a gradient-variance sweep (mode "variance")
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-bbvi.h"
#include "vi-bbvi-variance.h"
#include "vi-job.h"

G_BEGIN_DECLS

/* Job type "bbvi" (in vi_job_types_list ()).
 *
 * Parameters: the table vi_bbvi_job_type.params (vi-params.h) holds their
 * types, defaults, ranges and CLI spellings; in short (a{sv}; missing keys
 * take the default, unknown keys are refused):
 *   alpha d (2), beta d (1)
 *   counts-file s       counts file (vi_dataset_load: cached); else
 *   counts at           the counts themselves; else
 *   synthetic-n x (50), true-rate d (4): synthetic counts, stream 0 of
 *                       the data seed
 *   seed t or x (1)     the Monte-Carlo seed: estimator k (ViBbviEstimator)
 *                       draws from stream 1 + k
 *   data-seed t or x    seed of the synthetic counts (default: seed)
 *   mode s              "optimize" (default) or "variance"
 *   family s            exponential (default) | gamma | lognormal
 *   estimators s        comma-separated, e.g. "naive,cv" (default "cv")
 *   samples x (100)     S per gradient estimate
 *   iterations x (3000)
 *   optimizer s         rm | adagrad | adam (default "adam")
 *   step-size d         ρ₀; default: rm 0.002, adagrad 0.1; adam 0.05
 *                       (exponential) or 0.2 (gamma, lognormal)
 *   tau d, kappa d      schedule (both or neither): rm ρ₀ (τ + t)^−κ, default
 *                       τ = 1, κ = 0.6; adam ρ₀ (τ/(τ + t))^κ, default κ = 1
 *                       and τ = 5 (exponential) or 100 (gamma, lognormal)
 *   variance mode (all estimators when none are given; figures per
 *   coordinate of the family's natural parameters, vi-bbvi-variance.h):
 *   at d                θ (exponential; default θ*)
 *   at-params ad        the family's parameters (default: θ* for the
 *                       exponential, the runs' starting point
 *                       vi_bbvi_family_init_params() for gamma and
 *                       lognormal: at the gamma's optimum q is the
 *                       posterior and cv's variance is 0)
 *   repeats x (1000)
 *   sweep-samples at/ax S values (default: samples only)
 *   sweep-theta ad      θ values (exponential; sweeps θ at fixed S;
 *                       exclusive with sweep-samples)
 *   sweep-theta-grid x  instead: that many θ on a log grid over
 *                       [0.1 θ*, 10 θ*]
 *   threads x (0 = one per processor)
 *
 * Create errors: VI_ERROR with VI_EIO/VI_EFORMAT for an unreadable or
 * malformed counts file or one that is not a regular file, VI_EINVAL/VI_EDOM
 * for a bad parameter (the message names it). A step is one iteration of
 * every run (optimize) or one sweep point (variance). A run that diverges
 * (non-finite gradient or parameter, |u| > 700 in the unconstrained space)
 * stops with a message; the step
 * returns VI_ENONFINITE once every run has diverged.
 */
extern const ViJobType vi_bbvi_job_type;

/* One optimisation run, as the page plots it. Entry i holds the state
 * before step i + 1 (iteration i): the exact ELBO, the noisy S-sample
 * Monte-Carlo ELBO estimate and the parameters (natural scale) there, and
 * the variance of that step's gradient estimate as its own S per-sample
 * terms estimate it (vi_bbvi_estimate_var(): Σ_d s²_d / S over the natural
 * parameters; NaN for S = 1) with the signal-to-noise ratio
 * ‖ĝ‖ / √grad_var of the estimate ĝ.
 *
 * A long run's trace is decimated as it grows: it keeps at most 2¹²
 * points, every stride-th iteration (0, stride, 2·stride, …; stride 1, 2,
 * 4, … doubles each time the trace fills), so iteration[] holds the
 * iteration of each point. */
typedef struct
{
  ViBbviEstimator estimator;
  size_t          len;
  double         *iteration;      /* len */
  double         *elbo;           /* len, exact */
  double         *elbo_estimate;  /* len, noisy */
  double         *params;         /* len × dim, row-major */
  double         *grad_var;       /* len */
  double         *grad_snr;       /* len */
  guint64         stride;         /* iterations between two points */
  double          grad_var_mean;  /* over every step (NaN: none finite) */
  double          current[VI_BBVI_MAX_DIM]; /* parameters now */
  double          current_elbo;   /* exact ELBO at current */
  gboolean        diverged;
  char           *message;        /* why it stopped, or NULL */
} ViBbviTrace;

typedef struct
{
  /* model and reference values */
  double              alpha, beta;
  guint64             n;
  double              sum_x;
  double              posterior_shape, posterior_rate;
  double              log_evidence;
  const ViBbviFamily *family;     /* static */
  size_t              dim;
  double              params_opt[VI_BBVI_MAX_DIM];
  double              elbo_opt;
  guint64             seed;
  guint64             data_seed;  /* of the synthetic counts */
  size_t              samples;
  /* optimize mode */
  guint64             iteration;  /* steps done */
  guint64             iterations; /* steps planned */
  size_t              n_traces;
  ViBbviTrace        *traces;     /* n_traces */
  /* variance mode */
  gboolean            variance_mode;
  size_t              n_points;   /* points done so far */
  size_t              n_points_planned;
  ViBbviVariancePoint *points;    /* n_points */
} ViBbviSnapshot;

/* Snapshots are immutable g_atomic_rc_box boxes (see ViJobType.snapshot):
 * _new makes an empty one (refcount 1) for a producer to fill before it
 * shares it; vi_job_snapshot_ref() takes another reference; _free releases
 * one, freeing the arrays with the last. */
ViBbviSnapshot *vi_bbvi_snapshot_new  (void);
void            vi_bbvi_snapshot_free (ViBbviSnapshot *snapshot);

G_END_DECLS
