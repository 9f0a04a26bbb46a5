#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The layers point downward (issue #9): src/views builds on core and plot and
# never includes GTK, GDK or libadwaita; core and plot never include a view.
# meson links vi_views against vi_core_dep and vi_plot_dep only; this checks
# the sources too, so an include cannot sneak in through a transitive path.
# Speaks TAP. $1 is the source root.
set -u
src=$1/src
echo "1..3"
hits=$(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|adwaita\.h|vi-page\.h|vi-plot-view\.h|vi-util\.h)' \
         "$src"/views/*.c "$src"/views/*.h 2>/dev/null)
if [ -z "$hits" ]; then
  echo "ok 1 - src/views includes no GTK, GDK, libadwaita or app header"
else
  printf '# %s\n' "$hits"
  echo "not ok 1 - src/views includes GTK or app headers"
fi
hits=$(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"vi-[a-z-]*view[s]?\.h"' \
         "$src"/core/*.c "$src"/core/*.h 2>/dev/null)
if [ -z "$hits" ]; then
  echo "ok 2 - src/core includes no view"
else
  printf '# %s\n' "$hits"
  echo "not ok 2 - src/core includes a view"
fi
hits=$(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"vi-[a-z-]*views?\.h"' \
         "$src"/plot/*.c "$src"/plot/*.h 2>/dev/null)
if [ -z "$hits" ]; then
  echo "ok 3 - src/plot includes no view"
else
  printf '# %s\n' "$hits"
  echo "not ok 3 - src/plot includes a view"
fi
