/* fuzz-kjv.c — the KJV chapters builder over the output of `bible`
 * (vi_corpus_from_kjv_verses: "Book1:1 text" lines), from memory
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-corpus.h"
#include "fuzz-util.h"
#include "vi-core-autocleanups.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  ViCorpusTextOptions options = { .min_count = 1, .max_df = 1.0, .stopwords = NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) corpus = NULL;

  corpus = vi_corpus_from_kjv_verses ((const char *) data, size, &options, &error);
  vi_fuzz_check_result (corpus != NULL, error);
  if (corpus != NULL)
    vi_fuzz_check_corpus (corpus);
  return 0;
}
