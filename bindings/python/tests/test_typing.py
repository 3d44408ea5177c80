"""The package's type hints hold (mypy --strict), when mypy is installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PKG_ROOT


def test_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    assert (PKG_ROOT / "drtopo" / "py.typed").exists()
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir",
         str(tmp_path / "cache"), str(PKG_ROOT / "drtopo")],
        capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
