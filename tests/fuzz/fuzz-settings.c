/* fuzz-settings.c — job settings from outside (a session's or GSettings'
 * a{sv}): vi_job_validate on every job type's table, then describing the
 * values and merging them as the app does. Input: the first byte picks the
 * job type, the rest is an a{sv} in GVariant text format.
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-job.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const ViJobType *const *types = vi_job_types_list ();
  const ViJobType *type;
  guint n_types = 0;
  g_autofree char *text = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GVariant) valid = NULL;
  g_autoptr(GVariant) merged = NULL;
  g_autoptr(GError) error = NULL;

  if (size == 0)
    return 0;
  while (types[n_types] != NULL)
    n_types++;
  type = types[data[0] % n_types];
  text = g_strndup ((const char *) data + 1, size - 1);
  /* g_variant_parse itself warns (a GLib-CRITICAL) on text that is not
   * UTF-8; settings from a session or GSettings are. */
  if (!g_utf8_validate (text, -1, NULL))
    return 0;
  params = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
  if (params == NULL)
    return 0;

  valid = vi_job_validate (type, params, &error);
  vi_fuzz_check_result (valid != NULL, error);
  if (valid == NULL)
    return 0;
  for (guint i = 0; type->params[i].key != NULL; i++)
    {
      const ViParamSpec *spec = &type->params[i];
      g_autoptr(GVariant) value = g_variant_lookup_value (valid, spec->key, NULL);
      g_autofree char *label = NULL;

      if (value == NULL)
        continue;
      label = vi_params_describe_value (spec, spec->key, value, NULL);
      g_assert_true (g_utf8_validate (label, -1, NULL));
    }
  /* The settings merged into the defaults pass again, and are live or not. */
  merged = vi_job_merge_params (type, NULL, params, &error);
  vi_fuzz_check_result (merged != NULL, error);
  g_assert_nonnull (merged);
  vi_job_edits_are_live (type, params);
  return 0;
}
