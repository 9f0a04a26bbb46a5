/* vi-output.c — atomic file output (temporary file + rename), in place for
 * devices, FIFOs and standard output
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vi-output.h"

/* Symbolic links followed before giving up (as the kernel's MAXSYMLINKS). */
#define MAX_LINKS 40

/* The stream handed to writers: write(2) on the output's descriptor, keeping
 * the first error so that vi_output_commit() reports a failed write even when
 * the writer ignored it. After an error every write fails (a regular file
 * would otherwise get a hole). Its errors are the bare reason ("No space left
 * on device"); vi_output_write() and the commit name the file. */
#define VI_TYPE_OUTPUT_STREAM (vi_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (ViOutputStream, vi_output_stream, VI, OUTPUT_STREAM, GOutputStream)

struct _ViOutputStream
{
  GOutputStream  parent_instance;
  int            fd;         /* -1 once the output is committed or aborted */
  char          *path;       /* as given to vi_output_open() */
  GError        *error;      /* first write error */
};

G_DEFINE_TYPE (ViOutputStream, vi_output_stream, G_TYPE_OUTPUT_STREAM)

static gssize
vi_output_stream_write (GOutputStream  *stream,
                        const void     *buffer,
                        gsize           count,
                        GCancellable   *cancellable,
                        GError        **error)
{
  ViOutputStream *self = VI_OUTPUT_STREAM (stream);
  gssize n;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return -1;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  if (self->fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the output is closed");
      return -1;
    }
  do
    n = write (self->fd, buffer, MIN (count, (gsize) G_MAXSSIZE));
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int errsv = errno;

      self->error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (errsv),
                                         g_strerror (errsv));
      g_propagate_error (error, g_error_copy (self->error));
      return -1;
    }
  return n;
}

static gboolean
vi_output_stream_close (GOutputStream  *stream,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return TRUE;    /* the descriptor belongs to the ViOutput */
}

static void
vi_output_stream_finalize (GObject *object)
{
  ViOutputStream *self = VI_OUTPUT_STREAM (object);

  g_clear_error (&self->error);
  g_free (self->path);
  G_OBJECT_CLASS (vi_output_stream_parent_class)->finalize (object);
}

static void
vi_output_stream_class_init (ViOutputStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vi_output_stream_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = vi_output_stream_write;
  G_OUTPUT_STREAM_CLASS (klass)->close_fn = vi_output_stream_close;
}

static void
vi_output_stream_init (ViOutputStream *self)
{
  self->fd = -1;
}

const char *
vi_output_stream_get_path (GOutputStream *stream)
{
  return VI_IS_OUTPUT_STREAM (stream) ? VI_OUTPUT_STREAM (stream)->path : NULL;
}

/* ---- the output ---------------------------------------------------------- */

struct _ViOutput
{
  char           *path;       /* as given */
  char           *target;     /* final file (after symlinks), NULL in place */
  char           *tmp;        /* temporary file, NULL in place */
  int             fd;
  gboolean        owns_fd;    /* FALSE for standard output */
  ViOutputStream *stream;
};

static void
set_io_error (GError     **error,
              const char  *path,
              int          errsv,
              const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s: %s", path, what,
               g_strerror (errsv));
}

/* Resolves symbolic links in the last component of @path (each link target
 * relative to its link's directory). Returns the final name, or NULL with
 * @error set on a loop. */
static char *
resolve_links (const char  *path,
               GError     **error)
{
  g_autofree char *cur = g_strdup (path);

  for (int i = 0; i < MAX_LINKS; i++)
    {
      g_autofree char *link = g_file_read_link (cur, NULL);
      g_autofree char *dir = NULL;

      if (link == NULL)
        return g_steal_pointer (&cur);
      if (g_path_is_absolute (link))
        {
          g_free (cur);
          cur = g_steal_pointer (&link);
          continue;
        }
      dir = g_path_get_dirname (cur);
      g_free (cur);
      cur = g_build_filename (dir, link, NULL);
    }
  set_io_error (error, path, ELOOP, "cannot write");
  return NULL;
}

/* Shortens @base (in place, at a UTF-8 character boundary) so that the
 * temporary file's name ".BASE.XXXXXX" fits in NAME_MAX bytes: a file
 * whose own name is near the limit can still be replaced. */
static void
tmp_base_fit (char *base)
{
  gsize max = NAME_MAX - strlen (".") - strlen (".XXXXXX");
  gsize n = strlen (base);

  if (n <= max)
    return;
  n = max;
  while (n > 0 && ((guchar) base[n] & 0xC0) == 0x80)
    n--;
  base[n] = '\0';
}

static ViOutput *
output_new (const char *path,
            int         fd,
            gboolean    owns_fd)
{
  ViOutput *out = g_new0 (ViOutput, 1);

  out->path = g_strdup (path);
  out->fd = fd;
  out->owns_fd = owns_fd;
  out->stream = g_object_new (VI_TYPE_OUTPUT_STREAM, NULL);
  out->stream->fd = fd;
  out->stream->path = g_strdup (path);
  return out;
}

ViOutput *
vi_output_open (const char  *path,
                GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  struct stat st;
  gboolean exists;
  ViOutput *out;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (path[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   "cannot write: empty file name");
      return NULL;
    }
  if (strcmp (path, "-") == 0 || strcmp (path, "/dev/stdout") == 0)
    return output_new (path, STDOUT_FILENO, FALSE);

  /* What @path finally names, through any links: a directory is an error;
   * a device, FIFO or socket is written in place and never replaced —
   * opened by @path itself, since the links of /dev/fd/N (a pipe of the
   * shell's >(…)) name no file to resolve. */
  exists = stat (path, &st) == 0;
  if (!exists && errno != ENOENT)
    {
      set_io_error (error, path, errno, "cannot write");
      return NULL;
    }
  if (exists && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   "%s: cannot write: is a directory", path);
      return NULL;
    }
  if (exists && !S_ISREG (st.st_mode))
    {
      fd = g_open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);
      if (fd < 0)
        {
          set_io_error (error, path, errno, "cannot write");
          return NULL;
        }
      return output_new (path, fd, TRUE);
    }

  /* A regular file, or nothing yet: replaced (created) beside the final
   * target of the links, which stay links. */
  target = resolve_links (path, error);
  if (target == NULL)
    return NULL;
  exists = stat (target, &st) == 0;
  if (!exists && errno != ENOENT)
    {
      set_io_error (error, path, errno, "cannot write");
      return NULL;
    }

  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  tmp_base_fit (base);
  tmpl = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  /* A new file gets 0666 & ~umask from the kernel: reading the umask
   * (umask (0), then back) would race with other threads creating files. */
  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_io_error (error, path, errno, "cannot write");
      return NULL;
    }
  if (exists)
    {
      /* The replacement keeps the owner and group where we may set them
       * (root may; others may keep a group they are in), else it becomes
       * ours, as with any editor that saves by renaming. Before fchmod:
       * fchown clears the set-user-ID bits. */
      mode_t mode = st.st_mode & 07777;

      if (fchown (fd, st.st_uid, st.st_gid) != 0 && fchown (fd, (uid_t) -1, st.st_gid) != 0)
        mode &= ~(mode_t) (S_ISUID | S_ISGID);
      if (fchmod (fd, mode) != 0)
        {
          int errsv = errno;

          close (fd);
          g_unlink (tmpl);
          set_io_error (error, path, errsv, "cannot write");
          return NULL;
        }
    }
  out = output_new (path, fd, TRUE);
  out->target = g_steal_pointer (&target);
  out->tmp = g_steal_pointer (&tmpl);
  return out;
}

gboolean
vi_output_check (const char  *path,
                 GError     **error)
{
  struct stat st;
  ViOutput *out;

  /* A device or FIFO is not opened ahead: a FIFO would wait for a reader. */
  if (path[0] != '\0' && stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    return TRUE;
  out = vi_output_open (path, error);
  if (out == NULL)
    return FALSE;
  vi_output_abort (out);
  return TRUE;
}

GOutputStream *
vi_output_get_stream (ViOutput *out)
{
  return G_OUTPUT_STREAM (out->stream);
}

const char *
vi_output_get_path (ViOutput *out)
{
  return out->path;
}

gboolean
vi_output_write (ViOutput    *out,
                 const void  *data,
                 gsize        len,
                 GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (g_output_stream_write_all (G_OUTPUT_STREAM (out->stream), data, len, NULL, NULL, &local))
    return TRUE;
  g_set_error (error, G_IO_ERROR, local->code, "%s: cannot write: %s", out->path,
               local->message);
  return FALSE;
}

gboolean
vi_output_printf (ViOutput    *out,
                  GError     **error,
                  const char  *format,
                  ...)
{
  g_autofree char *text = NULL;
  va_list args;
  int len;

  va_start (args, format);
  len = g_vasprintf (&text, format, args);
  va_end (args);
  return vi_output_write (out, text, (gsize) len, error);
}

static void
output_free (ViOutput *out)
{
  /* A writer may still hold the stream: it fails from now on. */
  out->stream->fd = -1;
  g_clear_object (&out->stream);
  if (out->owns_fd && out->fd >= 0)
    close (out->fd);
  g_free (out->tmp);
  g_free (out->target);
  g_free (out->path);
  g_free (out);
}

void
vi_output_abort (ViOutput *out)
{
  if (out == NULL)
    return;
  if (out->tmp != NULL)
    g_unlink (out->tmp);
  output_free (out);
}

gboolean
vi_output_commit (ViOutput  *out,
                  GError   **error)
{
  int errsv;

  g_return_val_if_fail (out != NULL, FALSE);

  if (out->stream->error != NULL)
    {
      /* A write failed, whether or not the writer noticed. */
      g_set_error (error, G_IO_ERROR, out->stream->error->code, "%s: cannot write: %s",
                   out->path, out->stream->error->message);
      vi_output_abort (out);
      return FALSE;
    }
  if (out->tmp == NULL)
    {
      /* In place: a regular fd to a device or stdout. fsync is not meaningful
       * for every such file (pipes return EINVAL), so only close reports. */
      if (out->owns_fd)
        {
          int fd = out->fd;

          out->fd = -1;
          if (close (fd) != 0 && errno != EINTR)
            {
              set_io_error (error, out->path, errno, "cannot write");
              output_free (out);
              return FALSE;
            }
        }
      output_free (out);
      return TRUE;
    }
  if (fsync (out->fd) != 0 && errno != EINVAL)
    {
      errsv = errno;
      set_io_error (error, out->path, errsv, "cannot write");
      vi_output_abort (out);
      return FALSE;
    }
  if (close (out->fd) != 0 && errno != EINTR)
    {
      errsv = errno;
      out->fd = -1;
      set_io_error (error, out->path, errsv, "cannot write");
      vi_output_abort (out);
      return FALSE;
    }
  out->fd = -1;
  if (g_rename (out->tmp, out->target) != 0)
    {
      errsv = errno;
      set_io_error (error, out->path, errsv, "cannot write");
      vi_output_abort (out);
      return FALSE;
    }
  g_clear_pointer (&out->tmp, g_free);
  output_free (out);
  return TRUE;
}

gboolean
vi_output_write_file (const char  *path,
                      const void  *data,
                      gsize        len,
                      GError     **error)
{
  ViOutput *out = vi_output_open (path, error);

  if (out == NULL)
    return FALSE;
  if (!vi_output_write (out, data, len, error))
    {
      vi_output_abort (out);
      return FALSE;
    }
  return vi_output_commit (out, error);
}
