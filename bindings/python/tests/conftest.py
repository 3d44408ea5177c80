"""Shared fixtures. Run with Debian's pytest against a built library:

    DRTOPO_LIBRARY=$PWD/build/lib/libdrtopo.so PYTHONPATH=bindings/python \
        /usr/bin/python3 -m pytest bindings/python/tests

(meson test --suite python does exactly that.)
"""

from __future__ import annotations

import errno
import io
import os
import sys
from pathlib import Path
from typing import Dict, Iterator

import pytest

HERE = Path(__file__).resolve().parent
PKG_ROOT = HERE.parent                  # bindings/python
REPO = Path(os.environ.get("DRTOPO_SOURCE_ROOT") or PKG_ROOT.parent.parent)  # source tree

if str(PKG_ROOT) not in sys.path and "drtopo" not in sys.modules:
    try:
        import drtopo  # noqa: F401  (installed copy)
    except ImportError:
        sys.path.insert(0, str(PKG_ROOT))

import drtopo  # noqa: E402


class _FullStream(io.RawIOBase):
    """A stream on a full disk: every write fails with ENOSPC."""

    def write(self, b: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_stream() -> io.RawIOBase:
    """A writable stream whose every write fails (the streaming writers'
    error path)."""
    return _FullStream()


@pytest.fixture
def model() -> Iterator[drtopo.Model]:
    """A fresh model, closed after the test."""
    with drtopo.Model() as m:
        yield m


@pytest.fixture
def repo() -> Path:
    """The source tree (skips when the tests run outside it)."""
    if not (REPO / "lib" / "libdrtopo.sym").exists():
        pytest.skip("not run from the libdrtopo source tree")
    return REPO


def subprocess_env() -> Dict[str, str]:
    """Environment for a child Python that must import these bindings."""
    env = dict(os.environ)
    paths = [str(PKG_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    if "DRTOPO_LIBRARY" not in env:
        env["DRTOPO_LIBRARY"] = drtopo._lib.PATH
    env.pop("NO_COLOR", None)
    return env
