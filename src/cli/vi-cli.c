/* vi-cli.c — elbo-lab-cli: the headless front end over the ELBO Lab core
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "vi-blas.h"
#include "vi-cli-commands.h"
#include "vi-cli-common.h"

static const ViCliCommand commands[] = {
  { "bbvi", "Black-box VI on the Poisson–Gamma model; gradient-variance experiment",
    .job = &vi_cli_bbvi_command },
  { "expfam", "Exponential families: natural parameters, log-partition, Fisher information",
    .job = &vi_cli_expfam_command },
  { "lda", "Latent Dirichlet allocation by SVI or batch VB: topics, perplexity, coherence",
    .job = &vi_cli_lda_command },
  { "lda-eval", "Held-out completion perplexity of a topics file (any implementation's)",
    .run = vi_cli_lda_eval },
  { "vae", "A variational autoencoder on IDX images (Fashion-MNIST): ELBO, IWAE, speed",
    .job = &vi_cli_vae_command },
  { "corpus", "Write a corpus (KJV, text, UCI or synthetic) as UCI files with its split",
    .run = vi_cli_corpus },
  { "gallery", "Write the plot gallery (every series kind) as PNG, SVG and PDF",
    .run = vi_cli_gallery },
};

static void
print_usage (FILE *out)
{
  fprintf (out,
           "Usage: elbo-lab-cli [--version] [--help] COMMAND [OPTIONS…]\n"
           "\n"
           "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\n"
           "Run 'elbo-lab-cli COMMAND --help' for the options of a command.\n"
           "Exit status: 0 success, 1 runtime error, 2 usage error.\n");
}

/* Text left on standard output through stdio (corpus, lda-eval, gallery,
 * --version, --help) that could not be written is a runtime error naming
 * the file, as for every other output (the job commands write theirs
 * through vi-output and report it themselves). @code is the command's. */
static int
check_stdout (const char *name,
              int         code)
{
  int errsv = fflush (stdout) != 0 ? errno : 0;

  if (errsv == 0 && !ferror (stdout))
    return code;
  fprintf (stderr, "elbo-lab-cli%s%s: /dev/stdout: cannot write: %s\n", name != NULL ? " " : "",
           name != NULL ? name : "", errsv != 0 ? g_strerror (errsv) : "write error");
  return code == VI_EXIT_OK ? VI_EXIT_RUNTIME : code;
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  setlocale (LC_ALL, "");
  gsl_set_error_handler_off ();
  /* A closed pipe is a write error (EPIPE) that names the file, not a kill;
   * so is a file size limit (ulimit -f: EFBIG), which would otherwise kill
   * the process with the temporary file of its output left behind. */
  signal (SIGPIPE, SIG_IGN);
  signal (SIGXFSZ, SIG_IGN);

  if (argc < 2)
    {
      print_usage (stderr);
      return VI_EXIT_USAGE;
    }
  name = argv[1];
  if (strcmp (name, "--version") == 0 || strcmp (name, "-V") == 0)
    {
      printf ("elbo-lab-cli %s\n", PACKAGE_VERSION);
      printf ("BLAS: %s\n", vi_blas_describe ());
      return check_stdout (NULL, VI_EXIT_OK);
    }
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      print_usage (stdout);
      return check_stdout (NULL, VI_EXIT_OK);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (name, commands[i].name) == 0)
      return check_stdout (name, commands[i].job != NULL
                                 ? vi_cli_run_job (commands[i].job, argc - 1, argv + 1)
                                 : commands[i].run (argc - 1, argv + 1));

  if (name[0] == '-')
    fprintf (stderr, "elbo-lab-cli: unknown option '%s' (try --help)\n", name);
  else
    {
      GString *valid = g_string_new (NULL);
      for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
        g_string_append_printf (valid, "%s%s", i ? ", " : "", commands[i].name);
      fprintf (stderr, "elbo-lab-cli: unknown command '%s' (valid: %s)\n", name, valid->str);
      g_string_free (valid, TRUE);
    }
  return VI_EXIT_USAGE;
}
