/* vi-input.c — opening data files: regular files only, gzip detected from
 * the first bytes, and whole-file reads with a size cap
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-input.h"
#include "vi-status.h"

#define VI_INPUT_CHUNK 65536

GInputStream *
vi_input_open (const char  *path,
                GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GConverter) zlib = NULL;
  guchar magic[2] = { 0, 0 };
  gsize got = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            NULL, &local);
  if (info == NULL)
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot open: %s", path, local->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: not a regular file", path);
      return NULL;
    }
  in = g_file_read (file, NULL, &local);
  if (in == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (in), magic, 2, &got, NULL, &local)
      || !g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, NULL, &local))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot read: %s", path, local->message);
      return NULL;
    }
  if (got < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
    return G_INPUT_STREAM (g_steal_pointer (&in));
  zlib = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  return g_converter_input_stream_new (G_INPUT_STREAM (in), zlib);
}

char *
vi_input_read_all (const char  *path,
                   gsize        max_bytes,
                   gsize       *len,
                   GError     **error)
{
  g_autoptr(GInputStream) in = vi_input_open (path, error);
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *chunk = NULL;

  *len = 0;
  if (in == NULL)
    return NULL;
  bytes = g_byte_array_new ();
  chunk = g_malloc (VI_INPUT_CHUNK);
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      gssize n = g_input_stream_read (in, chunk, VI_INPUT_CHUNK, NULL, &local);

      if (n < 0)
        {
          g_set_error (error, VI_ERROR, VI_EIO, "%s: %s%s", path,
                       g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                       ? "truncated compressed file: " : "cannot read: ", local->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (bytes->len + (gsize) n > max_bytes)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: larger than %zu MB", path,
                       max_bytes >> 20);
          return NULL;
        }
      g_byte_array_append (bytes, (const guint8 *) chunk, (guint) n);
    }
  *len = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

