/* test-app-run.c — the window's side of the runner protocol under Xvfb:
 * LIVE edits keep the run, DATA edits restart it, the speed drop-down
 * never restarts, snapshots are shared by reference
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <glib/gstdio.h>

#include "vi-application.h"
#include "vi-bbvi-page.h"
#include "vi-model-page.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-window.h"

#define SETTINGS "'alpha': <2.0>, 'beta': <1.0>, 'synthetic-n': <int64 50>, " \
                 "'true-rate': <4.0>, 'family': <'exponential'>, " \
                 "'estimators': <'naive,cv'>, 'samples': <int64 100>, " \
                 "'optimizer': <'adam'>, 'iterations': <int64 100000>"

static ViWindow *window;

static ViPage *
bbvi_page (void)
{
  return vi_window_get_page_by_name (window, "bbvi");
}

static void
activate (const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static void
apply_settings (const char *seed,
                const char *step_size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{" SETTINGS ", 'seed': <int64 %s>, "
                                           "'step-size': <%s>}", seed, step_size);
  g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (vi_page_set_settings (bbvi_page (), v, &error));
  g_assert_no_error (error);
}

static gboolean
iteration_at_least (gpointer data)
{
  ViRun *run = vi_window_get_run (window);
  return run != NULL && vi_run_get_iteration (run) >= GPOINTER_TO_UINT (data);
}

/* Starts a long bbvi run at one step per frame and waits for 3 steps. */
static ViRun *
start_run (void)
{
  ViRun *run;

  g_assert_true (vi_window_set_page (window, "bbvi"));
  activate ("reset");
  activate ("clear-history");
  apply_settings ("1", "0.05");
  set_window_speed (GTK_WIDGET (window), 0);
  activate ("run-pause");
  run = vi_window_get_run (window);
  g_assert_nonnull (run);
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (3), 30));
  return run;
}

static double
run_step_size (ViRun *run)
{
  double step = 0;

  g_assert_true (g_variant_lookup (vi_run_get_params (run), "step-size", "d", &step));
  return step;
}

/* Editing the step size of a running run applies it between steps: the
 * same run keeps going and its iteration count is not reset. */
static void
test_live_edit_keeps_run (void)
{
  ViRun *run = start_run ();
  guint64 it = vi_run_get_iteration (run);

  g_object_add_weak_pointer (G_OBJECT (run), (gpointer *) &run);
  apply_settings ("1", "0.125");
  spin_for (0.1);
  g_assert_true (run == vi_window_get_run (window));
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_RUNNING);
  g_assert_cmpuint (vi_run_get_iteration (run), >=, it);
  g_assert_cmpfloat (run_step_size (run), ==, 0.125);
  g_assert_true (spin_until (iteration_at_least, GUINT_TO_POINTER (it + 2), 30));
  g_object_remove_weak_pointer (G_OBJECT (run), (gpointer *) &run);
  activate ("reset");
}

/* A DATA edit (the seed draws the synthetic counts) still restarts. */
static void
test_data_edit_restarts (void)
{
  ViRun *run = start_run ();
  ViRun *now;

  g_object_add_weak_pointer (G_OBJECT (run), (gpointer *) &run);
  apply_settings ("2", "0.05");
  spin_for (0.05);
  g_assert_null (run);
  now = vi_window_get_run (window);
  g_assert_nonnull (now);
  g_assert_cmpint (vi_run_get_state (now), ==, VI_RUN_RUNNING);
  activate ("reset");
}

/* The speed drop-down changes the pace, never the run. */
static void
test_speed_keeps_run (void)
{
  ViRun *run = start_run ();
  guint64 it;

  g_object_add_weak_pointer (G_OBJECT (run), (gpointer *) &run);
  for (guint sel = 1; sel < 4; sel++)
    {
      it = vi_run_get_iteration (run);
      set_window_speed (GTK_WIDGET (window), sel);
      spin_for (0.05);
      g_assert_true (run == vi_window_get_run (window));
      g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_RUNNING);
      g_assert_cmpuint (vi_run_get_iteration (run), >=, it);
    }
  g_assert_cmpuint (vi_run_get_steps_per_frame (run), ==, 0);
  g_object_remove_weak_pointer (G_OBJECT (run), (gpointer *) &run);
  activate ("reset");
}

/* The page shows the run's snapshot itself, and the history keeps that
 * same box after the run is gone: shared references, not copies. */
static void
test_snapshots_shared (void)
{
  ViRun *run = start_run ();
  ViModelPage *page = VI_MODEL_PAGE (bbvi_page ());
  gconstpointer shown;
  const ViBbviSnapshot *kept;
  guint64 iteration;

  activate ("run-pause");
  spin_for (0.2);
  vi_run_update (run);
  g_assert_nonnull (vi_run_get_snapshot (run));
  g_assert_true (vi_model_page_get_snapshot (page) == vi_run_get_snapshot (run));
  shown = vi_model_page_get_snapshot (page);
  iteration = ((const ViBbviSnapshot *) shown)->iteration;
  g_assert_cmpuint (iteration, >, 0);

  activate ("reset");
  g_assert_null (vi_window_get_run (window));
  g_assert_cmpuint (vi_model_page_get_n_history (page), ==, 1);
  kept = vi_model_page_get_history_snapshot (page, 0);
  g_assert_true ((gconstpointer) kept == shown);
  /* Still valid with the run freed (under ASan a use after free fails). */
  g_assert_cmpuint (kept->iteration, ==, iteration);
  g_assert_cmpuint (kept->traces[0].len, ==, iteration);
  activate ("clear-history");
}

/* A session whose data file is /dev/zero or a FIFO does not hang the UI:
 * the file is refused, and the message names it. */
static void
test_session_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  const char *data[] = { "/dev/zero", fifo };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = g_strdup_printf (
        "{\"format\": \"elbo-lab-session\", \"version\": 1, \"page\": \"bbvi\", "
        "\"pages\": {\"bbvi\": {\"settings\": {\"counts-file\": \"%s\"}, "
        "\"data_files\": [{\"path\": \"%s\", \"sha256\": \"%064d\"}]}}}",
        data[i], data[i], 0);
      gint64 t0 = g_get_monotonic_time ();
      gboolean opened;
      const char *const *warnings;
      gboolean named = FALSE;

      g_assert_true (g_file_set_contents (path, json, -1, NULL));
      opened = vi_window_open_session (window, path, &error);
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
      if (!opened)
        named = strstr (error->message, data[i]) != NULL;
      warnings = vi_window_get_session_warnings (window);
      for (guint k = 0; opened && warnings != NULL && warnings[k] != NULL; k++)
        named |= strstr (warnings[k], data[i]) != NULL
                 && strstr (warnings[k], "not a regular file") != NULL;
      g_assert_true (named);
    }
  g_unlink (fifo);
  g_unlink (path);
  g_rmdir (dir);
}

typedef struct
{
  gboolean opening;             /* vi_window_open_session_async() pending */
  gboolean opened;
  GError *error;
  guint ticks_opening;
  gint64 last;
  gint64 max_gap;
} Opening;

static gboolean
opening_tick_cb (gpointer data)
{
  Opening *o = data;
  gint64 now = g_get_monotonic_time ();

  if (o->opening)
    o->ticks_opening++;
  if (o->last != 0)
    o->max_gap = MAX (o->max_gap, now - o->last);
  o->last = now;
  return G_SOURCE_CONTINUE;
}

static void
session_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Opening *o = data;

  o->opened = vi_window_open_session_finish (VI_WINDOW (source), result, &o->error);
  o->opening = FALSE;
}

static gboolean
done_opening (gpointer data)
{
  return !((Opening *) data)->opening;
}

static gboolean
bbvi_loaded (gpointer data)
{
  return !vi_bbvi_page_is_loading (VI_BBVI_PAGE (bbvi_page ()));
}

/* Opens the session at @path with vi_window_open_session_async(), counting
 * the ticks of a 1 ms timeout meanwhile. */
static void
open_session_async (const char *path,
                    Opening    *o)
{
  guint source = g_timeout_add (1, opening_tick_cb, o);

  o->opening = TRUE;
  vi_window_open_session_async (window, path, session_opened_cb, o);
  /* It returns before the session is read: the callback comes later. */
  g_assert_true (o->opening);
  g_assert_true (spin_until (done_opening, o, 120));
  g_source_remove (source);
}

/* Opening a session whose data files are several MB hashes them on a worker:
 * the main loop keeps running meanwhile, and the warning about the changed
 * file names it; the bbvi page then loads it, also without blocking. A
 * session a page refuses fails naming the session, changing nothing. */
static void
test_session_large_data (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.json", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *data = g_build_filename (dir, "large.txt", NULL);
  g_autofree char *blob = g_build_filename (dir, "blob.bin", NULL);
  g_autofree char *zeros = g_malloc0 (48 << 20);
  g_autofree char *json = NULL;
  g_autofree char *bad_json = NULL;
  GString *text = g_string_new (NULL);
  Opening o = { 0 };
  Opening bad = { 0 };
  const char *const *warnings;
  gboolean named = FALSE;

  for (guint i = 0; i < 3000000; i++)
    g_string_append_printf (text, "%u\n", i % 100);
  g_assert_true (g_file_set_contents (data, text->str, (gssize) text->len, NULL));
  g_string_free (text, TRUE);
  /* A larger file, only hashed, so that hashing takes a while. */
  g_assert_true (g_file_set_contents (blob, zeros, 48 << 20, NULL));
  json = g_strdup_printf (
    "{\"format\": \"elbo-lab-session\", \"version\": 1, \"page\": \"bbvi\", "
    "\"pages\": {\"bbvi\": {\"settings\": {\"counts-file\": \"%s\"}, "
    "\"data_files\": [{\"path\": \"%s\", \"sha256\": \"%064d\"}, "
    "{\"path\": \"%s\", \"sha256\": \"%064d\"}]}}}", data, data, 0, blob, 0);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));

  open_session_async (path, &o);
  g_test_message ("%u ticks while opening, longest gap %" G_GINT64_FORMAT " µs",
                  o.ticks_opening, o.max_gap);
  g_assert_no_error (o.error);
  g_assert_true (o.opened);
  g_assert_cmpuint (o.ticks_opening, >, 0);
  g_assert_cmpint (o.max_gap, <, G_USEC_PER_SEC);
  warnings = vi_window_get_session_warnings (window);
  for (guint k = 0; warnings != NULL && warnings[k] != NULL; k++)
    named |= strstr (warnings[k], data) != NULL;
  g_assert_true (named);
  g_assert_true (spin_until (bbvi_loaded, NULL, 120));
  g_assert_null (vi_model_page_get_error (VI_MODEL_PAGE (bbvi_page ())));

  /* A second page the window does not know: refused, nothing changed. */
  bad_json = g_strdup_printf (
    "{\"format\": \"elbo-lab-session\", \"version\": 1, \"page\": \"bbvi\", "
    "\"pages\": {\"bbvi\": {\"settings\": {\"counts-file\": \"%s/other.txt\"}}, "
    "\"nosuch\": {\"settings\": {}}}}", dir);
  g_assert_true (g_file_set_contents (bad_path, bad_json, -1, NULL));
  open_session_async (bad_path, &bad);
  g_assert_false (bad.opened);
  g_assert_nonnull (bad.error);
  g_assert_nonnull (strstr (bad.error->message, bad_path));
  g_clear_error (&bad.error);
  {
    g_auto(GStrv) files = vi_page_dup_data_files (bbvi_page ());

    g_assert_cmpstr (files[0], ==, data);
  }
  g_unlink (data);
  g_unlink (blob);
  g_unlink (path);
  g_unlink (bad_path);
  g_rmdir (dir);
}

static void
add_tests (ViApplication *app,
           ViWindow      *the_window)
{
  window = the_window;
  g_test_add_func ("/app/window/live-edit-keeps-run", test_live_edit_keeps_run);
  g_test_add_func ("/app/window/data-edit-restarts", test_data_edit_restarts);
  g_test_add_func ("/app/window/speed-keeps-run", test_speed_keeps_run);
  g_test_add_func ("/app/window/snapshots-shared", test_snapshots_shared);
  g_test_add_func ("/app/session/data-not-regular", test_session_not_regular);
  g_test_add_func ("/app/session/large-data-async", test_session_large_data);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
