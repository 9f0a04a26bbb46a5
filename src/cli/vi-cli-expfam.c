/* vi-cli-expfam.c — `elbo-lab-cli expfam`: everything about one exponential
 * family at one parameter value, with optional Monte-Carlo checks
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vi-cli-commands.h"
#include "vi-cli-common.h"
#include "vi-cli-expfam-plot.h"
#include "vi-core-autocleanups.h"
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

/* Parses the repeated --param NAME=VALUE options into θ in the family's order. */
static gboolean
parse_params (const ViExpfam *fam,
              char          **items,
              double         *theta,
              GError        **error)
{
  const char *const *names = vi_expfam_get_param_names (fam);
  size_t d = vi_expfam_get_dim (fam);
  gboolean seen[VI_EXPFAM_MAX_DIM] = { FALSE };

  for (guint k = 0; items != NULL && items[k] != NULL; k++)
    {
      const char *eq = strchr (items[k], '=');
      g_autofree char *name = NULL;
      g_autofree char *what = NULL;
      int idx;

      if (eq == NULL)
        {
          vi_cli_usage_error (error, "--param: expected NAME=VALUE (got '%s')", items[k]);
          return FALSE;
        }
      name = g_strndup (items[k], (gsize) (eq - items[k]));
      if (*name == '\0')
        {
          vi_cli_usage_error (error, "--param: missing parameter name (got '%s')", items[k]);
          return FALSE;
        }
      idx = vi_expfam_param_index (fam, name);
      if (idx < 0)
        {
          g_autofree char *valid = g_strjoinv (", ", (char **) names);
          vi_cli_usage_error (error, "--param: %s has no parameter '%s' (valid: %s)",
                       vi_expfam_get_name (fam), name, valid);
          return FALSE;
        }
      if (seen[idx])
        {
          vi_cli_usage_error (error, "--param: %s given twice", name);
          return FALSE;
        }
      what = g_strdup_printf ("--param %s", name);
      if (!vi_cli_parse_double (what, eq + 1, &theta[idx], error))
        return FALSE;
      seen[idx] = TRUE;
    }
  for (size_t i = 0; i < d; i++)
    if (!seen[i])
      {
        vi_cli_usage_error (error, "--param: missing %s for %s (give --param %s=VALUE)",
                     names[i], vi_expfam_get_name (fam), names[i]);
        return FALSE;
      }
  return TRUE;
}

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
print_json (const ExpfamResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const ViExpfam *fam = r->fam;
  const char *const *names = vi_expfam_get_param_names (fam);
  size_t d = vi_expfam_get_dim (fam);

  json_builder_begin_object (b);
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
  json_builder_set_member_name (b, "natural");
  vi_json_add_double_array (b, r->eta, d);
  vi_json_add_double_member (b, "log_partition", r->log_partition);
  json_builder_set_member_name (b, "mean_sufficient");
  vi_json_add_double_array (b, r->mean, d);
  json_builder_set_member_name (b, "fisher_natural");
  vi_json_add_double_matrix (b, r->fisher_eta, d, d);
  json_builder_set_member_name (b, "fisher_params");
  vi_json_add_double_matrix (b, r->fisher_theta, d, d);
  if (r->at != NULL)
    {
      json_builder_set_member_name (b, "at");
      vi_json_add_double_array (b, (const double *) r->at->data, r->at->len);
      json_builder_set_member_name (b, "log_density");
      vi_json_add_double_array (b, (const double *) r->log_density->data, r->log_density->len);
    }
  if (r->samples > 0)
    {
      json_builder_set_member_name (b, "mc");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "samples");
      json_builder_add_int_value (b, (gint64) r->samples);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) r->seed);
      json_builder_set_member_name (b, "mean_sufficient");
      vi_json_add_double_array (b, r->mc_mean, d);
      json_builder_set_member_name (b, "mean_sufficient_stderr");
      vi_json_add_double_array (b, r->mc_mean_se, d);
      json_builder_set_member_name (b, "fisher_natural");
      vi_json_add_double_matrix (b, r->mc_cov, d, d);
      json_builder_set_member_name (b, "fisher_natural_stderr");
      vi_json_add_double_matrix (b, r->mc_cov_se, d, d);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) r->seed);
  json_builder_end_object (b);
  vi_json_print (b);
}

static void
print_vector (const char   *label,
              const double *x,
              size_t        n)
{
  printf ("%-22s", label);
  for (size_t i = 0; i < n; i++)
    printf (" %16s", vi_cli_fmt (x[i]));
  printf ("\n");
}

static void
print_matrix (const char   *label,
              const double *x,
              size_t        d)
{
  for (size_t i = 0; i < d; i++)
    print_vector (i == 0 ? label : "", x + i * d, d);
}

static void
print_text (const ExpfamResult *r)
{
  const ViExpfam *fam = r->fam;
  const char *const *names = vi_expfam_get_param_names (fam);
  const char *const *stats = vi_expfam_get_stat_names (fam);
  size_t d = vi_expfam_get_dim (fam);
  g_autofree char *stat_list = g_strjoinv (", ", (char **) stats);

  printf ("%-22s %s\n", "family", vi_expfam_get_name (fam));
  for (size_t i = 0; i < d; i++)
    {
      g_autofree char *label = g_strdup_printf ("param %s", names[i]);
      printf ("%-22s %16s\n", label, vi_cli_fmt (r->theta[i]));
    }
  printf ("%-22s (%s)\n", "sufficient t(x)", stat_list);
  print_vector ("natural eta", r->eta, d);
  printf ("%-22s %16s\n", "log-partition a(eta)", vi_cli_fmt (r->log_partition));
  print_vector ("E[t] = grad a", r->mean, d);
  print_matrix ("Fisher I(eta)", r->fisher_eta, d);
  print_matrix ("Fisher I(params)", r->fisher_theta, d);
  if (r->at != NULL)
    for (guint i = 0; i < r->at->len; i++)
      {
        g_autofree char *label = g_strdup_printf ("log p(%s)",
                                                  vi_cli_fmt (g_array_index (r->at, double, i)));
        printf ("%-22s %16s\n", label, vi_cli_fmt (g_array_index (r->log_density, double, i)));
      }
  if (r->samples > 0)
    {
      printf ("Monte Carlo (%" G_GUINT64_FORMAT " draws, seed %" G_GUINT64_FORMAT ")\n",
              r->samples, r->seed);
      print_vector ("  mean t", r->mc_mean, d);
      print_vector ("  stderr", r->mc_mean_se, d);
      print_matrix ("  cov t", r->mc_cov, d);
    }
  else
    printf ("%-22s %" G_GUINT64_FORMAT "\n", "seed", r->seed);
}

int
vi_cli_expfam (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *family = NULL;
  g_autofree char *at = NULL;
  g_autofree char *samples = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *plot = NULL;
  g_auto(GStrv) params = NULL;
  gboolean json = FALSE;
  ExpfamResult r = { 0 };
  g_autofree char *families_help = g_strjoinv ("|", (char **) vi_expfam_list_names ());
  g_autofree char *family_desc = g_strdup_printf ("Family: %s", families_help);
  GOptionEntry entries[] = {
    { "family", 'f', 0, G_OPTION_ARG_STRING, &family, family_desc, "NAME" },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "Parameter NAME=VALUE (repeat for each, e.g. --param shape=2.5 --param rate=1.5)",
      "NAME=VALUE" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, "Points for the log density, e.g. 0.5,1,2", "X,…" },
    { "samples", 'n', 0, G_OPTION_ARG_STRING, &samples,
      "Monte-Carlo draws to check E[t] and Cov[t] (≥ 2)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed, "Random seed (default 1)", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot,
      "Draw the density/pmf, its mean and a histogram of the --samples draws to FILE "
      "(.png, .svg, .pdf or .csv)", "FILE" },
    { NULL }
  };

  ctx = g_option_context_new ("— natural parameters, log-partition, Fisher information");
  g_option_context_set_summary (ctx,
    "Computes, for one exponential family p(x|η) = h(x) exp(ηᵀt(x) − a(η)) at the\n"
    "given parameters: η, a(η), E[t] = ∇a(η), the Fisher information ∇²a(η) in η\n"
    "and Jᵀ I(η) J in the family's own parameters, log densities, and (with\n"
    "--samples) Monte-Carlo estimates of E[t] and Cov[t].");
  g_option_context_set_description (ctx,
    "Families and parameters (in order):\n"
    "  poisson rate | exponential rate | bernoulli p | gaussian mean variance |\n"
    "  gamma shape rate | lognormal mu sigma2 | beta a b\n"
    "\nExample:\n"
    "  elbo-lab-cli expfam --family gamma --param shape=2.5 --param rate=1.5 \\\n"
    "      --at 0.5,1,2 --json\n");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return vi_cli_report_error ("expfam", error);
  if (argc > 1)
    {
      vi_cli_usage_error (&error, "unexpected argument '%s'", argv[1]);
      return vi_cli_report_error ("expfam", error);
    }

  r.seed = 1;
  if (family == NULL)
    {
      vi_cli_usage_error (&error, "--family is required (valid: %s)", families_help);
      return vi_cli_report_error ("expfam", error);
    }
  r.fam = vi_expfam_lookup (family);
  if (r.fam == NULL)
    {
      vi_cli_usage_error (&error, "--family: unknown family '%s' (valid: %s)", family,
                          families_help);
      return vi_cli_report_error ("expfam", error);
    }
  if (!parse_params (r.fam, params, r.theta, &error))
    return vi_cli_report_error ("expfam", error);
  if (!vi_expfam_check_params (r.fam, r.theta, &error))
    {
      /* A parameter outside its domain is a usage error (exit 2). */
      g_autoptr(GError) usage = g_error_new_literal (VI_CLI_ERROR, VI_EXIT_USAGE, error->message);
      return vi_cli_report_error ("expfam", usage);
    }
  if (at != NULL && (r.at = vi_cli_parse_double_list ("--at", at, &error)) == NULL)
    return vi_cli_report_error ("expfam", error);
  if (samples != NULL
      && !vi_cli_parse_uint64 ("--samples", samples, 2, G_GUINT64_CONSTANT (100000000),
                               &r.samples, &error))
    return vi_cli_report_error ("expfam", error);
  if (seed != NULL
      && !vi_cli_parse_uint64 ("--seed", seed, 0, G_MAXUINT64, &r.seed, &error))
    return vi_cli_report_error ("expfam", error);

  compute (&r);
  if (plot != NULL
      && !vi_cli_expfam_plot (r.fam, r.theta, r.samples, r.seed, plot, &error))
    return vi_cli_report_error ("expfam", error);
  if (json)
    print_json (&r);
  else
    print_text (&r);

  if (r.at != NULL)
    g_array_unref (r.at);
  if (r.log_density != NULL)
    g_array_unref (r.log_density);
  return VI_EXIT_OK;
}
