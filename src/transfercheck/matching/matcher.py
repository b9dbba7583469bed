"""Find the records that may be the buyer's, each with a probability and its reasons.

For every record that shares a blocking key with the buyer, every reading of the buyer's
names (as entered, swapped, each alias) is compared with every name of the record (each
alias, and given/middle swapped). The best reading counts: a person is matched by how
their names agree at best, not on average. The other fields (date of birth, sex,
identifiers) do not depend on the reading and are compared once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from transfercheck.domain.identities import Identity
from transfercheck.domain.matches import Candidate
from transfercheck.matching.comparisons import (
    GIVEN_NAME,
    NAME_FIELD_COUNT,
    GivenLevel,
    compare_identities,
    compare_names,
    given_name_given_sex,
)
from transfercheck.matching.explain import ComparedPair, build_evidence
from transfercheck.matching.index import IdentityIndex
from transfercheck.matching.model import MatchModel, probability
from transfercheck.matching.normalise import NormalisedIdentity, NormalisedName, swap_given_middle
from transfercheck.matching.query import NameVariant, Orientation, Query, build_query

_NO_NAMES = (-1,) * NAME_FIELD_COUNT


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

    @property
    def model_version(self) -> str:
        """The model file's version, to be recorded with every decision that used it."""
        return self._model.version

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
        if not 0.0 <= min_probability <= 1.0:
            raise ValueError("min_probability must be between 0 and 1")
        if limit < 0:
            raise ValueError("limit must not be negative")
        query = build_query(buyer)
        found = self._index.lookup(query)
        scored = [self.score(query, record_id) for record_id in found.record_ids]
        kept = [c for c in scored if c.probability >= min_probability]
        kept.sort(key=lambda c: (-c.match_weight, c.record_id))
        return CandidateSearch(tuple(kept[:limit]), len(scored), found.oversized_keys)

    def score(self, query: Query, record_id: str) -> Candidate:
        """Score one record against a prepared buyer query, with its explanation."""
        record = self._index.identity(record_id)
        pair = self.best_reading(query, record)
        weight = self._model.prior_weight + sum(pair.weights) + pair.orientation_bits
        return Candidate(
            record_id=record_id,
            probability=probability(weight),
            match_weight=weight,
            identifier_agrees=self._model.identifier_agrees(pair.gamma),
            evidence=build_evidence(self._model, pair, query.identity, record),
        )

    def best_reading(self, query: Query, record: NormalisedIdentity) -> ComparedPair:
        """The reading of the names that gives the highest weight, with its levels."""
        model = self._model
        rest = compare_identities(query.identity, record)
        rest_weights = [model.level_weight(NAME_FIELD_COUNT + i, g) for i, g in enumerate(rest)]
        # No usable name on a side: only the other fields speak.
        best = ComparedPair(_NO_NAMES + rest, (0.0,) * NAME_FIELD_COUNT + tuple(rest_weights),
                            None, None, 0, Orientation.AS_ENTERED, 0.0)  # fmt: skip
        best_bits = float("-inf")
        for variant, alias_number, orientation, name in _readings(query, record):
            names = given_name_given_sex(compare_names(variant.name, name), rest)
            if not _credible(variant.orientation, orientation, names):
                continue
            weights = [model.level_weight(i, g) for i, g in enumerate(names)]
            cost = model.orientation_weight(variant.orientation)
            cost += model.orientation_weight(orientation)
            if sum(weights) + cost > best_bits:  # strict: ties keep the plainest reading
                best_bits = sum(weights) + cost
                best = ComparedPair(names + rest, tuple(weights + rest_weights), variant, name,
                                    alias_number, orientation, cost)  # fmt: skip
        return best


_STRONG_GIVEN = (GivenLevel.EXACT, GivenLevel.NICKNAME, GivenLevel.TYPO)


def _credible(buyer: Orientation, record: Orientation, names: tuple[int, ...]) -> bool:
    """A given/middle swap counts only when the swapped given names agree well.

    When the other side has no middle name, that swap takes a name out of the comparison;
    if the swapped given name then agreed only loosely (an initial, a sound-alike), the
    swap would merely hide a disagreement, and twins Jared and Daniel Jake would pass for
    one person. A given/family swap compares both names, so it hides nothing.
    """
    swaps = (buyer, record)
    if Orientation.GIVEN_MIDDLE_SWAPPED not in swaps:
        return True
    return names[GIVEN_NAME] in _STRONG_GIVEN


def _readings(
    query: Query, record: NormalisedIdentity
) -> Iterator[tuple[NameVariant, int, Orientation, NormalisedName]]:
    """Every (buyer reading, record name reading) pair worth comparing, plainest first."""
    on_record: list[tuple[int, Orientation, NormalisedName]] = []
    for alias_number, name in enumerate(record.names):
        if name.is_empty:
            continue
        on_record.append((alias_number, Orientation.AS_ENTERED, name))
        swapped = swap_given_middle(name)
        if swapped is not None:
            on_record.append((alias_number, Orientation.GIVEN_MIDDLE_SWAPPED, swapped))
    for variant in query.names:
        for alias_number, orientation, name in on_record:
            # Swapping both sides at once compares nothing new.
            if (
                variant.orientation is Orientation.AS_ENTERED
                or orientation is Orientation.AS_ENTERED
            ):
                yield variant, alias_number, orientation, name
