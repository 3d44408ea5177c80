"""The signature table against the library: every exported symbol is bound
(and nothing else), every function is fully declared, and a library that
lacks a symbol is refused at import."""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

import drtopo
from drtopo import _lib

from conftest import subprocess_env


def test_table_matches_version_script(repo: Path) -> None:
    sym = (repo / "lib" / "libdrtopo.sym").read_text()
    exported = set(re.findall(r"^\s*(drtopo_[a-z0-9_]+);", sym, re.M))
    bound = set(_lib._SIGNATURES)
    assert sorted(exported - bound) == [], "exported but not bound"
    assert sorted(bound - exported) == [], "bound but not exported"


def test_every_function_declared() -> None:
    for name, (argtypes, restype, errcheck) in _lib._SIGNATURES.items():
        func = getattr(_lib.lib, name)
        assert func.argtypes == argtypes, name
        assert func.restype is restype, name
        if errcheck is not None:
            assert func.errcheck is errcheck, name


def _c_type(decl: str) -> str:
    """Normalize a C type: 'const char *' -> 'char*', 'drtopo_model *' ..."""
    decl = re.sub(r"\bconst\b", "", decl)
    return re.sub(r"\s+", "", decl)


_SIMPLE = {"int": ctypes.c_int, "unsignedint": ctypes.c_uint,
           "long": ctypes.c_long,
           "size_t": ctypes.c_size_t, "char*": ctypes.c_char_p,
           "void*": ctypes.c_void_p}
_HANDLES = {"drtopo_model": "ModelP", "drtopo_stack": "StackP",
            "drtopo_resource": "ResourceP", "drtopo_param": "ParamP",
            "drtopo_result": "ResultP", "drtopo_diagnostic": "DiagnosticP",
            "drtopo_rule": "RuleP", "drtopo_replication": "ReplicationP",
            "drtopo_route": "RouteP", "drtopo_simulation": "SimulationP"}


def _expected(ctype: str) -> object:
    if ctype == "void":
        return None
    if ctype in _SIMPLE:
        return _SIMPLE[ctype]
    if ctype == "drtopo_write_fn":
        return _lib.WriteFn
    if ctype == "char**":  # owned output: never c_char_p
        return _lib._OutStr
    base = ctype.rstrip("*")
    stars = len(ctype) - len(base)
    if base in _HANDLES:
        t = getattr(_lib, _HANDLES[base])
        for _ in range(stars - 1):
            t = ctypes.POINTER(t)
        return t
    if base in ("int", "size_t", "long") and stars == 1:
        return ctypes.POINTER(_SIMPLE[base])
    raise AssertionError("unknown C type %r" % ctype)


def test_table_matches_headers(repo: Path) -> None:
    """Return and argument types agree with include/drtopo/*.h."""
    text = "\n".join(p.read_text() for p in sorted(
        (repo / "include" / "drtopo").glob("*.h")))
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    protos = re.findall(r"DRTOPO_EXPORT\s+([^;{]*?)\s*\(([^)]*)\)\s*;", text)
    seen = set()
    for head, params in protos:
        m = re.match(r"(.*?)(\bdrtopo_[a-z0-9_]+)$", head.strip(), re.S)
        assert m, head
        ret, name = _c_type(m.group(1)), m.group(2)
        seen.add(name)
        argtypes, restype, _ = _lib._SIGNATURES[name]
        want_ret = _expected(ret)
        # Owned strings come back through char **; a const char * result is
        # always borrowed, so c_char_p is right for it.
        assert restype is want_ret, (name, ret)
        ps = [] if params.strip() in ("", "void") else params.split(",")
        assert len(ps) == len(argtypes), name
        for p, got in zip(ps, argtypes):
            pm = re.match(r"(.*?)(\w+)$", p.strip(), re.S)
            assert pm, (name, p)
            ptype = _c_type(pm.group(1))
            want: object = (ctypes.POINTER(ctypes.c_char_p)  # const char **via_out
                            if ptype == "char**" and "const" in p
                            else _expected(ptype))
            assert got is want, (name, p, got, want)
    assert seen == set(_lib._SIGNATURES)


def test_owned_strings_never_c_char_p() -> None:
    for name, (argtypes, _, _) in _lib._SIGNATURES.items():
        if name.startswith(("drtopo_result_to_", "drtopo_simulation_to_")) or name in (
                "drtopo_result_plan_to_text", "drtopo_model_to_json"):
            assert argtypes[-2] is _lib._OutStr, name
            assert argtypes[-2] is not ctypes.POINTER(ctypes.c_char_p)


def test_status_functions_check_errors() -> None:
    for name, (argtypes, restype, errcheck) in _lib._SIGNATURES.items():
        if restype is ctypes.c_int and errcheck is None:
            # Plain ints that are not statuses.
            assert name in {
                "drtopo_model_error_line", "drtopo_model_error_column",
                "drtopo_result_has_cycle", "drtopo_result_stack_wave",
                "drtopo_result_max_severity", "drtopo_rule_default_severity",
                "drtopo_simulation_max_severity",
            }, name


def test_missing_symbol_is_refused() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    with pytest.raises(ImportError, match="out of sync"):
        _lib.bind(libc, "libc")


def test_library_not_found_hint(tmp_path: Path) -> None:
    env = subprocess_env()
    env["DRTOPO_LIBRARY"] = str(tmp_path / "libdrtopo.so.0")
    out = subprocess.run([sys.executable, "-c", "import drtopo"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "ImportError: drtopo: cannot load libdrtopo" in out.stderr
    assert "DRTOPO_LIBRARY" in out.stderr


def test_loaded_library_is_the_configured_one() -> None:
    import os
    env = os.environ.get("DRTOPO_LIBRARY")
    if env:
        assert _lib.PATH == env
    assert drtopo.version() == drtopo.__version__
