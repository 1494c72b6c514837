#!/usr/bin/env bash
# The Rust binding's checks, as ./tests/run.sh runs them, offline, with Debian's packaged crates
# (debian-offline.toml): the committed bindgen output is current, cargo clippy and rustdoc are
# clean (warnings are errors), and cargo test passes against the emulator.
#
#   bindings/rust/run-tests.sh BUILD_DIR EMULATOR
#
# BUILD_DIR is a CMake build of libhfi without sanitizers; its hfi-uninstalled.pc points the
# build at the headers and the library. The last line printed is the summary.
set -uo pipefail
build=$(cd "$1" && pwd) emulator=$(readlink -f "$2")
cd "$(dirname "$0")"
export PKG_CONFIG_PATH=$build HFI_EMULATOR=$emulator CARGO_TERM_COLOR=never
cargo=(cargo --config debian-offline.toml)
failures=()
started=$SECONDS

hfi-sys/regen.sh --check || failures+=("bindgen output")
if cargo clippy --version >/dev/null 2>&1; then
  # clippy runs as its own cargo: the offline configuration goes after the subcommand.
  cargo clippy --config debian-offline.toml --all-targets -- -D warnings || failures+=(clippy)
  linted="clippy, "
else
  echo "cargo clippy is not installed: skipped"
  linted=""
fi
RUSTDOCFLAGS="-D warnings" "${cargo[@]}" doc --no-deps --quiet || failures+=(rustdoc)

log=$(mktemp)
"${cargo[@]}" test 2>&1 | tee "$log" | grep -E '^(test result|running|test .*FAILED|failures:|error)'
test_status=${PIPESTATUS[0]}
passed=$(awk '/^test result/ {n += $4} END {print n + 0}' "$log")
failed=$(awk '/^test result/ {n += $6} END {print n + 0}' "$log")
[ "$test_status" -eq 0 ] || { failures+=("cargo test"); grep -A30 '^failures:' "$log" | head -80; }
rm -f "$log"

# The example itself, against an emulator of its own.
answer=$(../../examples/run_with_emulator.sh --emulator "$emulator" --threads 4 -- \
  "${cargo[@]}" run --quiet --example chat -- --base-url "{url}/v1" "from the Rust example" 2>&1)
if [ "$answer" = "Hello! You said: from the Rust example" ]; then
  echo "ok: examples/chat streams from the emulator"
else
  echo "examples/chat: got '$answer'"
  failures+=(example)
fi

if [ ${#failures[@]} -eq 0 ]; then
  echo "Rust (cargo test --offline, ${linted}rustdoc, bindgen output, example): passed, $passed tests in $((SECONDS - started)) s"
else
  echo "Rust: FAILED (${failures[*]}): $passed tests passed, $failed failed"
  exit 1
fi
