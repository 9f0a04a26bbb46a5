/* test-app-lda.c — the topic-model page under Xvfb: it opens, runs the
 * bars to the end with the topics forming as images, exports its main
 * plot, and (when `bible` is installed) runs the King James Bible
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With ELBO_LAB_SCREENSHOT_DIR set, each tab is saved there as a PNG.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "vi-application.h"
#include "vi-lda-job.h"
#include "vi-lda-page.h"
#include "vi-model-page.h"
#include "vi-page-registry.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *window;

static ViLdaPage *
lda_page (void)
{
  return VI_LDA_PAGE (vi_window_get_page_by_name (window, "lda"));
}

static void
show_tab (const char *name)
{
  vi_test_show_tab (GTK_WIDGET (vi_lda_page_get_plot (lda_page (), VI_LDA_PLOT_PERPLEXITY)), name);
}

/* With ELBO_LAB_SCREENSHOT_DIR set, saves the window as NAME.png there. */
static void
maybe_screenshot (const char *name)
{
  vi_test_maybe_screenshot (window, name);
}

static void
activate (const char *action,
          GVariant   *param)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, param);
}

static void
apply_settings (const char *text)
{
  vi_test_apply_settings (VI_PAGE (lda_page ()), text);
}

static ViSeries *
first_series (ViLdaPlot plot,
              guint     row)
{
  ViFigure *fig = vi_plot_view_get_figure (vi_lda_page_get_plot (lda_page (), plot));
  ViPanel *panel = vi_figure_get_panel (fig, row, 0);

  return vi_panel_get_n_series (panel) > 0 ? vi_panel_get_series (panel, 0) : NULL;
}

static void
fresh_state (void)
{
  vi_test_fresh_page (window, "lda", 3);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_opens (void)
{
  const ViPageInfo *info = vi_page_lookup_info ("lda");
  ViSeries *images;

  g_assert_nonnull (info);
  g_assert_cmpstr (info->title, ==, "Topic Models (LDA)");
  fresh_state ();
  g_assert_true (VI_IS_LDA_PAGE (vi_window_get_page (window)));
  g_assert_true (vi_page_get_job_type (VI_PAGE (lda_page ())) == &vi_lda_job_type);
  /* Before a run: labelled, empty figures and the general help. */
  images = first_series (VI_LDA_PLOT_BARS, 1);
  g_assert_null (images);
  g_assert_nonnull (strstr (vi_lda_page_get_help (lda_page (), VI_LDA_PLOT_PERPLEXITY),
                            "perplexity"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) settings = vi_page_dup_settings (VI_PAGE (lda_page ()), &error);
    const char *corpus = NULL;

    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (settings, "corpus", "&s", &corpus));
    g_assert_cmpstr (corpus, ==, "bars");
  }
}

/* The relevance slider reorders the top words and says so. */
static void
check_relevance (void)
{
  ViFigure *fig = vi_plot_view_get_figure (vi_lda_page_get_plot (lda_page (),
                                                                 VI_LDA_PLOT_TOPWORDS));

  vi_lda_page_set_relevance (lda_page (), 0.25);
  /* "0.25" or "0,25" as the locale writes it. */
  g_assert_nonnull (strstr (vi_panel_get_title (vi_figure_get_panel (fig, 0, 0)), "λ = 0"));
  g_assert_nonnull (strstr (vi_lda_page_get_help (lda_page (), VI_LDA_PLOT_TOPWORDS),
                            "λ is now 0"));
  vi_lda_page_set_relevance (lda_page (), 1);
  g_assert_nonnull (strstr (vi_panel_get_title (vi_figure_get_panel (fig, 0, 0)), "λ = 1"));
}

static void
test_bars_run (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-lda-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "perplexity.png", NULL);
  g_autofree char *csv = g_build_filename (dir, "perplexity.csv", NULL);
  const ViLdaSnapshot *snap;
  ViSeries *images;
  const double *x, *y;

  fresh_state ();
  apply_settings ("{'corpus': <'bars'>, 'algorithm': <'both'>, 'passes': <int64 5>, "
                  "'seed': <uint64 1>}");
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_ended, window, 240));
  g_assert_null (vi_run_get_error_message (vi_window_get_run (window)));
  snap = vi_model_page_get_snapshot (VI_MODEL_PAGE (lda_page ()));
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->n_runs, ==, 2);
  g_assert_cmpuint (snap->bars_side, ==, 5);
  g_assert_false (vi_lda_page_is_loading (lda_page ()));

  /* Perplexity: SVI and batch VB on a log axis. */
  {
    ViFigure *fig = vi_plot_view_get_figure (vi_lda_page_get_plot (lda_page (),
                                                                   VI_LDA_PLOT_PERPLEXITY));
    ViPanel *panel = vi_figure_get_panel (fig, 0, 0);

    g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_X), ==, VI_SCALE_LOG10);
    g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 2);
    g_assert_cmpuint (vi_series_get_xy (vi_panel_get_series (panel, 0), &x, &y), ==,
                      snap->runs[0].trace_len);
    g_assert_cmpfloat (y[snap->runs[0].trace_len - 1], ==,
                       snap->runs[0].trace_perplexity[snap->runs[0].trace_len - 1]);
  }
  /* The topics as images: 10 true bars above K learned topics. */
  images = first_series (VI_LDA_PLOT_BARS, 0);
  g_assert_nonnull (images);
  g_assert_cmpint (vi_series_get_kind (images), ==, VI_SERIES_IMAGES);
  g_assert_cmpuint (vi_series_get_n_points (images), ==, 10);
  images = first_series (VI_LDA_PLOT_BARS, 1);
  g_assert_nonnull (images);
  g_assert_cmpuint (vi_series_get_n_points (images), ==, snap->n_topics);
  /* The help quotes the snapshot. */
  g_assert_nonnull (strstr (vi_lda_page_get_help (lda_page (), VI_LDA_PLOT_BARS),
                            "10 true topics"));
  g_assert_nonnull (strstr (vi_lda_page_get_help (lda_page (), VI_LDA_PLOT_PERPLEXITY),
                            "batch VB: perplexity"));

  maybe_screenshot ("lda-bars-perplexity");
  {
    /* The explanation under the plot follows it. */
    GtkWidget *expander = gtk_widget_get_next_sibling (
      GTK_WIDGET (vi_lda_page_get_plot (lda_page (), VI_LDA_PLOT_PERPLEXITY)));

    g_assert_true (GTK_IS_EXPANDER (expander));
    gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
    maybe_screenshot ("lda-bars-perplexity-explained");
    gtk_expander_set_expanded (GTK_EXPANDER (expander), FALSE);
  }
  show_tab ("topics");
  vi_lda_page_set_relevance (lda_page (), 0.6);
  maybe_screenshot ("lda-bars-topics");
  show_tab ("heatmap");
  maybe_screenshot ("lda-bars-heatmap");
  show_tab ("bars");
  maybe_screenshot ("lda-bars-images");
  show_tab ("document");
  maybe_screenshot ("lda-bars-document");
  show_tab ("training");

  /* Export of the main plot writes a file, picture and data. */
  activate ("export-plot", g_variant_new_string (png));
  activate ("export-data", g_variant_new_string (csv));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "documents seen"));
  }
  g_unlink (png);
  g_unlink (csv);
  g_rmdir (dir);
  check_relevance ();
  activate ("reset", NULL);
}

static void
test_file_needs_choosing (void)
{
  fresh_state ();
  {
    AdwComboRow *row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (lda_page ()),
                                                                     VI_TYPE_LDA_PAGE,
                                                                     "corpus_row"));
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) settings = NULL;

    adw_combo_row_set_selected (row, 2);
    settings = vi_page_dup_settings (VI_PAGE (lda_page ()), &error);
    g_assert_null (settings);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    adw_combo_row_set_selected (row, 0);
  }
}

/* A corpus from a text file (as Open… picks it): one document a line. */
static void
test_text_file (void)
{
  static const char *const words[] = { "apple", "banana", "cherry", "grape", "lemon",
                                       "river", "mountain", "forest", "valley", "ocean" };
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-lda-text-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "fruit-and-land.txt", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;
  const ViLdaSnapshot *snap;
  const char *corpus = NULL;

  /* Fruit documents and landscape documents, 60 lines. */
  for (guint d = 0; d < 60; d++)
    {
      for (guint i = 0; i < 12; i++)
        g_string_append_printf (text, "%s ", words[(d % 2) * 5 + (d * 7 + i * 3) % 5]);
      g_string_append_c (text, '\n');
    }
  g_assert_true (g_file_set_contents (path, text->str, -1, &error));
  fresh_state ();
  apply_settings ("{'algorithm': <'svi'>, 'topics': <int64 2>, 'passes': <int64 2>, "
                  "'batch-size': <int64 6>}");
  vi_lda_page_set_corpus_file (lda_page (), path);
  settings = vi_page_dup_settings (VI_PAGE (lda_page ()), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (settings, "corpus", "&s", &corpus));
  g_assert_true (g_str_has_prefix (corpus, "text:"));
  g_assert_true (g_str_has_suffix (corpus, "fruit-and-land.txt"));
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_ended, window, 120));
  g_assert_null (vi_run_get_error_message (vi_window_get_run (window)));
  snap = vi_model_page_get_snapshot (VI_MODEL_PAGE (lda_page ()));
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->n_words, ==, 10);
  g_assert_cmpuint (snap->n_docs + snap->n_test_docs, ==, 60);
  {
    g_auto(GStrv) files = vi_page_dup_data_files (VI_PAGE (lda_page ()));

    g_assert_nonnull (files);
    g_assert_cmpstr (files[0], ==, path);
  }
  activate ("reset", NULL);
  apply_settings ("{'corpus': <'bars'>}");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_kjv_run (void)
{
  g_autofree char *bible = g_find_program_in_path ("bible");
  const ViLdaSnapshot *snap;

  if (bible == NULL)
    {
      g_test_skip ("bible (Debian bible-kjv) is not installed");
      return;
    }
  fresh_state ();
  apply_settings ("{'corpus': <'kjv'>, 'algorithm': <'svi'>, 'topics': <int64 20>, "
                  "'alpha': <0.1>, 'batch-size': <int64 64>, 'passes': <int64 3>, "
                  "'tau0': <1.0>, 'kappa': <0.7>, 'eval-every': <int64 2>}");
  activate ("run-pause", NULL);
  /* Building the corpus shows as loading (the Bible takes a moment). */
  spin_for (0.02);
  if (vi_lda_page_is_loading (lda_page ()))
    {
      GtkLabel *label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (lda_page ()),
                                                                  VI_TYPE_LDA_PAGE,
                                                                  "corpus_label"));

      g_assert_nonnull (strstr (gtk_label_get_label (label), "…"));
      g_test_message ("loading: %s", gtk_label_get_label (label));
    }
  g_assert_true (spin_until (vi_test_run_ended, window, 280));
  g_assert_null (vi_run_get_error_message (vi_window_get_run (window)));
  snap = vi_model_page_get_snapshot (VI_MODEL_PAGE (lda_page ()));
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->n_docs + snap->n_test_docs, ==, 1189);
  g_assert_cmpuint (snap->bars_side, ==, 0);
  /* No images off the bars; the words are the Bible's. */
  g_assert_null (first_series (VI_LDA_PLOT_BARS, 1));
  g_assert_nonnull (strstr (vi_lda_page_get_help (lda_page (), VI_LDA_PLOT_BARS), "bars"));
  maybe_screenshot ("lda-kjv-perplexity");
  show_tab ("topics");
  vi_lda_page_set_relevance (lda_page (), 0.6);
  maybe_screenshot ("lda-kjv-topics");
  show_tab ("heatmap");
  maybe_screenshot ("lda-kjv-heatmap");
  show_tab ("document");
  maybe_screenshot ("lda-kjv-document");
  show_tab ("training");
  activate ("reset", NULL);
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  app = the_app;
  window = the_window;
  g_test_add_func ("/app/lda/opens", test_opens);
  g_test_add_func ("/app/lda/bars-run", test_bars_run);
  g_test_add_func ("/app/lda/file-needs-choosing", test_file_needs_choosing);
  g_test_add_func ("/app/lda/text-file", test_text_file);
  g_test_add_func ("/app/lda/kjv-run", test_kjv_run);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
