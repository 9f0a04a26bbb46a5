/* bench-app-soak.c — each page flat out for a long time: memory, history,
 * frame gaps sampled every few seconds (issue #13, "Soak")
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page runs its job flat out (the bench's settings, speed "As fast as
 * possible"); a finished run is followed at once by the next seed's, and a
 * fresh run is started every --restart seconds anyway (default: every
 * twelfth of the soak, 150 s in 30 minutes), so the history of
 * earlier runs fills up and is trimmed as it would be after a long
 * session. Every window of SAMPLE seconds gives: RSS, the runs the page
 * keeps, the longest trace it holds, and the frame-clock tick gaps.
 * Verdict per page: RSS growth ≤ 10 MB from the first sample after the
 * warm-up (the first minute, or half a shorter soak) to the largest after
 * it; at most 8 runs kept and no trace over BENCH_MAX_TRACE points; p95
 * tick gap ≤ 25 ms in every window. Each window also gives the share of
 * CPU time the hypervisor stole: on a shared host it can reach 50 %, and
 * then frame gaps measure the neighbours (bench_soak_judge).
 */
#include "config.h"

#include <math.h>

#include "bench-app.h"
#include "vi-plot-cache.h"

typedef struct
{
  GArray *t;      /* double: seconds since the start */
  GArray *rss;    /* double: MB */
  GArray *p95;    /* double: ms, per window */
  GArray *steal;  /* double: % of CPU time stolen, per window (NaN: unknown) */
  guint   max_runs;
  guint   images;   /* vi_plot_cache_images_made () at the last sample */
  gint64  max_trace;
  double  max_gap;
  guint   n_long;
  guint   n_long_stolen;
  char   *failure;
} Soak;

static void
soak_clear (Soak *s)
{
  g_clear_pointer (&s->t, g_array_unref);
  g_clear_pointer (&s->rss, g_array_unref);
  g_clear_pointer (&s->p95, g_array_unref);
  g_clear_pointer (&s->steal, g_array_unref);
  g_clear_pointer (&s->failure, g_free);
}

static void
sample (Soak       *s,
        const char *name,
        double      t)
{
  g_autoptr(GArray) ticks = bench_ticks_take ();
  BenchGaps g;
  double rss = bench_rss_kb () / 1024.0;
  guint runs = bench_page_n_runs ();
  gint64 trace = bench_page_trace_points ();
  double switch_cpu, switch_ms = bench_page_take_switch_ms (&switch_cpu);
  guint images = vi_plot_cache_images_made ();
  double steal = bench_steal_pct ();

  bench_gaps_from_ticks ((const BenchTick *) ticks->data, ticks->len, &g);
  g_array_append_val (s->t, t);
  g_array_append_val (s->rss, rss);
  g_array_append_val (s->p95, g.p95);
  g_array_append_val (s->steal, steal);
  s->max_runs = MAX (s->max_runs, runs);
  s->max_trace = trace < 0 || s->max_trace < 0 ? -1 : MAX (s->max_trace, trace);
  if (!isnan (g.max))
    s->max_gap = MAX (s->max_gap, g.max);
  s->n_long += g.n_long;
  s->n_long_stolen += g.n_long_stolen;
  g_print ("soak %-7s t %5.0f s  RSS %7.1f MB  runs %u  trace %" G_GINT64_FORMAT
           "  ticks %4u  gap p50 %5.1f p95 %5.1f max %6.1f ms  >100 ms %u (%u stolen)  "
           "CPU/frame p95 %5.1f ms  run switch %.0f ms (CPU %.0f ms)  %.0f steps/s  "
           "plot images made %u  host steal %.0f%%\n",
           name, t, rss, runs, trace, g.n_ticks, g.p50, g.p95, g.max, g.n_long, g.n_long_stolen,
           g.cpu_p95, switch_ms, switch_cpu, bench_page_steps_per_second (), images - s->images,
           steal);
  s->images = images;
}

/* Prints the page's verdict; returns TRUE when every target is met. */
static gboolean
verdict (Soak       *s,
         const char *name,
         double      warmup)
{
  g_autofree double *after = g_new (double, MAX (s->rss->len, 1));
  g_autofree char *rss_text = NULL, *p95_text = NULL;
  g_autofree double *p95 = g_memdup2 (s->p95->data, MAX (s->p95->len, 1) * sizeof (double));
  BenchSummary rss_sum, p95_sum;
  BenchSoakVerdict v;
  gboolean hist_ok;
  guint n_after = 0;

  bench_soak_judge ((const double *) s->t->data, (const double *) s->rss->data, s->t->len,
                    (const double *) s->p95->data, (const double *) s->steal->data,
                    s->p95->len, warmup, &v);
  for (guint i = 0; i < s->t->len; i++)
    if (g_array_index (s->t, double, i) >= warmup)
      after[n_after++] = g_array_index (s->rss, double, i);
  bench_summarise (after, n_after, &rss_sum);
  bench_summarise (p95, s->p95->len, &p95_sum);
  rss_text = bench_summary_format (&rss_sum, 1, "MB", "samples after the warm-up");
  p95_text = bench_summary_format (&p95_sum, 1, "ms", "windows");
  hist_ok = s->max_runs <= BENCH_MAX_RUNS && s->max_trace <= BENCH_MAX_TRACE;
  g_print ("soak %-7s RSS %s; growth %+.1f MB from %.1f MB after %.0f s warm-up "
           "(target ≤ +%.0f)%s: %s\n",
           name, rss_text, v.growth, v.base, warmup, BENCH_RSS_GROWTH_MB,
           v.n_after < 2 ? " — too few samples after the warm-up" : "",
           v.rss_ok ? "ok" : "MISSED");
  g_print ("soak %-7s history: at most %u runs kept (target ≤ %d), longest trace %"
           G_GINT64_FORMAT " points%s (target ≤ %d): %s\n",
           name, s->max_runs, BENCH_MAX_RUNS, s->max_trace,
           s->max_trace < 0 ? " (the bench does not know this page's snapshot)" : "",
           BENCH_MAX_TRACE, hist_ok ? "bounded" : "UNBOUNDED");
  g_print ("soak %-7s frame-gap p95 %s, %u over %.0f ms (target: every window); "
           "max gap %.1f ms, %u gaps > %.0f ms (%u with ≥ %d ms stolen by the host during "
           "the gap); %u windows left out for host steal over %.0f%% (%u of them over "
           "%.0f ms; at most %.0f%% may be): %s\n",
           name, p95_text, v.n_bad, BENCH_P95_MAX_MS, s->max_gap, s->n_long, BENCH_GAP_MAX_MS,
           s->n_long_stolen, BENCH_GAP_STEAL_MS,
           v.n_stolen, BENCH_STEAL_MAX_PCT, v.n_stolen_bad, BENCH_P95_MAX_MS,
           100 * BENCH_STEAL_MAX_WINDOWS,
           v.p95_ok ? "ok" : v.p95_measured ? "MISSED" : "NOT MEASURED (host steal)");
  return v.rss_ok && hist_ok && v.p95_ok;
}

static gboolean
soak_page (const ViPageInfo *info,
           double            total,
           double            sample_s,
           double            restart_s)
{
  Soak s = { 0 };
  double warmup = MIN (60.0, total / 2);
  double restart_every = MAX (sample_s, restart_s > 0 ? restart_s : total / 12);
  double next_sample = sample_s, next_restart = restart_every, t = 0;
  g_autofree char *why = NULL;
  gboolean ok = FALSE;
  gint64 t0;

  g_print ("# soak %s: %.1f min flat out, a sample every %.0f s, a fresh run every %.0f s, "
           "warm-up %.0f s\n", info->name, total / 60, sample_s, restart_every, warmup);
  s.t = g_array_new (FALSE, FALSE, sizeof (double));
  s.rss = g_array_new (FALSE, FALSE, sizeof (double));
  s.images = vi_plot_cache_images_made ();
  s.p95 = g_array_new (FALSE, FALSE, sizeof (double));
  s.steal = g_array_new (FALSE, FALSE, sizeof (double));
  if (!bench_page_start (info, 1, &why))
    {
      g_print ("soak %-7s NOT MEASURED: %s\n", info->name, why);
      soak_clear (&s);
      return FALSE;
    }
  bench_ticks_start ();
  (void) bench_steal_pct ();
  t0 = g_get_monotonic_time ();
  while (t < total && s.failure == NULL)
    {
      bench_spin (0.02);
      t = (g_get_monotonic_time () - t0) / 1e6;
      if (t >= next_restart)
        {
          next_restart += restart_every;
          if (!bench_page_next_run (&why))
            s.failure = g_steal_pointer (&why);
        }
      else if (!bench_page_keep_going (&why))
        s.failure = g_steal_pointer (&why);
      if (t >= next_sample)
        {
          sample (&s, info->name, t);
          next_sample += sample_s;
        }
    }
  bench_page_stop ();
  bench_ticks_stop ();
  if (s.failure != NULL)
    g_print ("soak %-7s NOT MEASURED: stopped after %.0f s: %s\n", info->name, t, s.failure);
  else
    ok = verdict (&s, info->name, warmup);
  g_print ("soak %-7s %s\n", info->name, ok ? "PASS" : "FAIL");
  soak_clear (&s);
  return ok;
}

int
bench_soak (const ViPageInfo *const *pages,
            double                   minutes,
            double                   sample_s,
            double                   restart_s)
{
  int missed = 0;

  for (guint i = 0; pages[i] != NULL; i++)
    missed += !soak_page (pages[i], minutes * 60, sample_s, restart_s);
  return missed;
}
