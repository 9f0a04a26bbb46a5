/* vi-model-page.h — the base of the model pages: ViPage implemented once
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model page (expfam, bbvi, …) derives from ViModelPage and keeps only
 * what is its own: its controls, its plots' views and its settings that do
 * not map one-to-one onto a widget. The base owns
 *   - the live snapshot (a shared reference) and the history of earlier runs: keep,
 *     clear, relabel, "is this entry the current settings", and the view
 *     context (line scale, smoothing, faded runs) each plot is built with;
 *   - the run manager (vi-model-page-runs.c, vi-run-list.c): human run
 *     labels, a run list in the controls pane, show/hide, rename, pin,
 *     delete with Undo, a legend click toggling its run, and leaving runs
 *     on other data out of the plots;
 *   - a binding table {key, widget, kind}: settings keys read from and
 *     written to spin buttons, combo rows, drop-downs, switches and entries
 *     (vi-binding.c), so dup_settings()/set_settings() need code only for
 *     the rest; with the job's parameter table the bindings take defaults,
 *     ranges, choices and tooltips from it, and settings are checked
 *     against it both ways (so are sessions and the "last used" values);
 *   - the page's refusal (an error label), and building its plots with
 *     the view context;
 *   - the plots: presentation mode, the last-used (main) plot;
 *   - the controls pane (shown/hidden), the re-entrancy guard for
 *     programmatic control changes, and dispose of the template.
 * The ViPage interface is implemented here; a subclass fills in the class
 * fields and vfuncs below.
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-binding.h"
#include "vi-page.h"
#include "vi-run.h"
#include "vi-util.h"  /* ViTemplateChild */

G_BEGIN_DECLS

#define VI_TYPE_MODEL_PAGE (vi_model_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (ViModelPage, vi_model_page, VI, MODEL_PAGE, GtkWidget)

struct _ViModelPageClass
{
  GtkWidgetClass parent_class;

  const ViJobType *job_type;
  const char      *objective_name;   /* translated by the subclass; NULL: "Objective" */
  gboolean         explorer;         /* vi_page_is_explorer(); FALSE: a trainer */
  /* Earlier runs keep their series' colours (bbvi: each estimator's) and
   * differ by dash only; FALSE: each run has a colour and a dash. */
  gboolean         runs_keep_series_colours;

  /* Snapshots of job_type: take a reference (or a copy) and release it;
   * vi_model_page_class_set_job_type() sets vi_job_snapshot_ref() and the
   * job type's snapshot_free. */
  gpointer    (*snapshot_copy)     (gconstpointer  snapshot);
  void        (*snapshot_free)     (gpointer       snapshot);
  /* Whether the live snapshot is worth keeping as a history entry. */
  gboolean    (*snapshot_keepable) (gconstpointer  snapshot);
  /* The settings: the bound keys are added by the base; add the rest to
   * @builder (an a{sv}), or return FALSE with @error when a control holds
   * an invalid value. */
  gboolean    (*add_settings)      (ViModelPage     *self,
                                    GVariantBuilder *builder,
                                    GError         **error);
  /* Applies @settings (the bound keys are set by the base after
   * check_settings and before apply_settings; both may be NULL). */
  gboolean    (*check_settings)    (ViModelPage     *self,
                                    GVariant        *settings,
                                    GError         **error);
  void        (*apply_settings)    (ViModelPage     *self,
                                    GVariant        *settings);
  /* Rebuilds every plot (history, presentation or the live run changed). */
  void        (*rebuild)           (ViModelPage     *self);
  /* The snapshot is new (already stored): rebuild what follows it. Default:
   * rebuild. */
  void        (*snapshot_shown)    (ViModelPage     *self);
  /* The plot Export uses when none was used yet (default: the first). */
  ViPlotView *(*get_default_plot)  (ViModelPage     *self);
  char      **(*dup_data_files)    (ViModelPage     *self);
  /* Adds the page's own fields to the view context of every plot. */
  void        (*setup_view)        (ViModelPage     *self,
                                    ViViewContext   *ctx);
  /* vi_page_run_override() (default: none, Run starts the job). */
  gboolean    (*run_override)      (ViModelPage     *self);
  /* Checkpoints (optional; see vi_model_page_offer_checkpoint): saves the
   * state of @job, a job of job_type, to @path, between two steps on the
   * thread that steps it — it must not call GTK. NULL: the page's runs
   * cannot be saved mid-run. E.g. vi_vae_job_save_model. */
  gboolean    (*save_checkpoint)   (ViJob           *job,
                                    const char      *path,
                                    GError         **error);
  /* The save dialog's title and first file name (translated). */
  const char  *checkpoint_title;
  const char  *checkpoint_name;

  /*< private >*/
  gboolean has_template;
  const ViParamSpec *params;
  const char *error_label;

  gpointer padding[2];
};

/* Sets the subclass's template (gtk_widget_class_set_template_from_resource)
 * and lets the base dispose it. */
void           vi_model_page_class_set_template (ViModelPageClass *klass,
                                                 const char       *resource);

/* Sets up a page of @type (vi_model_page_class_set_job_type): its
 * template @resource, whose GtkLabel @error_label (may be NULL) shows
 * vi_model_page_set_error(), and @children bound to their instance fields. */
void           vi_model_page_class_setup        (ViModelPageClass      *klass,
                                                 const ViJobType       *type,
                                                 const char            *resource,
                                                 const char            *error_label,
                                                 const ViTemplateChild *children,
                                                 gsize                  n_children);

/* Sets job_type, and makes the page follow its parameter table: bindings
 * take their defaults, ranges, choices and tooltips from it, dup_settings()
 * gives only the table's keys and refuses what vi_params_validate()
 * refuses, and set_settings() refuses, with the table's message, settings
 * the table refuses before it changes anything. */
void           vi_model_page_class_set_job_type (ViModelPageClass *klass,
                                                 const ViJobType  *type);

/* ---- for subclasses ------------------------------------------------------ */

/* Registers the widgets the settings keys map to (copied). */
void           vi_model_page_set_bindings      (ViModelPage     *self,
                                                const ViBinding *bindings,
                                                gsize            n_bindings);
/* Whether dup_settings() gives @key (default TRUE): e.g. the synthetic
 * data's keys are left out while a data file is used instead. Setting it
 * still writes the widget. */
void           vi_model_page_set_bound_active  (ViModelPage     *self,
                                                const char      *key,
                                                gboolean         active);
/* (transfer none) The widget bound to @key, or NULL. */
GtkWidget     *vi_model_page_get_bound_widget  (ViModelPage     *self,
                                                const char      *key);
/* (transfer none) The choice the widget bound to @key (a CHOICE binding)
 * shows. */
const char    *vi_model_page_get_choice        (ViModelPage     *self,
                                                const char      *key);
/* Registers the page's plots (presentation, main plot) and its controls
 * pane (shown or hidden with the window's controls). */
void           vi_model_page_add_plot          (ViModelPage     *self,
                                                ViPlotView      *plot);
/* The plots registered with vi_model_page_add_plot(), in that order. */
guint          vi_model_page_get_n_plots       (ViModelPage     *self);
/* (transfer none) */
ViPlotView    *vi_model_page_get_plot          (ViModelPage     *self,
                                                guint            index);
void           vi_model_page_set_controls      (ViModelPage     *self,
                                                GtkWidget       *controls);
/* Lets @plot fill the page: everything else on it (other plots, the
 * explanations, the controls) is hidden until vi_model_page_restore_plot(),
 * which returns FALSE when no plot was expanded. The action
 * "page.expand-plot" expands the last used plot, or restores. */
gboolean       vi_model_page_expand_plot       (ViModelPage     *self,
                                                ViPlotView      *plot);
gboolean       vi_model_page_restore_plot      (ViModelPage     *self);
/* (transfer none) The expanded plot, or NULL. */
ViPlotView    *vi_model_page_get_expanded_plot (ViModelPage     *self);
/* Why the page's controls are refused, shown in the class's error label
 * (see vi_model_page_class_setup; hidden without a message); while there
 * is one, dup_settings() refuses with it. */
void           vi_model_page_set_error         (ViModelPage     *self,
                                                const char      *message);
/* (transfer none) The message shown, or NULL. */
const char    *vi_model_page_get_error         (ViModelPage     *self);
/* Keys left out of history labels (e.g. view settings); NULL-terminated,
 * static. */
void           vi_model_page_set_label_skip    (ViModelPage     *self,
                                                const char *const *skip);
/* Whether the history skips an entry with the current settings only while
 * a live run is shown (TRUE), or always (FALSE, the default). */
void           vi_model_page_set_skip_needs_live (ViModelPage   *self,
                                                  gboolean       needs_live);

/* Asks for a file to open (one dialog at a time; @mime_type, or several
 * separated by ';', filters it, shown as @filter_name) and calls @done
 * with its path when one is chosen. */
typedef void (*ViModelPageFileFunc) (ViModelPage *self,
                                     const char  *path);
void           vi_model_page_choose_file       (ViModelPage         *self,
                                                const char          *title,
                                                const char          *filter_name,
                                                const char          *mime_type,
                                                ViModelPageFileFunc  done);

/* Asks for a file to save to (one dialog at a time, named @current_name
 * at first) and calls @done with its path when one is chosen, or with NULL
 * when the dialog is dismissed. */
void           vi_model_page_choose_save_file  (ViModelPage         *self,
                                                const char          *title,
                                                const char          *current_name,
                                                ViModelPageFileFunc  done);

/* ---- checkpoints (vi-model-page-checkpoint.c) ---------------------------- *
 * A page whose class has save_checkpoint can save its run's model while
 * the run goes on: the window offers it when it closes or another page is
 * shown. The save runs on the run's worker between two steps
 * (vi_run_call_async), so the worker stays the job's only owner and the UI
 * never waits on it. */

/* Whether @run (the page's run in the window; may be NULL) has progress a
 * checkpoint would keep and that is not saved: the class saves checkpoints,
 * @run is of its job type, running or paused after at least one step, and
 * has stepped since its last checkpoint (a running run always has). */
gboolean       vi_model_page_has_unsaved_run   (ViModelPage         *self,
                                                ViRun               *run);
/* Saves @run's model to @path (save_checkpoint, on the worker between two
 * steps; the run goes on as it was) and calls @done on the main loop with
 * NULL, or the error naming the file. The page stays alive until then. */
typedef void (*ViModelPageSavedFunc) (ViModelPage  *self,
                                      const GError *error,
                                      gpointer      user_data);
void           vi_model_page_save_checkpoint   (ViModelPage         *self,
                                                ViRun               *run,
                                                const char          *path,
                                                ViModelPageSavedFunc done,
                                                gpointer             user_data);
/* Asks "Save a checkpoint?" in an AdwMessageDialog over the page's window
 * about @run, which keeps running meanwhile: Cancel (@done gets FALSE: stay),
 * Discard (TRUE: go on without saving) or Save… (the save dialog, then
 * vi_model_page_save_checkpoint: TRUE once saved; FALSE when the file
 * dialog is dismissed or the save fails, whose error is shown as a toast).
 * @discarded tells Discard from a save. Returns FALSE, asking nothing,
 * while an earlier question of the page is still open. */
typedef void (*ViModelPageOfferFunc) (ViModelPage *self,
                                      gboolean     proceed,
                                      gboolean     discarded,
                                      gpointer     user_data);
gboolean       vi_model_page_offer_checkpoint  (ViModelPage         *self,
                                                ViRun               *run,
                                                ViModelPageOfferFunc done,
                                                gpointer             user_data);

/* Runs a job of @type with @params to its end on a worker thread (a
 * measurement beside the window's run), cancelling the page's previous
 * one; @params may be floating. On the main loop, @done gets the job's final snapshot (transfer
 * full, NULL on error with @error set) and the seconds it took — unless the
 * run was cancelled or replaced, or the page went away. */
typedef void (*ViModelPageJobFunc) (ViModelPage  *self,
                                    gpointer      snapshot,
                                    double        seconds,
                                    const GError *error);
void           vi_model_page_run_job           (ViModelPage         *self,
                                                const ViJobType     *type,
                                                GVariant            *params,
                                                ViModelPageJobFunc   done);
void           vi_model_page_cancel_job        (ViModelPage         *self);
gboolean       vi_model_page_is_running_job    (ViModelPage         *self);

/* (transfer none) The live snapshot, or NULL: a reference the page holds
 * (vi_job_snapshot_ref), shared with the run and the history. */
gconstpointer  vi_model_page_get_snapshot      (ViModelPage     *self);
/* Drops the live snapshot (new settings make it stale). */
void           vi_model_page_clear_snapshot    (ViModelPage     *self);
guint          vi_model_page_get_n_history     (ViModelPage     *self);
/* (transfer none) History entry @index's snapshot (oldest first): a
 * reference the history holds, not a copy. */
gconstpointer  vi_model_page_get_history_snapshot (ViModelPage  *self,
                                                   guint         index);
/* Labels the history entries (but the renamed ones) with human labels of
 * the settings that differ from each other and from the current settings
 * ("N = 20 · Gamma q · step 0.05": data keys first, then the table's
 * order; "run N" when nothing differs). */
void           vi_model_page_relabel_history   (ViModelPage     *self);
/* ---- the run manager --------------------------------------------------- *
 * The runs are the history entries (index 0 the oldest; the index is also
 * the run's colour slot, vi_view_history_color). A hidden run, and a run on
 * other data than the current settings (different VI_PARAM_DATA keys), is
 * left out of the view context; the run list in the controls pane shows
 * every run with its colour, label, why it is not drawn, and buttons to
 * show/hide, pin, rename and delete it. */

/* (transfer none) Run @index's label: its name, else what differs. */
const char    *vi_model_page_get_run_label     (ViModelPage     *self,
                                                guint            index);
/* Names run @index (NULL or "": back to the settings label). */
void           vi_model_page_rename_run        (ViModelPage     *self,
                                                guint            index,
                                                const char      *name);
gboolean       vi_model_page_get_run_visible   (ViModelPage     *self,
                                                guint            index);
void           vi_model_page_set_run_visible   (ViModelPage     *self,
                                                guint            index,
                                                gboolean         visible);
/* A pinned run survives Clear History and the making of room for new runs,
 * and is listed first. */
gboolean       vi_model_page_get_run_pinned    (ViModelPage     *self,
                                                guint            index);
void           vi_model_page_set_run_pinned    (ViModelPage     *self,
                                                guint            index,
                                                gboolean         pinned);
/* Deletes run @index and posts a "Run deleted" toast whose Undo calls
 * vi_model_page_undo_delete_run(). */
void           vi_model_page_delete_run        (ViModelPage     *self,
                                                guint            index);
/* Puts the last deleted run back at its place; FALSE when there is none. */
gboolean       vi_model_page_undo_delete_run   (ViModelPage     *self);
/* (transfer full) Why run @index is not drawn although visible ("other
 * data: N = 50"), or NULL when it is drawn (or hidden by the user). */
char          *vi_model_page_dup_run_reason    (ViModelPage     *self,
                                                guint            index);
/* Toggles the visibility of the run whose label is @group (a legend
 * group); FALSE when no run has it. */
gboolean       vi_model_page_toggle_run_group  (ViModelPage     *self,
                                                const char      *group);

/* The view context for building @plot: line scale, smoothing and the faded
 * runs. Release with vi_page_view_context_clear(). */
void           vi_model_page_view_context_init (ViModelPage     *self,
                                                ViViewContext   *ctx,
                                                ViPlotView      *plot);
gboolean       vi_model_page_get_presenting    (ViModelPage     *self);
/* A view's build function: fills @fig from a snapshot of the page's job. */
typedef void (*ViModelPageBuildFunc) (ViFigure            *fig,
                                      gconstpointer        snapshot,
                                      const ViViewContext *ctx);
/* Builds @plot's figure from @snapshot with @build and the page's view
 * context (see setup_view), and redraws it. */
void           vi_model_page_build_plot        (ViModelPage          *self,
                                                ViPlotView           *plot,
                                                ViModelPageBuildFunc  build,
                                                gconstpointer         snapshot);
/* A view's explanation: "What am I seeing?" for @fig built from @snapshot
 * (transfer full). */
typedef char *(*ViModelPageExplainFunc) (ViFigure            *fig,
                                         gconstpointer        snapshot,
                                         const ViViewContext *ctx);
/* (transfer full) @explain's text for @plot's figure, built from @snapshot
 * with the same view context as vi_model_page_build_plot(). */
char          *vi_model_page_dup_explanation   (ViModelPage            *self,
                                                ViPlotView             *plot,
                                                ViModelPageExplainFunc  explain,
                                                gconstpointer           snapshot);
/* Sets @label to that text (see vi_label_set_text_if_changed()). */
void           vi_model_page_explain_plot      (ViModelPage            *self,
                                                ViPlotView             *plot,
                                                GtkLabel               *label,
                                                ViModelPageExplainFunc  explain,
                                                gconstpointer           snapshot);
/* Sets @label's text unless it is @text already, so that a live run does
 * not relayout it every frame. */
void           vi_label_set_text_if_changed    (GtkLabel               *label,
                                                const char             *text);

/* The re-entrancy guard: TRUE while the page sets its own controls, so
 * their change handlers return early. Nests. */
void           vi_model_page_begin_update      (ViModelPage     *self);
void           vi_model_page_end_update        (ViModelPage     *self);
gboolean       vi_model_page_is_updating       (ViModelPage     *self);


G_END_DECLS
