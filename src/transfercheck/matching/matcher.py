"""Find the records that may be the buyer's, each with a probability and its reasons.

For every record that shares a blocking key with the buyer, every reading of the buyer's
names (as entered, swapped, each alias) is compared with every name of the record (each
alias, and given/middle swapped). The best reading counts: a person is matched by how
their names agree at best, not on average. The other fields (date of birth, sex,
identifiers) do not depend on the reading and are compared once. All candidates are
scored together in NumPy (`scoring`); only the few that pass `min_probability` are turned
into `Candidate` objects with their explanation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from transfercheck.domain.identities import Identity
from transfercheck.domain.matches import Candidate, FieldEvidence
from transfercheck.matching.blocking import describe_key, query_keys
from transfercheck.matching.explain import ComparedPair, build_evidence
from transfercheck.matching.index import IdentityIndex, RowLookup
from transfercheck.matching.model import MatchModel, probabilities
from transfercheck.matching.normalise import (
    NormalisedIdentity,
    normalise_identity,
    swap_given_middle,
)
from transfercheck.matching.query import Orientation, Query, build_query
from transfercheck.matching.scoring import Scores, score_batch

_CHUNK_UNDER_LOCK = 2_000  # records filed per turn of the lock (a few tens of ms)


@dataclass(frozen=True)
class CandidateSearch:
    """Candidates for one buyer, best first, and what the look-up could not use."""

    candidates: tuple[Candidate, ...]
    records_compared: int
    oversized_blocks: tuple[str, ...]  # keys too big to use alone (see IdentityIndex)


class Matcher:
    """Scores a buyer against the index with a Fellegi-Sunter model."""

    def __init__(self, model: MatchModel, index: IdentityIndex) -> None:
        self._model = model
        self._index = index
        # One search or change at a time. A search must never see a change half made; and
        # searches in parallel threads gain nothing under the GIL: contending for it between
        # NumPy calls, 40 request threads made each search several times slower (a server
        # at 1,000,000 records fell behind 50 checks/s; measured with py-spy).
        self._lock = threading.Lock()

    @property
    def model_version(self) -> str:
        """The model file's version, to be recorded with every decision that used it."""
        return self._model.version

    @property
    def model(self) -> MatchModel:
        return self._model

    @property
    def index(self) -> IdentityIndex:
        return self._index

    def find_candidates(
        self, buyer: Identity, min_probability: float = 0.0, limit: int = 50
    ) -> list[Candidate]:
        """Candidate records for a buyer, most probable first."""
        return list(self.search(buyer, min_probability, limit).candidates)

    def search(
        self, buyer: Identity | NormalisedIdentity, min_probability: float = 0.0, limit: int = 50
    ) -> CandidateSearch:
        """`find_candidates`, also telling how many records were scored and which blocks
        were too big to use alone (a caller may want to flag such a check for review)."""
        return self.search_many([buyer], min_probability, limit)[0]

    def search_many(
        self,
        buyers: Sequence[Identity | NormalisedIdentity],
        min_probability: float = 0.0,
        limit: int = 50,
    ) -> list[CandidateSearch]:
        """`search` for a batch of buyers, scored together (the batch throughput path)."""
        if not 0.0 <= min_probability <= 1.0:
            raise ValueError("min_probability must be between 0 and 1")
        if limit < 0:
            raise ValueError("limit must not be negative")
        queries = [build_query(b) for b in buyers]
        with self._lock:
            return self._search(queries, min_probability, limit)

    def _search(
        self, queries: list[Query], min_probability: float, limit: int
    ) -> list[CandidateSearch]:
        scores, lookups = self._score_queries(queries)
        chance = probabilities(scores.total)
        bounds = np.searchsorted(scores.query, np.arange(len(queries) + 1))
        out = []
        for q, query in enumerate(queries):
            at = np.arange(bounds[q], bounds[q + 1])
            kept = at[chance[at] >= min_probability]
            ids = self._index.record_ids(scores.rows[kept])
            ranked = sorted(zip(kept.tolist(), ids, strict=True),
                            key=lambda c: (-scores.total[c[0]], c[1]))  # fmt: skip
            candidates = tuple(
                self._candidate(query, scores, i, record_id, float(chance[i]))
                for i, record_id in ranked[:limit]
            )
            oversized = tuple(sorted(describe_key(k) for k in lookups[q].oversized_keys))
            out.append(CandidateSearch(candidates, len(at), oversized))
        return out

    def score_queries(self, queries: Sequence[Query]) -> tuple[Scores, list[RowLookup]]:
        """Every candidate of prepared queries, scored, without explanations: the fast path."""
        with self._lock:
            return self._score_queries(queries)

    def add_records(self, items: Iterable[tuple[str, Identity | NormalisedIdentity]]) -> int:
        """Add or replace records in the index between searches (`IdentityIndex.add_many`).

        Names are normalised outside the lock, and a big upload goes in chunks, so checks
        keep being answered while it is filed."""
        added = 0
        chunk: list[tuple[str, NormalisedIdentity]] = []
        for record_id, identity in items:
            normalised = identity if isinstance(identity, NormalisedIdentity) else (
                normalise_identity(identity))  # fmt: skip
            chunk.append((record_id, normalised))
            if len(chunk) == _CHUNK_UNDER_LOCK:
                with self._lock:
                    added += self._index.add_many(chunk)
                chunk = []
        with self._lock:
            return added + self._index.add_many(chunk)

    def _score_queries(self, queries: Sequence[Query]) -> tuple[Scores, list[RowLookup]]:
        lookups = self._index.lookup_rows_many([query_keys(q) for q in queries])
        rows = [f.rows for f in lookups]
        scores = score_batch(self._model, self._index.table, queries, rows, len(self._index))
        return scores, lookups

    def _candidate(
        self, query: Query, scores: Scores, at: int, record_id: str, chance: float
    ) -> Candidate:
        gamma = tuple(int(g) for g in scores.gamma[at])
        return Candidate(
            record_id=record_id,
            probability=chance,
            match_weight=float(scores.total[at]),
            identifier_agrees=self._model.identifier_agrees(gamma),
            evidence=self._evidence(query, scores, at, gamma),
        )

    def _evidence(
        self, query: Query, scores: Scores, at: int, gamma: tuple[int, ...]
    ) -> tuple[FieldEvidence, ...]:
        table = self._index.table
        record = table.identity(int(scores.rows[at]))
        variant_at, name_row = int(scores.variant[at]), int(scores.name_row[at])
        tf = scores.term_frequency_bits[at]
        pair = ComparedPair(gamma, tuple(float(w) for w in scores.weights[at]), None, None, 0,
                            Orientation.AS_ENTERED, 0.0, tuple(float(b) for b in tf))  # fmt: skip
        if variant_at >= 0:
            start = int(table.column("name_start")[scores.rows[at]])
            name = table.name(name_row)
            orientation = Orientation.AS_ENTERED
            if scores.record_swapped[at]:
                name = swap_given_middle(name) or name
                orientation = Orientation.GIVEN_MIDDLE_SWAPPED
            relatives = float(scores.relatives_bits[at])
            bits = float(scores.orientation_bits[at]) - relatives
            pair = ComparedPair(gamma, pair.weights, query.names[variant_at], name,
                                name_row - start, orientation, bits, pair.term_frequency,
                                relatives)  # fmt: skip
        return build_evidence(self._model, pair, query.identity, record, scores.prior_weight)
