/* test-app-session.c — the app with hostile session files, sessions given
 * on the command line, long strings and a failing --screenshot
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "vi-application.h"
#include "vi-util.h"
#include "vi-test-app.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *window;

#define HEAD "{\"format\": \"elbo-lab-session\", \"version\": 1, "

typedef struct
{
  gboolean done;
  gboolean opened;
  GError *error;
} Opening;

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Opening *o = user_data;

  o->opened = vi_window_open_session_finish (VI_WINDOW (source), result, &o->error);
  o->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Opening *) data)->done;
}

static gboolean
page_is (gpointer data)
{
  return g_strcmp0 (vi_page_get_name (vi_window_get_page (window)), data) == 0;
}

/* `elbo-lab FILE` (and the file manager) open the session FILE: in the
 * running instance through GApplication's open, and in a new process
 * without the GLib-GIO-CRITICAL "This application can not open files". */
static void
test_open_from_command_line (void)
{
  const char *exe = g_getenv ("ELBO_LAB_APP");
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.elbo-session.json", NULL);
  g_autofree char *png = g_build_filename (dir, "shot.png", NULL);
  const char *argv[] = { exe, "--screenshot", png, "--after", "0.3", path, NULL };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GVariant) settings = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  double a = 0;
  int status;

  g_assert_true (g_file_set_contents (path, HEAD "\"page\": \"bbvi\", \"pages\": {\"expfam\": "
                                      "{\"settings\": {\"family\": \"beta\", \"a\": 4.5, "
                                      "\"b\": 5.0}}}}", -1, NULL));
  g_assert_true (vi_window_set_page (window, "expfam"));
  g_application_open (G_APPLICATION (app), &file, 1, "");
  g_assert_true (spin_until (page_is, "bbvi", 30));
  settings = vi_page_dup_settings (vi_window_get_page_by_name (window, "expfam"), NULL);
  g_assert_true (vi_settings_lookup_number (settings, "a", &a));
  g_assert_cmpfloat (a, ==, 4.5);

  g_assert_nonnull (exe);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &status, &error);
  g_assert_no_error (error);
  if (strstr (err, "CRITICAL") != NULL || strstr (err, "can not open") != NULL)
    g_error ("elbo-lab FILE printed: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_unlink (png);
  g_unlink (path);
  g_rmdir (dir);
}

/* Data files that are devices or FIFOs, and a counts file that is
 * /dev/zero, neither block nor read forever: the session opens at once
 * with a warning for each. */
static void
test_hostile_data_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.elbo-session.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *json = NULL;
  const char *const *warnings;
  Opening o = { 0 };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  json = g_strdup_printf (HEAD "\"page\": \"bbvi\", \"pages\": {\"bbvi\": {\"settings\": "
                          "{\"counts-file\": \"/dev/zero\"}, \"data_files\": ["
                          "{\"path\": \"/dev/zero\", \"sha256\": \"0\"}, "
                          "{\"path\": \"%s\", \"sha256\": \"0\"}]}}}", fifo);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  vi_window_open_session_async (window, path, opened_cb, &o);
  g_assert_true (spin_until (is_done, &o, 30));
  g_assert_no_error (o.error);
  g_assert_true (o.opened);
  warnings = vi_window_get_session_warnings (window);
  g_assert_cmpuint (g_strv_length ((char **) warnings), ==, 2);
  g_assert_nonnull (strstr (warnings[0], "/dev/zero: not a regular file"));
  g_assert_nonnull (strstr (warnings[1], fifo));
  g_unlink (path);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* The longest text of a label under @w. */
static glong
longest_label (GtkWidget *w)
{
  glong longest = GTK_IS_LABEL (w) ? g_utf8_strlen (gtk_label_get_label (GTK_LABEL (w)), -1)
                                    : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      glong n = longest_label (c);

      longest = MAX (longest, n);
    }
  return longest;
}

/* A 20 000-character path froze the UI for minutes in text layout: the
 * session is refused at once, naming the setting, and a toast shows a long
 * message elided in the middle. A 4000-character path (a session may hold
 * up to 4096 bytes) is taken, and the page's error about it is elided. */
static void
test_long_strings (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.elbo-session.json", NULL);
  g_autofree char *name = g_strnfill (20000, 'x');
  char *json = g_strdup_printf (HEAD "\"pages\": {\"bbvi\": {\"settings\": "
                                "{\"counts-file\": \"/%s\"}}}}", name);
  g_autofree char *message = g_strconcat ("/start/", name, "/end.txt: cannot read", NULL);
  g_autoptr(GError) error = NULL;
  AdwToast *toast;
  const char *title;

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  g_assert_false (vi_window_open_session (window, path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "counts-file"));
  g_assert_nonnull (strstr (error->message, "longer than 4096 bytes"));

  toast = vi_widget_toast (GTK_WIDGET (vi_window_get_page (window)), message);
  g_assert_nonnull (toast);
  title = adw_toast_get_title (toast);
  g_assert_cmpint (g_utf8_strlen (title, -1), ==, VI_ELIDE_MAX_CHARS);
  g_assert_true (g_str_has_prefix (title, "/start/"));
  g_assert_true (g_str_has_suffix (title, "/end.txt: cannot read"));
  g_assert_nonnull (strstr (title, "…"));
  adw_toast_dismiss (toast);

  g_clear_error (&error);
  name[4000] = '\0';
  g_free (json);
  json = g_strdup_printf (HEAD "\"page\": \"bbvi\", \"pages\": {\"bbvi\": {\"settings\": "
                          "{\"counts-file\": \"/%s\"}}}}", name);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  g_assert_true (vi_window_open_session (window, path, &error));
  g_assert_no_error (error);
  spin_for (0.3);
  g_assert_cmpint (longest_label (GTK_WIDGET (window)), <=, 1000);
  g_free (json);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_elide_middle (void)
{
  g_autofree char *same = vi_elide_middle ("short", 10);
  g_autofree char *cut = vi_elide_middle ("abcdefghij", 5);
  g_autofree char *even = vi_elide_middle ("abcdefghij", 6);
  /* Multi-byte characters are never split. */
  g_autofree char *utf8 = vi_elide_middle ("ååååäääööö", 5);
  g_autofree char *invalid = vi_elide_middle ("ab\xff" "cd", 10);

  g_assert_cmpstr (same, ==, "short");
  g_assert_cmpstr (cut, ==, "ab…ij");
  g_assert_cmpstr (even, ==, "abc…ij");
  g_assert_cmpstr (utf8, ==, "åå…öö");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
}

/* --screenshot to a path that cannot be written fails at once (it retried
 * for ~23 s), with an error naming the file and exit status 1: with
 * --after 3600 it would otherwise wait an hour. */
static void
test_screenshot_unwritable (void)
{
  const char *exe = g_getenv ("ELBO_LAB_APP");
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-shot-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "shot.png", NULL);
  const char *pngs[] = { missing, dir };

  for (guint i = 0; i < G_N_ELEMENTS (pngs); i++)
    {
      const char *argv[] = { exe, "--screenshot", pngs[i], "--after", "3600", NULL };
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                    &err, &status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 1);
      g_assert_nonnull (strstr (err, pngs[i]));
      g_assert_nonnull (strstr (err, "cannot write"));
    }
  g_rmdir (dir);
}

static void
add_tests (ViApplication *a,
           ViWindow      *w)
{
  app = a;
  window = w;
  g_test_add_func ("/app/session/open-from-command-line", test_open_from_command_line);
  g_test_add_func ("/app/session/hostile-data-files", test_hostile_data_files);
  g_test_add_func ("/app/session/long-strings", test_long_strings);
  g_test_add_func ("/app/util/elide-middle", test_elide_middle);
  g_test_add_func ("/app/screenshot/unwritable", test_screenshot_unwritable);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
