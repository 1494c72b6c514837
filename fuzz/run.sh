#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan), makes their seed corpora from
# ../shared/fixtures, and runs each one, printing one line per target.
#   fuzz/run.sh --brief              CI: a few seconds per target
#   fuzz/run.sh [--runs N] [target]  long run: N executions per target (default 10000000)
#   HFI_FUZZ_BUILD_DIR               build directory (default build-fuzz)
#   HFI_FUZZ_SANITIZE                sanitizers of the build (default address,undefined; empty for
#                                    the fastest long runs, where libFuzzer still catches crashes,
#                                    hangs, leaks of its own accounting and the targets' invariants)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${HFI_FUZZ_BUILD_DIR:-build-fuzz}
mode=(-runs=10000000)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --brief) mode=(-max_total_time=${HFI_FUZZ_SECONDS:-15}) ;;
    --runs) mode=(-runs="$2"); shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_sse fuzz_chat fuzz_task_response fuzz_text fuzz_options)

./tools/ensure-packages.sh clang-14 libclang-rt-14-dev python3 cmake libcurl4-openssl-dev libsimdjson-dev
fixtures=$root/../shared/fixtures
[ -d "$fixtures" ] || { echo "fuzz: no fixtures at $fixtures" >&2; exit 1; }

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHFI_BUILD_FUZZ=ON \
  -DHFI_SANITIZE="${HFI_FUZZ_SANITIZE-address,undefined}" -DHFI_BUILD_TESTS=OFF -DHFI_BUILD_EXAMPLES=OFF -DHFI_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"${HFI_JOBS:-$(nproc)}" --target "${targets[@]}" >/dev/null
python3 fuzz/make-seeds.py "$fixtures" "$build/seeds" >/dev/null
mkdir -p "$build/corpus" "$build/crashes"

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1
status=0
printf '%-20s %12s %8s %10s %8s  %s\n' target executions seconds exec/s corpus result
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  log="$build/$t.log"
  start=$(date +%s.%N)
  result=ok
  "$build/fuzz/$t" "${mode[@]}" -max_len="${HFI_FUZZ_MAX_LEN:-4096}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t-" -dict=fuzz/hfi.dict "$build/corpus/$t" "$build/seeds/$t" >"$log" 2>&1 ||
    { result="CRASH (log: $log, input in $build/crashes/)"; status=1; }
  end=$(date +%s.%N)
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log" | tail -1)
  corpus=$(find "$build/corpus/$t" -type f | wc -l)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')
  rate=$(awk -v n="${execs:-0}" -v s="$secs" 'BEGIN {printf "%.0f", (s > 0 ? n / s : 0)}')
  printf '%-20s %12s %8s %10s %8s  %s\n' "$t" "${execs:-?}" "$secs" "$rate" "$corpus" "$result"
done
exit $status
