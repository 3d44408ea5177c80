"""python3 -m drtopo: the check/plan/explain mirror and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

import drtopo
import seed_topology as seed

from conftest import subprocess_env


def cli(*args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "drtopo", *args],
                          env=subprocess_env(), capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    d = tmp_path_factory.mktemp("seed")
    out = {}
    for v in seed.VARIANTS:
        with drtopo.Model() as m:
            seed.build(m, v)
            (d / (v + ".json")).write_text(m.to_json())
        out[v] = str(d / (v + ".json"))
    return out


def test_version_and_usage() -> None:
    r = cli("--version")
    assert r.returncode == 0 and drtopo.version() in r.stdout
    assert cli().returncode == 2
    assert cli("check").returncode == 2
    assert cli("check", "x.json", "--format", "yaml").returncode == 2


def test_explain() -> None:
    r = cli("explain", "DRT302")
    assert r.returncode == 0
    assert r.stdout.startswith("DRT302 parameter-region-mismatch (error)")
    r = cli("explain", "DRT999")
    assert r.returncode == 2 and "DRT999" in r.stderr


def test_check_unreadable_input(tmp_path: Path) -> None:
    r = cli("check", str(tmp_path / "missing.json"))
    assert r.returncode == 2
    assert "missing.json" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "drtopo-topology/1",\n  "stacks": [,]}')
    r = cli("check", str(bad))
    assert r.returncode == 2
    assert "bad.json:2:" in r.stderr


def test_check_exit_codes(docs: dict) -> None:
    r = cli("check", docs["model-response"])
    assert r.returncode == 1, r.stderr
    assert "DRT201" in r.stdout and "DRT406" in r.stdout
    assert cli("check", "--fail-on", "never", docs["model-response"]).returncode == 0
    r = cli("check", docs["fixed"])
    assert r.returncode == 0, r.stdout + r.stderr
    with drtopo.Model() as m:
        m.load(docs["fixed"])
        with m.resolve() as res:
            worst = res.max_severity
    expect = 1 if worst >= drtopo.Severity.INFO else 0
    assert cli("check", "--fail-on", "info", docs["fixed"]).returncode == expect


def test_check_formats(docs: dict) -> None:
    r = cli("check", "--format", "json", docs["ideal-response"])
    assert r.returncode == 1
    report = json.loads(r.stdout)
    codes: List[str] = [d["code"] for d in report["diagnostics"]]
    assert codes.count("DRT302") == 2
    r = cli("check", "--format", "sarif", docs["ideal-response"])
    assert json.loads(r.stdout)["version"] == "2.1.0"
    r = cli("check", "--quiet", docs["ideal-response"])
    assert len(r.stdout.strip().splitlines()) == 1
    assert "\x1b[" not in cli("check", docs["ideal-response"]).stdout


def test_check_external(docs: dict) -> None:
    # Declaring the read names as written outside changes nothing for
    # DRT302 (they are written, in another region), but must be accepted.
    r = cli("check", "--external", "/dr/dev/alb-dns/us-east-2@us-east-1",
            "--external", "/other", "--format", "json", docs["ideal-response"])
    assert r.returncode in (0, 1), r.stderr
    json.loads(r.stdout)


def test_plan(docs: dict) -> None:
    r = cli("plan", docs["fixed"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.index("KmsPrimary-dev") < r.stdout.index("Failover-dev")
    r = cli("plan", "--destroy", docs["fixed"])
    assert r.stdout.index("Failover-dev") < r.stdout.index("KmsPrimary-dev")


def _command() -> str:
    import os
    cmd = os.environ.get("DRTOPO_COMMAND")
    if not cmd or not os.access(cmd, os.X_OK):
        pytest.skip("DRTOPO_COMMAND (the built drtopo command) not set")
    return cmd


@pytest.mark.parametrize("args", [
    ["check", "{model-response}"],
    ["check", "--format", "json", "{ideal-response}"],
    ["check", "--format", "sarif", "{model-response}"],
    ["check", "--quiet", "{ideal-response}"],
    ["check", "--fail-on", "never", "{model-response}"],
    ["check", "--fail-on", "info", "{fixed}"],
    ["check", "--external", "/dr/dev/alb-dns/us-east-2@us-east-1", "{ideal-response}"],
    ["plan", "{fixed}"],
    ["plan", "--destroy", "{fixed}"],
    ["check", "--objective", "rpo=60,rto=900", "{fixed}"],
    ["simulate", "{fixed}"],
    ["simulate", "--lose-region", "us-east-1", "--format", "json", "{fixed}"],
    ["simulate", "--objective", "rpo=60", "--format", "sarif", "{fixed}"],
    ["simulate", "--lose-region", "us-east-2", "--format", "dot", "{fixed}"],
    ["simulate", "--fail-on", "info", "{model-response}"],
    ["explain", "DRT302"],
    ["explain", "DRT610"],
    ["explain", "drt406"],
    ["explain", "DRT999"],
], ids=lambda a: " ".join(a))
def test_same_as_the_command(docs: dict, args: List[str]) -> None:
    """The mirror prints what the C command prints, with its exit code."""
    argv = [a.format(**docs) for a in args]
    c = subprocess.run([_command(), *argv], capture_output=True, text=True,
                       timeout=120, env={**subprocess_env(), "NO_COLOR": "1"})
    p = cli(*argv)
    assert (p.returncode, p.stdout) == (c.returncode, c.stdout)
    assert bool(p.stderr) == bool(c.stderr)


def test_same_rules_as_the_command() -> None:
    out = subprocess.run([_command(), "explain", "--list"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0
    assert [line.split()[0] for line in out.stdout.splitlines()] == [
        r.code for r in drtopo.rules()]
