/* vi-lda-job.h — the "lda" job: SVI and batch VB for LDA on a corpus, with
 * held-out perplexity and topic metrics as training goes (issue #11)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-corpus.h"
#include "vi-job.h"
#include "vi-lda.h"

G_BEGIN_DECLS

/* Job type "lda" (in vi_job_types_list ()).
 *
 * Parameters: the table vi_lda_job_type.params (vi-params.h); in short:
 *   corpus s          "bars" (default) | "kjv" | "uci:DOCWORD[,VOCAB]" |
 *                     "text:PATH" (a file of lines or a folder of .txt)
 *   test s            "" (default: the d mod 10 = 9 split of the corpus) |
 *                     "uci:DOCWORD[,VOCAB]" held-out documents
 *   bars-side x (5), bars-docs x (2000), bars-alpha d (1), bars-length x (100)
 *   min-count x (5), max-df d (1): text and KJV vocabulary filters
 *   stopwords s       "" (default: the shipped English list) or a file
 *   topics x          K (10)
 *   algorithm s       "svi" (default) | "batch" | "both" (side by side,
 *                     same seed: the central figure of Hoffman et al.)
 *   batch-size x, tau0 d, kappa d, alpha d, eta d, passes x
 *   e-step-tol d (1e-3), e-step-max-iter x (100)
 *   eval-every x      held-out perplexity every N updates (0: at the end)
 *   threads x (0 = one per processor), seed t
 *   stream b          read a UCI corpus in mini-batches as it goes (SVI only)
 *   save-model s      "" or a file: λ and the settings, written when training
 *                     ends (versioned, checksummed, atomic)
 *   load-model s      "" or a model saved with save-model to resume from
 *                     (same K, vocabulary, seed, α, η, batch size, τ₀, κ;
 *                     SVI resumes bit-identically)
 *   save-topics s     "" or a file: λ as K lines of W numbers, when it ends
 *
 * A step is one update (one mini-batch; for batch VB one pass) of every
 * run; held-out perplexity is measured every eval-every updates and at the
 * end, outside the training time.
 */
extern const ViJobType vi_lda_job_type;

/* The number of top words kept per topic in a snapshot. */
#define VI_LDA_TOP_WORDS 30

/* One run (algorithm) as the plots show it. */
typedef struct
{
  const char *algorithm;        /* "svi" or "batch" (static) */
  guint64     updates;
  guint64     docs_seen;        /* training documents processed */
  double      seconds;          /* training time so far (no evaluation) */
  double      rho;              /* of the last update */
  /* The trace, one entry per evaluation (bounded, decimated as it grows). */
  guint       trace_len;
  double     *trace_docs;       /* documents seen */
  double     *trace_rho;
  double     *trace_elbo;       /* per-word ELBO estimate of that batch */
  double     *trace_perplexity; /* held-out completion perplexity */
  double     *trace_seconds;
  /* The topics now: K rows of β̄ = λ / Σλ. */
  double     *topic_top_weight; /* K × VI_LDA_TOP_WORDS β̄ values, descending */
  guint32    *topic_top_word;   /* K × VI_LDA_TOP_WORDS word ids */
  double     *topic_top_lift;   /* K × VI_LDA_TOP_WORDS log(β̄_kw / p_w), for relevance */
  double     *prevalence;       /* K: expected share of tokens per topic */
  double     *coherence;        /* K: UMass coherence of the top 10 words */
  double     *drift;            /* K: Hellinger distance since the last evaluation */
  double     *beta;             /* K × W β̄ when W ≤ VI_LDA_SNAPSHOT_MAX_W, else NULL */
  double     *true_distance;    /* K: Hellinger to the matched true topic (bars), or NULL */
} ViLdaRun;

#define VI_LDA_SNAPSHOT_MAX_W 400

typedef struct
{
  guint        n_topics;
  guint32      n_words;
  guint32      n_docs;          /* training documents */
  guint32      n_test_docs;
  guint64      n_tokens;
  char       **vocab;           /* n_words words (a shared, immutable copy) */
  double      *word_freq;       /* n_words: p_w of the training corpus */
  guint        bars_side;       /* the bars' image side, 0 if not bars */
  double      *true_topics;     /* bars: K × W, else NULL */
  guint64      iteration;       /* steps made */
  guint64      n_steps;         /* steps planned */
  guint        n_runs;          /* 1, or 2 for "both" */
  ViLdaRun     runs[2];
  /* A held-out document for the document explorer (the first of the test
   * split): its words, counts, θ̄ under the first run, and each word's most
   * likely topic. */
  guint32      doc_len;
  guint32     *doc_words;
  guint32     *doc_counts;
  double      *doc_theta;       /* K */
  guint32     *doc_topic;       /* doc_len */
} ViLdaSnapshot;

ViLdaSnapshot *vi_lda_snapshot_copy (const ViLdaSnapshot *snap);
/* What a page keeps of an earlier run (ViJobType.snapshot_keep): the
 * counts and each run's trace; the vocabulary, topics, β̄ and the document
 * explorer are NULL (n_words stays, bars_side and doc_len are 0). */
ViLdaSnapshot *vi_lda_snapshot_keep (const ViLdaSnapshot *snap);
void           vi_lda_snapshot_free (ViLdaSnapshot       *snap);

/* The corpus a job would train on, as `elbo-lab-cli corpus` writes it:
 * @spec as the "corpus" parameter; @options the text filters; the train
 * and test split (either may be NULL). KJV is built once and cached under
 * the user cache folder (g_get_user_cache_dir ()/elbo-lab/kjv). */
gboolean       vi_lda_job_load_corpus (const char                 *spec,
                                       const ViCorpusTextOptions  *options,
                                       ViCorpus                  **train,
                                       ViCorpus                  **test,
                                       GError                    **error);

G_END_DECLS
