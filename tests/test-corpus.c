/* test-corpus.c — bag-of-words corpora: the UCI reader and writer (plain,
 * gzip, streamed), every malformed input, the tokenizer and text filters,
 * the KJV chapters, the split, and the synthetic corpora
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "vi-core-autocleanups.h"
#include "vi-corpus-private.h"
#include "vi-corpus.h"
#include "vi-status.h"
#include "vi-test-util.h"

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
write_file (const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (name);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_same_corpus (const ViCorpus *a,
                    const ViCorpus *b)
{
  g_assert_cmpuint (a->n_docs, ==, b->n_docs);
  g_assert_cmpuint (a->n_words, ==, b->n_words);
  g_assert_cmpuint (a->nnz, ==, b->nnz);
  g_assert_cmpuint (a->n_tokens, ==, b->n_tokens);
  g_assert_cmpmem (a->doc_ptr, (a->n_docs + 1) * sizeof (guint64),
                   b->doc_ptr, (b->n_docs + 1) * sizeof (guint64));
  g_assert_cmpmem (a->word, a->nnz * sizeof (guint32), b->word, b->nnz * sizeof (guint32));
  g_assert_cmpmem (a->count, a->nnz * sizeof (guint32), b->count, b->nnz * sizeof (guint32));
}

/* ---- UCI ------------------------------------------------------------------ */

static void
test_uci_read (void)
{
  g_autoptr(GError) error = NULL;
  /* Document 2 has no words; document 3's triples are out of word order. */
  g_autofree char *doc = write_file ("docword.tiny.txt",
                                     "3\n4\n5\n1 1 2\n1 3 1\n3 4 7\n3 2 1\n3 1 1\n", -1);
  g_autofree char *voc = write_file ("vocab.tiny.txt", "apple\nbread\ncheese\ndates\n", -1);
  g_autoptr(ViCorpus) c = vi_corpus_read_uci (doc, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (c->n_docs, ==, 3);
  g_assert_cmpuint (c->n_words, ==, 4);
  g_assert_cmpuint (c->nnz, ==, 5);
  g_assert_cmpuint (c->n_tokens, ==, 12);
  g_assert_cmpuint (vi_corpus_doc_len (c, 0), ==, 2);
  g_assert_cmpuint (vi_corpus_doc_len (c, 1), ==, 0);
  g_assert_cmpuint (vi_corpus_doc_len (c, 2), ==, 3);
  /* Ids kept as given (0-based), increasing within a document. */
  g_assert_cmpuint (c->word[2], ==, 0);
  g_assert_cmpuint (c->word[3], ==, 1);
  g_assert_cmpuint (c->word[4], ==, 3);
  g_assert_cmpuint (c->count[4], ==, 7);
  /* vocab.NAME.txt was found beside docword.NAME.txt. */
  g_assert_nonnull (c->vocab);
  g_assert_cmpstr (c->vocab[3], ==, "dates");
  g_unlink (doc);
  g_unlink (voc);
}

static void
test_uci_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) c = vi_corpus_bars (5, 40, 1.0, 30, 7, NULL, &error);
  g_autofree char *plain = tmp_path ("docword.rt.txt");
  g_autofree char *gz = tmp_path ("docword.rtz.txt.gz");
  g_autofree char *vocab = tmp_path ("vocab.rt.txt");
  g_autoptr(ViCorpus) back = NULL;
  g_autoptr(ViCorpus) backz = NULL;
  g_autofree char *bytes = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_true (vi_corpus_write_uci (c, plain, vocab, &error));
  g_assert_no_error (error);
  g_assert_true (vi_corpus_write_uci (c, gz, NULL, &error));
  g_assert_no_error (error);
  /* The .gz really is gzip. */
  g_assert_true (g_file_get_contents (gz, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 2);
  g_assert_cmpuint ((guchar) bytes[0], ==, 0x1f);
  g_assert_cmpuint ((guchar) bytes[1], ==, 0x8b);
  back = vi_corpus_read_uci (plain, NULL, &error);
  g_assert_no_error (error);
  assert_same_corpus (c, back);
  g_assert_cmpstr (back->vocab[7], ==, c->vocab[7]);
  backz = vi_corpus_read_uci (gz, vocab, &error);
  g_assert_no_error (error);
  assert_same_corpus (c, backz);
  g_unlink (plain);
  g_unlink (gz);
  g_unlink (vocab);
}

static void
test_uci_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViLdaGenerator) gen = vi_lda_generator_create (50, 4, 20, 0.5, 0.1, 3, &error);
  g_autofree char *path = tmp_path ("docword.gen.txt.gz");
  g_autoptr(ViUciReader) r = NULL;
  guint32 words[20], counts[20], doc = 0, n = 0, expect = 0;
  const guint32 *w, *k;

  g_assert_no_error (error);
  g_assert_true (vi_lda_generator_write (gen, 120, path, &error));
  g_assert_no_error (error);
  r = vi_uci_reader_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vi_uci_reader_get_n_docs (r), ==, 120);
  g_assert_cmpuint (vi_uci_reader_get_n_words (r), ==, 50);
  /* The streamed documents are the generator's, regenerated one by one. */
  while (vi_uci_reader_next (r, &doc, &w, &k, &n, &error))
    {
      guint32 m = vi_lda_generator_doc (gen, doc, words, counts);

      g_assert_cmpuint (doc, ==, expect++);
      g_assert_cmpuint (n, ==, m);
      g_assert_cmpmem (w, n * sizeof (guint32), words, m * sizeof (guint32));
      g_assert_cmpmem (k, n * sizeof (guint32), counts, m * sizeof (guint32));
    }
  g_assert_no_error (error);
  g_assert_cmpuint (expect, ==, 120);
  g_unlink (path);
}

static void
check_bad_uci (const char *contents,
               gssize      len,
               const char *vocab,
               int         code,
               const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("docword.bad.txt", contents, len);
  g_autofree char *vpath = vocab != NULL ? write_file ("vocab.bad.txt", vocab, -1) : NULL;
  g_autoptr(ViCorpus) c = vi_corpus_read_uci (path, NULL, &error);

  g_assert_null (c);
  g_assert_error (error, VI_ERROR, code);
  /* The message names the file at fault: the vocabulary when one is given. */
  if (!g_str_has_prefix (error->message, vpath != NULL ? vpath : path)
      || strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" lacks the path or \"%s\"", error->message, needle);
  g_unlink (path);
  if (vpath != NULL)
    g_unlink (vpath);
}

static void
test_uci_malformed (void)
{
  /* Header counts that disagree with the body. */
  check_bad_uci ("2\n3\n3\n1 1 1\n2 2 1\n", -1, NULL, VI_EFORMAT, ":5: the header says NNZ = 3");
  check_bad_uci ("2\n3\n1\n1 1 1\n2 2 1\n", -1, NULL, VI_EFORMAT, ":5: more triples");
  check_bad_uci ("2\n3\n", -1, NULL, VI_EFORMAT, ":3: missing header line NNZ");
  check_bad_uci ("2\nthree\n1\n", -1, NULL, VI_EFORMAT, ":2: header W");
  /* A long bad header is quoted to 40 whole characters (2-byte "é" here:
   * a byte cut at 40 would split one), then "…". */
  check_bad_uci ("2\n\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                 "\xc3\xa9\xc3\xa9\xc3\xa9\n1\n", -1, NULL, VI_EFORMAT,
                 "(got \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6\")");
  check_bad_uci ("0\n3\n0\n", -1, NULL, VI_EFORMAT, "empty corpus");
  check_bad_uci ("2\n3\n2\n1 1 1\n3 2 1\n", -1, NULL, VI_EFORMAT, ":5: document id 3");
  /* Word ids. */
  check_bad_uci ("1\n3\n1\n1 0 1\n", -1, NULL, VI_EFORMAT, ":4: word id 0 is outside [1, 3]");
  check_bad_uci ("1\n3\n1\n1 4 1\n", -1, NULL, VI_EFORMAT, ":4: word id 4 is outside [1, 3]");
  check_bad_uci ("1\n3\n2\n1 2 1\n1 2 5\n", -1, NULL, VI_EFORMAT, "word id 2 appears twice");
  /* Counts. */
  check_bad_uci ("1\n3\n1\n1 1 0\n", -1, NULL, VI_EFORMAT, ":4: count must be in [1,");
  check_bad_uci ("1\n3\n1\n1 1 -2\n", -1, NULL, VI_EFORMAT, ":4: expected \"docID wordID count\"");
  check_bad_uci ("1\n3\n1\n1 1 -2\n", -1, NULL, VI_EFORMAT, "negative value");
  check_bad_uci ("1\n3\n1\n1 1 two\n", -1, NULL, VI_EFORMAT, ":4: expected");
  check_bad_uci ("1\n3\n1\n1 1 2.5\n", -1, NULL, VI_EFORMAT, ":4: expected");
  check_bad_uci ("1\n3\n1\n1 1\n", -1, NULL, VI_EFORMAT, ":4: expected");
  /* Documents out of order. */
  check_bad_uci ("2\n3\n2\n2 1 1\n1 1 1\n", -1, NULL, VI_EFORMAT, ":5: document 1 after");
  /* A vocabulary shorter than W. */
  check_bad_uci ("1\n3\n1\n1 1 1\n", -1, "one\ntwo\n", VI_EFORMAT, "has 2 words but");
  /* Binary garbage. */
  check_bad_uci ("1\n3\n1\n1 1\0 1\n", 12, NULL, VI_EFORMAT, ":4: binary data");
  check_bad_uci ("\x7f" "ELF\x02\x01\x01\0\0\0", 10, NULL, VI_EFORMAT, ":1: binary data");
  /* No tokens. */
  check_bad_uci ("2\n3\n0\n", -1, NULL, VI_EFORMAT, "empty corpus (no tokens)");
}

static void
test_uci_truncated_gz (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) c = vi_corpus_bars (5, 200, 1.0, 50, 9, NULL, &error);
  g_autofree char *gz = tmp_path ("docword.trunc.txt.gz");
  g_autofree char *bytes = NULL;
  g_autoptr(ViCorpus) back = NULL;
  gsize len = 0;

  g_assert_true (vi_corpus_write_uci (c, gz, NULL, &error));
  g_assert_true (g_file_get_contents (gz, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (gz, bytes, (gssize) (len / 2), NULL));
  back = vi_corpus_read_uci (gz, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_assert_true (g_str_has_prefix (error->message, gz));
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_unlink (gz);
}

static void
test_uci_not_regular (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) c = vi_corpus_read_uci ("/dev/zero", NULL, &error);

  g_assert_null (c);
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_assert_cmpstr (error->message, ==, "/dev/zero: not a regular file");
  g_clear_error (&error);
  c = vi_corpus_read_uci ("/nonexistent/docword.txt", NULL, &error);
  g_assert_null (c);
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/docword.txt: cannot open"));
}

/* ---- text ----------------------------------------------------------------- */

static void
collect (const char *token,
         gsize       len,
         gpointer    user_data)
{
  g_assert_cmpuint (strlen (token), ==, len);
  g_ptr_array_add (user_data, g_strdup (token));
}

static void
test_tokenize (void)
{
  g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
  const char *want[] = { "hello", "world", "it", "ünïcode", "äbc", "don", "end" };

  vi_corpus_tokenize ("Hello, WORLD! a It b-c Ünïcode ÄBC x2y don't \xff end", -1, collect, got);
  g_assert_cmpuint (got->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpstr (got->pdata[i], ==, want[i]);
}

static char **
english_stopwords (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "stopwords-en.txt",
                                                 NULL);
  char **words = vi_corpus_read_stopwords (path, &error);

  g_assert_no_error (error);
  return words;
}

static void
test_stopwords (void)
{
  g_auto(GStrv) words = english_stopwords ();
  g_autofree char *shipped = vi_corpus_dup_stopwords_path ();
  g_auto(GStrv) again = vi_corpus_read_stopwords (shipped, NULL);

  g_assert_cmpstrv (words, again);
  /* The information-retrieval list scikit-learn uses: 318 words. */
  g_assert_cmpuint (g_strv_length (words), ==, 318);
  g_assert_true (g_strv_contains ((const char *const *) words, "the"));
  g_assert_true (g_strv_contains ((const char *const *) words, "amoungst"));
  g_assert_false (g_strv_contains ((const char *const *) words, "god"));
}

static void
test_from_texts (void)
{
  g_autoptr(GError) error = NULL;
  const char *texts[] = {
    "The cat sat on the mat. The cat!",
    "A dog and a cat.",
    "",
    "Dog dog DOG mat zebra",
  };
  char *stop[] = { "the", "on", "and", NULL };
  ViCorpusTextOptions opt = { 2, 1.0, stop };
  g_autoptr(ViCorpus) c = vi_corpus_from_texts (texts, 4, &opt, &error);
  const char *want[] = { "cat", "dog", "mat", NULL };

  g_assert_no_error (error);
  /* min-count 2 drops sat and zebra; "a" is one letter; sorted vocabulary. */
  g_assert_cmpuint (c->n_words, ==, 3);
  g_assert_cmpstrv (c->vocab, want);
  g_assert_cmpuint (c->n_docs, ==, 4);
  g_assert_cmpuint (vi_corpus_doc_len (c, 0), ==, 2);
  g_assert_cmpuint (c->count[0], ==, 2);   /* cat ×2 */
  g_assert_cmpuint (vi_corpus_doc_len (c, 2), ==, 0);
  g_assert_cmpuint (c->n_tokens, ==, 3 + 2 + 0 + 4);

  /* max-df 0.3 allows 1.2 of 4 documents: cat, dog and mat are in 2 each. */
  opt.max_df = 0.3;
  g_assert_null (vi_corpus_from_texts (texts, 4, &opt, &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_clear_error (&error);
  opt.max_df = 0;
  g_assert_null (vi_corpus_from_texts (texts, 4, &opt, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_assert_true (g_str_has_prefix (error->message, "max-df:"));
}

static void
test_read_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = write_file ("lines.txt", "first doc here\n\n  \nsecond doc\n", -1);
  g_autofree char *dir = tmp_path ("textdir");
  g_autofree char *a = NULL, *b = NULL, *skip = NULL, *bad = NULL;
  g_autoptr(ViCorpus) c = vi_corpus_read_text (file, NULL, &error);
  g_autoptr(ViCorpus) d = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (c->n_docs, ==, 2);          /* blank lines are not documents */
  g_assert_cmpuint (c->n_tokens, ==, 5);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  a = g_build_filename (dir, "b.txt", NULL);
  b = g_build_filename (dir, "a.txt", NULL);
  skip = g_build_filename (dir, "c.md", NULL);
  g_assert_true (g_file_set_contents (a, "zebra zebra", -1, NULL));
  g_assert_true (g_file_set_contents (b, "aardvark\nis here", -1, NULL));
  g_assert_true (g_file_set_contents (skip, "ignored words", -1, NULL));
  d = vi_corpus_read_text (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->n_docs, ==, 2);           /* a.txt then b.txt, c.md skipped */
  g_assert_cmpuint (vi_corpus_doc_len (d, 0), ==, 3);
  g_assert_cmpuint (d->n_tokens, ==, 5);
  /* Invalid UTF-8 names the file and line. */
  bad = write_file ("bad.txt", "fine line\nbad \xc3\x28 line\n", -1);
  g_assert_null (vi_corpus_read_text (bad, NULL, &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_assert_true (g_str_has_suffix (error->message, "bad.txt:2: not UTF-8 text"));
  g_unlink (a);
  g_unlink (b);
  g_unlink (skip);
  g_unlink (bad);
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_kjv_verses (void)
{
  g_autoptr(GError) error = NULL;
  const char *text =
    "Ge1:1 In the beginning God created the heaven and the earth.\n"
    "Ge1:2 And the earth was without form, and void.\n"
    "Ge2:1 Thus the heavens and the earth were finished.\n"
    "1Sa1:1 Now there was a certain man.\n";
  g_auto(GStrv) stop = english_stopwords ();
  ViCorpusTextOptions opt = { 1, 1.0, stop };
  g_autoptr(ViCorpus) c = vi_corpus_from_kjv_verses (text, strlen (text), &opt, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (c->n_docs, ==, 3);   /* chapters Ge1, Ge2, 1Sa1 */
  /* Ge1: beginning god created heaven earth | earth form void. */
  g_assert_cmpuint (vi_corpus_doc_len (c, 0), ==, 7);
  g_assert_cmpuint (c->doc_ptr[1] - c->doc_ptr[0], ==, 7);
  g_assert_null (vi_corpus_from_kjv_verses ("no reference here\n", 18, &opt, &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_assert_cmpstr (error->message, ==, "bible:1: expected \"Book1:1 text\"");
}

static void
test_kjv_build (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) stop = NULL;
  ViCorpusTextOptions opt = { 5, 1.0, NULL };
  g_autoptr(ViCorpus) c = NULL, train = NULL, test = NULL;
  g_autofree char *bible = g_find_program_in_path ("bible");

  if (bible == NULL)
    {
      g_test_skip ("bible (Debian bible-kjv) is not installed");
      return;
    }
  stop = english_stopwords ();
  opt.stopwords = stop;
  c = vi_corpus_build_kjv (&opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->n_docs, ==, 1189);
  vi_corpus_split (c, &train, &test);
  g_assert_cmpuint (test->n_docs, ==, 118);
  g_assert_cmpuint (train->n_docs, ==, 1189 - 118);
  g_assert_cmpuint (train->n_tokens + test->n_tokens, ==, c->n_tokens);
  /* Every kept word occurs at least 5 times; no stop word survives. */
  {
    g_autofree guint64 *total = g_new0 (guint64, c->n_words);

    for (guint64 i = 0; i < c->nnz; i++)
      total[c->word[i]] += c->count[i];
    for (guint32 w = 0; w < c->n_words; w++)
      {
        g_assert_cmpuint (total[w], >=, 5);
        g_assert_false (g_strv_contains ((const char *const *) stop, c->vocab[w]));
      }
  }
  g_test_message ("KJV chapters: D %u, W %u, tokens %" G_GUINT64_FORMAT, c->n_docs, c->n_words,
                  c->n_tokens);
}

/* ---- splits and synthetic corpora ------------------------------------------ */

static void
test_split (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViCorpus) c = vi_corpus_bars (5, 25, 1.0, 10, 1, NULL, &error);
  g_autoptr(ViCorpus) train = NULL, test = NULL;
  guint32 t = 0, s = 0;

  vi_corpus_split (c, &train, &test);
  g_assert_cmpuint (test->n_docs, ==, 2);       /* documents 9 and 19 */
  g_assert_cmpuint (train->n_docs, ==, 23);
  for (guint32 d = 0; d < c->n_docs; d++)
    {
      ViCorpus *into = vi_corpus_is_test_doc (d) ? test : train;
      guint32 i = vi_corpus_is_test_doc (d) ? s++ : t++;

      g_assert_cmpuint (vi_corpus_doc_len (into, i), ==, vi_corpus_doc_len (c, d));
      g_assert_cmpmem (into->word + into->doc_ptr[i], vi_corpus_doc_len (c, d) * 4,
                       c->word + c->doc_ptr[d], vi_corpus_doc_len (c, d) * 4);
    }
}

static void
test_bars (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *topics = NULL;
  const guint side = 5, k = 10, w_total = 25, docs = 2000, len = 100;
  g_autoptr(ViCorpus) c = vi_corpus_bars (side, docs, 1.0, len, 42, &topics, &error);
  double freq[25] = { 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (c->n_words, ==, w_total);
  g_assert_cmpuint (c->n_tokens, ==, (guint64) docs * len);
  for (guint z = 0; z < k; z++)
    {
      double sum = 0;
      guint nonzero = 0;

      for (guint w = 0; w < w_total; w++)
        {
          sum += topics[z * w_total + w];
          nonzero += topics[z * w_total + w] > 0;
        }
      vi_assert_close (sum, 1.0, 1e-15, 0);
      g_assert_cmpuint (nonzero, ==, side);
    }
  /* Topic 1 is the second row, topic 5 + 2 the third column. */
  g_assert_cmpfloat (topics[1 * w_total + 1 * side + 3], ==, 0.2);
  g_assert_cmpfloat (topics[7 * w_total + 4 * side + 2], ==, 0.2);
  /* Every pixel lies on one row and one column bar, and E θ is uniform, so
   * each pixel's frequency is 1/25, within 5 standard errors. Tokens of a
   * document are correlated through θ, so the error is per document: a
   * document's frequency of a pixel is (θ_row + θ_col)/5 plus multinomial
   * noise, Var = (2·9/1100 − 2/1100)/25 + 0.04·0.96/100 = 9.66e-4. */
  for (guint32 d = 0; d < docs; d++)
    for (guint64 i = c->doc_ptr[d]; i < c->doc_ptr[d + 1]; i++)
      freq[c->word[i]] += c->count[i];
  for (guint w = 0; w < w_total; w++)
    vi_assert_close (freq[w] / c->n_tokens, 1.0 / w_total, 5 * sqrt (9.66e-4 / docs), 0);
  /* Deterministic in the seed. */
  {
    g_autoptr(ViCorpus) again = vi_corpus_bars (side, docs, 1.0, len, 42, NULL, &error);

    assert_same_corpus (c, again);
  }
  g_assert_null (vi_corpus_bars (1, 10, 1.0, 10, 1, NULL, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_clear_error (&error);
  g_assert_null (vi_corpus_bars (5, 10, -1.0, 10, 1, NULL, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_assert_true (g_str_has_prefix (error->message, "bars: alpha"));
}

static void
test_lda_generator (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViLdaGenerator) gen = vi_lda_generator_create (200, 3, 500, 0.1, 0.05, 11, &error);
  guint32 w1[500], c1[500], w2[500], c2[500], n1, n2;
  const double *beta;

  g_assert_no_error (error);
  beta = vi_lda_generator_get_topics (gen);
  for (guint k = 0; k < 3; k++)
    {
      double sum = 0;

      for (guint w = 0; w < 200; w++)
        sum += beta[k * 200 + w];
      vi_assert_close (sum, 1.0, 1e-12, 0);
    }
  /* A document regenerates identically, whatever was drawn in between. */
  n1 = vi_lda_generator_doc (gen, 17, w1, c1);
  (void) vi_lda_generator_doc (gen, 3, w2, c2);
  n2 = vi_lda_generator_doc (gen, 17, w2, c2);
  g_assert_cmpuint (n1, ==, n2);
  g_assert_cmpmem (w1, n1 * 4, w2, n2 * 4);
  g_assert_cmpmem (c1, n1 * 4, c2, n2 * 4);
  {
    guint64 sum = 0;

    for (guint32 i = 0; i < n1; i++)
      sum += c1[i];
    g_assert_cmpuint (sum, ==, 500);
  }
  g_assert_null (vi_lda_generator_create (1, 3, 10, 0.1, 0.1, 1, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
}

/* A header NNZ the triples never reach is refused at the first document
 * past them — not after returning every empty document the header's D
 * claims (a 20-byte file with D = 10⁸ took seconds and 800 MB; found by
 * fuzz-uci). Empty documents while triples remain are still returned. */
static void
test_uci_nnz_early (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("docword.nnz.txt", "100000000\n1\n5\n1 1 2\n", -1);
  g_autofree char *gap = write_file ("docword.gap.txt", "4\n2\n2\n1 1 2\n3 2 1\n", -1);
  g_autoptr(ViUciReader) r = vi_uci_reader_open (path, &error);
  const guint32 *w, *k;
  guint32 doc = 0, n = 0, docs = 0;

  g_assert_no_error (error);
  g_assert_true (vi_uci_reader_next (r, &doc, &w, &k, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  g_assert_false (vi_uci_reader_next (r, &doc, &w, &k, &n, &error));
  g_assert_error (error, VI_ERROR, VI_EFORMAT);
  g_assert_nonnull (strstr (error->message, ":4: the header says NNZ = 5 but the file has 1"));
  g_clear_error (&error);
  g_clear_pointer (&r, vi_uci_reader_free);
  r = vi_uci_reader_open (gap, &error);
  while (vi_uci_reader_next (r, &doc, &w, &k, &n, &error))
    docs++;
  g_assert_no_error (error);
  g_assert_cmpuint (docs, ==, 4);
  g_unlink (path);
  g_unlink (gap);
}

/* Finishing a builder leaves nothing behind (vi_corpus_split, the LDA
 * stream's batches and held-out documents leaked three arrays each time;
 * found by fuzz-lda-stream). */
static void
test_builder_finish (void)
{
  const guint32 words[2] = { 0, 2 }, counts[2] = { 1, 4 };
  ViCorpusBuilder b;
  ViCorpus *c;

  vi_corpus_builder_init (&b);
  vi_corpus_builder_add (&b, words, counts, 2);
  c = vi_corpus_builder_finish (&b, 3, NULL);
  g_assert_cmpuint (c->n_docs, ==, 1);
  g_assert_cmpuint (c->n_tokens, ==, 5);
  g_assert_null (b.doc_ptr);
  g_assert_null (b.word);
  g_assert_null (b.count);
  vi_corpus_builder_clear (&b);
  vi_corpus_free (c);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-corpus-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/core/corpus/uci-read", test_uci_read);
  g_test_add_func ("/core/corpus/uci-roundtrip", test_uci_roundtrip);
  g_test_add_func ("/core/corpus/uci-stream", test_uci_stream);
  g_test_add_func ("/core/corpus/uci-malformed", test_uci_malformed);
  g_test_add_func ("/core/corpus/uci-nnz-early", test_uci_nnz_early);
  g_test_add_func ("/core/corpus/builder-finish", test_builder_finish);
  g_test_add_func ("/core/corpus/uci-truncated-gz", test_uci_truncated_gz);
  g_test_add_func ("/core/corpus/uci-not-regular", test_uci_not_regular);
  g_test_add_func ("/core/corpus/tokenize", test_tokenize);
  g_test_add_func ("/core/corpus/stopwords", test_stopwords);
  g_test_add_func ("/core/corpus/from-texts", test_from_texts);
  g_test_add_func ("/core/corpus/read-text", test_read_text);
  g_test_add_func ("/core/corpus/kjv-verses", test_kjv_verses);
  g_test_add_func ("/core/corpus/kjv-build", test_kjv_build);
  g_test_add_func ("/core/corpus/split", test_split);
  g_test_add_func ("/core/corpus/bars", test_bars);
  g_test_add_func ("/core/corpus/lda-generator", test_lda_generator);
  status = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
