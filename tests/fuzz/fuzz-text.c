/* fuzz-text.c — plain-text corpora (vi_corpus_read_text: a file of one
 * document a line, or a folder of one document a .txt file; tokenized,
 * stop words and rare or common words dropped). The first byte picks the
 * filters and, bit 0x20, a folder: the text split at "\n%%\n" lines into
 * up to four files.
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

/* (transfer full) The folder "docs" of the temporary folder holding
 * doc0.txt … (the parts of @text) and nothing else. */
static char *
write_folder (const uint8_t *text,
              size_t         size)
{
  char *dir = g_build_filename (vi_fuzz_get_dir (), "docs", NULL);

  vi_fuzz_remove (dir, 1);
  g_mkdir (dir, 0700);
  for (guint i = 0; i < 4 && text != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("docs/doc%u.txt", i);
      g_autofree char *file = NULL;
      const uint8_t *rest;
      size_t first, rest_size;

      vi_fuzz_split (text, size, &first, &rest, &rest_size);
      file = vi_fuzz_write_file (name, text, first);
      text = rest;
      size = rest_size;
    }
  return dir;
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
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) corpus = NULL;

  if (size > 0 && (data[0] & 0x20) != 0)
    path = write_folder (text, text_size);
  else
    path = vi_fuzz_write_file ("corpus.txt", text, text_size);
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
