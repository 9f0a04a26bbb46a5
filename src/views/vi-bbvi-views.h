/* vi-bbvi-views.h — the figures of black-box VI: ELBO, parameters, q(λ),
 * gradient variance and variance reduction
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vi-bbvi-job.h"
#include "vi-view.h"

G_BEGIN_DECLS

/* Palette slot of @estimator, the same in every figure of the app and the
 * CLI (Okabe–Ito: naive vermillion, cv blue, cv-suff bluish green, reparam
 * reddish purple; orange is the prior's, the foreground the references'). */
guint vi_bbvi_estimator_color      (ViBbviEstimator       estimator);

/* Optimize-mode figures of @snap (NULL: empty, labelled panels). With
 * ctx->live FALSE @snap is only the starting point of the settings (its
 * reference values); ctx->history holds earlier runs' ViBbviSnapshot. */
/* 1 × 1: exact ELBO per estimator, the noisy estimate faint (smoothed by
 * ctx->smoothing), log p(x) and the family's best ELBO. */
void  vi_bbvi_elbo_view_build      (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
/* 1 × 1: the gap to the optimum, ELBO* − ELBO (exact; ELBO* the best in
 * the family), per estimator on a log axis; earlier runs faint, grouped per
 * run. Gaps ≤ 0 (rounding at the optimum) are drawn at a floor of 1e-12
 * and noted. */
void  vi_bbvi_gap_view_build       (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
/* The same, and (with ctx->live) each estimator's noisy estimate as a faint
 * min–max band over a moving window of 21 iterations ("Show estimates"). */
void  vi_bbvi_gap_band_view_build  (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
/* 1 × 1: with ctx->live, each estimator's gradient variance as its own S
 * samples estimate it at every step (ViBbviTrace.grad_var; smoothed by
 * ctx->smoothing over the raw values, faint) on a log axis; earlier runs
 * faint, grouped per run. A variance below 1e-10 of the largest (cv-suff's
 * rounding) is left below the axis and noted. */
void  vi_bbvi_gradvar_view_build   (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
/* vi_bbvi_params_view_rows() × 1: one panel per variational parameter. */
void  vi_bbvi_params_view_build    (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
guint vi_bbvi_params_view_rows     (const ViBbviSnapshot *snap);
/* 1 × 1: q(λ) per estimator against the exact posterior and the prior. */
void  vi_bbvi_q_view_build         (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
/* 1 × (3 + dim): the gap, the ELBO, the parameters and q(λ) side by side (the CLI's --plot). */
void  vi_bbvi_overview_view_build  (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
guint vi_bbvi_overview_view_cols   (const ViBbviSnapshot *snap);

/* "What am I seeing?" for the figure @fig that the view of the same name
 * built from @snap with @ctx: what the figure shows (the lines on it by
 * name, the ones off-scale) and the current numbers (vi-view.h). (transfer
 * full) */
char *vi_bbvi_gap_view_explain     (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
char *vi_bbvi_elbo_view_explain    (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
char *vi_bbvi_params_view_explain  (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
char *vi_bbvi_q_view_explain       (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
char *vi_bbvi_gradvar_view_explain (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);

/* Variance-mode figures of @snap (NULL or no points: an empty panel). */
/* 1 × dim: variance of each estimator against S (ctx->sweep_theta: θ),
 * measured dots and exact lines, on log axes; one point: bars. One panel
 * per coordinate, titled by the parameter's name. */
void  vi_bbvi_variance_view_build  (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
/* dim × 1: naive variance ÷ each estimator's, measured and exact, at the
 * sweep point nearest (in log) to ctx->samples, one row per coordinate. */
void  vi_bbvi_ratio_view_build     (ViFigure             *fig,
                                    const ViBbviSnapshot *snap,
                                    const ViViewContext  *ctx);
/* Whether @st holds a positive, finite variance (measured, or with @exact
 * the exact one): a point the log axes can show. */
gboolean vi_bbvi_variance_stat_ok  (const ViBbviVarianceStat *st,
                                    gboolean                  exact);
/* The same for coordinate d of the gradient (vi-bbvi-variance.h). */
gboolean vi_bbvi_variance_coord_ok (const ViBbviVarianceStat *st,
                                    size_t                    d,
                                    gboolean                  exact);
/* Coordinate d's measured (or with @exact the exact) variance; NAN if
 * undefined. */
double   vi_bbvi_variance_coord    (const ViBbviVarianceStat *st,
                                    size_t                    d,
                                    gboolean                  exact);
/* Panels of the variance (columns) and ratio (rows) figures: one per
 * coordinate of the family's parameters (1 for NULL). A figure with fewer
 * shows the first ones. */
guint    vi_bbvi_variance_view_cols (const ViBbviSnapshot *snap);
/* (transfer none) That sweep point, or NULL. */
const ViBbviVariancePoint *
      vi_bbvi_ratio_view_point     (const ViBbviSnapshot *snap,
                                    double                samples);

G_END_DECLS
