"""Replication facts (0.2) through the bindings: flags, ARN mentions,
replication settings, and the rules that read them (DRT207, DRT408,
DRT409, DRT410), built through the API and loaded from CDK apps."""

from __future__ import annotations

from pathlib import Path

import drtopo
from drtopo import ReplicationKind


def _two_buckets(model: drtopo.Model, versioned: bool = True,
                 dep: bool = False) -> drtopo.Replication:
    src_stack = model.add_stack("Source", "111111111111", "us-east-1")
    dst_stack = model.add_stack("Dest", "111111111111", "us-east-2")
    if dep:
        src_stack.add_dependency(dst_stack)
    src = src_stack.add_resource("Data", "AWS::S3::Bucket", "dr-src")
    dst = dst_stack.add_resource("Replica", "AWS::S3::Bucket", "dr-dest")
    src.flags = drtopo.RESOURCE_VERSIONED
    if versioned:
        dst.flags = drtopo.RESOURCE_VERSIONED | drtopo.RESOURCE_SSE_KMS
    return src.add_replication(ReplicationKind.S3_DESTINATION,
                               "arn:aws:s3:::dr-dest",
                               flags=drtopo.REPLICATION_RTC,
                               pointer="/Rules/0/Destination/Bucket")


def _codes(result: drtopo.Result) -> list:
    """The codes but posture's (DRT6xx: tests/test_posture.py): a stack
    depending on one in another region is DRT611 (info) by design."""
    return [c for c in result.codes() if not c.startswith("DRT6")]


def test_kind_names() -> None:
    # every kind of the C library, under the document's name
    assert [k.label() for k in ReplicationKind] == [
        "s3-destination", "global-cluster", "global-cluster-source",
        "cluster-source", "instance-source", "secret-replica",
        "backup-copy", "backup-selection", "kms-replica-key",
        "efs-destination"]
    assert drtopo._lib.lib.drtopo_replication_kind_name(
        len(ReplicationKind) + 1) is None


def test_read_back(model: drtopo.Model) -> None:
    x = _two_buckets(model)
    src = model.find_stack("Source").find_resource("Data")
    assert src.flags == drtopo.RESOURCE_VERSIONED
    assert src.replications == [x]
    assert x.kind is ReplicationKind.S3_DESTINATION
    assert x.kind.label() == "s3-destination"
    assert x.target == "arn:aws:s3:::dr-dest"
    assert x.flags == drtopo.REPLICATION_RTC
    assert x.period == -1 and x.region is None
    assert x.pointer == "/Rules/0/Destination/Bucket"
    assert x.resource == src
    src.add_arn("arn:aws:dynamodb:us-east-1:111111111111:table/t", "/P")
    src.add_arn("arn:aws:dynamodb:us-east-1:111111111111:table/t", "/Q")
    assert src.arns == [("arn:aws:dynamodb:us-east-1:111111111111:table/t",
                         "/P")]


def test_rules_through_api(model: drtopo.Model) -> None:
    _two_buckets(model)
    assert _codes(model.resolve()) == ["DRT408"]


def test_rules_clean_with_dependency(model: drtopo.Model) -> None:
    _two_buckets(model, dep=True)
    assert _codes(model.resolve()) == []


def test_unversioned_destination(model: drtopo.Model) -> None:
    _two_buckets(model, versioned=False, dep=True)
    assert _codes(model.resolve()) == ["DRT409"]


def test_cdk_apps(repo: Path) -> None:
    want = {
        "grant-replica-clean": [],
        "grant-no-replica": ["DRT207"],
        "bucket-replication-dep": [],
        "bucket-replication-nodep": ["DRT408"],
        "replication-unversioned": ["DRT409"],
        "aurora-global-nodep": ["DRT408"],
        "secret-replica-key-alias": ["DRT408"],
        "secret-replica-key-alias-wrong-region": ["DRT207"],
        "replication-target-region": ["DRT410"],
        "legacy-table-replica-collision": ["DRT406"],
    }
    for app, codes in want.items():
        with drtopo.Model() as m:
            m.load_assembly(repo / "tests" / "data" / "cdk" / app / "cdk.out")
            got = [c for c in m.resolve().codes() if not c.startswith("DRT6")]
            assert got == codes, app
