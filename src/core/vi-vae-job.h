/* vi-vae-job.h — the "vae" job: a VAE trained on IDX images (Fashion-MNIST
 * by default) with train/test ELBO, reconstructions and the latent space
 * as training goes (issue #12)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-idx.h"
#include "vi-job.h"
#include "vi-vae.h"

G_BEGIN_DECLS

/* Job type "vae" (in vi_job_types_list ()).
 *
 * Parameters: the table vi_vae_job_type.params (vi-params.h); in short:
 *   data s         "fashion-mnist" (default: Debian's dataset-fashion-mnist)
 *                  | "idx:IMAGES[,LABELS]"
 *   test s         "" (default: Fashion-MNIST's t10k files; for idx: data,
 *                  none) | "idx:IMAGES[,LABELS]"
 *   train-limit x  use only the first N training images (0: all)
 *   latent x (2 on the page; the CLI's default is the reference 20),
 *   hidden ax (400; "500,300" for two layers), epochs x (10),
 *   batch-size x (128), learning-rate d (1e-3), samples x (L = 1),
 *   binarize s     "threshold" (at 0.5, default) | "stochastic" (per epoch)
 *   threads x (0 = one per processor: OpenBLAS's threads for the sgemms;
 *                  the job itself adds none, so nothing is oversubscribed)
 *   seed t, iwae x (k = 50; 0: skip the IWAE bound)
 *   eval-every x   test ELBO every N batches (0: at the end of each epoch)
 *   save-model s, load-model s (model files, vi_vae_model_save/load)
 *
 * A step is one mini-batch; an epoch ends with the test metrics.
 */
extern const ViJobType vi_vae_job_type;

/* Fixed test images shown with their reconstructions. */
#define VI_VAE_SHOWCASE 16
/* Test points in the latent scatter. */
#define VI_VAE_SCATTER_MAX 2000
/* The decoded manifold: a grid of side × side images (latent 2). */
#define VI_VAE_MANIFOLD_SIDE 15

typedef struct
{
  ViVaeArch    arch;
  guint32      rows, cols;          /* image size */
  guint32      n_train, n_test;
  guint64      iteration;           /* batches done */
  guint64      n_steps;             /* batches planned */
  guint        epoch;               /* epochs completed */
  double       seconds;             /* training time so far (no evaluation) */
  double       gflops;              /* achieved GFLOP/s of the training steps */
  /* The trace, one entry per evaluation (bounded, decimated as it grows);
   * ELBO terms in nats per image. */
  guint        trace_len;
  double      *trace_epoch;         /* fractional epochs */
  double      *trace_train_elbo;    /* the mean over batches since the last point */
  double      *trace_test_elbo;
  double      *trace_reconstruction;  /* test */
  double      *trace_kl;              /* test */
  double       test_iwae;           /* NaN until measured */
  double      *kl_per_dim;          /* latent: test KL per latent dimension (active units) */
  guint        active_units;        /* dimensions with KL > 0.01 nats */
  /* Showcase: VI_VAE_SHOWCASE test images and their reconstructions
   * (rows × cols floats in [0, 1] each). */
  float       *showcase;
  float       *showcase_recon;
  /* Latent scatter: n_scatter test points (μ, or its first two principal
   * components when latent > 2) with labels (255: none). */
  guint        n_scatter;
  float       *scatter_xy;          /* n_scatter × 2 */
  guint8      *scatter_label;
  /* The decoded manifold at standard-normal quantiles Φ⁻¹(p) (latent 2
   * only, else NULL): side × side images, row-major, rows × cols each. */
  float       *manifold;
  /* For the page's decoder on the UI thread (vi_vae_decode_params): the
   * decoder's parameters, the floats from vi_vae_arch_decoder_offset (&arch)
   * to the end of the flat vector; NULL when the job leaves them out. */
  float       *decoder_params;
  /* The scatter's test images (n_scatter × rows × cols, 0 … 255), shown
   * when a point is clicked; NULL when the job leaves them out. */
  guint8      *scatter_images;
} ViVaeSnapshot;

ViVaeSnapshot *vi_vae_snapshot_copy (const ViVaeSnapshot *snap);
void           vi_vae_snapshot_free (ViVaeSnapshot       *snap);

/* Model files: a versioned binary (magic "ELBOVAE\\0", version, architecture,
 * parameters, Adam's state, RNG state and the position in the epoch, a
 * CRC-32 or SHA-256 checksum), written atomically through vi-output; a
 * corrupt, truncated or mismatched file is an error naming it. A resumed
 * run continues exactly as the uninterrupted one would. */

G_END_DECLS
