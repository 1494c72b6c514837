"""Checks the header and a built library against the released ABI (abi/baseline/hfi.abi.json).

A program built against the baseline must keep working: every function it may call still
exists with the same signature and symbol version, every constant keeps its value, and every
table slot keeps its index.
"""
import re
import subprocess

from .emit import node, slot
from .header import RELEASE_MACROS, version_key

HOW_TO_CHANGE = ("A released declaration never changes: add a new function (hfi_x_v2) with the next "
                 "release's @since and deprecate the old one.")


def signature(returns, params):
    return f"{returns} ({', '.join(p['type'] for p in params) or 'void'})"


def check_header(header, baseline):
    errors = []
    base_version = baseline["version"]
    if header.abi_version != baseline["abi_version"]:
        errors.append(f"HFI_ABI_VERSION is {header.abi_version}, the baseline's is {baseline['abi_version']}: "
                      "a new ABI generation also needs a new baseline (docs/abi.md, 'Releasing')")
        return errors

    current = {f.name: f for f in header.functions}
    for old in baseline["functions"]:
        name = old["name"]
        new = current.get(name)
        if new is None:
            errors.append(f"{name} was removed, but it is part of the released ABI {base_version}: programs "
                          f"that call it would no longer load. Keep it exported (deprecated) until the "
                          f"next ABI generation.")
            continue
        was = signature(old["returns"], old["params"])
        now = signature(new.returns, [{"type": p.type} for p in new.params])
        if was != now:
            errors.append(f"{name} changed its signature from `{was}` to `{now}`. {HOW_TO_CHANGE}")
        if node(new.doc.since) != old["symbol_version"]:
            errors.append(f"{name} moved from symbol version {old['symbol_version']} to {node(new.doc.since)} "
                          f"(its @since changed from {old['doc']['since']} to {new.doc.since}): programs linked "
                          f"against {name}@{old['symbol_version']} would no longer load")

    for name, new in current.items():
        if name in {f["name"] for f in baseline["functions"]}:
            continue
        if version_key(new.doc.since)[:2] <= version_key(base_version)[:2]:
            errors.append(f"{name} is new but says @since {new.doc.since}, a release that is already out "
                          f"(baseline {base_version}): give it the next release's @since so that it is "
                          "appended to the table and versioned in a new symbol node")

    slots = [slot(f) for f in header.table()]
    for index, old in enumerate(baseline["table"]["slots"]):
        now = slots[index] if index < len(slots) else None
        if now != old:
            errors.append(f"hfi_api_v1 is append-only, but slot {index} held `{old}` in {base_version} and "
                          f"now holds `{now}`. Released functions keep their declaration order in hfi.h "
                          "(the table is ordered by @since, then by declaration); only append.")
            break

    constants = {c.name: c for c in header.constants}
    for old in baseline["constants"]:
        name = old["name"]
        if name in RELEASE_MACROS:
            continue
        new = constants.get(name)
        if new is None:
            errors.append(f"constant {name} was removed; released constants stay (deprecated if need be)")
        elif new.value != old["value"]:
            errors.append(f"constant {name} changed from {old['value']} to {new.value}; released values are "
                          "never renumbered")

    callbacks = {c.name: c for c in header.callbacks}
    for old in baseline["callbacks"]:
        new = callbacks.get(old["name"])
        if new is None:
            errors.append(f"callback type {old['name']} was removed")
            continue
        was = signature(old["returns"], old["params"])
        now = signature(new.returns, [{"type": p.type} for p in new.params])
        if was != now:
            errors.append(f"callback type {old['name']} changed from `{was}` to `{now}`. {HOW_TO_CHANGE}")

    types = {t.name: t for t in header.typedefs}
    for old in baseline["types"]:
        new = types.get(old["name"])
        if new is None:
            errors.append(f"type {old['name']} was removed")
        elif (new.kind, new.target) != (old["kind"], old["target"]):
            errors.append(f"type {old['name']} changed from {old['kind']} {old['target']} to "
                          f"{new.kind} {new.target}")
    return errors


def exported_symbols(library):
    """name@@VERSION of every function the shared library exports, and its SONAME."""
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True,
                         text=True).stdout
    found = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] != "A":  # "A" lines are the version nodes themselves
            found.add(parts[2])
    dynamic = subprocess.run(["objdump", "-p", library], check=True, capture_output=True, text=True).stdout
    soname = (re.search(r"SONAME\s+(\S+)", dynamic) or [None, ""])[1]
    return found, soname


def check_library(header, library, symbols_text):
    errors = []
    expected = set(symbols_text.split())
    found, soname = exported_symbols(library)
    for name in sorted(expected - found):
        errors.append(f"{library} does not export {name}, which hfi.h declares (abi/symbols.txt)")
    for name in sorted(found - expected):
        errors.append(f"{library} exports {name}, which is not in abi/symbols.txt: only functions declared "
                      "in hfi.h may be exported, each in its @since node")
    if soname != f"libhfi.so.{header.abi_version}":
        errors.append(f"{library} has SONAME '{soname}', expected libhfi.so.{header.abi_version} "
                      "(the SONAME is the ABI generation, HFI_ABI_VERSION)")
    return errors, len(found)
