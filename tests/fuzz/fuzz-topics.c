/* fuzz-topics.c — the topics-file reader of lda-eval (vi_lda_topics_read:
 * the file through vi_input_read_all, plain or gzip, then parsed)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "fuzz-util.h"
#include "vi-lda.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = vi_fuzz_write_file ("topics.txt", data, size);
  g_autoptr(GError) error = NULL;
  g_autofree double *topics = NULL;
  guint k = 0;
  guint32 w = 0;

  topics = vi_lda_topics_read (path, &k, &w, &error);
  vi_fuzz_check_result (topics != NULL, error);
  if (topics == NULL)
    {
      /* Every refusal names the file. */
      g_assert_nonnull (strstr (error->message, path));
      return 0;
    }
  g_assert_cmpuint (k, >=, 1);
  g_assert_cmpuint (w, >=, 1);
  for (gsize i = 0; i < (gsize) k * w; i++)
    g_assert_true (isfinite (topics[i]));
  return 0;
}
