"""The public header as data: functions, callback types, handles, constants and their docs."""
from dataclasses import dataclass, field
import re

from .clang_loader import cindex

# Macros that make the header work rather than describe the ABI.
PLUMBING_MACROS = {"HFI_HFI_H", "HFI_API", "HFI_CALL", "HFI_NOEXCEPT", "HFI_BEGIN_DECL", "HFI_END_DECL"}
# Macros whose value changes with every release by design.
RELEASE_MACROS = {"HFI_VERSION_MAJOR", "HFI_VERSION_MINOR", "HFI_VERSION_PATCH", "HFI_VERSION_NUM",
                  "HFI_VERSION_STR"}
# The one function outside the table: it is how the table is found.
TABLE_ENTRY = "hfi_get_api_v1"


@dataclass
class Doc:
    text: str = ""           # the comment without its markers, "" when there is none
    summary: str = ""        # everything before the first @tag
    since: str = ""          # "0.2"
    ownership: str = ""
    thread_safety: str = ""
    deprecated: str = ""
    params: dict = field(default_factory=dict)
    returns: str = ""


@dataclass
class Param:
    name: str
    type: str
    cursor: object = None


@dataclass
class Callback:
    """A callback typedef; also the shape of every function."""
    name: str
    returns: str
    params: list
    doc: Doc
    line: int
    cursor: object = None


@dataclass
class Function(Callback):
    variadic: bool = False


@dataclass
class Constant:
    name: str
    value: object            # int for enum constants, the expression text for macros
    kind: str                # "enum" or "macro"
    doc: Doc
    line: int


@dataclass
class Typedef:
    name: str
    kind: str                # "handle" (opaque struct), "alias" (of a scalar), "struct"
    target: str
    doc: Doc
    line: int
    cursor: object = None


@dataclass
class Header:
    path: str
    version: str = ""        # "0.2.0"
    abi_version: int = -1
    functions: list = field(default_factory=list)
    callbacks: list = field(default_factory=list)
    typedefs: list = field(default_factory=list)
    constants: list = field(default_factory=list)
    enums: list = field(default_factory=list)       # (line, named, doc) of every enum block
    structs: list = field(default_factory=list)     # struct definitions (cursors), for the lint
    diagnostics: list = field(default_factory=list)

    def version_key(self):
        return version_key(self.version)

    def table(self):
        """The functions in hfi_api_v1 slot order: by @since release, then by declaration."""
        listed = [f for f in self.functions if f.name != TABLE_ENTRY]
        return sorted(listed, key=lambda f: (version_key(f.doc.since), f.line))

    def function(self, name):
        return next((f for f in self.functions if f.name == name), None)


def version_key(text):
    parts = re.findall(r"\d+", text or "")
    return tuple(int(p) for p in parts[:3]) if parts else (999,)


TAG = re.compile(r"@(\w[\w-]*)")


def parse_doc(raw):
    """Splits a Doxygen comment into its summary and the tags the ABI rules care about."""
    if not raw:
        return Doc()
    body = raw.strip()
    body = re.sub(r"^/\*\*<?|\*/$", "", body).strip()
    lines = [re.sub(r"^\s*\*( |$)", "", line).rstrip() for line in body.splitlines()]
    text = "\n".join(lines).strip()
    doc = Doc(text=text)
    chunks = re.split(r"(?=(?<![\w#])@\w[\w-]*)", text)
    doc.summary = chunks[0].strip()
    for chunk in chunks[1:]:
        m = TAG.match(chunk)
        tag, rest = m.group(1), " ".join(chunk[m.end():].split())
        if tag == "since":
            doc.since = (re.match(r"[\d.]+", rest) or [""])[0].rstrip(".")
            # "@since 0.1" closing a one-line doc: the summary is what came before.
        elif tag == "ownership":
            doc.ownership = rest
        elif tag == "thread-safety":
            doc.thread_safety = rest
        elif tag == "deprecated":
            doc.deprecated = rest or "deprecated"
        elif tag == "param":
            pm = re.match(r"(?:\[[a-z, ]+\]\s*)?(\w+)\s*(.*)", rest)
            if pm:
                doc.params[pm.group(1)] = pm.group(2)
        elif tag in ("return", "returns"):
            doc.returns = rest
    return doc


def comment_before(lines, line_no):
    """The /** ... */ block ending on the line above `line_no` (1-based), or a trailing /**< */."""
    own = lines[line_no - 1]
    trailing = re.search(r"/\*\*<.*\*/", own)
    if trailing:
        return trailing.group(0)
    i = line_no - 2
    if i < 0 or not lines[i].rstrip().endswith("*/"):
        return ""
    end = i
    while i >= 0 and "/**" not in lines[i]:
        if "/*" in lines[i]:
            return ""  # a plain comment, not documentation
        i -= 1
    return "\n".join(lines[i:end + 1]) if i >= 0 else ""


def callback_proto(cursor):
    """The function type of a callback typedef, with its int32_t/size_t spellings kept."""
    under = cursor.underlying_typedef_type
    pointer = under if under.kind.name == "POINTER" else under.get_canonical()
    return pointer.get_pointee()


def type_name(t):
    return t.spelling


def parse(path, defines=(), include_dirs=()):
    ci = cindex()
    args = ["-x", "c", "-std=c99"] + [f"-D{d}" for d in defines] + [f"-I{d}" for d in include_dirs]
    options = (ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
               | ci.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES)
    tu = ci.Index.create().parse(path, args=args, options=options)
    header = Header(path=path)
    header.diagnostics = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()

    K = ci.CursorKind
    for c in tu.cursor.get_children():
        if not c.location.file or c.location.file.name != path:
            continue
        line = c.location.line
        if c.kind == K.FUNCTION_DECL:
            params = [Param(a.spelling, type_name(a.type), a) for a in c.get_arguments()]
            header.functions.append(Function(
                name=c.spelling, returns=type_name(c.result_type), params=params,
                doc=parse_doc(c.raw_comment), line=line, cursor=c,
                variadic=c.type.kind == ci.TypeKind.FUNCTIONPROTO and c.type.is_function_variadic()))
        elif c.kind == K.TYPEDEF_DECL:
            under = c.underlying_typedef_type
            canon = under.get_canonical()
            doc = parse_doc(c.raw_comment)
            if canon.kind == ci.TypeKind.POINTER and canon.get_pointee().kind in (
                    ci.TypeKind.FUNCTIONPROTO, ci.TypeKind.FUNCTIONNOPROTO):
                proto = callback_proto(c)
                names = [p.spelling for p in c.get_children() if p.kind == K.PARM_DECL]
                types = [type_name(t) for t in proto.argument_types()]
                names += [""] * (len(types) - len(names))
                header.callbacks.append(Callback(
                    name=c.spelling, returns=type_name(proto.get_result()),
                    params=[Param(n, t) for n, t in zip(names, types)], doc=doc, line=line, cursor=c))
            elif canon.kind == ci.TypeKind.RECORD:
                complete = canon.get_declaration().is_definition()
                header.typedefs.append(Typedef(c.spelling, "struct" if complete else "handle",
                                               under.spelling, doc, line, c))
            else:
                header.typedefs.append(Typedef(c.spelling, "alias", under.spelling, doc, line, c))
        elif c.kind == K.ENUM_DECL:
            enum_doc = parse_doc(c.raw_comment)
            header.enums.append((line, not c.is_anonymous(), enum_doc, c.spelling))
            for e in c.get_children():
                doc = parse_doc(e.raw_comment or comment_before(lines, e.location.line))
                if not doc.since:
                    doc.since = enum_doc.since
                header.constants.append(Constant(e.spelling, e.enum_value, "enum", doc, e.location.line))
        elif c.kind == K.STRUCT_DECL or c.kind == K.UNION_DECL:
            if c.is_definition():
                header.structs.append(c)
        elif c.kind == K.MACRO_DEFINITION:
            if c.spelling in PLUMBING_MACROS or not c.spelling.startswith("HFI_"):
                continue
            tokens = [t.spelling for t in c.get_tokens()][1:]
            value = " ".join(tokens)
            doc = parse_doc(comment_before(lines, line))
            header.constants.append(Constant(c.spelling, value, "macro", doc, line))
            if c.spelling == "HFI_VERSION_STR":
                header.version = value.strip('"')
            elif c.spelling == "HFI_ABI_VERSION":
                header.abi_version = int(value)
    return header


def prototypes_without_guard(path, include_dirs=()):
    """Functions still declared when HFI_NO_PROTOTYPES is defined."""
    return parse(path, defines=["HFI_NO_PROTOTYPES"], include_dirs=include_dirs).functions
