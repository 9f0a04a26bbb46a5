/* vi-expfam-page-fisher.c — the expfam page's table of E[t], I(η) and I(θ):
 * closed forms of the current settings beside the live run's Monte-Carlo
 * estimates, updated a few times a second while draws arrive
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vi-expfam-page-private.h"

static char *
format_matrix (const double *m,
               size_t        d)
{
  if (d == 1)
    return isfinite (m[0]) ? g_strdup_printf ("%.4g", m[0]) : g_strdup ("—");
  if (!isfinite (m[0]))
    return g_strdup ("—\n");
  return g_strdup_printf ("%-8.4g %8.4g\n%-8.4g %8.4g", m[0], m[1], m[2], m[3]);
}

void
vi_expfam_page_update_fisher_table (ViExpfamPage *self)
{
  size_t d = vi_expfam_get_dim (self->fam);
  double eta[VI_EXPFAM_MAX_DIM], mean[VI_EXPFAM_MAX_DIM];
  double fe[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM], ft[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  double nan4[4] = { NAN, NAN, NAN, NAN };
  const ViExpfamSnapshot *snap = vi_expfam_page_live (self);
  gboolean have = snap != NULL && snap->fam == self->fam && snap->n_drawn >= 2;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *dd = NULL, *e = NULL, *f = NULL;

  vi_expfam_natural (self->fam, self->theta, eta);
  vi_expfam_mean_sufficient (self->fam, eta, mean);
  vi_expfam_fisher_natural (self->fam, eta, fe);
  vi_expfam_fisher_params (self->fam, self->theta, ft);

  if (d == 1)
    a = g_strdup_printf ("%.4g", mean[0]);
  else
    a = g_strdup_printf ("%-8.4g %8.4g", mean[0], mean[1]);
  if (!have)
    b = g_strdup ("—");
  else if (d == 1)
    b = g_strdup_printf ("%.4g", snap->mc_mean_t[0]);
  else
    b = g_strdup_printf ("%-8.4g %8.4g", snap->mc_mean_t[0], snap->mc_mean_t[1]);
  c = format_matrix (fe, d);
  dd = format_matrix (have ? snap->mc_fisher_eta : nan4, d);
  e = format_matrix (ft, d);
  f = format_matrix (have ? snap->mc_fisher_theta : nan4, d);
  gtk_label_set_label (self->fisher_cells[1][1], a);
  gtk_label_set_label (self->fisher_cells[1][2], b);
  gtk_label_set_label (self->fisher_cells[2][1], c);
  gtk_label_set_label (self->fisher_cells[2][2], dd);
  gtk_label_set_label (self->fisher_cells[3][1], e);
  gtk_label_set_label (self->fisher_cells[3][2], f);
}

static gboolean
table_timeout_cb (gpointer data)
{
  ViExpfamPage *self = data;

  self->table_id = 0;
  self->table_time = g_get_monotonic_time ();
  vi_expfam_page_update_fisher_table (self);
  return G_SOURCE_REMOVE;
}

void
vi_expfam_page_fisher_table_changed (ViExpfamPage *self,
                                     gboolean      final)
{
  /* The table's labels re-layout the window: update it a few times a
   * second while draws arrive, and always for the final numbers. */
  if (final || g_get_monotonic_time () - self->table_time >= 200000)
    {
      g_clear_handle_id (&self->table_id, g_source_remove);
      self->table_time = g_get_monotonic_time ();
      vi_expfam_page_update_fisher_table (self);
    }
  else if (self->table_id == 0)
    /* A paused run sends no more snapshots: show its last numbers soon. */
    self->table_id = g_timeout_add (200, table_timeout_cb, self);
}

static GtkLabel *
table_label (ViExpfamPage *self,
             const char   *text,
             guint         row,
             guint         col,
             gboolean      header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  if (header)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "vi-matrix");
  gtk_label_set_selectable (GTK_LABEL (label), !header);
  gtk_grid_attach (self->fisher_grid, label, (int) col, (int) row, 1, 1);
  return GTK_LABEL (label);
}

void
vi_expfam_page_init_fisher_table (ViExpfamPage *self)
{
  /* Translators: column headers of the Fisher table */
  table_label (self, "", 0, 0, TRUE);
  table_label (self, _("closed form"), 0, 1, TRUE);
  table_label (self, _("Monte Carlo"), 0, 2, TRUE);
  table_label (self, "E[t]", 1, 0, TRUE);
  table_label (self, "I(η)", 2, 0, TRUE);
  table_label (self, "I(θ)", 3, 0, TRUE);
  for (guint r = 1; r < 4; r++)
    for (guint c = 1; c < 3; c++)
      self->fisher_cells[r][c] = table_label (self, "", r, c, FALSE);
}
