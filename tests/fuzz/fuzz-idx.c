/* fuzz-idx.c — the IDX image and label readers (vi_idx_read_images,
 * vi_idx_read_labels), plain or gzip-compressed
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-idx.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = vi_fuzz_write_file ("data-idx-ubyte", data, size);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *labels = NULL;
  ViIdxImages *images;
  guint32 n = 0;

  images = vi_idx_read_images (path, &error);
  vi_fuzz_check_result (images != NULL, error);
  if (images != NULL)
    {
      gsize len = (gsize) images->n * images->rows * images->cols;
      volatile guint8 sink;

      g_assert_cmpuint (images->rows, >=, 1);
      g_assert_cmpuint (images->rows, <=, VI_IDX_MAX_SIDE);
      g_assert_cmpuint (images->cols, >=, 1);
      g_assert_cmpuint (images->cols, <=, VI_IDX_MAX_SIDE);
      g_assert_cmpuint (len, <=, VI_IDX_MAX_BYTES);
      if (len > 0)
        {
          sink = images->pixels[len - 1];   /* ASan: as long as claimed */
          (void) sink;
        }
      vi_idx_images_free (images);
    }
  g_clear_error (&error);

  labels = vi_idx_read_labels (path, &n, &error);
  vi_fuzz_check_result (labels != NULL, error);
  if (labels != NULL && n > 0)
    {
      volatile guint8 sink = labels[n - 1];

      (void) sink;
    }
  return 0;
}
