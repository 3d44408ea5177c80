"""Distinct models used from distinct threads at once: each thread builds,
resolves and serializes its own model; the outputs must be identical to the
single-threaded ones (the library keeps no global mutable state, and ctypes
releases the GIL during calls)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Tuple

import drtopo
import seed_topology as seed

THREADS = 8
ROUNDS = 15


def run(variant: str) -> Tuple[str, List[List[str]], List[str]]:
    with drtopo.Model() as m:
        seed.build(m, variant)
        with m.resolve() as r:
            return r.to_json(), r.waves, r.codes()


def test_threads_identical_results() -> None:
    expected: Dict[str, Tuple[str, List[List[str]], List[str]]] = {
        v: run(v) for v in seed.VARIANTS}
    barrier = threading.Barrier(THREADS)

    def worker(k: int) -> List[Tuple[str, Tuple[str, List[List[str]], List[str]]]]:
        barrier.wait()
        out = []
        for i in range(ROUNDS):
            v = seed.VARIANTS[(k + i) % 3]
            out.append((v, run(v)))
        return out

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))
    assert sum(len(r) for r in results) == THREADS * ROUNDS
    for per_thread in results:
        for v, got in per_thread:
            assert got == expected[v]


def test_threads_errors_stay_per_model() -> None:
    """Error messages live on each model: threads failing at the same time
    read their own."""
    barrier = threading.Barrier(THREADS)

    def worker(k: int) -> List[str]:
        msgs = []
        with drtopo.Model() as m:
            m.add_stack("S%d" % k)
            barrier.wait()
            for _ in range(200):
                try:
                    m.add_stack("S%d" % k)
                except drtopo.AlreadyExistsError as e:
                    msgs.append(str(e))
        return msgs

    with ThreadPoolExecutor(THREADS) as pool:
        for k, msgs in enumerate(pool.map(worker, range(THREADS))):
            assert msgs == ["a stack with id 'S%d' already exists" % k] * 200


def test_threads_with_model_to_json() -> None:
    expected = {}
    for v in seed.VARIANTS:
        with drtopo.Model() as m:
            seed.build(m, v)
            expected[v] = m.to_json()

    def worker(k: int) -> Tuple[str, str]:
        v = seed.VARIANTS[k % 3]
        with drtopo.Model() as m:
            seed.build(m, v)
            return v, m.to_json()

    with ThreadPoolExecutor(THREADS) as pool:
        for v, text in pool.map(worker, range(THREADS * 3)):
            assert text == expected[v]
