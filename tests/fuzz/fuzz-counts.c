/* fuzz-counts.c — the counts-file reader (vi_counts_read)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-counts.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = vi_fuzz_write_file ("counts.txt", data, size);
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *x = NULL;
  size_t n = 99;

  x = vi_counts_read (path, &n, &error);
  vi_fuzz_check_result (x != NULL, error);
  g_assert_true ((x != NULL) == (n > 0));
  for (size_t i = 0; i < n; i++)
    g_assert_cmpuint (x[i], <=, VI_COUNTS_MAX);
  return 0;
}
