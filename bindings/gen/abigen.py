#!/usr/bin/env python3
"""The ABI contract of hfi, derived from include/hfi/hfi.h (docs/abi.md).

  abigen.py [--root DIR]            lint the header and (re)write every generated file
  abigen.py --check [--root DIR]    lint, and fail with a diff if a generated file is stale
  abigen.py compat [--root DIR] [--baseline FILE] [--library LIBHFI_SO]
                                    lint, and fail if the header (and the built library) break
                                    the released ABI in abi/baseline/
  abigen.py baseline --library LIBHFI_SO [--root DIR]
                                    make the current ABI the released one (a release step):
                                    abi/baseline/hfi.abi.json and abidw's abi/baseline/libhfi.abi

Generated: abi/hfi.abi.json (the manifest), abi/symbols.txt, include/hfi/hfi_api.h,
src/capi/api_table.cpp, src/hfi.map, the C# P/Invoke layer bindings/csharp/src/Hfi/Native/*.g.cs and
the status codes table of README.md (whose client options table it checks against the header).
Needs python3 and Debian's python3-clang-14 (abidw from abigail-tools for `baseline`). Exit status:
0 fine, 1 a rule is broken, 2 bad usage.
"""
import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # CI runs this from the source tree: leave nothing behind
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hfi_abi import compat, emit, emit_csharp, emit_readme, header as hdr, lint  # noqa: E402

HEADER = "include/hfi/hfi.h"
BASELINE = "abi/baseline/hfi.abi.json"
ABIDW_BASELINE = "abi/baseline/libhfi.abi"


def fail(errors, what):
    for e in errors:
        print(e, file=sys.stderr)
    print(f"abigen: {len(errors)} {what}", file=sys.stderr)
    sys.exit(1)


def load(root):
    path = os.path.join(root, HEADER)
    if not os.path.isfile(path):
        sys.exit(f"abigen: no {HEADER} under {root}")
    include = os.path.join(root, "include")
    header = hdr.parse(path, include_dirs=[include])
    errors = lint.Lint(header).run(hdr.prototypes_without_guard(path, include_dirs=[include]))
    if errors:
        fail(errors, "header rule(s) broken")
    return header


def generate(root, header, check):
    try:
        generated = emit.outputs(header)
    except emit_csharp.BindingError as e:
        fail(e.errors, "declaration(s) the C# binding cannot express")
    readme = os.path.join(root, "README.md")
    if os.path.exists(readme):
        generated["README.md"], problems = emit_readme.refresh(header, open(readme, encoding="utf-8").read())
        if problems:
            fail(problems, "README reference table problem(s)")
    stale = []
    for rel, text in generated.items():
        path = os.path.join(root, rel)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if old == text:
            continue
        if check:
            stale.append(rel)
            sys.stderr.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       f"a/{rel}", f"b/{rel}", n=2))
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"abigen: wrote {rel}")
    if stale:
        fail([f"{rel} is not what hfi.h generates" for rel in stale],
             "generated file(s) out of date: run bindings/gen/abigen.py and commit the result")
    if check:
        print(f"abigen: {len(generated)} generated files match hfi.h "
              f"({len(header.functions)} functions, {len(header.table())} table slots)")


def run_compat(root, header, baseline_path, library):
    with open(baseline_path, encoding="utf-8") as f:
        baseline = json.load(f)
    errors = compat.check_header(header, baseline)
    exported = None
    if library:
        with open(os.path.join(root, "abi/symbols.txt"), encoding="utf-8") as f:
            library_errors, exported = compat.check_library(header, library, f.read())
        errors += library_errors
    if errors:
        fail(errors, f"incompatible change(s) against the released ABI {baseline['version']}")
    added = len(header.functions) - len(baseline["functions"])
    print(f"abigen: compatible with the released ABI {baseline['version']} "
          f"({len(baseline['functions'])} functions kept, {added} added"
          + (f"; the library exports exactly the {exported} declared symbols)" if library else ")"))


def make_baseline(root, header, library):
    os.makedirs(os.path.join(root, "abi/baseline"), exist_ok=True)
    with open(os.path.join(root, BASELINE), "w", encoding="utf-8") as f:
        f.write(emit.manifest(header))
    if shutil.which("abidw") is None:
        sys.exit("abigen: abidw not found (apt-get install abigail-tools)")
    subprocess.run(["abidw", "--headers-dir", os.path.join(root, "include/hfi"), "--drop-private-types",
                    "--no-show-locs", "--type-id-style", "hash",
                    "--out-file", os.path.join(root, ABIDW_BASELINE), library], check=True)
    print(f"abigen: the released ABI is now {header.version}: {BASELINE}, {ABIDW_BASELINE}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", choices=["generate", "compat", "baseline"], default="generate")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument("--check", action="store_true", help="verify the generated files instead of writing them")
    parser.add_argument("--baseline", help=f"released manifest (default: ROOT/{BASELINE})")
    parser.add_argument("--library", help="a built libhfi.so whose exported symbols and SONAME to check")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    header = load(root)
    if args.mode == "generate":
        generate(root, header, args.check)
    elif args.mode == "compat":
        run_compat(root, header, args.baseline or os.path.join(root, BASELINE), args.library)
    else:
        if not args.library:
            parser.error("baseline needs --library")
        make_baseline(root, header, args.library)


if __name__ == "__main__":
    main()
