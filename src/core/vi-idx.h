/* vi-idx.h — IDX image and label files (MNIST, Fashion-MNIST; REFERENCES.md
 * §5), plain or gzip-compressed
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IDX: two zero bytes, a type byte (0x08: unsigned bytes, the only one
 * supported), the number of dimensions, then each dimension as a big-endian
 * 32-bit count, then the data. Images are 3-D (count, rows, columns),
 * labels 1-D. Every malformed file is an error naming it; nothing is
 * allocated beyond what the file holds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bounds that keep a hostile header from asking for a giant allocation. */
#define VI_IDX_MAX_SIDE   4096u
#define VI_IDX_MAX_BYTES  ((gsize) 1 << 31)

typedef struct
{
  guint32  n;          /* images */
  guint32  rows, cols;
  guint8  *pixels;     /* n × rows × cols, row-major, 0 … 255 */
} ViIdxImages;

/* (transfer full) Reads an images file. Errors (VI_ERROR, naming the file):
 * VI_EIO missing, unreadable, not a regular file, truncated compressed
 * stream; VI_EFORMAT bad magic (not 0x00000803), a side of 0 or above
 * VI_IDX_MAX_SIDE, more than VI_IDX_MAX_BYTES of pixels, or a size that
 * disagrees with the dimensions (truncated, or data after the end). */
ViIdxImages *vi_idx_read_images (const char  *path,
                                 GError     **error);
void         vi_idx_images_free (ViIdxImages *images);

/* (transfer full, g_free) Reads a labels file (magic 0x00000801) into
 * *@n labels; the same errors. */
guint8      *vi_idx_read_labels (const char  *path,
                                 guint32     *n,
                                 GError     **error);

/* (transfer full) The path of a file of Debian's dataset-fashion-mnist
 * (@name, e.g. "train-images-idx3-ubyte.gz"), or NULL and an error that
 * gives the apt-get command when the package is missing. */
char        *vi_idx_dup_fashion_mnist_path (const char  *name,
                                            GError     **error);

/* The ten Fashion-MNIST class names, in label order (untranslated). */
const char *const *vi_idx_fashion_mnist_classes (void);

G_END_DECLS
