"""Sorted runs of (key, value) pairs, merged like a binary counter.

A build files ten million records in chunks of ten thousand. Merging each chunk into one
sorted array copies the whole array per chunk: a thousand copies of gigabytes, which made
a build of ten million records several times slower than ten builds of one million.
Here each chunk becomes a sorted run of its own, and a run is merged with the one before
it while that one is at most twice its size. Every pair is then copied about log2(n /
chunk) times, and there are never more than about that many runs to search.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


class SortedRuns:
    """Runs sorted by key, largest (oldest) first; among equal keys, older pairs first."""

    def __init__(self) -> None:
        self.runs: list[tuple[NDArray[Any], NDArray[Any]]] = []

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self.runs)

    @property
    def nbytes(self) -> int:
        return sum(int(keys.nbytes + values.nbytes) for keys, values in self.runs)

    def add(self, keys: NDArray[Any], values: NDArray[Any]) -> None:
        """Add pairs (any order); runs of comparable size are merged straight away."""
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self.runs.append((keys[order], values[order]))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            newer = self.runs.pop()
            self.runs[-1] = merge_runs(self.runs[-1], newer)

    def take_all(self) -> tuple[NDArray[Any], NDArray[Any]] | None:
        """Every pair as one sorted run, leaving none behind; None when there are none."""
        if not self.runs:
            return None
        merged = self.runs[0]
        for run in self.runs[1:]:
            merged = merge_runs(merged, run)
        self.runs = []
        return merged


def merge_runs(
    older: tuple[NDArray[Any], NDArray[Any]], newer: tuple[NDArray[Any], NDArray[Any]]
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Two sorted runs as one; among equal keys the older run's pairs come first.

    One copy of both plus a binary search per newer pair: as fast as a stable sort of the
    two when they are of a size, and far faster when the newer is small (a delta)."""
    at = np.searchsorted(older[0], newer[0], side="right")
    return np.insert(older[0], at, newer[0]), np.insert(older[1], at, newer[1])
