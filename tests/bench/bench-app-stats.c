/* bench-app-stats.c — quantiles, median and min–max summaries, tick gaps,
 * the soak's verdict
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench-app.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_quantile (double *v,
                gsize   n,
                double  q)
{
  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (double), compare_double);
  return v[(gsize) (CLAMP (q, 0.0, 1.0) * (double) (n - 1))];
}

void
bench_summarise (double       *v,
                 gsize         n,
                 BenchSummary *out)
{
  out->n = (guint) n;
  if (n == 0)
    {
      out->median = out->min = out->max = NAN;
      return;
    }
  qsort (v, n, sizeof (double), compare_double);
  /* The median of an even count is the mean of the middle two. */
  out->median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  out->min = v[0];
  out->max = v[n - 1];
}

char *
bench_summary_format (const BenchSummary *s,
                      int                 decimals,
                      const char         *unit,
                      const char         *what)
{
  if (s->n == 0)
    return g_strdup ("—");
  return g_strdup_printf ("%.*f %s (min–max %.*f–%.*f) over %u %s",
                          decimals, s->median, unit, decimals, s->min, decimals, s->max,
                          s->n, what);
}

void
bench_gaps_from_ticks (const BenchTick *ticks,
                       gsize            n,
                       BenchGaps       *out)
{
  g_autofree double *gaps = NULL, *cpu = NULL;

  out->n_ticks = (guint) n;
  out->n_long = out->n_long_stolen = 0;
  out->p50 = out->p95 = out->max = NAN;
  out->cpu_p50 = out->cpu_p95 = out->cpu_max = NAN;
  if (n < 2)
    return;
  gaps = g_new (double, n - 1);
  cpu = g_new (double, n - 1);
  for (gsize i = 1; i < n; i++)
    {
      gaps[i - 1] = (ticks[i].wall_us - ticks[i - 1].wall_us) / 1e3;
      cpu[i - 1] = (ticks[i].cpu_us - ticks[i - 1].cpu_us) / 1e3;
      if (gaps[i - 1] > BENCH_GAP_MAX_MS)
        {
          out->n_long++;
          if (ticks[i - 1].steal_ms >= 0 && ticks[i].steal_ms >= 0
              && ticks[i].steal_ms - ticks[i - 1].steal_ms >= BENCH_GAP_STEAL_MS)
            out->n_long_stolen++;
        }
    }
  out->p95 = bench_quantile (gaps, n - 1, 0.95);
  out->p50 = bench_quantile (gaps, n - 1, 0.5);
  out->max = gaps[n - 2];  /* sorted by bench_quantile */
  out->cpu_p95 = bench_quantile (cpu, n - 1, 0.95);
  out->cpu_p50 = bench_quantile (cpu, n - 1, 0.5);
  out->cpu_max = cpu[n - 2];
}

void
bench_soak_judge (const double     *t,
                  const double     *rss,
                  gsize             n,
                  const double     *p95,
                  const double     *steal,
                  gsize             n_windows,
                  double            warmup,
                  BenchSoakVerdict *out)
{
  out->base = out->growth = NAN;
  out->n_after = out->n_bad = out->n_stolen = out->n_stolen_bad = 0;
  for (gsize i = 0; i < n; i++)
    if (t[i] >= warmup)
      {
        if (out->n_after++ == 0)
          out->base = rss[i];
        out->growth = isnan (out->growth) ? rss[i] - out->base
                                          : MAX (out->growth, rss[i] - out->base);
      }
  for (gsize i = 0; i < n_windows; i++)
    {
      gboolean bad = !(p95[i] <= BENCH_P95_MAX_MS);

      if (steal != NULL && steal[i] > BENCH_STEAL_MAX_PCT)
        {
          out->n_stolen++;
          out->n_stolen_bad += bad;
        }
      else
        out->n_bad += bad;
    }
  out->rss_ok = out->n_after >= 2 && out->growth <= BENCH_RSS_GROWTH_MB;
  out->p95_measured = n_windows > out->n_stolen
    && out->n_stolen <= BENCH_STEAL_MAX_WINDOWS * n_windows;
  out->p95_ok = out->p95_measured && out->n_bad == 0;
}

static gboolean
read_cpu_times (guint64 *total,
                guint64 *steal)
{
  g_autofree char *stat = NULL;
  guint64 v[8] = { 0 };

  if (!g_file_get_contents ("/proc/stat", &stat, NULL, NULL)
      || !g_str_has_prefix (stat, "cpu ")
      || sscanf (stat + 4, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                 " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                 " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
    return FALSE;
  /* user nice system idle iowait irq softirq steal */
  *total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
  *steal = v[7];
  return TRUE;
}

gint64
bench_steal_ms (void)
{
  static long hz;
  guint64 total, steal;

  if (hz == 0)
    hz = sysconf (_SC_CLK_TCK);
  if (hz <= 0 || !read_cpu_times (&total, &steal))
    return -1;
  return (gint64) (steal * 1000 / (guint64) hz);
}

double
bench_steal_pct (void)
{
  static guint64 last_total, last_steal;
  static gboolean have_last;
  guint64 total, steal;
  double pct = NAN;

  if (!read_cpu_times (&total, &steal))
    {
      have_last = FALSE;
      return NAN;
    }
  if (have_last && total > last_total && steal >= last_steal)
    pct = 100.0 * (double) (steal - last_steal) / (double) (total - last_total);
  last_total = total;
  last_steal = steal;
  have_last = TRUE;
  return pct;
}

/* ---- self-test ----------------------------------------------------------- */

static void
test_quantile (void)
{
  /* Nearest rank on index q (n − 1), rounded down, against a naive count:
   * the q-quantile is the smallest value with at least ⌊q (n − 1)⌋ values
   * below it. */
  double v[101];
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    v[i] = (double) ((i * 37) % 101);  /* a permutation of 0 … 100 */
  g_assert_cmpfloat (bench_quantile (v, 101, 0.95), ==, 95);
  g_assert_cmpfloat (bench_quantile (v, 101, 0.5), ==, 50);
  g_assert_cmpfloat (bench_quantile (v, 101, 0), ==, 0);
  g_assert_cmpfloat (bench_quantile (v, 101, 1), ==, 100);
  g_assert_true (isnan (bench_quantile (v, 0, 0.5)));
  for (guint trial = 0; trial < 50; trial++)
    {
      gsize n = 1 + g_rand_int_range (rand, 0, 60);
      double w[60], q = g_rand_double (rand), got;
      gsize below = 0;

      for (gsize i = 0; i < n; i++)
        w[i] = g_rand_double_range (rand, -5, 5);
      got = bench_quantile (w, n, q);
      for (gsize i = 0; i < n; i++)
        below += w[i] < got;
      g_assert_cmpuint (below, ==, (gsize) (q * (double) (n - 1)));
    }
  g_rand_free (rand);
}

static void
test_summary (void)
{
  double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 2, 10 };
  BenchSummary s;
  g_autofree char *text = NULL;

  bench_summarise (odd, 3, &s);
  g_assert_cmpfloat (s.median, ==, 3);
  g_assert_cmpfloat (s.min, ==, 1);
  g_assert_cmpfloat (s.max, ==, 5);
  bench_summarise (even, 4, &s);
  g_assert_cmpfloat (s.median, ==, 3);
  g_assert_cmpfloat (s.max, ==, 10);
  text = bench_summary_format (&s, 1, "ms", "runs");
  g_assert_cmpstr (text, ==, "3.0 ms (min–max 1.0–10.0) over 4 runs");
  bench_summarise (even, 0, &s);
  g_assert_true (isnan (s.median));
}

static void
test_gaps (void)
{
  /* 20 frames 16 ms apart, then one of 150 ms and one of 101 ms; the main
   * thread works 2 ms a frame, 40 ms in the longest one. The host steals
   * 10 ms during an ordinary frame and 50 ms during the 150-ms one, 49 ms
   * during the 101-ms one. */
  BenchTick t[22];
  BenchGaps g;

  t[0].wall_us = 1000000;
  t[0].cpu_us = 5000;
  t[0].steal_ms = 700;
  for (guint i = 1; i < 22; i++)
    {
      t[i].wall_us = t[i - 1].wall_us + (i < 20 ? 16000 : i == 20 ? 150000 : 101000);
      t[i].cpu_us = t[i - 1].cpu_us + (i == 20 ? 40000 : 2000);
      t[i].steal_ms = t[i - 1].steal_ms + (i < 20 ? 10 : i == 20 ? 50 : 49);
    }
  bench_gaps_from_ticks (t, 22, &g);
  g_assert_cmpuint (g.n_ticks, ==, 22);
  g_assert_cmpuint (g.n_long, ==, 2);
  g_assert_cmpuint (g.n_long_stolen, ==, 1);
  g_assert_cmpfloat_with_epsilon (g.max, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (g.p50, 16, 1e-9);
  /* 21 gaps: index ⌊0.95 · 20⌋ = 19 of the sorted gaps is the 101 ms one. */
  g_assert_cmpfloat_with_epsilon (g.p95, 101, 1e-9);
  g_assert_cmpfloat_with_epsilon (g.cpu_p50, 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (g.cpu_p95, 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (g.cpu_max, 40, 1e-9);
  /* Steal not known at one end of the gap: not counted as stolen. */
  t[19].steal_ms = -1;
  bench_gaps_from_ticks (t, 22, &g);
  g_assert_cmpuint (g.n_long, ==, 2);
  g_assert_cmpuint (g.n_long_stolen, ==, 0);
  bench_gaps_from_ticks (t, 1, &g);
  g_assert_true (isnan (g.p95));
  g_assert_cmpuint (g.n_long, ==, 0);
  g_assert_cmpuint (g.n_long_stolen, ==, 0);
}

static void
test_soak_judge (void)
{
  /* 40 MB during the warm-up do not count; after it, 120 → 118 → 129.5:
   * +9.5 MB from the first sample after it to the largest. */
  double t[] = { 10, 20, 30, 40, 50 }, rss[] = { 80, 120, 120, 118, 129.5 };
  double p95[] = { 17, 24.9, 25, 16 }, p95_bad[] = { 17, NAN, 26 };
  BenchSoakVerdict v;

  bench_soak_judge (t, rss, 5, p95, NULL, 4, 20, &v);
  g_assert_cmpuint (v.n_after, ==, 4);
  g_assert_cmpfloat (v.base, ==, 120);
  g_assert_cmpfloat_with_epsilon (v.growth, 9.5, 1e-12);
  g_assert_true (v.rss_ok);
  g_assert_cmpuint (v.n_bad, ==, 0);
  g_assert_true (v.p95_ok);
  rss[4] = 130.5;
  bench_soak_judge (t, rss, 5, p95_bad, NULL, 3, 20, &v);
  g_assert_false (v.rss_ok);
  /* A window without two ticks (NaN) is a miss, as is one over 25 ms. */
  g_assert_cmpuint (v.n_bad, ==, 2);
  g_assert_false (v.p95_ok);
  /* One sample after the warm-up is no verdict on growth; no windows is
   * no verdict on the gaps. */
  bench_soak_judge (t, rss, 5, p95, NULL, 0, 50, &v);
  g_assert_cmpuint (v.n_after, ==, 1);
  g_assert_false (v.rss_ok);
  g_assert_false (v.p95_ok);
  g_assert_false (v.p95_measured);
}

static void
test_soak_steal (void)
{
  double t[20], rss[20], p95[20], steal[20];
  BenchSoakVerdict v;

  for (guint i = 0; i < 20; i++)
    {
      t[i] = 10.0 * (i + 1);
      rss[i] = 100;
      p95[i] = 18;
      steal[i] = i == 3 ? NAN : 1;
    }
  /* A window over 25 ms with 30 % stolen is the host's: left out. */
  p95[7] = 40;
  steal[7] = 30;
  bench_soak_judge (t, rss, 20, p95, steal, 20, 60, &v);
  g_assert_cmpuint (v.n_stolen, ==, 1);
  g_assert_cmpuint (v.n_stolen_bad, ==, 1);
  g_assert_cmpuint (v.n_bad, ==, 0);
  g_assert_true (v.p95_measured);
  g_assert_true (v.p95_ok);
  /* Without the steal figures it is a miss. */
  bench_soak_judge (t, rss, 20, p95, NULL, 20, 60, &v);
  g_assert_cmpuint (v.n_bad, ==, 1);
  g_assert_false (v.p95_ok);
  /* A window over 25 ms with little stolen (or unknown) still misses. */
  p95[3] = 26;
  bench_soak_judge (t, rss, 20, p95, steal, 20, 60, &v);
  g_assert_cmpuint (v.n_bad, ==, 1);
  g_assert_false (v.p95_ok);
  p95[3] = 18;
  /* 2 of 20 left out is the most (10 %); 3 is no verdict at all, even
   * with every judged window good. */
  steal[11] = 6;
  bench_soak_judge (t, rss, 20, p95, steal, 20, 60, &v);
  g_assert_true (v.p95_measured);
  g_assert_true (v.p95_ok);
  steal[12] = 5.5;
  bench_soak_judge (t, rss, 20, p95, steal, 20, 60, &v);
  g_assert_cmpuint (v.n_stolen, ==, 3);
  g_assert_false (v.p95_measured);
  g_assert_false (v.p95_ok);
  /* Exactly the limit (5 %) is judged. */
  steal[12] = 5.0;
  bench_soak_judge (t, rss, 20, p95, steal, 20, 60, &v);
  g_assert_cmpuint (v.n_stolen, ==, 2);
}

void
bench_stats_add_tests (void)
{
  g_test_add_func ("/bench/app/quantile", test_quantile);
  g_test_add_func ("/bench/app/summary", test_summary);
  g_test_add_func ("/bench/app/gaps", test_gaps);
  g_test_add_func ("/bench/app/soak-judge", test_soak_judge);
  g_test_add_func ("/bench/app/soak-steal", test_soak_steal);
}
