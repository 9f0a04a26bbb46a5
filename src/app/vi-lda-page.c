/* vi-lda-page.c — the topic-model (LDA) page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SVI and batch VB for LDA (the "lda" job) on the bars, the King James
 * Bible's chapters or a corpus from a file: held-out perplexity against
 * documents seen, the schedule, the topics (top words by relevance, heat
 * map, prevalence, the bars as images) and a held-out document. The job
 * loads the corpus on the worker thread when the run starts; the page
 * shows that it is loading until the first snapshot arrives.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "vi-lda-job.h"
#include "vi-lda-page-private.h"
#include "vi-lda-views.h"
#include "vi-run.h"
#include "vi-util.h"
#include "vi-window.h"

enum { CORPUS_BARS, CORPUS_KJV, CORPUS_FILE };

struct _ViLdaPage
{
  ViModelPage parent_instance;

  AdwFlap *controls_flap;
  AdwComboRow *corpus_row;
  AdwActionRow *file_row;
  GtkButton *file_button;
  GtkSpinner *load_spinner;
  GtkLabel *corpus_label;
  GtkSpinButton *topics_spin;
  GtkSpinButton *alpha_spin;
  GtkSpinButton *eta_spin;
  AdwComboRow *algorithm_row;
  GtkSpinButton *batch_spin;
  GtkSpinButton *tau0_spin;
  GtkSpinButton *kappa_spin;
  GtkSpinButton *passes_spin;
  GtkSpinButton *seed_spin;
  GtkStack *plot_stack;
  GtkScale *relevance_scale;
  ViPlotView *plots[VI_LDA_N_PLOTS];
  GtkLabel *help[VI_LDA_N_PLOTS];

  char *corpus_file;      /* "uci:PATH" or "text:PATH", or NULL */
  /* The table's keys the page has no control for (threads, the bars'
   * shape, the text filters, …): kept as set, so sessions and the last
   * used settings keep them. */
  GHashTable *extra;      /* key → GVariant */
  gboolean loading;
  guint poll_id;
};

G_DEFINE_FINAL_TYPE (ViLdaPage, vi_lda_page, VI_TYPE_MODEL_PAGE)

static const struct
{
  guint rows, cols;
  void (*build) (ViFigure *, const ViLdaSnapshot *, const ViViewContext *);
} plot_info[VI_LDA_N_PLOTS] = {
  [VI_LDA_PLOT_PERPLEXITY] = { 1, 1, vi_lda_perplexity_view_build },
  [VI_LDA_PLOT_TRAINING] = { 2, 1, vi_lda_training_view_build },
  [VI_LDA_PLOT_TOPWORDS] = { 1, 1, vi_lda_topwords_view_build },
  [VI_LDA_PLOT_HEATMAP] = { 1, 1, vi_lda_heatmap_view_build },
  [VI_LDA_PLOT_BARS] = { 2, 1, vi_lda_bars_view_build },
  [VI_LDA_PLOT_PREVALENCE] = { 1, 1, vi_lda_prevalence_view_build },
  [VI_LDA_PLOT_DOCUMENT] = { 1, 2, vi_lda_document_view_build },
};

static const ViLdaSnapshot *
live (ViLdaPage *self)
{
  return vi_model_page_get_snapshot (VI_MODEL_PAGE (self));
}

/* The path in the corpus spec ("uci:PATH" → "PATH"). */
static const char *
corpus_path (const char *spec)
{
  const char *colon = strchr (spec, ':');

  return colon != NULL ? colon + 1 : spec;
}

static gboolean
file_mode (ViLdaPage *self)
{
  return adw_combo_row_get_selected (self->corpus_row) == CORPUS_FILE;
}

static void
update_help (ViLdaPage *self)
{
  const ViLdaSnapshot *s = live (self);
  double lambda = gtk_range_get_value (GTK_RANGE (self->relevance_scale));

  for (guint i = 0; i < VI_LDA_N_PLOTS; i++)
    {
      g_autofree char *text = vi_lda_page_dup_help (i, s, lambda);

      gtk_label_set_label (self->help[i], text);
    }
}

/* ---- plots and state ------------------------------------------------------ */

static void
update_corpus_label (ViLdaPage *self)
{
  const ViLdaSnapshot *s = live (self);
  g_autofree char *text = NULL;

  gtk_spinner_set_spinning (self->load_spinner, self->loading);
  gtk_widget_set_visible (GTK_WIDGET (self->load_spinner), self->loading);
  if (self->loading)
    text = g_strdup (adw_combo_row_get_selected (self->corpus_row) == CORPUS_KJV
                     ? _("Loading the corpus… (the Bible is built once, then cached)")
                     : _("Loading the corpus…"));
  else if (s != NULL)
    {
      char tokens[32];

      g_snprintf (tokens, sizeof tokens, "%" G_GUINT64_FORMAT, s->n_tokens);
      /* Translators: the corpus being trained on */
      text = g_strdup_printf (_("%u training documents, %u held out; %u words, %s tokens"),
                              s->n_docs, s->n_test_docs, s->n_words, tokens);
    }
  else if (file_mode (self) && self->corpus_file == NULL)
    text = g_strdup (_("Open a corpus file to start"));
  else
    text = g_strdup (_("The corpus is loaded when the run starts"));
  gtk_label_set_label (self->corpus_label, text);
}

static void
rebuild_all (ViLdaPage *self)
{
  for (guint i = 0; i < VI_LDA_N_PLOTS; i++)
    vi_model_page_build_plot (VI_MODEL_PAGE (self), self->plots[i],
                              (ViModelPageBuildFunc) plot_info[i].build, live (self));
  update_help (self);
  update_corpus_label (self);
}

static void
rebuild_topics (ViLdaPage *self)
{
  vi_model_page_build_plot (VI_MODEL_PAGE (self), self->plots[VI_LDA_PLOT_TOPWORDS],
                            (ViModelPageBuildFunc) vi_lda_topwords_view_build, live (self));
  vi_model_page_build_plot (VI_MODEL_PAGE (self), self->plots[VI_LDA_PLOT_HEATMAP],
                            (ViModelPageBuildFunc) vi_lda_heatmap_view_build, live (self));
  update_help (self);
}

/* Whether the window's run is this page's and has no snapshot yet. */
static gboolean
poll_loading_cb (gpointer data)
{
  ViLdaPage *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  ViRun *run = VI_IS_WINDOW (root) ? vi_window_get_run (VI_WINDOW (root)) : NULL;
  gboolean loading = run != NULL && vi_run_get_job_type (run) == &vi_lda_job_type
                     && vi_run_is_active (run) && vi_run_get_snapshot (run) == NULL
                     && vi_run_get_error_message (run) == NULL;

  if (loading != self->loading)
    {
      self->loading = loading;
      update_corpus_label (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
map_cb (ViLdaPage *self)
{
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add (200, poll_loading_cb, self);
}

static void
unmap_cb (ViLdaPage *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
}

/* ---- controls ------------------------------------------------------------ */

static void
settings_changed (ViLdaPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), file_mode (self));
  if (file_mode (self) && self->corpus_file == NULL)
    vi_model_page_set_error (VI_MODEL_PAGE (self), _("Open a corpus file (Open…)"));
  else
    vi_model_page_set_error (VI_MODEL_PAGE (self), NULL);
  if (self->corpus_file != NULL)
    adw_action_row_set_subtitle (self->file_row, corpus_path (self->corpus_file));
  vi_model_page_relabel_history (VI_MODEL_PAGE (self));
  update_corpus_label (self);
  if (!file_mode (self) || self->corpus_file != NULL)
    vi_page_settings_changed (VI_PAGE (self));
}

static void
control_changed_cb (ViLdaPage *self)
{
  if (vi_model_page_is_updating (VI_MODEL_PAGE (self)))
    return;
  settings_changed (self);
}

void
vi_lda_page_set_corpus_file (ViLdaPage  *self,
                             const char *path)
{
  g_autofree char *base = NULL;

  g_return_if_fail (VI_IS_LDA_PAGE (self));
  g_return_if_fail (path != NULL);
  base = g_path_get_basename (path);
  g_free (self->corpus_file);
  /* UCI files are named docword.NAME.txt[.gz]; anything else is text. */
  self->corpus_file = g_strconcat (g_str_has_prefix (base, "docword") ? "uci:" : "text:",
                                   path, NULL);
  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  adw_combo_row_set_selected (self->corpus_row, CORPUS_FILE);
  vi_model_page_end_update (VI_MODEL_PAGE (self));
  settings_changed (self);
}

static void
file_chosen (ViModelPage *page,
             const char  *path)
{
  vi_lda_page_set_corpus_file (VI_LDA_PAGE (page), path);
}

static void
choose_file_cb (ViLdaPage *self)
{
  vi_model_page_choose_file (VI_MODEL_PAGE (self), _("Open Corpus"),
                             _("Text and UCI bag-of-words files"),
                             "text/plain;application/gzip", file_chosen);
}

static void
relevance_changed_cb (ViLdaPage *self)
{
  rebuild_topics (self);
}

void
vi_lda_page_set_relevance (ViLdaPage *self,
                           double     lambda)
{
  g_return_if_fail (VI_IS_LDA_PAGE (self));
  gtk_range_set_value (GTK_RANGE (self->relevance_scale), lambda);
}

ViPlotView *
vi_lda_page_get_plot (ViLdaPage *self,
                      ViLdaPlot  plot)
{
  g_return_val_if_fail (VI_IS_LDA_PAGE (self), NULL);
  g_return_val_if_fail (plot < VI_LDA_N_PLOTS, NULL);
  return self->plots[plot];
}

const char *
vi_lda_page_get_help (ViLdaPage *self,
                      ViLdaPlot  plot)
{
  g_return_val_if_fail (VI_IS_LDA_PAGE (self), NULL);
  g_return_val_if_fail (plot < VI_LDA_N_PLOTS, NULL);
  return gtk_label_get_label (self->help[plot]);
}

gboolean
vi_lda_page_is_loading (ViLdaPage *self)
{
  g_return_val_if_fail (VI_IS_LDA_PAGE (self), FALSE);
  poll_loading_cb (self);
  return self->loading;
}

/* ---- ViModelPage --------------------------------------------------------- */

static gboolean
snapshot_keepable (gconstpointer snapshot)
{
  return ((const ViLdaSnapshot *) snapshot)->iteration > 0;
}

static gboolean
add_settings (ViModelPage     *page,
              GVariantBuilder *b,
              GError         **error)
{
  ViLdaPage *self = VI_LDA_PAGE (page);
  static const char *const fixed[] = { "bars", "kjv" };
  guint sel = adw_combo_row_get_selected (self->corpus_row);
  GHashTableIter iter;
  gpointer key, value;

  if (sel == CORPUS_FILE && self->corpus_file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("corpus: open a corpus file"));
      return FALSE;
    }
  g_variant_builder_add (b, "{sv}", "corpus",
                         g_variant_new_string (sel == CORPUS_FILE ? self->corpus_file
                                               : fixed[MIN (sel, 1)]));
  g_hash_table_iter_init (&iter, self->extra);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (b, "{sv}", (const char *) key, (GVariant *) value);
  return TRUE;
}

static void
apply_settings (ViModelPage *page,
                GVariant    *settings)
{
  ViLdaPage *self = VI_LDA_PAGE (page);
  const char *corpus = NULL, *key;
  GVariantIter iter;
  GVariant *value;

  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!g_str_equal (key, "corpus") && vi_model_page_get_bound_widget (page, key) == NULL
          && vi_params_lookup (vi_lda_job_type.params, key, settings) != NULL)
        g_hash_table_replace (self->extra, g_strdup (key), g_variant_ref (value));
      g_variant_unref (value);
    }
  vi_model_page_begin_update (page);
  if (g_variant_lookup (settings, "corpus", "&s", &corpus))
    {
      if (g_str_equal (corpus, "bars") || g_str_equal (corpus, "kjv"))
        adw_combo_row_set_selected (self->corpus_row,
                                    g_str_equal (corpus, "bars") ? CORPUS_BARS : CORPUS_KJV);
      else
        {
          g_free (self->corpus_file);
          self->corpus_file = g_strdup (corpus);
          adw_combo_row_set_selected (self->corpus_row, CORPUS_FILE);
        }
    }
  vi_model_page_end_update (page);
  vi_model_page_clear_snapshot (page);
  settings_changed (self);
}

static void
rebuild_cb (ViModelPage *page)
{
  rebuild_all (VI_LDA_PAGE (page));
}

static ViPlotView *
get_default_plot (ViModelPage *page)
{
  ViLdaPage *self = VI_LDA_PAGE (page);
  const char *tab = gtk_stack_get_visible_child_name (self->plot_stack);

  if (g_strcmp0 (tab, "topics") == 0)
    return self->plots[VI_LDA_PLOT_TOPWORDS];
  if (g_strcmp0 (tab, "heatmap") == 0)
    return self->plots[VI_LDA_PLOT_HEATMAP];
  if (g_strcmp0 (tab, "bars") == 0)
    return self->plots[VI_LDA_PLOT_BARS];
  if (g_strcmp0 (tab, "document") == 0)
    return self->plots[VI_LDA_PLOT_DOCUMENT];
  return self->plots[VI_LDA_PLOT_PERPLEXITY];
}

static char **
dup_data_files (ViModelPage *page)
{
  ViLdaPage *self = VI_LDA_PAGE (page);
  char **files;
  const char *path;

  if (!file_mode (self) || self->corpus_file == NULL)
    return NULL;
  path = corpus_path (self->corpus_file);
  files = g_new0 (char *, 2);
  /* "uci:DOCWORD,VOCAB": the docword file. */
  files[0] = g_strndup (path, strcspn (path, ","));
  return files;
}

static void
setup_view (ViModelPage   *page,
            ViViewContext *ctx)
{
  ctx->relevance = gtk_range_get_value (GTK_RANGE (VI_LDA_PAGE (page)->relevance_scale));
}

/* ---- object -------------------------------------------------------------- */

static void
vi_lda_page_dispose (GObject *object)
{
  ViLdaPage *self = VI_LDA_PAGE (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  G_OBJECT_CLASS (vi_lda_page_parent_class)->dispose (object);
}

static void
vi_lda_page_finalize (GObject *object)
{
  g_free (VI_LDA_PAGE (object)->corpus_file);
  g_hash_table_unref (VI_LDA_PAGE (object)->extra);
  G_OBJECT_CLASS (vi_lda_page_parent_class)->finalize (object);
}

#define CHILD(member) VI_TEMPLATE_CHILD (ViLdaPage, member)
#define CHILD_AS(id, member) VI_TEMPLATE_CHILD_AS (ViLdaPage, id, member)

static const ViTemplateChild children[] = {
  CHILD (controls_flap), CHILD (corpus_row), CHILD (file_row), CHILD (file_button),
  CHILD (load_spinner), CHILD (corpus_label), CHILD (topics_spin), CHILD (alpha_spin),
  CHILD (eta_spin), CHILD (algorithm_row), CHILD (batch_spin), CHILD (tau0_spin),
  CHILD (kappa_spin), CHILD (passes_spin), CHILD (seed_spin), CHILD (plot_stack),
  CHILD (relevance_scale),
  CHILD_AS ("perplexity_plot", plots[VI_LDA_PLOT_PERPLEXITY]),
  CHILD_AS ("training_plot", plots[VI_LDA_PLOT_TRAINING]),
  CHILD_AS ("topwords_plot", plots[VI_LDA_PLOT_TOPWORDS]),
  CHILD_AS ("heatmap_plot", plots[VI_LDA_PLOT_HEATMAP]),
  CHILD_AS ("bars_plot", plots[VI_LDA_PLOT_BARS]),
  CHILD_AS ("prevalence_plot", plots[VI_LDA_PLOT_PREVALENCE]),
  CHILD_AS ("document_plot", plots[VI_LDA_PLOT_DOCUMENT]),
  CHILD_AS ("perplexity_help", help[VI_LDA_PLOT_PERPLEXITY]),
  CHILD_AS ("training_help", help[VI_LDA_PLOT_TRAINING]),
  CHILD_AS ("topwords_help", help[VI_LDA_PLOT_TOPWORDS]),
  CHILD_AS ("heatmap_help", help[VI_LDA_PLOT_HEATMAP]),
  CHILD_AS ("bars_help", help[VI_LDA_PLOT_BARS]),
  CHILD_AS ("prevalence_help", help[VI_LDA_PLOT_PREVALENCE]),
  CHILD_AS ("document_help", help[VI_LDA_PLOT_DOCUMENT]),
};

static void
vi_lda_page_class_init (ViLdaPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ViModelPageClass *page_class = VI_MODEL_PAGE_CLASS (klass);

  object_class->dispose = vi_lda_page_dispose;
  object_class->finalize = vi_lda_page_finalize;
  vi_model_page_class_setup (page_class, &vi_lda_job_type,
                             "/io/github/elbolab/ElboLab/ui/vi-lda-page.ui", "error_label",
                             children, G_N_ELEMENTS (children));
  /* Translators: the status line shows the held-out perplexity of the first run */
  page_class->objective_name = _("Perplexity");
  page_class->snapshot_keepable = snapshot_keepable;
  page_class->add_settings = add_settings;
  page_class->apply_settings = apply_settings;
  page_class->rebuild = rebuild_cb;
  page_class->get_default_plot = get_default_plot;
  page_class->dup_data_files = dup_data_files;
  page_class->setup_view = setup_view;
}

static void
vi_lda_page_init (ViLdaPage *self)
{
  static const char *const algorithms[] = { "svi", "batch", "both", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->extra = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_variant_unref);
  {
    ViBinding bindings[] = {
      { "topics", GTK_WIDGET (self->topics_spin), VI_BINDING_INT, NULL },
      { "alpha", GTK_WIDGET (self->alpha_spin), VI_BINDING_DOUBLE, NULL },
      { "eta", GTK_WIDGET (self->eta_spin), VI_BINDING_DOUBLE, NULL },
      { "algorithm", GTK_WIDGET (self->algorithm_row), VI_BINDING_CHOICE, algorithms },
      { "batch-size", GTK_WIDGET (self->batch_spin), VI_BINDING_INT, NULL },
      { "tau0", GTK_WIDGET (self->tau0_spin), VI_BINDING_DOUBLE, NULL },
      { "kappa", GTK_WIDGET (self->kappa_spin), VI_BINDING_DOUBLE, NULL },
      { "passes", GTK_WIDGET (self->passes_spin), VI_BINDING_INT, NULL },
      { "seed", GTK_WIDGET (self->seed_spin), VI_BINDING_INT, NULL },
    };

    vi_model_page_set_bindings (VI_MODEL_PAGE (self), bindings, G_N_ELEMENTS (bindings));
  }
  vi_model_page_set_skip_needs_live (VI_MODEL_PAGE (self), TRUE);
  vi_model_page_set_controls (VI_MODEL_PAGE (self), GTK_WIDGET (self->controls_flap));
  for (guint i = 0; i < VI_LDA_N_PLOTS; i++)
    {
      vi_plot_view_set_figure (self->plots[i],
                               vi_figure_create (plot_info[i].rows, plot_info[i].cols));
      vi_model_page_add_plot (VI_MODEL_PAGE (self), self->plots[i]);
    }
  settings_changed (self);
  rebuild_all (self);

  {
    GtkSpinButton *spins[] = { self->topics_spin, self->alpha_spin, self->eta_spin,
                               self->batch_spin, self->tau0_spin, self->kappa_spin,
                               self->passes_spin, self->seed_spin };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (control_changed_cb),
                                self);
  }
  g_signal_connect_swapped (self->corpus_row, "notify::selected",
                            G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->algorithm_row, "notify::selected",
                            G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->file_button, "clicked", G_CALLBACK (choose_file_cb), self);
  g_signal_connect_swapped (self->relevance_scale, "value-changed",
                            G_CALLBACK (relevance_changed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), NULL);
}
