"""Memory: many iterations of build / resolve / serialize / fail must keep
the resident set stable (a leaked model, result or serialized string per
iteration would grow it by megabytes)."""

from __future__ import annotations

import gc
import os
from typing import Callable

import pytest

import drtopo
import seed_topology as seed

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """Resident set size in bytes, from /proc/self/statm."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def growth(step: Callable[[int], None], warmup: int = 100, n: int = 1000) -> int:
    for i in range(warmup):
        step(i)
    gc.collect()
    before = rss()
    for i in range(n):
        step(i)
    gc.collect()
    return rss() - before


# Measured: a clean run grows by a page or two; leaking one serialized
# report (~9 KiB), one result (~7 KiB) or one seed model (~28 KiB) per
# iteration grows it by 7 MiB or more over 1000 iterations.
LIMIT = 2 << 20


pytestmark = [
    pytest.mark.skipif(not os.path.exists("/proc/self/statm"),
                       reason="needs /proc/self/statm"),
    # A sanitizer's quarantine and shadow memory make RSS meaningless.
    pytest.mark.skipif(os.environ.get("DRTOPO_SANITIZE", "none") != "none",
                       reason="RSS is not stable under sanitizers"),
]


def test_build_resolve_read_no_leak() -> None:
    def step(i: int) -> None:
        with drtopo.Model() as m:
            seed.build(m, seed.VARIANTS[i % 3])
            with m.resolve() as r:
                r.waves, r.edges, r.diagnostics, r.count()
                assert r.to_json()
            # A result dropped without close: freed by __del__ / the model.
            m.resolve()
            # Error paths build exceptions from the model's message.
            for fail in (lambda: m.find_stack("nope"),
                         lambda: m.add_stack("KmsPrimary-dev"),
                         lambda: m.add_stack("")):
                try:
                    fail()
                except drtopo.DrtopoError:
                    pass

    assert growth(step) < LIMIT


def test_serializers_and_loader_no_leak() -> None:
    def step(i: int) -> None:
        with drtopo.Model() as m:
            seed.build(m, seed.VARIANTS[i % 3])
            text = m.to_json()
            with m.resolve() as r:
                r.to_sarif(), r.to_dot(), r.to_text(), r.plan_text()
        with drtopo.Model() as m2:
            m2.load_document_text(text, "seed.json")
            try:
                m2.load_document_text(text[: len(text) // 2], "half.json")
            except drtopo.ParseError:
                pass
            m2.resolve().to_json()

    assert growth(step, warmup=50, n=600) < LIMIT


def test_model_without_close_is_freed_by_gc() -> None:
    def step(i: int) -> None:
        m = drtopo.Model()
        seed.build(m, "fixed")
        r = m.resolve()
        r.to_json()
        # no close(): __del__ frees result and model

    assert growth(step) < LIMIT


def test_simulation_no_leak() -> None:
    """Simulations (0.2), read, serialized, closed or dropped with their
    result: each one freed exactly once."""
    def step(i: int) -> None:
        with drtopo.Model() as m:
            seed.build(m, seed.VARIANTS[i % 3])
            m.set_objectives(rpo=60)
            with m.resolve() as r:
                with r.simulate() as sim:
                    sim.scenarios, sim.worst, sim.diagnostics
                    for name in ("to_json", "to_text", "to_sarif", "to_dot"):
                        try:
                            getattr(sim, name)()
                        except drtopo.DrtopoError:
                            pass
                r.simulate("us-east-1")  # dropped: freed by __del__
                r.simulate("us-east-2").scenarios
            # left open: freed with its result when the model closes
            m.resolve().simulate()

    assert growth(step, warmup=50, n=600) < LIMIT
