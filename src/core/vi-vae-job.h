/* vi-vae-job.h — the "vae" job: a VAE trained on IDX images (Fashion-MNIST
 * by default) with train/test ELBO, reconstructions and the latent space
 * as training goes (issue #12)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

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
 *   latent x (2, the page's, everywhere: the CLI and the benchmark pass
 *             --latent 20 for the reference model),
 *   hidden ax (400; "500,300" for two layers), epochs x (10),
 *   batch-size x (128), learning-rate d (1e-3), samples x (L = 1),
 *   binarize s     "threshold" (at 0.5, default) | "stochastic" (per epoch)
 *   threads x (0 = one per processor: OpenBLAS's threads for the sgemms;
 *                  the job itself adds none, so nothing is oversubscribed)
 *   seed t, iwae x (k = 50, on the whole test set once training ends;
 *                  0: skip the IWAE bound)
 *   eval-every x   test ELBO every N batches (0: at the end of each epoch)
 *   save-model s, load-model s (model files, vi_vae_model_save/load;
 *                  the CLI spells them --save and --load; a loaded file's
 *                  architecture replaces latent and hidden)
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
  /* Added after the first version of this header: */
  double      *trace_seconds;       /* trace_len: training seconds at each point */
  double      *epoch_seconds;       /* epoch: training seconds of each epoch */
  double       test_reconstruction; /* the last test ELBO's terms (NaN: none yet) */
  double       test_kl;
  gboolean     test_is_train;       /* no test set: metrics on training images */
  double       cpu_seconds;         /* process CPU seconds of the training steps
                                     * (all threads), since create or load */
  /* For the page's decoder on the UI thread (vi_vae_decode_params): the
   * decoder's parameters, the floats from vi_vae_arch_decoder_offset (&arch)
   * to the end of the flat vector, as of the last evaluation; NULL before.
   * An immutable g_atomic_rc_box block, shared by the snapshots. */
  float       *decoder_params;
  /* The scatter's test images (n_scatter × rows × cols, 0 … 255), shown
   * when a point is clicked; a shared g_atomic_rc_box block as above. */
  guint8      *scatter_images;
} ViVaeSnapshot;

ViVaeSnapshot *vi_vae_snapshot_copy (const ViVaeSnapshot *snap);
/* What a page keeps of an earlier run (ViJobType.snapshot_keep): the
 * counts, the last test metrics and the trace; the images, scatter,
 * manifold, decoder and per-epoch/per-dimension arrays are NULL (n_scatter
 * 0). */
ViVaeSnapshot *vi_vae_snapshot_keep (const ViVaeSnapshot *snap);
void           vi_vae_snapshot_free (ViVaeSnapshot       *snap);

/* Model files: a versioned binary (magic "ELBOVAE\\0", version, architecture,
 * parameters, Adam's state, RNG state and the position in the epoch, a
 * SHA-256 checksum), written atomically through vi-output; a
 * corrupt, truncated or mismatched file is an error naming it. A resumed
 * run continues exactly as the uninterrupted one would.
 *
 * The job's randomness: stream 0 of the seed draws the initial weights and
 * then every batch's noise ε (its state is saved); the shuffle of epoch e
 * is stream 2 + e; the evaluations use stream 1, reset each time, so they
 * never change the training. Without a test set (an idx: file without
 * --test) the test metrics come from the first 10,000 training images. */

#define VI_VAE_MODEL_MAGIC   "ELBOVAE"
#define VI_VAE_MODEL_VERSION 1u

typedef struct
{
  ViVaeArch    arch;
  guint32      rows, cols;
  guint64      seed;
  guint64      epoch;           /* epochs completed */
  guint64      offset;          /* images of the current epoch done */
  guint64      iteration;       /* batches done */
  guint64      train_count;     /* images in train_sum (running train ELBO) */
  double       train_sum;
  double       seconds;         /* training seconds so far */
  double       learning_rate;   /* informative: the run's Adam rate */
  size_t       n_params;
  float       *params;          /* n_params each */
  float       *adam_m, *adam_v;
  guint64      adam_t;
  char        *rng_name;        /* gsl_rng type name and raw state */
  guint8      *rng_state;
  gsize        rng_size;
} ViVaeModel;

/* Writes @model atomically (temp file + rename, vi-output): magic,
 * version, architecture, position, parameters, Adam's m, v and t, the RNG
 * state, then the SHA-256 of all that (64 hexadecimal digits). */
gboolean vi_vae_model_save  (const char        *path,
                             const ViVaeModel  *model,
                             GError           **error);
/* Reads @path into @model (its arrays and strings allocated; free with
 * vi_vae_model_clear). Errors (VI_ERROR: VI_EIO unreadable, VI_EFORMAT bad
 * magic, version, architecture, size or checksum) start with "PATH: ". */
gboolean vi_vae_model_load  (const char        *path,
                             ViVaeModel        *model,
                             GError           **error);
void     vi_vae_model_clear (ViVaeModel        *model);

/* Saves the state of @job (a "vae" job) now, between two steps, on the
 * thread that steps it — a checkpoint mid-epoch that --load resumes
 * exactly. Errors name the file. */
gboolean vi_vae_job_save_model (ViJob          *job,
                                const char     *path,
                                GError        **error);

/* (transfer full) Loads the data sets a vae job's normalised @params name
 * ("data", "test") into the dataset cache (vi-dataset.h) as vi_job_create()
 * would, and returns them (ViDataset references): while they are kept, a
 * job created on the same files finds them there without reading them.
 * NULL and the job's error (naming the file) if they cannot be loaded.
 * Any thread (a page calls it on a GTask thread). */
GPtrArray *vi_vae_job_load_data (GVariant  *params,
                                 GError   **error);

G_END_DECLS
