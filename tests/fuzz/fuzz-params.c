/* fuzz-params.c — the command-line text parsers of every job's parameter
 * table (numbers, whole numbers, number lists, `--param NAME=VALUE`,
 * --sweep-theta …) and the validation that follows them, as elbo-lab-cli
 * runs them. Input: the first byte picks the job type; then lines
 * "OPTION VALUE" (the option's long name without "--").
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-job.h"

/* Every key of a normalised dictionary, described as the app labels runs. */
static void
describe_all (const ViJobType *type,
              GVariant        *valid)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, valid);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      const ViParamSpec *spec = vi_params_lookup (type->params, key, valid);
      g_autofree char *label = vi_params_describe_value (spec, key, value, NULL);

      g_assert_nonnull (label);
      g_assert_true (g_utf8_validate (label, -1, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const ViJobType *const *types = vi_job_types_list ();
  const ViJobType *type;
  guint n_types = 0, n_specs;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) values = NULL;   /* per spec: GPtrArray of strings */
  g_autoptr(GVariantDict) given = g_variant_dict_new (NULL);
  g_autoptr(GVariant) valid = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (size == 0)
    return 0;
  while (types[n_types] != NULL)
    n_types++;
  type = types[data[0] % n_types];
  n_specs = vi_params_count (type->params);
  values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < n_specs; i++)
    g_ptr_array_add (values, g_ptr_array_new_with_free_func (g_free));

  text = g_strndup ((const char *) data + 1, size - 1);
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      char *space = strchr (lines[l], ' ');
      const char *value = space != NULL ? space + 1 : "";

      if (space != NULL)
        *space = '\0';
      /* GOption hands the parsers UTF-8 only (it refuses the rest). */
      if (!g_utf8_validate (value, -1, NULL))
        continue;
      for (guint i = 0; i < n_specs; i++)
        if (g_strcmp0 (type->params[i].cli.long_name, lines[l]) == 0)
          g_ptr_array_add (values->pdata[i], g_strdup (value));
    }

  /* As the CLI: in table order, the last value of a non-repeatable option. */
  for (guint i = 0; ok && i < n_specs; i++)
    {
      const ViParamSpec *spec = &type->params[i];
      GPtrArray *v = values->pdata[i];
      ViParamCliParse parse = spec->cli.parse != NULL ? spec->cli.parse : vi_params_parse_cli;
      g_autofree char *option = NULL;

      if (v->len == 0 || (spec->cli.parse == NULL && spec->type == VI_PARAM_DEPENDENT))
        continue;
      if (!spec->cli.repeatable && v->len > 1)
        g_ptr_array_remove_range (v, 0, v->len - 1);
      g_ptr_array_add (v, NULL);
      option = g_strconcat ("--", spec->cli.long_name, NULL);
      ok = parse (spec, option, (const char *const *) v->pdata, given, &error);
      vi_fuzz_check_result (ok, error);
    }
  if (!ok)
    return 0;

  valid = vi_job_validate (type, g_variant_dict_end (given), &error);
  vi_fuzz_check_result (valid != NULL, error);
  if (valid != NULL)
    describe_all (type, valid);
  return 0;
}
