/* vi-vae-job-private.h — what the vae job's files share: its data sets and
 * the snapshot's memory
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-idx.h"
#include "vi-vae-job.h"

G_BEGIN_DECLS

/* Images kept as bytes with their labels (NULL: none). */
typedef struct
{
  ViIdxImages *images;
  guint8      *labels;
} ViVaeData;

/* Loads "fashion-mnist" (its train or t10k files by @test) or
 * "idx:IMAGES[,LABELS]"; labels must count as many items as the images.
 * Errors name the file (or give the apt-get command). */
gboolean vi_vae_data_load  (const char  *spec,
                            gboolean     test,
                            ViVaeData   *data,
                            GError     **error);
void     vi_vae_data_clear (ViVaeData   *data);

/* Frees what @snap points to (not @snap). */
void     vi_vae_snapshot_clear (ViVaeSnapshot *snap);

G_END_DECLS
