#!/usr/bin/env bash
# The README's walk from the Quick start to an image, run as written: the shell block after
# "try it on the emulator" starts the emulator and has the CLI make fox.png. Only the build
# directory and the port change (a free one instead of 8099), and the script waits for the
# emulator to listen where a person would simply type the next line.
#
#   readme_walkthrough_test.sh SOURCE_ROOT BUILD_DIR
set -uo pipefail
root=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$root/README.md" "$build" "$port" >"$work/walk.sh" <<'PY' || exit 1
import re, sys
readme, build, port = sys.argv[1:]
text = open(readme).read()
at = text.find("try it on the emulator")
match = re.compile(r"^```sh\n(.*?)^```", re.M | re.S).search(text, at) if at >= 0 else None
if not match:
    sys.exit("the README has no shell block after 'try it on the emulator'")
print("trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT  # the emulator goes with the script")
for line in match.group(1).replace("build/", build + "/").replace("8099", port).splitlines():
    print(line)
    if line.rstrip().endswith("&"):  # the emulator: wait until it listens
        print(f"for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; sleep 0.1; done")
PY
echo "# the README's block, as run:"
sed 's/^/#   /' "$work/walk.sh"
cd "$work" && bash -e walk.sh >"$work/out" 2>&1
status=$?
if [ "$status" -eq 0 ] && [ "$(head -c 4 "$work/fox.png" 2>/dev/null | tail -c 3)" = "PNG" ]; then
  echo "ok - the README's emulator walk-through writes fox.png"
  exit 0
fi
echo "not ok - the README's emulator walk-through writes fox.png (exit $status)"
sed 's/^/#   /' "$work/out"
exit 1
