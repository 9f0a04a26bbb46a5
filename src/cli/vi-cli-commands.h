/* vi-cli-commands.h — the subcommands of elbo-lab-cli
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vi-cli-run.h"

/* A subcommand: a model's descriptor, run by vi_cli_run_job(), or for the
 * others run (argc, argv) with argv[0] = subcommand name; returns a
 * ViExitCode. */
typedef struct
{
  const char            *name;
  const char            *summary;
  const ViCliDescriptor *job;
  int                  (*run) (int argc, char **argv);
} ViCliCommand;

extern const ViCliDescriptor vi_cli_bbvi_command;
extern const ViCliDescriptor vi_cli_expfam_command;
extern const ViCliDescriptor vi_cli_lda_command;
extern const ViCliDescriptor vi_cli_vae_command;

int vi_cli_gallery (int argc, char **argv);
int vi_cli_lda_eval (int argc, char **argv);
int vi_cli_corpus (int argc, char **argv);
