/* test-plot-cache.c — a plot view's rendered figure: the image it keeps is
 * the figure drawn directly, whether it was rendered at once or replayed
 * on the render thread; a newer change wins; freeing mid-render is safe
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-plot-cache.h"

#define W 320
#define H 200

/* A noisy line (what the live plots draw) with a title and labels. */
static ViFigure *
figure_with (double phase)
{
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  double x[2000], y[2000];

  for (guint i = 0; i < 2000; i++)
    {
      x[i] = i;
      y[i] = sin (i / 50.0 + phase) + 0.3 * sin (i * 1.7 + phase);
    }
  vi_panel_set_title (p, "ELBO");
  vi_panel_set_axis_label (p, VI_AXIS_X, "iteration");
  vi_panel_add_line (p, "noisy", x, y, 2000);
  vi_figure_set_transparent (fig, TRUE);
  return fig;
}

/* @fig drawn straight into a new image. */
static cairo_surface_t *
direct (ViFigure *fig)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);

  vi_figure_draw (fig, cr, W, H);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* What the cache paints, as an image. */
static cairo_surface_t *
painted (ViPlotCache *cache)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);

  vi_plot_cache_paint (cache, cr);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* The largest difference of any channel of any pixel. */
static int
max_diff (cairo_surface_t *a,
          cairo_surface_t *b)
{
  int stride = cairo_image_surface_get_stride (a), worst = 0;
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);

  for (int i = 0; i < stride * H; i++)
    worst = MAX (worst, ABS ((int) pa[i] - (int) pb[i]));
  return worst;
}

/* Nonzero pixels: the figure is really there. */
static gsize
inked (cairo_surface_t *s)
{
  const guint32 *p = (const guint32 *) cairo_image_surface_get_data (s);
  gsize n = 0;

  for (int i = 0; i < W * H; i++)
    n += p[i] != 0;
  return n;
}

static void
wait_rendered (ViPlotCache *cache)
{
  gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (vi_plot_cache_is_rendering (cache))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Not live: the image is the direct drawing, at once; an unchanged
 * figure costs nothing the second time. */
static void
test_at_once (void)
{
  ViPlotCache *cache = vi_plot_cache_new (NULL);
  ViFigure *fig = figure_with (0);
  cairo_surface_t *want = direct (fig), *got;

  g_assert_cmpint (vi_plot_cache_update (cache, fig, W, H, 1, FALSE), >, 0);
  g_assert_false (vi_plot_cache_is_rendering (cache));
  got = painted (cache);
  g_assert_cmpuint (inked (want), >, 1000);
  g_assert_cmpint (max_diff (got, want), ==, 0);
  g_assert_cmpint (vi_plot_cache_update (cache, fig, W, H, 1, FALSE), ==, 0);
  cairo_surface_destroy (got);
  cairo_surface_destroy (want);
  vi_figure_free (fig);
  vi_plot_cache_free (cache);
}

/* Live: the old image stays until the replay lands, then the new figure
 * is shown exactly as drawn directly (a replay of its recording at the
 * same size and scale). */
static void
test_live (void)
{
  ViPlotCache *cache = vi_plot_cache_new (NULL);
  ViFigure *a = figure_with (0), *b = figure_with (1.5);
  cairo_surface_t *want_a = direct (a), *want_b = direct (b), *got;

  vi_plot_cache_update (cache, a, W, H, 1, FALSE);
  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, b, W, H, 1, FALSE);
  g_assert_true (vi_plot_cache_is_rendering (cache));
  got = painted (cache);
  g_assert_cmpint (max_diff (got, want_a), ==, 0);
  cairo_surface_destroy (got);
  wait_rendered (cache);
  got = painted (cache);
  g_assert_cmpint (max_diff (want_a, want_b), >, 0);
  g_assert_cmpint (max_diff (got, want_b), ==, 0);
  cairo_surface_destroy (got);

  /* A size change is never left to the thread. */
  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, a, W / 2, H, 1, FALSE);
  g_assert_false (vi_plot_cache_is_rendering (cache));
  cairo_surface_destroy (want_a);
  cairo_surface_destroy (want_b);
  vi_figure_free (a);
  vi_figure_free (b);
  vi_plot_cache_free (cache);
}

/* What GTK's cairo render node does with the image: paints it into a
 * recording surface that lives until the next frame. */
static cairo_surface_t *
node_of (ViPlotCache *cache)
{
  cairo_surface_t *rec = cairo_recording_surface_create (
    CAIRO_CONTENT_COLOR_ALPHA, &(cairo_rectangle_t) { 0, 0, W, H });
  cairo_t *cr = cairo_create (rec);

  vi_plot_cache_paint (cache, cr);
  cairo_destroy (cr);
  return rec;
}

/* @rec replayed into a new image. */
static cairo_surface_t *
replayed (cairo_surface_t *rec)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_surface (cr, rec, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* A run flat out: after the first few refreshes every replay draws into
 * an image made earlier, and still shows exactly its own figure (nothing
 * of the one drawn there before, though the figures are transparent);
 * render nodes made from earlier images keep showing what they showed. */
static void
test_recycled (void)
{
  ViPlotCache *cache = vi_plot_cache_new (NULL);
  ViFigure *fig[3] = { figure_with (0), figure_with (1.5), figure_with (3) };
  cairo_surface_t *want[3], *nodes[12] = { NULL };
  guint made = 0;

  for (guint i = 0; i < 3; i++)
    want[i] = direct (fig[i]);
  g_assert_cmpint (max_diff (want[0], want[1]), >, 0);
  g_assert_cmpint (max_diff (want[1], want[2]), >, 0);
  vi_plot_cache_update (cache, fig[0], W, H, 1, FALSE);
  for (guint i = 1; i <= 12; i++)
    {
      cairo_surface_t *got;

      if (i == 4)
        made = vi_plot_cache_images_made ();
      vi_plot_cache_invalidate (cache, TRUE);
      vi_plot_cache_update (cache, fig[i % 3], W, H, 1, FALSE);
      wait_rendered (cache);
      got = painted (cache);
      g_assert_cmpint (max_diff (got, want[i % 3]), ==, 0);
      cairo_surface_destroy (got);
      nodes[i - 1] = node_of (cache);
    }
  g_assert_cmpuint (vi_plot_cache_images_made (), ==, made);
  for (guint i = 1; i <= 12; i++)
    {
      cairo_surface_t *got = replayed (nodes[i - 1]);

      g_assert_cmpint (max_diff (got, want[i % 3]), ==, 0);
      cairo_surface_destroy (got);
      cairo_surface_destroy (nodes[i - 1]);
    }
  for (guint i = 0; i < 3; i++)
    {
      cairo_surface_destroy (want[i]);
      vi_figure_free (fig[i]);
    }
  vi_plot_cache_free (cache);
}

/* Three live changes while a replay runs: the last one is what lands
 * (the middle one is dropped), and a change at once overtakes them all. */
static void
test_newest_wins (void)
{
  ViPlotCache *cache = vi_plot_cache_new (NULL);
  ViFigure *figs[4];
  cairo_surface_t *want, *got;

  for (guint i = 0; i < 4; i++)
    figs[i] = figure_with (i);
  vi_plot_cache_update (cache, figs[0], W, H, 1, FALSE);
  for (guint i = 1; i < 4; i++)
    {
      vi_plot_cache_invalidate (cache, TRUE);
      vi_plot_cache_update (cache, figs[i], W, H, 1, FALSE);
    }
  wait_rendered (cache);
  want = direct (figs[3]);
  got = painted (cache);
  g_assert_cmpint (max_diff (got, want), ==, 0);
  cairo_surface_destroy (got);
  cairo_surface_destroy (want);

  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, figs[1], W, H, 1, FALSE);
  vi_plot_cache_invalidate (cache, FALSE);
  vi_plot_cache_update (cache, figs[2], W, H, 1, FALSE);
  wait_rendered (cache);
  want = direct (figs[2]);
  got = painted (cache);
  g_assert_cmpint (max_diff (got, want), ==, 0);
  cairo_surface_destroy (got);
  cairo_surface_destroy (want);
  for (guint i = 0; i < 4; i++)
    vi_figure_free (figs[i]);
  vi_plot_cache_free (cache);
}

/* Freed with a replay in flight and one waiting: the replay finishes and
 * is thrown away (ASan and LeakSanitizer watch this). */
static void
test_free_while_rendering (void)
{
  ViPlotCache *cache = vi_plot_cache_new (NULL);
  ViFigure *a = figure_with (0), *b = figure_with (1), *c = figure_with (2);

  vi_plot_cache_update (cache, a, W, H, 1, FALSE);
  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, b, W, H, 1, FALSE);
  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, c, W, H, 1, FALSE);
  vi_plot_cache_free (cache);
  for (int i = 0; i < 200; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  vi_figure_free (a);
  vi_figure_free (b);
  vi_figure_free (c);
}

/* While a screenshot is taken everything renders at once: a live change
 * waiting or in flight is drawn now, and the late replay of it is thrown
 * away when it lands. */
static void
test_synchronous (void)
{
  ViPlotCache *cache = vi_plot_cache_new (NULL);
  ViFigure *a = figure_with (0), *b = figure_with (2.5);
  cairo_surface_t *want_b = direct (b), *got;

  vi_plot_cache_update (cache, a, W, H, 1, FALSE);
  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, b, W, H, 1, FALSE);
  g_assert_true (vi_plot_cache_is_rendering (cache));
  vi_plot_cache_set_synchronous (TRUE);
  g_assert_cmpint (vi_plot_cache_update (cache, b, W, H, 1, FALSE), >, 0);
  got = painted (cache);
  g_assert_cmpint (max_diff (got, want_b), ==, 0);
  cairo_surface_destroy (got);
  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, a, W, H, 1, FALSE);
  vi_plot_cache_invalidate (cache, TRUE);
  vi_plot_cache_update (cache, b, W, H, 1, FALSE);
  vi_plot_cache_set_synchronous (FALSE);
  wait_rendered (cache);
  got = painted (cache);
  g_assert_cmpint (max_diff (got, want_b), ==, 0);
  cairo_surface_destroy (got);
  cairo_surface_destroy (want_b);
  vi_figure_free (a);
  vi_figure_free (b);
  vi_plot_cache_free (cache);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/plot-cache/at-once", test_at_once);
  g_test_add_func ("/app/plot-cache/live", test_live);
  g_test_add_func ("/app/plot-cache/newest-wins", test_newest_wins);
  g_test_add_func ("/app/plot-cache/recycled", test_recycled);
  g_test_add_func ("/app/plot-cache/free-while-rendering", test_free_while_rendering);
  g_test_add_func ("/app/plot-cache/synchronous", test_synchronous);
  return g_test_run ();
}
