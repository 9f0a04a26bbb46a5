/* vi-cli-vae.c — `elbo-lab-cli vae`: a VAE trained on IDX images
 * (Fashion-MNIST by default), with its test ELBO, IWAE bound, speed and
 * model files
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vi-cli-commands.h"
#include "vi-cli-common.h"
#include "vi-cli-run.h"
#include "vi-cli-work.h"
#include "vi-params.h"
#include "vi-vae-job.h"
#include "vi-vae-views.h"

static double
last (const double *trace,
      guint         len)
{
  return len > 0 ? trace[len - 1] : NAN;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median training seconds of the epochs run (NaN: none). */
static double
median_epoch_seconds (const ViVaeSnapshot *s,
                      guint                first)
{
  guint n = s->epoch > first ? s->epoch - first : 0;
  g_autofree double *x = NULL;

  if (n == 0)
    return NAN;
  x = g_memdup2 (s->epoch_seconds + first, n * sizeof (double));
  qsort (x, n, sizeof (double), compare_double);
  return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* Epochs of this run: a resumed run's earlier epochs have no seconds. */
static guint
first_epoch (const ViVaeSnapshot *s)
{
  guint first = 0;

  while (first < s->epoch && s->epoch_seconds[first] == 0)
    first++;
  return first;
}

static char *
describe_arch (const ViVaeArch *a)
{
  GString *g = g_string_new (NULL);

  g_string_append_printf (g, "%zu", a->n_in);
  for (guint i = 0; i < a->n_hidden; i++)
    g_string_append_printf (g, "-%zu", a->hidden[i]);
  g_string_append_printf (g, "-%zu", a->latent);
  return g_string_free (g, FALSE);
}

static void
add_json (JsonBuilder *b,
          gpointer     result,
          GVariant    *params,
          double       seconds)
{
  const ViVaeSnapshot *s = result;
  g_autofree char *arch = describe_arch (&s->arch);
  guint first = first_epoch (s);

  (void) params;
  (void) seconds;       /* training time excludes evaluation: the job's */
  json_builder_set_member_name (b, "architecture");
  json_builder_add_string_value (b, arch);
  json_builder_set_member_name (b, "train_images");
  json_builder_add_int_value (b, s->n_train);
  json_builder_set_member_name (b, "test_images");
  json_builder_add_int_value (b, s->n_test);
  json_builder_set_member_name (b, "test_is_train");
  json_builder_add_boolean_value (b, s->test_is_train);
  json_builder_set_member_name (b, "epochs");
  json_builder_add_int_value (b, s->epoch);
  json_builder_set_member_name (b, "batches");
  json_builder_add_int_value (b, (gint64) s->iteration);
  vi_json_add_double_member (b, "seconds", s->seconds);
  vi_json_add_double_member (b, "seconds_per_epoch", median_epoch_seconds (s, first));
  vi_json_add_double_member (b, "gflops_per_second", s->gflops);
  vi_json_add_double_member (b, "cpu_seconds_per_epoch",
                             s->epoch > first ? s->cpu_seconds / (s->epoch - first) : NAN);
  vi_json_add_double_member (b, "train_elbo", last (s->trace_train_elbo, s->trace_len));
  vi_json_add_double_member (b, "test_elbo", last (s->trace_test_elbo, s->trace_len));
  vi_json_add_double_member (b, "test_iwae", s->test_iwae);
  vi_json_add_double_member (b, "reconstruction", s->test_reconstruction);
  vi_json_add_double_member (b, "kl", s->test_kl);
  json_builder_set_member_name (b, "active_units");
  json_builder_add_int_value (b, s->active_units);
  vi_json_add_array_member (b, "kl_per_dim", s->kl_per_dim, s->arch.latent);
  json_builder_set_member_name (b, "trace");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->trace_len; i++)
    {
      double e = s->trace_epoch[i];
      guint k = (guint) e;

      json_builder_begin_object (b);
      vi_json_add_double_member (b, "epoch", e);
      vi_json_add_double_member (b, "seconds", s->trace_seconds[i]);
      if (e == k && k >= 1 && k - 1 >= first && k <= s->epoch)
        vi_json_add_double_member (b, "epoch_seconds", s->epoch_seconds[k - 1]);
      vi_json_add_double_member (b, "train_elbo", s->trace_train_elbo[i]);
      vi_json_add_double_member (b, "test_elbo", s->trace_test_elbo[i]);
      vi_json_add_double_member (b, "reconstruction", s->trace_reconstruction[i]);
      vi_json_add_double_member (b, "kl", s->trace_kl[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_text (GString  *out,
            gpointer  result,
            GVariant *params,
            double    seconds)
{
  const ViVaeSnapshot *s = result;
  g_autofree char *arch = describe_arch (&s->arch);

  (void) params;
  (void) seconds;
  g_string_append_printf (out, "vae %s: %u training images of %u × %u, %u test%s\n", arch,
                          s->n_train, s->rows, s->cols, s->n_test,
                          s->test_is_train ? " (training images)" : "");
  g_string_append_printf (out, "%u epoch%s in %s s (median %s s an epoch, %s GFLOP/s)\n",
                          s->epoch, s->epoch == 1 ? "" : "s", vi_cli_fmt (s->seconds),
                          vi_cli_fmt (median_epoch_seconds (s, first_epoch (s))),
                          vi_cli_fmt (s->gflops));
  g_string_append_printf (out, "train ELBO %s, test ELBO %s (reconstruction %s, KL %s)",
                          vi_cli_fmt (last (s->trace_train_elbo, s->trace_len)),
                          vi_cli_fmt (last (s->trace_test_elbo, s->trace_len)),
                          vi_cli_fmt (s->test_reconstruction), vi_cli_fmt (s->test_kl));
  /* --iwae 0 skips the bound: say nothing rather than "nan". */
  if (isfinite (s->test_iwae))
    g_string_append_printf (out, ", IWAE %s", vi_cli_fmt (s->test_iwae));
  g_string_append_printf (out, " nats an image; %u active units of %zu\n", s->active_units,
                          s->arch.latent);
}

static void
write_csv (GString  *out,
           gpointer  result,
           GVariant *params)
{
  const ViVaeSnapshot *s = result;

  (void) params;
  g_string_append (out, "epoch,seconds,train_elbo,test_elbo,reconstruction,kl\n");
  for (guint i = 0; i < s->trace_len; i++)
    g_string_append_printf (out, "%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", s->trace_epoch[i],
                            s->trace_seconds[i], s->trace_train_elbo[i], s->trace_test_elbo[i],
                            s->trace_reconstruction[i], s->trace_kl[i]);
}

/* --plot: the page's overview, the ELBO curves with their two terms beside
 * the test images and their reconstructions. */
static ViFigure *
build_figure (gpointer   result,
              GVariant  *params,
              double    *width,
              double    *height,
              GError   **error)
{
  (void) params;
  (void) error;
  *width = 900;
  *height = 420;
  return vi_cli_live_figure (1, 2, (ViCliViewFunc) vi_vae_overview_view_build, result);
}

/* --load takes the architecture from the file: an explicit --latent or
 * --hidden that disagrees is a usage error. An unreadable file is left to
 * the job (exit 1, naming it). */
static gboolean
check (GVariantDict  *given,
       GError       **error)
{
  const char *load = NULL;
  ViVaeModel m;
  gint64 latent;
  g_autoptr(GVariant) hidden = NULL;
  gboolean ok = TRUE;

  if (!g_variant_dict_lookup (given, "load-model", "&s", &load) || load[0] == '\0'
      || !vi_vae_model_load (load, &m, NULL))
    return TRUE;
  if (g_variant_dict_lookup (given, "latent", "x", &latent) && (size_t) latent != m.arch.latent)
    ok = vi_cli_usage_error (error, "--latent: %" G_GINT64_FORMAT " disagrees with %s "
                             "(latent %zu)", latent, load, m.arch.latent);
  hidden = g_variant_dict_lookup_value (given, "hidden", G_VARIANT_TYPE ("ax"));
  if (ok && hidden != NULL)
    {
      gsize n = 0;
      const gint64 *h = g_variant_get_fixed_array (hidden, &n, sizeof (gint64));
      gboolean same = n == m.arch.n_hidden;

      for (gsize i = 0; same && i < n; i++)
        same = (size_t) h[i] == m.arch.hidden[i];
      if (!same)
        {
          g_autofree char *arch = describe_arch (&m.arch);

          ok = vi_cli_usage_error (error, "--hidden: disagrees with %s (%s)", load, arch);
        }
    }
  vi_vae_model_clear (&m);
  return ok;
}

const ViCliDescriptor vi_cli_vae_command = {
  .name = "vae",
  .parameter_string = "— a variational autoencoder trained on IDX images",
  .summary =
    "Trains a VAE with a Bernoulli decoder (Kingma & Welling 2014) by Adam on\n"
    "mini-batches of binarised images, and reports the test ELBO with its\n"
    "reconstruction and KL terms, the active latent units, the importance-weighted\n"
    "bound (Burda et al. 2016), seconds per epoch and achieved GFLOP/s.",
  .description =
    "Data: fashion-mnist (Debian's dataset-fashion-mnist; its t10k files are the\n"
    "test set) or idx:IMAGES[,LABELS] (MNIST works too; without --test the metrics\n"
    "use the first 10,000 training images). The default latent dimension is 2 (as\n"
    "on the page); the reference model is --latent 20 --hidden 400.\n"
    "--threads sets OpenBLAS's threads; the job adds none of its own.\n"
    "--save writes parameters, Adam's state, the RNG and the position in the epoch;\n"
    "--load resumes it exactly, with the file's architecture.\n"
    "\nExit status: 0 success, 1 bad data or model file or a diverging run, 2 bad\n"
    "options, 130 interrupted.\n"
    "\nExamples:\n"
    "  elbo-lab-cli vae --latent 20 --epochs 10 --json\n"
    "  elbo-lab-cli vae --data idx:train-images-idx3-ubyte.gz,train-labels-idx1-ubyte.gz \\\n"
    "      --test idx:t10k-images-idx3-ubyte.gz --hidden 500,300 --save model.vae\n"
    "  elbo-lab-cli vae --load model.vae --epochs 20 --csv trace.csv --plot vae.png\n",
  .job_type = &vi_vae_job_type,
  .check = check,
  .csv_help = "Write the trace (epoch, seconds, train_elbo, test_elbo, reconstruction, kl) "
              "as CSV",
  .plot_help = "Draw the ELBO curves (train, test, reconstruction, KL) and the test images "
               "beside their reconstructions to FILE (.png, .svg, .pdf or .csv)",
  .add_json = add_json,
  .print_text = print_text,
  .write_csv = write_csv,
  .build_figure = build_figure,
  .estimate_seconds = vi_cli_vae_estimate_seconds,
};
