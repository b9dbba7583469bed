"""People: diverse names labelled by origin, plausible ages, synthetic identifiers only."""

from __future__ import annotations

from collections import Counter

from transfercheck.domain.identities import Sex, age_on
from transfercheck.synthetic import Dataset, NameOrigin
from transfercheck.synthetic.identifiers import IdentifierFactory
from transfercheck.synthetic.names import other_spellings, pools

from .conftest import REFERENCE_DATE


def test_every_origin_group_appears_in_a_fair_share(dataset: Dataset) -> None:
    counts = Counter(p.origin for p in dataset.people)
    assert set(counts) == set(NameOrigin)
    assert all(n >= 0.02 * len(dataset.people) for n in counts.values())


def test_compound_particle_and_hyphenated_surnames_appear(dataset: Dataset) -> None:
    families = [p.identity.name.family for p in dataset.people]
    compound = [
        p for p in dataset.people if len(p.surname_parts) == 2 and " " in p.identity.name.family
    ]
    assert all(p.origin is NameOrigin.HISPANIC for p in compound)
    hispanic = sum(p.origin is NameOrigin.HISPANIC for p in dataset.people)
    assert 0.3 < len(compound) / hispanic < 0.5  # about 40% paternal + maternal
    assert any("-" in f and not f.startswith(("Al-", "El-")) for f in families)
    assert any(f.startswith(("de la ", "del ", "de ")) for f in families)


def test_vietnamese_names_keep_their_diacritics_and_put_the_given_name_first(
    dataset: Dataset,
) -> None:
    vietnamese = [p for p in dataset.people if p.origin is NameOrigin.VIETNAMESE]
    surnames = set(pools()[NameOrigin.VIETNAMESE].family.items)
    assert "Nguyễn" in surnames
    assert all(set(p.surname_parts) <= surnames for p in vietnamese)
    assert any(p.identity.name.family == "Nguyễn" for p in vietnamese)


def test_arabic_names_vary_their_transliteration(dataset: Dataset) -> None:
    arabic = [p.identity.name for p in dataset.people if p.origin is NameOrigin.ARABIC]
    givens = {n.given for n in arabic}
    assert len(givens & {"Muhammad", "Mohammed", "Mohamed", "Mohammad", "Muhammed"}) >= 3
    assert "Alhassan" in other_spellings("Al-Hassan", family=True)
    assert "Mohamed" in other_spellings("Muhammad", family=False)


def test_given_name_fits_the_sex(dataset: Dataset) -> None:
    for person in dataset.people:
        pool = pools()[person.origin]
        names = pool.female if person.identity.sex is Sex.FEMALE else pool.male
        assert person.identity.name.given in names.items, person


def test_middle_names_are_common_and_sometimes_initials(dataset: Dataset) -> None:
    english = [p.identity.name for p in dataset.people if p.origin is NameOrigin.ENGLISH]
    middles = [n.middle for n in english if n.middle]
    assert 0.65 < len(middles) / len(english) < 0.85
    assert 0.1 < sum(len(m) == 1 for m in middles) / len(middles) < 0.3


def test_adults_of_18_to_90(dataset: Dataset) -> None:
    ages = [age_on(p.identity.date_of_birth, REFERENCE_DATE) for p in dataset.people]
    assert min(ages) >= 18
    assert max(ages) <= 98  # an older sibling of a 90-year-old
    assert sum(18 <= a <= 90 for a in ages) / len(ages) > 0.97


def test_ssns_are_synthetic_nine_digits_and_unique(dataset: Dataset) -> None:
    ssns = [p.identity.ssn for p in dataset.people if p.identity.ssn]
    assert 0.85 < len(ssns) / len(dataset.people) < 0.95
    assert all(len(s) == 9 and s.isdigit() and 900 <= int(s[:3]) <= 999 for s in ssns)
    assert all(s[3:5] != "00" and s[5:] != "0000" for s in ssns)
    assert len(set(ssns)) == len(ssns)


def test_id_documents_are_issued_by_the_home_state_and_unique(dataset: Dataset) -> None:
    documents = [
        (p.identity.id_document, p.identity.state_of_residence)
        for p in dataset.people
        if p.identity.id_document
    ]
    assert all(doc.issuer == home for doc, home in documents)
    numbers = [(doc.issuer, doc.number) for doc, _ in documents]
    assert len(set(numbers)) == len(numbers)
    assert any(doc.number.startswith("WDL") for doc, _ in documents if doc.issuer == "WA")


def test_some_people_were_born_abroad(dataset: Dataset) -> None:
    places = [p.identity.place_of_birth or "" for p in dataset.people]
    assert 0.05 < sum(len(place) > 2 for place in places) / len(places) < 0.4
    assert "Vietnam" in places
    assert "Mexico" in places


def test_two_factories_of_one_seed_give_the_same_licence_numbers_in_any_order() -> None:
    # Buyers made apart from a data set (clean_buyers_by_origin) rely on it: their numbers
    # come from the same bijections as the data set's, so they never repeat a record's.
    first, second = IdentifierFactory(7), IdentifierFactory(7)
    states, serials = ("CA", "TX", "NY", "WA", "OH"), (0, 1, 12_345)
    one = {(st, n): first.licence_number(n, st) for st in states for n in serials}
    other = {(st, n): second.licence_number(n, st) for st in reversed(states) for n in serials}
    assert one == other
    assert len(set(one.values())) == len(one)
