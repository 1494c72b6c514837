"""The raw C# layer of bindings/csharp, generated from the header: one P/Invoke declaration per
function, one delegate per callback type, the constants as enums and const fields, and one
SafeHandle per handle type that has a `<type>_free` function.

Only blittable types cross: pointers become IntPtr or typed pointers, callbacks IntPtr (callers
pass Marshal.GetFunctionPointerForDelegate). The code compiles as C# 9 for netstandard2.1 (Unity)
and for current .NET: no function pointers, no nint, no file-scoped namespaces, no LibraryImport.
A C type or a constant this module does not know fails the generation instead of being dropped.
"""
import re
import textwrap

NATIVE_DIR = "bindings/csharp/src/Hfi/Native"
WIDTH = 120
INDENT = "    "

# C scalar types (or typedefs of them, like hfi_status) and their C# spelling.
SCALARS = {
    "int32_t": "int",
    "uint32_t": "uint",
    "int64_t": "long",
    "uint64_t": "ulong",
    "size_t": "UIntPtr",
    "double": "double",
}

# C# keywords a C parameter name may collide with; such a name gets an @ prefix.
KEYWORDS = frozenset("""
    abstract as base bool break byte case catch char checked class const continue decimal default
    delegate do double else enum event explicit extern false finally fixed float for foreach goto if
    implicit in int interface internal is lock long namespace new null object operator out override
    params private protected public readonly ref return sbyte sealed short sizeof stackalloc static
    string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using virtual
    void volatile while
""".split())

# Constants, by prefix: (C prefix, C# type, "enum" for a public enum or "class" for internal consts).
GROUPS = (
    ("HFI_E_", "HfiStatus", "enum"),
    ("HFI_IO_", "IoMode", "enum"),
    ("HFI_LOG_", "LogLevel", "enum"),
    ("HFI_OPT_", "ClientOption", "class"),
    ("HFI_REQ_", "RequestOption", "class"),
    ("HFI_EVENT_", "EventType", "class"),
    ("HFI_TASK_", "TaskKind", "class"),
)
# Status codes outside HFI_E_*: success and the positive "nothing to hand back" codes.
STATUS_NAMES = ("HFI_OK", "HFI_NO_EVENT", "HFI_PENDING")
# The header's version macros: C# name and type in HeaderVersion.
VERSION = {
    "HFI_VERSION_MAJOR": ("Major", "int"),
    "HFI_VERSION_MINOR": ("Minor", "int"),
    "HFI_VERSION_PATCH": ("Patch", "int"),
    "HFI_VERSION_NUM": ("Number", "uint"),
    "HFI_VERSION_STR": ("Text", "string"),
    "HFI_ABI_VERSION": ("Abi", "uint"),
}
# Constants with no C# counterpart: C# passes lengths explicitly.
SKIPPED = {"HFI_NUL_TERMINATED"}


class BindingError(Exception):
    """The header has something the C# layer cannot express; `errors` says what and where."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


class Unmapped(Exception):
    pass


# ---- text ----------------------------------------------------------------------------------------

# C abbreviations that read badly as one capitalised word.
WORDS = {"nomem": "NoMemory"}


def pascal(snake):
    """INVALID_ARG -> InvalidArg, client_options -> ClientOptions, NOMEM -> NoMemory."""
    return "".join(WORDS.get(word, word.capitalize()) for word in snake.lower().split("_") if word)


def identifier(name):
    return "@" + name if name in KEYWORDS else name


def prose(text):
    """Doxygen text as XML doc text: one line, escaped, `code` as <c>, #NAME links as NAME."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"`([^`]+)`", r"<c>\1</c>", text)
    return re.sub(r"#(?=[A-Za-z_])", "", text)


def sentence(text):
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def xml_doc(tag, text, indent):
    """`/// <tag>text</tag>`, on one line when it fits, else wrapped inside the tag."""
    one = f"{indent}/// <{tag}>{text}</{tag}>"
    if len(one) <= WIDTH:
        return [one]
    body = textwrap.wrap(text, WIDTH - len(indent) - 4, break_long_words=False, break_on_hyphens=False)
    return [f"{indent}/// <{tag}>"] + [f"{indent}/// {line}" for line in body] + [f"{indent}/// </{tag}>"]


def member_docs(doc, indent, fallback):
    lines = xml_doc("summary", prose(doc.summary) or fallback, indent)
    remarks = []
    if doc.ownership:
        remarks.append(f"Ownership: {sentence(doc.ownership)}")
    if doc.thread_safety:
        remarks.append(f"Thread safety: {sentence(doc.thread_safety)}")
    if doc.deprecated:
        remarks.append(f"Deprecated: {sentence(doc.deprecated)}")
    if doc.since:
        remarks.append(f"Since {doc.since}.")
    if remarks:
        lines += xml_doc("remarks", prose(" ".join(remarks)), indent)
    return lines


def signature(head, params, indent):
    """`head(p1, p2);` on one line when it fits, else the parameters wrapped beneath it."""
    one = f"{indent}{head}({', '.join(params)});"
    if len(one) <= WIDTH or not params:
        return [one]
    lines, current = [], f"{indent}{head}("
    for i, piece in enumerate(params):
        piece += ");" if i == len(params) - 1 else ","
        if len(current) + 1 + len(piece) > WIDTH and not current.endswith("("):
            lines.append(current)
            current = indent + INDENT * 2 + piece
        else:
            current += ("" if current.endswith("(") else " ") + piece
    return lines + [current]


def banner(generated):
    return f"// <auto-generated>\n// {generated}\n// </auto-generated>\n"


# ---- types ---------------------------------------------------------------------------------------

class TypeMap:
    def __init__(self, header):
        self.handles = {t.name for t in header.typedefs if t.kind == "handle"}
        self.structs = {t.name for t in header.typedefs if t.kind == "struct"}
        self.aliases = {t.name: t.target for t in header.typedefs if t.kind == "alias"}
        self.callbacks = {c.name for c in header.callbacks}

    def cs(self, ctype, is_return=False):
        """The C# spelling of the C type `ctype`; raises Unmapped with the reason."""
        tokens = [t for t in ctype.replace("*", " * ").split() if t != "const"]
        depth = tokens.count("*")
        words = tokens[:len(tokens) - depth]
        if "*" in words or not words:
            raise Unmapped(f"`{ctype}` is not a type this generator can read")
        base = " ".join(words)
        seen = set()
        while base in self.aliases and base not in seen:  # hfi_status -> int32_t
            seen.add(base)
            base = self.aliases[base]
        stars = "*" * depth
        if base in SCALARS:
            return SCALARS[base] + stars
        if base == "char" and depth:
            return "byte" + stars
        if base == "void":
            if depth:
                return "IntPtr" + stars[1:]
            if is_return:
                return "void"
            raise Unmapped("void is only a return type")
        if base in self.handles:
            if depth:
                return "IntPtr" + stars[1:]
            raise Unmapped(f"{base} is an opaque handle, which only crosses by pointer")
        if base in self.callbacks:
            if not depth:
                return "IntPtr"
            raise Unmapped(f"a pointer to the callback type {base} has no C# mapping")
        if base in self.structs:
            raise Unmapped(f"{base} is a struct with fields; C# takes only opaque handles (IntPtr), "
                           "not struct layouts")
        raise Unmapped(f"{base} is not one of {', '.join(SCALARS)}, char *, void *, an hfi handle or "
                       "an hfi callback type")


def where(header, line):
    return f"{header.path}:{line}: error"


def mapped(header, types, kind, what, errors):
    """(C# return type, [C# parameters]) of a function or callback, errors appended to `errors`."""
    try:
        returns = types.cs(what.returns, is_return=True)
    except Unmapped as e:
        errors.append(f"{where(header, what.line)}: {kind} {what.name} returns {what.returns}, "
                      f"which has no C# type: {e}")
        returns = "?"
    params = []
    for i, p in enumerate(what.params):
        try:
            params.append(f"{types.cs(p.type)} {identifier(p.name or f'arg{i}')}")
        except Unmapped as e:
            errors.append(f"{where(header, what.line)}: {kind} {what.name}, parameter {p.name or '?'} "
                          f"({p.type}) has no C# type: {e}")
    return returns, params


# ---- NativeMethods.g.cs --------------------------------------------------------------------------

def native_methods(header, generated, errors):
    types = TypeMap(header)
    ind = INDENT * 2
    out = [banner(generated) + """using System;
using System.Runtime.InteropServices;

namespace Hfi.Native
{
    internal static unsafe partial class NativeMethods
    {
        // iOS and WebGL link libhfi into the player statically.
#if (UNITY_IOS || UNITY_WEBGL) && !UNITY_EDITOR
        internal const string Library = "__Internal";
#else
        internal const string Library = "hfi";
#endif"""]
    for cb in header.callbacks:
        returns, params = mapped(header, types, "callback type", cb, errors)
        out.append("")
        out += member_docs(cb.doc, ind, f"The C callback type {cb.name}.")
        out.append(f"{ind}[UnmanagedFunctionPointer(CallingConvention.Cdecl)]")
        out += signature(f"internal delegate {returns} {cb.name}", params, ind)
    for f in header.functions:
        returns, params = mapped(header, types, "function", f, errors)
        out.append("")
        out += member_docs(f.doc, ind, f"{f.name}().")
        out.append(f"{ind}[DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]")
        out += signature(f"internal static extern {returns} {f.name}", params, ind)
    out.append(f"{INDENT}}}\n}}\n")
    return "\n".join(out)


# ---- Constants.g.cs ------------------------------------------------------------------------------

def integer(constant):
    """The C# literal of an integer constant (enum value or integer macro), or None."""
    if constant.kind == "enum":
        return str(constant.value)
    m = re.fullmatch(r"\(?\s*(-?\s*(?:0[xX][0-9A-Fa-f]+|\d+))[uU]?\s*\)?", str(constant.value))
    return m.group(1).replace(" ", "") if m else None


def enum_doc(header, line):
    """The documentation of the enum block holding the constant on `line`."""
    blocks = [(start, doc) for start, _named, doc, _spelling in header.enums if start <= line]
    return max(blocks, key=lambda b: b[0])[1] if blocks else None


def group_of(name):
    """(C# type, member name) of constant `name`, or None."""
    if name in STATUS_NAMES:
        return "HfiStatus", pascal(name[len("HFI_"):])
    for prefix, cs_type, _kind in GROUPS:
        if name.startswith(prefix):
            return cs_type, pascal(name[len(prefix):])
    return None


def constants(header, generated, errors):
    members = {cs_type: [] for _prefix, cs_type, _kind in GROUPS}
    first_line = {}
    version = {}
    for c in header.constants:
        if c.name in SKIPPED:
            continue
        if c.name in VERSION:
            version[c.name] = c
            continue
        place = group_of(c.name)
        if place is None:
            errors.append(f"{where(header, c.line)}: constant {c.name} belongs to no C# group: its prefix is none "
                          f"of {', '.join(p for p, _t, _k in GROUPS)}, nor is it {', '.join(STATUS_NAMES)} or "
                          "a version macro. Add its prefix to GROUPS (or the name to SKIPPED) in "
                          "bindings/gen/hfi_abi/emit_csharp.py")
            continue
        value = integer(c)
        if value is None:
            errors.append(f"{where(header, c.line)}: constant {c.name} = {c.value} is not an integer literal")
            continue
        cs_type, member = place
        members[cs_type].append((member, value, c))
        first_line.setdefault(cs_type, c.line)

    out = [banner(generated) + "namespace Hfi\n{"]
    ind = INDENT * 2
    for n, (_prefix, cs_type, kind) in enumerate(g for g in GROUPS if members[g[1]]):
        block = enum_doc(header, first_line[cs_type])
        summary = prose(block.summary) if block and block.summary else f"{cs_type} values of hfi.h."
        if n:
            out.append("")
        out += xml_doc("summary", summary, INDENT)
        out.append(INDENT + (f"public enum {cs_type} : int" if kind == "enum" else f"internal static class {cs_type}"))
        out.append(INDENT + "{")
        for i, (member, value, c) in enumerate(members[cs_type]):
            if i:
                out.append("")
            out += xml_doc("summary", prose(c.doc.summary) or f"{c.name}.", ind)
            out.append(ind + (f"{member} = {value}," if kind == "enum" else f"internal const int {member} = {value};"))
        out.append(INDENT + "}")

    out += ["", *xml_doc("summary", "The version of include/hfi/hfi.h this layer was generated from.", INDENT),
            f"{INDENT}internal static class HeaderVersion", INDENT + "{"]
    for i, (name, (member, cs_type)) in enumerate(VERSION.items()):
        c = version.get(name)
        if c is None:
            errors.append(f"{header.path}:1: error: {name} is not defined; HeaderVersion.{member} needs it")
            continue
        if cs_type == "string":
            value = c.value if re.fullmatch(r'"[^"\\]*"', c.value) else None
        else:
            value = integer(c)
        if value is None:
            errors.append(f"{where(header, c.line)}: {name} = {c.value} is not a plain {cs_type} literal")
            continue
        if i:
            out.append("")
        out += xml_doc("summary", prose(c.doc.summary) or f"{name}.", ind)
        out.append(f"{ind}internal const {cs_type} {member} = {value};")
    out.append(INDENT + "}\n}\n")
    return "\n".join(out)


# ---- Handles.g.cs --------------------------------------------------------------------------------

def owned_handles(header):
    """(handle typedef, its _free function) for every handle type with `void <type>_free(<type> *)`."""
    for t in header.typedefs:
        if t.kind != "handle":
            continue
        free = header.function(f"{t.name}_free")
        if free and free.returns == "void" and [p.type for p in free.params] == [f"{t.name} *"]:
            yield t, free


def handles(header, generated):
    out = [banner(generated) + "using System;\nusing Microsoft.Win32.SafeHandles;\n\nnamespace Hfi.Native\n{"]
    for i, (t, free) in enumerate(owned_handles(header)):
        cls = pascal(t.name[len("hfi_"):] if t.name.startswith("hfi_") else t.name) + "Handle"
        if i:
            out.append("")
        what = sentence(prose(t.doc.summary)) if t.doc.summary else ""
        out += xml_doc("summary", f"Owns one {t.name}: {what + ' ' if what else ''}ReleaseHandle calls {free.name}.",
                       INDENT)
        out += [f"{INDENT}internal sealed class {cls} : SafeHandleZeroOrMinusOneIsInvalid",
                INDENT + "{",
                f"{INDENT * 2}internal {cls}() : base(true) {{ }}",
                f"{INDENT * 2}internal {cls}(IntPtr handle) : base(true) {{ SetHandle(handle); }}",
                f"{INDENT * 2}protected override bool ReleaseHandle() "
                f"{{ NativeMethods.{free.name}(handle); return true; }}",
                INDENT + "}"]
    out.append("}\n")
    return "\n".join(out)


def outputs(header, generated):
    """{path: text} of the C# layer; raises BindingError listing everything it cannot express."""
    errors = []
    files = {
        f"{NATIVE_DIR}/NativeMethods.g.cs": native_methods(header, generated, errors),
        f"{NATIVE_DIR}/Constants.g.cs": constants(header, generated, errors),
        f"{NATIVE_DIR}/Handles.g.cs": handles(header, generated),
    }
    if errors:
        raise BindingError(errors)
    return files
