/* vi-lda-kernels.c — LDA's inner loops: digamma, exp(E log θ) and the
 * per-document E-step, scalar and AVX2 + FMA
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The E-step follows Hoffman's onlineldavb.py (REFERENCES.md §3): with
 * exp(E log θ) and exp(E log β) a round costs O(K · unique words), and here
 * one pass over the document's words per round both normalises φ (phinorm)
 * and accumulates γ's update, reading each row of exp(E log β) once.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VI_LDA_X86 1
#endif

#include "vi-lda-kernels.h"

/* Keeps phinorm > 0 when every topic gives a word probability ~0, as
 * onlineldavb.py does. */
#define VI_LDA_TINY 1e-100

/* ---- digamma ---------------------------------------------------------------- */

/* The asymptotic series' tail in f = 1/y², y ≥ 6: −Σ B₂ₙ / (2n y²ⁿ), n = 1…7;
 * the first term left out, 3617/(8160 y¹⁶), is < 2e-13 at y = 6. */
#define DIGAMMA_TAIL(f)                                                         \
  ((f) * (-1.0 / 12 + (f) * (1.0 / 120 + (f) * (-1.0 / 252 + (f) * (1.0 / 240   \
   + (f) * (-1.0 / 132 + (f) * (691.0 / 32760 + (f) * (-1.0 / 12))))))))

double
vi_lda_digamma (double x)
{
  double r = 0, f;

  while (x < 6)
    {
      r += 1 / x;
      x += 1;
    }
  f = 1 / (x * x);
  return log (x) - 0.5 / x + DIGAMMA_TAIL (f) - r;
}

void
vi_lda_digamma_n_ref (double       *out,
                      const double *x,
                      size_t        n,
                      double        shift)
{
  for (size_t i = 0; i < n; i++)
    out[i] = vi_lda_digamma (x[i]) - shift;
}

static void
exp_elog_ref (double       *out,
              const double *x,
              size_t        k,
              size_t        kp)
{
  double sum = 0, shift;

  for (size_t i = 0; i < k; i++)
    sum += x[i];
  shift = vi_lda_digamma (sum);
  for (size_t i = 0; i < k; i++)
    out[i] = exp (vi_lda_digamma (x[i]) - shift);
  for (size_t i = k; i < kp; i++)
    out[i] = 0;
}

static gboolean
exp_elog_rows_ref (double       *out,
                   const double *lam,
                   size_t        rows,
                   size_t        k,
                   size_t        kp,
                   const double *shift)
{
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < kp; j++)
      {
        double v = lam[r * kp + j], e = 0;

        if (j < k && !(v > 0 && v < HUGE_VAL))
          return FALSE;
        if (j < k)
          e = exp (vi_lda_digamma (v) - shift[j]);
        out[r * kp + j] = e;
      }
  return TRUE;
}

/* ---- E-step, scalar ------------------------------------------------------------ */

static double
dot_ref (const double *a,
         const double *b,
         size_t        n)
{
  double s = 0;

  for (size_t j = 0; j < n; j++)
    s += a[j] * b[j];
  return s;
}

typedef void (*ExpElogFunc) (double *, const double *, size_t, size_t);

/* The round structure shared by both versions; @dot, @axpy and @exp_elog
 * are the vector parts. */
static inline unsigned
estep_generic (const ViLdaEstep *e,
               const uint32_t   *words,
               const uint32_t   *counts,
               uint32_t          n,
               double           *gamma,
               double           *etheta,
               double           *sstats,
               double           *log_lik,
               double           *scratch,
               double          (*dot) (const double *, const double *, size_t),
               void            (*axpy) (double *, double, const double *, size_t),
               ExpElogFunc       exp_elog)
{
  const size_t k = e->k, kp = e->kp;
  double *acc = scratch, *phinorm = scratch + kp;
  unsigned round = 0;

  exp_elog (etheta, gamma, k, kp);
  if (n > 0)
    for (round = 1; round <= e->max_iter; round++)
      {
        double change = 0;

        memset (acc, 0, kp * sizeof (double));
        for (uint32_t i = 0; i < n; i++)
          {
            const double *row = e->eb + (size_t) words[i] * kp;
            double p = dot (etheta, row, kp) + VI_LDA_TINY;

            axpy (acc, counts[i] / p, row, kp);
          }
        for (size_t j = 0; j < k; j++)
          {
            double g = e->alpha + etheta[j] * acc[j];

            change += fabs (g - gamma[j]);
            gamma[j] = g;
          }
        exp_elog (etheta, gamma, k, kp);
        if (change / k < e->tol)
          break;
      }
  if (round > e->max_iter)
    round = e->max_iter;
  if (sstats != NULL || log_lik != NULL)
    {
      double ll = 0;

      for (uint32_t i = 0; i < n; i++)
        {
          const double *row = e->eb + (size_t) words[i] * kp;

          phinorm[i] = dot (etheta, row, kp) + VI_LDA_TINY;
          ll += counts[i] * log (phinorm[i]);
        }
      if (log_lik != NULL)
        *log_lik = ll;
      if (sstats != NULL)
        for (uint32_t i = 0; i < n; i++)
          {
            double c = counts[i] / phinorm[i];
            double *out = sstats + (size_t) i * kp;

            for (size_t j = 0; j < kp; j++)
              out[j] = etheta[j] * c;
          }
    }
  return round;
}

static void
axpy_ref (double       *y,
          double        a,
          const double *x,
          size_t        n)
{
  for (size_t j = 0; j < n; j++)
    y[j] += a * x[j];
}

unsigned
vi_lda_estep_doc_ref (const ViLdaEstep *e,
                      const uint32_t   *words,
                      const uint32_t   *counts,
                      uint32_t          n,
                      double           *gamma,
                      double           *etheta,
                      double           *sstats,
                      double           *log_lik,
                      double           *scratch)
{
  return estep_generic (e, words, counts, n, gamma, etheta, sstats, log_lik, scratch,
                        dot_ref, axpy_ref, exp_elog_ref);
}

/* ---- E-step, float32 ------------------------------------------------------------ */

/* A floor for phinorm in float (onlineldavb.py's 1e-100 is below float's
 * range). */
#define VI_LDA_TINY_F32 1e-30f


static inline float
dot_f32_ref (const float *a,
             const float *b,
             size_t       n)
{
  float s = 0;

  for (size_t j = 0; j < n; j++)
    s += a[j] * b[j];
  return s;
}

static inline void
axpy_f32_ref (float       *y,
              float        a,
              const float *x,
              size_t       n)
{
  for (size_t j = 0; j < n; j++)
    y[j] += a * x[j];
}

/* Σ_i s[i] · row(words[i]) into @acc, one word at a time. */
static void
gather_f32_ref (float          *acc,
                const float    *eb,
                const uint32_t *words,
                const float    *s,
                uint32_t        n,
                size_t          kp)
{
  memset (acc, 0, kp * sizeof (float));
  for (uint32_t i = 0; i < n; i++)
    axpy_f32_ref (acc, s[i], eb + (size_t) words[i] * kp, kp);
}

static inline void
scale_f32_ref (float       *y,
               float        a,
               const float *x,
               size_t       n)
{
  for (size_t j = 0; j < n; j++)
    y[j] = a * x[j];
}

/* @s[i] = counts[i] / (@etf · row(words[i]) + VI_LDA_TINY_F32), i < @n. */
static void
dots_f32_ref (float          *s,
              const float    *etf,
              const float    *eb,
              const uint32_t *words,
              const uint32_t *counts,
              uint32_t        n,
              size_t          kp)
{
  for (uint32_t i = 0; i < n; i++)
    s[i] = (float) counts[i] / (dot_f32_ref (etf, eb + (size_t) words[i] * kp, kp)
                                + VI_LDA_TINY_F32);
}

typedef float (*DotF32Func)    (const float *, const float *, size_t);
typedef void  (*DotsF32Func)   (float *, const float *, const float *, const uint32_t *,
                                const uint32_t *, uint32_t, size_t);
typedef void  (*GatherF32Func) (float *, const float *, const uint32_t *, const float *,
                                uint32_t, size_t);
typedef void  (*ScaleF32Func)  (float *, float, const float *, size_t);

/* The rounds of the float32 E-step: all the dots of a round first (into
 * @s: counts / phinorm), then one gather of Σ s_i · row_i, then γ. The
 * vector parts are the function arguments; inlined into each version. */
static inline __attribute__ ((always_inline)) unsigned
estep_f32_generic (const ViLdaEstepF32 *e,
                   const uint32_t      *words,
                   const uint32_t      *counts,
                   uint32_t             n,
                   double              *gamma,
                   double              *etheta,
                   float               *sstats,
                   double              *log_lik,
                   float               *scratch,
                   DotF32Func           dot,
                   DotsF32Func          dots,
                   GatherF32Func        gather,
                   ScaleF32Func         scale,
                   ExpElogFunc          exp_elog)
{
  const size_t k = e->k, kp = e->kp;
  float *acc = scratch, *etf = scratch + kp, *s = scratch + 2 * kp;
  unsigned round = 0;

  exp_elog (etheta, gamma, k, kp);
  for (size_t j = 0; j < kp; j++)
    etf[j] = (float) etheta[j];
  if (n > 0)
    for (round = 1; round <= e->max_iter; round++)
      {
        double change = 0;

        dots (s, etf, e->eb, words, counts, n, kp);
        gather (acc, e->eb, words, s, n, kp);
        for (size_t j = 0; j < k; j++)
          {
            double g = e->alpha + etheta[j] * acc[j];

            change += fabs (g - gamma[j]);
            gamma[j] = g;
          }
        exp_elog (etheta, gamma, k, kp);
        for (size_t j = 0; j < kp; j++)
          etf[j] = (float) etheta[j];
        if (change / k < e->tol)
          break;
      }
  if (round > e->max_iter)
    round = e->max_iter;
  if (sstats != NULL || log_lik != NULL)
    {
      double ll = 0;

      for (uint32_t i = 0; i < n; i++)
        {
          float p = dot (etf, e->eb + (size_t) words[i] * kp, kp) + VI_LDA_TINY_F32;

          ll += counts[i] * log (p);
          if (sstats != NULL)
            scale (sstats + (size_t) i * kp, (float) counts[i] / p, etf, kp);
        }
      if (log_lik != NULL)
        *log_lik = ll;
    }
  return round;
}

unsigned
vi_lda_estep_doc_f32_ref (const ViLdaEstepF32 *e,
                          const uint32_t      *words,
                          const uint32_t      *counts,
                          uint32_t             n,
                          double              *gamma,
                          double              *etheta,
                          float               *sstats,
                          double              *log_lik,
                          float               *scratch)
{
  return estep_f32_generic (e, words, counts, n, gamma, etheta, sstats, log_lik, scratch,
                            dot_f32_ref, dots_f32_ref, gather_f32_ref, scale_f32_ref,
                            exp_elog_ref);
}

/* ---- AVX2 + FMA ------------------------------------------------------------------ */

#ifdef VI_LDA_X86
#define AVX2 __attribute__ ((target ("avx2,fma")))

/* glibc's libmvec: 4-lane log and exp, under 4 ulp. */
AVX2 extern __m256d _ZGVdN4v_log (__m256d x);
AVX2 extern __m256d _ZGVdN4v_exp (__m256d x);

AVX2 static inline __m256d
digamma4 (__m256d x)
{
  const __m256d one = _mm256_set1_pd (1), two = _mm256_set1_pd (2);
  __m256d a0 = x, a1 = _mm256_add_pd (x, one), a2 = _mm256_add_pd (x, two);
  __m256d a3 = _mm256_add_pd (x, _mm256_set1_pd (3)), a4 = _mm256_add_pd (x, _mm256_set1_pd (4));
  __m256d a5 = _mm256_add_pd (x, _mm256_set1_pd (5)), y = _mm256_add_pd (x, _mm256_set1_pd (6));
  /* Σ_{i<6} 1/(x + i) as two fractions of three terms: two divisions. */
  __m256d p01 = _mm256_mul_pd (a0, a1), p34 = _mm256_mul_pd (a3, a4);
  __m256d n0 = _mm256_fmadd_pd (_mm256_add_pd (a0, a1), a2, p01);
  __m256d n1 = _mm256_fmadd_pd (_mm256_add_pd (a3, a4), a5, p34);
  __m256d r = _mm256_add_pd (_mm256_div_pd (n0, _mm256_mul_pd (p01, a2)),
                             _mm256_div_pd (n1, _mm256_mul_pd (p34, a5)));
  __m256d inv = _mm256_div_pd (one, y), f = _mm256_mul_pd (inv, inv);
  __m256d t = _mm256_set1_pd (-1.0 / 12);

  /* Far beyond any count (x⁶ would overflow): Σ 1/(x + i) → 6/x. */
  r = _mm256_blendv_pd (r, _mm256_div_pd (_mm256_set1_pd (6), x),
                        _mm256_cmp_pd (x, _mm256_set1_pd (1e40), _CMP_GT_OQ));
  t = _mm256_fmadd_pd (t, f, _mm256_set1_pd (691.0 / 32760));
  t = _mm256_fmadd_pd (t, f, _mm256_set1_pd (-1.0 / 132));
  t = _mm256_fmadd_pd (t, f, _mm256_set1_pd (1.0 / 240));
  t = _mm256_fmadd_pd (t, f, _mm256_set1_pd (-1.0 / 252));
  t = _mm256_fmadd_pd (t, f, _mm256_set1_pd (1.0 / 120));
  t = _mm256_fmadd_pd (t, f, _mm256_set1_pd (-1.0 / 12));
  t = _mm256_mul_pd (t, f);
  return _mm256_sub_pd (_mm256_add_pd (_mm256_fnmadd_pd (_mm256_set1_pd (0.5), inv,
                                                         _ZGVdN4v_log (y)), t), r);
}

AVX2 static void
digamma_n_avx2 (double       *out,
                const double *x,
                size_t        n,
                double        shift)
{
  __m256d s = _mm256_set1_pd (shift);
  size_t i = 0;

  for (; i + 4 <= n; i += 4)
    _mm256_storeu_pd (out + i, _mm256_sub_pd (digamma4 (_mm256_loadu_pd (x + i)), s));
  for (; i < n; i++)
    out[i] = vi_lda_digamma (x[i]) - shift;
}

AVX2 static double
hsum4 (__m256d v)
{
  __m128d lo = _mm256_castpd256_pd128 (v), hi = _mm256_extractf128_pd (v, 1);

  lo = _mm_add_pd (lo, hi);
  return _mm_cvtsd_f64 (_mm_add_sd (lo, _mm_unpackhi_pd (lo, lo)));
}

/* Σ_{i<k} x[i] (kp lanes, padding zero) in a fixed order. */
AVX2 static double
sum_avx2 (const double *x,
          size_t        kp)
{
  __m256d s = _mm256_setzero_pd ();

  for (size_t j = 0; j < kp; j += 4)
    s = _mm256_add_pd (s, _mm256_loadu_pd (x + j));
  return hsum4 (s);
}

AVX2 static void
exp_elog_avx2 (double       *out,
               const double *x,
               size_t        k,
               size_t        kp)
{
  double shift = vi_lda_digamma (sum_avx2 (x, kp));
  __m256d s = _mm256_set1_pd (shift);

  for (size_t j = 0; j < kp; j += 4)
    {
      /* Padding lanes hold x = 0: give ψ a harmless argument, then zero. */
      __m256d v = _mm256_loadu_pd (x + j);
      __m256d pad = _mm256_cmp_pd (v, _mm256_setzero_pd (), _CMP_LE_OQ);
      __m256d e = _ZGVdN4v_exp (_mm256_sub_pd (digamma4 (_mm256_blendv_pd (v, _mm256_set1_pd (1),
                                                                         pad)), s));

      _mm256_storeu_pd (out + j, _mm256_andnot_pd (pad, e));
    }
  for (size_t j = k; j < kp; j++)
    out[j] = 0;
}

AVX2 static gboolean
exp_elog_rows_avx2 (double       *out,
                    const double *lam,
                    size_t        rows,
                    size_t        k,
                    size_t        kp,
                    const double *shift)
{
  const __m256d zero = _mm256_setzero_pd (), inf = _mm256_set1_pd (HUGE_VAL);
  const __m256d lane = _mm256_set_pd (3, 2, 1, 0);
  __m256d bad = zero;

  /* Lanes below k are topics (0 < λ < ∞ required), the rest padding. */
  const __m256d kv = _mm256_set1_pd ((double) k);

  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < kp; j += 4)
      {
        __m256d topic = _mm256_cmp_pd (_mm256_add_pd (lane, _mm256_set1_pd ((double) j)), kv,
                                       _CMP_LT_OQ);
        __m256d v = _mm256_loadu_pd (lam + r * kp + j);
        __m256d ok = _mm256_and_pd (topic, _mm256_and_pd (_mm256_cmp_pd (v, zero, _CMP_GT_OQ),
                                                          _mm256_cmp_pd (v, inf, _CMP_LT_OQ)));
        __m256d e = _ZGVdN4v_exp (_mm256_sub_pd (digamma4 (_mm256_blendv_pd (_mm256_set1_pd (1),
                                                                           v, ok)),
                                                 _mm256_loadu_pd (shift + j)));

        bad = _mm256_or_pd (bad, _mm256_andnot_pd (ok, topic));
        _mm256_storeu_pd (out + r * kp + j, _mm256_and_pd (ok, e));
      }
  return _mm256_movemask_pd (bad) == 0;
}

AVX2 static double
dot_avx2 (const double *a,
          const double *b,
          size_t        kp)
{
  __m256d s0 = _mm256_setzero_pd (), s1 = _mm256_setzero_pd ();
  size_t j = 0;

  for (; j + 8 <= kp; j += 8)
    {
      s0 = _mm256_fmadd_pd (_mm256_loadu_pd (a + j), _mm256_loadu_pd (b + j), s0);
      s1 = _mm256_fmadd_pd (_mm256_loadu_pd (a + j + 4), _mm256_loadu_pd (b + j + 4), s1);
    }
  if (j < kp)
    s0 = _mm256_fmadd_pd (_mm256_loadu_pd (a + j), _mm256_loadu_pd (b + j), s0);
  return hsum4 (_mm256_add_pd (s0, s1));
}

AVX2 static void
axpy_avx2 (double       *y,
           double        a,
           const double *x,
           size_t        kp)
{
  __m256d av = _mm256_set1_pd (a);

  for (size_t j = 0; j < kp; j += 4)
    _mm256_storeu_pd (y + j, _mm256_fmadd_pd (av, _mm256_loadu_pd (x + j),
                                              _mm256_loadu_pd (y + j)));
}

AVX2 static inline float
dot_f32_avx2 (const float *a,
              const float *b,
              size_t       kp)
{
  __m256 s0 = _mm256_setzero_ps (), s1 = _mm256_setzero_ps ();
  __m128 lo;
  size_t j = 0;

  for (; j + 16 <= kp; j += 16)
    {
      s0 = _mm256_fmadd_ps (_mm256_loadu_ps (a + j), _mm256_loadu_ps (b + j), s0);
      s1 = _mm256_fmadd_ps (_mm256_loadu_ps (a + j + 8), _mm256_loadu_ps (b + j + 8), s1);
    }
  if (j < kp)
    s0 = _mm256_fmadd_ps (_mm256_loadu_ps (a + j), _mm256_loadu_ps (b + j), s0);
  s0 = _mm256_add_ps (s0, s1);
  lo = _mm_add_ps (_mm256_castps256_ps128 (s0), _mm256_extractf128_ps (s0, 1));
  lo = _mm_add_ps (lo, _mm_movehl_ps (lo, lo));
  return _mm_cvtss_f32 (_mm_add_ss (lo, _mm_movehdup_ps (lo)));
}

/* dots_f32_ref, eight words at a time: one accumulator per word, so the
 * eight chains hide the FMA latency, each load of @etf serves eight rows,
 * and the eight sums are reduced together and divided as one vector (a
 * word at a time, the horizontal sum and the division were half the
 * E-step's time). */
AVX2 static void
dots_f32_avx2 (float          *s,
               const float    *etf,
               const float    *eb,
               const uint32_t *words,
               const uint32_t *counts,
               uint32_t        n,
               size_t          kp)
{
  const __m256 tiny = _mm256_set1_ps (VI_LDA_TINY_F32);
  uint32_t i = 0;

  for (; i + 8 <= n; i += 8)
    {
      const float *r0 = eb + (size_t) words[i] * kp, *r1 = eb + (size_t) words[i + 1] * kp;
      const float *r2 = eb + (size_t) words[i + 2] * kp, *r3 = eb + (size_t) words[i + 3] * kp;
      const float *r4 = eb + (size_t) words[i + 4] * kp, *r5 = eb + (size_t) words[i + 5] * kp;
      const float *r6 = eb + (size_t) words[i + 6] * kp, *r7 = eb + (size_t) words[i + 7] * kp;
      __m256 a0 = _mm256_setzero_ps (), a1 = a0, a2 = a0, a3 = a0;
      __m256 a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      __m256 t0, t1, t2, t3, u0, u1, sum, c;

      for (size_t j = 0; j < kp; j += 8)
        {
          __m256 et = _mm256_loadu_ps (etf + j);

          a0 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r0 + j), a0);
          a1 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r1 + j), a1);
          a2 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r2 + j), a2);
          a3 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r3 + j), a3);
          a4 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r4 + j), a4);
          a5 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r5 + j), a5);
          a6 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r6 + j), a6);
          a7 = _mm256_fmadd_ps (et, _mm256_loadu_ps (r7 + j), a7);
        }
      /* Lane q of @sum is Σ a_q: pairwise within 128-bit halves, then the
       * halves added. */
      t0 = _mm256_hadd_ps (a0, a1);
      t1 = _mm256_hadd_ps (a2, a3);
      t2 = _mm256_hadd_ps (a4, a5);
      t3 = _mm256_hadd_ps (a6, a7);
      u0 = _mm256_hadd_ps (t0, t1);
      u1 = _mm256_hadd_ps (t2, t3);
      sum = _mm256_add_ps (_mm256_permute2f128_ps (u0, u1, 0x20),
                           _mm256_permute2f128_ps (u0, u1, 0x31));
      /* The counts as unsigned: high and low 16 bits, each exact in float. */
      {
        __m256i ci = _mm256_loadu_si256 ((const __m256i *) (const void *) (counts + i));

        c = _mm256_fmadd_ps (_mm256_cvtepi32_ps (_mm256_srli_epi32 (ci, 16)),
                             _mm256_set1_ps (65536.0f),
                             _mm256_cvtepi32_ps (_mm256_and_si256 (ci, _mm256_set1_epi32 (0xffff))));
      }
      _mm256_storeu_ps (s + i, _mm256_div_ps (c, _mm256_add_ps (sum, tiny)));
    }
  for (; i < n; i++)
    s[i] = (float) counts[i] / (dot_f32_avx2 (etf, eb + (size_t) words[i] * kp, kp)
                                + VI_LDA_TINY_F32);
}

/* @y = @a · @x. */
AVX2 static inline void
axpy_f32_set_avx2 (float       *y,
                   float        a,
                   const float *x,
                   size_t       kp)
{
  __m256 av = _mm256_set1_ps (a);

  for (size_t j = 0; j < kp; j += 8)
    _mm256_storeu_ps (y + j, _mm256_mul_ps (av, _mm256_loadu_ps (x + j)));
}

/* @acc[0 … kp) = Σ_i @s[i] · row(words[i]): topic blocks of 64, 32, then 8
 * lanes, each kept in registers over all the words, so the sums never go
 * through memory (a fused axpy per word is bound by its stores). */
AVX2 static void
gather_f32_avx2 (float          *acc,
                 const float    *eb,
                 const uint32_t *words,
                 const float    *s,
                 uint32_t        n,
                 size_t          kp)
{
  size_t j = 0;

  for (; j + 64 <= kp; j += 64)
    {
      __m256 a0 = _mm256_setzero_ps (), a1 = a0, a2 = a0, a3 = a0;
      __m256 a4 = a0, a5 = a0, a6 = a0, a7 = a0;

      for (uint32_t i = 0; i < n; i++)
        {
          const float *row = eb + (size_t) words[i] * kp + j;
          __m256 sv = _mm256_broadcast_ss (s + i);

          a0 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row), a0);
          a1 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 8), a1);
          a2 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 16), a2);
          a3 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 24), a3);
          a4 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 32), a4);
          a5 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 40), a5);
          a6 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 48), a6);
          a7 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 56), a7);
        }
      _mm256_storeu_ps (acc + j, a0);
      _mm256_storeu_ps (acc + j + 8, a1);
      _mm256_storeu_ps (acc + j + 16, a2);
      _mm256_storeu_ps (acc + j + 24, a3);
      _mm256_storeu_ps (acc + j + 32, a4);
      _mm256_storeu_ps (acc + j + 40, a5);
      _mm256_storeu_ps (acc + j + 48, a6);
      _mm256_storeu_ps (acc + j + 56, a7);
    }
  for (; j + 32 <= kp; j += 32)
    {
      __m256 a0 = _mm256_setzero_ps (), a1 = a0, a2 = a0, a3 = a0;

      for (uint32_t i = 0; i < n; i++)
        {
          const float *row = eb + (size_t) words[i] * kp + j;
          __m256 sv = _mm256_broadcast_ss (s + i);

          a0 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row), a0);
          a1 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 8), a1);
          a2 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 16), a2);
          a3 = _mm256_fmadd_ps (sv, _mm256_loadu_ps (row + 24), a3);
        }
      _mm256_storeu_ps (acc + j, a0);
      _mm256_storeu_ps (acc + j + 8, a1);
      _mm256_storeu_ps (acc + j + 16, a2);
      _mm256_storeu_ps (acc + j + 24, a3);
    }
  for (; j < kp; j += 8)
    {
      __m256 a0 = _mm256_setzero_ps (), a1 = a0;
      uint32_t i = 0;

      /* Two chains: the FMA latency, not the loads, bounds one lane block. */
      for (; i + 2 <= n; i += 2)
        {
          a0 = _mm256_fmadd_ps (_mm256_broadcast_ss (s + i),
                                _mm256_loadu_ps (eb + (size_t) words[i] * kp + j), a0);
          a1 = _mm256_fmadd_ps (_mm256_broadcast_ss (s + i + 1),
                                _mm256_loadu_ps (eb + (size_t) words[i + 1] * kp + j), a1);
        }
      if (i < n)
        a0 = _mm256_fmadd_ps (_mm256_broadcast_ss (s + i),
                              _mm256_loadu_ps (eb + (size_t) words[i] * kp + j), a0);
      _mm256_storeu_ps (acc + j, _mm256_add_ps (a0, a1));
    }
}

AVX2 static unsigned
estep_doc_f32_avx2 (const ViLdaEstepF32 *e,
                    const uint32_t      *words,
                    const uint32_t      *counts,
                    uint32_t             n,
                    double              *gamma,
                    double              *etheta,
                    float               *sstats,
                    double              *log_lik,
                    float               *scratch)
{
  return estep_f32_generic (e, words, counts, n, gamma, etheta, sstats, log_lik, scratch,
                            dot_f32_avx2, dots_f32_avx2, gather_f32_avx2, axpy_f32_set_avx2,
                            exp_elog_avx2);
}

AVX2 static unsigned
estep_doc_avx2 (const ViLdaEstep *e,
                const uint32_t   *words,
                const uint32_t   *counts,
                uint32_t          n,
                double           *gamma,
                double           *etheta,
                double           *sstats,
                double           *log_lik,
                double           *scratch)
{
  return estep_generic (e, words, counts, n, gamma, etheta, sstats, log_lik, scratch,
                        dot_avx2, axpy_avx2, exp_elog_avx2);
}
#endif

/* ---- dispatch -------------------------------------------------------------------- */

typedef struct
{
  void     (*digamma_n)     (double *, const double *, size_t, double);
  void     (*exp_elog)      (double *, const double *, size_t, size_t);
  gboolean (*exp_elog_rows) (double *, const double *, size_t, size_t, size_t, const double *);
  unsigned (*estep)         (const ViLdaEstep *, const uint32_t *, const uint32_t *, uint32_t,
                             double *, double *, double *, double *, double *);
  unsigned (*estep_f32)     (const ViLdaEstepF32 *, const uint32_t *, const uint32_t *,
                             uint32_t, double *, double *, float *, double *, float *);
} Kernels;

static const Kernels reference = {
  vi_lda_digamma_n_ref, exp_elog_ref, exp_elog_rows_ref, vi_lda_estep_doc_ref,
  vi_lda_estep_doc_f32_ref,
};

#ifdef VI_LDA_X86
static const Kernels avx2 = {
  digamma_n_avx2, exp_elog_avx2, exp_elog_rows_avx2, estep_doc_avx2, estep_doc_f32_avx2,
};
#endif

/* The kernels for this CPU, chosen once (VI_LDA_NO_AVX2 forces the
 * reference). */
static const Kernels *
kernels (void)
{
  static gsize chosen = 0;

  if (g_once_init_enter (&chosen))
    {
      const Kernels *k = &reference;

#ifdef VI_LDA_X86
      __builtin_cpu_init ();
      if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma")
          && g_getenv ("VI_LDA_NO_AVX2") == NULL)
        k = &avx2;
#endif
      g_once_init_leave (&chosen, (gsize) k);
    }
  return (const Kernels *) chosen;
}

gboolean
vi_lda_kernels_have_avx2 (void)
{
  return kernels () != &reference;
}

void
vi_lda_digamma_n (double *out, const double *x, size_t n, double shift)
{
  kernels ()->digamma_n (out, x, n, shift);
}

void
vi_lda_exp_elog (double *out, const double *x, size_t k, size_t kp)
{
  kernels ()->exp_elog (out, x, k, kp);
}

gboolean
vi_lda_exp_elog_rows (double *out, const double *lam, size_t rows, size_t k, size_t kp,
                      const double *shift)
{
  return kernels ()->exp_elog_rows (out, lam, rows, k, kp, shift);
}

/* Subnormal numbers. With a small η (0.01) most entries of the scaled
 * table are near exp(ψ(0.01) − ψ(Σλ)) ≈ 1e-44, below float's normal range,
 * and x86 takes a microcode assist on every multiply that reads or makes a
 * subnormal: the E-step ran 25× slower. So the E-step runs with
 * flush-to-zero and denormals-are-zero, and gives the caller its mode
 * back. A flushed term is below FLT_MIN = 1.2e-38 (both factors are ≤ 1),
 * K of them below K · 1.2e-38: against the VI_LDA_TINY_F32 = 1e-30 that
 * phinorm carries anyway that is 1.2e-5 relative at K = 1000, and only in
 * a word no topic explains; elsewhere it is below float's rounding. */
typedef uint64_t FpMode;

static inline FpMode
fp_flush_begin (void)
{
#if defined(VI_LDA_X86)
  FpMode old = _mm_getcsr ();

  _mm_setcsr ((unsigned) old | 0x8040u);   /* FTZ (bit 15) | DAZ (bit 6) */
  return old;
#elif defined(__aarch64__) && defined(__GNUC__)
  FpMode old;

  __asm__ __volatile__ ("mrs %0, fpcr" : "=r" (old));
  __asm__ __volatile__ ("msr fpcr, %0" : : "r" (old | (1ull << 24)));   /* FZ */
  return old;
#else
  return 0;
#endif
}

static inline void
fp_flush_end (FpMode old)
{
#if defined(VI_LDA_X86)
  _mm_setcsr ((unsigned) old);
#elif defined(__aarch64__) && defined(__GNUC__)
  __asm__ __volatile__ ("msr fpcr, %0" : : "r" (old));
#else
  (void) old;
#endif
}

unsigned
vi_lda_estep_doc (const ViLdaEstep *e, const uint32_t *words, const uint32_t *counts,
                  uint32_t n, double *gamma, double *etheta, double *sstats, double *log_lik,
                  double *scratch)
{
  FpMode mode = fp_flush_begin ();
  unsigned rounds = kernels ()->estep (e, words, counts, n, gamma, etheta, sstats, log_lik,
                                       scratch);

  fp_flush_end (mode);
  return rounds;
}

unsigned
vi_lda_estep_doc_f32 (const ViLdaEstepF32 *e, const uint32_t *words, const uint32_t *counts,
                      uint32_t n, double *gamma, double *etheta, float *sstats,
                      double *log_lik, float *scratch)
{
  FpMode mode = fp_flush_begin ();
  unsigned rounds = kernels ()->estep_f32 (e, words, counts, n, gamma, etheta, sstats,
                                           log_lik, scratch);

  fp_flush_end (mode);
  return rounds;
}
