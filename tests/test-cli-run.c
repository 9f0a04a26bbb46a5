/* test-cli-run.c — the CLI runner as a subprocess: SIGINT stops a run
 * cleanly, and every output (--csv, --plot, stdout) is written whole or
 * not at all, in place for devices, with failures naming the file
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "vi-test-json.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs elbo-lab-cli; @stdout_path: where its stdout goes (NULL: a pipe). */
static Result
run_cli_to (const char *stdout_path,
            const char *first,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Result r = { 0 };
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("ELBO_LAB_CLI"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE
                                        | (stdout_path == NULL ? G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                               : 0));
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, stdout_path == NULL ? &r.out : NULL, &r.err,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r.status = g_subprocess_get_exit_status (proc);
  if (r.out == NULL)
    r.out = g_strdup ("");
  return r;
}

static void
assert_one_line_naming (const Result *r,
                        const char   *needle)
{
  g_test_message ("stderr: %s", r->err);
  g_assert_nonnull (strchr (r->err, '\n'));
  g_assert_cmpuint (strchr (r->err, '\n') - r->err + 1, ==, strlen (r->err));
  if (strstr (r->err, needle) == NULL)
    g_error ("stderr '%s' does not name '%s'", r->err, needle);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* SIGINT during a long run: exit 130 soon after, one line on stderr,
 * nothing on stdout, the existing --csv untouched, no --plot file and no
 * temporary file left. */
static void
check_sigint (const char *mode)
{
  g_autofree char *dir = g_dir_make_tmp ("cli-sigint-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "keep.csv", NULL);
  g_autofree char *png = g_build_filename (dir, "new.png", NULL);
  g_autofree char *csv_after = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gboolean variance = g_strcmp0 (mode, "variance") == 0;
  gint64 t0;
  double ms;

  g_assert_true (g_file_set_contents (csv, "old contents\n", -1, NULL));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ELBO_LAB_CLI"), "bbvi",
                                      "--synthetic", "50", "--csv", csv, "--plot", png,
                                      variance ? "--variance" : "--iterations",
                                      variance ? "--repeats" : "100000000",
                                      variance ? "10000000" : NULL, NULL);
  g_assert_no_error (error);
  g_usleep (500 * G_TIME_SPAN_MILLISECOND);
  t0 = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
  g_assert_no_error (error);
  g_test_message ("%s: exited %.1f ms after SIGINT", mode, ms);
  /* 100 ms is the target; the bound leaves room for a loaded machine. */
  g_assert_cmpfloat (ms, <, 1000.0);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "elbo-lab-cli bbvi: interrupted\n");
  g_assert_true (g_file_get_contents (csv, &csv_after, NULL, NULL));
  g_assert_cmpstr (csv_after, ==, "old contents\n");
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_unlink (csv);
  g_rmdir (dir);
}

static void
test_sigint_optimize (void)
{
  check_sigint ("optimize");
}

static void
test_sigint_variance (void)
{
  check_sigint ("variance");
}

static void
test_plot_errors (void)
{
  Result missing_dir = run_cli_to (NULL, "bbvi", "--synthetic", "5", "--iterations", "3",
                                   "--plot", "/nonexistent/dir/x.png", NULL);
  Result bmp = run_cli_to (NULL, "bbvi", "--synthetic", "5", "--plot", "out.bmp", NULL);
  Result full = run_cli_to (NULL, "bbvi", "--synthetic", "5", "--plot", "/dev/full", NULL);
  Result expfam = run_cli_to (NULL, "expfam", "--family", "poisson", "--param", "rate=2",
                              "--plot", "x.gif", NULL);

  g_assert_cmpint (missing_dir.status, ==, 1);
  g_assert_cmpstr (missing_dir.out, ==, "");
  assert_one_line_naming (&missing_dir, "/nonexistent/dir/x.png");
  g_assert_cmpint (bmp.status, ==, 2);
  assert_one_line_naming (&bmp, "out.bmp");
  g_assert_cmpint (full.status, !=, 0);
  assert_one_line_naming (&full, "/dev/full");
  g_assert_cmpint (expfam.status, ==, 2);
  assert_one_line_naming (&expfam, "x.gif");
  result_clear (&missing_dir);
  result_clear (&bmp);
  result_clear (&full);
  result_clear (&expfam);
}

/* A plot in each format, through the runner's stream writer, and the
 * figure's data as CSV for expfam. */
static void
test_plot_formats (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cli-plot-XXXXXX", NULL);
  const char *const names[] = { "a.png", "a.svg", "a.pdf", "a.csv" };
  const char *const magic[] = { "\x89PNG", "<?xml", "%PDF", "" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *data = NULL;
      Result r = run_cli_to (NULL, "expfam", "--family", "gamma", "--param", "shape=2",
                             "--param", "rate=1", "--samples", "100", "--plot", path, NULL);

      g_assert_cmpint (r.status, ==, 0);
      g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
      g_assert_true (g_str_has_prefix (data, magic[i]));
      if (i == 3)
        g_assert_nonnull (strstr (data, "density p(x)"));
      g_unlink (path);
      result_clear (&r);
    }
  g_assert_cmpuint (count_entries (dir), ==, 0);
  g_rmdir (dir);
}

static void
test_devices (void)
{
  struct stat st;
  Result null_csv = run_cli_to (NULL, "bbvi", "--synthetic", "5", "--iterations", "3",
                                "--csv", "/dev/null", NULL);
  Result full_csv = run_cli_to (NULL, "bbvi", "--synthetic", "5", "--iterations", "3",
                                "--csv", "/dev/full", NULL);
  Result full_out = run_cli_to ("/dev/full", "expfam", "--family", "poisson", "--param",
                                "rate=2", "--json", NULL);
  Result stdout_csv = run_cli_to (NULL, "bbvi", "--synthetic", "5", "--iterations", "3",
                                  "--csv", "/dev/stdout", "--json", NULL);

  g_assert_cmpint (null_csv.status, ==, 0);
  g_assert_cmpint (stat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  g_assert_cmpint (full_csv.status, ==, 1);
  assert_one_line_naming (&full_csv, "/dev/full");
  g_assert_cmpint (full_out.status, ==, 1);
  assert_one_line_naming (&full_out, "/dev/stdout");
  g_assert_cmpint (stdout_csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (stdout_csv.out, "estimator,iteration,elbo"));
  g_assert_nonnull (strstr (stdout_csv.out, "\"parameters\""));
  result_clear (&null_csv);
  result_clear (&full_csv);
  result_clear (&full_out);
  result_clear (&stdout_csv);
}

/* A reader that goes away: the write fails with EPIPE (not SIGPIPE) and
 * the run exits 1 naming standard output. */
static void
test_closed_pipe (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) err = g_memory_output_stream_new_resizable ();

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ELBO_LAB_CLI"), "bbvi",
                                      "--synthetic", "50", "--iterations", "2000", NULL);
  g_assert_no_error (error);
  g_input_stream_close (g_subprocess_get_stdout_pipe (proc), NULL, NULL);
  g_output_stream_splice (err, g_subprocess_get_stderr_pipe (proc),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (g_strstr_len (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (err)),
                                  (gssize) g_memory_output_stream_get_data_size (
                                    G_MEMORY_OUTPUT_STREAM (err)), "/dev/stdout"));
}

/* Reads the pty master until the slave side is gone (EIO). */
static gpointer
read_tty (gpointer data)
{
  int master = GPOINTER_TO_INT (data);
  GString *s = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  while ((n = read (master, buf, sizeof buf)) > 0)
    g_string_append_len (s, buf, n);
  return s;
}

/* On a terminal, stderr shows a progress line (\r-updated: iteration,
 * rate, objective, ETA) that is cleared at the end; stdout is unchanged. */
static void
test_progress (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) tty = NULL;
  g_autofree char *out = NULL;
  int master = -1, slave = -1;
  GThread *reader;

  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, NULL), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_take_stderr_fd (launcher, slave);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ELBO_LAB_CLI"), "bbvi",
                                      "--synthetic", "50", "--iterations", "150000", NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);  /* closes our copy of the slave */
  reader = g_thread_new ("tty", read_tty, GINT_TO_POINTER (master));
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  tty = g_thread_join (reader);
  close (master);
  g_test_message ("%zu bytes on the terminal", tty->len);
  g_assert_true (g_str_has_prefix (out, "model "));
  g_assert_nonnull (strstr (tty->str, "\r\033[Kbbvi: iteration "));
  g_assert_nonnull (strstr (tty->str, "/150000"));
  g_assert_nonnull (strstr (tty->str, " it/s  objective "));
  g_assert_nonnull (strstr (tty->str, "ETA"));
  g_assert_true (g_str_has_suffix (tty->str, "\r\033[K"));
}

/* In a locale with a decimal comma the CLI's data stays '.': --json is
 * strict JSON, --csv and --plot FILE.csv keep one field per column. */
static void
test_locale (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cli-locale-XXXXXX", NULL);
  g_autofree char *trace = g_build_filename (dir, "trace.csv", NULL);
  g_autofree char *fig = g_build_filename (dir, "fig.csv", NULL);
  const char *loc = NULL;
  const char *const candidates[] = { "sv_SE.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8" };
  const char *const runs[][16] = {
    { "bbvi", "--synthetic", "50", "--iterations", "30", "--json", "--csv", trace, "--plot", fig,
      NULL },
    { "bbvi", "--synthetic", "50", "--variance", "--sweep-samples", "2,10,100", "--json",
      "--csv", trace, "--plot", fig, NULL },
    { "expfam", "--family", "gamma", "--param", "shape=2.5", "--param", "rate=1.5", "--json",
      "--plot", fig, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates) && loc == NULL; i++)
    if (setlocale (LC_NUMERIC, candidates[i]) != NULL)
      loc = candidates[i];
  setlocale (LC_NUMERIC, "C");
  if (loc == NULL)
    {
      g_test_skip ("no locale with a decimal comma installed");
      g_rmdir (dir);
      return;
    }
  g_setenv ("LC_ALL", loc, TRUE);
  for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
    {
      Result r = run_cli_to (NULL, runs[k][0], runs[k][1], runs[k][2], runs[k][3], runs[k][4],
                             runs[k][5], runs[k][6], runs[k][7], runs[k][8], runs[k][9],
                             runs[k][10], runs[k][11], runs[k][12], NULL);
      g_autofree char *text = NULL;

      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpuint (vi_test_assert_strict_json (r.out), >, 10);
      g_assert_true (g_file_get_contents (fig, &text, NULL, NULL));
      vi_test_assert_csv_dot (text);
      g_clear_pointer (&text, g_free);
      if (g_file_get_contents (trace, &text, NULL, NULL))
        vi_test_assert_csv_dot (text);
      g_unlink (trace);
      g_unlink (fig);
      result_clear (&r);
    }
  g_unsetenv ("LC_ALL");
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/run/sigint-optimize", test_sigint_optimize);
  g_test_add_func ("/cli/run/sigint-variance", test_sigint_variance);
  g_test_add_func ("/cli/run/plot-errors", test_plot_errors);
  g_test_add_func ("/cli/run/plot-formats", test_plot_formats);
  g_test_add_func ("/cli/run/devices", test_devices);
  g_test_add_func ("/cli/run/closed-pipe", test_closed_pipe);
  g_test_add_func ("/cli/run/progress", test_progress);
  g_test_add_func ("/cli/run/locale", test_locale);
  return g_test_run ();
}
