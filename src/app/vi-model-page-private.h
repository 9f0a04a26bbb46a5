/* vi-model-page-private.h — what vi-model-page.c shares with the run
 * manager (vi-model-page-runs.c)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vi-model-page.h"

G_BEGIN_DECLS

#define VI_MODEL_PAGE_MAX_HISTORY 8

/* One kept run: a ViHistoryEntry and what the run manager adds. */
typedef struct
{
  ViHistoryEntry base;               /* first: an entry is a ViHistoryEntry */
  void         (*snapshot_free) (gpointer snapshot);
  char          *name;               /* the user's name, or NULL: the settings label */
  gboolean       hidden;             /* switched off: not drawn */
  gboolean       pinned;             /* kept by Clear History and listed first */
  /* Whether the run has the data of the settings @same_for (a cache of
   * same_data for the views, built every frame; NULL: not computed). */
  GVariant      *same_for;
  gboolean       same;
} ViModelPageEntry;

typedef struct
{
  gpointer           snap;          /* live results (copy), or NULL */
  GPtrArray         *history;       /* ViModelPageEntry, oldest first, snapshot owned */
  GArray            *bindings;      /* ViBinding */
  GPtrArray         *plots;         /* ViPlotView, borrowed template children */
  GtkWidget         *controls;
  GtkLabel          *error_label;
  char              *error;         /* why the controls are refused, or NULL */
  GVariant          *valid;         /* the settings last found valid, or NULL */
  GtkFileChooserNative *chooser;
  GCancellable      *job_cancellable; /* the running vi_model_page_run_job(), or NULL */
  ViModelPageFileFunc chooser_done;
  gboolean           chooser_tells_dismiss; /* chooser_done (NULL) when dismissed */
  /* checkpoints (vi-model-page-checkpoint.c) */
  ViRun             *saved_run;     /* the run last checkpointed (weak), or NULL */
  guint64            saved_iteration; /* its iteration then */
  gpointer           offer;         /* the open "Save a checkpoint?" question, or NULL */
  const char *const *label_skip;
  GPtrArray         *expand_hidden; /* widgets hidden to expand a plot, or NULL */
  ViPlotView        *expanded;      /* the plot filling the page, or NULL */
  gboolean           expand_controls; /* the controls were shown before expanding */
  guint              updating;      /* nesting depth of programmatic changes */
  gboolean           presenting;
  gboolean           skip_needs_live;
  /* run manager (vi-model-page-runs.c) */
  GtkWidget         *run_list;      /* ViRunList in the controls pane, or NULL */
  ViModelPageEntry  *deleted;       /* the last deleted run, for Undo, or NULL */
  guint              deleted_index;
  AdwToast          *toast;         /* its "Run deleted" toast (weak), or NULL */
} ViModelPagePrivate;

ViModelPagePrivate *vi_model_page_get_private (ViModelPage *self);

/* The current settings (NULL while a control is refused). */
GVariant *vi_model_page_dup_current     (ViModelPage *self);
/* The history changed: relabel, update the run list, rebuild the plots. */
void      vi_model_page_history_changed (ViModelPage *self);

/* ---- vi-model-page-checkpoint.c ---- */

/* Closes the file dialog and an open checkpoint question. */
void      vi_model_page_checkpoint_dispose (ViModelPage *self);

/* ---- vi-model-page-runs.c ---- */

void      vi_model_page_entry_free      (gpointer     entry);
/* Keeps @snapshot (transfer full) of the run with @run_settings: replaces
 * an entry with equal settings (keeping its name, pin and visibility) and
 * drops the oldest unpinned entries to stay within the maximum. */
void      vi_model_page_runs_keep       (ViModelPage *self,
                                         GVariant    *run_settings,
                                         gpointer     snapshot);
/* Removes every run but the pinned ones. */
void      vi_model_page_runs_clear      (ViModelPage *self);
/* Labels the runs with human labels of what differs (or their names). */
void      vi_model_page_runs_relabel    (ViModelPage *self,
                                         GVariant    *current);
/* (transfer full) The runs the plots draw (see vi_history_view_runs):
 * visible ones on the current data, but one with @current settings when
 * @skip_current. Free with g_free(). */
ViViewRun *vi_model_page_runs_view      (ViModelPage *self,
                                         GVariant    *current,
                                         gboolean     skip_current,
                                         guint       *n_runs);
/* Puts the run list into the controls pane (a box inside a scrolled window). */
void      vi_model_page_runs_attach     (ViModelPage *self,
                                         GtkWidget   *controls);
/* Brings the run list up to date (cheap when nothing it shows changed). */
void      vi_model_page_runs_update_list (ViModelPage *self);
void      vi_model_page_runs_dispose    (ViModelPage *self);

G_END_DECLS
