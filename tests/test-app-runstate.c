/* test-app-runstate.c — run state without traps, under Xvfb: an edit after
 * a finished run leaves a trainer page's results stale until Run and
 * re-runs an explorer page; Step from Ctrl+period, Right and Page Down
 * (not while a spin button has the focus); hand steps take real time; a
 * run keeps going on another page; the shortcuts window lists every key
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vi-application.h"
#include "vi-page.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-window.h"

#define BBVI_SETTINGS "'alpha': <2.0>, 'beta': <1.0>, 'synthetic-n': <int64 50>, " \
                      "'true-rate': <4.0>, 'family': <'exponential'>, " \
                      "'estimators': <'naive,cv'>, 'samples': <int64 20>, " \
                      "'optimizer': <'adam'>"

static ViApplication *app;
static ViWindow *window;

static void
activate (const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static void
apply (const char *page,
       const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (vi_page_set_settings (vi_window_get_page_by_name (window, page), v, &error));
  g_assert_no_error (error);
}

/* The bbvi page, fresh, with @iterations steps and @seed. */
static void
bbvi_settings (guint64 iterations,
               guint64 seed)
{
  g_autofree char *text = g_strdup_printf ("{" BBVI_SETTINGS ", 'step-size': <0.05>, "
                                           "'iterations': <int64 %" G_GUINT64_FORMAT ">, "
                                           "'seed': <int64 %" G_GUINT64_FORMAT ">}",
                                           iterations, seed);
  apply ("bbvi", text);
}

static void
fresh_page (const char *name,
            guint       speed)
{
  g_assert_true (vi_window_set_page (window, name));
  activate ("reset");
  activate ("clear-history");
  set_window_speed (GTK_WIDGET (window), speed);
}

static gboolean
iteration_at_least (gpointer data)
{
  ViRun *run = vi_window_get_run (window);
  return run != NULL && vi_run_get_iteration (run) >= GPOINTER_TO_UINT (data);
}

static gint64
run_seed (ViRun *run)
{
  gint64 seed = -1;

  g_assert_true (g_variant_lookup (vi_run_get_params (run), "seed", "x", &seed));
  return seed;
}

static gboolean
status_contains (const char *needle)
{
  g_autofree char *status = vi_window_dup_status_text (window);
  return strstr (status, needle) != NULL;
}

/* Saves the session and checks whether the bbvi page has a result: a
 * stale run's result is not what the saved settings replay to. */
static void
check_saved_result (gboolean expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("elbo-runstate-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *pages;

  g_assert_no_error (error);
  path = g_build_filename (dir, "session.json", NULL);
  g_assert_true (vi_window_save_session (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  pages = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "pages");
  g_assert_nonnull (pages);
  g_assert_true (json_object_has_member (pages, "bbvi"));
  g_assert_cmpint (json_object_has_member (json_object_get_object_member (pages, "bbvi"),
                                           "result"), ==, expected);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A trainer: an edit after the run finished starts nothing; the results
 * are stale until Run, which starts a fresh run with the new settings
 * (not a pause); editing back to the run's settings makes them current. */
static void
test_trainer_edit_after_finish (void)
{
  ViRun *run, *now;

  fresh_page ("bbvi", 3);
  g_assert_false (vi_page_is_explorer (vi_window_get_page (window)));
  bbvi_settings (200, 1);
  activate ("run-pause");
  g_assert_true (spin_until (vi_test_run_finished, window, 30));
  run = vi_window_get_run (window);
  g_assert_false (vi_window_get_results_stale (window));

  bbvi_settings (200, 2);
  spin_for (0.2);
  g_assert_true (vi_window_get_run (window) == run);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_FINISHED);
  g_assert_cmpint (run_seed (run), ==, 1);
  g_assert_true (vi_window_get_results_stale (window));
  g_assert_true (status_contains ("Stale"));
  check_saved_result (FALSE);

  /* Back to the run's settings: current again; away again: stale. */
  bbvi_settings (200, 1);
  g_assert_false (vi_window_get_results_stale (window));
  g_assert_false (status_contains ("Stale"));
  bbvi_settings (200, 2);
  g_assert_true (vi_window_get_results_stale (window));

  activate ("run-pause");
  now = vi_window_get_run (window);
  g_assert_nonnull (now);
  g_assert_true (now != run);
  g_assert_cmpint (run_seed (now), ==, 2);
  g_assert_false (vi_window_get_results_stale (window));
  g_assert_false (status_contains ("Stale"));
  g_assert_true (vi_run_get_state (now) == VI_RUN_RUNNING
                 || vi_run_get_state (now) == VI_RUN_FINISHED);
  g_assert_true (spin_until (vi_test_run_finished, window, 30));
  g_assert_true (vi_window_get_run (window) == now);
  g_assert_cmpuint (vi_run_get_iteration (now), ==, 200);
  check_saved_result (TRUE);

  /* A LIVE key (the step size) is stale after a finish too. */
  apply ("bbvi", "{" BBVI_SETTINGS ", 'step-size': <0.125>, 'iterations': <int64 200>, "
         "'seed': <int64 2>}");
  g_assert_true (vi_window_get_run (window) == now);
  g_assert_true (vi_window_get_results_stale (window));
  activate ("reset");
  g_assert_false (vi_window_get_results_stale (window));
}

static gboolean
new_finished_run (gpointer data)
{
  ViRun *run = vi_window_get_run (window);
  return run != NULL && run != data && vi_run_get_state (run) == VI_RUN_FINISHED;
}

/* An explorer: the results follow every edit, so a finished run re-runs. */
static void
test_explorer_edit_after_finish (void)
{
  ViRun *run;

  fresh_page ("expfam", 3);
  g_assert_true (vi_page_is_explorer (vi_window_get_page (window)));
  apply ("expfam", "{'family': <'gamma'>, 'shape': <2.5>, 'rate': <1.5>, "
         "'n': <int64 2000>, 'seed': <int64 1>}");
  activate ("run-pause");
  g_assert_true (spin_until (vi_test_run_finished, window, 30));
  run = vi_window_get_run (window);
  g_object_add_weak_pointer (G_OBJECT (run), (gpointer *) &run);
  apply ("expfam", "{'family': <'gamma'>, 'shape': <2.5>, 'rate': <1.5>, "
         "'n': <int64 2000>, 'seed': <int64 2>}");
  g_assert_null (run);
  g_assert_true (spin_until (new_finished_run, NULL, 30));
  g_assert_cmpint (run_seed (vi_window_get_run (window)), ==, 2);
  g_assert_false (vi_window_get_results_stale (window));
  activate ("reset");
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_mapped (w))
        return w;
      if ((found = find_widget (w, type)) != NULL)
        return found;
    }
  return NULL;
}

/* Presses @keyval on the window's step-key handler; TRUE when handled. */
static gboolean
press (guint keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean handled = FALSE;
  gboolean seen = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c)
          && g_strcmp0 (gtk_event_controller_get_name (c), "vi-step-keys") == 0)
        {
          g_signal_emit_by_name (c, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
          seen = TRUE;
        }
    }
  g_assert_true (seen);
  return handled;
}

static guint64
settled_iteration (void)
{
  ViRun *run = vi_window_get_run (window);

  spin_for (0.2);
  vi_run_update (run);
  return vi_run_get_iteration (run);
}

static gboolean
elapsed_positive (gpointer data)
{
  ViRun *run = vi_window_get_run (window);
  return run != NULL && vi_run_get_elapsed (run) > 0;
}

/* Ctrl+period is Step; Right and Page Down step unless a spin button has
 * the focus; hand steps add up to a real elapsed time. */
static void
test_step_keys (void)
{
  g_autofree char **actions = NULL;
  GtkWidget *button, *spin;
  ViRun *run;

  actions = (char **) gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                             "<Primary>period");
  g_assert_nonnull (actions);
  g_assert_true (g_strv_contains ((const char *const *) actions, "win.step"));
  g_strfreev (g_steal_pointer (&actions));

  fresh_page ("bbvi", 0);
  bbvi_settings (100000, 1);
  activate ("step");
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (1), 30));
  run = vi_window_get_run (window);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_PAUSED);
  g_assert_cmpuint (settled_iteration (), ==, 1);

  button = find_widget (GTK_WIDGET (vi_window_get_page (window)), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  gtk_widget_grab_focus (button);
  g_assert_true (press (GDK_KEY_Right));
  g_assert_cmpuint (settled_iteration (), ==, 2);
  g_assert_true (press (GDK_KEY_Page_Down));
  g_assert_cmpuint (settled_iteration (), ==, 3);
  g_assert_true (vi_window_get_run (window) == run);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_PAUSED);

  spin = find_widget (GTK_WIDGET (vi_window_get_page (window)), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_true (gtk_widget_grab_focus (spin));
  g_assert_false (press (GDK_KEY_Right));
  g_assert_false (press (GDK_KEY_Page_Down));
  g_assert_cmpuint (settled_iteration (), ==, 3);

  g_assert_true (spin_until (elapsed_positive, NULL, 5));
  g_assert_true (status_contains ("Elapsed"));
  g_assert_false (status_contains ("Elapsed 0 ms"));
  gtk_widget_grab_focus (button);
  activate ("reset");

  /* The fastest steps too (an expfam step can take under a microsecond),
   * pressed quickly: the status line still reaches the last one. */
  fresh_page ("expfam", 0);
  apply ("expfam", "{'family': <'gamma'>, 'shape': <2.5>, 'rate': <1.5>, "
         "'n': <int64 20000>, 'seed': <int64 1>}");
  for (guint i = 0; i < 3; i++)
    activate ("step");
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (3), 30));
  g_assert_true (spin_until (elapsed_positive, NULL, 5));
  activate ("reset");
}

static gboolean
run_iteration_at_least (gpointer data)
{
  ViRun *run = data;
  return vi_run_get_iteration (run) >= 20;
}

/* Switching page leaves the other page's run running. */
static void
test_switch_page_keeps_running (void)
{
  ViRun *run;

  fresh_page ("bbvi", 0);
  bbvi_settings (100000, 1);
  activate ("run-pause");
  run = g_object_ref (vi_window_get_run (window));
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (3), 30));
  g_assert_true (vi_window_set_page (window, "expfam"));
  g_assert_true (spin_until (run_iteration_at_least, run, 30));
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_RUNNING);
  g_assert_true (vi_window_set_page (window, "bbvi"));
  g_assert_true (vi_window_get_run (window) == run);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_RUNNING);
  activate ("reset");
  g_object_unref (run);
}

/* @accel in one spelling, so "<Control>q" and "<Primary>q" compare equal. */
static char *
normalise (const char *accel)
{
  guint key = 0;
  GdkModifierType mods = 0;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  return gtk_accelerator_name (key, mods);
}

/* The shortcuts window lists every accelerator the app installs, the
 * step keys and Escape included. */
static void
test_help_lists_every_key (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/elbolab/ElboLab/gtk/help-overlay.ui");
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  const char *extra[] = { "Right", "Page_Down", "Escape", "<Primary>period" };
  guint checked = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accel = NULL;
      g_auto(GStrv) keys = NULL;

      if (!g_str_equal (G_OBJECT_TYPE_NAME (l->data), "GtkShortcutsShortcut"))
        continue;
      g_object_get (l->data, "accelerator", &accel, NULL);
      keys = g_strsplit (accel != NULL ? accel : "", " ", -1);
      for (guint i = 0; keys[i] != NULL; i++)
        if (*keys[i] != '\0')
          g_hash_table_add (listed, normalise (keys[i]));
    }
  g_assert_cmpuint (g_hash_table_size (listed), >, 0);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          g_autofree char *name = normalise (accels[j]);

          if (!g_hash_table_contains (listed, name))
            g_error ("%s (%s) is not in the shortcuts window", accels[j], actions[i]);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >=, 10);
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autofree char *name = normalise (extra[i]);

      g_assert_true (g_hash_table_contains (listed, name));
    }
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  app = the_app;
  window = the_window;
  g_test_add_func ("/app/runstate/trainer-edit-after-finish", test_trainer_edit_after_finish);
  g_test_add_func ("/app/runstate/explorer-edit-after-finish", test_explorer_edit_after_finish);
  g_test_add_func ("/app/runstate/step-keys", test_step_keys);
  g_test_add_func ("/app/runstate/switch-page-keeps-running", test_switch_page_keeps_running);
  g_test_add_func ("/app/runstate/help-lists-every-key", test_help_lists_every_key);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
