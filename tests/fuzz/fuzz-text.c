/* fuzz-text.c — plain-text corpora (vi_corpus_read_text: one document a
 * line, tokenized, stop words and rare or common words dropped)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-corpus.h"
#include "fuzz-util.h"
#include "vi-core-autocleanups.h"

static void
count_token (const char *token,
             gsize       len,
             gpointer    user_data)
{
  g_assert_cmpuint (strlen (token), ==, len);
  g_assert_cmpuint (g_utf8_strlen (token, (gssize) len), >=, 2);
  (*(guint64 *) user_data)++;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *stop[] = { "the", "and", "of", NULL };
  /* The first byte picks the filters, the rest is the text. */
  ViCorpusTextOptions options = {
    .min_count = size > 0 ? 1 + data[0] % 3 : 1,
    .max_df = size > 0 && (data[0] & 0x80) != 0 ? 0.5 : 1.0,
    .stopwords = size > 0 && (data[0] & 0x40) != 0 ? stop : NULL,
  };
  const uint8_t *text = size > 0 ? data + 1 : data;
  size_t text_size = size > 0 ? size - 1 : 0;
  g_autofree char *path = vi_fuzz_write_file ("corpus.txt", text, text_size);
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) corpus = NULL;

  corpus = vi_corpus_read_text (path, &options, &error);
  vi_fuzz_check_result (corpus != NULL, error);
  if (corpus != NULL)
    {
      vi_fuzz_check_corpus (corpus);
      g_assert_nonnull (corpus->vocab);
    }
  /* The tokenizer on the raw bytes, as the app calls it on valid text. */
  if (text_size > 0 && g_utf8_validate ((const char *) text, (gssize) text_size, NULL))
    {
      guint64 tokens = 0;

      vi_corpus_tokenize ((const char *) text, (gssize) text_size, count_token, &tokens);
    }
  return 0;
}
