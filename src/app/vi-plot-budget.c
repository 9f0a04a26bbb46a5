/* vi-plot-budget.c — how much plot refreshing a frame may hold
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-plot-budget.h"

static struct
{
  gboolean          in_frame;
  guint64           frame;        /* counts budget frames from 1 */
  gint64            spent_us;
  const ViPlotCost *favored;      /* granted whatever its cost */
  const ViPlotCost *waiting;      /* the refused plot that waited longest */
  guint64           waiting_since;
  gboolean          backlog;      /* this frame refused a plot */
  gboolean          backlog_prev; /* the previous frame did */
  gboolean          refused;      /* since vi_plot_budget_take_refused() */
} budget = { FALSE, 1, 0, NULL, NULL, 0, FALSE, FALSE, FALSE };

/* An exponential average over about four refreshes (the first one as is). */
static void
smooth (gint64 *avg,
        gint64  us)
{
  us = MAX (us, 0);
  *avg = *avg == 0 ? us : (3 * *avg + us) / 4;
}

void
vi_plot_cost_add_build (ViPlotCost *cost,
                        gint64      us)
{
  smooth (&cost->build_us, us);
}

void
vi_plot_cost_add_render (ViPlotCost *cost,
                         gint64      us)
{
  smooth (&cost->render_us, us);
}

void
vi_plot_budget_begin (void)
{
  budget.in_frame = TRUE;
  budget.frame++;
  budget.spent_us = 0;
  budget.favored = budget.waiting;
  budget.waiting = NULL;
  budget.backlog_prev = budget.backlog;
  budget.backlog = FALSE;
}

void
vi_plot_budget_end (void)
{
  budget.in_frame = FALSE;
}

gboolean
vi_plot_budget_grant (ViPlotCost *cost)
{
  gint64 need = cost->build_us + cost->render_us;

  /* Refused: over the budget, or refreshed in the previous frame while
   * others wait (so the plots take turns); never the longest waiting, nor
   * one never drawn. */
  if (budget.in_frame && cost->frame != 0 && cost != budget.favored
      && (budget.spent_us + need > VI_PLOT_BUDGET_US
          || (budget.backlog_prev && cost->frame + 1 == budget.frame)))
    {
      if (budget.waiting == NULL || cost->frame < budget.waiting_since)
        {
          budget.waiting = cost;
          budget.waiting_since = cost->frame;
        }
      budget.backlog = TRUE;
      budget.refused = TRUE;
      return FALSE;
    }
  if (budget.in_frame)
    budget.spent_us += need;
  cost->frame = budget.frame;
  return TRUE;
}

gboolean
vi_plot_budget_take_refused (void)
{
  gboolean refused = budget.refused;

  budget.refused = FALSE;
  return refused;
}
