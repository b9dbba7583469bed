"""Property: a record always finds itself first under any single-field typo.

The index holds the record, its look-alike relatives (a twin with another given name, a
father of the same name, a cousin with another surname, all born the same way) and
unrelated people. Then one typo goes into the given name, the family name or one digit of
the date of birth, and the record must still be the top candidate.

Names here have four letters or more: in a shorter name one edit can make another real
name (Tom/Tim), and the example-based tests cover short names on their own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler

from tests.unit.matching.matching_helpers import matcher_for, person, synthetic_identities
from transfercheck.domain.identities import Identity, PersonName, Sex

GIVEN = [
    "William",
    "Maria",
    "Mohammed",
    "Jennifer",
    "Nguyet",
    "Francisco",
    "Olusegun",
    "Katherine",
    "Dmitri",
    "Priya",
    "Anthony",
    "Guadalupe",
    "Siobhan",
    "Hiroshi",
]
FAMILY = [
    "Smith",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Hassan",
    "Johnson",
    "Fitzgerald",
    "Yamamoto",
    "Rodriguez",
    "Schneider",
    "Abernathy",
    "Delacruz",
]
OTHER_GIVEN = ["Bartholomew", "Zoltan", "Quincy", "Ulrich", "Ezekiel", "Yevgenia", "Xiomara"]
OTHER_FAMILY = ["Zbikowski", "Quackenbush", "Everhart", "Uchenna", "Vanterpool"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Unrelated people, all born before any record in this test, so they never tie with it.
BACKGROUND = {
    f"bg-{i}": replace(p, date_of_birth=date(1920, 1, 1) + (p.date_of_birth - date(1940, 1, 1)) / 4)
    for i, p in enumerate(synthetic_identities(60, seed=11))
}  # fmt: skip


@st.composite
def typo(draw: st.DrawFn, word: str) -> str:
    """One insertion, deletion, substitution or transposition, keeping the first letter's case."""
    kind = draw(st.sampled_from(["insert", "delete", "substitute", "transpose"]))
    at = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from(LETTERS))
    if kind == "insert":
        out = word[:at] + letter + word[at:]
    elif kind == "delete":
        out = word[:at] + word[at + 1 :]
    elif kind == "substitute":
        out = word[:at] + letter + word[at + 1 :]
    else:
        at = min(at, len(word) - 2)
        out = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    assume(out.lower() != word.lower())
    return out


@st.composite
def date_typo(draw: st.DrawFn, original: date) -> date:
    """One digit of YYYYMMDD replaced, keeping a real date."""
    digits = list(original.strftime("%Y%m%d"))
    at = draw(st.integers(0, 7))
    digits[at] = draw(st.sampled_from("0123456789"))
    text = "".join(digits)
    try:
        changed = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        assume(False)
        raise
    assume(changed != original and changed.year >= 1900)
    return changed


@st.composite
def a_person(draw: st.DrawFn) -> Identity:
    dob = draw(st.dates(date(1940, 1, 1), date(2004, 12, 31)))
    middle = draw(st.one_of(st.none(), st.sampled_from(GIVEN)))
    sex = draw(st.sampled_from([Sex.MALE, Sex.FEMALE]))
    return person(draw(st.sampled_from(GIVEN)), draw(st.sampled_from(FAMILY)), dob, sex, middle)


def relatives(target: Identity, twin_given: str, cousin_family: str) -> dict[str, Identity]:
    """A twin, a father of the same name born 25 years and some days earlier, a cousin."""
    name = target.name
    dob = target.date_of_birth
    father_dob = date(dob.year - 25, dob.month % 12 + 1, min(dob.day, 28) % 27 + 1)
    return {
        "twin": replace(target, name=PersonName(twin_given, name.family)),
        "father": replace(target, date_of_birth=father_dob),
        "cousin": replace(target, name=PersonName(name.given, cousin_family, name.middle)),
    }


@settings(max_examples=150, deadline=None)
@given(
    target=a_person(),
    field=st.sampled_from(["given", "family", "date_of_birth"]),
    twin_given=st.sampled_from(OTHER_GIVEN),
    cousin_family=st.sampled_from(OTHER_FAMILY),
    data=st.data(),
)
def test_a_record_finds_itself_first_under_any_single_typo(
    target: Identity, field: str, twin_given: str, cousin_family: str, data: st.DataObject
) -> None:
    assume(JaroWinkler.similarity(twin_given, target.name.given) < 0.6)
    name = target.name
    if field == "given":
        buyer = replace(target, name=replace(name, given=data.draw(typo(name.given))))
    elif field == "family":
        buyer = replace(target, name=replace(name, family=data.draw(typo(name.family))))
    else:
        buyer = replace(target, date_of_birth=data.draw(date_typo(target.date_of_birth)))
    records = {"target": target, **relatives(target, twin_given, cousin_family), **BACKGROUND}
    found = matcher_for(records).find_candidates(buyer)
    assert found, "the record was not even a candidate"
    assert found[0].record_id == "target", [(c.record_id, c.probability) for c in found[:4]]
