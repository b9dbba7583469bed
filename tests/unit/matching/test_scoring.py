"""The vectorised scorer gives exactly the levels and weights of the one-by-one rules.

`reference_levels` below is the matcher of version 1, pair by pair with the functions of
`comparisons`; the NumPy scorer must agree with it on every candidate of every buyer of a
small synthetic data set (prohibited buyers with form errors, twins, fathers and sons).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from transfercheck.matching import IdentityIndex, Matcher, load_default_model
from transfercheck.matching.comparisons import (
    GIVEN_NAME,
    NAME_FIELD_COUNT,
    PLACE_OF_BIRTH,
    GivenLevel,
    compare_identities,
    compare_names,
    family_words_level,
    given_name_given_sex,
)
from transfercheck.matching.model import MatchModel
from transfercheck.matching.name_scoring import _text_levels
from transfercheck.matching.normalise import (
    NormalisedIdentity,
    NormalisedName,
    normalise_identity,
    swap_given_middle,
)
from transfercheck.matching.pool import StringPool
from transfercheck.matching.query import Orientation, Query, build_query
from transfercheck.synthetic import generate_dataset

# Term frequency and the unknown-name term are left out here: they depend on the index,
# not on the comparison rules, and have their own tests; the twins-and-siblings term is
# part of the rules.
MODEL = replace(load_default_model(), term_frequency=(), unknown_names=())
_STRONG = (GivenLevel.EXACT, GivenLevel.NICKNAME, GivenLevel.TYPO)


def reference_levels(
    model: MatchModel, query: Query, record: NormalisedIdentity
) -> tuple[tuple[int, ...], float]:
    """The best reading's levels and total weight, one pair at a time (matcher v1)."""
    rest = compare_identities(query.identity, record)
    best: tuple[int, ...] = (-1,) * NAME_FIELD_COUNT + rest
    best_bits = float("-inf")
    for variant, orientation, name in _readings(query, record):
        names = given_name_given_sex(compare_names(variant.name, name), rest, query.identity.sex)
        swaps = (variant.orientation, orientation)
        if Orientation.GIVEN_MIDDLE_SWAPPED in swaps and names[GIVEN_NAME] not in _STRONG:
            continue
        bits = sum(model.level_weight(i, g) for i, g in enumerate(names))
        bits += model.orientation_weight(variant.orientation) + model.orientation_weight(
            orientation
        )
        twins = names[0] == GivenLevel.DISAGREE and names[2] in (0, 1) and rest[0] in (0, 1)
        bits += model.relatives_bits if twins else 0.0
        # Twins and siblings were born in one place: an agreeing place counts for nothing.
        place = rest[PLACE_OF_BIRTH - NAME_FIELD_COUNT]
        bits -= model.level_weight(PLACE_OF_BIRTH, place) if twins and place == 0 else 0.0
        if bits > best_bits:
            best_bits, best = bits, names + rest
    orientation_bits = (
        0.0
        if best_bits == float("-inf")
        else best_bits
        - sum(model.level_weight(i, g) for i, g in enumerate(best[:NAME_FIELD_COUNT]))
    )
    return best, model.match_weight(best, orientation_bits)


def _readings(
    query: Query, record: NormalisedIdentity
) -> Iterator[tuple[object, Orientation, NormalisedName]]:
    on_record: list[tuple[Orientation, NormalisedName]] = []
    for name in record.names:
        if name.is_empty:
            continue
        on_record.append((Orientation.AS_ENTERED, name))
        swapped = swap_given_middle(name)
        if swapped is not None:
            on_record.append((Orientation.GIVEN_MIDDLE_SWAPPED, swapped))
    for variant in query.names:
        for orientation, name in on_record:
            if Orientation.AS_ENTERED in (variant.orientation, orientation):
                yield variant, orientation, name


@pytest.fixture(scope="module")
def world() -> tuple[Matcher, dict[str, NormalisedIdentity], list[Query]]:
    dataset = generate_dataset(5, 2000, 300, date(2026, 11, 24))
    index = IdentityIndex()
    originals = {r.record_id: normalise_identity(r.subject) for r in dataset.records}
    index.add_many(originals.items())
    queries = [build_query(b.transfer.buyer) for b in dataset.buyers]
    return Matcher(MODEL, index), originals, queries


def test_vectorised_levels_equal_the_one_by_one_rules(
    world: tuple[Matcher, dict[str, NormalisedIdentity], list[Query]],
) -> None:
    matcher, originals, queries = world
    scores, _ = matcher.score_queries(queries)
    ids = matcher_index(matcher).record_ids(scores.rows)
    assert len(ids) > 100  # the data set gives candidates to compare
    for i, record_id in enumerate(ids):
        gamma, total = reference_levels(MODEL, queries[scores.query[i]], originals[record_id])
        assert tuple(scores.gamma[i]) == gamma, record_id
        assert scores.total[i] == pytest.approx(total)


def test_a_batch_scores_like_single_checks(
    world: tuple[Matcher, dict[str, NormalisedIdentity], list[Query]],
) -> None:
    matcher, _, queries = world
    buyers = [q.identity for q in queries[:60]]
    batch = matcher.search_many(buyers, 0.01)
    single = [matcher.search(b, 0.01) for b in buyers]
    assert batch == single
    assert sum(len(s.candidates) for s in single) > 10


def matcher_index(matcher: Matcher) -> IdentityIndex:
    index: IdentityIndex = matcher._index
    return index


def test_scores_of_no_candidates_are_empty() -> None:
    matcher = Matcher(MODEL, IdentityIndex())
    scores, _ = matcher.score_queries([build_query(normalise_identity_example())])
    assert len(scores.rows) == 0
    assert np.asarray(scores.gamma).shape == (0, 10)


def normalise_identity_example() -> NormalisedIdentity:
    from tests.unit.matching.matching_helpers import person

    return normalise_identity(person("William", "Smith"))


# Family names of one and of several forms (compounds, particles, glued particles), to be
# compared every one with every other: the vectorised filter must pass every pair the rules
# rate above DISAGREE, whichever side has the forms.
FAMILY_NAMES = (
    "garcia lopez", "lopez", "lopes", "garcia", "garsia", "van der berg", "berg", "vanderberg",
    "de la cruz", "cruz", "kruz", "mac donald", "mcdonald", "nguyen", "nguyn", "tran",
    "smith jones", "smyth", "jones", "li", "lee", "vu bui", "bui", "duong",
)  # fmt: skip


def test_family_levels_of_every_pair_equal_the_rules() -> None:
    pool = StringPool()
    record_ids = np.array([pool.intern(name) for name in FAMILY_NAMES], np.int64)
    buyers = list(FAMILY_NAMES)
    v = np.repeat(np.arange(len(buyers)), len(record_ids))
    records = np.tile(record_ids, len(buyers))
    levels = _text_levels(pool, buyers, v, records, family=True)
    pairs = zip(v.tolist(), records.tolist(), strict=True)
    expected = [family_words_level(buyers[i], pool.text(r)) for i, r in pairs]
    assert levels.tolist() == expected
    assert len(set(expected)) >= 4  # exact, compound, typo and disagreement all occur
