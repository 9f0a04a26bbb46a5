/* vi-vae-job-private.h — what the vae job's files share: its data sets and
 * the snapshot's memory
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-dataset.h"
#include "vi-idx.h"
#include "vi-vae-job.h"

G_BEGIN_DECLS

/* Images kept as bytes with their labels (NULL: none), shared through the
 * dataset cache (vi-dataset.h): @images is the job's own header (its n may
 * be lowered) over the cached, read-only pixels of @image_set. */
typedef struct
{
  ViIdxImages  *images;
  const guint8 *labels;
  ViDataset    *image_set, *label_set;
} ViVaeData;

/* Loads "fashion-mnist" (its train or t10k files by @test) or
 * "idx:IMAGES[,LABELS]" through the dataset cache (a file loaded before and
 * unchanged is not read again); labels must count as many items as the
 * images. Errors name the file (or give the apt-get command). Any thread. */
gboolean vi_vae_data_load  (const char  *spec,
                            gboolean     test,
                            ViVaeData   *data,
                            GError     **error);
/* The training set of a vae job's normalised @params ("data") and its test
 * set ("test", or Fashion-MNIST's with it; zeroed when none), their sizes
 * checked against each other. Both are cleared by the caller either way. */
gboolean vi_vae_data_load_all (GVariant   *params,
                               ViVaeData  *train,
                               ViVaeData  *test,
                               GError    **error);
void     vi_vae_data_clear (ViVaeData   *data);

/* Frees what @snap points to (not @snap). */
void     vi_vae_snapshot_clear (ViVaeSnapshot *snap);

G_END_DECLS
