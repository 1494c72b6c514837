#!/usr/bin/env bash
# examples/dlopen: it links nothing of hfi, loads the given libhfi at run time, and streams a chat
# from a fresh emulator through the hfi_api_v1 table; a missing library or one without the table
# fails cleanly.
#
#   dlopen_example.sh EMULATOR DLOPEN_CHAT LIBHFI RUN_WITH_EMULATOR
set -uo pipefail
emulator=$1 example=$2 library=$3 run_with_emulator=$4
failures=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what" >&2; failures=$((failures + 1)); fi
}

needed=$(readelf -d "$example" | awk '/NEEDED/ {print $5}')
check "the example does not link libhfi (NEEDED: $(echo $needed))" bash -c "! grep -q libhfi <<<'$needed'"
undefined=$(nm -u "$example" | awk '$2 ~ /^hfi_/ {print $2}')
check "the example has no undefined hfi_ symbol" test -z "$undefined"

prompt="loaded at run time"
out=$(HFI_LIBRARY=$library "$run_with_emulator" --emulator "$emulator" --program "$example" --threads 4 \
  -- "$prompt" 2>"${TMPDIR:-/tmp}/dlopen_example.$$.err")
rc=$?
err=$(cat "${TMPDIR:-/tmp}/dlopen_example.$$.err"); rm -f "${TMPDIR:-/tmp}/dlopen_example.$$.err"
check "the chat streams through the table (exit $rc)" test "$rc" -eq 0
check "the answer is the emulator's: '$out'" test "$out" = "Hello! You said: $prompt"
check "it reports the deltas it streamed: '$err'" grep -Eq '^\[[1-9][0-9]* deltas through the hfi_api_v1 table of .*, libhfi [0-9.]+, ABI 0\]$' <<<"$err"

err=$(HFI_LIBRARY=/nonexistent/libhfi.so.0 "$example" http://127.0.0.1:9 2>&1 >/dev/null)
rc=$?
check "a missing library exits 1 with a reason: '$err'" bash -c "[ $rc -eq 1 ] && grep -q 'cannot load /nonexistent/libhfi.so.0' <<<'$err'"
libc=$(ldd "$example" | awk '/libc\.so/ {print $3}')
err=$(HFI_LIBRARY=$libc "$example" http://127.0.0.1:9 2>&1 >/dev/null)
rc=$?
check "a library without the table exits 1: '$err'" bash -c "[ $rc -eq 1 ] && grep -q 'it has no hfi_get_api_v1' <<<'$err'"
"$example" >/dev/null 2>&1
check "a bad command line exits 2" test $? -eq 2

[ $failures -eq 0 ] && echo "dlopen example: all checks passed" || echo "dlopen example: $failures check(s) failed" >&2
exit $((failures > 0))
