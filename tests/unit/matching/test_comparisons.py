"""Comparison levels: every level of every field, each row named after its policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.unit.matching.matching_helpers import licence, name, person
from transfercheck.domain.identities import IdDocument, IdDocumentType, Sex
from transfercheck.matching.comparisons import (
    COMPARISONS,
    NAME_FIELD_COUNT,
    NO_EVIDENCE,
    PLACE_OF_BIRTH,
    DobLevel,
    DocumentLevel,
    FamilyLevel,
    FbiLevel,
    GivenLevel,
    MiddleLevel,
    PlaceLevel,
    SexLevel,
    SsnLevel,
    SuffixLevel,
    compare_dob,
    compare_document,
    compare_exact,
    compare_family,
    compare_given,
    compare_middle,
    compare_sex,
    compare_ssn,
    compare_suffix,
    family_words_level,
    given_name_given_sex,
    given_word_level,
    one_edit_neighbours,
)
from transfercheck.matching.comparisons import compare_identities as compare_identities_of
from transfercheck.matching.comparisons import compare_names as compare_names_of
from transfercheck.matching.normalise import normalise_identity

GIVEN = [
    ("same_name_is_exact", "William", "william", GivenLevel.EXACT),
    ("accents_do_not_matter", "José", "Jose", GivenLevel.EXACT),
    ("double_given_name_spaced_or_not_is_exact", "Mary Ann", "Maryann", GivenLevel.EXACT),
    ("first_given_name_agreeing_is_exact", "Mary Ann", "Mary", GivenLevel.EXACT),
    ("bill_is_a_nickname_of_william", "Bill", "William", GivenLevel.NICKNAME),
    ("peggy_is_a_nickname_of_margaret", "Peggy", "Margaret", GivenLevel.NICKNAME),
    ("one_letter_dropped_is_a_typo", "Wiliam", "William", GivenLevel.TYPO),
    ("jon_is_a_nickname_of_john", "Jon", "John", GivenLevel.NICKNAME),
    ("close_by_jaro_winkler_is_a_typo", "Micheal", "Michael", GivenLevel.TYPO),
    ("transposition_in_a_short_name_is_a_typo", "Ina", "Ian", GivenLevel.TYPO),
    ("one_substitution_in_a_long_name_is_a_typo", "Katherine", "Katharine", GivenLevel.TYPO),
    ("transliteration_is_similar", "Mohammed", "Muhammad", GivenLevel.SIMILAR),
    ("same_sound_is_similar", "Steven", "Stephen", GivenLevel.SIMILAR),
    ("short_names_one_letter_apart_are_only_similar", "Tom", "Tim", GivenLevel.SIMILAR),
    ("rhyming_names_are_only_similar", "Jason", "Mason", GivenLevel.SIMILAR),
    ("agreeing_initial", "W", "William", GivenLevel.INITIAL),
    ("agreeing_initial_with_a_dot", "W.", "William", GivenLevel.INITIAL),
    ("disagreeing_initial", "J", "William", GivenLevel.DISAGREE),
    ("different_names_disagree", "Mark", "Michael", GivenLevel.DISAGREE),
    ("robert_is_not_william", "Robert", "William", GivenLevel.DISAGREE),
    ("short_names_one_letter_apart_otherwise", "Kim", "Oim", GivenLevel.ONE_EDIT),
    ("first_letter_differs_in_a_long_name", "Bernard", "Gernard", GivenLevel.SIMILAR),
    ("two_letters_apart_disagree", "Kim", "Ois", GivenLevel.DISAGREE),
    ("garbage_is_no_evidence", "😀", "William", NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [g[1:] for g in GIVEN], ids=[g[0] for g in GIVEN])
def test_given_name(a: str, b: str, level: int) -> None:
    assert compare_given(name(a, "Smith"), name(b, "Smith")) == level
    assert compare_given(name(b, "Smith"), name(a, "Smith")) == level  # symmetric


MIDDLE = [
    ("same_middle_name_is_exact", "James", "James", MiddleLevel.EXACT),
    ("initial_against_full_name", "J", "James", MiddleLevel.INITIAL),
    ("same_first_letter_is_initial_agreement", "Ann", "Anne", MiddleLevel.INITIAL),
    ("different_middle_names_disagree", "James", "Robert", MiddleLevel.DISAGREE),
    ("missing_on_one_side_is_no_evidence", None, "James", NO_EVIDENCE),
    ("missing_on_both_sides_is_no_evidence", None, None, NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [m[1:] for m in MIDDLE], ids=[m[0] for m in MIDDLE])
def test_middle_name(a: str | None, b: str | None, level: int) -> None:
    assert compare_middle(name("John", "Smith", a), name("John", "Smith", b)) == level


def test_second_given_name_stands_in_for_a_middle_name() -> None:
    assert compare_middle(name("Mary Ann", "Smith"), name("Mary", "Smith", "Ann")) == 0


FAMILY = [
    ("same_name_is_exact", "Smith", "SMITH", FamilyLevel.EXACT),
    ("accents_do_not_matter", "Nguyễn", "Nguyen", FamilyLevel.EXACT),
    ("spacing_of_particles_does_not_matter", "De la Cruz", "Delacruz", FamilyLevel.EXACT),
    ("hyphenated_article_is_exact", "Al-Hassan", "Alhassan", FamilyLevel.EXACT),
    ("apostrophe_does_not_matter", "O'Brien", "OBrien", FamilyLevel.EXACT),
    ("suffix_does_not_matter", "Smith Jr", "Smith", FamilyLevel.EXACT),
    ("dropped_particle_is_compound", "De la Cruz", "Cruz", FamilyLevel.COMPOUND),
    ("dropped_glued_article_is_compound", "Alhassan", "Hassan", FamilyLevel.COMPOUND),
    ("one_part_of_a_compound_is_compound", "Garcia Lopez", "Garcia", FamilyLevel.COMPOUND),
    ("hyphenated_compound_part_is_compound", "Garcia-Lopez", "Lopez", FamilyLevel.COMPOUND),
    ("reordered_compound_is_compound", "Garcia Lopez", "Lopez Garcia", FamilyLevel.COMPOUND),
    ("one_substitution_is_a_typo", "Smith", "Smyth", FamilyLevel.TYPO),
    ("transposition_in_a_short_name_is_a_typo", "Cai", "Aci", FamilyLevel.TYPO),
    ("dropped_letter_is_a_typo", "Thompson", "Thomson", FamilyLevel.TYPO),
    ("sound_alike_is_similar", "Philips", "Fillips", FamilyLevel.SIMILAR),
    ("different_names_disagree", "Smith", "Jones", FamilyLevel.DISAGREE),
    ("first_letter_of_a_short_name", "Tan", "Gan", FamilyLevel.ONE_EDIT),
    ("one_letter_apart_in_a_compound_part", "Garcia Tan", "Gan", FamilyLevel.ONE_EDIT),
    ("short_names_two_letters_apart_disagree", "Tan", "Gao", FamilyLevel.DISAGREE),
    ("garbage_is_no_evidence", "🙂", "Smith", NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [f[1:] for f in FAMILY], ids=[f[0] for f in FAMILY])
def test_family_name(a: str, b: str, level: int) -> None:
    assert compare_family(name("John", a), name("John", b)) == level
    assert compare_family(name("John", b), name("John", a)) == level


SUFFIX = [
    ("same_suffix_agrees", "Smith Jr", "Smith Jr.", SuffixLevel.AGREE),
    ("junior_spelled_out_agrees", "Smith Junior", "Smith Jr", SuffixLevel.AGREE),
    ("junior_against_senior_disagrees", "Smith Jr", "Smith Sr", SuffixLevel.DISAGREE),
    ("missing_suffix_is_no_evidence", "Smith", "Smith Jr", NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [s[1:] for s in SUFFIX], ids=[s[0] for s in SUFFIX])
def test_suffix(a: str, b: str, level: int) -> None:
    assert compare_suffix(name("John", a), name("John", b)) == level


DOB = [
    ("same_date_is_exact", date(1980, 3, 5), date(1980, 3, 5), DobLevel.EXACT),
    ("day_and_month_swapped", date(1980, 3, 5), date(1980, 5, 3), DobLevel.DAY_MONTH_SWAPPED),
    ("one_day_digit_wrong_is_a_typo", date(1980, 3, 5), date(1980, 3, 25), DobLevel.TYPO),
    ("day_digits_swapped_is_a_typo", date(1980, 3, 12), date(1980, 3, 21), DobLevel.TYPO),
    ("one_month_digit_wrong_is_a_typo", date(1980, 3, 5), date(1980, 8, 5), DobLevel.TYPO),
    ("year_off_by_one_is_a_typo", date(1980, 3, 5), date(1979, 3, 5), DobLevel.TYPO),
    ("year_digits_swapped_is_a_typo", date(1985, 3, 5), date(1958, 3, 5), DobLevel.TYPO),
    ("one_year_digit_wrong_is_a_typo", date(1985, 3, 5), date(1995, 3, 5), DobLevel.TYPO),
    ("two_parts_wrong_disagree", date(1980, 3, 5), date(1980, 4, 6), DobLevel.DISAGREE),
    ("father_and_son_disagree", date(1980, 3, 5), date(1955, 9, 21), DobLevel.DISAGREE),
    ("year_two_digits_off_disagrees", date(1980, 3, 5), date(1955, 3, 5), DobLevel.DISAGREE),
]


@pytest.mark.parametrize(("a", "b", "level"), [d[1:] for d in DOB], ids=[d[0] for d in DOB])
def test_date_of_birth(a: date, b: date, level: int) -> None:
    assert compare_dob(a, b) == level
    assert compare_dob(b, a) == level


SEX = [
    ("same_sex_agrees", Sex.FEMALE, Sex.FEMALE, SexLevel.AGREE),
    ("different_sex_disagrees", Sex.FEMALE, Sex.MALE, SexLevel.DISAGREE),
    ("unknown_is_no_evidence", Sex.UNKNOWN, Sex.MALE, NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [s[1:] for s in SEX], ids=[s[0] for s in SEX])
def test_sex(a: Sex, b: Sex, level: int) -> None:
    assert compare_sex(a, b) == level


SSN = [
    ("same_number_is_exact", "123456780", "123456780", SsnLevel.EXACT),
    ("one_digit_wrong_is_a_typo", "123456780", "123456789", SsnLevel.TYPO),
    ("adjacent_digits_swapped_is_a_typo", "123456780", "213456780", SsnLevel.TYPO),
    ("two_digits_wrong_disagree", "123456780", "123456711", SsnLevel.DISAGREE),
    ("missing_is_no_evidence", None, "123456780", NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [s[1:] for s in SSN], ids=[s[0] for s in SSN])
def test_ssn(a: str | None, b: str | None, level: int) -> None:
    assert compare_ssn(a, b) == level


TX_DL = licence("D123")
DOCUMENTS = [
    ("same_issuer_and_number_is_exact", TX_DL, licence("d-123"), DocumentLevel.EXACT),
    ("state_id_and_licence_share_numbers", TX_DL,
     IdDocument(IdDocumentType.STATE_ID, "D123", "TX"), DocumentLevel.EXACT),
    ("same_issuer_other_number_disagrees", TX_DL, licence("D999"), DocumentLevel.DISAGREE),
    ("other_issuer_is_no_evidence", TX_DL, licence("D999", "CA"), NO_EVIDENCE),
    ("passport_against_licence_is_no_evidence", TX_DL,
     IdDocument(IdDocumentType.PASSPORT, "D123", "TX"), NO_EVIDENCE),
    ("missing_is_no_evidence", TX_DL, None, NO_EVIDENCE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "level"), [d[1:] for d in DOCUMENTS], ids=[d[0] for d in DOCUMENTS]
)
def test_id_document(a: IdDocument | None, b: IdDocument | None, level: int) -> None:
    buyer = normalise_identity(person("A", "B", id_document=a))
    record = normalise_identity(person("A", "B", id_document=b))
    assert compare_document(buyer, record) == level


FBI = [
    ("same_number_is_exact", "F1", "F1", FbiLevel.EXACT),
    ("different_numbers_disagree", "F1", "F2", FbiLevel.DISAGREE),
    ("missing_is_no_evidence", None, "F1", NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [f[1:] for f in FBI], ids=[f[0] for f in FBI])
def test_fbi_number(a: str | None, b: str | None, level: int) -> None:
    assert compare_exact(a, b) == level


PLACES = [
    ("same_state_written_two_ways", "Houston, TX", "Texas", PlaceLevel.EXACT),
    ("one_country_two_spellings", "Vietnam", "Viet-Nam", PlaceLevel.EXACT),
    ("a_country_and_its_code", "VNM", "Viet Nam", PlaceLevel.EXACT),
    ("two_countries_disagree", "China", "Taiwan", PlaceLevel.DISAGREE),
    ("two_states_disagree", "TX", "OK", PlaceLevel.DISAGREE),
    ("a_state_and_a_country_disagree", "CA", "Mexico", PlaceLevel.DISAGREE),
    ("only_the_country_is_no_evidence", "USA", "TX", NO_EVIDENCE),
    ("missing_is_no_evidence", None, "TX", NO_EVIDENCE),
]


@pytest.mark.parametrize(("a", "b", "level"), [c[1:] for c in PLACES], ids=[c[0] for c in PLACES])
def test_place_of_birth(a: str | None, b: str | None, level: int) -> None:
    buyer = normalise_identity(replace(person("A", "B"), place_of_birth=a))
    record = normalise_identity(replace(person("A", "B"), place_of_birth=b))
    assert compare_identities_of(buyer, record)[PLACE_OF_BIRTH - NAME_FIELD_COUNT] == level


def test_only_ssn_document_and_fbi_number_are_unique_identifiers() -> None:
    unique = {c.field for c in COMPARISONS if c.unique_identifier}
    assert unique == {"ssn", "id_document", "fbi_number"}


def test_every_field_ends_with_a_disagreement_level() -> None:
    # Later levels split a former disagreement: women marry, short names one letter apart.
    for comparison in COMPARISONS:
        if comparison.field == "family_name":
            assert comparison.labels[-3:] == ("disagree", "married_name", "one_edit")
        elif comparison.field == "given_name":
            assert comparison.labels[-2:] == ("disagree", "one_edit")
        else:
            assert comparison.labels[-1] == "disagree"


def test_a_womans_differing_family_name_is_a_married_name() -> None:
    buyer, record = name("Maria", "Jones"), name("Maria", "Garcia")
    women = normalise_identity(person("Maria", "Garcia", sex=Sex.FEMALE))
    rest = compare_identities_of(women, women)
    names = compare_names_of(buyer, record)
    assert given_name_given_sex(names, rest, Sex.FEMALE)[2] == FamilyLevel.MARRIED_NAME
    assert given_name_given_sex(names, rest, Sex.MALE)[2] == FamilyLevel.DISAGREE


def test_gamma_positions_follow_the_field_order() -> None:
    from transfercheck.matching import comparisons as c

    positions = [c.GIVEN_NAME, c.MIDDLE_NAME, c.FAMILY_NAME, c.SUFFIX, c.DATE_OF_BIRTH, c.SEX,
                 c.SSN, c.ID_DOCUMENT, c.FBI_NUMBER, c.PLACE_OF_BIRTH]  # fmt: skip
    assert [c.FIELDS[i] for i in positions] == list(c.FIELDS)
    assert c.FIELDS[: c.NAME_FIELD_COUNT] == ("given_name", "middle_name", "family_name", "suffix")


@pytest.mark.parametrize("given", [GivenLevel.TYPO, GivenLevel.SIMILAR, GivenLevel.ONE_EDIT])
def test_near_identical_names_of_two_sexes_are_different_names(given: int) -> None:
    names = (given, NO_EVIDENCE, FamilyLevel.EXACT, NO_EVIDENCE)
    other_sex = (DobLevel.EXACT, SexLevel.DISAGREE, NO_EVIDENCE, NO_EVIDENCE, NO_EVIDENCE)
    same_sex = (DobLevel.EXACT, SexLevel.AGREE, NO_EVIDENCE, NO_EVIDENCE, NO_EVIDENCE)
    assert given_name_given_sex(names, other_sex)[0] == GivenLevel.DISAGREE
    assert given_name_given_sex(names, same_sex) == names


ONE_EDIT_NEIGHBOURS = [
    # (case, text, family, a neighbour, not a neighbour)
    ("family_first_letter", "tan", True, "gan", "tang"),  # tang: a typo, not one_edit
    ("family_dropped_letter", "tan", True, "an", "tan"),  # never the name itself
    ("given_first_letter", "lei", False, "wei", "lee"),  # lee: a typo by Jaro-Winkler
    ("long_names_have_none", "smith", True, None, "amith"),  # amith: similar
]


@pytest.mark.parametrize(
    ("text", "family", "neighbour", "other"),
    [c[1:] for c in ONE_EDIT_NEIGHBOURS],
    ids=[c[0] for c in ONE_EDIT_NEIGHBOURS],
)
def test_one_edit_neighbours_are_the_names_the_rules_rate_one_edit(
    text: str, family: bool, neighbour: str | None, other: str
) -> None:
    found = one_edit_neighbours(text, family)
    if neighbour is None:
        assert found == ()
    else:
        assert neighbour in found
    assert other not in found
    level = FamilyLevel.ONE_EDIT if family else GivenLevel.ONE_EDIT
    rate = family_words_level if family else given_word_level
    assert all(rate(text, n) == level for n in found)
