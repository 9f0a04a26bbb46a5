/* test-output.c — atomic file output: temp + rename, symlinks followed,
 * devices and FIFOs written in place, failures leave nothing behind
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vi-output.h"
#include "vi-test-faults.h"

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


/* ---- fault injection ------------------------------------------------------ */

#define BIG 20000   /* more than a page: the write fails part way or at once */

static char *
big_data (void)
{
  char *data = g_malloc (BIG);

  for (gsize i = 0; i < BIG; i++)
    data[i] = (char) ('a' + i % 26);
  return data;
}

/* @error is a G_IO_ERROR naming @path: "PATH: cannot write: REASON" (or
 * "is a directory"). */
static void
assert_names_file (const GError *error,
                   const char   *path)
{
  g_autofree char *prefix = g_strdup_printf ("%s: cannot write: ", path);

  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("'%s' does not start with '%s'", error->message, prefix);
  g_assert_null (strchr (error->message, '\n'));
}

/* Every way of writing @f->path fails, naming the file (as given: @shown),
 * and leaves the old file and its folder as they were. */
static void
check_fault (ViFault    *f,
             const char *shown)
{
  g_autofree char *data = big_data ();
  g_autoptr(GError) error = NULL;
  ViOutput *out;

  vi_fault_enter (f);
  /* In one go. */
  g_assert_false (vi_output_write_file (shown, data, BIG, &error));
  assert_names_file (error, shown);
  if (f->kind == VI_FAULT_DEV_FULL || (f->kind == VI_FAULT_FULL_FS && f->mounted))
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  if (f->kind == VI_FAULT_IS_DIR)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  if (f->kind == VI_FAULT_MISSING_DIR)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  vi_fault_leave (f);
  vi_fault_assert_intact (f);

  vi_fault_enter (f);
  out = vi_output_open (shown, &error);
  if (out == NULL)
    {
      /* The folder refuses the file at once. */
      g_assert_true (f->kind == VI_FAULT_READ_ONLY || f->kind == VI_FAULT_MISSING_DIR
                     || f->kind == VI_FAULT_IS_DIR);
      assert_names_file (error, shown);
      vi_fault_leave (f);
      vi_fault_assert_intact (f);
      return;
    }
  /* The space runs out: a writer that ignores the errors of the stream
   * still gets the failure from the commit (at close), and nothing is
   * left behind. */
  g_output_stream_write_all (vi_output_get_stream (out), data, BIG, NULL, NULL, NULL);
  g_output_stream_write_all (vi_output_get_stream (out), "tail", 4, NULL, NULL, NULL);
  g_assert_false (vi_output_commit (out, &error));
  assert_names_file (error, shown);
  g_clear_error (&error);
  vi_fault_leave (f);
  vi_fault_assert_intact (f);

  /* A writer that sees the error and aborts. */
  vi_fault_enter (f);
  out = vi_output_open (shown, &error);
  g_assert_no_error (error);
  g_assert_false (vi_output_printf (out, &error, "%s", data));
  assert_names_file (error, shown);
  g_clear_error (&error);
  /* Every later write fails too: no hole in the file. */
  g_assert_false (vi_output_write (out, "x", 1, &error));
  assert_names_file (error, shown);
  vi_output_abort (out);
  vi_fault_leave (f);
  vi_fault_assert_intact (f);
}

static void
test_fault (gconstpointer data)
{
  ViFaultKind kind = GPOINTER_TO_INT (data);
  /* /dev/full itself here; the symlink test reaches it through links. */
  g_autoptr(ViFault) f = vi_fault_new (kind, kind == VI_FAULT_DEV_FULL ? NULL : "model.bin",
                                       "old model\n");

  if (kind == VI_FAULT_FULL_FS && !f->mounted)
    g_test_message ("cannot mount a tmpfs here: RLIMIT_FSIZE stands in for a full file system");
  if (kind == VI_FAULT_READ_ONLY && !f->mounted)
    g_test_message ("cannot mount here: a 0555 folder%s",
                    f->as_nobody ? ", written as nobody" : "");
  check_fault (f, f->path);
}

/* The same faults reached through a symbolic link: the error names the
 * link (the name given), the link stays a link. */
static void
test_fault_symlink (gconstpointer data)
{
  ViFaultKind kind = GPOINTER_TO_INT (data);
  g_autoptr(ViFault) f = vi_fault_new (kind, "model.bin", "old model\n");
  g_autofree char *dir = make_dir ();
  g_autofree char *link = g_build_filename (dir, "link.bin", NULL);
  struct stat st;

  g_assert_cmpint (symlink (f->path, link), ==, 0);
  check_fault (f, link);
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  remove_dir (dir);
}

/* a/one -> ../b/two -> ../c/target.txt: each link relative to its own
 * folder; the target is replaced, both links stay, no temporary file. */
static void
test_relative_symlink_chain (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  g_autofree char *b = g_build_filename (dir, "b", NULL);
  g_autofree char *c = g_build_filename (dir, "c", NULL);
  g_autofree char *one = g_build_filename (a, "one", NULL);
  g_autofree char *two = g_build_filename (b, "two", NULL);
  g_autofree char *target = g_build_filename (c, "target.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_cmpint (g_mkdir (a, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (b, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (c, 0755), ==, 0);
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0604), ==, 0);
  g_assert_cmpint (symlink ("../b/two", one), ==, 0);
  g_assert_cmpint (symlink ("../c/target.txt", two), ==, 0);
  g_assert_true (vi_output_write_file (one, "through two links", 17, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (one, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (lstat (two, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (lstat (target, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0604);
  text = read_all (target);
  g_assert_cmpstr (text, ==, "through two links");
  g_assert_cmpuint (count_entries (a), ==, 1);
  g_assert_cmpuint (count_entries (b), ==, 1);
  g_assert_cmpuint (count_entries (c), ==, 1);
  /* A dangling link creates its target. */
  g_unlink (target);
  g_assert_true (vi_output_write_file (one, "new", 3, &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = read_all (target);
  g_assert_cmpstr (text, ==, "new");
  g_assert_cmpint (lstat (one, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  remove_dir (a);
  remove_dir (b);
  remove_dir (c);
  remove_dir (dir);
}

typedef struct
{
  const char *path;
  gsize       keep;    /* bytes read before closing (G_MAXSIZE: all) */
  GString    *got;
} Reader;

static gpointer
reader_thread (gpointer data)
{
  Reader *r = data;
  char buf[4096];
  int fd = g_open (r->path, O_RDONLY, 0);    /* blocks until the writer opens */
  ssize_t n;

  g_assert_cmpint (fd, >=, 0);
  while (r->got->len < r->keep && (n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (r->got, buf, n);
  close (fd);
  return NULL;
}

/* A FIFO is written in place with a reader on the other end (more than a
 * pipe buffer, so the writer waits for the reader), and is never replaced;
 * when the reader goes away, the write fails naming the FIFO. */
static void
test_fifo_reader_thread (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "pipe.csv", NULL);
  g_autofree char *data = g_malloc (200000);
  g_autoptr(GError) error = NULL;
  Reader r = { fifo, G_MAXSIZE, g_string_new (NULL) };
  struct stat before, after;
  GThread *thread;

  for (gsize i = 0; i < 200000; i++)
    data[i] = (char) ('0' + i % 10);
  g_assert_cmpint (mkfifo (fifo, 0640), ==, 0);
  g_assert_cmpint (stat (fifo, &before), ==, 0);
  thread = g_thread_new ("reader", reader_thread, &r);
  g_assert_true (vi_output_write_file (fifo, data, 200000, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  g_assert_cmpmem (r.got->str, r.got->len, data, 200000);
  g_assert_cmpint (stat (fifo, &after), ==, 0);
  g_assert_true (S_ISFIFO (after.st_mode));
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  /* The reader takes one buffer and leaves: EPIPE (SIGPIPE is ignored, as
   * the CLI does), an error naming the FIFO, which stays a FIFO. */
  g_string_truncate (r.got, 0);
  r.keep = 1;
  thread = g_thread_new ("reader", reader_thread, &r);
  g_assert_false (vi_output_write_file (fifo, data, 200000, &error));
  assert_names_file (error, fifo);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_thread_join (thread);
  g_assert_cmpint (stat (fifo, &after), ==, 0);
  g_assert_true (S_ISFIFO (after.st_mode));
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_string_free (r.got, TRUE);
  remove_dir (dir);
}

/* A pipe named by /dev/fd/N (what a shell's >(…) gives) is written in place:
 * its link names "pipe:[…]", no file to resolve. So is a FIFO reached
 * through a symbolic link, which stays a link. */
static void
test_dev_fd_pipe (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *link = g_build_filename (dir, "link.csv", NULL);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  char buf[32] = { 0 };
  struct stat st;
  int fds[2], rd;

  g_assert_cmpint (pipe (fds), ==, 0);
  name = g_strdup_printf ("/dev/fd/%d", fds[1]);
  g_assert_true (vi_output_write_file (name, "through /dev/fd", 15, &error));
  g_assert_no_error (error);
  close (fds[1]);
  g_assert_cmpint (read (fds[0], buf, sizeof buf - 1), ==, 15);
  g_assert_cmpstr (buf, ==, "through /dev/fd");
  close (fds[0]);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("fifo", link), ==, 0);
  rd = g_open (fifo, O_RDONLY | O_NONBLOCK, 0);
  g_assert_cmpint (rd, >=, 0);
  g_assert_true (vi_output_write_file (link, "via link", 8, &error));
  g_assert_no_error (error);
  memset (buf, 0, sizeof buf);
  g_assert_cmpint (read (rd, buf, sizeof buf - 1), ==, 8);
  g_assert_cmpstr (buf, ==, "via link");
  close (rd);
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (stat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_assert_cmpuint (count_entries (dir), ==, 2);
  remove_dir (dir);
}

/* A file whose name is NAME_MAX bytes long (here 85 three-byte
 * characters) is replaced although ".NAME.XXXXXX" would be too long: the
 * temporary file gets a shortened name, cut between characters. */
static void
test_long_name (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *path = NULL, *text = NULL;
  g_autoptr(GError) error = NULL;
  ViOutput *out;
  int fd;

  for (guint i = 0; i < 85; i++)
    g_string_append (name, "\xe2\x82\xac");    /* € */
  g_assert_cmpuint (name->len, ==, 255);
  path = g_build_filename (dir, name->str, NULL);
  /* Not g_file_set_contents(): its own temporary name would be too long. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "old", 3), ==, 3);
  close (fd);
  out = vi_output_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (vi_output_write (out, "new", 3, &error));
  g_assert_cmpuint (count_entries (dir), ==, 2);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *entry;

    while ((entry = g_dir_read_name (d)) != NULL)
      if (entry[0] == '.')
        g_assert_true (g_utf8_validate (entry, -1, NULL));
  }
  g_assert_true (vi_output_commit (out, &error));
  g_assert_no_error (error);
  text = read_all (path);
  g_assert_cmpstr (text, ==, "new");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  remove_dir (dir);
}

/* Replacing a file keeps its owner, group and mode (as root, which the
 * suite runs as here and in CI; anyone else keeps the mode and gets the
 * file, as with any editor that saves by renaming). */
static void
test_replace_keeps_owner (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "shared.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean root = geteuid () == 0;
  struct stat st;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  if (root)
    g_assert_cmpint (chown (path, 65534, 65534), ==, 0);
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_true (vi_output_write_file (path, "new", 3, &error));
  g_assert_no_error (error);
  text = read_all (path);
  g_assert_cmpstr (text, ==, "new");
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_cmpuint (st.st_uid, ==, root ? 65534 : geteuid ());
  if (root)
    g_assert_cmpuint (st.st_gid, ==, 65534);
  remove_dir (dir);
}

typedef struct
{
  const char *dir;
  guint       index;
  gint       *stop;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  for (guint i = 0; !g_atomic_int_get (w->stop); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/w%u-%u.txt", w->dir, w->index, i);

      /* A new file each time: only they need the umask. */
      g_assert_true (vi_output_write_file (path, "x", 1, NULL));
      g_unlink (path);
    }
  return NULL;
}

/* Outputs opened in other threads never change the mode of files this one
 * creates: vi-output does not read the umask by setting it (umask (0), then
 * back), which gave files created meanwhile mode 0666 under umask 022. */
static void
test_umask_threads (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *mine = g_build_filename (dir, "mine", NULL);
  gint stop = 0;
  Writer w[3];
  GThread *threads[3];
  mode_t old = umask (022);

  for (guint i = 0; i < G_N_ELEMENTS (w); i++)
    {
      w[i] = (Writer) { dir, i, &stop };
      threads[i] = g_thread_new ("writer", writer_thread, &w[i]);
    }
  for (guint i = 0; i < 3000; i++)
    {
      struct stat st;
      int fd = g_open (mine, O_WRONLY | O_CREAT | O_EXCL, 0666);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (fstat (fd, &st), ==, 0);
      close (fd);
      g_unlink (mine);
      g_assert_cmpint (st.st_mode & 0777, ==, 0644);
    }
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < G_N_ELEMENTS (w); i++)
    g_thread_join (threads[i]);
  umask (old);
  remove_dir (dir);
}

/* vi_output_check() refuses what vi_output_open() refuses, leaving
 * nothing behind, and does not wait on a FIFO without a reader. */
static void
test_check (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fresh = g_build_filename (dir, "new.csv", NULL);
  g_autofree char *old = g_build_filename (dir, "old.csv", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  for (int k = VI_FAULT_READ_ONLY; k <= VI_FAULT_IS_DIR; k++)
    {
      g_autoptr(ViFault) f = vi_fault_new (k, "out.csv", "old\n");

      vi_fault_enter (f);
      g_assert_false (vi_output_check (f->path, &error));
      vi_fault_leave (f);
      assert_names_file (error, f->path);
      g_clear_error (&error);
      vi_fault_assert_intact (f);
    }
  g_assert_true (vi_output_check (fresh, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (old, "kept", -1, NULL));
  g_assert_true (vi_output_check (old, &error));
  g_assert_no_error (error);
  text = read_all (old);
  g_assert_cmpstr (text, ==, "kept");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (vi_output_check (fifo, &error));
  g_assert_true (vi_output_check ("/dev/full", &error));
  g_assert_true (vi_output_check ("-", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 2);
  remove_dir (dir);
}

/* A writer still holding the stream after the commit gets an error, not a
 * write to a closed (maybe reused) descriptor. */
static void
test_stream_after_commit (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  ViOutput *out = vi_output_open (path, &error);

  g_assert_no_error (error);
  stream = g_object_ref (vi_output_get_stream (out));
  g_assert_cmpstr (vi_output_stream_get_path (stream), ==, path);
  g_assert_true (g_output_stream_write_all (stream, "done", 4, NULL, NULL, &error));
  g_assert_true (vi_output_commit (out, &error));
  g_assert_false (g_output_stream_write_all (stream, "late", 4, NULL, NULL, &error));
  g_assert_nonnull (error);
  text = read_all (path);
  g_assert_cmpstr (text, ==, "done");
  g_assert_null (vi_output_stream_get_path (G_OUTPUT_STREAM (
    g_memory_output_stream_new_resizable ())));
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  vi_test_faults_init ();
  signal (SIGPIPE, SIG_IGN);
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
  for (int k = 0; k < VI_FAULT_N; k++)
    {
      g_autofree char *name = g_strdup_printf ("/core/output/fault/%s", vi_fault_names[k]);
      g_autofree char *link = g_strdup_printf ("/core/output/fault-symlink/%s",
                                               vi_fault_names[k]);

      g_test_add_data_func (name, GINT_TO_POINTER (k), test_fault);
      g_test_add_data_func (link, GINT_TO_POINTER (k), test_fault_symlink);
    }
  g_test_add_func ("/core/output/relative-symlink-chain", test_relative_symlink_chain);
  g_test_add_func ("/core/output/fifo-reader-thread", test_fifo_reader_thread);
  g_test_add_func ("/core/output/stream-after-commit", test_stream_after_commit);
  g_test_add_func ("/core/output/dev-fd-pipe", test_dev_fd_pipe);
  g_test_add_func ("/core/output/long-name", test_long_name);
  g_test_add_func ("/core/output/replace-keeps-owner", test_replace_keeps_owner);
  g_test_add_func ("/core/output/umask-threads", test_umask_threads);
  g_test_add_func ("/core/output/check", test_check);
  return g_test_run ();
}
