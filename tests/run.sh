#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, builds everything, runs every test.
#
# By default: one optimised build (build/) and its ctest suite.
# In CI (CI=true) or with HFI_SANITIZERS=1: the whole suite twice instead, under ASan+UBSan
# (build-asan/, everything) and under TSan (build-tsan/, the library and its tests), then a brief
# run of every fuzz target (fuzz/run.sh --brief; HFI_FUZZ=1 asks for it outside CI).
# Then the bindings' own runners against the emulator, linked to a libhfi without sanitizers:
# Go (bindings/go/run-tests.sh: go vet, go test -race), Rust (bindings/rust/run-tests.sh:
# cargo test --offline with Debian's crates, clippy, rustdoc, bindgen output current) and C#
# (bindings/csharp/run-tests.sh: dotnet test on both builds, NuGet pack, the example; the .NET
# SDK 8 or later must be on PATH: Debian does not package it).
#   HFI_BUILD_DIR   build directory of the default run (default: build)
#   HFI_SANITIZE    e.g. "address,undefined" or "thread": the default run under that sanitizer
#   HFI_JOBS        parallel build and test jobs (default: number of cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${HFI_JOBS:-$(nproc)}
in_ci=$([ "${CI:-}" = true ] && echo 1 || echo 0)
sanitizers=${HFI_SANITIZERS:-$in_ci}
fuzz=${HFI_FUZZ:-$in_ci}

./tools/ensure-packages.sh build-essential cmake pkg-config ca-certificates curl python3 \
  libcurl4-openssl-dev libsimdjson-dev libssl-dev nlohmann-json3-dev libgtest-dev \
  python3-clang-14 abigail-tools golang-go doxygen \
  bindgen librust-serde-dev librust-serde-derive-dev librust-serde-json-dev

# Any sanitizer report fails the test that caused it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

summary=()
status=0
# suite NAME BUILD_DIR SANITIZE [cmake args...]
suite() {
  local name=$1 dir=$2 sanitize=$3
  shift 3
  local started=$SECONDS result=passed
  echo "== $name: configure and build ($dir)"
  local flags=()
  # Sanitized builds: -O1 with line tables compiles much faster and still reports exact lines.
  [ -n "$sanitize" ] && flags=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
                                -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHFI_WERROR=ON -DHFI_SANITIZE="$sanitize" \
    "${flags[@]}" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  echo "== $name: C and C++ tests (ctest)"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" || { result=FAILED; status=1; }
  summary+=("C/C++ (ctest, $name): $result in $((SECONDS - started)) s")
}

if [ "$sanitizers" = 1 ]; then
  suite "ASan+UBSan" build-asan address,undefined
  suite "TSan" build-tsan thread -DHFI_BUILD_EXAMPLES=OFF -DHFI_BUILD_BENCH=OFF
else
  suite "${HFI_SANITIZE:-optimised}" "${HFI_BUILD_DIR:-build}" "${HFI_SANITIZE:-}"
fi

# The bindings link a libhfi without sanitizers (Go's race detector brings its own runtime): the
# default build when it is one, else build-bindings/ with the libraries only. Their tests run
# against the emulator of the suite that ran.
if [ "$sanitizers" = 1 ] || [ -n "${HFI_SANITIZE:-}" ]; then
  bindings_dir=build-bindings
  emulator_dir=$([ "$sanitizers" = 1 ] && echo build-asan || echo "${HFI_BUILD_DIR:-build}")
  echo "== bindings: libhfi without sanitizers ($bindings_dir)"
  cmake -S . -B "$bindings_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHFI_WERROR=ON \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g0 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g0 -DNDEBUG" \
    -DHFI_BUILD_TESTS=OFF -DHFI_BUILD_EXAMPLES=OFF -DHFI_BUILD_BENCH=OFF >/dev/null
  cmake --build "$bindings_dir" -j"$jobs" --target hfi hfi_static
else
  bindings_dir=${HFI_BUILD_DIR:-build}
  emulator_dir=$bindings_dir
fi
# last_line_of CMD...: CMD's output to stderr as it comes; prints its last line (a runner's summary)
# and returns its status. Not `tee /dev/stderr`: that opens stderr anew, and when stderr is a
# log file it truncates it and then writes over it.
last_line_of() {
  local line last=""
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%s\n' "$line" >&2
    last=$line
  done < <("$@")
  wait $! || { printf '%s\n' "$last"; return 1; }
  printf '%s\n' "$last"
}
echo "== Go binding (bindings/go/run-tests.sh)"
go_summary=$(last_line_of bindings/go/run-tests.sh "$bindings_dir" "$emulator_dir/tests/emulator/hfi-emulator") \
  || status=1
summary+=("$go_summary")
echo "== Rust binding (bindings/rust/run-tests.sh)"
rust_summary=$(last_line_of bindings/rust/run-tests.sh "$bindings_dir" "$emulator_dir/tests/emulator/hfi-emulator") \
  || status=1
summary+=("$rust_summary")
echo "== C# binding (bindings/csharp/run-tests.sh)"
csharp_summary=$(last_line_of bindings/csharp/run-tests.sh "$bindings_dir" "$emulator_dir/tests/emulator/hfi-emulator") \
  || status=1
summary+=("$csharp_summary")

if [ "$fuzz" = 1 ]; then
  echo "== fuzz targets (fuzz/run.sh --brief)"
  started=$SECONDS
  if ./fuzz/run.sh --brief; then
    summary+=("fuzz (brief, every target): passed in $((SECONDS - started)) s")
  else
    summary+=("fuzz (brief, every target): FAILED")
    status=1
  fi
else
  summary+=("fuzz: skipped (CI=true or HFI_FUZZ=1 runs it; long runs: fuzz/run.sh --runs N)")
fi
[ "$sanitizers" = 1 ] || summary+=("ASan+UBSan and TSan suites: skipped (CI=true or HFI_SANITIZERS=1 runs them)")

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
