/* vi-lda-page-help.c — the lda page's "What am I seeing?" texts, written
 * from what each figure shows (numbers from the live snapshot)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vi-lda-page-private.h"
#include "vi-lda-views.h"

static char *
runs_perplexity (const ViLdaSnapshot *s)
{
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < s->n_runs; r++)
    {
      const ViLdaRun *run = &s->runs[r];

      char docs[32];

      if (run->trace_len == 0)
        continue;
      g_snprintf (docs, sizeof docs, "%" G_GUINT64_FORMAT, run->docs_seen);
      /* Translators: an algorithm (SVI or batch VB), its held-out perplexity,
       * the documents it has seen, the passes that makes and its seconds */
      g_string_append_printf (out, _(" %s: perplexity %.1f after %s documents (%.2g passes, "
                                     "%.1f s of training)."),
                              vi_lda_algorithm_label (run->algorithm),
                              run->trace_perplexity[run->trace_len - 1], docs,
                              s->n_docs > 0 ? (double) run->docs_seen / s->n_docs : 0.0,
                              run->seconds);
    }
  return g_string_free (out, FALSE);
}

static char *
help_perplexity (const ViLdaSnapshot *s)
{
  g_autofree char *now = s != NULL ? runs_perplexity (s) : g_strdup ("");

  return g_strdup_printf (_("Held-out perplexity by document completion: for each held-out "
                            "document the topic proportions are fitted on 80 %% of its words "
                            "and the other 20 %% are scored; lower is better, and a model "
                            "that knew nothing would score about the vocabulary size "
                            "(%u words here). The x axis is logarithmic: SVI is good after "
                            "a few mini-batches, long before batch VB has finished its first "
                            "pass (choose Both to see them side by side).%s"),
                          s != NULL ? s->n_words : 0, now);
}

static char *
help_training (const ViLdaSnapshot *s)
{
  double rho = s != NULL && s->n_runs > 0 ? s->runs[0].rho : NAN;

  return g_strdup_printf (_("Top: the weight ρ_t = (τ₀ + t)^−κ each SVI update gives its "
                            "mini-batch; it falls so that the noise of the batches averages "
                            "out (now %.3g). Batch VB always takes ρ = 1 over the whole "
                            "corpus. Bottom: the ELBO per word of each evaluated batch. It "
                            "rises as the topics settle; for SVI it is noisy because every "
                            "batch holds other documents."), rho);
}

static char *
first_words (const ViLdaSnapshot *s,
             guint                k,
             double               lambda)
{
  guint order[4], n;
  GString *out = g_string_new (NULL);

  n = vi_lda_relevant_words (s, &s->runs[0], k, lambda, order, G_N_ELEMENTS (order));
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "",
                            s->vocab[s->runs[0].topic_top_word[k * VI_LDA_TOP_WORDS
                                                               + order[i]]]);
  return g_string_free (out, FALSE);
}

static char *
help_topwords (const ViLdaSnapshot *s,
               double               lambda)
{
  g_autofree char *intro = NULL;
  guint top;

  intro = g_strdup_printf (_("Each row is a topic, the most prevalent at the top, with its "
                             "%u most relevant words written in their cells and coloured by "
                             "the word's probability β̄ in the topic. Relevance is "
                             "λ·log β̄ + (1 − λ)·log(β̄ / p_w) (Sievert & Shirley 2014): "
                             "at λ = 1 the words are the topic's most probable, at λ = 0 "
                             "those most specific to it; LDAvis suggests 0.6. λ is now "
                             "%.2f."),
                           VI_LDA_VIEW_WORDS, lambda);
  if (s == NULL || s->n_runs == 0 || s->runs[0].topic_top_word == NULL
      || vi_lda_topics_by_prevalence (s, &top, 1) == 0)
    return g_steal_pointer (&intro);
  {
    g_autofree char *words = first_words (s, top, lambda);

    /* Translators: %s is the help before, %u a topic, %s its first words */
    return g_strdup_printf (_("%s The most prevalent topic, %u, begins with: %s."), intro,
                            top + 1, words);
  }
}

static char *
help_heatmap (void)
{
  return g_strdup (_("Rows are topics, columns each topic's three most relevant words (at "
                     "the relevance λ of the Words tab), and the colour the probability "
                     "β̄ of the word in the topic (on a large vocabulary, a word outside a "
                     "topic's 30 most probable is drawn as 0). A distinct topic lights up "
                     "only its own columns; a column lit in many rows is a word that many "
                     "topics share."));
}

static char *
help_bars (const ViLdaSnapshot *s)
{
  guint n, match[200];
  double dist[200], worst = 0;

  if (s == NULL || s->bars_side == 0 || s->n_runs == 0 || 2 * s->bars_side > 200)
    return g_strdup (_("Only the synthetic bars corpus has known topics to compare with: "
                       "choose Bars to see the learned topics form as images."));
  n = vi_lda_match_topics (s, &s->runs[0], match, dist);
  for (guint j = 0; j < n; j++)
    worst = isfinite (dist[j]) ? MAX (worst, dist[j]) : worst;
  return g_strdup_printf (_("Top: the %u true topics that generated the bars corpus, each a "
                            "%u × %u image of word probabilities (white: likely). Bottom: "
                            "the learned topics, each under the true topic it matches best, "
                            "with their Hellinger distance (0: identical, 1: disjoint). The "
                            "largest distance is now %.3f; below 0.05 a bar is recovered."),
                          2 * s->bars_side, s->bars_side, s->bars_side, worst);
}

static char *
help_prevalence (const ViLdaSnapshot *s)
{
  guint top;

  if (s == NULL || s->n_runs == 0 || s->runs[0].prevalence == NULL
      || vi_lda_topics_by_prevalence (s, &top, 1) == 0)
    return g_strdup (_("The expected share of the corpus's tokens each topic explains."));
  return g_strdup_printf (_("The expected share of the corpus's tokens each topic explains: "
                            "topic %u is the largest, with %.1f %%. On the bars, whose "
                            "documents mix the bars evenly, every topic should get about "
                            "1/K."), top + 1, 100 * s->runs[0].prevalence[top]);
}

static char *
help_document (const ViLdaSnapshot *s)
{
  guint best = 0;

  if (s == NULL || s->doc_len == 0 || s->doc_theta == NULL)
    return g_strdup (_("A held-out document: its topic proportions θ̄ and its words "
                       "coloured by their most likely topic."));
  for (guint k = 1; k < s->n_topics; k++)
    if (s->doc_theta[k] > s->doc_theta[best])
      best = k;
  return g_strdup_printf (_("The first held-out document (%u distinct words), never seen in "
                            "training. Left: its topic proportions θ̄, fitted with the topics "
                            "fixed; topic %u takes %.0f %%. Right: its words, each coloured by "
                            "the topic most likely to have produced it (×n: it occurs n "
                            "times)."), s->doc_len, best + 1, 100 * s->doc_theta[best]);
}

char *
vi_lda_page_dup_help (ViLdaPlot            plot,
                      const ViLdaSnapshot *s,
                      double               lambda)
{
  switch (plot)
    {
    case VI_LDA_PLOT_PERPLEXITY: return help_perplexity (s);
    case VI_LDA_PLOT_TRAINING: return help_training (s);
    case VI_LDA_PLOT_TOPWORDS: return help_topwords (s, lambda);
    case VI_LDA_PLOT_HEATMAP: return help_heatmap ();
    case VI_LDA_PLOT_BARS: return help_bars (s);
    case VI_LDA_PLOT_PREVALENCE: return help_prevalence (s);
    case VI_LDA_PLOT_DOCUMENT: return help_document (s);
    case VI_LDA_N_PLOTS: break;
    }
  g_return_val_if_reached (NULL);
}
