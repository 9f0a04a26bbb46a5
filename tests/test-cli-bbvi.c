/* test-cli-bbvi.c — `elbo-lab-cli bbvi` as a subprocess: JSON keys and
 * values, CSV, and exit codes for bad files and bad options
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vi-test-util.h"

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
run_cli (const char *first, ...)
{
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Result r = { 0 };
  int wait_status = 0;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) "bbvi");
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
  JsonNode *root;

  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (*parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
assert_members (JsonObject *o,
                const char *const *names)
{
  for (gsize i = 0; names[i] != NULL; i++)
    if (!json_object_has_member (o, names[i]))
      g_error ("JSON lacks member '%s'", names[i]);
}

static const char *const top_keys[] = {
  "model", "posterior", "log_evidence", "seed", "family", "estimator", "variational",
  "theta_opt", "elbo", "elbo_opt", "kl_to_posterior", "iterations", "seconds", "grad_var",
  "grad_snr", "grad_var_mean", NULL
};

static void
test_json_exponential (void)
{
  g_autoptr(JsonParser) parser = NULL;
  Result r = run_cli ("--synthetic", "50", "--true-rate", "4", "--seed", "1", "--estimator", "cv",
                      "--samples", "100", "--iterations", "3000", "--json", NULL);
  JsonObject *o, *model, *post, *var;
  double theta, theta_opt, elbo, elbo_opt, logz;

  g_assert_cmpint (r.status, ==, 0);
  o = parse (r.out, &parser);
  assert_members (o, top_keys);
  model = json_object_get_object_member (o, "model");
  assert_members (model, (const char *const[]) { "alpha", "beta", "n", "sum_x", NULL });
  post = json_object_get_object_member (o, "posterior");
  assert_members (post, (const char *const[]) { "shape", "rate", NULL });
  g_assert_cmpfloat (json_object_get_double_member (model, "alpha"), ==, 2.0);
  g_assert_cmpint (json_object_get_int_member (model, "n"), ==, 50);
  vi_assert_close (json_object_get_double_member (post, "shape"),
                   2.0 + json_object_get_double_member (model, "sum_x"), 0, 0);
  vi_assert_close (json_object_get_double_member (post, "rate"), 51.0, 0, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "family"), ==, "exponential");
  g_assert_cmpstr (json_object_get_string_member (o, "estimator"), ==, "cv");
  g_assert_cmpint (json_object_get_int_member (o, "iterations"), ==, 3000);
  var = json_object_get_object_member (o, "variational");
  theta = json_object_get_double_member (var, "theta");
  theta_opt = json_object_get_double_member (o, "theta_opt");
  vi_assert_close (theta_opt, 51.0 / json_object_get_double_member (post, "shape"), 0, 1e-15);
  g_assert_cmpfloat (fabs (theta / theta_opt - 1.0), <, 0.01);
  elbo = json_object_get_double_member (o, "elbo");
  elbo_opt = json_object_get_double_member (o, "elbo_opt");
  logz = json_object_get_double_member (o, "log_evidence");
  g_assert_cmpfloat (elbo, <=, elbo_opt);
  g_assert_cmpfloat (elbo_opt, <, logz);
  vi_assert_close (json_object_get_double_member (o, "kl_to_posterior"), logz - elbo, 1e-12, 1e-12);
  /* The gradient's noise: S = 100 per-sample terms give a finite variance. */
  g_assert_cmpfloat (json_object_get_double_member (o, "grad_var"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "grad_var_mean"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "grad_snr"), >=, 0);
  result_clear (&r);
}

static void
test_json_families (void)
{
  g_autoptr(JsonParser) p1 = NULL;
  g_autoptr(JsonParser) p2 = NULL;
  Result g = run_cli ("--synthetic", "50", "--family", "gamma", "--estimator", "cv-suff",
                      "--iterations", "3000", "--json", NULL);
  Result l = run_cli ("--synthetic", "50", "--family", "lognormal", "--estimator", "reparam",
                      "--iterations", "200", "--json", NULL);
  JsonObject *o;

  g_assert_cmpint (g.status, ==, 0);
  o = parse (g.out, &p1);
  assert_members (o, top_keys);
  assert_members (json_object_get_object_member (o, "variational"),
                  (const char *const[]) { "shape", "rate", NULL });
  g_assert_true (json_object_get_null_member (o, "theta_opt"));
  g_assert_cmpfloat (json_object_get_double_member (o, "kl_to_posterior"), <, 1e-3);
  vi_assert_close (json_object_get_double_member (o, "elbo_opt"),
                   json_object_get_double_member (o, "log_evidence"), 1e-10, 0);

  g_assert_cmpint (l.status, ==, 0);
  o = parse (l.out, &p2);
  assert_members (o, top_keys);
  assert_members (json_object_get_object_member (o, "variational"),
                  (const char *const[]) { "mu", "sigma2", NULL });
  result_clear (&g);
  result_clear (&l);
}

static void
check_point (JsonObject *o,
             gboolean    cv_suff_defined)
{
  static const char *const names[] = { "naive", "cv", "cv-suff", "reparam" };
  JsonObject *est;

  assert_members (o, (const char *const[]) { "theta", "samples", "repeats", "exact_gradient",
                                             "estimators", NULL });
  est = json_object_get_object_member (o, "estimators");
  for (int i = 0; i < 4; i++)
    {
      JsonObject *e = json_object_get_object_member (est, names[i]);

      g_assert_nonnull (e);
      assert_members (e, (const char *const[]) { "mean", "variance", "variance_exact", NULL });
      if (i == 2 && !cv_suff_defined)
        g_assert_true (json_object_get_null_member (e, "variance"));
      else
        g_assert_false (json_object_get_null_member (e, "variance"));
    }
}

/* The gamma family's variance experiment, per coordinate: the exponential's
 * fields stay (for coordinate 0) and "coordinates" gives each parameter's. */
static void
test_json_variance_gamma (void)
{
  static const char *const names[] = { "shape", "rate" };
  g_autoptr(JsonParser) parser = NULL;
  Result r = run_cli ("--synthetic", "50", "--variance", "--family", "gamma", "--at-params",
                      "50,15", "--samples", "10", "--repeats", "2000", "--json", NULL);
  JsonObject *o, *coords;

  g_assert_cmpint (r.status, ==, 0);
  o = parse (r.out, &parser);
  check_point (o, TRUE);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o, "params"),
                                                    "rate"), ==, 15);
  coords = json_object_get_object_member (o, "coordinates");
  for (int d = 0; d < 2; d++)
    {
      JsonObject *c = json_object_get_object_member (coords, names[d]);
      JsonObject *est = json_object_get_object_member (c, "estimators");
      JsonObject *naive = json_object_get_object_member (est, "naive");
      JsonObject *suff = json_object_get_object_member (est, "cv-suff");

      g_assert_nonnull (c);
      assert_members (naive, (const char *const[]) { "mean", "mean_stderr", "variance",
                                                     "variance_stderr", "variance_exact",
                                                     "bias", NULL });
      for (int k = 0; k < 2; k++)
        {
          JsonObject *e = k ? json_object_get_object_member (est, "reparam") : naive;

          vi_assert_close (json_object_get_double_member (e, "variance"),
                           json_object_get_double_member (e, "variance_exact"),
                           5.0 * json_object_get_double_member (e, "variance_stderr"), 0);
        }
      g_assert_cmpfloat (json_object_get_double_member (suff, "variance"), <=,
                         1e-20 * json_object_get_double_member (naive, "variance"));
    }
  result_clear (&r);
}

static void
test_json_variance (void)
{
  g_autoptr(JsonParser) parser = NULL;
  Result r = run_cli ("--synthetic", "50", "--variance", "--at", "0.3", "--samples", "100",
                      "--repeats", "2000", "--json", NULL);
  JsonObject *o, *naive;
  double exact;

  g_assert_cmpint (r.status, ==, 0);
  o = parse (r.out, &parser);
  check_point (o, TRUE);
  g_assert_cmpfloat (json_object_get_double_member (o, "theta"), ==, 0.3);
  g_assert_cmpint (json_object_get_int_member (o, "samples"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (o, "repeats"), ==, 2000);
  exact = json_object_get_double_member (o, "exact_gradient");
  naive = json_object_get_object_member (json_object_get_object_member (o, "estimators"), "naive");
  /* dELBO/dθ = (B − Aθ)/θ², not per log θ. */
  vi_assert_close (exact, (51.0 - 0.3 * json_object_get_double_member (
                             json_object_get_object_member (o, "posterior"), "shape")) / 0.09,
                   0, 1e-12);
  vi_assert_close (json_object_get_double_member (naive, "mean"), exact,
                   5.0 * sqrt (json_object_get_double_member (naive, "variance") / 2000.0), 0);
  result_clear (&r);
}

static void
test_json_sweep (void)
{
  g_autoptr(JsonParser) p1 = NULL;
  g_autoptr(JsonParser) p2 = NULL;
  Result r = run_cli ("--synthetic", "50", "--variance", "--sweep-samples", "2,10,100",
                      "--repeats", "200", "--json", NULL);
  Result t = run_cli ("--synthetic", "50", "--variance", "--sweep-theta", "0.1,0.2,0.5",
                      "--samples", "10", "--repeats", "200", "--json", NULL);
  JsonArray *a;

  g_assert_cmpint (r.status, ==, 0);
  a = json_object_get_array_member (parse (r.out, &p1), "sweep");
  g_assert_cmpuint (json_array_get_length (a), ==, 3);
  check_point (json_array_get_object_element (a, 0), FALSE);
  check_point (json_array_get_object_element (a, 2), TRUE);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (a, 1), "samples"),
                   ==, 10);

  g_assert_cmpint (t.status, ==, 0);
  a = json_object_get_array_member (parse (t.out, &p2), "sweep");
  g_assert_cmpuint (json_array_get_length (a), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (a, 2), "theta"),
                     ==, 0.5);
  {
    g_autoptr(JsonParser) p3 = NULL;
    Result g = run_cli ("--synthetic", "50", "--variance", "--sweep-theta", "auto", "--samples",
                        "10", "--repeats", "50", "--json", NULL);
    JsonObject *o;
    double theta_opt;

    g_assert_cmpint (g.status, ==, 0);
    o = parse (g.out, &p3);
    a = json_object_get_array_member (o, "sweep");
    theta_opt = json_object_get_double_member (o, "theta_opt");
    g_assert_cmpuint (json_array_get_length (a), ==, 9);
    vi_assert_close (json_object_get_double_member (json_array_get_object_element (a, 0), "theta"),
                     theta_opt / 10.0, 0, 1e-12);
    vi_assert_close (json_object_get_double_member (json_array_get_object_element (a, 4), "theta"),
                     theta_opt, 0, 1e-12);
    vi_assert_close (json_object_get_double_member (json_array_get_object_element (a, 8), "theta"),
                     theta_opt * 10.0, 0, 1e-12);
    result_clear (&g);
  }
  result_clear (&r);
  result_clear (&t);
}

static void
test_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bbvi-csv-XXXXXX", NULL);
  g_autofree char *trace = g_build_filename (dir, "trace.csv", NULL);
  g_autofree char *sweep = g_build_filename (dir, "sweep.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  Result r = run_cli ("--synthetic", "20", "--iterations", "25", "--csv", trace, NULL);
  Result s = run_cli ("--synthetic", "20", "--variance", "--sweep-samples", "2,3", "--repeats",
                      "10", "--csv", sweep, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (trace, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  /* The documented columns first, unchanged; the gradient's noise after. */
  g_assert_cmpstr (lines[0], ==, "estimator,iteration,elbo,elbo_estimate,theta,grad_var,grad_snr");
  g_assert_cmpuint (g_strv_length (lines), ==, 27);  /* header, 25 rows, "" */
  g_assert_true (g_str_has_prefix (lines[1], "cv,0,"));
  {
    g_auto(GStrv) cells = g_strsplit (lines[1], ",", -1);

    g_assert_cmpuint (g_strv_length (cells), ==, 7);
    g_assert_cmpfloat (g_ascii_strtod (cells[5], NULL), >, 0);
    g_assert_cmpfloat (g_ascii_strtod (cells[6], NULL), >, 0);
  }
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&lines, g_strfreev);

  g_assert_cmpint (s.status, ==, 0);
  g_assert_true (g_file_get_contents (sweep, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "theta,samples,repeats,estimator,mean,variance,"));
  g_assert_cmpuint (g_strv_length (lines), ==, 10);  /* header, 2 × 4 rows, "" */
  g_assert_nonnull (strstr (lines[3], ",2,10,cv-suff,,,,,"));
  g_unlink (trace);
  g_unlink (sweep);
  g_rmdir (dir);
  result_clear (&r);
  result_clear (&s);
}

static gboolean
is_png (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  return g_file_get_contents (path, &data, &len, NULL) && len > 8
         && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static void
test_plot (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bbvi-plot-XXXXXX", NULL);
  g_autofree char *trace = g_build_filename (dir, "trace.png", NULL);
  g_autofree char *sweep = g_build_filename (dir, "sweep.PNG", NULL);
  g_autofree char *svg = g_build_filename (dir, "bars.svg", NULL);
  Result r = run_cli ("--synthetic", "20", "--iterations", "50", "--plot", trace, NULL);
  Result s = run_cli ("--synthetic", "20", "--variance", "--sweep-samples", "2,10", "--repeats",
                      "20", "--plot", sweep, NULL);
  Result v = run_cli ("--synthetic", "20", "--variance", "--repeats", "20", "--plot", svg, NULL);
  Result bad = run_cli ("--synthetic", "20", "--plot", "trace.bmp", NULL);
  Result unwritable = run_cli ("--synthetic", "20", "--iterations", "5", "--plot",
                               "/nonexistent/dir/x.png", NULL);
  g_autofree char *text = NULL;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (is_png (trace));
  g_assert_cmpint (s.status, ==, 0);
  g_assert_true (is_png (sweep));
  g_assert_cmpint (v.status, ==, 0);
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<svg"));
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--plot: unknown format"));
  g_assert_cmpint (unwritable.status, ==, 1);
  g_assert_nonnull (strstr (unwritable.err, "--plot"));
  g_unlink (trace);
  g_unlink (sweep);
  g_unlink (svg);
  g_rmdir (dir);
  result_clear (&r);
  result_clear (&s);
  result_clear (&v);
  result_clear (&bad);
  result_clear (&unwritable);
}

static void
check_bad_file (const char *contents,
                gssize      len,
                const char *needle)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("bbvi-cli-XXXXXX.txt", &path, NULL);
  Result r;

  close (fd);
  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  r = run_cli ("--counts", path, "--json", NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, path));
  if (strstr (r.err, needle) == NULL)
    g_error ("stderr '%s' lacks '%s'", r.err, needle);
  g_assert_cmpuint (strchr (r.err, '\n') - r.err + 1, ==, strlen (r.err));  /* one line */
  g_unlink (path);
  result_clear (&r);
}

static void
test_bad_files (void)
{
  Result r;

  check_bad_file ("3\n-1\n", -1, ":2: negative count");
  check_bad_file ("3\n1.5\n", -1, ":2: not a non-negative integer");
  check_bad_file ("", 0, "no counts");
  check_bad_file ("\x7f" "ELF\x00\x01\x02", 7, ":1: binary data");
  r = run_cli ("--counts", "/nonexistent/counts.txt", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/counts.txt"));
  result_clear (&r);
}

static void
test_good_file (void)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("bbvi-cli-XXXXXX.txt", &path, NULL);
  Result r;
  JsonObject *model;

  close (fd);
  g_assert_true (g_file_set_contents (path, "# counts\n3\n5\n\n4 # four\n", -1, NULL));
  r = run_cli ("--counts", path, "--iterations", "10", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  model = json_object_get_object_member (parse (r.out, &parser), "model");
  g_assert_cmpint (json_object_get_int_member (model, "n"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (model, "sum_x"), ==, 12.0);
  g_unlink (path);
  result_clear (&r);
}

static void
check_usage (const char *needle,
             const char *first,
             ...)
{
  const char *args[16];
  int n = 0;
  va_list ap;
  Result r;

  va_start (ap, first);
  for (const char *a = first; a != NULL && n < 15; a = va_arg (ap, const char *))
    args[n++] = a;
  va_end (ap);
  args[n] = NULL;
  r = run_cli (args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8],
               args[9], args[10], NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  if (strstr (r.err, needle) == NULL)
    g_error ("stderr '%s' lacks '%s'", r.err, needle);
  result_clear (&r);
}

static void
test_bad_options (void)
{
  check_usage ("alpha: must be > 0 (got 0)", "--synthetic", "5", "--alpha", "0", NULL);
  check_usage ("beta: must be > 0 (got -2)", "--synthetic", "5", "--beta", "-2", NULL);
  check_usage ("--samples", "--synthetic", "5", "--samples", "0", NULL);
  check_usage ("unknown estimator 'bogus'", "--synthetic", "5", "--estimator", "bogus", NULL);
  check_usage ("cv needs at least 2 (got 1)", "--synthetic", "5", "--estimator", "cv",
               "--samples", "1", NULL);
  check_usage ("unknown family 'beta'", "--synthetic", "5", "--family", "beta", NULL);
  check_usage ("unknown optimizer 'sgd'", "--synthetic", "5", "--optimizer", "sgd", NULL);
  check_usage ("step-size: must be > 0", "--synthetic", "5", "--step-size", "-1", NULL);
  check_usage ("exclude each other", "--synthetic", "5", "--counts", "x.txt", NULL);
  /* Every family has a variance experiment now (issue #10 item 10); θ is the
   * exponential's, the others take --at-params. */
  check_usage ("at: only for the exponential family", "--synthetic", "5", "--variance",
               "--family", "gamma", "--at", "0.3", NULL);
  check_usage ("at-params: gamma needs 2 values (got 1)", "--synthetic", "5", "--variance",
               "--family", "gamma", "--at-params", "3", NULL);
  check_usage ("at-params: gamma: shape must be > 0", "--synthetic", "5", "--variance",
               "--family", "gamma", "--at-params", "-3,1", NULL);
  check_usage ("--sweep-samples", "--synthetic", "5", "--variance", "--sweep-samples", "2.5",
               NULL);
  check_usage ("--at needs --variance", "--synthetic", "5", "--at", "0.3", NULL);
  check_usage ("Unknown option", "--synthetic", "5", "--bogus", NULL);
  /* A bad option wins over a bad file. */
  check_usage ("alpha", "--counts", "/nonexistent", "--alpha", "-1", NULL);
}

/* (transfer full) @text's JSON without its "seconds". */
static char *
json_without_seconds (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o = parse (text, &parser);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_object_remove_member (o, "seconds");
  json_generator_set_root (gen, json_parser_get_root (parser));
  return json_generator_to_data (gen, NULL);
}

static double
sum_x (JsonObject *o)
{
  return json_object_get_double_member (json_object_get_object_member (o, "model"), "sum_x");
}

/* --data-seed defaults to --seed: the old command's output, bit for bit;
 * another data seed draws other data. */
static void
test_data_seed (void)
{
  g_autoptr(JsonParser) p1 = NULL;
  g_autoptr(JsonParser) p2 = NULL;
  Result old = run_cli ("--synthetic", "30", "--seed", "3", "--iterations", "300", "--estimator",
                        "naive", "--json", NULL);
  Result same = run_cli ("--synthetic", "30", "--seed", "3", "--data-seed", "3", "--iterations",
                         "300", "--estimator", "naive", "--json", NULL);
  Result other = run_cli ("--synthetic", "30", "--seed", "3", "--data-seed", "4", "--iterations",
                          "300", "--estimator", "naive", "--json", NULL);
  g_autofree char *a = NULL, *b = NULL;
  JsonObject *o, *q;

  g_assert_cmpint (old.status, ==, 0);
  g_assert_cmpint (same.status, ==, 0);
  g_assert_cmpint (other.status, ==, 0);
  a = json_without_seconds (old.out);
  b = json_without_seconds (same.out);
  g_assert_cmpstr (a, ==, b);
  o = parse (old.out, &p1);
  q = parse (other.out, &p2);
  g_assert_cmpint (json_object_get_int_member (o, "data_seed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (o, "parameters"), "data-seed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (q, "seed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (q, "data_seed"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (q, "parameters"), "data-seed"), ==, 4);
  g_assert_cmpfloat (sum_x (o), !=, sum_x (q));
  result_clear (&old);
  result_clear (&same);
  result_clear (&other);
}

/* With no data option: the app's synthetic N = 50 at rate 4. */
static void
test_defaults (void)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bbvi-plot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  Result r = run_cli ("--plot", png, NULL);
  Result j = run_cli ("--iterations", "10", "--json", NULL);
  JsonObject *o, *params;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (is_png (png));
  g_assert_cmpint (j.status, ==, 0);
  o = parse (j.out, &parser);
  params = json_object_get_object_member (o, "parameters");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "model"), "n"),
                   ==, 50);
  g_assert_cmpfloat (json_object_get_double_member (params, "true-rate"), ==, 4.0);
  g_assert_cmpint (json_object_get_int_member (params, "data-seed"), ==, 1);
  g_unlink (png);
  g_rmdir (dir);
  result_clear (&r);
  result_clear (&j);
}

static void
test_divergence (void)
{
  Result r = run_cli ("--synthetic", "50", "--estimator", "naive", "--optimizer", "rm",
                      "--step-size", "1e6", "--samples", "5", NULL);

  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "diverged at iteration"));
  result_clear (&r);
}

/* A FIFO (no writer) and a device are refused at once, exit 1; a counts
 * file with a UTF-8 byte-order mark reads; a subnormal true rate is out of
 * the table's range, not "not a number". */
static void
test_hostile_counts (void)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bbvi-cli-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *bom = g_build_filename (dir, "bom.txt", NULL);
  const char *bad[] = { fifo, "/dev/zero" };
  Result r;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      r = run_cli ("--counts", bad[i], NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, bad[i]));
      g_assert_nonnull (strstr (r.err, "not a regular file"));
      result_clear (&r);
    }
  g_assert_true (g_file_set_contents (bom, "\xEF\xBB\xBF" "3\n5\n", -1, NULL));
  r = run_cli ("--counts", bom, "--iterations", "10", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (
                       json_object_get_object_member (parse (r.out, &parser), "model"), "sum_x"),
                     ==, 8.0);
  result_clear (&r);
  check_usage ("true-rate must be in [1e-300, 1e+06] (got 4.94066e-324)", "--true-rate",
               "5e-324", NULL);
  g_unlink (fifo);
  g_unlink (bom);
  g_rmdir (dir);
}

/* The rows of @csv (header dropped), each "estimator,iteration,…". */
static GStrv
csv_rows (const char *path)
{
  g_autofree char *text = NULL;
  GStrv lines;
  guint n;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (strchr (text, '\n') + 1, "\n", -1);
  n = g_strv_length (lines);
  if (n > 0 && lines[n - 1][0] == '\0')
    g_clear_pointer (&lines[n - 1], g_free);
  return lines;
}

/* A long run's trace stays bounded (≤ 2¹² rows), every trace_stride-th
 * iteration, and its rows are the undecimated run's rows at those
 * iterations (checked over a short run's; test-bbvi's trace-decimated
 * checks the whole run). */
static void
test_trace_bounded (void)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bbvi-cli-XXXXXX", NULL);
  g_autofree char *long_csv = g_build_filename (dir, "long.csv", NULL);
  g_autofree char *short_csv = g_build_filename (dir, "short.csv", NULL);
  g_auto(GStrv) long_rows = NULL;
  g_auto(GStrv) short_rows = NULL;
  Result r = run_cli ("--iterations", "300000", "--samples", "2", "--csv", long_csv, "--json",
                      NULL);
  JsonObject *o;
  gint64 stride, points;
  guint n;

  g_assert_cmpint (r.status, ==, 0);
  o = parse (r.out, &parser);
  stride = json_object_get_int_member (o, "trace_stride");
  points = json_object_get_int_member (o, "trace_points");
  g_assert_cmpint (stride, ==, 128);
  g_assert_cmpint (points, ==, 299999 / 128 + 1);
  long_rows = csv_rows (long_csv);
  n = g_strv_length (long_rows);
  g_assert_cmpuint (n, ==, (guint) points);
  g_assert_cmpuint (n, <=, 1u << 12);
  result_clear (&r);

  /* The first 4000 iterations of both runs are the same steps. */
  r = run_cli ("--iterations", "4000", "--samples", "2", "--csv", short_csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  short_rows = csv_rows (short_csv);
  g_assert_cmpuint (g_strv_length (short_rows), ==, 4000);
  for (guint i = 0; i < n && i * (guint) stride < 4000; i++)
    {
      g_autofree char *want = g_strdup_printf ("cv,%u,", i * (guint) stride);

      g_assert_true (g_str_has_prefix (long_rows[i], want));
      g_assert_cmpstr (long_rows[i], ==, short_rows[i * (guint) stride]);
    }
  result_clear (&r);
  g_unlink (long_csv);
  g_unlink (short_csv);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/bbvi/json-exponential", test_json_exponential);
  g_test_add_func ("/cli/bbvi/json-families", test_json_families);
  g_test_add_func ("/cli/bbvi/json-variance", test_json_variance);
  g_test_add_func ("/cli/bbvi/json-variance-gamma", test_json_variance_gamma);
  g_test_add_func ("/cli/bbvi/json-sweep", test_json_sweep);
  g_test_add_func ("/cli/bbvi/csv", test_csv);
  g_test_add_func ("/cli/bbvi/plot", test_plot);
  g_test_add_func ("/cli/bbvi/good-file", test_good_file);
  g_test_add_func ("/cli/bbvi/bad-files", test_bad_files);
  g_test_add_func ("/cli/bbvi/bad-options", test_bad_options);
  g_test_add_func ("/cli/bbvi/divergence", test_divergence);
  g_test_add_func ("/cli/bbvi/data-seed", test_data_seed);
  g_test_add_func ("/cli/bbvi/defaults", test_defaults);
  g_test_add_func ("/cli/bbvi/hostile-counts", test_hostile_counts);
  g_test_add_func ("/cli/bbvi/trace-bounded", test_trace_bounded);
  return g_test_run ();
}
