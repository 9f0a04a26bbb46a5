/* test-page-params.c — every job's parameters round-trip through its page:
 * for each page of the registry and each key of its job's table (each
 * family's own parameters too), a valid non-default value set with
 * set_settings comes back from dup_settings and shows in the bound widget;
 * out-of-range values are refused naming the key and the range; bound
 * widgets start at the table's default and explain the key in a tooltip
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "elbo-lab-resources.h"
#include "vi-bbvi-page.h"
#include "vi-model-page.h"
#include "vi-page-registry.h"
#include "vi-status.h"
#include "vi-test-params.h"

/* Keys of a job's table a page does not carry: the page's own variance
 * measurement (bbvi), values it derives (expfam's batch from n) and CLI-only
 * inputs. A key missing here must round-trip. */
static const char *const not_on_page[] = {
  "bbvi/mode", "bbvi/repeats", "bbvi/threads", "bbvi/tau", "bbvi/kappa", "bbvi/counts",
  "bbvi/at", "bbvi/at-params", "bbvi/sweep-samples", "bbvi/sweep-theta",
  "bbvi/sweep-theta-grid",
  "expfam/batch", NULL
};

/* Settings a value needs beside it to pass the job's cross-field checks. */
static const char *
companion (const char *page,
           const char *key)
{
  /* The default estimators include cv-suff, which only the exponential
   * family has, and with S ≥ 3. */
  if (g_str_equal (page, "bbvi"))
    return "{'estimators': <'naive'>}";
  return "{}";
}

static char *counts_path;

static ViPage *
new_page (const ViPageInfo *info)
{
  return VI_PAGE (g_object_ref_sink (g_object_new (info->get_type (), NULL)));
}

/* (transfer full) @settings normalised by @type's table. */
static GVariant *
normalise (const ViJobType *type,
           GVariant        *settings)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = vi_params_validate (type->params, settings, &error);

  g_assert_no_error (error);
  return v;
}

/* The bound widget of @key (if any) shows @want (canonical type). */
static void
assert_widget_shows (ViPage     *page,
                     const char *key,
                     GVariant   *want)
{
  GtkWidget *w = vi_model_page_get_bound_widget (VI_MODEL_PAGE (page), key);
  double x;

  if (w == NULL)
    return;
  if (g_variant_is_of_type (want, G_VARIANT_TYPE_STRING) && !GTK_IS_EDITABLE (w))
    g_assert_cmpstr (vi_model_page_get_choice (VI_MODEL_PAGE (page), key), ==,
                     g_variant_get_string (want, NULL));
  else if (g_variant_is_of_type (want, G_VARIANT_TYPE_STRING))
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==,
                     g_variant_get_string (want, NULL));
  else if (g_variant_is_of_type (want, G_VARIANT_TYPE_BOOLEAN))
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (w)) == g_variant_get_boolean (want));
  else
    {
      GVariantDict d;
      g_autoptr(GVariant) one = NULL;

      g_variant_dict_init (&d, NULL);
      g_variant_dict_insert_value (&d, key, want);
      one = g_variant_ref_sink (g_variant_dict_end (&d));
      g_assert_true (vi_settings_lookup_number (one, key, &x));
      g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (w)), ==, x);
    }
}

/* Sets @values (with the page's companion settings for @key) on a fresh
 * page and checks every key of @values comes back. */
static void
round_trip (const ViPageInfo *info,
            const char       *key,
            GVariant         *values)
{
  ViPage *page = new_page (info);
  const ViJobType *type = vi_page_get_job_type (page);
  g_autoptr(GVariant) extra = g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                               companion (info->name, key), NULL, NULL, NULL);
  g_autoptr(GVariant) in = NULL, out = NULL, want = NULL, got = NULL;
  g_autoptr(GError) error = NULL;
  GVariantDict d;
  GVariantIter iter;
  const char *k;
  GVariant *v;

  g_variant_dict_init (&d, extra);
  g_variant_iter_init (&iter, values);
  while (g_variant_iter_next (&iter, "{&sv}", &k, &v))
    {
      g_variant_dict_insert_value (&d, k, v);
      g_variant_unref (v);
    }
  in = g_variant_ref_sink (g_variant_dict_end (&d));
  if (!vi_page_set_settings (page, in, &error))
    g_error ("%s %s: %s", info->name, key, error->message);
  /* A counts file is loaded on a GTask thread: wait for it. */
  while (VI_IS_BBVI_PAGE (page) && vi_bbvi_page_is_loading (VI_BBVI_PAGE (page)))
    g_main_context_iteration (NULL, TRUE);
  out = vi_page_dup_settings (page, &error);
  if (out == NULL)
    g_error ("%s %s: %s", info->name, key, error->message);
  want = normalise (type, in);
  got = normalise (type, out);
  g_variant_iter_init (&iter, values);
  while (g_variant_iter_loop (&iter, "{&sv}", &k, &v))
    {
      g_autoptr(GVariant) a = g_variant_lookup_value (want, k, NULL);
      g_autoptr(GVariant) b = g_variant_lookup_value (got, k, NULL);
      g_autofree char *as = g_variant_print (a, TRUE);
      g_autofree char *bs = b != NULL ? g_variant_print (b, TRUE) : g_strdup ("(absent)");

      if (b == NULL || !g_variant_equal (a, b))
        g_error ("%s %s: set %s, got %s", info->name, k, as, bs);
      assert_widget_shows (page, k, a);
    }
  g_object_unref (page);
}

/* (transfer full) {key: value} */
static GVariant *
single (const char *key,
        GVariant   *value)
{
  GVariantDict d;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert_value (&d, key, value);
  return g_variant_ref_sink (g_variant_dict_end (&d));
}

static GVariant *
test_value (const ViParamSpec *spec)
{
  if (spec->type == VI_PARAM_PATH)
    return g_variant_ref_sink (g_variant_new_string (counts_path));
  return vi_test_param_value (spec);
}

/* A family parameter ≠ its default that the family accepts. */
static double
family_value (const ViJobType   *type,
              const char        *family,
              const ViParamSpec *spec)
{
  double tries[] = { spec->def + 0.5, spec->def * 0.5, spec->def - 0.25 };

  for (guint i = 0; i < G_N_ELEMENTS (tries); i++)
    {
      g_autoptr(GVariant) v = NULL;
      GVariantDict d;

      g_variant_dict_init (&d, NULL);
      g_variant_dict_insert (&d, "family", "s", family);
      g_variant_dict_insert (&d, spec->key, "d", tries[i]);
      v = vi_job_validate (type, g_variant_dict_end (&d), NULL);
      if (v != NULL && tries[i] != spec->def)
        return tries[i];
    }
  g_error ("%s %s: no valid non-default value", family, spec->key);
  return NAN;
}

static void
round_trip_dependent (const ViPageInfo  *info,
                      const ViJobType   *type,
                      const ViParamSpec *spec)
{
  const ViParamSpec *dep = vi_params_lookup (type->params, spec->depends_on, NULL);
  const char *const *choices = vi_params_spec_get_choices (dep);

  for (guint c = 0; choices[c] != NULL; c++)
    {
      const ViParamSpec *sub = spec->get_sub_specs (choices[c]);
      g_autoptr(GVariant) values = NULL;
      GVariantDict d;

      g_variant_dict_init (&d, NULL);
      g_variant_dict_insert (&d, spec->depends_on, "s", choices[c]);
      for (guint i = 0; sub[i].key != NULL; i++)
        g_variant_dict_insert (&d, sub[i].key, "d", family_value (type, choices[c], &sub[i]));
      values = g_variant_ref_sink (g_variant_dict_end (&d));
      round_trip (info, spec->key, values);
    }
}

/* An out-of-range value is refused naming the key and the range, and
 * leaves the page as it was. */
static void
refuse_out_of_range (const ViPageInfo  *info,
                     const ViParamSpec *spec)
{
  g_autofree char *text = vi_test_param_out_of_range (spec);
  g_autofree char *bound = vi_test_param_bound (spec);
  g_autoptr(GVariant) bad = NULL, before = NULL, after = NULL;
  g_autoptr(GError) error = NULL;
  ViPage *page;

  if (text == NULL)
    return;
  page = new_page (info);
  if (spec->type == VI_PARAM_DOUBLE)
    bad = single (spec->key, g_variant_new_double (g_ascii_strtod (text, NULL)));
  else if (spec->type == VI_PARAM_INT64)
    bad = single (spec->key, g_variant_new_int64 (g_ascii_strtoll (text, NULL, 10)));
  else if (spec->type == VI_PARAM_UINT64)
    bad = single (spec->key, g_variant_new_uint64 (g_ascii_strtoull (text, NULL, 10)));
  else
    {
      g_object_unref (page);
      return;   /* lists: no page carries one */
    }
  before = vi_page_dup_settings (page, NULL);
  g_assert_false (vi_page_set_settings (page, bad, &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
  if (strstr (error->message, spec->key) == NULL || strstr (error->message, bound) == NULL)
    g_error ("%s %s: '%s' does not name the key and %s", info->name, spec->key,
             error->message, bound);
  after = vi_page_dup_settings (page, NULL);
  g_assert_true (g_variant_equal (before, after));
  g_object_unref (page);
}

static void
test_round_trip (gconstpointer data)
{
  const ViPageInfo *info = data;
  ViPage *page = new_page (info);
  const ViJobType *type = vi_page_get_job_type (page);
  g_autoptr(GVariant) base = vi_page_dup_settings (page, NULL);
  g_autofree char *counts_dir = g_dir_make_tmp ("elbo-lab-page-params-XXXXXX", NULL);

  counts_path = g_build_filename (counts_dir, "counts.txt", NULL);
  g_assert_true (g_file_set_contents (counts_path, "3\n1\n4\n1\n5\n", -1, NULL));
  g_assert_nonnull (base);
  /* The page gives only keys of its table. */
  {
    GVariantIter iter;
    const char *k;
    GVariant *v;

    g_variant_iter_init (&iter, base);
    while (g_variant_iter_loop (&iter, "{&sv}", &k, &v))
      if (vi_params_lookup (type->params, k, base) == NULL)
        g_error ("%s: %s is not in the table", info->name, k);
  }
  for (const ViParamSpec *spec = type->params; spec->key != NULL; spec++)
    {
      g_autofree char *id = g_strdup_printf ("%s/%s", info->name, spec->key);
      g_autoptr(GVariant) value = NULL, values = NULL;

      if (g_strv_contains (not_on_page, id))
        continue;
      if (spec->type == VI_PARAM_DEPENDENT)
        {
          round_trip_dependent (info, type, spec);
          continue;
        }
      value = test_value (spec);
      values = single (spec->key, value);
      round_trip (info, spec->key, values);
      refuse_out_of_range (info, spec);
    }
  g_object_unref (page);
  g_unlink (counts_path);
  g_rmdir (counts_dir);
  g_clear_pointer (&counts_path, g_free);
}

/* Bound widgets start at the table's default and their tooltip explains
 * the key; choice widgets list the table's choices. */
static void
test_bound_widgets (gconstpointer data)
{
  const ViPageInfo *info = data;
  ViPage *page = new_page (info);
  const ViJobType *type = vi_page_get_job_type (page);
  g_autoptr(GVariant) base = vi_page_dup_settings (page, NULL);
  guint n_bound = 0;

  for (const ViParamSpec *spec = type->params; spec->key != NULL; spec++)
    {
      GtkWidget *w = vi_model_page_get_bound_widget (VI_MODEL_PAGE (page), spec->key);
      g_autoptr(GVariant) def = vi_params_spec_default (spec);
      g_autoptr(GVariant) got = NULL;

      if (w == NULL)
        continue;
      n_bound++;
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (w), spec->help));
      if (def == NULL)
        continue;
      got = normalise (type, base);
      {
        g_autoptr(GVariant) v = g_variant_lookup_value (got, spec->key, NULL);

        g_assert_true (g_variant_equal (v, def));
      }
      assert_widget_shows (page, spec->key, def);
      if (spec->type == VI_PARAM_ENUM)
        {
          const char *const *choices = vi_params_spec_get_choices (spec);
          GListModel *model = ADW_IS_COMBO_ROW (w)
            ? adw_combo_row_get_model (ADW_COMBO_ROW (w))
            : gtk_drop_down_get_model (GTK_DROP_DOWN (w));

          g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                            g_strv_length ((char **) choices));
        }
    }
  g_assert_cmpuint (n_bound, >, 0);
  /* The tooltip is the table's description (as in --help). */
  if (g_str_equal (info->name, "bbvi"))
    {
      GtkWidget *alpha = vi_model_page_get_bound_widget (VI_MODEL_PAGE (page), "alpha");
      GtkWidget *family = vi_model_page_get_bound_widget (VI_MODEL_PAGE (page), "family");

      g_assert_cmpstr (gtk_widget_get_tooltip_text (alpha), ==, "Prior shape α (default 2; > 0)");
      g_assert_cmpstr (gtk_widget_get_tooltip_text (family), ==,
                       "Variational family: exponential | gamma | lognormal "
                       "(default exponential)");
      /* An open lower bound is the smallest value the spin button shows. */
      g_assert_cmpfloat (gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (
                           GTK_SPIN_BUTTON (alpha))), ==, 0.01);
    }
  g_object_unref (page);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  /* Links the page templates in (registered when loaded). */
  g_assert_nonnull (vi_resources_get_resource ());

  for (const ViPageInfo *info = vi_page_list_infos (); info->name != NULL; info++)
    {
      g_autofree char *rt = g_strdup_printf ("/app/page-params/round-trip/%s", info->name);
      g_autofree char *bw = g_strdup_printf ("/app/page-params/bound-widgets/%s", info->name);

      g_test_add_data_func (rt, info, test_round_trip);
      g_test_add_data_func (bw, info, test_bound_widgets);
    }
  return g_test_run ();
}
