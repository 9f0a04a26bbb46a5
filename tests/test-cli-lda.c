/* test-cli-lda.c — `elbo-lab-cli lda`, `lda-eval` and `corpus` as
 * subprocesses: the JSON fields, --save-topics scored by lda-eval, the
 * files corpus writes, usage and data errors
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vi-core-autocleanups.h"
#include "vi-corpus.h"
#include "vi-test-json.h"
#include "vi-test-util.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Result;

static char *tmp_dir;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs elbo-lab-cli with the arguments (NULL-terminated), its KJV cache in
 * the test's folder. */
static Result
run_cli (const char *first,
         ...)
{
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = tmp_path ("cache");
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_CACHE_HOME", cache, TRUE);
  Result r = { 0 };
  int wait_status = 0;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
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

/* The bars split as lda makes it, written by `corpus bars`. */
static char *
bars_dir (void)
{
  char *dir = tmp_path ("bars");
  g_autofree char *docword = g_build_filename (dir, "docword.train.txt", NULL);
  Result r;

  if (g_file_test (docword, G_FILE_TEST_EXISTS))
    return dir;
  r = run_cli ("corpus", "bars", "--out", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "D 2000\nW 25\ntokens 200000\n"));
  result_clear (&r);
  return dir;
}

static void
test_json (void)
{
  g_autofree char *topics = tmp_path ("topics.txt"), *csv = tmp_path ("trace.csv");
  g_autofree char *dir = bars_dir ();
  g_autofree char *test_spec = g_strconcat ("uci:", dir, "/docword.test.txt", NULL);
  g_autofree char *csv_text = NULL;
  g_autoptr(JsonParser) parser = NULL, eval_parser = NULL;
  const char *const fields[] = { "docs", "vocab", "tokens", "topics", "algorithm", "threads",
                                 "seconds", "docs_per_second", "heldout_perplexity",
                                 "coherence", "trace" };
  Result r = run_cli ("lda", "--passes", "2", "--threads", "1", "--json", "--save-topics",
                      topics, "--csv", csv, NULL);
  JsonObject *o, *e;
  JsonArray *t, *trace;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  o = parse (r.out, &parser);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_true (json_object_has_member (o, fields[i]));
  g_assert_cmpint (json_object_get_int_member (o, "docs"), ==, 1800);
  g_assert_cmpint (json_object_get_int_member (o, "vocab"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (o, "tokens"), ==, 180000);
  g_assert_cmpint (json_object_get_int_member (o, "threads"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "algorithm"), ==, "svi");
  g_assert_cmpfloat (json_object_get_double_member (o, "seconds"), >, 0);
  vi_assert_close (json_object_get_double_member (o, "docs_per_second"),
                   2 * 1800 / json_object_get_double_member (o, "seconds"), 0, 1e-12);
  t = json_object_get_array_member (o, "topics");
  g_assert_cmpuint (json_array_get_length (t), ==, 10);
  for (guint k = 0; k < 10; k++)
    {
      JsonObject *topic = json_array_get_object_element (t, k);

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (topic,
                                                                             "top_words")),
                        ==, 10);
      g_assert_true (json_object_has_member (topic, "coherence"));
      g_assert_true (json_object_has_member (topic, "prevalence"));
    }
  trace = json_object_get_array_member (o, "trace");
  g_assert_cmpuint (json_array_get_length (trace), >, 1);
  for (guint i = 0; i < json_array_get_length (trace); i++)
    {
      JsonObject *p = json_array_get_object_element (trace, i);

      g_assert_true (json_object_has_member (p, "docs_seen"));
      g_assert_true (json_object_has_member (p, "rho"));
      g_assert_true (json_object_has_member (p, "elbo_estimate"));
      g_assert_true (json_object_has_member (p, "heldout_perplexity"));
    }
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     trace, json_array_get_length (trace) - 1), "docs_seen"), ==, 3600);

  /* The CSV trace: a header and one row per trace point, '.' decimals. */
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  vi_test_assert_csv_dot (csv_text);
  lines = g_strsplit (csv_text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "algorithm,docs_seen,rho,elbo_estimate,heldout_perplexity,"
                                 "seconds");
  g_assert_cmpuint (g_strv_length (lines), ==, json_array_get_length (trace) + 2);

  /* lda-eval of the saved topics is the job's own held-out perplexity. */
  result_clear (&r);
  r = run_cli ("lda-eval", "--topics", topics, "--test", test_spec, "--alpha", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  e = parse (r.out, &eval_parser);
  g_assert_cmpfloat (json_object_get_double_member (e, "perplexity"), ==,
                     json_object_get_double_member (o, "heldout_perplexity"));
  g_assert_cmpint (json_object_get_int_member (e, "docs"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (e, "held_out_tokens"), ==, 200 * 20);
  result_clear (&r);
}

static void
test_corpus (void)
{
  g_autofree char *dir = bars_dir ();
  g_autofree char *train = g_build_filename (dir, "docword.train.txt", NULL);
  g_autofree char *test = g_build_filename (dir, "docword.test.txt", NULL);
  g_autofree char *vocab = g_build_filename (dir, "vocab.txt", NULL);
  g_autofree char *syn = tmp_path ("syn");
  g_autofree char *syn_doc = g_build_filename (syn, "docword.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) a = vi_corpus_read_uci (train, vocab, &error);
  g_autoptr(ViCorpus) b = NULL, s = NULL;
  Result r;

  g_assert_no_error (error);
  b = vi_corpus_read_uci (test, vocab, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->n_docs, ==, 1800);
  g_assert_cmpuint (b->n_docs, ==, 200);
  g_assert_cmpuint (a->n_words, ==, 25);
  g_assert_cmpstr (a->vocab[0], ==, "r0c0");
  g_assert_cmpuint (a->n_tokens + b->n_tokens, ==, 200000);

  r = run_cli ("corpus", "--synthetic", "100,50,3,20", "--out", syn, NULL);
  g_assert_cmpint (r.status, ==, 0);
  s = vi_corpus_read_uci (syn_doc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n_docs, ==, 100);
  g_assert_cmpuint (s->n_words, ==, 50);
  g_assert_cmpuint (s->n_tokens, ==, 2000);
  g_assert_nonnull (s->vocab);
  {
    g_autofree char *want = g_strdup_printf ("D 100\nW 50\ntokens 2000\nnonzeros %"
                                             G_GUINT64_FORMAT "\n", s->nnz);

    g_assert_cmpstr (r.out, ==, want);
  }
  result_clear (&r);

  /* Seeds are in [0, 2^63 - 1] here too: the largest one is taken. */
  r = run_cli ("corpus", "--synthetic", "10,5,2,5", "--seed", "9223372036854775807", "--out",
               syn, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
}

static void
expect_exit (int         code,
             const char *needle,
             Result      r)
{
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, code);
  g_assert_nonnull (strstr (r.err, needle));
  /* One line. */
  g_assert_nonnull (strchr (r.err, '\n'));
  g_assert_cmpstr (strchr (r.err, '\n'), ==, "\n");
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);
}

static void
test_usage (void)
{
  expect_exit (2, "--topics", run_cli ("lda", "--topics", "0", NULL));
  /* 2^63 and -1 (once taken modulo 2^64) are refused, the range said. */
  expect_exit (2, "9223372036854775807", run_cli ("corpus", "--synthetic", "10,5,2,5", "--seed",
                                                  "9223372036854775808", "--out", "x", NULL));
  expect_exit (2, "9223372036854775807", run_cli ("corpus", "--synthetic", "10,5,2,5", "--seed",
                                                  "-1", "--out", "x", NULL));
  expect_exit (2, "--kappa", run_cli ("lda", "--kappa", "abc", NULL));
  expect_exit (2, "corpus", run_cli ("lda", "--corpus", "nope", NULL));
  expect_exit (2, "stream", run_cli ("lda", "--stream", NULL));
  expect_exit (2, "--test", run_cli ("lda-eval", "--topics", "x", NULL));
  expect_exit (2, "--test", run_cli ("lda-eval", "--topics", "x", "--test", "x.txt", NULL));
  expect_exit (2, "--alpha", run_cli ("lda-eval", "--topics", "x", "--test", "uci:x",
                                      "--alpha", "-1", NULL));
  expect_exit (2, "--out", run_cli ("corpus", "kjv", NULL));
  expect_exit (2, "--synthetic", run_cli ("corpus", "--synthetic", "1,2", "--out", "x", NULL));
  expect_exit (2, "--synthetic", run_cli ("corpus", "--synthetic", "10,0,2,3", "--out", "x",
                                          NULL));
  expect_exit (2, "unknown corpus", run_cli ("corpus", "nope", "--out", "x", NULL));
  expect_exit (2, "--max-df", run_cli ("corpus", "kjv", "--max-df", "2", "--out", "x", NULL));
}

static void
test_malformed (void)
{
  g_autofree char *bad = tmp_path ("docword.bad.txt");
  g_autofree char *spec = g_strconcat ("uci:", bad, NULL);
  g_autofree char *topics = tmp_path ("ragged.txt");
  g_autofree char *model = tmp_path ("junk.model");
  g_autofree char *dir = bars_dir ();
  g_autofree char *test_spec = g_strconcat ("uci:", dir, "/docword.test.txt", NULL);
  g_autofree char *where = NULL;

  g_assert_true (g_file_set_contents (bad, "3\n5\n2\n1 1 2\n1 6 1\n", -1, NULL));
  where = g_strconcat (bad, ":5:", NULL);
  expect_exit (1, where, run_cli ("lda", "--corpus", spec, NULL));
  g_assert_true (g_file_set_contents (topics, "1 1 1 1 1\n2 1 1 1 1\n", -1, NULL));
  expect_exit (1, where, run_cli ("lda-eval", "--topics", topics, "--test", spec, NULL));
  expect_exit (1, where, run_cli ("corpus", spec, "--out", tmp_dir, NULL));
  g_free (where);

  g_assert_true (g_file_set_contents (topics, "1 2 3\n1 2\n", -1, NULL));
  where = g_strconcat (topics, ":2:", NULL);
  expect_exit (1, where, run_cli ("lda-eval", "--topics", topics, "--test", test_spec, NULL));
  g_free (where);
  g_assert_true (g_file_set_contents (topics, "1 2 x\n", -1, NULL));
  where = g_strconcat (topics, ":1:", NULL);
  expect_exit (1, where, run_cli ("lda-eval", "--topics", topics, "--test", test_spec, NULL));
  /* A long bad value is quoted cut on a character boundary, with "…". */
  g_assert_true (g_file_set_contents (topics, "1 2 ééééééééééééééééééééééé\n", -1, NULL));
  expect_exit (1, "not a number: 'éééééééééééééééééééé…'",
               run_cli ("lda-eval", "--topics", topics, "--test", test_spec, NULL));
  g_assert_true (g_file_set_contents (topics, "# K = 2\n1 2 3\n\n1 nan 3\n", -1, NULL));
  expect_exit (1, ":4: not a finite number: 'nan 3'",
               run_cli ("lda-eval", "--topics", topics, "--test", test_spec, NULL));
  g_assert_true (g_file_set_contents (topics, "1 2 3\n1 2\0 3\n", 12, NULL));
  expect_exit (1, "a NUL byte", run_cli ("lda-eval", "--topics", topics, "--test", test_spec,
                                          NULL));
  /* Devices are refused at once, never read (it used to read /dev/zero
   * until memory ran out). */
  expect_exit (1, "/dev/zero", run_cli ("lda-eval", "--topics", "/dev/zero", "--test", test_spec,
                                        NULL));

  g_assert_true (g_file_set_contents (model, "not a model", -1, NULL));
  expect_exit (1, model, run_cli ("lda", "--load-model", model, NULL));
}

static void
test_kjv (void)
{
  g_autofree char *dir = tmp_path ("kjv");
  g_autofree char *topics = tmp_path ("kjv-topics.txt");
  g_autofree char *test_spec = g_strconcat ("uci:", dir, "/docword.test.txt", NULL);
  g_autoptr(JsonParser) parser = NULL, eval_parser = NULL;
  JsonObject *o, *e;
  Result r;
  g_autofree char *bible = g_find_program_in_path ("bible");

  if (bible == NULL)
    {
      g_test_skip ("bible (Debian bible-kjv) is not installed");
      return;
    }
  r = run_cli ("corpus", "kjv", "--out", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "D 1189\nW "));
  result_clear (&r);

  /* lda on KJV (from the cache corpus just filled), scored again by
   * lda-eval on the split corpus wrote: the same perplexity. */
  r = run_cli ("lda", "--corpus", "kjv", "--topics", "20", "--batch-size", "256", "--tau0", "1",
               "--kappa", "0.7", "--alpha", "0.1", "--passes", "1", "--save-topics", topics,
               "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = parse (r.out, &parser);
  g_assert_cmpint (json_object_get_int_member (o, "docs"), ==, 1071);
  result_clear (&r);
  r = run_cli ("lda-eval", "--topics", topics, "--test", test_spec, "--alpha", "0.1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  e = parse (r.out, &eval_parser);
  g_assert_cmpint (json_object_get_int_member (e, "docs"), ==, 118);
  g_assert_cmpfloat (json_object_get_double_member (e, "perplexity"), ==,
                     json_object_get_double_member (o, "heldout_perplexity"));
  result_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  int status;
  g_autofree char *cmd = NULL;

  tmp_dir = g_dir_make_tmp ("test-cli-lda-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/lda/json", test_json);
  g_test_add_func ("/cli/lda/corpus", test_corpus);
  g_test_add_func ("/cli/lda/usage", test_usage);
  g_test_add_func ("/cli/lda/malformed", test_malformed);
  g_test_add_func ("/cli/lda/kjv", test_kjv);
  status = g_test_run ();
  /* The folder holds only what the tests wrote. */
  cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (tmp_dir);
  return status;
}
