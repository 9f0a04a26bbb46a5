/* test-app-views.c — the app exports the views' figures: a plot exported
 * from a page equals `elbo-lab-cli … --plot` with the same settings and seed
 * (SVG) and the views' figure of the same job built here (CSV and SVG)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "vi-application.h"
#include "vi-bbvi-page.h"
#include "vi-bbvi-views.h"
#include "vi-plot-view.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-test-views.h"
#include "vi-window.h"

#define SETTINGS "'alpha': <2.0>, 'beta': <1.0>, 'synthetic-n': <int64 30>, " \
                 "'true-rate': <4.0>, 'seed': <int64 5>"

static ViApplication *app;
static ViWindow *window;

static ViBbviPage *
bbvi_page (void)
{
  return VI_BBVI_PAGE (vi_window_get_page_by_name (window, "bbvi"));
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
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = views_params (text);

  g_assert_true (vi_page_set_settings (VI_PAGE (bbvi_page ()), v, &error));
  g_assert_no_error (error);
}

static gboolean
not_measuring (gpointer data)
{
  return !vi_bbvi_page_is_measuring (bbvi_page ());
}

static void
show_tab (const char *name)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (vi_bbvi_page_get_plot (bbvi_page (), 0)),
                                              GTK_TYPE_STACK);

  gtk_stack_set_visible_child_name (GTK_STACK (stack), name);
}

/* Exports the window's main plot as @dir/app.svg and @dir/app.csv. */
static void
export_main_plot (const char *dir)
{
  g_autofree char *svg = g_build_filename (dir, "app.svg", NULL);
  g_autofree char *csv = g_build_filename (dir, "app.csv", NULL);

  activate ("export-plot", g_variant_new_string (svg));
  activate ("export-data", g_variant_new_string (csv));
  g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
}

/* The app's export in @dir equals @fig exported here, CSV and SVG. */
static void
assert_same_as_app (const char *dir,
                    ViFigure   *fig)
{
  g_autofree char *app_svg = g_build_filename (dir, "app.svg", NULL);
  g_autofree char *app_csv = g_build_filename (dir, "app.csv", NULL);
  g_autofree char *own_svg = g_build_filename (dir, "own.svg", NULL);
  g_autofree char *a = NULL, *b = NULL, *csv = NULL, *app_text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (vi_view_export (fig, own_svg, 0, 0, &error));
  g_assert_no_error (error);
  a = views_read_svg (app_svg);
  b = views_read_svg (own_svg);
  g_assert_cmpstr (a, ==, b);
  app_text = views_read (app_csv);
  csv = vi_figure_to_csv (fig);
  g_assert_cmpstr (app_text, ==, csv);
  /* Not two empty figures: the estimators' series are there. */
  g_assert_nonnull (strstr (csv, "naive · "));
  g_assert_nonnull (strstr (csv, "cv · "));
  g_unlink (own_svg);
}

static void
remove_dir (const char *dir)
{
  const char *names[] = { "app.svg", "app.csv", "cli.svg", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* ---- cases --------------------------------------------------------------- */

/* The gradient-variance plot: measured in the app, exported; the CLI's
 * --variance --plot of the same sweep writes the same SVG. */
static void
test_variance_matches_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-views-XXXXXX", NULL);
  g_autofree char *cli_svg = g_build_filename (dir, "cli.svg", NULL);
  g_autofree char *app_svg = g_build_filename (dir, "app.svg", NULL);
  const char *args[] = { "bbvi", "--alpha", "2", "--beta", "1", "--synthetic", "30",
                         "--true-rate", "4", "--seed", "5", "--variance", "--repeats", "1000",
                         "--sweep-samples", "2,5,10,20,50,100,200,500,1000", "--plot", cli_svg,
                         NULL };
  g_autoptr(GVariant) params = views_params ("{" SETTINGS ", 'mode': <'variance'>, "
                                             "'family': <'exponential'>, "
                                             "'repeats': <int64 1000>, 'sweep-samples': "
                                             "<[int64 2, 5, 10, 20, 50, 100, 200, 500, 1000]>}");
  g_autofree char *a = NULL, *b = NULL;
  ViBbviSnapshot *snap;
  ViViewContext ctx;
  ViFigure *fig;

  g_assert_true (vi_window_set_page (window, "bbvi"));
  activate ("reset", NULL);
  activate ("clear-history", NULL);
  apply_settings ("{" SETTINGS ", 'samples': <int64 100>, 'estimators': <'naive,cv'>}");
  g_assert_true (spin_until (not_measuring, NULL, 30));
  vi_bbvi_page_measure_variance (bbvi_page ());
  g_assert_true (spin_until (not_measuring, NULL, 60));
  g_assert_cmpuint (vi_bbvi_page_get_variance (bbvi_page ())->n_points, ==, 9);
  show_tab ("variance");
  export_main_plot (dir);

  g_assert_cmpint (views_run_cli (args), ==, 0);
  a = views_read_svg (app_svg);
  b = views_read_svg (cli_svg);
  g_assert_cmpstr (a, ==, b);

  /* And the CSV: the views' figure of the same job. */
  snap = views_run_job (&vi_bbvi_job_type, params);
  vi_view_context_init (&ctx);
  ctx.samples = 100;
  fig = vi_figure_create (1, 1);
  vi_bbvi_variance_view_build (fig, snap, &ctx);
  assert_same_as_app (dir, fig);
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
  show_tab ("optimize");
  remove_dir (dir);
}

/* The ELBO plot of a finished run is the views' figure of the same job. */
static void
test_elbo_matches_views (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-views-XXXXXX", NULL);
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GError) error = NULL;
  ViBbviSnapshot *snap;
  ViViewContext ctx;
  ViFigure *fig;

  g_assert_true (vi_window_set_page (window, "bbvi"));
  activate ("reset", NULL);
  activate ("clear-history", NULL);
  apply_settings ("{" SETTINGS ", 'family': <'gamma'>, 'estimators': <'naive,cv,reparam'>, "
                  "'samples': <int64 20>, 'optimizer': <'adam'>, 'iterations': <int64 150>}");
  set_window_speed (GTK_WIDGET (window), 3);
  show_tab ("optimize");
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 60));
  spin_for (0.2);
  export_main_plot (dir);

  params = vi_page_dup_settings (VI_PAGE (bbvi_page ()), &error);
  g_assert_no_error (error);
  snap = views_run_job (&vi_bbvi_job_type, params);
  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  ctx.smoothing = vi_plot_view_get_smoothing (vi_bbvi_page_get_plot (bbvi_page (), 0));
  fig = vi_figure_create (1, 1);
  vi_bbvi_elbo_view_build (fig, snap, &ctx);
  assert_same_as_app (dir, fig);
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
  remove_dir (dir);
}

/* Hovering the ELBO plot: the tooltip names the series and gives the
 * point in data units with the axes' names, and that point is the one
 * under the pointer (within the hover radius). */
static void
test_tooltip (void)
{
  ViPlotView *plot;
  ViPanel *panel;
  double ax, ay, aw, ah;
  guint found = 0;

  g_assert_true (vi_window_set_page (window, "bbvi"));
  activate ("reset", NULL);
  activate ("clear-history", NULL);
  apply_settings ("{" SETTINGS ", 'family': <'exponential'>, 'estimators': <'naive,cv'>, "
                  "'samples': <int64 20>, 'iterations': <int64 100>}");
  show_tab ("optimize");
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 60));
  spin_for (0.3);
  plot = vi_bbvi_page_get_plot (bbvi_page (), 0);
  panel = vi_figure_get_panel (vi_plot_view_get_figure (plot), 0, 0);
  g_assert_true (vi_panel_get_plot_area (panel, &ax, &ay, &aw, &ah));
  g_assert_null (vi_plot_view_get_tooltip_text (plot, -1000, -1000));
  for (double qx = ax + 4; qx < ax + aw; qx += 7)
    for (double qy = ay + 4; qy < ay + ah; qy += 7)
      {
        g_autofree char *text = vi_plot_view_get_tooltip_text (plot, qx, qy);
        double x, y, px, py;
        int end = 0;

        if (text == NULL || !g_str_has_prefix (text, "cv: "))
          continue;
        /* "cv: iteration = 12, ELBO (nats) = -235.6" */
        g_assert_cmpint (sscanf (text, "cv: iteration = %lf, ELBO (nats) = %lf%n", &x, &y, &end),
                         ==, 2);
        g_assert_cmpint (end, ==, (int) strlen (text));
        g_assert_cmpfloat (x, ==, floor (x));
        g_assert_true (vi_panel_data_to_pixel (panel, x, y, &px, &py));
        /* "%.5g" rounds the value: allow a point of slack. */
        g_assert_cmpfloat (hypot (px - qx, py - qy), <=, 24 + 1);
        found++;
      }
  g_assert_cmpuint (found, >, 0);

  /* Export data in a locale with a decimal comma: '.' and the same text. */
  if (setlocale (LC_NUMERIC, "sv_SE.UTF-8") != NULL
      || setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("app-views-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "app.csv", NULL);
      g_autofree char *local = g_strdup_printf ("%.1f", 0.5);
      g_autofree char *text = NULL, *expected = NULL;

      activate ("export-data", g_variant_new_string (path));
      setlocale (LC_NUMERIC, "C");
      g_assert_cmpstr (local, ==, "0,5");
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      expected = vi_figure_to_csv (vi_plot_view_get_figure (plot));
      g_assert_cmpstr (text, ==, expected);
      g_assert_nonnull (strstr (text, "cv · iteration,cv · ELBO (nats)"));
      g_unlink (path);
      g_rmdir (dir);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gsl_set_error_handler_off ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  app = vi_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = VI_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  spin_for (0.3);

  g_test_add_func ("/app/views/variance-matches-cli", test_variance_matches_cli);
  g_test_add_func ("/app/views/elbo-matches-views", test_elbo_matches_views);
  g_test_add_func ("/app/views/tooltip", test_tooltip);
  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
