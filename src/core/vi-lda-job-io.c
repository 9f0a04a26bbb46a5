/* vi-lda-job-io.c — the lda job's files: its corpora (with the KJV cache),
 * saved models and topics, and the streaming mini-batch source
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "vi-core-autocleanups.h"
#include "vi-corpus-private.h"
#include "vi-lda-job-private.h"
#include "vi-lda-job.h"
#include "vi-output.h"
#include "vi-rng.h"
#include "vi-status.h"

/* ---- corpora ------------------------------------------------------------- */

void
vi_lda_job_split_uci (const char *spec,
                      char      **docword,
                      char      **vocab)
{
  const char *comma = strchr (spec, ',');

  *docword = comma != NULL ? g_strndup (spec, (gsize) (comma - spec)) : g_strdup (spec);
  *vocab = comma != NULL && comma[1] != '\0' ? g_strdup (comma + 1) : NULL;
}

static ViCorpus *
read_uci_spec (const char  *spec,
               GError     **error)
{
  g_autofree char *docword = NULL, *vocab = NULL;

  vi_lda_job_split_uci (spec, &docword, &vocab);
  return vi_corpus_read_uci (docword, vocab, error);
}

/* The KJV corpus with the reference filters (shipped stop words, min count
 * 5, max df 1), cached as UCI files; other filters are built afresh. */
static ViCorpus *
load_kjv (const ViCorpusTextOptions  *options,
          gboolean                    reference,
          GError                    **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "elbo-lab", "kjv", NULL);
  g_autofree char *docword = g_build_filename (dir, "docword.txt", NULL);
  g_autofree char *vocab = g_build_filename (dir, "vocab.txt", NULL);
  ViCorpus *corpus;

  if (reference)
    {
      corpus = vi_corpus_read_uci (docword, vocab, NULL);
      if (corpus != NULL && corpus->n_docs == 1189 && corpus->vocab != NULL)
        return corpus;
      g_clear_pointer (&corpus, vi_corpus_free);
    }
  corpus = vi_corpus_build_kjv (options, error);
  if (corpus == NULL || !reference)
    return corpus;
  /* A cache that cannot be written only costs the next run a rebuild. */
  if (g_mkdir_with_parents (dir, 0755) == 0)
    vi_corpus_write_uci (corpus, docword, vocab, NULL);
  return corpus;
}

static gboolean
is_reference_options (const ViCorpusTextOptions *options)
{
  g_autofree char *path = vi_corpus_dup_stopwords_path ();
  g_auto(GStrv) shipped = path != NULL ? vi_corpus_read_stopwords (path, NULL) : NULL;

  if (options->min_count != 5 || options->max_df != 1.0 || shipped == NULL
      || options->stopwords == NULL)
    return FALSE;
  return g_strv_equal ((const char *const *) shipped, (const char *const *) options->stopwords);
}

gboolean
vi_lda_job_load (const char                 *spec,
                 const char                 *test_spec,
                 const ViLdaBarsSpec        *bars,
                 const ViCorpusTextOptions  *options,
                 ViCorpus                  **train,
                 ViCorpus                  **test,
                 double                    **truth,
                 GError                    **error)
{
  g_autoptr(ViCorpus) all = NULL;
  g_autoptr(ViCorpus) held = NULL;

  if (truth != NULL)
    *truth = NULL;
  if (g_strcmp0 (spec, "bars") == 0)
    all = vi_corpus_bars (bars->side, bars->n_docs, bars->alpha, bars->length, bars->seed,
                          truth, error);
  else if (g_strcmp0 (spec, "kjv") == 0)
    all = load_kjv (options, is_reference_options (options), error);
  else if (g_str_has_prefix (spec, "uci:"))
    all = read_uci_spec (spec + 4, error);
  else if (g_str_has_prefix (spec, "text:"))
    all = vi_corpus_read_text (spec + 5, options, error);
  else
    g_set_error (error, VI_ERROR, VI_EINVAL, "corpus: unknown corpus '%s' (valid: bars, kjv, "
                 "uci:DOCWORD[,VOCAB], text:PATH)", spec);
  if (all == NULL)
    return FALSE;
  if (test_spec == NULL || test_spec[0] == '\0')
    {
      vi_corpus_split (all, train, test);
      return TRUE;
    }
  if (!g_str_has_prefix (test_spec, "uci:"))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "test: expected uci:DOCWORD[,VOCAB] (got '%s')",
                   test_spec);
      return FALSE;
    }
  held = read_uci_spec (test_spec + 4, error);
  if (held == NULL)
    return FALSE;
  if (held->n_words != all->n_words)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: %u words, but the corpus has %u",
                   test_spec + 4, held->n_words, all->n_words);
      return FALSE;
    }
  if (train != NULL)
    *train = g_steal_pointer (&all);
  if (test != NULL)
    *test = g_steal_pointer (&held);
  return TRUE;
}

gboolean
vi_lda_job_load_corpus (const char                 *spec,
                        const ViCorpusTextOptions  *options,
                        ViCorpus                  **train,
                        ViCorpus                  **test,
                        GError                    **error)
{
  /* The bars as the job's defaults make them. */
  ViLdaBarsSpec bars = { 5, 2000, 1.0, 100, 1 };

  return vi_lda_job_load (spec, NULL, &bars, options, train, test, NULL, error);
}

/* ---- saved models -------------------------------------------------------- */

/* "ELBOLDA" + format version; integers and doubles little-endian; the file
 * ends with the SHA-256 of everything before it. */
#define MODEL_MAGIC "ELBOLDA"
#define MODEL_VERSION 1u
#define MODEL_HEADER_BYTES (8 + 4 * 4 + 8 * 3 + 4 * 2 + 8 * 4)
#define MODEL_SUM_BYTES 32

guint64
vi_lda_vocab_hash (char *const *vocab,
                   guint32      n_words)
{
  /* FNV-1a over the words, each ended by a newline; 0 without vocabulary. */
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  if (vocab == NULL)
    return 0;
  for (guint32 w = 0; w < n_words; w++)
    for (const guchar *p = (const guchar *) vocab[w]; ; p++)
      {
        h = (h ^ (*p != '\0' ? *p : '\n')) * G_GUINT64_CONSTANT (1099511628211);
        if (*p == '\0')
          break;
      }
  return h;
}

static void
put_u32 (GByteArray *b,
         guint32     x)
{
  x = GUINT32_TO_LE (x);
  g_byte_array_append (b, (const guint8 *) &x, 4);
}

static void
put_u64 (GByteArray *b,
         guint64     x)
{
  x = GUINT64_TO_LE (x);
  g_byte_array_append (b, (const guint8 *) &x, 8);
}

static void
put_f64 (GByteArray *b,
         double      x)
{
  guint64 u;

  memcpy (&u, &x, 8);
  put_u64 (b, u);
}

static guint32
get_u32 (const guint8 **p)
{
  guint32 x;

  memcpy (&x, *p, 4);
  *p += 4;
  return GUINT32_FROM_LE (x);
}

static guint64
get_u64 (const guint8 **p)
{
  guint64 x;

  memcpy (&x, *p, 8);
  *p += 8;
  return GUINT64_FROM_LE (x);
}

static double
get_f64 (const guint8 **p)
{
  guint64 u = get_u64 (p);
  double x;

  memcpy (&x, &u, 8);
  return x;
}

static void
sha256 (const guint8 *data,
        gsize         len,
        guint8       *out)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = MODEL_SUM_BYTES;

  g_checksum_update (sum, data, (gssize) len);
  g_checksum_get_digest (sum, out, &n);
}

gboolean
vi_lda_model_save (const char             *path,
                   const ViLdaModelHeader *h,
                   const double           *lambda,
                   GError                **error)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  size_t n = (size_t) h->n_topics * h->n_words;
  guint8 sum[MODEL_SUM_BYTES];

  g_byte_array_append (b, (const guint8 *) MODEL_MAGIC, 8);
  put_u32 (b, MODEL_VERSION);
  put_u32 (b, h->n_topics);
  put_u32 (b, h->n_words);
  put_u32 (b, 0);
  put_u64 (b, h->vocab_hash);
  put_u64 (b, h->updates);
  put_u64 (b, h->seed);
  put_u32 (b, h->batch_size);
  put_u32 (b, h->batch);
  put_f64 (b, h->alpha);
  put_f64 (b, h->eta);
  put_f64 (b, h->tau0);
  put_f64 (b, h->kappa);
  for (size_t i = 0; i < n; i++)
    put_f64 (b, lambda[i]);
  sha256 (b->data, b->len, sum);
  g_byte_array_append (b, sum, MODEL_SUM_BYTES);
  return vi_output_write_file (path, b->data, b->len, error);
}

gboolean
vi_lda_model_load (const char        *path,
                   ViLdaModelHeader  *h,
                   double           **lambda,
                   GError           **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0, expected;
  const guint8 *p;
  guint8 sum[MODEL_SUM_BYTES];
  guint32 version;

  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: %s", path, local->message);
      return FALSE;
    }
  p = (const guint8 *) data;
  if (len < MODEL_HEADER_BYTES + MODEL_SUM_BYTES || memcmp (p, MODEL_MAGIC, 8) != 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: not an ELBO Lab LDA model%s", path,
                   len < MODEL_HEADER_BYTES + MODEL_SUM_BYTES ? " (too short)" : "");
      return FALSE;
    }
  p += 8;
  version = get_u32 (&p);
  if (version != MODEL_VERSION)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: model format version %u (this build reads %u)",
                   path, version, MODEL_VERSION);
      return FALSE;
    }
  h->n_topics = get_u32 (&p);
  h->n_words = get_u32 (&p);
  get_u32 (&p);
  expected = MODEL_HEADER_BYTES + (gsize) h->n_topics * h->n_words * 8 + MODEL_SUM_BYTES;
  if (h->n_topics == 0 || h->n_words == 0 || h->n_words > VI_CORPUS_MAX_WORDS
      || h->n_topics > 100000 || len != expected)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: truncated or corrupt (%" G_GSIZE_FORMAT
                   " bytes; K %u and W %u need %" G_GSIZE_FORMAT ")", path, len, h->n_topics,
                   h->n_words, expected);
      return FALSE;
    }
  sha256 ((const guint8 *) data, len - MODEL_SUM_BYTES, sum);
  if (memcmp (sum, data + len - MODEL_SUM_BYTES, MODEL_SUM_BYTES) != 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: checksum mismatch (corrupt file)", path);
      return FALSE;
    }
  h->vocab_hash = get_u64 (&p);
  h->updates = get_u64 (&p);
  h->seed = get_u64 (&p);
  h->batch_size = get_u32 (&p);
  h->batch = get_u32 (&p);
  h->alpha = get_f64 (&p);
  h->eta = get_f64 (&p);
  h->tau0 = get_f64 (&p);
  h->kappa = get_f64 (&p);
  *lambda = g_new (double, (gsize) h->n_topics * h->n_words);
  for (gsize i = 0; i < (gsize) h->n_topics * h->n_words; i++)
    (*lambda)[i] = get_f64 (&p);
  return TRUE;
}

gboolean
vi_lda_topics_save (const char    *path,
                    const double  *lambda,
                    guint          n_topics,
                    guint32        n_words,
                    GError       **error)
{
  g_autoptr(ViOutput) out = vi_output_open (path, error);
  g_autoptr(GString) line = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (out == NULL)
    return FALSE;
  for (guint k = 0; k < n_topics; k++)
    {
      g_string_truncate (line, 0);
      for (guint32 w = 0; w < n_words; w++)
        {
          if (w > 0)
            g_string_append_c (line, ' ');
          g_string_append (line, g_ascii_formatd (buf, sizeof buf, "%.17g",
                                                  lambda[(gsize) k * n_words + w]));
        }
      g_string_append_c (line, '\n');
      if (!vi_output_write (out, line->str, line->len, error))
        return FALSE;
    }
  return vi_output_commit (g_steal_pointer (&out), error);
}

/* ---- streaming ----------------------------------------------------------- */

typedef struct
{
  guint32  n;
  guint32 *words;     /* n words, then n counts */
} BufDoc;

struct _ViLdaStream
{
  char        *path;
  ViUciReader *reader;
  guint32      batch_size, capacity;
  gboolean     all_train;
  guint64      seed, pass, n_train;
  guint32      n_words;
  gboolean     exhausted;
  gsl_rng     *rng;
  BufDoc      *buf;
  guint32      buf_len;
  ViCorpus    *batch;      /* the pending batch, or NULL */
};

static void
buf_doc_clear (BufDoc *d)
{
  g_clear_pointer (&d->words, g_free);
}

void
vi_lda_stream_free (ViLdaStream *s)
{
  if (s == NULL)
    return;
  for (guint32 i = 0; i < s->buf_len; i++)
    buf_doc_clear (&s->buf[i]);
  g_free (s->buf);
  g_clear_pointer (&s->reader, vi_uci_reader_free);
  g_clear_pointer (&s->rng, gsl_rng_free);
  g_clear_pointer (&s->batch, vi_corpus_free);
  g_free (s->path);
  g_free (s);
}

/* Restarts the file for pass @pass: a new reader and the pass's shuffle. */
static gboolean
stream_restart (ViLdaStream  *s,
                guint64       pass,
                GError      **error)
{
  for (guint32 i = 0; i < s->buf_len; i++)
    buf_doc_clear (&s->buf[i]);
  s->buf_len = 0;
  g_clear_pointer (&s->reader, vi_uci_reader_free);
  s->reader = vi_uci_reader_open (s->path, error);
  if (s->reader == NULL)
    return FALSE;
  s->pass = pass;
  s->exhausted = FALSE;
  /* Streams from the top of the range: far from vi-lda's update streams. */
  vi_rng_reset (s->rng, s->seed, G_MAXUINT64 - 1 - pass);
  return TRUE;
}

ViLdaStream *
vi_lda_stream_open (const char  *docword,
                    guint32      batch_size,
                    guint32      buffer,
                    gboolean     all_train,
                    guint64      seed,
                    GError     **error)
{
  ViLdaStream *s = g_new0 (ViLdaStream, 1);
  guint64 d;

  s->path = g_strdup (docword);
  s->batch_size = batch_size;
  s->capacity = MAX (buffer, batch_size);
  s->all_train = all_train;
  s->seed = seed;
  s->rng = vi_rng_create (seed, 0);
  s->buf = g_new0 (BufDoc, s->capacity);
  if (!stream_restart (s, 0, error))
    {
      vi_lda_stream_free (s);
      return NULL;
    }
  d = vi_uci_reader_get_n_docs (s->reader);
  s->n_words = vi_uci_reader_get_n_words (s->reader);
  s->n_train = all_train ? d : d - d / 10;   /* d mod 10 = 9 held out */
  if (s->n_train == 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: no training documents", docword);
      vi_lda_stream_free (s);
      return NULL;
    }
  return s;
}

guint64
vi_lda_stream_n_train (const ViLdaStream *s)
{
  return s->n_train;
}

guint32
vi_lda_stream_n_words (const ViLdaStream *s)
{
  return s->n_words;
}

/* Fills the buffer from the file; FALSE on a read error. */
static gboolean
stream_fill (ViLdaStream  *s,
             guint64      *word_count,
             GError      **error)
{
  while (!s->exhausted && s->buf_len < s->capacity)
    {
      guint32 doc, n;
      const guint32 *words, *counts;
      BufDoc *b;
      GError *local = NULL;

      if (!vi_uci_reader_next (s->reader, &doc, &words, &counts, &n, &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          s->exhausted = TRUE;
          break;
        }
      if (!s->all_train && vi_corpus_is_test_doc (doc))
        continue;
      if (word_count != NULL && s->pass == 0)
        for (guint32 i = 0; i < n; i++)
          word_count[words[i]] += counts[i];
      b = &s->buf[s->buf_len++];
      b->n = n;
      b->words = g_new (guint32, 2 * (gsize) MAX (n, 1));
      /* An empty document's arrays may be NULL, which memcpy may not get. */
      if (n > 0)
        {
          memcpy (b->words, words, n * sizeof (guint32));
          memcpy (b->words + n, counts, n * sizeof (guint32));
        }
    }
  return TRUE;
}

const ViCorpus *
vi_lda_stream_batch (ViLdaStream  *s,
                     guint64       pass,
                     guint64      *word_count,
                     GError      **error)
{
  ViCorpusBuilder b;

  if (s->batch != NULL)
    return s->batch;
  if (pass != s->pass && !stream_restart (s, pass, error))
    return NULL;
  vi_corpus_builder_init (&b);
  for (guint32 i = 0; i < s->batch_size; i++)
    {
      BufDoc doc;
      guint32 pick;

      if (!stream_fill (s, word_count, error))
        {
          vi_corpus_builder_clear (&b);
          return NULL;
        }
      if (s->buf_len == 0)
        break;
      pick = (guint32) gsl_rng_uniform_int (s->rng, s->buf_len);
      doc = s->buf[pick];
      s->buf[pick] = s->buf[--s->buf_len];
      vi_corpus_builder_add (&b, doc.words, doc.words + doc.n, doc.n);
      buf_doc_clear (&doc);
    }
  s->batch = vi_corpus_builder_finish (&b, s->n_words, NULL);
  if (s->batch->n_docs == 0)
    {
      g_clear_pointer (&s->batch, vi_corpus_free);
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: fewer documents than its header says",
                   s->path);
      return NULL;
    }
  return s->batch;
}

void
vi_lda_stream_consume (ViLdaStream *s)
{
  g_clear_pointer (&s->batch, vi_corpus_free);
}

char **
vi_lda_stream_read_vocab (const char  *docword,
                          const char  *vocab,
                          guint32      n_words,
                          GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (docword);
  g_autofree char *base = g_path_get_basename (docword);
  g_autofree char *guess = NULL, *text = NULL;
  g_auto(GStrv) lines = NULL;
  char **words;

  if (vocab == NULL)
    {
      /* As the UCI reader looks: vocab.NAME.txt beside docword.NAME.txt[.gz]. */
      g_autofree char *name = g_str_has_prefix (base, "docword.") ? g_strdup (base + 8) : NULL;

      if (name != NULL && g_str_has_suffix (name, ".gz"))
        name[strlen (name) - 3] = '\0';
      if (name != NULL && g_str_has_suffix (name, ".txt"))
        name[strlen (name) - 4] = '\0';
      guess = name != NULL ? g_strdup_printf ("%s/vocab.%s.txt", dir, name) : NULL;
      if (guess == NULL || !g_file_test (guess, G_FILE_TEST_IS_REGULAR))
        {
          g_free (guess);
          guess = g_build_filename (dir, "vocab.txt", NULL);
        }
      if (!g_file_test (guess, G_FILE_TEST_IS_REGULAR))
        return NULL;
      vocab = guess;
    }
  if (!g_file_get_contents (vocab, &text, NULL, NULL))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot read the vocabulary", vocab);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  if (g_strv_length (lines) < n_words || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: %s (W is %u)", vocab,
                   g_utf8_validate (text, -1, NULL) ? "fewer words than the corpus"
                   : "not UTF-8 text", n_words);
      return NULL;
    }
  words = g_new0 (char *, (gsize) n_words + 1);
  for (guint32 w = 0; w < n_words; w++)
    words[w] = g_strdup (g_strstrip (lines[w]));
  return words;
}

ViCorpus *
vi_lda_stream_read_test (const char  *docword,
                         guint32      max,
                         GError     **error)
{
  g_autoptr(ViUciReader) reader = vi_uci_reader_open (docword, error);
  ViCorpusBuilder b;
  guint32 doc, n, got = 0, n_words;
  const guint32 *words, *counts;
  GError *local = NULL;

  if (reader == NULL)
    return NULL;
  n_words = vi_uci_reader_get_n_words (reader);
  vi_corpus_builder_init (&b);
  while (got < max && vi_uci_reader_next (reader, &doc, &words, &counts, &n, &local))
    if (vi_corpus_is_test_doc (doc))
      {
        vi_corpus_builder_add (&b, words, counts, n);
        got++;
      }
  if (local != NULL)
    {
      vi_corpus_builder_clear (&b);
      g_propagate_error (error, local);
      return NULL;
    }
  if (got == 0)
    {
      vi_corpus_builder_clear (&b);
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: no held-out documents (d mod 10 = 9); "
                   "give --test", docword);
      return NULL;
    }
  return vi_corpus_builder_finish (&b, n_words, NULL);
}
