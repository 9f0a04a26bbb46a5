/* vi-job.h — a resumable inference job that a worker thread (app) or a loop
 * (CLI) steps, and whose state the UI reads as snapshots
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A job type is a const table (no GObject):
 *
 *  create:    build the job state from @params, an a{sv} GVariant of settings
 *             (unknown keys are ignored, missing ones take defaults), or return
 *             NULL and set @error naming the bad parameter.
 *  step:      do one unit of work. Long steps poll *@cancel (g_atomic_int_get)
 *             at least every few milliseconds and return VI_ECANCELLED when it
 *             is non-zero. Returns VI_CONTINUE while more steps remain, VI_OK
 *             when the job has finished, or an error status; then
 *             @error_message (transfer full, may be NULL) says what happened.
 *  snapshot:  (transfer full) a deep copy of what the plots need, made by the
 *             thread that owns the job; freed with snapshot_free.
 *  free:      frees the job state.
 */
typedef struct _ViJobType ViJobType;
struct _ViJobType
{
  const char *name;
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
};

typedef struct _ViJob ViJob;

/* (transfer full) Creates a job of @type from @params (a{sv}, floating refs
 * are sunk). Returns NULL and sets @error on bad parameters. */
ViJob           *vi_job_create          (const ViJobType  *type,
                                         GVariant         *params,
                                         GError          **error);
void             vi_job_free            (ViJob            *job);
const ViJobType *vi_job_get_type_info   (ViJob            *job);
/* (transfer none) The parameters the job was created from. */
GVariant        *vi_job_get_params      (ViJob            *job);

/* One step; see ViJobType.step. After an error status the job refuses further
 * steps (returns the same status) and vi_job_get_error_message() says why. */
int              vi_job_step            (ViJob            *job,
                                         const gint       *cancel);
gboolean         vi_job_is_finished     (ViJob            *job);
const char      *vi_job_get_error_message (ViJob          *job);
guint64          vi_job_get_iteration   (ViJob            *job);
double           vi_job_get_objective   (ViJob            *job);
gpointer         vi_job_snapshot        (ViJob            *job);
void             vi_job_snapshot_free   (ViJob            *job,
                                         gpointer          snapshot);

/* Registry of the built-in job types, looked up by name ("expfam", "bbvi",
 * ...). Returns NULL for unknown names. */
const ViJobType *vi_job_type_lookup     (const char       *name);
void             vi_job_type_register   (const ViJobType  *type);

/* Helpers for reading a{sv} parameters. Each returns TRUE and stores the value
 * (or @def when the key is absent); on a value of the wrong type or outside
 * [min, max] it sets @error naming @key and returns FALSE. */
gboolean vi_params_get_double (GVariant    *params,
                               const char  *key,
                               double       def,
                               double       min,
                               double       max,
                               double      *out,
                               GError     **error);
gboolean vi_params_get_int64  (GVariant    *params,
                               const char  *key,
                               gint64       def,
                               gint64       min,
                               gint64       max,
                               gint64      *out,
                               GError     **error);
/* (transfer full) string value or a copy of @def. */
char    *vi_params_dup_string (GVariant    *params,
                               const char  *key,
                               const char  *def);
gboolean vi_params_get_boolean (GVariant   *params,
                                const char *key,
                                gboolean    def);

G_END_DECLS
