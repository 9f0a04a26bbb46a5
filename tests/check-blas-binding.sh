#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# libgsl lists libgslcblas as NEEDED, so ldd cannot tell which CBLAS wins.
# Ask the dynamic linker: with every symbol bound at start-up, cblas_dgemm
# must bind to libopenblas, both from our binary and from libgsl. Speaks TAP.
set -u
bin=$1
log=$(LD_BIND_NOW=1 LD_DEBUG=bindings "$bin" --version 2>&1 >/dev/null)
echo "1..2"
line=$(printf '%s\n' "$log" | grep "normal symbol \`cblas_dgemm'" | grep "binding file $bin" | head -n 1)
case "$line" in
  *libopenblas*) echo "ok 1 - elbo-lab-cli binds cblas_dgemm to OpenBLAS" ;;
  *) echo "not ok 1 - elbo-lab-cli binds cblas_dgemm to: ${line:-nothing}" ;;
esac
line=$(printf '%s\n' "$log" | grep "normal symbol \`cblas_dgemm'" | grep "binding file .*libgsl\.so" | head -n 1)
case "$line" in
  *libopenblas*) echo "ok 2 - libgsl binds cblas_dgemm to OpenBLAS" ;;
  *) echo "not ok 2 - libgsl binds cblas_dgemm to: ${line:-nothing}" ;;
esac
