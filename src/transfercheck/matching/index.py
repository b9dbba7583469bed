"""The in-memory identity index: columnar records, their blocks, single-record updates.

Each record is normalised once on `add`, stored as a row of NumPy columns (`table`), and
filed under its blocking keys (every alias too) in a sorted posting list (`postings`). A
look-up binary-searches the buyer's keys and gathers the live rows that share one.

Updates never rebuild: an insert appends a row and files its keys in a small delta, a
delete clears the row's live bit, an update is a delete and an insert. `compact` (run
when a snapshot is written) drops dead rows and merges the delta.

Huge blocks. A key that holds more than `max_block_size` live records (a placeholder date
of birth, "John Doe") is never used alone: its records become candidates only when they
also share another of the buyer's over-size keys, and the other keys of ordinary size find
the rest. Nothing is truncated, the block stays whole in the index, and every such key is
counted, per look-up and in total, so a degenerate block is visible to the caller instead
of silently costing a match. The benchmark measures how many true matches that costs.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from transfercheck.domain.identities import Identity
from transfercheck.matching.blocking import (
    BlockKind,
    describe_key,
    key_kind,
    query_keys,
    record_keys,
)
from transfercheck.matching.bulk import encode_identity
from transfercheck.matching.columns import GrowableColumn
from transfercheck.matching.normalise import NormalisedIdentity, normalise_identity
from transfercheck.matching.postings import Blocks, Postings
from transfercheck.matching.query import Query, build_query
from transfercheck.matching.record_ids import RecordIds
from transfercheck.matching.table import EncodedRecord, RecordTable

DEFAULT_MAX_BLOCK_SIZE = 1000
_BULK_CHUNK = 50_000

Rows = NDArray[np.int32]


@dataclass(frozen=True)
class BlockLookup:
    """The candidates for one query, and the keys that were too big to use alone."""

    record_ids: frozenset[str]
    oversized_keys: tuple[str, ...]


@dataclass(frozen=True)
class RowLookup:
    """`BlockLookup` as rows of the table (sorted, unique, live), for the scorer."""

    rows: Rows
    oversized_keys: tuple[int, ...]


class IdentityIndex:
    """Records by id, and the blocks that find them; one writer at a time."""

    def __init__(self, max_block_size: int = DEFAULT_MAX_BLOCK_SIZE) -> None:
        if max_block_size < 1:
            raise ValueError("max_block_size must be at least 1")
        self.max_block_size = max_block_size
        self.table = RecordTable()
        self.postings = Postings()
        self.ids = RecordIds()
        self.live = GrowableColumn(np.bool_)
        self._count = 0
        self._oversized_uses = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self._row(record_id) is not None

    @property
    def oversized_block_uses(self) -> int:
        """How many times, in total, a look-up met a block too big to use alone."""
        return self._oversized_uses

    def add(self, record_id: str, identity: Identity | NormalisedIdentity) -> None:
        """File a record under its keys; adding an existing id replaces its identity."""
        self.remove(record_id)
        normalised = _normalised(identity)
        row = self.table.append([self.table.encode(normalised)])
        self.ids.append(record_id)
        self.live.append(True)
        self.postings.add(row, record_keys(normalised))
        self._count += 1

    def update(self, record_id: str, identity: Identity | NormalisedIdentity) -> None:
        """Replace a record's identity (the same as `add`, named for readers of a feed)."""
        self.add(record_id, identity)

    def add_many(self, items: Iterable[tuple[str, Identity | NormalisedIdentity]]) -> int:
        """Add many new records at once (a build); ids already present are replaced."""
        added = 0
        chunk: list[tuple[str, Identity | NormalisedIdentity]] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == _BULK_CHUNK:
                added += self._add_chunk(chunk)
                chunk = []
        return added + self._add_chunk(chunk)

    def _add_chunk(self, chunk: list[tuple[str, Identity | NormalisedIdentity]]) -> int:
        # A chunk makes hundreds of thousands of small objects that stay (keys, cached name
        # parts) and no cycles; the cycle collector would walk them and everything else
        # alive again and again (a quarter of a build's time at 500,000 records). Paused
        # while the chunk is filed, then told that what it left is here to stay.
        with _cycle_collection_paused():
            return self._file_chunk(chunk)

    def remove(self, record_id: str) -> bool:
        """Take a record out; False when it was not there (so replays are harmless)."""
        row = self._row(record_id)
        if row is None:
            return False
        self.live.set(row, False)
        self.table.forget(row)
        self.ids.forget(record_id)
        self._count -= 1
        return True

    def identity(self, record_id: str) -> NormalisedIdentity:
        """The stored normalised identity of a record (KeyError if unknown)."""
        row = self._row(record_id)
        if row is None:
            raise KeyError(record_id)
        return self.table.identity(row)

    def record_ids(self, rows: Rows) -> list[str]:
        return self.ids.ids_of(rows)

    def block_size(self, key: int) -> int:
        """Live records filed under a key."""
        rows = self.postings.block_rows(key)
        return int(self.live.view()[rows].sum())

    def candidate_ids(self, query: Identity | Query) -> set[str]:
        """Ids of the records that share a usable blocking key with the buyer."""
        return set(self.lookup(query).record_ids)

    def lookup(self, query: Identity | Query) -> BlockLookup:
        """Candidates for a buyer, with the keys whose blocks were too big to use alone."""
        prepared = query if isinstance(query, Query) else build_query(query)
        found = self.lookup_rows(query_keys(prepared))
        oversized = tuple(sorted(describe_key(k) for k in found.oversized_keys))
        return BlockLookup(frozenset(self.record_ids(found.rows)), oversized)

    def lookup_rows(self, keys: Iterable[int]) -> RowLookup:
        """Live rows for a set of blocking keys; a block over the cap counts only where a
        second over-size key corroborates it, and is reported either way."""
        return self.lookup_rows_many([keys])[0]

    def lookup_rows_many(self, key_sets: Sequence[Iterable[int]]) -> list[RowLookup]:
        """`lookup_rows` for many buyers with one vectorised search of all their keys."""
        key_lists = [np.fromiter(keys, np.uint64) for keys in key_sets]
        owner = np.repeat(np.arange(len(key_lists)), [len(k) for k in key_lists])
        keys = np.concatenate(key_lists) if key_lists else np.zeros(0, np.uint64)
        blocks = self.postings.lookup_many(keys)
        block_of = np.repeat(np.arange(len(blocks.key_at)), np.diff(blocks.start))
        alive = self.live.view()[blocks.rows]
        live_size = np.bincount(block_of[alive], minlength=len(blocks.key_at))
        oversized = live_size > self.max_block_size
        # Every buyer's rows of ordinary blocks at once, as (buyer, row) codes made unique.
        take = alive & ~oversized[block_of]
        width = max(len(self.live), 1)
        coded = np.unique(owner[blocks.key_at[block_of[take]]] * width + blocks.rows[take])
        bounds = np.searchsorted(coded, np.arange(len(key_lists) + 1) * width)
        rows = (coded % width).astype(np.int32)
        out = [RowLookup(rows[bounds[q] : bounds[q + 1]], ()) for q in range(len(key_lists))]
        self._oversized_uses += int(oversized.sum())
        for q in np.unique(owner[blocks.key_at[oversized]]).tolist():
            out[q] = self._with_oversized(out[q], blocks, block_of, alive, keys, owner, q)
        return out

    def _with_oversized(
        self, found: RowLookup, blocks: Blocks, block_of: NDArray[np.int64],
        alive: NDArray[np.bool_], keys: NDArray[np.uint64], owner: NDArray[np.int64], q: int,
    ) -> RowLookup:  # fmt: skip
        """A buyer's rows plus those of their over-size blocks that a second over-size key
        corroborates. The date-and-sex key is implied by any other date key of a same-sex
        pair, so it never counts as a second one."""
        oversized: dict[int, Rows] = {}
        for b in np.flatnonzero(owner[blocks.key_at] == q).tolist():
            rows = blocks.rows[blocks.start[b] : blocks.start[b + 1]]
            rows = rows[alive[blocks.start[b] : blocks.start[b + 1]]]
            if len(rows) > self.max_block_size:
                oversized[int(keys[blocks.key_at[b]])] = rows
        pairable = [r for k, r in oversized.items() if key_kind(k) is not BlockKind.DOB_SEX]
        usable = [found.rows]
        usable += [np.intersect1d(a, b) for a, b in combinations(pairable, 2)]  # corroborated
        rows = np.unique(np.concatenate(usable)).astype(np.int32, copy=False)
        return RowLookup(rows, tuple(sorted(oversized)))

    def compact(self) -> None:
        """Drop dead rows and merge pending postings (before a snapshot is written).

        Rows are renumbered, so any row numbers held outside the index become invalid.
        """
        live = self.live.view()
        if bool(live.all()):
            self.postings.merge()
            self.ids.merge()
            return
        self.postings.compact(live)
        new_row = self.ids.keep(live)
        self.postings.remap(new_row)
        self.table = self.table.kept(np.flatnonzero(live))
        self.live = GrowableColumn.of(np.ones(self._count, np.bool_))

    def memory(self) -> dict[str, int]:
        """Bytes held, by part (the Python string pool estimated with sys.getsizeof)."""
        return {
            "table": self.table.nbytes,
            "postings": self.postings.nbytes,
            "record_ids": self.ids.nbytes,
            "live": self.live.nbytes,
        }

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        self.compact()
        arrays = self.table.to_arrays()
        arrays.update({f"postings.{n}": a for n, a in self.postings.to_arrays().items()})
        arrays.update({f"ids.{n}": a for n, a in self.ids.to_arrays().items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[Any]], max_block_size: int) -> IdentityIndex:
        index = cls(max_block_size)
        index.table = RecordTable.from_arrays(arrays)
        index.postings = Postings.from_arrays(_part(arrays, "postings."))
        index.ids = RecordIds.from_arrays(_part(arrays, "ids."))
        index._count = len(index.table)
        index.live = GrowableColumn.of(np.ones(index._count, np.bool_))
        return index

    def _file_chunk(self, chunk: list[tuple[str, Identity | NormalisedIdentity]]) -> int:
        if not chunk:
            return 0
        fresh: dict[str, Identity | NormalisedIdentity] = {}
        maybe = self.ids.maybe_present([record_id for record_id, _ in chunk]) if self._count else []
        for i, (record_id, identity) in enumerate(chunk):
            if maybe and maybe[i]:
                self.remove(record_id)
            fresh.pop(record_id, None)
            fresh[record_id] = identity
        encoded = [self._encode(identity) for identity in fresh.values()]
        first = self.table.append([record for record, _ in encoded])
        self.ids.append_many(list(fresh))
        self.live.extend(np.ones(len(encoded), np.bool_))
        keys: list[int] = []
        rows: list[int] = []
        for row, (_, filed) in enumerate(encoded, start=first):
            keys.extend(filed)
            rows.extend([row] * len(filed))
        self.postings.add_many(np.asarray(rows, np.int32), np.asarray(keys, np.uint64))
        self._count += len(encoded)
        return len(encoded)

    def _encode(
        self, identity: Identity | NormalisedIdentity
    ) -> tuple[EncodedRecord, Collection[int]]:
        """A row and its keys: raw identities by the bulk path (`bulk`), the same result."""
        if isinstance(identity, NormalisedIdentity):
            return self.table.encode(identity), record_keys(identity)
        return encode_identity(self.table, identity)

    def _row(self, record_id: str) -> int | None:
        return self.ids.row_of(record_id, self.live.view())


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cycle collection inside; afterwards everything alive is frozen (`gc.freeze`).

    An index lives as long as the process, and so do the objects a build leaves. Left to
    the collector, every full collection walks all of them again: building 2,000,000
    records from the generator cost 105 s of full collections (0.4 s each at 500,000
    records, 1 s at 2,000,000), most of it in the caller's code between chunks, and
    frozen, 0 s (the build itself 9% faster). The young generations are collected first,
    so that little garbage is frozen with them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.collect(1)
            gc.freeze()
            gc.enable()


def _normalised(identity: Identity | NormalisedIdentity) -> NormalisedIdentity:
    return identity if isinstance(identity, NormalisedIdentity) else normalise_identity(identity)


def _part(arrays: dict[str, NDArray[Any]], prefix: str) -> dict[str, NDArray[Any]]:
    return {k.removeprefix(prefix): v for k, v in arrays.items() if k.startswith(prefix)}
