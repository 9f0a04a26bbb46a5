/* test-optim.c — optimiser state of any size and the float32 Adam step
 * against a double-precision reference, on large vectors and standard
 * problems
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "vi-core-autocleanups.h"
#include "vi-optim.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-test-util.h"

/* Kingma & Ba (2015) Algorithm 1 in double, literally: bias-corrected m̂ and
 * v̂, ε outside the square root; ascent. One entry at a time. */
typedef struct
{
  double lr, b1, b2, eps;
} Hyper;

static double
ref_step (const Hyper *h,
          double      *m,
          double      *v,
          double       x,
          double       g,
          size_t       t)
{
  double mhat, vhat;

  *m = h->b1 * *m + (1.0 - h->b1) * g;
  *v = h->b2 * *v + (1.0 - h->b2) * g * g;
  mhat = *m / (1.0 - pow (h->b1, (double) t));
  vhat = *v / (1.0 - pow (h->b2, (double) t));
  return x + h->lr * mhat / (sqrt (vhat) + h->eps);
}

static ViAdamF32 *
adam_new (size_t       dim,
          const float *hyper)
{
  g_autoptr(GError) error = NULL;
  ViAdamF32 *adam = vi_adam_f32_create (dim, hyper[0], hyper[1], hyper[2], hyper[3], &error);

  g_assert_no_error (error);
  g_assert_nonnull (adam);
  return adam;
}

static void
test_adam_f32_reference (void)
{
  static const float hypers[][4] = {
    { 1e-3f, 0.9f, 0.999f, 1e-8f },
    { 0.05f, 0.5f, 0.99f, 1e-4f },
  };
  const size_t dim = 17, steps = 40;

  for (gsize h = 0; h < G_N_ELEMENTS (hypers); h++)
    {
      g_autoptr(gsl_rng) rng = vi_rng_create (20240601, h);
      ViAdamF32 *adam = adam_new (dim, hypers[h]);
      Hyper hy = { hypers[h][0], hypers[h][1], hypers[h][2], hypers[h][3] };
      float x[17], g[17];
      double xd[17], m[17] = { 0 }, v[17] = { 0 };

      for (size_t i = 0; i < dim; i++)
        xd[i] = x[i] = (float) (5.0 + gsl_rng_uniform (rng));
      for (size_t t = 1; t <= steps; t++)
        {
          for (size_t i = 0; i < dim; i++)
            {
              /* Mixed scales, and an entry whose gradient is always 0. */
              double scale = pow (10.0, (double) (i % 5) - 2.0);

              g[i] = i == 0 ? 0.0f : (float) ((gsl_rng_uniform (rng) - 0.3) * scale);
              xd[i] = ref_step (&hy, &m[i], &v[i], xd[i], g[i], t);
            }
          g_assert_cmpint (vi_adam_f32_ascend (adam, x, g), ==, VI_OK);
          for (size_t i = 0; i < dim; i++)
            vi_assert_close ((double) x[i], xd[i], 0.0, 1e-6);
        }
      g_assert_cmpuint (vi_adam_f32_get_iteration (adam), ==, steps);
      vi_adam_f32_free (adam);
    }
}

/* 4 Mi entries, three steps; every entry is independent, so sampled entries
 * are checked against the reference run on those entries alone. */
static void
test_adam_f32_large (void)
{
  static const float hyper[4] = { 1e-3f, 0.9f, 0.999f, 1e-8f };
  const size_t dim = (size_t) 4 << 20;
  g_autofree float *x = g_new (float, dim), *g = g_new (float, dim);
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 9);
  ViAdamF32 *adam = adam_new (dim, hyper);
  Hyper hy = { hyper[0], hyper[1], hyper[2], hyper[3] };
  size_t sample[256];
  double xd[256], m[256] = { 0 }, v[256] = { 0 };

  for (size_t i = 0; i < dim; i++)
    x[i] = (float) (1.0 + 0.5 * sin (0.001 * (double) i));
  for (size_t s = 0; s < G_N_ELEMENTS (sample); s++)
    {
      sample[s] = s == 0 ? 0 : s == 1 ? dim - 1 : gsl_rng_uniform_int (rng, dim);
      xd[s] = x[sample[s]];
    }
  for (size_t t = 1; t <= 3; t++)
    {
      for (size_t i = 0; i < dim; i++)
        g[i] = (float) (cos (0.37 * (double) (i + t)) * (double) (1 + i % 7));
      g_assert_cmpint (vi_adam_f32_ascend (adam, x, g), ==, VI_OK);
      for (size_t s = 0; s < G_N_ELEMENTS (sample); s++)
        {
          xd[s] = ref_step (&hy, &m[s], &v[s], xd[s], g[sample[s]], t);
          vi_assert_close ((double) x[sample[s]], xd[s], 0.0, 1e-6);
        }
    }
  vi_adam_f32_free (adam);
}

/* Ascend −Rosenbrock from (−1.2, 1) (GSL multimin's start), as
 * test-bbvi's optim-rosenbrock does for the double optimisers. */
static void
test_adam_f32_rosenbrock (void)
{
  static const float hyper[4] = { 0.01f, 0.9f, 0.999f, 1e-8f };
  ViAdamF32 *adam = adam_new (2, hyper);
  float x[2] = { -1.2f, 1.0f };

  for (int i = 0; i < 200000; i++)
    {
      float g[2] = { -(-2.0f * (1.0f - x[0]) - 400.0f * x[0] * (x[1] - x[0] * x[0])),
                     -(200.0f * (x[1] - x[0] * x[0])) };

      g_assert_cmpint (vi_adam_f32_ascend (adam, x, g), ==, VI_OK);
    }
  g_test_message ("x = (%g, %g)", (double) x[0], (double) x[1]);
  vi_assert_close ((double) x[0], 1.0, 1e-3, 0);
  vi_assert_close ((double) x[1], 1.0, 2e-3, 0);
  vi_adam_f32_free (adam);
}

/* Ascend −Σ cᵢ (xᵢ − aᵢ)² over 10⁴ entries with curvatures over four
 * decades. With a constant rate Adam circles the optimum at a distance of
 * order α; the rate α (100/(100 + t))^0.6, set between steps, lets every
 * entry settle on its aᵢ. */
static void
test_adam_f32_quadratic (void)
{
  static const float hyper[4] = { 0.01f, 0.9f, 0.999f, 1e-8f };
  const size_t dim = 10000;
  g_autofree float *x = g_new0 (float, dim), *g = g_new (float, dim);
  g_autofree float *a = g_new (float, dim), *c = g_new (float, dim);
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 3);
  ViAdamF32 *adam = adam_new (dim, hyper);

  for (size_t i = 0; i < dim; i++)
    {
      a[i] = (float) (4.0 * gsl_rng_uniform (rng) - 2.0);
      c[i] = (float) pow (10.0, 4.0 * gsl_rng_uniform (rng) - 2.0);
    }
  for (int t = 0; t < 5000; t++)
    {
      float lr = (float) (0.01 * pow (100.0 / (100.0 + t), 0.6));

      g_assert_true (vi_adam_f32_set_learning_rate (adam, lr, NULL));
      for (size_t i = 0; i < dim; i++)
        g[i] = -2.0f * c[i] * (x[i] - a[i]);
      g_assert_cmpint (vi_adam_f32_ascend (adam, x, g), ==, VI_OK);
    }
  for (size_t i = 0; i < dim; i++)
    vi_assert_close ((double) x[i], (double) a[i], 1e-4, 0);
  vi_adam_f32_free (adam);
}

static void
test_adam_f32_nonfinite (void)
{
  static const float hyper[4] = { 0.1f, 0.9f, 0.999f, 1e-8f };
  ViAdamF32 *adam = adam_new (5, hyper), *fresh = adam_new (5, hyper);
  const float x0[5] = { 1, 2, 3, 4, 5 };
  const float bad[3] = { NAN, INFINITY, -INFINITY };
  float x[5], y[5], g[5] = { 0.5f, -1, 2, 0.25f, 3 };

  for (gsize b = 0; b < G_N_ELEMENTS (bad); b++)
    {
      float gb[5];

      memcpy (x, x0, sizeof x);
      memcpy (gb, g, sizeof g);
      gb[3] = bad[b];
      g_assert_cmpint (vi_adam_f32_ascend (adam, x, gb), ==, VI_ENONFINITE);
      g_assert_cmpmem (x, sizeof x, x0, sizeof x0);
      g_assert_cmpuint (vi_adam_f32_get_iteration (adam), ==, 0);
    }
  /* A non-finite x is refused the same way. */
  memcpy (y, x0, sizeof y);
  y[4] = NAN;
  g_assert_cmpint (vi_adam_f32_ascend (adam, y, g), ==, VI_ENONFINITE);
  g_assert_cmpuint (vi_adam_f32_get_iteration (adam), ==, 0);
  /* The state was untouched: the next good step is a first step. */
  memcpy (y, x0, sizeof y);
  g_assert_cmpint (vi_adam_f32_ascend (adam, x, g), ==, VI_OK);
  g_assert_cmpint (vi_adam_f32_ascend (fresh, y, g), ==, VI_OK);
  g_assert_cmpmem (x, sizeof x, y, sizeof y);
  vi_adam_f32_free (adam);
  vi_adam_f32_free (fresh);
  vi_adam_f32_free (NULL);
}

/* Adam split into ranges (the VAE's threads each update one): a split on
 * multiples of 8, in any order, gives the same x, m and v as whole steps,
 * bit for bit. (Elsewhere a range's last entries would go through the
 * scalar tail, which rounds the FMA's product once more.) */
static void
test_adam_f32_ranges (void)
{
  static const float hyper[4] = { 1e-3f, 0.9f, 0.999f, 1e-8f };
  static const size_t cuts[] = { 0, 8, 512, 520, 1001 };   /* 1001: not a multiple of 8 */
  const size_t dim = 1001;
  ViAdamF32 *whole = adam_new (dim, hyper), *split = adam_new (dim, hyper);
  g_autofree float *x = g_new (float, dim), *y = g_new (float, dim), *g = g_new (float, dim);
  g_autoptr(gsl_rng) rng = vi_rng_create (7, 0);

  for (size_t i = 0; i < dim; i++)
    x[i] = y[i] = (float) gsl_ran_gaussian (rng, 1.0);
  for (int t = 0; t < 5; t++)
    {
      ViAdamF32Step step;

      for (size_t i = 0; i < dim; i++)
        g[i] = (float) gsl_ran_gaussian (rng, 1.0 + t);
      g_assert_cmpint (vi_adam_f32_ascend (whole, x, g), ==, VI_OK);
      vi_adam_f32_begin (split, &step);
      /* Last range first. */
      for (size_t c = G_N_ELEMENTS (cuts) - 1; c-- > 0;)
        vi_adam_f32_update_range (split, &step, y, g, cuts[c], cuts[c + 1]);
    }
  g_assert_cmpuint (vi_adam_f32_get_iteration (split), ==, 5);
  g_assert_cmpmem (x, dim * sizeof (float), y, dim * sizeof (float));
  g_assert_cmpmem (vi_adam_f32_get_m (whole), dim * sizeof (float), vi_adam_f32_get_m (split),
                   dim * sizeof (float));
  g_assert_cmpmem (vi_adam_f32_get_v (whole), dim * sizeof (float), vi_adam_f32_get_v (split),
                   dim * sizeof (float));
  vi_adam_f32_free (whole);
  vi_adam_f32_free (split);
}

/* Every NaN and infinity is found wherever it is (the vector body and the
 * tail); the extreme finite values are finite. */
static void
test_all_finite (void)
{
  static const size_t lengths[] = { 1, 7, 8, 9, 33, 1000 };
  const float bad[] = { NAN, -NAN, INFINITY, -INFINITY };
  const float good[] = { FLT_MAX, -FLT_MAX, FLT_MIN, 1.4e-45f /* the least subnormal */, -0.0f };
  float x[1000] = { 0 };

  g_assert_true (vi_f32_all_finite (x, 0));
  for (size_t l = 0; l < G_N_ELEMENTS (lengths); l++)
    {
      size_t n = lengths[l];

      for (size_t i = 0; i < n; i++)
        x[i] = good[i % G_N_ELEMENTS (good)];
      g_assert_true (vi_f32_all_finite (x, n));
      for (size_t p = 0; p < n; p++)
        for (size_t b = 0; b < G_N_ELEMENTS (bad); b++)
          {
            float keep = x[p];

            x[p] = bad[b];
            g_assert_false (vi_f32_all_finite (x, n));
            /* Past the length it is not looked at. */
            g_assert_true (p == 0 || vi_f32_all_finite (x, p));
            x[p] = keep;
          }
    }
}

static void
test_adam_f32_create_errors (void)
{
  static const struct { size_t dim; float h[4]; const char *key; int code; } bad[] = {
    { 0, { 1e-3f, 0.9f, 0.999f, 1e-8f }, "dim", VI_EINVAL },
    { 1, { 0.0f, 0.9f, 0.999f, 1e-8f }, "learning-rate", VI_EDOM },
    { 1, { NAN, 0.9f, 0.999f, 1e-8f }, "learning-rate", VI_EDOM },
    { 1, { 1e-3f, 1.0f, 0.999f, 1e-8f }, "beta1", VI_EDOM },
    { 1, { 1e-3f, -0.1f, 0.999f, 1e-8f }, "beta1", VI_EDOM },
    { 1, { 1e-3f, 0.9f, 1.0f, 1e-8f }, "beta2", VI_EDOM },
    { 1, { 1e-3f, 0.9f, 0.999f, 0.0f }, "epsilon", VI_EDOM },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (vi_adam_f32_create (bad[i].dim, bad[i].h[0], bad[i].h[1], bad[i].h[2],
                                         bad[i].h[3], &error));
      g_assert_error (error, VI_ERROR, bad[i].code);
      g_assert_true (g_str_has_prefix (error->message, bad[i].key));
    }
  {
    static const float ok[4] = { 1e-3f, 0.9f, 0.999f, 1e-8f };
    g_autoptr(GError) error = NULL;
    ViAdamF32 *adam = adam_new (1, ok);

    g_assert_false (vi_adam_f32_set_learning_rate (adam, -1.0f, &error));
    g_assert_error (error, VI_ERROR, VI_EDOM);
    g_assert_true (g_str_has_prefix (error->message, "learning-rate"));
    vi_adam_f32_free (adam);
  }
}

/* The double optimisers past the old 64-entry cap: every entry of a
 * separable problem in 1000 dimensions follows, bit for bit, the same
 * optimiser run on that entry alone. */
static void
test_large_dim (gconstpointer data)
{
  const char *name = data;
  const size_t dim = 1000;
  g_autofree double *x = g_new (double, dim), *g = g_new (double, dim);
  double x1[3];
  ViOptimizer *big = vi_optimizer_create (name, dim, 0.05, NULL);

  for (size_t i = 0; i < dim; i++)
    x[i] = (double) i / 100.0 - 3.0;
  for (int t = 0; t < 50; t++)
    {
      for (size_t i = 0; i < dim; i++)
        g[i] = -2.0 * (x[i] - 1.0) * (1.0 + (double) (i % 3));
      g_assert_cmpint (vi_optimizer_step (big, x, g), ==, VI_OK);
    }
  for (size_t i = 0; i < dim; i += 333)
    {
      ViOptimizer *one = vi_optimizer_create (name, 1, 0.05, NULL);

      x1[0] = (double) i / 100.0 - 3.0;
      for (int t = 0; t < 50; t++)
        {
          x1[1] = -2.0 * (x1[0] - 1.0) * (1.0 + (double) (i % 3));
          g_assert_cmpint (vi_optimizer_step (one, x1, &x1[1]), ==, VI_OK);
        }
      g_assert_cmpfloat (x[i], ==, x1[0]);
      vi_optimizer_free (one);
    }
  vi_optimizer_free (big);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/optim/adam-f32-reference", test_adam_f32_reference);
  g_test_add_func ("/core/optim/adam-f32-large", test_adam_f32_large);
  g_test_add_func ("/core/optim/adam-f32-rosenbrock", test_adam_f32_rosenbrock);
  g_test_add_func ("/core/optim/adam-f32-quadratic", test_adam_f32_quadratic);
  g_test_add_func ("/core/optim/adam-f32-nonfinite", test_adam_f32_nonfinite);
  g_test_add_func ("/core/optim/adam-f32-ranges", test_adam_f32_ranges);
  g_test_add_func ("/core/optim/all-finite", test_all_finite);
  g_test_add_func ("/core/optim/adam-f32-create-errors", test_adam_f32_create_errors);
  g_test_add_data_func ("/core/optim/large-dim/rm", "rm", test_large_dim);
  g_test_add_data_func ("/core/optim/large-dim/adagrad", "adagrad", test_large_dim);
  g_test_add_data_func ("/core/optim/large-dim/adam", "adam", test_large_dim);
  return g_test_run ();
}
