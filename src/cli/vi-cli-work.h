/* vi-cli-work.c — cost models of the model subcommands (the runner's
 * ViCliDescriptor.estimate_seconds): a run's seconds from its first
 * snapshot and its validated settings, erring on the fast side
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @snapshot is a ViBbviSnapshot: iterations × runs × (S × cost per sample
 * of the family and estimator), or in variance mode the sweep's samples ×
 * repeats × estimators shared by the threads. */
double vi_cli_bbvi_estimate_seconds (gpointer  snapshot,
                                     GVariant *params);
/* @snapshot is a ViLdaSnapshot: runs × passes × tokens × topics. */
double vi_cli_lda_estimate_seconds  (gpointer  snapshot,
                                     GVariant *params);
/* @snapshot is a ViVaeSnapshot: epochs × images × samples × the
 * architecture's flops at a many-core machine's rate. */
double vi_cli_vae_estimate_seconds  (gpointer  snapshot,
                                     GVariant *params);

G_END_DECLS
