#!/usr/bin/env bash
# abidiff of a built libhfi.so against the released ABI (abi/baseline/libhfi.abi, from abidw).
#
#   abidiff.sh LIBHFI_SO PROJECT_ROOT
#
# Fails on what abidiff calls an incompatible change (a function or symbol removed) and on any
# change to a function or type the public header declares. Added functions are compatible: they
# are listed and pass. The handles are opaque, so their C++ definitions may change at will
# (abi/opaque-handles.abignore). The SONAME is the ABI generation: abigen.py compat checks it.
set -uo pipefail
lib=$1 root=$2
out=$(abidiff --fail-no-debug-info --ignore-soname --no-show-locs \
  --headers-dir2 "$root/include/hfi" --drop-private-types \
  --suppressions "$root/abi/opaque-handles.abignore" \
  "$root/abi/baseline/libhfi.abi" "$lib" 2>&1)
rc=$?
printf '%s\n' "$out"
# abidiff's exit status is a bit set: 1 error, 2 usage, 4 ABI change, 8 incompatible change.
if (( rc & 3 )); then
  echo "abidiff.sh: abidiff failed (status $rc)" >&2
  exit 1
fi
if (( rc & 8 )); then
  echo "abidiff.sh: INCOMPATIBLE with the released ABI (abi/baseline/libhfi.abi): see above" >&2
  exit 1
fi
if (( rc & 4 )) && grep -Eq '^Functions changes summary: ([1-9][0-9]* Removed|0 Removed, [1-9][0-9]* Changed)|^Variables changes summary: [1-9]' <<<"$out"; then
  echo "abidiff.sh: a released function or type changed (see above); add a new function instead" >&2
  exit 1
fi
added=$(grep -Eo -m1 '[0-9]+ Added function' <<<"$out" | grep -Eo '^[0-9]+' || echo 0)
echo "abidiff.sh: compatible with the released ABI: nothing removed or changed, $added function(s) added"
