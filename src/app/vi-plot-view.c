/* vi-plot-view.c — a GTK widget showing a ViFigure
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "vi-plot-cache.h"
#include "vi-plot-view.h"
#include "vi-util.h"

#define ZOOM_STEP 1.2
#define HIT_RADIUS 24.0

struct _ViPlotView
{
  GtkWidget parent_instance;

  ViFigure *figure;
  double smoothing;
  gboolean smoothable;
  gboolean presenting;
  gint64 last_used;

  /* Pointer, in widget coordinates; pointer_in FALSE when outside. */
  gboolean pointer_in;
  double pointer_x, pointer_y;

  /* Drag-to-pan state. */
  ViPanel *drag_panel;
  double drag_x[2], drag_y[2];
  double drag_w, drag_h;

  GtkWidget *menu;
  GtkWidget *smoothing_box;
  GtkAdjustment *smoothing_adjustment;
  gulong dark_handler;

  /* The figure rendered at the last size, scale and theme, reused until
   * it is invalidated (the pointer's crosshair and tooltip go on top), and
   * what that cost the UI thread: the refresh budget's measure. */
  ViPlotCache *cache;
  ViPlotCost cost;
};

enum {
  PROP_0,
  PROP_SMOOTHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint legend_activated_signal;

G_DEFINE_FINAL_TYPE (ViPlotView, vi_plot_view, GTK_TYPE_WIDGET)

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* The figure (or how it is shown) changed: render it again. */
static void
invalidate (ViPlotView *self)
{
  vi_plot_cache_invalidate (self->cache, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
to_axis (ViPanel *panel,
         ViAxis   axis,
         double   v)
{
  return vi_panel_get_scale (panel, axis) == VI_SCALE_LOG10 ? log10 (v) : v;
}

static double
from_axis (ViPanel *panel,
           ViAxis   axis,
           double   v)
{
  return vi_panel_get_scale (panel, axis) == VI_SCALE_LOG10 ? pow (10, v) : v;
}

static void
draw_tooltip (ViPlotView *self,
              cairo_t    *cr,
              const ViHit *hit,
              double      width,
              double      height)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  int tw, th;
  double bx, by, pad = 6;
  gboolean dark = is_dark ();

  text = vi_hit_describe (hit);

  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string (self->presenting ? "Sans 13" : "Sans 9");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  /* Never wider than the plot: a long read-out wraps instead of running off
   * its edge. */
  pango_layout_set_width (layout, (int) MAX (40, width - 2 * pad - 2) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (layout, &tw, &th);

  bx = hit->px + 12;
  by = hit->py - th - 2 * pad - 8;
  if (bx + tw + 2 * pad > width)
    bx = hit->px - tw - 2 * pad - 12;
  if (by < 0)
    by = hit->py + 12;
  bx = MAX (0, bx);
  by = MIN (by, height - th - 2 * pad);

  /* Highlight the point. */
  cairo_new_path (cr);
  cairo_arc (cr, hit->px, hit->py, self->presenting ? 6 : 4.5, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);

  cairo_new_path (cr);
  cairo_rectangle (cr, bx, by, tw + 2 * pad, th + 2 * pad);
  if (dark)
    cairo_set_source_rgba (cr, 0.12, 0.12, 0.12, 0.92);
  else
    cairo_set_source_rgba (cr, 1, 1, 1, 0.94);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, dark ? 1 : 0, dark ? 1 : 0, dark ? 1 : 0, 0.2);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_move_to (cr, bx + pad, by + pad);
  if (dark)
    cairo_set_source_rgb (cr, 0.95, 0.95, 0.95);
  else
    cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  pango_cairo_show_layout (cr, layout);
}

/* Brings the cached image of the figure up to date. */
static void
render_cached (ViPlotView *self,
               int         width,
               int         height)
{
  gboolean dark = is_dark ();
  gint64 us;

  vi_figure_set_theme (self->figure, dark ? VI_THEME_DARK : VI_THEME_LIGHT);
  vi_figure_set_transparent (self->figure, TRUE);
  vi_figure_set_font_scale (self->figure, self->presenting ? 1.4 : 1.0);
  us = vi_plot_cache_update (self->cache, self->figure, width, height,
                             gtk_widget_get_scale_factor (GTK_WIDGET (self)), dark);
  if (us > 0)
    vi_plot_cost_add_render (&self->cost, us);
}

static void
vi_plot_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  ViPlotView *self = VI_PLOT_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  ViPanel *panel;
  cairo_t *cr;

  if (self->figure == NULL || width <= 0 || height <= 0)
    return;

  render_cached (self, width, height);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  vi_plot_cache_paint (self->cache, cr);
  if (self->pointer_in && self->drag_panel == NULL
      && (panel = vi_figure_get_panel_at (self->figure, self->pointer_x, self->pointer_y)) != NULL)
    {
      double ax, ay, aw, ah;
      ViHit hit;

      if (vi_panel_get_plot_area (panel, &ax, &ay, &aw, &ah))
        {
          static const double dash[] = { 3, 3 };

          cairo_save (cr);
          cairo_rectangle (cr, ax, ay, aw, ah);
          cairo_clip (cr);
          cairo_set_line_width (cr, 1);
          cairo_set_dash (cr, dash, 2, 0);
          if (is_dark ())
            cairo_set_source_rgba (cr, 1, 1, 1, 0.35);
          else
            cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
          cairo_move_to (cr, floor (self->pointer_x) + 0.5, ay);
          cairo_line_to (cr, floor (self->pointer_x) + 0.5, ay + ah);
          cairo_move_to (cr, ax, floor (self->pointer_y) + 0.5);
          cairo_line_to (cr, ax + aw, floor (self->pointer_y) + 0.5);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      if (vi_figure_hit_test (self->figure, self->pointer_x, self->pointer_y, HIT_RADIUS, &hit))
        draw_tooltip (self, cr, &hit, width, height);
    }
  cairo_destroy (cr);
}

char *
vi_plot_view_get_tooltip_text (ViPlotView *self,
                               double      x,
                               double      y)
{
  ViHit hit;

  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), NULL);
  if (self->figure == NULL || !vi_figure_hit_test (self->figure, x, y, HIT_RADIUS, &hit))
    return NULL;
  return vi_hit_describe (&hit);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ViPlotView               *self)
{
  self->pointer_in = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *controller,
          ViPlotView               *self)
{
  self->pointer_in = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           ViPlotView               *self)
{
  ViPanel *panel;
  GdkModifierType mods;
  double factor, cx, cy;

  if (self->figure == NULL || dy == 0 || !self->pointer_in)
    return FALSE;
  panel = vi_figure_get_panel_at (self->figure, self->pointer_x, self->pointer_y);
  if (panel == NULL || !vi_panel_pixel_to_data (panel, self->pointer_x, self->pointer_y, &cx, &cy))
    return FALSE;

  self->last_used = g_get_monotonic_time ();
  factor = dy > 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
  mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  /* Shift zooms x only, Ctrl y only, otherwise both, around the pointer. */
  for (int a = 0; a < 2; a++)
    {
      ViAxis axis = a == 0 ? VI_AXIS_X : VI_AXIS_Y;
      double lo, hi, c;

      if ((axis == VI_AXIS_Y && (mods & GDK_SHIFT_MASK))
          || (axis == VI_AXIS_X && (mods & GDK_CONTROL_MASK)))
        continue;
      vi_panel_get_range (panel, axis, &lo, &hi);
      lo = to_axis (panel, axis, lo);
      hi = to_axis (panel, axis, hi);
      c = to_axis (panel, axis, axis == VI_AXIS_X ? cx : cy);
      vi_panel_set_view (panel, axis,
                         from_axis (panel, axis, c + (lo - c) * factor),
                         from_axis (panel, axis, c + (hi - c) * factor));
    }
  invalidate (self);
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               ViPlotView     *self)
{
  double ax, ay;

  self->drag_panel = NULL;
  if (self->figure == NULL)
    return;
  self->drag_panel = vi_figure_get_panel_at (self->figure, x, y);
  if (self->drag_panel == NULL
      || !vi_panel_get_plot_area (self->drag_panel, &ax, &ay, &self->drag_w, &self->drag_h))
    {
      self->drag_panel = NULL;
      return;
    }
  vi_panel_get_range (self->drag_panel, VI_AXIS_X, &self->drag_x[0], &self->drag_x[1]);
  vi_panel_get_range (self->drag_panel, VI_AXIS_Y, &self->drag_y[0], &self->drag_y[1]);
  for (int i = 0; i < 2; i++)
    {
      self->drag_x[i] = to_axis (self->drag_panel, VI_AXIS_X, self->drag_x[i]);
      self->drag_y[i] = to_axis (self->drag_panel, VI_AXIS_Y, self->drag_y[i]);
    }
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          ox,
                double          oy,
                ViPlotView     *self)
{
  ViPanel *panel = self->drag_panel;
  double sx, sy;

  if (panel == NULL || self->drag_w <= 0 || self->drag_h <= 0)
    return;
  if (fabs (ox) + fabs (oy) < 3)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->last_used = g_get_monotonic_time ();
  sx = ox / self->drag_w * (self->drag_x[1] - self->drag_x[0]);
  sy = oy / self->drag_h * (self->drag_y[1] - self->drag_y[0]);
  vi_panel_set_view (panel, VI_AXIS_X,
                     from_axis (panel, VI_AXIS_X, self->drag_x[0] - sx),
                     from_axis (panel, VI_AXIS_X, self->drag_x[1] - sx));
  vi_panel_set_view (panel, VI_AXIS_Y,
                     from_axis (panel, VI_AXIS_Y, self->drag_y[0] + sy),
                     from_axis (panel, VI_AXIS_Y, self->drag_y[1] + sy));
  invalidate (self);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          ox,
             double          oy,
             ViPlotView     *self)
{
  self->drag_panel = NULL;
  invalidate (self);
}

static void
reset_view (ViPlotView *self)
{
  if (self->figure == NULL)
    return;
  for (guint r = 0; r < vi_figure_get_n_rows (self->figure); r++)
    for (guint c = 0; c < vi_figure_get_n_cols (self->figure); c++)
      vi_panel_reset_view (vi_figure_get_panel (self->figure, r, c));
  invalidate (self);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  ViPlotView      *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  self->last_used = g_get_monotonic_time ();
  if (button == GDK_BUTTON_SECONDARY)
    {
      gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                                   &(GdkRectangle) { (int) x, (int) y, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->menu));
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }
  if (button == GDK_BUTTON_PRIMARY && n_press == 1 && self->figure != NULL)
    {
      const char *group = vi_figure_legend_group_at (self->figure, x, y);

      if (group != NULL)
        {
          g_autofree char *copy = g_strdup (group);  /* the handler may redraw */

          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
          g_signal_emit (self, legend_activated_signal, 0, copy);
          return;
        }
    }
  if (button == GDK_BUTTON_PRIMARY && n_press == 2)
    reset_view (self);
}

static void
style_changed_cb (ViPlotView *self)
{
  invalidate (self);
}

/* ---- export ------------------------------------------------------------- */

gboolean
vi_plot_view_export (ViPlotView  *self,
                     const char  *path,
                     double       width,
                     double       height,
                     double       scale,
                     GError     **error)
{
  ViTheme theme;
  gboolean transparent_ok;
  ViFigureFormat format;

  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->figure == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: there is no plot to export"), path);
      return FALSE;
    }
  /* One extension check; the CSV goes through the same output helper. */
  if (!vi_figure_format_from_path_or_csv (path, &format, error))
    return FALSE;
  if (format == VI_FIGURE_FORMAT_CSV)
    return vi_figure_export_csv (self->figure, path, error);

  /* Exports are for documents: always the light theme on an opaque page. */
  theme = vi_figure_get_theme (self->figure);
  vi_figure_set_theme (self->figure, VI_THEME_LIGHT);
  vi_figure_set_transparent (self->figure, FALSE);
  transparent_ok = vi_figure_export (self->figure, path, width, height, scale, error);
  vi_figure_set_theme (self->figure, theme);
  vi_figure_set_transparent (self->figure, TRUE);
  /* The export changed the hit-test geometry; redraw to restore it. */
  invalidate (self);
  return transparent_ok;
}

GdkTexture *
vi_plot_view_render_texture (ViPlotView *self,
                             double      width,
                             double      height,
                             double      scale)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  int w = (int) round (width * scale), h = (int) round (height * scale);

  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), NULL);
  if (self->figure == NULL || w <= 0 || h <= 0)
    return NULL;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  vi_figure_set_theme (self->figure, VI_THEME_LIGHT);
  vi_figure_set_transparent (self->figure, FALSE);
  vi_figure_draw (self->figure, cr, width, height);
  vi_figure_set_transparent (self->figure, TRUE);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * h);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  invalidate (self);
  return texture;
}

void
vi_plot_view_copy_to_clipboard (ViPlotView *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  double w = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 640);
  double h = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 400);

  g_return_if_fail (VI_IS_PLOT_VIEW (self));
  texture = vi_plot_view_render_texture (self, w, h, 2);
  if (texture == NULL)
    return;
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  vi_widget_toast (GTK_WIDGET (self), _("Plot copied as image"));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(ViPlotView) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *size, *scale;
  int w = 800, h = 500;
  double s = 2;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    goto out;
  size = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "size");
  scale = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "scale");
  if (size != NULL)
    sscanf (size, "%dx%d", &w, &h);
  if (scale != NULL)
    s = g_ascii_strtod (scale, NULL);
  if (strchr (path + strlen (path) - MIN (strlen (path), 5), '.') == NULL)
    {
      char *with_ext = g_strconcat (path, ".png", NULL);
      g_free (path);
      path = with_ext;
    }
  if (!vi_plot_view_export (self, path, w, h, s, &error))
    vi_widget_toast (GTK_WIDGET (self), error->message);
  else
    {
      g_autofree char *base = g_path_get_basename (path);
      /* Translators: %s is a file name */
      g_autofree char *msg = g_strdup_printf (_("Exported “%s”"), base);
      vi_widget_toast (GTK_WIDGET (self), msg);
    }
out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
vi_plot_view_export_dialog (ViPlotView *self)
{
  GtkFileChooserNative *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileFilter *filter;
  const char *size_ids[] = { "800x500", "1280x800", "1920x1080", "600x600", NULL };
  const char *size_labels[] = { "800 × 500", "1280 × 800", "1920 × 1080", "600 × 600", NULL };
  const char *scale_ids[] = { "1", "2", "3", NULL };
  const char *scale_labels[] = { "1×", "2×", "3×", NULL };
  static const struct { const char *name; const char *pattern; } filters[] = {
    { N_("PNG image"), "*.png" },
    { N_("SVG image"), "*.svg" },
    { N_("PDF document"), "*.pdf" },
    { N_("CSV data"), "*.csv" },
  };

  g_return_if_fail (VI_IS_PLOT_VIEW (self));
  dialog = gtk_file_chooser_native_new (_("Export Plot"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* Translators: the file name offered by Export Plot; keep ".png" */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("plot.png"));
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _(filters[i].name));
      gtk_file_filter_add_pattern (filter, filters[i].pattern);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
      g_object_unref (filter);
    }
  /* Translators: export size in points */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "size", _("Size"),
                               size_ids, size_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "size", "800x500");
  /* Translators: pixels per point in PNG export */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "scale", _("PNG scale"),
                               scale_ids, scale_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "scale", "2");
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  vi_plot_view_export_dialog (VI_PLOT_VIEW (widget));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  vi_plot_view_copy_to_clipboard (VI_PLOT_VIEW (widget));
}

static void
reset_view_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  reset_view (VI_PLOT_VIEW (widget));
}

/* Expanding is the window's (or the page's): it fills itself with the
 * last used plot. */
static void
expand_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  VI_PLOT_VIEW (widget)->last_used = g_get_monotonic_time ();
  if (!gtk_widget_activate_action (widget, "win.expand-plot", NULL))
    gtk_widget_activate_action (widget, "page.expand-plot", NULL);
}

/* ---- object ------------------------------------------------------------- */

static void
smoothing_adjustment_cb (GtkAdjustment *adj,
                         ViPlotView    *self)
{
  vi_plot_view_set_smoothing (self, gtk_adjustment_get_value (adj));
}

static void
vi_plot_view_dispose (GObject *object)
{
  ViPlotView *self = VI_PLOT_VIEW (object);

  g_clear_signal_handler (&self->dark_handler, adw_style_manager_get_default ());
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->figure, vi_figure_free);
  g_clear_pointer (&self->cache, vi_plot_cache_free);
  G_OBJECT_CLASS (vi_plot_view_parent_class)->dispose (object);
}

static void
vi_plot_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  ViPlotView *self = VI_PLOT_VIEW (widget);

  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
vi_plot_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ViPlotView *self = VI_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SMOOTHING:
      g_value_set_double (value, self->smoothing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vi_plot_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ViPlotView *self = VI_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SMOOTHING:
      vi_plot_view_set_smoothing (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vi_plot_view_class_init (ViPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vi_plot_view_dispose;
  object_class->get_property = vi_plot_view_get_property;
  object_class->set_property = vi_plot_view_set_property;
  widget_class->snapshot = vi_plot_view_snapshot;
  widget_class->size_allocate = vi_plot_view_size_allocate;

  properties[PROP_SMOOTHING] =
    g_param_spec_double ("smoothing", NULL, NULL, 0, 0.99, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* ViPlotView::legend-activated: a primary click on the legend entry of
   * legend group @group (e.g. a run's label). */
  legend_activated_signal =
    g_signal_new ("legend-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "plot.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "plot.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "plot.reset-view", NULL, reset_view_action);
  gtk_widget_class_install_action (widget_class, "plot.expand", NULL, expand_action);
  gtk_widget_class_set_css_name (widget_class, "viplotview");
}

static void
vi_plot_view_init (ViPlotView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenuItem) custom = NULL;
  GtkWidget *scale, *label;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  /* Small enough for three plots on an 800 × 600 window. */
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 100);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL
                                                | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  g_menu_append (section, _("_Export…"), "plot.export");
  g_menu_append (section, _("_Copy as Image"), "plot.copy");
  g_menu_append (section, _("_Reset View"), "plot.reset-view");
  /* Translators: the plot fills the window, or goes back to its place */
  g_menu_append (section, _("E_xpand or Restore"), "plot.expand");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  custom = g_menu_item_new (NULL, NULL);
  g_menu_item_set_attribute (custom, "custom", "s", "smoothing");
  g_menu_append_item (menu, custom);
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));

  self->smoothing_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (self->smoothing_box, 8);
  gtk_widget_set_margin_end (self->smoothing_box, 8);
  /* Translators: EMA smoothing of noisy curves */
  label = gtk_label_new (_("Smoothing"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  self->smoothing_adjustment = gtk_adjustment_new (0, 0, 0.99, 0.01, 0.1, 0);
  scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, self->smoothing_adjustment);
  gtk_scale_set_digits (GTK_SCALE (scale), 2);
  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  gtk_widget_set_size_request (scale, 180, -1);
  g_signal_connect (self->smoothing_adjustment, "value-changed",
                    G_CALLBACK (smoothing_adjustment_cb), self);
  gtk_box_append (GTK_BOX (self->smoothing_box), label);
  gtk_box_append (GTK_BOX (self->smoothing_box), scale);
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (self->menu), self->smoothing_box, "smoothing");
  gtk_widget_set_visible (self->smoothing_box, FALSE);

  self->cache = vi_plot_cache_new (GTK_WIDGET (self));
  self->dark_handler = g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                                                 G_CALLBACK (style_changed_cb), self);
}

GtkWidget *
vi_plot_view_new (void)
{
  return g_object_new (VI_TYPE_PLOT_VIEW, NULL);
}

/* Names the widget after its figure for assistive technology: the figure's
 * title or its panels' titles, and vi_figure_describe() as the description
 * (series, axis ranges, last values). */
static void
update_accessible (ViPlotView *self)
{
  GString *label = g_string_new (NULL);
  g_autofree char *description = NULL;

  if (self->figure != NULL)
    {
      const char *title = vi_figure_get_title (self->figure);
      guint rows = vi_figure_get_n_rows (self->figure), cols = vi_figure_get_n_cols (self->figure);

      if (title != NULL && *title != '\0')
        g_string_append (label, title);
      else
        for (guint i = 0; i < rows * cols; i++)
          {
            title = vi_panel_get_title (vi_figure_get_panel (self->figure, i / cols, i % cols));
            if (title != NULL && *title != '\0')
              g_string_append_printf (label, "%s%s", label->len > 0 ? "; " : "", title);
          }
      description = vi_figure_describe (self->figure);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label->len > 0 ? label->str : _("Plot"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "",
                                  -1);
  g_string_free (label, TRUE);
}

void
vi_plot_view_set_figure (ViPlotView *self,
                         ViFigure   *figure)
{
  g_return_if_fail (VI_IS_PLOT_VIEW (self));
  if (self->figure == figure)
    return;
  g_clear_pointer (&self->figure, vi_figure_free);
  self->figure = figure;
  update_accessible (self);
  invalidate (self);
}

ViFigure *
vi_plot_view_get_figure (ViPlotView *self)
{
  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), NULL);
  return self->figure;
}

ViPlotCost *
vi_plot_view_get_cost (ViPlotView *self)
{
  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), NULL);
  return &self->cost;
}

void
vi_plot_view_figure_changed (ViPlotView *self)
{
  g_return_if_fail (VI_IS_PLOT_VIEW (self));
  update_accessible (self);
  /* The page's rebuilds are rasterised off the UI thread. */
  vi_plot_cache_invalidate (self->cache, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
vi_plot_view_get_smoothing (ViPlotView *self)
{
  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), 0);
  return self->smoothing;
}

void
vi_plot_view_set_smoothing (ViPlotView *self,
                            double      smoothing)
{
  g_return_if_fail (VI_IS_PLOT_VIEW (self));
  smoothing = CLAMP (smoothing, 0, 0.99);
  if (smoothing == self->smoothing)
    return;
  self->smoothing = smoothing;
  gtk_adjustment_set_value (self->smoothing_adjustment, smoothing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMOOTHING]);
}

void
vi_plot_view_set_smoothable (ViPlotView *self,
                             gboolean    smoothable)
{
  g_return_if_fail (VI_IS_PLOT_VIEW (self));
  self->smoothable = smoothable;
  gtk_widget_set_visible (self->smoothing_box, smoothable);
}

void
vi_plot_view_set_presentation (ViPlotView *self,
                               gboolean    presenting)
{
  g_return_if_fail (VI_IS_PLOT_VIEW (self));
  self->presenting = presenting;
  invalidate (self);
}

double
vi_plot_view_get_line_scale (ViPlotView *self)
{
  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), 1);
  return self->presenting ? 1.7 : 1.0;
}

gint64
vi_plot_view_get_last_used (ViPlotView *self)
{
  g_return_val_if_fail (VI_IS_PLOT_VIEW (self), 0);
  return self->last_used;
}
