/* vi-model-page.c — the base of the model pages: ViPage implemented once
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "vi-binding.h"
#include "vi-model-page.h"
#include "vi-model-page-private.h"
#include "vi-run.h"
#include "vi-status.h"
#include "vi-util.h"

static void vi_model_page_iface_init (ViPageInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (ViModelPage, vi_model_page, GTK_TYPE_WIDGET,
                                  G_ADD_PRIVATE (ViModelPage)
                                  G_IMPLEMENT_INTERFACE (VI_TYPE_PAGE,
                                                         vi_model_page_iface_init))

#define PRIV(self) ((ViModelPagePrivate *) vi_model_page_get_instance_private (self))

ViModelPagePrivate *
vi_model_page_get_private (ViModelPage *self)
{
  return PRIV (self);
}
#define CLASS(self) VI_MODEL_PAGE_GET_CLASS (self)

/* ---- helpers ------------------------------------------------------------- */

static void
rebuild (ViModelPage *self)
{
  if (CLASS (self)->rebuild != NULL)
    CLASS (self)->rebuild (self);
}

/* ---- bindings ------------------------------------------------------------ */

void
vi_model_page_set_bindings (ViModelPage     *self,
                            const ViBinding *bindings,
                            gsize            n_bindings)
{
  ViModelPagePrivate *priv = PRIV (self);
  const ViParamSpec *table = CLASS (self)->params;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  g_array_set_size (priv->bindings, 0);
  g_array_append_vals (priv->bindings, bindings, (guint) n_bindings);
  if (table == NULL)
    return;
  vi_model_page_begin_update (self);
  for (guint i = 0; i < priv->bindings->len; i++)
    {
      ViBinding *b = &g_array_index (priv->bindings, ViBinding, i);
      const ViParamSpec *spec = vi_params_lookup (table, b->key, NULL);

      if (spec == NULL)
        g_critical ("%s: bound, but not in the table of %s", b->key,
                    CLASS (self)->job_type->name);
      else
        vi_binding_configure (b, spec);
    }
  vi_model_page_end_update (self);
}

/* The binding of @key, or NULL. */
static ViBinding *
find_binding (ViModelPage *self,
              const char  *key)
{
  GArray *bindings = PRIV (self)->bindings;

  for (guint i = 0; i < bindings->len; i++)
    if (g_strcmp0 (g_array_index (bindings, ViBinding, i).key, key) == 0)
      return &g_array_index (bindings, ViBinding, i);
  return NULL;
}

void
vi_model_page_set_bound_active (ViModelPage *self,
                                const char  *key,
                                gboolean     active)
{
  ViBinding *b;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  b = find_binding (self, key);
  g_return_if_fail (b != NULL);
  b->inactive = !active;
}

GtkWidget *
vi_model_page_get_bound_widget (ViModelPage *self,
                                const char  *key)
{
  const ViBinding *b;

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), NULL);
  b = find_binding (self, key);
  return b != NULL ? b->widget : NULL;
}

const char *
vi_model_page_get_choice (ViModelPage *self,
                          const char  *key)
{
  const ViBinding *b = find_binding (self, key);

  g_return_val_if_fail (b != NULL && b->kind == VI_BINDING_CHOICE, NULL);
  return vi_binding_get_choice (b);
}


/* ---- for subclasses ------------------------------------------------------ */

static void controls_revealed_cb (ViModelPage *self);

static void
legend_activated_cb (ViPlotView  *plot,
                     const char  *group,
                     ViModelPage *self)
{
  vi_model_page_toggle_run_group (self, group);
}

void
vi_model_page_add_plot (ViModelPage *self,
                        ViPlotView  *plot)
{
  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  g_ptr_array_add (PRIV (self)->plots, plot);
  g_signal_connect_object (plot, "legend-activated", G_CALLBACK (legend_activated_cb), self, 0);
}

guint
vi_model_page_get_n_plots (ViModelPage *self)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), 0);
  return PRIV (self)->plots->len;
}

ViPlotView *
vi_model_page_get_plot (ViModelPage *self,
                        guint        index)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), NULL);
  g_return_val_if_fail (index < PRIV (self)->plots->len, NULL);
  return g_ptr_array_index (PRIV (self)->plots, index);
}

void
vi_model_page_set_controls (ViModelPage *self,
                            GtkWidget   *controls)
{
  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  if (ADW_IS_FLAP (controls))
    g_signal_connect_object (controls, "notify::reveal-flap", G_CALLBACK (controls_revealed_cb),
                             self, G_CONNECT_SWAPPED);
  PRIV (self)->controls = controls;
  vi_model_page_runs_attach (self, controls);
}

void
vi_model_page_set_error (ViModelPage *self,
                         const char  *message)
{
  ViModelPagePrivate *priv = PRIV (self);
  g_autofree char *shown = NULL;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  if (message != priv->error)
    {
      g_free (priv->error);
      priv->error = g_strdup (message);
    }
  if (priv->error_label == NULL && CLASS (self)->error_label != NULL)
    priv->error_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                  G_OBJECT_TYPE (self),
                                                                  CLASS (self)->error_label));
  if (priv->error_label == NULL)
    return;
  /* A message may hold a path thousands of characters long (a session). */
  shown = vi_elide_middle (message != NULL ? message : "", VI_ELIDE_MAX_CHARS);
  gtk_label_set_label (priv->error_label, shown);
  gtk_widget_set_visible (GTK_WIDGET (priv->error_label), message != NULL);
}

const char *
vi_model_page_get_error (ViModelPage *self)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), NULL);
  return PRIV (self)->error;
}

void
vi_model_page_set_label_skip (ViModelPage       *self,
                              const char *const *skip)
{
  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  PRIV (self)->label_skip = skip;
}

void
vi_model_page_set_skip_needs_live (ViModelPage *self,
                                   gboolean     needs_live)
{
  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  PRIV (self)->skip_needs_live = needs_live;
}

gconstpointer
vi_model_page_get_snapshot (ViModelPage *self)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), NULL);
  return PRIV (self)->snap;
}

void
vi_model_page_clear_snapshot (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  g_clear_pointer (&priv->snap, CLASS (self)->snapshot_free);
}

guint
vi_model_page_get_n_history (ViModelPage *self)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), 0);
  return PRIV (self)->history->len;
}

gconstpointer
vi_model_page_get_history_snapshot (ViModelPage *self,
                                    guint        index)
{
  GPtrArray *history;

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), NULL);
  history = PRIV (self)->history;
  g_return_val_if_fail (index < history->len, NULL);
  return ((ViHistoryEntry *) g_ptr_array_index (history, index))->snapshot;
}

gboolean
vi_model_page_get_presenting (ViModelPage *self)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  return PRIV (self)->presenting;
}

void
vi_model_page_begin_update (ViModelPage *self)
{
  PRIV (self)->updating++;
}

void
vi_model_page_end_update (ViModelPage *self)
{
  g_return_if_fail (PRIV (self)->updating > 0);
  PRIV (self)->updating--;
}

gboolean
vi_model_page_is_updating (ViModelPage *self)
{
  return PRIV (self)->updating > 0;
}

/* ---- jobs off the UI thread -------------------------------------------- */

typedef struct
{
  GWeakRef            page;
  GCancellable       *cancellable;
  ViModelPageJobFunc  done;
} JobTask;

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  JobTask *t = user_data;
  g_autoptr(ViModelPage) self = g_weak_ref_get (&t->page);
  g_autoptr(GError) error = NULL;
  double seconds = 0;
  gpointer snap = vi_job_run_finish (result, &seconds, &error);

  /* A cancelled run was replaced or its page went away. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self != NULL
      && PRIV (self)->job_cancellable == t->cancellable)
    {
      g_clear_object (&PRIV (self)->job_cancellable);
      t->done (self, g_steal_pointer (&snap), seconds, error);
    }
  if (snap != NULL)
    vi_job_run_free_snapshot (result, snap);
  g_weak_ref_clear (&t->page);
  g_object_unref (t->cancellable);
  g_free (t);
}

void
vi_model_page_run_job (ViModelPage        *self,
                       const ViJobType    *type,
                       GVariant           *params,
                       ViModelPageJobFunc  done)
{
  ViModelPagePrivate *priv = PRIV (self);
  JobTask *t;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  vi_model_page_cancel_job (self);
  t = g_new0 (JobTask, 1);
  g_weak_ref_init (&t->page, self);
  t->done = done;
  priv->job_cancellable = g_cancellable_new ();
  t->cancellable = g_object_ref (priv->job_cancellable);
  vi_job_run_async (type, params, t->cancellable, job_done, t);
}

void
vi_model_page_cancel_job (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  if (priv->job_cancellable != NULL)
    {
      g_cancellable_cancel (priv->job_cancellable);
      g_clear_object (&priv->job_cancellable);
    }
}

gboolean
vi_model_page_is_running_job (ViModelPage *self)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  return PRIV (self)->job_cancellable != NULL;
}

/* ---- settings ------------------------------------------------------------ */

static GVariant *
dup_settings (ViPage  *page,
              GError **error)
{
  ViModelPage *self = VI_MODEL_PAGE (page);
  ViModelPagePrivate *priv = PRIV (self);
  GVariant *settings;
  GVariantBuilder b;

  if (priv->error != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, priv->error);
      return NULL;
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  if (CLASS (self)->add_settings != NULL && !CLASS (self)->add_settings (self, &b, error))
    {
      g_variant_builder_clear (&b);
      return NULL;
    }
  for (guint i = 0; i < priv->bindings->len; i++)
    {
      const ViBinding *binding = &g_array_index (priv->bindings, ViBinding, i);

      if (!binding->inactive)
        g_variant_builder_add (&b, "{sv}", binding->key, vi_binding_read (binding));
    }
  settings = g_variant_ref_sink (g_variant_builder_end (&b));
  /* The views ask for the settings several times a frame; the same
   * settings as last time need no second check. */
  if (CLASS (self)->params != NULL
      && (priv->valid == NULL || !g_variant_equal (settings, priv->valid)))
    {
      g_autoptr(GVariant) valid = vi_params_validate (CLASS (self)->params, settings, error);

      g_clear_pointer (&priv->valid, g_variant_unref);
      if (valid == NULL)
        g_clear_pointer (&settings, g_variant_unref);
      else
        priv->valid = g_variant_ref (settings);
    }
  return settings;
}

static gboolean
set_settings (ViPage    *page,
              GVariant  *settings,
              GError   **error)
{
  ViModelPage *self = VI_MODEL_PAGE (page);
  ViModelPagePrivate *priv = PRIV (self);

  /* Check everything first, so bad settings leave the page unchanged. */
  if (CLASS (self)->params != NULL)
    {
      g_autoptr(GVariant) valid = vi_params_validate (CLASS (self)->params, settings, error);

      if (valid == NULL)
        return FALSE;
    }
  for (guint i = 0; i < priv->bindings->len; i++)
    if (!vi_binding_check (&g_array_index (priv->bindings, ViBinding, i), settings, error))
      return FALSE;
  if (CLASS (self)->check_settings != NULL && !CLASS (self)->check_settings (self, settings, error))
    return FALSE;
  vi_model_page_begin_update (self);
  for (guint i = 0; i < priv->bindings->len; i++)
    vi_binding_write (&g_array_index (priv->bindings, ViBinding, i), settings);
  vi_model_page_end_update (self);
  if (CLASS (self)->apply_settings != NULL)
    CLASS (self)->apply_settings (self, settings);
  return TRUE;
}

/* ---- history ------------------------------------------------------------- */

GVariant *
vi_model_page_dup_current (ViModelPage *self)
{
  return dup_settings (VI_PAGE (self), NULL);
}

void
vi_model_page_relabel_history (ViModelPage *self)
{
  g_autoptr(GVariant) current = NULL;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  current = vi_model_page_dup_current (self);
  vi_model_page_runs_relabel (self, current);
}

void
vi_model_page_history_changed (ViModelPage *self)
{
  vi_model_page_relabel_history (self);
  vi_model_page_runs_update_list (self);
  rebuild (self);
}

void
vi_model_page_view_context_init (ViModelPage   *self,
                                 ViViewContext *ctx,
                                 ViPlotView    *plot)
{
  ViModelPagePrivate *priv = PRIV (self);
  g_autoptr(GVariant) current = vi_model_page_dup_current (self);
  guint n = 0;

  /* An entry with the current settings is what the live curves show. */
  vi_view_context_init (ctx);
  ctx->line_scale = vi_plot_view_get_line_scale (plot);
  ctx->smoothing = vi_plot_view_get_smoothing (plot);
  ctx->history = vi_model_page_runs_view (self, current,
                                          !priv->skip_needs_live || priv->snap != NULL, &n);
  ctx->n_history = n;
}

void
vi_model_page_build_plot (ViModelPage          *self,
                          ViPlotView           *plot,
                          ViModelPageBuildFunc  build,
                          gconstpointer         snapshot)
{
  ViPlotCost *cost = vi_plot_view_get_cost (plot);
  ViViewContext ctx;
  gint64 t0;

  /* While a job runs flat out, the frame's budget may say "next time". */
  if (!vi_plot_budget_grant (cost))
    return;
  t0 = g_get_monotonic_time ();
  vi_model_page_view_context_init (self, &ctx, plot);
  if (CLASS (self)->setup_view != NULL)
    CLASS (self)->setup_view (self, &ctx);
  build (vi_plot_view_get_figure (plot), snapshot, &ctx);
  vi_page_view_context_clear (&ctx);
  vi_plot_view_figure_changed (plot);
  vi_plot_cost_add_build (cost, g_get_monotonic_time () - t0);
}

char *
vi_model_page_dup_explanation (ViModelPage            *self,
                               ViPlotView             *plot,
                               ViModelPageExplainFunc  explain,
                               gconstpointer           snapshot)
{
  ViViewContext ctx;
  char *text;

  vi_model_page_view_context_init (self, &ctx, plot);
  if (CLASS (self)->setup_view != NULL)
    CLASS (self)->setup_view (self, &ctx);
  text = explain (vi_plot_view_get_figure (plot), snapshot, &ctx);
  vi_page_view_context_clear (&ctx);
  return text;
}

void
vi_model_page_explain_plot (ViModelPage            *self,
                            ViPlotView             *plot,
                            GtkLabel               *label,
                            ViModelPageExplainFunc  explain,
                            gconstpointer           snapshot)
{
  g_autofree char *text = vi_model_page_dup_explanation (self, plot, explain, snapshot);

  vi_label_set_text_if_changed (label, text);
}

void
vi_label_set_text_if_changed (GtkLabel   *label,
                              const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

static void
show_snapshot (ViPage        *page,
               gconstpointer  snapshot)
{
  ViModelPage *self = VI_MODEL_PAGE (page);
  ViModelPagePrivate *priv = PRIV (self);

  g_clear_pointer (&priv->snap, CLASS (self)->snapshot_free);
  if (snapshot != NULL)
    priv->snap = CLASS (self)->snapshot_copy (snapshot);
  if (CLASS (self)->snapshot_shown != NULL)
    CLASS (self)->snapshot_shown (self);
  else
    rebuild (self);
}

static void
keep_history (ViPage   *page,
              GVariant *run_settings)
{
  ViModelPage *self = VI_MODEL_PAGE (page);
  ViModelPagePrivate *priv = PRIV (self);
  const ViJobType *type = CLASS (self)->job_type;

  if (priv->snap == NULL || !CLASS (self)->snapshot_keepable (priv->snap))
    return;
  /* What the views draw of an earlier run, not its MBs of images (up to
   * 8 runs are kept: vae's soak grew 30 MB with whole snapshots). */
  vi_model_page_runs_keep (self, run_settings,
                           type != NULL && type->snapshot_keep != NULL
                           ? type->snapshot_keep (priv->snap)
                           : CLASS (self)->snapshot_copy (priv->snap));
  vi_model_page_history_changed (self);
}

static void
clear_history (ViPage *page)
{
  ViModelPage *self = VI_MODEL_PAGE (page);

  vi_model_page_runs_clear (self);
  vi_model_page_history_changed (self);
}

static guint
get_n_history (ViPage *page)
{
  return PRIV (VI_MODEL_PAGE (page))->history->len;
}

/* ---- plots and controls -------------------------------------------------- */

static ViPlotView *
get_main_plot (ViPage *page)
{
  ViModelPage *self = VI_MODEL_PAGE (page);
  ViModelPagePrivate *priv = PRIV (self);
  ViPlotView *best = NULL;

  if (CLASS (self)->get_default_plot != NULL)
    best = CLASS (self)->get_default_plot (self);
  if (best == NULL && priv->plots->len > 0)
    best = g_ptr_array_index (priv->plots, 0);
  for (guint i = 0; i < priv->plots->len; i++)
    {
      ViPlotView *plot = g_ptr_array_index (priv->plots, i);

      if (vi_plot_view_get_last_used (plot) > vi_plot_view_get_last_used (best))
        best = plot;
    }
  return best;
}

static void
set_presentation (ViPage   *page,
                  gboolean  presenting)
{
  ViModelPage *self = VI_MODEL_PAGE (page);
  ViModelPagePrivate *priv = PRIV (self);

  priv->presenting = presenting;
  for (guint i = 0; i < priv->plots->len; i++)
    vi_plot_view_set_presentation (g_ptr_array_index (priv->plots, i), presenting);
  rebuild (self);
}

static void
show_controls (ViModelPage *self,
               gboolean     visible)
{
  ViModelPagePrivate *priv = PRIV (self);

  if (priv->controls == NULL)
    return;
  /* An AdwFlap holds the controls beside the plots (or over them when
   * folded); anything else is hidden outright. */
  if (ADW_IS_FLAP (priv->controls))
    adw_flap_set_reveal_flap (ADW_FLAP (priv->controls), visible);
  else
    gtk_widget_set_visible (priv->controls, visible);
}

static gboolean
controls_shown (ViModelPage *self)
{
  GtkWidget *controls = PRIV (self)->controls;

  if (controls == NULL)
    return FALSE;
  if (ADW_IS_FLAP (controls))
    return adw_flap_get_reveal_flap (ADW_FLAP (controls));
  return gtk_widget_get_visible (controls);
}

static void
set_controls_visible (ViPage   *page,
                      gboolean  visible)
{
  ViModelPage *self = VI_MODEL_PAGE (page);

  /* While a plot is expanded the controls stay away; restoring shows
   * them as asked now. */
  if (PRIV (self)->expanded != NULL)
    PRIV (self)->expand_controls = visible;
  else
    show_controls (self, visible);
}

/* The flap folded or unfolded (or the user toggled it): the window's
 * controls button follows the page it shows. */
static void
controls_revealed_cb (ViModelPage *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean shown = controls_shown (self);
  g_autoptr(GVariant) state = NULL;

  if (PRIV (self)->expanded != NULL || root == NULL || !G_IS_ACTION_GROUP (root)
      || (GTK_IS_STACK (parent)
          && gtk_stack_get_visible_child (GTK_STACK (parent)) != GTK_WIDGET (self)))
    return;
  state = g_action_group_get_action_state (G_ACTION_GROUP (root), "show-controls");
  if (state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN)
      && g_variant_get_boolean (state) != shown)
    g_action_group_change_action_state (G_ACTION_GROUP (root), "show-controls",
                                        g_variant_new_boolean (shown));
}

/* ---- expanding one plot -------------------------------------------------- */

static void
hide_for_expand (ViModelPage *self,
                 GtkWidget   *widget)
{
  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_set_visible (widget, FALSE);
  g_ptr_array_add (PRIV (self)->expand_hidden, widget);
}

gboolean
vi_model_page_expand_plot (ViModelPage *self,
                           ViPlotView  *plot)
{
  ViModelPagePrivate *priv = PRIV (self);
  GtkWidget *w = GTK_WIDGET (plot);

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  g_return_val_if_fail (VI_IS_PLOT_VIEW (plot), FALSE);
  if (priv->expanded == plot)
    return TRUE;
  vi_model_page_restore_plot (self);
  if (!gtk_widget_is_ancestor (w, GTK_WIDGET (self)))
    return FALSE;
  priv->expand_hidden = g_ptr_array_new ();
  /* Hide everything beside the path from the plot up to the page (other
   * tabs of a stack are not shown anyway). */
  for (GtkWidget *parent = gtk_widget_get_parent (w);
       parent != NULL && w != GTK_WIDGET (self) && w != priv->controls;
       w = parent, parent = gtk_widget_get_parent (parent))
    {
      if (GTK_IS_STACK (parent) || parent == priv->controls)
        continue;
      for (GtkWidget *sib = gtk_widget_get_first_child (parent); sib != NULL;
           sib = gtk_widget_get_next_sibling (sib))
        if (sib != w && !GTK_IS_POPOVER (sib))
          hide_for_expand (self, sib);
    }
  priv->expand_controls = controls_shown (self);
  show_controls (self, FALSE);
  priv->expanded = plot;
  gtk_widget_grab_focus (GTK_WIDGET (plot));
  return TRUE;
}

gboolean
vi_model_page_restore_plot (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  if (priv->expanded == NULL)
    return FALSE;
  for (guint i = 0; i < priv->expand_hidden->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (priv->expand_hidden, i), TRUE);
  g_clear_pointer (&priv->expand_hidden, g_ptr_array_unref);
  priv->expanded = NULL;
  show_controls (self, priv->expand_controls);
  return TRUE;
}

ViPlotView *
vi_model_page_get_expanded_plot (ViModelPage *self)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), NULL);
  return PRIV (self)->expanded;
}

static ViPlotView *get_main_plot (ViPage *page);

/* "page.expand-plot": expands the last used plot (or the first one shown),
 * or restores the expanded one. */
static void
expand_plot_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  ViModelPage *self = VI_MODEL_PAGE (widget);
  ViModelPagePrivate *priv = PRIV (self);
  ViPlotView *plot;

  if (vi_model_page_restore_plot (self))
    return;
  plot = get_main_plot (VI_PAGE (self));
  for (guint i = 0; (plot == NULL || !gtk_widget_get_mapped (GTK_WIDGET (plot)))
                    && i < priv->plots->len; i++)
    plot = g_ptr_array_index (priv->plots, i);
  if (plot != NULL && gtk_widget_get_mapped (GTK_WIDGET (plot)))
    vi_model_page_expand_plot (self, plot);
}

static const ViJobType *
get_job_type (ViPage *page)
{
  return CLASS (page)->job_type;
}

static char **
dup_data_files (ViPage *page)
{
  if (CLASS (page)->dup_data_files != NULL)
    return CLASS (page)->dup_data_files (VI_MODEL_PAGE (page));
  return NULL;
}

static const char *
get_objective_name (ViPage *page)
{
  return CLASS (page)->objective_name != NULL ? CLASS (page)->objective_name : _("Objective");
}

static gboolean
is_explorer (ViPage *page)
{
  return CLASS (page)->explorer;
}

static gboolean
run_override (ViPage *page)
{
  return CLASS (page)->run_override != NULL && CLASS (page)->run_override (VI_MODEL_PAGE (page));
}

static void
vi_model_page_iface_init (ViPageInterface *iface)
{
  iface->get_job_type = get_job_type;
  iface->dup_settings = dup_settings;
  iface->set_settings = set_settings;
  iface->show_snapshot = show_snapshot;
  iface->keep_history = keep_history;
  iface->clear_history = clear_history;
  iface->get_n_history = get_n_history;
  iface->get_main_plot = get_main_plot;
  iface->set_presentation = set_presentation;
  iface->set_controls_visible = set_controls_visible;
  iface->dup_data_files = dup_data_files;
  iface->get_objective_name = get_objective_name;
  iface->is_explorer = is_explorer;
  iface->run_override = run_override;
}

void
vi_model_page_class_set_template (ViModelPageClass *klass,
                                  const char       *resource)
{
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass), resource);
  klass->has_template = TRUE;
}

void
vi_model_page_class_set_job_type (ViModelPageClass *klass,
                                  const ViJobType  *type)
{
  klass->job_type = type;
  klass->params = type->params;
  /* Job snapshots are immutable and reference-counted: pages share them. */
  klass->snapshot_copy = vi_job_snapshot_ref;
  klass->snapshot_free = type->snapshot_free;
}

static void
class_set_error_label (ViModelPageClass *klass,
                       const char       *id)
{
  gtk_widget_class_bind_template_child_full (GTK_WIDGET_CLASS (klass), id, FALSE, 0);
  klass->error_label = id;
}

static void
class_bind_children (ViModelPageClass      *klass,
                     const ViTemplateChild *children,
                     gsize                  n_children)
{
  for (gsize i = 0; i < n_children; i++)
    gtk_widget_class_bind_template_child_full (GTK_WIDGET_CLASS (klass), children[i].id, FALSE,
                                               children[i].offset);
}

void
vi_model_page_class_setup (ViModelPageClass      *klass,
                           const ViJobType       *type,
                           const char            *resource,
                           const char            *error_label,
                           const ViTemplateChild *children,
                           gsize                  n_children)
{
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BOX_LAYOUT);
  vi_model_page_class_set_job_type (klass, type);
  vi_model_page_class_set_template (klass, resource);
  if (error_label != NULL)
    class_set_error_label (klass, error_label);
  class_bind_children (klass, children, n_children);
}

/* ---- object -------------------------------------------------------------- */

static void
vi_model_page_dispose (GObject *object)
{
  ViModelPage *self = VI_MODEL_PAGE (object);
  ViModelPagePrivate *priv = PRIV (self);
  GtkWidget *child;

  vi_model_page_cancel_job (self);
  vi_model_page_runs_dispose (self);
  vi_model_page_checkpoint_dispose (self);
  if (CLASS (self)->has_template)
    gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&priv->expand_hidden, g_ptr_array_unref);
  priv->expanded = NULL;
  g_ptr_array_set_size (PRIV (self)->plots, 0);
  g_array_set_size (PRIV (self)->bindings, 0);
  PRIV (self)->controls = NULL;
  PRIV (self)->error_label = NULL;
  G_OBJECT_CLASS (vi_model_page_parent_class)->dispose (object);
}

static void
vi_model_page_finalize (GObject *object)
{
  ViModelPage *self = VI_MODEL_PAGE (object);
  ViModelPagePrivate *priv = PRIV (self);

  g_clear_pointer (&priv->snap, CLASS (self)->snapshot_free);
  g_clear_pointer (&priv->error, g_free);
  g_clear_pointer (&priv->valid, g_variant_unref);
  g_clear_pointer (&priv->history, g_ptr_array_unref);
  g_clear_pointer (&priv->bindings, g_array_unref);
  g_clear_pointer (&priv->plots, g_ptr_array_unref);
  G_OBJECT_CLASS (vi_model_page_parent_class)->finalize (object);
}

static void
vi_model_page_class_init (ViModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vi_model_page_dispose;
  object_class->finalize = vi_model_page_finalize;
  g_type_ensure (VI_TYPE_PLOT_VIEW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_install_action (widget_class, "page.expand-plot", NULL, expand_plot_action);
}

static void
vi_model_page_init (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);

  priv->history = g_ptr_array_new_with_free_func (vi_model_page_entry_free);
  priv->bindings = g_array_new (FALSE, FALSE, sizeof (ViBinding));
  priv->plots = g_ptr_array_new ();
}
