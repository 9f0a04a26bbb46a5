/* vi-expfam-views.h — the figures of an exponential family: density with a
 * histogram of draws, log-partition, Monte-Carlo Fisher information
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vi-expfam-job.h"
#include "vi-view.h"

G_BEGIN_DECLS

/* The draws per step the app runs for @n draws in all (about 100 steps,
 * at most 2·10⁵ draws per step). */
guint64 vi_expfam_view_batch              (guint64                 n);

/* (transfer full) The "expfam" job's snapshot before its first draw for
 * @fam at @theta with @n draws planned: closed forms, the histogram's range
 * and bins, no draws, no trace; NULL when @theta is invalid. Free with
 * vi_expfam_snapshot_free(). */
ViExpfamSnapshot *
        vi_expfam_view_preview            (const ViExpfam         *fam,
                                           const double           *theta,
                                           guint64                 n);

/* Figures of @snap (its family at its θ; ctx->history holds earlier runs'
 * ViExpfamSnapshot). All 1 × 1. */
/* p(x | θ) over vi_expfam_job_plot_range() and the histogram of the draws
 * (as densities). */
void    vi_expfam_density_view_build      (ViFigure               *fig,
                                           const ViExpfamSnapshot *snap,
                                           const ViViewContext    *ctx);
/* a(η) along natural coordinate ctx->coordinate with its tangent (slope
 * E[t]). */
void    vi_expfam_logpartition_view_build (ViFigure               *fig,
                                           const ViExpfamSnapshot *snap,
                                           const ViViewContext    *ctx);
/* The Monte-Carlo Fisher entries, each ÷ √(I_ii I_jj), against the draws
 * (log axis), converging to the closed form. */
void    vi_expfam_fisher_view_build       (ViFigure               *fig,
                                           const ViExpfamSnapshot *snap,
                                           const ViViewContext    *ctx);
/* "What am I seeing?" for the figure @fig that the view of the same name
 * built from @snap with @ctx: what it shows (the lines by name, the ones
 * off-scale) and the current numbers (vi-view.h). (transfer full) */
char   *vi_expfam_density_view_explain      (ViFigure               *fig,
                                             const ViExpfamSnapshot *snap,
                                             const ViViewContext    *ctx);
char   *vi_expfam_logpartition_view_explain (ViFigure               *fig,
                                             const ViExpfamSnapshot *snap,
                                             const ViViewContext    *ctx);
char   *vi_expfam_fisher_view_explain       (ViFigure               *fig,
                                             const ViExpfamSnapshot *snap,
                                             const ViViewContext    *ctx);
/* The figure of `elbo-lab-cli expfam --plot`: density (or pmf bars), the
 * mean, and the histogram of the draws, titled with the parameters. */
void    vi_expfam_draws_view_build        (ViFigure               *fig,
                                           const ViExpfamSnapshot *snap,
                                           const ViViewContext    *ctx);

G_END_DECLS
