"""Loading and writing: topology documents (round trip through the writer),
cloud assemblies and templates, input detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import drtopo
import seed_topology as seed


@pytest.mark.parametrize("variant", seed.VARIANTS)
def test_document_round_trip(variant: str) -> None:
    with drtopo.Model() as m1:
        seed.build(m1, variant)
        text = m1.to_json()
        doc = json.loads(text)
        assert doc["schema"] == "drtopo-topology/1"
        with drtopo.Model() as m2:
            m2.load_document_text(text, "%s.json" % variant)
            assert m2.to_json() == text  # model -> document -> model
            assert [s.id for s in m2] == [s.id for s in m1]
            assert m2.resource_count == m1.resource_count
            with m1.resolve() as r1, m2.resolve() as r2:
                assert r2.waves == r1.waves
                assert r2.codes() == r1.codes()
                assert r2.edges == r1.edges


def test_load_document_file(tmp_path: Path) -> None:
    path = tmp_path / "model-response.json"
    with drtopo.Model() as m:
        seed.build(m, "model-response")
        path.write_text(m.to_json())
    assert drtopo.input_kind(path) == drtopo.InputKind.DOCUMENT
    assert drtopo.input_kind(str(path)) == drtopo.InputKind.DOCUMENT
    for loader in ("load_document", "load"):
        with drtopo.Model() as m:
            getattr(m, loader)(path)
            assert m.stack_count == 15
            with m.resolve() as r:
                assert seed.error_codes(r) == seed.EXPECTED_ERRORS["model-response"]
                for d in r:
                    assert d.source_file is not None
                    assert d.source_file.endswith("model-response.json")
                    assert d.source_pointer and d.source_pointer.startswith("/")


def test_load_adds_to_model(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    with drtopo.Model() as m:
        m.add_stack("Only", region="eu-west-1").add_resource(
            "Bucket", "AWS::S3::Bucket", "only-bucket")
        path.write_text(m.to_json())
    with drtopo.Model() as m:
        m.add_stack("Existing")
        m.load_document(path)
        assert [s.id for s in m] == ["Existing", "Only"]
        assert m.find_stack("Only").find_resource("Bucket").physical_name == "only-bucket"
        with pytest.raises(drtopo.SchemaError):
            m.load_document(path)  # duplicate stack id


def test_load_document_bytes() -> None:
    with drtopo.Model() as m:
        m.load_document_text(b'{"schema": "drtopo-topology/1", "stacks": []}')
        assert m.stack_count == 0


def _cdk(repo: Path, case: str) -> Path:
    p = repo / "tests" / "data" / "cdk" / case / "cdk.out"
    if not (p / "manifest.json").exists():
        pytest.skip("fixture %s not present" % case)
    return p


def test_load_assembly(repo: Path) -> None:
    out = _cdk(repo, "table-name-collision")
    assert drtopo.input_kind(out) == drtopo.InputKind.ASSEMBLY
    for loader in ("load_assembly", "load"):
        with drtopo.Model() as m:
            getattr(m, loader)(out)
            ids = sorted(s.id for s in m)
            assert ids == ["StoragePrimary", "StorageSecondary"]
            p = m.find_stack("StoragePrimary")
            assert (p.account, p.region) == ("111111111111", "us-east-1")
            with m.resolve() as r:
                assert "DRT406" in r.codes()
    with drtopo.Model() as m:
        m.load_assembly(out / "manifest.json")
        assert m.stack_count == 2


def test_load_template(repo: Path) -> None:
    tpl = _cdk(repo, "table-name-collision") / "StorageSecondary.template.json"
    assert drtopo.input_kind(tpl) == drtopo.InputKind.TEMPLATE
    with drtopo.Model() as m:
        m.load_template(tpl, "Secondary", "111111111111", "us-east-2")
        s = m.find_stack("Secondary")
        assert (s.account, s.region) == ("111111111111", "us-east-2")
        assert "AWS::DynamoDB::Table" in [r.type for r in s.resources()]
    with drtopo.Model() as m:
        m.load_template(tpl)  # id from the file name, unknown environment
        s = m.find_stack("StorageSecondary")
        assert (s.account, s.region) == (None, None)
    with drtopo.Model() as m:
        m.load(tpl, "222222222222", "eu-west-1")
        (s,) = list(m)
        assert (s.account, s.region) == ("222222222222", "eu-west-1")
