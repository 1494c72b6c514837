#!/usr/bin/env bash
# Every complete C and C++ program in the README (a ```c or ```cpp block with a main) compiles
# against the headers, warnings as errors, so that the examples people copy cannot rot.
#
#   readme_snippets_test.sh SOURCE_ROOT C_COMPILER CXX_COMPILER
set -uo pipefail
root=$(cd "$1" && pwd)
cc=$2
cxx=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$root/README.md" "$work" <<'PY' || exit 1
import re, sys
readme, work = sys.argv[1], sys.argv[2]
blocks = re.findall(r"^```(c|cpp)\n(.*?)^```", open(readme).read(), re.M | re.S)
count = 0
for language, code in blocks:
    if "int main" not in code:
        continue
    count += 1
    open(f"{work}/snippet{count}.{language}", "w").write(code)
if count == 0:
    sys.exit("the README has no C or C++ program")
PY

passed=0 failed=0
for file in "$work"/snippet*; do
  case $file in
    *.c) what="C" compile=("$cc" -std=c11) ;;
    *) what="C++" compile=("$cxx" -std=c++17) ;;
  esac
  first=$(grep -m1 -v '^#include\|^$' "$file")
  if "${compile[@]}" -Wall -Wextra -Werror -fsyntax-only -I"$root/include" "$file" >"$work/log" 2>&1; then
    echo "ok - the README's $what program (${first:0:60}) compiles"
    passed=$((passed + 1))
  else
    echo "not ok - the README's $what program (${first:0:60}) compiles"
    sed 's/^/#   /' "$work/log"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
