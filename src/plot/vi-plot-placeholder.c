/* Placeholder until the plot library lands (issue #4).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

int vi_plot_placeholder (void);

int
vi_plot_placeholder (void)
{
  return 0;
}
