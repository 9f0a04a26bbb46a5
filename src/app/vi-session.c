/* vi-session.c — session files: every page's settings, data files and
 * last result
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "vi-dataset.h"
#include "vi-output.h"
#include "vi-session.h"
#include "vi-util.h"

#define SESSION_FORMAT "elbo-lab-session"
#define SESSION_VERSION 1

typedef struct
{
  ViPage *page;               /* (transfer none) */
  GVariant *settings;
  ViSessionResult result;
} Entry;

struct _ViSession
{
  char *path;
  GArray *entries;            /* Entry */
  char *visible;
  GPtrArray *files;           /* path, saved SHA-256, path, …: to check */
  GStrv warnings;
};

static void
entry_clear (gpointer data)
{
  g_clear_pointer (&((Entry *) data)->settings, g_variant_unref);
}

void
vi_session_free (ViSession *session)
{
  if (session == NULL)
    return;
  g_clear_pointer (&session->entries, g_array_unref);
  g_clear_pointer (&session->path, g_free);
  g_clear_pointer (&session->visible, g_free);
  g_clear_pointer (&session->files, g_ptr_array_unref);
  g_clear_pointer (&session->warnings, g_strfreev);
  g_free (session);
}

/* ---- saving ------------------------------------------------------------- */

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static gboolean
add_page (JsonBuilder            *b,
          ViPage                 *page,
          const ViSessionResult  *result,
          GError                **error)
{
  g_autoptr(GVariant) settings = vi_page_dup_settings (page, error);
  g_auto(GStrv) files = NULL;

  if (settings == NULL)
    return FALSE;
  json_builder_set_member_name (b, vi_page_get_name (page));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "settings");
  json_builder_add_value (b, json_gvariant_serialize (settings));
  json_builder_set_member_name (b, "data_files");
  json_builder_begin_array (b);
  files = vi_page_dup_data_files (page);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autofree char *sum = vi_dataset_file_sha256 (files[i], error);

      if (sum == NULL)
        return FALSE;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, files[i]);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, sum);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (result->have)
    {
      json_builder_set_member_name (b, "result");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "iteration");
      json_builder_add_int_value (b, (gint64) result->iteration);
      add_number (b, "objective", result->objective);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return TRUE;
}

gboolean
vi_session_save (const char             *path,
                 const char             *visible,
                 ViPage *const          *pages,
                 const ViSessionResult  *results,
                 guint                   n_pages,
                 GError                **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, SESSION_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SESSION_VERSION);
  json_builder_set_member_name (b, "app_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "page");
  json_builder_add_string_value (b, visible);
  json_builder_set_member_name (b, "pages");
  json_builder_begin_object (b);
  for (guint i = 0; i < n_pages; i++)
    if (!add_page (b, pages[i], &results[i], error))
      return FALSE;
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, &len);
  return vi_output_write_file (path, text, len, error);
}

/* ---- reading ------------------------------------------------------------ */

static gboolean
session_error (GError    **error,
               const char *path,
               const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: not an ELBO Lab session (%s)"),
               path, what);
  return FALSE;
}

/* Whether @page would accept @settings: they pass its job's table and
 * checks (no I/O), so the real page is only changed once every page of
 * the session is known to be valid. */
static gboolean
page_accepts (ViPage    *page,
              GVariant  *settings,
              GError   **error)
{
  g_autoptr(GVariant) valid = vi_job_validate (vi_page_get_job_type (page), settings, error);

  return valid != NULL;
}

/* Notes each listed data file and its saved SHA-256, to be checked by
 * check_data_files(). */
static void
list_data_files (JsonObject *po,
                 GPtrArray  *files)
{
  JsonNode *fn = json_object_get_member (po, "data_files");
  JsonArray *array;

  if (fn == NULL || !JSON_NODE_HOLDS_ARRAY (fn))
    return;
  array = json_node_get_array (fn);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *f = json_array_get_object_element (array, i);
      const char *fpath = f != NULL
        ? json_object_get_string_member_with_default (f, "path", NULL) : NULL;

      if (fpath == NULL)
        continue;
      g_ptr_array_add (files, g_strdup (fpath));
      g_ptr_array_add (files, g_strdup (json_object_get_string_member_with_default (f, "sha256",
                                                                                    "")));
    }
}

/* Sets the warnings: one for each listed data file that is missing or
 * whose SHA-256 differs from the saved one. Reads every file (any thread:
 * it touches nothing but @session). */
static void
check_data_files (ViSession *session)
{
  g_autoptr(GStrvBuilder) warnings = g_strv_builder_new ();

  for (guint i = 0; i + 1 < session->files->len; i += 2)
    {
      const char *fpath = session->files->pdata[i];
      const char *want = session->files->pdata[i + 1];
      g_autoptr(GError) ferr = NULL;
      g_autofree char *got = vi_dataset_file_sha256 (fpath, &ferr);

      if (got == NULL)
        g_strv_builder_add (warnings, ferr->message);
      else if (g_strcmp0 (got, want) != 0)
        {
          /* Translators: %s is a file path */
          g_autofree char *msg = g_strdup_printf (_("%s has changed since the session "
                                                    "was saved; the replay will differ"),
                                                  fpath);
          g_strv_builder_add (warnings, msg);
        }
    }
  g_clear_pointer (&session->warnings, g_strfreev);
  session->warnings = g_strv_builder_end (warnings);
}

static void
read_result (JsonObject      *po,
             ViSessionResult *result)
{
  JsonNode *node = json_object_get_member (po, "result");
  JsonObject *ro;
  JsonNode *on;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  ro = json_node_get_object (node);
  on = json_object_get_member (ro, "objective");
  result->have = TRUE;
  result->iteration = (guint64) json_object_get_int_member_with_default (ro, "iteration", 0);
  result->objective = on != NULL && !JSON_NODE_HOLDS_NULL (on) ? json_node_get_double (on) : NAN;
}

static ViPage *
find_page (ViPage *const *pages,
           guint          n_pages,
           const char    *name)
{
  for (guint i = 0; i < n_pages; i++)
    if (g_strcmp0 (vi_page_get_name (pages[i]), name) == 0)
      return pages[i];
  return NULL;
}

/* Checks one page's entry @name of @pages_obj and appends it to @session. */
static gboolean
read_page (ViSession     *session,
           JsonObject    *pages_obj,
           const char    *name,
           ViPage *const *pages,
           guint          n_pages,
           const char    *path,
           GError       **error)
{
  ViPage *page = find_page (pages, n_pages, name);
  JsonNode *node, *sn;
  JsonObject *po;
  Entry entry = { page, NULL, { FALSE, 0, NAN } };

  if (page == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: unknown page “%s”"), path, name);
      return FALSE;
    }
  node = json_object_get_member (pages_obj, name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return session_error (error, path, name);
  po = json_node_get_object (node);
  sn = json_object_get_member (po, "settings");
  if (sn == NULL)
    return session_error (error, path, "settings");
  entry.settings = json_gvariant_deserialize (sn, "a{sv}", error);
  if (entry.settings == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  g_variant_ref_sink (entry.settings);
  g_array_append_val (session->entries, entry);
  if (!page_accepts (page, entry.settings, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  list_data_files (po, session->files);
  read_result (po, &g_array_index (session->entries, Entry, session->entries->len - 1).result);
  return TRUE;
}

/* (transfer none) The "pages" object of the session in @parser, after
 * checking its format and version; NULL and @error when it is none. */
static JsonObject *
read_pages_object (JsonParser  *parser,
                   const char  *path,
                   GError     **error)
{
  JsonNode *node = json_parser_get_root (parser);
  JsonObject *root = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
    ? json_node_get_object (node) : NULL;
  JsonNode *pages = root != NULL ? json_object_get_member (root, "pages") : NULL;
  const char *what = NULL;

  if (root == NULL)
    what = "no top-level object";
  else if (g_strcmp0 (json_object_get_string_member_with_default (root, "format", ""),
                      SESSION_FORMAT) != 0)
    what = "format";
  else if (json_object_get_int_member_with_default (root, "version", 0) != SESSION_VERSION)
    what = "version";
  else if (pages == NULL || !JSON_NODE_HOLDS_OBJECT (pages))
    what = "pages";
  if (what != NULL)
    {
      session_error (error, path, what);
      return NULL;
    }
  return json_node_get_object (pages);
}

/* Reads and checks the session at @path like vi_session_read(), but
 * leaves its data files unread (check_data_files). */
static ViSession *
session_parse (const char     *path,
               ViPage *const  *pages,
               guint           n_pages,
               GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(ViSession) session = g_new0 (ViSession, 1);
  g_autoptr(GList) members = NULL;
  JsonObject *pages_obj;

  session->path = g_strdup (path);
  session->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (session->entries, entry_clear);
  session->files = g_ptr_array_new_with_free_func (g_free);
  if (!json_parser_load_from_file (parser, path, error))
    {
      if (error != NULL && *error != NULL)
        g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  pages_obj = read_pages_object (parser, path, error);
  if (pages_obj == NULL)
    return NULL;
  members = json_object_get_members (pages_obj);
  for (GList *l = members; l != NULL; l = l->next)
    if (!read_page (session, pages_obj, l->data, pages, n_pages, path, error))
      return NULL;
  session->visible = g_strdup (json_object_get_string_member_with_default (
    json_node_get_object (json_parser_get_root (parser)), "page", NULL));
  return g_steal_pointer (&session);
}

ViSession *
vi_session_read (const char     *path,
                 ViPage *const  *pages,
                 guint           n_pages,
                 GError        **error)
{
  ViSession *session = session_parse (path, pages, n_pages, error);

  if (session != NULL)
    check_data_files (session);
  return session;
}

static void
check_files_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  ViSession *session = data;

  check_data_files (session);
  if (g_task_return_error_if_cancelled (task))
    vi_session_free (session);
  else
    g_task_return_pointer (task, session, (GDestroyNotify) vi_session_free);
}

void
vi_session_read_async (const char          *path,
                       ViPage *const       *pages,
                       guint                n_pages,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  ViSession *session;

  g_task_set_source_tag (task, vi_session_read_async);
  session = session_parse (path, pages, n_pages, &error);
  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The thread owns @session: it returns it, or frees it if cancelled. */
  g_task_set_task_data (task, session, NULL);
  g_task_run_in_thread (task, check_files_thread);
}

ViSession *
vi_session_read_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- applying ----------------------------------------------------------- */

gboolean
vi_session_apply (ViSession  *session,
                  GError    **error)
{
  g_return_val_if_fail (session != NULL, FALSE);
  for (guint i = 0; i < session->entries->len; i++)
    {
      Entry *e = &g_array_index (session->entries, Entry, i);

      if (!vi_page_set_settings (e->page, e->settings, error))
        {
          g_prefix_error (error, "%s: ", session->path);
          return FALSE;
        }
    }
  return TRUE;
}

const char *
vi_session_get_visible (ViSession *session)
{
  g_return_val_if_fail (session != NULL, NULL);
  return session->visible;
}

const ViSessionResult *
vi_session_get_result (ViSession *session,
                       ViPage    *page)
{
  g_return_val_if_fail (session != NULL, NULL);
  for (guint i = 0; i < session->entries->len; i++)
    {
      Entry *e = &g_array_index (session->entries, Entry, i);

      if (e->page == page)
        return &e->result;
    }
  return NULL;
}

const char *const *
vi_session_get_warnings (ViSession *session)
{
  g_return_val_if_fail (session != NULL, NULL);
  return (const char *const *) session->warnings;
}
