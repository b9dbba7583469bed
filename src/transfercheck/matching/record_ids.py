"""Record ids by row and rows by record id, without a Python object per record.

Ten million ids as Python strings in a dict would cost about 160 bytes each. Here the ids
sit in one fixed-width byte array (a UUID takes 36 bytes) and the way back from an id to
its row is a sorted array of 64-bit id digests (12 bytes a record), searched in log time,
plus sorted runs of the ids added in bulk since (`sorted_runs`: a build in chunks must
not copy the whole array per chunk), plus a dict for the ids added or removed one at a
time since the last merge. A digest collision is harmless: every row found is checked
against the id itself.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from numpy.typing import NDArray

from transfercheck.matching.sorted_runs import SortedRuns, merge_runs

DELTA_MERGE_IDS = 65_536
_REMOVED = -1


def id_digest(record_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(record_id.encode(), digest_size=8).digest(), "little")


class RecordIds:
    def __init__(self) -> None:
        self._ids: NDArray[Any] = np.zeros(16, "S1")
        self._size = 0
        self._digests: NDArray[np.uint64] = np.zeros(0, np.uint64)  # sorted
        self._rows: NDArray[np.int32] = np.zeros(0, np.int32)  # in digest order
        self._runs = SortedRuns()  # (digest, row) added in bulk since the last settle
        self._delta: dict[str, int] = {}

    @property
    def nbytes(self) -> int:
        width = self._ids.dtype.itemsize
        fixed = self._digests.nbytes + self._rows.nbytes + self._runs.nbytes
        return int(self._size * width + fixed)

    def id_of(self, row: int) -> str:
        return bytes(self._ids[row]).decode()

    def ids_of(self, rows: NDArray[np.int32]) -> list[str]:
        return [bytes(b).decode() for b in self._ids[rows]]

    def append(self, record_id: str) -> int:
        """Give `record_id` the next row; the caller has retired any earlier row of it."""
        row = self._append_bytes([record_id.encode()])
        self._delta[record_id] = row
        if len(self._delta) >= DELTA_MERGE_IDS:
            self.merge()
        return row

    def append_many(self, record_ids: list[str]) -> int:
        """Rows for many new ids at once (as a sorted run); the first row."""
        first = self._append_bytes([r.encode() for r in record_ids])
        digests = np.fromiter((id_digest(r) for r in record_ids), np.uint64, len(record_ids))
        self._runs.add(digests, np.arange(first, first + len(record_ids), dtype=np.int32))
        return first

    def forget(self, record_id: str) -> None:
        self._delta[record_id] = _REMOVED

    def row_of(self, record_id: str, live: NDArray[np.bool_]) -> int | None:
        """The live row of `record_id`, or None."""
        row = self._delta.get(record_id)
        if row is not None:
            return None if row == _REMOVED else row
        digest = np.uint64(id_digest(record_id))
        encoded = record_id.encode()
        for digests, rows in self._sorted():
            lo = int(np.searchsorted(digests, digest, side="left"))
            hi = int(np.searchsorted(digests, digest, side="right"))
            for candidate in rows[lo:hi].tolist():
                if live[candidate] and bytes(self._ids[candidate]) == encoded:
                    return int(candidate)
        return None

    def maybe_present(self, record_ids: list[str]) -> list[bool]:
        """For each id, False when it is surely not in the index (one vectorised search);
        True means "look it up": a digest matched or the id is in the delta."""
        digests = np.fromiter((id_digest(r) for r in record_ids), np.uint64, len(record_ids))
        hit = np.zeros(len(record_ids), np.bool_)
        for known, _ in self._sorted():
            if len(known):
                hit |= known[np.minimum(np.searchsorted(known, digests), len(known) - 1)] == digests
        delta = self._delta
        return [bool(h) or r in delta for h, r in zip(hit.tolist(), record_ids, strict=True)]

    def merge(self) -> None:
        """Move the delta and the bulk-added runs into the sorted arrays."""
        added = [(r, row) for r, row in self._delta.items() if row != _REMOVED]
        self._delta.clear()
        if added:
            digests = np.fromiter((id_digest(r) for r, _ in added), np.uint64, len(added))
            self._runs.add(digests, np.array([row for _, row in added], np.int32))
        pending = self._runs.take_all()
        if pending is not None:
            self._digests, self._rows = merge_runs((self._digests, self._rows), pending)

    def keep(self, live: NDArray[np.bool_]) -> NDArray[np.int32]:
        """Drop dead rows and renumber; returns the new row of every old row (-1 if dropped)."""
        self.merge()
        new_row = np.full(self._size, -1, np.int32)
        kept = np.flatnonzero(live[: self._size])
        new_row[kept] = np.arange(len(kept), dtype=np.int32)
        self._ids = self._ids[kept]
        self._size = len(kept)
        alive = live[self._rows]
        self._digests = self._digests[alive]
        self._rows = new_row[self._rows[alive]]
        return new_row

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        self.merge()
        return {"ids": self._ids[: self._size], "digests": self._digests, "rows": self._rows}

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[Any]]) -> RecordIds:
        record_ids = cls()
        record_ids._ids = arrays["ids"]
        record_ids._size = len(arrays["ids"])
        record_ids._digests, record_ids._rows = arrays["digests"], arrays["rows"]
        return record_ids

    def _append_bytes(self, encoded: list[bytes]) -> int:
        first = self._size
        width = max([self._ids.dtype.itemsize, *(len(b) for b in encoded)])
        needed = self._size + len(encoded)
        if needed > len(self._ids) or width > self._ids.dtype.itemsize:
            grown = np.zeros(max(needed, 2 * len(self._ids)), f"S{width}")
            grown[: self._size] = self._ids[: self._size]
            self._ids = grown
        elif not self._ids.flags.writeable:
            self._ids = np.array(self._ids)
        self._ids[first:needed] = encoded
        self._size = needed
        return first

    def _sorted(self) -> list[tuple[NDArray[np.uint64], NDArray[np.int32]]]:
        """The merged arrays and the runs not merged yet: (digests, rows), each sorted."""
        return [(self._digests, self._rows), *self._runs.runs]
