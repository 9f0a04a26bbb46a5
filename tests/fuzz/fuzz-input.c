/* fuzz-input.c — opening data files (vi_input_open, vi_input_read_all):
 * plain or gzip-compressed, read whole under a size cap
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-input.h"

/* Small enough that a short gzip stream can exceed it. */
#define MAX_BYTES (64u << 10)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = vi_fuzz_write_file ("input.gz", data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 12345;

  text = vi_input_read_all (path, MAX_BYTES, &len, &error);
  vi_fuzz_check_result (text != NULL, error);
  if (text != NULL)
    {
      g_assert_cmpuint (len, <=, MAX_BYTES);
      g_assert_cmpint (text[len], ==, '\0');
      /* Not compressed: the bytes as they are. */
      if (size < 2 || data[0] != 0x1f || data[1] != 0x8b)
        {
          g_assert_cmpuint (len, ==, size);
          g_assert_true (size == 0 || memcmp (text, data, size) == 0);
        }
    }
  else
    g_assert_cmpuint (len, ==, 0);
  return 0;
}
