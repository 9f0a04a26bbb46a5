/* vi-lda-eval.c — held-out perplexity by document completion, from saved
 * topics alone (REFERENCES.md §3), so any implementation's topics are
 * scored the same way
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
#include "vi-input.h"
#include "vi-lda-kernels.h"
#include "vi-lda.h"
#include "vi-parallel.h"
#include "vi-params.h"
#include "vi-status.h"

#define VI_LDA_COMPLETION_TOL 1e-4
#define VI_LDA_COMPLETION_MAX_ITER 1000

typedef struct
{
  const ViCorpus *test;
  const double   *beta_t;    /* W × kp, rows of β̄ (topics normalised) */
  size_t          k, kp;
  double          alpha;
  guint32         longest;   /* tokens of the longest document */
  double         *scratch;   /* per worker */
  size_t          scratch_len;
  double         *ll, *held; /* per document */
} Completion;

static int
completion_task (const ViParallelTask *task,
                 gpointer              user_data)
{
  Completion *c = user_data;
  const ViCorpus *t = c->test;
  guint32 d = (guint32) task->index;
  double *work = c->scratch + task->worker * c->scratch_len;
  double *gamma = work, *etheta = work + c->kp, *scratch = work + 2 * c->kp;
  guint32 *tokens = (guint32 *) (void *) (scratch + c->kp + c->longest);
  guint32 *ow = tokens + c->longest, *oc = ow + c->longest;
  guint32 *hw = oc + c->longest, *hc = hw + c->longest;
  ViLdaEstep e = { c->beta_t, c->k, c->kp, c->alpha, VI_LDA_COMPLETION_TOL,
                   VI_LDA_COMPLETION_MAX_ITER };
  guint32 n = 0, n_obs, n_held, m_obs, m_held;
  double total = 0, ll = 0;

  for (guint64 u = t->doc_ptr[d]; u < t->doc_ptr[d + 1]; u++)
    for (guint32 r = 0; r < t->count[u]; r++)
      tokens[n++] = t->word[u];
  /* Fisher–Yates from the document's own stream, then 80 % observed. */
  for (guint32 i = n; i > 1; i--)
    {
      guint32 j = (guint32) gsl_rng_uniform_int (task->rng, i), tmp = tokens[i - 1];

      tokens[i - 1] = tokens[j];
      tokens[j] = tmp;
    }
  n_obs = (guint32) (0.8 * n);
  n_held = n - n_obs;
  for (guint32 i = 0; i < n; i++)
    {
      if (i < n_obs)
        ow[i] = tokens[i], oc[i] = 1;
      else
        hw[i - n_obs] = tokens[i], hc[i - n_obs] = 1;
    }
  m_obs = vi_corpus_sort_merge (ow, oc, n_obs);
  m_held = vi_corpus_sort_merge (hw, hc, n_held);
  for (size_t j = 0; j < c->kp; j++)
    gamma[j] = j < c->k ? gsl_ran_gamma (task->rng, 100, 0.01) : 0;
  vi_lda_estep_doc (&e, ow, oc, m_obs, gamma, etheta, NULL, NULL, scratch);
  for (size_t j = 0; j < c->k; j++)
    total += gamma[j];
  for (guint32 i = 0; i < m_held; i++)
    {
      const double *row = c->beta_t + (size_t) hw[i] * c->kp;
      double p = 0;

      for (size_t j = 0; j < c->k; j++)
        p += gamma[j] / total * row[j];
      ll += hc[i] * log (p);
    }
  c->ll[d] = ll;
  c->held[d] = n_held;
  return isfinite (ll) ? VI_OK : VI_ENONFINITE;
}

double
vi_lda_perplexity (const double   *topics,
                   guint           n_topics,
                   guint32         n_words,
                   double          alpha,
                   const ViCorpus *test,
                   guint           n_threads,
                   GError        **error)
{
  g_autoptr(ViParallel) par = NULL;
  g_autofree double *beta_t = NULL, *ll = NULL, *held = NULL, *scratch = NULL;
  Completion c = { 0 };
  size_t kp = vi_lda_padded (n_topics);
  double sum_ll, sum_held;
  int status;

  if (test->n_words > n_words)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "topics: %u words, but the test corpus has %u",
                   n_words, test->n_words);
      return NAN;
    }
  if (!(alpha > 0 && isfinite (alpha)))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "alpha: must be > 0 (got %g)", alpha);
      return NAN;
    }
  beta_t = g_try_new0 (double, (size_t) n_words * kp);
  if (beta_t == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "topics: out of memory");
      return NAN;
    }
  for (size_t j = 0; j < n_topics; j++)
    {
      const double *row = topics + j * n_words;
      double s = 0;

      for (size_t w = 0; w < n_words; w++)
        {
          if (!(row[w] >= 0 && isfinite (row[w])))
            {
              g_set_error (error, VI_ERROR, VI_EFORMAT, "topics: topic %zu, word %zu is %g "
                           "(must be ≥ 0 and finite)", j + 1, w + 1, row[w]);
              return NAN;
            }
          s += row[w];
        }
      if (!(s > 0))
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "topics: topic %zu sums to 0", j + 1);
          return NAN;
        }
      for (size_t w = 0; w < n_words; w++)
        beta_t[w * kp + j] = row[w] / s;
    }
  par = vi_parallel_create (n_threads, error);
  if (par == NULL)
    return NAN;
  c.test = test;
  c.beta_t = beta_t;
  c.k = n_topics;
  c.kp = kp;
  c.alpha = alpha;
  for (guint32 d = 0; d < test->n_docs; d++)
    {
      guint32 n = 0;

      for (guint64 u = test->doc_ptr[d]; u < test->doc_ptr[d + 1]; u++)
        n += test->count[u];
      c.longest = MAX (c.longest, n);
    }
  /* gamma, etheta, E-step scratch (kp + longest), then 5 × longest ids. */
  c.scratch_len = 3 * kp + c.longest + (5 * (size_t) c.longest + 1) / 2 + 1;
  scratch = g_new (double, c.scratch_len * vi_parallel_get_n_workers (par));
  c.scratch = scratch;
  ll = g_new0 (double, MAX (test->n_docs, 1));
  held = g_new0 (double, MAX (test->n_docs, 1));
  c.ll = ll;
  c.held = held;
  status = vi_parallel_for (par, test->n_docs, VI_LDA_COMPLETION_SEED, 1, completion_task, &c,
                            NULL);
  if (status != VI_OK)
    {
      g_set_error (error, VI_ERROR, status, "topics: completion perplexity failed: %s",
                   vi_status_to_string (status));
      return NAN;
    }
  sum_ll = vi_parallel_sum (ll, test->n_docs);
  sum_held = vi_parallel_sum (held, test->n_docs);
  if (!(sum_held > 0))
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "test: no document has a held-out token");
      return NAN;
    }
  return exp (-sum_ll / sum_held);
}

/* ---- topic recovery ---------------------------------------------------------------- */

double
vi_lda_hellinger (const double *p,
                  const double *q,
                  size_t        n)
{
  double s = 0;

  for (size_t i = 0; i < n; i++)
    {
      double d = sqrt (p[i]) - sqrt (q[i]);

      s += d * d;
    }
  return sqrt (0.5 * s);
}

void
vi_lda_assign (const double *cost,
               size_t        n,
               size_t       *match)
{
  /* The Hungarian method with potentials (Kuhn–Munkres, O(n³)); rows and
   * columns 1-based inside, 0 the virtual start column. */
  g_autofree double *u = g_new0 (double, n + 1), *v = g_new0 (double, n + 1);
  g_autofree double *minv = g_new (double, n + 1);
  g_autofree size_t *p = g_new0 (size_t, n + 1), *way = g_new0 (size_t, n + 1);
  g_autofree gboolean *used = g_new (gboolean, n + 1);

  for (size_t i = 1; i <= n; i++)
    {
      size_t j0 = 0;

      p[0] = i;
      for (size_t j = 0; j <= n; j++)
        {
          minv[j] = HUGE_VAL;
          used[j] = FALSE;
        }
      do
        {
          size_t i0 = p[j0], j1 = 0;
          double delta = HUGE_VAL;

          used[j0] = TRUE;
          for (size_t j = 1; j <= n; j++)
            if (!used[j])
              {
                double cur = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];

                if (cur < minv[j])
                  {
                    minv[j] = cur;
                    way[j] = j0;
                  }
                if (minv[j] < delta)
                  {
                    delta = minv[j];
                    j1 = j;
                  }
              }
          for (size_t j = 0; j <= n; j++)
            if (used[j])
              {
                u[p[j]] += delta;
                v[j] -= delta;
              }
            else
              minv[j] -= delta;
          j0 = j1;
        }
      while (p[j0] != 0);
      do
        {
          size_t j1 = way[j0];

          p[j0] = p[j1];
          j0 = j1;
        }
      while (j0 != 0);
    }
  for (size_t j = 1; j <= n; j++)
    match[p[j] - 1] = j - 1;
}

double
vi_lda_topic_recovery (const double *truth,
                       const double *learned,
                       size_t        k,
                       size_t        n_words,
                       double       *distance)
{
  g_autofree double *cost = g_new (double, k * k);
  g_autofree double *norm = g_new (double, k * n_words);
  g_autofree size_t *match = g_new (size_t, k);
  double worst = 0;

  for (size_t j = 0; j < k; j++)
    {
      double s = 0;

      for (size_t w = 0; w < n_words; w++)
        s += learned[j * n_words + w];
      for (size_t w = 0; w < n_words; w++)
        norm[j * n_words + w] = learned[j * n_words + w] / s;
    }
  for (size_t a = 0; a < k; a++)
    for (size_t b = 0; b < k; b++)
      cost[a * k + b] = vi_lda_hellinger (truth + a * n_words, norm + b * n_words, n_words);
  vi_lda_assign (cost, k, match);
  for (size_t a = 0; a < k; a++)
    {
      double h = cost[a * k + match[a]];

      if (distance != NULL)
        distance[a] = h;
      worst = MAX (worst, h);
    }
  return worst;
}

/* ---- topics files ------------------------------------------------------- */

double *
vi_lda_topics_parse (const char  *name,
                     const char  *text,
                     gsize        len,
                     guint       *n_topics,
                     guint32     *n_words,
                     GError     **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  const char *line = text, *end_of_text = text + len;
  guint64 rows = 0, line_no = 0;
  gsize cols = 0;

  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: a NUL byte: not a topics file", name);
      return NULL;
    }
  while (line < end_of_text)
    {
      const char *nl = memchr (line, '\n', (gsize) (end_of_text - line));
      const char *stop = nl != NULL ? nl : end_of_text;
      g_autofree char *copy = g_strndup (line, (gsize) (stop - line));
      char *p = g_strstrip (copy);
      gsize n = 0;

      line_no++;
      line = nl != NULL ? nl + 1 : end_of_text;
      if (*p == '\0' || *p == '#')
        continue;
      while (*p != '\0')
        {
          char *end;
          double x = g_ascii_strtod (p, &end);

          if (end == p || (*end != '\0' && !g_ascii_isspace (*end)) || !isfinite (x))
            {
              g_autofree char *cut = vi_params_excerpt (p, 20);

              g_set_error (error, VI_ERROR, VI_EFORMAT, "%s:%" G_GUINT64_FORMAT ": %s: '%s'",
                           name, line_no, end == p || (*end != '\0' && !g_ascii_isspace (*end))
                           ? "not a number" : "not a finite number", cut);
              return NULL;
            }
          g_array_append_val (values, x);
          n++;
          for (p = end; g_ascii_isspace (*p); p++)
            ;
        }
      if (rows > 0 && n != cols)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "%s:%" G_GUINT64_FORMAT ": %" G_GSIZE_FORMAT
                       " numbers, but the first row has %" G_GSIZE_FORMAT, name, line_no, n,
                       cols);
          return NULL;
        }
      if (n > G_MAXUINT32 || rows >= G_MAXUINT)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "%s:%" G_GUINT64_FORMAT ": too many topics "
                       "or words", name, line_no);
          return NULL;
        }
      cols = n;
      rows++;
    }
  if (rows == 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: no topics", name);
      return NULL;
    }
  *n_topics = (guint) rows;
  *n_words = (guint32) cols;
  return (double *) g_array_free (g_steal_pointer (&values), FALSE);
}

double *
vi_lda_topics_read (const char  *path,
                    guint       *n_topics,
                    guint32     *n_words,
                    GError     **error)
{
  gsize len = 0;
  g_autofree char *text = vi_input_read_all (path, VI_LDA_TOPICS_FILE_MAX, &len, error);

  if (text == NULL)
    return NULL;
  return vi_lda_topics_parse (path, text, len, n_topics, n_words, error);
}

