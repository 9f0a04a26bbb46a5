/* vi-vae-page-touch.c — the latent space you can touch: dragging over the
 * latent plane decodes the image under the cursor, a click on a point shows
 * its test image and reconstruction, and the decoder draws samples from
 * the prior and the path between two picked points
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here runs on the UI thread with vi_vae_decode_params over the
 * snapshot's copy of the decoder: one image is a few hundred thousand
 * multiply–adds, far below a frame.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-vae-page-private.h"
#include "vi-vae-views.h"

/* Points a click may miss a scatter point by, and the cursor's name. */
#define PICK_RADIUS 8.0
#define CURSOR_NAME "cursor"
#define N_PRIOR 16
#define N_PATH  10

static const ViVaeSnapshot *
live (ViVaePage *self)
{
  return vi_model_page_get_snapshot (VI_MODEL_PAGE (self));
}

static gboolean
same_arch (const ViVaeArch *a,
           const ViVaeArch *b)
{
  if (a->n_in != b->n_in || a->latent != b->latent || a->n_hidden != b->n_hidden)
    return FALSE;
  for (guint i = 0; i < a->n_hidden; i++)
    if (a->hidden[i] != b->hidden[i])
      return FALSE;
  return TRUE;
}

/* The decoder of @s: its own copy, else the one read from a model file of
 * the same architecture; NULL when there is none. */
static const float *
decoder (ViVaePage           *self,
         const ViVaeSnapshot *s)
{
  if (s == NULL || s->rows == 0 || (gsize) s->rows * s->cols != s->arch.n_in)
    return NULL;
  if (s->decoder_params != NULL)
    return s->decoder_params;
  if (self->model_decoder != NULL && same_arch (&self->model_arch, &s->arch))
    return self->model_decoder;
  return NULL;
}

gboolean
vi_vae_page_read_decoder (ViVaePage   *self,
                          const char  *path,
                          GError     **error)
{
  ViVaeModel model = { 0 };
  size_t off;

  if (!vi_vae_model_load (path, &model, error))
    return FALSE;
  off = vi_vae_arch_decoder_offset (&model.arch);
  g_free (self->model_decoder);
  self->model_arch = model.arch;
  self->model_decoder = g_memdup2 (model.params + off, (model.n_params - off) * sizeof (float));
  vi_vae_model_clear (&model);
  return TRUE;
}

static ViPanel *
reset_panel (ViVaePage  *self,
             ViVaePlot   plot,
             const char *title,
             const char *empty)
{
  ViFigure *fig = vi_plot_view_get_figure (self->plots[plot]);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);

  vi_panel_clear (panel);
  vi_panel_set_title (panel, title);
  vi_panel_set_grid (panel, FALSE);
  vi_panel_set_legend (panel, VI_LEGEND_NONE);
  vi_panel_set_empty_message (panel, empty);
  return panel;
}

/* Adds @n images of @s's size (@pixels floats in [0, 1]) to @panel. */
static void
add_images (ViPanel             *panel,
            const ViVaeSnapshot *s,
            const char          *name,
            const float         *pixels,
            gsize                n,
            const char *const   *captions,
            guint                cols)
{
  gsize px = s->arch.n_in;
  g_autofree double *d = g_new (double, n * px);

  for (gsize i = 0; i < n * px; i++)
    d[i] = pixels[i];
  vi_panel_add_images (panel, name, d, n, s->rows, s->cols, 1, captions, cols);
}

/* Moves the cursor of the latent plot to (@x, @y) (NaN: removes it). */
static void
set_cursor (ViVaePage *self,
            double     x,
            double     y)
{
  ViPlotView *view = self->plots[VI_VAE_PLOT_LATENT];
  ViPanel *panel = vi_figure_get_panel (vi_plot_view_get_figure (view), 0, 0);
  ViSeries *cursor;

  for (guint i = vi_panel_get_n_series (panel); i-- > 0;)
    if (g_strcmp0 (vi_series_get_name (vi_panel_get_series (panel, i)), CURSOR_NAME) == 0)
      vi_series_remove (vi_panel_get_series (panel, i));
  if (isfinite (x) && isfinite (y))
    {
      cursor = vi_panel_add_scatter (panel, CURSOR_NAME, &x, &y, 1);
      vi_series_set_marker (cursor, VI_MARKER_CROSS, 14);
      vi_series_set_color_index (cursor, 7);
      vi_series_set_line_width (cursor, 2.5);
      vi_series_set_show_in_legend (cursor, FALSE);
    }
  vi_plot_view_figure_changed (view);
}

gboolean
vi_vae_page_decode_at (ViVaePage *self,
                       double     z1,
                       double     z2)
{
  const ViVaeSnapshot *s;
  g_autofree float *out = NULL;
  g_autofree char *caption = NULL;
  const char *captions[2] = { NULL, NULL };
  float z[2] = { (float) z1, (float) z2 };
  ViPanel *panel;

  g_return_val_if_fail (VI_IS_VAE_PAGE (self), FALSE);
  s = live (self);
  if (decoder (self, s) == NULL || s->arch.latent != 2)
    return FALSE;
  out = g_new (float, s->arch.n_in);
  vi_vae_decode_params (&s->arch, decoder (self, s), z, out);
  /* Translators: the latent point an image is decoded from */
  caption = g_strdup_printf (_("z = (%.2f, %.2f)"), z1, z2);
  captions[0] = caption;
  panel = reset_panel (self, VI_VAE_PLOT_TOUCH, _("The decoder under the cursor"), NULL);
  add_images (panel, s, "decoded", out, 1, captions, 1);
  vi_plot_view_figure_changed (self->plots[VI_VAE_PLOT_TOUCH]);
  set_cursor (self, z1, z2);
  gtk_label_set_label (self->touch_label, _("Drag over the latent plane to decode the point "
                                            "under the cursor; click a point to see its "
                                            "test image."));
  return TRUE;
}

gboolean
vi_vae_page_pick_point (ViVaePage *self,
                        guint      index)
{
  const ViVaeSnapshot *s;
  g_autofree float *imgs = NULL;
  const char *captions[3] = { NULL };
  g_autofree char *what = NULL;
  guint n = 0;
  gsize px;
  ViPanel *panel;
  guint8 label;

  g_return_val_if_fail (VI_IS_VAE_PAGE (self), FALSE);
  s = live (self);
  if (s == NULL || index >= s->n_scatter || s->scatter_xy == NULL || s->rows == 0)
    return FALSE;
  px = (gsize) s->rows * s->cols;
  imgs = g_new (float, 2 * px);
  if (s->scatter_images != NULL)
    {
      for (gsize p = 0; p < px; p++)
        imgs[p] = s->scatter_images[index * px + p] / 255.0f;
      captions[n++] = _("test image");
    }
  if (decoder (self, s) != NULL && s->arch.latent == 2)
    {
      vi_vae_decode_params (&s->arch, decoder (self, s), s->scatter_xy + 2 * index,
                            imgs + n * px);
      captions[n++] = _("decoded from μ");
    }
  label = s->scatter_label != NULL ? s->scatter_label[index] : 255;
  /* Translators: a clicked point of the latent scatter: its class */
  what = g_strdup_printf (_("Test point %u: %s"), index + 1,
                          vi_vae_class_name (label) != NULL ? vi_vae_class_name (label)
                          : _("unlabelled"));
  panel = reset_panel (self, VI_VAE_PLOT_TOUCH, what,
                       _("This snapshot has neither the image nor a decoder"));
  if (n > 0)
    add_images (panel, s, "picked", imgs, n, captions, n);
  vi_plot_view_figure_changed (self->plots[VI_VAE_PLOT_TOUCH]);
  set_cursor (self, s->scatter_xy[2 * index], s->scatter_xy[2 * index + 1]);
  /* The interpolation's ends: the last two picks. */
  if (self->n_picked == 2)
    memcpy (self->picked[0], self->picked[1], sizeof self->picked[0]);
  self->n_picked = MIN (self->n_picked + 1, 2);
  self->picked[self->n_picked - 1][0] = s->scatter_xy[2 * index];
  self->picked[self->n_picked - 1][1] = s->scatter_xy[2 * index + 1];
  gtk_widget_set_sensitive (GTK_WIDGET (self->interpolate_button),
                            self->n_picked == 2 && decoder (self, s) != NULL
                            && s->arch.latent == 2);
  return TRUE;
}

/* Standard normals from @rng (Box–Muller). */
static void
normals (GRand *rng,
         float *z,
         gsize  n)
{
  for (gsize i = 0; i < n; i += 2)
    {
      double u = 1 - g_rand_double (rng), v = g_rand_double (rng);
      double r = sqrt (-2 * log (u));

      z[i] = (float) (r * cos (2 * G_PI * v));
      if (i + 1 < n)
        z[i + 1] = (float) (r * sin (2 * G_PI * v));
    }
}

gboolean
vi_vae_page_sample_prior (ViVaePage *self)
{
  const ViVaeSnapshot *s;
  g_autoptr(GRand) rng = NULL;
  g_autofree float *z = NULL, *out = NULL;
  gsize L;

  g_return_val_if_fail (VI_IS_VAE_PAGE (self), FALSE);
  s = live (self);
  if (decoder (self, s) == NULL)
    return FALSE;
  L = s->arch.latent;
  rng = g_rand_new_with_seed ((guint32) ++self->n_prior);
  z = g_new (float, N_PRIOR * L);
  out = g_new (float, N_PRIOR * s->arch.n_in);
  normals (rng, z, N_PRIOR * L);
  for (gsize i = 0; i < N_PRIOR; i++)
    vi_vae_decode_params (&s->arch, decoder (self, s), z + i * L, out + i * s->arch.n_in);
  add_images (reset_panel (self, VI_VAE_PLOT_GENERATED,
                           _("Samples from the prior: z ~ N(0, I), decoded"), NULL),
              s, "prior samples", out, N_PRIOR, NULL, 4);
  vi_plot_view_figure_changed (self->plots[VI_VAE_PLOT_GENERATED]);
  return TRUE;
}

gboolean
vi_vae_page_interpolate (ViVaePage *self)
{
  const ViVaeSnapshot *s;
  g_autofree float *out = NULL;

  g_return_val_if_fail (VI_IS_VAE_PAGE (self), FALSE);
  s = live (self);
  if (decoder (self, s) == NULL || s->arch.latent != 2 || self->n_picked < 2)
    return FALSE;
  out = g_new (float, N_PATH * s->arch.n_in);
  for (guint i = 0; i < N_PATH; i++)
    {
      double t = i / (N_PATH - 1.0);
      float z[2];

      for (guint j = 0; j < 2; j++)
        z[j] = (float) ((1 - t) * self->picked[0][j] + t * self->picked[1][j]);
      vi_vae_decode_params (&s->arch, decoder (self, s), z, out + i * s->arch.n_in);
    }
  add_images (reset_panel (self, VI_VAE_PLOT_GENERATED,
                           _("From one picked point to the other in the latent plane"), NULL),
              s, "interpolation", out, N_PATH, NULL, N_PATH / 2);
  vi_plot_view_figure_changed (self->plots[VI_VAE_PLOT_GENERATED]);
  return TRUE;
}

/* ---- the gestures ----------------------------------------------------------- */

/* The scatter point nearest (@x, @y) (widget coordinates), or G_MAXUINT. */
static guint
point_at (ViVaePage *self,
          double     x,
          double     y)
{
  const ViVaeSnapshot *s = live (self);
  ViFigure *fig = vi_plot_view_get_figure (self->plots[VI_VAE_PLOT_LATENT]);
  ViHit hit;

  if (s == NULL || s->scatter_xy == NULL
      || !vi_figure_hit_test (fig, x, y, PICK_RADIUS, &hit)
      || vi_series_get_kind (hit.series) != VI_SERIES_SCATTER
      || g_strcmp0 (hit.name, CURSOR_NAME) == 0)
    return G_MAXUINT;
  for (guint i = 0; i < s->n_scatter; i++)
    if ((double) s->scatter_xy[2 * i] == hit.x && (double) s->scatter_xy[2 * i + 1] == hit.y)
      return i;
  return G_MAXUINT;
}

static gboolean
decode_pixel (ViVaePage *self,
              double     x,
              double     y)
{
  ViFigure *fig = vi_plot_view_get_figure (self->plots[VI_VAE_PLOT_LATENT]);
  double z1, z2;

  return vi_panel_pixel_to_data (vi_figure_get_panel (fig, 0, 0), x, y, &z1, &z2)
         && vi_vae_page_decode_at (self, z1, z2);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               ViVaePage      *self)
{
  guint index = point_at (self, x, y);

  if (index != G_MAXUINT ? vi_vae_page_pick_point (self, index) : decode_pixel (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                ViVaePage      *self)
{
  double x0, y0;

  if (!gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
    return;
  if (decode_pixel (self, x0 + dx, y0 + dy))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

void
vi_vae_page_touch_reset (ViVaePage *self)
{
  const ViVaeSnapshot *s = live (self);
  gboolean decode = decoder (self, s) != NULL;

  reset_panel (self, VI_VAE_PLOT_TOUCH, _("The decoder under the cursor"),
               s == NULL ? _("Train, then drag over the latent plane")
               : !decode ? _("This run gives no decoder to decode with")
               : s->arch.latent != 2 ? _("Click a point to see its test image")
               : _("Drag over the latent plane"));
  vi_plot_view_figure_changed (self->plots[VI_VAE_PLOT_TOUCH]);
  reset_panel (self, VI_VAE_PLOT_GENERATED, _("Generated images"),
               _("Sample from the prior, or pick two points and interpolate"));
  vi_plot_view_figure_changed (self->plots[VI_VAE_PLOT_GENERATED]);
  self->n_picked = 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->prior_button), decode);
  gtk_widget_set_sensitive (GTK_WIDGET (self->interpolate_button), FALSE);
  gtk_label_set_label (self->touch_label,
                       s != NULL && s->arch.latent != 2
                       ? _("Latent dimensions above 2 are shown by their first two principal "
                           "components; dragging decodes only with a latent dimension of 2.")
                       : _("Drag over the latent plane to decode the point under the cursor; "
                           "click a point to see its test image."));
}

static void
prior_cb (ViVaePage *self)
{
  vi_vae_page_sample_prior (self);
}

static void
interpolate_cb (ViVaePage *self)
{
  vi_vae_page_interpolate (self);
}

void
vi_vae_page_touch_init (ViVaePage *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  /* Before the plot's own pan: on the latent plane a drag decodes. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->plots[VI_VAE_PLOT_LATENT]),
                             GTK_EVENT_CONTROLLER (drag));
  g_signal_connect_swapped (self->prior_button, "clicked", G_CALLBACK (prior_cb), self);
  g_signal_connect_swapped (self->interpolate_button, "clicked", G_CALLBACK (interpolate_cb),
                            self);
  vi_vae_page_touch_reset (self);
}
