/* test-rng.c — reproducible, independent streams
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

#include "vi-core-autocleanups.h"
#include "vi-rng.h"
#include "vi-test-util.h"

static void
test_splitmix_known_answer (void)
{
  /* First outputs of splitmix64 from state 0 (Vigna's reference code). */
  uint64_t s = 0;

  g_assert_cmphex (vi_rng_splitmix64 (&s), ==, G_GUINT64_CONSTANT (0xe220a8397b1dcdaf));
  g_assert_cmphex (vi_rng_splitmix64 (&s), ==, G_GUINT64_CONSTANT (0x6e789e6aa1b965f4));
  g_assert_cmphex (vi_rng_splitmix64 (&s), ==, G_GUINT64_CONSTANT (0x06c45d188009454f));
}

static void
test_reproducible (void)
{
  g_autoptr(gsl_rng) a = vi_rng_create (20240601, 3);
  g_autoptr(gsl_rng) b = vi_rng_create (20240601, 3);

  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (gsl_rng_get (a), ==, gsl_rng_get (b));

  vi_rng_reset (a, 20240601, 3);
  vi_rng_reset (b, 20240601, 3);
  g_assert_cmpuint (gsl_rng_get (a), ==, gsl_rng_get (b));
}

static void
test_streams_differ (void)
{
  /* Distinct (seed, stream) pairs get distinct stream seeds. */
  GHashTable *seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  static gint64 keys[64 * 64];

  for (int seed = 0; seed < 64; seed++)
    for (int stream = 0; stream < 64; stream++)
      {
        gint64 *k = &keys[seed * 64 + stream];
        *k = (gint64) vi_rng_stream_seed ((uint64_t) seed, (uint64_t) stream);
        g_assert_false (g_hash_table_contains (seen, k));
        g_hash_table_add (seen, k);
      }
  g_hash_table_unref (seen);
}

static void
test_streams_uncorrelated (void)
{
  /* Neighbouring streams of one seed: uniform draws have correlation within
   * 5 standard errors (1/sqrt(n)) of zero, and each stream has mean 1/2. */
  enum { N = 200000 };
  static double u[N], v[N];
  g_autoptr(gsl_rng) a = vi_rng_create (7, 0);
  g_autoptr(gsl_rng) b = vi_rng_create (7, 1);
  double r;

  for (int i = 0; i < N; i++)
    {
      u[i] = gsl_rng_uniform (a);
      v[i] = gsl_rng_uniform (b);
    }
  r = gsl_stats_correlation (u, 1, v, 1, N);
  g_assert_cmpfloat (fabs (r), <, 5.0 / sqrt (N));
  vi_assert_close (gsl_stats_mean (u, 1, N), 0.5, 5.0 * sqrt (1.0 / 12.0 / N), 0);
  vi_assert_close (gsl_stats_mean (v, 1, N), 0.5, 5.0 * sqrt (1.0 / 12.0 / N), 0);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/rng/splitmix-known-answer", test_splitmix_known_answer);
  g_test_add_func ("/core/rng/reproducible", test_reproducible);
  g_test_add_func ("/core/rng/streams-differ", test_streams_differ);
  g_test_add_func ("/core/rng/streams-uncorrelated", test_streams_uncorrelated);
  return g_test_run ();
}
