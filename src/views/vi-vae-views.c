/* vi-vae-views.c — the figures of the VAE
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn by the VAE page (one figure per tab) and by `elbo-lab-cli vae
 * --plot` (the overview), from the same code.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-vae-views.h"

/* KL of a latent dimension above which it counts as active (nats). */
#define ACTIVE_THRESHOLD 0.01

const char *
vi_vae_class_name (guint8 label)
{
  const char *const *names = vi_idx_fashion_mnist_classes ();

  return label < 10 ? names[label] : NULL;
}

/* ---- the ELBO curves ------------------------------------------------------ */

static void
trace_axes (ViPanel    *panel,
            const char *title,
            const char *ylabel,
            const char *ydata,
            gboolean    xlabel)
{
  vi_view_panel_reset (panel);
  vi_panel_set_title (panel, title);
  vi_panel_set_empty_message (panel, _("Press Run to train the autoencoder"));
  if (xlabel)
    {
      vi_panel_set_axis_label (panel, VI_AXIS_X, _("epoch"));
      vi_panel_set_axis_data_name (panel, VI_AXIS_X, "epoch");
    }
  vi_panel_set_axis_label (panel, VI_AXIS_Y, ylabel);
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, ydata);
}

static ViSeries *
trace_line (ViPanel             *panel,
            const ViViewContext *ctx,
            const ViVaeSnapshot *s,
            const double        *y,
            const char          *name,
            const char          *data_name,
            guint                color)
{
  ViSeries *series = vi_panel_add_line (panel, name, s->trace_epoch, y, s->trace_len);

  vi_series_set_data_name (series, data_name);
  vi_view_style (series, ctx, color, 1, VI_DASH_SOLID, 2.2);
  if (s->trace_len <= 40)
    vi_series_set_marker (series, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 5));
  return series;
}

static void
history_lines (ViPanel             *panel,
               const ViViewContext *ctx,
               gsize                offset)
{
  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViVaeSnapshot *hs = ctx->history[h].snapshot;
      ViSeries *series;

      if (hs == NULL || hs->trace_len == 0)
        continue;
      series = vi_panel_add_line (panel, ctx->history[h].label, hs->trace_epoch,
                                  G_STRUCT_MEMBER (const double *, hs, offset), hs->trace_len);
      vi_view_data_name (series, "%s (earlier run %u)",
                         offset == G_STRUCT_OFFSET (ViVaeSnapshot, trace_kl)
                         ? "test KL" : "test ELBO", h + 1);
      vi_series_set_legend_group (series, ctx->history[h].label);
      vi_view_history_style (series, ctx, ctx->history[h].slot, 0.45, 1.3);
    }
}

static void
elbo_panel (ViPanel             *panel,
            const ViVaeSnapshot *s,
            const ViViewContext *ctx,
            gboolean             xlabel)
{
  trace_axes (panel, _("ELBO per image and its reconstruction term"), _("nats per image"),
              "nats per image", xlabel);
  vi_panel_set_legend (panel, VI_LEGEND_BOTTOM_RIGHT);
  history_lines (panel, ctx, G_STRUCT_OFFSET (ViVaeSnapshot, trace_test_elbo));
  if (s == NULL || s->trace_len == 0)
    return;
  trace_line (panel, ctx, s, s->trace_train_elbo, _("train ELBO"), "train ELBO",
              VI_VAE_COLOR_TRAIN);
  trace_line (panel, ctx, s, s->trace_reconstruction, _("test reconstruction E[log p(x|z)]"),
              "test reconstruction", VI_VAE_COLOR_RECONSTRUCTION);
  trace_line (panel, ctx, s, s->trace_test_elbo, _("test ELBO"), "test ELBO",
              VI_VAE_COLOR_TEST);
}

static void
kl_trace_panel (ViPanel             *panel,
                const ViVaeSnapshot *s,
                const ViViewContext *ctx)
{
  trace_axes (panel, _("KL(q(z|x) ‖ p(z)) on the test set"), _("nats per image"),
              "KL (nats per image)", TRUE);
  vi_panel_set_legend (panel, VI_LEGEND_BOTTOM_RIGHT);
  history_lines (panel, ctx, G_STRUCT_OFFSET (ViVaeSnapshot, trace_kl));
  if (s == NULL || s->trace_len == 0)
    return;
  trace_line (panel, ctx, s, s->trace_kl, _("test KL"), "test KL", VI_VAE_COLOR_KL);
}

/* Begins a view of two panels: the first, and the one at (@row, @col);
 * FALSE when @fig has no such panel. */
static gboolean
two_panels (ViFigure            *fig,
            const ViViewContext *ctx,
            guint                row,
            guint                col,
            ViPanel            **first,
            ViPanel            **second)
{
  *first = vi_view_begin (fig, ctx);
  *second = vi_figure_get_panel (fig, row, col);
  g_return_val_if_fail (*second != NULL, FALSE);
  return TRUE;
}

void
vi_vae_elbo_view_build (ViFigure            *fig,
                        const ViVaeSnapshot *snap,
                        const ViViewContext *ctx)
{
  ViPanel *top, *bottom;

  if (!two_panels (fig, ctx, 1, 0, &top, &bottom))
    return;
  elbo_panel (top, snap, ctx, FALSE);
  kl_trace_panel (bottom, snap, ctx);
}

/* ---- images --------------------------------------------------------------- */

static void
images_axes (ViPanel    *panel,
             const char *title,
             const char *empty)
{
  vi_view_panel_reset (panel);
  vi_panel_set_title (panel, title);
  vi_panel_set_grid (panel, FALSE);
  vi_panel_set_legend (panel, VI_LEGEND_NONE);
  vi_panel_set_empty_message (panel, empty);
}

static void
showcase_panel (ViPanel             *panel,
                const ViVaeSnapshot *s)
{
  gsize px, cols = VI_VAE_VIEW_SHOWCASE_COLS;
  g_autofree double *pixels = NULL;
  gsize n = VI_VAE_SHOWCASE;
  gsize rows;

  images_axes (panel, _("Test images (odd rows) and their reconstructions (even rows)"),
               _("Press Run to see the reconstructions"));
  if (s == NULL || s->showcase == NULL || s->showcase_recon == NULL || s->rows == 0)
    return;
  px = (gsize) s->rows * s->cols;
  rows = (n + cols - 1) / cols;
  pixels = g_new0 (double, 2 * rows * cols * px);
  /* Row r of images: the originals in grid row 2r, the reconstructions in
   * 2r + 1; a last, short row is padded with blank (NaN-free zero) images. */
  for (gsize i = 0; i < n; i++)
    {
      gsize r = i / cols, c = i % cols;
      double *orig = pixels + ((2 * r) * cols + c) * px;
      double *rec = pixels + ((2 * r + 1) * cols + c) * px;

      for (gsize p = 0; p < px; p++)
        {
          orig[p] = s->showcase[i * px + p];
          rec[p] = s->showcase_recon[i * px + p];
        }
    }
  vi_panel_add_images (panel, "test images and reconstructions", pixels, 2 * rows * cols,
                       s->rows, s->cols, 1, NULL, (guint) cols);
}

void
vi_vae_showcase_view_build (ViFigure            *fig,
                            const ViVaeSnapshot *snap,
                            const ViViewContext *ctx)
{
  showcase_panel (vi_view_begin (fig, ctx), snap);
}

void
vi_vae_manifold_view_build (ViFigure            *fig,
                            const ViVaeSnapshot *snap,
                            const ViViewContext *ctx)
{
  ViPanel *panel = vi_view_begin (fig, ctx);
  gsize px, n = VI_VAE_MANIFOLD_SIDE * VI_VAE_MANIFOLD_SIDE;
  g_autofree double *pixels = NULL;

  images_axes (panel, _("The decoder over the latent plane at normal quantiles Φ⁻¹(p)"),
               snap != NULL && snap->arch.latent != 2
               ? _("The manifold needs a latent dimension of 2")
               : _("Press Run to decode the latent plane"));
  if (snap == NULL || snap->manifold == NULL || snap->rows == 0)
    return;
  px = (gsize) snap->rows * snap->cols;
  pixels = g_new (double, n * px);
  for (gsize i = 0; i < n * px; i++)
    pixels[i] = snap->manifold[i];
  vi_panel_add_images (panel, "manifold", pixels, n, snap->rows, snap->cols, 1, NULL,
                       VI_VAE_MANIFOLD_SIDE);
}

/* ---- the latent space ------------------------------------------------------ */

/* Ten colours a class each (Tableau 10, which tells ten classes apart
 * better than the eight Okabe–Ito slots can), and grey for unlabelled
 * points. */
static const ViColor class_colors[11] = {
  { 0.122, 0.467, 0.706, 1 }, { 1.000, 0.498, 0.055, 1 }, { 0.173, 0.627, 0.173, 1 },
  { 0.839, 0.153, 0.157, 1 }, { 0.580, 0.404, 0.741, 1 }, { 0.549, 0.337, 0.294, 1 },
  { 0.890, 0.467, 0.761, 1 }, { 0.498, 0.498, 0.498, 1 }, { 0.737, 0.741, 0.133, 1 },
  { 0.090, 0.745, 0.812, 1 }, { 0.6, 0.6, 0.6, 1 },
};

void
vi_vae_latent_view_build (ViFigure            *fig,
                          const ViVaeSnapshot *snap,
                          const ViViewContext *ctx)
{
  ViPanel *panel = vi_view_begin (fig, ctx);
  g_autofree double *x = NULL, *y = NULL;
  gboolean pca;

  vi_view_panel_reset (panel);
  pca = snap != NULL && snap->arch.latent > 2;
  vi_panel_set_title (panel, pca ? _("Test set in the latent space: first two principal "
                                     "components of μ")
                      : _("Test set in the latent space: the encoder's mean μ"));
  vi_panel_set_axis_label (panel, VI_AXIS_X, pca ? _("PC 1 of μ") : "μ₁");
  vi_panel_set_axis_label (panel, VI_AXIS_Y, pca ? _("PC 2 of μ") : "μ₂");
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, pca ? "pc1" : "mu1");
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, pca ? "pc2" : "mu2");
  vi_panel_set_legend (panel, VI_LEGEND_OUTSIDE_RIGHT);
  vi_panel_set_empty_message (panel, _("Press Run to encode the test set"));
  if (snap == NULL || snap->n_scatter == 0 || snap->scatter_xy == NULL)
    return;
  x = g_new (double, snap->n_scatter);
  y = g_new (double, snap->n_scatter);
  /* One series per class, in label order (10: unlabelled), so each class
   * has its colour and its name in the legend. */
  for (guint c = 0; c <= 10; c++)
    {
      gsize n = 0;
      ViSeries *series;

      for (guint i = 0; i < snap->n_scatter; i++)
        {
          guint8 l = snap->scatter_label != NULL ? snap->scatter_label[i] : 255;

          if ((l < 10 ? l : 10) != c)
            continue;
          x[n] = snap->scatter_xy[2 * i];
          y[n] = snap->scatter_xy[2 * i + 1];
          n++;
        }
      if (n == 0)
        continue;
      series = vi_panel_add_scatter (panel, c < 10 ? vi_vae_class_name (c) : _("unlabelled"),
                                     x, y, n);
      if (c == 10)
        vi_series_set_data_name (series, "unlabelled");
      vi_series_set_color (series, &class_colors[c]);
      vi_series_set_marker (series, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 4));
    }
}

/* ---- active units ---------------------------------------------------------- */

void
vi_vae_kl_view_build (ViFigure            *fig,
                      const ViVaeSnapshot *snap,
                      const ViViewContext *ctx)
{
  ViPanel *panel = vi_view_begin (fig, ctx);
  g_autofree double *h = NULL;
  g_auto(GStrv) labels = NULL;
  g_autofree char *title = NULL;
  ViSeries *bars;
  gsize L;

  vi_view_panel_reset (panel);
  vi_panel_set_axis_label (panel, VI_AXIS_X, _("latent dimension"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, "dimension");
  vi_panel_set_axis_label (panel, VI_AXIS_Y, _("test KL (nats per image)"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, "KL (nats per image)");
  vi_panel_set_legend (panel, VI_LEGEND_NONE);
  vi_panel_set_empty_message (panel, _("Press Run to measure the KL per dimension"));
  if (snap == NULL || snap->kl_per_dim == NULL || snap->arch.latent == 0)
    {
      vi_panel_set_title (panel, _("KL per latent dimension"));
      return;
    }
  L = snap->arch.latent;
  /* Translators: %u of %u: the active latent dimensions of all */
  title = g_strdup_printf (_("KL per latent dimension: %u of %u active (KL > 0.01 nats)"),
                           snap->active_units, (guint) L);
  vi_panel_set_title (panel, title);
  h = g_new (double, L);
  labels = g_new0 (char *, L + 1);
  for (gsize j = 0; j < L; j++)
    {
      h[j] = snap->kl_per_dim[j];
      labels[j] = g_strdup_printf ("z%" G_GSIZE_FORMAT, j + 1);
    }
  vi_panel_set_categories (panel, (const char *const *) labels);
  bars = vi_panel_add_bars (panel, "KL", h, NULL, L);
  vi_view_style (bars, ctx, VI_VAE_COLOR_KL, 1, VI_DASH_SOLID, 1);
  vi_panel_add_hline (panel, _("active"), ACTIVE_THRESHOLD);
}

/* ---- the CLI's figure ------------------------------------------------------- */

void
vi_vae_overview_view_build (ViFigure            *fig,
                            const ViVaeSnapshot *snap,
                            const ViViewContext *ctx)
{
  ViPanel *left, *right;

  if (!two_panels (fig, ctx, 0, 1, &left, &right))
    return;
  elbo_panel (left, snap, ctx, TRUE);
  showcase_panel (right, snap);
}
