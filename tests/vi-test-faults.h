/* vi-test-faults.h — places where writing a file fails, for the fault
 * injection tests (test-output.c, test-cli-faults.c, test-faults-app.c)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each fault is a file path whose writing must fail, with (where there can
 * be one) an old file at that path, and a snapshot of its folder to check
 * afterwards that the old file is intact byte for byte and that nothing
 * (no temporary file) was left beside it:
 *  - /dev/full: every write fails with ENOSPC (given a file name, a
 *    symbolic link of that name to /dev/full, for outputs whose type is
 *    their extension);
 *  - a full file system: a 64 KiB tmpfs holding the old file and a filler
 *    that takes every free page, so the first byte written fails (ENOSPC);
 *  - a file size limit: RLIMIT_FSIZE of 1 byte with SIGXFSZ ignored, so a
 *    write fails with EFBIG after a short write — the stand-in for a full
 *    file system where mounting is not permitted (and a test of its own:
 *    the write fails part way);
 *  - a read-only folder holding the old file: a tmpfs remounted read-only
 *    (EROFS). Root, which the tests run as here and in CI, ignores mode
 *    bits, so a chmod 0555 folder would be no fault at all; a read-only
 *    mount is one for everybody. Where mounting is not permitted (a
 *    container without CAP_SYS_ADMIN) the folder is chmod 0555 and the
 *    writer runs as nobody (uid/gid 65534) when we are root, so the mode
 *    bits apply (EACCES);
 *  - a missing folder; a directory where the file should be.
 *
 * Mounts are made in a private mount namespace that vi_test_faults_init()
 * enters at the start of main() (before any thread), so they are never
 * seen outside the test and vanish with it. VI_TEST_NO_MOUNT=1 in the
 * environment forces the fallbacks (to test them where mounting works).
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

typedef enum
{
  VI_FAULT_DEV_FULL,
  VI_FAULT_FULL_FS,
  VI_FAULT_FILE_SIZE,
  VI_FAULT_READ_ONLY,
  VI_FAULT_MISSING_DIR,
  VI_FAULT_IS_DIR,
  VI_FAULT_N
} ViFaultKind;

static const char *const vi_fault_names[] = {
  "dev-full", "full-fs", "file-size", "read-only", "missing-dir", "is-dir",
};

typedef struct
{
  ViFaultKind kind;
  char *top;          /* the temporary folder of the fixture, or NULL */
  char *dir;          /* the folder the file is in, or NULL (/dev/full) */
  char *path;         /* the file to write */
  char *old;          /* the old file's bytes, or NULL when there is none */
  gsize old_len;
  char *listing;      /* the folder's entries before, sorted, one a line */
  gboolean mounted;   /* dir is a tmpfs mount point */
  gboolean as_nobody; /* the writer must run as uid 65534 (read-only, no mount) */
} ViFault;

static gboolean vi_test_faults_mounts;

/* Enters a private mount namespace when permitted; returns whether tmpfs
 * mounts can be used. Call first in main(), before any thread starts. */
static inline gboolean
vi_test_faults_init (void)
{
  if (g_getenv ("VI_TEST_NO_MOUNT") != NULL)
    return FALSE;
  /* Private propagation, so nothing mounted here reaches the host. */
  if (unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
    {
      /* A probe: some sandboxes allow the namespace but not these mounts. */
      char *probe = g_dir_make_tmp ("vi-fault-probe-XXXXXX", NULL);

      if (probe != NULL && mount ("tmpfs", probe, "tmpfs", 0, "size=64k") == 0)
        {
          vi_test_faults_mounts = mount (NULL, probe, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0;
          umount2 (probe, MNT_DETACH);
        }
      if (probe != NULL)
        g_rmdir (probe);
      g_free (probe);
    }
  return vi_test_faults_mounts;
}

static inline int
vi_fault_cmp_names (gconstpointer a,
                    gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static inline char *
vi_fault_list_dir (const char *dir)
{
  g_autoptr(GDir) d = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return g_strdup ("(none)");
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, vi_fault_cmp_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("\n", (char **) names->pdata);
}

static inline void
vi_fault_mount_tmpfs (ViFault *f)
{
  g_assert_cmpint (mount ("tmpfs", f->dir, "tmpfs", 0, "size=64k,mode=0755"), ==, 0);
  f->mounted = TRUE;
}

/* Fills the file system of @dir: a filler file gets every free block. */
static inline void
vi_fault_fill (const char *dir)
{
  g_autofree char *filler = g_build_filename (dir, "filler", NULL);
  char block[4096];
  int fd = g_open (filler, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ssize_t n;

  g_assert_cmpint (fd, >=, 0);
  memset (block, 'f', sizeof block);
  while ((n = write (fd, block, sizeof block)) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  /* Even the last partial block is taken. */
  while (write (fd, block, 1) > 0)
    ;
  close (fd);
}

/* A fault at a file named @name; @old (NUL-terminated, or NULL for none) is
 * the old file put there first where the fault allows one. */
static inline ViFault *
vi_fault_new (ViFaultKind  kind,
              const char  *name,
              const char  *old)
{
  ViFault *f = g_new0 (ViFault, 1);
  g_autoptr(GError) error = NULL;

  f->kind = kind;
  if (kind == VI_FAULT_DEV_FULL && name == NULL)
    {
      f->path = g_strdup ("/dev/full");
      return f;
    }
  f->top = g_dir_make_tmp ("vi-fault-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (f->top, 0755), ==, 0);   /* nobody may enter */
  f->dir = g_build_filename (f->top, kind == VI_FAULT_MISSING_DIR ? "missing" : "out", NULL);
  f->path = g_build_filename (f->dir, name, NULL);
  if (kind != VI_FAULT_MISSING_DIR)
    g_assert_cmpint (g_mkdir (f->dir, 0755), ==, 0);
  if ((kind == VI_FAULT_FULL_FS || kind == VI_FAULT_READ_ONLY) && vi_test_faults_mounts)
    vi_fault_mount_tmpfs (f);
  if (kind == VI_FAULT_IS_DIR)
    g_assert_cmpint (g_mkdir (f->path, 0755), ==, 0);
  else if (kind == VI_FAULT_DEV_FULL)
    g_assert_cmpint (symlink ("/dev/full", f->path), ==, 0);
  else if (old != NULL && kind != VI_FAULT_MISSING_DIR)
    {
      f->old = g_strdup (old);
      f->old_len = strlen (old);
      g_assert_true (g_file_set_contents (f->path, old, -1, &error));
      g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
    }
  if (kind == VI_FAULT_FULL_FS && f->mounted)
    vi_fault_fill (f->dir);
  if (kind == VI_FAULT_READ_ONLY && f->mounted)
    g_assert_cmpint (mount (NULL, f->dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
  else if (kind == VI_FAULT_READ_ONLY)
    {
      g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
      f->as_nobody = geteuid () == 0;
    }
  f->listing = vi_fault_list_dir (f->dir);
  return f;
}

/* Whether the fault is a file size limit (VI_FAULT_FULL_FS without mounts
 * is one too, the stand-in). */
static inline gboolean
vi_fault_limits_size (const ViFault *f)
{
  return f->kind == VI_FAULT_FILE_SIZE || (f->kind == VI_FAULT_FULL_FS && !f->mounted);
}

static struct rlimit vi_fault_saved_fsize;

/* In the writing process, before it writes (in a spawned child's setup,
 * where it is async-signal-safe): what the fault needs of the process —
 * the file size limit, or the effective user nobody. vi_fault_leave()
 * undoes it (the real and saved user stay root). */
static inline void
vi_fault_enter (const ViFault *f)
{
  if (vi_fault_limits_size (f))
    {
      struct rlimit rl;

      getrlimit (RLIMIT_FSIZE, &vi_fault_saved_fsize);
      rl = vi_fault_saved_fsize;
      rl.rlim_cur = 1;
      signal (SIGXFSZ, SIG_IGN);
      if (setrlimit (RLIMIT_FSIZE, &rl) != 0)
        _exit (99);
    }
  if (f->as_nobody && (setegid (65534) != 0 || seteuid (65534) != 0))
    _exit (98);
}

static inline void
vi_fault_leave (const ViFault *f)
{
  if (vi_fault_limits_size (f))
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &vi_fault_saved_fsize), ==, 0);
  if (f->as_nobody)
    {
      g_assert_cmpint (seteuid (0), ==, 0);
      g_assert_cmpint (setegid (0), ==, 0);
    }
}

/* For g_spawn's child setup (@data: the ViFault). */
static inline void
vi_fault_child_setup (gpointer data)
{
  vi_fault_enter (data);
}

/* The old file is there byte for byte (or there is still none), the folder
 * holds what it held (no temporary file left), a directory target is still
 * an empty directory and a missing folder is still missing. */
static inline void
vi_fault_assert_intact (const ViFault *f)
{
  g_autofree char *listing = vi_fault_list_dir (f->dir);
  struct stat st;

  if (f->kind == VI_FAULT_DEV_FULL)
    {
      g_assert_cmpint (stat (f->path, &st), ==, 0);
      g_assert_true (S_ISCHR (st.st_mode));
      if (f->dir == NULL)
        return;
      g_assert_cmpint (lstat (f->path, &st), ==, 0);
      g_assert_true (S_ISLNK (st.st_mode));
    }
  g_assert_cmpstr (listing, ==, f->listing);
  if (f->kind == VI_FAULT_MISSING_DIR)
    g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  else if (f->kind == VI_FAULT_IS_DIR)
    {
      g_autofree char *inside = vi_fault_list_dir (f->path);

      g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_DIR));
      g_assert_cmpstr (inside, ==, "");
    }
  else if (f->old != NULL && f->kind != VI_FAULT_DEV_FULL)
    {
      g_autofree char *now = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (f->path, &now, &len, NULL));
      g_assert_cmpmem (now, len, f->old, f->old_len);
    }
  else if (f->kind != VI_FAULT_DEV_FULL)
    g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static inline void
vi_fault_remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        vi_fault_remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (path);
}

static inline void
vi_fault_free (ViFault *f)
{
  if (f == NULL)
    return;
  if (f->mounted)
    g_assert_cmpint (umount2 (f->dir, MNT_DETACH), ==, 0);
  if (f->dir != NULL && f->kind == VI_FAULT_READ_ONLY && !f->mounted)
    g_chmod (f->dir, 0755);
  if (f->top != NULL)
    vi_fault_remove_tree (f->top);
  g_free (f->top);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->old);
  g_free (f->listing);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViFault, vi_fault_free)
