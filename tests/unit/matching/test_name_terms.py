"""The name terms that depend on the index: the unknown-name term and the community terms.

Each case scores one buyer against a small index and reads the term's bits for the target
record (in `Scores.term_frequency_bits`, with plain term frequency switched off where the
case is about something else).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.unit.matching.matching_helpers import DOB, person
from transfercheck.domain.identities import Identity, Sex
from transfercheck.matching import (
    IdentityIndex,
    Matcher,
    load_default_model,
    load_snapshot,
    save_snapshot,
)
from transfercheck.matching.comparisons import FamilyLevel, GivenLevel, MiddleLevel
from transfercheck.matching.model import MatchModel, UnknownName
from transfercheck.matching.query import build_query

GIVEN, MIDDLE, FAMILY = 0, 1, 2
UNKNOWN_GIVEN, KNOWN_GIVEN, UNKNOWN_FAMILY, KNOWN_FAMILY = 2.5, -0.5, 1.5, -0.25
NO_TERM_FREQUENCY = replace(
    load_default_model(),
    term_frequency=(),
    unknown_names=(
        UnknownName("given_name", UNKNOWN_GIVEN, KNOWN_GIVEN),
        UnknownName("family_name", UNKNOWN_FAMILY, KNOWN_FAMILY),
    ),
)
# Other people, born elsewhen, whose names the index then carries.
CARRIERS = [
    person("Mark", "Taylor", date(1950, 1, 1)),
    person("Peter", "Jones", date(1951, 1, 1)),
    person("Anna", "Brown", date(1952, 1, 1)),
]


def target_scores(
    model: MatchModel, target: Identity, buyer: Identity, others: list[Identity]
) -> tuple[list[int], list[float]]:
    """The target record's gamma and term bits (given, middle, family) for the buyer."""
    index = IdentityIndex()
    index.add_many([("target", target), *((f"o{i}", p) for i, p in enumerate(others))])
    scores, _ = Matcher(model, index).score_queries([build_query(buyer)])
    at = index.record_ids(scores.rows).index("target")
    return [int(g) for g in scores.gamma[at]], [float(b) for b in scores.term_frequency_bits[at]]


UNKNOWN_NAME_CASES = [
    # (case, buyer, field, expected level, expected bits)
    ("given_no_record_carries", person("Zorvath", "Smith"), GIVEN, GivenLevel.DISAGREE,
     UNKNOWN_GIVEN),
    ("given_another_record_carries", person("Mark", "Smith"), GIVEN, GivenLevel.DISAGREE,
     KNOWN_GIVEN),
    ("given_carried_as_a_family_name", person("Jones", "Smith"), GIVEN, GivenLevel.DISAGREE,
     KNOWN_GIVEN),
    ("given_agreeing_has_no_term", person("Michael", "Smith"), GIVEN, GivenLevel.EXACT, 0.0),
    ("family_no_record_carries", person("Michael", "Qxorby"), FAMILY, FamilyLevel.DISAGREE,
     UNKNOWN_FAMILY),
    ("family_another_record_carries", person("Michael", "Jones"), FAMILY, FamilyLevel.DISAGREE,
     KNOWN_FAMILY),
    ("family_compound_of_carried_words", person("Michael", "Jones Brown"), FAMILY,
     FamilyLevel.DISAGREE, KNOWN_FAMILY),
    ("family_compound_with_an_unknown_word", person("Michael", "Jones Qxorby"), FAMILY,
     FamilyLevel.DISAGREE, UNKNOWN_FAMILY),
    ("family_agreeing_has_no_term", person("Michael", "Smith"), FAMILY, FamilyLevel.EXACT, 0.0),
]  # fmt: skip


@pytest.mark.parametrize(
    ("buyer", "field", "level", "bits"),
    [c[1:] for c in UNKNOWN_NAME_CASES],
    ids=[c[0] for c in UNKNOWN_NAME_CASES],
)
def test_unknown_name_term(buyer: Identity, field: int, level: int, bits: float) -> None:
    gamma, term_bits = target_scores(NO_TERM_FREQUENCY, person("Michael", "Smith"), buyer, CARRIERS)
    assert gamma[field] == level
    assert term_bits[field] == pytest.approx(bits)


def test_a_model_without_the_unknown_name_term_adds_nothing() -> None:
    model = replace(NO_TERM_FREQUENCY, unknown_names=())
    _, term_bits = target_scores(
        model, person("Michael", "Smith"), person("Zorvath", "Qxorby"), CARRIERS
    )
    assert term_bits == [0.0, 0.0, 0.0, 0.0]


def community(size: int = 4000) -> list[Identity]:
    """An index where "Van" goes only with "Pham" and "Linh" only with "Thi", while the
    other middle names are spread over the other families and given names."""
    people = []
    givens = ["Adam", "Brian", "Carl", "Dean", "Eric", "Frank", "Glen", "Hugh"]
    families = ["Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Grant", "Hayes"]
    middles = ["Alan", "Bruce", "Colin", "Derek", "Ellis", "Floyd", "Grady", "Henry"]
    for i in range(size):
        born = DOB + timedelta(days=1 + i % 3000)
        if i % 10 == 0:
            people.append(person(givens[i % 8], "Pham", born, middle="Van"))
        elif i % 10 == 1:
            people.append(person("Linh", families[i % 8], born, middle="Thi"))
        else:
            people.append(person(givens[i % 7], families[i % 8], born, middle=middles[i % 5]))
    return people


COMMUNITY_CASES = [
    # (case, target and buyer, middle level, whether the middle weight must lose bits)
    ("middle_tied_to_the_family", person("Quentin", "Pham", middle="Van"), True),
    ("middle_tied_to_the_given_name", person("Linh", "Xavier", middle="Thi"), True),
    ("middle_independent_of_the_family", person("Quentin", "Clark", middle="Alan"), False),
    ("tied_middle_beside_no_agreeing_name", person("Quentin", "Xavier", middle="Van"), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("identity", "loses"), [c[1:] for c in COMMUNITY_CASES], ids=[c[0] for c in COMMUNITY_CASES]
)
def test_community_middle_term(identity: Identity, loses: bool) -> None:
    model = load_default_model()
    with_pairs = target_scores(model, identity, identity, community())[1][MIDDLE]
    plain = _middle_term_frequency(model, identity, community())
    if loses:
        assert with_pairs < plain - 1.0
    else:
        assert with_pairs == pytest.approx(plain, abs=0.05)


def _middle_term_frequency(model: MatchModel, identity: Identity, others: list[Identity]) -> float:
    """The middle name's plain term-frequency bits in that index: log2(u / f)."""
    index = IdentityIndex()
    index.add_many([("target", identity), *((f"o{i}", p) for i, p in enumerate(others))])
    middle = build_query(identity).names[0].name.first_middle
    ids = np.array([index.table.pool.find(middle)], np.int64)
    u = model.fields[MIDDLE].levels[MiddleLevel.EXACT].u
    share = index.table.frequencies.share("middle_name", ids, u, 2000.0)
    return float(np.log2(u / share[0]))


def test_pair_counts_follow_inserts_and_deletes() -> None:
    index = IdentityIndex()
    index.add_many((f"v{i}", person("Minh", "Pham", DOB + timedelta(days=i), middle="Van"))
                   for i in range(3))  # fmt: skip
    frequencies, pool = index.table.frequencies, index.table.pool
    van, pham, minh = (np.array([pool.find(w)], np.int64) for w in ("van", "pham", "minh"))
    assert frequencies.middle_family.get((van << 32) | pham)[0] == 3
    assert frequencies.given_middle.get((minh << 32) | van)[0] == 3
    index.remove("v0")
    assert frequencies.middle_family.get((van << 32) | pham)[0] == 2
    assert frequencies.given_middle.get((minh << 32) | van)[0] == 2


def test_pair_counts_survive_a_snapshot(tmp_path: Path) -> None:
    index = IdentityIndex()
    index.add_many((f"v{i}", person("Minh", "Pham", DOB + timedelta(days=i), middle="Van"))
                   for i in range(3))  # fmt: skip
    save_snapshot(index, tmp_path / "index")
    loaded = load_snapshot(tmp_path / "index").table
    pool = loaded.pool
    van, pham, minh = (np.array([pool.find(w)], np.int64) for w in ("van", "pham", "minh"))
    assert loaded.frequencies.middle_family.get((van << 32) | pham)[0] == 3
    assert loaded.frequencies.given_middle.get((minh << 32) | van)[0] == 3
    assert loaded.frequencies.carried(van).all()


def tied_full_names(size: int = 4000) -> list[Identity]:
    """An index where Duong goes only with Bui; other names are spread evenly."""
    givens = ["Adam", "Brian", "Carl", "Dean", "Eric", "Frank", "Glen", "Hugh"]
    families = ["Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Grant", "Hayes", "Bui"]
    people = []
    for i in range(size):
        born = DOB + timedelta(days=1 + i % 3000)
        if i % 10 == 0:
            people.append(person("Duong", "Bui", born))
        else:
            people.append(person(givens[i % 8], families[i % 9], born))
    return people


WOMAN = {"sex": Sex.FEMALE}
GIVEN_IN_COMMUNITY_CASES = [
    # (case, record, buyer, family level, whether the given weight must lose bits)
    ("compound_beside_a_tied_given_name", person("Duong", "Bui"), person("Duong", "Vu Bui"),
     FamilyLevel.COMPOUND, True),
    ("slip_on_the_record_beside_a_tied_given_name", person("Duong", "Biu"),
     person("Duong", "Bui"), FamilyLevel.TYPO, True),
    ("compound_beside_an_independent_given_name", person("Adam", "Bui"), person("Adam", "Vu Bui"),
     FamilyLevel.COMPOUND, False),
    ("similar_name_read_with_the_buyers", person("Duong", "Bai"), person("Duong", "Bui"),
     FamilyLevel.SIMILAR, True),
    ("similar_name_not_read_with_the_records", person("Duong", "Bui"), person("Duong", "Bai"),
     FamilyLevel.SIMILAR, False),
    ("similar_name_beside_an_independent_given_name", person("Adam", "Bai"),
     person("Adam", "Bui"), FamilyLevel.SIMILAR, False),
    ("married_name_read_with_the_buyers", person("Duong", "Adams", **WOMAN),
     person("Duong", "Bui", **WOMAN), FamilyLevel.MARRIED_NAME, True),
    ("married_name_not_read_with_the_records", person("Duong", "Bui", **WOMAN),
     person("Duong", "Adams", **WOMAN), FamilyLevel.MARRIED_NAME, False),
    ("another_name_read_with_the_buyers", person("Duong", "Adams"), person("Duong", "Bui"),
     FamilyLevel.DISAGREE, True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("record", "buyer", "level", "loses"),
    [c[1:] for c in GIVEN_IN_COMMUNITY_CASES],
    ids=[c[0] for c in GIVEN_IN_COMMUNITY_CASES],
)
def test_given_name_weighed_in_its_community_beside_another_family_name(
    record: Identity, buyer: Identity, level: int, loses: bool
) -> None:
    # Duong goes only with Bui in this index: beside Bui, an agreeing Duong says little.
    model, others = load_default_model(), tied_full_names()
    gamma, term_bits = target_scores(model, record, buyer, others)
    assert gamma[FAMILY] == level
    # The given name's plain term frequency, read where the family name agrees exactly
    # (the community term then goes to the family weight).
    same = replace(record, name=replace(record.name, family=buyer.name.family))
    exact, plain_bits = target_scores(model, same, buyer, others)
    assert exact[FAMILY] == FamilyLevel.EXACT
    community = term_bits[GIVEN] - plain_bits[GIVEN]
    if loses:
        assert community < -1.0
    else:
        assert community == pytest.approx(0.0, abs=0.2)


def test_one_letter_apart_counts_less_where_many_carry_such_a_name() -> None:
    # Tan and Gan: short names one letter apart. Where many records carry a name one letter
    # from Gan (Han, Fan, Yan...), a stranger's Tan is no surprise: the level counts less.
    model = load_default_model()
    target, buyer = person("Qiang", "Tan"), person("Qiang", "Gan")
    neighbours = ["Han", "Fan", "Yan", "Wan", "Lan", "Dan", "Pan", "Zan"] * 5
    crowded = [person("Wei", name, date(1950, 1, 1) + timedelta(days=i))
               for i, name in enumerate(neighbours)]  # fmt: skip
    gamma, sparse = target_scores(model, target, buyer, CARRIERS)
    _, dense = target_scores(model, target, buyer, crowded)
    assert gamma[FAMILY] == FamilyLevel.ONE_EDIT
    assert dense[FAMILY] < sparse[FAMILY] - 3.0
    index = IdentityIndex()
    index.add_many([("target", target), *((f"o{i}", p) for i, p in enumerate(crowded))])
    found = Matcher(model, index).find_candidates(buyer)
    evidence = next(c for c in found if c.record_id == "target").evidence
    family = next(e for e in evidence if e.field == "family_name")
    assert "many records carry a name one letter from the buyer's" in family.explanation


def test_a_close_given_name_counts_less_where_the_family_carries_the_records_often() -> None:
    # Beside Pham, Trong is common: a Trung on the form beside a Trong on file is as
    # likely two men. A Micheal on file beside Smith is rare: no change, and no gain.
    model = load_default_model()
    day = date(1950, 1, 1)
    phams = [person(given, "Pham", day + timedelta(days=i))
             for i, given in enumerate(["Trong", "Minh", "Anh"] * 200)]  # fmt: skip
    smiths = [person(given, "Smith", day + timedelta(days=i))
              for i, given in enumerate(["Robert", "Mary", "Linda"] * 200)]  # fmt: skip
    gamma, crowded = target_scores(model, person("Trong", "Pham"), person("Trung", "Pham"), phams)
    assert (gamma[GIVEN], gamma[FAMILY]) == (GivenLevel.TYPO, FamilyLevel.EXACT)
    assert crowded[GIVEN] < -2.0
    gamma, sparse = target_scores(model, person("Micheal", "Smith"), person("Michael", "Smith"),
                                  smiths)  # fmt: skip
    assert gamma[GIVEN] == GivenLevel.TYPO
    assert sparse[GIVEN] == 0.0
    gamma, apart = target_scores(model, person("Trong", "Nguyen"), person("Trung", "Pham"), phams)
    assert gamma[FAMILY] != FamilyLevel.EXACT
    assert apart[GIVEN] == 0.0  # only beside an agreeing family name
    index = IdentityIndex()
    index.add_many([("target", person("Trong", "Pham")),
                    *((f"o{i}", p) for i, p in enumerate(phams))])  # fmt: skip
    found = Matcher(model, index).find_candidates(person("Trung", "Pham"))
    evidence = next(c for c in found if c.record_id == "target").evidence
    given = next(e for e in evidence if e.field == "given_name")
    assert "many people of this family name carry the record's given name" in given.explanation
