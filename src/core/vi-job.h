/* vi-job.h — a resumable inference job that a worker thread (app) or a loop
 * (CLI) steps, and whose state the UI reads as snapshots
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-params.h"

G_BEGIN_DECLS

/* A job type is a const table (no GObject):
 *
 *  params:    the table of the job's settings (vi-params.h), NULL-key
 *             terminated. vi_job_validate() and vi_job_create() check an
 *             a{sv} against it: unknown keys, wrong types and out-of-range
 *             values are refused, missing ones take the table's defaults.
 *  validate:  optional cross-field checks on a normalised dictionary (from
 *             vi_params_validate), without I/O — cheap enough for every
 *             keystroke. Returns FALSE and sets @error naming the key.
 *  create:    build the job state from @params, a dictionary normalised by
 *             vi_params_validate() and passed by @validate (read it with the
 *             vi_params_get_* getters), or return NULL and set @error (e.g.
 *             an unreadable data file).
 *  step:      do one unit of work. Long steps poll *@cancel (g_atomic_int_get)
 *             at least every few milliseconds and return VI_ECANCELLED when it
 *             is non-zero. Returns VI_CONTINUE while more steps remain, VI_OK
 *             when the job has finished, or an error status; then
 *             @error_message (transfer full, may be NULL) says what happened.
 *  snapshot:  (transfer full) what the plots need, copied by the thread that
 *             owns the job into an immutable, reference-counted box
 *             (g_atomic_rc_box): readers share it with vi_job_snapshot_ref()
 *             instead of copying it; snapshot_free releases one reference.
 *  snapshot_keep: optional: (transfer full) a smaller copy of a snapshot,
 *             also freed with snapshot_free, that keeps what the views draw
 *             of an earlier run (its traces and counts; its images, matrices
 *             and vocabulary NULL). A page keeps up to 8 earlier runs, and a
 *             whole snapshot can hold MBs. NULL: pages keep a reference to
 *             the whole snapshot.
 *  free:      frees the job state.
 *  apply:     optional: takes new values of LIVE parameters (VI_PARAM_LIVE)
 *             between two steps, on the thread that steps the job.
 *             @live_params is the whole normalised dictionary with the edits
 *             merged in (read the LIVE keys you handle). Later steps must
 *             equal those of a job that got the same edit at the same step;
 *             what was recorded so far stays. Returns FALSE and sets @error
 *             (the job unchanged) if it cannot take them.
 */
typedef struct _ViJobType ViJobType;
struct _ViJobType
{
  const char *name;
  const ViParamSpec *params;
  gboolean  (*validate)      (GVariant    *params,
                              GError     **error);
  gpointer  (*create)        (GVariant    *params,
                              GError     **error);
  int       (*step)          (gpointer     state,
                              const gint  *cancel,
                              char       **error_message);
  gpointer  (*snapshot)      (gpointer     state);
  void      (*snapshot_free) (gpointer     snapshot);
  void      (*free)          (gpointer     state);
  /* Optional: iteration count and current objective (NaN if none). */
  guint64   (*get_iteration) (gpointer     state);
  double    (*get_objective) (gpointer     state);
  /* Optional: the number of steps planned (0: unknown), for progress. */
  guint64   (*get_n_steps)   (gpointer     state);
  gboolean  (*apply)         (gpointer     state,
                              GVariant    *live_params,
                              GError     **error);
  gpointer  (*snapshot_keep) (gconstpointer snapshot);
};

typedef struct _ViJob ViJob;

/* (transfer full) Checks @params (a{sv}; NULL means empty; floating refs
 * are sunk) against @type's table and its validate, without any I/O, and
 * returns the normalised dictionary (defaults filled in), or NULL and sets
 * @error naming the key. */
GVariant        *vi_job_validate        (const ViJobType  *type,
                                         GVariant         *params,
                                         GError          **error);
/* (transfer full) Creates a job of @type from @params (a{sv}, floating refs
 * are sunk): vi_job_validate() then the type's create. Returns NULL and
 * sets @error on bad parameters or unreadable data. */
ViJob           *vi_job_create          (const ViJobType  *type,
                                         GVariant         *params,
                                         GError          **error);
void             vi_job_free            (ViJob            *job);
const ViJobType *vi_job_get_type_info   (ViJob            *job);
/* (transfer none) The type's state (what its create returned), for a
 * type's own functions such as vi_vae_job_save_model (). */
gpointer         vi_job_get_state       (ViJob            *job);
/* (transfer none) The parameters the job was created from, as given. */
GVariant        *vi_job_get_params      (ViJob            *job);
/* (transfer none) The same, normalised (vi_job_validate): every key of the
 * table, defaults filled in. */
GVariant        *vi_job_get_valid_params (ViJob           *job);
/* (transfer full) @params (a{sv} as given, may be NULL) with the keys of
 * @edits (a{sv}, floating refs sunk) inserted or replaced, as given, once
 * the result passes vi_job_validate() against @type. Returns NULL and sets
 * @error on refused values. */
GVariant        *vi_job_merge_params    (const ViJobType  *type,
                                         GVariant         *params,
                                         GVariant         *edits,
                                         GError          **error);
/* TRUE if every key of @edits (a{sv}) is a VI_PARAM_LIVE or VI_PARAM_VIEW
 * parameter of @type, so a running job can take them (vi_job_apply)
 * without a restart. Unknown keys are not live. */
gboolean         vi_job_edits_are_live  (const ViJobType  *type,
                                         GVariant         *edits);
/* Applies @edits (a{sv} of LIVE or VIEW keys, floating refs sunk) between
 * two steps: merged into the job's parameters, validated, then handed to
 * the type's apply (VIEW keys only update the parameters). Returns FALSE
 * and sets @error, the job unchanged, on a refused value, a key that is not
 * LIVE/VIEW, or a type without apply. */
gboolean         vi_job_apply           (ViJob            *job,
                                         GVariant         *edits,
                                         GError          **error);
/* The steps planned, 0 if unknown (ViJobType.get_n_steps). */
guint64          vi_job_get_n_steps     (ViJob            *job);

/* One step; see ViJobType.step. After an error status the job refuses further
 * steps (returns the same status) and vi_job_get_error_message() says why. */
int              vi_job_step            (ViJob            *job,
                                         const gint       *cancel);
gboolean         vi_job_is_finished     (ViJob            *job);
const char      *vi_job_get_error_message (ViJob          *job);
guint64          vi_job_get_iteration   (ViJob            *job);
double           vi_job_get_objective   (ViJob            *job);
gpointer         vi_job_snapshot        (ViJob            *job);
/* (transfer full) Another reference to @snapshot, a job's snapshot (any
 * type's: they are all g_atomic_rc_box boxes, immutable once made); drop
 * it with the type's snapshot_free. */
gpointer         vi_job_snapshot_ref    (gconstpointer     snapshot);
void             vi_job_snapshot_free   (ViJob            *job,
                                         gpointer          snapshot);

/* The built-in job types: one const table, NULL-terminated, in a fixed
 * order ("expfam", "bbvi", "lda",
 * "vae"). */
const ViJobType *const *vi_job_types_list (void);
/* The built-in job type called @name, or NULL. */
const ViJobType *vi_job_type_lookup     (const char       *name);

G_END_DECLS
