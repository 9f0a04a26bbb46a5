/* vi-vae-views.h — the figures of the VAE: ELBO curves with their two
 * terms, test images beside their reconstructions, the latent scatter by
 * class, the decoded manifold and the KL per latent dimension
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every builder takes a ViVaeSnapshot (NULL: empty, labelled panels) and
 * the view context; ctx->history holds earlier runs' ViVaeSnapshot (their
 * test ELBO is drawn faded).
 */
#pragma once

#include "vi-vae-job.h"
#include "vi-view.h"

G_BEGIN_DECLS

/* Palette slots of the curves: train ELBO, test ELBO, test reconstruction,
 * test KL. */
enum
{
  VI_VAE_COLOR_TRAIN = 0,
  VI_VAE_COLOR_TEST = 3,
  VI_VAE_COLOR_RECONSTRUCTION = 2,
  VI_VAE_COLOR_KL = 4,
};

/* Columns of the showcase grid: a row of test images, then the row of
 * their reconstructions beneath. */
#define VI_VAE_VIEW_SHOWCASE_COLS 8

/* (transfer none) The name of class @label of a scatter point: the
 * Fashion-MNIST class names (untranslated, as vi_idx_fashion_mnist_classes)
 * for 0 … 9, else NULL. */
const char *vi_vae_class_name        (guint8               label);

/* 2 × 1: the ELBO per image (train and test) with the test reconstruction
 * term E_q[log p(x|z)] above, the test KL below, against epochs; earlier
 * runs' test ELBO faded. */
void   vi_vae_elbo_view_build        (ViFigure            *fig,
                                      const ViVaeSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 1: the VI_VAE_SHOWCASE test images, each row of
 * VI_VAE_VIEW_SHOWCASE_COLS followed by the row of their reconstructions
 * (one image series each, "test images" and "reconstructions"). */
void   vi_vae_showcase_view_build    (ViFigure            *fig,
                                      const ViVaeSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 1: the latent scatter of the test points coloured by class (one
 * legend entry per class present: the Fashion-MNIST names), μ for latent 2,
 * else its first two principal components. */
void   vi_vae_latent_view_build      (ViFigure            *fig,
                                      const ViVaeSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 1: the decoded manifold (latent 2), VI_VAE_MANIFOLD_SIDE² images at
 * standard-normal quantiles; other latent sizes get an empty panel that
 * says why. */
void   vi_vae_manifold_view_build    (ViFigure            *fig,
                                      const ViVaeSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 1: the test KL of each latent dimension as bars, the active-unit
 * threshold (0.01 nats) as a reference line. */
void   vi_vae_kl_view_build          (ViFigure            *fig,
                                      const ViVaeSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 2: the ELBO curves and the reconstructions (the CLI's --plot). */
void   vi_vae_overview_view_build    (ViFigure            *fig,
                                      const ViVaeSnapshot *snap,
                                      const ViViewContext *ctx);

G_END_DECLS
