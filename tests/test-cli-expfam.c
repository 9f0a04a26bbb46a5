/* test-cli-expfam.c — `elbo-lab-cli expfam` as a subprocess: JSON against
 * independent closed forms, Monte Carlo within 5 standard errors, exit codes
 * and one-line errors
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>

#include "expfam-closed-forms.h"
#include "vi-test-util.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs elbo-lab-cli with the NULL-terminated argument list. */
static CliResult
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  CliResult r = { 0 };
  int wait_status = 0;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r.out, &r.err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("output is not JSON: %s\n%s", error->message, text);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static double
array_get (JsonArray *a,
           guint      i)
{
  JsonNode *n = json_array_get_element (a, i);
  return JSON_NODE_HOLDS_NULL (n) ? NAN : json_node_get_double (n);
}

static void
assert_vector (JsonObject   *o,
               const char   *key,
               const double *want,
               int           d,
               double        rtol)
{
  JsonArray *a = json_object_get_array_member (o, key);

  g_assert_nonnull (a);
  g_assert_cmpuint (json_array_get_length (a), ==, (guint) d);
  for (int i = 0; i < d; i++)
    vi_assert_close (array_get (a, i), want[i], 1e-300, rtol);
}

static void
assert_matrix (JsonObject   *o,
               const char   *key,
               const double *want,
               int           d,
               double        atol,
               double        rtol)
{
  JsonArray *rows = json_object_get_array_member (o, key);
  double scale = 0;

  /* Relative to the matrix's largest entry: an exact zero (gaussian I(θ)
   * off the diagonal) comes out of Jᵀ I(η) J as a rounding residue. */
  for (int k = 0; k < d * d; k++)
    scale = MAX (scale, fabs (want[k]));
  atol = MAX (atol, rtol * scale);
  g_assert_nonnull (rows);
  g_assert_cmpuint (json_array_get_length (rows), ==, (guint) d);
  for (int i = 0; i < d; i++)
    {
      JsonArray *row = json_array_get_array_element (rows, i);
      g_assert_cmpuint (json_array_get_length (row), ==, (guint) d);
      for (int j = 0; j < d; j++)
        vi_assert_close (array_get (row, j), want[i * d + j], atol, rtol);
    }
}

static const char *const param_names[][2] = {
  { "rate", NULL }, { "rate", NULL }, { "p", NULL }, { "mean", "variance" },
  { "shape", "rate" }, { "mu", "sigma2" }, { "a", "b" },
};
static const char *const families[] = {
  "poisson", "exponential", "bernoulli", "gaussian", "gamma", "lognormal", "beta",
};

static const char *const *
names_for (const char *family)
{
  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    if (strcmp (families[i], family) == 0)
      return param_names[i];
  g_assert_not_reached ();
}

static void
test_json_matches_closed_forms (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (param_cases); c++)
    {
      const ParamCase *pc = &param_cases[c];
      const char *const *names = names_for (pc->family);
      g_autofree char *p0 = g_strdup_printf ("%s=%.17g", names[0], pc->theta[0]);
      g_autofree char *p1 = names[1] ? g_strdup_printf ("%s=%.17g", names[1], pc->theta[1]) : NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      CliResult r;
      JsonObject *o, *mc, *params;
      JsonArray *order;
      ClosedForm cf;
      double se[4] = { 0 };
      JsonArray *rows;

      if (p1 != NULL)
        r = run_cli ("expfam", "--family", pc->family, "--param", p0, "--param", p1,
                     "--samples", "200000", "--seed", "7", "--json", NULL);
      else
        r = run_cli ("expfam", "--family", pc->family, "--param", p0,
                     "--samples", "200000", "--seed", "7", "--json", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      o = parse_object (r.out, parser);
      g_assert_true (closed_form (pc->family, pc->theta, &cf));

      g_assert_cmpstr (json_object_get_string_member (o, "family"), ==, pc->family);
      order = json_object_get_array_member (o, "param_order");
      g_assert_cmpuint (json_array_get_length (order), ==, (guint) cf.dim);
      params = json_object_get_object_member (o, "params");
      for (int i = 0; i < cf.dim; i++)
        {
          g_assert_cmpstr (json_array_get_string_element (order, i), ==, names[i]);
          vi_assert_close (json_object_get_double_member (params, names[i]), pc->theta[i],
                           0, 1e-15);
        }
      assert_vector (o, "natural", cf.eta, cf.dim, 1e-9);
      vi_assert_close (json_object_get_double_member (o, "log_partition"), cf.log_partition,
                       1e-300, 1e-9);
      assert_vector (o, "mean_sufficient", cf.mean, cf.dim, 1e-9);
      assert_matrix (o, "fisher_natural", cf.fisher_eta, cf.dim, 1e-300, 1e-9);
      assert_matrix (o, "fisher_params", cf.fisher_theta, cf.dim, 1e-300, 1e-9);
      g_assert_false (json_object_has_member (o, "log_density"));

      mc = json_object_get_object_member (o, "mc");
      g_assert_nonnull (mc);
      g_assert_cmpint (json_object_get_int_member (mc, "samples"), ==, 200000);
      g_assert_cmpint (json_object_get_int_member (mc, "seed"), ==, 7);
      for (int i = 0; i < cf.dim; i++)
        se[i] = array_get (json_object_get_array_member (mc, "mean_sufficient_stderr"), i);
      for (int i = 0; i < cf.dim; i++)
        vi_assert_close (array_get (json_object_get_array_member (mc, "mean_sufficient"), i),
                         cf.mean[i], 5 * se[i], 0);
      rows = json_object_get_array_member (mc, "fisher_natural_stderr");
      for (int i = 0; i < cf.dim; i++)
        for (int j = 0; j < cf.dim; j++)
          {
            double s = array_get (json_array_get_array_element (rows, i), j);
            double got = array_get (json_array_get_array_element (
                                      json_object_get_array_member (mc, "fisher_natural"), i), j);
            vi_assert_close (got, cf.fisher_eta[i * cf.dim + j], 5 * s, 0);
          }
      cli_result_clear (&r);
    }
}

static void
test_log_density_null_outside_support (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  CliResult r = run_cli ("expfam", "--family", "gamma", "--param", "shape=2.5", "--param",
                         "rate=1.5", "--at", "-1,0.5,1,2", "--json", NULL);
  JsonObject *o;
  JsonArray *ld;
  double want[3];

  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out, parser);
  ld = json_object_get_array_member (o, "log_density");
  g_assert_cmpuint (json_array_get_length (ld), ==, 4);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (ld, 0)));
  /* log Gamma(x | 2.5, rate 1.5) written out */
  for (int i = 0; i < 3; i++)
    {
      double x = (double[]) { 0.5, 1, 2 }[i];
      want[i] = 2.5 * log (1.5) - lgamma (2.5) + 1.5 * log (x) - 1.5 * x;
      vi_assert_close (array_get (ld, i + 1), want[i], 1e-300, 1e-12);
    }
  g_assert_cmpint (json_object_get_int_member (o, "seed"), ==, 1);
  g_assert_null (strstr (r.out, "inf"));
  g_assert_null (strstr (r.out, "nan"));
  cli_result_clear (&r);
}

static void
test_text_output (void)
{
  CliResult r = run_cli ("expfam", "--family", "poisson", "--param", "rate=4", "--at", "3",
                         NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "family"));
  g_assert_nonnull (strstr (r.out, "poisson"));
  g_assert_nonnull (strstr (r.out, "Fisher I(params)"));
  g_assert_nonnull (strstr (r.out, "0.25"));   /* I(λ) = 1/λ */
  cli_result_clear (&r);
}

static void
expect_usage_error (const char *must_mention,
                    const char *first,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  int wait_status = 0;
  const char *nl;
  va_list ap;

  g_ptr_array_add (argv, (char *) cli);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &wait_status, &error));
  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) != 2)
    g_error ("exit %d, want 2; stderr: %s", WEXITSTATUS (wait_status), err);
  g_assert_cmpstr (out, ==, "");
  /* exactly one line on stderr, naming the culprit */
  nl = strchr (err, '\n');
  g_assert_nonnull (nl);
  g_assert_cmpstr (nl + 1, ==, "");
  if (strstr (err, must_mention) == NULL)
    g_error ("stderr '%s' does not mention '%s'", err, must_mention);
}

static void
test_usage_errors (void)
{
  expect_usage_error ("cauchy", "expfam", "--family", "cauchy", "--param", "rate=1", NULL);
  expect_usage_error ("--family", "expfam", "--param", "rate=1", NULL);
  expect_usage_error ("--bogus", "expfam", "--family", "poisson", "--param", "rate=1", "--bogus",
                      NULL);
  expect_usage_error ("'abc'", "expfam", "--family", "gamma", "--param", "shape=abc", "--param",
                      "rate=1", NULL);
  expect_usage_error ("'shape'", "expfam", "--family", "gamma", "--param", "shape", "--param",
                      "rate=1", NULL);
  expect_usage_error ("'=3'", "expfam", "--family", "gamma", "--param", "=3", "--param", "rate=1",
                      NULL);
  expect_usage_error ("rate", "expfam", "--family", "gamma", "--param", "shape=2", NULL);
  expect_usage_error ("'scale'", "expfam", "--family", "gamma", "--param", "shape=2", "--param",
                      "scale=1", NULL);
  expect_usage_error ("shape must be", "expfam", "--family", "gamma", "--param", "shape=-1",
                      "--param", "rate=1", NULL);
  expect_usage_error ("(got -1)", "expfam", "--family", "gamma", "--param", "shape=-1",
                      "--param", "rate=1", NULL);
  expect_usage_error ("p must be in (0, 1)", "expfam", "--family", "bernoulli", "--param",
                      "p=1.5", NULL);
  expect_usage_error ("variance", "expfam", "--family", "gaussian", "--param", "mean=0",
                      "--param", "variance=nan", NULL);
  expect_usage_error ("--samples", "expfam", "--family", "poisson", "--param", "rate=1",
                      "--samples", "0", NULL);
  expect_usage_error ("--samples", "expfam", "--family", "poisson", "--param", "rate=1",
                      "--samples", "-5", NULL);
  expect_usage_error ("--samples", "expfam", "--family", "poisson", "--param", "rate=1",
                      "--samples", "1e3x", NULL);
  expect_usage_error ("--seed", "expfam", "--family", "poisson", "--param", "rate=1", "--seed",
                      "x", NULL);
  expect_usage_error ("--at", "expfam", "--family", "poisson", "--param", "rate=1", "--at",
                      "1,,2", NULL);
  expect_usage_error ("frobnicate", "frobnicate", NULL);
  expect_usage_error ("--nope", "--nope", NULL);
}

static void
test_help_and_version (void)
{
  CliResult r = run_cli ("--version", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "elbo-lab-cli " PACKAGE_VERSION "\n"));
  cli_result_clear (&r);

  r = run_cli ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "expfam"));
  cli_result_clear (&r);

  r = run_cli ("expfam", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--family"));
  g_assert_nonnull (strstr (r.out, "--samples"));
  cli_result_clear (&r);
}

/* `expfam --plot FILE` alone: the app's default family at its defaults;
 * a --param without --family stays an error (usage-errors). */
static void
test_plot_defaults (void)
{
  g_autofree char *dir = g_dir_make_tmp ("expfam-plot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  CliResult r = run_cli ("expfam", "--plot", png, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "gaussian"));
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_remove (png);
  g_rmdir (dir);
  cli_result_clear (&r);
}

/* The largest Poisson rate the sampler takes returns promptly with sane
 * moments; one above it is a usage error naming the parameter and range. */
static void
test_poisson_large_rate (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  CliResult r = run_cli ("expfam", "--family", "poisson", "--param", "rate=4e9", "--samples",
                         "1000", "--json", NULL);
  JsonObject *o, *mc;
  double mean;

  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out, parser);
  mc = json_object_get_object_member (o, "mc");
  g_assert_nonnull (mc);
  mean = array_get (json_object_get_array_member (mc, "mean_sufficient"), 0);
  vi_assert_close (mean, 4e9, 5.0 * sqrt (4e9 / 1000), 0.0);
  cli_result_clear (&r);
  expect_usage_error ("poisson: rate must be in (0, 4e+09] (got 5000000000)", "expfam",
                      "--family", "poisson", "--param", "rate=5e9", "--samples", "10", NULL);
}

/* Seeds: 2⁶³ − 1 is echoed as given and feeds back to the same draws;
 * 2⁶³ and 2⁶⁴ − 1 are refused with the range. */
static void
test_seed_range (void)
{
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  CliResult a = run_cli ("expfam", "--family", "poisson", "--param", "rate=3", "--samples", "50",
                         "--seed", "9223372036854775807", "--json", NULL);
  CliResult b = { 0 };
  g_autofree char *echoed = NULL;
  JsonObject *o;

  g_assert_cmpint (a.status, ==, 0);
  o = parse_object (a.out, p1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "parameters"),
                                               "seed"), ==, G_MAXINT64);
  echoed = g_strdup_printf ("%" G_GINT64_FORMAT,
                            json_object_get_int_member (json_object_get_object_member (o,
                                                        "parameters"), "seed"));
  b = run_cli ("expfam", "--family", "poisson", "--param", "rate=3", "--samples", "50",
               "--seed", echoed, "--json", NULL);
  g_assert_cmpint (b.status, ==, 0);
  parse_object (b.out, p2);
  g_assert_true (json_node_equal (json_object_get_member (o, "mc"),
                                  json_object_get_member (json_node_get_object (
                                    json_parser_get_root (p2)), "mc")));
  cli_result_clear (&a);
  cli_result_clear (&b);
  expect_usage_error ("--seed: must be an integer in [0, 9223372036854775807] "
                      "(got '9223372036854775808')", "expfam", "--family", "poisson",
                      "--param", "rate=1", "--seed", "9223372036854775808", NULL);
  expect_usage_error ("--seed: must be an integer in [0, 9223372036854775807] "
                      "(got '18446744073709551615')", "expfam", "--family", "poisson",
                      "--param", "rate=1", "--seed", "18446744073709551615", NULL);
}

/* Subnormal parameter values are numbers (accepted where the family's
 * range allows), never "not a number"; beyond the doubles is "out of
 * range". */
static void
test_subnormal_values (void)
{
  CliResult r = run_cli ("expfam", "--family", "gaussian", "--param", "mean=5e-324", "--param",
                         "variance=1", "--json", NULL);

  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  r = run_cli ("expfam", "--family", "bernoulli", "--param", "p=1e-308", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  expect_usage_error ("--param mean: out of range (got '1e-400'", "expfam", "--family",
                      "gaussian", "--param", "mean=1e-400", "--param", "variance=1", NULL);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/expfam/json-matches-closed-forms", test_json_matches_closed_forms);
  g_test_add_func ("/cli/expfam/log-density-null-outside-support",
                   test_log_density_null_outside_support);
  g_test_add_func ("/cli/expfam/text-output", test_text_output);
  g_test_add_func ("/cli/expfam/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/expfam/help-and-version", test_help_and_version);
  g_test_add_func ("/cli/expfam/plot-defaults", test_plot_defaults);
  g_test_add_func ("/cli/expfam/poisson-large-rate", test_poisson_large_rate);
  g_test_add_func ("/cli/expfam/seed-range", test_seed_range);
  g_test_add_func ("/cli/expfam/subnormal-values", test_subnormal_values);
  return g_test_run ();
}
