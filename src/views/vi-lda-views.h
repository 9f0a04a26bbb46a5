/* vi-lda-views.h — the figures of LDA: held-out perplexity, the schedule,
 * the topics (top words with relevance, heat map, prevalence, bars images)
 * and the document explorer
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every builder takes a ViLdaSnapshot (NULL: empty, labelled panels) and
 * the view context; ctx->history holds earlier runs' ViLdaSnapshot (their
 * perplexity traces are drawn faded) and ctx->relevance the λ of
 * Sievert & Shirley's relevance, λ·log β̄ + (1 − λ)·lift, by which the
 * top words are ordered.
 */
#pragma once

#include "vi-lda-job.h"
#include "vi-view.h"

G_BEGIN_DECLS

/* Topics shown by the topic figures at most (the most prevalent first). */
#define VI_LDA_VIEW_MAX_TOPICS 20
/* Words shown per topic in the top-words figure. */
#define VI_LDA_VIEW_WORDS      8

/* Palette slot of an algorithm ("svi" blue, "batch" vermillion). */
guint  vi_lda_algorithm_color        (const char          *algorithm);
/* Palette slot of topic @k (cycles through the seven non-foreground
 * Okabe–Ito colours). */
guint  vi_lda_topic_color            (guint                k);
/* (transfer none) The display name of an algorithm ("SVI", "batch VB"). */
const char *vi_lda_algorithm_label   (const char          *algorithm);

/* Topic @k's top words of @run ordered by relevance at @lambda (in
 * [0, 1]: 1 orders by β̄, 0 by lift): up to @n positions into its top-word
 * arrays (0 … VI_LDA_TOP_WORDS − 1) into @order; returns how many.
 * Ties keep the β̄ order. */
guint  vi_lda_relevant_words         (const ViLdaSnapshot *snap,
                                      const ViLdaRun      *run,
                                      guint                k,
                                      double               lambda,
                                      guint               *order,
                                      guint                n);
/* Up to @n topics of @snap, the most prevalent (under run 0) first, into
 * @topics; returns how many. */
guint  vi_lda_topics_by_prevalence   (const ViLdaSnapshot *snap,
                                      guint               *topics,
                                      guint                n);
/* Bars: for each true topic j its matched learned topic of @run (the
 * assignment of least total Hellinger distance, vi_lda_assign; G_MAXUINT
 * when there are fewer learned topics) in @match[j] and the distance in
 * @dist[j] (may be NULL); returns the number of true topics, 0 when @snap
 * has none or the run has no β̄. */
guint  vi_lda_match_topics           (const ViLdaSnapshot *snap,
                                      const ViLdaRun      *run,
                                      guint               *match,
                                      double              *dist);

/* 1 × 1: held-out perplexity against documents seen (log x), one line per
 * run (SVI and batch VB together for "both"), earlier runs faded. */
void   vi_lda_perplexity_view_build  (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);
/* 2 × 1: ρ_t and the per-batch ELBO estimate (per word) against documents
 * seen (log x). */
void   vi_lda_training_view_build    (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 1: the top VI_LDA_VIEW_WORDS words of each topic (most prevalent
 * first) ordered by relevance at ctx->relevance, written over a heat map
 * of their β̄ (run 0). */
void   vi_lda_topwords_view_build    (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 1: topic × word heat map of β̄ over the union of each topic's three
 * most relevant words (run 0). */
void   vi_lda_heatmap_view_build     (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 1: the expected share of tokens of each topic, a bar series per run. */
void   vi_lda_prevalence_view_build  (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);
/* 2 × 1: bars only (snap->bars_side > 0): the true topics as side × side
 * images above the learned ones of run 0, matched and captioned with
 * their Hellinger distance; other corpora get an empty panel. */
void   vi_lda_bars_view_build        (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 2: the held-out document of the explorer: θ̄ as bars, and its words
 * coloured by their most likely topic. */
void   vi_lda_document_view_build    (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);
/* 1 × 2: perplexity and the topic × word heat map (the CLI's --plot). */
void   vi_lda_overview_view_build    (ViFigure            *fig,
                                      const ViLdaSnapshot *snap,
                                      const ViViewContext *ctx);

G_END_DECLS
