#!/usr/bin/env bash
# The Go binding's checks, as ./tests/run.sh runs them: gofmt, go vet, go test -race against the
# emulator, and a -tags hfi_static build that must not need libhfi.so.
#
#   bindings/go/run-tests.sh BUILD_DIR EMULATOR
#
# BUILD_DIR is a CMake build of libhfi without sanitizers (the race detector brings its own
# runtime): its hfi-uninstalled.pc points cgo at the headers and the library. The last line
# printed is the summary.
set -uo pipefail
build=$(cd "$1" && pwd) emulator=$(readlink -f "$2")
cd "$(dirname "$0")"
export PKG_CONFIG_PATH=$build HFI_EMULATOR=$emulator GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=1
failures=()
started=$SECONDS

unformatted=$(gofmt -l .)
[ -z "$unformatted" ] || { echo "gofmt: not formatted: $unformatted"; failures+=(gofmt); }
go vet ./... || failures+=("go vet")

log=$(mktemp)
go test -race -count=1 -v ./... 2>&1 | tee "$log" | grep -E '^(--- |FAIL|ok|panic|PASS)'
test_status=${PIPESTATUS[0]}
passed=$(grep -c '^--- PASS' "$log") failed=$(grep -c '^--- FAIL' "$log")
[ "$test_status" -eq 0 ] || { failures+=("go test"); grep -B2 -A20 -- '--- FAIL' "$log" | head -80; }
rm -f "$log"

static=$(mktemp -d)
if go build -tags hfi_static -o "$static/chat" ./examples/chat && ! readelf -d "$static/chat" | grep -q 'libhfi\.so'; then
  echo "ok: -tags hfi_static links libhfi.a (no libhfi.so needed)"
  # The example itself, against an emulator of its own.
  answer=$(../../examples/run_with_emulator.sh --emulator "$emulator" --threads 4 -- \
    "$static/chat" -base-url "{url}/v1" "from the Go example" 2>&1)
  if [ "$answer" = "Hello! You said: from the Go example" ]; then
    echo "ok: examples/chat streams from the emulator"
  else
    echo "examples/chat: got '$answer'"
    failures+=("example")
  fi
else
  failures+=("static build")
fi
rm -rf "$static"

if [ ${#failures[@]} -eq 0 ]; then
  echo "Go (go test -race, go vet, gofmt, static build, example): passed, $passed tests in $((SECONDS - started)) s"
else
  echo "Go: FAILED (${failures[*]}): $passed tests passed, $failed failed"
  exit 1
fi
