#!/usr/bin/env bash
# The C# binding's checks, as ./tests/run.sh runs them: both builds of the library (netstandard2.1
# for Unity, net8.0) compile without a warning, dotnet test passes against the emulator (the
# net8.0 build, and the netstandard2.1 build through the pull API), the NuGet package holds both
# and libhfi.so, the example streams from the emulator, and the benchmark builds.
#
#   bindings/csharp/run-tests.sh BUILD_DIR EMULATOR
#
# BUILD_DIR is a CMake build of libhfi without sanitizers (its libhfi.so is copied beside the
# tests). The generated P/Invoke layer is checked with the other generated files (abigen --check,
# ctest label abi). The last line printed is the summary.
set -uo pipefail
build=$(cd "$1" && pwd) emulator=$(readlink -f "$2")
cd "$(dirname "$0")"
export HFI_EMULATOR=$emulator DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
props=(-p:HfiNativeDir="$build" -nologo -v:q)
failures=()
started=$SECONDS

if ! command -v dotnet >/dev/null; then
  echo "C#: FAILED (dotnet not found: install the .NET SDK 8 or later)"
  exit 1
fi

dotnet build src/Hfi/Hfi.csproj -c Release "${props[@]}" || failures+=("library build")

log=$(mktemp)
passed=0 failed=0
for project in tests/Hfi.Tests tests/Hfi.Tests.Pull; do
  # A test that hangs fails by name after two minutes instead of stalling CI.
  dotnet test "$project" -c Release "${props[@]}" --logger "console;verbosity=normal" \
    --blame-hang --blame-hang-timeout 120s --blame-hang-dump-type none >"$log" 2>&1
  status=$?
  p=$(sed -nE 's/^ *Passed: *([0-9]+).*/\1/p' "$log" | tail -1) f=$(sed -nE 's/^ *Failed: *([0-9]+).*/\1/p' "$log" | tail -1)
  echo "$project: ${p:-0} passed, ${f:-0} failed"
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ] || [ -z "$p" ]; then
    failures+=("dotnet test $project")
    grep -E -A25 '^ *Failed [A-Z]' "$log" | head -150
    grep -E '(error|warning) [A-Z]+[0-9]+' "$log" | sort -u | head -40
    [ -n "$p" ] || tail -40 "$log"
  fi
done

out=$(mktemp -d)
if dotnet pack src/Hfi/Hfi.csproj -c Release -o "$out" "${props[@]}" >"$log" 2>&1; then
  listing=$(python3 -m zipfile -l "$out"/Hfi.*.nupkg)
  for entry in lib/netstandard2.1/Hfi.dll lib/net8.0/Hfi.dll lib/netstandard2.1/Hfi.xml runtimes/linux-x64/native/libhfi.so README.md; do
    grep -q " *$entry " <<<"$listing" || grep -q "^$entry" <<<"$listing" || { echo "the package lacks $entry"; failures+=("pack: $entry"); }
  done
else
  cat "$log"
  failures+=(pack)
fi
rm -rf "$out"

# The example, both ways of reading a stream, against an emulator of its own.
if dotnet build examples/Chat -c Release "${props[@]}" >"$log" 2>&1; then
  for mode in "" --frame-loop; do
    answer=$(../../examples/run_with_emulator.sh --emulator "$emulator" --threads 4 -- \
      dotnet run --no-build -c Release --project examples/Chat -- --base-url "{url}/v1" $mode "from the C# example" 2>&1)
    [ "$answer" = "Hello! You said: from the C# example" ] || { echo "example ${mode:-await foreach}: got '$answer'"; failures+=("example $mode"); }
  done
else
  cat "$log"
  failures+=("example build")
fi

dotnet build bench/Hfi.Bench -c Release "${props[@]}" >"$log" 2>&1 || { cat "$log"; failures+=("bench build"); }
rm -f "$log"

if [ ${#failures[@]} -eq 0 ]; then
  echo "C# (dotnet test, netstandard2.1 + net8.0 builds, NuGet pack, example): passed, $passed tests in $((SECONDS - started)) s"
else
  echo "C#: FAILED (${failures[*]}): $passed tests passed, $failed failed"
  exit 1
fi
