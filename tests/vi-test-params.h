/* vi-test-params.h — a valid, non-default value for any parameter spec, as
 * a GVariant and as command-line text, for the table-driven tests
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include <glib.h>

#include "vi-params.h"

/* Values the table alone cannot guess (they must also pass the job's own
 * cross-field checks). */
static inline const char *
vi_test_param_string (const ViParamSpec *spec)
{
  if (strcmp (spec->key, "estimators") == 0)
    return "naive";
  return "value-x";
}

static inline double
vi_test_param_double (const ViParamSpec *spec,
                      guint              k)
{
  if (spec->min <= -G_MAXDOUBLE)
    return (spec->type == VI_PARAM_DOUBLE ? spec->def : 0.0) + 0.5 + k;
  if (spec->max < G_MAXDOUBLE)
    return spec->min + (0.25 + 0.25 * k) * (spec->max - spec->min);
  return spec->min + 1.5 + k;
}

static inline gint64
vi_test_param_int (const ViParamSpec *spec,
                   guint              k)
{
  gint64 x = spec->imin + 1 + k;

  if (spec->type == VI_PARAM_INT64 && x == spec->idef)
    x++;
  return MIN (x, spec->imax);
}

static inline const char *
vi_test_param_choice (const ViParamSpec *spec)
{
  const char *const *choices = vi_params_spec_get_choices (spec);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_strcmp0 (choices[i], spec->sdef) != 0)
      return choices[i];
  return choices[0];
}

/* (transfer full) A value in the spec's canonical type, ≠ its default. */
static inline GVariant *
vi_test_param_value (const ViParamSpec *spec)
{
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      return g_variant_ref_sink (g_variant_new_double (vi_test_param_double (spec, 0)));
    case VI_PARAM_INT64:
      return g_variant_ref_sink (g_variant_new_int64 (vi_test_param_int (spec, 0)));
    case VI_PARAM_UINT64:
      return g_variant_ref_sink (g_variant_new_uint64 (spec->umin + 7));
    case VI_PARAM_BOOL:
      return g_variant_ref_sink (g_variant_new_boolean (spec->idef == 0));
    case VI_PARAM_ENUM:
      return g_variant_ref_sink (g_variant_new_string (vi_test_param_choice (spec)));
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
      return g_variant_ref_sink (g_variant_new_string (vi_test_param_string (spec)));
    case VI_PARAM_DOUBLE_LIST:
      {
        double x[2] = { vi_test_param_double (spec, 0), vi_test_param_double (spec, 1) };

        return g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, x, 2,
                                                              sizeof (double)));
      }
    case VI_PARAM_INT_LIST:
      {
        gint64 x[2] = { vi_test_param_int (spec, 0), vi_test_param_int (spec, 1) };

        return g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, x, 2,
                                                              sizeof (gint64)));
      }
    case VI_PARAM_DEPENDENT:
    default:
      g_assert_not_reached ();
    }
}

/* (transfer full) @value as command-line text ("1.5", "2,3", "gamma"). */
static inline char *
vi_test_param_text (GVariant *value)
{
  GString *s = g_string_new (NULL);

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    g_string_append_printf (s, "%.17g", g_variant_get_double (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    g_string_append_printf (s, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    g_string_append_printf (s, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    g_string_append (s, g_variant_get_string (value, NULL));
  else
    for (gsize i = 0; i < g_variant_n_children (value); i++)
      {
        g_autoptr(GVariant) item = g_variant_get_child_value (value, i);
        g_autofree char *t = vi_test_param_text (item);

        g_string_append_printf (s, "%s%s", i ? "," : "", t);
      }
  return g_string_free (s, FALSE);
}

/* A value just outside the spec's range (below the minimum, or above the
 * maximum when there is no minimum below), as text; NULL if unbounded. */
static inline char *
vi_test_param_out_of_range (const ViParamSpec *spec)
{
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
    case VI_PARAM_DOUBLE_LIST:
      if (spec->min > -G_MAXDOUBLE)
        return g_strdup_printf ("%.17g", (spec->flags & VI_PARAM_MIN_EXCLUSIVE) ? spec->min
                                         : spec->min - 1.0);
      return spec->max < G_MAXDOUBLE ? g_strdup_printf ("%.17g", spec->max * 2 + 1) : NULL;
    case VI_PARAM_INT64:
    case VI_PARAM_INT_LIST:
      return spec->imax < G_MAXINT64 ? g_strdup_printf ("%" G_GINT64_FORMAT, spec->imax + 1)
                                     : NULL;
    case VI_PARAM_UINT64:
      return spec->umax < G_MAXUINT64 ? g_strdup_printf ("%" G_GUINT64_FORMAT, spec->umax + 1)
                                      : NULL;
    case VI_PARAM_BOOL:
    case VI_PARAM_ENUM:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
    case VI_PARAM_DEPENDENT:
    default:
      return NULL;
    }
}

/* The bound an out-of-range message must name, as %g / integer text. */
static inline char *
vi_test_param_bound (const ViParamSpec *spec)
{
  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
    case VI_PARAM_DOUBLE_LIST:
      return g_strdup_printf ("%g", spec->min > -G_MAXDOUBLE ? spec->min : spec->max);
    case VI_PARAM_INT64:
    case VI_PARAM_INT_LIST:
      return g_strdup_printf ("[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]", spec->imin,
                              spec->imax);
    case VI_PARAM_UINT64:
      return g_strdup_printf ("[%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]", spec->umin,
                              spec->umax);
    case VI_PARAM_BOOL:
    case VI_PARAM_ENUM:
    case VI_PARAM_STRING:
    case VI_PARAM_PATH:
    case VI_PARAM_DEPENDENT:
    default:
      return NULL;
    }
}
