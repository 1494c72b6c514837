#!/usr/bin/env bash
# The API reference builds from the public headers without a warning, and the check catches an
# undocumented declaration (a scratch copy of the headers with one doc comment removed).
#
#   api_docs_test.sh SOURCE_ROOT
set -uo pipefail
root=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

if "$root/docs/api-docs.sh" "$work/out" "$root" >"$work/log" 2>&1; then
  echo "ok - the API reference builds without a warning"
else
  echo "not ok - the API reference builds without a warning"; sed 's/^/#   /' "$work/log"; failed=1
fi

mkdir -p "$work/scratch/include/hfi" "$work/scratch/docs"
cp "$root"/include/hfi/*.h "$root"/include/hfi/*.hpp "$work/scratch/include/hfi/"
cp "$root/docs/Doxyfile" "$root/docs/api-docs.sh" "$root/docs/api.dox" "$work/scratch/docs/"
# Drop the doc comment of hfi_client_wakeup(): from the last "/**" before it to its "*/".
python3 - "$work/scratch/include/hfi/hfi.h" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
at = text.index("HFI_API hfi_status HFI_CALL hfi_client_wakeup(")
start = text.rindex("/**", 0, at)
end = text.index("*/", start) + 2
open(path, "w").write(text[:start] + text[end:])
PY
if "$work/scratch/docs/api-docs.sh" "$work/out2" "$work/scratch" >"$work/log2" 2>&1; then
  echo "not ok - an undocumented function fails the check"; failed=1
elif grep -q "hfi_client_wakeup" "$work/log2" && grep -qi "not documented" "$work/log2"; then
  echo "ok - an undocumented function fails the check, naming it"
else
  echo "not ok - an undocumented function fails the check, naming it"; sed 's/^/#   /' "$work/log2"; failed=1
fi
exit $failed
