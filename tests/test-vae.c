/* test-vae.c — the VAE's kernels against naive references, its whole-batch
 * gradient against finite differences, the analytic KL against Monte Carlo,
 * the importance-weighted bound, and a small model overfitting 64 images
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "vi-core-autocleanups.h"
#include "vi-optim.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-test-util.h"
#include "vi-vae.h"

static ViVae *
make_vae (const ViVaeArch *arch,
          size_t           batch,
          guint            samples,
          guint64          seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(gsl_rng) rng = vi_rng_create (seed, 0);
  ViVae *vae = vi_vae_create (arch, batch, samples, rng, &error);

  g_assert_no_error (error);
  return vae;
}

static float *
random_binary (gsl_rng *rng,
               size_t   n)
{
  float *x = g_new (float, n);

  for (size_t i = 0; i < n; i++)
    x[i] = gsl_rng_uniform (rng) < 0.4 ? 1.0f : 0.0f;
  return x;
}

static void
test_layout_and_encode (void)
{
  ViVaeArch arch = { 7, 1, { 5 }, 3 };
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 1);
  ViVae *vae = make_vae (&arch, 4, 1, 1);
  const float *p = vi_vae_get_params (vae);
  g_autofree float *x = random_binary (rng, 4 * 7);
  float h[4 * 5], mu[4 * 3], lv[4 * 3], mu_got[4 * 3], lv_got[4 * 3];
  /* Layout: W1 (5 × 7), b1, Wμ (3 × 5), bμ, Wlv, blv, Wd (5 × 3), bd, Wo (7 × 5), bo. */
  size_t w1 = 0, b1 = 35, wmu = 40, bmu = 55, wlv = 58, blv = 73;

  g_assert_cmpuint (vi_vae_get_n_params (vae), ==, 35 + 5 + 15 + 3 + 15 + 3 + 15 + 5 + 35 + 7);
  g_assert_cmpuint (vi_vae_arch_n_params (&arch), ==, vi_vae_get_n_params (vae));
  /* PyTorch's nn.Linear start: uniform in ±1/√fan_in. */
  for (size_t i = 0; i < 40; i++)
    g_assert_cmpfloat (fabsf (p[i]), <=, 1 / sqrtf (7));
  vi_vae_dense_naive (h, x, p + w1, p + b1, 4, 7, 5);
  for (size_t i = 0; i < 20; i++)
    h[i] = fmaxf (h[i], 0);
  vi_vae_dense_naive (mu, h, p + wmu, p + bmu, 4, 5, 3);
  vi_vae_dense_naive (lv, h, p + wlv, p + blv, 4, 5, 3);
  g_assert_cmpint (vi_vae_encode (vae, x, 4, mu_got, lv_got), ==, VI_OK);
  for (size_t i = 0; i < 12; i++)
    {
      vi_assert_close (mu_got[i], mu[i], 1e-6, 1e-5);
      vi_assert_close (lv_got[i], lv[i], 1e-6, 1e-5);
    }
  vi_vae_free (vae);
}

static void
test_bernoulli (void)
{
  const float x[] = { 1, 0, 1, 0, 1, 0 };
  const float l[] = { 0.3f, -1.2f, 100, 100, -100, -100 };
  double got = vi_vae_bernoulli_loglik (x, l, 6);
  /* x log σ(l) + (1 − x) log(1 − σ(l)), written out; at ±100 the exact
   * values are −e⁻¹⁰⁰ ≈ 0 and −100. */
  double want = log (1 / (1 + exp (-0.3))) + log (1 - 1 / (1 + exp (1.2))) + 0 - 100 - 100 + 0;

  vi_assert_close (got, want, 1e-6, 1e-9);
}

static void
test_bernoulli_out (void)
{
  g_autoptr(gsl_rng) rng = vi_rng_create (20240605, 1);
  const size_t m = 795;   /* 784 + a tail that is not a multiple of 8 */
  g_autofree float *x = random_binary (rng, m), *l = g_new (float, m);
  g_autofree float *d1 = g_new (float, m), *d2 = g_new (float, m);
  double got, ref, exact;

  for (size_t i = 0; i < m; i++)
    l[i] = (float) gsl_ran_flat (rng, -30, 30);
  l[3] = 100, l[4] = -100, l[5] = 0;
  got = vi_vae_bernoulli_out (x, l, d1, m, 0.5f);
  ref = vi_vae_bernoulli_out_ref (x, l, d2, m, 0.5f);
  exact = vi_vae_bernoulli_loglik (x, l, m);
  /* Float terms of up to 30 nats, 4-ulp exp and log: 1e-5 relative. */
  vi_assert_close (got, exact, 1e-3, 1e-5);
  vi_assert_close (ref, exact, 1e-3, 1e-5);
  for (size_t i = 0; i < m; i++)
    {
      double p = 1 / (1 + exp (-(double) l[i]));

      vi_assert_close (d1[i], (x[i] - p) * 0.5, 1e-7, 1e-5);
      vi_assert_close (d2[i], (x[i] - p) * 0.5, 1e-7, 1e-5);
    }
}

/* The mean ELBO per image of a batch with fixed noise, in double. */
static double
mean_elbo (ViVae       *vae,
           const float *x,
           size_t       n,
           const float *eps)
{
  ViVaeTerms t;

  g_assert_cmpint (vi_vae_batch (vae, x, n, eps, NULL, &t), ==, VI_OK);
  return t.elbo / n;
}

static void
test_gradient (void)
{
  ViVaeArch arch = { 6, 2, { 5, 4 }, 2 };
  const size_t n = 3, S = 2;
  g_autoptr(gsl_rng) rng = vi_rng_create (20240602, 1);
  ViVae *vae = make_vae (&arch, n, S, 2);
  size_t np = vi_vae_get_n_params (vae);
  g_autofree float *x = random_binary (rng, n * 6), *eps = g_new (float, n * S * 2);
  g_autofree float *grad = g_new (float, np);
  float *p = vi_vae_get_params (vae);
  guint checked = 0, kinks = 0;
  double worst = 0, largest = 0;

  for (size_t i = 0; i < n * S * 2; i++)
    eps[i] = (float) gsl_ran_gaussian (rng, 1);
  g_assert_cmpint (vi_vae_batch (vae, x, n, eps, grad, NULL), ==, VI_OK);
  /* Central differences through the same float32 code: the ELBO (~ −5)
   * is summed in double from float terms, the rounding of which largely
   * cancels between f(θ + h) and f(θ − h) (measured: the difference is
   * off by at most 4e-6 with h = 1e-2, truncation h²f‴ included), so
   * 1e-4 absolute plus 0.1 % is a bound with room, not a fudge. A
   * difference that straddles a ReLU's kink is not a derivative: those
   * (the one-sided differences disagree) are skipped and counted. */
  for (size_t i = 0; i < np; i++)
    {
      const float h = 1e-2f, keep = p[i];
      double f0, fp, fm, fd, left, right;

      f0 = mean_elbo (vae, x, n, eps);
      p[i] = keep + h;
      fp = mean_elbo (vae, x, n, eps);
      p[i] = keep - h;
      fm = mean_elbo (vae, x, n, eps);
      p[i] = keep;
      fd = (fp - fm) / (2 * h);
      left = (f0 - fm) / h;
      right = (fp - f0) / h;
      if (fabs (left - right) > 0.05 * MAX (1, fabs (fd)))
        {
          kinks++;
          continue;
        }
      checked++;
      largest = MAX (largest, fabs (grad[i]));
      worst = MAX (worst, fabs (fd - grad[i]) / (1e-4 + 1e-3 * fabs (fd)));
      if (fabs (fd - grad[i]) > 1e-4 + 1e-3 * fabs (fd))
        g_error ("parameter %zu: gradient %.6g, central difference %.6g", i, grad[i], fd);
    }
  g_test_message ("gradient: %u parameters checked, %u at a kink skipped, worst %.3f of "
                  "the tolerance, largest |∂| %.3f", checked, kinks, worst, largest);
  g_assert_cmpuint (checked, >=, np * 9 / 10);
  /* Not a vacuous check: the gradient is far from zero. */
  g_assert_cmpfloat (largest, >, 0.1);
  vi_vae_free (vae);
}

static void
test_kl_monte_carlo (void)
{
  ViVaeArch arch = { 10, 1, { 8 }, 3 };
  g_autoptr(gsl_rng) rng = vi_rng_create (20240603, 1);
  ViVae *vae = make_vae (&arch, 1, 1, 3);
  g_autofree float *x = random_binary (rng, 10);
  float mu[3], lv[3], eps[3] = { 0, 0, 0 };
  ViVaeTerms t;
  const int N = 200000;
  double sum = 0, sum2 = 0, mean, se;

  /* Make q far from the prior so the KL is not small. */
  float *p = vi_vae_get_params (vae);
  size_t blv = 10 * 8 + 8 + 3 * 8 + 3 + 3 * 8;

  p[blv] += 1.5f;
  p[blv + 1] -= 2.0f;
  p[10 * 8 + 8 + 3 * 8] += 1.0f;   /* bμ[0] */
  g_assert_cmpint (vi_vae_encode (vae, x, 1, mu, lv), ==, VI_OK);
  g_assert_cmpint (vi_vae_batch (vae, x, 1, eps, NULL, &t), ==, VI_OK);
  for (int r = 0; r < N; r++)
    {
      double v = 0;

      for (int j = 0; j < 3; j++)
        {
          double s = exp (0.5 * lv[j]), e = gsl_ran_gaussian_ziggurat (rng, 1), z = mu[j] + s * e;

          /* log q(z) − log p(z), the 2π cancelling. */
          v += -0.5 * e * e - 0.5 * lv[j] + 0.5 * z * z;
        }
      sum += v;
      sum2 += v * v;
    }
  mean = sum / N;
  se = sqrt ((sum2 / N - mean * mean) / N);
  vi_assert_close (t.kl, mean, 5 * se, 0);
  g_assert_cmpfloat (t.kl, >, 1);
  vi_vae_free (vae);
}

static void
test_overfit (void)
{
  g_autoptr(GError) error = NULL;
  ViVaeArch arch = { 36, 1, { 64 }, 8 };
  const size_t n = 64, D = 36;
  g_autoptr(gsl_rng) rng = vi_rng_create (20240604, 1);
  ViVae *vae = make_vae (&arch, n, 1, 4);
  size_t np = vi_vae_get_n_params (vae);
  g_autofree float *x = random_binary (rng, n * D), *eps = g_new (float, n * 8);
  g_autofree float *grad = g_new (float, np);
  g_autofree double *iw = g_new (double, n);
  ViAdamF32 *adam = vi_adam_f32_create (np, 1e-2f, 0.9f, 0.999f, 1e-8f, &error);
  ViVaeTerms t = { 0 };
  double first = 0, iwae = 0;

  g_assert_no_error (error);
  for (int step = 0; step < 3000; step++)
    {
      for (size_t i = 0; i < n * 8; i++)
        eps[i] = (float) gsl_ran_gaussian_ziggurat (rng, 1);
      g_assert_cmpint (vi_vae_batch (vae, x, n, eps, grad, &t), ==, VI_OK);
      if (step == 0)
        first = t.elbo / n;
      g_assert_cmpint (vi_adam_f32_ascend (adam, vi_vae_get_params (vae), grad), ==, VI_OK);
    }
  /* 64 random patterns of 36 pixels at p = 0.4 carry 36 · H(0.4) = 24.2
   * nats each: a model that does not memorise them stays below −24; one
   * that does pays about log 64 = 4.2 nats of KL and little else. */
  g_test_message ("overfit: ELBO per image %.2f → %.2f (KL %.2f)", first, t.elbo / n, t.kl / n);
  g_assert_cmpfloat (first, <, -24);
  g_assert_cmpfloat (t.elbo / n, >, -12);
  /* The importance-weighted bound is at least the ELBO (up to its noise). */
  g_assert_cmpint (vi_vae_iwae (vae, x, n, 50, rng, iw), ==, VI_OK);
  for (size_t i = 0; i < n; i++)
    iwae += iw[i] / n;
  g_test_message ("IWAE (k = 50) %.2f", iwae);
  g_assert_cmpfloat (iwae, >=, t.elbo / n - 0.5);
  vi_adam_f32_free (adam);
  vi_vae_free (vae);
}

static void
test_refusals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(gsl_rng) rng = vi_rng_create (1, 0);
  ViVaeArch arch = { 784, 1, { 400 }, 0 };

  g_assert_null (vi_vae_create (&arch, 128, 1, rng, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_assert_cmpstr (error->message, ==, "latent: must be in [1, 512] (got 0)");
  g_clear_error (&error);
  arch.latent = 20;
  arch.n_hidden = 5;
  g_assert_null (vi_vae_create (&arch, 128, 1, rng, &error));
  g_assert_true (g_str_has_prefix (error->message, "hidden:"));
  /* The FLOP count of the reference 784-400-20 step: per image and sample,
   * forward 784·400 + 2·400·20 + 20·400 + 400·784 multiply–adds, backward
   * twice that less the first layer's input gradient. */
  arch.n_hidden = 1;
  vi_assert_close (vi_vae_arch_flops (&arch),
                   2.0 * (2 * 784 * 400 + 3 * 2 * 400 * 20 + 3 * 20 * 400 + 3 * 400 * 784), 0,
                   1e-12);
}

/* The standalone decoder over the decoder's parameters agrees with
 * vi_vae_decode, for one and two hidden layers. */
static void
test_decode_params (void)
{
  ViVaeArch archs[] = { { 7, 1, { 5 }, 3 }, { 9, 2, { 6, 4 }, 2 } };

  for (guint a = 0; a < G_N_ELEMENTS (archs); a++)
    {
      const ViVaeArch *arch = &archs[a];
      ViVae *vae = make_vae (arch, 4, 1, 5 + a);
      size_t off = vi_vae_arch_decoder_offset (arch), D = arch->n_in, L = arch->latent;
      float z[4 * 3], want[4 * 9], got[9];

      /* The decoder starts after the encoder and both heads. */
      g_assert_cmpuint (off, ==, a == 0 ? 35 + 5 + 2 * (15 + 3) : 54 + 6 + 24 + 4 + 2 * (8 + 2));
      for (size_t i = 0; i < 4 * L; i++)
        z[i] = (float) (i % 5) - 2.0f + 0.3f * a;
      g_assert_cmpint (vi_vae_decode (vae, z, 4, want), ==, VI_OK);
      for (size_t r = 0; r < 4; r++)
        {
          vi_vae_decode_params (arch, vi_vae_get_params (vae) + off, z + r * L, got);
          for (size_t p = 0; p < D; p++)
            vi_assert_close (got[p], want[r * D + p], 1e-6, 1e-5);
        }
      vi_vae_free (vae);
    }
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/vae/layout-encode", test_layout_and_encode);
  g_test_add_func ("/core/vae/bernoulli", test_bernoulli);
  g_test_add_func ("/core/vae/bernoulli-out", test_bernoulli_out);
  g_test_add_func ("/core/vae/gradient", test_gradient);
  g_test_add_func ("/core/vae/kl-monte-carlo", test_kl_monte_carlo);
  g_test_add_func ("/core/vae/overfit", test_overfit);
  g_test_add_func ("/core/vae/refusals", test_refusals);
  g_test_add_func ("/core/vae/decode-params", test_decode_params);
  return g_test_run ();
}
