"""examples/python/seed_dr.py runs and prints the findings and the plan."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import seed_topology as seed

from conftest import subprocess_env


@pytest.mark.parametrize("variant", seed.VARIANTS)
def test_seed_example(repo: Path, variant: str) -> None:
    script = repo / "examples" / "python" / "seed_dr.py"
    out = subprocess.run([sys.executable, str(script), variant],
                         env=subprocess_env(), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == (0 if variant == "fixed" else 1), out.stderr
    assert "Failover-dev" in out.stdout
    for code in seed.EXPECTED_ERRORS[variant]:
        assert code in out.stdout
    assert "wave 4" in out.stdout


def test_example_matches_test_topology(repo: Path) -> None:
    """The example and tests/seed_topology.py describe the same app."""
    import importlib.util

    import drtopo

    path = repo / "examples" / "python" / "seed_dr.py"
    spec = importlib.util.spec_from_file_location("seed_dr_example", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for variant in seed.VARIANTS:
        with drtopo.Model() as a, drtopo.Model() as b:
            mod.build(a, variant)
            seed.build(b, variant)
            assert a.resource_count == b.resource_count
            with a.resolve() as ra, b.resolve() as rb:
                assert ra.to_json() == rb.to_json()
