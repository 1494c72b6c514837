"""The header rules every binding relies on (../shared/research/abi-style.md §2.1, §2.2).

Only fixed-width integers, size_t, double, pointers and named callback types cross the ABI: C# and
Go marshal nothing else the same way on every platform. Every declaration says who owns what,
from which threads it may be called and since which release it exists.
"""
from .clang_loader import cindex
from .emit import HEADER_FIELDS
from .header import callback_proto, version_key

SCALARS = {"int32_t", "uint32_t", "int64_t", "uint64_t", "size_t", "double"}

WHY = {
    "BOOL": "bool has no fixed size across FFIs (C# marshals a 4-byte BOOL); use int32_t",
    "LONG": "long is 32 bits on Windows and 64 on Linux; use int32_t or int64_t",
    "ULONG": "unsigned long is 32 bits on Windows and 64 on Linux; use uint32_t or uint64_t",
    "LONGLONG": "use int64_t, not long long",
    "ULONGLONG": "use uint64_t, not unsigned long long",
    "LONGDOUBLE": "long double has no FFI mapping; use double",
    "ENUM": "an enum's size and sign vary; take int32_t and put the values in an anonymous enum",
    "INT": "int has no fixed width in the ABI rules; use int32_t",
    "UINT": "unsigned has no fixed width in the ABI rules; use uint32_t",
    "FLOAT": "use double",
}


class Lint:
    def __init__(self, header):
        self.header = header
        self.errors = []
        self.ci = cindex()
        self.callbacks = {c.name for c in header.callbacks}
        self.handles = {t.name for t in header.typedefs if t.kind == "handle"}
        self.structs = {t.name for t in header.typedefs if t.kind == "struct"}
        self.aliases = {t.name: t.target for t in header.typedefs if t.kind == "alias"}

    def error(self, line, message):
        self.errors.append(f"{self.header.path}:{line}: error: {message}")

    # ---- types ---------------------------------------------------------------------------------

    def type_problem(self, t, behind_pointer=False, is_return=False):
        """Why `t` may not cross the ABI, or None."""
        TK = self.ci.TypeKind
        if t.kind == TK.ELABORATED:
            t = t.get_named_type()
        if t.kind == TK.TYPEDEF:
            name = t.get_declaration().spelling
            if name in SCALARS:
                return None
            if name in self.aliases:
                return None if self.aliases[name] in SCALARS else f"{name} aliases {self.aliases[name]}"
            if name in self.callbacks:
                return None
            if name in self.handles or name in self.structs:
                return None if behind_pointer else f"{name} is passed by value; pass a pointer"
            canon = t.get_canonical()
            if canon.kind == TK.BOOL:
                return WHY["BOOL"]
            return f"{name} is not one of the FFI-safe types ({', '.join(sorted(SCALARS))}, pointers, hfi callback types)"
        if t.kind == TK.POINTER:
            pointee = t.get_pointee()
            if pointee.kind in (TK.FUNCTIONPROTO, TK.FUNCTIONNOPROTO):
                return "a function pointer must use a named hfi_*_cb or hfi_*_fn typedef"
            return self.type_problem(pointee, behind_pointer=True)
        if t.kind == TK.VOID:
            return None if (behind_pointer or is_return) else "void parameter"
        if t.kind in (TK.CHAR_S, TK.CHAR_U, TK.SCHAR, TK.UCHAR):
            return None if behind_pointer else "char by value; use int32_t"
        if t.kind == TK.DOUBLE:
            return None
        if t.kind == TK.RECORD:
            decl = t.get_declaration()
            if decl.kind == self.ci.CursorKind.UNION_DECL:
                return "unions have no portable FFI mapping"
            if behind_pointer and decl.spelling.startswith("hfi_"):
                return None
            return f"struct {decl.spelling} by value; structs cross the ABI only by pointer" if not behind_pointer \
                else f"struct {decl.spelling} is not an hfi type"
        if t.kind in (TK.CONSTANTARRAY, TK.INCOMPLETEARRAY):
            return "arrays decay differently across FFIs; take a pointer and a length"
        return WHY.get(t.kind.name, f"{t.spelling} is not FFI-safe")

    # ---- declarations --------------------------------------------------------------------------

    def check_docs(self, kind, name, doc, line, need_contract):
        if not doc.text:
            self.error(line, f"{kind} {name} has no /** */ documentation")
            return
        if not doc.since:
            self.error(line, f"{kind} {name}: its documentation has no @since")
        elif version_key(doc.since) > self.header.version_key():
            self.error(line, f"{kind} {name}: @since {doc.since} is newer than the header's version "
                             f"{self.header.version} (HFI_VERSION_*)")
        if need_contract:
            if not doc.ownership:
                self.error(line, f"{kind} {name}: its documentation has no @ownership")
            if not doc.thread_safety:
                self.error(line, f"{kind} {name}: its documentation has no @thread-safety")

    def check_functions(self):
        for f in self.header.functions:
            if not f.name.startswith("hfi_"):
                self.error(f.line, f"function {f.name} does not start with hfi_")
            if f.name[len("hfi_"):] in HEADER_FIELDS:
                self.error(f.line, f"function {f.name} would name a table slot like the field hfi_api_v1.{f.name[4:]}")
            if f.variadic:
                self.error(f.line, f"function {f.name} is variadic; cgo, C# and arm64 callers cannot call it")
            problem = self.type_problem(f.cursor.result_type, is_return=True)
            if problem:
                self.error(f.line, f"function {f.name} returns {f.returns}: {problem}")
            for p in f.params:
                problem = self.type_problem(p.cursor.type)
                if problem:
                    self.error(f.line, f"function {f.name}, parameter {p.name or '?'} ({p.type}): {problem}")
                if not p.name:
                    self.error(f.line, f"function {f.name}: every parameter needs a name (bindings use it)")
            self.check_docs("function", f.name, f.doc, f.line, need_contract=True)
            names = {p.name for p in f.params}
            for documented in f.doc.params:
                if documented not in names:
                    self.error(f.line, f"function {f.name} documents @param {documented}, which it does not have")

    def check_callbacks(self):
        TK = self.ci.TypeKind
        for cb in self.header.callbacks:
            proto = callback_proto(cb.cursor)
            if proto.kind == TK.FUNCTIONPROTO and proto.is_function_variadic():
                self.error(cb.line, f"callback type {cb.name} is variadic")
            problem = self.type_problem(proto.get_result(), is_return=True)
            if problem:
                self.error(cb.line, f"callback type {cb.name} returns {cb.returns}: {problem}")
            for p, t in zip(cb.params, proto.argument_types()):
                problem = self.type_problem(t)
                if problem:
                    self.error(cb.line, f"callback type {cb.name}, parameter {p.name or '?'} ({p.type}): {problem}")
            self.check_docs("callback type", cb.name, cb.doc, cb.line, need_contract=False)

    def check_types(self):
        for t in self.header.typedefs:
            if not t.name.startswith("hfi_"):
                self.error(t.line, f"type {t.name} does not start with hfi_")
            if t.kind == "alias" and t.target not in SCALARS:
                self.error(t.line, f"type {t.name} aliases {t.target}, which is not FFI-safe")
            self.check_docs("type", t.name, t.doc, t.line, need_contract=False)
        for s in self.header.structs:
            for fld in s.get_children():
                if fld.kind != self.ci.CursorKind.FIELD_DECL:
                    continue
                if fld.is_bitfield():
                    self.error(fld.location.line, f"struct {s.spelling}: bit-field {fld.spelling} has no FFI layout")
                problem = self.type_problem(fld.type)
                if problem:
                    self.error(fld.location.line, f"struct {s.spelling}, field {fld.spelling}: {problem}")

    def check_constants(self):
        for line, named, doc, spelling in self.header.enums:
            if named:
                self.error(line, f"enum {spelling} is named; constants live in anonymous enums and "
                                 "values travel as int32_t")
            if not doc.since:
                self.error(line, "enum block has no documentation with @since")
        for c in self.header.constants:
            if not c.name.startswith("HFI_"):
                self.error(c.line, f"constant {c.name} does not start with HFI_")
            if c.kind == "enum" and not -2**31 <= c.value < 2**31:
                self.error(c.line, f"constant {c.name} = {c.value} does not fit int32_t")
            if c.kind == "macro":
                self.check_docs("macro", c.name, c.doc, c.line, need_contract=False)

    def check_guard(self, unguarded):
        for f in unguarded:
            self.error(f.line, f"function {f.name} is declared even with HFI_NO_PROTOTYPES; put it inside "
                               "#ifndef HFI_NO_PROTOTYPES")

    def run(self, unguarded):
        for d in self.header.diagnostics:
            self.error(d.location.line, f"does not compile: {d.spelling}")
        if not self.header.version or self.header.abi_version < 0:
            self.error(1, "HFI_VERSION_STR and HFI_ABI_VERSION must be defined")
        self.check_functions()
        self.check_callbacks()
        self.check_types()
        self.check_constants()
        self.check_guard(unguarded)
        return self.errors
