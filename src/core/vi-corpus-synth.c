/* vi-corpus-synth.c — synthetic corpora with known topics: the bars of
 * Griffiths & Steyvers (2004) and LDA's own generative process
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "vi-core-autocleanups.h"
#include "vi-corpus-private.h"
#include "vi-rng.h"
#include "vi-status.h"

/* Draws an index from the @k probabilities @p (summing to 1). */
static guint
draw_index (gsl_rng      *rng,
            const double *p,
            guint         k)
{
  double u = gsl_rng_uniform (rng), acc = 0;

  for (guint i = 0; i + 1 < k; i++)
    {
      acc += p[i];
      if (u < acc)
        return i;
    }
  return k - 1;
}

ViCorpus *
vi_corpus_bars (guint     side,
                guint32   n_docs,
                double    alpha,
                guint32   length,
                guint64   seed,
                double  **topics_out,
                GError  **error)
{
  g_autoptr(gsl_rng) rng = NULL;
  g_autofree double *theta = NULL, *alphas = NULL;
  g_autofree guint32 *words = NULL, *counts = NULL;
  guint k = 2 * side, w_total = side * side;
  ViCorpusBuilder b;
  ViCorpus *c;

  if (side < 2 || side > 100)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "bars: the image side must be in [2, 100] "
                   "(K = 2 × side topics; got side %u)", side);
      return NULL;
    }
  if (n_docs < 1 || n_docs > 10000000)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "bars: documents must be in [1, 10000000] (got %u)",
                   n_docs);
      return NULL;
    }
  if (!(alpha > 0 && isfinite (alpha)))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "bars: alpha must be > 0 (got %g)", alpha);
      return NULL;
    }
  if (length < 1 || length > 1000000)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "bars: words per document must be in [1, 1000000] "
                   "(got %u)", length);
      return NULL;
    }
  rng = vi_rng_create (seed, 0);
  theta = g_new (double, k);
  alphas = g_new (double, k);
  words = g_new (guint32, length);
  counts = g_new (guint32, length);
  for (guint i = 0; i < k; i++)
    alphas[i] = alpha;
  vi_corpus_builder_init (&b);
  for (guint32 d = 0; d < n_docs; d++)
    {
      gsl_ran_dirichlet (rng, k, alphas, theta);
      for (guint32 n = 0; n < length; n++)
        {
          guint z = draw_index (rng, theta, k);
          guint j = (guint) gsl_rng_uniform_int (rng, side);

          words[n] = z < side ? z * side + j : j * side + (z - side);
          counts[n] = 1;
        }
      vi_corpus_builder_add (&b, words, counts, vi_corpus_sort_merge (words, counts, length));
    }
  c = vi_corpus_builder_finish (&b, w_total, NULL);
  vi_corpus_builder_clear (&b);
  c->vocab = g_new0 (char *, (gsize) w_total + 1);
  for (guint w = 0; w < w_total; w++)
    c->vocab[w] = g_strdup_printf ("r%uc%u", w / side, w % side);
  if (topics_out != NULL)
    {
      double *t = g_new0 (double, (gsize) k * w_total);

      for (guint z = 0; z < k; z++)
        for (guint j = 0; j < side; j++)
          t[(gsize) z * w_total + (z < side ? z * side + j : j * side + (z - side))] = 1.0 / side;
      *topics_out = t;
    }
  return c;
}

/* ---- LDA's generative process --------------------------------------------- */

struct _ViLdaGenerator
{
  guint32   n_words;
  guint     n_topics;
  guint32   length;
  double    alpha;
  guint64   seed;
  double   *topics;               /* K × W */
  gsl_ran_discrete_t **tables;    /* per topic: Walker's alias table */
  double   *theta, *alphas;
  gsl_rng  *rng;
};

void
vi_lda_generator_free (ViLdaGenerator *gen)
{
  if (gen == NULL)
    return;
  for (guint k = 0; gen->tables != NULL && k < gen->n_topics; k++)
    if (gen->tables[k] != NULL)
      gsl_ran_discrete_free (gen->tables[k]);
  g_free (gen->tables);
  g_free (gen->topics);
  g_free (gen->theta);
  g_free (gen->alphas);
  g_clear_pointer (&gen->rng, gsl_rng_free);
  g_free (gen);
}

ViLdaGenerator *
vi_lda_generator_create (guint32   n_words,
                         guint     n_topics,
                         guint32   length,
                         double    alpha,
                         double    eta,
                         guint64   seed,
                         GError  **error)
{
  g_autoptr(ViLdaGenerator) gen = NULL;
  g_autofree double *etas = NULL;

  if (n_words < 2 || n_words > VI_CORPUS_MAX_WORDS)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "synthetic: W must be in [2, %u] (got %u)",
                   VI_CORPUS_MAX_WORDS, n_words);
      return NULL;
    }
  if (n_topics < 1 || n_topics > 10000 || (guint64) n_topics * n_words > 200000000)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "synthetic: K must be in [1, 10000] with K × W ≤ "
                   "2·10⁸ (got K %u, W %u)", n_topics, n_words);
      return NULL;
    }
  if (length < 1 || length > 1000000)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "synthetic: words per document must be in "
                   "[1, 1000000] (got %u)", length);
      return NULL;
    }
  if (!(alpha > 0 && isfinite (alpha)) || !(eta > 0 && isfinite (eta)))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "synthetic: alpha and eta must be > 0 (got %g, %g)",
                   alpha, eta);
      return NULL;
    }
  gen = g_new0 (ViLdaGenerator, 1);
  gen->n_words = n_words;
  gen->n_topics = n_topics;
  gen->length = length;
  gen->alpha = alpha;
  gen->seed = seed;
  gen->rng = vi_rng_create (seed, 0);
  gen->topics = g_new (double, (gsize) n_topics * n_words);
  gen->tables = g_new0 (gsl_ran_discrete_t *, n_topics);
  gen->theta = g_new (double, n_topics);
  gen->alphas = g_new (double, n_topics);
  etas = g_new (double, n_words);
  for (guint32 w = 0; w < n_words; w++)
    etas[w] = eta;
  for (guint k = 0; k < n_topics; k++)
    {
      double *beta = gen->topics + (gsize) k * n_words;

      gen->alphas[k] = alpha;
      gsl_ran_dirichlet (gen->rng, n_words, etas, beta);
      gen->tables[k] = gsl_ran_discrete_preproc (n_words, beta);
      if (gen->tables[k] == NULL)
        {
          g_set_error (error, VI_ERROR, VI_ENOMEM, "synthetic: cannot build topic %u", k);
          return NULL;
        }
    }
  return g_steal_pointer (&gen);
}

const double *
vi_lda_generator_get_topics (const ViLdaGenerator *gen)
{
  return gen->topics;
}

guint32
vi_lda_generator_doc (ViLdaGenerator *gen,
                      guint64         d,
                      guint32        *words,
                      guint32        *counts)
{
  /* Stream 1 + d: any document can be drawn again on its own. */
  vi_rng_reset (gen->rng, gen->seed, 1 + d);
  gsl_ran_dirichlet (gen->rng, gen->n_topics, gen->alphas, gen->theta);
  for (guint32 n = 0; n < gen->length; n++)
    {
      guint z = draw_index (gen->rng, gen->theta, gen->n_topics);

      words[n] = (guint32) gsl_ran_discrete (gen->rng, gen->tables[z]);
      counts[n] = 1;
    }
  return vi_corpus_sort_merge (words, counts, gen->length);
}

gboolean
vi_lda_generator_write (ViLdaGenerator *gen,
                        guint64         n_docs,
                        const char     *docword_path,
                        GError        **error)
{
  g_autofree guint32 *words = g_new (guint32, gen->length);
  g_autofree guint32 *counts = g_new (guint32, gen->length);
  g_autoptr(ViUciWriter) w = NULL;
  guint64 nnz = 0;

  if (n_docs < 1 || n_docs > VI_CORPUS_MAX_DOCS)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "synthetic: D must be in [1, %" G_GUINT64_FORMAT
                   "] (got %" G_GUINT64_FORMAT ")", VI_CORPUS_MAX_DOCS, n_docs);
      return FALSE;
    }
  /* The header needs NNZ first: count in one pass, write in a second (each
   * document is regenerated from its own stream). */
  for (guint64 d = 0; d < n_docs; d++)
    nnz += vi_lda_generator_doc (gen, d, words, counts);
  w = vi_uci_writer_open (docword_path, n_docs, gen->n_words, nnz, error);
  if (w == NULL)
    return FALSE;
  for (guint64 d = 0; d < n_docs; d++)
    {
      guint32 n = vi_lda_generator_doc (gen, d, words, counts);

      if (!vi_uci_writer_add (w, d, words, counts, n, error))
        return FALSE;
    }
  return vi_uci_writer_commit (g_steal_pointer (&w), error);
}
