/* vi-cli-expfam.c — `elbo-lab-cli expfam`: everything about one exponential
 * family at one parameter value, with optional Monte-Carlo checks
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-cli-commands.h"
#include "vi-cli-common.h"
#include "vi-cli-expfam-plot.h"
#include "vi-cli-run.h"
#include "vi-core-autocleanups.h"
#include "vi-expfam-job.h"
#include "vi-expfam.h"
#include "vi-rng.h"
#include "vi-status.h"

typedef struct
{
  const ViExpfam *fam;
  double theta[VI_EXPFAM_MAX_DIM];
  double eta[VI_EXPFAM_MAX_DIM];
  double log_partition;
  double mean[VI_EXPFAM_MAX_DIM];
  double fisher_eta[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  double fisher_theta[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  GArray *at;           /* points for log_density, or NULL */
  GArray *log_density;
  guint64 samples;      /* 0: no Monte Carlo */
  guint64 seed;
  double mc_mean[VI_EXPFAM_MAX_DIM];
  double mc_mean_se[VI_EXPFAM_MAX_DIM];
  double mc_cov[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  double mc_cov_se[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
} ExpfamResult;

static void
compute (ExpfamResult *r)
{
  const ViExpfam *fam = r->fam;

  vi_expfam_natural (fam, r->theta, r->eta);
  r->log_partition = vi_expfam_log_partition (fam, r->eta);
  vi_expfam_mean_sufficient (fam, r->eta, r->mean);
  vi_expfam_fisher_natural (fam, r->eta, r->fisher_eta);
  vi_expfam_fisher_params (fam, r->theta, r->fisher_theta);
  if (r->at != NULL)
    {
      r->log_density = g_array_sized_new (FALSE, FALSE, sizeof (double), r->at->len);
      for (guint i = 0; i < r->at->len; i++)
        {
          double lp = vi_expfam_log_density (fam, r->eta, g_array_index (r->at, double, i));
          g_array_append_val (r->log_density, lp);
        }
    }
  if (r->samples > 0)
    {
      g_autoptr(gsl_rng) rng = vi_rng_create (r->seed, 0);
      vi_expfam_mc_moments (fam, r->theta, rng, (size_t) r->samples,
                            r->mc_mean, r->mc_mean_se, r->mc_cov, r->mc_cov_se);
    }
}

static void
add_json (JsonBuilder *b,
          gpointer     result,
          GVariant    *params,
          double       seconds)
{
  const ExpfamResult *r = result;
  const ViExpfam *fam = r->fam;
  const char *const *names = vi_expfam_get_param_names (fam);
  size_t d = vi_expfam_get_dim (fam);

  json_builder_set_member_name (b, "family");
  json_builder_add_string_value (b, vi_expfam_get_name (fam));
  json_builder_set_member_name (b, "param_order");
  json_builder_begin_array (b);
  for (size_t i = 0; i < d; i++)
    json_builder_add_string_value (b, names[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  for (size_t i = 0; i < d; i++)
    vi_json_add_double_member (b, names[i], r->theta[i]);
  json_builder_end_object (b);
  vi_json_add_array_member (b, "natural", r->eta, d);
  vi_json_add_double_member (b, "log_partition", r->log_partition);
  vi_json_add_array_member (b, "mean_sufficient", r->mean, d);
  vi_json_add_matrix_member (b, "fisher_natural", r->fisher_eta, d, d);
  vi_json_add_matrix_member (b, "fisher_params", r->fisher_theta, d, d);
  if (r->at != NULL)
    {
      vi_json_add_array_member (b, "at", (const double *) r->at->data, r->at->len);
      vi_json_add_array_member (b, "log_density", (const double *) r->log_density->data,
                                r->log_density->len);
    }
  if (r->samples > 0)
    {
      json_builder_set_member_name (b, "mc");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "samples");
      json_builder_add_int_value (b, (gint64) r->samples);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) r->seed);
      vi_json_add_array_member (b, "mean_sufficient", r->mc_mean, d);
      vi_json_add_array_member (b, "mean_sufficient_stderr", r->mc_mean_se, d);
      vi_json_add_matrix_member (b, "fisher_natural", r->mc_cov, d, d);
      vi_json_add_matrix_member (b, "fisher_natural_stderr", r->mc_cov_se, d, d);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) r->seed);
}

static void
print_vector (GString      *out,
              const char   *label,
              const double *x,
              size_t        n)
{
  g_string_append_printf (out, "%-22s", label);
  for (size_t i = 0; i < n; i++)
    g_string_append_printf (out, " %16s", vi_cli_fmt (x[i]));
  g_string_append_c (out, '\n');
}

static void
print_matrix (GString      *out,
              const char   *label,
              const double *x,
              size_t        d)
{
  for (size_t i = 0; i < d; i++)
    print_vector (out, i == 0 ? label : "", x + i * d, d);
}

static void
print_text (GString  *out,
            gpointer  result,
            GVariant *params,
            double    seconds)
{
  const ExpfamResult *r = result;
  g_autofree char *stat_list = g_strjoinv (", ", (char **) vi_expfam_get_stat_names (r->fam));
  const ViExpfam *fam = r->fam;
  const char *const *names = vi_expfam_get_param_names (fam);
  size_t d = vi_expfam_get_dim (fam);

  g_string_append_printf (out, "%-22s %s\n", "family", vi_expfam_get_name (fam));
  for (size_t i = 0; i < d; i++)
    {
      g_autofree char *label = g_strdup_printf ("param %s", names[i]);

      g_string_append_printf (out, "%-22s %16s\n", label, vi_cli_fmt (r->theta[i]));
    }
  g_string_append_printf (out, "%-22s (%s)\n", "sufficient t(x)", stat_list);
  print_vector (out, "natural eta", r->eta, d);
  g_string_append_printf (out, "%-22s %16s\n", "log-partition a(eta)",
                          vi_cli_fmt (r->log_partition));
  print_vector (out, "E[t] = grad a", r->mean, d);
  print_matrix (out, "Fisher I(eta)", r->fisher_eta, d);
  print_matrix (out, "Fisher I(params)", r->fisher_theta, d);
  if (r->at != NULL)
    for (guint i = 0; i < r->at->len; i++)
      {
        g_autofree char *label = g_strdup_printf ("log p(%s)",
                                                  vi_cli_fmt (g_array_index (r->at, double, i)));
        g_string_append_printf (out, "%-22s %16s\n", label,
                                vi_cli_fmt (g_array_index (r->log_density, double, i)));
      }
  if (r->samples > 0)
    {
      g_string_append_printf (out, "Monte Carlo (%" G_GUINT64_FORMAT " draws, seed %"
                              G_GUINT64_FORMAT ")\n", r->samples, r->seed);
      print_vector (out, "  mean t", r->mc_mean, d);
      print_vector (out, "  stderr", r->mc_mean_se, d);
      print_matrix (out, "  cov t", r->mc_cov, d);
    }
  else
    g_string_append_printf (out, "%-22s %" G_GUINT64_FORMAT "\n", "seed", r->seed);
}

/* Whether @given holds a parameter of any family (a --param). */
static gboolean
has_family_param (GVariantDict *given)
{
  const ViParamSpec *params = vi_params_lookup (vi_expfam_job_type.params, "params", NULL);
  const char *const *families = vi_expfam_list_names ();

  for (guint f = 0; families[f] != NULL; f++)
    {
      const ViParamSpec *sub = params->get_sub_specs (families[f]);

      for (guint i = 0; sub != NULL && sub[i].key != NULL; i++)
        if (g_variant_dict_contains (given, sub[i].key))
          return TRUE;
    }
  return FALSE;
}

static gboolean
check_options (GVariantDict  *given,
               GError       **error)
{
  g_autofree char *valid = g_strjoinv ("|", (char **) vi_expfam_list_names ());
  const char *family = NULL;
  const ViExpfam *fam;
  const char *const *names;

  /* Nothing given: the app's defaults, the table's family at its
   * parameters' defaults. A --param without --family stays an error. */
  if (!g_variant_dict_contains (given, "family") && !has_family_param (given))
    {
      const ViParamSpec *spec = vi_params_lookup (vi_expfam_job_type.params, "family", NULL);
      const ViParamSpec *sub = vi_params_lookup (vi_expfam_job_type.params, "params",
                                                 NULL)->get_sub_specs (spec->sdef);

      g_variant_dict_insert (given, "family", "s", spec->sdef);
      for (guint i = 0; sub[i].key != NULL; i++)
        g_variant_dict_insert (given, sub[i].key, "d", sub[i].def);
    }
  if (!g_variant_dict_lookup (given, "family", "&s", &family))
    return vi_cli_usage_error (error, "--family is required (valid: %s)", valid);
  fam = vi_expfam_lookup (family);
  if (fam == NULL)
    return vi_cli_usage_error (error, "--family: unknown family '%s' (valid: %s)", family, valid);
  names = vi_expfam_get_param_names (fam);
  for (size_t i = 0; i < vi_expfam_get_dim (fam); i++)
    if (!g_variant_dict_contains (given, names[i]))
      return vi_cli_usage_error (error, "--param: missing %s for %s (give --param %s=VALUE)",
                                 names[i], family, names[i]);
  return TRUE;
}

static void
result_free (gpointer data)
{
  ExpfamResult *r = data;

  g_clear_pointer (&r->at, g_array_unref);
  g_clear_pointer (&r->log_density, g_array_unref);
  g_free (r);
}

static gpointer
compute_result (GVariant  *params,
                GError   **error)
{
  ExpfamResult *r = g_new0 (ExpfamResult, 1);
  const char *const *names;
  const double *at;
  gsize n_at = 0;

  (void) error;
  r->fam = vi_expfam_lookup (vi_params_get_string (params, "family"));
  names = vi_expfam_get_param_names (r->fam);
  for (size_t i = 0; i < vi_expfam_get_dim (r->fam); i++)
    r->theta[i] = vi_params_get_double (params, names[i]);
  at = vi_params_get_double_list (params, "at", &n_at);
  if (at != NULL)
    {
      r->at = g_array_sized_new (FALSE, FALSE, sizeof (double), (guint) n_at);
      g_array_append_vals (r->at, at, (guint) n_at);
    }
  r->samples = vi_params_has (params, "samples") ? vi_params_get_uint64 (params, "samples") : 0;
  r->seed = vi_params_get_uint64 (params, "seed");
  compute (r);
  return r;
}

static ViFigure *
build_figure (gpointer   result,
              GVariant  *params,
              double    *width,
              double    *height,
              GError   **error)
{
  const ExpfamResult *r = result;

  *width = 480;
  *height = 320;
  return vi_cli_expfam_plot_figure (r->fam, r->theta, r->samples, r->seed, error);
}

/* Settings of the subcommand that the expfam job does not have. */
static const ViParamSpec expfam_cli_params[] = {
  { .key = "at", .type = VI_PARAM_DOUBLE_LIST, .flags = VI_PARAM_OPTIONAL,
    .help = "Points for the log density", .min = -G_MAXDOUBLE, .max = G_MAXDOUBLE,
    .cli = { "at", 0, "X,…", "Points for the log density, e.g. 0.5,1,2" } },
  { .key = "samples", .type = VI_PARAM_UINT64, .flags = VI_PARAM_OPTIONAL,
    .help = "Monte-Carlo draws to check E[t] and Cov[t]", .umin = 2,
    .umax = G_GUINT64_CONSTANT (100000000), .cli = { "samples", 'n', "N" } },
  { NULL }
};

const ViCliDescriptor vi_cli_expfam_command = {
  .name = "expfam",
  .parameter_string = "— natural parameters, log-partition, Fisher information",
  .summary =
    "Computes, for one exponential family p(x|η) = h(x) exp(ηᵀt(x) − a(η)) at the\n"
    "given parameters: η, a(η), E[t] = ∇a(η), the Fisher information ∇²a(η) in η\n"
    "and Jᵀ I(η) J in the family's own parameters, log densities, and (with\n"
    "--samples) Monte-Carlo estimates of E[t] and Cov[t].",
  .description =
    "Families and parameters (in order):\n"
    "  poisson rate | exponential rate | bernoulli p | gaussian mean variance |\n"
    "  gamma shape rate | lognormal mu sigma2 | beta a b\n"
    "\nExit status: 0 success, 1 runtime error, 2 bad options, 130 interrupted.\n"
    "\nExample:\n"
    "  elbo-lab-cli expfam --family gamma --param shape=2.5 --param rate=1.5 \\\n"
    "      --at 0.5,1,2 --json\n",
  .job_type = &vi_expfam_job_type,
  .extra_params = expfam_cli_params,
  .plot_help = "Draw the density/pmf, its mean and a histogram of the --samples draws to FILE "
               "(.png, .svg, .pdf or .csv)",
  .check = check_options,
  .compute = compute_result,
  .result_free = result_free,
  .add_json = add_json,
  .print_text = print_text,
  .build_figure = build_figure,
};
