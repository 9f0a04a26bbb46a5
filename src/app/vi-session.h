/* vi-session.h — session files: every page's settings, data files and
 * last result, saved to be opened and replayed later
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session is a JSON object {"format": "elbo-lab-session", "version": 1,
 * "app_version", "page": visible page, "pages": {NAME: {"settings": a{sv},
 * "data_files": [{"path", "sha256"}], "result": {"iteration",
 * "objective"}}}}. Opening one is two steps: vi_session_read() checks the
 * whole file and changes nothing; vi_session_apply() then sets every page.
 * The file-level checks (size, depth, member types) are vi-session-file.h.
 */
#pragma once

#include <gio/gio.h>

#include "vi-page.h"
#include "vi-session-file.h"

G_BEGIN_DECLS

/* Writes the settings, data files (path + SHA-256) and @results (one per
 * page, in the order of @pages) of @n_pages pages to @path, @visible being
 * the visible page's name. */
gboolean   vi_session_save        (const char             *path,
                                   const char             *visible,
                                   ViPage *const          *pages,
                                   const ViSessionResult  *results,
                                   guint                   n_pages,
                                   GError                **error);

typedef struct _ViSession ViSession;

/* (transfer full) Reads the session at @path and checks all of it against
 * @pages before anything changes: its format and version, that every page
 * it names is one of @pages, and that each page accepts its settings. A
 * data file that is missing or changed is not an error but a warning. NULL
 * and @error naming @path when any of it is wrong. */
ViSession *vi_session_read        (const char             *path,
                                   ViPage *const          *pages,
                                   guint                   n_pages,
                                   GError                **error);
/* The same, with the data files read and hashed (SHA-256) on a GTask
 * thread: the session file itself is parsed and checked against @pages in
 * the calling thread (it is small; the pages live there), so all of it is
 * checked before anything changes, and @callback (in the caller's
 * thread-default main context) gets the session, with its warnings, from
 * vi_session_read_finish(). vi_session_read() does it all in the calling
 * thread (for tests and scripted use). */
void       vi_session_read_async  (const char             *path,
                                   ViPage *const          *pages,
                                   guint                   n_pages,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data);
/* (transfer full) The session, or NULL and @error (as vi_session_read(),
 * or G_IO_ERROR_CANCELLED). */
ViSession *vi_session_read_finish (GAsyncResult           *result,
                                   GError                **error);
/* Sets each page of the session to its saved settings. */
gboolean   vi_session_apply       (ViSession              *session,
                                   GError                **error);
/* The visible page's name, or NULL. */
const char *vi_session_get_visible (ViSession             *session);
/* The saved result of @page, or NULL when the session has no entry for it. */
const ViSessionResult *vi_session_get_result (ViSession   *session,
                                              ViPage      *page);
/* (transfer none) NULL-terminated warnings about changed or missing data
 * files. */
const char *const *vi_session_get_warnings (ViSession     *session);
void       vi_session_free        (ViSession              *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViSession, vi_session_free)

G_END_DECLS
