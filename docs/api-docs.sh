#!/usr/bin/env bash
# Builds the API reference from the public headers' comments with doxygen (docs/Doxyfile) into
# OUTPUT_DIR (default build/docs). Any warning, an undocumented public declaration above all,
# fails the run.
#
#   docs/api-docs.sh [OUTPUT_DIR] [SOURCE_ROOT]
set -euo pipefail
out=${1:-build/docs}
root=${2:-$(cd "$(dirname "$0")/.." && pwd)}
command -v doxygen >/dev/null || { echo "api-docs: doxygen not found (apt-get install doxygen)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
(cat docs/Doxyfile; echo "OUTPUT_DIRECTORY=$out") | doxygen -
echo "api-docs: $out/html/index.html"
