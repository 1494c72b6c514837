#!/usr/bin/env bash
# Runs an example program against a fresh local hfi-emulator, optionally queueing a script step first.
#
#   run_with_emulator.sh --emulator PATH --program PATH [--threads N] [--script JSON] -- [program args]
#   run_with_emulator.sh --emulator PATH [--threads N] [--script JSON] -- COMMAND [args with {url}]
#
# The emulator listens on a free loopback port. With --program, its URL is the program's first
# argument, followed by the arguments after `--`; without, the command after `--` runs with every
# `{url}` in its arguments replaced by the URL (`cargo run -- --base-url {url}/v1`, `dotnet run`).
# --script JSON is POSTed to /_emulator/script before the program starts, e.g.
#   --script '{"default_sse":true,"chunk_delay_ms":30,"repeat":100}'
# Exits with the program's status (2 for a bad command line, 1 if the emulator did not start).
set -uo pipefail
export LC_ALL=C  # ${#script} counts bytes

emulator="" program="" threads=128 script=""
while [ $# -gt 0 ]; do
  case "$1" in
    --emulator) emulator=$2; shift 2 ;;
    --program) program=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --script) script=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 --emulator PATH [--program PATH] [--threads N] [--script JSON] -- [COMMAND] [args]" >&2; exit 2 ;;
  esac
done
if [ ! -x "$emulator" ] || { [ -n "$program" ] && [ ! -x "$program" ]; } || { [ -z "$program" ] && [ $# -eq 0 ]; }; then
  echo "usage: $0 --emulator PATH [--program PATH] [--threads N] [--script JSON] -- [COMMAND] [args]" >&2
  exit 2
fi

work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null
    (sleep 5; kill -KILL "$emulator_pid") >/dev/null 2>&1 &
    local watchdog=$!
    wait "$emulator_pid" 2>/dev/null
    kill "$watchdog" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$emulator" --port 0 --port-file "$work/port" --threads "$threads" --quiet >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 100); do
  [ -s "$work/port" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$work/port" ]; then
  echo "$0: the emulator did not start" >&2
  cat "$work/emulator.out" "$work/emulator.err" >&2
  exit 1
fi
url="http://127.0.0.1:$(cat "$work/port")"

# POST the script step in plain bash (no curl needed); the answer must be 2xx.
if [ -n "$script" ]; then
  port=$(cat "$work/port")
  exec 3<>"/dev/tcp/127.0.0.1/$port" || { echo "$0: cannot reach the emulator" >&2; exit 1; }
  printf 'POST /_emulator/script HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "${#script}" "$script" >&3
  response=$(timeout 10 cat <&3)
  exec 3<&-
  if ! [[ "$response" =~ ^HTTP/1\.[01]\ 2[0-9][0-9] ]]; then
    echo "$0: the emulator refused the script $script: ${response#*$'\r\n\r\n'}" >&2
    exit 1
  fi
fi

if [ -n "$program" ]; then
  "$program" "$url" "$@"
else
  command=()
  for word in "$@"; do command+=("${word//\{url\}/$url}"); done
  "${command[@]}"
fi
