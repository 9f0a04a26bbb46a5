/* vi-page.h — what the window needs from a model page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page is a GtkWidget (usually a composite template: controls pane, plot
 * area) that implements ViPage. The window owns the run (ViRun), the header
 * bar run controls, the status line, sessions and exports; the page owns
 * its settings, its plots and its history of earlier runs.
 *
 * Adding a page (e.g. "bbvi"):
 *  1. a ViJobType in src/core (create from a{sv}, step with the cancel flag,
 *     snapshot deep copy) — the window runs it on a worker thread;
 *  2. its figures in src/views (vi-NAME-views.c: one builder per figure,
 *     from a snapshot and a ViViewContext), shared with the CLI's --plot;
 *  3. a ViModelPage subclass (vi-model-page.h; see vi-expfam-page.c): its
 *     controls, a binding table for the settings that map onto widgets, and
 *     calls into its views; template ui/vi-NAME-page.ui (parent
 *     "ViModelPage") listed in resources/elbo-lab.gresource.xml;
 *  4. one line in page_infos[] in vi-page-registry.c: name (for --page
 *     and sessions), title (N_()), get_type;
 *  5. GSettings key "NAME-settings" (a{sv}) in the schema: the window saves
 *     and restores dup_settings()/set_settings() through it when present.
 * Flow: Run/Step create a ViRun from dup_settings() (so "seed" belongs in
 * the settings); each frame the window hands the newest snapshot to
 * show_snapshot(); a finished or reset run goes to keep_history(); the
 * page emits "settings-changed" when a setting the job depends on changes
 * (the window then restarts a running or finished run).
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-job.h"
#include "vi-plot-view.h"
#include "vi-view.h"

G_BEGIN_DECLS

#define VI_TYPE_PAGE (vi_page_get_type ())
G_DECLARE_INTERFACE (ViPage, vi_page, VI, PAGE, GtkWidget)

struct _ViPageInterface
{
  GTypeInterface parent_iface;

  /* Required. */
  const ViJobType *(*get_job_type)    (ViPage     *self);
  /* (transfer full) The page's settings as a{sv}: the job's parameters
   * (including "seed") plus any view settings; also what sessions and
   * GSettings store. Returns NULL and sets @error when a control holds an
   * invalid value (the page also shows the message inline). */
  GVariant        *(*dup_settings)    (ViPage     *self,
                                       GError    **error);
  /* Restores settings saved by dup_settings (unknown keys ignored). */
  gboolean         (*set_settings)    (ViPage     *self,
                                       GVariant   *settings,
                                       GError    **error);
  /* Shows a run's newest snapshot (the job type's snapshot; transfer
   * none), or clears the live results when @snapshot is NULL. */
  void             (*show_snapshot)   (ViPage     *self,
                                       gconstpointer snapshot);
  /* Keeps the current results of the run made with @run_settings as a
   * faded history entry (the page keeps at most 8, labels them with the
   * settings that differ between entries, and ignores an entry equal to the
   * newest one). */
  void             (*keep_history)    (ViPage     *self,
                                       GVariant   *run_settings);
  void             (*clear_history)   (ViPage     *self);
  guint            (*get_n_history)   (ViPage     *self);
  /* (transfer none) The plot that Export plot/data use. */
  ViPlotView      *(*get_main_plot)   (ViPage     *self);
  /* Optional. */
  void             (*set_presentation)(ViPage     *self,
                                       gboolean    presenting);
  void             (*set_controls_visible)(ViPage *self,
                                           gboolean visible);
  /* (transfer full) NULL-terminated data files the page's job reads, for
   * sessions (path + SHA-256). NULL when none. */
  char           **(*dup_data_files)  (ViPage     *self);
  /* Name of the job's objective in the status line (default "Objective"). */
  const char      *(*get_objective_name) (ViPage  *self);
  /* Whether the page is an explorer, whose results follow every edit (a
   * finished run re-runs), rather than a trainer, whose edits after a
   * finished run leave the results stale until Run (default FALSE). */
  gboolean         (*is_explorer)     (ViPage     *self);
  /* Run pressed while no run is going: return TRUE when the page did
   * something else instead of starting its job (e.g. a tab that measures
   * rather than optimises); FALSE starts the run (default). */
  gboolean         (*run_override)    (ViPage     *self);
};

/* The page emits "settings-changed" when the user edits a setting that the
 * job depends on; the window then restarts a running run with the new
 * settings, and a finished one too on an explorer page (on a trainer the
 * finished results are marked stale until Run). */

const char      *vi_page_get_name            (ViPage      *self);
const char      *vi_page_get_title           (ViPage      *self);
const ViJobType *vi_page_get_job_type        (ViPage      *self);
GVariant        *vi_page_dup_settings        (ViPage      *self,
                                              GError     **error);
gboolean         vi_page_set_settings        (ViPage      *self,
                                              GVariant    *settings,
                                              GError     **error);
void             vi_page_show_snapshot       (ViPage      *self,
                                              gconstpointer snapshot);
void             vi_page_keep_history        (ViPage      *self,
                                              GVariant    *run_settings);
void             vi_page_clear_history       (ViPage      *self);
guint            vi_page_get_n_history       (ViPage      *self);
const char      *vi_page_get_objective_name  (ViPage      *self);
gboolean         vi_page_is_explorer         (ViPage      *self);
gboolean         vi_page_run_override        (ViPage      *self);
ViPlotView      *vi_page_get_main_plot       (ViPage      *self);
void             vi_page_set_presentation    (ViPage      *self,
                                              gboolean     presenting);
void             vi_page_set_controls_visible (ViPage     *self,
                                               gboolean    visible);
char           **vi_page_dup_data_files      (ViPage      *self);
void             vi_page_settings_changed    (ViPage      *self);

/* Run history shared by the pages. A page's history entry struct starts with
 * a ViHistoryEntry member (so a pointer to it is a ViHistoryEntry *) and adds
 * its own snapshot; the page's GPtrArray frees whole entries. */
typedef struct
{
  GVariant *settings;   /* the run's settings (owned) */
  char     *label;      /* legend label (owned), set by the run manager */
  gconstpointer snapshot; /* the run's snapshot, for the views (the page's
                           * entry owns it) */
} ViHistoryEntry;

/* Releases what vi_model_page_view_context_init() gave @ctx. */
void             vi_page_view_context_clear  (ViViewContext     *ctx);
/* Frees the members of @entry (not @entry itself). */
void             vi_history_entry_clear      (ViHistoryEntry    *entry);

/* A page type's name (as in --page, sessions, GSettings) and title. The
 * built-in pages are listed in vi-page-registry.c. */
typedef struct
{
  const char *name;
  const char *title;            /* N_() marked, translate with _() */
  GType     (*get_type) (void);
} ViPageInfo;

/* Names page type @type: vi_page_get_name() and vi_page_get_title() of its
 * instances return @info's (which must outlive the type). */
void             vi_page_type_set_info       (GType              type,
                                              const ViPageInfo  *info);

G_END_DECLS
