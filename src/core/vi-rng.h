/* vi-rng.h — reproducible, independent random streams
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* GSL has no jump-ahead, so stream @stream of run seed @seed gets its own
 * generator (mt19937) seeded with splitmix64 (seed, stream) mixing. Streams of
 * the same seed are statistically independent; the same (seed, stream) always
 * gives the same sequence. */

/* One splitmix64 step: advances *state and returns the next 64-bit output. */
uint64_t  vi_rng_splitmix64   (uint64_t *state);

/* The 64-bit seed of stream @stream of run seed @seed. */
uint64_t  vi_rng_stream_seed  (uint64_t seed,
                               uint64_t stream);

/* (transfer full) A new gsl_rng for stream @stream of @seed; free with
 * gsl_rng_free(). Returns NULL only if allocation fails. */
gsl_rng  *vi_rng_create       (uint64_t seed,
                               uint64_t stream);

/* Re-seeds an existing generator to stream @stream of @seed. */
void      vi_rng_reset        (gsl_rng  *rng,
                               uint64_t  seed,
                               uint64_t  stream);
