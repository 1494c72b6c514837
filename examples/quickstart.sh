#!/usr/bin/env bash
# From a fresh clone on Debian 12 to an answer:
#
#   ./examples/quickstart.sh "What is the capital of France?"
#
# 1. installs the build dependencies that are missing (apt-get; sudo when not root),
# 2. builds the `hfi` command-line tool and the emulator into build/ (an existing build/ is reused),
# 3. asks the model: with HF_TOKEN set, through the Hugging Face router (HFI_MODEL picks the model);
#    without it, the bundled emulator (tests/emulator) answers locally, so no account is needed.
#
# stdout carries only the answer; everything else goes to stderr. The exit status is the CLI's
# (see `build/examples/cli/hfi --help`). HFI_BUILD_DIR overrides the build directory.
set -euo pipefail

prompt=${1:-"Say hello in one short sentence."}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HFI_BUILD_DIR:-"$root/build"}

say() { printf '%s\n' "$*" >&2; }

# Checks each package (dpkg), then installs only the missing ones: apt-get update once,
# --no-install-recommends, noninteractive; as root directly, else through sudo.
bash "$root/tools/ensure-packages.sh" build-essential g++ cmake pkg-config ca-certificates \
  libcurl4-openssl-dev libsimdjson-dev libssl-dev nlohmann-json3-dev libgtest-dev >&2

configure=(-S "$root" -B "$build" -DHFI_BUILD_EXAMPLES=ON -DHFI_BUILD_TESTS=ON)
# A build directory that exists keeps its own build type; a new one gets an optimised build.
[ -f "$build/CMakeCache.txt" ] || configure+=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
say "Building the hfi CLI and the emulator in $build ..."
cmake "${configure[@]}" >&2
cmake --build "$build" --target hfi_cli hfi-emulator -j"$(nproc)" >&2

cli=("$build/examples/cli/hfi" chat)
[ -n "${HFI_MODEL:-}" ] && cli+=(--model "$HFI_MODEL")

if [ -n "${HF_TOKEN:-}" ]; then
  say "Using the Hugging Face router (HF_TOKEN is set)."
  status=0
  "${cli[@]}" "$prompt" || status=$?
  exit "$status"
fi

say "HF_TOKEN is not set: answering from the bundled emulator (tests/emulator)."
scratch=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    (sleep 5; kill -KILL "$emulator_pid") >/dev/null 2>&1 &  # if it is still there after 5 s
    local watchdog=$!
    wait "$emulator_pid" 2>/dev/null || true
    kill "$watchdog" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$build/tests/emulator/hfi-emulator" --port 0 --port-file "$scratch/port" --quiet >"$scratch/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do  # up to 10 s
  [ -s "$scratch/port" ] && break
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    say "The emulator exited before listening:"
    cat "$scratch/emulator.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ ! -s "$scratch/port" ]; then
  say "The emulator did not start listening within 10 s:"
  cat "$scratch/emulator.log" >&2
  exit 1
fi
port=$(cat "$scratch/port")

status=0
"${cli[@]}" --router-url "http://127.0.0.1:$port" --no-env-token "$prompt" || status=$?
say "Set HF_TOKEN (https://huggingface.co/settings/tokens) and run this again to ask a real model."
exit "$status"
