/* vi-lda-page.h — the topic-model (LDA) page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-model-page.h"
#include "vi-plot-view.h"

G_BEGIN_DECLS

#define VI_TYPE_LDA_PAGE (vi_lda_page_get_type ())
G_DECLARE_FINAL_TYPE (ViLdaPage, vi_lda_page, VI, LDA_PAGE, ViModelPage)

/* The page's plots, in the order of their tabs. */
typedef enum
{
  VI_LDA_PLOT_PERPLEXITY,
  VI_LDA_PLOT_TRAINING,
  VI_LDA_PLOT_TOPWORDS,
  VI_LDA_PLOT_HEATMAP,
  VI_LDA_PLOT_BARS,
  VI_LDA_PLOT_PREVALENCE,
  VI_LDA_PLOT_DOCUMENT,
  VI_LDA_N_PLOTS
} ViLdaPlot;

/* (transfer none) */
ViPlotView *vi_lda_page_get_plot      (ViLdaPage  *self,
                                       ViLdaPlot   plot);
/* The "What am I seeing?" text of @plot as shown now. */
const char *vi_lda_page_get_help      (ViLdaPage  *self,
                                       ViLdaPlot   plot);
/* Uses @path as the corpus: a UCI docword file (docword*.txt[.gz]) or
 * plain text (a file of lines, or a folder of .txt files). */
void        vi_lda_page_set_corpus_file (ViLdaPage  *self,
                                         const char *path);
/* The relevance λ of the top words (a view setting). */
void        vi_lda_page_set_relevance (ViLdaPage  *self,
                                       double      lambda);
/* Whether a run of the page is loading its corpus (no snapshot yet). */
gboolean    vi_lda_page_is_loading    (ViLdaPage  *self);

G_END_DECLS
