/* vi-vae-page.h — the variational autoencoder page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-model-page.h"
#include "vi-plot-view.h"

G_BEGIN_DECLS

#define VI_TYPE_VAE_PAGE (vi_vae_page_get_type ())
G_DECLARE_FINAL_TYPE (ViVaePage, vi_vae_page, VI, VAE_PAGE, ViModelPage)

/* The page's plots: the views' figures, then the page's own two (the image
 * under the cursor or of a clicked point, and the generated images). */
typedef enum
{
  VI_VAE_PLOT_ELBO,
  VI_VAE_PLOT_SHOWCASE,
  VI_VAE_PLOT_LATENT,
  VI_VAE_PLOT_MANIFOLD,
  VI_VAE_PLOT_KL,
  VI_VAE_PLOT_TOUCH,
  VI_VAE_PLOT_GENERATED,
  VI_VAE_N_PLOTS
} ViVaePlot;

/* (transfer none) */
ViPlotView *vi_vae_page_get_plot      (ViVaePage   *self,
                                       ViVaePlot    plot);
/* The "What am I seeing?" text of @plot as shown now (NULL for the touch
 * and generated plots, which share the latent plot's). */
const char *vi_vae_page_get_help      (ViVaePage   *self,
                                       ViVaePlot    plot);
/* Trains on the IDX images file @path (its labels beside it when found:
 * "…images-idx3…" → "…labels-idx1…"). */
void        vi_vae_page_set_data_file (ViVaePage   *self,
                                       const char  *path);
/* Decodes the latent point (@z1, @z2) of a latent-2 model into the touch
 * plot, as dragging over the latent plane does, with the snapshot's
 * decoder or the one of the model file loaded or saved by the run; FALSE
 * when there is none. */
gboolean    vi_vae_page_decode_at     (ViVaePage   *self,
                                       double       z1,
                                       double       z2);
/* Shows scatter point @index (its test image when the snapshot has it and
 * the decoding of its μ) in the touch plot and makes it the newest end of
 * the interpolation; FALSE when there is no such point. */
gboolean    vi_vae_page_pick_point    (ViVaePage   *self,
                                       guint        index);
/* Fills the generated plot with decoded samples from the prior N(0, I), or
 * with the path between the last two picked points; FALSE when there is
 * no decoder (or, to interpolate, two points were not picked). */
gboolean    vi_vae_page_sample_prior  (ViVaePage   *self);
gboolean    vi_vae_page_interpolate   (ViVaePage   *self);

G_END_DECLS
