/* vi-params.c — validating a{sv} settings against a parameter table
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "vi-params.h"
#include "vi-status.h"

guint
vi_params_count (const ViParamSpec *specs)
{
  guint n = 0;

  while (specs != NULL && specs[n].key != NULL)
    n++;
  return n;
}

const char *const *
vi_params_spec_get_choices (const ViParamSpec *spec)
{
  static const char *const none[] = { NULL };

  if (spec->get_choices != NULL)
    return spec->get_choices ();
  return spec->choices != NULL ? spec->choices : none;
}

static const ViParamSpec *
sub_specs_for (const ViParamSpec *spec,
               GVariant          *params)
{
  const char *choice = NULL;

  if (params == NULL || spec->get_sub_specs == NULL
      || !g_variant_lookup (params, spec->depends_on, "&s", &choice))
    return NULL;
  return spec->get_sub_specs (choice);
}

const ViParamSpec *
vi_params_lookup (const ViParamSpec *specs,
                  const char        *key,
                  GVariant          *params)
{
  for (guint i = 0; specs != NULL && specs[i].key != NULL; i++)
    {
      const ViParamSpec *sub;

      if (strcmp (specs[i].key, key) == 0)
        return &specs[i];
      if (specs[i].type == VI_PARAM_DEPENDENT
          && (sub = vi_params_lookup (sub_specs_for (&specs[i], params), key, NULL)) != NULL)
        return sub;
    }
  return NULL;
}

GVariant *
vi_params_spec_default (const ViParamSpec *spec)
{
  if (spec->flags & VI_PARAM_OPTIONAL)
    return NULL;
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      return g_variant_ref_sink (g_variant_new_double (spec->def));
    case VI_PARAM_INT64:
      return g_variant_ref_sink (g_variant_new_int64 (spec->idef));
    case VI_PARAM_UINT64:
      return g_variant_ref_sink (g_variant_new_uint64 (spec->udef));
    case VI_PARAM_BOOL:
      return g_variant_ref_sink (g_variant_new_boolean (spec->idef != 0));
    case VI_PARAM_ENUM:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
      return g_variant_ref_sink (g_variant_new_string (spec->sdef != NULL ? spec->sdef : ""));
    case VI_PARAM_DOUBLE_LIST:
      return g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, NULL, 0,
                                                            sizeof (double)));
    case VI_PARAM_INT_LIST:
      return g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, NULL, 0,
                                                            sizeof (gint64)));
    case VI_PARAM_DEPENDENT:
    default:
      return NULL;
    }
}

static gboolean
double_bounded_above (const ViParamSpec *spec)
{
  return spec->max < G_MAXDOUBLE;
}

char *
vi_params_spec_describe_range (const ViParamSpec *spec)
{
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
    case VI_PARAM_DOUBLE_LIST:
      if (spec->min <= -G_MAXDOUBLE && !double_bounded_above (spec))
        return NULL;
      if (!double_bounded_above (spec))
        return g_strdup_printf ("%s %g", (spec->flags & VI_PARAM_MIN_EXCLUSIVE) ? ">" : "≥",
                                spec->min);
      return g_strdup_printf ("%s%g, %g]", (spec->flags & VI_PARAM_MIN_EXCLUSIVE) ? "(" : "[",
                              spec->min, spec->max);
    case VI_PARAM_INT64:
    case VI_PARAM_INT_LIST:
      return g_strdup_printf ("[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]", spec->imin,
                              spec->imax);
    case VI_PARAM_UINT64:
      /* A seed's bound (VI_PARAM_SEED_MAX) reads as no bound in help. */
      if (spec->umax >= VI_PARAM_SEED_MAX)
        return g_strdup_printf ("≥ %" G_GUINT64_FORMAT, spec->umin);
      return g_strdup_printf ("[%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]", spec->umin,
                              spec->umax);
    case VI_PARAM_ENUM:
      return g_strjoinv (" | ", (char **) vi_params_spec_get_choices (spec));
    case VI_PARAM_BOOL:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
    case VI_PARAM_DEPENDENT:
    default:
      return NULL;
    }
}

char *
vi_params_spec_describe_default (const ViParamSpec *spec)
{
  g_autoptr(GVariant) v = vi_params_spec_default (spec);

  if (v == NULL)
    return NULL;
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      return g_strdup_printf ("%g", spec->def);
    case VI_PARAM_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, spec->idef);
    case VI_PARAM_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, spec->udef);
    case VI_PARAM_BOOL:
      return g_strdup (spec->idef ? "true" : "false");
    case VI_PARAM_ENUM:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
      return spec->sdef != NULL && *spec->sdef != '\0' ? g_strdup (spec->sdef) : NULL;
    case VI_PARAM_DOUBLE_LIST:
    case VI_PARAM_INT_LIST:
    case VI_PARAM_DEPENDENT:
    default:
      return NULL;
    }
}

static char *
describe_plain (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_strdup_printf ("%.4g", g_variant_get_double (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    return g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "on" : "off");
  return g_variant_print (value, FALSE);
}

static const char *
no_translation (const char *text)
{
  return text;
}

char *
vi_params_describe_value (const ViParamSpec *spec,
                          const char        *key,
                          GVariant          *value,
                          const char      *(*translate) (const char *text))
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (value != NULL, NULL);
  if (translate == NULL)
    translate = no_translation;
  if (spec != NULL && spec->type == VI_PARAM_PATH
      && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    text = g_path_get_basename (g_variant_get_string (value, NULL));
  else if (spec != NULL && spec->type == VI_PARAM_ENUM && spec->choice_labels != NULL
           && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      const char *v = g_variant_get_string (value, NULL);

      for (guint i = 0; spec->choices != NULL && spec->choices[i] != NULL; i++)
        if (strcmp (spec->choices[i], v) == 0 && spec->choice_labels[i] != NULL)
          text = g_strdup (translate (spec->choice_labels[i]));
    }
  if (text == NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    text = g_strdup (translate (g_variant_get_string (value, NULL)));
  if (text == NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    text = g_strdup (translate (g_variant_get_boolean (value) ? "on" : "off"));
  if (text == NULL)
    text = describe_plain (value);
  if (spec == NULL || spec->label == NULL)
    return g_strdup_printf ("%s=%s", translate (spec != NULL ? spec->key : key), text);
  {
    const char *format = translate (spec->label);
    const char *at = strstr (format, "%s");

    /* Not printf: a translated format is data, not code. */
    if (at == NULL)
      return g_strdup (format);
    return g_strdup_printf ("%.*s%s%s", (int) (at - format), format, text, at + 2);
  }
}

char *
vi_params_spec_describe (const ViParamSpec *spec)
{
  g_autofree char *def = vi_params_spec_describe_default (spec);
  g_autofree char *range = vi_params_spec_describe_range (spec);
  GString *s = g_string_new (spec->help);
  const char *in;

  if (spec->type == VI_PARAM_ENUM && range != NULL)
    {
      g_string_append_printf (s, ": %s", range);
      g_clear_pointer (&range, g_free);
    }
  in = range != NULL && (range[0] == '[' || range[0] == '(') ? "in " : "";
  if (def != NULL && range != NULL)
    g_string_append_printf (s, " (default %s; %s%s)", def, in, range);
  else if (def != NULL)
    g_string_append_printf (s, " (default %s)", def);
  else if (range != NULL)
    g_string_append_printf (s, " (%s%s)", in, range);
  return g_string_free (s, FALSE);
}

/* ---- validation ---------------------------------------------------------- */

static gboolean
check_double (const ViParamSpec  *spec,
              double              x,
              gboolean            item,
              GError            **error)
{
  gboolean excl = (spec->flags & VI_PARAM_MIN_EXCLUSIVE) != 0;

  if (isfinite (x) && (excl ? x > spec->min : x >= spec->min) && x <= spec->max)
    return TRUE;
  if (excl && !double_bounded_above (spec))
    g_set_error (error, VI_ERROR, VI_EDOM, "%s: %s > %g (got %g)", spec->key,
                 item ? "values must be" : "must be", spec->min, x);
  else if (item)
    g_set_error (error, VI_ERROR, VI_EDOM, "%s: values must be in [%g, %g] (got %g)", spec->key,
                 spec->min, spec->max, x);
  else
    g_set_error (error, VI_ERROR, VI_EDOM, "%s must be in [%g, %g] (got %g)", spec->key,
                 spec->min, spec->max, x);
  return FALSE;
}

static gboolean
check_int (const ViParamSpec  *spec,
           gint64              x,
           gboolean            item,
           GError            **error)
{
  if (x >= spec->imin && x <= spec->imax)
    return TRUE;
  g_set_error (error, VI_ERROR, VI_EDOM,
               "%s%s must be in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "] (got %"
               G_GINT64_FORMAT ")", spec->key, item ? ": values" : "", spec->imin, spec->imax, x);
  return FALSE;
}

static GVariant *
normalise_double (const ViParamSpec  *spec,
                  GVariant           *v,
                  GError            **error)
{
  double x;

  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    x = g_variant_get_double (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    x = (double) g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    x = g_variant_get_int32 (v);
  else
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected a number", spec->key);
      return NULL;
    }
  return check_double (spec, x, FALSE, error) ? g_variant_new_double (x) : NULL;
}

static GVariant *
normalise_int64 (const ViParamSpec  *spec,
                 GVariant           *v,
                 GError            **error)
{
  gint64 x;

  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    x = g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    x = g_variant_get_int32 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    x = (gint64) MIN (g_variant_get_uint64 (v), (guint64) G_MAXINT64);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE)
           && g_variant_get_double (v) == floor (g_variant_get_double (v))
           && fabs (g_variant_get_double (v)) < 9e15)
    x = (gint64) g_variant_get_double (v);
  else
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected an integer", spec->key);
      return NULL;
    }
  return check_int (spec, x, FALSE, error) ? g_variant_new_int64 (x) : NULL;
}

static GVariant *
normalise_uint64 (const ViParamSpec  *spec,
                  GVariant           *v,
                  GError            **error)
{
  guint64 x;

  if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    x = g_variant_get_uint64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64) && g_variant_get_int64 (v) >= 0)
    x = (guint64) g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32) && g_variant_get_int32 (v) >= 0)
    x = (guint64) g_variant_get_int32 (v);
  else
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected a non-negative integer", spec->key);
      return NULL;
    }
  if (x < spec->umin || x > spec->umax)
    {
      g_set_error (error, VI_ERROR, VI_EDOM,
                   "%s must be in [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "] (got %"
                   G_GUINT64_FORMAT ")", spec->key, spec->umin, spec->umax, x);
      return NULL;
    }
  return g_variant_new_uint64 (x);
}

static GVariant *
normalise_string (const ViParamSpec  *spec,
                  GVariant           *v,
                  GError            **error)
{
  const char *s;

  if (!g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected a string", spec->key);
      return NULL;
    }
  s = g_variant_get_string (v, NULL);
  if (spec->type == VI_PARAM_ENUM
      && !g_strv_contains (vi_params_spec_get_choices (spec), s))
    {
      g_autofree char *valid = g_strjoinv (", ", (char **) vi_params_spec_get_choices (spec));

      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: unknown %s '%s' (valid: %s)", spec->key,
                   spec->key, s, valid);
      return NULL;
    }
  return g_variant_ref (v);
}

static GVariant *
normalise_fixed_list (const ViParamSpec  *spec,
                      GVariant           *v,
                      GError            **error)
{
  gboolean dbl = spec->type == VI_PARAM_DOUBLE_LIST;
  gboolean is_signed = g_variant_is_of_type (v, G_VARIANT_TYPE ("ax"));
  gsize len = 0;
  const void *data;

  if (dbl ? !g_variant_is_of_type (v, G_VARIANT_TYPE ("ad"))
          : !is_signed && !g_variant_is_of_type (v, G_VARIANT_TYPE ("at")))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected a list of %s", spec->key,
                   dbl ? "numbers" : "integers");
      return NULL;
    }
  data = g_variant_get_fixed_array (v, &len, dbl ? sizeof (double) : sizeof (gint64));
  if (len == 0 && !(spec->flags & VI_PARAM_ALLOW_EMPTY))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: empty list", spec->key);
      return NULL;
    }
  if (dbl)
    {
      for (gsize i = 0; i < len; i++)
        if (!check_double (spec, ((const double *) data)[i], TRUE, error))
          return NULL;
      return g_variant_ref (v);
    }
  {
    g_autofree gint64 *items = g_new (gint64, MAX (len, 1));

    for (gsize i = 0; i < len; i++)
      {
        items[i] = is_signed ? ((const gint64 *) data)[i]
                             : (gint64) MIN (((const guint64 *) data)[i], (guint64) G_MAXINT64);
        if (!check_int (spec, items[i], TRUE, error))
          return NULL;
      }
    return g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, items, len, sizeof (gint64));
  }
}

/* A list of boxed numbers ("av": a list read back from JSON, e.g. in a
 * session) as a fixed array of doubles (@dbl) or of integers; NULL when an
 * item is not a number (or, for integers, not a whole one). */
static GVariant *
unbox_list (GVariant *v,
            gboolean  dbl)
{
  gsize n = g_variant_n_children (v);
  g_autofree double *d = g_new (double, MAX (n, 1));
  g_autofree gint64 *x = g_new (gint64, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (v, i);
      g_autoptr(GVariant) inner = g_variant_get_variant (item);

      if (g_variant_is_of_type (inner, G_VARIANT_TYPE_INT64))
        d[i] = (double) (x[i] = g_variant_get_int64 (inner));
      else if (g_variant_is_of_type (inner, G_VARIANT_TYPE_INT32))
        d[i] = (double) (x[i] = g_variant_get_int32 (inner));
      else if (g_variant_is_of_type (inner, G_VARIANT_TYPE_DOUBLE))
        {
          d[i] = g_variant_get_double (inner);
          if (!dbl && !(d[i] == floor (d[i]) && fabs (d[i]) < 9.2e18))
            return NULL;
          x[i] = (gint64) d[i];
        }
      else
        return NULL;
    }
  return g_variant_ref_sink (dbl ? g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, d, n,
                                                              sizeof (double))
                             : g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, x, n,
                                                          sizeof (gint64)));
}

static GVariant *
normalise_list (const ViParamSpec  *spec,
                GVariant           *v,
                GError            **error)
{
  g_autoptr(GVariant) fixed = NULL;

  if (g_variant_is_of_type (v, G_VARIANT_TYPE ("av")))
    fixed = unbox_list (v, spec->type == VI_PARAM_DOUBLE_LIST);
  return normalise_fixed_list (spec, fixed != NULL ? fixed : v, error);
}

static GVariant *
normalise (const ViParamSpec  *spec,
           GVariant           *v,
           GError            **error)
{
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      return normalise_double (spec, v, error);
    case VI_PARAM_INT64:
      return normalise_int64 (spec, v, error);
    case VI_PARAM_UINT64:
      return normalise_uint64 (spec, v, error);
    case VI_PARAM_BOOL:
      if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        return g_variant_ref (v);
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected true or false", spec->key);
      return NULL;
    case VI_PARAM_ENUM:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
      return normalise_string (spec, v, error);
    case VI_PARAM_DOUBLE_LIST:
    case VI_PARAM_INT_LIST:
      return normalise_list (spec, v, error);
    case VI_PARAM_DEPENDENT:
    default:
      g_assert_not_reached ();
    }
}

static void
append_keys (GString           *s,
             const ViParamSpec *specs,
             GVariant          *params)
{
  for (guint i = 0; specs != NULL && specs[i].key != NULL; i++)
    {
      if (specs[i].type == VI_PARAM_DEPENDENT)
        append_keys (s, sub_specs_for (&specs[i], params), NULL);
      else
        g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", specs[i].key);
    }
}

static gboolean
validate_into (const ViParamSpec  *specs,
               GVariant           *params,
               GVariantDict       *out,
               GError            **error)
{
  for (guint i = 0; specs[i].key != NULL; i++)
    {
      const ViParamSpec *spec = &specs[i];
      g_autoptr(GVariant) given = NULL;
      g_autoptr(GVariant) value = NULL;

      if (spec->type == VI_PARAM_DEPENDENT)
        {
          g_autoptr(GVariant) so_far = g_variant_ref_sink (g_variant_dict_end (out));
          const ViParamSpec *sub = sub_specs_for (spec, so_far);

          g_variant_dict_init (out, so_far);
          if (sub != NULL && !validate_into (sub, params, out, error))
            return FALSE;
          continue;
        }
      given = g_variant_lookup_value (params, spec->key, NULL);
      if (given != NULL)
        value = normalise (spec, given, error);
      else
        value = vi_params_spec_default (spec);
      if (given != NULL && value == NULL)
        return FALSE;
      if (value != NULL)
        g_variant_dict_insert_value (out, spec->key, g_variant_take_ref (value));
    }
  return TRUE;
}

GVariant *
vi_params_validate (const ViParamSpec  *specs,
                    GVariant           *params,
                    GError            **error)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GVariantDict out;
  GVariantIter iter;
  const char *key;

  g_return_val_if_fail (specs != NULL, NULL);
  if (params == NULL)
    params = g_variant_new ("a{sv}", NULL);
  owned = g_variant_ref_sink (params);
  g_return_val_if_fail (g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT), NULL);

  g_variant_dict_init (&out, NULL);
  if (!validate_into (specs, owned, &out, error))
    {
      g_variant_dict_clear (&out);
      return NULL;
    }
  result = g_variant_ref_sink (g_variant_dict_end (&out));

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_variant_iter_init (&iter, owned);
  while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
    {
      const ViParamSpec *spec = vi_params_lookup (specs, key, result);
      g_autoptr(GString) valid = NULL;

      /* Only the first would be validated, but a GVariantDict keeps the last. */
      if (!g_hash_table_add (seen, (gpointer) key))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL, "%s: given twice", key);
          return NULL;
        }
      if (spec != NULL && spec->type != VI_PARAM_DEPENDENT)
        continue;
      valid = g_string_new (NULL);
      append_keys (valid, specs, result);
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: unknown parameter (valid: %s)", key,
                   valid->str);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* ---- getters ------------------------------------------------------------- */

gboolean
vi_params_has (GVariant   *params,
               const char *key)
{
  g_autoptr(GVariant) v = g_variant_lookup_value (params, key, NULL);

  return v != NULL;
}

double
vi_params_get_double (GVariant   *params,
                      const char *key)
{
  double x;

  return g_variant_lookup (params, key, "d", &x) ? x : NAN;
}

gint64
vi_params_get_int64 (GVariant   *params,
                     const char *key)
{
  gint64 x;

  return g_variant_lookup (params, key, "x", &x) ? x : 0;
}

guint64
vi_params_get_uint64 (GVariant   *params,
                      const char *key)
{
  guint64 x;

  return g_variant_lookup (params, key, "t", &x) ? x : 0;
}

gboolean
vi_params_get_boolean (GVariant   *params,
                       const char *key)
{
  gboolean b;

  return g_variant_lookup (params, key, "b", &b) ? b : FALSE;
}

const char *
vi_params_get_string (GVariant   *params,
                      const char *key)
{
  const char *s;

  return g_variant_lookup (params, key, "&s", &s) ? s : NULL;
}

/* The data of a fixed array inside @params stays valid while @params lives:
 * the looked-up child shares its serialised data. */
static gconstpointer
get_fixed (GVariant           *params,
           const char         *key,
           const GVariantType *type,
           gsize               size,
           gsize              *n)
{
  g_autoptr(GVariant) v = g_variant_lookup_value (params, key, type);

  *n = 0;
  return v != NULL ? g_variant_get_fixed_array (v, n, size) : NULL;
}

const double *
vi_params_get_double_list (GVariant   *params,
                           const char *key,
                           gsize      *n)
{
  return get_fixed (params, key, G_VARIANT_TYPE ("ad"), sizeof (double), n);
}

const gint64 *
vi_params_get_int_list (GVariant   *params,
                        const char *key,
                        gsize      *n)
{
  return get_fixed (params, key, G_VARIANT_TYPE ("ax"), sizeof (gint64), n);
}

/* ---- command-line text ---------------------------------------------------- */

gboolean
vi_params_parse_double (const char  *what,
                        const char  *text,
                        double      *out,
                        GError     **error)
{
  char *end = NULL;
  double x;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: missing value", what);
      return FALSE;
    }
  errno = 0;
  x = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    {
      g_autofree char *cut = vi_params_excerpt (text, VI_PARAMS_EXCERPT_CHARS);

      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: not a number (got '%s')", what, cut);
      return FALSE;
    }
  /* ERANGE: a subnormal (1e-308, 5e-324) is a number and stays; only a
   * value beyond the doubles (1e400, or 1e-400 which would read as 0) is
   * refused, as out of range rather than "not a number". */
  if (errno == ERANGE && (isinf (x) || x == 0.0))
    {
      g_autofree char *cut = vi_params_excerpt (text, VI_PARAMS_EXCERPT_CHARS);

      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: out of range (got '%s'; doubles span about "
                   "4.9e-324 to 1.8e308 in magnitude)", what, cut);
      return FALSE;
    }
  *out = x;
  return TRUE;
}

char *
vi_params_excerpt (const char *text,
                   gsize       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  const char *p = valid;
  gsize n = 0;

  while (*p != '\0' && n < max_chars)
    {
      p = g_utf8_next_char (p);
      n++;
    }
  if (*p == '\0')
    return g_steal_pointer (&valid);
  return g_strdup_printf ("%.*s…", (int) (p - valid), valid);
}

gboolean
vi_params_parse_uint64 (const char  *what,
                        const char  *text,
                        guint64      min,
                        guint64      max,
                        guint64     *out,
                        GError     **error)
{
  guint64 x = 0;
  const char *p = text;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: missing value", what);
      return FALSE;
    }
  if (*p == '+')
    p++;
  if (*p == '\0')
    goto bad;
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        goto bad;
      if (x > (G_MAXUINT64 - 9) / 10)
        goto range;
      x = x * 10 + (guint64) (*p - '0');
    }
  if (x < min || x > max)
    goto range;
  *out = x;
  return TRUE;

bad:
  if (text[0] == '-' && text[1] != '\0')
    goto range;
  g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected a whole number (got '%s')", what, text);
  return FALSE;

range:
  g_set_error (error, VI_ERROR, VI_EINVAL,
               "%s: must be an integer in [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
               "] (got '%s')", what, min, max, text);
  return FALSE;
}

GArray *
vi_params_parse_double_list (const char  *what,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) parts = NULL;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: missing value", what);
      return NULL;
    }
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      double x;
      g_autofree char *item = g_strstrip (g_strdup (parts[i]));

      if (!vi_params_parse_double (what, item, &x, error))
        return NULL;
      if (!isfinite (x))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL, "%s: values must be finite (got '%s')", what,
                       item);
          return NULL;
        }
      g_array_append_val (values, x);
    }
  return g_steal_pointer (&values);
}

static const char *
last_value (const char *const *values)
{
  const char *last = NULL;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    last = values[i];
  return last;
}

static GVariant *
parse_int_list (const ViParamSpec  *spec,
                const char         *option,
                const char         *text,
                GError            **error)
{
  g_autoptr(GArray) list = vi_params_parse_double_list (option, text, error);
  g_autoptr(GArray) ints = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (list == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    {
      double s = g_array_index (list, double, i);
      gint64 si;

      /* Checked before the conversion: casting an out-of-range double to an
       * integer is undefined. */
      if (!(s >= (double) spec->imin && s <= (double) spec->imax && s == floor (s)))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL,
                       "%s: values must be integers in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                       "] (got %.15g)", option, spec->imin, spec->imax, s);
          return NULL;
        }
      si = (gint64) s;
      g_array_append_val (ints, si);
    }
  return g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ints->data, ints->len,
                                    sizeof (gint64));
}

gboolean
vi_params_parse_cli (const ViParamSpec  *spec,
                     const char         *option,
                     const char *const  *values,
                     GVariantDict       *params,
                     GError            **error)
{
  const char *text = last_value (values);
  GVariant *v = NULL;

  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      {
        double x;

        if (!vi_params_parse_double (option, text, &x, error))
          return FALSE;
        if (!isfinite (x))
          {
            g_set_error (error, VI_ERROR, VI_EINVAL, "%s: must be finite (got '%s')", option, text);
            return FALSE;
          }
        v = g_variant_new_double (x);
      }
      break;
    case VI_PARAM_INT64:
      {
        guint64 x;

        if (!vi_params_parse_uint64 (option, text, (guint64) MAX (spec->imin, 0),
                                     (guint64) MAX (spec->imax, 0), &x, error))
          return FALSE;
        v = g_variant_new_int64 ((gint64) x);
      }
      break;
    case VI_PARAM_UINT64:
      {
        guint64 x;

        if (!vi_params_parse_uint64 (option, text, spec->umin, spec->umax, &x, error))
          return FALSE;
        v = g_variant_new_uint64 (x);
      }
      break;
    case VI_PARAM_BOOL:
      v = g_variant_new_boolean (TRUE);
      break;
    case VI_PARAM_ENUM:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
      v = g_variant_new_string (text != NULL ? text : "");
      break;
    case VI_PARAM_DOUBLE_LIST:
      {
        g_autoptr(GArray) list = vi_params_parse_double_list (option, text, error);

        if (list == NULL)
          return FALSE;
        v = g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, list->data, list->len,
                                       sizeof (double));
      }
      break;
    case VI_PARAM_INT_LIST:
      v = parse_int_list (spec, option, text, error);
      if (v == NULL)
        return FALSE;
      break;
    case VI_PARAM_DEPENDENT:
    default:
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: no parser for this option", option);
      return FALSE;
    }
  g_variant_dict_insert_value (params, spec->key, v);
  return TRUE;
}
