/* vi-session-file.h — the session file itself, without the pages: bounds,
 * format, members and their types, settings as a{sv}, data files, results
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib, json-glib and the core's job tables only — no GTK — so that the
 * session fuzz target (tests/fuzz/fuzz-session.c) links it as it is. The
 * app's vi-session.c maps each page entry to its ViPage.
 *
 * A file is refused before it is parsed when it is not a regular file,
 * larger than VI_SESSION_MAX_SIZE bytes, or not strict JSON nested at most
 * VI_SESSION_MAX_DEPTH deep (vi_json_check: json-glib 1.6 leaks on some
 * malformed text and decodes a lone surrogate into broken UTF-8); then
 * every member
 * must have its JSON type (errors name the member, e.g.
 * "pages.bbvi.result.iteration"), and each page's settings must pass its
 * job type's table (vi_job_validate, no I/O).
 */
#pragma once

#include <gio/gio.h>

#include "vi-job.h"

G_BEGIN_DECLS

#define VI_SESSION_FORMAT    "elbo-lab-session"
#define VI_SESSION_VERSION   1
/* 16 MiB: a saved session is a few kilobytes. */
#define VI_SESSION_MAX_SIZE  (16 * 1024 * 1024)
/* Levels of nested arrays and objects; a saved session uses 5. */
#define VI_SESSION_MAX_DEPTH 64
/* Bytes in any string of a page's settings (PATH_MAX: no longer path opens). */
#define VI_SESSION_MAX_STRING 4096

/* A page's last run, compared with the replay of an opened session. */
typedef struct
{
  gboolean have;
  guint64  iteration;
  double   objective;   /* NaN when the run had none */
} ViSessionResult;

/* One entry of "pages". */
typedef struct
{
  char            *name;
  GVariant        *settings;    /* a{sv} as saved (not normalised) */
  ViSessionResult  result;
} ViSessionPageEntry;

typedef struct
{
  char      *path;
  char      *visible;           /* "page", or NULL */
  GArray    *pages;             /* ViSessionPageEntry, in file order */
  GPtrArray *files;             /* path, saved SHA-256, path, …: to check */
} ViSessionFile;

/* The job type of the page called @name, or NULL when there is no such
 * page (an error naming it). */
typedef const ViJobType *(*ViSessionLookupFunc) (const char *name,
                                                 gpointer    user_data);

/* (transfer full) Checks and parses the @len bytes of @data (need not be
 * NUL-terminated) as the session @path (for messages only; nothing is
 * read). NULL and @error (G_IO_ERROR_INVALID_DATA naming @path) when any of
 * it is wrong. */
ViSessionFile *vi_session_file_parse  (const char           *path,
                                       const char           *data,
                                       gsize                 len,
                                       ViSessionLookupFunc   lookup,
                                       gpointer              user_data,
                                       GError              **error);
/* (transfer full) The same for the file @path, which must be a regular
 * file of at most VI_SESSION_MAX_SIZE bytes (opened without blocking, so a
 * FIFO or device is refused at once). */
ViSessionFile *vi_session_file_load   (const char           *path,
                                       ViSessionLookupFunc   lookup,
                                       gpointer              user_data,
                                       GError              **error);
/* Rewrites the @len bytes of @text in place, dropping the ".0" json-glib
 * 1.6 appends to a number in exponent form ("1e+20.0", which is not
 * JSON) outside strings; returns the new length (≤ @len). */
gsize          vi_session_fix_exponents (char               *text,
                                         gsize               len);
/* (transfer full) NULL-terminated warnings, one for each listed data file
 * that is missing, not a regular file, or whose SHA-256 differs from the
 * saved one. Stops early (returning what it has) when @cancellable is
 * cancelled. Reads files: call it off the UI thread. */
GStrv          vi_session_file_check_data (ViSessionFile    *file,
                                           GCancellable     *cancellable);
void           vi_session_file_free   (ViSessionFile        *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViSessionFile, vi_session_file_free)

G_END_DECLS
