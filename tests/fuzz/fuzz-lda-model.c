/* fuzz-lda-model.c — the LDA model-file reader (vi_lda_model_load). Each
 * input is read as given, then again with its checksum (the last 32 bytes,
 * a binary SHA-256) made right, so the fuzzer reaches the fields behind it.
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-corpus.h"
#include "vi-lda-job-private.h"

#define SUM_BYTES 32

static void
load (const uint8_t *data,
      size_t         size)
{
  g_autofree char *path = vi_fuzz_write_file ("model.lda", data, size);
  g_autoptr(GError) error = NULL;
  g_autofree double *lambda = NULL;
  ViLdaModelHeader h;
  gboolean ok = vi_lda_model_load (path, &h, &lambda, &error);

  vi_fuzz_check_result (ok, error);
  if (ok)
    {
      gsize n = (gsize) h.n_topics * h.n_words;
      volatile double sink;

      g_assert_cmpuint (h.n_topics, >=, 1);
      g_assert_cmpuint (h.n_words, >=, 1);
      g_assert_cmpuint (h.n_words, <=, VI_CORPUS_MAX_WORDS);
      g_assert_nonnull (lambda);
      /* ASan checks λ is as long as K × W says. */
      sink = lambda[0] + lambda[n - 1];
      (void) sink;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  load (data, size);
  if (size > SUM_BYTES)
    {
      g_autofree uint8_t *fixed = g_memdup2 (data, size);
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      gsize n = SUM_BYTES;

      g_checksum_update (sum, data, (gssize) (size - SUM_BYTES));
      g_checksum_get_digest (sum, fixed + size - SUM_BYTES, &n);
      load (fixed, size);
    }
  return 0;
}
