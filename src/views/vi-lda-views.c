/* vi-lda-views.c — the figures of LDA
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn by the LDA page (one figure per tab) and by `elbo-lab-cli lda
 * --plot` (the overview), from the same code.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-lda-views.h"

/* Words of the document explorer at most, and its line length (in
 * characters: the x axis). */
#define DOC_MAX_WORDS 160
#define DOC_LINE      40
/* Topics whose words get a colour of their own. */
#define DOC_COLOURS   6
/* Columns of the topic × word heat map at most, and words per topic. */
#define HEAT_MAX_COLS 40
#define HEAT_PER_TOPIC 3

guint
vi_lda_algorithm_color (const char *algorithm)
{
  return g_strcmp0 (algorithm, "batch") == 0 ? 3 : 0;
}

const char *
vi_lda_algorithm_label (const char *algorithm)
{
  return g_strcmp0 (algorithm, "batch") == 0 ? _("batch VB") : _("SVI");
}

guint
vi_lda_topic_color (guint k)
{
  static const guint slots[] = { 0, 3, 2, 4, 1, 5, 6 };

  return slots[k % G_N_ELEMENTS (slots)];
}

/* A number as the figure draws it: @digits significant, ctx's decimal mark. */
static char *
format_number (const ViViewContext *ctx,
               double               v,
               int                  digits)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
  g_autoptr(GString) s = NULL;

  g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
  g_ascii_formatd (buf, sizeof buf, fmt, v);
  s = g_string_new (buf);
  if (ctx->decimal_mark[0] != '\0' && strcmp (ctx->decimal_mark, ".") != 0)
    g_string_replace (s, ".", ctx->decimal_mark, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static const char *
word_of (const ViLdaSnapshot *s,
         guint32              w)
{
  return s->vocab != NULL && w < s->n_words && s->vocab[w] != NULL ? s->vocab[w] : "?";
}

/* A 1 × 1 figure of one panel builder. */
#define ONE_PANEL_VIEW(name, panel_build)                                 \
  void                                                                    \
  vi_lda_##name##_view_build (ViFigure            *fig,                   \
                              const ViLdaSnapshot *snap,                  \
                              const ViViewContext *ctx)                   \
  {                                                                       \
    panel_build (vi_view_begin (fig, ctx), snap, ctx);                    \
  }

/* ---- orders and matching ------------------------------------------------- */

typedef struct
{
  double key;
  guint  index;
} Ranked;

/* Descending by key, ties by index. */
static int
ranked_cmp (gconstpointer a,
            gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->key != y->key)
    return x->key > y->key ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

guint
vi_lda_relevant_words (const ViLdaSnapshot *snap,
                       const ViLdaRun      *run,
                       guint                k,
                       double               lambda,
                       guint               *order,
                       guint                n)
{
  Ranked r[VI_LDA_TOP_WORDS];
  guint m = 0;

  g_return_val_if_fail (snap != NULL && run != NULL && k < snap->n_topics, 0);
  if (run->topic_top_weight == NULL)
    return 0;
  lambda = CLAMP (lambda, 0.0, 1.0);
  for (guint i = 0; i < VI_LDA_TOP_WORDS; i++)
    {
      double w = run->topic_top_weight[k * VI_LDA_TOP_WORDS + i];
      double lift = run->topic_top_lift != NULL
                    ? run->topic_top_lift[k * VI_LDA_TOP_WORDS + i] : 0;

      if (!(w > 0) || run->topic_top_word[k * VI_LDA_TOP_WORDS + i] >= snap->n_words)
        continue;
      r[m].key = lambda * log (w) + (1 - lambda) * lift;
      if (!isfinite (r[m].key))
        r[m].key = -INFINITY;
      r[m].index = i;
      m++;
    }
  qsort (r, m, sizeof r[0], ranked_cmp);
  m = MIN (m, n);
  for (guint i = 0; i < m; i++)
    order[i] = r[i].index;
  return m;
}

guint
vi_lda_topics_by_prevalence (const ViLdaSnapshot *snap,
                             guint               *topics,
                             guint                n)
{
  g_autofree Ranked *r = NULL;
  guint m;

  g_return_val_if_fail (snap != NULL, 0);
  m = MIN (n, snap->n_topics);
  r = g_new (Ranked, MAX (snap->n_topics, 1));
  for (guint k = 0; k < snap->n_topics; k++)
    {
      const double *p = snap->n_runs > 0 ? snap->runs[0].prevalence : NULL;

      r[k].key = p != NULL && isfinite (p[k]) ? p[k] : 0;
      r[k].index = k;
    }
  qsort (r, snap->n_topics, sizeof r[0], ranked_cmp);
  for (guint i = 0; i < m; i++)
    topics[i] = r[i].index;
  return m;
}

guint
vi_lda_match_topics (const ViLdaSnapshot *snap,
                     const ViLdaRun      *run,
                     guint               *match,
                     double              *dist)
{
  g_autofree double *cost = NULL;
  g_autofree size_t *assign = NULL;
  guint nt, k, n;

  g_return_val_if_fail (snap != NULL && run != NULL, 0);
  if (snap->true_topics == NULL || run->beta == NULL || snap->bars_side == 0)
    return 0;
  nt = 2 * snap->bars_side;
  k = snap->n_topics;
  /* A square problem: dummy rows or columns cost nothing. */
  n = MAX (nt, k);
  cost = g_new0 (double, (gsize) n * n);
  assign = g_new (size_t, n);
  for (guint j = 0; j < nt; j++)
    for (guint i = 0; i < k; i++)
      cost[(gsize) j * n + i] = vi_lda_hellinger (snap->true_topics + (gsize) j * snap->n_words,
                                                  run->beta + (gsize) i * snap->n_words,
                                                  snap->n_words);
  vi_lda_assign (cost, n, assign);
  for (guint j = 0; j < nt; j++)
    {
      match[j] = assign[j] < k ? (guint) assign[j] : G_MAXUINT;
      if (dist != NULL)
        dist[j] = assign[j] < k ? cost[(gsize) j * n + assign[j]] : NAN;
    }
  return nt;
}

/* ---- traces -------------------------------------------------------------- */

static void
trace_axes (ViPanel    *panel,
            const char *title,
            const char *ylabel,
            const char *ydata,
            gboolean    xlabel)
{
  vi_view_panel_reset (panel);
  vi_panel_set_empty_message (panel, NULL);
  vi_panel_set_title (panel, title);
  if (xlabel)
    {
      vi_panel_set_axis_label (panel, VI_AXIS_X, _("documents seen (log scale)"));
      vi_panel_set_axis_data_name (panel, VI_AXIS_X, "documents seen");
    }
  vi_panel_set_axis_label (panel, VI_AXIS_Y, ylabel);
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, ydata);
  vi_panel_set_scale (panel, VI_AXIS_X, VI_SCALE_LOG10);
}

/* The trace column at @offset (a ViLdaRun field) of every run of @s. */
static const double *
trace_column (const ViLdaRun *r,
              gsize           offset)
{
  return G_STRUCT_MEMBER (const double *, r, offset);
}

static void
trace_lines (ViPanel             *panel,
             const ViLdaSnapshot *s,
             const ViViewContext *ctx,
             gsize                offset,
             gboolean             markers)
{
  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViLdaSnapshot *hs = ctx->history[h].snapshot;

      for (guint r = 0; r < hs->n_runs; r++)
        {
          const ViLdaRun *run = &hs->runs[r];
          g_autofree char *label = hs->n_runs == 1
            ? g_strdup (ctx->history[h].label)
            : g_strdup_printf ("%s · %s", ctx->history[h].label,
                               vi_lda_algorithm_label (run->algorithm));
          ViSeries *series;

          if (run->trace_len == 0)
            continue;
          series = vi_panel_add_line (panel, label, run->trace_docs,
                                      trace_column (run, offset), run->trace_len);
          vi_view_data_name (series, "%s (earlier run)", run->algorithm);
          vi_series_set_legend_group (series, ctx->history[h].label);
          vi_view_style (series, ctx, vi_lda_algorithm_color (run->algorithm), 0.45,
                         vi_view_history_dash (ctx->history[h].slot), 1.3);
        }
    }
  for (guint r = 0; r < s->n_runs; r++)
    {
      const ViLdaRun *run = &s->runs[r];
      ViSeries *series = vi_panel_add_line (panel, vi_lda_algorithm_label (run->algorithm),
                                            run->trace_docs, trace_column (run, offset),
                                            run->trace_len);

      vi_series_set_data_name (series, run->algorithm);
      vi_view_style (series, ctx, vi_lda_algorithm_color (run->algorithm), 1, VI_DASH_SOLID,
                     2.2);
      /* Markers while they are few enough to tell apart. */
      if (markers && run->trace_len <= 40)
        vi_series_set_marker (series, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 5));
    }
}

static void
perplexity_panel (ViPanel             *panel,
                  const ViLdaSnapshot *s,
                  const ViViewContext *ctx)
{
  trace_axes (panel, _("Held-out perplexity (document completion)"), _("perplexity"),
              "perplexity", TRUE);
  vi_panel_set_legend (panel, VI_LEGEND_TOP_RIGHT);
  if (s == NULL)
    return;
  trace_lines (panel, s, ctx, G_STRUCT_OFFSET (ViLdaRun, trace_perplexity), TRUE);
}

ONE_PANEL_VIEW (perplexity, perplexity_panel)

void
vi_lda_training_view_build (ViFigure            *fig,
                            const ViLdaSnapshot *snap,
                            const ViViewContext *ctx)
{
  ViPanel *rho = vi_view_begin (fig, ctx);
  ViPanel *elbo = vi_figure_get_panel (fig, 1, 0);

  g_return_if_fail (elbo != NULL);
  trace_axes (rho, _("Step size ρ_t = (τ₀ + t)^−κ"), "ρ_t", "rho", FALSE);
  vi_panel_set_scale (rho, VI_AXIS_Y, VI_SCALE_LOG10);
  trace_axes (elbo, _("ELBO estimate of each evaluated batch"), _("ELBO per word (nats)"),
              "ELBO per word (nats)", TRUE);
  if (snap == NULL)
    return;
  trace_lines (rho, snap, ctx, G_STRUCT_OFFSET (ViLdaRun, trace_rho), FALSE);
  trace_lines (elbo, snap, ctx, G_STRUCT_OFFSET (ViLdaRun, trace_elbo), TRUE);
}

/* ---- topics -------------------------------------------------------------- */

static gboolean
topics_axes (ViPanel             *panel,
             const ViLdaSnapshot *s,
             const char          *title)
{
  vi_view_panel_reset (panel);
  vi_panel_set_title (panel, title);
  vi_panel_set_grid (panel, FALSE);
  vi_panel_set_legend (panel, VI_LEGEND_NONE);
  vi_panel_set_empty_message (panel, s == NULL ? _("Press Run to learn the topics") : NULL);
  return s != NULL && s->n_runs > 0 && s->runs[0].topic_top_weight != NULL
         && s->n_topics > 0;
}

/* "Topic k" labels of @topics (NULL-terminated). */
static char **
topic_labels (const guint *topics,
              guint        n)
{
  char **labels = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    /* Translators: a topic's name in the plots; %u its number */
    labels[i] = g_strdup_printf (_("topic %u"), topics[i] + 1);
  return labels;
}

static char *
topics_title (const char          *what,
              const ViLdaSnapshot *s,
              guint                shown)
{
  if (shown < s->n_topics)
    /* Translators: %s a figure's title, %u of %u the topics shown of all */
    return g_strdup_printf (_("%s (the %u most prevalent of %u topics)"), what, shown,
                            s->n_topics);
  return g_strdup (what);
}

static void
topwords_panel (ViPanel             *panel,
                const ViLdaSnapshot *s,
                const ViViewContext *ctx)
{
  guint topics[VI_LDA_VIEW_MAX_TOPICS], n;
  g_autofree double *z = NULL;
  g_auto(GStrv) rows = NULL;
  g_autofree char *title = NULL;
  char *cols[VI_LDA_VIEW_WORDS + 1] = { NULL };
  ViSeries *heat;
  const ViLdaRun *run;

  if (!topics_axes (panel, s, _("Top words per topic")))
    return;
  run = &s->runs[0];
  n = vi_lda_topics_by_prevalence (s, topics, VI_LDA_VIEW_MAX_TOPICS);
  z = g_new (double, (gsize) n * VI_LDA_VIEW_WORDS);
  for (guint i = 0; i < (gsize) n * VI_LDA_VIEW_WORDS; i++)
    z[i] = NAN;
  for (guint i = 0; i < n; i++)
    {
      guint order[VI_LDA_VIEW_WORDS];
      guint m = vi_lda_relevant_words (s, run, topics[i], ctx->relevance, order,
                                       VI_LDA_VIEW_WORDS);

      for (guint j = 0; j < m; j++)
        z[i * VI_LDA_VIEW_WORDS + j] = run->topic_top_weight[topics[i] * VI_LDA_TOP_WORDS
                                                             + order[j]];
    }
  rows = topic_labels (topics, n);
  for (guint j = 0; j < VI_LDA_VIEW_WORDS; j++)
    cols[j] = g_strdup_printf ("%u", j + 1);
  {
    g_autofree char *what = NULL;
    g_autofree char *lam = format_number (ctx, CLAMP (ctx->relevance, 0.0, 1.0), 2);

    /* Translators: %s is the relevance weight λ, e.g. 0.6 */
    what = g_strdup_printf (_("Top words per topic by relevance, λ = %s"), lam);
    title = topics_title (what, s, n);
  }
  vi_panel_set_title (panel, title);
  heat = vi_panel_add_heatmap (panel, "beta", z, n, VI_LDA_VIEW_WORDS, VI_COLORMAP_VIRIDIS);
  vi_series_set_heatmap_labels (heat, (const char *const *) rows, (const char *const *) cols);
  vi_series_set_colorbar_label (heat, "β̄");
  vi_panel_set_axis_label (panel, VI_AXIS_X, _("rank by relevance"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, "rank");
  for (guint j = 0; j < VI_LDA_VIEW_WORDS; j++)
    g_free (cols[j]);
  /* The words, written over their cells. */
  for (guint i = 0; i < n; i++)
    {
      guint order[VI_LDA_VIEW_WORDS];
      guint m = vi_lda_relevant_words (s, run, topics[i], ctx->relevance, order,
                                       VI_LDA_VIEW_WORDS);

      for (guint j = 0; j < m; j++)
        {
          guint32 w = run->topic_top_word[topics[i] * VI_LDA_TOP_WORDS + order[j]];
          ViSeries *t = vi_panel_add_text (panel, j - 0.45, i, word_of (s, w));

          vi_series_set_color_index (t, 7);
        }
    }
}

ONE_PANEL_VIEW (topwords, topwords_panel)

/* β̄ of word @w in topic @k of @run: from the full β̄ when the snapshot
 * has it, else from the topic's top words (0 when not among them: less
 * than the topic's VI_LDA_TOP_WORDS-th weight). */
static double
beta_at (const ViLdaSnapshot *s,
         const ViLdaRun      *run,
         guint                k,
         guint32              w)
{
  if (run->beta != NULL)
    return run->beta[(gsize) k * s->n_words + w];
  for (guint i = 0; i < VI_LDA_TOP_WORDS; i++)
    if (run->topic_top_word[k * VI_LDA_TOP_WORDS + i] == w)
      return run->topic_top_weight[k * VI_LDA_TOP_WORDS + i];
  return 0;
}

static void
heatmap_panel (ViPanel             *panel,
               const ViLdaSnapshot *s,
               const ViViewContext *ctx)
{
  guint topics[VI_LDA_VIEW_MAX_TOPICS], n, n_cols = 0;
  guint32 cols[HEAT_MAX_COLS];
  char *col_labels[HEAT_MAX_COLS + 1] = { NULL };
  g_auto(GStrv) rows = NULL;
  g_autofree double *z = NULL;
  g_autofree char *title = NULL;
  const ViLdaRun *run;
  ViSeries *heat;

  if (!topics_axes (panel, s, _("Topic × word β̄")))
    return;
  run = &s->runs[0];
  n = vi_lda_topics_by_prevalence (s, topics, VI_LDA_VIEW_MAX_TOPICS);
  for (guint i = 0; i < n && n_cols < HEAT_MAX_COLS; i++)
    {
      guint order[HEAT_PER_TOPIC];
      guint m = vi_lda_relevant_words (s, run, topics[i], ctx->relevance, order,
                                       HEAT_PER_TOPIC);

      for (guint j = 0; j < m && n_cols < HEAT_MAX_COLS; j++)
        {
          guint32 w = run->topic_top_word[topics[i] * VI_LDA_TOP_WORDS + order[j]];
          gboolean seen = FALSE;

          for (guint c = 0; c < n_cols; c++)
            seen = seen || cols[c] == w;
          if (!seen)
            cols[n_cols++] = w;
        }
    }
  z = g_new (double, MAX ((gsize) n * n_cols, 1));
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < n_cols; c++)
      z[i * n_cols + c] = beta_at (s, run, topics[i], cols[c]);
  for (guint c = 0; c < n_cols; c++)
    col_labels[c] = (char *) word_of (s, cols[c]);
  rows = topic_labels (topics, n);
  title = topics_title (_("Topic × word β̄ (each topic's most relevant words)"), s, n);
  vi_panel_set_title (panel, title);
  heat = vi_panel_add_heatmap (panel, "beta", z, n, n_cols, VI_COLORMAP_MAGMA);
  vi_series_set_heatmap_labels (heat, (const char *const *) rows,
                                (const char *const *) col_labels);
  vi_series_set_colorbar_label (heat, "β̄");
}

ONE_PANEL_VIEW (heatmap, heatmap_panel)

void
vi_lda_prevalence_view_build (ViFigure            *fig,
                              const ViLdaSnapshot *snap,
                              const ViViewContext *ctx)
{
  ViPanel *panel = vi_view_begin (fig, ctx);
  g_autofree guint *all = NULL;
  g_auto(GStrv) cats = NULL;

  if (!topics_axes (panel, snap, _("Topic prevalence: expected share of the tokens")))
    return;
  all = g_new (guint, snap->n_topics);
  for (guint k = 0; k < snap->n_topics; k++)
    all[k] = k;
  cats = g_new0 (char *, snap->n_topics + 1);
  for (guint k = 0; k < snap->n_topics; k++)
    cats[k] = g_strdup_printf ("%u", k + 1);
  vi_panel_set_categories (panel, (const char *const *) cats);
  vi_panel_set_axis_label (panel, VI_AXIS_X, _("topic"));
  vi_panel_set_axis_label (panel, VI_AXIS_Y, _("share of tokens"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, "topic");
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, "share of tokens");
  vi_panel_set_grid (panel, TRUE);
  vi_panel_set_legend (panel, snap->n_runs > 1 ? VI_LEGEND_AUTO : VI_LEGEND_NONE);
  for (guint r = 0; r < snap->n_runs; r++)
    {
      const ViLdaRun *run = &snap->runs[r];
      ViSeries *series;

      if (run->prevalence == NULL)
        continue;
      series = vi_panel_add_bars (panel, vi_lda_algorithm_label (run->algorithm),
                                  run->prevalence, NULL, snap->n_topics);
      vi_series_set_data_name (series, run->algorithm);
      vi_view_style (series, ctx, vi_lda_algorithm_color (run->algorithm), 1, VI_DASH_SOLID,
                     1.0);
    }
}

/* ---- bars ---------------------------------------------------------------- */

/* Topic @p (W = side² values) as an image scaled to its maximum. */
static void
topic_image (const double *p,
             guint32       n,
             double       *out)
{
  double top = 0;

  for (guint32 i = 0; i < n; i++)
    top = MAX (top, p[i]);
  for (guint32 i = 0; i < n; i++)
    out[i] = top > 0 ? p[i] / top : 0;
}

void
vi_lda_bars_view_build (ViFigure            *fig,
                        const ViLdaSnapshot *snap,
                        const ViViewContext *ctx)
{
  ViPanel *truth = vi_view_begin (fig, ctx);
  ViPanel *learned = vi_figure_get_panel (fig, 1, 0);
  const ViLdaRun *run;
  g_autofree guint *match = NULL;
  g_autofree double *dist = NULL, *pix = NULL;
  g_autoptr(GPtrArray) caps = NULL;
  g_autofree gboolean *shown = NULL;
  guint nt, k, w, n_img = 0;

  g_return_if_fail (learned != NULL);
  topics_axes (truth, snap, _("True topics"));
  topics_axes (learned, snap, _("Learned topics, matched (Hellinger distance)"));
  if (snap == NULL || snap->bars_side == 0 || snap->n_runs == 0
      || snap->true_topics == NULL || snap->runs[0].beta == NULL)
    {
      if (snap != NULL)
        vi_panel_set_empty_message (truth, _("Only the bars corpus has known topics"));
      return;
    }
  run = &snap->runs[0];
  w = snap->n_words;
  nt = 2 * snap->bars_side;
  k = snap->n_topics;
  match = g_new (guint, nt);
  dist = g_new (double, nt);
  vi_lda_match_topics (snap, run, match, dist);
  pix = g_new (double, (gsize) MAX (nt, k) * w);
  for (guint j = 0; j < nt; j++)
    topic_image (snap->true_topics + (gsize) j * w, w, pix + (gsize) j * w);
  /* The rows above the columns, as the corpus numbers them. */
  vi_panel_add_images (truth, "true topics", pix, nt, snap->bars_side, snap->bars_side, 1,
                       NULL, snap->bars_side);

  /* The learned topics under their true ones, then the unmatched ones. */
  caps = g_ptr_array_new_with_free_func (g_free);
  shown = g_new0 (gboolean, k);
  for (guint j = 0; j < nt; j++)
    if (match[j] < k)
      {
        topic_image (run->beta + (gsize) match[j] * w, w, pix + (gsize) n_img++ * w);
        g_ptr_array_add (caps, format_number (ctx, dist[j], 2));
        shown[match[j]] = TRUE;
      }
  for (guint i = 0; i < k; i++)
    if (!shown[i])
      {
        topic_image (run->beta + (gsize) i * w, w, pix + (gsize) n_img++ * w);
        /* Translators: a learned topic matched to no true one */
        g_ptr_array_add (caps, g_strdup (_("extra")));
      }
  g_ptr_array_add (caps, NULL);
  vi_panel_add_images (learned, "learned topics", pix, n_img, snap->bars_side,
                       snap->bars_side, 1, (const char *const *) caps->pdata,
                       snap->bars_side);
}

/* ---- document explorer --------------------------------------------------- */

/* The colour of @k's words: its rank among the document's DOC_COLOURS most
 * likely topics picks a distinct palette slot; the other topics are grey
 * (G_MAXUINT). */
static guint
doc_topic_rank (const ViLdaSnapshot *s,
                guint                k)
{
  guint rank = 0;

  if (k >= s->n_topics)
    return G_MAXUINT;
  for (guint j = 0; j < s->n_topics; j++)
    if (s->doc_theta[j] > s->doc_theta[k] || (s->doc_theta[j] == s->doc_theta[k] && j < k))
      rank++;
  return rank < DOC_COLOURS ? rank : G_MAXUINT;
}

static void
document_words (ViPanel             *panel,
                const ViLdaSnapshot *s,
                const ViViewContext *ctx)
{
  guint used[DOC_COLOURS + 1];
  guint col = 0, line = 0, n = MIN (s->doc_len, DOC_MAX_WORDS);
  gboolean other = FALSE;

  for (guint r = 0; r <= DOC_COLOURS; r++)
    used[r] = G_MAXUINT;
  for (guint i = 0; i < n; i++)
    {
      guint k = s->doc_topic[i], rank = doc_topic_rank (s, k);
      g_autofree char *text = s->doc_counts[i] > 1
        ? g_strdup_printf ("%s×%u", word_of (s, s->doc_words[i]), s->doc_counts[i])
        : g_strdup (word_of (s, s->doc_words[i]));
      guint len = (guint) g_utf8_strlen (text, -1) + 2;
      ViColor color;
      ViSeries *t;

      if (col > 0 && col + len > DOC_LINE)
        {
          col = 0;
          line++;
        }
      t = vi_panel_add_text (panel, col, line, text);
      /* Text takes the foreground unless given an explicit colour. */
      color = vi_palette_get (ctx->theme, rank != G_MAXUINT ? vi_lda_topic_color (rank) : 7);
      if (rank == G_MAXUINT)
        color.a = 0.45;
      vi_series_set_color (t, &color);
      vi_series_set_color_index (t, rank != G_MAXUINT ? vi_lda_topic_color (rank) : 7);
      col += len;
      if (rank != G_MAXUINT)
        used[rank] = k;
      other = other || rank == G_MAXUINT;
    }
  /* A legend entry per colour used, in the order of θ̄. */
  for (guint r = 0; r <= DOC_COLOURS; r++)
    if (used[r] != G_MAXUINT || (r == DOC_COLOURS && other))
      {
        g_autofree char *label = r < DOC_COLOURS ? g_strdup_printf (_("topic %u"), used[r] + 1)
                                                 : g_strdup (_("other topics"));
        double x = -10, y = -10;
        ViSeries *dot = vi_panel_add_scatter (panel, label, &x, &y, 1);

        vi_series_set_color_index (dot, r < DOC_COLOURS ? vi_lda_topic_color (r) : 7);
        if (r == DOC_COLOURS)
          vi_series_set_alpha (dot, 0.45);
        vi_series_set_marker (dot, VI_MARKER_SQUARE, vi_view_line_width (ctx, 8));
      }
  vi_panel_set_grid (panel, FALSE);
  vi_panel_set_range (panel, VI_AXIS_X, -1, DOC_LINE + 1);
  vi_panel_set_range (panel, VI_AXIS_Y, MAX (line, 8) + 1, -1);
  if (n < s->doc_len)
    {
      /* Translators: %u and %u are numbers of words */
      g_autofree char *more = g_strdup_printf (_("the first %u of %u words"), n, s->doc_len);

      vi_panel_add_text (panel, 0, line + 1, more);
    }
}

void
vi_lda_document_view_build (ViFigure            *fig,
                            const ViLdaSnapshot *snap,
                            const ViViewContext *ctx)
{
  ViPanel *theta = vi_view_begin (fig, ctx);
  ViPanel *words = vi_figure_get_panel (fig, 0, 1);
  g_auto(GStrv) cats = NULL;
  ViSeries *bars;

  g_return_if_fail (words != NULL);
  topics_axes (theta, snap, _("θ̄ of the first held-out document"));
  topics_axes (words, snap, _("Its words, coloured by their most likely topic"));
  vi_panel_set_legend (words, VI_LEGEND_OUTSIDE_RIGHT);
  if (snap == NULL || snap->doc_len == 0 || snap->doc_theta == NULL)
    return;
  cats = g_new0 (char *, snap->n_topics + 1);
  for (guint k = 0; k < snap->n_topics; k++)
    cats[k] = g_strdup_printf ("%u", k + 1);
  vi_panel_set_categories (theta, (const char *const *) cats);
  vi_panel_set_axis_label (theta, VI_AXIS_X, _("topic"));
  vi_panel_set_axis_label (theta, VI_AXIS_Y, "θ̄");
  vi_panel_set_axis_data_name (theta, VI_AXIS_X, "topic");
  vi_panel_set_axis_data_name (theta, VI_AXIS_Y, "theta");
  vi_panel_set_range (theta, VI_AXIS_Y, 0, 1);
  vi_panel_set_grid (theta, TRUE);
  bars = vi_panel_add_bars (theta, "theta", snap->doc_theta, NULL, snap->n_topics);
  vi_view_style (bars, ctx, 0, 1, VI_DASH_SOLID, 1.0);
  document_words (words, snap, ctx);
}

/* ---- overview ------------------------------------------------------------ */

void
vi_lda_overview_view_build (ViFigure            *fig,
                            const ViLdaSnapshot *snap,
                            const ViViewContext *ctx)
{
  g_return_if_fail (vi_figure_get_n_cols (fig) >= 2);
  perplexity_panel (vi_view_begin (fig, ctx), snap, ctx);
  heatmap_panel (vi_figure_get_panel (fig, 0, 1), snap, ctx);
}
