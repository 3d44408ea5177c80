"""The JSON Schemas in data/ describe what the library writes.

Every simulation report (drtopo-simulation/1) of the seed and of the CDK
posture apps validates against data/drtopo-simulation.schema.json, for every
region in turn and for one region lost; every topology document the library
writes (drtopo-topology/1), and every valid document of the test data,
validates against data/drtopo-topology.schema.json. Debian's
python3-jsonschema does the validating (tools/dev/install-deps.sh installs
it): a missing validator is a failure, not a skip, so that this test cannot
pass by not running.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List

import pytest

import drtopo

import jsonschema  # noqa: E402  (Debian python3-jsonschema; required)


def validator(repo: Path, name: str) -> Any:
    schema = json.loads((repo / "data" / name).read_text())
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema)


def errors(v: Any, doc: Any) -> List[str]:
    return ["%s at /%s" % (e.message[:200], "/".join(str(p) for p in e.path))
            for e in v.iter_errors(doc)]


def posture_inputs(repo: Path) -> List[Path]:
    seed = sorted((repo / "examples" / "seed-dr").glob("*.json"))
    apps = [repo / "tests" / "data" / "cdk" / a / "cdk.out" for a in (
        "route53-routing", "global-cluster-two-regions", "backup-copy-other-region",
        "s3-rtc-other-region", "objectives-tags", "secret-kms-replicas",
        "tablev2-strong", "aurora-replica-other-region")]
    return seed + apps


def test_simulation_reports_validate(repo: Path) -> None:
    v = validator(repo, "drtopo-simulation.schema.json")
    checked = 0
    for path in posture_inputs(repo):
        with drtopo.Model() as m:
            m.load(str(path))
            m.set_objectives(rpo=60, rto=900)
            result = m.resolve()
            for region in (None, "us-east-1", "eu-north-1"):
                sim = result.simulate(lose_region=region)
                doc = json.loads(sim.to_json())
                assert doc["schema"] == "drtopo-simulation/1"
                assert errors(v, doc) == [], (path.name, region)
                checked += 1
    assert checked == 3 * len(posture_inputs(repo))


def test_schema_rejects_what_the_library_never_writes(repo: Path) -> None:
    # The schema is strict enough to catch a wrong report.
    v = validator(repo, "drtopo-simulation.schema.json")
    with drtopo.Model() as m:
        m.load(str(repo / "examples" / "seed-dr" / "fixed.json"))
        doc = json.loads(m.resolve().simulate().to_json())
    bad = json.loads(json.dumps(doc))
    bad["scenarios"][0]["resources"][0]["outcome"] = "gone"
    assert errors(v, bad)
    bad = json.loads(json.dumps(doc))
    bad["summary"]["extra"] = 1
    assert errors(v, bad)
    bad = json.loads(json.dumps(doc))
    del bad["worst"]
    assert errors(v, bad)


def test_topology_documents_validate(repo: Path) -> None:
    v = validator(repo, "drtopo-topology.schema.json")
    inputs = sorted((repo / "tests" / "data" / "documents" / "valid").glob("*.json"))
    inputs += posture_inputs(repo)
    checked = 0
    for path in inputs:
        raw = path.read_bytes() if path.is_file() else b""
        if path.suffix == ".json" and not raw.startswith(b"\xef\xbb\xbf"):
            try:
                doc = json.loads(raw)
            except ValueError:
                doc = None
            if isinstance(doc, dict) and doc.get("schema") == "drtopo-topology/1":
                assert errors(v, doc) == [], path.name
        with drtopo.Model() as m:
            m.load(str(path))
            written = json.loads(m.to_json())
        assert errors(v, written) == [], path.name
        checked += 1
    assert checked == len(inputs)
