/* fuzz-util.h — helpers shared by the fuzz targets (static: a target exports
 * LLVMFuzzerTestOneInput only)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Readers that only take a path get the input written to a file in one
 * temporary folder per process (removed at exit). GLib-CRITICALs are made
 * fatal: a parser that trips a g_return_if_fail check has a bug too.
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "vi-status.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *vi_fuzz_dir;

static void
vi_fuzz_cleanup (void)
{
  GDir *dir;
  const char *name;

  if (vi_fuzz_dir == NULL)
    return;
  dir = g_dir_open (vi_fuzz_dir, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (vi_fuzz_dir, name, NULL);

          g_unlink (path);
        }
      g_dir_close (dir);
    }
  g_rmdir (vi_fuzz_dir);
  g_clear_pointer (&vi_fuzz_dir, g_free);
}

/* The per-process temporary folder (made on first use). */
static const char *
vi_fuzz_get_dir (void)
{
  if (vi_fuzz_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      vi_fuzz_dir = g_dir_make_tmp ("elbo-lab-fuzz-XXXXXX", &error);
      if (vi_fuzz_dir == NULL)
        g_error ("fuzz: cannot make a temporary folder: %s", error->message);
      atexit (vi_fuzz_cleanup);
    }
  return vi_fuzz_dir;
}

/* (transfer full) Writes @data to the file @name of the temporary folder
 * (replacing it) and returns its path. */
static char *
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
