/* test-cli-vae.c — `elbo-lab-cli vae` as a subprocess on an IDX fixture:
 * the JSON fields, --csv, --save/--load resuming, usage errors (exit 2
 * naming the option) and bad files (exit 1 naming the file)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vi-test-idx.h"
#include "vi-test-json.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Result;

static char *fixture_dir, *data_spec;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (fixture_dir, name, NULL);
}

/* Runs `elbo-lab-cli vae --data FIXTURE --hidden 16 --threads 1` and the
 * arguments (NULL-terminated). */
static Result
run_vae (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *fixed[] = { "vae", "--data", data_spec, "--hidden", "16", "--threads", "1" };
  Result r = { 0 };
  int wait_status = 0;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("ELBO_LAB_CLI"));
  for (gsize i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (argv, (char *) fixed[i]);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static JsonObject *
parse (const char  *text,
       JsonParser **parser)
{
  g_autoptr(GError) error = NULL;

  vi_test_assert_strict_json (text);
  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

static void
test_json (void)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *csv = tmp_path ("trace.csv");
  g_autofree char *csv_text = NULL;
  g_auto(GStrv) lines = NULL;
  Result r = run_vae ("--epochs", "3", "--latent", "3", "--batch-size", "32", "--iwae", "4",
                      "--json", "--csv", csv, NULL);
  JsonObject *o;
  JsonArray *trace;
  const char *const numbers[] = { "seconds_per_epoch", "cpu_seconds_per_epoch",
                                  "gflops_per_second", "train_elbo",
                                  "test_elbo", "test_iwae", "reconstruction", "kl" };

  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  o = parse (r.out, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "architecture"), ==, "64-16-3");
  g_assert_cmpint (json_object_get_int_member (o, "epochs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "batches"), ==, 3 * 5);
  g_assert_cmpint (json_object_get_int_member (o, "train_images"), ==, 150);
  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_assert_true (isfinite (json_object_get_double_member (o, numbers[i])));
  g_assert_cmpfloat (json_object_get_double_member (o, "test_elbo"), <, 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "test_elbo"),
                                  json_object_get_double_member (o, "reconstruction")
                                  - json_object_get_double_member (o, "kl"), 1e-6);
  g_assert_cmpint (json_object_get_int_member (o, "active_units"), <=, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "kl_per_dim")), ==, 3);
  trace = json_object_get_array_member (o, "trace");
  g_assert_cmpuint (json_array_get_length (trace), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *t = json_array_get_object_element (trace, i);

      g_assert_cmpfloat (json_object_get_double_member (t, "epoch"), ==, i + 1);
      g_assert_cmpfloat (json_object_get_double_member (t, "epoch_seconds"), >, 0);
    }
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv_text, "epoch,seconds,train_elbo,test_elbo,"
                                   "reconstruction,kl\n1,"));
  lines = g_strsplit (csv_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  result_clear (&r);
  g_unlink (csv);
}

static double
test_elbo_of (Result *r)
{
  g_autoptr(JsonParser) parser = NULL;
  double x;

  g_test_message ("%s", r->err);
  g_assert_cmpint (r->status, ==, 0);
  x = json_object_get_double_member (parse (r->out, &parser), "test_elbo");
  result_clear (r);
  return x;
}

/* 2 epochs saved then 2 more loaded equal 4 epochs in one go; --load
 * takes the file's architecture. */
static void
test_save_load (void)
{
  g_autofree char *model = tmp_path ("m.vae");
  Result whole = run_vae ("--epochs", "4", "--iwae", "0", "--json", NULL);
  Result first = run_vae ("--epochs", "2", "--iwae", "0", "--save", model, NULL);
  Result second;
  double want = test_elbo_of (&whole);

  g_test_message ("%s", first.err);
  g_assert_cmpint (first.status, ==, 0);
  result_clear (&first);
  second = run_vae ("--epochs", "4", "--iwae", "0", "--json", "--load", model, NULL);
  g_assert_cmpfloat (test_elbo_of (&second), ==, want);
  /* The same latent as the file is no conflict. */
  second = run_vae ("--epochs", "3", "--iwae", "0", "--latent", "2", "--json", "--load", model,
                    NULL);
  g_assert_true (isfinite (test_elbo_of (&second)));
  g_unlink (model);
}

static void
expect_exit (int         code,
             const char *needle,
             Result      r)
{
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, code);
  g_assert_nonnull (strstr (r.err, needle));
  g_assert_cmpstr (strchr (r.err, '\n'), ==, "\n");
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);
}

static void
test_errors (void)
{
  g_autofree char *model = tmp_path ("e.vae");
  g_autofree char *bad = tmp_path ("bad-idx3-ubyte");
  g_autofree char *bad_spec = g_strconcat ("idx:", bad, NULL);
  Result r = run_vae ("--epochs", "1", "--iwae", "0", "--save", model, NULL);

  g_assert_cmpint (r.status, ==, 0);
  /* The text output names what it measured: no IWAE bound (and no "nan")
   * with --iwae 0, the bound with --iwae K. */
  g_assert_nonnull (strstr (r.out, "test ELBO -"));
  g_assert_null (strstr (r.out, "IWAE"));
  g_assert_null (strstr (r.out, "nan"));
  result_clear (&r);
  r = run_vae ("--epochs", "1", "--iwae", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, ", IWAE -"));
  g_assert_null (strstr (r.out, "nan"));
  result_clear (&r);
  expect_exit (2, "--latent", run_vae ("--latent", "0", NULL));
  expect_exit (2, "--batch-size", run_vae ("--batch-size", "x", NULL));
  expect_exit (2, "data", run_vae ("--data", "mnist", NULL));
  expect_exit (2, "hidden", run_vae ("--hidden", "4,4,4,4,4", NULL));
  expect_exit (2, "--latent", run_vae ("--load", model, "--latent", "5", NULL));
  expect_exit (2, "--hidden", run_vae ("--load", model, "--hidden", "17", NULL));
  /* Malformed IDX and model files: exit 1 naming the file. */
  g_assert_true (g_file_set_contents (bad, "\0\0\x08\x03\0\0\0\x05", 8, NULL));
  expect_exit (1, bad, run_vae ("--data", bad_spec, NULL));
  g_assert_true (g_file_set_contents (bad, "ELBOVAE", 8, NULL));
  expect_exit (1, bad, run_vae ("--load", bad, NULL));
  g_unlink (bad);
  g_unlink (model);
}

/* @path holds at least @min_size bytes starting with @magic. */
static void
check_magic (const char *path,
             const char *magic,
             gsize       min_size)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >=, min_size);
  g_assert_cmpmem (data, strlen (magic), magic, strlen (magic));
}

/* --plot writes the overview as PNG, SVG, PDF, or its data as CSV; another
 * extension is a usage error naming the option. */
static void
test_plot (void)
{
  const char *names[] = { "vae.png", "vae.svg", "vae.pdf", "vae.csv" };
  const char *magic[] = { "\x89PNG\r\n\x1a\n", "<?xml", "%PDF-", "" };
  g_autofree char *bad = tmp_path ("vae.bmp");
  g_autofree char *unwritable = g_build_filename (fixture_dir, "missing", "vae.png", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = tmp_path (names[i]);
      Result r = run_vae ("--epochs", "2", "--iwae", "0", "--latent", "2", "--plot", path,
                          NULL);

      g_test_message ("%s", r.err);
      g_assert_cmpint (r.status, ==, 0);
      check_magic (path, magic[i], 1000);
      if (i == 1)
        {
          g_autofree char *svg = NULL;

          g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
          g_assert_nonnull (strstr (svg, "<svg"));
          g_assert_nonnull (strstr (svg, "<image"));   /* the reconstructions */
        }
      if (i == 3)
        {
          g_autofree char *csv = NULL;
          g_auto(GStrv) lines = NULL;
          guint n_cols = 0;

          g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
          g_assert_true (g_utf8_validate (csv, -1, NULL));
          lines = g_strsplit (csv, "\n", -1);
          g_assert_cmpuint (g_strv_length (lines), >=, 3);
          g_assert_nonnull (strstr (csv, "test ELBO"));
          /* Every row has as many fields as the header. */
          for (guint k = 0; lines[k] != NULL && lines[k][0] != '\0'; k++)
            {
              g_auto(GStrv) fields = g_strsplit (lines[k], ",", -1);

              if (k == 0)
                n_cols = g_strv_length (fields);
              g_assert_cmpuint (g_strv_length (fields), ==, n_cols);
            }
          g_assert_cmpuint (n_cols, >=, 2);
        }
      result_clear (&r);
      g_unlink (path);
    }
  expect_exit (2, "--plot", run_vae ("--epochs", "1", "--plot", bad, NULL));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  expect_exit (1, unwritable, run_vae ("--epochs", "1", "--iwae", "0", "--plot", unwritable,
                                       NULL));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *images = NULL, *labels = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture_dir = vi_test_idx_write (150, 8, &images, &labels);
  data_spec = g_strdup_printf ("idx:%s,%s", images, labels);
  g_test_add_func ("/cli/vae/json", test_json);
  g_test_add_func ("/cli/vae/save-load", test_save_load);
  g_test_add_func ("/cli/vae/errors", test_errors);
  g_test_add_func ("/cli/vae/plot", test_plot);
  status = g_test_run ();
  vi_test_idx_remove (fixture_dir);
  g_free (fixture_dir);
  g_free (data_spec);
  return status;
}
