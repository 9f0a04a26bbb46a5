/* vi-plot-budget.h — how much plot refreshing a frame may hold while a job
 * runs flat out
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page rebuilds its figures from every snapshot, and each plot view
 * renders its figure again: with five noisy plots that was 80 ms of one
 * frame on the bbvi page. While the window's frame tick shows the
 * snapshots of running jobs (between vi_plot_budget_begin and _end), a
 * plot is rebuilt only when its measured cost (building plus rendering)
 * still fits the frame's budget, or when it is the one that has waited
 * longest; the others keep their last picture for a frame or more. Every
 * plot is refreshed at least once every as many frames as there are
 * plots; outside a tick (settings, a finished or paused run, tests) every
 * rebuild goes through at once. Main thread only.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a plot's refresh cost, and when it was last granted one. */
typedef struct
{
  gint64  build_us;    /* smoothed: building its figure from a snapshot */
  gint64  render_us;   /* smoothed: rendering the figure */
  guint64 frame;       /* the budget frame of its last refresh, 0: never */
} ViPlotCost;

/* Microseconds of refreshing a frame may hold. */
#define VI_PLOT_BUDGET_US 12000

void     vi_plot_cost_add_build  (ViPlotCost *cost,
                                  gint64      us);
void     vi_plot_cost_add_render (ViPlotCost *cost,
                                  gint64      us);

void     vi_plot_budget_begin    (void);
void     vi_plot_budget_end      (void);
/* Whether the plot of @cost may be rebuilt now (always outside a budget
 * frame); TRUE counts its cost against the frame. */
gboolean vi_plot_budget_grant    (ViPlotCost *cost);
/* Whether a refresh was refused since the last call (and forgets it):
 * after the last budgeted frame of a run, refresh everything once more. */
gboolean vi_plot_budget_take_refused (void);

G_END_DECLS
