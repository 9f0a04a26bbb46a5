/* test-plot-budget.c — the frame budget of plot refreshes: what a frame
 * grants, that the plots take turns, and that none waits for ever
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-plot-budget.h"

#define N 5

/* One frame in which plots 0 … N−1 ask in order; @granted[i] is set. */
static void
frame (ViPlotCost *plots,
       gboolean   *granted)
{
  vi_plot_budget_begin ();
  for (guint i = 0; i < N; i++)
    granted[i] = vi_plot_budget_grant (&plots[i]);
  vi_plot_budget_end ();
}

/* Outside a frame everything goes through at once, whatever its cost. */
static void
test_outside (void)
{
  ViPlotCost c = { 0, 0, 0 };

  vi_plot_cost_add_render (&c, 1000000);
  for (int i = 0; i < 3; i++)
    g_assert_true (vi_plot_budget_grant (&c));
  g_assert_cmpuint (c.frame, !=, 0);
  vi_plot_budget_take_refused ();
}

/* The smoothed costs: the first measure as is, then a quarter of each. */
static void
test_smoothing (void)
{
  ViPlotCost c = { 0, 0, 0 };

  vi_plot_cost_add_build (&c, 4000);
  g_assert_cmpint (c.build_us, ==, 4000);
  vi_plot_cost_add_build (&c, 8000);
  g_assert_cmpint (c.build_us, ==, 5000);
  vi_plot_cost_add_render (&c, -5);   /* a clock step back counts as 0 */
  g_assert_cmpint (c.render_us, ==, 0);
}

/* Five plots of 5 ms against a 12 ms budget: after the first frame (none
 * drawn yet: all granted) at most three a frame (two within the budget,
 * the longest waiting beyond it), every plot at least once in any three
 * consecutive frames, and a refusal reported for the final refresh. */
static void
test_turns (void)
{
  ViPlotCost plots[N];
  gboolean granted[N];
  guint64 last[N];

  G_STATIC_ASSERT (2 * 5000 <= VI_PLOT_BUDGET_US && 3 * 5000 > VI_PLOT_BUDGET_US);
  vi_plot_budget_take_refused ();
  for (guint i = 0; i < N; i++)
    {
      plots[i] = (ViPlotCost) { 2000, 3000, 0 };
      last[i] = 0;
    }
  frame (plots, granted);
  for (guint i = 0; i < N; i++)
    g_assert_true (granted[i]);
  g_assert_false (vi_plot_budget_take_refused ());
  for (guint64 f = 1; f <= 30; f++)
    {
      guint n = 0;

      frame (plots, granted);
      for (guint i = 0; i < N; i++)
        if (granted[i])
          {
            n++;
            last[i] = f;
          }
      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpuint (n, <=, 3);
      if (f >= 3)
        for (guint i = 0; i < N; i++)
          if (f - last[i] >= 3)
            g_error ("plot %u not refreshed since frame %" G_GUINT64_FORMAT " (now %"
                     G_GUINT64_FORMAT ")", i, last[i], f);
    }
  g_assert_true (vi_plot_budget_take_refused ());
  g_assert_false (vi_plot_budget_take_refused ());
}

/* Cheap plots all fit in one frame, every frame. */
static void
test_cheap (void)
{
  ViPlotCost plots[N];
  gboolean granted[N];

  for (guint i = 0; i < N; i++)
    plots[i] = (ViPlotCost) { 500, 1000, 0 };
  for (int f = 0; f < 10; f++)
    {
      frame (plots, granted);
      for (guint i = 0; i < N; i++)
        g_assert_true (granted[i]);
    }
  g_assert_false (vi_plot_budget_take_refused ());
}

/* One plot dearer than the whole budget is still drawn, in turn with the
 * others: never two frames running without it. */
static void
test_one_dear (void)
{
  ViPlotCost plots[N];
  gboolean granted[N];
  int since = 0;

  for (guint i = 0; i < N; i++)
    plots[i] = (ViPlotCost) { 500, 500, 0 };
  plots[N - 1].render_us = 30000;
  for (int f = 0; f < 20; f++)
    {
      frame (plots, granted);
      since = granted[N - 1] ? 0 : since + 1;
      g_assert_cmpint (since, <, 2);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/plot-budget/outside", test_outside);
  g_test_add_func ("/app/plot-budget/smoothing", test_smoothing);
  g_test_add_func ("/app/plot-budget/turns", test_turns);
  g_test_add_func ("/app/plot-budget/cheap", test_cheap);
  g_test_add_func ("/app/plot-budget/one-dear", test_one_dear);
  return g_test_run ();
}
