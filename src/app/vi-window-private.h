/* vi-window-private.h — what the window's parts share: its fields, each
 * page's run, and the parts' entry points
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is three files, each calling only those below it:
 *   vi-window.c        the type: template, presentation, saved state, lifetime
 *   vi-window-files.c  what it reads and writes: exports, sessions, screenshots
 *   vi-window-pages.c  its pages, their runs, the run controls and status line
 */
#pragma once

#include "vi-window.h"

G_BEGIN_DECLS

/* Per page: its run and what a replayed session expects. */
typedef struct
{
  ViRun *run;
  gulong state_handler;
  gboolean kept;              /* the current run is already in the history */
  gboolean stale;             /* finished, and the settings changed since */
  gboolean have_expected;
  guint64 expected_iteration;
  double expected_objective;
  /* Checkpoints: Discard was answered when leaving the page (not asked
   * again on leaving it for this run), or the window's close was answered
   * for it (cleared when the close is cancelled). */
  gboolean switch_declined;
  gboolean close_answered;
  /* The frame budget held back a plot of the last snapshot shown. */
  gboolean plots_behind;
} ViPageRun;

struct _ViWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkToggleButton *sidebar_button;
  AdwFlap *sidebar_flap;
  guint fold_idle;                    /* pending update_fold(), or 0 */
  GtkWidget *run_button;
  AdwButtonContent *run_button_content;
  GtkDropDown *speed_dropdown;
  GtkLabel *status_state;
  GtkLabel *status_iteration;
  GtkLabel *status_elapsed;
  GtkLabel *status_rate;
  GtkLabel *status_objective;

  GSettings *settings;        /* may be NULL */
  GHashTable *runs;           /* page name → ViPageRun */
  guint tick_id;
  gint64 status_time;         /* last status-line update, µs */
  ViScreenshotOptions screenshot;   /* .path owned; NULL when none */
  guint screenshot_id;
  AdwToast *stale_toast;            /* "press Run" while shown (weak), or NULL */
  guint screenshot_retries;
  gboolean presenting;
  gboolean sidebar_before_presenting;
  gboolean sidebar_before_expand;     /* the sidebar was shown before a plot was expanded */
  GStrv session_warnings;     /* of the last vi_window_open_session() */
  /* Checkpoints (vi-window-pages.c) */
  ViPage *shown_page;         /* the page shown, to ask about when leaving it */
  char *switch_target;        /* the page asked to go to, while asking */
  gboolean switching;         /* showing a page without asking */
  gboolean asking;            /* a "Save a checkpoint?" question is open */
  gboolean asking_close;      /* … about closing the window */
};

/* vi-window-pages.c */
void       vi_window_pages_init      (ViWindow  *self);
/* Stops every page's worker and the frame ticks. */
void       vi_window_pages_stop      (ViWindow  *self);
ViPageRun *vi_window_get_page_run    (ViWindow  *self,
                                      ViPage    *page);
/* Cancels and forgets @pr's run. */
void       vi_window_drop_run        (ViWindow  *self,
                                      ViPageRun *pr);
/* Before the window closes (@target NULL) or page @target is shown
 * instead of the one shown: asks whether to save a checkpoint of a run
 * with unsaved progress (vi_model_page_offer_checkpoint). Returns TRUE when
 * a question is open (the close or switch then waits for its answer, and
 * is done once answered with Discard or a successful save), FALSE when
 * there is nothing to ask. */
gboolean   vi_window_offer_checkpoint (ViWindow   *self,
                                       const char *target);
/* Shows the visible page's run state in the Run button and status line. */
void       vi_window_update_controls (ViWindow  *self);
/* win.expand-plot: expands the last used plot of the page shown to fill
 * the window (the sidebar goes too), or restores it; restore_plot() puts
 * it back (and the sidebar) and is FALSE when no plot was expanded. */
void       vi_window_expand_plot     (ViWindow  *self);
gboolean   vi_window_restore_plot    (ViWindow  *self);

/* vi-window-files.c */
void       vi_window_files_init      (ViWindow  *self);
void       vi_window_files_dispose   (ViWindow  *self);
/* Takes the screenshot @options asks for once the window is drawn, then
 * closes the window. */
void       vi_window_screenshot_and_close (ViWindow                  *self,
                                           const ViScreenshotOptions *options);

G_END_DECLS
