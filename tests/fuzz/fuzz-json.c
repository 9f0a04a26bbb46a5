/* fuzz-json.c — the strict JSON checker (vi_json_check) against json-glib:
 * whatever the checker passes, json-glib parses without an error, a leak
 * or a CRITICAL, into strings of valid UTF-8; and the checker never reads
 * past the input (ASan) however it ends.
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-util.h"
#include "vi-json-check.h"

#define DEPTH 16

/* Every string and member name under @node is UTF-8. */
static void
assert_utf8 (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (a); i++)
        assert_utf8 (json_array_get_element (a, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (o);

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_assert_true (g_utf8_validate (l->data, -1, NULL));
          assert_utf8 (json_object_get_member (o, l->data));
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly @size bytes: ASan catches a read past the end. */
  g_autofree char *text = g_memdup2 (data, size);
  g_autofree char *why = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;

  if (!vi_json_check (text, size, DEPTH, &why))
    {
      g_assert_nonnull (why);
      g_assert_true (g_str_has_prefix (why, "line "));
      return 0;
    }
  g_assert_null (why);
  /* json-glib wants no NUL inside its length; the checker refuses raw NULs
   * (control characters in strings, not white space elsewhere). */
  g_assert_null (memchr (text, '\0', size));
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) size, &error))
    g_error ("checked, yet json-glib refused it: %s", error->message);
  if (json_parser_get_root (parser) != NULL)
    assert_utf8 (json_parser_get_root (parser));
  return 0;
}
