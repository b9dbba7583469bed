"""End to end: a buyer against an index, each case named after the policy it encodes.

DELAY is the threshold recommended for an examiner to look (see the matching report);
the policies below are stated against it where it matters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from tests.unit.matching.matching_helpers import (
    DOB,
    licence,
    matcher_for,
    person,
    synthetic_identities,
)
from transfercheck.domain.identities import Identity, PersonName, Sex
from transfercheck.domain.matches import Candidate
from transfercheck.matching import Matcher

DELAY = 0.1
DENY = 0.999

BACKGROUND = {f"bg-{i}": p for i, p in enumerate(synthetic_identities(200, seed=3))}

SMITH = person("William", "Smith", DOB, middle="James")


def candidate(record: Identity, buyer: Identity) -> Candidate | None:
    matcher = matcher_for({"target": record, **BACKGROUND})
    found = [c for c in matcher.find_candidates(buyer) if c.record_id == "target"]
    return found[0] if found else None


def p(record: Identity, buyer: Identity) -> float:
    found = candidate(record, buyer)
    return found.probability if found else 0.0


Check = Callable[[float], bool]

CASES: list[tuple[str, Identity, Identity, Check]] = [
    ("nickname_and_surname_typo_is_a_likely_match",
     person("William", "Smith"), person("Bill", "Smyth"), lambda x: x > 0.5),
    ("day_month_swap_is_still_found",
     person("William", "Smith", date(1980, 3, 5)), person("William", "Smith", date(1980, 5, 3)),
     lambda x: x > 0.5),
    ("missing_middle_name_is_no_evidence_against",
     SMITH, person("William", "Smith"), lambda x: x > 0.99),
    ("given_and_family_swapped_is_found",
     SMITH, person("Smith", "William"), lambda x: x > 0.9),
    ("going_by_the_middle_name_is_found",
     SMITH, person("James", "Smith"), lambda x: x > 0.5),
    ("arabic_transliteration_and_article_are_found",
     person("Muhammad", "Alhassan"), person("Mohammed", "Al-Hassan"), lambda x: x > 0.5),
    ("vietnamese_accents_do_not_matter",
     person("An", "Nguyen", middle="Van"), person("An", "Nguyễn", middle="Văn"),
     lambda x: x > 0.99),
    ("one_part_of_a_compound_surname_is_found",
     person("Maria", "Garcia", sex=Sex.FEMALE), person("Maria", "Garcia Lopez", sex=Sex.FEMALE),
     lambda x: x > 0.9),
    ("particle_written_apart_or_glued_is_the_same_name",
     person("Juan", "De la Cruz"), person("Juan", "Delacruz"), lambda x: x > 0.99),
    ("initial_only_is_a_likely_match", SMITH, person("W.", "Smith"), lambda x: x > 0.5),
    ("cyrillic_lookalike_letters_do_not_hide_a_match",
     SMITH, person("William", "Ѕmіth"), lambda x: x > 0.99),
    ("married_name_with_given_middle_and_date_reaches_an_examiner",
     person("Sarah", "Macdonald", sex=Sex.FEMALE, middle="Emily"),
     person("Sarah", "Knox", sex=Sex.FEMALE, middle="Emily"), lambda x: x >= DELAY),
    ("twin_with_a_different_given_name_is_unlikely",
     person("Michael", "Smith"), person("Mark", "Smith"), lambda x: x < 0.05),
    ("twin_of_the_other_sex_is_very_unlikely",
     person("Michael", "Smith"), person("Michelle", "Smith", sex=Sex.FEMALE),
     lambda x: x < 0.05),
    ("father_and_son_of_one_name_25_years_apart_are_unlikely",
     person("William", "Smith", date(1955, 3, 15)), person("William", "Smith", DOB),
     lambda x: x < 0.05),
    ("father_and_son_with_jr_and_sr_are_very_unlikely",
     person("William", "Smith Sr", date(1955, 3, 15)), person("William", "Smith Jr", DOB),
     lambda x: x < 0.001),
    ("same_name_and_date_without_identifiers_can_only_delay",
     SMITH, person("William", "Smith", middle="James"), lambda x: DELAY < x < 1.0),
]  # fmt: skip


@pytest.mark.parametrize(
    ("record", "buyer", "check"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_policy(record: Identity, buyer: Identity, check: Check) -> None:
    probability = p(record, buyer)
    assert check(probability), probability


def test_agreeing_ssn_with_name_and_date_is_a_deny_level_match() -> None:
    found = candidate(
        person("William", "Smith", ssn="123-45-6780"), person("William", "Smith", ssn="123456780")
    )
    assert found is not None
    assert found.probability > DENY
    assert found.identifier_agrees


def test_disagreeing_ssn_lowers_but_does_not_clear_a_name_and_date_match() -> None:
    # A buyer can write any SSN; a wrong one must not let a name-and-date match through
    # unseen, but it is real evidence against.
    without = p(person("William", "Smith", ssn="123456780"), person("William", "Smith"))
    disagree = candidate(
        person("William", "Smith", ssn="123456780"), person("William", "Smith", ssn="987654320")
    )
    assert disagree is not None
    assert not disagree.identifier_agrees
    assert DELAY < disagree.probability < 0.9
    assert disagree.probability < without


def test_agreeing_identifier_alone_does_not_make_a_match() -> None:
    found = candidate(
        person("William", "Smith", ssn="123456780"),
        person("Rosa", "Parks", date(1913, 2, 4), Sex.FEMALE, ssn="123456780"),
    )
    assert found is not None
    assert found.identifier_agrees
    assert found.probability < DELAY


def test_agreeing_licence_is_an_identifier_agreement() -> None:
    found = candidate(
        person("William", "Smith", id_document=licence("D1234567")),
        person("Bill", "Smith", id_document=licence("d 1234567")),
    )
    assert found is not None
    assert found.identifier_agrees
    assert found.probability > DENY


def test_ssn_typo_is_strong_evidence_but_not_an_identifier_agreement() -> None:
    found = candidate(
        person("William", "Smith", ssn="123456780"), person("William", "Smith", ssn="123456708")
    )
    assert found is not None
    assert not found.identifier_agrees
    assert found.probability > 0.99


def test_record_alias_is_matched_and_named_in_the_evidence() -> None:
    record = person("William", "Smith", aliases=(PersonName("Vasily", "Kuznetsov"),))
    found = candidate(record, person("Vasily", "Kuznetsov"))
    assert found is not None
    assert found.probability > 0.99
    assert any('alias "Vasily Kuznetsov"' in e.explanation for e in found.evidence)


def test_buyer_alias_is_matched() -> None:
    buyer = person("Vasily", "Kuznetsov", aliases=(PersonName("William", "Smith"),))
    assert p(person("William", "Smith"), buyer) > 0.99


def test_garbage_name_is_found_only_through_an_identifier() -> None:
    buyer = Identity(PersonName("😀", "\u200d"), DOB, Sex.UNKNOWN, ssn="123456780")
    found = candidate(person("William", "Smith", ssn="123456780"), buyer)
    assert found is not None
    assert found.identifier_agrees


def evidence_of(record: Identity, buyer: Identity) -> dict[str, str]:
    found = candidate(record, buyer)
    assert found is not None
    return {e.field: e.explanation for e in found.evidence}


def test_nickname_is_explained_in_words() -> None:
    text = evidence_of(person("William", "Smith"), person("Bill", "Smith"))
    assert text["given_name"].startswith('Given name "Bill" is a known nickname of "William" (+')
    assert text["date_of_birth"].startswith("Date of birth agrees exactly (1980-03-15) (+")


def test_twin_is_explained_as_a_relative() -> None:
    text = evidence_of(person("Michael", "Smith"), person("Mark", "Smith"))
    assert text["given_name"].startswith(
        'Given names differ ("Mark" vs "Michael"); with surname and date of birth agreeing '
        "this points to a relative; other records carry the buyer's name, so it is likelier "
        "another person's and the difference counts"
    )
    assert text["relatives"].startswith("Given names differ while family name and date")


NAME_NOTES = [
    # (case, buyer against the record William Smith, field, words the explanation holds)
    ("a_name_no_record_carries_reads_as_a_slip", person("Wqzrxl", "Smith"), "given_name",
     "no record carries the buyer's name, so it is likelier a slip on the form"),
    ("a_name_others_carry_reads_as_another_person", person("William", "Jones"), "family_name",
     "other records carry the buyer's name, so it is likelier another person's"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("buyer", "field", "words"), [c[1:] for c in NAME_NOTES], ids=[c[0] for c in NAME_NOTES]
)
def test_a_disagreeing_name_says_whether_any_record_carries_it(
    buyer: Identity, field: str, words: str
) -> None:
    carrier = {"jones": person("Peter", "Jones", date(1950, 1, 1))}
    matcher = matcher_for({"target": person("William", "Smith"), **carrier})
    found = next(c for c in matcher.find_candidates(buyer) if c.record_id == "target")
    explanation = next(e.explanation for e in found.evidence if e.field == field)
    assert words in explanation


def test_father_and_son_is_explained_as_a_relative() -> None:
    text = evidence_of(person("William", "Smith", date(1955, 3, 15)), person("William", "Smith"))
    assert "a father and son" in text["date_of_birth"]


def test_identifiers_are_described_never_printed() -> None:
    found = candidate(person("A", "Smith", ssn="123456780"), person("A", "Smith", ssn="123456780"))
    assert found is not None
    assert not any("123456780" in e.explanation for e in found.evidence)


def test_swapped_reading_is_named_with_its_cost() -> None:
    text = evidence_of(SMITH, person("Smith", "William"))
    assert text["name_order"].startswith("Names agree best read with given and family names")
    assert text["name_order"].endswith("(-3.0 bits)")


def test_evidence_adds_up_to_the_match_weight() -> None:
    found = candidate(SMITH, person("Smith", "Bill", date(1980, 3, 16), ssn="123456780"))
    assert found is not None
    assert sum(e.weight for e in found.evidence) == pytest.approx(found.match_weight)
    assert found.evidence[0].field == "prior"


def test_missing_fields_are_explained_as_no_evidence() -> None:
    text = evidence_of(SMITH, person("William", "Smith", sex=Sex.UNKNOWN))
    assert text["sex"] == "Sex not stated on the buyer's side; not compared (no evidence)"
    assert text["ssn"].startswith("No Social Security number on either side")


def test_candidates_are_sorted_and_limited() -> None:
    records = {
        "exact": person("William", "Smith"),
        "nickname": person("Bill", "Smith"),
        "twin": person("Mark", "Smith"),
    }
    matcher = matcher_for(records)
    found = matcher.find_candidates(person("William", "Smith"))
    assert [c.record_id for c in found] == ["exact", "nickname", "twin"]
    assert [c.record_id for c in matcher.find_candidates(person("William", "Smith"), limit=1)] == [
        "exact"
    ]
    assert {c.record_id for c in matcher.find_candidates(person("William", "Smith"), 0.5)} == {
        "exact",
        "nickname",
    }


def test_bad_arguments_are_refused() -> None:
    matcher = matcher_for({})
    with pytest.raises(ValueError, match="min_probability"):
        matcher.find_candidates(SMITH, min_probability=1.5)
    with pytest.raises(ValueError, match="limit"):
        matcher.find_candidates(SMITH, limit=-1)


def test_model_version_is_exposed() -> None:
    assert matcher_for({}).model_version == "fs-v5"


def test_matcher_is_built_from_a_model_and_an_index() -> None:
    from transfercheck.matching import IdentityIndex, load_default_model

    index = IdentityIndex()
    index.add("r1", SMITH)
    assert Matcher(load_default_model(), index).find_candidates(SMITH)[0].record_id == "r1"
