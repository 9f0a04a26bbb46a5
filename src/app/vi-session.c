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
  ViSessionFile *file;        /* its data files, to check */
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
  g_clear_pointer (&session->file, vi_session_file_free);
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
  json_builder_add_string_value (b, VI_SESSION_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, VI_SESSION_VERSION);
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
  len = vi_session_fix_exponents (text, len);
  return vi_output_write_file (path, text, len, error);
}

/* ---- reading ------------------------------------------------------------ */

typedef struct
{
  ViPage *const *pages;
  guint n_pages;
} PageList;

static ViPage *
find_page (const PageList *list,
           const char     *name)
{
  for (guint i = 0; i < list->n_pages; i++)
    if (g_strcmp0 (vi_page_get_name (list->pages[i]), name) == 0)
      return list->pages[i];
  return NULL;
}

/* A page's settings are checked against its job's table (no I/O), so the
 * real page is only changed once every page of the session is valid. */
static const ViJobType *
lookup_page_job (const char *name,
                 gpointer    user_data)
{
  ViPage *page = find_page (user_data, name);

  return page != NULL ? vi_page_get_job_type (page) : NULL;
}

/* Reads and checks the session at @path like vi_session_read(), but
 * leaves its data files unread (vi_session_file_check_data). */
static ViSession *
session_parse (const char     *path,
               ViPage *const  *pages,
               guint           n_pages,
               GError        **error)
{
  PageList list = { pages, n_pages };
  g_autoptr(ViSessionFile) file = vi_session_file_load (path, lookup_page_job, &list, error);
  ViSession *session;

  if (file == NULL)
    return NULL;
  session = g_new0 (ViSession, 1);
  session->path = g_strdup (path);
  session->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (session->entries, entry_clear);
  for (guint i = 0; i < file->pages->len; i++)
    {
      ViSessionPageEntry *pe = &g_array_index (file->pages, ViSessionPageEntry, i);
      Entry entry = { find_page (&list, pe->name), g_variant_ref (pe->settings), pe->result };

      g_array_append_val (session->entries, entry);
    }
  session->visible = g_strdup (file->visible);
  session->file = g_steal_pointer (&file);
  return session;
}

ViSession *
vi_session_read (const char     *path,
                 ViPage *const  *pages,
                 guint           n_pages,
                 GError        **error)
{
  ViSession *session = session_parse (path, pages, n_pages, error);

  if (session != NULL)
    session->warnings = vi_session_file_check_data (session->file, NULL);
  return session;
}

static void
check_files_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  ViSession *session = data;

  session->warnings = vi_session_file_check_data (session->file, cancellable);
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
