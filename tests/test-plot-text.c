/* test-plot-text.c — laid-out text kept between draws: a figure drawn from
 * the cache is the figure drawn from scratch, pixel for pixel, and the
 * cache stays bounded
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib.h>

#include "vi-figure.h"
#include "vi-figure-draw-private.h"

/* Two panels with a title, a wrapped panel title, markup with <sub> and
 * <sup>, a rotated axis label, tick labels, a legend and a text series. */
static ViFigure *
make_figure (void)
{
  ViFigure *fig = vi_figure_create (1, 2);
  double x[200], y1[200], y2[200];

  for (int i = 0; i < 200; i++)
    {
      x[i] = i;
      y1[i] = sin (i / 15.0) * 3 + i / 50.0;
      y2[i] = cos (i / 9.0) - 1;
    }
  vi_figure_set_title (fig, "Text laid out once, drawn many times");
  for (guint c = 0; c < 2; c++)
    {
      ViPanel *p = vi_figure_get_panel (fig, 0, c);

      vi_panel_set_title (p, c == 0 ? "ELBO" : "a panel title long enough that it has to wrap "
                                               "onto a second line in this narrow panel");
      vi_panel_set_axis_label (p, VI_AXIS_X, "iteration");
      vi_panel_set_axis_markup (p, VI_AXIS_Y, "σ<sup>2</sup> of ∇<sub>λ</sub>");
      vi_panel_add_line (p, "score function", x, y1, 200);
      vi_panel_add_line (p, "with control variate", x, y2, 200);
      vi_panel_add_text (p, 20, 1, "a note");
      vi_panel_set_legend (p, VI_LEGEND_AUTO);
    }
  return fig;
}

static cairo_surface_t *
draw_png (ViFigure *fig,
          double    scale)
{
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                     (int) (480 * scale), (int) (300 * scale));
  cairo_t *cr = cairo_create (img);

  cairo_scale (cr, scale, scale);
  vi_figure_draw (fig, cr, 480, 300);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  return img;
}

static void
assert_same_pixels (cairo_surface_t *a,
                    cairo_surface_t *b)
{
  int h = cairo_image_surface_get_height (a), stride = cairo_image_surface_get_stride (a);

  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (h, ==, cairo_image_surface_get_height (b));
  g_assert_cmpint (stride, ==, cairo_image_surface_get_stride (b));
  g_assert_true (memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                         (size_t) h * stride) == 0);
}

typedef struct
{
  double           scale;
  cairo_surface_t *img;
  guint            cached_before;
} Fresh;

/* A thread has its own cache: it starts empty. */
static gpointer
draw_fresh (gpointer data)
{
  Fresh *f = data;
  ViFigure *fig = make_figure ();

  f->cached_before = vi_text_layouts_cached (NULL);
  f->img = draw_png (fig, f->scale);
  vi_figure_free (fig);
  return NULL;
}

static cairo_surface_t *
draw_in_new_thread (double scale)
{
  Fresh f = { scale, NULL, 1 };

  g_thread_join (g_thread_new ("fresh", draw_fresh, &f));
  g_assert_cmpuint (f.cached_before, ==, 0);
  return f.img;
}

static void
test_cache_same_pixels (void)
{
  ViFigure *fig = make_figure ();
  cairo_surface_t *uncached, *uncached2, *first, *again, *fresh, *twice, *fresh2, *ink;
  guint n, serial, serial2;

  /* The reference: every text laid out anew. */
  vi_text_cache_set_enabled (FALSE);
  uncached = draw_png (fig, 1);
  uncached2 = draw_png (fig, 2);
  vi_text_cache_set_enabled (TRUE);
  g_assert_cmpuint (vi_text_layouts_cached (NULL), <=, 1);
  first = draw_png (fig, 1);
  assert_same_pixels (first, uncached);
  n = vi_text_layouts_cached (&serial);
  /* Titles, axis labels, tick labels, legend entries, the note. */
  g_assert_cmpuint (n, >=, 10);
  again = draw_png (fig, 1);
  /* Nothing new, and nothing laid out again: the context did not change. */
  g_assert_cmpuint (vi_text_layouts_cached (&serial2), ==, n);
  g_assert_cmpuint (serial2, ==, serial);
  assert_same_pixels (first, again);
  fresh = draw_in_new_thread (1);
  assert_same_pixels (first, fresh);
  /* At 2× the cached layouts (from 1×) give the 2× picture. */
  twice = draw_png (fig, 2);
  assert_same_pixels (twice, uncached2);
  fresh2 = draw_in_new_thread (2);
  assert_same_pixels (twice, fresh2);
  /* And the picture has text at all: some pixel is not background. */
  ink = draw_png (fig, 1);
  {
    const guint32 *px = (const guint32 *) (const void *) cairo_image_surface_get_data (ink);
    int count = cairo_image_surface_get_stride (ink) / 4 * cairo_image_surface_get_height (ink);
    gboolean differs = FALSE;

    for (int i = 1; i < count && !differs; i++)
      differs = px[i] != px[0];
    g_assert_true (differs);
  }
  cairo_surface_destroy (uncached);
  cairo_surface_destroy (uncached2);
  cairo_surface_destroy (first);
  cairo_surface_destroy (again);
  cairo_surface_destroy (fresh);
  cairo_surface_destroy (twice);
  cairo_surface_destroy (fresh2);
  cairo_surface_destroy (ink);
  vi_figure_free (fig);
}

/* Changing titles at every draw (a live run's moving tick labels): the
 * cache is emptied past its bound, only as a draw begins. */
static void
test_cache_bounded (void)
{
  ViFigure *fig = make_figure ();
  guint most = 0;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *title = g_strdup_printf ("draw %u", i);
      g_autofree char *label = g_strdup_printf ("step %u of the run", i);
      cairo_surface_t *img;

      vi_figure_set_title (fig, title);
      vi_panel_set_axis_label (vi_figure_get_panel (fig, 0, 0), VI_AXIS_X, label);
      vi_panel_set_range (vi_figure_get_panel (fig, 0, 1), VI_AXIS_X, i, 1000 + 7.0 * i);
      img = draw_png (fig, 1);
      cairo_surface_destroy (img);
      most = MAX (most, vi_text_layouts_cached (NULL));
    }
  /* 300 draws brought well over 512 distinct texts; at most one draw's
   * worth (a few dozen) past the bound are ever kept. */
  g_assert_cmpuint (most, >, 512);
  g_assert_cmpuint (most, <=, 512 + 64);
  vi_figure_free (fig);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/text/cache-same-pixels", test_cache_same_pixels);
  g_test_add_func ("/plot/text/cache-bounded", test_cache_bounded);
  return g_test_run ();
}
