/* test-app-runs.c — the run manager under Xvfb: eight runs on the bbvi page,
 * legends that never cover the current run's points, the run list, a click
 * on a legend entry, delete and Undo
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "vi-application.h"
#include "vi-bbvi-page.h"
#include "vi-expfam-page.h"
#include "vi-model-page.h"
#include "vi-run-list.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *window;


static void
hide_toasts (GtkWidget *w)
{
  GType toast = g_type_from_name ("AdwToastWidget");

  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (toast != 0 && G_TYPE_CHECK_INSTANCE_TYPE (c, toast))
      gtk_widget_set_visible (c, FALSE);
    else
      hide_toasts (c);
}

/* With ELBO_LAB_SCREENSHOT_DIR set, saves the window as NAME.png there. */
static void
maybe_screenshot (const char *name)
{
  if (g_getenv ("ELBO_LAB_SCREENSHOT_DIR") == NULL)
    return;
  /* A toast's timeout does not run under Xvfb without a window manager:
   * hide the "settings changed" toast, which would cover the plots. */
  hide_toasts (GTK_WIDGET (window));
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

static gboolean
run_finished (gpointer data)
{
  ViRun *run = vi_window_get_run (window);

  return run != NULL && vi_run_get_state (run) == VI_RUN_FINISHED;
}

/* Eight runs with different settings on the same data; the last one is
 * the current run. */
static void
make_eight_runs (void)
{
  static const char *const runs[] = {
    "{'family': <'exponential'>, 'step-size': <0.05>}",
    "{'family': <'exponential'>, 'step-size': <0.1>}",
    "{'family': <'gamma'>, 'step-size': <0.05>}",
    "{'family': <'gamma'>, 'step-size': <0.2>}",
    "{'family': <'lognormal'>, 'step-size': <0.05>}",
    "{'family': <'lognormal'>, 'step-size': <0.2>}",
    "{'family': <'exponential'>, 'step-size': <0.02>}",
    "{'family': <'gamma'>, 'step-size': <0.1>}",
  };

  g_assert_true (vi_window_set_page (window, "bbvi"));
  activate ("reset");
  activate ("clear-history");
  apply_settings ("{'alpha': <2.0>, 'beta': <1.0>, 'synthetic-n': <int64 50>, "
                  "'true-rate': <4.0>, 'seed': <int64 1>, 'estimators': <'naive,cv'>, "
                  "'samples': <int64 20>, 'optimizer': <'adam'>, 'iterations': <int64 300>}");
  set_window_speed (GTK_WIDGET (window), 3);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      ViRun *run;

      apply_settings (runs[i]);
      run = vi_window_get_run (window);
      if (run == NULL || !vi_run_is_running (run))
        activate ("run-pause");
      g_assert_true (spin_until (run_finished, NULL, 120));
    }
  g_assert_cmpuint (vi_model_page_get_n_history (VI_MODEL_PAGE (bbvi_page ())), ==, 8);
}

static gboolean
window_has_size (gpointer data)
{
  const int *size = data;

  /* The default size counts the client-side decorations' margins too. */
  return ABS (gtk_widget_get_width (GTK_WIDGET (window)) - size[0]) <= 20
         && ABS (gtk_widget_get_height (GTK_WIDGET (window)) - size[1]) <= 20;
}

/* Resizes the window to @width × @height, or to its minimum size where that
 * is larger (the layout's own business, issue #10 item 3): the size used. */
static void
resize (int   width,
        int   height,
        char *used,
        gsize used_len)
{
  int size[2], mw, mh;

  gtk_window_unfullscreen (GTK_WINDOW (window));
  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &mw, NULL, NULL, NULL);
  size[0] = MAX (width, mw);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, size[0], &mh, NULL, NULL,
                      NULL);
  size[1] = MAX (height, mh);
  if (size[0] != width || size[1] != height)
    g_test_message ("the window's minimum size is %d × %d", mw, mh);
  gtk_window_set_default_size (GTK_WINDOW (window), size[0], size[1]);
  if (!spin_until (window_has_size, size, 10))
    g_error ("the window is %d × %d, not %d × %d", gtk_widget_get_width (GTK_WIDGET (window)),
             gtk_widget_get_height (GTK_WIDGET (window)), size[0], size[1]);
  spin_for (0.5);
  g_snprintf (used, used_len, "%d×%d", gtk_widget_get_width (GTK_WIDGET (window)),
              gtk_widget_get_height (GTK_WIDGET (window)));
}

/* The first toggle button in @w (depth first): the header bar's sidebar
 * button. */
static GtkToggleButton *
find_sidebar_button (GtkWidget *w)
{
  if (GTK_IS_TOGGLE_BUTTON (w))
    return GTK_TOGGLE_BUTTON (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkToggleButton *found = find_sidebar_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the current run's points in @panel stay clear of its legend:
 * every point of every series that is no earlier run (no legend group)
 * inside the plot area lies outside the legend box. Returns the number of
 * points checked. */
static gsize
check_panel (ViPanel    *panel,
             const char *where)
{
  double lx, ly, lw, lh, ax, ay, aw, ah;
  gsize checked = 0;

  if (!vi_panel_get_legend_box (panel, &lx, &ly, &lw, &lh)
      || !vi_panel_get_plot_area (panel, &ax, &ay, &aw, &ah))
    return 0;
  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *s = vi_panel_get_series (panel, i);
      const double *x, *y;
      gsize n;

      if (!vi_series_get_visible (s) || vi_series_get_legend_group (s) != NULL)
        continue;
      n = vi_series_get_xy (s, &x, &y);
      for (gsize k = 0; k < n; k++)
        {
          double px, py;

          if (!isfinite (x[k]) || !isfinite (y[k])
              || !vi_panel_data_to_pixel (panel, x[k], y[k], &px, &py)
              || px < ax || px > ax + aw || py < ay || py > ay + ah)
            continue;
          checked++;
          if (px > lx && px < lx + lw && py > ly && py < ly + lh)
            g_error ("%s: point %" G_GSIZE_FORMAT " (%g, %g) of '%s' at (%.1f, %.1f) lies under "
                     "the legend [%.1f, %.1f] × [%.1f, %.1f]", where, k, x[k], y[k],
                     vi_series_get_name (s), px, py, lx, lx + lw, ly, ly + lh);
        }
    }
  return checked;
}

/* Every panel of every drawn plot of @page: no legend over the current
 * run's points. */
static void
check_legends (ViModelPage *page,
               const char  *size)
{
  guint n_legends = 0;
  gsize n_points = 0;

  for (guint i = 0; i < vi_model_page_get_n_plots (page); i++)
    {
      ViPlotView *plot = vi_model_page_get_plot (page, i);
      ViFigure *fig = vi_plot_view_get_figure (plot);

      if (!gtk_widget_get_mapped (GTK_WIDGET (plot)) || fig == NULL)
        continue;
      for (guint r = 0; r < vi_figure_get_n_rows (fig); r++)
        for (guint c = 0; c < vi_figure_get_n_cols (fig); c++)
          {
            ViPanel *panel = vi_figure_get_panel (fig, r, c);
            g_autofree char *where = g_strdup_printf ("%s, plot %u, panel %u,%u", size, i, r, c);
            double x, y, w, h;

            n_points += check_panel (panel, where);
            n_legends += vi_panel_get_legend_box (panel, &x, &y, &w, &h);
          }
    }
  /* The shown tab's plots have legends and curves. */
  g_assert_cmpuint (n_legends, >=, 2);
  g_assert_cmpuint (n_points, >, 100);
}

/* Checks @page at 1280×800, 900×600 (sidebar folded) and in presentation
 * mode (F11) at 1280×800; with ELBO_LAB_SCREENSHOT_DIR, saves each. */
static void
check_sizes (ViModelPage *page,
             const char  *name)
{
  g_autofree char *big = g_strdup_printf ("%s-8runs-1280x800", name);
  g_autofree char *small = g_strdup_printf ("%s-8runs-900x600", name);
  g_autofree char *f11 = g_strdup_printf ("%s-8runs-f11", name);
  char used[32];

  resize (1280, 800, used, sizeof used);
  check_legends (page, used);
  maybe_screenshot (big);
  /* At 900 px the sidebar gives the page its room. */
  gtk_toggle_button_set_active (find_sidebar_button (GTK_WIDGET (window)), FALSE);
  spin_for (0.5);
  resize (900, 600, used, sizeof used);
  check_legends (page, used);
  maybe_screenshot (small);
  gtk_toggle_button_set_active (find_sidebar_button (GTK_WIDGET (window)), TRUE);
  resize (1280, 800, used, sizeof used);
  /* Presentation mode: larger lines and text, the legends still clear. */
  activate ("presentation");
  spin_for (0.8);
  g_assert_true (vi_model_page_get_presenting (page));
  check_legends (page, "presentation mode");
  maybe_screenshot (f11);
  activate ("presentation");
  spin_for (0.5);
  resize (1280, 800, used, sizeof used);
}

/* The Done-when test of issue #10: eight runs, then at 1280×800, 900×600
 * and in presentation mode no legend box covers a data point of the current
 * run, on the bbvi page and on the expfam page. */
static void
test_legends_clear (void)
{
  ViModelPage *expfam = VI_MODEL_PAGE (vi_window_get_page_by_name (window, "expfam"));
  static const double shapes[] = { 1.5, 2, 3, 4, 5, 6, 8, 2.5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) gamma = g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                               "{'family': <'gamma'>, 'shape': <2.0>, "
                                               "'rate': <1.0>}", NULL, NULL, &error);

  g_assert_no_error (error);
  make_eight_runs ();
  check_sizes (VI_MODEL_PAGE (bbvi_page ()), "bbvi");

  /* The expfam page, an explorer: each new parameter value is a run. */
  g_assert_true (vi_window_set_page (window, "expfam"));
  activate ("reset");
  activate ("clear-history");
  g_assert_true (vi_page_set_settings (VI_PAGE (expfam), gamma, &error));
  g_assert_no_error (error);
  activate ("run-pause");
  g_assert_true (spin_until (run_finished, NULL, 30));
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_assert_true (vi_expfam_page_set_param (VI_EXPFAM_PAGE (expfam), 0, shapes[i]));
      g_assert_true (spin_until (run_finished, NULL, 30));
    }
  g_assert_cmpuint (vi_model_page_get_n_history (expfam), ==, 8);
  check_sizes (expfam, "expfam");
  g_assert_true (vi_window_set_page (window, "bbvi"));
}

static GtkWidget *
find_run_list (GtkWidget *w)
{
  if (VI_IS_RUN_LIST (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_run_list (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The run list lists the runs (pinned first); its buttons and a legend
 * click act on the page; a delete posts a toast whose Undo restores it. */
static void
test_run_list (void)
{
  ViModelPage *mp = VI_MODEL_PAGE (bbvi_page ());
  GtkWidget *list;
  ViPlotView *plot;
  ViFigure *fig;
  ViPanel *panel;
  const char *label;
  g_autofree char *kept = NULL;
  double lx, ly, lw, lh;
  gboolean clicked = FALSE;

  if (vi_model_page_get_n_history (mp) < 8)
    make_eight_runs ();
  list = find_run_list (GTK_WIDGET (mp));
  g_assert_nonnull (list);
  g_assert_cmpuint (vi_run_list_get_run_at (VI_RUN_LIST (list), 0), ==, 0);
  gtk_expander_set_expanded (GTK_EXPANDER (gtk_widget_get_first_child (list)), TRUE);
  g_assert_true (gtk_widget_activate_action (list, "runs.pin", "u", 3));
  g_assert_true (vi_model_page_get_run_pinned (mp, 3));
  g_assert_cmpuint (vi_run_list_get_run_at (VI_RUN_LIST (list), 0), ==, 3);
  vi_model_page_set_run_visible (mp, 5, FALSE);
  /* Rename as a user does: the button, the entry, Enter. */
  g_assert_true (gtk_widget_activate_action (list, "runs.rename", "u", 6));
  {
    GtkWidget *entry = gtk_root_get_focus (GTK_ROOT (window));

    while (entry != NULL && !GTK_IS_ENTRY (entry))
      entry = gtk_widget_get_parent (entry);
    g_assert_nonnull (entry);
    gtk_editable_set_text (GTK_EDITABLE (entry), "my favourite");
    g_signal_emit_by_name (entry, "activate");
  }
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 6), ==, "my favourite");
  apply_settings ("{'synthetic-n': <int64 40>}");
  maybe_screenshot ("runs-list");
  apply_settings ("{'synthetic-n': <int64 50>}");
  vi_model_page_rename_run (mp, 6, NULL);
  vi_model_page_set_run_visible (mp, 5, TRUE);
  g_assert_true (gtk_widget_activate_action (list, "runs.pin", "u", 3));
  g_assert_true (gtk_widget_activate_action (list, "runs.toggle", "u", 2));
  g_assert_false (vi_model_page_get_run_visible (mp, 2));
  g_assert_true (gtk_widget_activate_action (list, "runs.toggle", "u", 2));

  /* A legend entry of an earlier run, toggled as a click would. */
  plot = vi_bbvi_page_get_plot (bbvi_page (), 0);
  fig = vi_plot_view_get_figure (plot);
  panel = vi_figure_get_panel (fig, 0, 0);
  spin_for (0.3);
  g_assert_true (vi_panel_get_legend_box (panel, &lx, &ly, &lw, &lh));
  for (double y = ly; y < ly + lh && !clicked; y += 2)
    for (double x = lx; x < lx + lw && !clicked; x += 4)
      if ((label = vi_figure_legend_group_at (fig, x, y)) != NULL)
        {
          g_autofree char *group = g_strdup (label);
          guint k = 0;

          while (g_strcmp0 (vi_model_page_get_run_label (mp, k), group) != 0)
            k++;
          g_signal_emit_by_name (plot, "legend-activated", group);
          g_assert_false (vi_model_page_get_run_visible (mp, k));
          vi_model_page_set_run_visible (mp, k, TRUE);
          clicked = TRUE;
        }
  g_assert_true (clicked);

  /* Delete, then Undo from the toast. */
  kept = g_strdup (vi_model_page_get_run_label (mp, 4));
  g_assert_true (gtk_widget_activate_action (list, "runs.delete", "u", 4));
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 7);
  maybe_screenshot ("runs-deleted");
  g_assert_true (vi_model_page_undo_delete_run (mp));
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 8);
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 4), ==, kept);
}

/* The expfam page inherits the run list from the model-page base. */
static void
test_expfam_list (void)
{
  ViExpfamPage *page = VI_EXPFAM_PAGE (vi_window_get_page_by_name (window, "expfam"));
  GtkWidget *list, *expander;

  g_assert_true (vi_window_set_page (window, "expfam"));
  activate ("reset");
  activate ("clear-history");
  list = find_run_list (GTK_WIDGET (page));
  g_assert_nonnull (list);
  expander = gtk_widget_get_first_child (list);
  g_assert_false (gtk_widget_get_visible (expander));
  activate ("run-pause");
  g_assert_true (spin_until (run_finished, NULL, 20));
  g_assert_true (vi_expfam_page_set_param (page, 0, 4.0));
  g_assert_true (spin_until (run_finished, NULL, 20));
  g_assert_cmpuint (vi_model_page_get_n_history (VI_MODEL_PAGE (page)), ==, 2);
  g_assert_true (gtk_widget_get_visible (expander));
  g_assert_cmpuint (vi_run_list_get_run_at (VI_RUN_LIST (list), 1), ==, 1);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  maybe_screenshot ("runs-expfam");
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  app = the_app;
  window = the_window;
  g_test_add_func ("/app/runs/legends-clear", test_legends_clear);
  g_test_add_func ("/app/runs/run-list", test_run_list);
  g_test_add_func ("/app/runs/expfam-list", test_expfam_list);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
