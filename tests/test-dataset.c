/* test-dataset.c — the dataset cache: one load per path and content,
 * shared by reference; non-regular files refused without reading
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vi-bbvi-job.h"
#include "vi-counts.h"
#include "vi-dataset.h"
#include "vi-status.h"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* Same path and content: the same object; new content: a new one, while
 * the old one stays valid for its holders. */
static void
test_cache (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-dataset-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "counts.txt", "# c\n3\n5\n4\n");
  g_autofree char *other = write_file (dir, "other.txt", "3\n5\n4\n");
  g_autoptr(GError) error = NULL;
  ViDataset *a, *b, *c, *d, *e;
  const guint64 *x;
  size_t n = 0;

  a = vi_dataset_load (path, VI_DATASET_COUNTS, &error);
  g_assert_no_error (error);
  x = vi_dataset_get_counts (a, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (x[0], ==, 3);
  g_assert_cmpuint (x[2], ==, 4);
  g_assert_cmpstr (vi_dataset_get_path (a), ==, path);
  g_assert_cmpint (vi_dataset_get_kind (a), ==, VI_DATASET_COUNTS);
  /* sha256sum of "# c\n3\n5\n4\n". */
  {
    g_autofree char *want = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                           "# c\n3\n5\n4\n", -1);

    g_assert_cmpstr (vi_dataset_get_sha256 (a), ==, want);
  }
  b = vi_dataset_load (path, VI_DATASET_COUNTS, &error);
  g_assert_true (a == b);

  /* Rewritten with the same bytes (a new mtime): still the same object. */
  g_usleep (20000);
  g_assert_true (g_file_set_contents (path, "# c\n3\n5\n4\n", -1, NULL));
  c = vi_dataset_load (path, VI_DATASET_COUNTS, &error);
  g_assert_true (c == a);

  /* Another path with the same numbers is another dataset. */
  d = vi_dataset_load (other, VI_DATASET_COUNTS, &error);
  g_assert_true (d != a);

  /* New content: a new object; the old one is intact. */
  g_usleep (20000);
  g_assert_true (g_file_set_contents (path, "7\n", -1, NULL));
  e = vi_dataset_load (path, VI_DATASET_COUNTS, &error);
  g_assert_no_error (error);
  g_assert_true (e != a);
  g_assert_cmpstr (vi_dataset_get_sha256 (e), !=, vi_dataset_get_sha256 (a));
  x = vi_dataset_get_counts (e, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (x[0], ==, 7);
  x = vi_dataset_get_counts (a, &n);
  g_assert_cmpuint (n, ==, 3);
  vi_dataset_unref (a);
  vi_dataset_unref (b);
  vi_dataset_unref (c);
  vi_dataset_unref (d);
  /* The last reference gone, a load reads the file again. */
  vi_dataset_unref (e);
  e = vi_dataset_load (path, VI_DATASET_COUNTS, &error);
  x = vi_dataset_get_counts (e, &n);
  g_assert_cmpuint (n, ==, 1);
  vi_dataset_unref (e);

  /* The reader's errors name the file. */
  g_assert_true (g_file_set_contents (path, "1\n-2\n", -1, NULL));
  g_assert_null (vi_dataset_load (path, VI_DATASET_COUNTS, &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_assert_nonnull (strstr (error->message, path));
  g_unlink (path);
  g_unlink (other);
  g_rmdir (dir);
}

/* A same-size rewrite that keeps the modification time (a coarse clock,
 * or a tool restoring it) is still seen: a recent file is hashed again. */
static void
test_racy_rewrite (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-dataset-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "counts.txt", "3\n5\n4\n");
  g_autoptr(GError) error = NULL;
  struct stat st;
  struct timespec times[2];
  ViDataset *a, *b;
  const guint64 *x;
  size_t n = 0;

  g_assert_cmpint (stat (path, &st), ==, 0);
  a = vi_dataset_load (path, VI_DATASET_COUNTS, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "3\n5\n9\n", -1, NULL));
  times[0] = st.st_atim;
  times[1] = st.st_mtim;
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
  b = vi_dataset_load (path, VI_DATASET_COUNTS, &error);
  g_assert_no_error (error);
  g_assert_true (b != a);
  x = vi_dataset_get_counts (b, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (x[2], ==, 9);
  vi_dataset_unref (a);
  vi_dataset_unref (b);
  g_unlink (path);
  g_rmdir (dir);
}

/* Devices, FIFOs and directories are refused at once, naming the file. */
static void
test_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-dataset-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  const char *paths[] = { "/dev/zero", fifo, dir };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) sum_error = NULL;
      g_autoptr(GError) job_error = NULL;
      g_autoptr(GVariant) params = g_variant_ref_sink (
        g_variant_new_parsed ("{'counts-file': <%s>}", paths[i]));
      ViJob *job;

      g_assert_null (vi_dataset_load (paths[i], VI_DATASET_COUNTS, &error));
      g_assert_error (error, VI_ERROR, VI_EIO);
      g_assert_nonnull (strstr (error->message, paths[i]));
      g_assert_nonnull (strstr (error->message, "not a regular file"));
      g_assert_null (vi_dataset_file_sha256 (paths[i], &sum_error));
      g_assert_error (sum_error, VI_ERROR, VI_EIO);
      g_assert_nonnull (strstr (sum_error->message, paths[i]));
      /* The bbvi job reads its counts file through the cache. */
      job = vi_job_create (&vi_bbvi_job_type, params, &job_error);
      g_assert_null (job);
      g_assert_nonnull (strstr (job_error->message, paths[i]));
    }
  g_unlink (fifo);
  g_rmdir (dir);
}

static void
test_sha256 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-dataset-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "abc", "abc");
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *sum = vi_dataset_file_sha256 (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sum, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_null (vi_dataset_file_sha256 (missing, &error));
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_assert_nonnull (strstr (error->message, missing));
  g_unlink (path);
  g_rmdir (dir);
}

/* A counts file over the reader's cap (VI_COUNTS_FILE_MAX) is refused by
 * its size, before it is hashed or read (a sparse file: no data to read). */
static void
test_too_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-dataset-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.txt", NULL);
  g_autoptr(GError) error = NULL;
  int fd = g_open (path, O_WRONLY | O_CREAT, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 4 << 30), ==, 0);
  close (fd);
  g_assert_null (vi_dataset_load (path, VI_DATASET_COUNTS, &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "too large (4294967296 bytes; at most 64 MiB)"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/dataset/cache", test_cache);
  g_test_add_func ("/core/dataset/too-large", test_too_large);
  g_test_add_func ("/core/dataset/racy-rewrite", test_racy_rewrite);
  g_test_add_func ("/core/dataset/not-regular", test_not_regular);
  g_test_add_func ("/core/dataset/sha256", test_sha256);
  return g_test_run ();
}
