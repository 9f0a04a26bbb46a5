/* vi-lda-job-snapshot.c — the lda job's snapshots: copies, the vocabulary
 * and the document explorer
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-lda-job-private.h"
#include "vi-lda-job.h"
#include "vi-lda-kernels.h"

char **
vi_lda_job_vocab (char *const *vocab,
                  guint32      n_words)
{
  char **v = g_new0 (char *, (gsize) n_words + 1);

  for (guint32 w = 0; w < n_words; w++)
    v[w] = vocab != NULL ? g_strdup (vocab[w]) : g_strdup_printf ("w%u", w + 1);
  return v;
}

void
vi_lda_job_explorer_init (ViLdaSnapshot  *s,
                          const ViCorpus *test)
{
  for (guint32 d = 0; d < test->n_docs; d++)
    {
      guint32 n = vi_corpus_doc_len (test, d);

      if (n == 0)
        continue;
      s->doc_len = n;
      s->doc_words = g_memdup2 (test->word + test->doc_ptr[d], n * sizeof (guint32));
      s->doc_counts = g_memdup2 (test->count + test->doc_ptr[d], n * sizeof (guint32));
      s->doc_theta = g_new0 (double, s->n_topics);
      s->doc_topic = g_new0 (guint32, n);
      return;
    }
}

void
vi_lda_job_explorer_update (ViLdaSnapshot *s,
                            const double  *beta,
                            double         alpha)
{
  size_t k = s->n_topics, kp = vi_lda_padded (k), n = s->doc_len;
  g_autofree double *eb = NULL, *gamma = NULL, *etheta = NULL, *scratch = NULL;
  g_autofree guint32 *ids = NULL;
  ViLdaEstep e;
  double total = 0;

  if (n == 0)
    return;
  /* The document's words as rows 0 … n − 1 of a compact β̄ᵀ. */
  eb = g_new0 (double, n * kp);
  ids = g_new (guint32, n);
  gamma = g_new0 (double, kp);
  etheta = g_new0 (double, kp);
  scratch = g_new0 (double, kp + n);
  for (size_t i = 0; i < n; i++)
    {
      ids[i] = (guint32) i;
      for (size_t j = 0; j < k; j++)
        eb[i * kp + j] = beta[j * s->n_words + s->doc_words[i]];
    }
  for (size_t j = 0; j < k; j++)
    gamma[j] = alpha + 1;
  e = (ViLdaEstep) { eb, k, kp, alpha, 1e-4, 1000 };
  vi_lda_estep_doc (&e, ids, s->doc_counts, (guint32) n, gamma, etheta, NULL, NULL, scratch);
  for (size_t j = 0; j < k; j++)
    total += gamma[j];
  for (size_t j = 0; j < k; j++)
    s->doc_theta[j] = gamma[j] / total;
  for (size_t i = 0; i < n; i++)
    {
      size_t best = 0;

      for (size_t j = 1; j < k; j++)
        if (s->doc_theta[j] * eb[i * kp + j] > s->doc_theta[best] * eb[i * kp + best])
          best = j;
      s->doc_topic[i] = (guint32) best;
    }
}

#define DUP(field, n) ((field) != NULL ? g_memdup2 ((field), (gsize) MAX ((n), 1) \
                                                    * sizeof *(field)) : NULL)

/* @o's own copies of @r's traces, the part of a run a kept copy has too. */
static void
copy_traces (ViLdaRun       *o,
             const ViLdaRun *r)
{
  o->trace_docs = DUP (r->trace_docs, r->trace_len);
  o->trace_rho = DUP (r->trace_rho, r->trace_len);
  o->trace_elbo = DUP (r->trace_elbo, r->trace_len);
  o->trace_perplexity = DUP (r->trace_perplexity, r->trace_len);
  o->trace_seconds = DUP (r->trace_seconds, r->trace_len);
}

ViLdaSnapshot *
vi_lda_snapshot_copy (const ViLdaSnapshot *snap)
{
  ViLdaSnapshot *c = (g_atomic_rc_box_dup) (sizeof *snap, snap);
  size_t k = snap->n_topics, w = snap->n_words, top = k * VI_LDA_TOP_WORDS;

  c->vocab = g_strdupv (snap->vocab);
  c->word_freq = DUP (snap->word_freq, w);
  if (snap->true_topics != NULL)
    c->true_topics = g_memdup2 (snap->true_topics,
                                (gsize) 2 * snap->bars_side * w * sizeof (double));
  for (guint i = 0; i < snap->n_runs; i++)
    {
      const ViLdaRun *r = &snap->runs[i];
      ViLdaRun *o = &c->runs[i];

      copy_traces (o, r);
      o->topic_top_weight = DUP (r->topic_top_weight, top);
      o->topic_top_word = DUP (r->topic_top_word, top);
      o->topic_top_lift = DUP (r->topic_top_lift, top);
      o->prevalence = DUP (r->prevalence, k);
      o->coherence = DUP (r->coherence, k);
      o->drift = DUP (r->drift, k);
      o->beta = DUP (r->beta, k * w);
      o->true_distance = DUP (r->true_distance, k);
    }
  c->doc_words = DUP (snap->doc_words, snap->doc_len);
  c->doc_counts = DUP (snap->doc_counts, snap->doc_len);
  c->doc_theta = DUP (snap->doc_theta, k);
  c->doc_topic = DUP (snap->doc_topic, snap->doc_len);
  return c;
}

ViLdaSnapshot *
vi_lda_snapshot_keep (const ViLdaSnapshot *snap)
{
  ViLdaSnapshot *c = g_atomic_rc_box_new0 (ViLdaSnapshot);

  c->n_topics = snap->n_topics;
  c->n_words = snap->n_words;
  c->n_docs = snap->n_docs;
  c->n_test_docs = snap->n_test_docs;
  c->n_tokens = snap->n_tokens;
  c->iteration = snap->iteration;
  c->n_steps = snap->n_steps;
  c->n_runs = snap->n_runs;
  for (guint i = 0; i < snap->n_runs; i++)
    {
      const ViLdaRun *r = &snap->runs[i];
      ViLdaRun *o = &c->runs[i];

      o->algorithm = r->algorithm;
      o->updates = r->updates;
      o->docs_seen = r->docs_seen;
      o->seconds = r->seconds;
      o->rho = r->rho;
      o->trace_len = r->trace_len;
      copy_traces (o, r);
    }
  return c;
}

#undef DUP

void
vi_lda_snapshot_clear (ViLdaSnapshot *s)
{
  g_strfreev (s->vocab);
  g_free (s->word_freq);
  g_free (s->true_topics);
  for (guint i = 0; i < s->n_runs; i++)
    {
      ViLdaRun *r = &s->runs[i];

      g_free (r->trace_docs);
      g_free (r->trace_rho);
      g_free (r->trace_elbo);
      g_free (r->trace_perplexity);
      g_free (r->trace_seconds);
      g_free (r->topic_top_weight);
      g_free (r->topic_top_word);
      g_free (r->topic_top_lift);
      g_free (r->prevalence);
      g_free (r->coherence);
      g_free (r->drift);
      g_free (r->beta);
      g_free (r->true_distance);
    }
  g_free (s->doc_words);
  g_free (s->doc_counts);
  g_free (s->doc_theta);
  g_free (s->doc_topic);
}

void
vi_lda_snapshot_free (ViLdaSnapshot *snap)
{
  if (snap != NULL)
    g_atomic_rc_box_release_full (snap, (GDestroyNotify) vi_lda_snapshot_clear);
}
