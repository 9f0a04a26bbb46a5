/* vi-cli-lda.c — `elbo-lab-cli lda` (SVI and batch VB for LDA),
 * `lda-eval` (completion perplexity of any topics file) and `corpus`
 * (a corpus written as UCI files, split as lda splits it)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "vi-cli-commands.h"
#include "vi-cli-common.h"
#include "vi-cli-run.h"
#include "vi-cli-work.h"
#include "vi-core-autocleanups.h"
#include "vi-lda-views.h"
#include "vi-lda-job-private.h"
#include "vi-lda-job.h"
#include "vi-status.h"

/* Words per topic in the JSON and the text output. */
#define SHOWN_WORDS 10

static double
last_perplexity (const ViLdaRun *r)
{
  return r->trace_len > 0 ? r->trace_perplexity[r->trace_len - 1] : NAN;
}

static double
mean_coherence (const ViLdaSnapshot *s,
                const ViLdaRun      *r)
{
  double sum = 0;

  for (guint k = 0; k < s->n_topics; k++)
    sum += r->coherence[k];
  return sum / s->n_topics;
}

static guint
threads_used (GVariant *params)
{
  gint64 t = vi_params_get_int64 (params, "threads");

  return t > 0 ? (guint) t : g_get_num_processors ();
}

/* The fields of one run: algorithm … trace. */
static void
add_run (JsonBuilder         *b,
         const ViLdaSnapshot *s,
         const ViLdaRun      *r,
         GVariant            *params)
{
  guint shown = MIN (SHOWN_WORDS, s->n_words);

  json_builder_set_member_name (b, "algorithm");
  json_builder_add_string_value (b, r->algorithm);
  vi_json_add_double_member (b, "seconds", r->seconds);
  vi_json_add_double_member (b, "docs_per_second",
                             r->seconds > 0 ? (double) s->n_docs
                             * vi_params_get_int64 (params, "passes") / r->seconds : NAN);
  vi_json_add_double_member (b, "heldout_perplexity", last_perplexity (r));
  vi_json_add_double_member (b, "coherence", mean_coherence (s, r));
  json_builder_set_member_name (b, "topics");
  json_builder_begin_array (b);
  for (guint k = 0; k < s->n_topics; k++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "top_words");
      json_builder_begin_array (b);
      for (guint i = 0; i < shown; i++)
        json_builder_add_string_value (b, s->vocab[r->topic_top_word[k * VI_LDA_TOP_WORDS + i]]);
      json_builder_end_array (b);
      vi_json_add_double_member (b, "coherence", r->coherence[k]);
      vi_json_add_double_member (b, "prevalence", r->prevalence[k]);
      if (r->true_distance != NULL)
        vi_json_add_double_member (b, "true_distance", r->true_distance[k]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (r->true_distance != NULL)
    {
      double worst = 0;

      for (guint k = 0; k < s->n_topics; k++)
        worst = MAX (worst, r->true_distance[k]);
      vi_json_add_double_member (b, "max_true_distance", worst);
    }
  json_builder_set_member_name (b, "trace");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->trace_len; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "docs_seen");
      json_builder_add_int_value (b, (gint64) r->trace_docs[i]);
      vi_json_add_double_member (b, "rho", r->trace_rho[i]);
      vi_json_add_double_member (b, "elbo_estimate", r->trace_elbo[i]);
      vi_json_add_double_member (b, "heldout_perplexity", r->trace_perplexity[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_json (JsonBuilder *b,
          gpointer     result,
          GVariant    *params,
          double       seconds)
{
  const ViLdaSnapshot *s = result;

  (void) seconds;       /* the training time excludes evaluation: the run's */
  json_builder_set_member_name (b, "docs");
  json_builder_add_int_value (b, s->n_docs);
  json_builder_set_member_name (b, "vocab");
  json_builder_add_int_value (b, s->n_words);
  json_builder_set_member_name (b, "tokens");
  json_builder_add_int_value (b, (gint64) s->n_tokens);
  json_builder_set_member_name (b, "threads");
  json_builder_add_int_value (b, threads_used (params));
  add_run (b, s, &s->runs[0], params);
  if (s->n_runs > 1)
    {
      /* "both": the batch VB run beside the SVI one. */
      json_builder_set_member_name (b, "batch");
      json_builder_begin_object (b);
      add_run (b, s, &s->runs[1], params);
      json_builder_end_object (b);
    }
}

static void
print_text (GString  *out,
            gpointer  result,
            GVariant *params,
            double    seconds)
{
  const ViLdaSnapshot *s = result;

  (void) seconds;
  g_string_append_printf (out, "corpus: %u training documents, %u held out, W %u, %"
                          G_GUINT64_FORMAT " tokens\n", s->n_docs, s->n_test_docs, s->n_words,
                          s->n_tokens);
  for (guint i = 0; i < s->n_runs; i++)
    {
      const ViLdaRun *r = &s->runs[i];

      g_string_append_printf (out, "%s: %" G_GUINT64_FORMAT " updates, %" G_GUINT64_FORMAT
                              " documents in %s s (%u threads); held-out perplexity %s; "
                              "coherence %s\n", r->algorithm, r->updates, r->docs_seen,
                              vi_cli_fmt (r->seconds), threads_used (params),
                              vi_cli_fmt (last_perplexity (r)), vi_cli_fmt (mean_coherence (s, r)));
      for (guint k = 0; k < s->n_topics; k++)
        {
          g_string_append_printf (out, "  topic %u (%.1f %%):", k, 100 * r->prevalence[k]);
          for (guint j = 0; j < MIN (SHOWN_WORDS, s->n_words); j++)
            g_string_append_printf (out, " %s",
                                    s->vocab[r->topic_top_word[k * VI_LDA_TOP_WORDS + j]]);
          g_string_append_c (out, '\n');
        }
    }
}

static void
write_csv (GString  *out,
           gpointer  result,
           GVariant *params)
{
  const ViLdaSnapshot *s = result;

  (void) params;
  g_string_append (out, "algorithm,docs_seen,rho,elbo_estimate,heldout_perplexity,seconds\n");
  for (guint i = 0; i < s->n_runs; i++)
    {
      const ViLdaRun *r = &s->runs[i];

      for (guint j = 0; j < r->trace_len; j++)
        g_string_append_printf (out, "%s,%.0f,%.17g,%.17g,%.17g,%.17g\n", r->algorithm,
                                r->trace_docs[j], r->trace_rho[j], r->trace_elbo[j],
                                r->trace_perplexity[j], r->trace_seconds[j]);
    }
}

/* --plot: the page's overview, perplexity beside the topic × word heat map. */
static ViFigure *
build_figure (gpointer   result,
              GVariant  *params,
              double    *width,
              double    *height,
              GError   **error)
{
  const ViLdaSnapshot *s = result;
  ViFigure *fig = vi_figure_create (1, 2);
  ViViewContext ctx;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  vi_lda_overview_view_build (fig, s, &ctx);
  *width = 2 * 420;
  *height = 400;
  return fig;
}

const ViCliDescriptor vi_cli_lda_command = {
  .name = "lda",
  .parameter_string = "— SVI and batch VB for latent Dirichlet allocation",
  .summary =
    "Fits K topics q(β_k) = Dirichlet(λ_k) to a corpus by stochastic variational\n"
    "inference on mini-batches (Hoffman, Blei & Bach 2010) or by batch VB, and\n"
    "reports the held-out completion perplexity, UMass coherence and top words.",
  .description =
    "Corpora: bars (synthetic, its true topics known: the JSON gives each topic's\n"
    "Hellinger distance to its matched true bar), kjv (the King James Bible's 1,189\n"
    "chapters, from Debian's bible-kjv, cached), uci:DOCWORD[,VOCAB], text:PATH.\n"
    "Document d is held out when d mod 10 = 9, unless --test names a UCI file.\n"
    "--stream reads a uci: corpus in mini-batches as it goes (a shuffle buffer of 8\n"
    "batches), so memory stays O(K·W + batch); its held-out set is the first 1,000\n"
    "documents with d mod 10 = 9 (or --test).\n"
    "\nExit status: 0 success, 1 bad data file or a diverging run, 2 bad options,\n"
    "130 interrupted.\n"
    "\nExamples:\n"
    "  elbo-lab-cli lda --json   (bars: 10 topics, α 1, batch 8, τ₀ 10, κ 0.51, 20 passes)\n"
    "  elbo-lab-cli lda --corpus kjv --topics 100 --batch-size 256 --tau0 1 --kappa 0.7 \\\n"
    "      --alpha 0.1 --passes 5 --save-topics kjv-topics.txt\n"
    "  elbo-lab-cli corpus kjv --out kjv   (the same split as UCI files)\n"
    "  elbo-lab-cli lda-eval --topics kjv-topics.txt --test uci:kjv/docword.test.txt \\\n"
    "      --alpha 0.1   (scores any K × W topics file the same way)\n",
  .job_type = &vi_lda_job_type,
  .csv_help = "Write the trace (algorithm, docs_seen, rho, elbo_estimate, heldout_perplexity, "
              "seconds) as CSV",
  .plot_help = "Draw the held-out perplexity trace and the topic × word heat map to FILE "
               "(.png, .svg, .pdf or .csv)",
  .add_json = add_json,
  .estimate_seconds = vi_cli_lda_estimate_seconds,
  .print_text = print_text,
  .write_csv = write_csv,
  .build_figure = build_figure,
};

/* ---- lda-eval ------------------------------------------------------------ */

/* Parses the options of a subcommand that is not a job; FALSE with
 * @error (a usage error) on a bad option. */
static gboolean
parse_options (const char          *parameter_string,
               const char          *summary,
               const GOptionEntry  *entries,
               int                 *argc,
               char              ***argv,
               GError             **error)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (parameter_string);

  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  return g_option_context_parse (ctx, argc, argv, error);
}

/* Reports @error (any domain) as a data error: exit 1. */
static int
data_fail (const char   *subcommand,
           const GError *error)
{
  g_autoptr(GError) mapped = NULL;

  g_set_error_literal (&mapped, VI_CLI_ERROR, VI_EXIT_RUNTIME, error->message);
  return vi_cli_report_error (subcommand, mapped);
}

static guint64
held_out_tokens (const ViCorpus *test)
{
  guint64 held = 0;

  /* As vi_lda_perplexity splits: the first 80 % of the tokens observed. */
  for (guint32 d = 0; d < test->n_docs; d++)
    {
      guint64 n = 0;

      for (guint64 u = test->doc_ptr[d]; u < test->doc_ptr[d + 1]; u++)
        n += test->count[u];
      held += n - (guint32) (0.8 * (double) n);
    }
  return held;
}

int
vi_cli_lda_eval (int    argc,
                 char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *topics_path = NULL, *test_spec = NULL, *alpha_text = NULL;
  g_autofree char *docword = NULL, *vocab = NULL, *threads_text = NULL;
  g_autofree double *topics = NULL;
  g_autoptr(ViCorpus) test = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *json = NULL;
  double alpha = 0.1, threads = 0, perplexity;
  guint k;
  guint32 w;
  GOptionEntry entries[] = {
    { "topics", 0, 0, G_OPTION_ARG_FILENAME, &topics_path,
      "Topics: K lines of W numbers (λ or β, e.g. scikit-learn's components_)", "FILE" },
    { "test", 0, 0, G_OPTION_ARG_STRING, &test_spec, "Held-out documents", "uci:DOCWORD[,VOCAB]" },
    { "alpha", 0, 0, G_OPTION_ARG_STRING, &alpha_text, "Document-topic prior α (default 0.1)",
      "A" },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &threads_text, "Worker threads (0: one per "
      "processor)", "N" },
    { NULL }
  };

  if (!parse_options ("— held-out completion perplexity of a topics file",
    "Normalises each row of the topics file to β̄_k, folds in the first 80 % of each\n"
    "test document's tokens (shuffled with a fixed seed) and prints, as JSON, the\n"
    "perplexity of the other 20 %: perplexity, docs, held_out_tokens.",
                      entries, &argc, &argv, &error))
    return vi_cli_report_error ("lda-eval", error);
  if (argc > 1)
    vi_cli_usage_error (&error, "unexpected argument '%s'", argv[1]);
  else if (topics_path == NULL || test_spec == NULL)
    vi_cli_usage_error (&error, "%s is required", topics_path == NULL ? "--topics" : "--test");
  else if (!g_str_has_prefix (test_spec, "uci:") || test_spec[4] == '\0')
    vi_cli_usage_error (&error, "--test: expected uci:DOCWORD[,VOCAB] (got '%s')", test_spec);
  else if (alpha_text != NULL && vi_cli_parse_double ("--alpha", alpha_text, &alpha, &error)
           && !(alpha > 0))
    vi_cli_usage_error (&error, "--alpha: must be > 0 (got %s)", alpha_text);
  else if (threads_text != NULL && vi_cli_parse_double ("--threads", threads_text, &threads,
                                                        &error)
           && !(threads >= 0 && threads <= 256 && threads == floor (threads)))
    vi_cli_usage_error (&error, "--threads: must be an integer in [0, 256] (got %s)",
                        threads_text);
  if (error != NULL)
    return vi_cli_report_error ("lda-eval", error);

  topics = vi_lda_topics_read (topics_path, &k, &w, &error);
  if (topics == NULL)
    return data_fail ("lda-eval", error);
  vi_lda_job_split_uci (test_spec + 4, &docword, &vocab);
  test = vi_corpus_read_uci (docword, vocab, &error);
  if (test == NULL)
    return data_fail ("lda-eval", error);
  perplexity = vi_lda_perplexity (topics, k, w, alpha, test, (guint) threads, &error);
  if (isnan (perplexity))
    {
      g_autoptr(GError) mapped = NULL;

      g_set_error (&mapped, VI_CLI_ERROR, VI_EXIT_RUNTIME, "%s: %s", topics_path, error->message);
      return vi_cli_report_error ("lda-eval", mapped);
    }
  json_builder_begin_object (b);
  vi_json_add_double_member (b, "perplexity", perplexity);
  json_builder_set_member_name (b, "docs");
  json_builder_add_int_value (b, test->n_docs);
  json_builder_set_member_name (b, "held_out_tokens");
  json_builder_add_int_value (b, (gint64) held_out_tokens (test));
  json_builder_set_member_name (b, "topics");
  json_builder_add_int_value (b, k);
  json_builder_set_member_name (b, "vocab");
  json_builder_add_int_value (b, w);
  json_builder_end_object (b);
  json = vi_json_to_string (b);
  printf ("%s\n", json);
  return fflush (stdout) == 0 ? VI_EXIT_OK : VI_EXIT_RUNTIME;
}

/* ---- corpus -------------------------------------------------------------- */

static gboolean
parse_synthetic (const char  *text,
                 guint64     *v,
                 GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  const guint64 max[4] = { VI_CORPUS_MAX_DOCS, VI_CORPUS_MAX_WORDS, 10000, 1000000 };

  if (g_strv_length (parts) != 4)
    return vi_cli_usage_error (error, "--synthetic: expected D,W,K,LENGTH (got '%s')", text);
  for (guint i = 0; i < 4; i++)
    {
      char *end;
      guint64 x;

      errno = 0;
      x = g_ascii_strtoull (parts[i], &end, 10);
      if (end == parts[i] || *end != '\0' || errno != 0 || x < 1 || x > max[i])
        return vi_cli_usage_error (error, "--synthetic: %s must be an integer in [1, %"
                                   G_GUINT64_FORMAT "] (got '%s')",
                                   (const char *[]) { "D", "W", "K", "LENGTH" }[i], max[i],
                                   parts[i]);
      v[i] = x;
    }
  return TRUE;
}

/* NNZ from the header of a UCI file just written. */
static guint64
read_nnz (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, NULL))
    return 0;
  lines = g_strsplit (text, "\n", 4);
  return g_strv_length (lines) >= 3 ? g_ascii_strtoull (lines[2], NULL, 10) : 0;
}

static gboolean
write_synthetic (const guint64  *v,
                 guint64         seed,
                 const char     *dir,
                 GString        *out,
                 GError        **error)
{
  g_autoptr(ViLdaGenerator) gen = NULL;
  g_autofree char *docword = g_build_filename (dir, "docword.txt", NULL);
  g_autofree char *vocab_path = g_build_filename (dir, "vocab.txt", NULL);
  g_auto(GStrv) vocab = vi_lda_job_vocab (NULL, (guint32) v[1]);
  g_autofree char *vocab_text = NULL;

  /* Both files can be written (else neither is). */
  if (!vi_output_check (docword, error) || !vi_output_check (vocab_path, error))
    return FALSE;
  gen = vi_lda_generator_create ((guint32) v[1], (guint) v[2], (guint32) v[3], 0.1, 0.01, seed,
                                 error);
  if (gen == NULL || !vi_lda_generator_write (gen, v[0], docword, error))
    return FALSE;
  vocab_text = g_strjoinv ("\n", vocab);
  vocab_text = g_realloc (vocab_text, strlen (vocab_text) + 2);
  strcat (vocab_text, "\n");
  if (!vi_output_write_file (vocab_path, vocab_text, strlen (vocab_text), error))
    return FALSE;
  g_string_append_printf (out, "D %" G_GUINT64_FORMAT "\nW %" G_GUINT64_FORMAT "\ntokens %"
                          G_GUINT64_FORMAT "\nnonzeros %" G_GUINT64_FORMAT "\n", v[0], v[1],
                          v[0] * v[3], read_nnz (docword));
  return TRUE;
}

static gboolean
write_split (const char                *spec,
             const ViCorpusTextOptions *options,
             const char                *dir,
             GString                   *out,
             GError                   **error)
{
  ViLdaBarsSpec bars = { 5, 2000, 1.0, 100, 1 };
  g_autoptr(ViCorpus) train = NULL;
  g_autoptr(ViCorpus) test = NULL;
  g_autofree char *train_path = g_build_filename (dir, "docword.train.txt", NULL);
  g_autofree char *test_path = g_build_filename (dir, "docword.test.txt", NULL);
  g_autofree char *vocab_path = g_build_filename (dir, "vocab.txt", NULL);

  /* The three files can be written (else none is), before the corpus is read. */
  if (!vi_output_check (train_path, error) || !vi_output_check (test_path, error)
      || !vi_output_check (vocab_path, error)
      || !vi_lda_job_load (spec, NULL, &bars, options, &train, &test, NULL, error))
    return FALSE;
  if (train->vocab == NULL)
    train->vocab = vi_lda_job_vocab (NULL, train->n_words);
  if (!vi_corpus_write_uci (train, train_path, vocab_path, error)
      || !vi_corpus_write_uci (test, test_path, NULL, error))
    return FALSE;
  g_string_append_printf (out, "D %u\nW %u\ntokens %" G_GUINT64_FORMAT "\nnonzeros %"
                          G_GUINT64_FORMAT "\n", train->n_docs + test->n_docs, train->n_words,
                          train->n_tokens + test->n_tokens, train->nnz + test->nnz);
  return TRUE;
}

int
vi_cli_corpus (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *synthetic = NULL, *out_dir = NULL, *min_text = NULL, *df_text = NULL;
  g_autofree char *stop_path = NULL, *seed_text = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  ViCorpusTextOptions options = { 5, 1.0, NULL };
  guint64 v[4], seed = 1;
  double min_count = 5;
  gboolean ok;
  GOptionEntry entries[] = {
    { "synthetic", 0, 0, G_OPTION_ARG_STRING, &synthetic,
      "An LDA-generated corpus (α 0.1, η 0.01) written as DIR/docword.txt", "D,W,K,LENGTH" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "Output folder (required)", "DIR" },
    { "min-count", 0, 0, G_OPTION_ARG_STRING, &min_text, "Drop rarer words (default 5)", "N" },
    { "max-df", 0, 0, G_OPTION_ARG_STRING, &df_text,
      "Drop words in more than this share of documents (default 1)", "F" },
    { "stopwords", 0, 0, G_OPTION_ARG_FILENAME, &stop_path,
      "Stop-word file (default: the shipped English list)", "FILE" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text, "Seed of --synthetic (default 1)", "S" },
    { NULL }
  };

  if (!parse_options ("kjv|text:PATH|uci:DOCWORD[,VOCAB] | --synthetic D,W,K,LENGTH "
                      "--out DIR — write a corpus as UCI files",
    "Writes DIR/docword.train.txt, DIR/docword.test.txt (document d held out when\n"
    "d mod 10 = 9, as lda splits) and DIR/vocab.txt, and prints D, W, tokens and\n"
    "nonzeros. --synthetic writes all D documents to DIR/docword.txt (lda --stream\n"
    "holds out the same split as it reads) and vocab.txt.",
                      entries, &argc, &argv, &error))
    return vi_cli_report_error ("corpus", error);
  if (out_dir == NULL)
    vi_cli_usage_error (&error, "--out is required");
  else if ((synthetic != NULL) == (argc == 2))
    vi_cli_usage_error (&error, synthetic != NULL ? "--synthetic takes no corpus argument"
                        : "missing corpus (kjv, text:PATH or uci:DOCWORD[,VOCAB])");
  else if (argc > 2)
    vi_cli_usage_error (&error, "unexpected argument '%s'", argv[2]);
  else if (synthetic != NULL)
    parse_synthetic (synthetic, v, &error);
  else if (strcmp (argv[1], "kjv") != 0 && strcmp (argv[1], "bars") != 0
           && (!g_str_has_prefix (argv[1], "uci:") || argv[1][4] == '\0')
           && (!g_str_has_prefix (argv[1], "text:") || argv[1][5] == '\0'))
    vi_cli_usage_error (&error, "unknown corpus '%s' (valid: kjv, text:PATH, "
                        "uci:DOCWORD[,VOCAB], bars)", argv[1]);
  if (error == NULL && min_text != NULL
      && vi_cli_parse_double ("--min-count", min_text, &min_count, &error)
      && !(min_count >= 1 && min_count <= 1e9 && min_count == floor (min_count)))
    vi_cli_usage_error (&error, "--min-count: must be an integer ≥ 1 (got %s)", min_text);
  if (error == NULL && df_text != NULL
      && vi_cli_parse_double ("--max-df", df_text, &options.max_df, &error)
      && !(options.max_df > 0 && options.max_df <= 1))
    vi_cli_usage_error (&error, "--max-df: must be in (0, 1] (got %s)", df_text);
  if (error == NULL && seed_text != NULL)
    {
      g_autoptr(GError) local = NULL;

      if (!vi_params_parse_uint64 ("--seed", seed_text, 0, VI_PARAM_SEED_MAX, &seed, &local))
        vi_cli_usage_error (&error, "%s", local->message);
    }
  if (error != NULL)
    return vi_cli_report_error ("corpus", error);

  options.min_count = (guint) min_count;
  if (stop_path == NULL)
    stop_path = vi_corpus_dup_stopwords_path ();
  if (synthetic == NULL && stop_path != NULL)
    options.stopwords = vi_corpus_read_stopwords (stop_path, &error);
  if (error == NULL && g_mkdir_with_parents (out_dir, 0755) != 0)
    g_set_error (&error, VI_ERROR, VI_EIO, "--out: cannot create %s: %s", out_dir,
                 g_strerror (errno));
  ok = error == NULL && (synthetic != NULL ? write_synthetic (v, seed, out_dir, out, &error)
                         : write_split (argv[1], &options, out_dir, out, &error));
  g_strfreev (options.stopwords);
  if (!ok)
    return data_fail ("corpus", error);
  fputs (out->str, stdout);
  return fflush (stdout) == 0 ? VI_EXIT_OK : VI_EXIT_RUNTIME;
}
