"""Name text and identity normalisation: each row is a policy, named after it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.matching.matching_helpers import licence, name, person
from transfercheck.domain.identities import IdDocument, IdDocumentType, PersonName, Sex
from transfercheck.matching.nickname_table import are_nicknames, related_names
from transfercheck.matching.normalise import (
    normalise_document,
    normalise_identity,
    normalise_name,
    normalise_place,
    normalise_ssn,
    swap_given_family,
    swap_given_middle,
)
from transfercheck.matching.text import name_words

WORDS = [
    ("accents_are_stripped", "Nguyễn", ("nguyen",)),
    ("case_is_folded", "McDONALD", ("mcdonald",)),
    ("apostrophes_join_words", "O'Brien", ("obrien",)),
    ("typographic_apostrophes_join_words", "D’Angelo", ("dangelo",)),
    ("hyphens_break_words", "Garcia-Lopez", ("garcia", "lopez")),
    ("dots_and_commas_break_words", "Smith,Jr.", ("smith", "jr")),
    ("spaces_collapse", "  De   la\tCruz ", ("de", "la", "cruz")),
    ("fullwidth_letters_fold_to_ascii", "Ｊｏｈｎ", ("john",)),
    ("ligatures_expand", "ﬁnn", ("finn",)),
    ("sharp_s_expands", "Straße", ("strasse",)),
    ("letters_without_decomposition_are_mapped", "Łukasz Ødegård", ("lukasz", "odegard")),
    ("dotted_capital_i_is_plain_i", "İsmail", ("ismail",)),
    ("zero_width_joiner_is_ignored", "Jo\u200dhn", ("john",)),
    ("direction_marks_are_ignored", "\u202eAnna\u202c", ("anna",)),
    ("byte_order_mark_is_ignored", "\ufeffAnna", ("anna",)),
    ("cyrillic_word_is_transliterated", "Иванов", ("ivanov",)),
    ("cyrillic_lookalikes_in_a_latin_word_read_as_latin", "Ѕmіth", ("smith",)),
    ("greek_lookalikes_in_a_latin_word_read_as_latin", "Jοhn", ("john",)),
    ("emoji_give_nothing", "😀 👨\u200d👩\u200d👧", ()),
    ("unsupported_script_gives_nothing", "王小明", ()),
    ("arabic_script_gives_nothing", "محمد", ()),
    ("lone_surrogate_is_dropped", "\ud800Anna", ("anna",)),
    ("none_gives_nothing", None, ()),
    ("empty_gives_nothing", "", ()),
]


@pytest.mark.parametrize(("raw", "expected"), [w[1:] for w in WORDS], ids=[w[0] for w in WORDS])
def test_name_words(raw: str | None, expected: tuple[str, ...]) -> None:
    assert name_words(raw) == expected


def test_very_long_input_is_bounded() -> None:
    words = name_words("x" * 10_000)
    assert words == ("x" * 256,)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_lowercase_ascii_words_and_never_raises(raw: str) -> None:
    for word in name_words(raw):
        assert word.isascii()
        assert word.isalnum()
        assert word == word.lower()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60), st.one_of(st.none(), st.text(max_size=60)))
def test_any_name_normalises_without_raising(given_: str, family: str, middle: str | None) -> None:
    normalised = normalise_name(PersonName(given_, family, middle))
    assert all(w.isalpha() and w.isascii() for w in normalised.given + normalised.family)
    assert len(normalised.shown.given) <= 40


NAMES = [
    # (policy, given, family, middle, given tokens, family tokens, suffix)
    ("suffix_in_family_is_separated", "John", "Smith Jr.", None, ("john",), ("smith",), "jr"),
    ("suffix_in_given_is_separated", "John Jr", "Smith", None, ("john",), ("smith",), "jr"),
    ("roman_suffix_is_separated", "John", "Smith III", None, ("john",), ("smith",), "iii"),
    ("ordinal_suffix_is_separated", "John", "Smith 2nd", None, ("john",), ("smith",), "ii"),
    ("suffix_alone_in_middle_is_a_suffix", "John", "Smith", "Sr", ("john",), ("smith",), "sr"),
    ("lone_junior_given_name_is_kept", "Junior", "Silva", None, ("junior",), ("silva",), ""),
    ("lone_senior_family_name_is_kept", "Ann", "Senior", None, ("ann",), ("senior",), ""),
    ("digits_are_dropped", "J0hn", "Smith", None, ("jhn",), ("smith",), ""),
    ("compound_surname_keeps_both_parts", "Maria", "Garcia Lopez", None, ("maria",),
     ("garcia", "lopez"), ""),
    ("garbage_gives_empty_tokens", "😀", "🙂", None, (), (), ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("given_", "family", "middle", "given_words", "family_words", "suffix"),
    [n[1:] for n in NAMES],
    ids=[n[0] for n in NAMES],
)
def test_normalise_name(
    given_: str,
    family: str,
    middle: str | None,
    given_words: tuple[str, ...],
    family_words: tuple[str, ...],
    suffix: str,
) -> None:
    normalised = name(given_, family, middle)
    assert (normalised.given, normalised.family, normalised.suffix) == (
        given_words,
        family_words,
        suffix,
    )


FAMILY_FORMS = [
    ("particles_are_dropped_from_the_core", "De la Cruz", {"delacruz", "cruz"}),
    ("glued_particle_is_recognised", "Delacruz", {"delacruz", "cruz"}),
    ("hyphenated_arabic_article", "Al-Hassan", {"alhassan", "hassan"}),
    ("glued_arabic_article", "Alhassan", {"alhassan", "hassan"}),
    ("dutch_particles", "van der Berg", {"vanderberg", "berg"}),
    ("compound_keeps_every_part", "Garcia-Lopez", {"garcialopez", "garcia", "lopez"}),
    ("spanish_y_is_a_particle", "Garcia y Lopez", {"garciaylopez", "garcialopez", "garcia",
                                                    "lopez"}),
    ("a_lone_particle_is_the_name", "Van", {"van"}),
    ("short_remainder_is_not_unglued", "Dean", {"dean"}),
    ("longest_glued_particle_first", "Vanderberg", {"vanderberg", "berg"}),
    # "vander" would leave too little: the next particle that leaves enough is taken.
    ("a_shorter_particle_when_the_longer_leaves_too_little", "Vanderbos", {"vanderbos",
                                                                           "derbos"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("family", "forms"), [f[1:] for f in FAMILY_FORMS], ids=[f[0] for f in FAMILY_FORMS]
)
def test_family_forms(family: str, forms: set[str]) -> None:
    assert name("X", family).family_forms == forms


NICKNAMES = [
    ("bill_is_william", "bill", "william", True),
    ("william_is_bill", "william", "bill", True),
    ("peggy_is_margaret", "peggy", "margaret", True),
    ("jon_is_john", "jon", "john", True),
    ("bill_and_will_are_linked_directly", "bill", "will", True),
    ("robert_and_william_are_not_linked_through_bill", "robert", "william", False),
    ("mark_and_michael_are_different", "mark", "michael", False),
    ("a_name_is_not_its_own_nickname", "john", "john", False),
    ("unknown_names_have_no_nicknames", "zzyzx", "john", False),
]


@pytest.mark.parametrize(
    ("a", "b", "linked"), [n[1:] for n in NICKNAMES], ids=[n[0] for n in NICKNAMES]
)
def test_nicknames(a: str, b: str, linked: bool) -> None:
    assert are_nicknames(a, b) is linked


def test_nickname_table_is_built_once() -> None:
    assert related_names("bill") is related_names("bill")


def test_swap_given_middle_uses_the_middle_name() -> None:
    swapped = swap_given_middle(name("John", "Smith", "Paul"))
    assert swapped is not None
    assert (swapped.given, swapped.middle, swapped.shown.given) == (("paul",), ("john",), "Paul")


def test_swap_given_middle_uses_a_second_given_name() -> None:
    swapped = swap_given_middle(name("John Paul", "Smith"))
    assert swapped is not None
    assert (swapped.given, swapped.middle, swapped.shown.middle) == (("paul",), ("john",), "John")


def test_swap_given_middle_needs_two_names() -> None:
    assert swap_given_middle(name("John", "Smith")) is None


def test_swap_given_family_recomputes_particles() -> None:
    swapped = swap_given_family(name("De la Cruz", "Maria"))
    assert swapped is not None
    assert swapped.given == ("maria",)
    assert swapped.family_core == ("cruz",)


SSNS = [
    ("dashes_and_spaces_are_removed", "123-45-6780", "123456780"),
    ("fullwidth_digits_are_read", "１２３４５６７８０", "123456780"),
    ("never_issued_900_area_is_kept_for_synthetic_data", "900-12-3456", "900123456"),
    ("too_short_is_missing", "12345678", None),
    ("area_000_is_missing", "000-12-3456", None),
    ("area_666_is_missing", "666-12-3456", None),
    ("group_00_is_missing", "123-00-4567", None),
    ("serial_0000_is_missing", "123-45-0000", None),
    ("one_repeated_digit_is_a_placeholder", "111-11-1111", None),
    ("sequential_placeholder_is_missing", "123-45-6789", None),
    ("woolworth_wallet_card_is_missing", "078-05-1120", None),
    ("none_is_missing", None, None),
]


@pytest.mark.parametrize(("raw", "expected"), [s[1:] for s in SSNS], ids=[s[0] for s in SSNS])
def test_normalise_ssn(raw: str | None, expected: str | None) -> None:
    assert normalise_ssn(raw) == expected


PLACES = [
    ("state_code", "TX", "TX"),
    ("state_code_in_lower_case", " tx ", "TX"),
    ("state_by_name", "California", "CA"),
    ("city_and_state_code", "Los Angeles, CA", "CA"),
    ("city_state_and_country", "Dallas, Texas, USA", "TX"),
    ("name_of_several_words", "new  york", "NY"),
    ("territory_with_punctuation", "U.S. Virgin Islands", "VI"),
    ("district", "Washington, District of Columbia", "DC"),
    ("country", "Mexico", "MEX"),
    ("country_by_its_official_name", "Viet Nam", "VNM"),
    ("country_with_hyphen_and_capitals", "HONG-KONG", "HKG"),
    ("country_with_accents", "Perú", "PER"),
    ("country_by_its_code", "chn", "CHN"),
    ("city_and_country", "Ho Chi Minh City, Vietnam", "VNM"),
    ("unknown_place_is_kept_as_words", "Atlantis ", "atlantis"),
    ("no_fuzzy_guess_between_two_countries", "Korea", "korea"),
    ("only_the_country_is_no_answer", "U.S.A.", None),
    ("united_states_is_no_answer", "United States of America", None),
    ("punctuation_only_is_missing", " , ", None),
    ("empty_is_missing", "", None),
    ("none_is_missing", None, None),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in PLACES], ids=[c[0] for c in PLACES])
def test_normalise_place(raw: str | None, expected: str | None) -> None:
    assert normalise_place(raw) == expected


def test_driving_licence_and_state_id_share_a_number_space() -> None:
    dl = normalise_document(licence("a-123 456"))
    state_id = normalise_document(IdDocument(IdDocumentType.STATE_ID, "A123456", "tx"))
    assert dl == state_id
    assert str(dl) == "state:TX:A123456"


def test_document_without_number_is_missing() -> None:
    assert normalise_document(licence("--")) is None


def test_identity_normalises_names_aliases_and_identifiers() -> None:
    identity = person(
        "William",
        "Smith",
        aliases=(PersonName("Bill", "Smith"), PersonName("William", "Smith")),
        ssn="123-45-6780",
        fbi_number=" 12-ab ",
    )
    identity = replace(identity, place_of_birth="Austin, Texas")
    normalised = normalise_identity(identity)
    assert [n.given for n in normalised.names] == [("william",), ("bill",)]  # duplicate dropped
    assert normalised.ssn == "123456780"
    assert normalised.fbi_number == "12AB"
    assert normalised.place_of_birth == "TX"
    assert (normalised.date_of_birth, normalised.sex) == (date(1980, 3, 15), Sex.MALE)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_fast_path_agrees_with_the_unicode_path(raw: str) -> None:
    # A trailing " é" forces the full unicode path and adds the word "e".
    assert name_words(raw + " é") == (*name_words(raw), "e")
