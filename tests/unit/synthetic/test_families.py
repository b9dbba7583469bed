"""Relatives and near-namesakes: same surname and birth date, or same full name."""

from __future__ import annotations

from random import Random

import jellyfish
import pytest

from transfercheck.domain.identities import Sex, age_on
from transfercheck.synthetic import BuyerKind, Dataset, Person
from transfercheck.synthetic.families import (
    JUNIOR,
    namesake_of,
    sibling_of,
    similar_to,
    twin_of,
)
from transfercheck.synthetic.people import PersonFactory

from .conftest import REFERENCE_DATE


@pytest.fixture
def factory() -> PersonFactory:
    return PersonFactory(seed=5, reference_date=REFERENCE_DATE)


def _people(factory: PersonFactory, n: int, *, male_share: float = 0.5) -> list[Person]:
    rng = Random(1)
    return [factory.person(rng, male_share=male_share) for _ in range(n)]


def test_twins_share_surname_and_birth_date_not_given_name(factory: PersonFactory) -> None:
    rng = Random(2)
    for person in _people(factory, 200):
        twin = twin_of(factory, person, rng)
        assert twin.identity.name.family == person.identity.name.family
        assert twin.identity.date_of_birth == person.identity.date_of_birth
        assert twin.identity.name.given.casefold() != person.identity.name.given.casefold()
        assert twin.identity.ssn is None or twin.identity.ssn != person.identity.ssn


def test_siblings_share_surname_and_are_born_close_together(factory: PersonFactory) -> None:
    rng = Random(3)
    for person in _people(factory, 200):
        sibling = sibling_of(factory, person, rng)
        gap = abs((sibling.identity.date_of_birth - person.identity.date_of_birth).days)
        assert sibling.identity.name.family == person.identity.name.family
        assert 300 <= gap <= 8 * 365
        assert age_on(sibling.identity.date_of_birth, REFERENCE_DATE) >= 18


def test_father_and_son_share_the_full_name_and_differ_in_birth(factory: PersonFactory) -> None:
    rng = Random(4)
    pairs = [(p, namesake_of(factory, p, rng)) for p in _people(factory, 300, male_share=1.0)]
    found = [(p, n) for p, n in pairs if n is not None]
    assert len(found) > 250
    for person, namesake in found:
        name, other = person.identity.name, namesake.identity.name
        assert (other.given, other.middle) == (name.given, name.middle)
        assert other.family.removesuffix(JUNIOR) == name.family
        years = abs(namesake.identity.date_of_birth.year - person.identity.date_of_birth.year)
        assert 19 <= years <= 36
    assert any(n.identity.name.family.endswith(JUNIOR) for _, n in found)
    assert any(n.identity.name == p.identity.name for p, n in found)  # exact namesakes


def test_women_have_no_father_son_namesake(factory: PersonFactory) -> None:
    women = _people(factory, 20, male_share=0.0)
    assert all(namesake_of(factory, w, Random(0)) is None for w in women)


def test_similar_people_look_alike_but_are_born_another_day(factory: PersonFactory) -> None:
    rng = Random(5)
    closeness = []
    for person in _people(factory, 300):
        similar = similar_to(factory, person, rng)
        name, other = person.identity.name, similar.identity.name
        assert similar.identity.date_of_birth != person.identity.date_of_birth
        kept = [(name.given == other.given), (name.family == other.family)]
        assert kept.count(True) == 1  # one part is kept, the other replaced
        changed = (name.family, other.family) if kept[0] else (name.given, other.given)
        closeness.append(jellyfish.jaro_winkler_similarity(*changed))
    # Small pools (Vietnamese surnames, Chinese given names) hold no really close name.
    assert sum(closeness) / len(closeness) > 0.7


def test_lookalike_buyers_resemble_the_prohibited_person(dataset: Dataset) -> None:
    people = {p.person_id: p for p in dataset.people}
    kinds = set()
    for truth in dataset.buyer_truth:
        if truth.lookalike_of is None:
            continue
        original, lookalike = people[truth.lookalike_of], people[truth.person_id]
        a, b = original.identity, lookalike.identity
        kinds.add(truth.kind)
        assert not truth.has_records
        assert truth.person_id != truth.lookalike_of
        if truth.kind is BuyerKind.LOOKALIKE_TWIN:
            assert (b.name.family, b.date_of_birth) == (a.name.family, a.date_of_birth)
            assert b.name.given != a.name.given
        elif truth.kind is BuyerKind.LOOKALIKE_FATHER_SON:
            assert a.sex is b.sex is Sex.MALE
            assert (b.name.given, b.name.middle) == (a.name.given, a.name.middle)
            assert b.name.family.removesuffix(JUNIOR) == a.name.family.removesuffix(JUNIOR)
            assert b.date_of_birth != a.date_of_birth
        else:
            assert b.date_of_birth != a.date_of_birth
    assert kinds == {
        BuyerKind.LOOKALIKE_TWIN,
        BuyerKind.LOOKALIKE_FATHER_SON,
        BuyerKind.LOOKALIKE_SIMILAR,
    }
