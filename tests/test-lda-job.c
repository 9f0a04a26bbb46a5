/* test-lda-job.c — the "lda" job through vi_job_*: the bars preset
 * recovers the bars, λ does not depend on the thread count, snapshots are
 * consistent, saved models resume exactly and corrupt ones are refused,
 * streaming takes the same documents as the in-memory run
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "vi-core-autocleanups.h"
#include "vi-job.h"
#include "vi-lda-job.h"
#include "vi-status.h"
#include "vi-test-util.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs an lda job made of the "key", GVariant* pairs to the end and returns
 * its last snapshot (NULL and @error when create fails). */
static ViLdaSnapshot *
run_job (GError    **error,
         const char *first,
         ...)
{
  GVariantDict d;
  va_list ap;
  ViJob *job;
  ViLdaSnapshot *snap;
  int status;

  g_variant_dict_init (&d, NULL);
  va_start (ap, first);
  for (const char *k = first; k != NULL; k = va_arg (ap, const char *))
    g_variant_dict_insert_value (&d, k, va_arg (ap, GVariant *));
  va_end (ap);
  job = vi_job_create (&vi_lda_job_type, g_variant_dict_end (&d), error);
  if (job == NULL)
    return NULL;
  while ((status = vi_job_step (job, NULL)) == VI_CONTINUE)
    ;
  if (status != VI_OK)
    g_error ("lda job: %s", vi_job_get_error_message (job));
  g_assert_cmpuint (vi_job_get_iteration (job), ==, vi_job_get_n_steps (job));
  snap = vi_job_snapshot (job);
  vi_job_free (job);
  return snap;
}

static double
max_distance (const ViLdaRun *r,
              guint           k)
{
  double worst = 0;

  for (guint j = 0; j < k; j++)
    worst = MAX (worst, r->true_distance[j]);
  return worst;
}

static void
test_bars_preset (void)
{
  g_autoptr(GError) error = NULL;
  ViLdaSnapshot *s = run_job (&error, "threads", g_variant_new_int64 (1), NULL);
  double worst;

  g_assert_no_error (error);
  g_assert_nonnull (s->runs[0].true_distance);
  worst = max_distance (&s->runs[0], s->n_topics);
  g_test_message ("bars preset: max Hellinger %.4f after %" G_GUINT64_FORMAT " updates",
                  worst, s->runs[0].updates);
  g_assert_cmpfloat (worst, <, 0.05);
  vi_lda_snapshot_free (s);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  gsize len;

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  return text;
}

static GBytes *
file_bytes (const char *path)
{
  g_autoptr(GMappedFile) f = g_mapped_file_new (path, FALSE, NULL);

  g_assert_nonnull (f);
  return g_mapped_file_get_bytes (f);
}

static void
test_threads (void)
{
  g_autofree char *m1 = tmp_path ("threads-1.model"), *m2 = tmp_path ("threads-2.model");
  g_autoptr(GBytes) b1 = NULL, b2 = NULL;
  ViLdaSnapshot *s1, *s2;

  s1 = run_job (NULL, "threads", g_variant_new_int64 (1), "passes", g_variant_new_int64 (2),
                "save-model", g_variant_new_string (m1), NULL);
  s2 = run_job (NULL, "threads", g_variant_new_int64 (2), "passes", g_variant_new_int64 (2),
                "save-model", g_variant_new_string (m2), NULL);
  b1 = file_bytes (m1);
  b2 = file_bytes (m2);
  g_assert_true (g_bytes_equal (b1, b2));
  g_assert_cmpmem (s1->runs[0].beta, 250 * sizeof (double), s2->runs[0].beta,
                   250 * sizeof (double));
  g_assert_cmpfloat (s1->runs[0].trace_perplexity[s1->runs[0].trace_len - 1], ==,
                     s2->runs[0].trace_perplexity[s2->runs[0].trace_len - 1]);
  vi_lda_snapshot_free (s1);
  vi_lda_snapshot_free (s2);
}

static void
check_run (const ViLdaSnapshot *s,
           const ViLdaRun      *r)
{
  guint k = s->n_topics;
  double sum = 0;

  g_assert_cmpuint (r->trace_len, >, 0);
  g_assert_cmpfloat (r->trace_docs[r->trace_len - 1], ==, (double) r->docs_seen);
  for (guint i = 1; i < r->trace_len; i++)
    {
      g_assert_cmpfloat (r->trace_docs[i], >, r->trace_docs[i - 1]);
      g_assert_cmpfloat (r->trace_seconds[i], >=, r->trace_seconds[i - 1]);
    }
  for (guint i = 0; i < r->trace_len; i++)
    {
      g_assert_true (isfinite (r->trace_perplexity[i]) && r->trace_perplexity[i] > 1);
      g_assert_true (isfinite (r->trace_elbo[i]) && r->trace_elbo[i] < 0);
      g_assert_true (r->trace_rho[i] > 0 && r->trace_rho[i] <= 1);
    }
  for (guint j = 0; j < k; j++)
    {
      double row = 0;

      sum += r->prevalence[j];
      g_assert_true (isfinite (r->coherence[j]));
      g_assert_true (r->drift[j] >= 0 && r->drift[j] <= 1);
      for (guint i = 1; i < MIN (VI_LDA_TOP_WORDS, s->n_words); i++)
        g_assert_cmpfloat (r->topic_top_weight[j * VI_LDA_TOP_WORDS + i], <=,
                           r->topic_top_weight[j * VI_LDA_TOP_WORDS + i - 1]);
      for (guint32 w = 0; w < s->n_words; w++)
        row += r->beta[j * s->n_words + w];
      vi_assert_close (row, 1, 1e-12, 0);
      /* The top weight is the row's largest β̄. */
      for (guint32 w = 0; w < s->n_words; w++)
        g_assert_cmpfloat (r->beta[j * s->n_words + w], <=,
                           r->topic_top_weight[j * VI_LDA_TOP_WORDS]);
    }
  vi_assert_close (sum, 1, 1e-12, 0);
}

static void
test_snapshot (void)
{
  ViLdaSnapshot *s = run_job (NULL, "passes", g_variant_new_int64 (2), "algorithm",
                              g_variant_new_string ("both"), "batch-size",
                              g_variant_new_int64 (100), NULL);
  ViLdaSnapshot *copy;
  double theta = 0, freq = 0;

  g_assert_cmpuint (s->n_runs, ==, 2);
  g_assert_cmpstr (s->runs[0].algorithm, ==, "svi");
  g_assert_cmpstr (s->runs[1].algorithm, ==, "batch");
  g_assert_cmpuint (s->n_docs, ==, 1800);
  g_assert_cmpuint (s->n_test_docs, ==, 200);
  g_assert_cmpuint (s->n_words, ==, 25);
  g_assert_cmpuint (s->n_tokens, ==, 180000);
  g_assert_cmpuint (s->bars_side, ==, 5);
  g_assert_nonnull (s->true_topics);
  g_assert_cmpuint (s->runs[0].updates, ==, 2 * 18);
  g_assert_cmpuint (s->runs[1].updates, ==, 2);
  g_assert_cmpuint (s->runs[0].docs_seen, ==, 2 * 1800);
  g_assert_cmpuint (s->runs[1].docs_seen, ==, 2 * 1800);
  g_assert_cmpuint (s->n_steps, ==, 36);
  g_assert_cmpuint (s->iteration, ==, 36);
  for (guint i = 0; i < 2; i++)
    check_run (s, &s->runs[i]);
  g_assert_cmpuint (s->runs[1].trace_len, ==, 2);     /* batch VB: every pass */
  for (guint32 w = 0; w < s->n_words; w++)
    freq += s->word_freq[w];
  vi_assert_close (freq, 1, 1e-12, 0);
  g_assert_cmpstr (s->vocab[0], ==, "r0c0");
  g_assert_cmpuint (s->doc_len, >, 0);
  for (guint j = 0; j < s->n_topics; j++)
    theta += s->doc_theta[j];
  vi_assert_close (theta, 1, 1e-12, 0);
  for (guint i = 0; i < s->doc_len; i++)
    g_assert_cmpuint (s->doc_topic[i], <, s->n_topics);
  copy = vi_lda_snapshot_copy (s);
  g_assert_cmpmem (copy->runs[1].trace_perplexity, 2 * sizeof (double),
                   s->runs[1].trace_perplexity, 2 * sizeof (double));
  g_assert_cmpstr (copy->vocab[24], ==, s->vocab[24]);
  vi_lda_snapshot_free (copy);
  vi_lda_snapshot_free (s);
}

static void
test_resume (void)
{
  g_autofree char *a = tmp_path ("resume-a.model"), *b = tmp_path ("resume-b.model");
  g_autofree char *c = tmp_path ("resume-c.model");
  g_autoptr(GBytes) bb = NULL, bc = NULL;
  ViLdaSnapshot *s;

  /* One pass, saved, then resumed to three passes. */
  s = run_job (NULL, "passes", g_variant_new_int64 (1), "batch-size", g_variant_new_int64 (64),
               "save-model", g_variant_new_string (a), NULL);
  vi_lda_snapshot_free (s);
  s = run_job (NULL, "passes", g_variant_new_int64 (3), "batch-size", g_variant_new_int64 (64),
               "load-model", g_variant_new_string (a), "save-model", g_variant_new_string (b),
               NULL);
  g_assert_cmpuint (s->runs[0].updates, ==, 3 * 29);
  g_assert_cmpuint (s->runs[0].docs_seen, ==, 3 * 1800);
  g_assert_cmpuint (s->n_steps, ==, 2 * 29);
  vi_lda_snapshot_free (s);
  s = run_job (NULL, "passes", g_variant_new_int64 (3), "batch-size", g_variant_new_int64 (64),
               "save-model", g_variant_new_string (c), NULL);
  vi_lda_snapshot_free (s);
  bb = file_bytes (b);
  bc = file_bytes (c);
  g_assert_true (g_bytes_equal (bb, bc));
}

static void
expect_refused (const char *model,
                const char *what,
                const char *key,
                GVariant   *value)
{
  g_autoptr(GError) error = NULL;
  ViLdaSnapshot *s = run_job (&error, "passes", g_variant_new_int64 (1), "batch-size",
                              g_variant_new_int64 (64), "load-model",
                              g_variant_new_string (model), key, value, NULL);

  g_assert_null (s);
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, model));
  g_assert_nonnull (strstr (error->message, what));
}

static void
test_corrupt_model (void)
{
  g_autofree char *good = tmp_path ("good.model"), *bad = tmp_path ("bad.model");
  g_autofree char *data = NULL;
  gsize len;
  ViLdaSnapshot *s;

  s = run_job (NULL, "passes", g_variant_new_int64 (1), "batch-size", g_variant_new_int64 (64),
               "save-model", g_variant_new_string (good), NULL);
  vi_lda_snapshot_free (s);
  g_assert_true (g_file_get_contents (good, &data, &len, NULL));

  /* A flipped bit in λ. */
  data[len / 2] ^= 1;
  g_assert_true (g_file_set_contents (bad, data, (gssize) len, NULL));
  expect_refused (bad, "checksum", "seed", g_variant_new_uint64 (1));
  data[len / 2] ^= 1;
  /* Truncated. */
  g_assert_true (g_file_set_contents (bad, data, (gssize) len - 9, NULL));
  expect_refused (bad, "truncated", "seed", g_variant_new_uint64 (1));
  /* Not a model. */
  g_assert_true (g_file_set_contents (bad, "hello world, this is not a model at all........"
                                      "..................................................",
                                      -1, NULL));
  expect_refused (bad, "not an ELBO Lab LDA model", "seed", g_variant_new_uint64 (1));
  /* Mismatched settings. */
  expect_refused (good, "--topics", "topics", g_variant_new_int64 (5));
  expect_refused (good, "--kappa", "kappa", g_variant_new_double (0.7));
  expect_refused (good, "--seed", "seed", g_variant_new_uint64 (2));
  expect_refused (good, "vocabulary", "bars-side", g_variant_new_int64 (6));
}

/* The bars corpus (the job's defaults) written as one UCI file. */
static char *
write_bars (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) c = vi_corpus_bars (5, 2000, 1, 100, 1, NULL, &error);
  char *path = tmp_path ("docword.bars.txt");
  g_autofree char *vocab = tmp_path ("vocab.bars.txt");

  g_assert_no_error (error);
  g_assert_true (vi_corpus_write_uci (c, path, vocab, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_stream (void)
{
  g_autofree char *path = write_bars ();
  g_autofree char *spec = g_strconcat ("uci:", path, NULL);
  ViLdaSnapshot *mem, *str;

  mem = run_job (NULL, "corpus", g_variant_new_string (spec), "passes", g_variant_new_int64 (2),
                 "batch-size", g_variant_new_int64 (50), NULL);
  str = run_job (NULL, "corpus", g_variant_new_string (spec), "passes", g_variant_new_int64 (2),
                 "batch-size", g_variant_new_int64 (50), "stream", g_variant_new_boolean (TRUE),
                 NULL);
  /* The same training documents (d mod 10 ≠ 9), batches and test set. */
  g_assert_cmpuint (str->n_docs, ==, mem->n_docs);
  g_assert_cmpuint (str->n_test_docs, ==, mem->n_test_docs);
  g_assert_cmpuint (str->runs[0].updates, ==, mem->runs[0].updates);
  g_assert_cmpuint (str->runs[0].docs_seen, ==, mem->runs[0].docs_seen);
  g_assert_cmpuint (str->runs[0].docs_seen, ==, 2 * 1800);
  g_assert_cmpuint (str->n_tokens, ==, mem->n_tokens);
  g_assert_cmpmem (str->word_freq, 25 * sizeof (double), mem->word_freq, 25 * sizeof (double));
  /* The vocabulary beside the file names the words in both. */
  g_assert_cmpstr (str->vocab[0], ==, "r0c0");
  g_assert_cmpstr (str->vocab[24], ==, mem->vocab[24]);
  g_assert_true (isfinite (str->runs[0].trace_perplexity[str->runs[0].trace_len - 1]));
  /* Both fit the bars about equally well. */
  vi_assert_close (str->runs[0].trace_perplexity[str->runs[0].trace_len - 1],
                   mem->runs[0].trace_perplexity[mem->runs[0].trace_len - 1], 0, 0.05);
  vi_lda_snapshot_free (mem);
  vi_lda_snapshot_free (str);
}

/* D = 19: one held-out document (d = 9), 18 for training. */
static void
test_stream_ragged (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViLdaGenerator) gen = vi_lda_generator_create (30, 2, 10, 0.5, 0.1, 3, &error);
  g_autofree char *path = tmp_path ("docword.small.txt");
  g_autofree char *spec = g_strconcat ("uci:", path, NULL);
  ViLdaSnapshot *mem, *str;

  g_assert_no_error (error);
  g_assert_true (vi_lda_generator_write (gen, 19, path, &error));
  mem = run_job (NULL, "corpus", g_variant_new_string (spec), "passes", g_variant_new_int64 (2),
                 "batch-size", g_variant_new_int64 (4), "topics", g_variant_new_int64 (2), NULL);
  str = run_job (NULL, "corpus", g_variant_new_string (spec), "passes", g_variant_new_int64 (2),
                 "batch-size", g_variant_new_int64 (4), "topics", g_variant_new_int64 (2),
                 "stream", g_variant_new_boolean (TRUE), NULL);
  g_assert_cmpuint (mem->n_docs, ==, 18);
  g_assert_cmpuint (str->n_docs, ==, 18);
  g_assert_cmpuint (str->n_test_docs, ==, 1);
  g_assert_cmpuint (str->runs[0].updates, ==, 2 * 5);
  g_assert_cmpuint (str->runs[0].docs_seen, ==, 2 * 18);
  g_assert_cmpuint (mem->runs[0].docs_seen, ==, 2 * 18);
  vi_lda_snapshot_free (mem);
  vi_lda_snapshot_free (str);
}

/* Empty documents (here the first two) stream like any other: the buffer
 * copied them with memcpy from a NULL array, undefined behaviour that
 * UBSan stops on (found by fuzz-lda-stream). */
static void
test_stream_empty_docs (void)
{
  g_autoptr(GString) text = g_string_new ("12\n3\n20\n");
  g_autofree char *path = tmp_path ("docword.empty.txt");
  g_autofree char *spec = g_strconcat ("uci:", path, NULL);
  g_autoptr(GError) error = NULL;
  ViLdaSnapshot *mem, *str;

  for (guint d = 3; d <= 12; d++)
    g_string_append_printf (text, "%u 1 2\n%u 3 %u\n", d, d, d);
  g_assert_true (g_file_set_contents (path, text->str, -1, &error));
  g_assert_no_error (error);
  mem = run_job (NULL, "corpus", g_variant_new_string (spec), "passes", g_variant_new_int64 (1),
                 "batch-size", g_variant_new_int64 (2), "topics", g_variant_new_int64 (2), NULL);
  str = run_job (NULL, "corpus", g_variant_new_string (spec), "passes", g_variant_new_int64 (1),
                 "batch-size", g_variant_new_int64 (2), "topics", g_variant_new_int64 (2),
                 "stream", g_variant_new_boolean (TRUE), NULL);
  g_assert_cmpuint (str->n_docs, ==, 11);
  g_assert_cmpuint (str->n_docs, ==, mem->n_docs);
  g_assert_cmpuint (str->runs[0].docs_seen, ==, mem->runs[0].docs_seen);
  vi_lda_snapshot_free (mem);
  vi_lda_snapshot_free (str);
}

static void
test_stream_resume (void)
{
  g_autofree char *path = write_bars ();
  g_autofree char *spec = g_strconcat ("uci:", path, NULL);
  g_autofree char *a = tmp_path ("stream-a.model"), *b = tmp_path ("stream-b.model");
  g_autofree char *c = tmp_path ("stream-c.model");
  g_autoptr(GBytes) bb = NULL, bc = NULL;
  ViLdaSnapshot *s;

  s = run_job (NULL, "corpus", g_variant_new_string (spec), "stream", g_variant_new_boolean (TRUE),
               "passes", g_variant_new_int64 (1), "save-model", g_variant_new_string (a), NULL);
  vi_lda_snapshot_free (s);
  s = run_job (NULL, "corpus", g_variant_new_string (spec), "stream", g_variant_new_boolean (TRUE),
               "passes", g_variant_new_int64 (2), "load-model", g_variant_new_string (a),
               "save-model", g_variant_new_string (b), NULL);
  vi_lda_snapshot_free (s);
  s = run_job (NULL, "corpus", g_variant_new_string (spec), "stream", g_variant_new_boolean (TRUE),
               "passes", g_variant_new_int64 (2), "save-model", g_variant_new_string (c), NULL);
  vi_lda_snapshot_free (s);
  bb = file_bytes (b);
  bc = file_bytes (c);
  g_assert_true (g_bytes_equal (bb, bc));
}

static void
expect_invalid (const char *key,
                GVariant   *value,
                const char *key2,
                GVariant   *value2,
                const char *prefix)
{
  g_autoptr(GError) error = NULL;
  GVariantDict d;
  g_autoptr(GVariant) valid = NULL;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert_value (&d, key, value);
  if (key2 != NULL)
    g_variant_dict_insert_value (&d, key2, value2);
  valid = vi_job_validate (&vi_lda_job_type, g_variant_dict_end (&d), &error);
  g_assert_null (valid);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;
  ViLdaSnapshot *s;

  expect_invalid ("corpus", g_variant_new_string ("nope"), NULL, NULL, "corpus");
  expect_invalid ("corpus", g_variant_new_string ("uci:"), NULL, NULL, "corpus");
  expect_invalid ("test", g_variant_new_string ("file.txt"), NULL, NULL, "test");
  expect_invalid ("stream", g_variant_new_boolean (TRUE), NULL, NULL, "stream");
  expect_invalid ("stream", g_variant_new_boolean (TRUE), "algorithm",
                  g_variant_new_string ("batch"), "stream: SVI only");
  expect_invalid ("algorithm", g_variant_new_string ("both"), "load-model",
                  g_variant_new_string ("m"), "load-model");
  expect_invalid ("kappa", g_variant_new_double (0.5), NULL, NULL, "kappa");
  /* Unreadable data is an I/O error naming the file. */
  s = run_job (&error, "corpus", g_variant_new_string ("uci:/nonexistent/docword.txt"), NULL);
  g_assert_null (s);
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/docword.txt"));
}

static void
test_save_topics (void)
{
  g_autofree char *path = tmp_path ("topics.txt");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  ViLdaSnapshot *s = run_job (NULL, "passes", g_variant_new_int64 (1), "save-topics",
                              g_variant_new_string (path), NULL);

  text = read_file (path);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 11);     /* 10 rows and "" */
  for (guint k = 0; k < 10; k++)
    {
      g_auto(GStrv) v = g_strsplit (lines[k], " ", -1);
      double sum = 0, x[25];

      g_assert_cmpuint (g_strv_length (v), ==, 25);
      for (guint w = 0; w < 25; w++)
        {
          x[w] = g_ascii_strtod (v[w], NULL);
          g_assert_cmpfloat (x[w], >, 0);
          sum += x[w];
        }
      /* β̄ from the file is the snapshot's β̄ (λ written exactly). */
      for (guint w = 0; w < 25; w++)
        vi_assert_close (x[w] / sum, s->runs[0].beta[k * 25 + w], 1e-15, 1e-13);
    }
  vi_lda_snapshot_free (s);
}

/* A text corpus with its own stop words: two themes, so two topics. */
static void
test_text (void)
{
  g_autofree char *path = tmp_path ("text.txt"), *stop = tmp_path ("stop.txt");
  g_autoptr(GString) text = g_string_new (NULL);
  ViLdaSnapshot *s;

  for (guint d = 0; d < 40; d++)
    g_string_append (text, d % 2 ? "The cat and the dog chase a mouse; cats purr.\n"
                                 : "The stock market and the bank trade money; banks lend.\n");
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  g_assert_true (g_file_set_contents (stop, "# mine\nthe\nand\n", -1, NULL));
  s = run_job (NULL, "corpus", g_variant_new_take_string (g_strconcat ("text:", path, NULL)),
               "stopwords", g_variant_new_string (stop), "min-count", g_variant_new_int64 (1),
               "topics", g_variant_new_int64 (2), "alpha", g_variant_new_double (0.1),
               "passes", g_variant_new_int64 (5), NULL);
  g_assert_cmpuint (s->n_docs, ==, 36);
  g_assert_cmpuint (s->n_test_docs, ==, 4);
  /* "a" is one letter; "the" and "and" are stop words. */
  g_assert_cmpuint (s->n_words, ==, 13);
  for (guint32 w = 0; w < s->n_words; w++)
    g_assert_true (strcmp (s->vocab[w], "the") != 0 && strcmp (s->vocab[w], "and") != 0);
  g_assert_true (isfinite (s->runs[0].trace_perplexity[s->runs[0].trace_len - 1]));
  vi_lda_snapshot_free (s);
}

static void
test_kjv (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) train = NULL, test = NULL, again = NULL;
  g_autofree char *stop = vi_corpus_dup_stopwords_path ();
  g_autofree char *cached = NULL;
  ViCorpusTextOptions o = { 5, 1.0, NULL };
  gint64 t0;
  g_autofree char *bible = g_find_program_in_path ("bible");

  if (bible == NULL)
    {
      g_test_skip ("bible (Debian bible-kjv) is not installed");
      return;
    }
  o.stopwords = vi_corpus_read_stopwords (stop, &error);
  g_assert_no_error (error);
  g_assert_true (vi_lda_job_load_corpus ("kjv", &o, &train, &test, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (train->n_docs + test->n_docs, ==, 1189);
  g_assert_cmpuint (test->n_docs, ==, 118);
  cached = g_build_filename (g_get_user_cache_dir (), "elbo-lab", "kjv", "docword.txt", NULL);
  g_assert_true (g_file_test (cached, G_FILE_TEST_IS_REGULAR));
  /* From the cache: the same corpus. */
  t0 = g_get_monotonic_time ();
  g_assert_true (vi_lda_job_load_corpus ("kjv", &o, &again, NULL, &error));
  g_test_message ("KJV from the cache in %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpuint (again->nnz, ==, train->nnz);
  g_assert_cmpstr (again->vocab[7], ==, train->vocab[7]);
  g_clear_pointer (&again, vi_corpus_free);
  /* A broken cache is rebuilt. */
  g_assert_true (g_file_set_contents (cached, "3\n", -1, NULL));
  g_assert_true (vi_lda_job_load_corpus ("kjv", &o, &again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again->nnz, ==, train->nnz);
  g_strfreev (o.stopwords);
}

int
main (int    argc,
      char **argv)
{
  int status;

  tmp_dir = g_dir_make_tmp ("test-lda-job-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  {
    g_autofree char *cache = g_build_filename (tmp_dir, "cache", NULL);

    /* Before GLib reads it: the KJV cache goes to the test's folder. */
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/lda-job/bars-preset", test_bars_preset);
  g_test_add_func ("/core/lda-job/threads", test_threads);
  g_test_add_func ("/core/lda-job/snapshot", test_snapshot);
  g_test_add_func ("/core/lda-job/resume", test_resume);
  g_test_add_func ("/core/lda-job/corrupt-model", test_corrupt_model);
  g_test_add_func ("/core/lda-job/stream", test_stream);
  g_test_add_func ("/core/lda-job/stream-ragged", test_stream_ragged);
  g_test_add_func ("/core/lda-job/stream-empty-docs", test_stream_empty_docs);
  g_test_add_func ("/core/lda-job/stream-resume", test_stream_resume);
  g_test_add_func ("/core/lda-job/validate", test_validate);
  g_test_add_func ("/core/lda-job/save-topics", test_save_topics);
  g_test_add_func ("/core/lda-job/text", test_text);
  g_test_add_func ("/core/lda-job/kjv", test_kjv);
  status = g_test_run ();
  {
    g_autofree char *cmd = NULL;

    /* The folder holds only what the tests wrote. */
    cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
