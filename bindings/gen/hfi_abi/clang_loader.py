"""Imports Debian's libclang bindings (python3-clang-14) whichever python3 runs us."""
import sys

LIBCLANG = "/usr/lib/llvm-14/lib/libclang.so.1"
DEBIAN_SITE = "/usr/lib/python3/dist-packages"


def cindex():
    try:
        import clang.cindex as ci
    except ImportError:
        # A python3 other than Debian's (pyenv, a venv) does not see Debian's site packages.
        sys.path.append(DEBIAN_SITE)
        try:
            import clang.cindex as ci
        except ImportError:
            sys.exit("abigen: needs Debian's python3-clang-14 (apt-get install python3-clang-14)")
    if not ci.Config.loaded:
        ci.Config.set_library_file(LIBCLANG)
    return ci
