/* test-counts.c — the counts-file reader and the synthetic Poisson source
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "vi-core-autocleanups.h"
#include "vi-counts.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-test-util.h"

static char *
write_temp (const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("bbvi-counts-XXXXXX.txt", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_counts_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp ("# counts\n3\n\n  7  # seven\n+0\r\n12", -1);
  g_autofree guint64 *x = NULL;
  size_t n = 0;

  x = vi_counts_read (path, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (x[0], ==, 3);
  g_assert_cmpuint (x[1], ==, 7);
  g_assert_cmpuint (x[2], ==, 0);
  g_assert_cmpuint (x[3], ==, 12);
  g_unlink (path);
}

static void
check_bad_file (const char *contents,
                gssize      len,
                int         code,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp (contents, len);
  g_autofree guint64 *x = NULL;
  size_t n = 99;

  x = vi_counts_read (path, &n, &error);
  g_assert_null (x);
  g_assert_cmpuint (n, ==, 0);
  g_assert_error (error, VI_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  if (strstr (error->message, needle) == NULL)
    g_error ("message '%s' lacks '%s'", error->message, needle);
  g_unlink (path);
}

static void
test_counts_errors (void)
{
  g_autoptr(GError) error = NULL;
  size_t n;

  check_bad_file ("1\n2\n-3\n", -1, VI_EFORMAT, ":3: negative count (got '-3')");
  check_bad_file ("1\n2.5\n", -1, VI_EFORMAT, ":2: not a non-negative integer (got '2.5')");
  check_bad_file ("1\nabc\n", -1, VI_EFORMAT, ":2: not a non-negative integer");
  check_bad_file ("1 2\n", -1, VI_EFORMAT, ":1: not a non-negative integer");
  check_bad_file ("", 0, VI_EFORMAT, "no counts");
  check_bad_file ("# nothing\n\n", -1, VI_EFORMAT, "no counts");
  check_bad_file ("1\n\x7f" "ELF\x02\x01\x00\x00\n", 10, VI_EFORMAT, ":2: binary data");
  check_bad_file ("4\n\xff\xfe\n", -1, VI_EFORMAT, ":2: binary data");
  check_bad_file ("99999999999999999999999\n", -1, VI_EFORMAT, ":1: count too large");
  g_assert_null (vi_counts_read ("/nonexistent/counts.txt", &n, &error));
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/counts.txt"));
}

static void
test_synthetic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *a = vi_counts_synthetic (50, 4.0, 1, &error);
  g_autofree guint64 *b = vi_counts_synthetic (50, 4.0, 1, &error);
  g_autoptr(gsl_rng) rng = vi_rng_create (1, 0);
  double mean = 0.0;

  g_assert_no_error (error);
  g_assert_cmpmem (a, 50 * sizeof (guint64), b, 50 * sizeof (guint64));
  /* Stream 0 of the seed, drawn with gsl_ran_poisson. */
  for (int i = 0; i < 50; i++)
    {
      g_assert_cmpuint (a[i], ==, gsl_ran_poisson (rng, 4.0));
      mean += (double) a[i] / 50.0;
    }
  vi_assert_close (mean, 4.0, 5.0 * sqrt (4.0 / 50.0), 0.0);
  g_assert_null (vi_counts_synthetic (0, 4.0, 1, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_clear_error (&error);
  g_assert_null (vi_counts_synthetic (5, -1.0, 1, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
}

/* A UTF-8 byte-order mark at the start is skipped. */
static void
test_counts_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp ("\xEF\xBB\xBF" "3\n4\n", -1);
  g_autofree guint64 *x = NULL;
  size_t n = 0;

  x = vi_counts_read (path, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (x[0], ==, 3);
  g_assert_cmpuint (x[1], ==, 4);
  g_unlink (path);
}

typedef struct
{
  const char *path;
  GError *error;
  guint64 *counts;
  gint done;
} ReadJob;

static gpointer
read_thread (gpointer data)
{
  ReadJob *j = data;
  size_t n = 0;

  j->counts = vi_counts_read (j->path, &n, &j->error);
  g_atomic_int_set (&j->done, 1);
  return NULL;
}

/* Reads @path in a thread and fails unless it returns within 10 s. */
static void
read_promptly (ReadJob *j)
{
  GThread *t = g_thread_new ("read", read_thread, j);
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (!g_atomic_int_get (&j->done))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("vi_counts_read (%s) blocks", j->path);
      g_usleep (1000);
    }
  g_thread_join (t);
}

/* A FIFO and a device are refused at once (no writer needed); a file over
 * the cap is refused before it is read. */
static void
test_counts_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("counts-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *big = g_build_filename (dir, "big.txt", NULL);
  const char *paths[] = { fifo, "/dev/zero", big };
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  fd = g_open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) VI_COUNTS_FILE_MAX + 1), ==, 0);
  close (fd);
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      ReadJob j = { paths[i], NULL, NULL, 0 };

      read_promptly (&j);
      g_assert_null (j.counts);
      g_assert_nonnull (j.error);
      g_assert_nonnull (strstr (j.error->message, paths[i]));
      if (i < 2)
        {
          g_assert_error (j.error, VI_ERROR, VI_EIO);
          g_assert_nonnull (strstr (j.error->message, "not a regular file"));
        }
      else
        {
          g_assert_error (j.error, VI_ERROR, VI_EFORMAT);
          g_assert_nonnull (strstr (j.error->message, "too large"));
          g_assert_nonnull (strstr (j.error->message, "at most 64 MiB"));
        }
      g_clear_error (&j.error);
    }
  g_unlink (fifo);
  g_unlink (big);
  g_rmdir (dir);
}

/* A long bad value is quoted cut on a character boundary, with "…". */
static void
test_counts_excerpt (void)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) want = g_string_new ("(got '");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  size_t n = 0;

  g_string_append (line, "1\n");
  for (int i = 0; i < 45; i++)
    g_string_append (line, "é");
  for (int i = 0; i < 40; i++)
    g_string_append (want, "é");
  g_string_append (want, "…')");
  path = write_temp (line->str, -1);
  g_assert_null (vi_counts_read (path, &n, &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (!g_str_has_suffix (error->message, want->str))
    g_error ("message '%s' lacks '%s'", error->message, want->str);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/counts/read", test_counts_read);
  g_test_add_func ("/core/counts/errors", test_counts_errors);
  g_test_add_func ("/core/counts/synthetic", test_synthetic);
  g_test_add_func ("/core/counts/bom", test_counts_bom);
  g_test_add_func ("/core/counts/not-regular", test_counts_not_regular);
  g_test_add_func ("/core/counts/excerpt", test_counts_excerpt);
  return g_test_run ();
}
