#!/usr/bin/env bash
# N concurrent hfi streams against a local nginx: memory per in-flight stream, threads added.
#
#   bench/many_streams/run.sh [N]            (default N = 10000)
#
# Starts nginx (Debian nginx-light) on a free 127.0.0.1 port with nginx.conf.in, serving the
# canned SSE answer (STREAM_FILE, default /work/shared/bench/www/stream/v1/chat/completions, or
# ../shared/bench/www/... beside the project) slowed to RATE bytes/s per connection so that all
# streams are open at the same time; runs many_streams once per I/O mode; stops nginx.
# Prints one JSON line on stdout ({"n":N,"runs":[...]}, one object per run as many_streams
# prints it) and a human summary on stderr. Exit status 0 only if every run met the targets:
# every stream completed with the right text, RSS growth <= 32 KiB per in-flight stream, and
# hfi added at most one thread (HFI_IO_THREAD) / none (HFI_IO_CALLER).
#
# Environment:
#   MANY_STREAMS  the many_streams binary (default: build/bench/many_streams/many_streams, else
#                 compiled here with cc from HFI_INCLUDE_DIR / HFI_LIB_DIR)
#   IO            caller | thread | both (default both)
#   MODE          poll | pull (default poll)
#   RATE          nginx limit_rate per stream, e.g. 4k (default: STREAM_BYTES / STREAM_SECONDS)
#   STREAM_SECONDS  how long one stream lasts at RATE (default 20)
#   SECONDS_LIMIT   time limit of one run in seconds (default 600)
#   KEEP_LOGS=1   keep the nginx directory and the run logs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export PATH="$PATH:/usr/sbin:/sbin"

n=${1:-10000}
case "$n" in ''|*[!0-9]*) echo "usage: $0 [N]" >&2; exit 2 ;; esac
io=${IO:-both}
mode=${MODE:-poll}
stream_seconds=${STREAM_SECONDS:-20}
seconds_limit=${SECONDS_LIMIT:-600}

stream_file=${STREAM_FILE:-}
if [ -z "$stream_file" ]; then
  for f in /work/shared/bench/www/stream/v1/chat/completions "$repo/../shared/bench/www/stream/v1/chat/completions"; do
    [ -r "$f" ] && { stream_file=$f; break; }
  done
fi
[ -r "$stream_file" ] || { echo "$0: no canned SSE stream; set STREAM_FILE" >&2; exit 2; }
command -v nginx >/dev/null || { echo "$0: nginx not found (apt-get install nginx-light)" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: jq not found (apt-get install jq)" >&2; exit 2; }

work=$(mktemp -d -t hfi-many-streams.XXXXXX)
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -TERM "$nginx_pid"
    for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$nginx_pid" 2>/dev/null && kill -KILL "$nginx_pid"
  fi
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The binary.
bin=${MANY_STREAMS:-$repo/build/bench/many_streams/many_streams}
if [ ! -x "$bin" ]; then
  inc=${HFI_INCLUDE_DIR:-$repo/include}
  lib=${HFI_LIB_DIR:-$repo/build}
  [ -e "$lib/libhfi.so" ] || { echo "$0: no many_streams binary ($bin) and no libhfi.so in $lib; set MANY_STREAMS or HFI_LIB_DIR" >&2; exit 2; }
  bin=$work/many_streams
  cc -std=c99 -O2 -I"$inc" "$here/many_streams.c" -o "$bin" -L"$lib" -lhfi -Wl,-rpath,"$lib"
fi

# The canned answer and the text every stream must produce.
mkdir -p "$work/www/stream/v1/chat"
cp "$stream_file" "$work/www/stream/v1/chat/completions"
chmod -R a+rX "$work"
grep '^data: {' "$stream_file" | sed 's/^data: //' | jq -j '.choices[0].delta.content // ""' >"$work/expected.txt"
stream_bytes=$(wc -c <"$stream_file")
rate=${RATE:-$(( stream_bytes / stream_seconds + 1 ))}

# nginx on a free port: one socket per stream, plus slack.
connections=$(( n + 2000 ))
nofile=$(( 2 * n + 4000 ))
start_nginx() {
  local port=$1
  sed -e "s|@DIR@|$work|g" -e "s|@PORT@|$port|g" -e "s|@RATE@|$rate|g" \
      -e "s|@CONNECTIONS@|$connections|g" -e "s|@NOFILE@|$nofile|g" \
      "$here/nginx.conf.in" >"$work/nginx.conf"
  rm -f "$work/nginx.pid"
  nginx -p "$work" -c "$work/nginx.conf" -e "$work/error.log" 2>>"$work/nginx.err" || return 1
  for _ in $(seq 100); do [ -s "$work/nginx.pid" ] && break; sleep 0.05; done
  [ -s "$work/nginx.pid" ]
}
port=""
for candidate in $(shuf -i 20000-32000 -n 20); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then continue; fi
  if start_nginx "$candidate"; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "$0: could not start nginx" >&2; cat "$work/nginx.err" "$work/error.log" >&2 2>/dev/null; exit 1; }
nginx_pid=$(cat "$work/nginx.pid")
url="http://127.0.0.1:$port/stream/v1/chat/completions"
echo "nginx $nginx_pid on 127.0.0.1:$port, limit_rate $rate B/s per stream ($stream_bytes-byte stream, ~$(( stream_bytes / rate )) s)" >&2

# The program itself raises RLIMIT_NOFILE to the hard limit.
case "$io" in both) ios="caller thread" ;; caller|thread) ios=$io ;; *) echo "IO must be caller, thread or both" >&2; exit 2 ;; esac
case "$mode" in poll|pull) ;; *) echo "MODE must be poll or pull" >&2; exit 2 ;; esac
runs=() ok=1
for one in $ios; do
  flags=(--url "$url" --streams "$n" --expect-file "$work/expected.txt" --seconds "$seconds_limit" --$mode)
  [ "$one" = thread ] && flags+=(--io-thread)
  echo "== many_streams ${flags[*]}" >&2
  set +e
  "$bin" "${flags[@]}" >"$work/run-$one.json" 2>"$work/run-$one.log"
  rc=$?
  set -e
  grep -v '^\[' "$work/run-$one.log" >&2 || true
  line=$(tail -n 1 "$work/run-$one.json")
  [ -n "$line" ] || line="{\"io\":\"$one\",\"error\":\"no output, exit status $rc\"}"
  runs+=("$line")
  # Targets.
  verdict=$(jq -r --argjson max_threads "$([ "$one" = thread ] && echo 1 || echo 0)" '
    [ (if .completed == .streams and .wrong == 0 and .failed == 0 then empty else "not every stream completed with the right text" end),
      (if .rss_per_stream_kib <= 32 then empty else "RSS growth \(.rss_per_stream_kib) KiB per stream > 32" end),
      (if .threads_added <= $max_threads then empty else "hfi added \(.threads_added) threads > \($max_threads)" end)
    ] | if length == 0 then "PASS" else "FAIL: " + join("; ") end' <<<"$line" 2>/dev/null || echo "FAIL: no result")
  echo "   $one: $verdict" >&2
  case "$verdict" in PASS) ;; *) ok=0 ;; esac
done
joined=$(IFS=,; echo "${runs[*]}")
echo "{\"n\":$n,\"rate\":$rate,\"mode\":\"$mode\",\"runs\":[$joined]}"
[ "$ok" = 1 ]
