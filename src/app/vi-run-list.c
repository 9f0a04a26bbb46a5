/* vi-run-list.c — the run manager's list (see vi-run-list.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vi-run-list.h"
#include "vi-view.h"

struct _ViRunList
{
  GtkWidget    parent_instance;

  ViModelPage *page;        /* borrowed: the list is the page's descendant */
  GtkExpander *expander;
  GtkListBox  *list;
  char        *shown;       /* what the rows show, to skip needless rebuilds */
  GArray      *order;       /* guint run index per row */
};

G_DEFINE_FINAL_TYPE (ViRunList, vi_run_list, GTK_TYPE_WIDGET)

/* ---- rows ------------------------------------------------------------------ */

static ViTheme
page_theme (ViRunList *self)
{
  ViPlotView *plot = vi_page_get_main_plot (VI_PAGE (self->page));
  ViFigure *fig = plot != NULL ? vi_plot_view_get_figure (plot) : NULL;

  return fig != NULL ? vi_figure_get_theme (fig) : VI_THEME_LIGHT;
}

typedef struct
{
  ViColor color;
  ViDash  dash;
} Swatch;

/* A short line in the run's colour and dash, as its legend entry shows it;
 * a hidden run's is faint. */
static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  Swatch *sw = data;
  gboolean hidden = !gtk_widget_is_sensitive (GTK_WIDGET (area));

  cairo_set_line_width (cr, 2.5);
  vi_dash_apply (cr, sw->dash, 2.5);
  cairo_move_to (cr, 1, height / 2.0);
  cairo_line_to (cr, width - 1, height / 2.0);
  cairo_set_source_rgba (cr, sw->color.r, sw->color.g, sw->color.b, hidden ? 0.35 : 1);
  cairo_stroke (cr);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action,
             guint       index)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_uint32 (index));
  return button;
}

/* ---- the name: a wrapping label that turns into an entry to rename ---- */

static guint
row_run (GtkWidget *w)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (w), "vi-run"));
}

static void
start_rename (GtkStack *stack)
{
  GtkWidget *entry = gtk_stack_get_child_by_name (stack, "entry");
  GtkWidget *label = gtk_stack_get_child_by_name (stack, "label");

  gtk_editable_set_text (GTK_EDITABLE (entry), gtk_label_get_text (GTK_LABEL (label)));
  gtk_stack_set_visible_child (stack, entry);
  gtk_widget_grab_focus (entry);
}

/* Ends a rename: with @keep, the entry's text names the run. */
static void
end_rename (ViRunList *self,
            GtkWidget *entry,
            gboolean   keep)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (entry));
  guint index = row_run (entry);
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  if (gtk_stack_get_visible_child (stack) != entry)
    return;
  gtk_stack_set_visible_child_name (stack, "label");
  if (keep && self->page != NULL && index < vi_model_page_get_n_history (self->page)
      && g_strcmp0 (text, vi_model_page_get_run_label (self->page, index)) != 0)
    vi_model_page_rename_run (self->page, index, text);
}

static void
entry_activate_cb (GtkEntry  *entry,
                   ViRunList *self)
{
  end_rename (self, GTK_WIDGET (entry), TRUE);
}

static void
entry_leave_cb (GtkEventControllerFocus *focus,
                ViRunList               *self)
{
  end_rename (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus)), TRUE);
}

static gboolean
entry_key_cb (GtkEventControllerKey *key,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              ViRunList             *self)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  end_rename (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (key)), FALSE);
  return TRUE;
}

static void
label_pressed_cb (GtkGestureClick *click,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkStack        *stack)
{
  if (n_press == 2)
    start_rename (stack);
}

static GtkWidget *
make_name (ViRunList  *self,
           guint       index,
           const char *text)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *entry = gtk_entry_new ();
  GtkEventController *controller;

  gtk_stack_set_hhomogeneous (GTK_STACK (stack), FALSE);
  gtk_stack_set_vhomogeneous (GTK_STACK (stack), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_set_tooltip_text (label, _("Double-click to rename"));
  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "pressed", G_CALLBACK (label_pressed_cb), stack);
  gtk_widget_add_controller (label, controller);
  gtk_stack_add_named (GTK_STACK (stack), label, "label");

  g_object_set_data (G_OBJECT (entry), "vi-run", GUINT_TO_POINTER (index));
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 10);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name (empty: the settings)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Run name"), -1);
  g_signal_connect (entry, "activate", G_CALLBACK (entry_activate_cb), self);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (entry_leave_cb), self);
  gtk_widget_add_controller (entry, controller);
  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (entry_key_cb), self);
  gtk_widget_add_controller (entry, controller);
  gtk_stack_add_named (GTK_STACK (stack), entry, "entry");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "label");
  return stack;
}

static GtkWidget *
make_row (ViRunList *self,
          guint      index,
          ViTheme    theme)
{
  gboolean visible = vi_model_page_get_run_visible (self->page, index);
  gboolean pinned = vi_model_page_get_run_pinned (self->page, index);
  const char *label = vi_model_page_get_run_label (self->page, index);
  g_autofree char *reason = vi_model_page_dup_run_reason (self->page, index);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *name = make_name (self, index, label);
  Swatch *sw = g_new (Swatch, 1);

  /* Pages whose earlier runs keep their series' colours (bbvi: the
   * estimator's) tell runs apart by dash alone: a neutral swatch. */
  sw->color = vi_palette_get (theme, VI_MODEL_PAGE_GET_CLASS (self->page)->runs_keep_series_colours
                                     ? 7 : vi_view_history_color (index));
  sw->dash = vi_view_history_dash (index);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 24);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, sw, g_free);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (swatch, visible && reason == NULL);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_top (box, 2);
  gtk_widget_set_margin_bottom (box, 2);

  gtk_box_append (GTK_BOX (text), name);
  if (reason != NULL || !visible)
    {
      GtkWidget *why = gtk_label_new (reason != NULL ? reason : _("hidden"));

      gtk_label_set_xalign (GTK_LABEL (why), 0);
      gtk_label_set_wrap (GTK_LABEL (why), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (why), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (why, "caption");
      gtk_widget_add_css_class (why, "dim-label");
      gtk_widget_set_margin_start (why, 6);
      gtk_box_append (GTK_BOX (text), why);
    }
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box),
                  icon_button (visible ? "view-reveal-symbolic" : "view-conceal-symbolic",
                               visible ? _("Hide this run") : _("Show this run"),
                               "runs.toggle", index));
  {
    GtkWidget *pin = icon_button ("view-pin-symbolic",
                                  pinned ? _("Unpin: Clear History removes it")
                                         : _("Pin: Clear History keeps it"),
                                  "runs.pin", index);

    if (pinned)
      gtk_widget_add_css_class (pin, "accent");
    else
      gtk_widget_add_css_class (pin, "dim-label");
    gtk_box_append (GTK_BOX (box), pin);
  }
  gtk_box_append (GTK_BOX (box), icon_button ("document-edit-symbolic", _("Rename this run"),
                                              "runs.rename", index));
  gtk_box_append (GTK_BOX (box), icon_button ("user-trash-symbolic", _("Delete this run"),
                                              "runs.delete", index));
  g_object_set_data (G_OBJECT (box), "vi-name", name);
  return box;
}

/* What the rows show, as text. */
static char *
describe_rows (ViRunList *self,
               ViTheme    theme)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%d\n", (int) theme);
  for (guint i = 0; i < self->order->len; i++)
    {
      guint k = g_array_index (self->order, guint, i);
      g_autofree char *reason = vi_model_page_dup_run_reason (self->page, k);

      g_string_append_printf (s, "%u\t%s\t%d%d\t%s\n", k,
                              vi_model_page_get_run_label (self->page, k),
                              vi_model_page_get_run_visible (self->page, k),
                              vi_model_page_get_run_pinned (self->page, k),
                              reason != NULL ? reason : "");
    }
  return g_string_free (s, FALSE);
}

void
vi_run_list_update (ViRunList *self)
{
  guint n;
  ViTheme theme;
  g_autofree char *shown = NULL;
  g_autofree char *title = NULL;
  GtkWidget *child;

  g_return_if_fail (VI_IS_RUN_LIST (self));
  if (self->page == NULL)
    return;
  n = vi_model_page_get_n_history (self->page);
  g_array_set_size (self->order, 0);
  for (int pass = 0; pass < 2; pass++)
    for (guint k = 0; k < n; k++)
      if (vi_model_page_get_run_pinned (self->page, k) == (pass == 0))
        g_array_append_val (self->order, k);
  theme = page_theme (self);
  shown = describe_rows (self, theme);
  if (g_strcmp0 (shown, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_steal_pointer (&shown);

  /* Translators: the run manager's title; %u is the number of kept runs */
  title = g_strdup_printf (_("Runs (%u)"), n);
  gtk_expander_set_label (self->expander, title);
  gtk_widget_set_visible (GTK_WIDGET (self->expander), n > 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->order->len; i++)
    gtk_list_box_append (self->list, make_row (self, g_array_index (self->order, guint, i), theme));
}

guint
vi_run_list_get_run_at (ViRunList *self,
                        guint      position)
{
  g_return_val_if_fail (VI_IS_RUN_LIST (self), G_MAXUINT);
  if (self->order == NULL || position >= self->order->len)
    return G_MAXUINT;
  return g_array_index (self->order, guint, position);
}

static void
vi_run_list_dispose (GObject *object)
{
  ViRunList *self = VI_RUN_LIST (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VI_TYPE_RUN_LIST);
  if (self->order != NULL)
    {
      /* vi_run_list_update() does nothing from now on. */
      self->page = NULL;
      g_clear_pointer (&self->shown, g_free);
      g_clear_pointer (&self->order, g_array_unref);
    }
  G_OBJECT_CLASS (vi_run_list_parent_class)->dispose (object);
}

/* ---- actions --------------------------------------------------------------- */

/* Starts renaming run @k in its row. */
static void
rename_run (ViRunList *self,
            guint      k)
{
  for (guint i = 0; i < self->order->len; i++)
    if (g_array_index (self->order, guint, i) == k)
      {
        GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) i);
        GtkWidget *box = gtk_list_box_row_get_child (row);

        start_rename (GTK_STACK (g_object_get_data (G_OBJECT (box), "vi-name")));
      }
}

static const char *const run_actions[] = {
  "runs.toggle", "runs.pin", "runs.rename", "runs.delete",
};

/* The run_actions, with run u as their parameter. */
static void
run_action (GtkWidget  *widget,
            const char *name,
            GVariant   *parameter)
{
  ViRunList *self = VI_RUN_LIST (widget);
  guint k = g_variant_get_uint32 (parameter);

  if (self->page == NULL || k >= vi_model_page_get_n_history (self->page))
    return;
  if (g_str_equal (name, "runs.toggle"))
    vi_model_page_set_run_visible (self->page, k, !vi_model_page_get_run_visible (self->page, k));
  else if (g_str_equal (name, "runs.pin"))
    vi_model_page_set_run_pinned (self->page, k, !vi_model_page_get_run_pinned (self->page, k));
  else if (g_str_equal (name, "runs.rename"))
    rename_run (self, k);
  else
    vi_model_page_delete_run (self->page, k);
}

/* ---- object ---------------------------------------------------------------- */

static void
vi_run_list_class_init (ViRunListClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vi_run_list_dispose;
  for (guint i = 0; i < G_N_ELEMENTS (run_actions); i++)
    gtk_widget_class_install_action (widget_class, run_actions[i], "u", run_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/elbolab/ElboLab/ui/vi-run-list.ui");
  gtk_widget_class_bind_template_child (widget_class, ViRunList, expander);
  gtk_widget_class_bind_template_child (widget_class, ViRunList, list);
}

static void
vi_run_list_init (ViRunList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
}

GtkWidget *
vi_run_list_new (ViModelPage *page)
{
  ViRunList *self = g_object_new (VI_TYPE_RUN_LIST, NULL);

  self->page = page;
  return GTK_WIDGET (self);
}
