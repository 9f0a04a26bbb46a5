/* test-lda-views.c — the LDA figures from a hand-built snapshot
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "vi-lda-views.h"

#define SIDE 3
#define W    (SIDE * SIDE)
#define K    (2 * SIDE)
#define N_TRACE 5

/* The bars corpus of side 3: topics 0..2 the rows, 3..5 the columns. */
static void
bars_topic (guint   k,
            double *p)
{
  for (guint w = 0; w < W; w++)
    p[w] = (k < SIDE ? w / SIDE == k : w % SIDE == k - SIDE) ? 1.0 / SIDE : 0;
}

/* Top words of row @k of @beta (descending, ties by id) with their lift
 * against @freq. */
static void
fill_top (ViLdaRun     *run,
          guint         k,
          const double *beta,
          const double *freq)
{
  gboolean used[W] = { FALSE };

  for (guint i = 0; i < VI_LDA_TOP_WORDS; i++)
    {
      guint best = 0;
      double bw = -1;

      if (i >= W)
        {
          run->topic_top_weight[k * VI_LDA_TOP_WORDS + i] = 0;
          continue;
        }
      for (guint w = 0; w < W; w++)
        if (!used[w] && beta[k * W + w] > bw)
          {
            bw = beta[k * W + w];
            best = w;
          }
      used[best] = TRUE;
      run->topic_top_word[k * VI_LDA_TOP_WORDS + i] = best;
      run->topic_top_weight[k * VI_LDA_TOP_WORDS + i] = bw;
      run->topic_top_lift[k * VI_LDA_TOP_WORDS + i] = log (bw / freq[best]);
    }
}

static void
make_run (ViLdaSnapshot *s,
          ViLdaRun      *run,
          const char    *algorithm,
          double         noise)
{
  run->algorithm = algorithm;
  run->trace_len = N_TRACE;
  run->trace_docs = g_new (double, N_TRACE);
  run->trace_rho = g_new (double, N_TRACE);
  run->trace_elbo = g_new (double, N_TRACE);
  run->trace_perplexity = g_new (double, N_TRACE);
  run->trace_seconds = g_new (double, N_TRACE);
  for (guint i = 0; i < N_TRACE; i++)
    {
      run->trace_docs[i] = 10 * pow (4, i);
      run->trace_rho[i] = pow (10 + i, -0.6);
      run->trace_elbo[i] = -3 + 0.1 * i;
      run->trace_perplexity[i] = 20.0 / (1 + i) + 5 + noise;
      run->trace_seconds[i] = 0.1 * i;
    }
  run->docs_seen = (guint64) run->trace_docs[N_TRACE - 1];
  run->rho = run->trace_rho[N_TRACE - 1];
  run->beta = g_new (double, K * W);
  run->topic_top_weight = g_new0 (double, K * VI_LDA_TOP_WORDS);
  run->topic_top_word = g_new0 (guint32, K * VI_LDA_TOP_WORDS);
  run->topic_top_lift = g_new0 (double, K * VI_LDA_TOP_WORDS);
  run->prevalence = g_new (double, K);
  run->coherence = g_new0 (double, K);
  run->drift = g_new0 (double, K);
  /* Learned topic i is true topic (i + 2) mod K, blurred by @noise, with
   * slightly unequal words so the β̄ order is strict. */
  for (guint i = 0; i < K; i++)
    {
      double sum = 0;

      bars_topic ((i + 2) % K, run->beta + i * W);
      for (guint w = 0; w < W; w++)
        {
          run->beta[i * W + w] = run->beta[i * W + w] * (1 + 0.01 * w) + noise;
          sum += run->beta[i * W + w];
        }
      for (guint w = 0; w < W; w++)
        run->beta[i * W + w] /= sum;
      fill_top (run, i, run->beta, s->word_freq);
      run->prevalence[i] = (i + 1.0) / (K * (K + 1) / 2.0);
    }
}

static ViLdaSnapshot *
make_snapshot (guint n_runs)
{
  ViLdaSnapshot *s = g_atomic_rc_box_new0 (ViLdaSnapshot);

  s->n_topics = K;
  s->n_words = W;
  s->n_docs = 100;
  s->n_test_docs = 10;
  s->vocab = g_new0 (char *, W + 1);
  s->word_freq = g_new (double, W);
  for (guint w = 0; w < W; w++)
    {
      s->vocab[w] = g_strdup_printf ("pixel%u", w);
      /* Rare late words: their lift is high. */
      s->word_freq[w] = (W - w) / (W * (W + 1) / 2.0);
    }
  s->bars_side = SIDE;
  s->true_topics = g_new (double, K * W);
  for (guint k = 0; k < K; k++)
    bars_topic (k, s->true_topics + k * W);
  s->n_runs = n_runs;
  make_run (s, &s->runs[0], "svi", 0.001);
  if (n_runs > 1)
    make_run (s, &s->runs[1], "batch", 0.01);
  s->doc_len = 4;
  s->doc_words = g_new (guint32, 4);
  s->doc_counts = g_new (guint32, 4);
  s->doc_topic = g_new (guint32, 4);
  s->doc_theta = g_new0 (double, K);
  for (guint i = 0; i < 4; i++)
    {
      s->doc_words[i] = i * 2;
      s->doc_counts[i] = i + 1;
      s->doc_topic[i] = i % 2;
    }
  s->doc_theta[0] = 0.7;
  s->doc_theta[1] = 0.3;
  return s;
}

static void
ctx_init (ViViewContext *ctx)
{
  vi_view_context_init (ctx);
  g_strlcpy (ctx->decimal_mark, ".", sizeof ctx->decimal_mark);
}

static void
test_perplexity (void)
{
  ViLdaSnapshot *s = make_snapshot (2);
  ViFigure *fig = vi_figure_create (1, 1);
  ViViewContext ctx;
  ViPanel *panel;
  const double *x, *y;
  guint lines = 0;

  ctx_init (&ctx);
  vi_lda_perplexity_view_build (fig, s, &ctx);
  panel = vi_figure_get_panel (fig, 0, 0);
  g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_X), ==, VI_SCALE_LOG10);
  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *series = vi_panel_get_series (panel, i);

      if (vi_series_get_kind (series) != VI_SERIES_LINE)
        continue;
      g_assert_cmpuint (vi_series_get_xy (series, &x, &y), ==, N_TRACE);
      g_assert_cmpfloat (x[N_TRACE - 1], ==, s->runs[lines].trace_docs[N_TRACE - 1]);
      g_assert_cmpfloat (y[0], ==, s->runs[lines].trace_perplexity[0]);
      g_assert_cmpuint (vi_series_get_color_index (series), ==,
                        vi_lda_algorithm_color (s->runs[lines].algorithm));
      lines++;
    }
  /* SVI and batch VB together. */
  g_assert_cmpuint (lines, ==, 2);
  g_assert_cmpstr (vi_series_get_name (vi_panel_get_series (panel, 0)), ==, "SVI");

  /* An earlier run adds a faded line per algorithm. */
  {
    ViViewRun run = { "K = 6", s, 0 };

    ctx.history = &run;
    ctx.n_history = 1;
    vi_lda_perplexity_view_build (fig, s, &ctx);
    g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 4);
  }
  vi_figure_free (fig);
  vi_lda_snapshot_free (s);
}

/* What a page keeps of an earlier run (vi_lda_snapshot_keep): the traces,
 * bit for bit, and none of the vocabulary, topics or document; every view
 * draws with it as history, the same faded lines as with the whole one. */
static void
test_kept_run (void)
{
  ViLdaSnapshot *s = make_snapshot (2);
  ViLdaSnapshot *kept = vi_lda_snapshot_keep (s);
  ViViewRun run = { "K = 6", kept, 0 };
  ViFigure *one = vi_figure_create (1, 1), *rows = vi_figure_create (2, 1),
           *cols = vi_figure_create (1, 2);
  ViPanel *panel = vi_figure_get_panel (one, 0, 0);
  ViViewContext ctx;
  const double *x, *y;

  g_assert_cmpuint (kept->n_runs, ==, 2);
  g_assert_cmpuint (kept->n_topics, ==, s->n_topics);
  g_assert_null (kept->vocab);
  g_assert_null (kept->word_freq);
  g_assert_null (kept->doc_words);
  g_assert_cmpuint (kept->doc_len, ==, 0);
  for (guint r = 0; r < 2; r++)
    {
      g_assert_cmpstr (kept->runs[r].algorithm, ==, s->runs[r].algorithm);
      g_assert_cmpuint (kept->runs[r].trace_len, ==, N_TRACE);
      g_assert_true (memcmp (kept->runs[r].trace_perplexity, s->runs[r].trace_perplexity,
                             N_TRACE * sizeof (double)) == 0);
      g_assert_true (memcmp (kept->runs[r].trace_docs, s->runs[r].trace_docs,
                             N_TRACE * sizeof (double)) == 0);
      g_assert_true (kept->runs[r].trace_elbo != s->runs[r].trace_elbo);
      g_assert_null (kept->runs[r].topic_top_weight);
      g_assert_null (kept->runs[r].beta);
      g_assert_null (kept->runs[r].prevalence);
    }

  ctx_init (&ctx);
  ctx.history = &run;
  ctx.n_history = 1;
  vi_lda_perplexity_view_build (one, s, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 4);
  g_assert_cmpuint (vi_series_get_xy (vi_panel_get_series (panel, 0), &x, &y), ==, N_TRACE);
  g_assert_cmpfloat (y[N_TRACE - 1], ==, s->runs[0].trace_perplexity[N_TRACE - 1]);
  vi_lda_training_view_build (rows, s, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (vi_figure_get_panel (rows, 0, 0)), ==, 4);
  vi_lda_topwords_view_build (one, s, &ctx);
  vi_lda_heatmap_view_build (one, s, &ctx);
  vi_lda_prevalence_view_build (one, s, &ctx);
  vi_lda_bars_view_build (rows, s, &ctx);
  vi_lda_document_view_build (cols, s, &ctx);
  vi_lda_overview_view_build (cols, s, &ctx);
  vi_figure_free (one);
  vi_figure_free (rows);
  vi_figure_free (cols);
  vi_lda_snapshot_free (kept);
  vi_lda_snapshot_free (s);
}

static void
test_training (void)
{
  ViLdaSnapshot *s = make_snapshot (1);
  ViFigure *fig = vi_figure_create (2, 1);
  ViViewContext ctx;
  const double *x, *y;

  ctx_init (&ctx);
  vi_lda_training_view_build (fig, s, &ctx);
  for (guint row = 0; row < 2; row++)
    {
      ViPanel *panel = vi_figure_get_panel (fig, row, 0);

      g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_X), ==, VI_SCALE_LOG10);
      g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 1);
      g_assert_cmpuint (vi_series_get_xy (vi_panel_get_series (panel, 0), &x, &y), ==,
                        N_TRACE);
      g_assert_cmpfloat (y[2], ==, row == 0 ? s->runs[0].trace_rho[2]
                                            : s->runs[0].trace_elbo[2]);
    }
  vi_figure_free (fig);
  vi_lda_snapshot_free (s);
}

static void
test_relevance (void)
{
  ViLdaSnapshot *s = make_snapshot (1);
  const ViLdaRun *run = &s->runs[0];
  guint order[W];

  for (guint k = 0; k < K; k++)
    {
      guint n = vi_lda_relevant_words (s, run, k, 1.0, order, W);

      g_assert_cmpuint (n, ==, W);
      /* λ = 1: by β̄, that is the stored order. */
      for (guint i = 0; i < n; i++)
        g_assert_cmpuint (order[i], ==, i);
      /* λ = 0: by lift, non-increasing. */
      n = vi_lda_relevant_words (s, run, k, 0.0, order, W);
      for (guint i = 1; i < n; i++)
        g_assert_cmpfloat (run->topic_top_lift[k * VI_LDA_TOP_WORDS + order[i - 1]], >=,
                           run->topic_top_lift[k * VI_LDA_TOP_WORDS + order[i]]);
    }
  /* Topic 0 learned true topic 2, the row of pixels 6, 7, 8: under β̄ the
   * heaviest is pixel 8; the words off the bar (noise) have the same β̄
   * but the rarest (pixel 5) has the largest lift among them. The orders
   * differ. */
  {
    guint a[W], b[W];

    vi_lda_relevant_words (s, run, 3, 1.0, a, W);
    vi_lda_relevant_words (s, run, 3, 0.0, b, W);
    g_assert_true (memcmp (a, b, sizeof a) != 0);
  }
  vi_lda_snapshot_free (s);
}

static void
test_topwords (void)
{
  ViLdaSnapshot *s = make_snapshot (1);
  ViFigure *fig = vi_figure_create (1, 1);
  ViViewContext ctx;
  ViPanel *panel;
  ViSeries *heat;
  g_autofree char *at1 = NULL, *at0 = NULL;
  guint texts = 0;

  ctx_init (&ctx);
  vi_lda_topwords_view_build (fig, s, &ctx);
  panel = vi_figure_get_panel (fig, 0, 0);
  heat = vi_panel_get_series (panel, 0);
  g_assert_cmpint (vi_series_get_kind (heat), ==, VI_SERIES_HEATMAP);
  g_assert_cmpuint (vi_series_get_n_points (heat), ==, K * VI_LDA_VIEW_WORDS);
  for (guint i = 1; i < vi_panel_get_n_series (panel); i++)
    texts += vi_series_get_kind (vi_panel_get_series (panel, i)) == VI_SERIES_TEXT;
  g_assert_cmpuint (texts, ==, K * VI_LDA_VIEW_WORDS);
  g_assert_nonnull (strstr (vi_panel_get_title (panel), "λ = 1"));
  at1 = vi_figure_to_csv (fig);
  ctx.relevance = 0;
  vi_lda_topwords_view_build (fig, s, &ctx);
  g_assert_nonnull (strstr (vi_panel_get_title (panel), "λ = 0"));
  at0 = vi_figure_to_csv (fig);
  g_assert_cmpstr (at0, !=, at1);

  /* The heat map (topic × word): K rows, each topic's top words. */
  vi_lda_heatmap_view_build (fig, s, &ctx);
  heat = vi_panel_get_series (panel, 0);
  g_assert_cmpint (vi_series_get_kind (heat), ==, VI_SERIES_HEATMAP);
  g_assert_cmpuint (vi_series_get_n_points (heat) % K, ==, 0);
  g_assert_cmpuint (vi_series_get_n_points (heat), >=, K);

  /* Prevalence: one bar per topic. */
  vi_lda_prevalence_view_build (fig, s, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 1);
  g_assert_cmpuint (vi_series_get_n_points (vi_panel_get_series (panel, 0)), ==, K);
  vi_figure_free (fig);
  vi_lda_snapshot_free (s);
}

static void
test_bars (void)
{
  ViLdaSnapshot *s = make_snapshot (1);
  ViFigure *fig = vi_figure_create (2, 1);
  ViViewContext ctx;
  guint match[K];
  double dist[K];

  ctx_init (&ctx);
  /* Learned topic i is true topic (i + 2) mod K. */
  g_assert_cmpuint (vi_lda_match_topics (s, &s->runs[0], match, dist), ==, K);
  for (guint j = 0; j < K; j++)
    {
      g_assert_cmpuint (match[j], ==, (j + K - 2) % K);
      g_assert_cmpfloat (dist[j], <, 0.1);
    }
  vi_lda_bars_view_build (fig, s, &ctx);
  for (guint row = 0; row < 2; row++)
    {
      ViPanel *panel = vi_figure_get_panel (fig, row, 0);
      ViSeries *images = vi_panel_get_series (panel, 0);

      g_assert_cmpint (vi_series_get_kind (images), ==, VI_SERIES_IMAGES);
      g_assert_cmpuint (vi_series_get_n_points (images), ==, K);
    }

  /* Not bars: no images. */
  s->bars_side = 0;
  vi_lda_bars_view_build (fig, s, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (vi_figure_get_panel (fig, 1, 0)), ==, 0);
  g_assert_cmpuint (vi_lda_match_topics (s, &s->runs[0], match, dist), ==, 0);
  vi_figure_free (fig);
  vi_lda_snapshot_free (s);
}

static void
test_document (void)
{
  ViLdaSnapshot *s = make_snapshot (1);
  ViFigure *fig = vi_figure_create (1, 2);
  ViViewContext ctx;
  ViPanel *words;
  guint texts = 0;

  ctx_init (&ctx);
  vi_lda_document_view_build (fig, s, &ctx);
  g_assert_cmpuint (vi_series_get_n_points (vi_panel_get_series (vi_figure_get_panel (fig, 0,
                                                                                      0), 0)),
                    ==, K);
  words = vi_figure_get_panel (fig, 0, 1);
  for (guint i = 0; i < vi_panel_get_n_series (words); i++)
    {
      ViSeries *t = vi_panel_get_series (words, i);

      if (vi_series_get_kind (t) != VI_SERIES_TEXT)
        continue;
      /* Coloured by the word's topic. */
      g_assert_cmpuint (vi_series_get_color_index (t), ==,
                        vi_lda_topic_color (s->doc_topic[texts]));
      texts++;
    }
  g_assert_cmpuint (texts, ==, s->doc_len);
  vi_figure_free (fig);
  vi_lda_snapshot_free (s);
}

/* Same snapshot, same context: the same bytes, into a fresh figure or one
 * built before; NULL snapshots draw. */
static void
test_deterministic (void)
{
  ViLdaSnapshot *s = make_snapshot (2);
  ViViewContext ctx;
  ViFigure *a = vi_figure_create (1, 2), *b = vi_figure_create (1, 2);
  g_autofree char *csv_a = NULL, *csv_b = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lda-views-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "overview.png", NULL);
  g_autoptr(GError) error = NULL;

  ctx_init (&ctx);
  vi_lda_overview_view_build (a, NULL, &ctx);
  vi_lda_overview_view_build (a, s, &ctx);
  vi_lda_overview_view_build (b, s, &ctx);
  csv_a = vi_figure_to_csv (a);
  csv_b = vi_figure_to_csv (b);
  g_assert_cmpstr (csv_a, ==, csv_b);
  g_assert_nonnull (strstr (csv_a, "svi · documents seen"));
  g_assert_true (vi_view_export (a, path, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_unlink (path);
  g_rmdir (dir);
  vi_figure_free (a);
  vi_figure_free (b);
  vi_lda_snapshot_free (s);
}

/* ELBO_LAB_LDA_VIEWS_DIR=DIR writes every figure there as PNG, to look at. */
static void
test_export_all (void)
{
  const char *dir = g_getenv ("ELBO_LAB_LDA_VIEWS_DIR");
  struct { const char *name; guint rows, cols;
           void (*build) (ViFigure *, const ViLdaSnapshot *, const ViViewContext *); } figs[] = {
    { "perplexity", 1, 1, vi_lda_perplexity_view_build },
    { "training", 2, 1, vi_lda_training_view_build },
    { "topwords", 1, 1, vi_lda_topwords_view_build },
    { "heatmap", 1, 1, vi_lda_heatmap_view_build },
    { "prevalence", 1, 1, vi_lda_prevalence_view_build },
    { "bars", 2, 1, vi_lda_bars_view_build },
    { "document", 1, 2, vi_lda_document_view_build },
    { "overview", 1, 2, vi_lda_overview_view_build },
  };
  ViLdaSnapshot *s = make_snapshot (2);
  ViViewContext ctx;

  ctx_init (&ctx);
  for (guint i = 0; i < G_N_ELEMENTS (figs); i++)
    {
      ViFigure *fig = vi_figure_create (figs[i].rows, figs[i].cols);
      g_autofree char *file = g_strdup_printf ("%s.png", figs[i].name);
      g_autofree char *path = dir != NULL ? g_build_filename (dir, file, NULL) : NULL;
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
      cairo_t *cr = cairo_create (surface);

      /* Every figure draws, with and without a snapshot. */
      figs[i].build (fig, NULL, &ctx);
      vi_figure_draw (fig, cr, 400, 300);
      figs[i].build (fig, s, &ctx);
      vi_figure_draw (fig, cr, 400, 300);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      if (path != NULL)
        g_assert_true (vi_view_export (fig, path, 0, 0, NULL));
      vi_figure_free (fig);
    }
  vi_lda_snapshot_free (s);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/views/lda/perplexity", test_perplexity);
  g_test_add_func ("/views/lda/training", test_training);
  g_test_add_func ("/views/lda/kept-run", test_kept_run);
  g_test_add_func ("/views/lda/relevance", test_relevance);
  g_test_add_func ("/views/lda/topwords", test_topwords);
  g_test_add_func ("/views/lda/bars", test_bars);
  g_test_add_func ("/views/lda/document", test_document);
  g_test_add_func ("/views/lda/deterministic", test_deterministic);
  g_test_add_func ("/views/lda/export-all", test_export_all);
  return g_test_run ();
}
