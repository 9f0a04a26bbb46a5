/* vi-vae-job.c — the "vae" job: a VAE trained by Adam on mini-batches of
 * IDX images, with test ELBO, reconstructions and the latent space as
 * training goes
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>

#include "vi-blas.h"
#include "vi-optim.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-parallel.h"
#include "vi-vae-job-private.h"

/* The trace keeps at most this many points; when full, every other goes. */
#define TRACE_MAX 1024
/* Without a test set, the metrics use this many training images. */
#define TRAIN_AS_TEST 10000
/* A dimension is active when its mean KL exceeds this (nats). */
#define ACTIVE_KL 0.01
/* Random streams of the seed (vi_rng_create). */
#define STREAM_NOISE 0
#define STREAM_EVAL 1
#define STREAM_SHUFFLE 2

typedef struct
{
  ViVaeSnapshot snap;
  ViVaeData     train, test;
  const ViVaeData *eval;      /* test, or train without one */
  guint32       n_eval;
  ViVae        *vae;
  ViAdamF32    *adam;
  gsl_rng      *rng, *eval_rng;
  guint32       batch, samples, iwae_k;
  guint64       epochs, eval_every, seed;
  gboolean      stochastic;
  double        learning_rate;
  guint32      *order;        /* the shuffle of epoch order_epoch */
  guint64       order_epoch;
  guint64       offset;       /* images of the current epoch done */
  double        train_sum;    /* ELBO sum since the last evaluation */
  guint64       train_count;
  double        epoch_start;  /* snap.seconds when the epoch began */
  double        flop_count;
  float        *x, *eps, *grad, *mu, *logvar;
  char         *save_model;
  gboolean      done;
  /* Data-parallel steps (threads ≥ 2): the batch in n_shards slices, one
   * per worker of the pool, each a ViVae over the shared parameters with
   * single-threaded sgemm; their gradients summed in a fixed order. */
  ViParallel   *par;
  guint         n_shards;
  ViVae       **shards;
  float        *shard_grad;   /* n_shards × n_params */
  ViVaeTerms   *shard_terms;
  int          *shard_status;
} VaeJob;

static const char *const binarize_choices[] = { "threshold", "stochastic", NULL };

static const ViParamSpec vae_params[] = {
  { .key = "data", .type = VI_PARAM_STRING, .flags = VI_PARAM_DATA,
    .help = "Training images: fashion-mnist or idx:IMAGES[,LABELS]", .sdef = "fashion-mnist",
    .cli = { "data", 'd', "SPEC" } },
  { .key = "test", .type = VI_PARAM_STRING, .flags = VI_PARAM_DATA,
    .help = "Test images idx:IMAGES[,LABELS] (default: Fashion-MNIST's t10k files)",
    .cli = { "test", 0, "SPEC" } },
  { .key = "train-limit", .type = VI_PARAM_INT64, .flags = VI_PARAM_DATA,
    .help = "Use only the first N training images (0: all)", .idef = 0, .imin = 0,
    .imax = G_MAXINT32, .cli = { "train-limit", 0, "N" } },
  { .key = "latent", .type = VI_PARAM_INT64, .help = "Latent dimension",
    .idef = 2, .imin = 1, .imax = 1024, .cli = { "latent", 'z', "N" }, .label = "latent %s" },
  { .key = "hidden", .type = VI_PARAM_INT_LIST,
    .help = "Hidden layer sizes of the encoder, mirrored by the decoder (none given: 400; "
            "e.g. 500,300)",
    .imin = 1, .imax = 65536, .cli = { "hidden", 0, "N,…" }, .label = "hidden %s" },
  { .key = "epochs", .type = VI_PARAM_INT64, .help = "Passes over the training images",
    .idef = 10, .imin = 1, .imax = 1000000, .cli = { "epochs", 'e', "N" } },
  { .key = "batch-size", .type = VI_PARAM_INT64, .help = "Images per mini-batch",
    .idef = 128, .imin = 1, .imax = 65536, .cli = { "batch-size", 'b', "B" } },
  { .key = "learning-rate", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_MIN_EXCLUSIVE,
    .help = "Adam's rate α", .def = 1e-3, .min = 0, .max = 1, .cli = { "learning-rate", 0, "A" } },
  { .key = "samples", .type = VI_PARAM_INT64, .help = "Samples L of z per image",
    .idef = 1, .imin = 1, .imax = 1000, .cli = { "samples", 'L', "L" } },
  { .key = "binarize", .type = VI_PARAM_ENUM,
    .help = "Binarise pixels at 0.5, or stochastically each epoch", .sdef = "threshold",
    .choices = binarize_choices, .cli = { "binarize", 0, "HOW" } },
  { .key = "threads", .type = VI_PARAM_INT64,
    .help = "OpenBLAS threads for the matrix products (0: one per processor)",
    .idef = 0, .imin = 0, .imax = 256, .cli = { "threads", 'j', "N" } },
  { .key = "seed", .type = VI_PARAM_UINT64, .help = "Random seed", .udef = 1, .umin = 0,
    .umax = VI_PARAM_SEED_MAX, .cli = { "seed", 's', "S" } },
  { .key = "iwae", .type = VI_PARAM_INT64,
    .help = "Samples k of the importance-weighted test bound at the end (0: skip)",
    .idef = 50, .imin = 0, .imax = 100000, .cli = { "iwae", 0, "K" } },
  { .key = "eval-every", .type = VI_PARAM_INT64,
    .help = "Test metrics every N batches (0: at the end of each epoch)", .idef = 0, .imin = 0,
    .imax = G_GINT64_CONSTANT (1000000000), .cli = { "eval-every", 0, "N" } },
  { .key = "save-model", .type = VI_PARAM_PATH,
    .help = "Write the model (parameters, Adam, RNG, position) to FILE when training ends",
    .cli = { "save", 0, "FILE" } },
  { .key = "load-model", .type = VI_PARAM_PATH, .flags = VI_PARAM_DATA,
    .help = "Resume from a model saved with --save (its architecture wins)",
    .cli = { "load", 0, "FILE" } },
  { NULL }
};

/* ---- validation and creation --------------------------------------------- */

static gboolean
spec_ok (const char *spec,
         gboolean    allow_named)
{
  return (allow_named && strcmp (spec, "fashion-mnist") == 0)
         || (g_str_has_prefix (spec, "idx:") && spec[4] != '\0' && spec[4] != ',');
}

static gboolean
vae_job_validate (GVariant  *params,
                  GError   **error)
{
  const char *data = vi_params_get_string (params, "data");
  const char *test = vi_params_get_string (params, "test");
  gsize n_hidden = 0;

  if (!spec_ok (data, TRUE))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "data: unknown data set '%s' (valid: "
                   "fashion-mnist, idx:IMAGES[,LABELS])", data);
      return FALSE;
    }
  if (test[0] != '\0' && !spec_ok (test, FALSE))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "test: expected idx:IMAGES[,LABELS] (got '%s')",
                   test);
      return FALSE;
    }
  vi_params_get_int_list (params, "hidden", &n_hidden);
  if (n_hidden > VI_VAE_MAX_HIDDEN)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "hidden: at most %d layers (got %" G_GSIZE_FORMAT
                   ")", VI_VAE_MAX_HIDDEN, n_hidden);
      return FALSE;
    }
  return TRUE;
}

static void
vae_job_free (gpointer state)
{
  VaeJob *job = state;

  vi_vae_snapshot_clear (&job->snap);
  for (guint i = 0; i < job->n_shards && job->shards != NULL; i++)
    vi_vae_free (job->shards[i]);
  g_free (job->shards);
  g_free (job->shard_grad);
  g_free (job->shard_terms);
  g_free (job->shard_status);
  vi_parallel_free (job->par);
  vi_vae_data_clear (&job->train);
  vi_vae_data_clear (&job->test);
  g_clear_pointer (&job->vae, vi_vae_free);
  g_clear_pointer (&job->adam, vi_adam_f32_free);
  g_clear_pointer (&job->rng, gsl_rng_free);
  g_clear_pointer (&job->eval_rng, gsl_rng_free);
  g_free (job->order);
  g_free (job->x);
  g_free (job->eps);
  g_free (job->grad);
  g_free (job->mu);
  g_free (job->logvar);
  g_free (job->save_model);
  g_free (job);
}

/* The architecture from the parameters (hidden [] means 400). */
static void
arch_from_params (GVariant  *params,
                  size_t     n_in,
                  ViVaeArch *arch)
{
  gsize n = 0;
  const gint64 *h = vi_params_get_int_list (params, "hidden", &n);

  memset (arch, 0, sizeof *arch);
  arch->n_in = n_in;
  arch->latent = (size_t) vi_params_get_int64 (params, "latent");
  arch->n_hidden = n > 0 ? (guint) n : 1;
  arch->hidden[0] = 400;
  for (gsize i = 0; i < n; i++)
    arch->hidden[i] = (size_t) h[i];
}

/* Restores the run of @path into @job (created with the file's
 * architecture). */
static gboolean
restore (VaeJob      *job,
         ViVaeModel  *m,
         const char  *path,
         GError     **error)
{
  if (strcmp (m->rng_name, gsl_rng_name (job->rng)) != 0 || m->rng_size != gsl_rng_size (job->rng))
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: random generator '%s' of %" G_GSIZE_FORMAT
                   " bytes (this build uses '%s')", path, m->rng_name, m->rng_size,
                   gsl_rng_name (job->rng));
      return FALSE;
    }
  if (m->offset > job->train.images->n)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: position %" G_GUINT64_FORMAT " is past the "
                   "%u training images", path, m->offset, job->train.images->n);
      return FALSE;
    }
  memcpy (gsl_rng_state (job->rng), m->rng_state, m->rng_size);
  memcpy (vi_vae_get_params (job->vae), m->params, m->n_params * sizeof (float));
  memcpy (vi_adam_f32_get_m (job->adam), m->adam_m, m->n_params * sizeof (float));
  memcpy (vi_adam_f32_get_v (job->adam), m->adam_v, m->n_params * sizeof (float));
  vi_adam_f32_set_iteration (job->adam, m->adam_t);
  job->seed = m->seed;
  job->snap.epoch = (guint) m->epoch;
  job->offset = m->offset;
  job->snap.iteration = m->iteration;
  job->train_sum = m->train_sum;
  job->train_count = m->train_count;
  job->snap.seconds = m->seconds;
  job->epoch_start = m->seconds;
  job->snap.epoch_seconds = g_new0 (double, m->epoch);
  return TRUE;
}

static gboolean
job_save (VaeJob      *job,
          const char  *path,
          GError     **error)
{
  ViVaeModel m = {
    .arch = job->snap.arch, .rows = job->snap.rows, .cols = job->snap.cols,
    .seed = job->seed, .epoch = job->snap.epoch, .offset = job->offset,
    .iteration = job->snap.iteration, .train_count = job->train_count,
    .train_sum = job->train_sum, .seconds = job->snap.seconds,
    .learning_rate = job->learning_rate, .n_params = vi_vae_get_n_params (job->vae),
    .params = vi_vae_get_params (job->vae), .adam_m = vi_adam_f32_get_m (job->adam),
    .adam_v = vi_adam_f32_get_v (job->adam), .adam_t = vi_adam_f32_get_iteration (job->adam),
    .rng_name = (char *) gsl_rng_name (job->rng), .rng_state = gsl_rng_state (job->rng),
    .rng_size = gsl_rng_size (job->rng),
  };

  return vi_vae_model_save (path, &m, error);
}

gboolean
vi_vae_job_save_model (ViJob       *job,
                       const char  *path,
                       GError     **error)
{
  g_return_val_if_fail (vi_job_get_type_info (job) == &vi_vae_job_type, FALSE);
  return job_save (vi_job_get_state (job), path, error);
}

static gpointer
vae_job_create (GVariant  *params,
                GError   **error)
{
  const char *load = vi_params_get_string (params, "load-model");
  gint64 threads = vi_params_get_int64 (params, "threads");
  gint64 limit = vi_params_get_int64 (params, "train-limit");
  ViVaeModel model = { 0 };
  VaeJob *job = g_new0 (VaeJob, 1);
  ViVaeArch arch;
  size_t latent;

  job->batch = (guint32) vi_params_get_int64 (params, "batch-size");
  job->samples = (guint32) vi_params_get_int64 (params, "samples");
  job->iwae_k = (guint32) vi_params_get_int64 (params, "iwae");
  job->epochs = (guint64) vi_params_get_int64 (params, "epochs");
  job->eval_every = (guint64) vi_params_get_int64 (params, "eval-every");
  job->seed = vi_params_get_uint64 (params, "seed");
  job->learning_rate = vi_params_get_double (params, "learning-rate");
  job->stochastic = strcmp (vi_params_get_string (params, "binarize"), "stochastic") == 0;
  job->save_model = g_strdup (vi_params_get_string (params, "save-model"));
  job->snap.test_iwae = NAN;
  job->snap.test_reconstruction = NAN;
  job->snap.test_kl = NAN;
  job->order_epoch = G_MAXUINT64;
  /* With n ≥ 2 threads a training step runs on n workers of its own, each
   * on a slice of the batch with single-threaded sgemm (OpenBLAS's threads
   * do not pay on 128-row products); OpenBLAS is kept to one thread so the
   * two never oversubscribe the cores. */
  if (threads == 0)
    threads = (gint64) g_get_num_processors ();
  vi_blas_set_threads (1);

  if (!vi_vae_data_load_all (params, &job->train, &job->test, error))
    goto fail;
  if (limit > 0 && (guint32) limit < job->train.images->n)
    job->train.images->n = (guint32) limit;
  job->eval = job->test.images != NULL ? &job->test : &job->train;
  job->snap.test_is_train = job->test.images == NULL;
  job->n_eval = job->test.images != NULL ? job->test.images->n
                                         : MIN (job->train.images->n, TRAIN_AS_TEST);
  job->snap.rows = job->train.images->rows;
  job->snap.cols = job->train.images->cols;
  job->snap.n_train = job->train.images->n;
  job->snap.n_test = job->n_eval;

  arch_from_params (params, (size_t) job->snap.rows * job->snap.cols, &arch);
  if (load[0] != '\0')
    {
      if (!vi_vae_model_load (load, &model, error))
        goto fail;
      if (model.arch.n_in != arch.n_in)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: a model of %u × %u images, the data "
                       "has %u × %u", load, model.rows, model.cols, job->snap.rows,
                       job->snap.cols);
          goto fail;
        }
      arch = model.arch;
    }
  if (!vi_vae_arch_check (&arch, error))
    goto fail;
  job->snap.arch = arch;
  latent = arch.latent;
  job->rng = vi_rng_create (job->seed, STREAM_NOISE);
  job->eval_rng = vi_rng_create (job->seed, STREAM_EVAL);
  job->vae = vi_vae_create (&arch, job->batch, job->samples, job->rng, error);
  if (job->vae == NULL)
    goto fail;
  job->adam = vi_adam_f32_create (vi_vae_get_n_params (job->vae), (float) job->learning_rate,
                                  0.9f, 0.999f, 1e-8f, error);
  if (job->adam == NULL)
    goto fail;
  if (load[0] != '\0' && !restore (job, &model, load, error))
    goto fail;
  vi_vae_model_clear (&model);
  if (threads >= 2 && job->batch >= 2)
    {
      size_t np = vi_vae_get_n_params (job->vae);

      job->n_shards = (guint) MIN ((gint64) job->batch, threads);
      job->par = vi_parallel_create (job->n_shards, error);
      if (job->par == NULL)
        goto fail;
      job->shards = g_new0 (ViVae *, job->n_shards);
      for (guint i = 0; i < job->n_shards; i++)
        if ((job->shards[i] = vi_vae_create_worker (job->vae, (job->batch + job->n_shards - 1)
                                                               / job->n_shards, error)) == NULL)
          goto fail;
      job->shard_grad = g_try_new (float, job->n_shards * np);
      job->shard_terms = g_new0 (ViVaeTerms, job->n_shards);
      job->shard_status = g_new0 (int, job->n_shards);
      if (job->shard_grad == NULL)
        {
          g_set_error (error, VI_ERROR, VI_ENOMEM, "threads: out of memory for %u gradients",
                       job->n_shards);
          goto fail;
        }
    }
  job->x = g_new (float, (gsize) job->batch * arch.n_in);
  job->eps = g_new (float, (gsize) job->batch * job->samples * latent);
  job->grad = g_new (float, vi_vae_get_n_params (job->vae));
  job->mu = g_new (float, (gsize) job->batch * latent);
  job->logvar = g_new (float, (gsize) job->batch * latent);
  if (job->snap.epoch_seconds == NULL)
    job->snap.epoch_seconds = g_new0 (double, 1);
  job->snap.n_steps = job->snap.iteration;
  if (job->snap.epoch < job->epochs)
    {
      guint64 per_epoch = (job->snap.n_train + job->batch - 1) / job->batch;

      job->snap.n_steps += (job->snap.n_train - job->offset + job->batch - 1) / job->batch
                           + (job->epochs - job->snap.epoch - 1) * per_epoch;
    }
  job->snap.kl_per_dim = g_new0 (double, latent);
  return job;

fail:
  vi_vae_model_clear (&model);
  vae_job_free (job);
  return NULL;
}

/* ---- batches ------------------------------------------------------------- */

/* CPU seconds of the process, every thread's (OpenBLAS's too). */
static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Image @i of @data into @x as 0/1 floats: at 0.5, or against uniforms of
 * (seed, epoch, image) when stochastic — the same for a resumed run. */
static void
binarize (const VaeJob    *job,
          const ViVaeData *data,
          guint32          i,
          guint64          epoch,
          gboolean         stochastic,
          float           *x)
{
  gsize px = (gsize) data->images->rows * data->images->cols;
  const guint8 *p = data->images->pixels + (gsize) i * px;

  if (!stochastic)
    {
      for (gsize j = 0; j < px; j++)
        x[j] = p[j] >= 128 ? 1.0f : 0.0f;
      return;
    }
  guint64 state = vi_rng_stream_seed (job->seed ^ (epoch * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)),
                                      (guint64) i + 1);
  for (gsize j = 0; j < px; j++)
    {
      guint8 u = (guint8) (vi_rng_splitmix64 (&state) >> 56);

      /* P(x = 1) = p / 255 for u uniform on 0 … 254, i.e. u < p */
      while (u == 255)
        u = (guint8) (vi_rng_splitmix64 (&state) >> 56);
      x[j] = u < p[j] ? 1.0f : 0.0f;
    }
}

static void
ensure_order (VaeJob *job)
{
  guint64 epoch = job->snap.epoch;
  gsl_rng *r;

  if (job->order_epoch == epoch)
    return;
  if (job->order == NULL)
    job->order = g_new (guint32, job->snap.n_train);
  for (guint32 i = 0; i < job->snap.n_train; i++)
    job->order[i] = i;
  r = vi_rng_create (job->seed, STREAM_SHUFFLE + epoch);
  gsl_ran_shuffle (r, job->order, job->snap.n_train, sizeof (guint32));
  gsl_rng_free (r);
  job->order_epoch = epoch;
}

static void
fill_noise (gsl_rng *rng,
            float   *eps,
            gsize    n)
{
  for (gsize i = 0; i < n; i++)
    eps[i] = (float) gsl_ran_gaussian_ziggurat (rng, 1.0);
}

/* ---- evaluation ---------------------------------------------------------- */

static void
trace_push (ViVaeSnapshot *s,
            double         train,
            double         test,
            double         recon,
            double         kl,
            double         epoch)
{
  double **arrays[] = { &s->trace_epoch, &s->trace_train_elbo, &s->trace_test_elbo,
                        &s->trace_reconstruction, &s->trace_kl, &s->trace_seconds };
  double values[] = { epoch, train, test, recon, kl, s->seconds };

  if (s->trace_len == TRACE_MAX)
    {
      for (gsize a = 0; a < G_N_ELEMENTS (arrays); a++)
        for (guint i = 0; i < TRACE_MAX / 2; i++)
          (*arrays[a])[i] = (*arrays[a])[2 * i + 1];
      s->trace_len = TRACE_MAX / 2;
    }
  for (gsize a = 0; a < G_N_ELEMENTS (arrays); a++)
    {
      *arrays[a] = g_renew (double, *arrays[a], s->trace_len + 1);
      (*arrays[a])[s->trace_len] = values[a];
    }
  s->trace_len++;
}

/* The first two principal components of the scatter's μ (n × latent) into
 * xy (n × 2). */
static void
project_pca (const float *mu,
             guint        n,
             size_t       latent,
             float       *xy)
{
  gsl_matrix *cov = gsl_matrix_calloc (latent, latent);
  gsl_matrix *vec = gsl_matrix_alloc (latent, latent);
  gsl_vector *val = gsl_vector_alloc (latent);
  gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc (latent);
  g_autofree double *mean = g_new0 (double, latent);

  for (guint i = 0; i < n; i++)
    for (size_t a = 0; a < latent; a++)
      mean[a] += mu[i * latent + a] / n;
  for (guint i = 0; i < n; i++)
    for (size_t a = 0; a < latent; a++)
      for (size_t b = 0; b <= a; b++)
        *gsl_matrix_ptr (cov, a, b) += (mu[i * latent + a] - mean[a])
                                       * (mu[i * latent + b] - mean[b]);
  for (size_t a = 0; a < latent; a++)
    for (size_t b = 0; b < a; b++)
      gsl_matrix_set (cov, b, a, gsl_matrix_get (cov, a, b));
  gsl_eigen_symmv (cov, val, vec, w);
  gsl_eigen_symmv_sort (val, vec, GSL_EIGEN_SORT_VAL_DESC);
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < 2; c++)
      {
        double s = 0;

        for (size_t a = 0; a < latent; a++)
          s += (mu[i * latent + a] - mean[a]) * gsl_matrix_get (vec, a, c);
        xy[2 * i + c] = (float) s;
      }
  gsl_eigen_symmv_free (w);
  gsl_vector_free (val);
  gsl_matrix_free (vec);
  gsl_matrix_free (cov);
}

static void
decode_chunks (VaeJob      *job,
               const float *z,
               gsize        n,
               float       *out)
{
  gsize px = job->snap.arch.n_in, latent = job->snap.arch.latent;

  for (gsize i = 0; i < n; i += job->batch)
    vi_vae_decode (job->vae, z + i * latent, MIN (job->batch, n - i), out + i * px);
}

/* The pictures: showcase and its reconstructions (decoded μ), the latent
 * scatter and, for latent 2, the manifold. @scatter_mu holds the μ of the
 * first n_scatter evaluation images. */
static void
update_pictures (VaeJob      *job,
                 const float *scatter_mu)
{
  ViVaeSnapshot *s = &job->snap;
  gsize px = s->arch.n_in, latent = s->arch.latent, side = VI_VAE_MANIFOLD_SIDE;
  guint shown = MIN (VI_VAE_SHOWCASE, job->n_eval);

  if (s->showcase == NULL)
    {
      s->showcase = g_new0 (float, VI_VAE_SHOWCASE * px);
      s->showcase_recon = g_new0 (float, VI_VAE_SHOWCASE * px);
      for (guint i = 0; i < shown; i++)
        binarize (job, job->eval, i, 0, FALSE, s->showcase + i * px);
    }
  decode_chunks (job, scatter_mu, shown, s->showcase_recon);
  {
    /* The decoder as of now, for the page to decode under its cursor. */
    gsize off = vi_vae_arch_decoder_offset (&s->arch);
    gsize n = vi_vae_get_n_params (job->vae) - off;

    g_clear_pointer (&s->decoder_params, g_atomic_rc_box_release);
    s->decoder_params = g_atomic_rc_box_alloc (n * sizeof (float));
    memcpy (s->decoder_params, vi_vae_get_params (job->vae) + off, n * sizeof (float));
  }
  if (latent == 2)
    memcpy (s->scatter_xy, scatter_mu, 2 * s->n_scatter * sizeof (float));
  else
    project_pca (scatter_mu, s->n_scatter, latent, s->scatter_xy);
  if (latent == 2)
    {
      g_autofree float *z = g_new (float, side * side * 2);

      if (s->manifold == NULL)
        s->manifold = g_new (float, side * side * px);
      /* Row r from the top is the second coordinate's quantile, high first. */
      for (gsize r = 0; r < side; r++)
        for (gsize c = 0; c < side; c++)
          {
            z[2 * (r * side + c)] = (float) gsl_cdf_ugaussian_Pinv ((c + 0.5) / side);
            z[2 * (r * side + c) + 1] = (float) gsl_cdf_ugaussian_Pinv (1 - (r + 0.5) / side);
          }
      decode_chunks (job, z, side * side, s->manifold);
    }
}

/* The evaluation images from @i on into job->x: returns how many (at
 * most a batch), or 0 when *@cancel is raised. */
static guint32
eval_batch (VaeJob     *job,
            guint32     i,
            const gint *cancel)
{
  guint32 n = MIN (job->batch, job->n_eval - i);

  if (g_atomic_int_get (cancel))
    return 0;
  for (guint32 j = 0; j < n; j++)
    binarize (job, job->eval, i + j, 0, FALSE, job->x + j * job->snap.arch.n_in);
  return n;
}

/* Test ELBO with its terms, KL per dimension, scatter and pictures. */
static int
evaluate (VaeJob     *job,
          const gint *cancel)
{
  ViVaeSnapshot *s = &job->snap;
  gsize latent = s->arch.latent;
  guint n_scatter = MIN (job->n_eval, VI_VAE_SCATTER_MAX);
  g_autofree float *scatter_mu = g_new (float, (gsize) n_scatter * latent);
  ViVaeTerms sum = { 0 };
  int status;

  vi_rng_reset (job->eval_rng, job->seed, STREAM_EVAL);
  memset (s->kl_per_dim, 0, latent * sizeof (double));
  for (guint32 i = 0; i < job->n_eval; i += job->batch)
    {
      guint32 n = eval_batch (job, i, cancel);
      ViVaeTerms t;

      if (n == 0)
        return VI_ECANCELLED;
      fill_noise (job->eval_rng, job->eps, (gsize) n * job->samples * latent);
      status = vi_vae_batch (job->vae, job->x, n, job->eps, NULL, &t);
      if (status != VI_OK)
        return status;
      sum.elbo += t.elbo;
      sum.reconstruction += t.reconstruction;
      sum.kl += t.kl;
      vi_vae_encode (job->vae, job->x, n, job->mu, job->logvar);
      for (guint32 j = 0; j < n; j++)
        for (gsize d = 0; d < latent; d++)
          {
            double m = job->mu[j * latent + d], lv = job->logvar[j * latent + d];

            s->kl_per_dim[d] += -0.5 * (1 + lv - m * m - exp (lv)) / job->n_eval;
            if (i + j < n_scatter)
              scatter_mu[(i + j) * latent + d] = (float) m;
          }
    }
  s->active_units = 0;
  for (gsize d = 0; d < latent; d++)
    s->active_units += s->kl_per_dim[d] > ACTIVE_KL;
  if (s->scatter_xy == NULL)
    {
      s->n_scatter = n_scatter;
      s->scatter_xy = g_new (float, 2 * (gsize) n_scatter);
      s->scatter_label = g_new (guint8, n_scatter);
      for (guint i = 0; i < n_scatter; i++)
        s->scatter_label[i] = job->eval->labels != NULL ? job->eval->labels[i] : 255;
      s->scatter_images = g_atomic_rc_box_alloc ((gsize) n_scatter * s->arch.n_in);
      memcpy (s->scatter_images, job->eval->images->pixels, (gsize) n_scatter * s->arch.n_in);
    }
  update_pictures (job, scatter_mu);
  s->test_reconstruction = sum.reconstruction / job->n_eval;
  s->test_kl = sum.kl / job->n_eval;
  trace_push (s, job->train_count > 0 ? job->train_sum / job->train_count : NAN,
              sum.elbo / job->n_eval, s->test_reconstruction, s->test_kl,
              s->epoch + (double) job->offset / MAX (s->n_train, 1));
  job->train_sum = 0;
  job->train_count = 0;
  return VI_OK;
}

/* The importance-weighted bound over the evaluation images. */
static int
evaluate_iwae (VaeJob     *job,
               const gint *cancel)
{
  g_autofree double *out = g_new (double, job->batch);
  double sum = 0;

  vi_rng_reset (job->eval_rng, job->seed, STREAM_EVAL);
  for (guint32 i = 0; i < job->n_eval; i += job->batch)
    {
      guint32 n = eval_batch (job, i, cancel);
      int status;

      if (n == 0)
        return VI_ECANCELLED;
      status = vi_vae_iwae (job->vae, job->x, n, job->iwae_k, job->eval_rng, out);
      if (status != VI_OK)
        return status;
      for (guint32 j = 0; j < n; j++)
        sum += out[j];
    }
  job->snap.test_iwae = sum / job->n_eval;
  return VI_OK;
}

/* ---- stepping ------------------------------------------------------------ */

static int
finish (VaeJob  *job,
        const gint *cancel,
        char   **error_message)
{
  g_autoptr(GError) error = NULL;
  int status = job->iwae_k > 0 ? evaluate_iwae (job, cancel) : VI_OK;

  if (status != VI_OK)
    return status;
  if (job->save_model[0] != '\0' && !job_save (job, job->save_model, &error))
    {
      *error_message = g_strdup (error->message);
      return VI_EIO;
    }
  job->done = TRUE;
  return VI_OK;
}

/* The "threads" table's largest value: stack arrays of one entry a shard. */
#define VI_VAE_MAX_SHARDS 256

typedef struct
{
  VaeJob  *job;
  guint32  n;
} ShardCtx;

/* Slice i of the batch: images [n·i/k, n·(i+1)/k). */
static void
shard_range (guint32  n,
             guint    k,
             guint    i,
             guint32 *from,
             guint32 *count)
{
  guint32 a = (guint32) ((guint64) n * i / k), b = (guint32) ((guint64) n * (i + 1) / k);

  *from = a;
  *count = b - a;
}

static int
shard_task (const ViParallelTask *task,
            gpointer              user_data)
{
  const ShardCtx *ctx = user_data;
  VaeJob *job = ctx->job;
  size_t px = job->snap.arch.n_in, np = vi_vae_get_n_params (job->vae);
  gsize zs = (gsize) job->samples * job->snap.arch.latent;
  guint32 from, count;

  shard_range (ctx->n, job->n_shards, (guint) task->index, &from, &count);
  memset (&job->shard_terms[task->index], 0, sizeof (ViVaeTerms));
  if (count == 0)
    return VI_OK;
  job->shard_status[task->index] =
    vi_vae_batch (job->shards[task->index], job->x + (gsize) from * px, count,
                  job->eps + (gsize) from * zs, job->shard_grad + task->index * np,
                  &job->shard_terms[task->index]);
  return job->shard_status[task->index];
}

/* Entries [from, to) of the parameter vector for range task i of k: cut on
 * 16-float (64-byte) boundaries, so no two threads write one cache line. */
static void
param_range (size_t  np,
             guint   k,
             guint   i,
             size_t *from,
             size_t *to)
{
  size_t blocks = (np + 15) / 16;

  *from = MIN (np, blocks * i / k * 16);
  *to = MIN (np, blocks * (i + 1) / k * 16);
}

typedef struct
{
  VaeJob        *job;
  guint32        n;
  ViAdamF32Step  step;
  int           *finite;   /* one flag a range */
} RangeCtx;

/* job->grad over one range: the slices' means weighted by their share of
 * the batch, summed in slice order (the same sums for any split), and
 * whether it and the parameters there are finite. */
static int
reduce_task (const ViParallelTask *task,
             gpointer              user_data)
{
  RangeCtx *ctx = user_data;
  VaeJob *job = ctx->job;
  size_t np = vi_vae_get_n_params (job->vae), from, to;
  float w[VI_VAE_MAX_SHARDS];
  const float *g[VI_VAE_MAX_SHARDS];
  guint k = 0;

  for (guint i = 0; i < job->n_shards; i++)
    {
      guint32 first, count;

      shard_range (ctx->n, job->n_shards, i, &first, &count);
      if (count == 0)
        continue;
      w[k] = (float) count / (float) ctx->n;
      g[k++] = job->shard_grad + i * np;
    }
  param_range (np, job->n_shards, (guint) task->index, &from, &to);
  for (size_t j = from; j < to; j++)
    {
      float s = w[0] * g[0][j];

      for (guint i = 1; i < k; i++)
        s += w[i] * g[i][j];
      job->grad[j] = s;
    }
  ctx->finite[task->index] = vi_f32_all_finite (job->grad + from, to - from)
                             && vi_f32_all_finite (vi_vae_get_params (job->vae) + from, to - from);
  return VI_OK;
}

static int
adam_task (const ViParallelTask *task,
           gpointer              user_data)
{
  RangeCtx *ctx = user_data;
  VaeJob *job = ctx->job;
  size_t from, to;

  param_range (vi_vae_get_n_params (job->vae), job->n_shards, (guint) task->index, &from, &to);
  vi_adam_f32_update_range (job->adam, &ctx->step, vi_vae_get_params (job->vae), job->grad,
                            from, to);
  return VI_OK;
}

/* One batch: its ELBO terms into @t, the gradient of its mean per image,
 * and Adam's step on it. On the shards when there are: the slices'
 * gradients, then their weighted sum and Adam's step each split over the
 * threads by parameter ranges (deterministic for a thread count; the same
 * step as vi_adam_f32_ascend on the summed gradient). */
static int
batch_step (VaeJob     *job,
            guint32     n,
            ViVaeTerms *t)
{
  int finite[VI_VAE_MAX_SHARDS];
  RangeCtx rctx = { job, n, { 0, 0 }, finite };
  ShardCtx ctx = { job, n };
  int status;

  if (job->n_shards == 0)
    {
      status = vi_vae_batch (job->vae, job->x, n, job->eps, job->grad, t);
      return status == VI_OK ? vi_adam_f32_ascend (job->adam, vi_vae_get_params (job->vae),
                                                   job->grad)
                             : status;
    }
  status = vi_parallel_for (job->par, job->n_shards, job->seed, 0, shard_task, &ctx, NULL);
  if (status != VI_OK)
    return status;
  memset (t, 0, sizeof *t);
  for (guint i = 0; i < job->n_shards; i++)
    {
      t->elbo += job->shard_terms[i].elbo;
      t->reconstruction += job->shard_terms[i].reconstruction;
      t->kl += job->shard_terms[i].kl;
    }
  status = vi_parallel_for (job->par, job->n_shards, job->seed, 0, reduce_task, &rctx, NULL);
  if (status != VI_OK)
    return status;
  /* Check everything before changing anything, as vi_adam_f32_ascend. */
  for (guint i = 0; i < job->n_shards; i++)
    if (!finite[i])
      return VI_ENONFINITE;
  vi_adam_f32_begin (job->adam, &rctx.step);
  return vi_parallel_for (job->par, job->n_shards, job->seed, 0, adam_task, &rctx, NULL);
}

static int
vae_job_step (gpointer    state,
              const gint *cancel,
              char      **error_message)
{
  VaeJob *job = state;
  ViVaeSnapshot *s = &job->snap;
  gsize px = s->arch.n_in, latent = s->arch.latent;
  guint32 n;
  ViVaeTerms t;
  gint64 t0;
  double cpu0;
  int status;

  if (job->done)
    return VI_OK;
  if (s->epoch >= job->epochs)
    return finish (job, cancel, error_message);
  ensure_order (job);
  n = (guint32) MIN ((guint64) job->batch, s->n_train - job->offset);
  t0 = g_get_monotonic_time ();
  cpu0 = cpu_now ();
  for (guint32 j = 0; j < n; j++)
    binarize (job, &job->train, job->order[job->offset + j], s->epoch, job->stochastic,
              job->x + j * px);
  fill_noise (job->rng, job->eps, (gsize) n * job->samples * latent);
  status = batch_step (job, n, &t);
  if (status != VI_OK)
    {
      *error_message = g_strdup_printf ("the ELBO diverged at batch %" G_GUINT64_FORMAT
                                        " (try a smaller learning-rate)", s->iteration + 1);
      return status;
    }
  s->seconds += (g_get_monotonic_time () - t0) * 1e-6;
  s->cpu_seconds += cpu_now () - cpu0;
  job->flop_count += vi_vae_arch_flops (&s->arch) * n * job->samples;
  s->gflops = s->seconds > 0 ? job->flop_count / s->seconds * 1e-9 : NAN;
  job->train_sum += t.elbo;
  job->train_count += n;
  job->offset += n;
  s->iteration++;
  if (job->offset >= s->n_train)
    {
      s->epoch_seconds = g_renew (double, s->epoch_seconds, s->epoch + 1);
      s->epoch_seconds[s->epoch] = s->seconds - job->epoch_start;
      job->epoch_start = s->seconds;
      s->epoch++;
      job->offset = 0;
      if (job->eval_every == 0 && (status = evaluate (job, cancel)) != VI_OK)
        return status;
    }
  else if (job->eval_every > 0 && s->iteration % job->eval_every == 0
           && (status = evaluate (job, cancel)) != VI_OK)
    return status;
  return VI_CONTINUE;
}

static gpointer
vae_job_snapshot (gpointer state)
{
  return vi_vae_snapshot_copy (&((VaeJob *) state)->snap);
}

static void
vae_snapshot_free (gpointer snapshot)
{
  vi_vae_snapshot_free (snapshot);
}

static gpointer
vae_snapshot_keep (gconstpointer snapshot)
{
  return vi_vae_snapshot_keep (snapshot);
}

static guint64
vae_job_get_iteration (gpointer state)
{
  return ((VaeJob *) state)->snap.iteration;
}

static double
vae_job_get_objective (gpointer state)
{
  const ViVaeSnapshot *s = &((VaeJob *) state)->snap;

  return s->trace_len > 0 ? s->trace_test_elbo[s->trace_len - 1] : NAN;
}

static guint64
vae_job_get_n_steps (gpointer state)
{
  return ((VaeJob *) state)->snap.n_steps;
}

const ViJobType vi_vae_job_type = {
  .name = "vae",
  .params = vae_params,
  .validate = vae_job_validate,
  .create = vae_job_create,
  .step = vae_job_step,
  .snapshot = vae_job_snapshot,
  .snapshot_free = vae_snapshot_free,
  .free = vae_job_free,
  .get_iteration = vae_job_get_iteration,
  .get_objective = vae_job_get_objective,
  .get_n_steps = vae_job_get_n_steps,
  .snapshot_keep = vae_snapshot_keep,
};
