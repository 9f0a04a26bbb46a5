/* test-model-page.c — ViModelPage, the base of the model pages: the binding
 * table, history, main plot, presentation and the re-entrancy guard, on a
 * small page built here
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <gsl/gsl_errno.h>

#include "elbo-lab-resources.h"
#include "vi-bbvi-job.h"
#include "vi-bbvi-page.h"
#include "vi-expfam-job.h"
#include "vi-model-page.h"
#include "vi-status.h"
#include "vi-test-app.h"

/* A page with one widget of each binding kind and two plots; its
 * snapshots are expfam snapshots (any job type would do). */
#define TEST_TYPE_PAGE (test_page_get_type ())
G_DECLARE_FINAL_TYPE (TestPage, test_page, TEST, PAGE, ViModelPage)

struct _TestPage
{
  ViModelPage parent_instance;

  GtkWidget *rate, *count, *combo, *dropdown, *toggle, *check, *entry;
  ViPlotView *plot_a, *plot_b;
  guint n_rebuilds;
  char *extra;   /* a setting of its own, outside the table */
};

G_DEFINE_FINAL_TYPE (TestPage, test_page, VI_TYPE_MODEL_PAGE)

static const char *const colours[] = { "red", "green", "blue", NULL };
static const char *const shapes[] = { "circle", "square", NULL };

static gpointer
snap_copy (gconstpointer s)
{
  return vi_expfam_snapshot_copy (s);
}

static void
snap_free (gpointer s)
{
  vi_expfam_snapshot_free (s);
}

static gboolean
snap_keepable (gconstpointer s)
{
  return ((const ViExpfamSnapshot *) s)->n_drawn > 0;
}

static gboolean
add_settings (ViModelPage     *page,
              GVariantBuilder *b,
              GError         **error)
{
  TestPage *self = TEST_PAGE (page);

  if (g_strcmp0 (self->extra, "bad") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "extra: bad");
      return FALSE;
    }
  g_variant_builder_add (b, "{sv}", "extra", g_variant_new_string (self->extra));
  return TRUE;
}

static gboolean
check_settings (ViModelPage *page,
                GVariant    *settings,
                GError     **error)
{
  const char *s;

  if (g_variant_lookup (settings, "extra", "&s", &s) && g_strcmp0 (s, "bad") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "extra: bad");
      return FALSE;
    }
  return TRUE;
}

static void
apply_settings (ViModelPage *page,
                GVariant    *settings)
{
  TestPage *self = TEST_PAGE (page);
  const char *s;

  if (g_variant_lookup (settings, "extra", "&s", &s))
    {
      g_free (self->extra);
      self->extra = g_strdup (s);
    }
}

static void
rebuild (ViModelPage *page)
{
  TEST_PAGE (page)->n_rebuilds++;
}

static void
test_page_finalize (GObject *object)
{
  g_free (TEST_PAGE (object)->extra);
  G_OBJECT_CLASS (test_page_parent_class)->finalize (object);
}

static void
test_page_class_init (TestPageClass *klass)
{
  ViModelPageClass *page_class = VI_MODEL_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_page_finalize;
  page_class->job_type = &vi_expfam_job_type;
  page_class->snapshot_copy = snap_copy;
  page_class->snapshot_free = snap_free;
  page_class->snapshot_keepable = snap_keepable;
  page_class->add_settings = add_settings;
  page_class->check_settings = check_settings;
  page_class->apply_settings = apply_settings;
  page_class->rebuild = rebuild;
}

static void
test_page_init (TestPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  ViModelPage *page = VI_MODEL_PAGE (self);

  self->extra = g_strdup ("x");
  self->rate = gtk_spin_button_new_with_range (0, 100, 0.25);
  self->count = gtk_spin_button_new_with_range (0, 1000, 1);
  self->combo = GTK_WIDGET (adw_combo_row_new ());
  adw_combo_row_set_model (ADW_COMBO_ROW (self->combo),
                           G_LIST_MODEL (gtk_string_list_new (colours)));
  self->dropdown = gtk_drop_down_new_from_strings (shapes);
  self->toggle = gtk_switch_new ();
  self->check = gtk_check_button_new ();
  self->entry = gtk_entry_new ();
  self->plot_a = g_object_new (VI_TYPE_PLOT_VIEW, NULL);
  self->plot_b = g_object_new (VI_TYPE_PLOT_VIEW, NULL);
  vi_plot_view_set_figure (self->plot_a, vi_figure_create (1, 1));
  vi_plot_view_set_figure (self->plot_b, vi_figure_create (1, 1));
  for (GtkWidget **w = &self->rate; w <= &self->entry; w++)
    gtk_box_append (GTK_BOX (box), *w);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->plot_a));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->plot_b));
  gtk_widget_set_parent (box, GTK_WIDGET (self));
  {
    ViBinding bindings[] = {
      { "rate", self->rate, VI_BINDING_DOUBLE, NULL },
      { "count", self->count, VI_BINDING_INT, NULL },
      { "colour", self->combo, VI_BINDING_CHOICE, colours },
      { "shape", self->dropdown, VI_BINDING_CHOICE, shapes },
      { "on", self->toggle, VI_BINDING_SWITCH, NULL },
      { "checked", self->check, VI_BINDING_SWITCH, NULL },
      { "name", self->entry, VI_BINDING_ENTRY, NULL },
    };

    vi_model_page_set_bindings (page, bindings, G_N_ELEMENTS (bindings));
  }
  vi_model_page_set_controls (page, self->entry);
  vi_model_page_add_plot (page, self->plot_a);
  vi_model_page_add_plot (page, self->plot_b);
}

/* ---- cases --------------------------------------------------------------- */

static GVariant *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_variant_ref_sink (v);
}

static void
test_bindings (void)
{
  TestPage *self = g_object_ref_sink (g_object_new (TEST_TYPE_PAGE, NULL));
  ViPage *page = VI_PAGE (self);
  g_autoptr(GVariant) in = parse ("{'rate': <2.5>, 'count': <int64 7>, 'colour': <'blue'>, "
                                  "'shape': <'square'>, 'on': <true>, 'checked': <true>, "
                                  "'name': <'run a'>, 'extra': <'y'>}");
  g_autoptr(GVariant) bad = parse ("{'rate': <9.0>, 'colour': <'purple'>}");
  g_autoptr(GVariant) bad_extra = parse ("{'rate': <9.0>, 'extra': <'bad'>}");
  g_autoptr(GVariant) numbers = parse ("{'rate': <int64 3>, 'count': <12.0>}");
  g_autoptr(GVariant) out = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  double rate;
  gint64 count;

  /* Every kind of widget round-trips its key. */
  g_assert_true (vi_page_set_settings (page, in, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->rate)), ==, 2.5);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (self->combo)), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->dropdown)), ==, 1);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (self->toggle)));
  out = vi_page_dup_settings (page, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (out, "count", "x", &count));
  g_assert_cmpint (count, ==, 7);
  for (guint i = 0; i < g_variant_n_children (in); i++)
    {
      const char *key;
      g_autoptr(GVariant) want = NULL, got = NULL;

      g_variant_get_child (in, i, "{&sv}", &key, &want);
      got = g_variant_lookup_value (out, key, NULL);
      g_assert_nonnull (got);
      g_assert_true (g_variant_equal (want, got));
    }

  /* A bad value anywhere leaves the page unchanged, naming the key. */
  g_assert_false (vi_page_set_settings (page, bad, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_nonnull (strstr (error->message, "colour"));
  g_assert_nonnull (strstr (error->message, "purple"));
  g_clear_error (&error);
  g_assert_false (vi_page_set_settings (page, bad_extra, &error));
  g_clear_error (&error);
  again = vi_page_dup_settings (page, NULL);
  g_assert_true (g_variant_equal (out, again));

  /* Numbers of any type set a spin button; dup gives the kind's type. */
  g_assert_true (vi_page_set_settings (page, numbers, &error));
  g_clear_pointer (&out, g_variant_unref);
  out = vi_page_dup_settings (page, NULL);
  g_assert_true (g_variant_lookup (out, "rate", "d", &rate));
  g_assert_cmpfloat (rate, ==, 3);
  g_assert_true (g_variant_lookup (out, "count", "x", &count));
  g_assert_cmpint (count, ==, 12);

  /* A refusing subclass refuses dup_settings. */
  g_free (self->extra);
  self->extra = g_strdup ("bad");
  g_assert_null (vi_page_dup_settings (page, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_free (self->extra);
  self->extra = g_strdup ("x");
  g_assert_cmpstr (vi_page_get_objective_name (page), ==, "Objective");
  g_assert_true (vi_page_get_job_type (page) == &vi_expfam_job_type);
  g_object_unref (self);
}

static ViExpfamSnapshot *
snapshot (guint64 n_drawn)
{
  ViExpfamSnapshot s = { 0 };

  s.fam = vi_expfam_lookup ("gamma");
  s.dim = 2;
  s.n_drawn = n_drawn;
  return vi_expfam_snapshot_copy (&s);
}

static void
test_history (void)
{
  TestPage *self = g_object_ref_sink (g_object_new (TEST_TYPE_PAGE, NULL));
  ViPage *page = VI_PAGE (self);
  ViModelPage *mp = VI_MODEL_PAGE (self);
  ViExpfamSnapshot *empty = snapshot (0), *some = snapshot (10);
  g_autoptr(GVariant) one = parse ("{'rate': <1.0>}");
  ViViewContext ctx;

  /* Nothing kept before a snapshot, nor a snapshot with no draws. */
  vi_page_keep_history (page, one);
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 0);
  vi_page_show_snapshot (page, empty);
  g_assert_true (vi_model_page_get_snapshot (mp) != (gconstpointer) empty);
  vi_page_keep_history (page, one);
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 0);

  /* Kept runs: at most eight, a re-run refreshes its entry. */
  vi_page_show_snapshot (page, some);
  for (int k = 0; k < 11; k++)
    {
      g_autoptr(GVariant) v = NULL;

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->rate), MIN (k, 9));
      v = vi_page_dup_settings (page, NULL);
      vi_page_keep_history (page, v);
      g_assert_cmpuint (vi_page_get_n_history (page), ==, MIN (k + 1, 8));
    }

  /* The view context hands them over, labelled by what differs, but the
   * one with the current settings (rate 9 is set here). */
  vi_model_page_relabel_history (mp);
  vi_model_page_view_context_init (mp, &ctx, self->plot_a);
  g_assert_cmpuint (ctx.n_history, ==, 7);
  g_assert_cmpstr (ctx.history[0].label, ==, "rate=2");
  g_assert_cmpuint (ctx.history[0].slot, ==, 0);
  g_assert_true (((const ViExpfamSnapshot *) ctx.history[0].snapshot)->n_drawn == 10);
  vi_page_view_context_clear (&ctx);

  /* With skip-needs-live, the current entry is drawn when no run is. */
  vi_model_page_set_skip_needs_live (mp, TRUE);
  vi_model_page_clear_snapshot (mp);
  vi_model_page_view_context_init (mp, &ctx, self->plot_a);
  g_assert_cmpuint (ctx.n_history, ==, 8);
  vi_page_view_context_clear (&ctx);

  self->n_rebuilds = 0;
  vi_page_clear_history (page);
  g_assert_cmpuint (vi_page_get_n_history (page), ==, 0);
  g_assert_cmpuint (self->n_rebuilds, ==, 1);
  vi_expfam_snapshot_free (empty);
  vi_expfam_snapshot_free (some);
  g_object_unref (self);
}

/* A job type's snapshot_keep decides what a kept run holds (vae's and
 * lda's keep their traces, not MBs of images); the live snapshot is left
 * as it was. */
static guint n_kept_copies;

static gpointer
keep_small (gconstpointer s)
{
  n_kept_copies++;
  return snapshot (((const ViExpfamSnapshot *) s)->n_drawn + 1000);
}

static void
test_history_keep (void)
{
  TestPage *self = g_object_ref_sink (g_object_new (TEST_TYPE_PAGE, NULL));
  ViModelPageClass *klass = VI_MODEL_PAGE_GET_CLASS (self);
  const ViJobType *saved = klass->job_type;
  ViJobType keeping = *saved;
  ViExpfamSnapshot *some = snapshot (10);
  g_autoptr(GVariant) one = parse ("{'rate': <1.0>}");
  ViViewContext ctx;

  keeping.snapshot_keep = keep_small;
  klass->job_type = &keeping;
  n_kept_copies = 0;
  vi_page_show_snapshot (VI_PAGE (self), some);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->rate), 3);
  vi_page_keep_history (VI_PAGE (self), one);
  g_assert_cmpuint (n_kept_copies, ==, 1);
  vi_model_page_view_context_init (VI_MODEL_PAGE (self), &ctx, self->plot_a);
  g_assert_cmpuint (ctx.n_history, ==, 1);
  g_assert_cmpuint (((const ViExpfamSnapshot *) ctx.history[0].snapshot)->n_drawn, ==, 1010);
  vi_page_view_context_clear (&ctx);
  g_assert_cmpuint (((const ViExpfamSnapshot *)
                     vi_model_page_get_snapshot (VI_MODEL_PAGE (self)))->n_drawn, ==, 10);
  klass->job_type = saved;
  vi_expfam_snapshot_free (some);
  g_object_unref (self);
}

static void
test_plots_and_guard (void)
{
  TestPage *self = g_object_ref_sink (g_object_new (TEST_TYPE_PAGE, NULL));
  ViPage *page = VI_PAGE (self);
  ViModelPage *mp = VI_MODEL_PAGE (self);

  /* The first plot until another is used. */
  g_assert_true (vi_page_get_main_plot (page) == self->plot_a);
  self->n_rebuilds = 0;
  vi_page_set_presentation (page, TRUE);
  g_assert_true (vi_model_page_get_presenting (mp));
  g_assert_cmpfloat (vi_plot_view_get_line_scale (self->plot_b), >, 1);
  g_assert_cmpuint (self->n_rebuilds, ==, 1);
  vi_page_set_controls_visible (page, FALSE);
  g_assert_false (gtk_widget_get_visible (self->entry));
  vi_page_set_controls_visible (page, TRUE);
  g_assert_true (gtk_widget_get_visible (self->entry));

  /* The guard nests. */
  g_assert_false (vi_model_page_is_updating (mp));
  vi_model_page_begin_update (mp);
  vi_model_page_begin_update (mp);
  vi_model_page_end_update (mp);
  g_assert_true (vi_model_page_is_updating (mp));
  vi_model_page_end_update (mp);
  g_assert_false (vi_model_page_is_updating (mp));
  g_object_unref (self);
}

static guint n_done;
static guint64 last_drawn;

static void
job_done (ViModelPage  *page,
          gpointer      snapshot,
          double        seconds,
          const GError *error)
{
  ViExpfamSnapshot *snap = snapshot;

  g_assert_no_error (error);
  g_assert_nonnull (snap);
  g_assert_cmpfloat (seconds, >=, 0);
  last_drawn = snap->n_drawn;
  n_done++;
  vi_expfam_snapshot_free (snap);
}

static void
run (ViModelPage *page,
     const char  *params)
{
  g_autoptr(GVariant) v = parse (params);

  vi_model_page_run_job (page, &vi_expfam_job_type, v, job_done);
}

static gboolean
job_idle (gpointer data)
{
  return !vi_model_page_is_running_job (data);
}

/* A job run off the UI thread reports its final snapshot once; a newer
 * run replaces (cancels) an older one, whose result is never reported. */
static void
test_run_job (void)
{
  TestPage *self = g_object_ref_sink (g_object_new (TEST_TYPE_PAGE, NULL));
  ViModelPage *mp = VI_MODEL_PAGE (self);
  const char *big = "{'family': <'gamma'>, 'n': <int64 100000000>, 'batch': <int64 1000>}";
  const char *small = "{'family': <'gamma'>, 'n': <int64 5000>, 'batch': <int64 100>}";

  n_done = 0;
  run (mp, big);
  g_assert_true (vi_model_page_is_running_job (mp));
  run (mp, small);
  g_assert_true (spin_until (job_idle, mp, 30));
  spin_for (0.1);
  g_assert_cmpuint (n_done, ==, 1);
  g_assert_cmpuint (last_drawn, ==, 5000);
  /* Cancelled outright: nothing reported. */
  run (mp, big);
  vi_model_page_cancel_job (mp);
  g_assert_false (vi_model_page_is_running_job (mp));
  spin_for (0.3);
  g_assert_cmpuint (n_done, ==, 1);
  g_object_unref (self);
}

/* ---- the run manager, on the bbvi page ------------------------------------ */

static gpointer run_snapshot;   /* a finished bbvi run's */

/* Sets @text (merged into the page's settings) and keeps a run made with
 * them, showing run_snapshot as its results. */
static void
keep_run (ViPage     *page,
          const char *text)
{
  g_autoptr(GVariant) v = parse (text);
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (vi_page_set_settings (page, v, &error));
  g_assert_no_error (error);
  settings = vi_page_dup_settings (page, &error);
  g_assert_no_error (error);
  vi_page_show_snapshot (page, run_snapshot);
  vi_page_keep_history (page, settings);
}

static void
set_current (ViPage     *page,
             const char *text)
{
  g_autoptr(GVariant) v = parse (text);

  g_assert_true (vi_page_set_settings (page, v, NULL));
}

/* The labels of the runs the plots get, joined by "|", with their slots. */
static char *
drawn_runs (ViModelPage *mp)
{
  ViPlotView *plot = vi_page_get_main_plot (VI_PAGE (mp));
  GString *s = g_string_new (NULL);
  ViViewContext ctx;

  vi_model_page_view_context_init (mp, &ctx, plot);
  for (guint i = 0; i < ctx.n_history; i++)
    g_string_append_printf (s, "%s%u:%s", i > 0 ? "|" : "", ctx.history[i].slot,
                            ctx.history[i].label);
  vi_page_view_context_clear (&ctx);
  return g_string_free (s, FALSE);
}

#define RUN_A "{'synthetic-n': <int64 20>, 'family': <'gamma'>, 'step-size': <0.05>}"
#define RUN_B "{'synthetic-n': <int64 20>, 'family': <'exponential'>, 'step-size': <0.05>}"
#define RUN_C "{'synthetic-n': <int64 50>, 'family': <'gamma'>, 'step-size': <0.05>}"
#define CURRENT "{'synthetic-n': <int64 20>, 'family': <'lognormal'>, 'step-size': <0.1>}"

static ViModelPage *
bbvi_page_with_runs (gpointer *snap_out)
{
  ViModelPage *mp = g_object_ref_sink (g_object_new (VI_TYPE_BBVI_PAGE, NULL));
  ViPage *page = VI_PAGE (mp);
  g_autoptr(GVariant) params = parse ("{'iterations': <int64 3>, 'samples': <int64 10>}");
  g_autoptr(GError) error = NULL;
  ViJob *job = vi_job_create (&vi_bbvi_job_type, params, &error);
  gpointer snap;

  g_assert_no_error (error);
  while (!vi_job_is_finished (job))
    vi_job_step (job, NULL);
  snap = vi_job_snapshot (job);
  run_snapshot = snap;
  *snap_out = snap;
  vi_job_free (job);
  keep_run (page, RUN_A);
  keep_run (page, RUN_B);
  keep_run (page, RUN_C);
  set_current (page, CURRENT);
  vi_model_page_relabel_history (mp);
  return mp;
}

/* Human labels; runs on other data left out with a reason; hide, show,
 * rename, the legend's toggle, pins and Clear History. */
static void
test_runs (void)
{
  gpointer snap = NULL;
  ViModelPage *mp = bbvi_page_with_runs (&snap);
  ViPage *page = VI_PAGE (mp);
  g_autofree char *drawn = NULL, *reason = NULL;

  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 3);
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 0), ==, "N = 20 · Gamma q · step 0.05");
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 1), ==, "N = 20 · Exponential q · step 0.05");
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 2), ==, "N = 50 · Gamma q · step 0.05");

  /* Run C is on other data: not drawn, and the list says why. */
  drawn = drawn_runs (mp);
  g_assert_cmpstr (drawn, ==,
                   "0:N = 20 · Gamma q · step 0.05|1:N = 20 · Exponential q · step 0.05");
  reason = vi_model_page_dup_run_reason (mp, 2);
  g_assert_cmpstr (reason, ==, "other data: N = 50");
  g_clear_pointer (&reason, g_free);
  g_assert_null (vi_model_page_dup_run_reason (mp, 0));
  /* Another Monte-Carlo seed on the same data seed is the same data. */
  set_current (page, "{'synthetic-n': <int64 50>, 'seed': <uint64 9>, 'data-seed': <uint64 1>}");
  g_assert_null (vi_model_page_dup_run_reason (mp, 2));
  reason = vi_model_page_dup_run_reason (mp, 0);
  g_assert_cmpstr (reason, ==, "other data: N = 20");
  g_clear_pointer (&reason, g_free);
  set_current (page, "{'seed': <uint64 1>}");
  set_current (page, CURRENT);

  /* Hidden: not drawn, its colour slot kept by the others. */
  vi_model_page_set_run_visible (mp, 0, FALSE);
  g_assert_false (vi_model_page_get_run_visible (mp, 0));
  g_clear_pointer (&drawn, g_free);
  drawn = drawn_runs (mp);
  g_assert_cmpstr (drawn, ==, "1:N = 20 · Exponential q · step 0.05");
  vi_model_page_set_run_visible (mp, 0, TRUE);

  /* Renamed, and back to the settings label with an empty name. */
  vi_model_page_rename_run (mp, 1, "  baseline ");
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 1), ==, "baseline");
  g_clear_pointer (&drawn, g_free);
  drawn = drawn_runs (mp);
  g_assert_cmpstr (drawn, ==, "0:N = 20 · Gamma q · step 0.05|1:baseline");
  /* A click on its legend entry toggles it. */
  g_assert_true (vi_model_page_toggle_run_group (mp, "baseline"));
  g_assert_false (vi_model_page_get_run_visible (mp, 1));
  g_assert_true (vi_model_page_toggle_run_group (mp, "baseline"));
  g_assert_true (vi_model_page_get_run_visible (mp, 1));
  g_assert_false (vi_model_page_toggle_run_group (mp, "no such run"));
  vi_model_page_rename_run (mp, 1, "");
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 1), ==, "N = 20 · Exponential q · step 0.05");

  /* A pinned run survives Clear History; a re-run keeps its pin. */
  vi_model_page_set_run_pinned (mp, 1, TRUE);
  vi_model_page_rename_run (mp, 1, "pinned");
  vi_page_clear_history (page);
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 1);
  g_assert_true (vi_model_page_get_run_pinned (mp, 0));
  keep_run (page, RUN_B);
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 1);
  g_assert_true (vi_model_page_get_run_pinned (mp, 0));
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 0), ==, "pinned");
  /* … and making room for new runs drops the oldest unpinned ones. */
  for (int k = 0; k < 10; k++)
    {
      g_autofree char *text = g_strdup_printf ("{'samples': <int64 %d>}", 20 + k);

      keep_run (page, text);
    }
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 8);
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 0), ==, "pinned");
  g_assert_nonnull (strstr (vi_model_page_get_run_label (mp, 1), "S = 23"));
  vi_bbvi_job_type.snapshot_free (snap);
  g_object_unref (mp);
}

/* The slots of the runs the plots get, joined by ",". */
static char *
drawn_slots (ViModelPage *mp)
{
  ViPlotView *plot = vi_page_get_main_plot (VI_PAGE (mp));
  GString *s = g_string_new (NULL);
  ViViewContext ctx;

  vi_model_page_view_context_init (mp, &ctx, plot);
  for (guint i = 0; i < ctx.n_history; i++)
    g_string_append_printf (s, "%s%u", i > 0 ? "," : "", ctx.history[i].slot);
  vi_page_view_context_clear (&ctx);
  return g_string_free (s, FALSE);
}

/* The views ask every frame which runs share the current data; the answer
 * is remembered per run, and follows the settings and the history. */
static void
test_runs_same_data_cache (void)
{
  gpointer snap = NULL;
  ViModelPage *mp = bbvi_page_with_runs (&snap);
  ViPage *page = VI_PAGE (mp);
  const struct { const char *current, *drawn; } frames[] = {
    { CURRENT, "0,1" },
    { CURRENT, "0,1" },
    /* Other data: the remembered answers are not reused… */
    { "{'synthetic-n': <int64 50>}", "2" },
    /* … nor those of other settings on the same data… */
    { "{'synthetic-n': <int64 50>, 'family': <'exponential'>}", "2" },
    { "{'synthetic-n': <int64 30>}", "" },
    /* … and back to the first settings the first answer holds again. */
    { CURRENT, "0,1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autofree char *drawn = NULL;

      set_current (page, frames[i].current);
      drawn = drawn_slots (mp);
      g_assert_cmpstr (drawn, ==, frames[i].drawn);
    }
  /* A run kept on other data, or deleted, changes the answer. */
  keep_run (page, "{'synthetic-n': <int64 30>}");
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *drawn = NULL;

      set_current (page, "{'synthetic-n': <int64 30>}");
      drawn = drawn_slots (mp);
      g_assert_cmpstr (drawn, ==, round == 0 ? "3" : "");
      set_current (page, CURRENT);
      g_clear_pointer (&drawn, g_free);
      drawn = drawn_slots (mp);
      g_assert_cmpstr (drawn, ==, "0,1");
      if (round == 0)
        vi_model_page_delete_run (mp, 3);
    }
  vi_bbvi_job_type.snapshot_free (snap);
  g_object_unref (mp);
}

/* Delete puts the run aside; Undo puts it back at its place, once. */
static void
test_runs_undo (void)
{
  gpointer snap = NULL;
  ViModelPage *mp = bbvi_page_with_runs (&snap);
  g_autofree char *label = g_strdup (vi_model_page_get_run_label (mp, 1));

  g_assert_false (vi_model_page_undo_delete_run (mp));
  vi_model_page_set_run_visible (mp, 1, FALSE);
  vi_model_page_delete_run (mp, 1);
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 2);
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 1), ==, "N = 50 · Gamma q · step 0.05");
  g_assert_true (vi_model_page_undo_delete_run (mp));
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 3);
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 1), ==, label);
  g_assert_false (vi_model_page_get_run_visible (mp, 1));
  g_assert_false (vi_model_page_undo_delete_run (mp));
  /* Only the last delete is undone. */
  vi_model_page_delete_run (mp, 0);
  vi_model_page_delete_run (mp, 0);
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 1);
  g_assert_true (vi_model_page_undo_delete_run (mp));
  g_assert_cmpuint (vi_model_page_get_n_history (mp), ==, 2);
  g_assert_cmpstr (vi_model_page_get_run_label (mp, 0), ==, label);
  vi_bbvi_job_type.snapshot_free (snap);
  g_object_unref (mp);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  /* Links the page templates in (registered when loaded). */
  g_assert_nonnull (vi_resources_get_resource ());

  g_test_add_func ("/app/model-page/bindings", test_bindings);
  g_test_add_func ("/app/model-page/history", test_history);
  g_test_add_func ("/app/model-page/history-keep", test_history_keep);
  g_test_add_func ("/app/model-page/plots-and-guard", test_plots_and_guard);
  g_test_add_func ("/app/model-page/run-job", test_run_job);
  g_test_add_func ("/app/model-page/runs", test_runs);
  g_test_add_func ("/app/model-page/runs-undo", test_runs_undo);
  g_test_add_func ("/app/model-page/runs-same-data-cache", test_runs_same_data_cache);
  return g_test_run ();
}
