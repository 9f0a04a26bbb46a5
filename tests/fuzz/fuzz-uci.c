/* fuzz-uci.c — the UCI bag-of-words reader (vi_corpus_read_uci with its
 * vocabulary, and the streaming vi_uci_reader): input "DOCWORD\n%%\nVOCAB"
 * (no separator: no vocabulary)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-corpus.h"
#include "fuzz-util.h"
#include "vi-core-autocleanups.h"
#include "vi-input.h"

/* Headers may claim up to 10⁸ documents (VI_CORPUS_MAX_DOCS), which a file
 * of a few bytes makes valid with all but one empty: reading them is as
 * slow as it is legitimate, so such inputs are only streamed, that far. */
#define MAX_DOCS 100000

/* The header's D (the first line, decompressed), or 0. */
static guint64
header_docs (const char *path)
{
  g_autoptr(GInputStream) in = vi_input_open (path, NULL);
  char head[32] = { 0 };
  gsize got = 0;

  if (in == NULL || !g_input_stream_read_all (in, head, sizeof head - 1, &got, NULL, NULL))
    return 0;
  return g_ascii_strtoull (head, NULL, 10);
}

static void
read_streaming (const char     *path,
                const ViCorpus *whole)
{
  g_autoptr(GError) error = NULL;
  ViUciReader *r = vi_uci_reader_open (path, &error);
  const guint32 *words, *counts;
  guint32 doc, n, next = 0;
  guint64 tokens = 0;

  vi_fuzz_check_result (r != NULL, error);
  if (r == NULL)
    return;
  while (next < MAX_DOCS && vi_uci_reader_next (r, &doc, &words, &counts, &n, &error))
    {
      g_assert_cmpuint (doc, ==, next);
      next++;
      g_assert_cmpuint (doc, <, vi_uci_reader_get_n_docs (r));
      for (guint32 i = 0; i < n; i++)
        {
          g_assert_cmpuint (words[i], <, vi_uci_reader_get_n_words (r));
          g_assert_cmpuint (counts[i], >=, 1);
          tokens += counts[i];
        }
    }
  /* What the whole-file reader took, the streaming one takes too. */
  if (whole != NULL && next < MAX_DOCS)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (tokens, ==, whole->n_tokens);
      g_assert_cmpuint (vi_uci_reader_get_n_words (r), ==, whole->n_words);
    }
  vi_uci_reader_free (r);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) corpus = NULL;
  g_autofree char *docword = NULL, *vocab = NULL;
  const uint8_t *second;
  size_t first_size, second_size;

  vi_fuzz_split (data, size, &first_size, &second, &second_size);
  docword = vi_fuzz_write_file ("docword.txt", data, first_size);
  if (second != NULL)
    vocab = vi_fuzz_write_file ("vocab.txt", second, second_size);
  else
    {
      g_autofree char *stale = g_build_filename (vi_fuzz_get_dir (), "vocab.txt", NULL);

      g_unlink (stale);
    }
  if (header_docs (docword) > MAX_DOCS)
    {
      read_streaming (docword, NULL);
      return 0;
    }
  corpus = vi_corpus_read_uci (docword, vocab, &error);
  vi_fuzz_check_result (corpus != NULL, error);
  if (corpus != NULL)
    {
      vi_fuzz_check_corpus (corpus);
      g_assert_true ((corpus->vocab != NULL) == (vocab != NULL));
    }
  read_streaming (docword, corpus);
  return 0;
}
