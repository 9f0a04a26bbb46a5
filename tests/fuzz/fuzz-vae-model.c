/* fuzz-vae-model.c — the VAE model-file reader (vi_vae_model_load). Each
 * input is read as given, then again with its checksum (the last 64 bytes,
 * SHA-256 in hexadecimal) made right, so the fuzzer reaches the fields
 * behind it.
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-util.h"
#include "vi-vae-job.h"
#include "vi-vae.h"

#define SUM_BYTES 64

static void
load (const uint8_t *data,
      size_t         size)
{
  g_autofree char *path = vi_fuzz_write_file ("model.vae", data, size);
  g_autoptr(GError) error = NULL;
  ViVaeModel m;
  gboolean ok = vi_vae_model_load (path, &m, &error);

  vi_fuzz_check_result (ok, error);
  if (ok)
    {
      g_assert_true (vi_vae_arch_check (&m.arch, NULL));
      g_assert_cmpuint (m.n_params, ==, vi_vae_arch_n_params (&m.arch));
      g_assert_cmpuint ((gsize) m.rows * m.cols, ==, m.arch.n_in);
      g_assert_nonnull (m.rng_name);
      /* Touch every value: ASan checks the arrays are as long as claimed. */
      if (m.n_params > 0)
        {
          volatile float sink = m.params[m.n_params - 1] + m.adam_m[m.n_params - 1]
                                + m.adam_v[m.n_params - 1];
          (void) sink;
        }
      if (m.rng_size > 0)
        g_assert_nonnull (m.rng_state);
    }
  vi_vae_model_clear (&m);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  load (data, size);
  if (size > SUM_BYTES)
    {
      g_autofree uint8_t *fixed = g_memdup2 (data, size);
      g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data,
                                                          size - SUM_BYTES);

      memcpy (fixed + size - SUM_BYTES, hex, SUM_BYTES);
      load (fixed, size);
    }
  return 0;
}
