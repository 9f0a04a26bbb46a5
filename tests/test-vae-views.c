/* test-vae-views.c — the VAE figures from a hand-built snapshot
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "vi-vae-views.h"

#define ROWS 4
#define COLS 3
#define PX   (ROWS * COLS)
#define N_TRACE 6
#define N_SCATTER 30

/* A snapshot of latent @latent whose numbers move with @shift; the scatter
 * holds classes 0 … 4 and, when @unlabelled, a few points without label. */
static ViVaeSnapshot *
make_snapshot (guint    latent,
               double   shift,
               gboolean unlabelled)
{
  ViVaeSnapshot *s = g_new0 (ViVaeSnapshot, 1);

  s->arch.n_in = PX;
  s->arch.n_hidden = 1;
  s->arch.hidden[0] = 8;
  s->arch.latent = latent;
  s->rows = ROWS;
  s->cols = COLS;
  s->n_train = 100;
  s->n_test = 50;
  s->iteration = 60;
  s->n_steps = 60;
  s->epoch = N_TRACE;
  s->trace_len = N_TRACE;
  s->trace_epoch = g_new (double, N_TRACE);
  s->trace_train_elbo = g_new (double, N_TRACE);
  s->trace_test_elbo = g_new (double, N_TRACE);
  s->trace_reconstruction = g_new (double, N_TRACE);
  s->trace_kl = g_new (double, N_TRACE);
  for (guint i = 0; i < N_TRACE; i++)
    {
      s->trace_epoch[i] = i + 1;
      s->trace_kl[i] = 2 + 0.5 * i;
      s->trace_reconstruction[i] = -20 + 2 * i + shift;
      s->trace_test_elbo[i] = s->trace_reconstruction[i] - s->trace_kl[i];
      s->trace_train_elbo[i] = s->trace_test_elbo[i] + 0.3;
    }
  s->test_iwae = NAN;
  s->kl_per_dim = g_new (double, latent);
  for (guint j = 0; j < latent; j++)
    s->kl_per_dim[j] = j % 3 == 2 ? 0.001 : 1.5 + j;
  s->active_units = latent - latent / 3;
  s->showcase = g_new (float, VI_VAE_SHOWCASE * PX);
  s->showcase_recon = g_new (float, VI_VAE_SHOWCASE * PX);
  for (guint i = 0; i < VI_VAE_SHOWCASE * PX; i++)
    {
      s->showcase[i] = (i % 7) / 6.0f;
      s->showcase_recon[i] = 0.25f + (i % 5) / 10.0f;
    }
  s->n_scatter = N_SCATTER;
  s->scatter_xy = g_new (float, 2 * N_SCATTER);
  s->scatter_label = g_new (guint8, N_SCATTER);
  for (guint i = 0; i < N_SCATTER; i++)
    {
      s->scatter_xy[2 * i] = (float) cos (i) * (1 + i % 5);
      s->scatter_xy[2 * i + 1] = (float) sin (i) * (1 + i % 5) + (float) shift;
      s->scatter_label[i] = unlabelled && i >= N_SCATTER - 3 ? 255 : i % 5;
    }
  if (latent == 2)
    {
      gsize n = VI_VAE_MANIFOLD_SIDE * VI_VAE_MANIFOLD_SIDE * PX;

      s->manifold = g_new (float, n);
      for (gsize i = 0; i < n; i++)
        s->manifold[i] = (float) ((i % 11) / 10.0);
    }
  return s;
}

static void
free_snapshot (ViVaeSnapshot *s)
{
  g_free (s->trace_epoch);
  g_free (s->trace_train_elbo);
  g_free (s->trace_test_elbo);
  g_free (s->trace_reconstruction);
  g_free (s->trace_kl);
  g_free (s->kl_per_dim);
  g_free (s->showcase);
  g_free (s->showcase_recon);
  g_free (s->scatter_xy);
  g_free (s->scatter_label);
  g_free (s->manifold);
  g_free (s);
}

static ViSeries *
find_series (ViPanel    *panel,
             const char *name)
{
  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *s = vi_panel_get_series (panel, i);

      if (g_strcmp0 (vi_series_get_name (s), name) == 0)
        return s;
    }
  return NULL;
}

static void
test_elbo (void)
{
  ViVaeSnapshot *snap = make_snapshot (2, 0, FALSE), *old = make_snapshot (2, -3, FALSE);
  ViViewRun run = { "latent 20", old, 2 };
  ViFigure *fig = vi_figure_create (2, 1);
  ViPanel *top = vi_figure_get_panel (fig, 0, 0), *bottom = vi_figure_get_panel (fig, 1, 0);
  ViViewContext ctx;
  ViSeries *test, *faded;
  const double *x, *y;

  vi_view_context_init (&ctx);
  ctx.history = &run;
  ctx.n_history = 1;
  vi_vae_elbo_view_build (fig, snap, &ctx);
  /* The live curves and the earlier run's test ELBO, faded. */
  g_assert_cmpuint (vi_panel_get_n_series (top), ==, 4);
  g_assert_nonnull (find_series (top, "train ELBO"));
  g_assert_nonnull (find_series (top, "test reconstruction E[log p(x|z)]"));
  test = find_series (top, "test ELBO");
  g_assert_nonnull (test);
  g_assert_cmpuint (vi_series_get_xy (test, &x, &y), ==, N_TRACE);
  g_assert_cmpfloat (x[N_TRACE - 1], ==, N_TRACE);
  g_assert_cmpfloat (y[2], ==, snap->trace_test_elbo[2]);
  faded = find_series (top, "latent 20");
  g_assert_nonnull (faded);
  g_assert_cmpuint (vi_series_get_xy (faded, &x, &y), ==, N_TRACE);
  g_assert_cmpfloat (y[0], ==, old->trace_test_elbo[0]);
  g_assert_cmpfloat (vi_series_get_color (faded, VI_THEME_LIGHT).a, <, 1);
  g_assert_cmpfloat (vi_series_get_color (test, VI_THEME_LIGHT).a, ==, 1);
  /* The KL below, the earlier run's faded too. */
  g_assert_cmpuint (vi_panel_get_n_series (bottom), ==, 2);
  g_assert_nonnull (find_series (bottom, "test KL"));
  /* No snapshot: labelled, empty panels. */
  vi_vae_elbo_view_build (fig, NULL, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (top), ==, 1);
  ctx.n_history = 0;
  vi_vae_elbo_view_build (fig, NULL, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (top), ==, 0);
  g_assert_nonnull (vi_panel_get_empty_message (top));
  vi_figure_free (fig);
  free_snapshot (snap);
  free_snapshot (old);
}

/* What a page keeps of an earlier run (vi_vae_snapshot_keep): the trace,
 * bit for bit, and none of the images, scatter or manifold; the views draw
 * the same faded lines with it, and nothing of it elsewhere. */
static void
test_kept_run (void)
{
  ViVaeSnapshot *snap = make_snapshot (2, 0, FALSE), *old = make_snapshot (2, -3, FALSE);
  ViVaeSnapshot *kept = vi_vae_snapshot_keep (old);
  ViViewRun run = { "latent 20", kept, 2 };
  ViFigure *fig = vi_figure_create (2, 1), *one = vi_figure_create (1, 1);
  ViPanel *top = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  ViSeries *faded;
  const double *x, *y;

  g_assert_cmpuint (kept->trace_len, ==, N_TRACE);
  g_assert_true (memcmp (kept->trace_test_elbo, old->trace_test_elbo,
                         N_TRACE * sizeof (double)) == 0);
  g_assert_true (memcmp (kept->trace_kl, old->trace_kl, N_TRACE * sizeof (double)) == 0);
  g_assert_true (kept->trace_epoch != old->trace_epoch);
  g_assert_null (kept->showcase);
  g_assert_null (kept->manifold);
  g_assert_null (kept->scatter_xy);
  g_assert_cmpuint (kept->n_scatter, ==, 0);
  g_assert_null (kept->kl_per_dim);
  g_assert_null (kept->decoder_params);

  vi_view_context_init (&ctx);
  ctx.history = &run;
  ctx.n_history = 1;
  vi_vae_elbo_view_build (fig, snap, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (top), ==, 4);
  faded = find_series (top, "latent 20");
  g_assert_nonnull (faded);
  g_assert_cmpuint (vi_series_get_xy (faded, &x, &y), ==, N_TRACE);
  g_assert_cmpfloat (y[N_TRACE - 1], ==, old->trace_test_elbo[N_TRACE - 1]);
  g_assert_cmpuint (vi_panel_get_n_series (vi_figure_get_panel (fig, 1, 0)), ==, 2);
  vi_vae_kl_view_build (one, snap, &ctx);
  vi_figure_free (fig);
  vi_figure_free (one);
  vi_vae_snapshot_free (kept);
  free_snapshot (snap);
  free_snapshot (old);
}

static void
test_images (void)
{
  ViVaeSnapshot *snap = make_snapshot (2, 0, FALSE), *wide = make_snapshot (5, 0, FALSE);
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  ViSeries *images;
  g_autofree char *csv = NULL;

  vi_view_context_init (&ctx);
  vi_vae_showcase_view_build (fig, snap, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 1);
  images = vi_panel_get_series (panel, 0);
  g_assert_cmpint (vi_series_get_kind (images), ==, VI_SERIES_IMAGES);
  /* Each test image above its reconstruction: twice the showcase. */
  g_assert_cmpuint (vi_series_get_n_points (images), ==, 2 * VI_VAE_SHOWCASE);
  vi_vae_manifold_view_build (fig, snap, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 1);
  images = vi_panel_get_series (panel, 0);
  g_assert_cmpuint (vi_series_get_n_points (images), ==,
                    VI_VAE_MANIFOLD_SIDE * VI_VAE_MANIFOLD_SIDE);
  /* Latent 5 has no manifold: an empty panel that says why. */
  vi_vae_manifold_view_build (fig, wide, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 0);
  g_assert_nonnull (strstr (vi_panel_get_empty_message (panel), "2"));
  vi_vae_showcase_view_build (fig, NULL, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 0);
  vi_figure_free (fig);
  free_snapshot (snap);
  free_snapshot (wide);
}

static void
test_latent (void)
{
  ViVaeSnapshot *snap = make_snapshot (2, 0, TRUE), *wide = make_snapshot (5, 0, FALSE);
  const char *const *classes = vi_idx_fashion_mnist_classes ();
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  gsize total = 0;

  vi_view_context_init (&ctx);
  vi_vae_latent_view_build (fig, snap, &ctx);
  /* One series per class present, named by its Fashion-MNIST class, then
   * the unlabelled points. */
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 6);
  for (guint c = 0; c < 5; c++)
    {
      ViSeries *s = vi_panel_get_series (panel, c);

      g_assert_cmpstr (vi_series_get_name (s), ==, classes[c]);
      g_assert_cmpint (vi_series_get_kind (s), ==, VI_SERIES_SCATTER);
      total += vi_series_get_n_points (s);
    }
  g_assert_cmpstr (classes[0], ==, "T-shirt/top");
  g_assert_cmpstr (vi_vae_class_name (9), ==, "Ankle boot");
  g_assert_null (vi_vae_class_name (10));
  g_assert_cmpuint (vi_series_get_n_points (vi_panel_get_series (panel, 5)), ==, 3);
  g_assert_cmpuint (total + 3, ==, N_SCATTER);
  /* The points keep their coordinates. */
  {
    const double *x, *y;

    g_assert_cmpuint (vi_series_get_xy (vi_panel_get_series (panel, 1), &x, &y), ==, 6);
    g_assert_cmpfloat (x[0], ==, snap->scatter_xy[2]);
    g_assert_cmpfloat (y[0], ==, snap->scatter_xy[3]);
  }
  /* Latent 5: principal components, said on the axes. */
  vi_vae_latent_view_build (fig, wide, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 5);
  vi_vae_latent_view_build (fig, NULL, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 0);
  vi_figure_free (fig);
  free_snapshot (snap);
  free_snapshot (wide);
}

static void
test_kl (void)
{
  ViVaeSnapshot *snap = make_snapshot (6, 0, FALSE);
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  ViSeries *bars = NULL;
  gboolean hline = FALSE;

  vi_view_context_init (&ctx);
  vi_vae_kl_view_build (fig, snap, &ctx);
  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *s = vi_panel_get_series (panel, i);

      if (vi_series_get_kind (s) == VI_SERIES_BARS)
        bars = s;
      hline |= vi_series_get_kind (s) == VI_SERIES_HLINE;
    }
  g_assert_nonnull (bars);
  g_assert_true (hline);
  g_assert_cmpuint (vi_series_get_n_points (bars), ==, 6);
  g_assert_nonnull (strstr (vi_panel_get_title (panel), "4 of 6"));
  vi_figure_free (fig);
  free_snapshot (snap);
}

static char *
build_csv (void (*build) (ViFigure *, const ViVaeSnapshot *, const ViViewContext *),
           ViFigure            *fig,
           const ViVaeSnapshot *snap,
           const ViViewContext *ctx)
{
  build (fig, snap, ctx);
  return vi_figure_to_csv (fig);
}

/* A figure built before from another snapshot and context gives the same
 * data as a fresh one; the overview holds the curves and the images. */
static void
test_deterministic (void)
{
  ViVaeSnapshot *snap = make_snapshot (2, 0, TRUE), *other = make_snapshot (2, 5, FALSE);
  ViViewRun run = { "run 1", other, 0 };
  ViViewContext ctx, busy;
  struct
  {
    void (*build) (ViFigure *, const ViVaeSnapshot *, const ViViewContext *);
    guint rows, cols;
  } cases[] = {
    { vi_vae_elbo_view_build, 2, 1 },
    { vi_vae_showcase_view_build, 1, 1 },
    { vi_vae_latent_view_build, 1, 1 },
    { vi_vae_manifold_view_build, 1, 1 },
    { vi_vae_kl_view_build, 1, 1 },
    { vi_vae_overview_view_build, 1, 2 },
  };

  vi_view_context_init (&ctx);
  busy = ctx;
  busy.history = &run;
  busy.n_history = 1;
  busy.line_scale = 1.6;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ViFigure *fresh = vi_figure_create (cases[i].rows, cases[i].cols);
      ViFigure *reused = vi_figure_create (cases[i].rows, cases[i].cols);
      g_autofree char *c1 = build_csv (cases[i].build, fresh, snap, &ctx);
      g_autofree char *c2 = NULL, *c3 = NULL;

      cases[i].build (reused, other, &busy);
      c2 = build_csv (cases[i].build, reused, snap, &ctx);
      c3 = build_csv (cases[i].build, reused, snap, &ctx);
      g_assert_cmpstr (c1, ==, c2);
      g_assert_cmpstr (c2, ==, c3);
      vi_figure_free (fresh);
      vi_figure_free (reused);
    }
  {
    ViFigure *fig = vi_figure_create (1, 2);
    ViPanel *right;

    vi_vae_overview_view_build (fig, snap, &ctx);
    g_assert_nonnull (find_series (vi_figure_get_panel (fig, 0, 0), "test ELBO"));
    right = vi_figure_get_panel (fig, 0, 1);
    g_assert_cmpuint (vi_panel_get_n_series (right), ==, 1);
    g_assert_cmpuint (vi_series_get_n_points (vi_panel_get_series (right, 0)), ==,
                      2 * VI_VAE_SHOWCASE);
    vi_figure_free (fig);
  }
  free_snapshot (snap);
  free_snapshot (other);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/views/vae/elbo", test_elbo);
  g_test_add_func ("/views/vae/kept-run", test_kept_run);
  g_test_add_func ("/views/vae/images", test_images);
  g_test_add_func ("/views/vae/latent", test_latent);
  g_test_add_func ("/views/vae/kl", test_kl);
  g_test_add_func ("/views/vae/deterministic", test_deterministic);
  return g_test_run ();
}
