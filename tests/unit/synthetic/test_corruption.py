"""The corruption model: each kind changes an identity in its documented way, or not at all
when it cannot apply; no chain of them yields an impossible name or date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nicknames import NickNamer

from transfercheck.domain.identities import Identity, PersonName, Sex, name_problems
from transfercheck.synthetic import Corruption, NameOrigin, Person
from transfercheck.synthetic.corruption import RECORD_VARIATIONS, apply, corrupt
from transfercheck.synthetic.people import PersonFactory

from .conftest import REFERENCE_DATE


def _person(
    given: str = "William",
    family: str = "Smith",
    middle: str | None = "Henry",
    *,
    parts: tuple[str, ...] | None = None,
    born: date = date(1980, 3, 7),
    sex: Sex = Sex.MALE,
    origin: NameOrigin = NameOrigin.ENGLISH,
) -> Person:
    identity = Identity(PersonName(given, family, middle), born, sex, state_of_residence="OH")
    return Person("P000000001", 1, origin, identity, parts or (family,))


def _one_edit(before: str, after: str, *, longer: bool) -> bool:
    """Whether removing one character from the longer string gives the shorter one."""
    long, short = (after, before) if longer else (before, after)
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


def _typo_part(before: PersonName, after: PersonName) -> tuple[str, str]:
    """The one name part a typo changed, before and after."""
    changed = [
        (getattr(before, f), getattr(after, f))
        for f in ("given", "family", "middle")
        if getattr(before, f) != getattr(after, f)
    ]
    assert len(changed) == 1
    old, new = changed[0]
    assert old is not None
    assert new is not None
    return old, new


def _inserted(before: Identity, after: Identity) -> bool:
    old, new = _typo_part(before.name, after.name)
    return _one_edit(old, new, longer=True)


def _deleted(before: Identity, after: Identity) -> bool:
    old, new = _typo_part(before.name, after.name)
    return _one_edit(old, new, longer=False)


def _substituted(before: Identity, after: Identity) -> bool:
    old, new = _typo_part(before.name, after.name)
    return len(old) == len(new) and sum(a != b for a, b in zip(old, new, strict=True)) == 1


def _transposed(before: Identity, after: Identity) -> bool:
    old, new = _typo_part(before.name, after.name)
    diff = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    i = diff[0]
    return diff == [i, i + 1] and (old[i].lower(), old[i + 1].lower()) == (
        new[i + 1].lower(),
        new[i].lower(),
    )


@dataclass(frozen=True)
class Case:
    kind: Corruption
    person: Person
    expect: Callable[[Identity, Identity], bool]  # (before, after) -> as documented


def _nicknamed(before: Identity, after: Identity) -> bool:
    return after.name.given.lower() in NickNamer().nicknames_of("william")


def _respelled(before: Identity, after: Identity) -> bool:
    muhammad = {"Muhammad", "Mohamed", "Mohammad", "Muhammed"}
    al_hassan = {"Alhassan", "Al Hassan", "El-Hassan", "Hassan"}
    al_hasan = {"Al-Hasan", "Alhasan", "Al Hasan", "El-Hasan", "Hasan"}
    given, family = after.name.given, after.name.family
    return (given in muhammad and family == "Al-Hassan") or (
        given == "Mohammed" and family in al_hassan | al_hasan
    )


CASES = [
    Case(Corruption.TYPO_INSERT, _person(), _inserted),
    Case(Corruption.TYPO_DELETE, _person(), _deleted),
    Case(Corruption.TYPO_SUBSTITUTE, _person(), _substituted),
    Case(Corruption.TYPO_TRANSPOSE, _person(), _transposed),
    Case(Corruption.NICKNAME, _person(), _nicknamed),
    Case(
        Corruption.DAY_MONTH_SWAPPED,
        _person(),
        lambda b, a: a.date_of_birth == date(1980, 7, 3) and a.name == b.name,
    ),
    Case(
        Corruption.MIDDLE_NAME_DROPPED,
        _person(),
        lambda b, a: a.name == PersonName("William", "Smith"),
    ),
    Case(
        Corruption.SURNAME_CHANGED,
        _person("Mary", sex=Sex.FEMALE),
        lambda b, a: a.name.family != "Smith" and a.name.given == "Mary",
    ),
    Case(
        Corruption.NAME_ORDER_SWAPPED,
        _person(),
        lambda b, a: a.name == PersonName("Smith", "William", "Henry"),
    ),
    Case(
        Corruption.ACCENTS_DROPPED,
        _person("Hưng", "Nguyễn", "Đức", origin=NameOrigin.VIETNAMESE),
        lambda b, a: a.name == PersonName("Hung", "Nguyen", "Duc"),
    ),
    Case(
        Corruption.COMPOUND_SURNAME_SHORTENED,
        _person("José", "García López", None, parts=("García", "López")),
        lambda b, a: a.name == PersonName("José", "García"),
    ),
    Case(
        Corruption.TRANSLITERATION_CHANGED,
        _person("Mohammed", "Al-Hassan", None, origin=NameOrigin.ARABIC),
        _respelled,
    ),
    Case(
        Corruption.SUFFIX_DROPPED,
        _person(family="Smith Jr"),
        lambda b, a: a.name == PersonName("William", "Smith", "Henry"),
    ),
    Case(
        Corruption.ALIAS_ADDED,
        _person(),
        lambda b, a: a.name == b.name and len(a.aliases) == 1 and a.aliases[0] != a.name,
    ),
]

NOT_APPLICABLE = [
    (Corruption.NICKNAME, _person("Minh", "Trần", origin=NameOrigin.VIETNAMESE)),
    (Corruption.DAY_MONTH_SWAPPED, _person(born=date(1980, 3, 13))),
    (Corruption.DAY_MONTH_SWAPPED, _person(born=date(1980, 3, 3))),
    (Corruption.MIDDLE_NAME_DROPPED, _person(middle=None)),
    (Corruption.SURNAME_CHANGED, _person()),  # a man
    (Corruption.ACCENTS_DROPPED, _person()),
    (Corruption.COMPOUND_SURNAME_SHORTENED, _person()),
    (Corruption.TRANSLITERATION_CHANGED, _person()),
    (Corruption.SUFFIX_DROPPED, _person()),
    (Corruption.TYPO_TRANSPOSE, _person("Aa", "Bb", None)),
    (Corruption.TYPO_DELETE, _person("A", "O", None)),
]


def test_every_corruption_kind_has_a_case() -> None:
    assert {case.kind for case in CASES} == set(Corruption)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind.value)
def test_corruption_changes_the_identity_as_documented(case: Case) -> None:
    for seed in range(20):
        before = case.person.identity
        after = apply(case.kind, case.person, before, Random(seed))
        assert after is not None
        assert after != before
        assert case.expect(before, after), after
        assert (after.sex, after.ssn, after.id_document) == (
            before.sex,
            before.ssn,
            before.id_document,
        )


@pytest.mark.parametrize(
    ("kind", "person"), NOT_APPLICABLE, ids=[k.value for k, _ in NOT_APPLICABLE]
)
def test_corruption_that_cannot_apply_gives_none(kind: Corruption, person: Person) -> None:
    assert apply(kind, person, person.identity, Random(0)) is None


def test_a_typo_keeps_the_case_of_each_position() -> None:
    person = _person("Smith", "Jones", None)
    after = apply(Corruption.TYPO_TRANSPOSE, person, person.identity, Random(1))
    assert after is not None
    assert after.name.given[0].isupper()
    assert after.name.family[0].isupper()


def test_corrupt_applies_distinct_kinds_and_reports_them_in_order() -> None:
    person = _person()
    for seed in range(50):
        written, kinds = corrupt(person, person.identity, Random(seed), 2)
        assert len(kinds) == 2
        assert kinds[0] != kinds[1]
        assert written != person.identity


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    chain=st.lists(st.sampled_from(list(Corruption)), max_size=6),
    count=st.integers(min_value=0, max_value=3),
)
def test_corruption_never_gives_an_empty_name_or_impossible_date(
    seed: int, chain: list[Corruption], count: int
) -> None:
    rng = Random(seed)
    person = PersonFactory(seed, REFERENCE_DATE).person(rng)
    identity, _ = corrupt(person, person.identity, rng, count)
    identity, _ = corrupt(person, identity, rng, 1, RECORD_VARIATIONS)
    for kind in chain:
        identity = apply(kind, person, identity, rng) or identity
    for name in identity.all_names:
        for part in (name.given, name.family, name.middle):
            if part is not None:
                assert not name_problems(part), part
                assert part == " ".join(part.split()), part
    born = identity.date_of_birth
    assert born.year == person.identity.date_of_birth.year
    assert born <= REFERENCE_DATE
