"""Every error path: each exception class raised by a real failing call,
carrying the library's message (and, for load errors, the location)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import drtopo
from drtopo import _lib

from conftest import subprocess_env


def test_hierarchy() -> None:
    assert issubclass(drtopo.SchemaError, drtopo.ParseError)
    for cls in (drtopo.InternalError, drtopo.OutOfMemoryError,
                drtopo.InvalidArgumentError, drtopo.NotFoundError,
                drtopo.AlreadyExistsError, drtopo.ParseError,
                drtopo.SchemaError, drtopo.DrtopoIOError, drtopo.LimitError,
                drtopo.ClosedError):
        assert issubclass(cls, drtopo.DrtopoError)
    assert issubclass(drtopo.DrtopoIOError, OSError)
    assert issubclass(drtopo.OutOfMemoryError, MemoryError)
    assert issubclass(drtopo.NotFoundError, LookupError)
    assert issubclass(drtopo.InvalidArgumentError, ValueError)


@pytest.mark.parametrize("status,cls", sorted(_lib.EXCEPTIONS.items()))
def test_status_mapping(status: int, cls: type) -> None:
    exc = _lib.error_for(status)
    assert type(exc) is cls
    assert exc.status == status
    assert str(exc) == drtopo.strerror(status)
    assert type(_lib.error_for(-77)) is drtopo.DrtopoError


# ---- invalid argument --------------------------------------------------------


def test_invalid_argument_from_library(model: drtopo.Model) -> None:
    with pytest.raises(drtopo.InvalidArgumentError) as ei:
        model.add_stack("")
    assert ei.value.status == _lib.EINVAL
    assert "invalid argument" in str(ei.value)
    assert str(ei.value) == drtopo._L.drtopo_model_errmsg(model._h)
    s = model.add_stack("A")
    with pytest.raises(drtopo.InvalidArgumentError, match="invalid argument"):
        s.add_resource("R", "")
    with pytest.raises(drtopo.InvalidArgumentError):
        s.add_export("")
    with pytest.raises(drtopo.InvalidArgumentError):
        s.add_output_read("B", "")
    with pytest.raises(drtopo.InvalidArgumentError):
        model.add_external("")
    with pytest.raises(drtopo.InvalidArgumentError):
        model.set_limit(drtopo.Limit.DEPTH, 0)
    with pytest.raises(drtopo.InvalidArgumentError):
        model.set_limit(99, 1)
    r = s.add_resource("T", "AWS::DynamoDB::GlobalTable")
    with pytest.raises(drtopo.InvalidArgumentError):
        r.add_replica("")
    with pytest.raises(drtopo.InvalidArgumentError):
        r.set_cmk("")
    with pytest.raises(drtopo.InvalidArgumentError):
        r.set_replica_key("", "arn:aws:kms:us-east-2:1:key/x")
    p = s.write_parameter("/x")
    with pytest.raises(drtopo.InvalidArgumentError):
        s.read_parameter("")
    p.set_value("")  # empty text is a value


def test_invalid_argument_resource_of_another_stack(model: drtopo.Model) -> None:
    a = model.add_stack("A")
    b = model.add_stack("B")
    rb = b.add_resource("R", "AWS::S3::Bucket")
    # The library refuses an export whose value is not of the exporting
    # stack (same model, so the check is the library's own).
    with pytest.raises(drtopo.InvalidArgumentError) as ei:
        a.add_export("X", rb)
    assert "invalid argument" in ei.value.message


def test_invalid_argument_from_bindings(model: drtopo.Model) -> None:
    a = model.add_stack("A")
    with drtopo.Model() as other:
        foreign = other.add_stack("F")
        with pytest.raises(drtopo.InvalidArgumentError, match="another model"):
            a.add_dependency(foreign)
        fr = foreign.add_resource("K", "AWS::KMS::Key")
    with pytest.raises(drtopo.ClosedError):  # its model is gone
        a.add_resource("T", "AWS::DynamoDB::Table").set_cmk(fr)
    with pytest.raises(drtopo.InvalidArgumentError, match="NUL"):
        model.add_stack("bad\0id")
    with pytest.raises(TypeError):
        model.add_stack(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        a.add_dependency("A")  # type: ignore[arg-type]
    with pytest.raises(drtopo.InvalidArgumentError):
        a.add_dependency(None)  # type: ignore[arg-type]
    t = a.find_resource("T")
    with pytest.raises(drtopo.InvalidArgumentError, match="exactly one"):
        t.set_replica_key("us-east-2")
    with pytest.raises(drtopo.InvalidArgumentError, match="exactly one"):
        t.set_replica_key("us-east-2", "arn", parameter="/p")
    with pytest.raises(drtopo.InvalidArgumentError):
        model.set_rule_severity("DRT302", 9)
    with pytest.raises(drtopo.InvalidArgumentError):
        model.set_limit(drtopo.Limit.DEPTH, -1)
    with pytest.raises(TypeError):
        model.load_document_text(None)  # type: ignore[arg-type]


# ---- not found, already exists -----------------------------------------------


def test_not_found(model: drtopo.Model) -> None:
    s = model.add_stack("A")
    with pytest.raises(drtopo.NotFoundError, match="no stack with id 'Z'") as ei:
        model.find_stack("Z")
    assert ei.value.status == _lib.ENOTFOUND
    with pytest.raises(drtopo.NotFoundError, match="has no resource 'R'"):
        s.find_resource("R")
    with pytest.raises(drtopo.NotFoundError, match="DRT999") as ei:
        model.set_rule_severity("DRT999", "off")
    assert ei.value.message == drtopo._L.drtopo_model_errmsg(model._h)
    with pytest.raises(drtopo.NotFoundError, match="DRT999"):
        model.rule_severity("DRT999")
    with pytest.raises(drtopo.NotFoundError):
        drtopo.rule("no-such-rule")
    with pytest.raises(drtopo.NotFoundError):
        drtopo.explain("DRT000")
    with pytest.raises(KeyError.__mro__[1]):  # LookupError
        model.find_stack("Y")


def test_already_exists(model: drtopo.Model) -> None:
    s = model.add_stack("A")
    with pytest.raises(drtopo.AlreadyExistsError) as ei:
        model.add_stack("A", region="us-east-1")
    assert ei.value.status == _lib.EEXIST
    assert "'A' already exists" in str(ei.value)
    s.add_resource("R", "AWS::S3::Bucket")
    with pytest.raises(drtopo.AlreadyExistsError, match="'R'"):
        s.add_resource("R", "AWS::S3::Bucket")
    assert model.stack_count == 1 and s.resource_count == 1


# ---- parse, schema, I/O and limit errors (the loaders) -----------------------


def test_parse_error_has_location(model: drtopo.Model) -> None:
    text = '{\n  "schema": "drtopo-topology/1",\n  "stacks": [\n    {"id": }\n'
    with pytest.raises(drtopo.ParseError) as ei:
        model.load_document_text(text, "bad.json")
    e = ei.value
    assert type(e) is drtopo.ParseError and e.status == _lib.EPARSE
    assert e.file == "bad.json"
    assert e.line == 4 and isinstance(e.column, int) and e.column > 0
    assert str(e).startswith("bad.json:4:")


def test_parse_error_from_file(model: drtopo.Model, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"schema": "drtopo-topology/1",\n "stacks": [1, 2,]}\n')
    with pytest.raises(drtopo.ParseError) as ei:
        model.load_document(path)
    assert ei.value.file is not None and ei.value.file.endswith("broken.json")
    assert ei.value.line == 2


def test_schema_error_names_unknown_key(model: drtopo.Model) -> None:
    doc = {"schema": "drtopo-topology/1", "stacks": [], "stakcs": []}
    with pytest.raises(drtopo.SchemaError) as ei:
        model.load_document_text(json.dumps(doc, indent=2), "typo.json")
    e = ei.value
    assert e.status == _lib.ESCHEMA
    assert isinstance(e, drtopo.ParseError)
    assert "stakcs" in str(e)
    assert e.pointer == "/stakcs"
    assert e.file == "typo.json" and e.line == 4


def test_schema_error_future_version(model: drtopo.Model) -> None:
    with pytest.raises(drtopo.SchemaError, match="drtopo-topology/99"):
        model.load_document_text('{"schema": "drtopo-topology/99"}')


def test_io_error(model: drtopo.Model, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(drtopo.DrtopoIOError) as ei:
        model.load_document(missing)
    assert ei.value.status == _lib.EIO
    assert isinstance(ei.value, OSError)
    assert "nope.json" in str(ei.value)
    with pytest.raises(drtopo.DrtopoIOError):
        model.load(missing)
    with pytest.raises(drtopo.DrtopoIOError):
        drtopo.input_kind(missing)


def test_limit_error_file_size(model: drtopo.Model, tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"schema": "drtopo-topology/1", "stacks": []}))
    model.set_limit(drtopo.Limit.FILE_SIZE, 16)
    with pytest.raises(drtopo.LimitError) as ei:
        model.load_document(path)
    assert ei.value.status == _lib.ELIMIT
    assert "big.json" in str(ei.value)


def test_limit_error_depth(model: drtopo.Model) -> None:
    model.set_limit(drtopo.Limit.DEPTH, 8)
    deep = '{"schema": "drtopo-topology/1", "stacks": ' + "[" * 50 + "]" * 50 + "}"
    with pytest.raises(drtopo.LimitError):
        model.load_document_text(deep, "deep.json")


def test_failed_load_leaves_model_usable(model: drtopo.Model) -> None:
    model.add_stack("A")
    with pytest.raises(drtopo.ParseError):
        model.load_document_text("{")
    with model.resolve() as res:
        assert res.waves == [["A"]]


# ---- out of memory: a real allocation failure in a child process -------------


def test_out_of_memory() -> None:
    script = textwrap.dedent("""
        import resource, drtopo
        m = drtopo.Model()
        m.add_stack("A")
        big = b"x" * (256 << 20)
        with open("/proc/self/status") as f:
            vm = [int(l.split()[1]) * 1024 for l in f if l.startswith("VmSize:")][0]
        resource.setrlimit(resource.RLIMIT_AS, (vm + (64 << 20), resource.RLIM_INFINITY))
        try:
            m.add_stack(big)
        except drtopo.OutOfMemoryError as e:
            assert e.status == -2 and isinstance(e, MemoryError), e
            print("OOM:", e)
        else:
            print("no error")
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2)
        print([s.id for s in m])  # nothing was changed
        m.close()
    """)
    out = subprocess.run([sys.executable, "-c", script], env=subprocess_env(),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["OOM: out of memory", "['A']"]
