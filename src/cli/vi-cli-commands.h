/* vi-cli-commands.h — the subcommands of elbo-lab-cli
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int vi_cli_expfam (int argc, char **argv);
int vi_cli_gallery (int argc, char **argv);
