/* vi-dataset.c — data files loaded once, shared by reference and keyed by
 * path and SHA-256 (see vi-dataset.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vi-counts.h"
#include "vi-dataset.h"
#include "vi-status.h"

struct _ViDataset
{
  gatomicrefcount ref;
  ViDatasetKind kind;
  char *path;
  char *sha256;
  guint64 *counts;
  ViIdxImages *images;
  guint8 *labels;
  size_t n;
  /* The file as loaded, and when (wall clock, µs); guarded by cache_lock
   * while cached. */
  struct stat st;
  gint64 loaded_at;
};

/* A stat is trusted only for a load made this long after the file's last
 * change: a rewrite within one tick of a coarse clock keeps the mtime (and
 * maybe the size), so a recent file is hashed again ("racy" stat). */
#define RACY_US (2 * G_USEC_PER_SEC)

/* path → ViDataset (a weak entry: the last unref removes it). */
static GMutex cache_lock;
static GHashTable *cache;

static void
dataset_free (ViDataset *d)
{
  g_free (d->path);
  g_free (d->sha256);
  g_free (d->counts);
  g_clear_pointer (&d->images, vi_idx_images_free);
  g_free (d->labels);
  g_free (d);
}

ViDataset *
vi_dataset_ref (ViDataset *dataset)
{
  g_return_val_if_fail (dataset != NULL, NULL);
  g_atomic_ref_count_inc (&dataset->ref);
  return dataset;
}

void
vi_dataset_unref (ViDataset *dataset)
{
  if (dataset == NULL)
    return;
  /* The cache's entry is weak: drop it under the lock, so that a load
   * cannot revive a dataset whose count just reached zero. */
  g_mutex_lock (&cache_lock);
  if (!g_atomic_ref_count_dec (&dataset->ref))
    {
      g_mutex_unlock (&cache_lock);
      return;
    }
  if (cache != NULL && g_hash_table_lookup (cache, dataset->path) == dataset)
    g_hash_table_remove (cache, dataset->path);
  g_mutex_unlock (&cache_lock);
  dataset_free (dataset);
}

const char *
vi_dataset_get_path (ViDataset *dataset)
{
  return dataset->path;
}

const char *
vi_dataset_get_sha256 (ViDataset *dataset)
{
  return dataset->sha256;
}

ViDatasetKind
vi_dataset_get_kind (ViDataset *dataset)
{
  return dataset->kind;
}

const guint64 *
vi_dataset_get_counts (ViDataset *dataset,
                       size_t    *n)
{
  g_return_val_if_fail (dataset->kind == VI_DATASET_COUNTS, NULL);
  *n = dataset->n;
  return dataset->counts;
}

const ViIdxImages *
vi_dataset_get_images (ViDataset *dataset)
{
  g_return_val_if_fail (dataset->kind == VI_DATASET_IDX_IMAGES, NULL);
  return dataset->images;
}

const guint8 *
vi_dataset_get_labels (ViDataset *dataset,
                       guint32   *n)
{
  g_return_val_if_fail (dataset->kind == VI_DATASET_IDX_LABELS, NULL);
  *n = (guint32) dataset->n;
  return dataset->labels;
}

/* FALSE and @error unless @path is a regular file; a path that cannot be
 * examined passes (the reader then says why it cannot be read). */
static gboolean
check_regular (const char   *path,
               struct stat  *st,
               gboolean     *exists,
               GError      **error)
{
  *exists = g_stat (path, (GStatBuf *) st) == 0;
  if (*exists && !S_ISREG (st->st_mode))
    {
      g_set_error (error, VI_ERROR, VI_EIO,
                   "%s: not a regular file (devices, FIFOs and directories are not read)",
                   path);
      return FALSE;
    }
  return TRUE;
}

char *
vi_dataset_file_sha256 (const char  *path,
                        GError     **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar buf[65536];
  struct stat st;
  gboolean exists;
  gssize got;
  int fd;

  if (!check_regular (path, &st, &exists, error))
    return NULL;
  /* O_NONBLOCK: a file swapped for a FIFO since the check does not block. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0 || (fstat (fd, &st) == 0 && !S_ISREG (st.st_mode)))
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot read: %s", path,
                   fd < 0 ? g_strerror (saved) : "not a regular file");
      return NULL;
    }
  while ((got = read (fd, buf, sizeof buf)) != 0)
    {
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot read: %s", path,
                       g_strerror (saved));
          return NULL;
        }
      g_checksum_update (sum, buf, (gsize) got);
    }
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
same_file (const ViDataset   *d,
           const struct stat *b)
{
  const struct stat *a = &d->st;
  gint64 mtime_us = (gint64) a->st_mtim.tv_sec * G_USEC_PER_SEC + a->st_mtim.tv_nsec / 1000;

  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size
         && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec
         && a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec
         && d->loaded_at - mtime_us >= RACY_US;
}

/* A cached dataset for @path still matching @st (or, after a read, with
 * @sha256), with a new reference; NULL if none. Takes cache_lock. */
static ViDataset *
cache_find (const char        *path,
            ViDatasetKind      kind,
            const struct stat *st,
            const char        *sha256)
{
  ViDataset *d;

  g_mutex_lock (&cache_lock);
  d = cache != NULL ? g_hash_table_lookup (cache, path) : NULL;
  if (d != NULL && d->kind == kind && (sha256 != NULL ? g_str_equal (d->sha256, sha256) : same_file (d, st)))
    {
      if (sha256 != NULL)
        {
          d->st = *st;
          d->loaded_at = g_get_real_time ();
        }
      g_atomic_ref_count_inc (&d->ref);
    }
  else
    d = NULL;
  g_mutex_unlock (&cache_lock);
  return d;
}

/* Reads @path as @kind into @d's data; FALSE and @error if it cannot. */
static gboolean
read_data (ViDataset   *d,
           const char  *path,
           GError     **error)
{
  guint32 n = 0;

  if (d->kind == VI_DATASET_IDX_IMAGES)
    return (d->images = vi_idx_read_images (path, error)) != NULL;
  if (d->kind == VI_DATASET_IDX_LABELS)
    {
      d->labels = vi_idx_read_labels (path, &n, error);
      d->n = n;
      return d->labels != NULL;
    }
  d->counts = vi_counts_read (path, &d->n, error);
  return d->counts != NULL;
}

ViDataset *
vi_dataset_load (const char     *path,
                 ViDatasetKind   kind,
                 GError        **error)
{
  g_autofree char *sha256 = NULL;
  ViDataset *d;
  struct stat st;
  gboolean exists;

  g_return_val_if_fail (path != NULL && kind <= VI_DATASET_IDX_LABELS, NULL);
  if (!check_regular (path, &st, &exists, error))
    return NULL;
  /* Over the counts reader's cap: refused before the whole file is hashed. */
  if (exists && kind == VI_DATASET_COUNTS && !vi_counts_check_file (path, error))
    return NULL;
  if (exists && (d = cache_find (path, kind, &st, NULL)) != NULL)
    return d;
  /* Hash first: a file that changes meanwhile gives a newer stat than the
   * one kept, so the next load reads it again. */
  if (exists && (sha256 = vi_dataset_file_sha256 (path, NULL)) != NULL
      && (d = cache_find (path, kind, &st, sha256)) != NULL)
    return d;
  d = g_new0 (ViDataset, 1);
  g_atomic_ref_count_init (&d->ref);
  d->kind = kind;
  d->path = g_strdup (path);
  if (!read_data (d, path, error)
      || (sha256 == NULL && (sha256 = vi_dataset_file_sha256 (path, error)) == NULL))
    {
      dataset_free (d);
      return NULL;
    }
  d->sha256 = g_steal_pointer (&sha256);
  d->st = st;
  d->loaded_at = g_get_real_time ();
  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Replaces an older load of the path (it lives on while referenced). */
  g_hash_table_insert (cache, g_strdup (path), d);
  g_mutex_unlock (&cache_lock);
  return d;
}
