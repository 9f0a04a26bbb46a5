/* vi-window.h — the main window: header bar run controls, sidebar of pages,
 * status line, runs, history, exports, sessions, presentation mode
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vi-page.h"
#include "vi-run.h"

G_BEGIN_DECLS

#define VI_TYPE_WINDOW (vi_window_get_type ())
G_DECLARE_FINAL_TYPE (ViWindow, vi_window, VI, WINDOW, AdwApplicationWindow)

/* What --screenshot asks for: render the window to @path @after seconds once
 * it is first drawn, then close it. @done (may be NULL) learns the outcome
 * just before the window closes: @error is NULL on success. */
typedef struct
{
  const char *path;
  double      after;
  void      (*done)      (const GError *error,
                          gpointer      user_data);
  gpointer    user_data;
} ViScreenshotOptions;

/* @settings (may be NULL: nothing is saved or restored) holds the window
 * size, the last page and each page's "NAME-settings". With @screenshot
 * (may be NULL) the window takes the screenshot and closes. */
ViWindow   *vi_window_new                 (GtkApplication            *app,
                                           GSettings                 *settings,
                                           const ViScreenshotOptions *screenshot);
/* Shows page @name (as in --page); FALSE if there is no such page. */
gboolean    vi_window_set_page            (ViWindow       *self,
                                           const char     *name);
/* (transfer none) The visible page. */
ViPage     *vi_window_get_page            (ViWindow       *self);
/* (transfer none) The page called @name, or NULL. */
ViPage     *vi_window_get_page_by_name    (ViWindow       *self,
                                           const char     *name);
/* (transfer none) The visible page's run, or NULL before the first Run. */
ViRun      *vi_window_get_run             (ViWindow       *self);
/* Whether the visible page shows a finished run whose settings were edited
 * since (a trainer page waits for Run). */
gboolean    vi_window_get_results_stale   (ViWindow       *self);
/* Same as pressing Run on the visible page. */
void        vi_window_start_run           (ViWindow       *self);
/* (transfer full) The status line as one string ("Running · Iteration 12 · …"). */
char       *vi_window_dup_status_text     (ViWindow       *self);

/* Renders the window (widget paintable → render node → texture) to a PNG of
 * width × height × scale factor pixels. */
gboolean    vi_window_save_png            (ViWindow       *self,
                                           const char     *path,
                                           GError        **error);
gboolean    vi_window_save_session        (ViWindow       *self,
                                           const char     *path,
                                           GError        **error);
/* Restores every page's settings; warns (toast) when a data file changed.
 * The next finished run of a page is compared with the saved result. */
gboolean    vi_window_open_session        (ViWindow       *self,
                                           const char     *path,
                                           GError        **error);
/* The same without blocking: the data files are hashed on a worker thread,
 * the whole session is checked before any page changes, and @callback gets
 * the outcome from vi_window_open_session_finish(). A newer open cancels
 * an older one still reading (G_IO_ERROR_CANCELLED). The window's "Open
 * Session" uses it; vi_window_open_session() reads in the calling thread,
 * for tests and scripted use. */
void        vi_window_open_session_async  (ViWindow       *self,
                                           const char     *path,
                                           GAsyncReadyCallback callback,
                                           gpointer        user_data);
gboolean    vi_window_open_session_finish (ViWindow       *self,
                                           GAsyncResult   *result,
                                           GError        **error);

/* (transfer none) Warnings of the last opened session (changed or missing
 * data files), NULL-terminated; NULL before any session was opened. */
const char *const *vi_window_get_session_warnings (ViWindow *self);

G_END_DECLS
