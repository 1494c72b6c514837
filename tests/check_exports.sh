#!/usr/bin/env bash
# Fails if libhfi.so exports any dynamic symbol that is not part of the hfi_ C ABI.
set -euo pipefail
lib=$1
symbols=$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u)
count=$(printf '%s\n' "$symbols" | grep -c . || true)
others=$(printf '%s\n' "$symbols" | grep -v '^hfi_' | grep -v '^HFI_' || true)
if [ -n "$others" ]; then
  echo "libhfi exports symbols outside the hfi_ ABI:" >&2
  printf '  %s\n' $others >&2
  exit 1
fi
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
case "$soname" in
  libhfi.so.*) ;;
  *) echo "unexpected SONAME: '$soname'" >&2; exit 1 ;;
esac
echo "ok: $count hfi_ symbols exported, SONAME $soname"
