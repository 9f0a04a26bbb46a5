/* vi-session-file.c — the session file itself, without the pages
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vi-dataset.h"
#include "vi-json-check.h"
#include "vi-session-file.h"

static void
page_entry_clear (gpointer data)
{
  ViSessionPageEntry *e = data;

  g_clear_pointer (&e->name, g_free);
  g_clear_pointer (&e->settings, g_variant_unref);
}

void
vi_session_file_free (ViSessionFile *file)
{
  if (file == NULL)
    return;
  g_clear_pointer (&file->path, g_free);
  g_clear_pointer (&file->visible, g_free);
  g_clear_pointer (&file->pages, g_array_unref);
  g_clear_pointer (&file->files, g_ptr_array_unref);
  g_free (file);
}

static gpointer
session_error (GError    **error,
               const char *path,
               const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: not an ELBO Lab session (%s)"),
               path, what);
  return NULL;
}

gsize
vi_session_fix_exponents (char  *text,
                          gsize  len)
{
  gboolean in_string = FALSE;
  gsize out = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      text[out++] = c;
      if (in_string)
        {
          if (c == '\\' && i + 1 < len)
            text[out++] = text[++i];
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == 'e' || c == 'E') && out >= 2 && g_ascii_isdigit (text[out - 2]))
        {
          gsize j = i + 1;

          if (j < len && (text[j] == '+' || text[j] == '-'))
            text[out++] = text[j++];
          while (j < len && g_ascii_isdigit (text[j]))
            text[out++] = text[j++];
          /* json-glib 1.6 writes 1e+20 as "1e+20.0". */
          if (j + 1 < len && text[j] == '.' && text[j + 1] == '0'
              && (j + 2 == len || !g_ascii_isdigit (text[j + 2])))
            j += 2;
          i = j - 1;
        }
    }
  return out;
}

/* ---- members and their types -------------------------------------------- */

typedef enum
{
  KIND_OBJECT,
  KIND_ARRAY,
  KIND_STRING,
  KIND_INTEGER,
  KIND_NUMBER_OR_NULL,
} Kind;

static gboolean
node_is (JsonNode *node,
         Kind      kind)
{
  GType vt = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (kind)
    {
    case KIND_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case KIND_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case KIND_STRING:
      return vt == G_TYPE_STRING;
    case KIND_INTEGER:
      return vt == G_TYPE_INT64;
    case KIND_NUMBER_OR_NULL:
      return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE || JSON_NODE_HOLDS_NULL (node);
    default:
      g_assert_not_reached ();
    }
}

static const char *
kind_name (Kind kind)
{
  switch (kind)
    {
    case KIND_OBJECT:
      return _("an object");
    case KIND_ARRAY:
      return _("an array");
    case KIND_STRING:
      return _("a string");
    case KIND_INTEGER:
      return _("an integer");
    case KIND_NUMBER_OR_NULL:
      return _("a number or null");
    default:
      g_assert_not_reached ();
    }
}

/* (transfer none) Member @name of @o (the member @where), checked to be of
 * @kind. NULL when it is absent (an error if @required) or of another type
 * (always an error naming it). */
static JsonNode *
get_member (JsonObject  *o,
            const char  *name,
            const char  *where,
            Kind         kind,
            gboolean     required,
            const char  *path,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);
  g_autofree char *what = NULL;

  if (node != NULL && node_is (node, kind))
    return node;
  if (node == NULL && !required)
    return NULL;
  /* Translators: the first %s is a member such as pages.bbvi.settings, the
   * second what it must be, e.g. "an object" */
  what = g_strdup_printf (_("“%s” must be %s"), where, kind_name (kind));
  return session_error (error, path, what);
}

/* Whether @o has a member @name that is not of @kind (then @error). */
static gboolean
member_wrong (JsonObject  *o,
              const char  *name,
              const char  *where,
              Kind         kind,
              const char  *path,
              GError     **error)
{
  return get_member (o, name, where, kind, FALSE, path, error) == NULL
         && json_object_has_member (o, name);
}

/* ---- pages -------------------------------------------------------------- */

static gboolean
read_data_files (ViSessionFile  *file,
                 JsonObject     *po,
                 const char     *name,
                 GError        **error)
{
  g_autofree char *where = g_strdup_printf ("pages.%s.data_files", name);
  JsonNode *fn = get_member (po, "data_files", where, KIND_ARRAY, FALSE, file->path, error);
  JsonArray *array;

  if (fn == NULL)
    return !json_object_has_member (po, "data_files");
  array = json_node_get_array (fn);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *fwhere = g_strdup_printf ("%s[%u]", where, i);
      g_autofree char *pwhere = g_strdup_printf ("%s.path", fwhere);
      g_autofree char *swhere = g_strdup_printf ("%s.sha256", fwhere);
      JsonNode *en = json_array_get_element (array, i);
      JsonNode *pn, *sn;
      JsonObject *f;

      if (!node_is (en, KIND_OBJECT))
        {
          g_autofree char *what = g_strdup_printf (_("“%s” must be %s"), fwhere,
                                                   kind_name (KIND_OBJECT));

          return session_error (error, file->path, what) != NULL;
        }
      f = json_node_get_object (en);
      pn = get_member (f, "path", pwhere, KIND_STRING, TRUE, file->path, error);
      if (pn == NULL)
        return FALSE;
      sn = get_member (f, "sha256", swhere, KIND_STRING, FALSE, file->path, error);
      if (sn == NULL && json_object_has_member (f, "sha256"))
        return FALSE;
      g_ptr_array_add (file->files, g_strdup (json_node_get_string (pn)));
      g_ptr_array_add (file->files, g_strdup (sn != NULL ? json_node_get_string (sn) : ""));
    }
  return TRUE;
}

static gboolean
read_result (ViSessionFile    *file,
             JsonObject       *po,
             const char       *name,
             ViSessionResult  *result,
             GError          **error)
{
  g_autofree char *where = g_strdup_printf ("pages.%s.result", name);
  g_autofree char *iwhere = g_strconcat (where, ".iteration", NULL);
  g_autofree char *owhere = g_strconcat (where, ".objective", NULL);
  JsonNode *node = get_member (po, "result", where, KIND_OBJECT, FALSE, file->path, error);
  JsonNode *in, *on;
  JsonObject *ro;

  if (node == NULL)
    return !json_object_has_member (po, "result");
  ro = json_node_get_object (node);
  in = get_member (ro, "iteration", iwhere, KIND_INTEGER, FALSE, file->path, error);
  if ((in == NULL && json_object_has_member (ro, "iteration"))
      || member_wrong (ro, "objective", owhere, KIND_NUMBER_OR_NULL, file->path, error))
    return FALSE;
  if (in != NULL && json_node_get_int (in) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be %s"), iwhere,
                                               _("a non-negative integer"));

      return session_error (error, file->path, what) != NULL;
    }
  on = json_object_get_member (ro, "objective");
  result->have = TRUE;
  result->iteration = in != NULL ? (guint64) json_node_get_int (in) : 0;
  result->objective = on != NULL && !JSON_NODE_HOLDS_NULL (on) ? json_node_get_double (on) : NAN;
  return TRUE;
}

/* Refuses a string setting longer than VI_SESSION_MAX_STRING bytes: no
 * path that long opens, and the UI would spend minutes laying it out. */
static gboolean
strings_ok (GVariant    *settings,
            const char  *name,
            const char  *path,
            GError     **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      gsize len = 0;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_variant_get_string (value, &len);
      g_variant_unref (value);
      if (len > VI_SESSION_MAX_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* Translators: %s are the file, a page and a setting */
                       _("%s: page “%s”: “%s” is longer than %d bytes"), path, name, key,
                       VI_SESSION_MAX_STRING);
          return FALSE;
        }
    }
  return TRUE;
}

/* Checks the entry @name of @pages_obj and appends it to @file. */
static gboolean
read_page (ViSessionFile        *file,
           JsonObject           *pages_obj,
           const char           *name,
           ViSessionLookupFunc   lookup,
           gpointer              user_data,
           GError              **error)
{
  const ViJobType *type = lookup (name, user_data);
  g_autofree char *where = g_strdup_printf ("pages.%s", name);
  g_autofree char *swhere = g_strconcat (where, ".settings", NULL);
  ViSessionPageEntry entry = { NULL, NULL, { FALSE, 0, NAN } };
  g_autoptr(GVariant) valid = NULL;
  g_autoptr(GError) derr = NULL;
  ViSessionPageEntry *e;
  JsonNode *node, *sn;
  JsonObject *po;

  if (type == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: unknown page “%s”"), file->path, name);
      return FALSE;
    }
  node = get_member (pages_obj, name, where, KIND_OBJECT, TRUE, file->path, error);
  if (node == NULL)
    return FALSE;
  po = json_node_get_object (node);
  sn = get_member (po, "settings", swhere, KIND_OBJECT, TRUE, file->path, error);
  if (sn == NULL)
    return FALSE;
  entry.name = g_strdup (name);
  g_array_append_val (file->pages, entry);
  e = &g_array_index (file->pages, ViSessionPageEntry, file->pages->len - 1);
  e->settings = json_gvariant_deserialize (sn, "a{sv}", &derr);
  if (e->settings == NULL)
    {
      g_autofree char *msg = g_utf8_make_valid (derr->message, -1);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s: %s", file->path, swhere,
                   msg);
      return FALSE;
    }
  g_variant_ref_sink (e->settings);
  if (!strings_ok (e->settings, name, file->path, error))
    return FALSE;
  valid = vi_job_validate (type, e->settings, error);
  if (valid == NULL)
    {
      g_prefix_error (error, "%s: ", file->path);
      return FALSE;
    }
  return read_data_files (file, po, name, error)
         && read_result (file, po, name, &e->result, error);
}

/* (transfer none) The "pages" object of @root, after checking the
 * top-level members; NULL and @error when one is wrong. */
static JsonObject *
read_top (ViSessionFile  *file,
          JsonNode       *node,
          GError        **error)
{
  JsonObject *root;
  JsonNode *fn, *vn, *pn, *pages;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return session_error (error, file->path, _("no top-level object"));
  root = json_node_get_object (node);
  fn = get_member (root, "format", "format", KIND_STRING, TRUE, file->path, error);
  if (fn == NULL)
    return NULL;
  if (g_strcmp0 (json_node_get_string (fn), VI_SESSION_FORMAT) != 0)
    return session_error (error, file->path, "format");
  vn = get_member (root, "version", "version", KIND_INTEGER, TRUE, file->path, error);
  if (vn == NULL)
    return NULL;
  if (json_node_get_int (vn) != VI_SESSION_VERSION)
    return session_error (error, file->path, "version");
  if (member_wrong (root, "app_version", "app_version", KIND_STRING, file->path, error))
    return NULL;
  pn = json_object_get_member (root, "page");
  if (pn != NULL && !JSON_NODE_HOLDS_NULL (pn)
      && get_member (root, "page", "page", KIND_STRING, TRUE, file->path, error) == NULL)
    return NULL;
  pages = get_member (root, "pages", "pages", KIND_OBJECT, TRUE, file->path, error);
  if (pages == NULL)
    return NULL;
  if (pn != NULL && !JSON_NODE_HOLDS_NULL (pn))
    file->visible = g_strdup (json_node_get_string (pn));
  return json_node_get_object (pages);
}

ViSessionFile *
vi_session_file_parse (const char           *path,
                       const char           *data,
                       gsize                 len,
                       ViSessionLookupFunc   lookup,
                       gpointer              user_data,
                       GError              **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(ViSessionFile) file = g_new0 (ViSessionFile, 1);
  g_autoptr(GList) members = NULL;
  g_autoptr(GError) perr = NULL;
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;
  JsonObject *pages_obj;

  file->path = g_strdup (path);
  file->pages = g_array_new (FALSE, TRUE, sizeof (ViSessionPageEntry));
  g_array_set_clear_func (file->pages, page_entry_clear);
  file->files = g_ptr_array_new_with_free_func (g_free);
  if (len > VI_SESSION_MAX_SIZE)
    {
      g_autofree char *size = g_format_size_full (len, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *max = g_format_size_full (VI_SESSION_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s are the file, its size and the largest accepted */
                   _("%s: too large for a session file (%s; at most %s)"), path, size, max);
      return NULL;
    }
  /* Sessions saved by json-glib 1.6 hold numbers such as "1e+20.0". */
  text = g_malloc (len + 1);
  memcpy (text, data, len);
  len = vi_session_fix_exponents (text, len);
  text[len] = '\0';
  /* Strict JSON, bounded depth, before json-glib sees it (it leaks on
   * some malformed text, and its recursion has no bound). */
  if (!vi_json_check (text, len, VI_SESSION_MAX_DEPTH, &why))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, why);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &perr))
    {
      /* json-glib may quote broken UTF-8 from the input in its message. */
      g_autofree char *msg = g_utf8_make_valid (perr->message, -1);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, msg);
      return NULL;
    }
  pages_obj = read_top (file, json_parser_get_root (parser), error);
  if (pages_obj == NULL)
    return NULL;
  members = json_object_get_members (pages_obj);
  for (GList *l = members; l != NULL; l = l->next)
    if (!read_page (file, pages_obj, l->data, lookup, user_data, error))
      return NULL;
  return g_steal_pointer (&file);
}

/* ---- the file ----------------------------------------------------------- */

/* (transfer full) The bytes of the regular file @path, at most
 * VI_SESSION_MAX_SIZE + 1 of them (more is refused by the parser). */
static GBytes *
read_bounded (const char  *path,
              GError     **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  struct stat st;
  int fd, saved;

  /* O_NONBLOCK: a FIFO opens at once (and is then refused) instead of
   * waiting for a writer. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: not a regular file"), path);
      return NULL;
    }
  while (buf->len <= VI_SESSION_MAX_SIZE)
    {
      guint8 block[65536];
      gssize got = read (fd, block, sizeof block);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          saved = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                       g_strerror (saved));
          return NULL;
        }
      if (got == 0)
        break;
      g_byte_array_append (buf, block, (guint) got);
    }
  close (fd);
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

ViSessionFile *
vi_session_file_load (const char           *path,
                      ViSessionLookupFunc   lookup,
                      gpointer              user_data,
                      GError              **error)
{
  g_autoptr(GBytes) bytes = read_bounded (path, error);
  gsize len;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  return vi_session_file_parse (path, data != NULL ? data : "", len, lookup, user_data, error);
}

GStrv
vi_session_file_check_data (ViSessionFile *file,
                            GCancellable  *cancellable)
{
  g_autoptr(GStrvBuilder) warnings = g_strv_builder_new ();

  for (guint i = 0; i + 1 < file->files->len; i += 2)
    {
      const char *fpath = file->files->pdata[i];
      const char *want = file->files->pdata[i + 1];
      g_autoptr(GError) ferr = NULL;
      g_autofree char *got = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      /* Refuses devices and FIFOs (stat first, then O_NONBLOCK). */
      got = vi_dataset_file_sha256 (fpath, &ferr);
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
  return g_strv_builder_end (warnings);
}
