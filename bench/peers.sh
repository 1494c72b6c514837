#!/usr/bin/env bash
# The side-by-side benchmark with hfi in it, and its committed results, in one command:
# runs ../shared/bench/run-peers.sh with hfi-bench (HFI_IO_CALLER, as "hfi") and its HFI_IO_THREAD
# variant ("hfi-thread"), then writes
#   bench/results/peers.jsonl   every JSON line of the run
#   bench/results/peers.md      the markdown table run-peers.sh prints
#   bench/results/peers.png     the chart (bench/chart.sh)
# and prints the ratios paired within each round (bench/paired.mjs) on stderr, against the floor
# and against @huggingface/inference.
#
# usage: bench/peers.sh [SECONDS]      (default 3; BENCH_ROUNDS, BENCH_SCENARIOS, BENCH_PORT...
#                                       are passed through to run-peers.sh)
# environment:
#   HFI_BENCH_BIN     the hfi-bench executable (default: build/bench/hfi-bench)
#   HFI_BENCH_SHARED  the shared benchmark directory (default: ../shared/bench beside the project)
#   HFI_BENCH_OUT     output directory (default: bench/results)
#   HFI_BENCH_VARIANTS  hfi-bench variants to run, space-separated; "-" is the default client
#                       (default: "- thread"; e.g. "-" for hfi only, "- poll thread")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
secs=${1:-3}
bin=${HFI_BENCH_BIN:-$root/build/bench/hfi-bench}
shared=${HFI_BENCH_SHARED:-$root/../shared/bench}
out=${HFI_BENCH_OUT:-$here/results}
variants=${HFI_BENCH_VARIANTS:-"- thread"}

[ -x "$bin" ] || { echo "$bin not found: build first (cmake --build build --target hfi-bench)" >&2; exit 1; }
[ -x "$shared/run-peers.sh" ] || { echo "$shared/run-peers.sh not found (set HFI_BENCH_SHARED)" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
mkdir -p "$out"

# One command per scenario that prints one JSON line per variant.
cmd=""
for v in $variants; do
  [ -n "$cmd" ] && cmd+=" && "
  cmd+="$(printf '%q' "$bin") {mode} {seconds} {concurrency} {url}"
  [ "$v" != "-" ] && cmd+=" $v"
done

jsonl=$(mktemp -t hfi-peers.XXXXXX)
trap 'rm -f "$jsonl"' EXIT
HFI_BENCH_CMD=$cmd BENCH_JSONL=$jsonl "$shared/run-peers.sh" "$secs" | tee "$out/peers.md.new"
mv "$out/peers.md.new" "$out/peers.md"
cp "$jsonl" "$out/peers.jsonl"
"$here/chart.sh" "$out/peers.jsonl" "$out/peers.png"
echo "ratios paired within each round (bench/paired.mjs), vs the floor and vs @huggingface/inference:" >&2
node "$here/paired.mjs" "$out/peers.jsonl" >&2
node "$here/paired.mjs" "$out/peers.jsonl" hf-inference-js >&2
echo "wrote $out/peers.md, $out/peers.jsonl, $out/peers.png" >&2
