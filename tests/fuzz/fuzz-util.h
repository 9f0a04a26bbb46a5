/* fuzz-util.h — helpers shared by the fuzz targets (static: a target exports
 * LLVMFuzzerTestOneInput only)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Readers that only take a path get the input written to a file in one
 * temporary folder per process (removed at exit; /dev/shm unless TMPDIR
 * says otherwise). GLib-CRITICALs are made fatal: a parser that trips a
 * g_return_if_fail check has a bug too.
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "vi-status.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *vi_fuzz_dir;

/* Writes the message, then aborts on a CRITICAL or ERROR: SIGABRT, which
 * libFuzzer catches and saves the input for (GLib's own fatal path raises
 * SIGTRAP, which it does not). */
static GLogWriterOutput
vi_fuzz_log_writer (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_standard_streams (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL))
    abort ();
  return out;
}

/* Before any input, in every target (not only those that write files). */
__attribute__ ((constructor)) static void
vi_fuzz_init (void)
{
  g_log_set_writer_func (vi_fuzz_log_writer, NULL, NULL);
}

/* Removes @path: a file, or a folder and what it holds (@depth levels). */
static inline void
vi_fuzz_remove (const char *path,
                int         depth)
{
  GDir *dir = depth > 0 ? g_dir_open (path, 0, NULL) : NULL;
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          vi_fuzz_remove (child, depth - 1);
        }
      g_dir_close (dir);
    }
  if (g_remove (path) != 0 && dir == NULL)
    g_rmdir (path);
}

static inline void
vi_fuzz_cleanup (void)
{
  if (vi_fuzz_dir == NULL)
    return;
  vi_fuzz_remove (vi_fuzz_dir, 2);
  g_clear_pointer (&vi_fuzz_dir, g_free);
}

/* The per-process temporary folder (made on first use): in $TMPDIR, else
 * /dev/shm, else the system's. */
static inline const char *
vi_fuzz_get_dir (void)
{
  if (vi_fuzz_dir == NULL)
    {
      const char *base = g_getenv ("TMPDIR");
      char *tmpl;

      /* Memory-backed when there is one: a disk can cost 100 × the parse. */
      if (base == NULL && access ("/dev/shm", W_OK | X_OK) == 0)
        base = "/dev/shm";
      tmpl = g_build_filename (base != NULL ? base : g_get_tmp_dir (), "elbo-lab-fuzz-XXXXXX",
                               NULL);
      vi_fuzz_dir = g_mkdtemp (tmpl);
      if (vi_fuzz_dir == NULL)
        g_error ("fuzz: cannot make a temporary folder %s: %s", tmpl, g_strerror (errno));
      atexit (vi_fuzz_cleanup);
    }
  return vi_fuzz_dir;
}

/* (transfer full) Writes @data to the file @name of the temporary folder
 * (replacing it) and returns its path. */
static inline char *
vi_fuzz_write_file (const char    *name,
                    const uint8_t *data,
                    size_t         size)
{
  char *path = g_build_filename (vi_fuzz_get_dir (), name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  size_t done = 0;

  if (fd < 0)
    g_error ("fuzz: cannot write %s: %s", path, g_strerror (errno));
  while (done < size)
    {
      ssize_t n = write (fd, data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("fuzz: cannot write %s: %s", path, g_strerror (errno));
      done += (size_t) n;
    }
  close (fd);
  return path;
}

/* Splits @data at the first "\n%%\n" (the separator of inputs made of two
 * files, e.g. a docword and its vocabulary): *@first_size bytes, then the
 * rest at *@second (NULL, 0 without a separator). */
static inline void
vi_fuzz_split (const uint8_t  *data,
               size_t          size,
               size_t         *first_size,
               const uint8_t **second,
               size_t         *second_size)
{
  static const char sep[] = "\n%%\n";
  const uint8_t *hit = size >= 4 ? memmem (data, size, sep, 4) : NULL;

  *first_size = hit != NULL ? (size_t) (hit - data) : size;
  *second = hit != NULL ? hit + 4 : NULL;
  *second_size = hit != NULL ? size - *first_size - 4 : 0;
}

/* A reader's result must be consistent: a value and no error, or an error in
 * the VI_ERROR domain with a message, and no value. */
#define vi_fuzz_check_result(ok, error) \
  G_STMT_START { \
    if (ok) \
      g_assert_null (error); \
    else \
      { \
        g_assert_nonnull (error); \
        g_assert_nonnull ((error)->message); \
      } \
  } G_STMT_END
