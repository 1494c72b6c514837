#!/usr/bin/env python3
"""The ABI checker (bindings/gen/abigen.py) on scratch copies of the header: each break of the
released ABI or of the header rules must fail, with a message that says what and why.

    python3 tests/abi/test_abigen.py [-v]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ABIGEN = os.path.join(ROOT, "bindings", "gen", "abigen.py")
BASELINE = os.path.join(ROOT, "abi", "baseline", "hfi.abi.json")
HEADER = os.path.join(ROOT, "include", "hfi", "hfi.h")
NATIVE_METHODS = "bindings/csharp/src/Hfi/Native/NativeMethods.g.cs"
CONSTANTS = "bindings/csharp/src/Hfi/Native/Constants.g.cs"
README = os.path.join(ROOT, "README.md")


class ScratchTree:
    """A project root holding a copy of hfi.h, for one test to edit."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="hfi-abi-")
        os.makedirs(os.path.join(self.root, "include", "hfi"))
        self.header = os.path.join(self.root, "include", "hfi", "hfi.h")
        shutil.copy(HEADER, self.header)

    def edit(self, old, new, count=1):
        with open(self.header, encoding="utf-8") as f:
            text = f.read()
        found = text.count(old)
        if found != count:
            raise AssertionError(f"the scratch edit expects {count} of {old!r}, found {found}")
        with open(self.header, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))

    def declaration(self, name):
        """The doc comment and prototype of function `name`, as they stand in the header."""
        with open(self.header, encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"/\*\*(?:(?!\*/).)*?\*/\nHFI_API [^;]*?\b" + name + r"\([^;]*;\n", text, re.S)
        if not m:
            raise AssertionError(f"{name} not found in the scratch header")
        return m.group(0)

    def run(self, *args):
        return subprocess.run([sys.executable, ABIGEN, *args, "--root", self.root],
                              capture_output=True, text=True)

    def compat(self, *args):
        return self.run("compat", "--baseline", BASELINE, *args)

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


class AbigenTest(unittest.TestCase):
    def setUp(self):
        self.tree = ScratchTree()
        self.addCleanup(self.tree.remove)

    def assertFails(self, result, *patterns):
        self.assertEqual(result.returncode, 1, f"expected a failure\nstdout: {result.stdout}\nstderr: {result.stderr}")
        for pattern in patterns:
            if not re.search(pattern, result.stderr):
                self.fail(f"{pattern!r} not in the checker's errors:\n{result.stderr[-3000:]}")

    def assertPasses(self, result):
        self.assertEqual(result.returncode, 0, f"expected success\nstdout: {result.stdout}\nstderr: {result.stderr}")

    # ---- the released ABI --------------------------------------------------------------------

    def test_the_header_as_committed_is_compatible(self):
        result = self.tree.compat()
        self.assertPasses(result)
        self.assertRegex(result.stdout, r"compatible with the released ABI 0\.1\.0 \(64 functions kept")

    def test_removing_a_function_fails(self):
        self.tree.edit(self.tree.declaration("hfi_response_model"), "")
        self.assertFails(self.tree.compat(), r"hfi_response_model was removed, but it is part of the released ABI 0\.1\.0")

    def test_changing_a_return_type_fails(self):
        self.tree.edit("HFI_API int32_t HFI_CALL hfi_response_http_status(", "HFI_API int64_t HFI_CALL hfi_response_http_status(")
        self.assertFails(self.tree.compat(),
                         r"hfi_response_http_status changed its signature from `int32_t \(const hfi_response \*\)` "
                         r"to `int64_t \(const hfi_response \*\)`", r"hfi_x_v2")

    def test_adding_a_parameter_fails(self):
        self.tree.edit("hfi_request_cancel(hfi_request *request)", "hfi_request_cancel(hfi_request *request, int32_t how)")
        self.assertFails(self.tree.compat(), r"hfi_request_cancel changed its signature from `hfi_status \(hfi_request \*\)` "
                                             r"to `hfi_status \(hfi_request \*, int32_t\)`")

    def test_changing_a_parameter_type_fails(self):
        self.tree.edit("hfi_client_options_set_int(hfi_client_options *opts, int32_t key,",
                       "hfi_client_options_set_int(hfi_client_options *opts, uint32_t key,")
        self.assertFails(self.tree.compat(), r"hfi_client_options_set_int changed its signature")

    def test_reordering_released_declarations_reorders_the_table_and_fails(self):
        new = self.tree.declaration("hfi_client_new")
        free = self.tree.declaration("hfi_client_free")
        self.tree.edit(new, "@@NEW@@")
        self.tree.edit(free, new)
        self.tree.edit("@@NEW@@", free)
        self.assertFails(self.tree.compat(),
                         r"hfi_api_v1 is append-only, but slot 9 held `client_new` in 0\.1\.0 and now holds `client_free`")

    def test_moving_a_released_function_to_a_later_release_fails(self):
        decl = self.tree.declaration("hfi_response_model")
        self.tree.edit(decl, decl.replace("@since 0.1", "@since 0.2"))
        self.assertFails(self.tree.compat(), r"hfi_response_model moved from symbol version HFI_0\.1 to HFI_0\.2")

    def test_renumbering_a_status_code_fails(self):
        self.tree.edit("HFI_E_AUTH = -22,", "HFI_E_AUTH = -50,")
        self.assertFails(self.tree.compat(), r"constant HFI_E_AUTH changed from -22 to -50")

    def test_changing_a_callback_type_fails(self):
        self.tree.edit("typedef void(HFI_CALL *hfi_release_fn)(void *user_data);",
                       "typedef void(HFI_CALL *hfi_release_fn)(void *user_data, int32_t why);")
        self.assertFails(self.tree.compat(), r"callback type hfi_release_fn changed from `void \(void \*\)` to `void \(void \*, int32_t\)`")

    def test_a_new_function_of_the_next_release_is_appended_and_passes(self):
        before = self.tree.compat()
        self.assertPasses(before)
        added_before = int(re.search(r"64 functions kept, (\d+) added", before.stdout).group(1))
        self.tree.edit("#endif /* HFI_NO_PROTOTYPES */\n\nHFI_END_DECL", textwrap.dedent("""\
            /**
             * A function the next release adds.
             *
             * @ownership none.
             * @thread-safety any thread.
             * @since 0.2
             */
            HFI_API int32_t HFI_CALL hfi_added_later(const hfi_response *response) HFI_NOEXCEPT;

            #endif /* HFI_NO_PROTOTYPES */

            HFI_END_DECL"""))
        result = self.tree.compat()
        self.assertPasses(result)
        self.assertIn(f"64 functions kept, {added_before + 1} added", result.stdout)
        self.assertPasses(self.tree.run("generate"))
        with open(os.path.join(self.tree.root, "include", "hfi", "hfi_api.h"), encoding="utf-8") as f:
            api = f.read()
        slots = re.findall(r"^  PFN_hfi_\w+ (\w+);$", api, re.M)
        self.assertEqual(slots[-1], "added_later", "a new function takes the last slot")
        self.assertEqual(slots[0], "version_num")

    def test_a_new_function_claiming_a_released_version_fails(self):
        self.tree.edit("#endif /* HFI_NO_PROTOTYPES */\n\nHFI_END_DECL", textwrap.dedent("""\
            /**
             * A new function that pretends to be old.
             *
             * @ownership none.
             * @thread-safety any thread.
             * @since 0.1
             */
            HFI_API int32_t HFI_CALL hfi_sneaked_in(const hfi_response *response) HFI_NOEXCEPT;

            #endif /* HFI_NO_PROTOTYPES */

            HFI_END_DECL"""))
        self.assertFails(self.tree.compat(), r"hfi_sneaked_in is new but says @since 0\.1, a release that is already out")

    # ---- generated files ----------------------------------------------------------------------

    def test_a_stale_generated_file_fails_the_check_with_a_diff(self):
        self.assertPasses(self.tree.run("generate"))
        self.assertPasses(self.tree.run("generate", "--check"))
        self.tree.edit("HFI_API hfi_status HFI_CALL hfi_request_cancel(hfi_request *request)",
                       "HFI_API hfi_status HFI_CALL hfi_request_cancel(hfi_request *req)")
        self.assertFails(self.tree.run("generate", "--check"),
                         r"include/hfi/hfi_api.h is not what hfi.h generates",
                         r"-typedef hfi_status \(HFI_CALL \*PFN_hfi_request_cancel\)\(hfi_request \*request\);",
                         r"\+typedef hfi_status \(HFI_CALL \*PFN_hfi_request_cancel\)\(hfi_request \*req\);",
                         r"run bindings/gen/abigen.py and commit the result")

    # ---- the C# P/Invoke layer ---------------------------------------------------------------

    def generated(self, rel):
        with open(os.path.join(self.tree.root, rel), encoding="utf-8") as f:
            return f.read()

    def test_a_new_function_gets_a_mapped_p_invoke_declaration(self):
        self.tree.edit("#endif /* HFI_NO_PROTOTYPES */\n\nHFI_END_DECL", textwrap.dedent("""\
            /**
             * A function the next release adds, with <every> kind & shape of parameter.
             *
             * @ownership none.
             * @thread-safety any thread.
             * @since 0.2
             */
            HFI_API hfi_status HFI_CALL hfi_added_later(const hfi_response *response, const char *name, size_t len,
                                                        int64_t *count, double *ms, const void **bytes,
                                                        hfi_event_cb event, void *params, uint32_t string,
                                                        hfi_client **out) HFI_NOEXCEPT;

            #endif /* HFI_NO_PROTOTYPES */

            HFI_END_DECL"""))
        self.assertPasses(self.tree.run("generate"))
        self.assertPasses(self.tree.run("generate", "--check"))
        native = self.generated(NATIVE_METHODS)
        self.assertIn("        /// <summary>A function the next release adds, with &lt;every&gt; kind &amp; shape of "
                      "parameter.</summary>\n"
                      "        /// <remarks>Ownership: none. Thread safety: any thread. Since 0.2.</remarks>\n"
                      "        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, "
                      "ExactSpelling = true)]\n"
                      "        internal static extern int hfi_added_later(IntPtr response, byte* name, UIntPtr len, "
                      "long* count, double* ms,\n"
                      "                IntPtr* bytes, IntPtr @event, IntPtr @params, uint @string, IntPtr* @out);\n",
                      native)
        self.assertIn("internal static extern int hfi_chat(IntPtr client, byte* json, UIntPtr len, IntPtr* @out);",
                      native)

    def test_a_parameter_type_without_a_csharp_mapping_fails(self):
        self.tree.edit("typedef struct hfi_request hfi_request;",
                       "typedef struct hfi_request hfi_request;\n/** A pair. @since 0.1 */\n"
                       "typedef struct hfi_pair { int32_t a, b; } hfi_pair;")
        self.tree.edit("hfi_request_cancel(hfi_request *request)",
                       "hfi_request_cancel(hfi_request *request, const hfi_pair *pair)")
        result = self.tree.run("generate")
        self.assertFails(result, r"hfi\.h:\d+: error: function hfi_request_cancel, parameter pair "
                                 r"\(const hfi_pair \*\) has no C# type: hfi_pair is a struct with fields",
                         r"declaration\(s\) the C# binding cannot express")
        self.assertFalse(os.path.exists(os.path.join(self.tree.root, NATIVE_METHODS)), "nothing is written")

    def test_a_constant_with_an_unknown_prefix_fails(self):
        self.tree.edit("/** What a started request does. @since 0.1 */",
                       "/** Colours. @since 0.2 */\nenum { HFI_COLOR_RED = 1 /**< Red. */ };\n\n"
                       "/** What a started request does. @since 0.1 */")
        self.assertFails(self.tree.run("generate", "--check"),
                         r"hfi\.h:\d+: error: constant HFI_COLOR_RED belongs to no C# group: its prefix is none of "
                         r"HFI_E_, HFI_IO_",
                         r"GROUPS .* in bindings/gen/hfi_abi/emit_csharp\.py")

    def test_a_new_status_code_joins_hfi_status(self):
        self.tree.edit("  HFI_E_INTERNAL = -99,",
                       "  HFI_E_QUOTA_EXCEEDED = -41, /**< The monthly `quota` is spent. */\n  HFI_E_INTERNAL = -99,")
        self.assertPasses(self.tree.run("generate"))
        constants = self.generated(CONSTANTS)
        status = re.search(r"public enum HfiStatus : int\n    \{\n(.*?)\n    \}", constants, re.S)
        self.assertTrue(status, constants[:2000])
        self.assertIn("        /// <summary>The monthly <c>quota</c> is spent.</summary>\n"
                      "        QuotaExceeded = -41,\n", status.group(1))
        self.assertIn("        InvalidArg = -1,\n", status.group(1))
        self.assertIn("        Pending = 2,", status.group(1))

    # ---- the README's reference tables --------------------------------------------------------

    def with_readme(self):
        shutil.copy(README, os.path.join(self.tree.root, "README.md"))

    def test_a_new_status_code_joins_the_readme_table(self):
        self.with_readme()
        self.tree.edit("  HFI_E_INTERNAL = -99,",
                       "  HFI_E_QUOTA_EXCEEDED = -41, /**< The monthly `quota` is spent. */\n  HFI_E_INTERNAL = -99,")
        self.assertFails(self.tree.run("generate", "--check"), r"README\.md is not what hfi\.h generates")
        self.assertPasses(self.tree.run("generate"))
        self.assertIn("| `HFI_E_QUOTA_EXCEEDED` | -41 | The monthly `quota` is spent. |\n", self.generated("README.md"))

    def test_an_option_missing_from_the_readme_table_fails(self):
        self.with_readme()
        self.tree.edit("  HFI_OPT_TOKEN = 1001,", "  HFI_OPT_COLOUR = 1099, /**< Colour. */\n  HFI_OPT_TOKEN = 1001,")
        self.assertFails(self.tree.run("generate", "--check"),
                         r"README\.md: the client options table has no row for HFI_OPT_COLOUR")

    # ---- header rules ------------------------------------------------------------------------

    def lint_fails(self, old, new, *patterns):
        self.assertNotEqual(old, new, "the scratch edit must change the header")
        self.tree.edit(old, new)
        self.assertFails(self.tree.run("generate", "--check"), *patterns)

    def test_bool_parameter_is_rejected(self):
        self.lint_fails("hfi_request_cancel(hfi_request *request)", "hfi_request_cancel(hfi_request *request, _Bool hard)",
                        r"hfi\.h:\d+: error: function hfi_request_cancel, parameter hard \(_Bool\): bool has no fixed size")

    def test_long_parameter_is_rejected(self):
        self.lint_fails("hfi_request_cancel(hfi_request *request)", "hfi_request_cancel(hfi_request *request, long how)",
                        r"parameter how \(long\): long is 32 bits on Windows and 64 on Linux")

    def test_enum_parameter_is_rejected(self):
        self.tree.edit("typedef struct hfi_request hfi_request;",
                       "typedef struct hfi_request hfi_request;\n/** How. @since 0.1 */\nenum hfi_how { HFI_HOW_SOFT = 0 };")
        self.lint_fails("hfi_request_cancel(hfi_request *request)", "hfi_request_cancel(hfi_request *request, enum hfi_how how)",
                        r"parameter how \(enum hfi_how\): an enum's size and sign vary",
                        r"enum hfi_how is named; constants live in anonymous enums")

    def test_varargs_are_rejected(self):
        self.lint_fails("hfi_request_cancel(hfi_request *request)", "hfi_request_cancel(hfi_request *request, ...)",
                        r"function hfi_request_cancel is variadic")

    def test_struct_by_value_is_rejected(self):
        self.tree.edit("typedef struct hfi_request hfi_request;",
                       "typedef struct hfi_request hfi_request;\n/** A pair. @since 0.1 */\n"
                       "typedef struct hfi_pair { int32_t a, b; } hfi_pair;")
        self.lint_fails("hfi_request_cancel(hfi_request *request)", "hfi_request_cancel(hfi_request *request, hfi_pair pair)",
                        r"parameter pair \(hfi_pair\): hfi_pair is passed by value; pass a pointer")

    def test_unnamed_function_pointer_is_rejected(self):
        self.lint_fails("hfi_request_cancel(hfi_request *request)",
                        "hfi_request_cancel(hfi_request *request, void (*done)(void *))",
                        r"parameter done .*: a function pointer must use a named hfi_\*_cb or hfi_\*_fn typedef")

    def test_missing_ownership_is_rejected(self):
        decl = self.tree.declaration("hfi_request_status")
        self.lint_fails(decl, re.sub(r"@ownership[^@\n]*", "", decl),
                        r"function hfi_request_status: its documentation has no @ownership")

    def test_missing_thread_safety_is_rejected(self):
        decl = self.tree.declaration("hfi_request_status")
        self.lint_fails(decl, re.sub(r"@thread-safety[^@\n]*", "", decl),
                        r"function hfi_request_status: its documentation has no @thread-safety")

    def test_missing_since_is_rejected(self):
        decl = self.tree.declaration("hfi_request_status")
        self.lint_fails(decl, re.sub(r"@since[^@\n]*", "", decl),
                        r"function hfi_request_status: its documentation has no @since")

    def test_undocumented_function_is_rejected(self):
        decl = self.tree.declaration("hfi_request_status")
        self.lint_fails(decl, decl[decl.index("HFI_API"):], r"function hfi_request_status has no /\*\* \*/ documentation")

    def test_since_newer_than_the_header_is_rejected(self):
        decl = self.tree.declaration("hfi_data_url")
        self.lint_fails(decl, decl.replace("@since 0.2", "@since 0.3"),
                        r"function hfi_data_url: @since 0\.3 is newer than the header's version 0\.2\.0")

    def test_prototype_outside_the_no_prototypes_guard_is_rejected(self):
        decl = self.tree.declaration("hfi_abi_version")
        self.tree.edit(decl, "")
        self.lint_fails("/* ---------------------------------------------------------------------------------------------\n"
                        " * Status codes", decl + "\n/* ---------------------------------------------------------------------------------------------\n"
                        " * Status codes",
                        r"function hfi_abi_version is declared even with HFI_NO_PROTOTYPES")

    def test_documenting_a_parameter_that_does_not_exist_is_rejected(self):
        decl = self.tree.declaration("hfi_request_status")
        self.lint_fails(decl, decl.replace(" * @ownership", " * @param nonsense not a parameter.\n * @ownership"),
                        r"hfi_request_status documents @param nonsense, which it does not have")

    # ---- the built library ---------------------------------------------------------------------

    def test_a_library_exporting_other_symbols_or_missing_some_fails(self):
        if shutil.which("cc") is None:
            self.skipTest("no C compiler")
        self.assertPasses(self.tree.run("generate"))
        source = os.path.join(self.tree.root, "fake.c")
        library = os.path.join(self.tree.root, "libhfi.so.0")
        with open(source, "w") as f:
            f.write("int hfi_chat(void) { return 0; }\nint hfi_private_helper(void) { return 1; }\n")
        subprocess.run(["cc", "-shared", "-fPIC", "-Wl,-soname,libhfi.so.7", "-o", library, source], check=True)
        self.assertFails(self.tree.compat("--library", library),
                         r"does not export hfi_abi_version@@HFI_0\.1, which hfi\.h declares",
                         r"exports hfi_private_helper, which is not in abi/symbols\.txt",
                         r"has SONAME 'libhfi\.so\.7', expected libhfi\.so\.0")


class AbidiffGateTest(unittest.TestCase):
    """tests/abi/abidiff.sh on tiny libraries: a baseline, then a removal, a type change and an addition."""

    HEADER = "#include <stdint.h>\n{decls}\n"
    BASE = ["int32_t hfi_keep(int32_t x)", "int32_t hfi_drop(void)"]

    def setUp(self):
        for tool in ("cc", "abidw", "abidiff"):
            if shutil.which(tool) is None:
                self.skipTest(f"no {tool}")
        self.root = tempfile.mkdtemp(prefix="hfi-abidiff-")
        self.addCleanup(shutil.rmtree, self.root, True)
        os.makedirs(os.path.join(self.root, "include", "hfi"))
        os.makedirs(os.path.join(self.root, "abi", "baseline"))
        shutil.copy(os.path.join(ROOT, "abi", "opaque-handles.abignore"), os.path.join(self.root, "abi"))
        baseline = self.library("base", self.BASE)
        subprocess.run(["abidw", "--headers-dir", os.path.join(self.root, "include", "hfi"), "--drop-private-types",
                        "--no-show-locs", "--out-file", os.path.join(self.root, "abi", "baseline", "libhfi.abi"),
                        baseline], check=True)

    def library(self, name, functions):
        header = os.path.join(self.root, "include", "hfi", "hfi.h")
        with open(header, "w") as f:
            f.write(self.HEADER.format(decls="".join(f"{fn};\n" for fn in functions)))
        source = os.path.join(self.root, f"{name}.c")
        with open(source, "w") as f:
            f.write('#include "hfi.h"\n' + "".join(f"{fn} {{ return 0; }}\n" for fn in functions))
        out = os.path.join(self.root, f"lib{name}.so")
        subprocess.run(["cc", "-g", "-shared", "-fPIC", "-I", os.path.dirname(header), "-Wl,-soname,libhfi.so.0",
                        "-o", out, source], check=True)
        return out

    def gate(self, library):
        return subprocess.run(["bash", os.path.join(ROOT, "tests", "abi", "abidiff.sh"), library, self.root],
                              capture_output=True, text=True)

    def test_a_removed_function_fails(self):
        result = self.gate(self.library("removed", self.BASE[:1]))
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("hfi_drop", result.stdout)
        self.assertIn("INCOMPATIBLE", result.stderr)

    def test_a_changed_parameter_type_fails(self):
        result = self.gate(self.library("changed", ["int32_t hfi_keep(int64_t x)", self.BASE[1]]))
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("hfi_keep", result.stdout)
        self.assertIn("a released function or type changed", result.stderr)

    def test_an_added_function_passes(self):
        result = self.gate(self.library("added", self.BASE + ["int32_t hfi_new(void)"]))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("nothing removed or changed, 1 function(s) added", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=1)
