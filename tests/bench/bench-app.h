/* bench-app.h — shared parts of bench-app: statistics, the frame-tick
 * recorder, memory, and driving a model page flat out
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-page.h"
#include "vi-window.h"

G_BEGIN_DECLS

/* The targets (issues #5, #12, #13). */
#define BENCH_P95_MAX_MS      25.0
#define BENCH_GAP_MAX_MS      100.0
#define BENCH_LAUNCH_MAX_S    1.0
#define BENCH_RSS_GROWTH_MB   10.0
/* The pages keep at most this many earlier runs (vi-page.h). */
#define BENCH_MAX_RUNS        8
/* A trace (one series of a run) longer than this is not bounded: the jobs
 * that decimate their traces keep at most 2048 points. */
#define BENCH_MAX_TRACE       4096

/* ---- statistics (bench-app-stats.c) -------------------------------------- */

/* The q-quantile (0 ≤ q ≤ 1) of @v (sorted in place) by nearest rank on
 * index q (n − 1), rounded down; NaN when @n is 0. */
double   bench_quantile        (double       *v,
                                gsize         n,
                                double        q);
/* Median, min and max of @v (n values, sorted in place; NaN when none). */
typedef struct
{
  double median, min, max;
  guint  n;
} BenchSummary;
void     bench_summarise       (double       *v,
                                gsize         n,
                                BenchSummary *out);
/* (transfer full) "MEDIAN (min–max MIN–MAX) over N runs", numbers with
 * @decimals decimals and @unit after each ("ms"); "—" when n is 0. */
char    *bench_summary_format  (const BenchSummary *s,
                                int           decimals,
                                const char   *unit,
                                const char   *what);

/* One frame-clock tick: its wall-clock time and the main thread's CPU
 * time then (µs), and the CPU time the hypervisor had stolen from all
 * of the machine's CPUs by then (ms, bench_steal_ms; -1: not known). */
typedef struct
{
  gint64 wall_us;
  gint64 cpu_us;
  gint64 steal_ms;
} BenchTick;
/* Tick gaps of one measurement, in ms; the main thread's CPU time between
 * two ticks (its work per frame, which other processes on the machine do
 * not inflate), in ms. */
typedef struct
{
  guint  n_ticks;
  double p50, p95, max;
  guint  n_long;          /* gaps over BENCH_GAP_MAX_MS */
  guint  n_long_stolen;   /* of them, those the host stole
                           * ≥ BENCH_GAP_STEAL_MS from the machine during */
  double cpu_p50, cpu_p95, cpu_max;
} BenchGaps;
/* A gap over BENCH_GAP_MAX_MS during which the hypervisor stole this
 * much CPU time from the machine is the host's doing as much as ours. */
#define BENCH_GAP_STEAL_MS 50
/* From @n ticks (ascending). Fields NaN/0 with fewer than two. */
void     bench_gaps_from_ticks (const BenchTick *ticks,
                                gsize            n,
                                BenchGaps       *out);
/* A soak's memory and frame-gap verdict from its samples: @n samples at
 * times @t (s) of RSS @rss (MB), and the p95 tick gap of @n_windows
 * windows (ms) with the share of the machine's CPU time the hypervisor
 * stole in each (@steal, percent; NULL or NaN: not known). A window
 * with more than BENCH_STEAL_MAX_PCT stolen measures the host, not the
 * app: it is left out of the frame-gap verdict, but if more than
 * BENCH_STEAL_MAX_WINDOWS of the windows are, there is no verdict. */
#define BENCH_STEAL_MAX_PCT 5.0
#define BENCH_STEAL_MAX_WINDOWS 0.1
typedef struct
{
  double   base;          /* RSS at the first sample after the warm-up (NaN: none) */
  double   growth;        /* the largest RSS after it − base */
  guint    n_after;       /* samples at or after the warm-up */
  guint    n_bad;         /* judged windows with a p95 over the target (or none) */
  guint    n_stolen;      /* windows left out for host steal */
  guint    n_stolen_bad;  /* of them, those over the target */
  gboolean rss_ok;        /* two samples after the warm-up, growth ≤ target */
  gboolean p95_measured;  /* some windows, few enough left out */
  gboolean p95_ok;        /* measured, no judged window bad */
} BenchSoakVerdict;
void     bench_soak_judge      (const double     *t,
                                const double     *rss,
                                gsize             n,
                                const double     *p95,
                                const double     *steal,
                                gsize             n_windows,
                                double            warmup,
                                BenchSoakVerdict *out);
/* The share (percent) of all CPUs' time the hypervisor stole since the
 * last call (from /proc/stat), or NaN when not known or on the first. */
double   bench_steal_pct       (void);
/* The CPU time (ms) the hypervisor has stolen from all CPUs since boot
 * (from /proc/stat, 10-ms resolution), or -1 when not known. */
gint64   bench_steal_ms        (void);
/* The GLib test cases of the statistics (bench-app --self-test). */
void     bench_stats_add_tests (void);

/* ---- the app (bench-app-drive.c) ----------------------------------------- */

/* Runs the main loop for @seconds. */
void      bench_spin            (double        seconds);
/* Resident set size of this process, in kB (-1 if unknown). */
long      bench_rss_kb          (void);
/* Creates the application and its window, and waits for the first frame;
 * returns the window, or NULL. @activate_to_frame_ms gets the in-process
 * activate → first frame time. */
ViWindow *bench_app_start       (double       *activate_to_frame_ms);
void      bench_app_stop        (void);
/* Name of the renderer and GL_RENDERER. */
char     *bench_dup_renderer    (void);

/* Frame-clock tick recording on the window: every tick (BenchTick). */
void      bench_ticks_start     (void);
/* (transfer full) The ticks (BenchTick) since bench_ticks_start (which
 * keeps going); clears them. */
GArray   *bench_ticks_take      (void);
void      bench_ticks_stop      (void);

/* Replaces the bench's flat-out settings of page @page by @text (an
 * a{sv} in GVariant text form, merged into the page's own). */
void      bench_set_page_settings (const char *page,
                                   const char *text);
/* Shows page @info, sets its flat-out settings (the bench's for a page it
 * knows, else the page's own defaults) with @seed, speed "As fast as
 * possible", and presses Run. FALSE with @why (transfer full) when the
 * page refuses its settings or the run fails to start (e.g. a missing
 * dataset). */
gboolean  bench_page_start      (const ViPageInfo *info,
                                 guint64       seed,
                                 char        **why);
/* Keeps the visible page's job going: when its run finished, the next
 * seed runs (so finished runs pile into the history as a teacher's
 * would). FALSE with @why when the run failed. Call it every few ms. */
gboolean  bench_page_keep_going (char        **why);
/* Resets the visible page's run (it goes to the history) and starts the
 * next seed's. */
gboolean  bench_page_next_run   (char        **why);
/* Resets the visible page's run (it goes to the history) and stops. */
void      bench_page_stop       (void);
/* Earlier runs the visible page keeps. */
guint     bench_page_n_runs     (void);
/* The longest trace (points of one series) in the visible page's live
 * snapshot and kept runs, or -1 when the bench does not know the page's
 * snapshot type. */
gint64    bench_page_trace_points (void);
/* The visible run's steps per second (0 when none). */
double    bench_page_steps_per_second (void);
/* The slowest reset or restart of a run since the last call, in ms of wall
 * time, and its main-thread CPU time in @cpu_ms. */
double    bench_page_take_switch_ms (double *cpu_ms);
/* Completed runs restarted by bench_page_keep_going since the page started. */
guint     bench_page_n_restarts (void);

/* ---- soak (bench-app-soak.c) --------------------------------------------- */

/* Each page of @pages (NULL-terminated infos) flat out for @minutes,
 * sampled every @sample_s seconds, a fresh run every @restart_s seconds
 * (0: a twelfth of the soak); returns the number of pages that missed a
 * target or could not be measured. */
int       bench_soak            (const ViPageInfo *const *pages,
                                 double        minutes,
                                 double        sample_s,
                                 double        restart_s);

G_END_DECLS
