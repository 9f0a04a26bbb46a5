/* vi-idx.c — IDX image and label files
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vi-idx.h"
#include "vi-input.h"
#include "vi-status.h"

#define VI_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* Reads exactly @len bytes into @buf; FALSE with @error (truncated or a
 * read error) otherwise. With @got_out, a short read is not an error here:
 * *@got_out says how many bytes came. */
static gboolean
read_exact (GInputStream *in,
            const char   *path,
            void         *buf,
            gsize         len,
            const char   *what,
            gsize        *got_out,
            GError      **error)
{
  g_autoptr(GError) local = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all (in, buf, len, &got, NULL, &local))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: %s%s", path,
                   g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                   ? "truncated compressed file: " : "cannot read: ", local->message);
      return FALSE;
    }
  if (got_out != NULL)
    *got_out = got;
  else if (got < len)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s: truncated: %s has %zu of %zu bytes", path, what, got, len);
      return FALSE;
    }
  return TRUE;
}

/* Opens @path and checks its header: magic 0x000008|@ndims; @dims gets the
 * dimensions. */
static GInputStream *
open_idx (const char *path,
          guint       ndims,
          guint32    *dims,
          GError    **error)
{
  g_autoptr(GInputStream) in = vi_input_open (path, error);
  guint8 head[4], raw[4 * 3];

  if (in == NULL || !read_exact (in, path, head, 4, "the header", NULL, error))
    return NULL;
  if (head[0] != 0 || head[1] != 0 || head[2] != 0x08 || head[3] != ndims)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s: not an IDX %s file (magic 0x%02x%02x%02x%02x, expected 0x000008%02x)",
                   path, ndims == 3 ? "images" : "labels", head[0], head[1], head[2], head[3],
                   ndims);
      return NULL;
    }
  if (!read_exact (in, path, raw, 4 * ndims, "the header", NULL, error))
    return NULL;
  for (guint i = 0; i < ndims; i++)
    dims[i] = (guint32) raw[4 * i] << 24 | (guint32) raw[4 * i + 1] << 16
              | (guint32) raw[4 * i + 2] << 8 | raw[4 * i + 3];
  return g_steal_pointer (&in);
}

/* Reads @len bytes of data and checks that nothing follows. The buffer
 * grows as the bytes arrive (doubling from 1 MiB), so a header that claims
 * 2 GiB over a short file never allocates more than the file holds. */
static guint8 *
read_data (GInputStream *in,
           const char   *path,
           gsize         len,
           GError      **error)
{
  g_autofree guint8 *data = NULL;
  g_autoptr(GError) local = NULL;
  gsize have = 0, cap = 0;
  guint8 extra;
  gssize n;

  do
    {
      gsize want, got = 0;

      if (have == cap)
        {
          guint8 *grown;

          cap = MIN (len, MAX ((gsize) 1 << 20, 2 * cap));
          grown = g_try_realloc (data, MAX (cap, 1));
          if (grown == NULL)
            {
              g_set_error (error, VI_ERROR, VI_ENOMEM, "%s: out of memory for %zu bytes", path,
                           len);
              return NULL;
            }
          data = grown;
        }
      want = cap - have;
      if (!read_exact (in, path, data + have, want, NULL, &got, error))
        return NULL;
      have += got;
      if (got < want)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT,
                       "%s: truncated: the data has %zu of %zu bytes", path, have, len);
          return NULL;
        }
    }
  while (have < len);
  n = g_input_stream_read (in, &extra, 1, NULL, &local);
  if (n < 0)
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: %s%s", path,
                   g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                   ? "truncated compressed file: " : "cannot read: ", local->message);
      return NULL;
    }
  if (n > 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s: data after the %zu bytes the dimensions give", path, len);
      return NULL;
    }
  return g_steal_pointer (&data);
}

void
vi_idx_images_free (ViIdxImages *images)
{
  if (images == NULL)
    return;
  g_free (images->pixels);
  g_free (images);
}

ViIdxImages *
vi_idx_read_images (const char  *path,
                    GError     **error)
{
  guint32 dims[3];
  g_autoptr(GInputStream) in = open_idx (path, 3, dims, error);
  ViIdxImages *img;
  guint8 *pixels;
  guint64 len;

  if (in == NULL)
    return NULL;
  if (dims[1] == 0 || dims[2] == 0 || dims[1] > VI_IDX_MAX_SIDE || dims[2] > VI_IDX_MAX_SIDE)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s: image size %u × %u is outside [1, %u] × [1, %u]", path, dims[1],
                   dims[2], VI_IDX_MAX_SIDE, VI_IDX_MAX_SIDE);
      return NULL;
    }
  len = (guint64) dims[0] * dims[1] * dims[2];
  if (dims[0] == 0 || len > VI_IDX_MAX_BYTES)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s: %u images of %u × %u: %s", path, dims[0], dims[1], dims[2],
                   dims[0] == 0 ? "no images" : "more pixels than the limit of 2 GiB");
      return NULL;
    }
  pixels = read_data (in, path, (gsize) len, error);
  if (pixels == NULL)
    return NULL;
  img = g_new0 (ViIdxImages, 1);
  img->n = dims[0];
  img->rows = dims[1];
  img->cols = dims[2];
  img->pixels = pixels;
  return img;
}

guint8 *
vi_idx_read_labels (const char  *path,
                    guint32     *n,
                    GError     **error)
{
  guint32 dims[1];
  g_autoptr(GInputStream) in = open_idx (path, 1, dims, error);
  guint8 *labels;

  *n = 0;
  if (in == NULL)
    return NULL;
  if (dims[0] == 0 || dims[0] > VI_IDX_MAX_BYTES)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: %u labels is outside [1, 2³¹]", path,
                   dims[0]);
      return NULL;
    }
  labels = read_data (in, path, dims[0], error);
  if (labels != NULL)
    *n = dims[0];
  return labels;
}

char *
vi_idx_dup_fashion_mnist_path (const char  *name,
                               GError     **error)
{
  g_autofree char *path = g_build_filename (VI_FASHION_MNIST_DIR, name, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);
  g_set_error (error, VI_ERROR, VI_EIO,
               "fashion-mnist: %s is missing; install the data set with "
               "apt-get install dataset-fashion-mnist", path);
  return NULL;
}

const char *const *
vi_idx_fashion_mnist_classes (void)
{
  static const char *const classes[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", NULL,
  };

  return classes;
}
