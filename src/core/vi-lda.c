/* vi-lda.c — SVI and batch VB for LDA, and completion perplexity
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout: λ and exp(E log β) are W × kp matrices (a word's K topic values
 * contiguous, kp = K padded to a vector width), which is what the E-step
 * reads for each word of a document. A step runs in three parallel passes:
 *   1. the E-step, one task per document, each writing its own rows of
 *      sufficient statistics (kp values per unique word) and its γ;
 *   2. per fixed block of words: gather the block's statistics from the
 *      batch in document order, update λ, and sum the block's λ per topic;
 *   3. per block: exp(E log β) from the new λ and the per-topic totals.
 * Blocks and tasks do not depend on the thread count, and every sum is
 * taken in a fixed order, so λ is bit-identical for any number of threads.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "vi-lda-kernels.h"
#include "vi-lda.h"
#include "vi-parallel.h"
#include "vi-rng.h"
#include "vi-status.h"

/* Words per block of the M-step passes (fixed: results must not depend on
 * the number of threads). */
#define VI_LDA_BLOCK 256
/* RNG streams: λ's start is stream 0; the γ starts of update t are streams
 * (t + 1)·2³² + i — batch VB's first step draws them as an update on the
 * whole corpus would, later ones start from the last fit. */
#define VI_LDA_STREAM_UPDATE(t) (((guint64) (t) + 1) << 32)

struct _ViLda
{
  ViLdaOptions o;
  guint32      n_words;
  size_t       k, kp;
  guint64      t;
  double      *lam;          /* W × kp */
  float       *eb;           /* W × kp: exp(E log β_·w − log_scale[w]), float32 */
  double      *eb64;         /* the same in double (options.exact), else NULL */
  double      *log_scale;    /* W: max_k E log β_kw, so each row of eb peaks at 1 */
  double      *psi_total;    /* kp: ψ(Σ_w λ_kw) */
  ViParallel  *par;
  guint        n_workers;
  /* per worker: E-step scratch */
  double      *scratch;
  size_t       scratch_len;
  double      *scratch64;    /* per worker: the double E-step's kp + longest */
  size_t       scratch64_len;
  /* the batch */
  float       *ss;           /* nnz × kp statistics rows (float32) */
  double      *ss64;         /* the same in double (options.exact) */
  size_t       ss_cap;
  guint64     *off;          /* n + 1 row offsets */
  double      *gam;          /* n × kp */
  double      *local;        /* n: the document's ELBO terms */
  double      *rounds;       /* n */
  size_t       batch_cap;
  double      *partial;      /* n_blocks × kp */
  double      *global;       /* n_blocks */
  /* batch VB's warm start */
  double      *warm;         /* D × kp */
  guint32      warm_docs;
};

void
vi_lda_options_init (ViLdaOptions *o)
{
  memset (o, 0, sizeof *o);
  o->n_topics = 10;
  o->alpha = 0.1;
  o->eta = 0.01;
  o->tau0 = 1;
  o->kappa = 0.7;
  o->e_tol = 1e-3;
  o->e_max_iter = 100;
}

gboolean
vi_lda_options_check (const ViLdaOptions *o,
                      GError            **error)
{
  const char *key = NULL, *range = NULL;
  double v = 0;

  if (o->n_topics < 1 || o->n_topics > 10000)
    key = "topics", range = "[1, 10000]", v = o->n_topics;
  else if (!(o->alpha > 0 && o->alpha <= 1e6))
    key = "alpha", range = "(0, 1e6]", v = o->alpha;
  else if (!(o->eta > 0 && o->eta <= 1e6))
    key = "eta", range = "(0, 1e6]", v = o->eta;
  else if (!(o->tau0 >= 0 && o->tau0 <= 1e9))
    key = "tau0", range = "[0, 1e9]", v = o->tau0;
  else if (!(o->kappa > 0.5 && o->kappa <= 1))
    key = "kappa", range = "(0.5, 1]", v = o->kappa;
  else if (!(o->e_tol > 0 && o->e_tol <= 1))
    key = "e-step-tol", range = "(0, 1]", v = o->e_tol;
  else if (o->e_max_iter < 1 || o->e_max_iter > 100000)
    key = "e-step-max-iter", range = "[1, 100000]", v = o->e_max_iter;
  else if (o->n_threads > VI_PARALLEL_MAX_THREADS)
    key = "threads", range = "[0, 1024]", v = o->n_threads;
  if (key == NULL)
    return TRUE;
  g_set_error (error, VI_ERROR, VI_EDOM, "%s: must be in %s (got %g)", key, range, v);
  return FALSE;
}

void
vi_lda_free (ViLda *lda)
{
  if (lda == NULL)
    return;
  vi_parallel_free (lda->par);
  g_free (lda->lam);
  g_free (lda->eb);
  g_free (lda->eb64);
  g_free (lda->ss64);
  g_free (lda->log_scale);
  g_free (lda->psi_total);
  g_free (lda->scratch);
  g_free (lda->scratch64);
  g_free (lda->ss);
  g_free (lda->off);
  g_free (lda->gam);
  g_free (lda->local);
  g_free (lda->rounds);
  g_free (lda->partial);
  g_free (lda->global);
  g_free (lda->warm);
  g_free (lda);
}

static guint
n_blocks (guint32 n_words)
{
  return (n_words + VI_LDA_BLOCK - 1) / VI_LDA_BLOCK;
}

/* ---- pass 3: exp(E log β) ------------------------------------------------------ */

typedef struct
{
  ViLda *lda;
} EbCtx;

/* Row w of eb is exp(E log β_·w) divided by its largest value: φ and the
 * statistics (eb ∘ etheta · c / phinorm) do not change when a row is
 * scaled, and float32 keeps the topics that matter for the word however
 * small E log β is for a rare one (exp(−112) is below float's range). */
static int
eb_task (const ViParallelTask *task,
         gpointer              user_data)
{
  ViLda *lda = ((EbCtx *) user_data)->lda;
  size_t kp = lda->kp, a = task->index * VI_LDA_BLOCK, b = MIN (a + VI_LDA_BLOCK, lda->n_words);
  g_autofree double *row = g_new (double, kp);

  for (size_t w = a; w < b; w++)
    {
      double top = 0;

      if (!vi_lda_exp_elog_rows (row, lda->lam + w * kp, 1, lda->k, kp, lda->psi_total))
        return VI_ENONFINITE;
      for (size_t j = 0; j < lda->k; j++)
        top = MAX (top, row[j]);
      if (!(top > 0))
        top = 1;   /* below double's range in every topic: the word drops out */
      lda->log_scale[w] = log (top);
      /* Stored as 0 below float's normal range (see fp_flush_begin in
       * vi-lda-kernels.c): λ's update reads this table too. */
      for (size_t j = 0; j < kp; j++)
        {
          float v = (float) (row[j] / top);

          lda->eb[w * kp + j] = v >= FLT_MIN ? v : 0.0f;
        }
      if (lda->eb64 != NULL)
        for (size_t j = 0; j < kp; j++)
          lda->eb64[w * kp + j] = row[j] / top;
    }
  return VI_OK;
}

/* Per-topic totals of λ, per block in a fixed order then reduced as a
 * fixed tree; then ψ of each. */
static void
update_totals (ViLda *lda)
{
  guint nb = n_blocks (lda->n_words);

  for (guint blk = 0; blk < nb; blk++)
    {
      double *p = lda->partial + (size_t) blk * lda->kp;
      size_t a = (size_t) blk * VI_LDA_BLOCK, b = MIN (a + VI_LDA_BLOCK, lda->n_words);

      memset (p, 0, lda->kp * sizeof (double));
      for (size_t w = a; w < b; w++)
        for (size_t j = 0; j < lda->k; j++)
          p[j] += lda->lam[w * lda->kp + j];
    }
  vi_parallel_reduce_rows (lda->partial, nb, lda->kp);
  for (size_t j = 0; j < lda->kp; j++)
    lda->psi_total[j] = j < lda->k ? vi_lda_digamma (lda->partial[j]) : 0;
}

static int
refresh_eb (ViLda *lda)
{
  EbCtx ctx = { lda };

  update_totals (lda);
  return vi_parallel_for (lda->par, n_blocks (lda->n_words), lda->o.seed, 0, eb_task, &ctx,
                          NULL);
}

ViLda *
vi_lda_create (const ViLdaOptions *options,
               guint32             n_words,
               GError            **error)
{
  ViLda *lda;
  gsl_rng *rng;

  if (!vi_lda_options_check (options, error))
    return NULL;
  if (n_words < 1 || n_words > VI_CORPUS_MAX_WORDS
      || (guint64) n_words * options->n_topics > G_GUINT64_CONSTANT (400000000))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "topics: K × W must be at most 4·10⁸ "
                   "(got K %u, W %u)", options->n_topics, n_words);
      return NULL;
    }
  lda = g_new0 (ViLda, 1);
  lda->o = *options;
  lda->n_words = n_words;
  lda->k = options->n_topics;
  lda->kp = vi_lda_padded (lda->k);
  lda->par = vi_parallel_create (options->n_threads, error);
  if (lda->par == NULL)
    {
      vi_lda_free (lda);
      return NULL;
    }
  lda->n_workers = vi_parallel_get_n_workers (lda->par);
  lda->lam = g_try_new0 (double, (size_t) n_words * lda->kp);
  lda->eb = g_try_new0 (float, (size_t) n_words * lda->kp);
  lda->log_scale = g_new0 (double, n_words);
  if (options->exact)
    lda->eb64 = g_try_new0 (double, (size_t) n_words * lda->kp);
  lda->psi_total = g_new0 (double, lda->kp);
  lda->partial = g_new0 (double, (size_t) n_blocks (n_words) * lda->kp);
  lda->global = g_new0 (double, n_blocks (n_words));
  if (lda->lam == NULL || lda->eb == NULL || (options->exact && lda->eb64 == NULL))
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "topics: out of memory for K × W = %u × %u",
                   options->n_topics, n_words);
      vi_lda_free (lda);
      return NULL;
    }
  /* λ_kw ~ Gamma(100, 1/100), drawn topic by topic as onlineldavb.py does. */
  rng = vi_rng_create (options->seed, 0);
  for (size_t j = 0; j < lda->k; j++)
    for (size_t w = 0; w < n_words; w++)
      lda->lam[w * lda->kp + j] = gsl_ran_gamma (rng, 100, 0.01);
  gsl_rng_free (rng);
  refresh_eb (lda);
  return lda;
}

guint
vi_lda_get_n_topics (const ViLda *lda)
{
  return (guint) lda->k;
}

guint32
vi_lda_get_n_words (const ViLda *lda)
{
  return lda->n_words;
}

guint64
vi_lda_get_updates (const ViLda *lda)
{
  return lda->t;
}

double
vi_lda_rho (const ViLda *lda,
            guint64      updates)
{
  return pow (lda->o.tau0 + (double) updates, -lda->o.kappa);
}

void
vi_lda_get_lambda (const ViLda *lda,
                   double      *out)
{
  for (size_t j = 0; j < lda->k; j++)
    for (size_t w = 0; w < lda->n_words; w++)
      out[j * lda->n_words + w] = lda->lam[w * lda->kp + j];
}

gboolean
vi_lda_set_lambda (ViLda        *lda,
                   const double *lambda,
                   guint64       updates,
                   GError      **error)
{
  for (size_t i = 0; i < lda->k * lda->n_words; i++)
    if (!(lambda[i] > 0 && isfinite (lambda[i])))
      {
        g_set_error (error, VI_ERROR, VI_EFORMAT, "lambda: value %zu of topic %zu is %g "
                     "(must be > 0 and finite)", i % lda->n_words, i / lda->n_words, lambda[i]);
        return FALSE;
      }
  for (size_t j = 0; j < lda->k; j++)
    for (size_t w = 0; w < lda->n_words; w++)
      lda->lam[w * lda->kp + j] = lambda[j * lda->n_words + w];
  lda->t = updates;
  return refresh_eb (lda) == VI_OK;
}

/* ---- pass 1: the E-step ------------------------------------------------------------ */

typedef struct
{
  ViLda          *lda;
  const ViCorpus *c;
  const guint32  *docs;
  const double   *warm;         /* D × kp starts, or NULL: draw them */
  gboolean        want_elbo;
} EstepCtx;

static guint32
doc_of (const EstepCtx *ctx,
        size_t          i)
{
  return ctx->docs != NULL ? ctx->docs[i] : (guint32) i;
}

/* The document's terms of the ELBO besides Σ n log phinorm (Hoffman et al.
 * 2010, onlineldavb.py approx_bound): Σ_k (α − γ_k) E log θ_k + log Γ(γ_k)
 * − log Γ(α), plus log Γ(Kα) − log Γ(Σγ). */
static double
doc_elbo_terms (const ViLda  *lda,
                const double *gamma,
                const double *etheta)
{
  double s = 0, total = 0, a = lda->o.alpha;

  for (size_t j = 0; j < lda->k; j++)
    {
      s += (a - gamma[j]) * log (etheta[j]) + lgamma (gamma[j]) - lgamma (a);
      total += gamma[j];
    }
  return s + lgamma (a * lda->k) - lgamma (total);
}

static int
estep_task (const ViParallelTask *task,
            gpointer              user_data)
{
  const EstepCtx *ctx = user_data;
  ViLda *lda = ctx->lda;
  const ViCorpus *c = ctx->c;
  size_t i = task->index, kp = lda->kp;
  guint32 d = doc_of (ctx, i);
  double *gamma = lda->gam + i * kp;
  double *work = lda->scratch + task->worker * lda->scratch_len;
  double *etheta = work;
  float *scratch = (float *) (void *) (work + kp);
  ViLdaEstepF32 e = { lda->eb, lda->k, kp, lda->o.alpha, lda->o.e_tol, lda->o.e_max_iter };
  double ll = 0;

  if (ctx->warm != NULL)
    memcpy (gamma, ctx->warm + (size_t) d * kp, kp * sizeof (double));
  else
    {
      for (size_t j = 0; j < lda->k; j++)
        gamma[j] = gsl_ran_gamma (task->rng, 100, 0.01);
      for (size_t j = lda->k; j < kp; j++)
        gamma[j] = 0;
    }
  if (lda->eb64 != NULL)
    {
      ViLdaEstep e64 = { lda->eb64, lda->k, kp, lda->o.alpha, lda->o.e_tol, lda->o.e_max_iter };

      lda->rounds[i] = vi_lda_estep_doc (&e64, c->word + c->doc_ptr[d],
                                         c->count + c->doc_ptr[d], vi_corpus_doc_len (c, d),
                                         gamma, etheta, lda->ss64 + lda->off[i] * kp,
                                         ctx->want_elbo ? &ll : NULL,
                                         lda->scratch64 + task->worker * lda->scratch64_len);
    }
  else
    lda->rounds[i] = vi_lda_estep_doc_f32 (&e, c->word + c->doc_ptr[d],
                                           c->count + c->doc_ptr[d], vi_corpus_doc_len (c, d),
                                           gamma, etheta, lda->ss + lda->off[i] * kp,
                                           ctx->want_elbo ? &ll : NULL, scratch);
  if (ctx->want_elbo)
    {
      /* phinorm was taken with the scaled rows: add their scales back. */
      for (guint64 u = c->doc_ptr[d]; u < c->doc_ptr[d + 1]; u++)
        ll += c->count[u] * lda->log_scale[c->word[u]];
      ll += doc_elbo_terms (lda, gamma, etheta);
    }
  lda->local[i] = ctx->want_elbo ? ll : 0;
  return isfinite (gamma[0]) ? VI_OK : VI_ENONFINITE;
}

static gboolean
reserve (ViLda          *lda,
         const ViCorpus *c,
         const guint32  *docs,
         guint32         n)
{
  guint64 nnz = 0;
  guint32 longest = 0;
  EstepCtx ctx = { lda, c, docs, NULL, FALSE };

  if (n > lda->batch_cap)
    {
      lda->batch_cap = n;
      lda->off = g_renew (guint64, lda->off, n + 1);
      lda->gam = g_renew (double, lda->gam, (size_t) n * lda->kp);
      lda->local = g_renew (double, lda->local, n);
      lda->rounds = g_renew (double, lda->rounds, n);
    }
  lda->off[0] = 0;
  for (guint32 i = 0; i < n; i++)
    {
      guint32 len = vi_corpus_doc_len (c, doc_of (&ctx, i));

      nnz += len;
      longest = MAX (longest, len);
      lda->off[i + 1] = nnz;
    }
  if (nnz * lda->kp > lda->ss_cap)
    {
      g_clear_pointer (&lda->ss, g_free);
      g_clear_pointer (&lda->ss64, g_free);
      lda->ss_cap = nnz * lda->kp;
      if (lda->eb64 != NULL)
        lda->ss64 = g_try_new (double, lda->ss_cap);
      else
        lda->ss = g_try_new (float, lda->ss_cap);
      if (lda->ss == NULL && lda->ss64 == NULL)
        {
          lda->ss_cap = 0;
          return FALSE;
        }
    }
  if (lda->eb64 != NULL && lda->kp + longest > lda->scratch64_len)
    {
      lda->scratch64_len = lda->kp + longest;
      lda->scratch64 = g_renew (double, lda->scratch64, lda->scratch64_len * lda->n_workers);
    }
  /* Per worker: exp(E log θ) (kp doubles), then 2·kp + longest floats. */
  if (lda->kp + (2 * lda->kp + longest + 1) / 2 > lda->scratch_len)
    {
      lda->scratch_len = lda->kp + (2 * lda->kp + longest + 1) / 2;
      lda->scratch = g_renew (double, lda->scratch, lda->scratch_len * lda->n_workers);
    }
  return TRUE;
}

/* ---- pass 2: λ ---------------------------------------------------------------------------- */

typedef struct
{
  ViLda          *lda;
  const ViCorpus *c;
  const guint32  *docs;
  guint32         n;
  double          rho, scale;
  gboolean        want_elbo;
} MstepCtx;

/* First entry of the sorted @words[0 … n) that is ≥ @w. */
static guint32
lower_bound (const guint32 *words,
             guint32        n,
             guint32        w)
{
  guint32 lo = 0, hi = n;

  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;

      if (words[mid] < w)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static int
mstep_task (const ViParallelTask *task,
            gpointer              user_data)
{
  const MstepCtx *ctx = user_data;
  ViLda *lda = ctx->lda;
  const ViCorpus *c = ctx->c;
  size_t kp = lda->kp, k = lda->k;
  guint32 a = (guint32) task->index * VI_LDA_BLOCK;
  guint32 b = MIN (a + VI_LDA_BLOCK, lda->n_words);
  g_autofree double *block = g_new0 (double, (size_t) (b - a) * kp);
  double eta = lda->o.eta, global = 0;

  /* The block's statistics, gathered in document order. */
  for (guint32 i = 0; i < ctx->n; i++)
    {
      guint32 d = ctx->docs != NULL ? ctx->docs[i] : i;
      const guint32 *words = c->word + c->doc_ptr[d];
      guint32 len = vi_corpus_doc_len (c, d);
      const float *rows = lda->ss != NULL ? lda->ss + lda->off[i] * kp : NULL;
      const double *rows64 = lda->ss64 != NULL ? lda->ss64 + lda->off[i] * kp : NULL;

      for (guint32 u = lower_bound (words, len, a); u < len && words[u] < b; u++)
        {
          double *dst = block + (size_t) (words[u] - a) * kp;
          if (rows64 != NULL)
            for (size_t j = 0; j < kp; j++)
              dst[j] += rows64[(size_t) u * kp + j];
          else
            for (size_t j = 0; j < kp; j++)
              dst[j] += rows[(size_t) u * kp + j];
        }
    }
  for (guint32 w = a; w < b; w++)
    {
      double *lam = lda->lam + (size_t) w * kp;
      const float *eb = lda->eb + (size_t) w * kp;
      const double *eb64 = lda->eb64 != NULL ? lda->eb64 + (size_t) w * kp : NULL;
      const double *ss = block + (size_t) (w - a) * kp;

      if (ctx->want_elbo)
        /* The global term at the λ the E-step used (as approx_bound); E log β
         * in double (exp of it may underflow float). */
        for (size_t j = 0; j < k; j++)
          global += (eta - lam[j]) * (vi_lda_digamma (lam[j]) - lda->psi_total[j])
                    + lgamma (lam[j]);
      for (size_t j = 0; j < k; j++)
        lam[j] = (1 - ctx->rho) * lam[j]
                 + ctx->rho * (eta + ctx->scale * ss[j] * (eb64 != NULL ? eb64[j] : eb[j]));
    }
  lda->global[task->index] = global;
  return VI_OK;
}

static int
step (ViLda          *lda,
      const ViCorpus *c,
      const guint32  *docs,
      guint32         n,
      double          rho,
      double          scale,
      const double   *warm,
      guint64         stream_base,
      gboolean        want_elbo,
      ViLdaStepInfo  *info,
      const gint     *cancel)
{
  EstepCtx ectx = { lda, c, docs, warm, want_elbo };
  MstepCtx mctx = { lda, c, docs, n, rho, scale, want_elbo };
  double global_old = 0, tokens = 0;
  guint nb = n_blocks (lda->n_words);
  int status;

  if (n == 0)
    return VI_EINVAL;
  if (!reserve (lda, c, docs, n))
    return VI_ENOMEM;
  status = vi_parallel_for (lda->par, n, lda->o.seed, stream_base, estep_task, &ectx, cancel);
  if (status != VI_OK)
    return status;
  if (want_elbo)
    {
      double eta = lda->o.eta;

      for (size_t j = 0; j < lda->k; j++)
        global_old += lgamma (eta * lda->n_words) - lgamma (lda->partial[j])
                      - lda->n_words * lgamma (eta);
      for (guint32 i = 0; i < n; i++)
        {
          guint32 d = doc_of (&ectx, i);

          for (guint64 u = c->doc_ptr[d]; u < c->doc_ptr[d + 1]; u++)
            tokens += c->count[u];
        }
    }
  status = vi_parallel_for (lda->par, nb, lda->o.seed, 0, mstep_task, &mctx, NULL);
  if (status != VI_OK)
    return status;
  lda->t++;
  if (info != NULL)
    {
      info->rho = rho;
      info->mean_rounds = vi_parallel_sum (lda->rounds, n) / n;
      info->elbo_per_word = NAN;
      if (want_elbo)
        {
          double local = vi_parallel_sum (lda->local, n);
          double global = vi_parallel_sum (lda->global, nb) + global_old;

          info->elbo_per_word = (scale * local + global) / (scale * tokens);
        }
    }
  if (warm != NULL)
    for (guint32 i = 0; i < n; i++)
      memcpy (lda->warm + (size_t) doc_of (&ectx, i) * lda->kp, lda->gam + (size_t) i * lda->kp,
              lda->kp * sizeof (double));
  status = refresh_eb (lda);
  return status;
}

int
vi_lda_update (ViLda          *lda,
               const ViCorpus *corpus,
               const guint32  *docs,
               guint32         n,
               guint64         total_docs,
               double          rho,
               gboolean        want_elbo,
               ViLdaStepInfo  *info,
               const gint     *cancel)
{
  if (docs == NULL)
    n = corpus->n_docs;
  if (n == 0 || corpus->n_words > lda->n_words)
    return VI_EINVAL;
  if (rho < 0)
    rho = vi_lda_rho (lda, lda->t);
  return step (lda, corpus, docs, n, rho, (double) total_docs / n, NULL,
               VI_LDA_STREAM_UPDATE (lda->t), want_elbo, info, cancel);
}

int
vi_lda_batch_step (ViLda          *lda,
                   const ViCorpus *corpus,
                   gboolean        want_elbo,
                   ViLdaStepInfo  *info,
                   const gint     *cancel)
{
  if (corpus->n_docs == 0 || corpus->n_words > lda->n_words)
    return VI_EINVAL;
  if (lda->warm == NULL || lda->warm_docs != corpus->n_docs)
    {
      /* The first step draws the starts; later ones start from the last fit. */
      int status;

      g_free (lda->warm);
      lda->warm = g_try_new (double, (size_t) corpus->n_docs * lda->kp);
      if (lda->warm == NULL)
        return VI_ENOMEM;
      lda->warm_docs = corpus->n_docs;
      status = step (lda, corpus, NULL, corpus->n_docs, 1, 1, NULL,
                     VI_LDA_STREAM_UPDATE (lda->t), want_elbo, info, cancel);
      if (status == VI_OK)
        memcpy (lda->warm, lda->gam, (size_t) corpus->n_docs * lda->kp * sizeof (double));
      else
        g_clear_pointer (&lda->warm, g_free);
      return status;
    }
  return step (lda, corpus, NULL, corpus->n_docs, 1, 1, lda->warm, 0, want_elbo, info, cancel);
}
