/* fuzz-lda-stream.c — the LDA job's streaming mini-batch source over a UCI
 * docword (vi_lda_stream_*: batches of two passes, the held-out documents
 * and the vocabulary read beside it): input "DOCWORD\n%%\nVOCAB"
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-corpus.h"
#include "fuzz-util.h"
#include "vi-core-autocleanups.h"
#include "vi-lda-job-private.h"

static void
stream_batches (const char *docword)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *word_count = NULL;
  ViLdaStream *s = vi_lda_stream_open (docword, 3, 5, FALSE, 7, &error);
  guint32 n_words;

  vi_fuzz_check_result (s != NULL, error);
  if (s == NULL)
    return;
  n_words = vi_lda_stream_n_words (s);
  g_assert_cmpuint (vi_lda_stream_n_train (s), >, 0);
  /* A hostile header may claim 10⁷ words: count them only when small. */
  if (n_words <= 100000)
    word_count = g_new0 (guint64, n_words);
  for (guint64 pass = 0; pass < 2; pass++)
    for (guint b = 0; b < 8; b++)
      {
        const ViCorpus *batch = vi_lda_stream_batch (s, pass, word_count, &error);

        vi_fuzz_check_result (batch != NULL, error);
        if (batch == NULL)
          goto out;
        vi_fuzz_check_corpus (batch);
        g_assert_cmpuint (batch->n_docs, <=, 3);
        g_assert_cmpuint (batch->n_words, ==, n_words);
        vi_lda_stream_consume (s);
      }
out:
  vi_lda_stream_free (s);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) test = NULL;
  g_autofree char *docword = NULL, *vocab = NULL;
  g_auto(GStrv) words = NULL;
  const uint8_t *second;
  size_t first_size, second_size;
  guint32 n_words = 0;

  vi_fuzz_split (data, size, &first_size, &second, &second_size);
  docword = vi_fuzz_write_file ("docword.fuzz.txt", data, first_size);
  vocab = vi_fuzz_write_file ("vocab.fuzz.txt", second != NULL ? second : data, second_size);
  stream_batches (docword);

  test = vi_lda_stream_read_test (docword, 50, &error);
  vi_fuzz_check_result (test != NULL, error);
  if (test != NULL)
    {
      vi_fuzz_check_corpus (test);
      n_words = test->n_words;
    }
  g_clear_error (&error);
  /* vocab.fuzz.txt is found beside docword.fuzz.txt. */
  words = vi_lda_stream_read_vocab (docword, NULL, MIN (n_words, 1000), &error);
  if (words != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (words), ==, MIN (n_words, 1000));
      for (guint i = 0; words[i] != NULL; i++)
        g_assert_true (g_utf8_validate (words[i], -1, NULL));
    }
  else
    g_assert_nonnull (error);
  return 0;
}
