/* test-cli-params.c — every parameter of every job's table that has a CLI
 * spelling round-trips through elbo-lab-cli (option → "parameters" in the
 * --json echo), and out-of-range values exit 2 naming the option and range
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vi-job.h"
#include "vi-params.h"
#include "vi-test-idx.h"
#include "vi-test-params.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

static Result
run_argv (GPtrArray *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Result r = { 0 };
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("ELBO_LAB_CLI"));
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, args->pdata[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static const char *const vae_file_keys[] = { "data", "test", "save-model", "load-model", NULL };
static char *vae_images, *vae_labels;

static const char *const variance_keys[] = { "mode", "at", "at-params", "repeats",
                                             "sweep-samples", "sweep-theta", NULL };

/* The arguments a run needs besides the option under test: the data for
 * bbvi (a file for --counts), the family and its parameters for expfam. */
static GPtrArray *
base_args (const ViJobType   *type,
           const ViParamSpec *spec)
{
  GPtrArray *a = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (a, g_strdup (type->name));
  g_ptr_array_add (a, g_strdup ("--json"));
  if (strcmp (type->name, "bbvi") == 0)
    {
      gboolean variance = g_strv_contains (variance_keys, spec->key);

      if (strcmp (spec->key, "counts-file") != 0)
        {
          g_ptr_array_add (a, g_strdup ("--synthetic"));
          g_ptr_array_add (a, g_strdup ("5"));
        }
      g_ptr_array_add (a, g_strdup (variance ? "--variance" : "--iterations"));
      g_ptr_array_add (a, g_strdup (variance ? "--repeats" : "3"));
      if (variance)
        g_ptr_array_add (a, g_strdup ("4"));
      /* at-params takes the parameters of a two-parameter family. */
      if (strcmp (spec->key, "at-params") == 0)
        {
          g_ptr_array_add (a, g_strdup ("--family"));
          g_ptr_array_add (a, g_strdup ("gamma"));
        }
    }
  else if (strcmp (type->name, "lda") == 0)
    {
      /* A small bars run: one pass over 100 documents. */
      const char *const small[] = { "--passes", "1", "--bars-docs", "100", "--eval-every", "0",
                                    "--threads", "1" };

      for (gsize i = 0; i < G_N_ELEMENTS (small); i++)
        g_ptr_array_add (a, g_strdup (small[i]));
    }
  else if (strcmp (type->name, "vae") == 0)
    {
      /* One epoch over the 40 images of an IDX fixture. */
      const char *const small[] = { "--epochs", "1", "--iwae", "0", "--threads", "1" };

      g_ptr_array_add (a, g_strdup_printf ("--data=idx:%s,%s", vae_images, vae_labels));
      for (gsize i = 0; i < G_N_ELEMENTS (small); i++)
        g_ptr_array_add (a, g_strdup (small[i]));
    }
  else
    {
      const ViParamSpec *family = vi_params_lookup (type->params, "family", NULL);
      const ViParamSpec *deps = vi_params_lookup (type->params, "params", NULL);
      const char *choice = vi_test_param_choice (family);

      g_ptr_array_add (a, g_strdup ("--family"));
      g_ptr_array_add (a, g_strdup (choice));
      for (const ViParamSpec *sub = deps->get_sub_specs (choice);
           spec != deps && sub->key != NULL; sub++)
        g_ptr_array_add (a, g_strdup_printf ("--param=%s=%.17g", sub->key, sub->def));
    }
  return a;
}

static JsonObject *
echo_of (const Result  *r,
         JsonParser   **parser)
{
  g_autoptr(GError) error = NULL;

  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, r->out, -1, &error);
  g_assert_no_error (error);
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (*parser)),
                                        "parameters");
}

static void
assert_echo (JsonObject *echo,
             const char *key,
             GVariant   *want)
{
  JsonNode *node = json_object_get_member (echo, key);
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GError) error = NULL;

  if (node == NULL)
    g_error ("the echo lacks '%s'", key);
  got = json_gvariant_deserialize (node, g_variant_get_type_string (want), &error);
  g_assert_no_error (error);
  g_variant_ref_sink (got);
  if (!g_variant_equal (got, want))
    {
      g_autofree char *a = g_variant_print (got, TRUE), *b = g_variant_print (want, TRUE);

      g_error ("%s: echoed %s, want %s", key, a, b);
    }
}

static const char *const lda_file_keys[] = { "corpus", "test", "stream", "load-model",
                                              "save-model", "save-topics", NULL };

static void
round_trip (const ViJobType   *type,
            const ViParamSpec *spec,
            const char        *counts_path)
{
  g_autoptr(GPtrArray) args = base_args (type, spec);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autofree char *text = NULL;
  JsonObject *echo;
  Result r;

  if (spec->type == VI_PARAM_DEPENDENT)
    {
      /* --param NAME=VALUE per parameter of the family, each echoed. */
      const char *choice = vi_test_param_choice (vi_params_lookup (type->params,
                                                                   spec->depends_on, NULL));
      const ViParamSpec *sub = spec->get_sub_specs (choice);

      for (guint i = 0; sub[i].key != NULL; i++)
        g_ptr_array_add (args, g_strdup_printf ("--%s=%s=%.17g", spec->cli.long_name, sub[i].key,
                                                vi_test_param_double (&sub[i], 0)));
      r = run_argv (args);
      g_test_message ("%s", r.err);
      g_assert_cmpint (r.status, ==, 0);
      echo = echo_of (&r, &parser);
      for (guint i = 0; sub[i].key != NULL; i++)
        {
          g_autoptr(GVariant) want = g_variant_ref_sink (
            g_variant_new_double (vi_test_param_double (&sub[i], 0)));

          assert_echo (echo, sub[i].key, want);
        }
      result_clear (&r);
      return;
    }
  /* lda's data sources and output files need real files of their kind
   * (test-lda-job and test-cli-lda cover them). */
  if (strcmp (type->name, "lda") == 0 && g_strv_contains (lda_file_keys, spec->key))
    return;
  /* So do the vae's (test-vae-job and test-cli-vae). */
  if (strcmp (type->name, "vae") == 0 && g_strv_contains (vae_file_keys, spec->key))
    return;
  value = vi_test_param_value (spec);
  if (spec->type == VI_PARAM_PATH)
    {
      g_variant_unref (value);
      value = g_variant_ref_sink (g_variant_new_string (counts_path));
    }
  text = vi_test_param_text (value);
  if (spec->cli.metavar == NULL)
    g_ptr_array_add (args, g_strdup_printf ("--%s", spec->cli.long_name));
  else
    g_ptr_array_add (args, g_strdup_printf ("--%s=%s", spec->cli.long_name, text));
  r = run_argv (args);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  echo = echo_of (&r, &parser);
  if (spec->cli.metavar == NULL)
    {
      /* A flag: the echo shows it changed the default. */
      g_autoptr(GVariant) def = vi_params_spec_default (spec);

      g_assert_cmpstr (json_object_get_string_member (echo, spec->key), !=,
                       g_variant_get_string (def, NULL));
    }
  else
    assert_echo (echo, spec->key, value);
  result_clear (&r);
}

static void
out_of_range (const ViJobType   *type,
              const ViParamSpec *spec)
{
  g_autofree char *bad = vi_test_param_out_of_range (spec);
  g_autofree char *bound = vi_test_param_bound (spec);
  g_autoptr(GPtrArray) args = NULL;
  Result r;

  if (bad == NULL || spec->cli.metavar == NULL)
    return;
  args = base_args (type, spec);
  g_ptr_array_add (args, g_strdup_printf ("--%s=%s", spec->cli.long_name, bad));
  r = run_argv (args);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpuint (strchr (r.err, '\n') - r.err + 1, ==, strlen (r.err));
  if (strstr (r.err, spec->cli.long_name) == NULL || strstr (r.err, bound) == NULL)
    g_error ("'%s' does not name %s and %s", r.err, spec->cli.long_name, bound);
  result_clear (&r);
}

static void
test_round_trip (void)
{
  const ViJobType *const *types = vi_job_types_list ();
  g_autofree char *counts = NULL;
  int fd = g_file_open_tmp ("cli-params-XXXXXX.txt", &counts, NULL);
  guint n = 0;

  close (fd);
  g_assert_true (g_file_set_contents (counts, "3\n5\n4\n", -1, NULL));
  for (guint t = 0; types[t] != NULL; t++)
    for (const ViParamSpec *spec = types[t]->params; spec->key != NULL; spec++)
      if (spec->cli.long_name != NULL)
        {
          g_test_message ("%s --%s", types[t]->name, spec->cli.long_name);
          round_trip (types[t], spec, counts);
          n++;
        }
  g_assert_cmpuint (n, >=, 20);
  g_unlink (counts);
}

static void
test_out_of_range (void)
{
  const ViJobType *const *types = vi_job_types_list ();

  for (guint t = 0; types[t] != NULL; t++)
    for (const ViParamSpec *spec = types[t]->params; spec->key != NULL; spec++)
      if (spec->cli.long_name != NULL)
        out_of_range (types[t], spec);
}

static Result
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *x = first; x != NULL; x = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) x);
  va_end (ap);
  return run_argv (args);
}

/* expfam's CLI-only settings (--at, --samples) and the sweep "auto". */
static void
test_extras (void)
{
  g_autoptr(JsonParser) pa = NULL;
  g_autoptr(JsonParser) pb = NULL;
  Result r = run_cli ("expfam", "--family", "poisson", "--param", "rate=2", "--at", "1,3",
                      "--samples", "50", "--json", NULL);
  Result s = run_cli ("bbvi", "--synthetic", "5", "--variance", "--repeats", "4",
                      "--sweep-theta", "auto", "--json", NULL);
  JsonObject *echo;

  g_assert_cmpint (r.status, ==, 0);
  echo = echo_of (&r, &pa);
  g_assert_cmpint (json_object_get_int_member (echo, "samples"), ==, 50);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (echo, "at")), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (echo, "rate"), ==, 2.0);
  g_assert_cmpint (s.status, ==, 0);
  echo = echo_of (&s, &pb);
  g_assert_cmpint (json_object_get_int_member (echo, "sweep-theta-grid"), ==, 9);
  g_assert_false (json_object_has_member (echo, "sweep-theta"));
  result_clear (&r);
  result_clear (&s);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *vae_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  vae_dir = vi_test_idx_write (40, 6, &vae_images, &vae_labels);
  g_test_add_func ("/cli/params/round-trip", test_round_trip);
  g_test_add_func ("/cli/params/out-of-range", test_out_of_range);
  g_test_add_func ("/cli/params/extras", test_extras);
  status = g_test_run ();
  vi_test_idx_remove (vae_dir);
  g_free (vae_images);
  g_free (vae_labels);
  return status;
}
