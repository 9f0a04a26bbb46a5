/* test-run.c — ViRun's runner protocol without a window: LIVE edits between
 * steps (vi_run_apply) and the window's decision (vi_run_diff_settings)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gsl/gsl_errno.h>

#include "vi-bbvi-job.h"
#include "vi-expfam-job.h"
#include "vi-run.h"
#include "vi-status.h"

#define BBVI_PARAMS "{'synthetic-n': <int64 40>, 'seed': <int64 3>, " \
                    "'estimators': <'naive,cv'>, 'samples': <int64 20>, " \
                    "'iterations': <int64 150>, 'step-size': <0.05>}"

static GVariant *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return v;
}

static ViRun *
new_run (const ViJobType *type,
         const char      *params)
{
  g_autoptr(GError) error = NULL;
  ViRun *run = vi_run_new (type, parse (params), &error);

  g_assert_no_error (error);
  return run;
}

/* Polls the mailbox (as the window's frames do) until @run has made
 * @iteration steps or stopped; FALSE after 60 s. */
static gboolean
wait_for (ViRun   *run,
          guint64  iteration)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      vi_run_update (run);
      if (vi_run_get_iteration (run) >= iteration || vi_run_get_state (run) == VI_RUN_FINISHED)
        return TRUE;
      g_usleep (1000);
    }
  return FALSE;
}

/* A step-size edit sent to a run paused at step 40 keeps its iteration
 * count and traces; the run ends equal to a job that got the same edit at
 * the same step. */
static void
test_apply_mid_run (void)
{
  g_autoptr(ViRun) run = new_run (&vi_bbvi_job_type, BBVI_PARAMS);
  g_autoptr(GError) error = NULL;
  ViJob *job = vi_job_create (&vi_bbvi_job_type, parse (BBVI_PARAMS), &error);
  const ViBbviSnapshot *got;
  ViBbviSnapshot *want;
  double step = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 40; i++)
    vi_run_step (run);
  g_assert_true (wait_for (run, 40));
  g_assert_cmpuint (vi_run_get_iteration (run), ==, 40);
  g_assert_true (vi_run_apply (run, parse ("{'step-size': <0.5>}"), &error));
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (vi_run_get_params (run), "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.5);
  /* Applied between steps, not by a restart: nothing is lost. */
  vi_run_update (run);
  g_assert_cmpuint (vi_run_get_iteration (run), ==, 40);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_PAUSED);
  vi_run_start (run);
  g_assert_true (wait_for (run, 150));
  g_assert_true (wait_for (run, 150));
  while (vi_run_get_state (run) != VI_RUN_FINISHED)
    {
      vi_run_update (run);
      g_usleep (1000);
    }

  while (vi_job_get_iteration (job) < 40)
    g_assert_cmpint (vi_job_step (job, NULL), ==, VI_CONTINUE);
  g_assert_true (vi_job_apply (job, parse ("{'step-size': <0.5>}"), &error));
  while (vi_job_step (job, NULL) == VI_CONTINUE)
    ;
  want = vi_job_snapshot (job);
  got = vi_run_get_snapshot (run);
  g_assert_cmpuint (got->iteration, ==, 150);
  g_assert_cmpuint (got->n_traces, ==, want->n_traces);
  for (size_t k = 0; k < got->n_traces; k++)
    {
      g_assert_cmpuint (got->traces[k].len, ==, 150);
      g_assert_cmpmem (got->traces[k].elbo, 150 * sizeof (double),
                       want->traces[k].elbo, 150 * sizeof (double));
      g_assert_cmpmem (got->traces[k].params, 150 * sizeof (double),
                       want->traces[k].params, 150 * sizeof (double));
    }
  vi_bbvi_snapshot_free (want);
  vi_job_free (job);
}

/* Edits sent while the run is running, or before it ever started, land. */
static void
test_apply_while_running (void)
{
  g_autoptr(ViRun) run = new_run (&vi_bbvi_job_type, BBVI_PARAMS);
  g_autoptr(ViRun) idle = new_run (&vi_bbvi_job_type, BBVI_PARAMS);
  double step = 0;

  g_assert_true (vi_run_apply (idle, parse ("{'step-size': <0.2>, 'threads': <int64 2>}"),
                               NULL));
  g_assert_true (g_variant_lookup (vi_run_get_params (idle), "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.2);

  vi_run_set_steps_per_frame (run, 0);
  vi_run_start (run);
  g_assert_true (vi_run_apply (run, parse ("{'step-size': <0.1>}"), NULL));
  g_assert_true (vi_run_apply (run, parse ("{'step-size': <0.3>}"), NULL));
  g_assert_true (wait_for (run, 150));
  while (vi_run_get_state (run) != VI_RUN_FINISHED)
    {
      vi_run_update (run);
      g_usleep (1000);
    }
  g_assert_cmpuint (vi_run_get_iteration (run), ==, 150);
  g_assert_true (g_variant_lookup (vi_run_get_params (run), "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.3);
  /* A reset starts over from the edited parameters. */
  vi_run_reset (run);
  g_assert_true (g_variant_lookup (vi_run_get_params (run), "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.3);
}

/* Keys that are not LIVE are refused and change nothing. */
static void
test_apply_refuses (void)
{
  g_autoptr(ViRun) run = new_run (&vi_bbvi_job_type, BBVI_PARAMS);
  g_autoptr(GVariant) before = g_variant_ref (vi_run_get_params (run));
  g_autoptr(GError) error = NULL;

  g_assert_false (vi_run_apply (run, parse ("{'seed': <int64 9>}"), &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_clear_error (&error);
  g_assert_false (vi_run_apply (run, parse ("{'step-size': <-2.0>}"), &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  g_assert_true (g_variant_equal (vi_run_get_params (run), before));
}

static ViRunEdit
diff (ViRun      *run,
      const char *settings,
      GVariant  **edits)
{
  g_autoptr(GVariant) v = settings != NULL ? g_variant_ref_sink (parse (settings)) : NULL;

  return vi_run_diff_settings (run, v, edits);
}

/* The window's decision: LIVE keys are applied, VIEW keys only redraw, DATA
 * and structural keys (or refused settings) restart. */
static void
test_diff_settings (void)
{
  g_autoptr(ViRun) run = new_run (&vi_bbvi_job_type, BBVI_PARAMS);
  g_autoptr(ViRun) expfam = new_run (&vi_expfam_job_type, "{'family': <'gamma'>}");
  g_autoptr(GVariant) edits = NULL;
  double step = 0;

  g_assert_cmpint (diff (run, BBVI_PARAMS, &edits), ==, VI_RUN_EDIT_NONE);
  g_assert_null (edits);
  /* Defaults spelled out are no change. */
  g_assert_cmpint (diff (run, "{'synthetic-n': <int64 40>, 'seed': <int64 3>, "
                              "'estimators': <'naive,cv'>, 'samples': <int64 20>, "
                              "'iterations': <int64 150>, 'step-size': <0.05>, "
                              "'alpha': <2.0>}", NULL), ==, VI_RUN_EDIT_NONE);
  g_assert_cmpint (diff (run, "{'synthetic-n': <int64 40>, 'seed': <int64 3>, "
                              "'estimators': <'naive,cv'>, 'samples': <int64 20>, "
                              "'iterations': <int64 150>, 'step-size': <0.25>}", &edits),
                   ==, VI_RUN_EDIT_LIVE);
  g_assert_cmpuint (g_variant_n_children (edits), ==, 1);
  g_assert_true (g_variant_lookup (edits, "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.25);
  g_clear_pointer (&edits, g_variant_unref);
  /* DATA (the seed) and structural (samples) edits restart, even beside a
   * LIVE one. */
  g_assert_cmpint (diff (run, "{'synthetic-n': <int64 40>, 'seed': <int64 4>, "
                              "'estimators': <'naive,cv'>, 'samples': <int64 20>, "
                              "'iterations': <int64 150>, 'step-size': <0.25>}", &edits),
                   ==, VI_RUN_EDIT_RESTART);
  g_assert_null (edits);
  g_assert_cmpint (diff (run, "{'synthetic-n': <int64 40>, 'seed': <int64 3>, "
                              "'estimators': <'naive,cv'>, 'samples': <int64 21>, "
                              "'iterations': <int64 150>, 'step-size': <0.05>}", NULL),
                   ==, VI_RUN_EDIT_RESTART);
  /* A LIVE key dropped (back to the derived default) cannot be sent. */
  g_assert_cmpint (diff (run, "{'synthetic-n': <int64 40>, 'seed': <int64 3>, "
                              "'estimators': <'naive,cv'>, 'samples': <int64 20>, "
                              "'iterations': <int64 150>}", NULL), ==, VI_RUN_EDIT_RESTART);
  g_assert_cmpint (diff (run, NULL, NULL), ==, VI_RUN_EDIT_RESTART);
  g_assert_cmpint (diff (run, "{'samples': <int64 0>}", NULL), ==, VI_RUN_EDIT_RESTART);

  g_assert_cmpint (diff (expfam, "{'family': <'gamma'>, 'coordinate': <int64 1>}", &edits),
                   ==, VI_RUN_EDIT_VIEW);
  g_assert_null (edits);
  g_assert_cmpint (diff (expfam, "{'family': <'gamma'>, 'batch': <int64 7>}", &edits),
                   ==, VI_RUN_EDIT_LIVE);
  g_clear_pointer (&edits, g_variant_unref);

  /* A finished run's results were made with the old value: restart. */
  vi_run_set_steps_per_frame (run, 0);
  vi_run_start (run);
  g_assert_true (wait_for (run, 150));
  while (vi_run_get_state (run) != VI_RUN_FINISHED)
    {
      vi_run_update (run);
      g_usleep (1000);
    }
  g_assert_cmpint (diff (run, "{'synthetic-n': <int64 40>, 'seed': <int64 3>, "
                              "'estimators': <'naive,cv'>, 'samples': <int64 20>, "
                              "'iterations': <int64 150>, 'step-size': <0.25>}", &edits),
                   ==, VI_RUN_EDIT_RESTART);
  g_assert_null (edits);
}

typedef struct
{
  gboolean done;
  gpointer snapshot;
  double seconds;
  GError *error;
} AsyncResult;

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncResult *r = data;

  r->snapshot = vi_job_run_finish (result, &r->seconds, &r->error);
  r->done = TRUE;
}

static void
wait_async (AsyncResult *r)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!r->done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r->done);
}

/* vi_job_run_async runs a job to its end off the calling thread, and
 * equals the same job stepped here; cancelling stops it; bad parameters
 * come back as the create error. */
static void
test_job_run_async (void)
{
  AsyncResult r = { 0 }, c = { 0 }, bad = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ViJob *job = vi_job_create (&vi_bbvi_job_type, parse (BBVI_PARAMS), NULL);
  ViBbviSnapshot *want, *got;

  vi_job_run_async (&vi_bbvi_job_type, parse (BBVI_PARAMS), NULL, async_done, &r);
  wait_async (&r);
  g_assert_no_error (r.error);
  got = r.snapshot;
  while (vi_job_step (job, NULL) == VI_CONTINUE)
    ;
  want = vi_job_snapshot (job);
  g_assert_cmpuint (got->iteration, ==, 150);
  g_assert_cmpfloat (r.seconds, >=, 0);
  g_assert_cmpmem (got->traces[1].elbo, 150 * sizeof (double),
                   want->traces[1].elbo, 150 * sizeof (double));
  vi_bbvi_snapshot_free (got);
  vi_bbvi_snapshot_free (want);
  vi_job_free (job);

  /* A long variance sweep, cancelled at once. */
  vi_job_run_async (&vi_bbvi_job_type,
                    parse ("{'mode': <'variance'>, 'repeats': <int64 10000000>, "
                           "'estimators': <'naive'>}"), cancellable, async_done, &c);
  g_cancellable_cancel (cancellable);
  wait_async (&c);
  g_assert_null (c.snapshot);
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&c.error);

  vi_job_run_async (&vi_bbvi_job_type, parse ("{'counts-file': <'/dev/zero'>}"), NULL,
                    async_done, &bad);
  wait_async (&bad);
  g_assert_null (bad.snapshot);
  g_assert_error (bad.error, VI_ERROR, VI_EIO);
  g_assert_nonnull (strstr (bad.error->message, "/dev/zero"));
  g_clear_error (&bad.error);
}

/* ---- calls on the job between steps ------------------------------------- */

typedef struct
{
  gboolean done, ok;
  guint64 iteration;
  GError *error;
} CallResult;

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  CallResult *r = data;

  r->ok = vi_run_call_finish (VI_RUN (source), result, &r->iteration, &r->error);
  r->done = TRUE;
}

static void
wait_call (CallResult *r)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!r->done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (r->done);
}

/* Reads the iteration twice, 20 ms apart: nothing steps the job meanwhile.
 * Fails with VI_EIO when @data is non-NULL. */
static gboolean
probe_job (ViJob     *job,
           gpointer   data,
           GError   **error)
{
  guint64 before = vi_job_get_iteration (job);

  g_usleep (20000);
  g_assert_cmpuint (vi_job_get_iteration (job), ==, before);
  if (data != NULL)
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: refused", (const char *) data);
      return FALSE;
    }
  return TRUE;
}

/* vi_run_call_async runs on the job between two steps of a running run,
 * which goes on running; errors come back; a paused, an unstarted and a
 * cancelled run take calls too, and a call queued before a cancel is not
 * lost. */
static void
test_call (void)
{
  g_autoptr(ViRun) run = new_run (&vi_bbvi_job_type,
                                  "{'synthetic-n': <int64 40>, 'seed': <int64 3>, "
                                  "'estimators': <'naive'>, 'samples': <int64 200>, "
                                  "'iterations': <int64 1000000>, 'step-size': <0.001>}");
  CallResult a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 };

  vi_run_call_async (run, probe_job, NULL, NULL, call_done, &e);
  wait_call (&e);
  g_assert_true (e.ok);
  g_assert_cmpuint (e.iteration, ==, 0);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_IDLE);

  vi_run_start (run);
  g_assert_true (wait_for (run, 50));
  vi_run_call_async (run, probe_job, NULL, NULL, call_done, &a);
  wait_call (&a);
  g_assert_true (a.ok);
  g_assert_no_error (a.error);
  g_assert_cmpuint (a.iteration, >=, 50);
  g_assert_true (vi_run_is_running (run));
  g_assert_true (wait_for (run, a.iteration + 50));
  g_assert_cmpuint (vi_run_get_iteration (run), >, a.iteration);

  vi_run_call_async (run, probe_job, g_strdup ("model.file"), g_free, call_done, &b);
  wait_call (&b);
  g_assert_false (b.ok);
  g_assert_error (b.error, VI_ERROR, VI_EIO);
  g_assert_cmpstr (b.error->message, ==, "model.file: refused");
  g_clear_error (&b.error);

  vi_run_pause (run);
  vi_run_call_async (run, probe_job, NULL, NULL, call_done, &c);
  /* Queued, then the worker is stopped: the call runs here. */
  vi_run_cancel (run);
  wait_call (&c);
  g_assert_true (c.ok);
  g_assert_cmpint (vi_run_get_state (run), ==, VI_RUN_CANCELLED);
  vi_run_call_async (run, probe_job, NULL, NULL, call_done, &d);
  wait_call (&d);
  g_assert_true (d.ok);
  g_assert_cmpuint (d.iteration, >=, c.iteration);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* As in the app: GSL reports errors by status, never by abort. */
  gsl_set_error_handler_off ();
  g_test_add_func ("/app/run/apply-mid-run", test_apply_mid_run);
  g_test_add_func ("/app/run/apply-while-running", test_apply_while_running);
  g_test_add_func ("/app/run/apply-refuses", test_apply_refuses);
  g_test_add_func ("/app/run/diff-settings", test_diff_settings);
  g_test_add_func ("/app/run/job-run-async", test_job_run_async);
  g_test_add_func ("/app/run/call", test_call);
  return g_test_run ();
}
