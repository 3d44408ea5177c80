"""The object model through the bindings: building, reading back,
iteration, identity, enumerations, the rule catalogue, lifetimes."""

from __future__ import annotations

import gc
import io
import json
import weakref

import pytest

import drtopo
from drtopo import Severity


def test_version() -> None:
    assert drtopo.version() == drtopo.__version__
    assert drtopo.version().count(".") == 2
    assert drtopo.strerror(0) == "success"
    assert drtopo.strerror(-4) == "not found"
    assert drtopo.strerror(-1000) == "unknown status"


def test_stacks_and_properties(model: drtopo.Model) -> None:
    a = model.add_stack("A", "111111111111", "us-east-1")
    b = model.add_stack("B", region="us-east-2", name="App/B", stack_name="b-stack")
    c = model.add_stack("C")
    assert (a.id, a.account, a.region, a.name) == ("A", "111111111111", "us-east-1", None)
    assert (b.account, b.region, b.name) == (None, "us-east-2", "App/B")
    assert (c.account, c.region) == (None, None)
    c.set_name("Root/C")
    assert c.name == "Root/C"
    c.set_name(None, "c-stack")  # leaves the display name
    assert c.name == "Root/C"
    assert model.stack_count == 3
    assert [s.id for s in model.stacks()] == ["A", "B", "C"]
    assert [s.id for s in model] == ["A", "B", "C"]
    assert model.find_stack("B") == b
    assert model.find_stack("B") is not b
    assert hash(model.find_stack("B")) == hash(b)
    assert a != b and a != "A"
    assert "A" in model and "Z" not in model and 3 not in model
    assert model.get_stack("Z") is None
    assert a.model is model
    assert "A" in repr(a) and "Model 3 stacks" in repr(model)


def test_resources(model: drtopo.Model) -> None:
    s = model.add_stack("S", region="us-east-1")
    t = s.add_resource("Table", "AWS::DynamoDB::GlobalTable", "tbl")
    k = s.add_resource("Key", "AWS::KMS::Key")
    assert (t.id, t.type, t.physical_name) == ("Table", "AWS::DynamoDB::GlobalTable", "tbl")
    assert k.physical_name is None
    assert t.stack == s
    assert [r.id for r in s.resources()] == ["Table", "Key"]
    assert s.resource_count == 2 and model.resource_count == 2
    assert s.find_resource("Key") == k
    t.add_replica("us-east-2")
    t.add_replica("eu-west-1")
    t.add_replica("us-east-2")  # recorded (DRT405), not refused
    assert t.replicas == ["us-east-2", "eu-west-1", "us-east-2"]
    t.set_cmk(k)
    t.set_cmk("arn:aws:kms:us-east-1:111111111111:key/x")
    t.set_replica_key("us-east-2", "arn:aws:kms:us-east-2:111111111111:key/y")
    t.set_replica_key("eu-west-1", k)
    t.set_replica_key("eu-west-1", parameter="/keys/eu", parameter_region="eu-west-1")
    t.add_reference(k, "Arn")
    t.add_reference(k)
    assert "S/Table" in repr(t)


def test_links_and_parameters(model: drtopo.Model) -> None:
    a = model.add_stack("A", region="us-east-1")
    b = model.add_stack("B", region="us-east-1")
    ra = a.add_resource("Bucket", "AWS::S3::Bucket")
    rb = b.add_resource("Fn", "AWS::Lambda::Function")
    a.add_export("A-Bucket", ra)
    a.add_export("A-Other")
    b.add_import("A-Bucket", rb)
    b.add_import("A-Other")
    b.add_output_read(a, "BucketName", consumer=rb)
    b.add_output_read("a-stack", "BucketArn", "us-east-2")
    w = a.write_parameter("/app/bucket", value=ra, attribute="Arn")
    assert w.kind == drtopo.ParamKind.WRITE
    assert (w.name, w.region, w.stack) == ("/app/bucket", "us-east-1", a)  # NULL: the stack's
    w.set_value("literal text")
    w2 = a.write_parameter("/app/x", "us-east-2", ra, value="v")
    assert w2.region == "us-east-2"
    r = b.read_parameter("/app/bucket", resource=rb)
    assert r.kind == drtopo.ParamKind.READ and r.stack == b
    assert "read" in repr(r)
    b.add_dependency(a)
    b.add_dependency(a)  # repeating is not an error
    model.add_external("/outside/name")
    model.add_external("Outside-Export", "eu-west-1")

    with model.resolve() as res:
        assert res.waves == [["A"], ["B"]]
        assert res.wave_of("A") == 1 and res.wave_of(b) == 2
        kinds = {(e.from_stack, e.to_stack, e.kind) for e in res.edges}
        assert ("B", "A", drtopo.EdgeKind.EXPLICIT) in kinds
        assert ("B", "A", drtopo.EdgeKind.EXPORT) in kinds
        assert ("B", "A", drtopo.EdgeKind.PARAMETER) in kinds
        for e in res.edges:
            assert isinstance(e.kind, drtopo.EdgeKind)
            if e.kind == drtopo.EdgeKind.EXPLICIT:
                assert e.via is None
        assert str(drtopo.EdgeKind.STACK_OUTPUT) == "stack-output"


def test_result_plan_and_report(model: drtopo.Model) -> None:
    a = model.add_stack("A", region="us-east-1")
    b = model.add_stack("B", region="us-east-1")
    c = model.add_stack("C", region="us-east-1")
    c.add_dependency(b)
    b.add_dependency(a)
    res = model.resolve()
    assert not res.has_cycle
    assert res.waves == [["A"], ["B"], ["C"]]
    assert res.count() == len(res) == len(res.diagnostics)
    assert res and len(res) == 0  # truthy without findings
    assert res.max_severity == Severity.OFF
    report = json.loads(res.to_json())
    assert report["schema"] == "drtopo-report/1"
    assert report["waves"] == res.waves
    assert res.to_json() == res.to_json()
    res.close()
    res.close()  # idempotent
    assert res.closed and "closed" in repr(res)
    with pytest.raises(drtopo.ClosedError):
        res.waves


def test_cycle_and_diagnostics(model: drtopo.Model) -> None:
    a = model.add_stack("A", region="us-east-1")
    b = model.add_stack("B", region="us-east-1")
    a.add_dependency(b)
    b.add_dependency(a)
    with model.resolve() as res:
        assert res.has_cycle
        assert res.waves == []
        assert res.wave_of(a) is None
        d = [x for x in res if x.code == "DRT101"]
        assert d, res.codes()
        f = d[0]
        assert isinstance(f, drtopo.Diagnostic)
        assert f.rule == "dependency-cycle"
        assert f.severity == Severity.ERROR and str(f.severity) == "error"
        assert f.message
        assert isinstance(f.related, tuple)
        assert all(isinstance(r, drtopo.Related) for r in f.related)
        with pytest.raises(AttributeError):
            f.code = "x"  # type: ignore[misc]
        assert "DRT101" in str(f)
        assert res.count(Severity.ERROR) >= 1
        assert res.count("error") == res.count(3) == res.count(Severity.ERROR)
        assert res.max_severity == Severity.ERROR


def test_severity_enum() -> None:
    assert Severity.parse("warning") is Severity.WARNING
    assert Severity.parse("note") is Severity.INFO
    assert Severity.parse(0) is Severity.OFF
    assert Severity.parse(Severity.ERROR) is Severity.ERROR
    assert [str(s) for s in Severity] == ["off", "info", "warning", "error"]
    with pytest.raises(drtopo.InvalidArgumentError):
        Severity.parse("fatal")
    with pytest.raises(drtopo.InvalidArgumentError):
        Severity.parse(7)
    with pytest.raises(TypeError):
        Severity.parse(1.5)  # type: ignore[arg-type]


def test_rule_severity(model: drtopo.Model) -> None:
    assert model.rule_severity("DRT302") == Severity.ERROR
    model.set_rule_severity("DRT302", "warning")
    assert model.rule_severity("DRT302") == Severity.WARNING
    model.set_rule_severity("DRT101", Severity.OFF)
    a = model.add_stack("A")
    a.add_dependency(a)  # self-loop: DRT101, now off
    with model.resolve() as res:
        assert "DRT101" not in res.codes()


def test_rules_catalogue() -> None:
    rules = drtopo.rules()
    codes = [r.code for r in rules]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert len(rules) >= 22
    r = drtopo.rule("DRT302")
    assert r.name == "parameter-region-mismatch"
    assert r.default_severity == Severity.ERROR
    assert r.summary
    assert drtopo.rule("parameter-region-mismatch") == r
    assert r in rules
    text = drtopo.explain("DRT302")
    assert text.startswith("DRT302 parameter-region-mismatch (error)\n")


def test_rule_explanations_written() -> None:
    """Every rule explains itself (what `drtopo explain` prints)."""
    missing = [r.code for r in drtopo.rules() if not r.explanation.strip()]
    assert not missing, "rules without an explanation: %s" % missing


def test_model_closes_once() -> None:
    m = drtopo.Model()
    s = m.add_stack("A")
    m.close()
    m.close()
    assert m.closed and "closed" in repr(m) and "closed" in repr(s)
    with pytest.raises(drtopo.ClosedError):
        m.add_stack("B")
    with pytest.raises(drtopo.ClosedError):
        s.id
    with pytest.raises(drtopo.ClosedError):
        m.resolve()
    with pytest.raises(drtopo.ClosedError):
        with m:
            pass


def test_write_json_streams_the_report(model: drtopo.Model,
                                      full_stream: io.RawIOBase) -> None:
    a = model.add_stack("A", region="us-east-1")
    model.add_stack("B", region="us-east-1").add_dependency(a)
    res = model.resolve()
    out = io.BytesIO()
    res.write_json(out)
    assert out.getvalue().decode() == res.to_json()
    with pytest.raises(OSError, match="No space"):
        res.write_json(full_stream)


def test_context_manager_closes() -> None:
    with drtopo.Model() as m:
        s = m.add_stack("A")
        r = m.resolve()
    assert m.closed and r.closed
    with pytest.raises(drtopo.ClosedError):
        s.region
    with pytest.raises(drtopo.ClosedError, match="model is closed"):
        r.to_json()


def _stack_of_dropped_model() -> drtopo.Stack:
    m = drtopo.Model()
    return m.add_stack("Orphan", region="eu-west-1")


def test_borrowed_objects_keep_model_alive() -> None:
    s = _stack_of_dropped_model()
    gc.collect()
    assert s.id == "Orphan" and s.region == "eu-west-1"
    r = s.add_resource("Key", "AWS::KMS::Key")
    m = weakref.ref(s.model)
    del s
    gc.collect()
    assert m() is not None  # the resource still holds it
    assert r.stack.id == "Orphan"
    del r
    gc.collect()
    assert m() is None  # and then it is collected (and freed by __del__)


def test_result_keeps_model_alive_and_model_frees_results() -> None:
    m = drtopo.Model()
    m.add_stack("A")
    res = m.resolve()
    wm = weakref.ref(m)
    del m
    gc.collect()
    assert wm() is not None and res.waves == [["A"]]
    # Closing the model frees its live results first.
    model = res.model
    other = model.resolve()
    assert len(model._results) == 2
    model.close()
    assert res.closed and other.closed and not model._results
    with pytest.raises(drtopo.ClosedError):
        other.diagnostics
    res.close()  # already freed by the model: a no-op


def test_result_freed_before_model_in_gc_cycle() -> None:
    # A reference cycle holding both: the collector may finalize either
    # first; the shared handle box frees the result exactly once, before
    # the model.
    for _ in range(50):
        m = drtopo.Model()
        m.add_stack("A")
        r = m.resolve()
        m.cycle = r  # type: ignore[attr-defined]
        del m, r
    gc.collect()


def test_closed_results_are_unregistered(model: drtopo.Model) -> None:
    model.add_stack("A")
    for _ in range(10):
        with model.resolve():
            pass
    model.resolve()  # dropped: __del__ frees it
    gc.collect()
    assert not model._results


def test_cached_accessors_respect_close(model: drtopo.Model) -> None:
    model.add_stack("A").add_dependency(model.add_stack("B"))
    res = model.resolve()
    assert res.edges and res.diagnostics == res.diagnostics
    res.close()
    with pytest.raises(drtopo.ClosedError):
        res.edges
    with pytest.raises(drtopo.ClosedError):
        list(res)


def test_objects_alive_at_interpreter_exit() -> None:
    """Models and results still referenced (even from a cycle or a module
    global) when the interpreter exits are freed without a crash."""
    import subprocess
    import sys
    import textwrap

    from conftest import subprocess_env

    script = textwrap.dedent("""
        import drtopo
        m = drtopo.Model()
        s = m.add_stack("A", region="us-east-1")
        r = m.resolve()
        m2 = drtopo.Model()
        m2.self_ref = m2
        m2.result = m2.resolve()
        drtopo.keep = (m, r, s)
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", script], env=subprocess_env(),
                         capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout, out.stderr) == (0, "ok\n", "")
