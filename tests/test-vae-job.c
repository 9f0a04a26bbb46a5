/* test-vae-job.c — the "vae" job on small IDX fixtures: training improves
 * the test ELBO and fills the snapshot, a model saved mid-epoch resumes
 * bit for bit, and bad model files and data are errors naming the file
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gsl/gsl_cdf.h>

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "vi-core-autocleanups.h"
#include "vi-dataset.h"
#include "vi-job.h"
#include "vi-optim.h"
#include "vi-status.h"
#include "vi-vae-job.h"
#include "vi-test-idx.h"
#include "vi-test-util.h"

static char *fixture_dir, *images_path, *labels_path, *data_spec;

/* A job on the fixture: NULL-terminated key, value (GVariant) pairs after
 * the common small settings. */
static ViJob *
make_job (GError **error,
          ...)
{
  GVariantDict d;
  va_list ap;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "data", "s", data_spec);
  g_variant_dict_insert (&d, "hidden", "@ax", g_variant_new_parsed ("[@x 24]"));
  g_variant_dict_insert (&d, "latent", "x", (gint64) 2);
  g_variant_dict_insert (&d, "batch-size", "x", (gint64) 16);
  g_variant_dict_insert (&d, "threads", "x", (gint64) 1);
  g_variant_dict_insert (&d, "iwae", "x", (gint64) 5);
  va_start (ap, error);
  for (const char *k = va_arg (ap, const char *); k != NULL; k = va_arg (ap, const char *))
    g_variant_dict_insert_value (&d, k, va_arg (ap, GVariant *));
  va_end (ap);
  return vi_job_create (&vi_vae_job_type, g_variant_dict_end (&d), error);
}

static void
run_to_end (ViJob *job)
{
  int status;
  gint cancel = 0;

  while ((status = vi_job_step (job, &cancel)) == VI_CONTINUE)
    ;
  g_assert_cmpint (status, ==, VI_OK);
}

/* The test ELBO of a 2-epoch run on @threads threads. */
static double
test_elbo_with_threads (gint64 threads)
{
  g_autoptr(GError) error = NULL;
  ViJob *job = make_job (&error, "threads", g_variant_new_int64 (threads),
                         "epochs", g_variant_new_int64 (2), NULL);
  ViVaeSnapshot *s;
  double elbo;

  g_assert_no_error (error);
  run_to_end (job);
  s = vi_job_snapshot (job);
  elbo = s->trace_test_elbo[s->trace_len - 1];
  vi_job_snapshot_free (job, s);
  vi_job_free (job);
  return elbo;
}

/* Data-parallel steps: each slice's mean gradient weighted by its share is
 * the batch's mean gradient, so 2 and 3 workers train as 1 does, up to
 * float rounding in the sum; and a thread count gives the same run twice. */
static void
test_shards (void)
{
  double one = test_elbo_with_threads (1), two = test_elbo_with_threads (2);
  double three = test_elbo_with_threads (3);

  g_test_message ("test ELBO after 2 epochs: 1 thread %.6f, 2 threads %.6f, 3 threads %.6f",
                  one, two, three);
  g_assert_true (isfinite (one));
  vi_assert_close (two, one, 0, 1e-3);
  vi_assert_close (three, one, 0, 1e-3);
  g_assert_cmpfloat (test_elbo_with_threads (2), ==, two);
}

static void
test_train (void)
{
  g_autoptr(GError) error = NULL;
  ViJob *job = make_job (&error, "epochs", g_variant_new_int64 (8),
                         "learning-rate", g_variant_new_double (3e-3), NULL);
  ViVaeSnapshot *s;
  double kl_sum = 0;
  gsize px = 64;

  g_assert_no_error (error);
  g_assert_cmpuint (vi_job_get_n_steps (job), ==, 8 * 13);  /* ⌈200 / 16⌉ a epoch */
  run_to_end (job);
  s = vi_job_snapshot (job);
  g_assert_cmpuint (s->epoch, ==, 8);
  g_assert_cmpuint (s->iteration, ==, 8 * 13);
  g_assert_cmpuint (s->n_train, ==, 200);
  g_assert_true (s->test_is_train);
  g_assert_cmpuint (s->n_test, ==, 200);
  g_assert_cmpuint (s->trace_len, ==, 8);
  g_assert_cmpfloat (s->trace_epoch[0], ==, 1.0);
  g_assert_cmpfloat (s->trace_epoch[7], ==, 8.0);
  /* Learning: the test ELBO rises and its terms add up. */
  g_assert_cmpfloat (s->trace_test_elbo[7], >, s->trace_test_elbo[0] + 1);
  for (guint i = 0; i < s->trace_len; i++)
    g_assert_cmpfloat_with_epsilon (s->trace_test_elbo[i],
                                    s->trace_reconstruction[i] - s->trace_kl[i], 1e-6);
  g_assert_true (isfinite (s->trace_train_elbo[0]));
  for (guint d = 0; d < s->arch.latent; d++)
    kl_sum += s->kl_per_dim[d];
  g_assert_cmpfloat_with_epsilon (kl_sum, s->test_kl, 1e-3 * fabs (s->test_kl) + 1e-6);
  g_assert_cmpuint (s->active_units, <=, 2);
  g_assert_true (isfinite (s->test_iwae));
  g_assert_cmpfloat (s->test_iwae, >, s->trace_test_elbo[7] - 1.0);
  g_assert_cmpfloat (s->gflops, >, 0);
  g_assert_cmpfloat (s->seconds, >, 0);
  g_assert_cmpfloat (s->cpu_seconds, >, 0);
  g_assert_cmpfloat_with_epsilon (s->epoch_seconds[0] + s->epoch_seconds[7],
                                  s->trace_seconds[0] + s->trace_seconds[7] - s->trace_seconds[6],
                                  1e-9);
  /* Pictures: binarised showcase, reconstructions and manifold in [0, 1],
   * the scatter labelled by class. */
  for (gsize i = 0; i < VI_VAE_SHOWCASE * px; i++)
    {
      g_assert_true (s->showcase[i] == 0.0f || s->showcase[i] == 1.0f);
      g_assert_true (s->showcase_recon[i] >= 0.0f && s->showcase_recon[i] <= 1.0f);
    }
  g_assert_nonnull (s->manifold);
  for (gsize i = 0; i < VI_VAE_MANIFOLD_SIDE * VI_VAE_MANIFOLD_SIDE * px; i++)
    g_assert_true (s->manifold[i] >= 0.0f && s->manifold[i] <= 1.0f);
  g_assert_cmpuint (s->n_scatter, ==, 200);
  for (guint i = 0; i < s->n_scatter; i++)
    {
      g_assert_cmpuint (s->scatter_label[i], ==, i % 4);
      g_assert_true (isfinite (s->scatter_xy[2 * i]) && isfinite (s->scatter_xy[2 * i + 1]));
    }
  /* The snapshot's decoder decodes as the job did: the manifold's first
   * cell (its z is the quantiles of 0.5/side and 1 − 0.5/side). */
  g_assert_nonnull (s->decoder_params);
  g_assert_nonnull (s->scatter_images);
  {
    g_autofree float *img = g_new (float, px);
    float z[2] = { (float) gsl_cdf_ugaussian_Pinv (0.5 / VI_VAE_MANIFOLD_SIDE),
                   (float) gsl_cdf_ugaussian_Pinv (1 - 0.5 / VI_VAE_MANIFOLD_SIDE) };

    vi_vae_decode_params (&s->arch, s->decoder_params, z, img);
    for (gsize i = 0; i < px; i++)
      g_assert_cmpfloat_with_epsilon (img[i], s->manifold[i], 1e-5);
  }
  /* Shared, not copied, by a second snapshot. */
  {
    ViVaeSnapshot *again = vi_job_snapshot (job);

    g_assert_true (again->decoder_params == s->decoder_params);
    vi_job_snapshot_free (job, again);
  }
  vi_job_snapshot_free (job, s);
  vi_job_free (job);
}

/* Latent > 2: the scatter is the first two principal components (centred,
 * the first with the larger spread), no manifold. */
static void
test_pca (void)
{
  g_autoptr(GError) error = NULL;
  ViJob *job = make_job (&error, "epochs", g_variant_new_int64 (2),
                         "latent", g_variant_new_int64 (5), "iwae", g_variant_new_int64 (0),
                         "binarize", g_variant_new_string ("stochastic"), NULL);
  ViVaeSnapshot *s;
  double m[2] = { 0, 0 }, v[2] = { 0, 0 };

  g_assert_no_error (error);
  run_to_end (job);
  s = vi_job_snapshot (job);
  g_assert_null (s->manifold);
  g_assert_true (isnan (s->test_iwae));
  for (guint i = 0; i < s->n_scatter; i++)
    for (guint c = 0; c < 2; c++)
      {
        m[c] += s->scatter_xy[2 * i + c] / s->n_scatter;
        v[c] += (double) s->scatter_xy[2 * i + c] * s->scatter_xy[2 * i + c];
      }
  g_assert_cmpfloat (fabs (m[0]), <, 1e-3 + 1e-3 * sqrt (v[0]));
  g_assert_cmpfloat (fabs (m[1]), <, 1e-3 + 1e-3 * sqrt (v[1]));
  g_assert_cmpfloat (v[0], >=, v[1] * (1 - 1e-4));
  vi_job_snapshot_free (job, s);
  vi_job_free (job);
}

static void
step_n (ViJob *job,
        guint  n)
{
  gint cancel = 0;

  for (guint i = 0; i < n; i++)
    g_assert_cmpint (vi_job_step (job, &cancel), ==, VI_CONTINUE);
}

/* Save mid-epoch, load into a new job: the following steps equal the
 * uninterrupted run's bit for bit (parameters and trace). */
static void
test_resume (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture_dir, "mid.vae", NULL);
  ViJob *a = make_job (&error, "epochs", g_variant_new_int64 (3),
                       "binarize", g_variant_new_string ("stochastic"), NULL);
  ViJob *b = make_job (&error, "epochs", g_variant_new_int64 (3),
                       "binarize", g_variant_new_string ("stochastic"), NULL);
  ViJob *c;
  ViVaeSnapshot *sa, *sc;

  g_assert_no_error (error);
  step_n (b, 13 + 5);    /* one epoch and 5 batches */
  g_assert_true (vi_vae_job_save_model (b, path, &error));
  g_assert_no_error (error);
  vi_job_free (b);
  /* Different latent and hidden settings: the file's architecture wins. */
  c = make_job (&error, "epochs", g_variant_new_int64 (3), "latent", g_variant_new_int64 (7),
                "binarize", g_variant_new_string ("stochastic"),
                "load-model", g_variant_new_string (path), NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (vi_job_get_iteration (c), ==, 18);
  run_to_end (a);
  run_to_end (c);
  sa = vi_job_snapshot (a);
  sc = vi_job_snapshot (c);
  g_assert_cmpuint (sc->arch.latent, ==, 2);
  g_assert_cmpuint (sc->iteration, ==, sa->iteration);
  g_assert_cmpuint (sc->trace_len, ==, 2);   /* the epochs after the load */
  g_assert_cmpfloat (sc->trace_test_elbo[1], ==, sa->trace_test_elbo[2]);
  g_assert_cmpfloat (sc->trace_train_elbo[1], ==, sa->trace_train_elbo[2]);
  g_assert_cmpfloat (sc->trace_train_elbo[0], ==, sa->trace_train_elbo[1]);
  g_assert_cmpfloat (sc->test_iwae, ==, sa->test_iwae);
  g_assert_cmpmem (sc->showcase_recon, VI_VAE_SHOWCASE * 64 * sizeof (float),
                   sa->showcase_recon, VI_VAE_SHOWCASE * 64 * sizeof (float));
  vi_job_snapshot_free (a, sa);
  vi_job_snapshot_free (c, sc);
  vi_job_free (a);
  vi_job_free (c);
  g_unlink (path);
}

/* Model files: round trip of every field; corrupt, truncated, wrong
 * version and missing files are errors naming the file. */
static void
test_model_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture_dir, "m.vae", NULL);
  g_autofree char *bad = g_build_filename (fixture_dir, "bad.vae", NULL);
  g_autofree char *data = NULL;
  ViJob *job = make_job (&error, "epochs", g_variant_new_int64 (1),
                         "hidden", g_variant_new_parsed ("[@x 12, 10]"), NULL);
  ViVaeModel m;
  gsize len;
  struct { gsize at; gssize cut; const char *says; } cases[] = {
    { 0, -1, "not an ELBO Lab VAE model" },       /* bad magic */
    { 8, -1, "version" },
    { 100, -1, "checksum" },
    { G_MAXSIZE, 200, "checksum" },                /* truncated */
    { G_MAXSIZE, 20, "too short" },
  };

  g_assert_no_error (error);
  step_n (job, 3);
  g_assert_true (vi_vae_job_save_model (job, path, &error));
  g_assert_true (vi_vae_model_load (path, &m, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m.arch.n_hidden, ==, 2);
  g_assert_cmpuint (m.arch.hidden[0], ==, 12);
  g_assert_cmpuint (m.arch.hidden[1], ==, 10);
  g_assert_cmpuint (m.arch.latent, ==, 2);
  g_assert_cmpuint (m.arch.n_in, ==, 64);
  g_assert_cmpuint (m.iteration, ==, 3);
  g_assert_cmpuint (m.offset, ==, 48);
  g_assert_cmpuint (m.adam_t, ==, 3);
  g_assert_cmpuint (m.seed, ==, 1);
  g_assert_cmpuint (m.n_params, ==, vi_vae_arch_n_params (&m.arch));
  vi_vae_model_clear (&m);
  vi_job_free (job);

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autofree char *copy = g_memdup2 (data, len);

      if (cases[i].at != G_MAXSIZE)
        copy[cases[i].at] ^= 0x5a;
      g_assert_true (g_file_set_contents (bad, copy, cases[i].cut >= 0 ? cases[i].cut
                                                                        : (gssize) len, NULL));
      g_assert_false (vi_vae_model_load (bad, &m, &e));
      g_assert_error (e, VI_ERROR, VI_EFORMAT);
      g_assert_nonnull (strstr (e->message, bad));
      if (strstr (e->message, cases[i].says) == NULL)
        g_error ("case %" G_GSIZE_FORMAT ": '%s' does not say '%s'", i, e->message,
                 cases[i].says);
      /* The job refuses it too. */
      g_clear_error (&e);
      g_assert_null (make_job (&e, "load-model", g_variant_new_string (bad), NULL));
      g_assert_nonnull (e);
      g_assert_nonnull (strstr (e->message, bad));
    }
  g_assert_false (vi_vae_model_load ("/nonexistent/x.vae", &m, &error));
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_unlink (bad);
  g_unlink (path);
}

/* Bad settings and data: errors name the key or the file. */
static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trunc = g_build_filename (fixture_dir, "trunc-idx3-ubyte", NULL);
  g_autofree char *spec = g_strdup_printf ("idx:%s", trunc);
  g_autofree char *wrong = g_strdup_printf ("idx:%s,%s", images_path, images_path);
  g_autofree char *data = NULL;
  gsize len;

  g_assert_null (make_job (&error, "data", g_variant_new_string ("mnist"), NULL));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_nonnull (strstr (error->message, "data"));
  g_clear_error (&error);
  g_assert_null (make_job (&error, "test", g_variant_new_string ("fashion-mnist"), NULL));
  g_assert_nonnull (strstr (error->message, "test"));
  g_clear_error (&error);
  g_assert_null (make_job (&error, "hidden", g_variant_new_parsed ("[@x 4, 4, 4, 4, 4]"), NULL));
  g_assert_nonnull (strstr (error->message, "hidden"));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (images_path, &data, &len, NULL));
  g_assert_true (g_file_set_contents (trunc, data, (gssize) len - 10, NULL));
  g_assert_null (make_job (&error, "data", g_variant_new_string (spec), NULL));
  g_assert_nonnull (strstr (error->message, trunc));
  g_clear_error (&error);
  /* Labels that are images. */
  g_assert_null (make_job (&error, "data", g_variant_new_string (wrong), NULL));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, images_path));
  g_unlink (trunc);
}

/* The data sets go through the dataset cache: loaded once (off the UI
 * thread in the app) and shared, a job's train-limit lowering only its own
 * count; a file that cannot be loaded is an error naming it. */
static void
test_data_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autofree char *missing = g_build_filename (fixture_dir, "missing-idx3-ubyte", NULL);
  g_autofree char *spec = g_strdup_printf ("idx:%s", missing);
  ViDataset *again;
  ViVaeSnapshot *s;
  GVariantDict d;
  ViJob *job;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "data", "s", data_spec);
  params = vi_job_validate (&vi_vae_job_type, g_variant_dict_end (&d), &error);
  g_assert_no_error (error);
  sets = vi_vae_job_load_data (params, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sets->len, ==, 2);   /* the images and their labels */
  g_assert_cmpint (vi_dataset_get_kind (sets->pdata[0]), ==, VI_DATASET_IDX_IMAGES);
  g_assert_cmpint (vi_dataset_get_kind (sets->pdata[1]), ==, VI_DATASET_IDX_LABELS);
  again = vi_dataset_load (images_path, VI_DATASET_IDX_IMAGES, &error);
  g_assert_no_error (error);
  g_assert_true (again == sets->pdata[0]);
  vi_dataset_unref (again);

  job = make_job (&error, "train-limit", g_variant_new_int64 (50), NULL);
  g_assert_no_error (error);
  s = vi_job_snapshot (job);
  g_assert_cmpuint (s->n_train, ==, 50);
  vi_job_snapshot_free (job, s);
  vi_job_free (job);
  g_assert_cmpuint (vi_dataset_get_images (sets->pdata[0])->n, ==, 200);
  job = make_job (&error, NULL);
  g_assert_no_error (error);
  s = vi_job_snapshot (job);
  g_assert_cmpuint (s->n_train, ==, 200);
  vi_job_snapshot_free (job, s);
  vi_job_free (job);

  g_variant_unref (params);
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "data", "s", spec);
  params = vi_job_validate (&vi_vae_job_type, g_variant_dict_end (&d), &error);
  g_assert_no_error (error);
  g_assert_null (vi_vae_job_load_data (params, &error));
  g_assert_error (error, VI_ERROR, VI_EIO);
  g_assert_nonnull (strstr (error->message, missing));
}

/* The real Fashion-MNIST, when installed: a short run on 2,000 images. */
static void
test_fashion_mnist (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = vi_idx_dup_fashion_mnist_path ("train-images-idx3-ubyte.gz", &error);
  GVariantDict d;
  ViJob *job;
  ViVaeSnapshot *s;

  if (path == NULL)
    {
      g_assert_nonnull (strstr (error->message, "apt"));
      g_test_skip ("dataset-fashion-mnist is not installed");
      return;
    }
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "train-limit", "x", (gint64) 2000);
  g_variant_dict_insert (&d, "epochs", "x", (gint64) 1);
  g_variant_dict_insert (&d, "iwae", "x", (gint64) 0);
  g_variant_dict_insert (&d, "threads", "x", (gint64) 1);
  job = vi_job_create (&vi_vae_job_type, g_variant_dict_end (&d), &error);
  g_assert_no_error (error);
  run_to_end (job);
  s = vi_job_snapshot (job);
  g_assert_cmpuint (s->rows, ==, 28);
  g_assert_cmpuint (s->n_test, ==, 10000);
  g_assert_false (s->test_is_train);
  g_assert_true (isfinite (s->trace_test_elbo[0]) && s->trace_test_elbo[0] < 0);
  for (guint i = 0; i < s->n_scatter; i++)
    g_assert_cmpuint (s->scatter_label[i], <, 10);
  vi_job_snapshot_free (job, s);
  vi_job_free (job);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture_dir = vi_test_idx_write (200, 8, &images_path, &labels_path);
  data_spec = g_strdup_printf ("idx:%s,%s", images_path, labels_path);
  g_test_add_func ("/core/vae-job/train", test_train);
  g_test_add_func ("/core/vae-job/shards", test_shards);
  g_test_add_func ("/core/vae-job/pca", test_pca);
  g_test_add_func ("/core/vae-job/resume", test_resume);
  g_test_add_func ("/core/vae-job/model-files", test_model_files);
  g_test_add_func ("/core/vae-job/errors", test_errors);
  g_test_add_func ("/core/vae-job/data-cache", test_data_cache);
  g_test_add_func ("/core/vae-job/fashion-mnist", test_fashion_mnist);
  status = g_test_run ();
  vi_test_idx_remove (fixture_dir);
  g_free (fixture_dir);
  g_free (images_path);
  g_free (labels_path);
  g_free (data_spec);
  return status;
}
