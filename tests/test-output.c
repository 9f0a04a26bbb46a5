/* test-output.c — atomic file output: temp + rename, symlinks followed,
 * devices and FIFOs written in place, failures leave nothing behind
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vi-output.h"

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("vi-output-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
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

static char *
read_all (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_new_file (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  ViOutput *out;
  struct stat st;
  mode_t mask;

  out = vi_output_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (vi_output_printf (out, &error, "x=%d\n", 42));
  /* Nothing at the destination before the commit. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (vi_output_commit (out, &error));
  g_assert_no_error (error);
  text = read_all (path);
  g_assert_cmpstr (text, ==, "x=42\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  /* New files get 0666 & ~umask, not mkstemp's 0600. */
  mask = umask (0);
  umask (mask);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);
  remove_dir (dir);
}

static void
test_replace_keeps_mode_and_old_until_commit (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "a.csv", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  ViOutput *out;
  struct stat st;

  g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  out = vi_output_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (vi_output_write (out, "new\n", 4, &error));
  before = read_all (path);
  g_assert_cmpstr (before, ==, "old\n");
  g_assert_true (vi_output_commit (out, &error));
  after = read_all (path);
  g_assert_cmpstr (after, ==, "new\n");
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  remove_dir (dir);
}

static void
test_abort_leaves_nothing (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.png", NULL);
  g_autofree char *old = g_build_filename (dir, "q.png", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  ViOutput *out;

  out = vi_output_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (vi_output_write (out, "partial", 7, &error));
  vi_output_abort (out);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  /* An existing file is left as it was. */
  g_assert_true (g_file_set_contents (old, "kept", -1, NULL));
  out = vi_output_open (old, &error);
  g_assert_no_error (error);
  g_assert_true (vi_output_write (out, "partial", 7, &error));
  vi_output_abort (out);
  text = read_all (old);
  g_assert_cmpstr (text, ==, "kept");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  vi_output_abort (NULL);
  remove_dir (dir);
}

static void
test_symlink_followed (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *target = g_build_filename (dir, "target.txt", NULL);
  g_autofree char *link = g_build_filename (dir, "link.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink ("target.txt", link), ==, 0);
  g_assert_true (vi_output_write_file (link, "via link", 8, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  text = read_all (target);
  g_assert_cmpstr (text, ==, "via link");
  g_assert_cmpuint (count_entries (dir), ==, 2);
  remove_dir (dir);
}

static void
test_device_in_place (void)
{
  g_autoptr(GError) error = NULL;
  struct stat before, after;

  /* /dev/null is written in place: still the same character device. */
  g_assert_cmpint (stat ("/dev/null", &before), ==, 0);
  g_assert_true (vi_output_write_file ("/dev/null", "xyz", 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat ("/dev/null", &after), ==, 0);
  g_assert_true (S_ISCHR (after.st_mode));
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_assert_cmpuint (before.st_rdev, ==, after.st_rdev);
}

static void
test_full_device_fails (void)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_assert_false (vi_output_write_file ("/dev/full", "xyz", 3, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "/dev/full: cannot write"));
}

static void
test_fifo_in_place (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_autoptr(GError) error = NULL;
  char buf[16] = { 0 };
  ssize_t n;
  int rd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* A reader holding the FIFO open (non-blocking) lets the writer open it. */
  rd = g_open (fifo, O_RDONLY | O_NONBLOCK, 0);
  g_assert_cmpint (rd, >=, 0);
  g_assert_true (vi_output_write_file (fifo, "fifo!", 5, &error));
  g_assert_no_error (error);
  n = read (rd, buf, sizeof buf - 1);
  g_assert_cmpint (n, ==, 5);
  g_assert_cmpstr (buf, ==, "fifo!");
  close (rd);
  g_assert_true (g_file_test (fifo, G_FILE_TEST_EXISTS));
  remove_dir (dir);
}

static void
test_errors_name_the_file (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir.txt", NULL);
  g_autofree char *loop = g_build_filename (dir, "loop", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (vi_output_open (dir, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_true (g_str_has_prefix (error->message, dir));
  g_clear_error (&error);

  g_assert_null (vi_output_open (missing, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);

  g_assert_cmpint (symlink ("loop", loop), ==, 0);
  g_assert_null (vi_output_open (loop, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, loop));
  g_clear_error (&error);

  g_assert_null (vi_output_open ("", &error));
  g_assert_nonnull (error);
  remove_dir (dir);
}

static void
test_stdout_closed_pipe (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      int fds[2];
      gboolean ok;

      /* Standard output is a pipe whose reader has gone: EPIPE, not a crash
       * (SIGPIPE ignored as the CLI does). */
      signal (SIGPIPE, SIG_IGN);
      g_assert_cmpint (pipe (fds), ==, 0);
      close (fds[0]);
      g_assert_cmpint (dup2 (fds[1], STDOUT_FILENO), ==, STDOUT_FILENO);
      ok = vi_output_write_file ("-", "lost", 4, &error);
      g_assert_false (ok);
      g_printerr ("%s\n", error->message);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("-: cannot write: *");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/output/new-file", test_new_file);
  g_test_add_func ("/core/output/replace", test_replace_keeps_mode_and_old_until_commit);
  g_test_add_func ("/core/output/abort", test_abort_leaves_nothing);
  g_test_add_func ("/core/output/symlink", test_symlink_followed);
  g_test_add_func ("/core/output/device", test_device_in_place);
  g_test_add_func ("/core/output/full", test_full_device_fails);
  g_test_add_func ("/core/output/fifo", test_fifo_in_place);
  g_test_add_func ("/core/output/errors", test_errors_name_the_file);
  g_test_add_func ("/core/output/stdout-closed-pipe", test_stdout_closed_pipe);
  return g_test_run ();
}
