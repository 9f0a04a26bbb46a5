/* vi-core-autocleanups.h — g_autoptr support for core types (GLib users only)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "vi-corpus.h"
#include "vi-job.h"
#include "vi-parallel.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViJob, vi_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViCorpus, vi_corpus_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViUciReader, vi_uci_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViUciWriter, vi_uci_writer_abort)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViLdaGenerator, vi_lda_generator_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViParallel, vi_parallel_free)
