/* vi-expfam-job.h — the "expfam" job: Monte-Carlo draws from one exponential
 * family in batches, so a histogram and a Monte-Carlo Fisher estimate converge
 * step by step
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-expfam.h"
#include "vi-job.h"

G_BEGIN_DECLS

/* Parameters: the table vi_expfam_job_type.params (vi-params.h); in short
 * (a{sv}; missing keys take defaults, unknown keys are refused):
 *   "family"  s       one of vi_expfam_list_names() (default "gaussian")
 *   <param>   d       each of the family's parameter names, e.g. "shape",
 *                     "rate" (default: vi_expfam_get_default_params())
 *   "n"       x       total number of draws, 2 … 10¹⁰ (default 20000)
 *   "batch"   x       draws per step, 1 … 10⁷ (default 200)
 *   "seed"    t or x  run seed ≥ 0 (default 1); draws use stream 0 of it
 *   "coordinate" x    VIEW only: the coordinate of η the page draws a(η) along
 *
 * Each step draws one batch, adds it to a histogram over a fixed range and
 * updates running (Welford) moments of t(x). The objective is the relative
 * Frobenius error ‖Î(η) − I(η)‖ / ‖I(η)‖ of the Monte-Carlo Fisher estimate.
 * The job finishes (VI_OK) when n draws are made. */
extern const ViJobType vi_expfam_job_type;

#define VI_EXPFAM_JOB_MAX_BINS 120

/* What the plots need: an immutable g_atomic_rc_box box (see
 * ViJobType.snapshot), shared with vi_job_snapshot_ref(). */
typedef struct
{
  const ViExpfam *fam;
  size_t dim;
  double theta[VI_EXPFAM_MAX_DIM];
  double eta[VI_EXPFAM_MAX_DIM];
  guint64 iteration;            /* batches drawn */
  guint64 n_drawn;
  guint64 n_total;
  /* Histogram: n_bins bins of equal width over [lo, hi]; for discrete
   * families one bin per integer, centred on it. counts[] are raw counts;
   * draws outside [lo, hi] are counted in n_outside. */
  double lo, hi;
  guint n_bins;
  double counts[VI_EXPFAM_JOB_MAX_BINS];
  guint64 n_outside;
  /* Closed forms. */
  double mean_t[VI_EXPFAM_MAX_DIM];
  double fisher_eta[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  double fisher_theta[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  /* Monte-Carlo estimates (NaN before two draws). */
  double mc_mean_t[VI_EXPFAM_MAX_DIM];
  double mc_fisher_eta[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  double mc_fisher_theta[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  double objective;
  /* Trace of the estimate per step: trace_n[k] draws, trace_fisher[k*d*d + …]
   * the Î(η) entries after step k. Length trace_len. */
  guint trace_len;
  double *trace_n;
  double *trace_fisher;
} ViExpfamSnapshot;

/* (transfer full) A deep copy of @snap (any struct, e.g. one being filled)
 * in a new box of refcount 1; vi_expfam_snapshot_free() releases a
 * reference, freeing the arrays with the last. */
ViExpfamSnapshot *vi_expfam_snapshot_copy (const ViExpfamSnapshot *snap);
void              vi_expfam_snapshot_free (ViExpfamSnapshot       *snap);

/* The x range a plot of p(· | θ) should show: the 0.1 % and 99.9 % quantiles
 * of 4000 seeded draws, widened by 5 % and clipped to the support; for the
 * discrete families whole integers ±0.5. θ must be valid. Deterministic. */
void              vi_expfam_job_plot_range (const ViExpfam *fam,
                                            const double   *theta,
                                            double         *lo,
                                            double         *hi);

G_END_DECLS
