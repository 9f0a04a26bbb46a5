/* vi-page-registry.c — the built-in model pages: name, title, type
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vi-bbvi-page.h"
#include "vi-expfam-page.h"
#include "vi-lda-page.h"
#include "vi-page-registry.h"
#include "vi-vae-page.h"

static const ViPageInfo page_infos[] = {
  /* Translators: sidebar entry */
  { "expfam", N_("Exponential Families"), vi_expfam_page_get_type },
  /* Translators: sidebar entry */
  { "bbvi", N_("Black-Box VI"), vi_bbvi_page_get_type },
  /* Translators: sidebar entry */
  { "lda", N_("Topic Models (LDA)"), vi_lda_page_get_type },
  { "vae", N_("Variational Autoencoder"), vi_vae_page_get_type },
  { NULL, NULL, NULL },
};

const ViPageInfo *
vi_page_list_infos (void)
{
  static gsize named = 0;

  if (g_once_init_enter (&named))
    {
      for (const ViPageInfo *info = page_infos; info->name != NULL; info++)
        vi_page_type_set_info (info->get_type (), info);
      g_once_init_leave (&named, 1);
    }
  return page_infos;
}

const ViPageInfo *
vi_page_lookup_info (const char *name)
{
  for (const ViPageInfo *info = vi_page_list_infos (); info->name != NULL; info++)
    if (g_strcmp0 (info->name, name) == 0)
      return info;
  return NULL;
}

char *
vi_page_dup_names (void)
{
  GString *s = g_string_new (NULL);

  for (const ViPageInfo *info = vi_page_list_infos (); info->name != NULL; info++)
    g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", info->name);
  return g_string_free (s, FALSE);
}
