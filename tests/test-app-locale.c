/* test-app-locale.c — the app in Swedish (sv_SE.UTF-8): plot numbers with a
 * decimal comma and data with '.', translated run labels and default file
 * names; and the plots' accessible names and descriptions
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vi-expfam-page.h"
#include "vi-page.h"
#include "vi-plot-view.h"
#include "vi-run.h"
#include "vi-test-app.h"

static ViWindow *window;
static gboolean swedish;

static ViPage *
expfam_page (void)
{
  return vi_window_get_page_by_name (window, "expfam");
}

static void
activate (const char *action,
          GVariant   *param)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, param);
}

static gboolean
need_swedish (void)
{
  if (!swedish)
    g_test_skip ("the sv_SE.UTF-8 locale is not installed");
  return swedish;
}

/* A fresh gamma run on the expfam page, finished. */
static void
fresh_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                           "{'family': <'gamma'>, 'shape': <2.5>, "
                                           "'rate': <1.5>, 'n': <int64 2000>, "
                                           "'seed': <int64 1>}", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (vi_window_set_page (window, "expfam"));
  activate ("reset", NULL);
  activate ("clear-history", NULL);
  g_assert_true (vi_page_set_settings (expfam_page (), v, &error));
  g_assert_no_error (error);
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 30));
}

/* ---- cases --------------------------------------------------------------- */

/* The figure draws ticks with a decimal comma; its data keeps '.'. */
static void
test_tick_labels (void)
{
  ViPlotView *plot;
  ViFigure *fig;
  g_autofree char *dir = NULL, *path = NULL, *file = NULL, *csv = NULL, *dot_csv = NULL;
  g_autofree char *tick = NULL;

  if (!need_swedish ())
    return;
  fresh_run ();
  plot = vi_page_get_main_plot (expfam_page ());
  fig = vi_plot_view_get_figure (plot);
  g_assert_cmpstr (vi_figure_get_decimal_mark (fig), ==, ",");
  tick = vi_figure_format_tick (fig, 0.25, 0.05, FALSE);
  g_assert_cmpstr (tick, ==, "0,25");

  dir = g_dir_make_tmp ("app-locale-XXXXXX", NULL);
  path = g_build_filename (dir, "data.csv", NULL);
  activate ("export-data", g_variant_new_string (path));
  g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
  csv = vi_figure_to_csv (fig);
  g_assert_cmpstr (file, ==, csv);
  /* The same data as with a '.' mark: the mark never reaches the CSV. */
  vi_figure_set_decimal_mark (fig, ".");
  dot_csv = vi_figure_to_csv (fig);
  vi_figure_set_decimal_mark (fig, ",");
  g_assert_cmpstr (csv, ==, dot_csv);
  g_assert_nonnull (strchr (csv, '.'));
  g_unlink (path);
  g_rmdir (dir);
}

static guint
count_named_series (ViPlotView *plot,
                    const char *needle)
{
  ViPanel *panel = vi_figure_get_panel (vi_plot_view_get_figure (plot), 0, 0);
  guint n = 0;

  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      const char *name = vi_series_get_name (vi_panel_get_series (panel, i));
      if (name != NULL && strstr (name, needle) != NULL)
        n++;
    }
  return n;
}

/* An earlier run is labelled in Swedish words and numbers. */
static void
test_run_labels (void)
{
  ViPlotView *plot;

  if (!need_swedish ())
    return;
  fresh_run ();
  g_assert_true (vi_expfam_page_set_param (VI_EXPFAM_PAGE (expfam_page ()), 0, 4.0));
  g_assert_true (spin_until (vi_test_run_finished, window, 30));
  plot = vi_page_get_main_plot (expfam_page ());
  g_assert_cmpuint (count_named_series (plot, "form=2,5"), ==, 1);
  g_assert_cmpuint (count_named_series (plot, "shape="), ==, 0);
  g_assert_cmpuint (count_named_series (plot, "2.5"), ==, 0);
  /* Two settings apart: " · " between them (the run manager's labels). */
  g_assert_true (vi_expfam_page_set_param (VI_EXPFAM_PAGE (expfam_page ()), 1, 2.5));
  g_assert_true (spin_until (vi_test_run_finished, window, 30));
  g_assert_cmpuint (count_named_series (plot, "form=2,5 · intensitet=1,5"), ==, 1);
  activate ("clear-history", NULL);
}

/* The (non-native fallback) file chooser the last dialog action opened, or
 * NULL when a portal shows it outside the process. */
static GtkFileChooser *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_FILE_CHOOSER (w);
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_chooser () != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return find_chooser () == NULL;
}

/* The save dialogs offer Swedish file names. */
static void
test_file_names (void)
{
  const struct { const char *action; const char *name; } cases[] = {
    { "export-data-dialog", "data.csv" },
    { "save-session-dialog", "session.elbo-session.json" },
    { "export-plot-dialog", "diagram.png" },
  };

  if (!need_swedish ())
    return;
  g_assert_true (vi_window_set_page (window, "expfam"));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkFileChooser *chooser;
      g_autofree char *name = NULL;

      activate (cases[i].action, NULL);
      if (!spin_until (chooser_shown, NULL, 5))
        {
          g_test_skip ("the file chooser is not shown in this process");
          return;
        }
      chooser = find_chooser ();
      name = gtk_file_chooser_get_current_name (chooser);
      g_assert_cmpstr (name, ==, cases[i].name);
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
      g_assert_true (spin_until (chooser_gone, NULL, 5));
    }
}

/* A plot is named after its figure's titles and described by
 * vi_figure_describe(), and follows the figure. */
static void
test_accessible (void)
{
  ViPlotView *plot;
  ViFigure *fig;
  const char *title;
  g_autofree char *description = NULL, *failed = NULL;

  fresh_run ();
  plot = vi_page_get_main_plot (expfam_page ());
  fig = vi_plot_view_get_figure (plot);
  title = vi_panel_get_title (vi_figure_get_panel (fig, 0, 0));
  g_assert_nonnull (title);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (plot),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  failed = gtk_test_accessible_check_property (GTK_ACCESSIBLE (plot),
                                               GTK_ACCESSIBLE_PROPERTY_LABEL, title);
  g_assert_null (failed);
  description = vi_figure_describe (fig);
  g_test_message ("accessible description: %s", description);
  g_assert_nonnull (strstr (description, title));
  failed = gtk_test_accessible_check_property (GTK_ACCESSIBLE (plot),
                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                               description);
  g_assert_null (failed);

  /* A new run changes the figure and its description with it. */
  g_assert_true (vi_expfam_page_set_param (VI_EXPFAM_PAGE (expfam_page ()), 0, 4.0));
  g_assert_true (spin_until (vi_test_run_finished, window, 30));
  g_free (description);
  description = vi_figure_describe (fig);
  failed = gtk_test_accessible_check_property (GTK_ACCESSIBLE (plot),
                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                               description);
  g_assert_null (failed);
  if (swedish)
    g_assert_nonnull (strstr (description, "form=2,5"));
  activate ("clear-history", NULL);
}

static void
add_tests (ViApplication *app,
           ViWindow      *win)
{
  window = win;
  g_test_add_func ("/app/locale/tick-labels", test_tick_labels);
  g_test_add_func ("/app/locale/run-labels", test_run_labels);
  g_test_add_func ("/app/locale/file-names", test_file_names);
  g_test_add_func ("/app/plot-view/accessible", test_accessible);
}

int
main (int    argc,
      char **argv)
{
  /* Swedish for the whole process, before GTK sets the locale from the
   * environment; the catalogue from the build tree. */
  swedish = setlocale (LC_ALL, "sv_SE.UTF-8") != NULL;
  if (swedish)
    {
      g_setenv ("LC_ALL", "sv_SE.UTF-8", TRUE);
      g_setenv ("LANGUAGE", "sv", TRUE);
    }
  /* GTK's test AT context keeps the accessible properties to read back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, VI_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return vi_test_app_main (argc, argv, add_tests);
}
