/* main.c — elbo-lab, the desktop application
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <gsl/gsl_errno.h>

#include "vi-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(ViApplication) app = NULL;
  const char *localedir = g_getenv ("ELBO_LAB_LOCALEDIR");
  int status;

  gsl_set_error_handler_off ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vi_application_new (G_APPLICATION_DEFAULT_FLAGS);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : vi_application_get_exit_status (app);
}
