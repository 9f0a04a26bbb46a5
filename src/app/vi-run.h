/* vi-run.h — one job driven by its own worker thread
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vi-job.h"

G_BEGIN_DECLS

typedef enum
{
  VI_RUN_IDLE,          /* created or reset; no step made */
  VI_RUN_RUNNING,
  VI_RUN_PAUSED,
  VI_RUN_FINISHED,      /* the job returned VI_OK */
  VI_RUN_FAILED,        /* the job returned an error; see error-message */
  VI_RUN_CANCELLED,     /* cancelled mid-step; start/step continue it */
} ViRunState;

#define VI_TYPE_RUN_STATE (vi_run_state_get_type ())
GType vi_run_state_get_type (void);

#define VI_TYPE_RUN (vi_run_get_type ())
G_DECLARE_FINAL_TYPE (ViRun, vi_run, VI, RUN, GObject)

/* Creates the job from @params (a{sv}, floating refs sunk) in the calling
 * thread, so bad parameters fail here with the core's message. That is
 * cheap: a counts file comes from the dataset cache (vi-dataset.h), which
 * the page's validation has already filled. The worker thread starts with
 * the first vi_run_start() or vi_run_step(). */
ViRun        *vi_run_new                  (const ViJobType  *type,
                                           GVariant         *params,
                                           GError          **error);
/* Commands; all return at once (they are queued for the worker) except
 * cancel and reset, which return when the worker has stopped (within
 * 100 ms, long steps poll the cancel flag). */
void          vi_run_start                (ViRun            *self);
void          vi_run_pause                (ViRun            *self);
void          vi_run_step                 (ViRun            *self);
void          vi_run_cancel               (ViRun            *self);
void          vi_run_reset                (ViRun            *self);
/* Sends LIVE edits (a{sv} of VI_PARAM_LIVE or VI_PARAM_VIEW keys, floating
 * refs sunk) to the job, applied between two steps (ViJobType.apply): the
 * iteration count and the results so far stay, and later steps equal those
 * of a job that got the same edit at the same step. The run's parameters
 * (vi_run_get_params, and a reset) take them at once. Returns FALSE and sets
 * @error, changing nothing, if a key is not live or a value is refused. */
gboolean      vi_run_apply                (ViRun            *self,
                                           GVariant         *edits,
                                           GError          **error);

/* A function called on the job between two steps, on the thread that owns
 * it (the worker): it may read or write the job's state (e.g. save its
 * model) but must not call GTK or touch the UI. */
typedef gboolean (*ViRunJobFunc) (ViJob     *job,
                                  gpointer   data,
                                  GError   **error);
/* Calls @func (job, @data) between two steps and reports through
 * @callback in the caller's thread-default main context
 * (vi_run_call_finish); @destroy frees @data afterwards. The worker takes it
 * like a command, after the step under way (a step is short: it polls the
 * cancel flag), and then goes on as before — a running run keeps running,
 * the UI never waits. Without a worker one is started (it makes no step).
 * When the run is cancelled, reset or disposed first, @func is called in
 * the calling thread once the worker has stopped, before a reset replaces
 * the job, so the call is never lost. */
void          vi_run_call_async           (ViRun               *self,
                                           ViRunJobFunc         func,
                                           gpointer             data,
                                           GDestroyNotify       destroy,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* TRUE, or FALSE with @func's error; @iteration (optional) gets the job's
 * iteration when @func ran (what a saved model holds). */
gboolean      vi_run_call_finish          (ViRun               *self,
                                           GAsyncResult        *result,
                                           guint64             *iteration,
                                           GError             **error);

/* What it takes for the run to match @settings (a{sv}, the page's full
 * settings; NULL: refused ones), from the job table's flags: */
typedef enum
{
  VI_RUN_EDIT_NONE,     /* nothing the job reads changed */
  VI_RUN_EDIT_VIEW,     /* only VIEW keys: redraw */
  VI_RUN_EDIT_LIVE,     /* LIVE (and VIEW) keys: vi_run_apply (*@live_edits) */
  VI_RUN_EDIT_RESTART,  /* anything else, refused settings, or LIVE edits
                         * to a finished or failed run: a new run */
} ViRunEdit;
/* @live_edits: (out) (optional) the changed LIVE keys and their new values
 * when the answer is VI_RUN_EDIT_LIVE, else NULL. */
ViRunEdit     vi_run_diff_settings        (ViRun            *self,
                                           GVariant         *settings,
                                           GVariant        **live_edits);
/* 0 = as fast as possible; otherwise at most @n steps per vi_run_grant()
 * (the window grants once per frame). */
void          vi_run_set_steps_per_frame  (ViRun            *self,
                                           guint             n);
guint         vi_run_get_steps_per_frame  (ViRun            *self);
void          vi_run_grant                (ViRun            *self);

/* Main thread: takes the newest snapshot if there is one (a pointer swap
 * under the lock, never waiting on a step) and updates the properties.
 * Returns TRUE if a new snapshot arrived. */
gboolean      vi_run_update               (ViRun            *self);
/* (transfer none) The last snapshot vi_run_update() took, or NULL; valid
 * until the next vi_run_update() or reset. It is an immutable shared box:
 * keep it longer with vi_job_snapshot_ref(), never copy it. */
gconstpointer vi_run_get_snapshot         (ViRun            *self);

ViRunState    vi_run_get_state            (ViRun            *self);
gboolean      vi_run_is_running           (ViRun            *self);
gboolean      vi_run_is_active            (ViRun            *self);
guint64       vi_run_get_iteration        (ViRun            *self);
double        vi_run_get_elapsed          (ViRun            *self);
double        vi_run_get_steps_per_second (ViRun            *self);
double        vi_run_get_objective        (ViRun            *self);
const char   *vi_run_get_error_message    (ViRun            *self);
/* (transfer none) */
GVariant     *vi_run_get_params           (ViRun            *self);
const ViJobType *vi_run_get_job_type      (ViRun            *self);

/* Runs a job of @type with @params (a{sv}, floating refs sunk) to its end
 * on a GTask worker thread — a measurement beside the window's runs.
 * Cancelling @cancellable sets the job's cancel flag, so it stops within
 * a step's poll. @callback runs in the caller's thread-default main
 * context. */
void          vi_job_run_async            (const ViJobType     *type,
                                           GVariant            *params,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* (transfer full) The job's final snapshot (release it with the type's
 * snapshot_free, or vi_job_run_free_snapshot) and in @seconds (optional)
 * the wall time it took; or NULL and @error: the create error, the failed
 * step's (VI_ERROR, its status), or G_IO_ERROR_CANCELLED. */
gpointer      vi_job_run_finish           (GAsyncResult        *result,
                                           double              *seconds,
                                           GError             **error);
/* Releases @snapshot, a result of vi_job_run_finish() for @result. */
void          vi_job_run_free_snapshot    (GAsyncResult        *result,
                                           gpointer             snapshot);

G_END_DECLS
