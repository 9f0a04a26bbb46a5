/* test-app.c — the desktop app under Xvfb: window, runner, history,
 * screenshot, exports, sessions
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "vi-application.h"
#include "vi-expfam-job.h"
#include "vi-expfam-page.h"
#include "vi-run.h"
#include "vi-util.h"
#include "vi-test-app.h"
#include "vi-test-json.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *window;

static ViExpfamPage *
expfam_page (void)
{
  return VI_EXPFAM_PAGE (vi_window_get_page_by_name (window, "expfam"));
}

static void
set_speed (guint selected)
{
  set_window_speed (GTK_WIDGET (window), selected);
}

static void
apply_settings (const char *text)
{
  vi_test_apply_settings (VI_PAGE (expfam_page ()), text);
}

static void
activate (const char *action,
          GVariant   *param)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, param);
}

static gboolean
iteration_at_least (gpointer data)
{
  ViRun *run = vi_window_get_run (window);
  return run != NULL && vi_run_get_iteration (run) >= GPOINTER_TO_UINT (data);
}

static gboolean
status_shows_progress (gpointer data)
{
  g_autofree char *status = vi_window_dup_status_text (window);
  return strstr (status, "Iteration 0 ") == NULL && strstr (status, "Iteration ") != NULL;
}

static void
fresh_state (void)
{
  activate ("reset", NULL);
  activate ("clear-history", NULL);
  apply_settings ("{'family': <'gamma'>, 'shape': <2.5>, 'rate': <1.5>, 'n': <int64 20000>, "
                  "'seed': <int64 1>}");
  set_speed (3);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_window_starts (void)
{
  g_autofree char *status = NULL;
  int w, h;

  g_assert_true (VI_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  gtk_window_get_default_size (GTK_WINDOW (window), &w, &h);
  g_assert_cmpint (w, ==, 1280);
  g_assert_cmpint (h, ==, 800);
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (window)), ==, "expfam");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (expfam_page ())));
  status = vi_window_dup_status_text (window);
  g_assert_nonnull (strstr (status, "Iteration 0"));
  g_assert_false (vi_window_set_page (window, "no-such-page"));
}

static void
test_command_line (void)
{
  const char *exe = g_getenv ("ELBO_LAB_APP");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *version[] = { exe, "--version", NULL };
  const char *bad_page[] = { exe, "--page", "nope", NULL };
  const char *bad_after[] = { exe, "--after", "2", NULL };

  g_assert_nonnull (exe);
  g_spawn_sync (NULL, (char **) version, NULL, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "elbo-lab 0.1.0\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_spawn_sync (NULL, (char **) bad_page, NULL, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "nope"));
  g_assert_nonnull (strstr (err, "expfam"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_spawn_sync (NULL, (char **) bad_after, NULL, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--screenshot"));
}

/* Start, pause, step, resume, cancel and reset, watching the status line. */
static void
test_run_lifecycle (void)
{
  ViRun *run;
  guint64 it;
  g_autofree char *status = NULL;

  fresh_state ();
  /* 1 step per frame and 10⁶ draws: 100 steps take well over a second. */
  apply_settings ("{'family': <'gamma'>, 'shape': <2.5>, 'rate': <1.5>, 'n': <int64 1000000>, "
                  "'seed': <int64 1>}");
  set_speed (0);
  activate ("run-pause", NULL);
  run = vi_window_get_run (window);
  g_assert_nonnull (run);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_RUNNING);
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (3), 10));
  /* The status line refreshes ten times a second. */
  g_assert_true (spin_until (status_shows_progress, NULL, 2));
  status = vi_window_dup_status_text (window);
  g_assert_nonnull (strstr (status, "Running"));

  activate ("run-pause", NULL);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_PAUSED);
  vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "paused");
  spin_for (0.2);
  it = vi_run_get_iteration (run);
  spin_for (0.2);
  g_assert_cmpuint (vi_run_get_iteration (run), ==, it);
  g_clear_pointer (&status, g_free);
  status = vi_window_dup_status_text (window);
  g_assert_nonnull (strstr (status, "Paused"));

  activate ("step", NULL);
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (it + 1), 5));
  spin_for (0.1);
  g_assert_cmpuint (vi_run_get_iteration (run), ==, it + 1);

  activate ("run-pause", NULL);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_RUNNING);
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (it + 4), 10));

  activate ("cancel", NULL);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_CANCELLED);

  activate ("reset", NULL);
  g_assert_null (vi_window_get_run (window));
  g_clear_pointer (&status, g_free);
  status = vi_window_dup_status_text (window);
  g_assert_nonnull (strstr (status, "Iteration 0"));
  /* The reset run went to the history. */
  g_assert_cmpuint (vi_page_get_n_history (VI_PAGE (expfam_page ())), ==, 1);
}

/* Cancel returns within 100 ms even in the middle of one long step. */
static void
test_run_cancel_mid_step (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) params = g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                                "{'family': <'gaussian'>, 'n': <int64 100000000>, "
                                                "'batch': <int64 10000000>}",
                                                NULL, NULL, &error);
  g_autoptr(ViRun) run = vi_run_new (&vi_expfam_job_type, params, &error);
  gint64 t0;

  g_assert_no_error (error);
  vi_run_start (run);
  g_usleep (150000);
  t0 = g_get_monotonic_time ();
  vi_run_cancel (run);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 100000);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_CANCELLED);
  g_assert_cmpuint (vi_run_get_iteration (run), ==, 0);
}

static void
test_run_bad_params (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) params = g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                                "{'family': <'beta'>, 'a': <-2.0>}",
                                                NULL, NULL, &error);
  ViRun *run = vi_run_new (&vi_expfam_job_type, params, &error);

  g_assert_null (run);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "a must be"));
}

/* The same seed gives the same numbers; the run reports them in the
 * snapshot the UI shows. */
static void
test_run_reproducible (void)
{
  double obj;

  fresh_state ();
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  obj = vi_run_get_objective (vi_window_get_run (window));
  g_assert_true (isfinite (obj));
  activate ("run-pause", NULL);  /* a finished run restarts from scratch */
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  g_assert_cmpfloat (vi_run_get_objective (vi_window_get_run (window)), ==, obj);
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

static void
test_history (void)
{
  ViPage *page = VI_PAGE (expfam_page ());
  ViPlotView *plot;

  fresh_state ();
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 1);
  /* Changing a slider after a finished run re-runs with the new value. */
  g_assert_true (vi_expfam_page_set_param (expfam_page (), 0, 4.0));
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 2);
  /* The earlier run is drawn faded, labelled by what differs; the newest
   * run is the live curve. */
  plot = vi_page_get_main_plot (page);
  g_assert_cmpuint (count_named_series (plot, "shape=2.5"), ==, 1);
  g_assert_cmpuint (count_named_series (plot, "shape=4"), ==, 0);
  g_assert_cmpuint (count_named_series (plot, "rate="), ==, 0);
  g_assert_true (vi_expfam_page_set_param (expfam_page (), 0, 2.5));
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  /* The same settings again refresh their entry rather than add a twin. */
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 2);
  g_assert_cmpuint (count_named_series (plot, "shape=2.5"), ==, 0);
  g_assert_cmpuint (count_named_series (plot, "shape=4"), ==, 1);
  g_assert_true (vi_expfam_page_set_param (expfam_page (), 1, 2.5));
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "history");

  for (int k = 0; k < 10; k++)
    {
      g_assert_true (vi_expfam_page_set_param (expfam_page (), 1, 1.0 + 0.25 * k));
      g_assert_true (spin_until (vi_test_run_finished, window, 20));
    }
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 8);

  activate ("clear-history", NULL);
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 0);
  g_assert_cmpuint (count_named_series (plot, "shape="), ==, 0);
}

static void
test_invalid_param (void)
{
  ViExpfamPage *page = expfam_page ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;
  ViPlotView *plot = vi_page_get_main_plot (VI_PAGE (page));
  ViPanel *panel = vi_figure_get_panel (vi_plot_view_get_figure (plot), 0, 0);
  ViSeries *curve;
  gsize n_before;

  fresh_state ();
  g_assert_false (vi_expfam_page_set_param (page, 0, -1));
  g_assert_nonnull (vi_expfam_page_get_error_text (page));
  g_assert_nonnull (strstr (vi_expfam_page_get_error_text (page), "shape"));
  g_assert_nonnull (strstr (vi_expfam_page_get_error_text (page), "-1"));
  vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "invalid-param");
  settings = vi_page_dup_settings (VI_PAGE (page), &error);
  g_assert_null (settings);
  g_assert_nonnull (error);
  g_assert_true (vi_expfam_page_set_param (page, 0, 3));
  g_assert_null (vi_expfam_page_get_error_text (page));

  /* Moving a parameter redraws the density at once (no run needed). */
  curve = vi_panel_get_series (panel, vi_panel_get_n_series (panel) - 1);
  n_before = vi_series_get_n_points (curve);
  g_assert_cmpuint (n_before, >, 10);
  g_assert_true (vi_expfam_page_set_param (page, 1, 3));
  g_assert_cmpuint (vi_panel_get_n_series (panel), >=, 1);
}

/* Each plot's "What am I seeing?" follows the picture: the family and θ
 * as set, the draws once there are some, the Monte-Carlo Fisher entries. */
static gboolean
has_draws (gpointer data)
{
  ViRun *run = vi_window_get_run (window);
  const ViExpfamSnapshot *snap = run != NULL ? vi_run_get_snapshot (run) : NULL;

  return snap != NULL && snap->n_drawn >= 1000;
}

static void
test_expfam_explain (void)
{
  ViExpfamPage *page = expfam_page ();
  GtkLabel *density = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                VI_TYPE_EXPFAM_PAGE,
                                                                "density_help"));
  GtkLabel *fisher = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                               VI_TYPE_EXPFAM_PAGE,
                                                               "fisher_help"));
  GtkLabel *lp = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                           VI_TYPE_EXPFAM_PAGE, "lp_help"));

  fresh_state ();
  g_assert_true (vi_expfam_page_set_param (page, 0, 3));
  g_assert_nonnull (strstr (gtk_label_get_text (density), "gamma family at shape = 3, rate = 1.5"));
  g_assert_true (vi_expfam_page_set_param (page, 1, 2));
  g_assert_nonnull (strstr (gtk_label_get_text (density), "shape = 3, rate = 2."));
  g_assert_nonnull (strstr (gtk_label_get_text (lp), "a(η)"));
  if (vi_window_get_run (window) == NULL)
    activate ("run-pause", NULL);
  g_assert_true (spin_until (has_draws, NULL, 20));
  spin_for (0.2);
  g_test_message ("%s\n%s", gtk_label_get_text (density), gtk_label_get_text (fisher));
  g_assert_nonnull (strstr (gtk_label_get_text (density), "histogram"));
  g_assert_nonnull (strstr (gtk_label_get_text (fisher), "Now: I₁₁"));
  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_parent (
                                                    GTK_WIDGET (vi_page_get_main_plot (
                                                                  VI_PAGE (page)))));
       w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_EXPANDER (w))
      gtk_expander_set_expanded (GTK_EXPANDER (w), TRUE);
  vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "expfam-explained");
  activate ("cancel", NULL);
}

static void
test_all_families (void)
{
  const char *settings[] = {
    "{'family': <'gaussian'>, 'mean': <1.0>, 'variance': <2.0>}",
    "{'family': <'poisson'>, 'rate': <4.0>}",
    "{'family': <'exponential'>, 'rate': <2.0>}",
    "{'family': <'bernoulli'>, 'p': <0.3>}",
    "{'family': <'lognormal'>, 'mu': <0.0>, 'sigma2': <0.5>}",
    "{'family': <'beta'>, 'a': <2.0>, 'b': <5.0>}",
  };

  fresh_state ();
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      ViRun *run;

      apply_settings (settings[i]);
      activate ("run-pause", NULL);
      g_assert_true (spin_until (vi_test_run_finished, window, 20));
      run = vi_window_get_run (window);
      if (i == 1 || i == 5)
        vi_test_maybe_screenshot_widget (GTK_WIDGET (window), i == 1 ? "poisson" : "beta");
      /* The Monte-Carlo Fisher estimate is within 10 % of the closed form
       * after 20000 draws (relative Frobenius error). */
      g_assert_cmpfloat (vi_run_get_objective (run), <, 0.1);
      activate ("reset", NULL);
    }
}

static gboolean
shortcuts_shown (gpointer data)
{
  GtkApplicationWindow *aw = GTK_APPLICATION_WINDOW (window);
  GtkWindow *w = GTK_WINDOW (gtk_application_window_get_help_overlay (aw));
  return w != NULL && gtk_widget_get_mapped (GTK_WIDGET (w));
}

/* The width of the expfam page's plots (the content of its controls flap). */
static int
plots_width (void)
{
  GtkWidget *flap = gtk_widget_get_last_child (GTK_WIDGET (expfam_page ()));

  return gtk_widget_get_width (adw_flap_get_content (ADW_FLAP (flap)));
}

static gboolean
plots_fill_page (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (expfam_page ())) == plots_width () + 24;
}

/* Presentation mode, the controls pane, the style override, the shortcuts
 * and About windows. */
static void
test_presentation_and_style (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWindow *overlay;
  GList *toplevels;
  GtkWidget *about = NULL;

  fresh_state ();
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 20));

  activate ("presentation", NULL);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presenting"));
  vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "presentation");
  activate ("show-controls", NULL);
  vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "presentation-no-controls");
  /* Without the controls pane the plots take the whole page (once the
   * pane has slid away). */
  spin_until (plots_fill_page, NULL, 5);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (expfam_page ())), ==,
                   plots_width () + 24);
  activate ("show-controls", NULL);
  activate ("cancel", NULL);  /* Escape leaves presentation mode */
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presenting"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "style-variant",
                                  g_variant_new_string ("dark"));
  g_assert_true (adw_style_manager_get_dark (style));
  vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "dark");
  g_action_group_activate_action (G_ACTION_GROUP (app), "style-variant",
                                  g_variant_new_string ("light"));
  g_assert_false (adw_style_manager_get_dark (style));
  g_action_group_activate_action (G_ACTION_GROUP (app), "style-variant",
                                  g_variant_new_string ("system"));

  activate ("show-help-overlay", NULL);
  g_assert_true (spin_until (shortcuts_shown, NULL, 5));
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  vi_test_maybe_screenshot_widget (GTK_WIDGET (overlay), "shortcuts");
  gtk_window_close (overlay);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  spin_for (0.3);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, "0.1.0");
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==,
                   "The ELBO Lab developers");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  vi_test_maybe_screenshot_widget (about, "about");
  gtk_window_destroy (GTK_WINDOW (about));
}

/* Window size, last page and each page's settings persist through
 * GSettings (memory backend in tests) when the schema is installed. */
static void
test_settings_persist (void)
{
  GSettings *settings = vi_application_get_settings (app);
  ViWindow *first = window;
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) restored = NULL;
  double shape = 0;

  if (settings == NULL)
    {
      g_test_skip ("GSettings schema io.github.elbolab.ElboLab not found "
                   "(set GSETTINGS_SCHEMA_DIR to <builddir>/data)");
      return;
    }
  window = vi_window_new (GTK_APPLICATION (app), vi_application_get_settings (app), NULL);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (0.2);
  apply_settings ("{'family': <'gamma'>, 'shape': <3.5>, 'rate': <1.5>}");
  gtk_window_close (GTK_WINDOW (window));
  spin_for (0.1);
  saved = g_settings_get_value (settings, "expfam-settings");
  g_assert_true (g_variant_lookup (saved, "shape", "d", &shape));
  g_assert_cmpfloat (shape, ==, 3.5);
  g_autofree char *last = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (last, ==, "expfam");

  window = vi_window_new (GTK_APPLICATION (app), vi_application_get_settings (app), NULL);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (0.2);
  restored = vi_page_dup_settings (VI_PAGE (expfam_page ()), NULL);
  g_assert_true (g_variant_lookup (restored, "shape", "d", &shape));
  g_assert_cmpfloat (shape, ==, 3.5);
  gtk_window_close (GTK_WINDOW (window));
  spin_for (0.1);
  g_settings_reset (settings, "expfam-settings");
  window = first;
}

/* EMA: out[i] = a·out[i−1] + (1−a)·y[i], NaN passed through untouched. */
static void
test_ema (void)
{
  const double y[] = { 1, 3, NAN, 5, 7 };
  double out[5];

  vi_ema_smooth (out, y, 5, 0.5);
  g_assert_cmpfloat (out[0], ==, 1);
  g_assert_cmpfloat (out[1], ==, 2);
  g_assert_true (isnan (out[2]));
  g_assert_cmpfloat (out[3], ==, 3.5);
  g_assert_cmpfloat (out[4], ==, 5.25);
  vi_ema_smooth (out, y, 5, 0);
  g_assert_cmpfloat (out[4], ==, 7);
}

static gboolean
clipboard_has_texture (gpointer data)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (data);
  return gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE);
}

/* Copy as image puts a texture on the clipboard; a zoomed view resets. */
static void
test_plot_copy_and_view (void)
{
  ViPlotView *plot = vi_page_get_main_plot (VI_PAGE (expfam_page ()));
  ViPanel *panel = vi_figure_get_panel (vi_plot_view_get_figure (plot), 0, 0);
  g_autoptr(GdkTexture) texture = NULL;

  texture = vi_plot_view_render_texture (plot, 400, 250, 2);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 800);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plot), "plot.copy", NULL));
  g_assert_true (spin_until (clipboard_has_texture, gtk_widget_get_clipboard (GTK_WIDGET (plot)),
                             2));

  /* Hover: the crosshair and the nearest-point tooltip are drawn. */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (plot));
    double px, py;

    fresh_state ();
    activate ("run-pause", NULL);
    g_assert_true (spin_until (vi_test_run_finished, window, 20));
    spin_for (0.2);
    g_assert_true (vi_panel_data_to_pixel (panel, 1.0, 0.45, &px, &py));
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
        if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
          g_signal_emit_by_name (c, "motion", px, py);
      }
    vi_test_maybe_screenshot_widget (GTK_WIDGET (window), "crosshair");
  }

  vi_panel_set_view (panel, VI_AXIS_X, 1, 2);
  g_assert_true (vi_panel_has_view (panel));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plot), "plot.reset-view", NULL));
  g_assert_false (vi_panel_has_view (panel));
}

static GtkWidget *
find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* The Export… and Save Session… dialogs open (GtkFileChooserNative falls
 * back to a GTK dialog without a portal) and cancel cleanly. */
static void
test_file_dialogs (void)
{
  const char *actions[] = { "export-plot-dialog", "export-data-dialog", "save-session-dialog",
                            "open-session-dialog" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWidget *dialog;

      activate (actions[i], NULL);
      g_assert_true (spin_until (chooser_shown, NULL, 5));
      dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
      if (i == 0)
        vi_test_maybe_screenshot_widget (dialog, "export-dialog");
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
      G_GNUC_END_IGNORE_DEPRECATIONS
      spin_for (0.1);
      g_assert_false (chooser_shown (NULL));
    }
}

static void
check_magic (const char *path,
             const char *magic)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 100);
  g_assert_nonnull (g_strstr_len (contents, MIN (len, 400), magic));
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-export-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "plot.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "plot.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "plot.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "data.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "data.txt", NULL);
  g_autoptr(GdkTexture) texture = NULL;

  fresh_state ();
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  activate ("export-plot", g_variant_new_string (png));
  activate ("export-plot", g_variant_new_string (svg));
  activate ("export-plot", g_variant_new_string (pdf));
  activate ("export-data", g_variant_new_string (csv));
  activate ("export-data", g_variant_new_string (bad));
  check_magic (png, "PNG");
  check_magic (svg, "<svg");
  check_magic (pdf, "%PDF");
  check_magic (csv, "p(x");
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  texture = gdk_texture_new_from_filename (png, NULL);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1600);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 1000);

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_unlink (csv);
  g_rmdir (dir);
}

/* Every file the app writes goes through the output helper: a write that
 * fails (a full device) is an error naming the file, and a symbolic link is
 * written through to its target and stays a link. */
static void
test_export_output_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-output-XXXXXX", NULL);
  g_autofree char *full_csv = g_build_filename (dir, "full.csv", NULL);
  g_autofree char *real = g_build_filename (dir, "real.json", NULL);
  g_autofree char *link = g_build_filename (dir, "session.json", NULL);
  g_autofree char *json = NULL;
  ViPlotView *plot = vi_page_get_main_plot (VI_PAGE (expfam_page ()));
  const char *full = "/dev/full";
  GError *error = NULL;

  if (!g_file_test (full, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  fresh_state ();
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  g_assert_cmpint (symlink (full, full_csv), ==, 0);
  g_assert_false (vi_plot_view_export (plot, full_csv, 800, 500, 2, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, full_csv));
  g_clear_error (&error);
  g_assert_false (vi_window_save_session (window, full, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, full));
  g_clear_error (&error);
  g_assert_false (vi_window_save_png (window, full, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, full));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (symlink (real, link), ==, 0);
  g_assert_true (vi_window_save_session (window, link, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (real, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "elbo-lab-session"));

  g_unlink (link);
  g_unlink (real);
  g_unlink (full_csv);
  g_rmdir (dir);
}

static void
test_session_replay (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  double obj;
  guint64 it;
  ViRun *run;

  fresh_state ();
  apply_settings ("{'family': <'beta'>, 'a': <2.0>, 'b': <3.5>, 'n': <int64 50000>, "
                  "'seed': <int64 77>}");
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  run = vi_window_get_run (window);
  obj = vi_run_get_objective (run);
  it = vi_run_get_iteration (run);
  g_assert_true (vi_window_save_session (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"seed\""));
  g_assert_nonnull (strstr (json, "\"beta\""));

  /* Change everything, then reopen and replay. */
  apply_settings ("{'family': <'poisson'>, 'rate': <9.0>, 'seed': <int64 3>}");
  activate ("reset", NULL);
  g_assert_true (vi_window_open_session (window, path, &error));
  g_assert_no_error (error);
  g_assert_null (vi_window_get_run (window));
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_finished, window, 20));
  run = vi_window_get_run (window);
  g_assert_cmpuint (vi_run_get_iteration (run), ==, it);
  g_assert_cmpfloat (vi_run_get_objective (run), ==, obj);
  g_assert_cmpuint (g_strv_length ((char **) vi_window_get_session_warnings (window)), ==, 0);

  g_unlink (path);
  g_rmdir (dir);
}

/* Numbers whose shortest form is an exponent (json-glib 1.6 writes
 * "1e-06.0" and "1e+20.0", which no strict reader takes): the session
 * file is strict JSON and reads back the very same settings. */
static void
test_session_exponents (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) back = NULL;
  g_autofree char *json = NULL;
  double shape = 0, rate = 0;

  fresh_state ();
  apply_settings ("{'family': <'gamma'>, 'shape': <1e20>, 'rate': <1e-6>}");
  g_assert_true (vi_window_save_session (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &json, NULL, NULL));
  vi_test_assert_strict_json (json);
  g_assert_nonnull (strstr (json, "1e+20"));
  g_assert_null (strstr (json, "1e+20.0"));
  g_assert_null (strstr (json, "e-06.0"));

  apply_settings ("{'family': <'gamma'>, 'shape': <2.5>, 'rate': <1.5>}");
  g_assert_true (vi_window_open_session (window, path, &error));
  g_assert_no_error (error);
  back = vi_page_dup_settings (VI_PAGE (expfam_page ()), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (back, "shape", "d", &shape));
  g_assert_true (g_variant_lookup (back, "rate", "d", &rate));
  g_assert_cmpfloat (shape, ==, 1e20);
  g_assert_cmpfloat (rate, ==, 1e-6);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_session_changed_data (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.json", NULL);
  g_autofree char *data = g_build_filename (dir, "data.txt", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  const char *const *warnings;

  g_assert_true (g_file_set_contents (data, "1 2 3\n", -1, NULL));
  json = g_strdup_printf ("{\"format\": \"elbo-lab-session\", \"version\": 1, \"page\": \"expfam\","
                          " \"pages\": {\"expfam\": {\"settings\": {\"family\": \"gamma\","
                          " \"shape\": 2, \"rate\": 1}, \"data_files\": [{\"path\": \"%s\","
                          " \"sha256\": \"%064d\"}]}}}", data, 0);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  g_assert_true (vi_window_open_session (window, path, &error));
  g_assert_no_error (error);
  warnings = vi_window_get_session_warnings (window);
  g_assert_cmpuint (g_strv_length ((char **) warnings), ==, 1);
  g_assert_nonnull (strstr (warnings[0], data));

  /* Not a session: a clear error naming the file. */
  g_assert_true (g_file_set_contents (path, "{\"format\": \"other\"}", -1, NULL));
  g_assert_false (vi_window_open_session (window, path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
  g_unlink (data);
  g_unlink (path);
  g_rmdir (dir);
}

/* A session whose second page is invalid changes nothing: the whole file
 * is checked before the first page is set, and the error names the file
 * and the bad setting. */
static void
test_session_invalid_page (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.json", NULL);
  const char *json = "{\"format\": \"elbo-lab-session\", \"version\": 1, \"page\": \"bbvi\","
                     " \"pages\": {\"expfam\": {\"settings\": {\"family\": \"beta\","
                     " \"a\": 4.0, \"b\": 5.0, \"seed\": 9}},"
                     " \"bbvi\": {\"settings\": {\"family\": \"no-such-family\"}}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;
  g_autoptr(GVariant) after_action = NULL;

  fresh_state ();
  before = vi_page_dup_settings (VI_PAGE (expfam_page ()), NULL);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  g_assert_false (vi_window_open_session (window, path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "no-such-family"));
  after = vi_page_dup_settings (VI_PAGE (expfam_page ()), NULL);
  g_assert_true (g_variant_equal (before, after));
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (window)), ==, "expfam");

  /* Open Session shows the error and changes nothing either. */
  activate ("open-session", g_variant_new_string (path));
  after_action = vi_page_dup_settings (VI_PAGE (expfam_page ()), NULL);
  g_assert_true (g_variant_equal (before, after_action));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_screenshot (void)
{
  const char *exe = g_getenv ("ELBO_LAB_APP");
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-shot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "shot.png", NULL);
  const char *argv[] = { exe, "--page", "expfam", "--run", "--screenshot", png,
                         "--after", "0.5", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GHashTable *colors;
  int w, h, status, scale;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  scale = w / 1280;
  g_assert_cmpint (scale, >=, 1);
  g_assert_cmpint (w, ==, 1280 * scale);
  g_assert_cmpint (h, ==, 800 * scale);

  /* Not blank: a real window has many distinct colours. */
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  colors = g_hash_table_new (NULL, NULL);
  for (gsize i = 0; i < (gsize) w * h; i += 7)
    g_hash_table_add (colors, GUINT_TO_POINTER (((guint32 *) pixels)[i]));
  g_assert_cmpuint (g_hash_table_size (colors), >, 200);
  g_hash_table_unref (colors);
  g_unlink (png);
  g_rmdir (dir);
}

/* Closing the window while a job steps flat out stops the worker. */
static void
test_close_while_running (void)
{
  ViWindow *first = window;
  ViWindow *second = vi_window_new (GTK_APPLICATION (app), vi_application_get_settings (app),
                                    NULL);
  g_autoptr(ViRun) run = NULL;

  gtk_window_present (GTK_WINDOW (second));
  window = second;
  spin_for (0.2);
  /* 10⁶ draws at one step (10⁴ draws) per frame: still running after 2. */
  apply_settings ("{'family': <'gaussian'>, 'n': <int64 1000000>, 'seed': <int64 1>}");
  set_speed (0);
  activate ("run-pause", NULL);
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (2), 10));
  run = g_object_ref (vi_window_get_run (window));
  gtk_window_close (GTK_WINDOW (second));
  /* The window let go of the run after stopping its worker. */
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_CANCELLED);
  g_assert_false (vi_run_is_active (run));
  window = first;
  spin_for (0.1);
}

/* The renderer choice's GPU check, on made-up /dev trees. */
static void
test_gpu_device_present (void)
{
  g_autofree char *dev = g_dir_make_tmp ("elbo-lab-dev-XXXXXX", NULL);
  g_autofree char *dri = g_build_filename (dev, "dri", NULL);
  g_autofree char *node = g_build_filename (dri, "renderD128", NULL);
  g_autofree char *by_path = g_build_filename (dri, "by-path", NULL);
  g_autofree char *nvidia = g_build_filename (dev, "nvidia0", NULL);

  g_assert_nonnull (dev);
  g_assert_false (vi_gpu_device_present (dev));            /* no dri/ at all */
  g_assert_cmpint (g_mkdir (dri, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (by_path, 0700), ==, 0);
  g_assert_false (vi_gpu_device_present (dev));            /* nothing that is a node */
  g_assert_true (g_file_set_contents (node, "", 0, NULL));
  g_assert_true (vi_gpu_device_present (dev));
  g_assert_cmpint (g_unlink (node), ==, 0);
  g_assert_true (g_file_set_contents (nvidia, "", 0, NULL));
  g_assert_true (vi_gpu_device_present (dev));
  g_unlink (nvidia);
  g_rmdir (by_path);
  g_rmdir (dri);
  g_rmdir (dev);
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  app = the_app;
  window = the_window;
  g_test_add_func ("/app/gpu-device-present", test_gpu_device_present);
  g_test_add_func ("/app/window/starts", test_window_starts);
  g_test_add_func ("/app/window/command-line", test_command_line);
  g_test_add_func ("/app/run/lifecycle", test_run_lifecycle);
  g_test_add_func ("/app/run/cancel-mid-step", test_run_cancel_mid_step);
  g_test_add_func ("/app/run/bad-params", test_run_bad_params);
  g_test_add_func ("/app/run/reproducible", test_run_reproducible);
  g_test_add_func ("/app/history/keep-and-clear", test_history);
  g_test_add_func ("/app/expfam/invalid-param", test_invalid_param);
  g_test_add_func ("/app/expfam/all-families", test_all_families);
  g_test_add_func ("/app/expfam/explain", test_expfam_explain);
  g_test_add_func ("/app/window/presentation-and-style", test_presentation_and_style);
  g_test_add_func ("/app/window/settings-persist", test_settings_persist);
  g_test_add_func ("/app/export/formats", test_export);
  g_test_add_func ("/app/export/file-dialogs", test_file_dialogs);
  g_test_add_func ("/app/export/output-errors", test_export_output_errors);
  g_test_add_func ("/app/plot/copy-and-view", test_plot_copy_and_view);
  g_test_add_func ("/app/plot/ema", test_ema);
  g_test_add_func ("/app/session/replay", test_session_replay);
  g_test_add_func ("/app/session/changed-data", test_session_changed_data);
  g_test_add_func ("/app/session/exponents", test_session_exponents);
  g_test_add_func ("/app/session/invalid-page-changes-nothing", test_session_invalid_page);
  g_test_add_func ("/app/screenshot/png", test_screenshot);
  g_test_add_func ("/app/window/close-while-running", test_close_while_running);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
