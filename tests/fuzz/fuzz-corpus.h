/* fuzz-corpus.h — the invariants of a ViCorpus, checked on every corpus a
 * fuzz target gets from a reader
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-corpus.h"

/* CSR offsets increase, word ids are < W and increase within a document,
 * counts are ≥ 1 and sum to n_tokens, the vocabulary (when known) has W
 * strings of valid UTF-8. */
static inline void
vi_fuzz_check_corpus (const ViCorpus *c)
{
  guint64 tokens = 0;

  g_assert_nonnull (c);
  g_assert_cmpuint (c->n_docs, <=, VI_CORPUS_MAX_DOCS);
  g_assert_cmpuint (c->n_words, <=, VI_CORPUS_MAX_WORDS);
  g_assert_cmpuint (c->doc_ptr[0], ==, 0);
  g_assert_cmpuint (c->doc_ptr[c->n_docs], ==, c->nnz);
  for (guint32 d = 0; d < c->n_docs; d++)
    {
      g_assert_cmpuint (c->doc_ptr[d], <=, c->doc_ptr[d + 1]);
      for (guint64 i = c->doc_ptr[d]; i < c->doc_ptr[d + 1]; i++)
        {
          g_assert_cmpuint (c->word[i], <, c->n_words);
          if (i > c->doc_ptr[d])
            g_assert_cmpuint (c->word[i - 1], <, c->word[i]);
          g_assert_cmpuint (c->count[i], >=, 1);
          tokens += c->count[i];
        }
    }
  g_assert_cmpuint (tokens, ==, c->n_tokens);
  for (guint32 w = 0; c->vocab != NULL && w < c->n_words; w++)
    g_assert_true (g_utf8_validate (c->vocab[w], -1, NULL));
}
