"""The seed DR topology end to end, all three variants, built through the
Python API: plan, findings, and every serializer."""

from __future__ import annotations

import json
from typing import Dict, Iterator, List

import pytest

import drtopo
from drtopo import Severity
import seed_topology as seed


@pytest.fixture(params=seed.VARIANTS)
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def result(variant: str) -> Iterator[drtopo.Result]:
    with drtopo.Model() as m:
        seed.build(m, variant)
        with m.resolve() as r:
            yield r


def test_shape(variant: str) -> None:
    with drtopo.Model() as m:
        seed.build(m, variant)
        assert m.stack_count == 15
        assert {s.region for s in m} == {seed.P, seed.S}
        assert all(s.account is None for s in m)
        table = m.find_stack("StoragePrimary-dev").find_resource("SessionsTable")
        assert table.replicas == [seed.S]


def test_plan(result: drtopo.Result) -> None:
    assert not result.has_cycle
    assert result.waves == seed.EXPECTED_WAVES
    assert result.wave_of("KmsPrimary-dev") == 1
    assert result.wave_of("Failover-dev") == 4
    explicit = {(e.from_stack, e.to_stack) for e in result.edges
                if e.kind == drtopo.EdgeKind.EXPLICIT}
    assert explicit == set(seed.DEPENDENCIES)


def test_findings(variant: str, result: drtopo.Result) -> None:
    assert seed.error_codes(result) == seed.EXPECTED_ERRORS[variant], \
        "\n".join(str(d) for d in result)
    if variant == "fixed":
        assert result.count(Severity.ERROR) == 0, [str(d) for d in result]


def test_findings_detail(variant: str, result: drtopo.Result) -> None:
    by_code: Dict[str, List[drtopo.Diagnostic]] = {}
    for d in result:
        by_code.setdefault(d.code, []).append(d)
        assert d.rule and d.message
        assert d.rule == drtopo.rule(d.code).name
    if variant == "model-response":
        assert sorted(str(d.stack) for d in by_code["DRT201"]) == [
            "Failover-dev", "StoragePrimary-dev"]
        related = {r.stack for d in by_code["DRT201"] for r in d.related}
        assert related == {"ComputeSecondary-dev", "KmsSecondary-dev"}
        (d401,) = by_code["DRT401"]
        assert d401.stack == "StoragePrimary-dev"
        assert d401.resource == "SessionsTable"
        assert d401.region == seed.S
    elif variant == "ideal-response":
        assert sorted(str(d.stack) for d in by_code["DRT302"]) == [
            "Failover-dev", "StoragePrimary-dev"]
        assert all(d.region == seed.P for d in by_code["DRT302"])
        assert all(d.hint for d in by_code["DRT302"])
    if variant != "fixed":
        (d406,) = by_code["DRT406"]
        stacks = {d406.stack} | {r.stack for r in d406.related}
        assert stacks == {"StoragePrimary-dev", "StorageSecondary-dev"}


def test_json_report(result: drtopo.Result) -> None:
    report = json.loads(result.to_json())
    assert report["schema"] == "drtopo-report/1"
    assert report["generator"] == "drtopo " + drtopo.version()
    assert report["waves"] == result.waves
    assert [s["id"] for s in report["stacks"]] == sorted(
        s for wave in result.waves for s in wave)
    assert [d["code"] for d in report["diagnostics"]] == result.codes()
    assert report["summary"]["errors"] == result.count(Severity.ERROR)
    assert report["summary"]["warnings"] == result.count(Severity.WARNING)
    assert report["summary"]["stacks"] == 15
    assert len(report["edges"]) == len(result.edges)


def test_sarif(result: drtopo.Result) -> None:
    sarif = json.loads(result.to_sarif())
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    assert run["tool"]["driver"]["name"] == "drtopo"
    assert [r["ruleId"] for r in run["results"]] == result.codes()


def test_dot(result: drtopo.Result) -> None:
    dot = result.to_dot()
    assert dot.lstrip().startswith("digraph")
    assert '"Failover-dev"' in dot or "Failover-dev" in dot


def test_text(result: drtopo.Result) -> None:
    text = result.to_text()
    assert "\x1b[" not in text
    for d in result:
        assert d.code in text
    quiet = result.to_text(quiet=True)
    assert len(quiet.strip().splitlines()) == 1
    if result.count():
        assert "\x1b[" in result.to_text(color=True)


def test_plan_text(result: drtopo.Result) -> None:
    plan = result.plan_text()
    destroy = result.plan_text(destroy=True)
    assert plan.index("KmsPrimary-dev") < plan.index("Failover-dev")
    assert destroy.index("Failover-dev") < destroy.index("KmsPrimary-dev")


def test_output_is_deterministic(variant: str) -> None:
    outs = []
    for _ in range(2):
        with drtopo.Model() as m:
            seed.build(m, variant)
            with m.resolve() as r:
                outs.append((r.to_json(), r.to_sarif(), r.to_dot(), r.to_text(),
                             r.plan_text(), m.to_json()))
    assert outs[0] == outs[1]


def test_turning_rules_off() -> None:
    with drtopo.Model() as m:
        seed.build(m, "model-response")
        m.set_rule_severity("DRT201", "off")
        m.set_rule_severity("DRT406", Severity.WARNING)
        with m.resolve() as r:
            assert "DRT201" not in r.codes()
            assert [d.severity for d in r if d.code == "DRT406"] == [Severity.WARNING]
