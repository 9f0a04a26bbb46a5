/* vi-vae.c — the VAE's forward and backward passes over cblas_sgemm
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows of every activation matrix are images (encoder: n rows) or image ×
 * sample pairs (decoder: n·S rows, row b·S + s). A dense layer is one
 * sgemm, Y = X Wᵀ, then a fused loop adding the bias and applying the
 * ReLU; its backward pass is dW = dYᵀ X and dX = dY W (two sgemms) and a
 * column sum for db.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VI_VAE_X86 1
#endif

#include "vi-blas.h"
#include "vi-optim.h"
#include "vi-status.h"
#include "vi-vae.h"

typedef struct
{
  size_t in, out;
  size_t w, b;        /* offsets into the flat parameters */
} Layer;

/* Layers in parameter order: encoder hidden layers, μ head, log σ² head,
 * decoder hidden layers, output layer. */
typedef struct
{
  guint n_enc, n_dec;
  Layer enc[VI_VAE_MAX_HIDDEN];
  Layer mu, lv;
  Layer dec[VI_VAE_MAX_HIDDEN];
  Layer out;
  size_t n_params;
} Layout;

struct _ViVae
{
  ViVaeArch arch;
  Layout    lay;
  size_t    max_batch;
  guint     samples;
  float    *params;
  gboolean  shares_params;                /* a worker's: the master owns them */
  /* workspaces */
  float    *enc_act[VI_VAE_MAX_HIDDEN];   /* n × hidden[i] */
  float    *dec_act[VI_VAE_MAX_HIDDEN];   /* n·S × size */
  float    *mu, *lv, *sigma;              /* n × latent */
  float    *z;                            /* n·S × latent */
  float    *logits;                       /* n·S × n_in */
  float    *d_big;                        /* n·S × max(n_in, sizes): the gradient flowing back */
  float    *d_small;                      /* the same, second buffer */
  float    *d_mu, *d_lv;                  /* n × latent */
};

static void
add_layer (Layer  *l,
           size_t  in,
           size_t  out,
           size_t *offset)
{
  l->in = in;
  l->out = out;
  l->w = *offset;
  l->b = *offset + in * out;
  *offset += in * out + out;
}

static void
layout (const ViVaeArch *a,
        Layout          *lay)
{
  size_t off = 0, prev = a->n_in;

  memset (lay, 0, sizeof *lay);
  lay->n_enc = lay->n_dec = a->n_hidden;
  for (guint i = 0; i < a->n_hidden; i++)
    {
      add_layer (&lay->enc[i], prev, a->hidden[i], &off);
      prev = a->hidden[i];
    }
  add_layer (&lay->mu, prev, a->latent, &off);
  add_layer (&lay->lv, prev, a->latent, &off);
  prev = a->latent;
  for (guint i = 0; i < a->n_hidden; i++)
    {
      size_t size = a->hidden[a->n_hidden - 1 - i];

      add_layer (&lay->dec[i], prev, size, &off);
      prev = size;
    }
  add_layer (&lay->out, prev, a->n_in, &off);
  lay->n_params = off;
}

gboolean
vi_vae_arch_check (const ViVaeArch *a,
                   GError         **error)
{
  if (a->n_in < 1 || a->n_in > 1 << 20)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "images: %zu pixels is outside [1, 2²⁰]", a->n_in);
      return FALSE;
    }
  if (a->n_hidden < 1 || a->n_hidden > VI_VAE_MAX_HIDDEN)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "hidden: 1 to %d layers (got %u)",
                   VI_VAE_MAX_HIDDEN, a->n_hidden);
      return FALSE;
    }
  for (guint i = 0; i < a->n_hidden; i++)
    if (a->hidden[i] < 1 || a->hidden[i] > 8192)
      {
        g_set_error (error, VI_ERROR, VI_EDOM, "hidden: layer sizes must be in [1, 8192] "
                     "(got %zu)", a->hidden[i]);
        return FALSE;
      }
  if (a->latent < 1 || a->latent > 512)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "latent: must be in [1, 512] (got %zu)",
                   a->latent);
      return FALSE;
    }
  return TRUE;
}

size_t
vi_vae_arch_n_params (const ViVaeArch *a)
{
  Layout lay;

  layout (a, &lay);
  return lay.n_params;
}

double
vi_vae_arch_flops (const ViVaeArch *a)
{
  Layout lay;
  double enc = 0, dec = 0;

  layout (a, &lay);
  /* Forward: one product per layer; backward: dW for every layer and dX
   * for all but the first encoder layer. 2 flops per multiply–add. */
  for (guint i = 0; i < lay.n_enc; i++)
    enc += (double) lay.enc[i].in * lay.enc[i].out * (i == 0 ? 2 : 3);
  enc += 2.0 * 3 * lay.mu.in * lay.mu.out;
  for (guint i = 0; i < lay.n_dec; i++)
    dec += 3.0 * lay.dec[i].in * lay.dec[i].out;
  dec += 3.0 * lay.out.in * lay.out.out;
  return 2 * (enc + dec);
}

void
vi_vae_free (ViVae *vae)
{
  if (vae == NULL)
    return;
  for (guint i = 0; i < VI_VAE_MAX_HIDDEN; i++)
    {
      g_free (vae->enc_act[i]);
      g_free (vae->dec_act[i]);
    }
  if (!vae->shares_params)
    g_free (vae->params);
  g_free (vae->mu);
  g_free (vae->lv);
  g_free (vae->sigma);
  g_free (vae->z);
  g_free (vae->logits);
  g_free (vae->d_big);
  g_free (vae->d_small);
  g_free (vae->d_mu);
  g_free (vae->d_lv);
  g_free (vae);
}

static void
init_layer (float       *p,
            const Layer *l,
            gsl_rng     *rng)
{
  double bound = 1 / sqrt ((double) l->in);

  for (size_t i = 0; i < l->in * l->out + l->out; i++)
    p[l->w + i] = (float) gsl_ran_flat (rng, -bound, bound);
}

/* A model over @params (NULL: its own, not yet set) with workspaces for
 * batches of @max_batch × @samples. */
static ViVae *
alloc_vae (const ViVaeArch *arch,
           size_t           max_batch,
           guint            samples,
           float           *params,
           GError         **error)
{
  ViVae *vae = g_new0 (ViVae, 1);
  size_t rows, widest;

  vae->arch = *arch;
  layout (arch, &vae->lay);
  vae->max_batch = max_batch;
  vae->samples = samples;
  rows = max_batch * samples;
  widest = arch->n_in;
  for (guint i = 0; i < arch->n_hidden; i++)
    widest = MAX (widest, arch->hidden[i]);
  widest = MAX (widest, arch->latent);
  vae->shares_params = params != NULL;
  vae->params = params != NULL ? params : g_try_new (float, vae->lay.n_params);
  for (guint i = 0; i < arch->n_hidden; i++)
    {
      vae->enc_act[i] = g_try_new (float, max_batch * arch->hidden[i]);
      vae->dec_act[i] = g_try_new (float, rows * arch->hidden[arch->n_hidden - 1 - i]);
    }
  vae->mu = g_try_new (float, max_batch * arch->latent);
  vae->lv = g_try_new (float, max_batch * arch->latent);
  vae->sigma = g_try_new (float, max_batch * arch->latent);
  vae->d_mu = g_try_new (float, max_batch * arch->latent);
  vae->d_lv = g_try_new (float, max_batch * arch->latent);
  vae->z = g_try_new (float, rows * arch->latent);
  vae->logits = g_try_new (float, rows * arch->n_in);
  vae->d_big = g_try_new (float, rows * widest);
  vae->d_small = g_try_new (float, rows * widest);
  if (vae->params == NULL || vae->logits == NULL || vae->d_big == NULL
      || vae->d_small == NULL || vae->z == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "vae: out of memory for batches of %zu × %u",
                   max_batch, samples);
      vi_vae_free (vae);
      return NULL;
    }
  return vae;
}

ViVae *
vi_vae_create (const ViVaeArch *arch,
               size_t           max_batch,
               guint            samples,
               gsl_rng         *rng,
               GError         **error)
{
  ViVae *vae;

  if (!vi_vae_arch_check (arch, error))
    return NULL;
  if (max_batch < 1 || max_batch > 65536 || samples < 1 || samples > 1000)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, max_batch < 1 || max_batch > 65536
                   ? "batch-size: must be in [1, 65536] (got %zu)"
                   : "samples: must be in [1, 1000] (got %zu)",
                   max_batch < 1 || max_batch > 65536 ? max_batch : (size_t) samples);
      return NULL;
    }
  vae = alloc_vae (arch, max_batch, samples, NULL, error);
  if (vae == NULL)
    return NULL;
  for (guint i = 0; i < arch->n_hidden; i++)
    {
      init_layer (vae->params, &vae->lay.enc[i], rng);
    }
  init_layer (vae->params, &vae->lay.mu, rng);
  init_layer (vae->params, &vae->lay.lv, rng);
  for (guint i = 0; i < arch->n_hidden; i++)
    init_layer (vae->params, &vae->lay.dec[i], rng);
  init_layer (vae->params, &vae->lay.out, rng);
  return vae;
}

ViVae *
vi_vae_create_worker (ViVae   *master,
                      size_t   max_batch,
                      GError **error)
{
  return alloc_vae (&master->arch, max_batch, master->samples, master->params, error);
}

const ViVaeArch *
vi_vae_get_arch (const ViVae *vae)
{
  return &vae->arch;
}

size_t
vi_vae_get_n_params (const ViVae *vae)
{
  return vae->lay.n_params;
}

float *
vi_vae_get_params (ViVae *vae)
{
  return vae->params;
}

/* ---- kernels -------------------------------------------------------------------- */

/* @y (rows × out) = @x (rows × in) Wᵀ + b, then ReLU when @relu. */
static void
dense_forward (const float *p,
               const Layer *l,
               const float *x,
               size_t       rows,
               float       *y,
               gboolean     relu)
{
  ViBlasGemm g = { FALSE, TRUE, rows, l->out, l->in, 0, 0, 0 };
  const float *b = p + l->b;

  vi_blas_sgemm (&g, 1, x, p + l->w, 0, y);
  for (size_t r = 0; r < rows; r++)
    {
      float *row = y + r * l->out;

      if (relu)
        for (size_t j = 0; j < l->out; j++)
          {
            float v = row[j] + b[j];

            row[j] = v > 0 ? v : 0;
          }
      else
        for (size_t j = 0; j < l->out; j++)
          row[j] += b[j];
    }
}

/* Given @dy (rows × out, already through the ReLU's mask): gradient of W and
 * b (accumulated into @grad when @accumulate, else written) and, when @dx is
 * not NULL, @dx (rows × in) = dy W. */
static void
dense_backward (const float *p,
                const Layer *l,
                const float *x,
                const float *dy,
                size_t       rows,
                float       *grad,
                gboolean     accumulate,
                float       *dx)
{
  ViBlasGemm gw = { TRUE, FALSE, l->out, l->in, rows, 0, 0, 0 };
  float *db = grad + l->b;

  vi_blas_sgemm (&gw, 1, dy, x, accumulate ? 1 : 0, grad + l->w);
  if (!accumulate)
    memset (db, 0, l->out * sizeof (float));
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < l->out; j++)
      db[j] += dy[r * l->out + j];
  if (dx != NULL)
    {
      ViBlasGemm gx = { FALSE, FALSE, rows, l->in, l->out, 0, 0, 0 };

      vi_blas_sgemm (&gx, 1, dy, p + l->w, 0, dx);
    }
}

/* Zeroes @d where the ReLU output @y was 0. */
static void
relu_mask (float       *d,
           const float *y,
           size_t       m)
{
  /* A select, not a branch: it vectorises. */
  for (size_t i = 0; i < m; i++)
    d[i] = y[i] <= 0 ? 0.0f : d[i];
}

static inline double
softplus (double l)
{
  /* log(1 + e^l) without overflow, accurate for l ≪ 0 too. */
  return l > 0 ? l + log1p (exp (-l)) : log1p (exp (l));
}

double
vi_vae_bernoulli_loglik (const float *x,
                         const float *logits,
                         size_t       m)
{
  double s = 0;

  for (size_t i = 0; i < m; i++)
    s += x[i] * (double) logits[i] - softplus (logits[i]);
  return s;
}

/* The output layer of a row: Σ x l − softplus(l) over @m pixels, and
 * @d = (x − sigmoid(l)) · @scale, both from u = e^−|l|:
 * softplus(l) = max(l, 0) + log(1 + u), sigmoid(l) = 1/(1 + u) for l ≥ 0,
 * u/(1 + u) below. The reference in float, one pixel at a time. */
static double
bernoulli_out_ref (const float *x,
                   const float *l,
                   float       *d,
                   size_t       m,
                   float        scale)
{
  double s = 0;

  for (size_t i = 0; i < m; i++)
    {
      float u = expf (-fabsf (l[i])), p = (l[i] >= 0 ? 1 : u) / (1 + u);

      s += x[i] * l[i] - (fmaxf (l[i], 0) + log1pf (u));
      if (d != NULL)
        d[i] = (x[i] - p) * scale;
    }
  return s;
}

#ifdef VI_VAE_X86
/* glibc's libmvec: 8-lane expf and logf, under 4 ulp. */
__attribute__ ((target ("avx2,fma"))) extern __m256 _ZGVdN8v_expf (__m256 x);
__attribute__ ((target ("avx2,fma"))) extern __m256 _ZGVdN8v_logf (__m256 x);

__attribute__ ((target ("avx2,fma"))) static double
bernoulli_out_avx2 (const float *x,
                    const float *l,
                    float       *d,
                    size_t       m,
                    float        scale)
{
  const __m256 zero = _mm256_setzero_ps (), one = _mm256_set1_ps (1);
  const __m256 sign = _mm256_set1_ps (-0.0f), sc = _mm256_set1_ps (scale);
  __m256d acc = _mm256_setzero_pd ();
  double s = 0;
  size_t i = 0;

  for (; i + 8 <= m; i += 8)
    {
      __m256 lv = _mm256_loadu_ps (l + i), xv = _mm256_loadu_ps (x + i);
      __m256 u = _ZGVdN8v_expf (_mm256_or_ps (lv, sign));           /* e^−|l| */
      __m256 onepu = _mm256_add_ps (one, u);
      __m256 t = _mm256_sub_ps (_mm256_mul_ps (xv, lv),
                                _mm256_add_ps (_mm256_max_ps (lv, zero), _ZGVdN8v_logf (onepu)));

      /* Sum in double: 784 terms of up to ~10 each. */
      acc = _mm256_add_pd (acc, _mm256_cvtps_pd (_mm256_castps256_ps128 (t)));
      acc = _mm256_add_pd (acc, _mm256_cvtps_pd (_mm256_extractf128_ps (t, 1)));
      if (d != NULL)
        {
          __m256 num = _mm256_blendv_ps (u, one, _mm256_cmp_ps (lv, zero, _CMP_GE_OQ));
          __m256 p = _mm256_div_ps (num, onepu);

          _mm256_storeu_ps (d + i, _mm256_mul_ps (_mm256_sub_ps (xv, p), sc));
        }
    }
  {
    double lanes[4];

    _mm256_storeu_pd (lanes, acc);
    s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  }
  return s + bernoulli_out_ref (x + i, l + i, d != NULL ? d + i : NULL, m - i, scale);
}
#endif

/* The output layer, AVX2 + FMA when the CPU has it (chosen once). */
static double
bernoulli_out (const float *x,
               const float *l,
               float       *d,
               size_t       m,
               float        scale)
{
#ifdef VI_VAE_X86
  static gsize once = 0;
  static gboolean avx2;

  if (g_once_init_enter (&once))
    {
      __builtin_cpu_init ();
      avx2 = __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
      g_once_init_leave (&once, 1);
    }
  if (avx2)
    return bernoulli_out_avx2 (x, l, d, m, scale);
#endif
  return bernoulli_out_ref (x, l, d, m, scale);
}

double
vi_vae_bernoulli_out_ref (const float *x,
                          const float *logits,
                          float       *d,
                          size_t       m,
                          float        scale)
{
  return bernoulli_out_ref (x, logits, d, m, scale);
}

double
vi_vae_bernoulli_out (const float *x,
                      const float *logits,
                      float       *d,
                      size_t       m,
                      float        scale)
{
  return bernoulli_out (x, logits, d, m, scale);
}

void
vi_vae_dense_naive (float       *y,
                    const float *x,
                    const float *w,
                    const float *b,
                    size_t       n,
                    size_t       in,
                    size_t       out)
{
  for (size_t r = 0; r < n; r++)
    for (size_t j = 0; j < out; j++)
      {
        double s = b[j];

        for (size_t i = 0; i < in; i++)
          s += (double) x[r * in + i] * w[j * in + i];
        y[r * out + j] = (float) s;
      }
}

/* ---- the passes ----------------------------------------------------------------- */

static void
encode (ViVae       *vae,
        const float *x,
        size_t       n)
{
  const Layout *lay = &vae->lay;
  const float *h = x;

  for (guint i = 0; i < lay->n_enc; i++)
    {
      dense_forward (vae->params, &lay->enc[i], h, n, vae->enc_act[i], TRUE);
      h = vae->enc_act[i];
    }
  dense_forward (vae->params, &lay->mu, h, n, vae->mu, FALSE);
  dense_forward (vae->params, &lay->lv, h, n, vae->lv, FALSE);
}

/* Decoder on @rows latent points @z: logits into @out. */
static void
decode_logits (ViVae       *vae,
               const float *z,
               size_t       rows,
               float       *out)
{
  const Layout *lay = &vae->lay;
  const float *h = z;

  for (guint i = 0; i < lay->n_dec; i++)
    {
      dense_forward (vae->params, &lay->dec[i], h, rows, vae->dec_act[i], TRUE);
      h = vae->dec_act[i];
    }
  dense_forward (vae->params, &lay->out, h, rows, out, FALSE);
}

int
vi_vae_batch (ViVae       *vae,
              const float *x,
              size_t       n,
              const float *eps,
              float       *grad,
              ViVaeTerms  *terms)
{
  const Layout *lay = &vae->lay;
  size_t L = vae->arch.latent, D = vae->arch.n_in, S = vae->samples, rows = n * S;
  double rec = 0, kl = 0;
  float inv_ns = 1.0f / (float) rows, inv_n = 1.0f / (float) n;

  if (n == 0 || n > vae->max_batch)
    return VI_EINVAL;
  encode (vae, x, n);
  for (size_t b = 0; b < n; b++)
    for (size_t j = 0; j < L; j++)
      {
        float mu = vae->mu[b * L + j], lv = vae->lv[b * L + j];
        float sigma = expf (0.5f * lv);

        vae->sigma[b * L + j] = sigma;
        kl += -0.5 * (1 + (double) lv - (double) mu * mu - (double) sigma * sigma);
        for (size_t s = 0; s < S; s++)
          vae->z[(b * S + s) * L + j] = mu + sigma * eps[(b * S + s) * L + j];
      }
  decode_logits (vae, vae->z, rows, vae->logits);
  /* The log-likelihood and, for the gradient, d ELBO / d logits =
   * (x − sigmoid(l)) / (n S): the mean over images and samples. */
  for (size_t r = 0; r < rows; r++)
    rec += bernoulli_out (x + (r / S) * D, vae->logits + r * D,
                          grad != NULL ? vae->d_big + r * D : NULL, D, inv_ns);
  rec /= S;
  if (terms != NULL)
    {
      terms->reconstruction = rec;
      terms->kl = kl;
      terms->elbo = rec - kl;
    }
  if (!isfinite (rec) || !isfinite (kl))
    return VI_ENONFINITE;
  if (grad == NULL)
    return VI_OK;

  {
    float *d = vae->d_big;
    const float *h;

    h = lay->n_dec > 0 ? vae->dec_act[lay->n_dec - 1] : vae->z;
    dense_backward (vae->params, &lay->out, h, d, rows, grad, FALSE, vae->d_small);
    for (guint i = lay->n_dec; i-- > 0;)
      {
        const float *in = i > 0 ? vae->dec_act[i - 1] : vae->z;
        float *dy = vae->d_small, *dx = vae->d_big;

        relu_mask (dy, vae->dec_act[i], rows * lay->dec[i].out);
        dense_backward (vae->params, &lay->dec[i], in, dy, rows, grad, FALSE, dx);
        /* dx becomes the next dy. */
        vae->d_big = dy;
        vae->d_small = dx;
      }
    /* d_small: d ELBO / dz (rows × L). Through z = μ + σ ε, and −KL. */
    for (size_t b = 0; b < n; b++)
      for (size_t j = 0; j < L; j++)
        {
          float dmu = 0, dlv = 0, sigma = vae->sigma[b * L + j];

          for (size_t s = 0; s < S; s++)
            {
              float dz = vae->d_small[(b * S + s) * L + j];

              dmu += dz;
              dlv += dz * eps[(b * S + s) * L + j] * 0.5f * sigma;
            }
          vae->d_mu[b * L + j] = dmu - vae->mu[b * L + j] * inv_n;
          vae->d_lv[b * L + j] = dlv + 0.5f * (1 - sigma * sigma) * inv_n;
        }
    h = lay->n_enc > 0 ? vae->enc_act[lay->n_enc - 1] : x;
    dense_backward (vae->params, &lay->mu, h, vae->d_mu, n, grad, FALSE, vae->d_big);
    dense_backward (vae->params, &lay->lv, h, vae->d_lv, n, grad, FALSE, vae->d_small);
    for (size_t i = 0; i < n * lay->mu.in; i++)
      vae->d_big[i] += vae->d_small[i];
    for (guint i = lay->n_enc; i-- > 0;)
      {
        const float *in = i > 0 ? vae->enc_act[i - 1] : x;
        float *dy = vae->d_big, *dx = vae->d_small;

        relu_mask (dy, vae->enc_act[i], n * lay->enc[i].out);
        /* The first layer needs no input gradient. */
        dense_backward (vae->params, &lay->enc[i], in, dy, n, grad, FALSE, i > 0 ? dx : NULL);
        vae->d_big = dx;
        vae->d_small = dy;
      }
  }
  return vi_f32_all_finite (grad, lay->n_params) ? VI_OK : VI_ENONFINITE;
}

int
vi_vae_encode (ViVae       *vae,
               const float *x,
               size_t       n,
               float       *mu,
               float       *logvar)
{
  size_t L = vae->arch.latent;

  if (n == 0 || n > vae->max_batch)
    return VI_EINVAL;
  encode (vae, x, n);
  if (mu != NULL)
    memcpy (mu, vae->mu, n * L * sizeof (float));
  if (logvar != NULL)
    memcpy (logvar, vae->lv, n * L * sizeof (float));
  return VI_OK;
}

int
vi_vae_decode (ViVae       *vae,
               const float *z,
               size_t       n,
               float       *out)
{
  if (n == 0 || n > vae->max_batch * vae->samples)
    return VI_EINVAL;
  decode_logits (vae, z, n, out);
  for (size_t i = 0; i < n * vae->arch.n_in; i++)
    out[i] = 1.0f / (1.0f + expf (-out[i]));
  return VI_OK;
}

int
vi_vae_iwae (ViVae       *vae,
             const float *x,
             size_t       n,
             guint        k,
             gsl_rng     *rng,
             double      *out)
{
  size_t L = vae->arch.latent, D = vae->arch.n_in, cap = vae->max_batch * vae->samples;
  g_autofree float *z = g_new (float, cap * L);
  g_autofree double *logw = g_new (double, k);

  if (n == 0 || k == 0 || n > vae->max_batch)
    return VI_EINVAL;
  for (size_t b = 0; b < n; b++)
    {
      double top = -HUGE_VAL, sum = 0;

      encode (vae, x + b * D, 1);
      for (guint done = 0; done < k;)
        {
          size_t m = MIN ((size_t) (k - done), cap);

          for (size_t s = 0; s < m; s++)
            for (size_t j = 0; j < L; j++)
              z[s * L + j] = vae->mu[j] + expf (0.5f * vae->lv[j]) * (float) gsl_ran_gaussian_ziggurat (rng, 1);
          decode_logits (vae, z, m, vae->logits);
          for (size_t s = 0; s < m; s++)
            {
              /* log p(x|z) + log p(z) − log q(z|x), the Gaussians' 2π cancelling. */
              double lw = vi_vae_bernoulli_loglik (x + b * D, vae->logits + s * D, D);

              for (size_t j = 0; j < L; j++)
                {
                  double zj = z[s * L + j], mu = vae->mu[j], lv = vae->lv[j];

                  lw += -0.5 * zj * zj + 0.5 * ((zj - mu) * (zj - mu) * exp (-lv) + lv);
                }
              logw[done + s] = lw;
              top = MAX (top, lw);
            }
          done += (guint) m;
        }
      for (guint i = 0; i < k; i++)
        sum += exp (logw[i] - top);
      out[b] = top + log (sum / k);
      if (!isfinite (out[b]))
        return VI_ENONFINITE;
    }
  return VI_OK;
}

size_t
vi_vae_arch_decoder_offset (const ViVaeArch *arch)
{
  Layout lay;

  layout (arch, &lay);
  return lay.n_dec > 0 ? lay.dec[0].w : lay.out.w;
}

/* y = W x + b of one row in double, with ReLU when @relu. */
static void
dense_one (const float  *params,
           const Layer  *l,
           size_t        base,
           const double *x,
           double       *y,
           gboolean      relu)
{
  const float *w = params + (l->w - base), *b = params + (l->b - base);

  for (size_t o = 0; o < l->out; o++)
    {
      double acc = b[o];

      for (size_t i = 0; i < l->in; i++)
        acc += (double) w[o * l->in + i] * x[i];
      y[o] = relu && acc < 0 ? 0 : acc;
    }
}

void
vi_vae_decode_params (const ViVaeArch *arch,
                      const float     *decoder,
                      const float     *z,
                      float           *out)
{
  Layout lay;
  size_t base, width = arch->latent;
  g_autofree double *a = NULL, *b = NULL;

  layout (arch, &lay);
  base = vi_vae_arch_decoder_offset (arch);
  for (guint i = 0; i < lay.n_dec; i++)
    width = MAX (width, lay.dec[i].out);
  width = MAX (width, arch->n_in);
  a = g_new (double, width);
  b = g_new (double, width);
  for (size_t j = 0; j < arch->latent; j++)
    a[j] = z[j];
  for (guint i = 0; i < lay.n_dec; i++)
    {
      double *t;

      dense_one (decoder, &lay.dec[i], base, a, b, TRUE);
      t = a, a = b, b = t;
    }
  dense_one (decoder, &lay.out, base, a, b, FALSE);
  for (size_t p = 0; p < arch->n_in; p++)
    out[p] = (float) (1 / (1 + exp (-b[p])));
}
