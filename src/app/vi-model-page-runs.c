/* vi-model-page-runs.c — the model pages' run manager: labels, visibility,
 * pins, renames, delete with undo, and which runs share the current data
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "vi-model-page-private.h"
#include "vi-run-list.h"

#define PRIV(self) vi_model_page_get_private (self)
#define CLASS(self) VI_MODEL_PAGE_GET_CLASS (self)

/* Run @index of @self, or NULL (with a critical) when there is none. */
static ViModelPageEntry *
checked_entry (ViModelPage *self,
               guint        index)
{
  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), NULL);
  g_return_val_if_fail (index < PRIV (self)->history->len, NULL);
  return g_ptr_array_index (PRIV (self)->history, index);
}

void
vi_model_page_entry_free (gpointer data)
{
  ViModelPageEntry *e = data;

  e->snapshot_free ((gpointer) e->base.snapshot);
  e->base.snapshot = NULL;
  vi_history_entry_clear (&e->base);
  g_clear_pointer (&e->same_for, g_variant_unref);
  g_free (e->name);
  g_free (e);
}

/* ---- labels ---------------------------------------------------------------- */

/* Settings keys and values a run label may show when their table entry has
 * no label of its own, in the translation context "run label"; a word
 * without a translation is shown as it is. */
static const char *const run_label_words[] G_GNUC_UNUSED = {
  NC_("run label", "family"), NC_("run label", "rate"), NC_("run label", "shape"),
  NC_("run label", "mean"), NC_("run label", "variance"), NC_("run label", "samples"),
  NC_("run label", "iterations"), NC_("run label", "optimizer"),
  NC_("run label", "step-size"), NC_("run label", "synthetic-n"),
  NC_("run label", "true-rate"), NC_("run label", "seed"), NC_("run label", "data-seed"),
  NC_("run label", "estimators"), NC_("run label", "counts-file"),
  NC_("run label", "exponential"), NC_("run label", "gaussian"),
  /* Translators: a switched setting in a run label, "show-estimates=on" */
  NC_("run label", "on"), NC_("run label", "off"),
};

/* Labels and choice names from the parameter tables; setting names and
 * word values in the "run label" context. */
static const char *
translate (const char *text)
{
  const char *t = g_dpgettext2 (GETTEXT_PACKAGE, "run label", text);

  return t != text ? t : g_dgettext (GETTEXT_PACKAGE, text);
}

/* Whether @key of @a and @b hold equal values (both absent: equal). */
static gboolean
same_value (GVariant   *a,
            GVariant   *b,
            const char *key)
{
  g_autoptr(GVariant) va = g_variant_lookup_value (a, key, NULL);
  g_autoptr(GVariant) vb = g_variant_lookup_value (b, key, NULL);

  if (va == NULL || vb == NULL)
    return va == vb;
  return g_variant_equal (va, vb);
}

/* The seed @settings' data are drawn with: "data-seed", which defaults to
 * "seed". */
static GVariant *
dup_data_seed (GVariant *settings)
{
  GVariant *v = g_variant_lookup_value (settings, "data-seed", NULL);

  return v != NULL ? v : g_variant_lookup_value (settings, "seed", NULL);
}

/* Whether @key is a data key whose value differs between @a and @b. With a
 * "data-seed" in the table, the seeds count by the seed the data are drawn
 * with: "seed" is data only while @a has no data seed of its own. */
static gboolean
data_key_differs (const ViParamSpec *table,
                  GVariant          *a,
                  GVariant          *b,
                  const char        *key)
{
  const ViParamSpec *spec = vi_params_lookup (table, key, a);

  if (spec == NULL || !(spec->flags & VI_PARAM_DATA) || spec->type == VI_PARAM_DEPENDENT)
    return FALSE;
  if ((strcmp (key, "seed") == 0 || strcmp (key, "data-seed") == 0)
      && vi_params_lookup (table, "data-seed", NULL) != NULL)
    {
      g_autoptr(GVariant) sa = dup_data_seed (a);
      g_autoptr(GVariant) sb = dup_data_seed (b);

      if (strcmp (key, "seed") == 0 && g_variant_lookup (a, "data-seed", "t", NULL))
        return FALSE;
      return (sa == NULL) != (sb == NULL) || (sa != NULL && !g_variant_equal (sa, sb));
    }
  return !same_value (a, b, key);
}

/* Whether @a and @b have the same data (VI_PARAM_DATA keys). */
static gboolean
same_data (const ViParamSpec *table,
           GVariant          *a,
           GVariant          *b)
{
  if (table == NULL || a == NULL || b == NULL)
    return TRUE;
  for (const ViParamSpec *spec = table; spec->key != NULL; spec++)
    if (data_key_differs (table, a, b, spec->key) || data_key_differs (table, b, a, spec->key))
      return FALSE;
  return TRUE;
}

/* same_data (@table, @e's settings, @current), remembered in @e for the
 * next call with equal @current settings (the views ask every frame). */
static gboolean
entry_has_data (const ViParamSpec *table,
                ViModelPageEntry  *e,
                GVariant          *current)
{
  if (current == NULL)
    return TRUE;
  if (e->same_for == NULL || (e->same_for != current && !g_variant_equal (e->same_for, current)))
    {
      g_clear_pointer (&e->same_for, g_variant_unref);
      e->same_for = g_variant_ref (current);
      e->same = same_data (table, e->base.settings, current);
    }
  return e->same;
}

/* Where @key goes in a label: the data keys first ("N = 20 · Gamma q"),
 * then the others, each in @table's order — a family's own parameters
 * (a DEPENDENT group) in the family's order, at the group's place — then
 * keys outside @table. */
static guint
table_position (const ViParamSpec *table,
                GVariant          *settings,
                const char        *key)
{
  for (guint i = 0; table != NULL && table[i].key != NULL; i++)
    {
      guint base = (table[i].flags & VI_PARAM_DATA) ? 0 : G_MAXUINT16;

      if (strcmp (table[i].key, key) == 0)
        return base + 256 * i;
      if (table[i].type == VI_PARAM_DEPENDENT && table[i].get_sub_specs != NULL)
        {
          const char *choice = NULL;
          const ViParamSpec *sub;

          if (!g_variant_lookup (settings, table[i].depends_on, "&s", &choice))
            continue;
          sub = table[i].get_sub_specs (choice);
          for (guint j = 0; sub != NULL && sub[j].key != NULL && j < 255; j++)
            if (strcmp (sub[j].key, key) == 0)
              return base + 256 * i + 1 + j;
        }
    }
  return G_MAXUINT;
}

typedef struct
{
  const ViParamSpec *table;
  GVariant          *settings;
} KeyOrder;

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const KeyOrder *o = data;
  const char *ka = *(const char *const *) a, *kb = *(const char *const *) b;
  guint pa = table_position (o->table, o->settings, ka);
  guint pb = table_position (o->table, o->settings, kb);

  return pa != pb ? (pa < pb ? -1 : 1) : strcmp (ka, kb);
}

/* @settings' keys (but @skip) whose value differs in one of @others, as
 * human labels in table order joined by " · "; with @data_only only the
 * data keys. */
static char *
describe (const ViParamSpec *table,
          GVariant          *settings,
          GVariant *const   *others,
          guint              n_others,
          const char *const *skip,
          gboolean           data_only)
{
  GString *s = g_string_new (NULL);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  GVariantIter iter;
  const char *key;
  char *name;

  /* Copies: "&s" would point into a child that the iteration frees. */
  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{sv}", &name, NULL))
    g_ptr_array_add (keys, name);
  g_ptr_array_sort_with_data (keys, compare_keys, &(KeyOrder) { table, settings });
  for (guint k = 0; k < keys->len; k++)
    {
      const ViParamSpec *spec;
      g_autoptr(GVariant) value = NULL;
      gboolean differs = FALSE;
      g_autofree char *text = NULL;

      key = keys->pdata[k];
      spec = table != NULL ? vi_params_lookup (table, key, settings) : NULL;
      if (skip != NULL && g_strv_contains (skip, key))
        continue;
      for (guint i = 0; i < n_others && !differs; i++)
        differs = data_only ? data_key_differs (table, settings, others[i], key)
                            : !same_value (settings, others[i], key);
      if (!differs)
        continue;
      value = g_variant_lookup_value (settings, key, NULL);
      text = vi_params_describe_value (spec, key, value, translate);
      g_string_append_printf (s, "%s%s", s->len > 0 ? " · " : "", text);
    }
  return g_string_free (s, FALSE);
}

void
vi_model_page_runs_relabel (ViModelPage *self,
                            GVariant    *current)
{
  GPtrArray *history = PRIV (self)->history;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();

  for (guint k = 0; k < history->len; k++)
    {
      ViModelPageEntry *e = g_ptr_array_index (history, k);
      g_autofree char *label = NULL;

      g_ptr_array_set_size (others, 0);
      for (guint j = 0; j < history->len; j++)
        if (j != k)
          g_ptr_array_add (others, ((ViHistoryEntry *) g_ptr_array_index (history, j))->settings);
      if (current != NULL)
        g_ptr_array_add (others, current);
      if (e->name != NULL)
        label = g_strdup (e->name);
      else
        label = describe (CLASS (self)->params, e->base.settings,
                          (GVariant *const *) others->pdata, others->len,
                          PRIV (self)->label_skip, FALSE);
      if (label[0] == '\0')
        {
          g_free (label);
          /* Translators: label of an earlier run in the plot legend */
          label = g_strdup_printf (_("run %u"), k + 1);
        }
      /* Labels are legend groups: keep them apart. */
      for (guint j = 0; j < k; j++)
        if (g_strcmp0 (((ViHistoryEntry *) g_ptr_array_index (history, j))->label, label) == 0)
          {
            char *twin = g_strdup_printf ("%s (%u)", label, k + 1);

            g_free (label);
            label = twin;
            break;
          }
      g_free (e->base.label);
      e->base.label = g_steal_pointer (&label);
    }
}

/* ---- data ------------------------------------------------------------------ */

char *
vi_model_page_dup_run_reason (ViModelPage *self,
                              guint        index)
{
  ViModelPageEntry *e = checked_entry (self, index);
  g_autoptr(GVariant) current = NULL;
  g_autofree char *what = NULL;

  if (e == NULL)
    return NULL;
  current = vi_model_page_dup_current (self);
  if (e->hidden || current == NULL || same_data (CLASS (self)->params, e->base.settings, current))
    return NULL;
  what = describe (CLASS (self)->params, e->base.settings, &current, 1, NULL, TRUE);
  /* Translators: why a kept run is not drawn; %s is e.g. "N = 50" */
  return g_strdup_printf (_("other data: %s"), what);
}

ViViewRun *
vi_model_page_runs_view (ViModelPage *self,
                         GVariant    *current,
                         gboolean     skip_current,
                         guint       *n_runs)
{
  GPtrArray *history = PRIV (self)->history;
  ViViewRun *runs = g_new0 (ViViewRun, MAX (history->len, 1));
  guint n = 0;

  for (guint k = 0; k < history->len; k++)
    {
      ViModelPageEntry *e = g_ptr_array_index (history, k);

      if (e->hidden || !entry_has_data (CLASS (self)->params, e, current))
        continue;
      if (skip_current && current != NULL && g_variant_equal (current, e->base.settings))
        continue;
      /* The slot stays the run's index: hiding a run keeps the colours. */
      runs[n++] = (ViViewRun) { .label = e->base.label, .snapshot = e->base.snapshot,
                                .slot = k };
    }
  *n_runs = n;
  return runs;
}

/* ---- keeping and removing ---------------------------------------------- */

/* Index of the oldest unpinned run but @keep, else the oldest but @keep. */
static guint
oldest_removable (GPtrArray        *history,
                  ViModelPageEntry *keep)
{
  for (guint k = 0; k < history->len; k++)
    {
      ViModelPageEntry *e = g_ptr_array_index (history, k);

      if (!e->pinned && e != keep)
        return k;
    }
  return history->len > 0 && g_ptr_array_index (history, 0) == keep ? 1 : 0;
}

/* Drops runs (not @keep) while there are more than the maximum. */
static void
trim (GPtrArray        *history,
      ViModelPageEntry *keep)
{
  while (history->len > VI_MODEL_PAGE_MAX_HISTORY)
    g_ptr_array_remove_index (history, oldest_removable (history, keep));
}

void
vi_model_page_runs_keep (ViModelPage *self,
                         GVariant    *run_settings,
                         gpointer     snapshot)
{
  GPtrArray *history = PRIV (self)->history;
  ViModelPageEntry *e = g_new0 (ViModelPageEntry, 1);

  e->base.settings = g_variant_ref (run_settings);
  e->base.snapshot = snapshot;
  e->snapshot_free = CLASS (self)->snapshot_free;
  /* Re-running refreshes an entry (keeping what the user set) instead of
   * adding a twin with the same label. */
  for (guint k = 0; k < history->len; k++)
    {
      ViModelPageEntry *old = g_ptr_array_index (history, k);

      if (g_variant_equal (old->base.settings, run_settings))
        {
          e->name = g_steal_pointer (&old->name);
          e->hidden = old->hidden;
          e->pinned = old->pinned;
          g_ptr_array_remove_index (history, k);
          break;
        }
    }
  g_ptr_array_add (history, e);
  trim (history, e);
}

void
vi_model_page_runs_clear (ViModelPage *self)
{
  GPtrArray *history = PRIV (self)->history;

  for (guint k = history->len; k-- > 0;)
    if (!((ViModelPageEntry *) g_ptr_array_index (history, k))->pinned)
      g_ptr_array_remove_index (history, k);
}

/* ---- the page API ---------------------------------------------------------- */

const char *
vi_model_page_get_run_label (ViModelPage *self,
                             guint        index)
{
  ViModelPageEntry *e = checked_entry (self, index);

  return e != NULL ? e->base.label : NULL;
}

void
vi_model_page_rename_run (ViModelPage *self,
                          guint        index,
                          const char  *name)
{
  ViModelPageEntry *e = checked_entry (self, index);
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (e == NULL || (e->name == NULL && g_strcmp0 (stripped, e->base.label) == 0))
    return;
  g_free (e->name);
  e->name = stripped[0] != '\0' ? g_steal_pointer (&stripped) : NULL;
  vi_model_page_history_changed (self);
}

gboolean
vi_model_page_get_run_visible (ViModelPage *self,
                               guint        index)
{
  ViModelPageEntry *e = checked_entry (self, index);

  return e != NULL && !e->hidden;
}

void
vi_model_page_set_run_visible (ViModelPage *self,
                               guint        index,
                               gboolean     visible)
{
  ViModelPageEntry *e = checked_entry (self, index);

  if (e == NULL || e->hidden == !visible)
    return;
  e->hidden = !visible;
  vi_model_page_history_changed (self);
}

gboolean
vi_model_page_get_run_pinned (ViModelPage *self,
                              guint        index)
{
  ViModelPageEntry *e = checked_entry (self, index);

  return e != NULL && e->pinned;
}

void
vi_model_page_set_run_pinned (ViModelPage *self,
                              guint        index,
                              gboolean     pinned)
{
  ViModelPageEntry *e = checked_entry (self, index);

  if (e == NULL || e->pinned == !!pinned)
    return;
  e->pinned = !!pinned;
  vi_model_page_runs_update_list (self);
}

gboolean
vi_model_page_toggle_run_group (ViModelPage *self,
                                const char  *group)
{
  GPtrArray *history;

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  history = PRIV (self)->history;
  for (guint k = 0; group != NULL && k < history->len; k++)
    if (g_strcmp0 (((ViHistoryEntry *) g_ptr_array_index (history, k))->label, group) == 0)
      {
        vi_model_page_set_run_visible (self, k, !vi_model_page_get_run_visible (self, k));
        return TRUE;
      }
  return FALSE;
}

static void
toast_gone_cb (gpointer  data,
               GObject  *where_the_object_was)
{
  ViModelPage *self = data;

  PRIV (self)->toast = NULL;
}

static void
forget_toast (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);

  if (priv->toast != NULL)
    {
      AdwToast *toast = priv->toast;

      g_object_weak_unref (G_OBJECT (toast), toast_gone_cb, self);
      priv->toast = NULL;
      adw_toast_dismiss (toast);
    }
}

void
vi_model_page_delete_run (ViModelPage *self,
                          guint        index)
{
  ViModelPagePrivate *priv;
  GtkWidget *overlay;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  priv = PRIV (self);
  g_return_if_fail (index < priv->history->len);
  forget_toast (self);
  g_clear_pointer (&priv->deleted, vi_model_page_entry_free);
  priv->deleted = g_ptr_array_steal_index (priv->history, index);
  priv->deleted_index = index;
  vi_model_page_history_changed (self);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;
  /* Translators: a toast after deleting a kept run, with an Undo button */
  priv->toast = adw_toast_new (_("Run deleted"));
  adw_toast_set_button_label (priv->toast, _("_Undo"));
  /* Normal priority: libadwaita 1.2 asserts when a high-priority toast
   * pushes a shown one back into its queue. */
  g_signal_connect_object (priv->toast, "button-clicked",
                           G_CALLBACK (vi_model_page_undo_delete_run), self, G_CONNECT_SWAPPED);
  g_object_weak_ref (G_OBJECT (priv->toast), toast_gone_cb, self);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), priv->toast);
}

gboolean
vi_model_page_undo_delete_run (ViModelPage *self)
{
  ViModelPagePrivate *priv;
  ViModelPageEntry *e;

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  priv = PRIV (self);
  if (priv->deleted == NULL)
    return FALSE;
  e = g_steal_pointer (&priv->deleted);
  forget_toast (self);
  g_ptr_array_insert (priv->history, (int) MIN (priv->deleted_index, priv->history->len), e);
  trim (priv->history, e);
  vi_model_page_history_changed (self);
  return TRUE;
}

/* ---- the run list ---------------------------------------------------------- */

/* The box of the controls pane: a GtkBox in a scrolled window in @w. */
static GtkWidget *
find_controls_box (GtkWidget *w)
{
  if (GTK_IS_SCROLLED_WINDOW (w))
    {
      GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (w));

      if (GTK_IS_VIEWPORT (child))
        child = gtk_viewport_get_child (GTK_VIEWPORT (child));
      return GTK_IS_BOX (child) ? child : NULL;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *box = find_controls_box (c);

      if (box != NULL)
        return box;
    }
  return NULL;
}

static void
settings_changed_cb (ViModelPage *self)
{
  vi_model_page_runs_update_list (self);
}

void
vi_model_page_runs_attach (ViModelPage *self,
                           GtkWidget   *controls)
{
  ViModelPagePrivate *priv = PRIV (self);
  GtkWidget *box = controls != NULL ? find_controls_box (controls) : NULL;

  if (priv->run_list != NULL || box == NULL)
    return;
  priv->run_list = vi_run_list_new (self);
  gtk_box_prepend (GTK_BOX (box), priv->run_list);
  g_signal_connect (self, "settings-changed", G_CALLBACK (settings_changed_cb), NULL);
  vi_model_page_runs_update_list (self);
}

void
vi_model_page_runs_update_list (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);

  if (priv->run_list != NULL)
    vi_run_list_update (VI_RUN_LIST (priv->run_list));
}

void
vi_model_page_runs_dispose (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);

  forget_toast (self);
  g_clear_pointer (&priv->deleted, vi_model_page_entry_free);
  priv->run_list = NULL;
}
