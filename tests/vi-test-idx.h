/* vi-test-idx.h — small IDX image and label fixtures for the VAE tests:
 * @n images of side × side in four classes (a bright quadrant each, with
 * seeded speckle), so the suite needs no Fashion-MNIST
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

static inline void
vi_test_idx_put_u32 (GByteArray *b,
                     guint32     v)
{
  guint8 be[4] = { v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255 };

  g_byte_array_append (b, be, 4);
}

/* Writes IMAGES and LABELS files into a new temporary folder, whose path
 * it returns (transfer full); *@images and *@labels get the file names. */
static inline char *
vi_test_idx_write (guint32   n,
                   guint32   side,
                   char    **images,
                   char    **labels)
{
  g_autoptr(GByteArray) img = g_byte_array_new ();
  g_autoptr(GByteArray) lab = g_byte_array_new ();
  char *dir = g_dir_make_tmp ("vae-idx-XXXXXX", NULL);
  guint32 state = 12345;

  g_assert_nonnull (dir);
  vi_test_idx_put_u32 (img, 0x803);
  vi_test_idx_put_u32 (img, n);
  vi_test_idx_put_u32 (img, side);
  vi_test_idx_put_u32 (img, side);
  vi_test_idx_put_u32 (lab, 0x801);
  vi_test_idx_put_u32 (lab, n);
  for (guint32 i = 0; i < n; i++)
    {
      guint8 c = i % 4;

      g_byte_array_append (lab, &c, 1);
      for (guint32 r = 0; r < side; r++)
        for (guint32 k = 0; k < side; k++)
          {
            gboolean on = (r < side / 2) == (c < 2) && (k < side / 2) == (c % 2 == 0);
            guint8 p;

            state = state * 1103515245u + 12345u;
            p = on ? 200 + (state >> 27) : (state >> 24) % 40;
            if ((state >> 16) % 17 == 0)
              p = 255 - p;
            g_byte_array_append (img, &p, 1);
          }
    }
  *images = g_build_filename (dir, "images-idx3-ubyte", NULL);
  *labels = g_build_filename (dir, "labels-idx1-ubyte", NULL);
  g_assert_true (g_file_set_contents (*images, (const char *) img->data, img->len, NULL));
  g_assert_true (g_file_set_contents (*labels, (const char *) lab->data, lab->len, NULL));
  return dir;
}

/* Removes what vi_test_idx_write made (and any other files in @dir). */
static inline void
vi_test_idx_remove (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);

      g_unlink (p);
    }
  g_rmdir (dir);
}
