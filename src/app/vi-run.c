/* vi-run.c — one job driven by a worker thread of its own while it runs
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker owns the ViJob; nothing else touches it while the worker lives.
 * The UI talks to it through a command queue (cmd_lock/cmd_cond) and reads
 * its results from a one-slot mailbox (slot_lock) holding the newest
 * snapshot. Neither lock is held while stepping or while drawing.
 * Calls (vi_run_call_async, e.g. saving a checkpoint) queue beside the
 * commands and run on the worker between two steps, so the job never has
 * two owners; their GTask returns to the caller's main context.
 */
#include "config.h"

#include <math.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vi-run.h"
#include "vi-status.h"
#include "vi-thread.h"
#include "vi-util.h"

/* While running flat out, publish a snapshot at most this often (µs); the
 * display cannot show more and deep copies are not free. */
#define PUBLISH_INTERVAL_NS 8000000

typedef enum
{
  CMD_RUN = 1,
  CMD_PAUSE,
  CMD_STEP,
  CMD_QUIT,
} Command;

struct _ViRun
{
  GObject parent_instance;

  const ViJobType *type;
  GVariant *params;
  ViJob *job;                   /* owned by the worker while it lives */
  ViThread *worker;

  /* Command queue, guarded by cmd_lock. */
  GMutex cmd_lock;
  GCond cmd_cond;
  GQueue commands;
  guint steps_per_frame;        /* 0 = unlimited */
  guint permits;
  gint cancel;                  /* atomic; polled by long steps */
  GQueue edits;                 /* LIVE edits (a{sv}) not yet applied, in order */
  GQueue calls;                 /* GTasks of vi_run_call_async () not yet run */

  /* Mailbox, guarded by slot_lock. */
  GMutex slot_lock;
  gpointer slot_snapshot;
  guint64 slot_serial;
  guint64 slot_iteration;
  double slot_objective;
  gint64 slot_busy_ns;          /* wall time spent stepping, ns */
  int slot_status;              /* last status other than VI_ECANCELLED */
  char *slot_error;
  gboolean slot_stopped;        /* worker is idle (paused, finished, failed) */

  /* Main-thread view. */
  gpointer snapshot;
  guint64 serial;
  ViRunState state;
  guint64 iteration;
  double elapsed;
  double steps_per_second;
  double objective;
  char *error_message;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_ITERATION,
  PROP_ELAPSED,
  PROP_STEPS_PER_SECOND,
  PROP_OBJECTIVE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ViRun, vi_run, G_TYPE_OBJECT)

GType
vi_run_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { VI_RUN_IDLE, "VI_RUN_IDLE", "idle" },
    { VI_RUN_RUNNING, "VI_RUN_RUNNING", "running" },
    { VI_RUN_PAUSED, "VI_RUN_PAUSED", "paused" },
    { VI_RUN_FINISHED, "VI_RUN_FINISHED", "finished" },
    { VI_RUN_FAILED, "VI_RUN_FAILED", "failed" },
    { VI_RUN_CANCELLED, "VI_RUN_CANCELLED", "cancelled" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("ViRunState", values));
  return type;
}

static void
publish (ViRun  *self,
         int     status,
         gint64  busy_ns,
         gboolean stopped)
{
  gpointer snap = vi_job_snapshot (self->job);
  gpointer old;

  g_mutex_lock (&self->slot_lock);
  old = self->slot_snapshot;
  self->slot_snapshot = snap;
  self->slot_serial++;
  self->slot_iteration = vi_job_get_iteration (self->job);
  self->slot_objective = vi_job_get_objective (self->job);
  self->slot_busy_ns += busy_ns;
  if (status != VI_ECANCELLED && status != VI_CONTINUE)
    self->slot_status = status;
  if (status != VI_OK && status != VI_CONTINUE && status != VI_ECANCELLED
      && self->slot_error == NULL)
    self->slot_error = g_strdup (vi_job_get_error_message (self->job));
  self->slot_stopped = stopped;
  g_mutex_unlock (&self->slot_lock);

  /* Freed outside the lock: the UI never waits on a free. */
  vi_job_snapshot_free (self->job, old);
}

/* Hands queued LIVE edits to the job, in order; the caller owns the job
 * (the worker between steps, or the main thread when there is no worker)
 * and holds cmd_lock, which is dropped around each. They were validated by
 * vi_run_apply(), so only running out of memory fails. */
static void
apply_edits (ViRun *self)
{
  GVariant *edits;

  while ((edits = g_queue_pop_head (&self->edits)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_mutex_unlock (&self->cmd_lock);
      if (!vi_job_apply (self->job, edits, &error))
        g_warning ("%s", error->message);
      g_variant_unref (edits);
      g_mutex_lock (&self->cmd_lock);
    }
}

typedef struct
{
  ViRunJobFunc   func;
  gpointer       data;
  GDestroyNotify destroy;
  guint64        iteration;     /* the job's, when func ran */
} Call;

static void
call_free (gpointer data)
{
  Call *c = data;

  if (c->destroy != NULL)
    c->destroy (c->data);
  g_free (c);
}

/* Runs the queued calls on the job, in order; the caller owns the job and
 * holds cmd_lock, which is dropped around each (as apply_edits). */
static void
run_calls (ViRun *self)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->calls)) != NULL)
    {
      Call *c = g_task_get_task_data (task);
      GError *error = NULL;

      g_mutex_unlock (&self->cmd_lock);
      c->iteration = vi_job_get_iteration (self->job);
      if (c->func (self->job, c->data, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      /* The task's return holds its own reference until the callback ran
       * in the caller's context, so this is never the last one there. */
      g_object_unref (task);
      g_mutex_lock (&self->cmd_lock);
    }
}

/* Monotonic time in nanoseconds: a hand step can take less than the
 * microsecond g_get_monotonic_time() resolves, and elapsed time is their
 * sum. */
static gint64
now_ns (void)
{
#ifdef CLOCK_MONOTONIC
  struct timespec ts;

  if (clock_gettime (CLOCK_MONOTONIC, &ts) == 0)
    return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
  return g_get_monotonic_time () * 1000;
}

static gpointer
worker_main (gpointer data)
{
  ViRun *self = data;
  gboolean want_run = FALSE;
  guint pending_steps = 0;
  gint64 last_publish = 0, unpublished_ns = 0;
  gint64 mark = 0;              /* start of the current running stretch */
  gboolean owe_stop = FALSE;    /* slot_stopped was cleared for a step */
  int status = VI_CONTINUE;

  /* A job stepping flat out must not starve the UI (and, under Xvfb, the
   * software rasteriser's threads). */
  vi_thread_set_nice (10);

  g_mutex_lock (&self->cmd_lock);
  for (;;)
    {
      gpointer cmd;
      gboolean quit = FALSE;
      gboolean can_step, idle_next;
      gint64 t0, t1;

      while ((cmd = g_queue_pop_head (&self->commands)) != NULL)
        switch (GPOINTER_TO_INT (cmd))
          {
          case CMD_RUN: want_run = TRUE; break;
          case CMD_PAUSE: want_run = FALSE; pending_steps = 0; break;
          case CMD_STEP:
            want_run = FALSE;
            pending_steps++;
            /* Until this step is published the UI keeps polling (see
             * vi_run_is_active), even if the previous step just said it
             * stopped. */
            g_mutex_lock (&self->slot_lock);
            self->slot_stopped = FALSE;
            g_mutex_unlock (&self->slot_lock);
            owe_stop = TRUE;
            break;
          case CMD_QUIT: quit = TRUE; break;
          default: g_assert_not_reached ();
          }
      if (quit)
        break;
      if (!g_queue_is_empty (&self->edits))
        {
          /* Between two steps, as a command: the next step sees them. */
          apply_edits (self);
          continue;
        }
      if (!g_queue_is_empty (&self->calls))
        {
          run_calls (self);
          continue;
        }

      can_step = !vi_job_is_finished (self->job)
        && (pending_steps > 0 || (want_run && (self->steps_per_frame == 0 || self->permits > 0)));
      if (!can_step)
        {
          if (unpublished_ns > 0 || owe_stop)
            {
              g_mutex_unlock (&self->cmd_lock);
              publish (self, status, unpublished_ns, TRUE);
              unpublished_ns = 0;
              owe_stop = FALSE;
              status = VI_CONTINUE;
              g_mutex_lock (&self->cmd_lock);
              continue;
            }
          /* Waiting for permits counts as running; a pause does not. */
          if (!want_run || vi_job_is_finished (self->job))
            mark = 0;
          g_cond_wait (&self->cmd_cond, &self->cmd_lock);
          continue;
        }
      if (pending_steps > 0)
        pending_steps--;
      else if (self->steps_per_frame > 0)
        self->permits--;
      g_mutex_unlock (&self->cmd_lock);

      t0 = now_ns ();
      if (mark == 0)
        mark = t0;
      status = vi_job_step (self->job, &self->cancel);
      t1 = now_ns ();
      /* Elapsed is wall time while running, not just time inside steps. */
      unpublished_ns += t1 - mark;
      mark = t1;

      if (status == VI_ECANCELLED)
        {
          g_mutex_lock (&self->cmd_lock);
          continue;
        }
      idle_next = status != VI_CONTINUE || (!want_run && pending_steps == 0);
      if (idle_next || t1 - last_publish >= PUBLISH_INTERVAL_NS)
        {
          publish (self, status, unpublished_ns, idle_next);
          unpublished_ns = 0;
          last_publish = t1;
          owe_stop = owe_stop && !idle_next;
          status = VI_CONTINUE;
        }
      g_mutex_lock (&self->cmd_lock);
      if (idle_next)
        want_run = FALSE;
    }
  g_mutex_unlock (&self->cmd_lock);

  if (unpublished_ns > 0)
    publish (self, status, unpublished_ns, TRUE);
  return NULL;
}

static void
push_command (ViRun   *self,
              Command  cmd)
{
  g_mutex_lock (&self->cmd_lock);
  g_queue_push_tail (&self->commands, GINT_TO_POINTER (cmd));
  g_cond_signal (&self->cmd_cond);
  g_mutex_unlock (&self->cmd_lock);
}

static void
ensure_worker (ViRun *self)
{
  g_autoptr(GError) error = NULL;

  if (self->worker != NULL)
    return;
  g_atomic_int_set (&self->cancel, 0);
  self->worker = vi_thread_start (worker_main, self, &error);
  if (self->worker == NULL)
    g_error ("Cannot start a worker thread: %s", error->message);
}

static void
set_state (ViRun      *self,
           ViRunState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
stop_worker (ViRun *self)
{
  if (self->worker == NULL)
    return;
  g_atomic_int_set (&self->cancel, 1);
  g_mutex_lock (&self->cmd_lock);
  g_queue_clear (&self->commands);
  g_queue_push_tail (&self->commands, GINT_TO_POINTER (CMD_QUIT));
  g_cond_signal (&self->cmd_cond);
  g_mutex_unlock (&self->cmd_lock);
  vi_thread_join (g_steal_pointer (&self->worker));
  g_atomic_int_set (&self->cancel, 0);
  /* Edits and calls the worker did not reach: the job is ours again. */
  g_mutex_lock (&self->cmd_lock);
  apply_edits (self);
  run_calls (self);
  g_mutex_unlock (&self->cmd_lock);
}

static void
clear_results (ViRun *self)
{
  g_mutex_lock (&self->slot_lock);
  if (self->slot_snapshot != NULL)
    vi_job_snapshot_free (self->job, g_steal_pointer (&self->slot_snapshot));
  self->slot_iteration = 0;
  self->slot_objective = NAN;
  self->slot_busy_ns = 0;
  self->slot_status = VI_CONTINUE;
  g_clear_pointer (&self->slot_error, g_free);
  self->slot_stopped = TRUE;
  g_mutex_unlock (&self->slot_lock);

  if (self->snapshot != NULL)
    vi_job_snapshot_free (self->job, g_steal_pointer (&self->snapshot));
  self->serial = self->slot_serial;
  self->iteration = 0;
  self->elapsed = 0;
  self->steps_per_second = 0;
  self->objective = NAN;
  g_clear_pointer (&self->error_message, g_free);
}

static void
vi_run_dispose (GObject *object)
{
  ViRun *self = VI_RUN (object);

  stop_worker (self);
  G_OBJECT_CLASS (vi_run_parent_class)->dispose (object);
}

#ifdef __GLIBC__
static void
trim_thread (gpointer data,
             gpointer user_data)
{
  vi_thread_set_nice (10);
  malloc_trim (0);
}
#endif

/* A job's memory, freed, goes back to the system as far as glibc can
 * give it. malloc_trim () returns the free pages inside every arena, but
 * a thread arena's top stays up to the trim threshold, which freeing the
 * window's 3 MB frame surfaces raises to about 7 MB. That is why jobs run
 * on kept threads (vi-thread.c): a new thread per job would leave a job's
 * worth at the top of ever more arenas (vae's soak: +15 MB over 8 runs).
 * (The 5–20 MB that LDA's soak kept per fresh run was the render thread
 * stroking dotted zig-zags: see dashes_show () in vi-series-line.c.)
 * Done on a thread of its own (an exclusive pool, so its nice 10 stays
 * there); requests while one waits are one. */
static void
trim_soon (void)
{
#ifdef __GLIBC__
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (trim_thread, NULL, 1, TRUE, NULL));
  if (g_thread_pool_unprocessed (pool) == 0)
    g_thread_pool_push (pool, GINT_TO_POINTER (1), NULL);
#endif
}

static void
vi_run_finalize (GObject *object)
{
  ViRun *self = VI_RUN (object);

  if (self->job != NULL)
    {
      clear_results (self);
      vi_job_free (self->job);
      trim_soon ();
    }
  g_queue_clear (&self->commands);
  g_queue_clear_full (&self->edits, (GDestroyNotify) g_variant_unref);
  g_queue_clear_full (&self->calls, g_object_unref);
  g_clear_pointer (&self->params, g_variant_unref);
  g_mutex_clear (&self->cmd_lock);
  g_cond_clear (&self->cmd_cond);
  g_mutex_clear (&self->slot_lock);
  G_OBJECT_CLASS (vi_run_parent_class)->finalize (object);
}

static void
vi_run_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  ViRun *self = VI_RUN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ITERATION:
      g_value_set_uint64 (value, self->iteration);
      break;
    case PROP_ELAPSED:
      g_value_set_double (value, self->elapsed);
      break;
    case PROP_STEPS_PER_SECOND:
      g_value_set_double (value, self->steps_per_second);
      break;
    case PROP_OBJECTIVE:
      g_value_set_double (value, self->objective);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vi_run_class_init (ViRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = vi_run_dispose;
  object_class->finalize = vi_run_finalize;
  object_class->get_property = vi_run_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, VI_TYPE_RUN_STATE, VI_RUN_IDLE, flags);
  properties[PROP_ITERATION] =
    g_param_spec_uint64 ("iteration", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_ELAPSED] =
    g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_STEPS_PER_SECOND] =
    g_param_spec_double ("steps-per-second", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_OBJECTIVE] =
    g_param_spec_double ("objective", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vi_run_init (ViRun *self)
{
  g_mutex_init (&self->cmd_lock);
  g_cond_init (&self->cmd_cond);
  g_mutex_init (&self->slot_lock);
  g_queue_init (&self->commands);
  g_queue_init (&self->edits);
  g_queue_init (&self->calls);
  self->objective = NAN;
  self->slot_objective = NAN;
  self->slot_stopped = TRUE;
  self->slot_status = VI_CONTINUE;
  self->steps_per_frame = 0;
}

ViRun *
vi_run_new (const ViJobType  *type,
            GVariant         *params,
            GError          **error)
{
  g_autoptr(GVariant) owned = NULL;
  ViJob *job;
  ViRun *self;

  g_return_val_if_fail (type != NULL, NULL);
  if (params == NULL)
    params = g_variant_new ("a{sv}", NULL);
  owned = g_variant_ref_sink (params);
  job = vi_job_create (type, owned, error);
  if (job == NULL)
    return NULL;
  self = g_object_new (VI_TYPE_RUN, NULL);
  self->type = type;
  self->params = g_steal_pointer (&owned);
  self->job = job;
  return self;
}

void
vi_run_start (ViRun *self)
{
  g_return_if_fail (VI_IS_RUN (self));
  if (self->state == VI_RUN_FINISHED || self->state == VI_RUN_FAILED)
    return;
  ensure_worker (self);
  push_command (self, CMD_RUN);
  set_state (self, VI_RUN_RUNNING);
}

void
vi_run_pause (ViRun *self)
{
  g_return_if_fail (VI_IS_RUN (self));
  if (self->state != VI_RUN_RUNNING)
    return;
  push_command (self, CMD_PAUSE);
  set_state (self, VI_RUN_PAUSED);
}

void
vi_run_step (ViRun *self)
{
  g_return_if_fail (VI_IS_RUN (self));
  if (self->state == VI_RUN_FINISHED || self->state == VI_RUN_FAILED)
    return;
  ensure_worker (self);
  push_command (self, CMD_STEP);
  set_state (self, VI_RUN_PAUSED);
}

void
vi_run_cancel (ViRun *self)
{
  g_return_if_fail (VI_IS_RUN (self));
  if (self->worker == NULL)
    return;
  stop_worker (self);
  vi_run_update (self);
  if (self->state == VI_RUN_RUNNING || self->state == VI_RUN_PAUSED)
    set_state (self, VI_RUN_CANCELLED);
}

void
vi_run_reset (ViRun *self)
{
  g_autoptr(GError) error = NULL;
  ViJob *job;

  g_return_if_fail (VI_IS_RUN (self));
  stop_worker (self);
  clear_results (self);
  /* The parameters were valid at vi_run_new(), so this cannot fail short of
   * running out of memory; keep the old job then. */
  job = vi_job_create (self->type, self->params, &error);
  if (job != NULL)
    {
      vi_job_free (self->job);
      self->job = job;
      trim_soon ();
    }
  else
    g_warning ("%s", error->message);
  g_mutex_lock (&self->cmd_lock);
  self->permits = 0;
  g_mutex_unlock (&self->cmd_lock);
  set_state (self, VI_RUN_IDLE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITERATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEPS_PER_SECOND]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECTIVE]);
}

gboolean
vi_run_apply (ViRun     *self,
              GVariant  *edits,
              GError   **error)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) merged = NULL;

  g_return_val_if_fail (VI_IS_RUN (self), FALSE);
  g_return_val_if_fail (edits != NULL, FALSE);
  owned = g_variant_ref_sink (edits);
  if (!vi_job_edits_are_live (self->type, owned))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL,
                   "%s: only live parameters can change during a run", self->type->name);
      return FALSE;
    }
  merged = vi_job_merge_params (self->type, self->params, owned, error);
  if (merged == NULL)
    return FALSE;
  g_variant_unref (self->params);
  self->params = g_steal_pointer (&merged);
  g_mutex_lock (&self->cmd_lock);
  g_queue_push_tail (&self->edits, g_steal_pointer (&owned));
  if (self->worker == NULL)
    apply_edits (self);
  g_cond_signal (&self->cmd_cond);
  g_mutex_unlock (&self->cmd_lock);
  return TRUE;
}

void
vi_run_call_async (ViRun               *self,
                   ViRunJobFunc         func,
                   gpointer             data,
                   GDestroyNotify       destroy,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task;
  Call *c;

  g_return_if_fail (VI_IS_RUN (self));
  g_return_if_fail (func != NULL);
  c = g_new0 (Call, 1);
  c->func = func;
  c->data = data;
  c->destroy = destroy;
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, vi_run_call_async);
  g_task_set_task_data (task, c, call_free);
  ensure_worker (self);
  g_mutex_lock (&self->cmd_lock);
  g_queue_push_tail (&self->calls, task);
  g_cond_signal (&self->cmd_cond);
  g_mutex_unlock (&self->cmd_lock);
}

gboolean
vi_run_call_finish (ViRun         *self,
                    GAsyncResult  *result,
                    guint64       *iteration,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vi_run_call_async, FALSE);
  if (iteration != NULL)
    *iteration = ((Call *) g_task_get_task_data (G_TASK (result)))->iteration;
  return g_task_propagate_boolean (G_TASK (result), error);
}

ViRunEdit
vi_run_diff_settings (ViRun     *self,
                      GVariant  *settings,
                      GVariant **live_edits)
{
  g_autoptr(GVariant) now = NULL;
  g_autoptr(GVariant) want = NULL;
  g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  ViRunEdit kind = VI_RUN_EDIT_NONE;
  GVariant *dicts[2];

  g_return_val_if_fail (VI_IS_RUN (self), VI_RUN_EDIT_RESTART);
  if (live_edits != NULL)
    *live_edits = NULL;
  now = vi_job_validate (self->type, self->params, NULL);
  want = settings != NULL ? vi_job_validate (self->type, settings, NULL) : NULL;
  if (now == NULL || want == NULL)
    return VI_RUN_EDIT_RESTART;
  dicts[0] = want;
  dicts[1] = now;
  /* Every key either side has: a key only one side has changed too. */
  for (guint side = 0; side < 2; side++)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, dicts[side]);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        {
          g_autoptr(GVariant) other = g_variant_lookup_value (dicts[1 - side], key, NULL);
          const ViParamSpec *spec = vi_params_lookup (self->type->params, key, dicts[side]);
          ViParamFlags flags = spec != NULL ? spec->flags : 0;

          if ((side == 1 && other != NULL) || (other != NULL && g_variant_equal (value, other)))
            continue;
          if ((flags & VI_PARAM_VIEW) && !(flags & VI_PARAM_LIVE))
            kind = MAX (kind, VI_RUN_EDIT_VIEW);
          else if ((flags & VI_PARAM_LIVE) && self->type->apply != NULL && side == 0
                   && self->state != VI_RUN_FINISHED && self->state != VI_RUN_FAILED)
            {
              kind = MAX (kind, VI_RUN_EDIT_LIVE);
              g_variant_builder_add (&b, "{sv}", key, value);
            }
          else
            kind = VI_RUN_EDIT_RESTART;
        }
    }
  if (kind == VI_RUN_EDIT_LIVE && live_edits != NULL)
    *live_edits = g_variant_ref_sink (g_variant_builder_end (&b));
  return kind;
}

void
vi_run_set_steps_per_frame (ViRun *self,
                            guint  n)
{
  g_return_if_fail (VI_IS_RUN (self));
  g_mutex_lock (&self->cmd_lock);
  self->steps_per_frame = n;
  self->permits = MIN (self->permits, n);
  g_cond_signal (&self->cmd_cond);
  g_mutex_unlock (&self->cmd_lock);
}

guint
vi_run_get_steps_per_frame (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), 0);
  return self->steps_per_frame;
}

void
vi_run_grant (ViRun *self)
{
  g_return_if_fail (VI_IS_RUN (self));
  g_mutex_lock (&self->cmd_lock);
  /* Permits do not pile up while the UI is slow: one frame's worth at most. */
  self->permits = self->steps_per_frame;
  g_cond_signal (&self->cmd_cond);
  g_mutex_unlock (&self->cmd_lock);
}

gboolean
vi_run_update (ViRun *self)
{
  gpointer snap = NULL, old = NULL;
  guint64 serial, iteration;
  double objective, elapsed;
  int status;
  char *error_message = NULL;
  double rate;

  g_return_val_if_fail (VI_IS_RUN (self), FALSE);

  g_mutex_lock (&self->slot_lock);
  serial = self->slot_serial;
  if (serial != self->serial)
    snap = g_steal_pointer (&self->slot_snapshot);
  iteration = self->slot_iteration;
  objective = self->slot_objective;
  elapsed = self->slot_busy_ns / 1e9;
  status = self->slot_status;
  if (self->slot_error != NULL && self->error_message == NULL)
    error_message = g_strdup (self->slot_error);
  g_mutex_unlock (&self->slot_lock);

  if (snap == NULL)
    return FALSE;

  old = self->snapshot;
  self->snapshot = snap;
  self->serial = serial;
  if (old != NULL)
    vi_job_snapshot_free (self->job, old);

  g_object_freeze_notify (G_OBJECT (self));
  rate = elapsed > 0 ? iteration / elapsed : 0;
  if (rate != self->steps_per_second)
    {
      self->steps_per_second = rate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEPS_PER_SECOND]);
    }
  if (iteration != self->iteration)
    {
      self->iteration = iteration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITERATION]);
    }
  if (elapsed != self->elapsed)
    {
      self->elapsed = elapsed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);
    }
  if (!(objective == self->objective || (isnan (objective) && isnan (self->objective))))
    {
      self->objective = objective;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECTIVE]);
    }
  if (error_message != NULL)
    {
      self->error_message = error_message;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (status == VI_OK)
    set_state (self, VI_RUN_FINISHED);
  else if (status != VI_CONTINUE)
    set_state (self, VI_RUN_FAILED);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

gconstpointer
vi_run_get_snapshot (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), NULL);
  return self->snapshot;
}

ViRunState
vi_run_get_state (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), VI_RUN_IDLE);
  return self->state;
}

gboolean
vi_run_is_running (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), FALSE);
  return self->state == VI_RUN_RUNNING;
}

/* TRUE while results may still arrive: running, or stopped but not yet seen. */
gboolean
vi_run_is_active (ViRun *self)
{
  gboolean pending, queued;

  g_return_val_if_fail (VI_IS_RUN (self), FALSE);
  /* A queued step is pending work too: Step pressed quickly (or Right held
   * down) queues steps while the worker publishes the one before. */
  g_mutex_lock (&self->cmd_lock);
  queued = !g_queue_is_empty (&self->commands);
  g_mutex_unlock (&self->cmd_lock);
  g_mutex_lock (&self->slot_lock);
  pending = self->slot_serial != self->serial || !self->slot_stopped || queued;
  g_mutex_unlock (&self->slot_lock);
  return self->state == VI_RUN_RUNNING || (self->worker != NULL && pending);
}

guint64
vi_run_get_iteration (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), 0);
  return self->iteration;
}

double
vi_run_get_elapsed (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), 0);
  return self->elapsed;
}

double
vi_run_get_steps_per_second (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), 0);
  return self->steps_per_second;
}

double
vi_run_get_objective (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), NAN);
  return self->objective;
}

const char *
vi_run_get_error_message (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), NULL);
  return self->error_message;
}

GVariant *
vi_run_get_params (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), NULL);
  return self->params;
}

const ViJobType *
vi_run_get_job_type (ViRun *self)
{
  g_return_val_if_fail (VI_IS_RUN (self), NULL);
  return self->type;
}
