"""Blocking keys to record rows: a sorted NumPy posting list plus a small delta.

The bulk of the postings sits in two parallel arrays sorted by key (uint64 key, int32 row:
12 bytes a posting), so a look-up is one binary search per key and a block is a slice, and
a snapshot can memory-map them. Records added one at a time go to a dict of small lists
(the delta) and are merged into the arrays in one linear pass when the delta grows past a
threshold, so single inserts never rebuild the index. Many records filed at once (a build,
an import) wait as sorted runs (`sorted_runs`) and are merged in at the next look-up, so a
build in chunks sorts about log(n) times, not once per chunk. Deleted rows are not taken out here:
the index keeps a live mask and filters, and `compact` drops dead postings when a snapshot
is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from transfercheck.matching.sorted_runs import SortedRuns, merge_runs

DELTA_MERGE_POSTINGS = 65_536  # merging costs one pass over the arrays: do it rarely
# Every FENCE-th key is copied into a small array that stays in the CPU cache: a search
# finds the fence first, then bisects the FENCE keys behind it. Plain binary search over
# the whole memory-mapped array touched ~23 cache lines per key: 150 ms for the 72,000
# searches of 1,000 buyers at 1,000,000 records, against about 15 ms this way.
FENCE = 64
# Below this many keys (a single check looks up about 36) plain binary search is quicker:
# the fenced search's seven rounds of NumPy calls cost more than the cache misses they save.
FENCED_FROM = 512

UInt64s = NDArray[np.uint64]
Int32s = NDArray[np.int32]


@dataclass(frozen=True)
class Blocks:
    """Blocks found for a list of keys: block b holds rows[start[b]:start[b + 1]] and
    belongs to keys[key_at[b]]; blocks follow the order of the keys."""

    key_at: NDArray[np.int64]
    start: NDArray[np.int64]
    rows: Int32s


class Postings:
    def __init__(self) -> None:
        self._keys: UInt64s = np.zeros(0, np.uint64)
        self._fences: UInt64s = self._keys
        self.rows: Int32s = np.zeros(0, np.int32)
        self._delta: dict[int, list[int]] = {}
        self._delta_size = 0
        self._runs = SortedRuns()  # filed in bulk, not merged into the arrays yet

    @property
    def keys(self) -> UInt64s:
        """Every filed key, sorted (bulk-filed runs merged in first)."""
        self._settle()
        return self._keys

    @keys.setter
    def keys(self, keys: UInt64s) -> None:
        self._keys = keys
        self._fences = np.ascontiguousarray(keys[::FENCE])

    def _bounds(self, needles: UInt64s) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """For each needle, the slice of `keys` equal to it (as searchsorted left/right)."""
        self._settle()
        if len(needles) < FENCED_FROM:  # one buyer's keys: the fence rounds cost more
            return (
                np.searchsorted(self._keys, needles, side="left").astype(np.int64),
                np.searchsorted(self._keys, needles, side="right").astype(np.int64),
            )
        return (
            fenced_search(self._keys, self._fences, needles, "left"),
            fenced_search(self._keys, self._fences, needles, "right"),
        )

    def __len__(self) -> int:
        return len(self._keys) + len(self._runs) + self._delta_size

    @property
    def nbytes(self) -> int:
        fixed = self._keys.nbytes + self.rows.nbytes + self._fences.nbytes + self._runs.nbytes
        return int(fixed) + 120 * self._delta_size

    def add(self, row: int, keys: frozenset[int]) -> None:
        """File one row under its keys (in the delta)."""
        for key in keys:
            self._delta.setdefault(key, []).append(row)
        self._delta_size += len(keys)
        if self._delta_size >= DELTA_MERGE_POSTINGS:
            self.merge()

    def add_many(self, rows: Int32s, keys: UInt64s) -> None:
        """File many (row, key) postings at once, as a sorted run merged in at the next read."""
        self._runs.add(keys, rows)

    def merge(self) -> None:
        """Move the delta and the bulk-filed runs into the sorted arrays."""
        self._settle()
        if not self._delta:
            return
        count = self._delta_size
        keys = np.empty(count, np.uint64)
        rows = np.empty(count, np.int32)
        at = 0
        for key in sorted(self._delta):
            block = self._delta[key]
            keys[at : at + len(block)] = key
            rows[at : at + len(block)] = block
            at += len(block)
        self._delta.clear()
        self._delta_size = 0
        self.keys, self.rows = merge_runs((self._keys, self.rows), (keys, rows))

    def block_rows(self, key: int) -> Int32s:
        """Every row filed under one key, dead ones included."""
        found = self.lookup(np.array([key], np.uint64))
        return found[0][1] if found else np.zeros(0, np.int32)

    def lookup(self, keys: UInt64s) -> list[tuple[int, Int32s]]:
        """(key, rows) for each of `keys` that has any row; one vectorised search."""
        lo, hi = self._bounds(keys)
        found: list[tuple[int, Int32s]] = []
        delta = self._delta
        for i in np.flatnonzero((hi > lo) | bool(delta)).tolist():
            key = int(keys[i])
            rows = self.rows[int(lo[i]) : int(hi[i])]
            extra = delta.get(key)
            if extra is not None:
                rows = np.concatenate([rows, np.asarray(extra, np.int32)])
            if len(rows):
                found.append((key, rows))
        return found

    def lookup_many(self, keys: UInt64s) -> Blocks:
        """The non-empty blocks of `keys` (any order, repeats allowed), rows concatenated."""
        lo, hi = self._bounds(keys)
        lengths = hi - lo
        # Rows filed one at a time and not merged yet (a running service nearly always has
        # some): few keys have any, so only those are looked up one by one.
        extra: dict[int, list[int]] = {}
        if self._delta:
            delta = self._delta
            extra = {i: filed for i, key in enumerate(keys.tolist()) if (filed := delta.get(key))}
            for i, filed in extra.items():
                lengths[i] += len(filed)
        key_at = np.flatnonzero(lengths > 0)
        start = _starts(lengths[key_at])
        # Each block: its rows from the sorted arrays, then its rows from the delta.
        main = (hi - lo)[key_at]
        within = np.arange(int(main.sum())) - np.repeat(np.cumsum(main) - main, main)
        rows = np.empty(int(start[-1]), np.int32)
        rows[np.repeat(start[:-1], main) + within] = self.rows[np.repeat(lo[key_at], main) + within]
        block_of = np.searchsorted(key_at, np.fromiter(extra, np.int64, len(extra)))
        for b, delta_rows in zip(block_of.tolist(), extra.values(), strict=True):
            at = int(start[b] + main[b])
            rows[at : at + len(delta_rows)] = delta_rows
        return Blocks(key_at, start, rows)

    def compact(self, live: NDArray[np.bool_]) -> None:
        """Merge the delta and drop the postings of dead rows."""
        self.merge()
        keep = live[self.rows]
        self.keys, self.rows = self.keys[keep], self.rows[keep]

    def remap(self, new_row: Int32s) -> None:
        """Renumber rows after the index dropped its dead rows (new_row[old] = new)."""
        self.merge()
        self.rows = new_row[self.rows].astype(np.int32)

    def block_sizes(self) -> NDArray[np.int64]:
        """The size of every block in the sorted arrays (for reports)."""
        self.merge()
        if not len(self.keys):
            return np.zeros(0, np.int64)
        starts = np.flatnonzero(np.r_[True, self.keys[1:] != self.keys[:-1]])
        sizes: NDArray[np.int64] = np.diff(np.r_[starts, len(self.keys)]).astype(np.int64)
        return sizes

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        self.merge()
        return {"keys": self.keys, "rows": self.rows}

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[Any]]) -> Postings:
        postings = cls()
        postings.keys, postings.rows = arrays["keys"], arrays["rows"]
        return postings

    def _settle(self) -> None:
        pending = self._runs.take_all()
        if pending is not None:
            self.keys, self.rows = merge_runs((self._keys, self.rows), pending)


def fenced_search(
    keys: UInt64s, fences: UInt64s, needles: UInt64s, side: Literal["left", "right"]
) -> NDArray[np.int64]:
    """`np.searchsorted(keys, needles, side)`, given `fences = keys[::FENCE]`.

    The fence search narrows each needle to at most FENCE keys, [lo, hi); a binary search
    over those, all needles in step, finishes in log2(FENCE) + 1 rounds.
    """
    needles = np.asarray(needles, np.uint64)
    chunk = np.searchsorted(fences, needles, side=side).astype(np.int64)
    lo = np.maximum(chunk - 1, 0) * FENCE
    hi = np.minimum(chunk * FENCE, len(keys))
    active = np.flatnonzero(lo < hi)
    while len(active):
        a_lo, a_hi = lo[active], hi[active]
        mid = (a_lo + a_hi) // 2
        probe, needle = keys[mid], needles[active]
        right = probe < needle if side == "left" else probe <= needle
        lo[active] = np.where(right, mid + 1, a_lo)
        hi[active] = np.where(right, a_hi, mid)
        active = active[lo[active] < hi[active]]
    return lo


def _starts(lengths: NDArray[np.int64]) -> NDArray[np.int64]:
    """Offsets of consecutive parts of these lengths, with the total at the end."""
    start = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=start[1:])
    return start
