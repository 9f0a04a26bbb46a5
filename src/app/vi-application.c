/* vi-application.c — the AdwApplication: options, app actions, settings
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <epoxy/gl.h>

#include "elbo-lab-resources.h"
#include "vi-application.h"
#include "vi-page-registry.h"
#include "vi-util.h"
#include "vi-window.h"

struct _ViApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  char *page;
  char *screenshot;
  gboolean run;
  gboolean presentation;
  int width, height;                  /* --size, 0: the saved size */
  double after;
  int exit_status;
};

G_DEFINE_FINAL_TYPE (ViApplication, vi_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { "page", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open the page NAME (e.g. expfam)"), N_("NAME") },
  { "run", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start the page’s job at once"), NULL },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Render the window to FILE.png and quit"), N_("FILE") },
  { "after", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
    N_("Take the screenshot after SECONDS (default 1)"), N_("SECONDS") },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the window at WIDTHxHEIGHT pixels"), N_("WIDTHxHEIGHT") },
  { "presentation", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start in presentation mode"), NULL },
  { NULL }
};

/* Whether a screenshot can be written to @path; else prints why. Checked
 * before the window opens, so a bad path fails at once, not after --after
 * seconds and a render. */
static gboolean
screenshot_path_ok (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *why = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    why = g_strerror (EISDIR);
  else if (g_access (dir, W_OK) != 0)
    why = g_strerror (errno);
  if (why == NULL)
    return TRUE;
  /* Translators: %s are the screenshot's path and why it cannot be written */
  g_printerr (_("elbo-lab: %s: cannot write the screenshot: %s\n"), path, why);
  return FALSE;
}

static int
vi_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  ViApplication *self = VI_APPLICATION (app);
  const char *page = NULL;
  const char *screenshot = NULL;
  const char *size = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("elbo-lab %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "page", "&s", &page))
    {
      if (vi_page_lookup_info (page) == NULL)
        {
          g_autofree char *valid = vi_page_dup_names ();
          /* Translators: %s are a page name and the list of valid ones */
          g_printerr (_("elbo-lab: unknown page “%s” (valid: %s)\n"), page, valid);
          return 2;
        }
      g_free (self->page);
      self->page = g_strdup (page);
    }
  if (g_variant_dict_lookup (options, "screenshot", "^&ay", &screenshot))
    {
      if (!screenshot_path_ok (screenshot))
        return 1;
      g_free (self->screenshot);
      self->screenshot = g_strdup (screenshot);
      /* A screenshot run must never forward into a running instance. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  self->run = g_variant_dict_contains (options, "run");
  self->presentation = g_variant_dict_contains (options, "presentation");
  if (g_variant_dict_lookup (options, "size", "&s", &size))
    {
      char *end = NULL;
      gint64 w = g_ascii_strtoll (size, &end, 10), h = 0;

      if (end != NULL && (*end == 'x' || *end == 'X'))
        h = g_ascii_strtoll (end + 1, &end, 10);
      if (end == NULL || *end != '\0' || w < 100 || w > 16384 || h < 100 || h > 16384)
        {
          /* Translators: %s is the value given */
          g_printerr (_("elbo-lab: --size must be WIDTHxHEIGHT, each 100 to 16384 (got “%s”)\n"),
                      size);
          return 2;
        }
      self->width = (int) w;
      self->height = (int) h;
    }
  if (g_variant_dict_lookup (options, "after", "d", &self->after))
    {
      if (self->screenshot == NULL)
        {
          g_printerr (_("elbo-lab: --after needs --screenshot\n"));
          return 2;
        }
      if (!(self->after >= 0 && self->after <= 3600))
        {
          g_printerr (_("elbo-lab: --after must be between 0 and 3600 seconds (got %g)\n"),
                      self->after);
          return 2;
        }
    }
  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "The ELBO Lab developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("ELBO Lab"),
                        "application-icon", APP_ID,
                        "developer-name", "The ELBO Lab developers",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/elbolab/elbo-lab",
                        "issue-url", "https://github.com/elbolab/elbo-lab/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The ELBO Lab developers",
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        "comments", _("Variational inference you can watch: exponential "
                                      "families, black-box VI and more, live."),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing (not destroying) lets each window stop its worker cleanly. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
apply_style (const char *variant)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  if (g_strcmp0 (variant, "light") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (variant, "dark") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
style_variant_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  ViApplication *self = user_data;
  const char *variant = g_variant_get_string (param, NULL);

  if (g_strcmp0 (variant, "system") != 0 && g_strcmp0 (variant, "light") != 0
      && g_strcmp0 (variant, "dark") != 0)
    return;
  g_simple_action_set_state (action, param);
  apply_style (variant);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "style-variant", variant);
}


/* GTK 4.8's GL renderer repaints the whole window every frame when the
 * X server offers no buffer age (Xvfb, many VMs). With a software
 * rasteriser that costs ~50 ms per frame at 1280 × 800, so live plots
 * stutter; the Cairo renderer repaints only what changed and keeps the
 * frame clock near 60 Hz (tests/bench/bench-app). So when GL is software
 * and the user has not chosen a renderer, choose Cairo. Must run before
 * the first surface is realized. */
static void
choose_renderer (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GdkGLContext) context = NULL;
  const char *renderer;

  if (display == NULL || g_getenv ("GSK_RENDERER") != NULL)
    return;
  context = gdk_display_create_gl_context (display, NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return;
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  if (renderer != NULL && (strstr (renderer, "llvmpipe") != NULL
                           || strstr (renderer, "softpipe") != NULL
                           || strstr (renderer, "swrast") != NULL))
    g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gdk_gl_context_clear_current ();
}

/* On Linux without a GPU device node all GL is software: choose Cairo
 * before the display opens, and leave GL out altogether. GDK loads the GL
 * driver as it opens an X display, and Mesa's llvmpipe maps about 110 MB
 * of LLVM: part of every start, and seconds of a cold one on a slow disk.
 * (When the display is already open, as in tests, only the renderer
 * choice counts.) */
static void
choose_renderer_early (void)
{
#ifdef __linux__
  if (g_getenv ("GSK_RENDERER") != NULL || vi_gpu_device_present ("/dev"))
    return;
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
#endif
}

/* Every accelerator the app installs; ui/help-overlay.ui lists each (a
 * test checks). Right and Page Down also step, from the window's key
 * handler, when the focus is not in a text, spin or scale control. */
static const struct
{
  const char *action;
  const char *keys[3];
} accels[] = {
  { "app.quit", { "<Primary>q" } },
  { "win.run-pause", { "<Primary>Return" } },
  { "win.step", { "<Primary>period" } },
  { "win.reset", { "<Primary>r" } },
  { "win.cancel", { "Escape" } },
  { "win.export-plot-dialog", { "<Primary>e" } },
  { "win.open-session-dialog", { "<Primary>o" } },
  { "win.save-session-dialog", { "<Primary>s" } },
  { "win.presentation", { "F11" } },
  { "win.expand-plot", { "<Primary><Shift>f" } },
  { "win.show-help-overlay", { "<Primary>question" } },
};

static void
vi_application_startup (GApplication *app)
{
  ViApplication *self = VI_APPLICATION (app);
  static const GActionEntry actions[] = {
    { "about", about_action },
    { "quit", quit_action },
    { "style-variant", style_variant_action, "s", "'system'" },
  };
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  choose_renderer_early ();
  G_APPLICATION_CLASS (vi_application_parent_class)->startup (app);
  choose_renderer ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].keys);

  /* The schema comes from data/ (another branch may not have landed yet):
   * without it the app runs with no persistence instead of aborting. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL && self->screenshot == NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      g_autofree char *variant = NULL;

      self->settings = g_settings_new_full (schema, NULL, NULL);
      variant = g_settings_get_string (self->settings, "style-variant");
      apply_style (variant);
      g_action_group_change_action_state (G_ACTION_GROUP (app), "style-variant",
                                          g_variant_new_string (variant));
    }
}

/* A failed --screenshot makes main() return 1. */
static void
screenshot_done (const GError *error,
                 gpointer      user_data)
{
  ViApplication *self = user_data;

  if (error == NULL)
    return;
  g_printerr ("elbo-lab: %s\n", error->message);
  self->exit_status = 1;
}

static void
vi_application_activate (GApplication *app)
{
  ViApplication *self = VI_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *page = g_strdup (self->page);
  const ViScreenshotOptions shot = {
    self->screenshot, self->after >= 0 ? self->after : 1.0, screenshot_done, self
  };

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  if (page == NULL && self->settings != NULL)
    page = g_settings_get_string (self->settings, "last-page");
  if (page == NULL || vi_page_lookup_info (page) == NULL)
    {
      g_free (page);
      page = g_strdup ("expfam");
    }

  window = GTK_WINDOW (vi_window_new (GTK_APPLICATION (app), self->settings,
                                      self->screenshot != NULL ? &shot : NULL));
  vi_window_set_page (VI_WINDOW (window), page);
  if (self->width > 0)
    gtk_window_set_default_size (window, self->width, self->height);
  if (self->presentation)
    g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
  gtk_window_present (window);
  if (self->run)
    vi_window_start_run (VI_WINDOW (window));
}

/* `elbo-lab FILE` and the file manager: opens the session FILE in the
 * window (a toast says whether it opened; a non-local file cannot be). */
static void
vi_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *window;
  g_autofree char *path = NULL;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL || n_files < 1)
    return;
  /* One window shows one session: the last file given wins. */
  path = g_file_get_path (files[n_files - 1]);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (files[n_files - 1]);

      /* Translators: %s is a URI */
      g_printerr (_("elbo-lab: %s: only local session files can be opened\n"), uri);
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-session",
                                  g_variant_new_string (path));
}

static void
vi_application_finalize (GObject *object)
{
  ViApplication *self = VI_APPLICATION (object);

  g_clear_object (&self->settings);
  g_free (self->page);
  g_free (self->screenshot);
  G_OBJECT_CLASS (vi_application_parent_class)->finalize (object);
}

static void
vi_application_class_init (ViApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = vi_application_finalize;
  app_class->handle_local_options = vi_application_handle_local_options;
  app_class->startup = vi_application_startup;
  app_class->activate = vi_application_activate;
  app_class->open = vi_application_open;
}

static void
vi_application_init (ViApplication *self)
{
  self->after = -1;
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  /* Translators: shown by elbo-lab --help after the program name */
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[SESSION-FILE]"));
  /* Translators: shown by elbo-lab --help */
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("ELBO Lab: watch variational inference converge."));
}

ViApplication *
vi_application_new (GApplicationFlags flags)
{
  /* Referencing the resource keeps its object file (and its constructor,
   * which registers it) when linking from the static library. */
  g_assert (vi_resources_get_resource () != NULL);
  return g_object_new (VI_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/elbolab/ElboLab",
                       NULL);
}

GSettings *
vi_application_get_settings (ViApplication *self)
{
  g_return_val_if_fail (VI_IS_APPLICATION (self), NULL);
  return self->settings;
}

int
vi_application_get_exit_status (ViApplication *self)
{
  g_return_val_if_fail (VI_IS_APPLICATION (self), 0);
  return self->exit_status;
}
