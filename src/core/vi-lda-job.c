/* vi-lda-job.c — the "lda" job: SVI (mini-batches of a per-pass shuffle, or
 * streamed from a UCI file) and batch VB, with held-out perplexity, topic
 * coherence, drift and bars recovery as training goes
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "vi-core-autocleanups.h"
#include "vi-lda-job-private.h"
#include "vi-lda-job.h"
#include "vi-lda-kernels.h"
#include "vi-rng.h"
#include "vi-status.h"

/* The trace keeps at most this many evaluations; when full it keeps every
 * other one and evaluates only every 2nd, 4th, … time after that. */
#define TRACE_MAX 1024
#define COHERENCE_WORDS 10
/* Held-out documents kept from a streamed corpus without --test. */
#define STREAM_TEST_DOCS 1000
/* The shuffle buffer of --stream, in batches. */
#define STREAM_BUFFER_BATCHES 8

typedef struct
{
  ViLda    *lda;
  ViLdaRun *out;            /* its entry of snap.runs */
  gboolean  batch;
  guint64   n_updates;      /* planned */
  guint64   evals, eval_stride;
  double   *lambda;         /* K × W scratch */
  double   *last_beta;      /* K × W β̄ at the last evaluation (drift) */
  guint64   topics_at;      /* updates when the topic fields were last made */
} LdaRun;

typedef struct
{
  ViLdaSnapshot snap;
  ViCorpus     *train, *test;
  ViLdaStream  *stream;
  guint64      *word_count;  /* W: training counts (grows in a stream's first pass) */
  guint64       n_train;     /* D of D/|B| */
  guint32       batch_size;
  guint64       passes, per_pass, eval_every, seed;
  guint         threads;
  double        alpha;
  guint32      *order;       /* the shuffle of pass order_pass */
  guint64       order_pass;
  LdaRun        runs[2];
  char         *save_model, *save_topics;
  ViLdaModelHeader model;    /* settings written with --save-model */
} LdaJob;

/* The defaults are the bars preset: the bars form within a few passes and
 * SVI recovers them (max Hellinger 0.015 after 20 passes at seed 1; with
 * scikit-learn's batch 32, τ₀ 10, κ 0.6 it is 0.28 here, and other seeds
 * may merge two bars). Real text wants α ≈ 0.1 and larger batches. */
static const char *const corpus_examples[] = { "bars", "kjv", NULL };
static const char *const algorithm_choices[] = { "svi", "batch", "both", NULL };

static const ViParamSpec lda_params[] = {
  { .key = "corpus", .type = VI_PARAM_STRING, .flags = VI_PARAM_DATA,
    .help = "Corpus: bars, kjv, uci:DOCWORD[,VOCAB] or text:PATH", .sdef = "bars",
    .cli = { "corpus", 'c', "SPEC" } },
  { .key = "test", .type = VI_PARAM_STRING, .flags = VI_PARAM_DATA,
    .help = "Held-out documents uci:DOCWORD[,VOCAB] (default: every 10th document)",
    .cli = { "test", 0, "SPEC" } },
  { .key = "bars-side", .type = VI_PARAM_INT64, .flags = VI_PARAM_DATA,
    .help = "Bars: image side (K = 2·side true topics)", .idef = 5, .imin = 2, .imax = 100,
    .cli = { "bars-side", 0, "N" } },
  { .key = "bars-docs", .type = VI_PARAM_INT64, .flags = VI_PARAM_DATA,
    .help = "Bars: documents", .idef = 2000, .imin = 10, .imax = 10000000,
    .cli = { "bars-docs", 0, "N" } },
  { .key = "bars-alpha", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_DATA | VI_PARAM_MIN_EXCLUSIVE,
    .help = "Bars: the generating Dirichlet α", .def = 1, .min = 0, .max = 1000,
    .cli = { "bars-alpha", 0, "A" } },
  { .key = "bars-length", .type = VI_PARAM_INT64, .flags = VI_PARAM_DATA,
    .help = "Bars: words a document", .idef = 100, .imin = 1, .imax = 1000000,
    .cli = { "bars-length", 0, "N" } },
  { .key = "min-count", .type = VI_PARAM_INT64, .flags = VI_PARAM_DATA,
    .help = "Text and KJV: drop words with fewer occurrences", .idef = 5, .imin = 1,
    .imax = 1000000000, .cli = { "min-count", 0, "N" } },
  { .key = "max-df", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_DATA | VI_PARAM_MIN_EXCLUSIVE,
    .help = "Text and KJV: drop words in more than this share of documents", .def = 1,
    .min = 0, .max = 1, .cli = { "max-df", 0, "F" } },
  { .key = "stopwords", .type = VI_PARAM_PATH, .flags = VI_PARAM_DATA,
    .help = "Text and KJV: stop-word file (default: the shipped English list)",
    .cli = { "stopwords", 0, "FILE" } },
  { .key = "topics", .type = VI_PARAM_INT64, .help = "Number of topics K", .idef = 10,
    .imin = 1, .imax = 10000, .cli = { "topics", 'k', "K" } },
  { .key = "algorithm", .type = VI_PARAM_ENUM, .help = "Inference", .sdef = "svi",
    .choices = algorithm_choices, .cli = { "algorithm", 'a', "NAME" } },
  { .key = "batch-size", .type = VI_PARAM_INT64, .help = "SVI: documents per update",
    .idef = 8, .imin = 1, .imax = 10000000, .cli = { "batch-size", 'b', "B" } },
  { .key = "tau0", .type = VI_PARAM_DOUBLE, .help = "SVI: delay τ₀ of ρ_t = (τ₀ + t)^−κ",
    .def = 10, .min = 0, .max = 1e9, .cli = { "tau0", 0, "T" } },
  { .key = "kappa", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_MIN_EXCLUSIVE,
    .help = "SVI: forgetting rate κ of ρ_t", .def = 0.51, .min = 0.5, .max = 1,
    .cli = { "kappa", 0, "K" } },
  { .key = "alpha", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_MIN_EXCLUSIVE,
    .help = "Document-topic prior α", .def = 1, .min = 0, .max = 1e6,
    .cli = { "alpha", 0, "A" } },
  { .key = "eta", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_MIN_EXCLUSIVE,
    .help = "Topic-word prior η", .def = 0.01, .min = 0, .max = 1e6, .cli = { "eta", 0, "E" } },
  { .key = "passes", .type = VI_PARAM_INT64, .help = "Passes over the corpus", .idef = 20,
    .imin = 1, .imax = 1000000, .cli = { "passes", 'p', "N" } },
  { .key = "e-step-tol", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_MIN_EXCLUSIVE,
    .help = "E-step: stop when mean |Δγ| is below", .def = 1e-3, .min = 0, .max = 1,
    .cli = { "e-step-tol", 0, "X" } },
  { .key = "e-step-max-iter", .type = VI_PARAM_INT64, .help = "E-step: at most this many rounds",
    .idef = 100, .imin = 1, .imax = 100000, .cli = { "e-step-max-iter", 0, "N" } },
  { .key = "eval-every", .type = VI_PARAM_INT64,
    .help = "Held-out perplexity every N updates (0: at the end only)", .idef = 10, .imin = 0,
    .imax = G_GINT64_CONSTANT (1000000000), .cli = { "eval-every", 0, "N" } },
  { .key = "threads", .type = VI_PARAM_INT64, .help = "Worker threads (0: one per processor)",
    .idef = 0, .imin = 0, .imax = 256, .cli = { "threads", 'j', "N" } },
  { .key = "seed", .type = VI_PARAM_UINT64, .help = "Random seed", .udef = 1, .umin = 0,
    .umax = VI_PARAM_SEED_MAX, .cli = { "seed", 's', "S" } },
  { .key = "stream", .type = VI_PARAM_BOOL, .flags = VI_PARAM_DATA,
    .help = "Read a uci: corpus in mini-batches as training goes (SVI only)", .idef = 0,
    .cli = { "stream", 0, NULL } },
  { .key = "save-model", .type = VI_PARAM_PATH,
    .help = "Write the model (λ and settings) to FILE when training ends",
    .cli = { "save-model", 0, "FILE" } },
  { .key = "load-model", .type = VI_PARAM_PATH, .flags = VI_PARAM_DATA,
    .help = "Resume from a model saved with --save-model",
    .cli = { "load-model", 0, "FILE" } },
  { .key = "save-topics", .type = VI_PARAM_PATH,
    .help = "Write λ as K lines of W numbers to FILE when training ends",
    .cli = { "save-topics", 0, "FILE" } },
  { NULL }
};

/* ---- validation and creation --------------------------------------------- */

static gboolean
lda_job_validate (GVariant  *params,
                  GError   **error)
{
  const char *corpus = vi_params_get_string (params, "corpus");
  const char *test = vi_params_get_string (params, "test");
  const char *algorithm = vi_params_get_string (params, "algorithm");
  gboolean known = g_strv_contains (corpus_examples, corpus) || g_str_has_prefix (corpus, "uci:")
                   || g_str_has_prefix (corpus, "text:");

  if (!known || strcmp (corpus, "uci:") == 0 || strcmp (corpus, "text:") == 0)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "corpus: unknown corpus '%s' (valid: bars, kjv, "
                   "uci:DOCWORD[,VOCAB], text:PATH)", corpus);
      return FALSE;
    }
  if (test[0] != '\0' && (!g_str_has_prefix (test, "uci:") || test[4] == '\0'))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "test: expected uci:DOCWORD[,VOCAB] (got '%s')",
                   test);
      return FALSE;
    }
  if (vi_params_get_boolean (params, "stream"))
    {
      if (strcmp (algorithm, "svi") != 0)
        {
          g_set_error (error, VI_ERROR, VI_EINVAL, "stream: SVI only (algorithm is '%s')",
                       algorithm);
          return FALSE;
        }
      if (!g_str_has_prefix (corpus, "uci:"))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL, "stream: needs a uci: corpus (got '%s')",
                       corpus);
          return FALSE;
        }
    }
  if (strcmp (algorithm, "both") == 0 && vi_params_get_string (params, "load-model")[0] != '\0')
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "load-model: resumes one run, not 'both'");
      return FALSE;
    }
  return TRUE;
}

static void
run_clear (LdaRun *r)
{
  g_clear_pointer (&r->lda, vi_lda_free);
  g_free (r->lambda);
  g_free (r->last_beta);
}

static void
lda_job_free (gpointer state)
{
  LdaJob *job = state;

  if (job == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    run_clear (&job->runs[i]);
  g_clear_pointer (&job->train, vi_corpus_free);
  g_clear_pointer (&job->test, vi_corpus_free);
  g_clear_pointer (&job->stream, vi_lda_stream_free);
  vi_lda_snapshot_clear (&job->snap);
  g_free (job->word_count);
  g_free (job->order);
  g_free (job->save_model);
  g_free (job->save_topics);
  g_free (job);
}

/* Text options from the parameters (the stop words read here). */
static gboolean
text_options (GVariant             *params,
              ViCorpusTextOptions  *o,
              GError              **error)
{
  const char *path = vi_params_get_string (params, "stopwords");
  g_autofree char *shipped = NULL;

  o->min_count = (guint) vi_params_get_int64 (params, "min-count");
  o->max_df = vi_params_get_double (params, "max-df");
  if (path[0] == '\0')
    path = shipped = vi_corpus_dup_stopwords_path ();
  o->stopwords = path != NULL ? vi_corpus_read_stopwords (path, error) : NULL;
  return path == NULL || o->stopwords != NULL;
}

static gboolean
load_data (LdaJob    *job,
           GVariant  *params,
           GError   **error)
{
  const char *corpus = vi_params_get_string (params, "corpus");
  const char *test = vi_params_get_string (params, "test");
  ViLdaBarsSpec bars = {
    (guint) vi_params_get_int64 (params, "bars-side"),
    (guint32) vi_params_get_int64 (params, "bars-docs"),
    vi_params_get_double (params, "bars-alpha"),
    (guint32) vi_params_get_int64 (params, "bars-length"),
    vi_params_get_uint64 (params, "seed"),
  };
  ViCorpusTextOptions options = { 0 };
  gboolean ok;

  if (vi_params_get_boolean (params, "stream"))
    {
      g_autofree char *docword = NULL, *vocab = NULL;
      g_autoptr(GError) local = NULL;

      vi_lda_job_split_uci (corpus + 4, &docword, &vocab);
      job->stream = vi_lda_stream_open (docword, job->batch_size,
                                        job->batch_size * STREAM_BUFFER_BATCHES,
                                        test[0] != '\0', job->seed, error);
      if (job->stream == NULL)
        return FALSE;
      if (test[0] != '\0')
        {
          g_autofree char *tdoc = NULL, *tvocab = NULL;

          vi_lda_job_split_uci (test + 4, &tdoc, &tvocab);
          job->test = vi_corpus_read_uci (tdoc, tvocab, error);
        }
      else
        job->test = vi_lda_stream_read_test (docword, STREAM_TEST_DOCS, error);
      if (job->test == NULL)
        return FALSE;
      if (job->test->n_words != vi_lda_stream_n_words (job->stream))
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: %u words, but the corpus has %u",
                       test[0] != '\0' ? test + 4 : docword, job->test->n_words,
                       vi_lda_stream_n_words (job->stream));
          return FALSE;
        }
      job->snap.n_words = job->test->n_words;
      job->n_train = vi_lda_stream_n_train (job->stream);
      job->snap.vocab = vi_lda_stream_read_vocab (docword, vocab, job->snap.n_words, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }
  if (!text_options (params, &options, error))
    return FALSE;
  ok = vi_lda_job_load (corpus, test, &bars, &options, &job->train, &job->test,
                        &job->snap.true_topics, error);
  g_strfreev (options.stopwords);
  if (!ok)
    return FALSE;
  if (job->train->n_docs == 0 || job->test->n_docs == 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "corpus: %s has no %s documents", corpus,
                   job->train->n_docs == 0 ? "training" : "held-out");
      return FALSE;
    }
  job->snap.n_words = job->train->n_words;
  job->n_train = job->train->n_docs;
  if (job->snap.true_topics != NULL)
    job->snap.bars_side = bars.side;
  return TRUE;
}

/* Training documents seen after @t updates of run @r. */
static guint64
docs_after (const LdaJob *job,
            const LdaRun *r,
            guint64       t)
{
  if (r->batch)
    return t * job->n_train;
  return t / job->per_pass * job->n_train
         + MIN (t % job->per_pass * job->batch_size, job->n_train);
}

static gboolean
check_model (const LdaJob           *job,
             const char             *path,
             const ViLdaModelHeader *h,
             GError                **error)
{
  const ViLdaModelHeader *m = &job->model;
  const char *what = NULL;
  char have[64] = "", want[64] = "";

#define DIFF_INT(field, name) \
  if (what == NULL && h->field != m->field) \
    { \
      what = name; \
      g_snprintf (have, sizeof have, "%" G_GUINT64_FORMAT, (guint64) h->field); \
      g_snprintf (want, sizeof want, "%" G_GUINT64_FORMAT, (guint64) m->field); \
    }
#define DIFF_DBL(field, name) \
  if (what == NULL && h->field != m->field) \
    { \
      what = name; \
      g_snprintf (have, sizeof have, "%.15g", h->field); \
      g_snprintf (want, sizeof want, "%.15g", m->field); \
    }
  DIFF_INT (n_topics, "--topics");
  DIFF_INT (n_words, "vocabulary size");
  DIFF_INT (vocab_hash, "vocabulary hash");
  DIFF_INT (batch, "batch (1: batch VB, 0: SVI)");
  DIFF_INT (seed, "--seed");
  if (!m->batch)
    {
      DIFF_INT (batch_size, "--batch-size");
      DIFF_DBL (tau0, "--tau0");
      DIFF_DBL (kappa, "--kappa");
    }
  DIFF_DBL (alpha, "--alpha");
  DIFF_DBL (eta, "--eta");
#undef DIFF_INT
#undef DIFF_DBL
  if (what == NULL)
    return TRUE;
  g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: saved with %s %s, but this run has %s", path,
               what, have, want);
  return FALSE;
}

static gboolean
load_model (LdaJob      *job,
            const char  *path,
            GError     **error)
{
  LdaRun *r = &job->runs[0];
  ViLdaModelHeader h;
  g_autofree double *lambda = NULL;
  g_autoptr(GError) local = NULL;

  if (!vi_lda_model_load (path, &h, &lambda, error) || !check_model (job, path, &h, error))
    return FALSE;
  if (!vi_lda_set_lambda (r->lda, lambda, h.updates, &local))
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: %s", path, local->message);
      return FALSE;
    }
  r->out->updates = h.updates;
  r->out->docs_seen = docs_after (job, r, h.updates);
  /* A stream resumes where the saved run stopped in its pass. */
  for (guint64 b = 0; job->stream != NULL && b < h.updates % job->per_pass; b++)
    {
      if (vi_lda_stream_batch (job->stream, h.updates / job->per_pass, job->word_count,
                               error) == NULL)
        return FALSE;
      vi_lda_stream_consume (job->stream);
    }
  return TRUE;
}

static gboolean
run_init (LdaJob        *job,
          guint          i,
          gboolean       batch,
          ViLdaOptions  *o,
          GError       **error)
{
  LdaRun *r = &job->runs[i];
  ViLdaRun *out = &job->snap.runs[i];
  size_t kw = (size_t) o->n_topics * job->snap.n_words, k = o->n_topics;

  r->out = out;
  r->batch = batch;
  r->lda = vi_lda_create (o, job->snap.n_words, error);
  if (r->lda == NULL)
    return FALSE;
  r->n_updates = batch ? job->passes : job->passes * job->per_pass;
  r->eval_stride = 1;
  r->topics_at = G_MAXUINT64;
  r->lambda = g_try_new (double, kw);
  r->last_beta = g_try_new (double, kw);
  out->algorithm = batch ? "batch" : "svi";
  out->rho = NAN;
  out->trace_docs = g_new (double, TRACE_MAX);
  out->trace_rho = g_new (double, TRACE_MAX);
  out->trace_elbo = g_new (double, TRACE_MAX);
  out->trace_perplexity = g_new (double, TRACE_MAX);
  out->trace_seconds = g_new (double, TRACE_MAX);
  out->topic_top_weight = g_new0 (double, k * VI_LDA_TOP_WORDS);
  out->topic_top_word = g_new0 (guint32, k * VI_LDA_TOP_WORDS);
  out->topic_top_lift = g_new0 (double, k * VI_LDA_TOP_WORDS);
  out->prevalence = g_new0 (double, k);
  out->coherence = g_new (double, k);
  out->drift = g_new (double, k);
  for (size_t j = 0; j < k; j++)
    out->coherence[j] = out->drift[j] = NAN;
  if (job->snap.n_words <= VI_LDA_SNAPSHOT_MAX_W)
    out->beta = g_new0 (double, kw);
  if (job->snap.true_topics != NULL && k == 2 * job->snap.bars_side)
    out->true_distance = g_new0 (double, k);
  if (r->lambda == NULL || r->last_beta == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "topics: out of memory for %zu × %u", k,
                   job->snap.n_words);
      return FALSE;
    }
  return TRUE;
}

/* λ of @r into r->lambda, rows normalised to β̄; @prevalence (K, may be
 * NULL) gets each topic's share of Σ (λ − η), the expected token counts. */
static void
get_beta (LdaJob *job,
          LdaRun *r,
          double *prevalence)
{
  guint k = vi_lda_get_n_topics (r->lda);
  guint32 w = job->snap.n_words;
  double total = 0;

  vi_lda_get_lambda (r->lda, r->lambda);
  for (guint j = 0; j < k; j++)
    {
      double *row = r->lambda + (size_t) j * w, s = 0;

      for (guint32 v = 0; v < w; v++)
        s += row[v];
      for (guint32 v = 0; v < w; v++)
        row[v] /= s;
      if (prevalence != NULL)
        {
          prevalence[j] = MAX (s - w * job->model.eta, 0);
          total += prevalence[j];
        }
    }
  for (guint j = 0; prevalence != NULL && j < k; j++)
    prevalence[j] = total > 0 ? prevalence[j] / total : 1.0 / k;
}

/* The top words, prevalence, β̄ and bars distances of @r now. */
static void
make_topics (LdaJob *job,
             LdaRun *r)
{
  ViLdaRun *out = r->out;
  guint k = vi_lda_get_n_topics (r->lda);
  guint32 w = job->snap.n_words, top = MIN (w, VI_LDA_TOP_WORDS);
  double n = 0;

  if (r->topics_at == out->updates)
    return;
  r->topics_at = out->updates;
  get_beta (job, r, out->prevalence);
  for (guint32 v = 0; v < w; v++)
    n += (double) job->word_count[v];
  for (guint j = 0; j < k; j++)
    {
      const double *row = r->lambda + (size_t) j * w;
      double *tw = out->topic_top_weight + (size_t) j * VI_LDA_TOP_WORDS;
      guint32 *ti = out->topic_top_word + (size_t) j * VI_LDA_TOP_WORDS;
      guint32 len = 0;

      /* Insertion into the descending top list (ties: lower id first). */
      for (guint32 v = 0; v < w; v++)
        {
          guint32 pos = len;

          if (len == top && !(row[v] > tw[top - 1]))
            continue;
          while (pos > 0 && row[v] > tw[pos - 1])
            pos--;
          if (len < top)
            len++;
          memmove (tw + pos + 1, tw + pos, (len - 1 - pos) * sizeof (double));
          memmove (ti + pos + 1, ti + pos, (len - 1 - pos) * sizeof (guint32));
          tw[pos] = row[v];
          ti[pos] = v;
        }
      for (guint32 i = 0; i < top; i++)
        {
          /* p_w smoothed by half a token, so unseen words stay finite. */
          double p = ((double) job->word_count[ti[i]] + 0.5) / (n + 0.5 * w);

          out->topic_top_lift[(size_t) j * VI_LDA_TOP_WORDS + i] = log (tw[i] / p);
        }
    }
  if (out->beta != NULL)
    memcpy (out->beta, r->lambda, (size_t) k * w * sizeof (double));
  if (out->true_distance != NULL)
    vi_lda_topic_recovery (job->snap.true_topics, r->lambda, k, w, out->true_distance);
}

/* UMass coherence of each topic's top 10 words over the training documents:
 * Σ_{m<10} Σ_{l<m} log ((D(w_m, w_l) + 1) / D(w_l)), w_0 the top word. */
static void
coherence (const LdaJob *job,
           LdaRun       *r)
{
  const ViCorpus *c = job->train;
  guint k = vi_lda_get_n_topics (r->lda);
  guint m = MIN (COHERENCE_WORDS, job->snap.n_words);
  g_autofree gint32 *head = NULL, *next = NULL;
  g_autofree guint16 *mask = NULL;
  g_autofree guint32 *touched = NULL;
  g_autofree guint64 *df = NULL, *co = NULL;

  if (c == NULL)
    return;             /* streamed: no corpus in memory */
  head = g_new (gint32, job->snap.n_words);
  next = g_new (gint32, (size_t) k * m);
  mask = g_new0 (guint16, k);
  touched = g_new (guint32, k);
  df = g_new0 (guint64, (size_t) k * m);
  co = g_new0 (guint64, (size_t) k * m * m);
  memset (head, 0xff, job->snap.n_words * sizeof (gint32));
  for (guint j = 0; j < k; j++)
    for (guint i = 0; i < m; i++)
      {
        guint32 v = r->out->topic_top_word[(size_t) j * VI_LDA_TOP_WORDS + i];
        gint32 e = (gint32) (j * m + i);

        next[e] = head[v];
        head[v] = e;
      }
  for (guint32 d = 0; d < c->n_docs; d++)
    {
      guint n_touched = 0;

      for (guint64 u = c->doc_ptr[d]; u < c->doc_ptr[d + 1]; u++)
        for (gint32 e = head[c->word[u]]; e >= 0; e = next[e])
          {
            guint j = (guint) e / m;

            if (mask[j] == 0)
              touched[n_touched++] = j;
            mask[j] |= (guint16) (1u << ((guint) e % m));
          }
      for (guint t = 0; t < n_touched; t++)
        {
          guint j = touched[t];

          for (guint a = 0; a < m; a++)
            if (mask[j] & (1u << a))
              {
                df[j * m + a]++;
                for (guint b = 0; b < a; b++)
                  if (mask[j] & (1u << b))
                    co[((size_t) j * m + a) * m + b]++;
              }
          mask[j] = 0;
        }
    }
  for (guint j = 0; j < k; j++)
    {
      double s = 0;

      for (guint a = 1; a < m; a++)
        for (guint b = 0; b < a; b++)
          s += log ((co[((size_t) j * m + a) * m + b] + 1.0) / MAX (df[j * m + b], 1));
      r->out->coherence[j] = s;
    }
}

/* Held-out perplexity, coherence and drift of @r; appends the trace. */
static int
evaluate (LdaJob  *job,
          LdaRun  *r,
          double   elbo,
          char   **error_message)
{
  ViLdaRun *out = r->out;
  guint k = vi_lda_get_n_topics (r->lda);
  size_t w = job->snap.n_words;
  g_autoptr(GError) error = NULL;
  double perplexity;

  /* Scored from λ itself, as lda-eval scores a --save-topics file. */
  vi_lda_get_lambda (r->lda, r->lambda);
  perplexity = vi_lda_perplexity (r->lambda, k, (guint32) w, job->alpha, job->test,
                                  job->threads, &error);
  r->topics_at = G_MAXUINT64;
  make_topics (job, r);
  if (isnan (perplexity))
    {
      *error_message = g_strdup_printf ("lda: held-out perplexity after %" G_GUINT64_FORMAT
                                        " updates: %s", out->updates, error->message);
      return VI_ENONFINITE;
    }
  coherence (job, r);
  for (guint j = 0; j < k; j++)
    out->drift[j] = vi_lda_hellinger (r->lambda + j * w, r->last_beta + j * w, w);
  memcpy (r->last_beta, r->lambda, k * w * sizeof (double));
  if (out->trace_len == TRACE_MAX)
    {
      for (guint i = 0; i < TRACE_MAX / 2; i++)
        {
          out->trace_docs[i] = out->trace_docs[2 * i + 1];
          out->trace_rho[i] = out->trace_rho[2 * i + 1];
          out->trace_elbo[i] = out->trace_elbo[2 * i + 1];
          out->trace_perplexity[i] = out->trace_perplexity[2 * i + 1];
          out->trace_seconds[i] = out->trace_seconds[2 * i + 1];
        }
      out->trace_len = TRACE_MAX / 2;
      r->eval_stride *= 2;
    }
  out->trace_docs[out->trace_len] = (double) out->docs_seen;
  out->trace_rho[out->trace_len] = out->rho;
  out->trace_elbo[out->trace_len] = elbo;
  out->trace_perplexity[out->trace_len] = perplexity;
  out->trace_seconds[out->trace_len] = out->seconds;
  out->trace_len++;
  return VI_OK;
}

/* The shuffle of pass @pass (the same streams as --stream's draws). */
static void
ensure_order (LdaJob  *job,
              guint64  pass)
{
  g_autoptr(gsl_rng) rng = NULL;

  if (job->order != NULL && job->order_pass == pass)
    return;
  if (job->order == NULL)
    job->order = g_new (guint32, job->n_train);
  for (guint32 d = 0; d < job->n_train; d++)
    job->order[d] = d;
  rng = vi_rng_create (job->seed, G_MAXUINT64 - 1 - pass);
  gsl_ran_shuffle (rng, job->order, job->n_train, sizeof (guint32));
  job->order_pass = pass;
}

/* One update of @r; *@n gets the documents it took. */
static int
update (LdaJob         *job,
        LdaRun         *r,
        gboolean        want_elbo,
        ViLdaStepInfo  *info,
        guint32        *n,
        const gint     *cancel,
        char          **error_message)
{
  guint64 t = vi_lda_get_updates (r->lda), pass = t / job->per_pass;
  guint64 start = t % job->per_pass * job->batch_size;
  g_autoptr(GError) error = NULL;
  const ViCorpus *batch;
  int status;

  if (r->batch)
    {
      *n = job->train->n_docs;
      return vi_lda_batch_step (r->lda, job->train, want_elbo, info, cancel);
    }
  if (job->stream == NULL)
    {
      ensure_order (job, pass);
      *n = (guint32) MIN (job->batch_size, job->n_train - start);
      return vi_lda_update (r->lda, job->train, job->order + start, *n, job->n_train, -1,
                            want_elbo, info, cancel);
    }
  batch = vi_lda_stream_batch (job->stream, pass, job->word_count, &error);
  if (batch == NULL)
    {
      *error_message = g_strdup (error->message);
      return error->code == VI_EIO ? VI_EIO : VI_EFORMAT;
    }
  *n = batch->n_docs;
  status = vi_lda_update (r->lda, batch, NULL, *n, job->n_train, -1, want_elbo, info, cancel);
  if (status == VI_OK)
    vi_lda_stream_consume (job->stream);
  return status;
}

static gboolean
run_finished (const LdaRun *r)
{
  return r->out->updates >= r->n_updates;
}

static int
run_step (LdaJob      *job,
          LdaRun      *r,
          const gint  *cancel,
          char       **error_message)
{
  ViLdaRun *out = r->out;
  ViLdaStepInfo info = { 0 };
  guint64 t = out->updates;
  gboolean last = t + 1 >= r->n_updates;
  gboolean due = last || r->batch || (job->eval_every > 0 && (t + 1) % job->eval_every == 0);
  gboolean eval = last || (due && r->evals % r->eval_stride == 0);
  gint64 t0 = g_get_monotonic_time ();
  guint32 n = 0;
  int status;

  status = update (job, r, eval, &info, &n, cancel, error_message);
  if (status != VI_OK)
    {
      if (status == VI_ENONFINITE && *error_message == NULL)
        *error_message = g_strdup_printf ("lda: λ is not finite after %" G_GUINT64_FORMAT
                                          " updates (try a larger --tau0 or a smaller "
                                          "--kappa)", t);
      return status;
    }
  out->seconds += (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  out->updates = t + 1;
  out->docs_seen += n;
  out->rho = info.rho;
  if (due)
    r->evals++;
  return eval ? evaluate (job, r, info.elbo_per_word, error_message) : VI_OK;
}

static int
finish (LdaJob  *job,
        char   **error_message)
{
  LdaRun *r = &job->runs[0];
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (job->save_model != NULL || job->save_topics != NULL)
    vi_lda_get_lambda (r->lda, r->lambda);
  if (job->save_model != NULL)
    {
      job->model.updates = vi_lda_get_updates (r->lda);
      ok = vi_lda_model_save (job->save_model, &job->model, r->lambda, &error);
    }
  if (ok && job->save_topics != NULL)
    ok = vi_lda_topics_save (job->save_topics, r->lambda, job->snap.n_topics,
                             job->snap.n_words, &error);
  r->topics_at = G_MAXUINT64;   /* r->lambda was overwritten */
  if (ok)
    return VI_OK;
  *error_message = g_strdup (error->message);
  return VI_EIO;
}

static int
lda_job_step (gpointer     state,
              const gint  *cancel,
              char       **error_message)
{
  LdaJob *job = state;
  gboolean done = TRUE;

  for (guint i = 0; i < job->snap.n_runs; i++)
    if (!run_finished (&job->runs[i]))
      {
        int status = run_step (job, &job->runs[i], cancel, error_message);

        if (status != VI_OK)
          return status;
        done = done && run_finished (&job->runs[i]);
      }
  job->snap.iteration++;
  return done ? finish (job, error_message) : VI_CONTINUE;
}

static gpointer
lda_job_create (GVariant  *params,
                GError   **error)
{
  LdaJob *job = g_new0 (LdaJob, 1);
  const char *algorithm = vi_params_get_string (params, "algorithm");
  const char *load = vi_params_get_string (params, "load-model");
  const char *save = vi_params_get_string (params, "save-model");
  const char *topics = vi_params_get_string (params, "save-topics");
  ViLdaSnapshot *s = &job->snap;
  ViLdaOptions o;
  guint64 steps = 0;

  vi_lda_options_init (&o);
  o.n_topics = (guint) vi_params_get_int64 (params, "topics");
  o.alpha = vi_params_get_double (params, "alpha");
  o.eta = vi_params_get_double (params, "eta");
  o.tau0 = vi_params_get_double (params, "tau0");
  o.kappa = vi_params_get_double (params, "kappa");
  o.e_tol = vi_params_get_double (params, "e-step-tol");
  o.e_max_iter = (guint) vi_params_get_int64 (params, "e-step-max-iter");
  o.seed = vi_params_get_uint64 (params, "seed");
  o.n_threads = (guint) vi_params_get_int64 (params, "threads");
  job->batch_size = (guint32) vi_params_get_int64 (params, "batch-size");
  job->passes = (guint64) vi_params_get_int64 (params, "passes");
  job->eval_every = (guint64) vi_params_get_int64 (params, "eval-every");
  job->seed = o.seed;
  job->threads = o.n_threads;
  job->alpha = o.alpha;
  job->save_model = save[0] != '\0' ? g_strdup (save) : NULL;
  job->save_topics = topics[0] != '\0' ? g_strdup (topics) : NULL;
  if (!load_data (job, params, error))
    goto fail;

  s->n_topics = o.n_topics;
  s->n_docs = (guint32) job->n_train;
  s->n_test_docs = job->test->n_docs;
  job->per_pass = (job->n_train + job->batch_size - 1) / job->batch_size;
  job->word_count = g_new0 (guint64, s->n_words);
  if (job->train != NULL)
    for (guint64 u = 0; u < job->train->nnz; u++)
      job->word_count[job->train->word[u]] += job->train->count[u];
  s->n_tokens = job->train != NULL ? job->train->n_tokens : 0;
  if (s->vocab == NULL)
    s->vocab = vi_lda_job_vocab (job->train != NULL ? job->train->vocab : job->test->vocab,
                                 s->n_words);
  s->word_freq = g_new0 (double, s->n_words);
  job->model = (ViLdaModelHeader) {
    o.n_topics, s->n_words, vi_lda_vocab_hash (s->vocab, s->n_words),
    0, o.seed, job->batch_size, strcmp (algorithm, "batch") == 0, o.alpha, o.eta, o.tau0,
    o.kappa
  };
  s->n_runs = strcmp (algorithm, "both") == 0 ? 2 : 1;
  for (guint i = 0; i < s->n_runs; i++)
    if (!run_init (job, i, i == 1 || strcmp (algorithm, "batch") == 0, &o, error))
      goto fail;
  if (load[0] != '\0' && !load_model (job, load, error))
    goto fail;
  for (guint i = 0; i < s->n_runs; i++)
    {
      LdaRun *r = &job->runs[i];

      get_beta (job, r, NULL);
      memcpy (r->last_beta, r->lambda, (size_t) s->n_topics * s->n_words * sizeof (double));
      if (r->n_updates > r->out->updates)
        steps = MAX (steps, r->n_updates - r->out->updates);
    }
  s->n_steps = steps;
  vi_lda_job_explorer_init (s, job->test);
  return job;

fail:
  lda_job_free (job);
  return NULL;
}

/* ---- snapshots ----------------------------------------------------------- */

static gpointer
lda_job_snapshot (gpointer state)
{
  LdaJob *job = state;
  ViLdaSnapshot *s = &job->snap;
  double n = 0;

  for (guint i = 0; i < s->n_runs; i++)
    make_topics (job, &job->runs[i]);
  for (guint32 v = 0; v < s->n_words; v++)
    n += (double) job->word_count[v];
  for (guint32 v = 0; v < s->n_words; v++)
    s->word_freq[v] = n > 0 ? job->word_count[v] / n : 0;
  if (job->stream != NULL)
    s->n_tokens = (guint64) n;
  vi_lda_job_explorer_update (s, job->runs[0].lambda, job->alpha);
  return vi_lda_snapshot_copy (s);
}

static void
lda_snapshot_free (gpointer snapshot)
{
  vi_lda_snapshot_free (snapshot);
}

static gpointer
lda_snapshot_keep (gconstpointer snapshot)
{
  return vi_lda_snapshot_keep (snapshot);
}

static guint64
lda_job_get_iteration (gpointer state)
{
  return ((LdaJob *) state)->snap.iteration;
}

static double
lda_job_get_objective (gpointer state)
{
  const ViLdaRun *r = &((LdaJob *) state)->snap.runs[0];

  return r->trace_len > 0 ? r->trace_perplexity[r->trace_len - 1] : NAN;
}

static guint64
lda_job_get_n_steps (gpointer state)
{
  return ((LdaJob *) state)->snap.n_steps;
}

const ViJobType vi_lda_job_type = {
  .name = "lda",
  .params = lda_params,
  .validate = lda_job_validate,
  .create = lda_job_create,
  .step = lda_job_step,
  .snapshot = lda_job_snapshot,
  .snapshot_free = lda_snapshot_free,
  .free = lda_job_free,
  .get_iteration = lda_job_get_iteration,
  .get_objective = lda_job_get_objective,
  .get_n_steps = lda_job_get_n_steps,
  .snapshot_keep = lda_snapshot_keep,
};
