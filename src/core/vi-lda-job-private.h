/* vi-lda-job-private.h — what the lda job's two files share: corpus
 * loading with the bars' truth, the saved-model format and the streaming
 * mini-batch source
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-corpus.h"
#include "vi-lda-job.h"
#include "vi-lda.h"

G_BEGIN_DECLS

/* The bars corpus settings (the job's bars-* parameters and its seed). */
typedef struct
{
  guint    side;
  guint32  n_docs;
  double   alpha;
  guint32  length;
  guint64  seed;
} ViLdaBarsSpec;

/* vi_lda_job_load_corpus() with the bars settings; *@truth (may be NULL)
 * gets bars' true topics (NULL for other corpora). @test_spec "" or NULL:
 * the d mod 10 = 9 split; else "uci:DOCWORD[,VOCAB]". */
gboolean vi_lda_job_load (const char                 *spec,
                          const char                 *test_spec,
                          const ViLdaBarsSpec        *bars,
                          const ViCorpusTextOptions  *options,
                          ViCorpus                  **train,
                          ViCorpus                  **test,
                          double                    **truth,
                          GError                    **error);

/* Splits "uci:DOCWORD[,VOCAB]" (after the prefix) into its paths. */
void     vi_lda_job_split_uci (const char *spec,
                               char      **docword,
                               char      **vocab);

/* (transfer full) A copy of @vocab, or "w1" … "wW" when it is NULL. */
char   **vi_lda_job_vocab    (char *const   *vocab,
                              guint32        n_words);
/* The document explorer: the first held-out document with words, then its
 * θ̄ and each word's most likely topic under @beta (K × W, rows β̄). */
void     vi_lda_job_explorer_init   (ViLdaSnapshot  *snap,
                                     const ViCorpus *test);
void     vi_lda_job_explorer_update (ViLdaSnapshot  *snap,
                                     const double   *beta,
                                     double          alpha);

/* Frees what @snap points to (not @snap). */
void     vi_lda_snapshot_clear      (ViLdaSnapshot  *snap);

/* ---- saved models -------------------------------------------------------- */

typedef struct
{
  guint    n_topics;
  guint32  n_words;
  guint64  vocab_hash;      /* vi_lda_vocab_hash () of the corpus */
  guint64  updates;
  guint64  seed;
  guint32  batch_size;
  guint32  batch;           /* 1: batch VB, 0: SVI */
  double   alpha, eta, tau0, kappa;
} ViLdaModelHeader;

guint64  vi_lda_vocab_hash   (char *const *vocab,
                              guint32      n_words);
/* Writes λ (K × W) with @h atomically through vi-output. */
gboolean vi_lda_model_save   (const char             *path,
                              const ViLdaModelHeader *h,
                              const double           *lambda,
                              GError                **error);
/* Reads a model: checks magic, version, size and checksum; *@lambda gets
 * K × W values (g_free). Errors (VI_EFORMAT, VI_EIO) start "PATH: ". */
gboolean vi_lda_model_load   (const char             *path,
                              ViLdaModelHeader       *h,
                              double                **lambda,
                              GError                **error);
/* Writes λ as K lines of W numbers ('.' decimal point, %.17g). */
gboolean vi_lda_topics_save  (const char             *path,
                              const double           *lambda,
                              guint                   n_topics,
                              guint32                 n_words,
                              GError                **error);

/* ---- streaming ----------------------------------------------------------- */

/* Mini-batches drawn from a UCI docword as it is read: the training
 * documents (d mod 10 ≠ 9 unless @all_train) go into a buffer of @buffer
 * documents from which each batch draws at random (stream of @seed per
 * pass). Memory: the buffer and one batch. */
typedef struct _ViLdaStream ViLdaStream;

ViLdaStream    *vi_lda_stream_open      (const char  *docword,
                                         guint32      batch_size,
                                         guint32      buffer,
                                         gboolean     all_train,
                                         guint64      seed,
                                         GError     **error);
void            vi_lda_stream_free      (ViLdaStream *s);
/* Training documents per pass and W. */
guint64         vi_lda_stream_n_train   (const ViLdaStream *s);
guint32         vi_lda_stream_n_words   (const ViLdaStream *s);
/* (transfer none) The next batch of pass @pass (the stream restarts when
 * @pass moves on), kept until vi_lda_stream_consume(); NULL and @error on
 * a read error. Word counts of every document read in pass 0 are added to
 * @word_count (W values, may be NULL). */
const ViCorpus *vi_lda_stream_batch     (ViLdaStream *s,
                                         guint64      pass,
                                         guint64     *word_count,
                                         GError     **error);
void            vi_lda_stream_consume   (ViLdaStream *s);
/* (transfer full, g_strfreev) The first @n_words lines of @vocab (NULL: a
 * vocabulary found beside @docword, as vi_corpus_read_uci looks); NULL
 * without error when none is found. */
char          **vi_lda_stream_read_vocab (const char  *docword,
                                          const char  *vocab,
                                          guint32      n_words,
                                          GError     **error);
/* (transfer full) Up to @max held-out documents (d mod 10 = 9) from the
 * start of the file, for the evaluation. */
ViCorpus       *vi_lda_stream_read_test (const char  *docword,
                                         guint32      max,
                                         GError     **error);

G_END_DECLS
