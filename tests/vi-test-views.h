/* vi-test-views.h — helpers for comparing figures: the CLI's, the app's and
 * the views' own
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <sys/wait.h>
#include <glib.h>

#include "vi-job.h"
#include "vi-status.h"

/* Runs $ELBO_LAB_CLI with @args (NULL-terminated); its exit status. */
static inline int
views_run_cli (const char *const *args)
{
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                               G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* (transfer full) The contents of @path, which must exist. */
static inline char *
views_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* (transfer full) @svg with cairo's generated ids numbered in order of
 * appearance ("glyph-0-3" → "glyph-N", "surface12" → "surfaceN", …), so
 * two exports of the same figure from different processes compare equal. */
static inline char *
views_normalise_svg (const char *svg)
{
  g_autoptr(GRegex) re = g_regex_new ("(id=\"|#)([A-Za-z_-]+?)[-0-9]+", 0, 0, NULL);

  return g_regex_replace (re, svg, -1, 0, "\\1\\2N", 0, NULL);
}

/* (transfer full) The normalised SVG file at @path. */
static inline char *
views_read_svg (const char *path)
{
  g_autofree char *text = views_read (path);

  return views_normalise_svg (text);
}

/* (transfer full) The snapshot of a @type job with @params (GVariant text
 * of an a{sv}) run to completion; free with vi_job_snapshot_free() of a job
 * of that type, or the model's snapshot free function. */
static inline gpointer
views_run_job (const ViJobType *type,
               GVariant        *params)
{
  g_autoptr(GError) error = NULL;
  ViJob *job = vi_job_create (type, params, &error);
  gint cancel = 0;
  gpointer snap;
  int status;

  g_assert_no_error (error);
  g_assert_nonnull (job);
  while ((status = vi_job_step (job, &cancel)) == VI_CONTINUE)
    ;
  g_assert_cmpint (status, ==, VI_OK);
  snap = vi_job_snapshot (job);
  vi_job_free (job);
  return snap;
}

/* (transfer full) @text parsed as an a{sv}. */
static inline GVariant *
views_params (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_variant_ref_sink (v);
}
