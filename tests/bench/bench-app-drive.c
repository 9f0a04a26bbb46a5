/* bench-app-drive.c — the app in this process: its window, frame ticks,
 * memory, and a model page's job kept running flat out
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <epoxy/gl.h>

#include "bench-app.h"
#include "vi-application.h"
#include "vi-bbvi-job.h"
#include "vi-expfam-job.h"
#include "vi-lda-job.h"
#include "vi-model-page.h"
#include "vi-run.h"
#include "vi-vae-job.h"

static ViApplication *app;
static ViWindow *window;
static GArray *ticks;           /* BenchTick */
static guint tick_id;
static gint64 first_paint;
static guint64 next_seed;
static guint n_restarts;
static GHashTable *settings_override;   /* page name → a{sv} text */
static double switch_ms, switch_cpu_ms;  /* the slowest run switch so far */

/* Flat out on the pages the bench knows: runs longer than a measurement
 * (a new page runs with its own defaults). */
static const struct
{
  const char *page;
  const char *settings;
} flat_out[] = {
  /* 3·10⁸ beta draws (two gamma draws each). */
  { "expfam", "{'family': <'beta'>, 'a': <2.0>, 'b': <5.0>, 'n': <int64 300000000>}" },
  /* The default estimators and data, 10⁶ iterations. */
  { "bbvi", "{'iterations': <int64 1000000>}" },
  /* The bars preset, 10⁴ passes. */
  { "lda", "{'passes': <int64 10000>}" },
  /* Fashion-MNIST (the page's default data), 1000 epochs. */
  { "vae", "{'epochs': <int64 1000>}" },
};

static gboolean
spun_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bench_spin (double seconds)
{
  gboolean done = FALSE;

  /* Blocking iterations: the bench itself adds no work to the frames. */
  g_timeout_add ((guint) (seconds * 1000), spun_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

long
bench_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (p = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return strtol (p + 6, NULL, 10);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  if (first_paint == 0)
    first_paint = g_get_monotonic_time ();
}

static void activate (const char *action);

ViWindow *
bench_app_start (double *activate_to_frame_ms)
{
  GdkFrameClock *clock;
  gint64 t_activate, give_up;

  app = vi_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return NULL;
  t_activate = g_get_monotonic_time ();
  g_application_activate (G_APPLICATION (app));
  window = VI_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  if (window == NULL)
    return NULL;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    {
      gtk_widget_realize (GTK_WIDGET (window));
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    }
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (first_paint == 0 && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE);
  bench_spin (0.5);
  if (g_getenv ("BENCH_HIDE_CONTROLS") != NULL)
    activate ("show-controls");
  *activate_to_frame_ms = first_paint != 0 ? (first_paint - t_activate) / 1e3 : NAN;
  return window;
}

void
bench_app_stop (void)
{
  bench_ticks_stop ();
  if (window != NULL)
    gtk_window_close (GTK_WINDOW (window));
  bench_spin (0.2);
  window = NULL;
  g_clear_object (&app);
  g_clear_pointer (&settings_override, g_hash_table_unref);
}

char *
bench_dup_renderer (void)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  const char *renderer =
    G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)));
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  char *name;

  context = gdk_surface_create_gl_context (surface, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    return g_strdup_printf ("%s (no GL: %s)", renderer, error ? error->message : "?");
  gdk_gl_context_make_current (context);
  name = g_strdup_printf ("%s (GL_RENDERER: %s)", renderer,
                          (const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

/* ---- ticks --------------------------------------------------------------- */

static gint64 thread_cpu_us (void);

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  BenchTick t;

  t.wall_us = g_get_monotonic_time ();
  t.cpu_us = thread_cpu_us ();
  t.steal_ms = bench_steal_ms ();  /* ~20 µs: /proc/stat */
  g_array_append_val (ticks, t);
  return G_SOURCE_CONTINUE;
}

void
bench_ticks_start (void)
{
  if (ticks == NULL)
    ticks = g_array_new (FALSE, FALSE, sizeof (BenchTick));
  g_array_set_size (ticks, 0);
  if (tick_id == 0)
    tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, NULL, NULL);
}

GArray *
bench_ticks_take (void)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BenchTick));

  /* The last tick starts the next window, so no gap falls between two. */
  if (ticks != NULL && ticks->len > 0)
    {
      BenchTick last = g_array_index (ticks, BenchTick, ticks->len - 1);

      g_array_append_vals (out, ticks->data, ticks->len);
      g_array_set_size (ticks, 0);
      g_array_append_val (ticks, last);
    }
  return out;
}

void
bench_ticks_stop (void)
{
  if (tick_id != 0 && window != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  tick_id = 0;
  g_clear_pointer (&ticks, g_array_unref);
}

/* ---- a page flat out ----------------------------------------------------- */

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Activates win.@action, noting the slowest one (a run switch: the old run
 * to the history, the new one created on the main thread). */
static void
activate (const char *action)
{
  gint64 t0 = g_get_monotonic_time (), c0 = thread_cpu_us ();

  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
  if ((g_get_monotonic_time () - t0) / 1e3 > switch_ms)
    {
      switch_ms = (g_get_monotonic_time () - t0) / 1e3;
      switch_cpu_ms = (thread_cpu_us () - c0) / 1e3;
    }
}

double
bench_page_take_switch_ms (double *cpu_ms)
{
  double ms = switch_ms;

  *cpu_ms = switch_cpu_ms;
  switch_ms = switch_cpu_ms = 0;
  return ms;
}

void
bench_set_page_settings (const char *page,
                         const char *text)
{
  if (settings_override == NULL)
    settings_override = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (settings_override, g_strdup (page), g_strdup (text));
}

static const char *
flat_out_settings (const char *page)
{
  if (settings_override != NULL && g_hash_table_contains (settings_override, page))
    return g_hash_table_lookup (settings_override, page);
  for (guint i = 0; i < G_N_ELEMENTS (flat_out); i++)
    if (g_str_equal (flat_out[i].page, page))
      return flat_out[i].settings;
  return NULL;
}

/* (transfer full) The page's settings (when @keep_page's) with the
 * bench's flat-out ones and @seed, or NULL and @why. */
static GVariant *
make_settings (ViPage   *page,
               gboolean  keep_page,
               guint64   seed,
               char    **why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) current = vi_page_dup_settings (page, &error);
  const char *text = flat_out_settings (vi_page_get_name (page));
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (keep_page ? current : NULL);

  if (current == NULL)
    {
      *why = g_strdup_printf ("the page refuses its settings: %s", error->message);
      return NULL;
    }
  if (text != NULL)
    {
      g_autoptr(GVariant) over = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL,
                                                  &error);
      GVariantIter iter;
      const char *key;
      GVariant *value;

      if (over == NULL)
        {
          *why = g_strdup_printf ("the bench's settings \"%s\": %s", text, error->message);
          return NULL;
        }
      g_variant_iter_init (&iter, over);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        g_variant_dict_insert_value (&dict, key, value);
    }
  g_variant_dict_insert (&dict, "seed", "t", seed);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* Sets the page's settings to its own with the bench's and @seed; when
 * that mix is refused (another expfam family's parameters), the bench's
 * alone. */
static gboolean
set_settings (ViPage   *page,
              guint64   seed,
              char    **why)
{
  g_autoptr(GError) error = NULL;

  for (int keep = 1; keep >= 0; keep--)
    {
      g_autoptr(GVariant) settings = make_settings (page, keep, seed, why);

      if (settings == NULL)
        return FALSE;
      g_clear_error (&error);
      if (vi_page_set_settings (page, settings, &error))
        return TRUE;
    }
  *why = g_strdup_printf ("the page refuses the bench's settings: %s", error->message);
  return FALSE;
}

/* Why the visible page has no running run: the core's message when it
 * refuses the settings (e.g. a dataset that is not installed). */
static char *
dup_why_not_running (ViPage *page)
{
  ViRun *run = vi_window_get_run (window);
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ViRun) probe = NULL;

  if (run != NULL && vi_run_get_state (run) == VI_RUN_FAILED)
    return g_strdup_printf ("the run failed: %s", vi_run_get_error_message (run));
  settings = vi_page_dup_settings (page, &error);
  if (settings != NULL)
    probe = vi_run_new (vi_page_get_job_type (page), g_steal_pointer (&settings), &error);
  if (error != NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("no run (state %d)", run != NULL ? (int) vi_run_get_state (run) : -1);
}

/* Starts a fresh run of the visible page with the next seed. */
static gboolean
start_next_run (char **why)
{
  ViPage *page = vi_window_get_page (window);
  gint64 give_up;
  ViRun *run;

  if (!set_settings (page, next_seed++, why))
    return FALSE;
  activate ("restart");
  give_up = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((run = vi_window_get_run (window)) != NULL && vi_run_get_iteration (run) == 0
         && vi_run_get_state (run) == VI_RUN_RUNNING && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE);
  run = vi_window_get_run (window);
  if (run == NULL || (vi_run_get_state (run) != VI_RUN_RUNNING
                      && vi_run_get_state (run) != VI_RUN_FINISHED))
    {
      *why = dup_why_not_running (page);
      return FALSE;
    }
  return TRUE;
}

gboolean
bench_page_start (const ViPageInfo *info,
                  guint64           seed,
                  char            **why)
{
  GtkDropDown *speed;
  GListModel *model;

  *why = NULL;
  if (!vi_window_set_page (window, info->name))
    {
      *why = g_strdup ("the window has no such page");
      return FALSE;
    }
  bench_spin (0.3);
  /* "As fast as possible" is the speed drop-down's last entry. */
  speed = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (window), VI_TYPE_WINDOW,
                                                        "speed_dropdown"));
  model = gtk_drop_down_get_model (speed);
  gtk_drop_down_set_selected (speed, g_list_model_get_n_items (model) - 1);
  next_seed = seed;
  n_restarts = 0;
  return start_next_run (why);
}

gboolean
bench_page_keep_going (char **why)
{
  ViRun *run = vi_window_get_run (window);

  *why = NULL;
  if (run != NULL && vi_run_get_state (run) == VI_RUN_RUNNING)
    return TRUE;
  if (run != NULL && vi_run_get_state (run) == VI_RUN_FAILED)
    {
      *why = dup_why_not_running (vi_window_get_page (window));
      return FALSE;
    }
  n_restarts++;
  return start_next_run (why);
}

gboolean
bench_page_next_run (char **why)
{
  *why = NULL;
  activate ("reset");   /* the run goes to the history */
  return start_next_run (why);
}

void
bench_page_stop (void)
{
  activate ("reset");
  bench_spin (0.2);
}

guint
bench_page_n_runs (void)
{
  return vi_page_get_n_history (vi_window_get_page (window));
}

guint
bench_page_n_restarts (void)
{
  return n_restarts;
}

double
bench_page_steps_per_second (void)
{
  ViRun *run = vi_window_get_run (window);

  return run != NULL ? vi_run_get_steps_per_second (run) : 0;
}

/* The longest series of one snapshot of page @name, or -1. How the pages
 * bound what they keep: every page keeps at most 8 earlier runs
 * (vi-model-page-runs.c trims the oldest unpinned one); within a run,
 * expfam's trace is decimated at 2048 points, LDA's and the VAE's at 1024
 * (the VAE's epoch_seconds grows by one per epoch, at most "epochs"); the
 * bbvi job keeps every iteration of every estimator (up to "iterations",
 * 10⁸), which the soak reports as unbounded. */
static gint64
snapshot_trace_points (const char    *name,
                       gconstpointer  snapshot)
{
  gint64 n = 0;

  if (snapshot == NULL)
    return 0;
  if (g_str_equal (name, "expfam"))
    return ((const ViExpfamSnapshot *) snapshot)->trace_len;
  if (g_str_equal (name, "bbvi"))
    {
      const ViBbviSnapshot *s = snapshot;

      for (size_t i = 0; i < s->n_traces; i++)
        n = MAX (n, (gint64) s->traces[i].len);
      return MAX (n, (gint64) s->n_points);
    }
  if (g_str_equal (name, "lda"))
    {
      const ViLdaSnapshot *s = snapshot;

      for (guint i = 0; i < s->n_runs; i++)
        n = MAX (n, (gint64) s->runs[i].trace_len);
      return n;
    }
  if (g_str_equal (name, "vae"))
    {
      const ViVaeSnapshot *s = snapshot;

      /* epoch_seconds has one entry per epoch. */
      return MAX ((gint64) s->trace_len, (gint64) s->epoch);
    }
  return -1;
}

gint64
bench_page_trace_points (void)
{
  ViPage *page = vi_window_get_page (window);
  ViModelPage *mp;
  const char *name = vi_page_get_name (page);
  gint64 n;

  if (!VI_IS_MODEL_PAGE (page))
    return -1;
  mp = VI_MODEL_PAGE (page);
  n = snapshot_trace_points (name, vi_model_page_get_snapshot (mp));
  for (guint i = 0; n >= 0 && i < vi_model_page_get_n_history (mp); i++)
    n = MAX (n, snapshot_trace_points (name, vi_model_page_get_history_snapshot (mp, i)));
  return n;
}
