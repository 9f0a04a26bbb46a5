/* vi-corpus-private.h — building corpora document by document, and the
 * input helpers the corpus readers share
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vi-corpus.h"
#include "vi-input.h"

G_BEGIN_DECLS

typedef struct
{
  GArray *doc_ptr;   /* guint64 */
  GArray *word;      /* guint32 */
  GArray *count;     /* guint32 */
  guint64 n_tokens;
} ViCorpusBuilder;

void      vi_corpus_builder_init   (ViCorpusBuilder *b);
void      vi_corpus_builder_clear  (ViCorpusBuilder *b);
/* Appends a document whose @n words are already unique and increasing. */
void      vi_corpus_builder_add    (ViCorpusBuilder *b,
                                    const guint32   *words,
                                    const guint32   *counts,
                                    guint32          n);
/* (transfer full) The corpus built so far over @n_words words; @vocab
 * (may be NULL) is taken. The builder is left cleared (holds nothing;
 * vi_corpus_builder_init to use it again). */
ViCorpus *vi_corpus_builder_finish (ViCorpusBuilder *b,
                                    guint32          n_words,
                                    char           **vocab);

/* Sorts @n (word, count) pairs by word, merging repeats by adding their
 * counts; returns the number of unique words left. */
guint32   vi_corpus_sort_merge     (guint32         *words,
                                    guint32         *counts,
                                    guint32          n);

/* The readers' input helpers (vi-input.h), under their old names. */
#define vi_corpus_open_input vi_input_open
#define vi_corpus_read_all   vi_input_read_all

G_END_DECLS
