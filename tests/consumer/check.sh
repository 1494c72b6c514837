#!/usr/bin/env bash
# Installs the build to a scratch prefix, then builds and runs a consumer with pkg-config and with
# find_package(hfi CONFIG), as the README tells users to.
set -euo pipefail
build_dir=$1
src_dir=$2
# A sanitized libhfi needs its sanitizer's runtime in the program too ("" for a plain build).
sanitize=${3:+-fsanitize=$3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
pc_dir=$(dirname "$(find "$prefix" -name hfi.pc | head -n1)")
libdir=$(dirname "$(find "$prefix" -name 'libhfi.so' | head -n1)")

echo "== pkg-config"
export PKG_CONFIG_PATH=$pc_dir
cc -std=c99 -Wall -Werror $sanitize "$src_dir/consumer.c" $(pkg-config --cflags --libs hfi) -o "$work/consumer_pc"
LD_LIBRARY_PATH=$libdir "$work/consumer_pc"

echo "== find_package(hfi CONFIG)"
cmake -S "$src_dir" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$sanitize" \
  -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" >/dev/null
cmake --build "$work/build" >/dev/null
LD_LIBRARY_PATH=$libdir "$work/build/consumer_shared"
if [ -x "$work/build/consumer_static" ]; then
  "$work/build/consumer_static"
  if ldd "$work/build/consumer_static" | grep -q libhfi; then
    echo "consumer_static is linked to the shared libhfi" >&2
    exit 1
  fi
fi
echo "install_and_consume: ok"
