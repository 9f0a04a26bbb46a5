/* test-params.c — parameter tables: every job's table is well formed, every
 * parameter round-trips through vi_params_validate and the getters, and
 * bad values are refused naming the key and its range
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "vi-job.h"
#include "vi-params.h"
#include "vi-status.h"
#include "vi-test-params.h"

/* Calls @fn for every spec of every job type, DEPENDENT sub-tables
 * included (once per choice of the ENUM they depend on, with that choice
 * in @choice). */
typedef void (*SpecFunc) (const ViJobType   *type,
                          const ViParamSpec *spec,
                          const ViParamSpec *parent,
                          const char        *choice);

static void
foreach_spec (SpecFunc fn)
{
  const ViJobType *const *types = vi_job_types_list ();

  for (guint t = 0; types[t] != NULL; t++)
    for (const ViParamSpec *spec = types[t]->params; spec->key != NULL; spec++)
      {
        const char *const *choices;

        if (spec->type != VI_PARAM_DEPENDENT)
          {
            fn (types[t], spec, NULL, NULL);
            continue;
          }
        choices = vi_params_spec_get_choices (vi_params_lookup (types[t]->params,
                                                                spec->depends_on, NULL));
        for (guint c = 0; choices[c] != NULL; c++)
          for (const ViParamSpec *sub = spec->get_sub_specs (choices[c]); sub->key != NULL; sub++)
            fn (types[t], sub, spec, choices[c]);
      }
}

/* (transfer full) {depends_on: choice} for a sub-spec, else empty. */
static GVariantDict *
base_dict (const ViParamSpec *parent,
           const char        *choice)
{
  GVariantDict *d = g_variant_dict_new (NULL);

  if (parent != NULL)
    g_variant_dict_insert (d, parent->depends_on, "s", choice);
  return d;
}

static void
test_job_types (void)
{
  const ViJobType *const *types = vi_job_types_list ();
  guint n = 0;

  for (; types[n] != NULL; n++)
    {
      g_assert_true (vi_job_type_lookup (types[n]->name) == types[n]);
      g_assert_nonnull (types[n]->params);
      g_assert_cmpuint (vi_params_count (types[n]->params), >, 0);
    }
  g_assert_cmpuint (n, ==, 4);
  g_assert_nonnull (vi_job_type_lookup ("expfam"));
  g_assert_nonnull (vi_job_type_lookup ("bbvi"));
  g_assert_nonnull (vi_job_type_lookup ("lda"));
  g_assert_nonnull (vi_job_type_lookup ("vae"));
  g_assert_null (vi_job_type_lookup ("nope"));
  g_assert_null (vi_job_type_lookup (NULL));
}

static void
check_well_formed (const ViJobType   *type,
                   const ViParamSpec *spec,
                   const ViParamSpec *parent,
                   const char        *choice)
{
  g_autoptr(GVariant) def = vi_params_spec_default (spec);

  g_test_message ("%s: %s", type->name, spec->key);
  g_assert_nonnull (spec->help);
  g_assert_true (vi_params_lookup (type->params, spec->key, NULL) == spec || parent != NULL);
  if (parent != NULL)
    {
      g_autoptr(GVariantDict) d = base_dict (parent, choice);
      g_autoptr(GVariant) p = g_variant_ref_sink (g_variant_dict_end (d));

      g_assert_true (vi_params_lookup (type->params, spec->key, p) == spec);
    }
  g_assert_true ((def == NULL) == ((spec->flags & VI_PARAM_OPTIONAL) != 0));
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      g_assert_cmpfloat (spec->min, <=, spec->max);
      if (def != NULL)
        g_assert_true (spec->def >= spec->min && spec->def <= spec->max);
      break;
    case VI_PARAM_INT64:
      g_assert_cmpint (spec->imin, <=, spec->imax);
      g_assert_true (spec->idef >= spec->imin && spec->idef <= spec->imax);
      break;
    case VI_PARAM_UINT64:
      g_assert_true (spec->udef >= spec->umin && spec->udef <= spec->umax);
      break;
    case VI_PARAM_ENUM:
      g_assert_true (g_strv_contains (vi_params_spec_get_choices (spec), spec->sdef));
      break;
    case VI_PARAM_BOOL:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
    case VI_PARAM_DOUBLE_LIST:
    case VI_PARAM_INT_LIST:
    case VI_PARAM_DEPENDENT:
    default:
      break;
    }
}

static void
test_well_formed (void)
{
  const ViJobType *const *types = vi_job_types_list ();

  foreach_spec (check_well_formed);
  /* The defaults are a valid setting of every job, and are filled in. */
  for (guint t = 0; types[t] != NULL; t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) valid = vi_job_validate (types[t], NULL, &error);

      g_assert_no_error (error);
      for (const ViParamSpec *spec = types[t]->params; spec->key != NULL; spec++)
        if (spec->type != VI_PARAM_DEPENDENT)
          g_assert_true (vi_params_has (valid, spec->key)
                         == ((spec->flags & VI_PARAM_OPTIONAL) == 0));
    }
}

static void
check_round_trip (const ViJobType   *type,
                  const ViParamSpec *spec,
                  const ViParamSpec *parent,
                  const char        *choice)
{
  g_autoptr(GVariantDict) d = base_dict (parent, choice);
  g_autoptr(GVariant) value = vi_test_param_value (spec);
  g_autoptr(GVariant) valid = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  g_test_message ("%s: %s%s%s", type->name, spec->key, choice ? " for " : "", choice ? choice : "");
  g_variant_dict_insert_value (d, spec->key, value);
  valid = vi_params_validate (type->params, g_variant_dict_end (d), &error);
  g_assert_no_error (error);
  got = g_variant_lookup_value (valid, spec->key, NULL);
  g_assert_nonnull (got);
  g_assert_true (g_variant_equal (got, value));
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      g_assert_cmpfloat (vi_params_get_double (valid, spec->key), ==,
                         g_variant_get_double (value));
      break;
    case VI_PARAM_INT64:
      g_assert_cmpint (vi_params_get_int64 (valid, spec->key), ==, g_variant_get_int64 (value));
      break;
    case VI_PARAM_UINT64:
      g_assert_cmpuint (vi_params_get_uint64 (valid, spec->key), ==,
                        g_variant_get_uint64 (value));
      break;
    case VI_PARAM_BOOL:
      g_assert_true (vi_params_get_boolean (valid, spec->key) == g_variant_get_boolean (value));
      break;
    case VI_PARAM_ENUM:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
      g_assert_cmpstr (vi_params_get_string (valid, spec->key), ==,
                       g_variant_get_string (value, NULL));
      break;
    case VI_PARAM_DOUBLE_LIST:
      g_assert_cmpmem (vi_params_get_double_list (valid, spec->key, &n), 2 * sizeof (double),
                       g_variant_get_fixed_array (value, &n, sizeof (double)),
                       2 * sizeof (double));
      break;
    case VI_PARAM_INT_LIST:
      g_assert_cmpmem (vi_params_get_int_list (valid, spec->key, &n), 2 * sizeof (gint64),
                       g_variant_get_fixed_array (value, &n, sizeof (gint64)),
                       2 * sizeof (gint64));
      break;
    case VI_PARAM_DEPENDENT:
    default:
      g_assert_not_reached ();
    }
}

static void
test_round_trip (void)
{
  foreach_spec (check_round_trip);
}

static void
expect_refused (const ViJobType   *type,
                const ViParamSpec *parent,
                const char        *choice,
                const char        *key,
                GVariant          *value,
                int                code,
                const char        *needle)
{
  g_autoptr(GVariantDict) d = base_dict (parent, choice);
  g_autoptr(GVariant) valid = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_dict_insert_value (d, key, value);
  valid = vi_params_validate (type->params, g_variant_dict_end (d), &error);
  g_assert_null (valid);
  g_assert_error (error, VI_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, key));
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("'%s' does not name '%s'", error->message, needle);
}

static void
check_refused (const ViJobType   *type,
               const ViParamSpec *spec,
               const ViParamSpec *parent,
               const char        *choice)
{
  g_autofree char *bad = vi_test_param_out_of_range (spec);
  g_autofree char *bound = vi_test_param_bound (spec);
  gboolean numeric = spec->type == VI_PARAM_DOUBLE || spec->type == VI_PARAM_INT64
                     || spec->type == VI_PARAM_UINT64;

  /* Wrong type. */
  expect_refused (type, parent, choice, spec->key,
                  numeric ? g_variant_new_string ("1") : g_variant_new_int32 (1), VI_EINVAL,
                  NULL);
  if (spec->type == VI_PARAM_ENUM)
    {
      const char *const *choices = vi_params_spec_get_choices (spec);

      expect_refused (type, parent, choice, spec->key, g_variant_new_string ("bogus"),
                      VI_EINVAL, "unknown");
      for (guint i = 0; choices[i] != NULL; i++)
        expect_refused (type, parent, choice, spec->key, g_variant_new_string ("bogus"),
                        VI_EINVAL, choices[i]);
    }
  if (bad == NULL)
    return;
  if (spec->type == VI_PARAM_DOUBLE)
    expect_refused (type, parent, choice, spec->key,
                    g_variant_new_double (g_ascii_strtod (bad, NULL)), VI_EDOM, bound);
  else if (spec->type == VI_PARAM_DOUBLE_LIST)
    {
      double x[2] = { vi_test_param_double (spec, 0), g_ascii_strtod (bad, NULL) };

      expect_refused (type, parent, choice, spec->key,
                      g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, x, 2, sizeof (double)),
                      VI_EDOM, bound);
    }
  else if (spec->type == VI_PARAM_INT64)
    expect_refused (type, parent, choice, spec->key,
                    g_variant_new_int64 (g_ascii_strtoll (bad, NULL, 10)), VI_EDOM, bound);
  else if (spec->type == VI_PARAM_INT_LIST)
    {
      gint64 x[1] = { g_ascii_strtoll (bad, NULL, 10) };

      expect_refused (type, parent, choice, spec->key,
                      g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, x, 1, sizeof (gint64)),
                      VI_EDOM, bound);
    }
  else if (spec->type == VI_PARAM_UINT64)
    expect_refused (type, parent, choice, spec->key,
                    g_variant_new_uint64 (g_ascii_strtoull (bad, NULL, 10)), VI_EDOM, bound);
}

static void
test_refused (void)
{
  foreach_spec (check_refused);
}

static void
test_unknown_key (void)
{
  const ViJobType *expfam = vi_job_type_lookup ("expfam");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) valid = NULL;
  GVariantDict d;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "bogus", "d", 1.0);
  valid = vi_params_validate (expfam->params, g_variant_dict_end (&d), &error);
  g_assert_null (valid);
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_true (g_str_has_prefix (error->message, "bogus: unknown parameter"));
  g_clear_error (&error);

  /* A parameter of another family is unknown too. */
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "family", "s", "gamma");
  g_variant_dict_insert (&d, "mean", "d", 1.0);
  valid = vi_params_validate (expfam->params, g_variant_dict_end (&d), &error);
  g_assert_null (valid);
  g_assert_nonnull (strstr (error->message, "shape, rate"));
}

static void
test_accepted_types (void)
{
  const ViJobType *bbvi = vi_job_type_lookup ("bbvi");
  static const guint64 counts[] = { 3, 5, 4 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) valid = NULL;
  GVariantDict d;
  gsize n = 0;
  const gint64 *c;

  /* Seeds as t or x ≥ 0; counts as at; whole doubles for integers. */
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "seed", "x", (gint64) 9);
  g_variant_dict_insert (&d, "samples", "d", 7.0);
  g_variant_dict_insert (&d, "alpha", "x", (gint64) 3);
  g_variant_dict_insert_value (&d, "counts", g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64,
                                                                       counts, 3,
                                                                       sizeof (guint64)));
  valid = vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vi_params_get_uint64 (valid, "seed"), ==, 9);
  g_assert_cmpint (vi_params_get_int64 (valid, "samples"), ==, 7);
  g_assert_cmpfloat (vi_params_get_double (valid, "alpha"), ==, 3.0);
  c = vi_params_get_int_list (valid, "counts", &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (c[0], ==, 3);
  g_assert_cmpint (c[2], ==, 4);
  g_assert_false (vi_params_has (valid, "step-size"));
  g_assert_true (isnan (vi_params_get_double (valid, "step-size")));

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "seed", "x", (gint64) -1);
  g_assert_null (vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_cmpstr (error->message, ==, "seed: expected a non-negative integer");
  g_clear_error (&error);

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "samples", "d", 7.5);
  g_assert_null (vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error));
  g_assert_cmpstr (error->message, ==, "samples: expected an integer");
}

/* The messages the old vi_params_get_* helpers gave, word for word. */
static void
test_messages (void)
{
  const ViJobType *bbvi = vi_job_type_lookup ("bbvi");
  g_autoptr(GError) error = NULL;
  GVariantDict d;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "samples", "x", (gint64) 0);
  g_assert_null (vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error));
  g_assert_cmpstr (error->message, ==, "samples must be in [1, 1000000] (got 0)");
  g_clear_error (&error);

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "kappa", "d", 1.5);
  g_assert_null (vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error));
  g_assert_cmpstr (error->message, ==, "kappa must be in [0, 1] (got 1.5)");
  g_clear_error (&error);

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "alpha", "s", "two");
  g_assert_null (vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error));
  g_assert_cmpstr (error->message, ==, "alpha: expected a number");
  g_clear_error (&error);

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "alpha", "d", 0.0);
  g_assert_null (vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error));
  g_assert_cmpstr (error->message, ==, "alpha: must be > 0 (got 0)");
}

static void
test_describe (void)
{
  const ViJobType *bbvi = vi_job_type_lookup ("bbvi");
  struct { const char *key, *range, *def; } cases[] = {
    { "samples", "[1, 1000000]", "100" },
    { "alpha", "> 0", "2" },
    { "kappa", "[0, 1]", NULL },
    { "family", "exponential | gamma | lognormal", "exponential" },
    { "seed", "≥ 0", "1" },
    { "counts-file", NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ViParamSpec *spec = vi_params_lookup (bbvi->params, cases[i].key, NULL);
      g_autofree char *range = vi_params_spec_describe_range (spec);
      g_autofree char *def = vi_params_spec_describe_default (spec);

      g_assert_cmpstr (range, ==, cases[i].range);
      g_assert_cmpstr (def, ==, cases[i].def);
    }
}

/* Human labels for run names: the bbvi and expfam tables' formats, choice
 * labels, base names of files, and the KEY=VALUE fallback. */
static void
test_describe_value (void)
{
  const ViJobType *bbvi = vi_job_type_lookup ("bbvi");
  const ViJobType *expfam = vi_job_type_lookup ("expfam");
  struct { const ViJobType *type; const char *key, *value, *label; } cases[] = {
    { bbvi, "synthetic-n", "int64 20", "N = 20" },
    { bbvi, "family", "'gamma'", "Gamma q" },
    { bbvi, "family", "'lognormal'", "LogNormal q" },
    { bbvi, "step-size", "0.05", "step 0.05" },
    { bbvi, "optimizer", "'rm'", "Robbins–Monro" },
    { bbvi, "estimators", "'naive,cv'", "estimator naive,cv" },
    { bbvi, "counts-file", "'/tmp/some dir/counts.txt'", "file counts.txt" },
    { bbvi, "seed", "uint64 7", "seed 7" },
    { bbvi, "alpha", "2.5", "α = 2.5" },
    { bbvi, "mode", "'variance'", "mode=variance" },       /* no label */
    { bbvi, "show-estimates", "true", "show-estimates=on" },
    { expfam, "family", "'gamma'", "gamma" },
    { expfam, "n", "int64 5000", "n = 5000" },
    { expfam, "batch", "int64 50", "batch 50" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ViParamSpec *spec = vi_params_lookup (cases[i].type->params, cases[i].key, NULL);
      g_autoptr(GVariant) v = g_variant_parse (NULL, cases[i].value, NULL, NULL, NULL);
      g_autofree char *label = vi_params_describe_value (spec, cases[i].key, v, NULL);

      g_assert_nonnull (spec);
      g_assert_cmpstr (label, ==, cases[i].label);
    }
  /* No spec (a family's own parameter): the key names it. */
  {
    g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_double (2.5));
    g_autofree char *label = vi_params_describe_value (NULL, "shape", v, NULL);

    g_assert_cmpstr (label, ==, "shape=2.5");
  }
}

static void
test_parse_cli (void)
{
  const ViJobType *bbvi = vi_job_type_lookup ("bbvi");
  const ViParamSpec *samples = vi_params_lookup (bbvi->params, "samples", NULL);
  const ViParamSpec *sweep = vi_params_lookup (bbvi->params, "sweep-samples", NULL);
  const char *const ok[] = { "5", "7", NULL };
  const char *const neg[] = { "-3", NULL };
  const char *const list[] = { "2, 10,100", NULL };
  const char *const frac[] = { "2,2.5", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariantDict) d = g_variant_dict_new (NULL);
  gint64 x = 0;

  /* The last occurrence wins. */
  g_assert_true (vi_params_parse_cli (samples, "--samples", ok, d, &error));
  g_assert_true (g_variant_dict_lookup (d, "samples", "x", &x));
  g_assert_cmpint (x, ==, 7);
  g_assert_false (vi_params_parse_cli (samples, "--samples", neg, d, &error));
  g_assert_cmpstr (error->message, ==, "--samples: must be an integer in [1, 1000000] (got '-3')");
  g_clear_error (&error);
  g_assert_true (vi_params_parse_cli (sweep, "--sweep-samples", list, d, &error));
  g_assert_false (vi_params_parse_cli (sweep, "--sweep-samples", frac, d, &error));
  g_assert_nonnull (strstr (error->message, "--sweep-samples: values must be integers"));
}

/* Lists read back from JSON (a session) come as boxed numbers "av": the
 * same list, whole doubles for integers; anything else is refused. */
static void
test_boxed_lists (void)
{
  const ViJobType *vae = vi_job_type_lookup ("vae");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) valid = NULL;
  g_autoptr(GVariant) v = NULL;
  const gint64 *h;
  gsize n = 0;

  g_assert_nonnull (vae);
  v = g_variant_ref_sink (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                           "{'hidden': <[<int64 500>, <300.0>]>}", NULL, NULL,
                                           &error));
  g_assert_no_error (error);
  valid = vi_params_validate (vae->params, v, &error);
  g_assert_no_error (error);
  h = vi_params_get_int_list (valid, "hidden", &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (h[0], ==, 500);
  g_assert_cmpint (h[1], ==, 300);
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_ref_sink (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                           "{'hidden': <[<300.5>]>}", NULL, NULL, NULL));
  g_assert_null (vi_params_validate (vae->params, v, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_cmpstr (error->message, ==, "hidden: expected a list of integers");
  g_clear_error (&error);
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_ref_sink (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                           "{'hidden': <[<'400'>]>}", NULL, NULL, NULL));
  g_assert_null (vi_params_validate (vae->params, v, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_clear_error (&error);
  /* Out of range as a fixed list would be. */
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_ref_sink (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                           "{'hidden': <[<int64 0>]>}", NULL, NULL, NULL));
  g_assert_null (vi_params_validate (vae->params, v, &error));
  g_assert_cmpstr (error->message, ==, "hidden: values must be in [1, 65536] (got 0)");
}

static void
mark_freed (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* vi_params_validate keeps no reference to what it is given or makes: a
 * string it passes through is freed with the dictionaries (every
 * validation leaked each such value and every default until fuzz-params
 * found it — the app validates on every edit). */
static void
test_validate_frees (void)
{
  static const ViParamSpec specs[] = {
    { .key = "name", .type = VI_PARAM_STRING, .help = "a name" },
    { .key = "list", .type = VI_PARAM_INT_LIST, .help = "a list", .imin = 0, .imax = 9 },
    { .key = NULL },
  };
  static const char name[] = "kept";
  static const gint64 list[] = { 1, 2 };
  gboolean name_freed = FALSE, list_freed = FALSE;
  g_autoptr(GError) error = NULL;
  GVariantBuilder b;
  GVariant *params, *valid;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "name",
                         g_variant_new_from_data (G_VARIANT_TYPE_STRING, name, sizeof name, TRUE,
                                                  mark_freed, &name_freed));
  g_variant_builder_add (&b, "{sv}", "list",
                         g_variant_new_from_data (G_VARIANT_TYPE ("ax"), list, sizeof list, TRUE,
                                                  mark_freed, &list_freed));
  params = g_variant_ref_sink (g_variant_builder_end (&b));
  valid = vi_params_validate (specs, params, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vi_params_get_string (valid, "name"), ==, "kept");
  g_variant_unref (params);
  g_variant_unref (valid);
  g_assert_true (name_freed);
  g_assert_true (list_freed);
}

/* A key given twice is refused: validation read the first value, while
 * merging (a GVariantDict) kept the last (found by fuzz-settings). */
static void
test_duplicate_key (void)
{
  const ViJobType *lda = vi_job_type_lookup ("lda");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;

  v = g_variant_ref_sink (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                           "{'corpus': <'bars'>, 'corpus': <true>}", NULL, NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_null (vi_job_validate (lda, v, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_cmpstr (error->message, ==, "corpus: given twice");
}

/* An integer list item far outside the range is refused before it is
 * converted: (gint64) 3.9e45 is undefined behaviour, which UBSan stops on
 * (found by fuzz-params through `--hidden 500,3888…800`). */
static void
test_int_list_huge (void)
{
  const ViJobType *vae = vi_job_type_lookup ("vae");
  const ViParamSpec *hidden = vi_params_lookup (vae->params, "hidden", NULL);
  const char *const values[] = { "500,3.9e45", NULL };
  const char *const negative[] = { "-1e300", NULL };
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (vi_params_parse_cli (hidden, "--hidden", values, dict, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_cmpstr (error->message, ==,
                   "--hidden: values must be integers in [1, 65536] (got 3.9e+45)");
  g_clear_error (&error);
  g_assert_false (vi_params_parse_cli (hidden, "--hidden", negative, dict, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_false (g_variant_dict_contains (dict, "hidden"));
}

/* Subnormal numbers are numbers; only values beyond the doubles are out of
 * range, and text that is not a number says so. */
static void
test_parse_subnormal (void)
{
  struct { const char *text; double want; } ok[] = {
    { "1e-308", 1e-308 }, { "5e-324", 4.9406564584124654e-324 }, { "-2.5e-320", -2.5e-320 },
    { "1e308", 1e308 }, { "2e-12", 2e-12 }, { "0e-400", 0.0 },
  };
  struct { const char *text, *message; } bad[] = {
    { "1e-400", "--x: out of range (got '1e-400'; doubles span about 4.9e-324 to 1.8e308 in "
                "magnitude)" },
    { "1e400", "--x: out of range (got '1e400'; doubles span about 4.9e-324 to 1.8e308 in "
               "magnitude)" },
    { "-1e999", "--x: out of range (got '-1e999'; doubles span about 4.9e-324 to 1.8e308 in "
                "magnitude)" },
    { "1e-3x", "--x: not a number (got '1e-3x')" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      double x = NAN;

      g_assert_true (vi_params_parse_double ("--x", ok[i].text, &x, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (x, ==, ok[i].want);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      double x = 7;

      g_assert_false (vi_params_parse_double ("--x", bad[i].text, &x, &error));
      g_assert_error (error, VI_ERROR, VI_EINVAL);
      g_assert_cmpstr (error->message, ==, bad[i].message);
      g_assert_cmpfloat (x, ==, 7);
    }
}

/* Quoted values are cut on a character boundary, with "…", and are valid
 * UTF-8 whatever came in. */
static void
test_excerpt (void)
{
  g_autoptr(GString) e45 = g_string_new (NULL);
  g_autoptr(GString) e40 = g_string_new (NULL);
  g_autofree char *cut = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *mixed = NULL;
  g_autofree char *invalid = NULL;

  for (int i = 0; i < 45; i++)
    g_string_append (e45, "é");
  for (int i = 0; i < 40; i++)
    g_string_append (e40, "é");
  cut = vi_params_excerpt (e45->str, 40);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_true (g_str_has_prefix (cut, e40->str));
  g_assert_cmpstr (cut + e40->len, ==, "…");
  whole = vi_params_excerpt (e40->str, 40);
  g_assert_cmpstr (whole, ==, e40->str);
  /* 39 ASCII bytes then a two-byte character: "%.40s" split it. */
  mixed = vi_params_excerpt ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\xc3\xa9", 40);
  g_assert_cmpstr (mixed, ==, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9…");
  invalid = vi_params_excerpt ("ab\xff", 40);
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "ab"));
}

static void
check_seed_spec (const ViJobType   *type,
                 const ViParamSpec *spec,
                 const ViParamSpec *parent,
                 const char        *choice)
{
  (void) parent;
  (void) choice;
  if (spec->type != VI_PARAM_UINT64)
    return;
  if (spec->umax > VI_PARAM_SEED_MAX)
    g_error ("%s: %s may exceed 2^63 - 1", type->name, spec->key);
}

/* Seeds are in [0, 2⁶³ − 1] in every table; the CLI text and settings
 * refuse one more, and the message gives the range. */
static void
test_seed_range (void)
{
  const ViJobType *bbvi = vi_job_type_lookup ("bbvi");
  const ViParamSpec *seed = vi_params_lookup (bbvi->params, "seed", NULL);
  const char *max[] = { "9223372036854775807", NULL };
  const char *over[] = { "9223372036854775808", NULL };
  const char *huge[] = { "18446744073709551615", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) valid = NULL;
  GVariantDict d;

  foreach_spec (check_seed_spec);

  g_variant_dict_init (&d, NULL);
  g_assert_true (vi_params_parse_cli (seed, "--seed", max, &d, &error));
  g_assert_no_error (error);
  valid = vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vi_params_get_uint64 (valid, "seed"), ==, G_MAXINT64);

  g_variant_dict_init (&d, NULL);
  g_assert_false (vi_params_parse_cli (seed, "--seed", over, &d, &error));
  g_assert_cmpstr (error->message, ==, "--seed: must be an integer in [0, 9223372036854775807] "
                   "(got '9223372036854775808')");
  g_clear_error (&error);
  g_assert_false (vi_params_parse_cli (seed, "--seed", huge, &d, &error));
  g_assert_cmpstr (error->message, ==, "--seed: must be an integer in [0, 9223372036854775807] "
                   "(got '18446744073709551615')");
  g_clear_error (&error);
  g_variant_dict_clear (&d);

  /* Settings (a session, GSettings) with a larger seed are refused too. */
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "seed", "t", (guint64) G_MAXINT64 + 1);
  g_assert_null (vi_params_validate (bbvi->params, g_variant_dict_end (&d), &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_assert_cmpstr (error->message, ==, "seed must be in [0, 9223372036854775807] (got "
                   "9223372036854775808)");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/core/params/job-types", test_job_types);
  g_test_add_func ("/core/params/well-formed", test_well_formed);
  g_test_add_func ("/core/params/round-trip", test_round_trip);
  g_test_add_func ("/core/params/refused", test_refused);
  g_test_add_func ("/core/params/unknown-key", test_unknown_key);
  g_test_add_func ("/core/params/accepted-types", test_accepted_types);
  g_test_add_func ("/core/params/boxed-lists", test_boxed_lists);
  g_test_add_func ("/core/params/messages", test_messages);
  g_test_add_func ("/core/params/describe", test_describe);
  g_test_add_func ("/core/params/parse-cli", test_parse_cli);
  g_test_add_func ("/core/params/describe-value", test_describe_value);
  g_test_add_func ("/core/params/validate-frees", test_validate_frees);
  g_test_add_func ("/core/params/duplicate-key", test_duplicate_key);
  g_test_add_func ("/core/params/int-list-huge", test_int_list_huge);
  g_test_add_func ("/core/params/parse-subnormal", test_parse_subnormal);
  g_test_add_func ("/core/params/excerpt", test_excerpt);
  g_test_add_func ("/core/params/seed-range", test_seed_range);
  return g_test_run ();
}
