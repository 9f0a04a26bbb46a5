/* vi-dataset.h — data files loaded once, shared by reference and keyed by
 * path and SHA-256
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>

#include <glib.h>

#include "vi-idx.h"

G_BEGIN_DECLS

typedef enum
{
  VI_DATASET_COUNTS,      /* a counts file (vi_counts_read) */
  VI_DATASET_IDX_IMAGES,  /* an IDX images file (vi_idx_read_images) */
  VI_DATASET_IDX_LABELS,  /* an IDX labels file (vi_idx_read_labels) */
} ViDatasetKind;

/* An immutable, reference-counted, thread-safe loaded data file. */
typedef struct _ViDataset ViDataset;

/* (transfer full) The data in @path as @kind. A process-wide cache keyed by
 * path, kind and content: while the file's identity, size and change times are
 * those of the cached load (and it had not changed within 2 s before that
 * load), the cached dataset is returned without reading; otherwise the
 * file is read and hashed again, and a file whose SHA-256 is unchanged
 * still gives the cached dataset. Any thread may call it.
 * Anything but a regular file (a device such as /dev/zero, a FIFO, a
 * directory) is refused without reading: VI_ERROR, VI_EIO, "PATH: not a
 * regular file". Otherwise the reader's errors (VI_EIO, VI_EFORMAT, naming
 * the file and line). */
ViDataset      *vi_dataset_load        (const char     *path,
                                        ViDatasetKind   kind,
                                        GError        **error);
ViDataset      *vi_dataset_ref         (ViDataset      *dataset);
void            vi_dataset_unref       (ViDataset      *dataset);
const char     *vi_dataset_get_path    (ViDataset      *dataset);
/* Lower-case hex SHA-256 of the bytes loaded. */
const char     *vi_dataset_get_sha256  (ViDataset      *dataset);
ViDatasetKind   vi_dataset_get_kind    (ViDataset      *dataset);
/* (transfer none) VI_DATASET_COUNTS: the counts, *@n of them. */
const guint64  *vi_dataset_get_counts  (ViDataset      *dataset,
                                        size_t         *n);

/* (transfer none) VI_DATASET_IDX_IMAGES: the images (never modify them). */
const ViIdxImages *vi_dataset_get_images (ViDataset    *dataset);
/* (transfer none) VI_DATASET_IDX_LABELS: the labels, *@n of them. */
const guint8   *vi_dataset_get_labels  (ViDataset      *dataset,
                                        guint32        *n);

/* (transfer full) Lower-case hex SHA-256 of the regular file @path, read in
 * blocks; NULL and @error (VI_ERROR, VI_EIO, naming the file) if it cannot
 * be read or is not a regular file (so /dev/zero or a FIFO never hangs). */
char           *vi_dataset_file_sha256 (const char     *path,
                                        GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViDataset, vi_dataset_unref)

G_END_DECLS
