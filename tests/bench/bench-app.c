/* bench-app.c — the desktop app under load: frame-clock tick gaps with a
 * job stepping flat out, launch to first frame, memory over a long run
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-app [SECONDS]     default 10 s of flat-out running for the tick
 *                           gaps; ELBO_LAB_BENCH_MEMORY_SECONDS (default 60)
 *                           sets the long run for the memory figure.
 *
 * Targets (issue #5): p95 tick gap ≤ 25 ms and no gap > 100 ms over 10 s;
 * launch to first frame ≤ 1 s; memory growth ≤ 10 MB with history kept.
 * Exit status 1 when a target is missed.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <epoxy/gl.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "vi-application.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *window;
static GArray *ticks;           /* gint64 frame times, µs */
static gint64 first_paint;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 t = g_get_monotonic_time ();

  if (ticks != NULL)
    g_array_append_val (ticks, t);
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  if (first_paint == 0)
    first_paint = g_get_monotonic_time ();
}

static void
spin (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
}

static void
activate (const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (p = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return strtol (p + 6, NULL, 10);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static const char *
gl_renderer (void)
{
  static char name[256] = "unknown";
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;

  context = gdk_surface_create_gl_context (surface, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_snprintf (name, sizeof name, "no GL (%s)", error ? error->message : "?");
      return name;
    }
  gdk_gl_context_make_current (context);
  g_snprintf (name, sizeof name, "%s", (const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

/* Keeps a job stepping flat out: whenever a run finishes, the next seed
 * runs, so runs pile into the history as a teacher's would. */
static gboolean
keep_running_cb (gpointer data)
{
  ViPage *page = vi_window_get_page (window);
  g_autoptr(GVariant) settings = NULL;
  ViRun *run = vi_window_get_run (window);
  static gint64 seed = 1;

  if (run == NULL || vi_run_get_state (run) != VI_RUN_RUNNING)
    {
      g_autofree char *text = g_strdup_printf ("{'family': <'gaussian'>, 'n': <int64 1000000>, "
                                               "'seed': <int64 %" G_GINT64_FORMAT ">}", ++seed);
      settings = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
      vi_page_set_settings (page, settings, NULL);
      activate ("restart");
    }
  return G_SOURCE_CONTINUE;
}

/* Launch → first frame of a fresh elbo-lab process: it prints the
 * CLOCK_MONOTONIC time of its first after-paint when asked, and this
 * process notes the time just before spawning it. */
static double
launch_to_first_frame (void)
{
  const char *exe = g_getenv ("ELBO_LAB_APP");
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-bench-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "shot.png", NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "ELBO_LAB_REPORT_FIRST_FRAME", "1",
                                        TRUE);
  const char *argv[] = { exe, "--screenshot", png, "--after", "0", NULL };
  const char *line;
  gint64 t0;
  int status;

  if (exe == NULL)
    return NAN;
  t0 = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    return NAN;
  g_remove (png);
  g_rmdir (dir);
  line = strstr (out, "first-frame-us ");
  if (line == NULL)
    return NAN;
  return (g_ascii_strtoll (line + 15, NULL, 10) - t0) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 10;
  const char *mem_env = g_getenv ("ELBO_LAB_BENCH_MEMORY_SECONDS");
  double mem_seconds = mem_env != NULL ? g_ascii_strtod (mem_env, NULL) : 60;
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  GdkFrameClock *clock;
  gint64 t_activate, p95, worst;
  double launch, steps_per_s;
  long rss0, rss1;
  guint keep_id, n_hist;
  int failed = 0;

  gsl_set_error_handler_off ();
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();

  app = vi_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 2;
  t_activate = g_get_monotonic_time ();
  g_application_activate (G_APPLICATION (app));
  window = VI_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    {
      gtk_widget_realize (GTK_WIDGET (window));
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    }
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  {
    gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (first_paint == 0 && g_get_monotonic_time () < give_up)
      g_main_context_iteration (NULL, FALSE);
  }
  spin (0.5);

  g_print ("# renderer: %s (GL_RENDERER: %s)\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), gl_renderer ());
  g_print ("activate → first frame (in process): %.0f ms\n", (first_paint - t_activate) / 1e3);

  /* Flat out: one run of 3·10⁸ beta draws (2·10⁵ per step, two gamma draws
   * each) as fast as possible,
   * longer than the measurement. */
  {
    g_autoptr(GVariant) settings =
      g_variant_parse (G_VARIANT_TYPE_VARDICT,
                       "{'family': <'beta'>, 'a': <2.0>, 'b': <5.0>, "
                       "'n': <int64 300000000>, 'seed': <int64 1>}",
                       NULL, NULL, NULL);
    GtkWidget *w = GTK_WIDGET (window);

    vi_page_set_settings (vi_window_get_page (window), settings, NULL);
    /* Speed "As fast as possible" is the last drop-down entry. */
    for (w = gtk_widget_get_first_child (w); w != NULL;)
      {
        if (GTK_IS_DROP_DOWN (w))
          {
            gtk_drop_down_set_selected (GTK_DROP_DOWN (w), 3);
            break;
          }
        if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            if (w != NULL)
              w = gtk_widget_get_next_sibling (w);
          }
      }
  }
  if (g_getenv ("BENCH_HIDE_CONTROLS"))
    activate ("show-controls");
  activate ("run-pause");
  spin (1.0);  /* warm-up */

  ticks = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, NULL, NULL);
  spin (seconds);
  for (guint i = 1; i < ticks->len; i++)
    {
      gint64 gap = g_array_index (ticks, gint64, i) - g_array_index (ticks, gint64, i - 1);
      g_array_append_val (gaps, gap);
    }
  g_array_sort (gaps, compare_gint64);
  p95 = gaps->len > 0 ? g_array_index (gaps, gint64, (guint) (0.95 * (gaps->len - 1))) : -1;
  worst = gaps->len > 0 ? g_array_index (gaps, gint64, gaps->len - 1) : -1;
  steps_per_s = vi_window_get_run (window) != NULL
    ? vi_run_get_steps_per_second (vi_window_get_run (window)) : 0;
  if (vi_window_get_run (window) == NULL
      || vi_run_get_state (vi_window_get_run (window)) != VI_RUN_RUNNING)
    g_print ("warning: the job was not running for the whole measurement\n");
  g_print ("tick gaps over %.0f s with a job flat out: %u ticks, median %.1f ms, p95 %.1f ms, "
           "max %.1f ms (targets: p95 ≤ 25, max ≤ 100); job %.0f steps/s\n",
           seconds, ticks->len,
           gaps->len > 0 ? g_array_index (gaps, gint64, gaps->len / 2) / 1e3 : NAN,
           p95 / 1e3, worst / 1e3, steps_per_s);
  if (p95 < 0 || p95 > 25000 || worst > 100000)
    failed = 1;

  /* Memory: back-to-back runs of 10⁶ draws, as fast as possible, so the
   * history fills (8 runs kept); RSS after the first 10 s vs at the end. */
  {
    g_autoptr(GVariant) settings =
      g_variant_parse (G_VARIANT_TYPE_VARDICT,
                       "{'family': <'gaussian'>, 'n': <int64 1000000>, 'seed': <int64 1>}",
                       NULL, NULL, NULL);
    vi_page_set_settings (vi_window_get_page (window), settings, NULL);
  }
  keep_id = g_timeout_add (20, keep_running_cb, NULL);
  spin (10);
  rss0 = rss_kb ();
  spin (mem_seconds);
  rss1 = rss_kb ();
  n_hist = vi_page_get_n_history (vi_window_get_page (window));
  g_print ("memory over %.0f s flat out (history %u runs): RSS %.1f → %.1f MB, growth %+.1f MB "
           "(target ≤ +10 MB)\n", mem_seconds, n_hist, rss0 / 1024.0, rss1 / 1024.0,
           (rss1 - rss0) / 1024.0);
  if (rss1 - rss0 > 10 * 1024)
    failed = 1;

  g_source_remove (keep_id);
  gtk_window_close (GTK_WINDOW (window));
  spin (0.2);

  /* The first launch warms the disk cache; report the median of five. */
  {
    double runs[5];

    for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
      runs[i] = launch_to_first_frame ();
    qsort (runs, G_N_ELEMENTS (runs), sizeof (double), compare_double);
    launch = runs[2];
    g_print ("launch → first frame of elbo-lab: median %.0f ms of 5 (min %.0f, max %.0f; "
             "target ≤ 1000 ms)\n", launch * 1e3, runs[0] * 1e3, runs[4] * 1e3);
  }
  if (!(launch <= 1.0))
    failed = 1;

  g_array_unref (ticks);
  g_clear_object (&app);
  g_print ("%s\n", failed ? "FAIL: a target was missed" : "PASS: all targets met");
  return failed;
}
