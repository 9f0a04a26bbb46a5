/* vi-vae-job-io.c — the vae job's data sets, model files and snapshots
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vi-output.h"
#include "vi-status.h"
#include "vi-vae-job-private.h"

#define SUM_BYTES 64   /* SHA-256 in hexadecimal */
#define MAX_RNG_BYTES (1u << 16)

/* ---- data ---------------------------------------------------------------- */

static gboolean
load_pair (const char  *images_path,
           const char  *labels_path,
           ViVaeData   *data,
           GError     **error)
{
  guint32 n = 0;

  data->image_set = vi_dataset_load (images_path, VI_DATASET_IDX_IMAGES, error);
  if (data->image_set == NULL)
    return FALSE;
  data->images = g_memdup2 (vi_dataset_get_images (data->image_set), sizeof (ViIdxImages));
  if (labels_path == NULL)
    return TRUE;
  data->label_set = vi_dataset_load (labels_path, VI_DATASET_IDX_LABELS, error);
  if (data->label_set == NULL)
    return FALSE;
  data->labels = vi_dataset_get_labels (data->label_set, &n);
  if (n != data->images->n)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: %u labels for the %u images of %s",
                   labels_path, n, data->images->n, images_path);
      return FALSE;
    }
  return TRUE;
}

gboolean
vi_vae_data_load (const char  *spec,
                  gboolean     test,
                  ViVaeData   *data,
                  GError     **error)
{
  memset (data, 0, sizeof *data);
  if (strcmp (spec, "fashion-mnist") == 0)
    {
      const char *prefix = test ? "t10k" : "train";
      g_autofree char *iname = g_strdup_printf ("%s-images-idx3-ubyte.gz", prefix);
      g_autofree char *lname = g_strdup_printf ("%s-labels-idx1-ubyte.gz", prefix);
      g_autofree char *ipath = vi_idx_dup_fashion_mnist_path (iname, error);
      g_autofree char *lpath = ipath != NULL ? vi_idx_dup_fashion_mnist_path (lname, error) : NULL;

      if (lpath == NULL || !load_pair (ipath, lpath, data, error))
        goto fail;
      return TRUE;
    }
  if (g_str_has_prefix (spec, "idx:") && spec[4] != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (spec + 4, ",", 2);

      if (!load_pair (parts[0], parts[1] != NULL && parts[1][0] != '\0' ? parts[1] : NULL,
                      data, error))
        goto fail;
      return TRUE;
    }
  g_set_error (error, VI_ERROR, VI_EINVAL,
               "data: unknown data set '%s' (valid: fashion-mnist, idx:IMAGES[,LABELS])", spec);
fail:
  vi_vae_data_clear (data);
  return FALSE;
}

gboolean
vi_vae_data_load_all (GVariant   *params,
                      ViVaeData  *train,
                      ViVaeData  *test,
                      GError    **error)
{
  const char *data = vi_params_get_string (params, "data");
  const char *test_spec = vi_params_get_string (params, "test");

  memset (test, 0, sizeof *test);
  if (!vi_vae_data_load (data, FALSE, train, error))
    return FALSE;
  if (test_spec[0] == '\0' && strcmp (data, "fashion-mnist") != 0)
    return TRUE;
  if (!vi_vae_data_load (test_spec[0] != '\0' ? test_spec : "fashion-mnist", TRUE, test, error))
    return FALSE;
  if (test->images->rows != train->images->rows || test->images->cols != train->images->cols)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "test: images of %u × %u, the training "
                   "images are %u × %u", test->images->rows, test->images->cols,
                   train->images->rows, train->images->cols);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
vi_vae_job_load_data (GVariant  *params,
                      GError   **error)
{
  GPtrArray *sets = g_ptr_array_new_with_free_func ((GDestroyNotify) vi_dataset_unref);
  ViVaeData d[2];
  gboolean ok = vi_vae_data_load_all (params, &d[0], &d[1], error);

  for (guint i = 0; i < 2; i++)
    {
      if (ok && d[i].image_set != NULL)
        g_ptr_array_add (sets, vi_dataset_ref (d[i].image_set));
      if (ok && d[i].label_set != NULL)
        g_ptr_array_add (sets, vi_dataset_ref (d[i].label_set));
      vi_vae_data_clear (&d[i]);
    }
  if (!ok)
    g_clear_pointer (&sets, g_ptr_array_unref);
  return sets;
}

void
vi_vae_data_clear (ViVaeData *data)
{
  /* The pixels and labels belong to the datasets. */
  g_clear_pointer (&data->images, g_free);
  data->labels = NULL;
  g_clear_pointer (&data->image_set, vi_dataset_unref);
  g_clear_pointer (&data->label_set, vi_dataset_unref);
}

/* ---- model files --------------------------------------------------------- */

static void
put_u32 (GByteArray *b,
         guint32     v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (b, (const guint8 *) &le, 4);
}

/* Low word first: little-endian as a whole. */
static void
put_u64 (GByteArray *b,
         guint64     v)
{
  put_u32 (b, (guint32) v);
  put_u32 (b, (guint32) (v >> 32));
}

static void
put_f64 (GByteArray *b,
         double      v)
{
  guint64 u;

  memcpy (&u, &v, 8);
  put_u64 (b, u);
}

static void
put_floats (GByteArray  *b,
            const float *x,
            size_t       n)
{
  for (size_t i = 0; i < n; i++)
    {
      guint32 u;

      memcpy (&u, &x[i], 4);
      put_u32 (b, u);
    }
}

/* The SHA-256 of @data as 64 hexadecimal digits into @out. */
static void
sha256 (const guint8 *data,
        gsize         len,
        guint8        out[SUM_BYTES])
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);

  memcpy (out, hex, SUM_BYTES);
}

gboolean
vi_vae_model_save (const char        *path,
                   const ViVaeModel  *m,
                   GError           **error)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint8 sum[SUM_BYTES];
  gsize name_len = strlen (m->rng_name);

  g_byte_array_append (b, (const guint8 *) VI_VAE_MODEL_MAGIC, 8);
  put_u32 (b, VI_VAE_MODEL_VERSION);
  put_u32 (b, (guint32) m->arch.n_in);
  put_u32 (b, m->rows);
  put_u32 (b, m->cols);
  put_u32 (b, m->arch.n_hidden);
  for (guint i = 0; i < VI_VAE_MAX_HIDDEN; i++)
    put_u32 (b, i < m->arch.n_hidden ? (guint32) m->arch.hidden[i] : 0);
  put_u32 (b, (guint32) m->arch.latent);
  put_u64 (b, m->seed);
  put_u64 (b, m->epoch);
  put_u64 (b, m->offset);
  put_u64 (b, m->iteration);
  put_u64 (b, m->train_count);
  put_f64 (b, m->train_sum);
  put_f64 (b, m->seconds);
  put_f64 (b, m->learning_rate);
  put_u64 (b, m->n_params);
  put_u64 (b, m->adam_t);
  put_u32 (b, (guint32) name_len);
  g_byte_array_append (b, (const guint8 *) m->rng_name, (guint) name_len);
  put_u32 (b, (guint32) m->rng_size);
  g_byte_array_append (b, m->rng_state, (guint) m->rng_size);
  put_floats (b, m->params, m->n_params);
  put_floats (b, m->adam_m, m->n_params);
  put_floats (b, m->adam_v, m->n_params);
  sha256 (b->data, b->len, sum);
  g_byte_array_append (b, sum, SUM_BYTES);
  return vi_output_write_file (path, b->data, b->len, error);
}

/* A bounds-checked reader over the file's bytes. */
typedef struct
{
  const guint8 *p, *end;
  gboolean      short_read;
} Reader;

static const guint8 *
take (Reader *r,
      gsize   n)
{
  const guint8 *p = r->p;

  if (r->short_read || (gsize) (r->end - r->p) < n)
    {
      r->short_read = TRUE;
      return NULL;
    }
  r->p += n;
  return p;
}

static guint32
get_u32 (Reader *r)
{
  const guint8 *p = take (r, 4);
  guint32 v = 0;

  if (p != NULL)
    memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
get_u64 (Reader *r)
{
  guint64 lo = get_u32 (r);

  return lo | (guint64) get_u32 (r) << 32;
}

static double
get_f64 (Reader *r)
{
  guint64 u = get_u64 (r);
  double v;

  memcpy (&v, &u, 8);
  return v;
}

static float *
get_floats (Reader *r,
            size_t  n)
{
  float *x = g_new (float, n);

  for (size_t i = 0; i < n; i++)
    {
      guint32 u = get_u32 (r);

      memcpy (&x[i], &u, 4);
    }
  return x;
}

static gboolean
model_fail (GError     **error,
            const char  *path,
            const char  *what)
{
  g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: %s", path, what);
  return FALSE;
}

gboolean
vi_vae_model_load (const char  *path,
                   ViVaeModel  *m,
                   GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GError) arch_error = NULL;
  gsize len = 0;
  guint8 sum[SUM_BYTES];
  Reader r;
  guint32 version, name_len;
  const guint8 *name;

  memset (m, 0, sizeof *m);
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: %s", path, local->message);
      return FALSE;
    }
  if (len < 12 + SUM_BYTES || memcmp (data, VI_VAE_MODEL_MAGIC, 8) != 0)
    return model_fail (error, path, len < 12 + SUM_BYTES ? "not an ELBO Lab VAE model (too short)"
                                                         : "not an ELBO Lab VAE model");
  r.p = (const guint8 *) data + 8;
  r.end = (const guint8 *) data + len - SUM_BYTES;
  r.short_read = FALSE;
  version = get_u32 (&r);
  if (version != VI_VAE_MODEL_VERSION)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: model format version %u (this build reads %u)",
                   path, version, VI_VAE_MODEL_VERSION);
      return FALSE;
    }
  sha256 ((const guint8 *) data, len - SUM_BYTES, sum);
  if (memcmp (sum, data + len - SUM_BYTES, SUM_BYTES) != 0)
    return model_fail (error, path, "checksum mismatch (corrupt or truncated file)");
  m->arch.n_in = get_u32 (&r);
  m->rows = get_u32 (&r);
  m->cols = get_u32 (&r);
  m->arch.n_hidden = get_u32 (&r);
  for (guint i = 0; i < VI_VAE_MAX_HIDDEN; i++)
    {
      guint32 h = get_u32 (&r);

      if (i < VI_VAE_MAX_HIDDEN)
        m->arch.hidden[i] = h;
    }
  m->arch.latent = get_u32 (&r);
  if (m->arch.n_hidden > VI_VAE_MAX_HIDDEN || (gsize) m->rows * m->cols != m->arch.n_in
      || !vi_vae_arch_check (&m->arch, &arch_error))
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: bad architecture (%s)", path,
                   arch_error != NULL ? arch_error->message : "sizes disagree");
      return FALSE;
    }
  m->seed = get_u64 (&r);
  m->epoch = get_u64 (&r);
  m->offset = get_u64 (&r);
  m->iteration = get_u64 (&r);
  m->train_count = get_u64 (&r);
  m->train_sum = get_f64 (&r);
  m->seconds = get_f64 (&r);
  m->learning_rate = get_f64 (&r);
  m->n_params = get_u64 (&r);
  m->adam_t = get_u64 (&r);
  if (m->n_params != vi_vae_arch_n_params (&m->arch))
    return model_fail (error, path, "parameter count disagrees with the architecture");
  name_len = get_u32 (&r);
  name = name_len < 256 ? take (&r, name_len) : NULL;
  m->rng_size = get_u32 (&r);
  if (name == NULL || m->rng_size > MAX_RNG_BYTES
      || (gsize) (r.end - r.p) != m->rng_size + 3 * m->n_params * sizeof (float))
    {
      vi_vae_model_clear (m);
      return model_fail (error, path, "truncated or corrupt (sizes disagree)");
    }
  m->rng_name = g_strndup ((const char *) name, name_len);
  m->rng_state = g_memdup2 (take (&r, m->rng_size), m->rng_size);
  m->params = get_floats (&r, m->n_params);
  m->adam_m = get_floats (&r, m->n_params);
  m->adam_v = get_floats (&r, m->n_params);
  return TRUE;
}

void
vi_vae_model_clear (ViVaeModel *m)
{
  g_clear_pointer (&m->params, g_free);
  g_clear_pointer (&m->adam_m, g_free);
  g_clear_pointer (&m->adam_v, g_free);
  g_clear_pointer (&m->rng_name, g_free);
  g_clear_pointer (&m->rng_state, g_free);
}

/* ---- snapshots ----------------------------------------------------------- */

#define DUP(p, n) ((p) != NULL ? g_memdup2 ((p), (gsize) (n) * sizeof *(p)) : NULL)

/* @c's own copies of @snap's traces, the part a kept copy has too. */
static void
copy_traces (ViVaeSnapshot       *c,
             const ViVaeSnapshot *snap)
{
  c->trace_epoch = DUP (snap->trace_epoch, snap->trace_len);
  c->trace_train_elbo = DUP (snap->trace_train_elbo, snap->trace_len);
  c->trace_test_elbo = DUP (snap->trace_test_elbo, snap->trace_len);
  c->trace_reconstruction = DUP (snap->trace_reconstruction, snap->trace_len);
  c->trace_kl = DUP (snap->trace_kl, snap->trace_len);
  c->trace_seconds = DUP (snap->trace_seconds, snap->trace_len);
}

ViVaeSnapshot *
vi_vae_snapshot_copy (const ViVaeSnapshot *snap)
{
  ViVaeSnapshot *c = (g_atomic_rc_box_dup) (sizeof *snap, snap);
  gsize px = (gsize) snap->rows * snap->cols;
  gsize side = VI_VAE_MANIFOLD_SIDE;

  copy_traces (c, snap);
  c->epoch_seconds = DUP (snap->epoch_seconds, snap->epoch);
  c->kl_per_dim = DUP (snap->kl_per_dim, snap->arch.latent);
  c->showcase = DUP (snap->showcase, VI_VAE_SHOWCASE * px);
  c->showcase_recon = DUP (snap->showcase_recon, VI_VAE_SHOWCASE * px);
  c->scatter_xy = DUP (snap->scatter_xy, 2 * snap->n_scatter);
  c->scatter_label = DUP (snap->scatter_label, snap->n_scatter);
  c->manifold = DUP (snap->manifold, side * side * px);
  /* Shared, not copied: immutable boxes the job replaces at evaluations. */
  if (snap->decoder_params != NULL)
    c->decoder_params = g_atomic_rc_box_acquire (snap->decoder_params);
  if (snap->scatter_images != NULL)
    c->scatter_images = g_atomic_rc_box_acquire (snap->scatter_images);
  return c;
}

ViVaeSnapshot *
vi_vae_snapshot_keep (const ViVaeSnapshot *snap)
{
  ViVaeSnapshot *c = (g_atomic_rc_box_dup) (sizeof *snap, snap);

  copy_traces (c, snap);
  /* The rest, MBs of images and the decoder, is what the page shows of
   * the live run only. */
  c->epoch_seconds = NULL;
  c->kl_per_dim = NULL;
  c->showcase = c->showcase_recon = NULL;
  c->n_scatter = 0;
  c->scatter_xy = NULL;
  c->scatter_label = NULL;
  c->manifold = NULL;
  c->decoder_params = NULL;
  c->scatter_images = NULL;
  return c;
}

void
vi_vae_snapshot_clear (ViVaeSnapshot *s)
{
  g_free (s->trace_epoch);
  g_free (s->trace_train_elbo);
  g_free (s->trace_test_elbo);
  g_free (s->trace_reconstruction);
  g_free (s->trace_kl);
  g_free (s->trace_seconds);
  g_free (s->epoch_seconds);
  g_free (s->kl_per_dim);
  g_free (s->showcase);
  g_free (s->showcase_recon);
  g_free (s->scatter_xy);
  g_free (s->scatter_label);
  g_free (s->manifold);
  g_clear_pointer (&s->decoder_params, g_atomic_rc_box_release);
  g_clear_pointer (&s->scatter_images, g_atomic_rc_box_release);
}

void
vi_vae_snapshot_free (ViVaeSnapshot *snap)
{
  if (snap != NULL)
    g_atomic_rc_box_release_full (snap, (GDestroyNotify) vi_vae_snapshot_clear);
}
