/* test-app-bbvi.c — the black-box VI page under Xvfb: opening, a live run,
 * bad counts files, the gradient-variance measurement, history
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "vi-application.h"
#include "vi-bbvi-page.h"
#include "vi-model-page.h"
#include "vi-page-registry.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-test-util.h"
#include "vi-util.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *window;

/* With ELBO_LAB_SCREENSHOT_DIR set, saves the window as NAME.png there. */
static void
maybe_screenshot (const char *name)
{
  vi_test_maybe_screenshot (window, name);
}

static ViBbviPage *
bbvi_page (void)
{
  return VI_BBVI_PAGE (vi_window_get_page_by_name (window, "bbvi"));
}

static void
activate (const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static void
apply_settings (const char *text)
{
  vi_test_apply_settings (VI_PAGE (bbvi_page ()), text);
}

static void
set_speed (guint selected)
{
  set_window_speed (GTK_WIDGET (window), selected);
}

static gboolean
iteration_at_least (gpointer data)
{
  ViRun *run = vi_window_get_run (window);
  return run != NULL && vi_run_get_iteration (run) >= GPOINTER_TO_UINT (data);
}

static gboolean
status_shows_elbo (gpointer data)
{
  g_autofree char *status = vi_window_dup_status_text (window);

  /* A number, not "—"; the ELBO of these counts is about −216. */
  return strstr (status, "ELBO -") != NULL;
}

static gboolean
not_loading (gpointer data)
{
  return !vi_bbvi_page_is_loading (bbvi_page ());
}

/* Chooses the counts file @path and waits until it is loaded (on a GTask
 * thread). */
static void
set_counts_file (const char *path)
{
  vi_bbvi_page_set_counts_file (bbvi_page (), path);
  g_assert_true (spin_until (not_loading, NULL, 60));
}

static gboolean
not_measuring (gpointer data)
{
  return !vi_bbvi_page_is_measuring (bbvi_page ());
}

/* The number of series in panel (0, 0) of plot @index whose name contains
 * @needle. */
static guint
count_named_series (guint       index,
                    const char *needle)
{
  ViPlotView *plot = vi_bbvi_page_get_plot (bbvi_page (), index);
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

static void
fresh_state (void)
{
  g_assert_true (vi_window_set_page (window, "bbvi"));
  activate ("reset");
  activate ("clear-history");
  apply_settings ("{'alpha': <2.0>, 'beta': <1.0>, 'synthetic-n': <int64 50>, "
                  "'true-rate': <4.0>, 'seed': <int64 1>, 'family': <'exponential'>, "
                  "'estimators': <'naive,cv'>, 'samples': <int64 100>, 'optimizer': <'adam'>, "
                  "'iterations': <int64 400>}");
  g_assert_null (vi_bbvi_page_get_error_text (bbvi_page ()));
  /* Software GL under the sanitizers draws a few frames per second. */
  set_speed (3);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_opens (void)
{
  const char *exe = g_getenv ("ELBO_LAB_APP");
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-bbvi-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "bbvi.png", NULL);
  const char *argv[] = { exe, "--page", "bbvi", "--screenshot", png, "--after", "0.5", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *err = NULL;
  int status;

  /* From the command line: --page bbvi opens it and the capture works. */
  g_assert_nonnull (exe);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("elbo-lab failed (status %d): %s", status, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture) % 1280, ==, 0);
  g_unlink (png);
  g_rmdir (dir);

  /* In process: the page is registered, shown and drawn before any run. */
  g_assert_nonnull (vi_page_lookup_info ("bbvi"));
  g_assert_true (vi_window_set_page (window, "bbvi"));
  spin_for (0.3);
  g_assert_true (VI_IS_BBVI_PAGE (vi_window_get_page (window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bbvi_page ())));
  g_assert_cmpstr (vi_page_get_objective_name (VI_PAGE (bbvi_page ())), ==, "ELBO");
  g_assert_cmpuint (count_named_series (0, "log p(x)"), ==, 1);
  g_assert_cmpuint (count_named_series (2, "posterior"), ==, 1);
  g_assert_cmpuint (count_named_series (2, "prior"), ==, 1);
}

/* A run steps; the status line and the objective (the exact ELBO of the
 * first run) update, and every plot follows the snapshot. */
static void
test_run_steps (void)
{
  g_autofree char *status = NULL;
  ViRun *run;
  double obj, theta;
  const ViBbviSnapshot *snap;

  fresh_state ();
  apply_settings ("{'iterations': <int64 3000>}");
  set_speed (1);
  activate ("run-pause");
  run = vi_window_get_run (window);
  g_assert_nonnull (run);
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (50), 60));
  /* The status line refreshes ten times a second. */
  g_assert_true (spin_until (status_shows_elbo, NULL, 5));
  status = vi_window_dup_status_text (window);
  g_assert_nonnull (strstr (status, "Running"));
  g_assert_null (strstr (status, "Iteration 0 "));
  set_speed (3);
  g_assert_true (spin_until (vi_test_run_finished, window, 120));
  obj = vi_run_get_objective (run);
  snap = vi_run_get_snapshot (run);
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->iteration, ==, 3000);
  g_assert_cmpuint (snap->n_traces, ==, 2);
  /* The ELBO is below log p(x) (by the KL) and near the family's best. */
  g_assert_true (isfinite (obj));
  g_assert_cmpfloat (obj, <=, snap->log_evidence);
  g_assert_cmpfloat (fabs (obj - snap->elbo_opt), <, 0.05);
  /* cv with S = 100 and 3000 Adam steps ends within 1 % of
   * θ* = (β + N)/(α + Σx) (issue #6). */
  g_assert_cmpint (snap->traces[1].estimator, ==, VI_BBVI_CV);
  g_assert_cmpfloat (fabs (snap->traces[1].current[0] / snap->params_opt[0] - 1), <, 0.01);
  g_clear_pointer (&status, g_free);
  status = vi_window_dup_status_text (window);
  g_assert_nonnull (strstr (status, "Iteration 3000"));
  g_assert_cmpuint (count_named_series (0, "naive"), ==, 1);
  g_assert_cmpuint (count_named_series (0, "cv"), ==, 1);
  g_assert_cmpuint (count_named_series (2, "q · cv"), ==, 1);
  maybe_screenshot ("bbvi-finished");

  /* Measure now uses the run's current θ (the first run's), not θ*. */
  theta = snap->traces[0].current[0];
  g_assert_true (spin_until (not_measuring, NULL, 60));
  vi_bbvi_page_measure_variance (bbvi_page ());
  g_assert_true (spin_until (not_measuring, NULL, 60));
  g_assert_nonnull (vi_bbvi_page_get_variance (bbvi_page ()));
  g_assert_cmpfloat (vi_bbvi_page_get_variance (bbvi_page ())->points[0].theta, ==, theta);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      len)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return path;
}

/* A bad counts file shows the core's one-line message in the page; Run
 * then refuses without a crash; a good file clears the error. */
static void
test_bad_counts_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-bbvi-XXXXXX", NULL);
  g_autofree char *negative = write_file (dir, "negative.txt", "3\n4\n-2\n", -1);
  g_autofree char *binary = write_file (dir, "binary.txt", "3\n\0\x01\x02", 6);
  g_autofree char *empty = write_file (dir, "empty.txt", "# nothing\n\n", -1);
  g_autofree char *good = write_file (dir, "good.txt", "# counts\n3\n5\n4\n\n6\n", -1);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  const char *bad[] = { negative, binary, empty, missing };
  const char *text;

  fresh_state ();
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) settings = NULL;

      set_counts_file (bad[i]);
      text = vi_bbvi_page_get_error_text (bbvi_page ());
      g_assert_nonnull (text);
      g_assert_nonnull (strstr (text, bad[i]));
      g_assert_null (strchr (text, '\n'));
      settings = vi_page_dup_settings (VI_PAGE (bbvi_page ()), &error);
      g_assert_null (settings);
      g_assert_nonnull (error);
      /* Run shows a toast and creates no run. */
      activate ("run-pause");
      spin_for (0.05);
      g_assert_null (vi_window_get_run (window));
    }
  g_assert_nonnull (strstr (vi_bbvi_page_get_error_text (bbvi_page ()), "missing.txt"));
  set_counts_file (negative);
  g_assert_nonnull (strstr (vi_bbvi_page_get_error_text (bbvi_page ()), ":3:"));
  maybe_screenshot ("bbvi-bad-file");

  set_counts_file (good);
  g_assert_null (vi_bbvi_page_get_error_text (bbvi_page ()));
  {
    g_auto(GStrv) files = vi_page_dup_data_files (VI_PAGE (bbvi_page ()));

    g_assert_nonnull (files);
    g_assert_cmpstr (files[0], ==, good);
  }
  activate ("run-pause");
  g_assert_true (spin_until (vi_test_run_finished, window, 120));
  {
    const ViBbviSnapshot *snap = vi_run_get_snapshot (vi_window_get_run (window));

    g_assert_cmpuint (snap->n, ==, 4);
    g_assert_cmpfloat (snap->sum_x, ==, 18);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_unlink (bad[i]);
  g_unlink (good);
  g_rmdir (dir);
  activate ("reset");
}

/* The measurement runs on a worker, completes and gives every S of the
 * sweep; at θ* and S = 100 the exact naive/cv ratio is the ~3.7× of
 * REFERENCES.md §2 and cv-suff is rounding. */
static void
test_variance_measurement (void)
{
  const ViBbviSnapshot *v;
  const ViBbviVariancePoint *p100 = NULL;
  double ratio;

  fresh_state ();
  g_assert_true (spin_until (not_measuring, NULL, 30));
  vi_bbvi_page_measure_variance (bbvi_page ());
  g_assert_true (vi_bbvi_page_is_measuring (bbvi_page ()));
  /* The main loop keeps running while the worker measures. */
  g_assert_true (spin_until (not_measuring, NULL, 60));
  v = vi_bbvi_page_get_variance (bbvi_page ());
  g_assert_nonnull (v);
  g_assert_true (v->variance_mode);
  g_assert_cmpuint (v->n_points, ==, 9);
  g_assert_cmpuint (v->n_points, ==, v->n_points_planned);
  for (size_t i = 0; i < v->n_points; i++)
    {
      const ViBbviVariancePoint *p = &v->points[i];

      g_assert_cmpfloat (fabs (p->theta / v->params_opt[0] - 1), <, 1e-12);
      g_assert_true (p->est[VI_BBVI_NAIVE].defined);
      g_assert_true (isfinite (p->est[VI_BBVI_NAIVE].variance));
      /* Measured within 25 % of exact with R = 1000 (sd of a variance
       * estimate of a heavy-tailed f is ~10 %). */
      g_assert_cmpfloat (fabs (p->est[VI_BBVI_NAIVE].variance
                               / p->est[VI_BBVI_NAIVE].variance_exact - 1), <, 0.25);
      if (p->samples == 100)
        p100 = p;
    }
  g_assert_nonnull (p100);
  ratio = p100->est[VI_BBVI_NAIVE].variance_exact / p100->est[VI_BBVI_CV].variance_exact;
  g_assert_cmpfloat (ratio, >, 3.3);
  g_assert_cmpfloat (ratio, <, 4.1);
  g_assert_cmpfloat (p100->est[VI_BBVI_CV_SUFF].variance, <,
                     1e-8 * p100->est[VI_BBVI_NAIVE].variance);
  /* Plotted: one exact line per estimator but cv-suff, and the bars. */
  g_assert_cmpuint (count_named_series (3, "naive"), ==, 1);
  g_assert_cmpuint (count_named_series (3, "reparam"), ==, 1);
  g_assert_cmpuint (count_named_series (4, "exact"), ==, 1);
  g_assert_cmpuint (count_named_series (4, "measured"), ==, 1);

  if (g_getenv ("ELBO_LAB_SCREENSHOT_DIR") != NULL)
    {
      GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (vi_bbvi_page_get_plot (bbvi_page (),
                                                                                     3)),
                                                  GTK_TYPE_STACK);

      gtk_stack_set_visible_child_name (GTK_STACK (stack), "variance");
      maybe_screenshot ("bbvi-variance");
      gtk_stack_set_visible_child_name (GTK_STACK (stack), "optimize");
    }

  /* A second request cancels the first, and only the second lands. */
  vi_bbvi_page_measure_variance (bbvi_page ());
  vi_bbvi_page_measure_variance (bbvi_page ());
  g_assert_true (spin_until (not_measuring, NULL, 60));
  g_assert_nonnull (vi_bbvi_page_get_variance (bbvi_page ()));
}

/* With the Gamma family the Gradient Variance tab follows the page: Run
 * there measures (no optimisation starts), per coordinate, with one panel
 * per parameter; naive and reparam agree with their exact variances within
 * 5 standard errors, cv's ratio to the optimal-â variance is reported and
 * cv-suff is rounding (≤ 1e-20 × naive). */
static void
test_variance_gamma (void)
{
  ViBbviPage *page = bbvi_page ();
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (vi_bbvi_page_get_plot (page,
                                                                                        3)),
                                                        GTK_TYPE_STACK));
  GtkLabel *explain = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                VI_TYPE_BBVI_PAGE,
                                                                "variance_explain_label"));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                              VI_TYPE_BBVI_PAGE,
                                                              "measure_label"));
  const char *const names[] = { "shape", "rate" };
  const ViBbviSnapshot *v;
  ViFigure *fig;
  GtkWidget *expander;

  fresh_state ();
  apply_settings ("{'family': <'gamma'>, 'synthetic-n': <int64 40>}");
  gtk_stack_set_visible_child_name (stack, "variance");
  g_assert_true (spin_until (not_measuring, NULL, 120));
  g_assert_null (vi_window_get_run (window));
  /* Run on this tab measures instead of starting the optimisation. */
  activate ("run-pause");
  g_assert_true (vi_bbvi_page_is_measuring (page));
  g_assert_null (vi_window_get_run (window));
  g_assert_true (spin_until (not_measuring, NULL, 120));
  g_assert_null (vi_window_get_run (window));

  v = vi_bbvi_page_get_variance (page);
  g_assert_nonnull (v);
  g_assert_true (v->family == vi_bbvi_family_lookup ("gamma"));
  g_assert_cmpuint (v->n, ==, 40);
  g_assert_cmpuint (v->dim, ==, 2);
  g_assert_cmpuint (v->n_points, ==, 9);
  for (size_t i = 0; i < v->n_points; i++)
    for (size_t d = 0; d < 2; d++)
      {
        const ViBbviVarianceStat *est = v->points[i].est;

        for (int e = VI_BBVI_NAIVE; e <= VI_BBVI_REPARAM; e += VI_BBVI_REPARAM)
          vi_assert_close (est[e].coord[d].variance, est[e].coord[d].variance_exact,
                           5.0 * est[e].coord[d].variance_stderr, 0);
        g_assert_cmpfloat (est[VI_BBVI_CV_SUFF].coord[d].variance, <=,
                           1e-20 * est[VI_BBVI_NAIVE].coord[d].variance);
        g_assert_cmpfloat (est[VI_BBVI_CV].coord[d].variance_exact, >, 0);
      }
  /* One panel per parameter, titled by its name, each with the estimators. */
  fig = vi_plot_view_get_figure (vi_bbvi_page_get_plot (page, 3));
  g_assert_cmpuint (vi_figure_get_n_cols (fig), ==, 2);
  for (guint d = 0; d < 2; d++)
    {
      ViPanel *panel = vi_figure_get_panel (fig, 0, d);

      g_assert_nonnull (strstr (vi_panel_get_title (panel), names[d]));
      g_assert_cmpuint (vi_panel_get_n_series (panel), >=, 6);
      panel = vi_figure_get_panel (vi_plot_view_get_figure (vi_bbvi_page_get_plot (page, 4)), d, 0);
      g_assert_nonnull (strstr (vi_panel_get_title (panel), names[d]));
    }
  /* The text says what was measured, with cv's measured/optimal ratio. */
  g_assert_nonnull (strstr (gtk_label_get_label (explain), "gamma family"));
  g_assert_nonnull (strstr (gtk_label_get_label (explain), "40 synthetic counts"));
  g_assert_nonnull (strstr (gtk_label_get_label (explain), "∂ELBO/∂rate"));
  g_assert_nonnull (strstr (gtk_label_get_label (explain), "measured/optimal"));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "rate: naive/cv"));
  maybe_screenshot ("bbvi-variance-gamma");
  /* The explanation under the plot (its expander follows the plot). */
  expander = gtk_widget_get_next_sibling (GTK_WIDGET (vi_bbvi_page_get_plot (page, 3)));
  g_assert_true (GTK_IS_EXPANDER (expander));
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  maybe_screenshot ("bbvi-variance-gamma-explained");
  gtk_expander_set_expanded (GTK_EXPANDER (expander), FALSE);

  /* On the optimisation tab Run optimises again. */
  gtk_stack_set_visible_child_name (stack, "optimize");
  activate ("run-pause");
  g_assert_nonnull (vi_window_get_run (window));
  activate ("reset");
}

/* A teacher runs naive, then cv, then reparam: each finished run stays as
 * a faded curve labelled by the setting that differs. */
static void
test_history (void)
{
  const char *const runs[] = { "naive", "cv", "reparam" };

  fresh_state ();
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'estimators': <'%s'>}", runs[i]);

      ViRun *run;

      apply_settings (text);
      /* Changing a setting after a finished run starts the next one. */
      run = vi_window_get_run (window);
      if (run == NULL || !vi_run_is_running (run))
        activate ("run-pause");
      g_assert_true (spin_until (vi_test_run_finished, window, 120));
    }
  g_assert_cmpuint (vi_page_get_n_history (VI_PAGE (bbvi_page ())), ==, 3);
  activate ("reset");
  /* After the reset all three are faded, labelled by their estimator. */
  g_assert_cmpuint (count_named_series (0, "estimator naive"), ==, 1);
  g_assert_cmpuint (count_named_series (0, "estimator cv"), ==, 1);
  g_assert_cmpuint (count_named_series (0, "estimator reparam"), ==, 1);
  maybe_screenshot ("bbvi-history");
  activate ("clear-history");
  g_assert_cmpuint (vi_page_get_n_history (VI_PAGE (bbvi_page ())), ==, 0);
  g_assert_cmpuint (count_named_series (0, "estimator "), ==, 0);
}

/* The Gamma family contains the posterior: its runs reach log p(x)
 * (KL < 1e-3, issue #6), and the page draws log p(x) as a line then. */
static void
test_gamma_family (void)
{
  const ViBbviSnapshot *snap;

  fresh_state ();
  /* reparam is left out: with the default schedule it ends at KL ≈ 1.4e-3
   * (the same in elbo-lab-cli bbvi --family gamma --estimator reparam). */
  apply_settings ("{'family': <'gamma'>, 'estimators': <'cv,cv-suff'>, "
                  "'iterations': <int64 3000>}");
  set_speed (3);
  activate ("run-pause");
  g_assert_true (spin_until (vi_test_run_finished, window, 120));
  snap = vi_run_get_snapshot (vi_window_get_run (window));
  g_assert_cmpuint (snap->n_traces, ==, 2);
  for (size_t k = 0; k < snap->n_traces; k++)
    {
      g_assert_false (snap->traces[k].diverged);
      g_assert_cmpfloat (snap->log_evidence - snap->traces[k].current_elbo, <, 1e-3);
      g_assert_cmpfloat (snap->log_evidence - snap->traces[k].current_elbo, >=, 0);
    }
  g_assert_cmpuint (count_named_series (0, "log p(x)"), ==, 1);
  maybe_screenshot ("bbvi-gamma");
  activate ("reset");
}

/* A counts file of @n_lines lines ("0".."99"), several MB. */
static char *
write_large_counts (const char *dir,
                    const char *name,
                    guint       n_lines)
{
  GString *text = g_string_sized_new (n_lines * 3);
  char *path;

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (text, "%u\n", i % 100);
  path = write_file (dir, name, text->str, (gssize) text->len);
  g_string_free (text, TRUE);
  return path;
}

/* Counts the ticks of a 5 ms timeout, those made while the page loads,
 * and the longest gap between two. */
typedef struct
{
  guint ticks;
  guint ticks_loading;
  gint64 last;
  gint64 max_gap;
} Ticker;

static gboolean
tick_cb (gpointer data)
{
  Ticker *t = data;
  gint64 now = g_get_monotonic_time ();

  t->ticks++;
  if (vi_bbvi_page_is_loading (bbvi_page ()))
    t->ticks_loading++;
  if (t->last != 0)
    t->max_gap = MAX (t->max_gap, now - t->last);
  t->last = now;
  return G_SOURCE_CONTINUE;
}

/* A counts file of several MB is loaded on a worker: the main loop keeps
 * running (a timeout fires while the page says it is loading), then the
 * page takes the file. */
static void
test_large_counts_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-bbvi-XXXXXX", NULL);
  g_autofree char *large = write_large_counts (dir, "large.txt", 2000000);
  Ticker t = { 0 };
  guint source;

  fresh_state ();
  source = g_timeout_add (5, tick_cb, &t);
  vi_bbvi_page_set_counts_file (bbvi_page (), large);
  g_assert_true (vi_bbvi_page_is_loading (bbvi_page ()));
  g_assert_nonnull (strstr (vi_bbvi_page_get_error_text (bbvi_page ()), large));
  /* Run waits for the data: the settings are refused meanwhile. */
  g_assert_null (vi_page_dup_settings (VI_PAGE (bbvi_page ()), NULL));
  g_assert_true (spin_until (not_loading, NULL, 120));
  g_source_remove (source);
  g_test_message ("%u ticks, %u while loading, longest gap %" G_GINT64_FORMAT " µs", t.ticks,
                  t.ticks_loading, t.max_gap);
  g_assert_cmpuint (t.ticks_loading, >, 0);
  g_assert_cmpint (t.max_gap, <, G_USEC_PER_SEC);
  g_assert_null (vi_bbvi_page_get_error_text (bbvi_page ()));
  {
    g_auto(GStrv) files = vi_page_dup_data_files (VI_PAGE (bbvi_page ()));

    g_assert_cmpstr (files[0], ==, large);
  }
  g_unlink (large);
  g_rmdir (dir);
}

/* A newer choice wins over an older, slower load still in flight: the
 * older one's result is ignored when it arrives. */
static void
test_newer_counts_file_wins (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-bbvi-XXXXXX", NULL);
  g_autofree char *large = write_large_counts (dir, "large.txt", 2000000);
  g_autofree char *bad = write_file (dir, "bad.txt", "3\n-1\n", -1);
  g_autofree char *good = write_file (dir, "good.txt", "3\n5\n4\n6\n", -1);
  const char *text;

  fresh_state ();
  /* large, then bad: bad's error stays once large has loaded. */
  vi_bbvi_page_set_counts_file (bbvi_page (), large);
  set_counts_file (bad);
  spin_for (1.5);
  text = vi_bbvi_page_get_error_text (bbvi_page ());
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, bad));
  /* large, then good: good's data are what a run uses. */
  vi_bbvi_page_set_counts_file (bbvi_page (), large);
  set_counts_file (good);
  spin_for (1.5);
  g_assert_null (vi_bbvi_page_get_error_text (bbvi_page ()));
  activate ("run-pause");
  g_assert_true (spin_until (vi_test_run_finished, window, 120));
  {
    const ViBbviSnapshot *snap = vi_run_get_snapshot (vi_window_get_run (window));

    g_assert_cmpuint (snap->n, ==, 4);
    g_assert_cmpfloat (snap->sum_x, ==, 18);
  }
  activate ("reset");
  g_unlink (large);
  g_unlink (bad);
  g_unlink (good);
  g_rmdir (dir);
}

/* Session-style settings round-trip, including the family and optimiser. */
static void
test_settings_roundtrip (void)
{
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;
  g_autoptr(GError) error = NULL;

  fresh_state ();
  apply_settings ("{'family': <'gamma'>, 'optimizer': <'rm'>, 'estimators': <'cv-suff,reparam'>, "
                  "'samples': <int64 20>}");
  before = vi_page_dup_settings (VI_PAGE (bbvi_page ()), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (g_variant_lookup_value (before, "family", NULL), NULL),
                   ==, "gamma");
  apply_settings ("{'family': <'lognormal'>}");
  g_assert_true (vi_page_set_settings (VI_PAGE (bbvi_page ()), before, &error));
  after = vi_page_dup_settings (VI_PAGE (bbvi_page ()), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_equal (before, after));
  /* Unknown names are refused with a message naming the key. */
  {
    g_autoptr(GVariant) bad = g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                               "{'family': <'weibull'>}", NULL, NULL, NULL);

    g_assert_false (vi_page_set_settings (VI_PAGE (bbvi_page ()), bad, &error));
    g_assert_nonnull (strstr (error->message, "family"));
  }
}

/* The settings' data seed: none (the Monte-Carlo seed, as in sessions
 * from before there were two), or one of its own. */
static void
test_data_seed (void)
{
  ViBbviPage *page;
  GtkWidget *spin;
  g_autoptr(GVariant) plain = NULL, own = NULL, old = NULL;
  double seed = 0;

  fresh_state ();
  page = bbvi_page ();
  spin = vi_model_page_get_bound_widget (VI_MODEL_PAGE (page), "data-seed");
  plain = vi_page_dup_settings (VI_PAGE (page), NULL);
  g_assert_false (vi_settings_lookup_number (plain, "data-seed", &seed));
  g_assert_false (gtk_widget_is_sensitive (spin));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 1);
  apply_settings ("{'data-seed': <uint64 9>}");
  own = vi_page_dup_settings (VI_PAGE (page), NULL);
  g_assert_true (vi_settings_lookup_number (own, "data-seed", &seed));
  g_assert_cmpfloat (seed, ==, 9);
  g_assert_true (gtk_widget_is_sensitive (spin));
  maybe_screenshot ("bbvi-data-seed");
  /* A session without the key: the data from the seed again. */
  g_assert_true (vi_page_set_settings (VI_PAGE (page), plain, NULL));
  old = vi_page_dup_settings (VI_PAGE (page), NULL);
  g_assert_true (g_variant_equal (plain, old));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 1);
}

/* Counts-file mode before a file is chosen: no error, the settings
 * refused (Run starts nothing), and the empty plots say what to do. */
static void
test_no_file_yet (void)
{
  ViBbviPage *page;
  GObject *source;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;

  fresh_state ();
  page = bbvi_page ();
  source = gtk_widget_get_template_child (GTK_WIDGET (page), VI_TYPE_BBVI_PAGE, "source_row");
  /* No file chosen yet (an earlier case may have chosen one). */
  apply_settings ("{'counts-file': <''>}");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (source)), ==, 1);
  g_assert_null (vi_bbvi_page_get_error_text (page));
  settings = vi_page_dup_settings (VI_PAGE (page), &error);
  g_assert_null (settings);
  g_assert_nonnull (strstr (error->message, "counts file"));
  /* Every plot carries the hint; the optimisation plots are empty (the
   * variance tab may keep an earlier measurement, marked stale). */
  for (guint i = 0; i < 5; i++)
    {
      ViFigure *fig = vi_plot_view_get_figure (vi_bbvi_page_get_plot (page, i));
      ViPanel *panel = vi_figure_get_panel (fig, 0, 0);

      g_assert_nonnull (strstr (vi_panel_get_empty_message (panel), "counts file"));
      for (guint k = 0; i < 3 && k < vi_panel_get_n_series (panel); k++)
        g_assert_cmpuint (vi_series_get_n_points (vi_panel_get_series (panel, k)), ==, 0);
    }
  maybe_screenshot ("bbvi-no-file");
  activate ("run-pause");
  spin_for (0.05);
  g_assert_null (vi_window_get_run (window));
  /* Back to synthetic data: no hint. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (source), 0);
  g_assert_null (vi_panel_get_empty_message (
                   vi_figure_get_panel (vi_plot_view_get_figure (vi_bbvi_page_get_plot (page, 0)),
                                        0, 0)));
}

/* The gap to the optimum is the first plot of the Optimisation tab, on a
 * log axis; "Show estimates" (a view setting) adds the estimates' band
 * without restarting a finished run. */
static guint
count_bands (void)
{
  ViFigure *fig = vi_plot_view_get_figure (vi_bbvi_page_get_plot (bbvi_page (), 5));
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  guint n = 0;

  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    n += vi_series_get_kind (vi_panel_get_series (panel, i)) == VI_SERIES_BAND;
  return n;
}

static void
test_gap_plot (void)
{
  GtkWidget *gap = GTK_WIDGET (vi_bbvi_page_get_plot (bbvi_page (), 5));
  GtkWidget *elbo = GTK_WIDGET (vi_bbvi_page_get_plot (bbvi_page (), 0));
  ViFigure *fig = vi_plot_view_get_figure (VI_PLOT_VIEW (gap));
  GtkSwitch *estimates;
  ViRun *run;
  guint64 done;

  fresh_state ();
  g_assert_true (gtk_widget_get_parent (gap) == gtk_widget_get_parent (elbo));
  g_assert_true (gtk_widget_get_first_child (gtk_widget_get_parent (gap)) == gap);
  apply_settings ("{'iterations': <int64 200>}");
  activate ("run-pause");
  run = vi_window_get_run (window);
  g_assert_true (spin_until (vi_test_run_finished, window, 120));
  g_assert_cmpint (vi_panel_get_scale (vi_figure_get_panel (fig, 0, 0), VI_AXIS_Y), ==,
                   VI_SCALE_LOG10);
  g_assert_cmpuint (count_named_series (5, "naive"), ==, 1);
  g_assert_cmpuint (count_named_series (5, "cv"), ==, 1);
  g_assert_cmpuint (count_bands (), ==, 0);
  done = vi_run_get_snapshot (run) != NULL
         ? ((const ViBbviSnapshot *) vi_run_get_snapshot (run))->iteration : 0;
  g_assert_cmpuint (done, ==, 200);

  /* The switch itself, as a user flips it. */
  estimates = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (bbvi_page ()),
                                                         VI_TYPE_BBVI_PAGE, "estimates_switch"));
  gtk_switch_set_active (estimates, TRUE);
  g_assert_cmpuint (count_bands (), ==,
                    ((const ViBbviSnapshot *) vi_run_get_snapshot (run))->n_traces);
  g_assert_true (vi_window_get_run (window) == run);
  g_assert_false (vi_run_is_running (run));
  g_assert_cmpuint (((const ViBbviSnapshot *) vi_run_get_snapshot (run))->iteration, ==, done);
  gtk_switch_set_active (estimates, FALSE);
  g_assert_cmpuint (count_bands (), ==, 0);
  g_assert_false (vi_run_is_running (run));
}

/* Beside the gap, the gradient variance of each estimator during the run;
 * the card's "What am I seeing?" is written from the plots: it names the
 * estimators drawn, says cv-suff is off-scale, and gives the run's numbers. */
static void
test_gradvar_explain (void)
{
  ViPlotView *plot = vi_bbvi_page_get_plot (bbvi_page (), 6);
  GtkWidget *gap = GTK_WIDGET (vi_bbvi_page_get_plot (bbvi_page (), 5));
  GtkLabel *help = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (bbvi_page ()),
                                                             VI_TYPE_BBVI_PAGE, "optimize_help"));
  const ViBbviSnapshot *snap;
  g_autofree char *elbo = NULL;
  GtkExpander *expander = NULL;
  const char *text;

  fresh_state ();
  apply_settings ("{'iterations': <int64 200>, 'estimators': <'naive,cv,cv-suff'>}");
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (plot)) == gtk_widget_get_parent (gap));
  activate ("run-pause");
  g_assert_true (spin_until (vi_test_run_finished, window, 120));
  snap = vi_run_get_snapshot (vi_window_get_run (window));
  g_assert_cmpint (vi_panel_get_scale (vi_figure_get_panel (vi_plot_view_get_figure (plot), 0, 0),
                                       VI_AXIS_Y), ==, VI_SCALE_LOG10);
  g_assert_cmpuint (count_named_series (6, "naive"), ==, 1);
  g_assert_cmpuint (count_named_series (6, "cv"), ==, 2);   /* cv, cv-suff */
  text = gtk_label_get_text (help);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Top right:"));
  g_assert_nonnull (strstr (text, "On the plot: naive, cv, cv-suff."));
  g_assert_nonnull (strstr (text, "Off-scale, below the axis: cv-suff."));
  elbo = g_strdup_printf ("ELBO now: naive %.6g", snap->traces[0].current_elbo);
  g_assert_nonnull (strstr (text, elbo));
  /* The card's expander (a collapsed GtkExpander does not parent its label). */
  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_parent (gap)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_EXPANDER (w))
      expander = GTK_EXPANDER (w);
  g_assert_true (gtk_expander_get_child (expander) == GTK_WIDGET (help));
  gtk_expander_set_expanded (expander, TRUE);
  maybe_screenshot ("bbvi-gradvar-explained");
  gtk_expander_set_expanded (expander, FALSE);
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  app = the_app;
  window = the_window;
  g_test_add_func ("/app/bbvi/opens", test_opens);
  g_test_add_func ("/app/bbvi/run-steps", test_run_steps);
  g_test_add_func ("/app/bbvi/bad-counts-file", test_bad_counts_file);
  g_test_add_func ("/app/bbvi/large-counts-file", test_large_counts_file);
  g_test_add_func ("/app/bbvi/newer-counts-file-wins", test_newer_counts_file_wins);
  g_test_add_func ("/app/bbvi/variance-measurement", test_variance_measurement);
  g_test_add_func ("/app/bbvi/variance-gamma", test_variance_gamma);
  g_test_add_func ("/app/bbvi/history", test_history);
  g_test_add_func ("/app/bbvi/gamma-family", test_gamma_family);
  g_test_add_func ("/app/bbvi/settings-roundtrip", test_settings_roundtrip);
  g_test_add_func ("/app/bbvi/data-seed", test_data_seed);
  g_test_add_func ("/app/bbvi/no-file-yet", test_no_file_yet);
  g_test_add_func ("/app/bbvi/gap-plot", test_gap_plot);
  g_test_add_func ("/app/bbvi/gradvar-explain", test_gradvar_explain);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
