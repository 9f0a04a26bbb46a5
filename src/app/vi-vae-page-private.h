/* vi-vae-page-private.h — the vae page's parts, shared by its files
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vi-vae-job.h"
#include "vi-vae-page.h"

G_BEGIN_DECLS

struct _ViVaePage
{
  ViModelPage parent_instance;

  AdwFlap *controls_flap;
  AdwComboRow *data_row;
  AdwActionRow *file_row;
  GtkButton *file_button;
  GtkLabel *data_label;
  GtkSpinButton *latent_spin;
  GtkEntry *hidden_entry;
  GtkSpinButton *batch_spin;
  GtkSpinButton *rate_spin;
  GtkSpinButton *epochs_spin;
  GtkSpinButton *samples_spin;
  GtkSpinButton *seed_spin;
  AdwActionRow *save_row;
  GtkButton *save_button;
  AdwActionRow *load_row;
  GtkButton *load_button;
  GtkStack *plot_stack;
  GtkButton *prior_button;
  GtkButton *interpolate_button;
  GtkLabel *touch_label;
  ViPlotView *plots[VI_VAE_N_PLOTS];
  GtkLabel *help[VI_VAE_N_PLOTS];

  char *data_file;        /* "idx:IMAGES[,LABELS]", or NULL */
  /* The table's keys the page has no control for (test, threads, iwae,
   * save-model, load-model, …): kept as set. */
  GHashTable *extra;      /* key → GVariant */
  /* Points picked in the latent scatter (μ), the newest second. */
  guint n_picked;
  double picked[2][2];
  guint64 n_prior;        /* prior draws made: the seed of the next */
  /* A decoder read from a model file (the one loaded, or the one the run
   * saved), for snapshots that carry none; NULL when none. */
  ViVaeArch model_arch;
  float *model_decoder;
  gboolean saved_read;    /* the finished run's saved model was read */
  guint saved_poll_id;    /* waits for the run to write it */
  /* The images the settings name, loaded off the UI thread and kept in the
   * dataset cache (vi-vae-page-data.c). */
  char *data_key;             /* what was loaded or is loading, or NULL */
  GCancellable *data_cancel;  /* a load in flight, or NULL */
  GPtrArray *data_sets;       /* ViDataset references, or NULL */
  char *data_error;           /* why they could not be loaded, or NULL */
  void (*data_loaded) (ViVaePage *self);  /* called when a load ends */
};

/* (transfer full) The "What am I seeing?" text of @plot for the live
 * snapshot @s (NULL before a run), vi-vae-page-help.c. */
char *vi_vae_page_dup_help      (ViVaePlot            plot,
                                 const ViVaeSnapshot *s);

/* vi-vae-page-touch.c: the latent space you can touch. */
void  vi_vae_page_touch_init    (ViVaePage           *self);
/* The live snapshot changed: clears what was decoded from an older one. */
void  vi_vae_page_touch_reset   (ViVaePage           *self);
/* Reads the decoder of the model file @path (FALSE and @error when it
 * cannot be read). */
gboolean vi_vae_page_read_decoder (ViVaePage         *self,
                                   const char        *path,
                                   GError           **error);

/* vi-vae-page-data.c: loads the data sets of the page's settings on a GTask
 * thread unless they were loaded already (a load in flight for other ones
 * is cancelled); then keeps them, or the error in data_error, and calls
 * @loaded. */
void  vi_vae_page_load_data     (ViVaePage           *self,
                                 void               (*loaded) (ViVaePage *self));
void  vi_vae_page_forget_data   (ViVaePage           *self);
/* (transfer full) What the data label says of the data sets of @data (the
 * chosen "fashion-mnist" or "idx:…", may be NULL): that they are loading,
 * or why they could not be loaded (*@warn set), else NULL. */
char *vi_vae_page_dup_data_message (ViVaePage         *self,
                                    const char        *data,
                                    gboolean          *warn);

G_END_DECLS
