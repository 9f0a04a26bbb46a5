/* fuzz-stopwords.c — stop-word files (vi_corpus_read_stopwords)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-corpus.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = vi_fuzz_write_file ("stopwords.txt", data, size);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;

  words = vi_corpus_read_stopwords (path, &error);
  vi_fuzz_check_result (words != NULL, error);
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      g_assert_cmpint (words[i][0], !=, '\0');
      g_assert_null (strchr (words[i], '#'));
      g_assert_true (g_utf8_validate (words[i], -1, NULL));
    }
  return 0;
}
