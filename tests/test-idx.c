/* test-idx.c — the IDX reader: round trips plain and gzip, Fashion-MNIST as
 * Debian ships it, and every malformed file refused by name
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "vi-idx.h"
#include "vi-status.h"

static char *tmpdir;

/* An IDX header: magic 0x000008|ndims, then the dimensions, big-endian. */
static GByteArray *
idx_header (guint8         ndims,
            const guint32 *dims)
{
  GByteArray *b = g_byte_array_new ();
  guint8 magic[4] = { 0, 0, 0x08, ndims };

  g_byte_array_append (b, magic, 4);
  for (guint i = 0; i < ndims; i++)
    {
      guint8 d[4] = { dims[i] >> 24, dims[i] >> 16, dims[i] >> 8, dims[i] };

      g_byte_array_append (b, d, 4);
    }
  return b;
}

static char *
write_bytes (const char *name,
             const void *data,
             gsize       len,
             gboolean    gzip)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  if (gzip)
    {
      g_autoptr(GConverter) z =
        G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6));
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
      g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, z);

      g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, &error));
      g_assert_true (g_output_stream_close (out, NULL, &error));
      g_assert_true (g_file_set_contents (path,
                                          g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                                          (gssize) g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)),
                                          &error));
    }
  else
    g_assert_true (g_file_set_contents (path, data, (gssize) len, &error));
  g_assert_no_error (error);
  return path;
}

static GByteArray *
tiny_images (guint32 n)
{
  const guint32 dims[3] = { n, 3, 2 };
  GByteArray *b = idx_header (3, dims);

  for (guint32 i = 0; i < n * 6; i++)
    {
      guint8 v = (guint8) (i * 37);

      g_byte_array_append (b, &v, 1);
    }
  return b;
}

static void
test_roundtrip (void)
{
  g_autoptr(GByteArray) b = tiny_images (5);

  for (int gz = 0; gz < 2; gz++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_bytes (gz ? "img.gz" : "img", b->data, b->len, gz);
      ViIdxImages *img = vi_idx_read_images (path, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (img->n, ==, 5);
      g_assert_cmpuint (img->rows, ==, 3);
      g_assert_cmpuint (img->cols, ==, 2);
      g_assert_cmpmem (img->pixels, 30, b->data + 16, 30);
      vi_idx_images_free (img);
      g_unlink (path);
    }
  {
    const guint32 dims[1] = { 4 };
    g_autoptr(GByteArray) l = idx_header (1, dims);
    g_autoptr(GError) error = NULL;
    g_autofree char *path = NULL;
    g_autofree guint8 *labels = NULL;
    guint8 v[4] = { 3, 1, 4, 1 };
    guint32 n = 0;

    g_byte_array_append (l, v, 4);
    path = write_bytes ("lab.gz", l->data, l->len, TRUE);
    labels = vi_idx_read_labels (path, &n, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 4);
    g_assert_cmpmem (labels, 4, v, 4);
    g_unlink (path);
  }
}

static void
test_fashion_mnist (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ip = vi_idx_dup_fashion_mnist_path ("t10k-images-idx3-ubyte.gz", &error);
  g_autofree char *lp = NULL;
  g_autofree guint8 *labels = NULL;
  ViIdxImages *img;
  guint32 n = 0, counts[10] = { 0 };

  if (ip == NULL)
    {
      g_assert_error (error, VI_ERROR, VI_EIO);
      g_assert_nonnull (strstr (error->message, "apt-get install dataset-fashion-mnist"));
      g_test_skip ("dataset-fashion-mnist is not installed");
      return;
    }
  lp = vi_idx_dup_fashion_mnist_path ("t10k-labels-idx1-ubyte.gz", &error);
  g_assert_no_error (error);
  img = vi_idx_read_images (ip, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (img->n, ==, 10000);
  g_assert_cmpuint (img->rows, ==, 28);
  g_assert_cmpuint (img->cols, ==, 28);
  labels = vi_idx_read_labels (lp, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 10000);
  /* The test set is balanced: 1,000 of each of the ten classes. */
  for (guint32 i = 0; i < n; i++)
    {
      g_assert_cmpuint (labels[i], <, 10);
      counts[labels[i]]++;
    }
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, 1000);
  g_assert_cmpstr (vi_idx_fashion_mnist_classes ()[9], ==, "Ankle boot");
  vi_idx_images_free (img);
}

static void
check_bad (const void *data,
           gsize       len,
           gboolean    gzip,
           gboolean    labels,
           int         code,
           const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_bytes ("bad", data, len, gzip);
  guint32 n = 0;

  if (labels)
    g_assert_null (vi_idx_read_labels (path, &n, &error));
  else
    g_assert_null (vi_idx_read_images (path, &error));
  g_assert_error (error, VI_ERROR, code);
  if (!g_str_has_prefix (error->message, path) || strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" lacks the path or \"%s\"", error->message, needle);
  g_unlink (path);
}

static void
test_malformed (void)
{
  g_autoptr(GByteArray) good = tiny_images (5);
  g_autofree guint8 *gz = NULL;
  const guint32 zero_side[3] = { 5, 0, 2 }, huge_side[3] = { 1, 5000, 5000 };
  const guint32 huge_count[3] = { 0x7fffffff, 28, 28 }, none[3] = { 0, 28, 28 };
  g_autoptr(GByteArray) h1 = idx_header (3, zero_side), h2 = idx_header (3, huge_side);
  g_autoptr(GByteArray) h3 = idx_header (3, huge_count), h4 = idx_header (3, none);
  guint8 bad_magic[16];

  /* Bad magic: a labels file read as images and the other way, garbage. */
  memcpy (bad_magic, good->data, 16);
  bad_magic[3] = 1;
  check_bad (bad_magic, 16, FALSE, FALSE, VI_EFORMAT, "not an IDX images file");
  check_bad (good->data, good->len, FALSE, TRUE, VI_EFORMAT, "not an IDX labels file");
  check_bad ("\x89PNG\r\n\x1a\n", 8, FALSE, FALSE, VI_EFORMAT, "magic 0x89504e47");
  check_bad ("\0\0", 2, FALSE, FALSE, VI_EFORMAT, "truncated");
  /* Dimensions that disagree with the size. */
  check_bad (good->data, good->len - 7, FALSE, FALSE, VI_EFORMAT, "truncated: the data has 23 of 30");
  {
    g_autoptr(GByteArray) longer = tiny_images (5);
    guint8 extra = 9;

    g_byte_array_append (longer, &extra, 1);
    check_bad (longer->data, longer->len, FALSE, FALSE, VI_EFORMAT, "data after the 30 bytes");
    check_bad (longer->data, longer->len, TRUE, FALSE, VI_EFORMAT, "data after the 30 bytes");
  }
  /* Absurd dimensions, refused before any allocation. */
  check_bad (h1->data, h1->len, FALSE, FALSE, VI_EFORMAT, "image size 0 × 2");
  check_bad (h2->data, h2->len, FALSE, FALSE, VI_EFORMAT, "image size 5000 × 5000");
  check_bad (h3->data, h3->len, FALSE, FALSE, VI_EFORMAT, "more pixels than the limit");
  check_bad (h4->data, h4->len, FALSE, FALSE, VI_EFORMAT, "no images");
  /* A truncated .gz. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = write_bytes ("whole.gz", good->data, good->len, TRUE);
    g_autofree char *bytes = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
    g_unlink (path);
    check_bad (bytes, len - 10, FALSE, FALSE, VI_EIO, "truncated compressed file");
  }
  /* Not a regular file, and missing. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (vi_idx_read_images ("/dev/zero", &error));
    g_assert_error (error, VI_ERROR, VI_EIO);
    g_assert_cmpstr (error->message, ==, "/dev/zero: not a regular file");
    g_clear_error (&error);
    g_assert_null (vi_idx_read_images ("/nonexistent/images.idx", &error));
    g_assert_error (error, VI_ERROR, VI_EIO);
    g_assert_true (g_str_has_prefix (error->message, "/nonexistent/images.idx: cannot open"));
  }
}

/* A header that claims 2 GiB over a file of a few bytes is refused as
 * truncated without allocating what it claims (found by fuzz-idx): under an
 * address-space limit of 1 GiB more than the process has, the reader still
 * says "truncated", not "out of memory". The buffer grows as bytes come, so
 * files of several chunks still read whole, plain and gzip. */
static void
test_claimed_size (void)
{
  const guint32 claim[3] = { 32768, 256, 256 };   /* 2³¹ bytes, the limit */
  g_autoptr(GByteArray) big = NULL;
  const guint32 dims[3] = { 50, 256, 256 };       /* 3.2 MB: 3 chunks */

  if (g_test_subprocess ())
    {
      g_autoptr(GByteArray) h = idx_header (3, claim);
      g_autoptr(GError) error = NULL;
      g_autofree char *status = NULL;
      g_autofree char *path = NULL;
      struct rlimit lim;
      guint64 vm_kb = 0;
      const char *line;

      g_byte_array_append (h, (const guint8 *) "0123456789", 10);
      path = write_bytes ("claim.idx", h->data, h->len, FALSE);
      g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
      line = strstr (status, "VmSize:");
      g_assert_nonnull (line);
      vm_kb = g_ascii_strtoull (line + strlen ("VmSize:"), NULL, 10);
      lim.rlim_cur = lim.rlim_max = (rlim_t) (vm_kb + (1u << 20)) * 1024;
      g_assert_cmpint (setrlimit (RLIMIT_AS, &lim), ==, 0);
      g_assert_null (vi_idx_read_images (path, &error));
      g_assert_error (error, VI_ERROR, VI_EFORMAT);
      g_assert_nonnull (strstr (error->message, "truncated: the data has 10 of 2147483648"));
      g_unlink (path);
      return;
    }
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("ASan reserves more address space than any limit would allow");
#else
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
#endif
  big = idx_header (3, dims);
  g_byte_array_set_size (big, 16 + 50 * 256 * 256);
  for (guint i = 16; i < big->len; i++)
    big->data[i] = (guint8) (i * 7);
  for (int gz = 0; gz < 2; gz++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_bytes (gz ? "big.gz" : "big.idx", big->data, big->len, gz);
      ViIdxImages *img = vi_idx_read_images (path, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (img->n, ==, 50);
      g_assert_cmpmem (img->pixels, big->len - 16, big->data + 16, big->len - 16);
      vi_idx_images_free (img);
      g_unlink (path);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-idx-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/core/idx/roundtrip", test_roundtrip);
  g_test_add_func ("/core/idx/fashion-mnist", test_fashion_mnist);
  g_test_add_func ("/core/idx/malformed", test_malformed);
  g_test_add_func ("/core/idx/claimed-size", test_claimed_size);
  status = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
