/* test-cli-json.c — every JSON the CLI writes (every subcommand's --json,
 * lda-eval's output) is strict JSON, with extreme values too: checked by
 * the strict scanner of vi-test-json.h and by Python's json module with
 * NaN/Infinity and duplicate keys refused
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "vi-test-idx.h"
#include "vi-test-json.h"

static char *tmp_dir;

/* Python's parser, strict: NaN, Infinity and duplicate keys raise. */
static const char python_check[] =
  "import json, sys\n"
  "def const(name):\n"
  "    raise ValueError('not JSON: ' + name)\n"
  "def pairs(items):\n"
  "    keys = [k for k, _ in items]\n"
  "    if len(keys) != len(set(keys)):\n"
  "        raise ValueError('duplicate key')\n"
  "    return dict(items)\n"
  "data = open(sys.argv[1], 'rb').read()\n"
  "json.loads(data.decode('utf-8', 'strict'), parse_constant=const, object_pairs_hook=pairs)\n";

static void
assert_python_strict (const char *text)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *input = g_build_filename (tmp_dir, "input.json", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { python, "-c", python_check, input, NULL };
  int status = 0;

  if (python == NULL)
    {
      g_test_message ("python3 not found: the C scanner only");
      return;
    }
  g_assert_true (g_file_set_contents (input, text, -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &status, &error));
  g_unlink (input);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("python3 json refuses the output: %s\n%s", err, text);
}

/* Runs elbo-lab-cli with @args (NULL-terminated); asserts exit 0 and that
 * stdout is strict JSON. */
static void
check_json (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *line = NULL;
  int status = 0;

  g_assert_nonnull (g_getenv ("ELBO_LAB_CLI"));
  g_ptr_array_add (argv, (char *) g_getenv ("ELBO_LAB_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  line = g_strjoinv (" ", (char **) args);
  g_test_message ("%s", line);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s: exit %d: %s", line, WEXITSTATUS (status), err);
  vi_test_assert_strict_json (out);
  assert_python_strict (out);
}

#define CHECK(...) check_json ((const char *const[]) { __VA_ARGS__, NULL })

/* Parameters and results whose shortest forms are exponents (json-glib
 * 1.6 wrote "1e+20.0"), subnormals, and values whose moments overflow. */
static void
test_expfam (void)
{
  CHECK ("expfam", "--family", "gamma", "--param", "shape=2", "--param", "rate=1e6", "--json");
  CHECK ("expfam", "--family", "gamma", "--param", "shape=2", "--param", "rate=1e6", "--samples",
         "100", "--at", "2e-12,1e-300,5e-324,1e20,1e308", "--json");
  CHECK ("expfam", "--family", "poisson", "--param", "rate=2e-12", "--samples", "100", "--at",
         "0,1,1e20", "--json");
  CHECK ("expfam", "--family", "poisson", "--param", "rate=4e9", "--samples", "10", "--json");
  CHECK ("expfam", "--family", "bernoulli", "--param", "p=5e-324", "--samples", "10", "--json");
  CHECK ("expfam", "--family", "gaussian", "--param", "mean=1e308", "--param", "variance=1e308",
         "--samples", "10", "--at", "-1e308,1e308", "--json");
  CHECK ("expfam", "--family", "gamma", "--param", "shape=5e-324", "--param", "rate=1", "--json");
  CHECK ("expfam", "--family", "beta", "--param", "a=1e-300", "--param", "b=1e20", "--json");
  CHECK ("expfam", "--family", "lognormal", "--param", "mu=-1e300", "--param", "sigma2=1e-308",
         "--seed", "9223372036854775807", "--json");
}

/* Counts summing to 1e17 (10⁵ counts of 10¹²), the variance experiment
 * and its sweeps, and extreme priors. */
static void
test_bbvi (void)
{
  g_autofree char *counts = g_build_filename (tmp_dir, "counts.txt", NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  for (int i = 0; i < 100000; i++)
    g_string_append (text, "1000000000000\n");
  g_assert_true (g_file_set_contents (counts, text->str, (gssize) text->len, NULL));
  CHECK ("bbvi", "--counts", counts, "--iterations", "50", "--json");
  CHECK ("bbvi", "--counts", counts, "--variance", "--samples", "10", "--repeats", "20",
         "--json");
  CHECK ("bbvi", "--alpha", "1e20", "--beta", "2e-12", "--iterations", "50", "--json");
  CHECK ("bbvi", "--synthetic", "1000", "--true-rate", "1e6", "--iterations", "20",
         "--estimator", "naive", "--samples", "1", "--seed", "9223372036854775807", "--json");
  CHECK ("bbvi", "--variance", "--sweep-samples", "2,10,100", "--repeats", "50", "--json");
  CHECK ("bbvi", "--variance", "--sweep-theta", "auto", "--repeats", "50", "--json");
  CHECK ("bbvi", "--family", "gamma", "--variance", "--at-params", "2e5,1e-12", "--samples",
         "10", "--repeats", "20", "--json");
  CHECK ("bbvi", "--family", "lognormal", "--iterations", "100", "--json");
  g_unlink (counts);
}

/* lda's --json, and lda-eval of its topics and of topics with extreme
 * weights (its perplexity may overflow: null). */
static void
test_lda (void)
{
  g_autofree char *corpus = g_build_filename (tmp_dir, "bars", NULL);
  g_autofree char *topics = g_build_filename (tmp_dir, "topics.txt", NULL);
  g_autofree char *extreme = g_build_filename (tmp_dir, "extreme.txt", NULL);
  g_autofree char *test_spec = g_strconcat ("uci:", corpus, "/docword.test.txt", NULL);
  g_autofree char *first = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  const char *argv[] = { cli, "corpus", "bars", "--out", corpus, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  CHECK ("lda", "--passes", "1", "--threads", "1", "--save-topics", topics, "--json");
  CHECK ("lda", "--passes", "1", "--threads", "1", "--alpha", "1e-300", "--eta", "1e6",
         "--json");
  CHECK ("lda-eval", "--topics", topics, "--test", test_spec);
  /* The saved topics with every weight scaled to extremes. */
  g_assert_true (g_file_get_contents (topics, &first, NULL, NULL));
  lines = g_strsplit (first, "\n", -1);
  for (guint k = 0; lines[k] != NULL && lines[k][0] != '\0'; k++)
    {
      g_auto(GStrv) w = g_strsplit (lines[k], " ", -1);

      for (guint i = 0; w[i] != NULL; i++)
        g_string_append_printf (rows, "%s%s", i ? " " : "",
                                i % 3 == 0 ? "1e20" : i % 3 == 1 ? "2e-12" : "1e-300");
      g_string_append_c (rows, '\n');
    }
  g_assert_true (g_file_set_contents (extreme, rows->str, -1, NULL));
  CHECK ("lda-eval", "--topics", extreme, "--test", test_spec, "--alpha", "2e-12");
  g_unlink (topics);
  g_unlink (extreme);
  vi_test_idx_remove (corpus);
}

static void
test_vae (void)
{
  g_autofree char *images = NULL, *labels = NULL;
  g_autofree char *dir = vi_test_idx_write (150, 8, &images, &labels);
  g_autofree char *spec = g_strdup_printf ("idx:%s,%s", images, labels);

  CHECK ("vae", "--data", spec, "--hidden", "16", "--threads", "1", "--epochs", "1", "--iwae",
         "5", "--json");
  CHECK ("vae", "--data", spec, "--hidden", "16", "--threads", "1", "--epochs", "1", "--iwae",
         "0", "--learning-rate", "2e-12", "--seed", "9223372036854775807", "--json");
  vi_test_idx_remove (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("cli-json-XXXXXX", NULL);
  g_test_add_func ("/cli/json/expfam", test_expfam);
  g_test_add_func ("/cli/json/bbvi", test_bbvi);
  g_test_add_func ("/cli/json/lda", test_lda);
  g_test_add_func ("/cli/json/vae", test_vae);
  status = g_test_run ();
  vi_test_idx_remove (tmp_dir);
  g_free (tmp_dir);
  return status;
}
