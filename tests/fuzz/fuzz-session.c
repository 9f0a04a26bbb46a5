/* fuzz-session.c — the session file reader without the pages
 * (vi_session_file_parse: bounds, member types, settings through the job
 * tables, data files, results)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is parsed from memory: nothing is written, and the data files
 * it names are never read.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

/* src/app/vi-session-file.c has no GTK include; the fuzz build has no
 * include path into src/app. */
#include "../../src/app/vi-session-file.h"
#include "fuzz-util.h"
#include "vi-json-check.h"

#define FUZZ_PATH "fuzz.elbo-session.json"

static const ViJobType *
lookup_job (const char *name,
            gpointer    user_data)
{
  return vi_job_type_lookup (name);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViSessionFile) file = NULL;

  /* Warnings too: the reader reports through @error, never the log. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  file = vi_session_file_parse (FUZZ_PATH, (const char *) data, size, lookup_job, NULL, &error);
  g_assert_true ((file != NULL) == (error == NULL));
  if (file == NULL)
    {
      /* Every refusal names the file. */
      g_assert_nonnull (strstr (error->message, FUZZ_PATH));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  {
    /* What was accepted is strict JSON once old exponents are fixed. */
    g_autofree char *text = g_memdup2 (data, size);
    gsize len = vi_session_fix_exponents (text, size);

    g_assert_true (vi_json_check (text, len, VI_SESSION_MAX_DEPTH, NULL));
  }
  g_assert_cmpuint (file->files->len % 2, ==, 0);
  for (guint i = 0; i < file->pages->len; i++)
    {
      ViSessionPageEntry *e = &g_array_index (file->pages, ViSessionPageEntry, i);
      g_autoptr(GVariant) valid = NULL;
      g_autoptr(GError) verr = NULL;

      g_assert_nonnull (vi_job_type_lookup (e->name));
      g_assert_true (g_variant_is_of_type (e->settings, G_VARIANT_TYPE_VARDICT));
      /* What was accepted is accepted again (the app applies it later). */
      valid = vi_job_validate (vi_job_type_lookup (e->name), e->settings, &verr);
      g_assert_no_error (verr);
      g_assert_nonnull (valid);
      if (!e->result.have)
        g_assert_cmpuint (e->result.iteration, ==, 0);
    }
  return 0;
}
