"""The in-memory identity index: normalised records and their blocks.

Each record is normalised once on `add` and filed under its blocking keys (every alias
too). A look-up gathers the records that share a key with the buyer.

Huge blocks. A key that holds more than `max_block_size` records (a placeholder date of
birth, "John Doe") is never used alone: its records become candidates only when they also
share another of the buyer's keys. Nothing is truncated, the block stays whole in the
index, and every such key is counted, per look-up and in total, so a degenerate block is
visible to the caller instead of silently costing a match. The keys are designed so that
ordinary blocks stay far below the cap (a few hundred at most for ten million records).

This v1 keeps Python dicts and sets. The interface (add, remove, look-up by keys, the
stored normalised identity) is what a columnar NumPy store will implement at scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from transfercheck.domain.identities import Identity
from transfercheck.matching.blocking import query_keys, record_keys
from transfercheck.matching.normalise import NormalisedIdentity, normalise_identity
from transfercheck.matching.query import Query, build_query

DEFAULT_MAX_BLOCK_SIZE = 1000


@dataclass(frozen=True)
class BlockLookup:
    """The candidates for one query, and the keys that were too big to use alone."""

    record_ids: frozenset[str]
    oversized_keys: tuple[str, ...]


class IdentityIndex:
    """Records by id, and the blocks that find them; one writer at a time."""

    def __init__(self, max_block_size: int = DEFAULT_MAX_BLOCK_SIZE) -> None:
        if max_block_size < 1:
            raise ValueError("max_block_size must be at least 1")
        self.max_block_size = max_block_size
        self._identities: dict[str, NormalisedIdentity] = {}
        self._keys: dict[str, frozenset[str]] = {}
        self._blocks: dict[str, set[str]] = {}
        self._oversized_uses = 0

    def __len__(self) -> int:
        return len(self._identities)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._identities

    @property
    def oversized_block_uses(self) -> int:
        """How many times, in total, a look-up met a block too big to use alone."""
        return self._oversized_uses

    def add(self, record_id: str, identity: Identity | NormalisedIdentity) -> None:
        """File a record under its keys; adding an existing id replaces its identity."""
        if record_id in self._identities:
            self.remove(record_id)
        normalised = (
            identity if isinstance(identity, NormalisedIdentity) else normalise_identity(identity)
        )
        keys = record_keys(normalised)
        self._identities[record_id] = normalised
        self._keys[record_id] = keys
        for key in keys:
            self._blocks.setdefault(key, set()).add(record_id)

    def remove(self, record_id: str) -> bool:
        """Take a record out; False when it was not there (so replays are harmless)."""
        if record_id not in self._identities:
            return False
        del self._identities[record_id]
        for key in self._keys.pop(record_id):
            block = self._blocks[key]
            block.discard(record_id)
            if not block:
                del self._blocks[key]
        return True

    def identity(self, record_id: str) -> NormalisedIdentity:
        """The stored normalised identity of a record (KeyError if unknown)."""
        return self._identities[record_id]

    def block_size(self, key: str) -> int:
        return len(self._blocks.get(key, ()))

    def candidate_ids(self, query: Identity | Query) -> set[str]:
        """Ids of the records that share a usable blocking key with the buyer."""
        return set(self.lookup(query).record_ids)

    def lookup(self, query: Identity | Query) -> BlockLookup:
        """Candidates for a buyer, with the keys whose blocks were too big to use alone."""
        prepared = query if isinstance(query, Query) else build_query(query)
        return self.lookup_keys(query_keys(prepared))

    def lookup_keys(self, keys: Iterable[str]) -> BlockLookup:
        """Candidates for a set of blocking keys; a block over the cap counts only where a
        second key corroborates it, and is reported either way."""
        usable: set[str] = set()
        oversized: dict[str, set[str]] = {}
        for key in keys:
            block = self._blocks.get(key)
            if block is None:
                continue
            if len(block) > self.max_block_size:
                oversized[key] = block
            else:
                usable.update(block)
        for first, second in combinations(oversized.values(), 2):
            usable.update(first & second)  # corroborated by a second key: safe to use
        self._oversized_uses += len(oversized)
        return BlockLookup(frozenset(usable), tuple(sorted(oversized)))
