/* vi-lda.h — variational inference for LDA: stochastic (SVI, Hoffman, Blei
 * & Bach 2010) and batch VB, and the held-out completion perplexity
 * (REFERENCES.md §3)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The global q(β_k) = Dirichlet(λ_k) lives in the ViLda; a step fits the
 * documents of a batch (E-step over their unique words, on a vi-parallel
 * pool, one task per document) and moves λ towards the batch's estimate:
 *   λ ← (1 − ρ) λ + ρ (η + (D/|B|) Σ_{d∈B} n_dw φ_dwk),
 *   ρ_t = (τ₀ + t)^−κ, t the number of updates made before (0 first).
 * Everything a step computes is reduced in a fixed order, so λ is
 * bit-identical for any number of threads.
 */
#pragma once

#include <glib.h>

#include "vi-corpus.h"

G_BEGIN_DECLS

typedef struct
{
  guint    n_topics;      /* K ≥ 1 */
  double   alpha;         /* document-topic prior, > 0 */
  double   eta;           /* topic-word prior, > 0 */
  double   tau0;          /* ≥ 0 */
  double   kappa;         /* (0.5, 1] */
  double   e_tol;         /* E-step: stop when mean |Δγ| < e_tol */
  guint    e_max_iter;    /* E-step: at most this many rounds */
  guint64  seed;          /* λ's start, each document's γ start */
  guint    n_threads;     /* 0: one per processor */
  gboolean exact;         /* E-step in double (slower); FALSE: float32 rows,
                           * to about 1e-6 — a tolerance below that needs it */
} ViLdaOptions;

/* K 10, α 0.1, η 0.01, τ₀ 1, κ 0.7, tolerance 1e-3, 100 rounds, seed 0,
 * threads 0. */
void      vi_lda_options_init  (ViLdaOptions       *options);
/* Checks @options; the error (VI_EDOM) names the option and its range. */
gboolean  vi_lda_options_check (const ViLdaOptions *options,
                                GError            **error);

typedef struct _ViLda ViLda;

/* (transfer full) A model over @n_words words with λ drawn from
 * Gamma(100, 1/100) (stream 0 of the seed), as onlineldavb.py does. */
ViLda    *vi_lda_create        (const ViLdaOptions *options,
                                guint32             n_words,
                                GError            **error);
void      vi_lda_free          (ViLda              *lda);

guint     vi_lda_get_n_topics  (const ViLda        *lda);
guint32   vi_lda_get_n_words   (const ViLda        *lda);
/* Updates made so far (t of the next step). */
guint64   vi_lda_get_updates   (const ViLda        *lda);
/* ρ of the step after @updates updates. */
double    vi_lda_rho           (const ViLda        *lda,
                                guint64             updates);
/* Copies λ into @out (K × W, row-major: topic k's row is its word weights,
 * like scikit-learn's components_). */
void      vi_lda_get_lambda    (const ViLda        *lda,
                                double             *out);
/* Replaces λ (K × W, every value > 0 and finite) and the update count, as
 * when resuming a saved model. */
gboolean  vi_lda_set_lambda    (ViLda              *lda,
                                const double       *lambda,
                                guint64             updates,
                                GError            **error);

typedef struct
{
  double   rho;             /* the ρ used */
  double   mean_rounds;     /* E-step rounds per document */
  double   elbo_per_word;   /* with want_elbo: the ELBO estimate (the batch's
                             * documents scaled to D, plus the global term)
                             * per token of the corpus it stands for */
} ViLdaStepInfo;

/* One update from the documents @docs[0 … n) of @corpus (NULL: all of it),
 * standing for @total_docs documents (the D in D/|B|); @rho < 0 follows
 * the schedule. With @want_elbo the info gets the ELBO estimate (costs
 * K·W lgamma). Returns VI_OK, VI_EINVAL (no document), VI_ECANCELLED when
 * *@cancel became non-zero (λ unchanged), or VI_ENONFINITE. */
int       vi_lda_update        (ViLda              *lda,
                                const ViCorpus     *corpus,
                                const guint32      *docs,
                                guint32             n,
                                guint64             total_docs,
                                double              rho,
                                gboolean            want_elbo,
                                ViLdaStepInfo      *info,
                                const gint         *cancel);

/* One batch VB iteration on all of @corpus: ρ = 1 and D/|B| = 1, so λ = η
 * + the corpus's statistics. Each document's γ starts where the previous
 * batch step on this corpus left it (warm start); the first time from
 * Gamma(100, 1/100). */
int       vi_lda_batch_step    (ViLda              *lda,
                                const ViCorpus     *corpus,
                                gboolean            want_elbo,
                                ViLdaStepInfo      *info,
                                const gint         *cancel);

/* Held-out perplexity by document completion, from topics alone: each
 * document of @test has its tokens shuffled (fixed seed, stream d), the
 * first 80 % observed and γ folded in with φ_wk ∝ exp(E log θ_k) β̄_kw to
 * mean |Δγ| < 1e-4, then exp(−Σ_{other 20 %} log Σ_k θ̄_k β̄_kw / #tokens).
 * @topics is K × W, rows normalised here (λ or any saved topics). Returns
 * NaN and sets @error (naming "topics") when a row is not positive-summing
 * or holds a negative or non-finite value, or when no document has a
 * held-out token. */
double    vi_lda_perplexity    (const double       *topics,
                                guint               n_topics,
                                guint32             n_words,
                                double              alpha,
                                const ViCorpus     *test,
                                guint               n_threads,
                                GError            **error);

/* Topics files (lda --save-topics, lda-eval --topics): rows of numbers
 * separated by blanks, all of the same length; '#' comments and blank
 * lines skipped. At most VI_LDA_TOPICS_FILE_MAX bytes (256 MiB, decompressed),
 * a regular file (vi_input_read_all). */
#define VI_LDA_TOPICS_FILE_MAX ((gsize) 256 << 20)

/* (transfer full) The K × W topics in @text (@len bytes; NUL bytes are an
 * error), or NULL and @error (VI_EFORMAT) naming @name and the line. */
double   *vi_lda_topics_parse  (const char         *name,
                                const char         *text,
                                gsize               len,
                                guint              *n_topics,
                                guint32            *n_words,
                                GError            **error);
/* (transfer full) The same, read from @path. */
double   *vi_lda_topics_read   (const char         *path,
                                guint              *n_topics,
                                guint32            *n_words,
                                GError            **error);

/* The seed of the completion split: document d's tokens are shuffled by
 * stream 1 + d (vi_rng_create), then its γ drawn from the same stream. */
#define VI_LDA_COMPLETION_SEED G_GUINT64_CONSTANT (20100621)

/* Hellinger distance √(½ Σ (√p − √q)²) of two distributions of @n values. */
double    vi_lda_hellinger     (const double       *p,
                                const double       *q,
                                size_t              n);
/* The minimum-cost assignment of an @n × @n @cost matrix (row-major):
 * row i gets column @match[i] (the Hungarian method, O(n³)). */
void      vi_lda_assign        (const double       *cost,
                                size_t              n,
                                size_t             *match);
/* Matches the @k true topics @truth (rows, each a distribution over
 * @n_words) to the @k rows of @learned (normalised here) minimising the
 * total Hellinger distance; @distance (may be NULL) gets each true topic's
 * distance to its match. Returns the largest. */
double    vi_lda_topic_recovery (const double      *truth,
                                 const double      *learned,
                                 size_t             k,
                                 size_t             n_words,
                                 double            *distance);

G_END_DECLS
