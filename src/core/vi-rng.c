/* vi-rng.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-rng.h"

uint64_t
vi_rng_splitmix64 (uint64_t *state)
{
  /* Steele, Lea & Flood (2014), constants from Vigna's reference code. */
  uint64_t z = (*state += UINT64_C (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

uint64_t
vi_rng_stream_seed (uint64_t seed,
                    uint64_t stream)
{
  uint64_t s = seed;
  uint64_t a = vi_rng_splitmix64 (&s);
  uint64_t t = a ^ (stream * UINT64_C (0xd1b54a32d192ed03));

  vi_rng_splitmix64 (&t);
  return vi_rng_splitmix64 (&t);
}

void
vi_rng_reset (gsl_rng  *rng,
              uint64_t  seed,
              uint64_t  stream)
{
  uint64_t s = vi_rng_stream_seed (seed, stream);
  /* GSL's mt19937 keeps only the low 32 bits of its seed and replaces 0 by a
   * default, so fold the 64 bits into 32 and avoid 0. */
  unsigned long folded = (unsigned long) ((s ^ (s >> 32)) & UINT64_C (0xffffffff));

  if (folded == 0)
    folded = 1;
  gsl_rng_set (rng, folded);
}

gsl_rng *
vi_rng_create (uint64_t seed,
               uint64_t stream)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  if (rng == NULL)
    return NULL;
  vi_rng_reset (rng, seed, stream);
  return rng;
}
