"""Blocking keys: any single-field error still leaves a shared key."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.matching.matching_helpers import DOB, licence, name, person
from transfercheck.domain.identities import Identity, PersonName, Sex
from transfercheck.matching.blocking import (
    BlockKind,
    expanded_given_codes,
    family_codes,
    key_kind,
    query_keys,
    record_keys,
)
from transfercheck.matching.normalise import normalise_identity
from transfercheck.matching.phonetic import blocking_code
from transfercheck.matching.query import Orientation, build_query, dates_of_birth

PHONETIC = [
    ("mohammed_muhammad", "Mohammed", "Muhammad"),
    ("nguyen_with_and_without_accent", "Nguyễn", "Nguyen"),
    ("smith_smyth", "Smith", "Smyth"),
    ("jon_john", "Jon", "John"),
]


@pytest.mark.parametrize(("a", "b"), [p[1:] for p in PHONETIC], ids=[p[0] for p in PHONETIC])
def test_spelling_variants_share_a_blocking_code(a: str, b: str) -> None:
    assert family_codes(name("X", a)) == family_codes(name("X", b))


def test_every_form_of_a_family_name_gets_a_code() -> None:
    assert family_codes(name("X", "De la Cruz")) == {blocking_code("delacruz"), "C620"}


def test_buyer_given_name_expands_to_nicknames_and_initial() -> None:
    codes = expanded_given_codes(name("Bill", "Smith"))
    assert {blocking_code("bill"), blocking_code("william"), blocking_code("b")} <= codes


def shared_kinds(buyer: Identity, record: Identity) -> set[BlockKind]:
    shared = query_keys(build_query(buyer)) & record_keys(normalise_identity(record))
    return {key_kind(key) for key in shared}


RECORD = person("William", "Smith", DOB, middle="James", ssn="123-45-6780")

SINGLE_ERRORS = [
    # (policy, buyer, a kind the pair must still share)
    ("given_name_typo_keeps_dob_family", person("Wiliam", "Smith"), BlockKind.DOB_FAMILY),
    ("given_first_letter_typo_keeps_dob_family", person("Qilliam", "Smith"), BlockKind.DOB_FAMILY),
    ("nickname_keeps_dob_given", person("Bill", "Smyht"), BlockKind.DOB_GIVEN),
    ("family_name_typo_keeps_dob_given", person("William", "Xmith"), BlockKind.DOB_GIVEN),
    ("married_name_keeps_dob_given", person("William", "Jones"), BlockKind.DOB_GIVEN),
    ("day_typo_keeps_name_year", person("William", "Smith", date(1980, 3, 16)),
     BlockKind.NAME_YEAR),
    ("month_typo_keeps_name_year", person("William", "Smith", date(1980, 8, 15)),
     BlockKind.NAME_YEAR),
    ("year_typo_keeps_name_monthday", person("William", "Smith", date(1908, 3, 15)),
     BlockKind.NAME_MONTHDAY),
    ("two_name_errors_keep_dob_middle", person("Xilliam", "Xmith", middle="James"),
     BlockKind.DOB_MIDDLE),
    ("all_names_and_date_wrong_keep_ssn", person("Bob", "Jones", date(1999, 1, 1),
                                                 ssn="123456780"), BlockKind.SSN),
    ("swapped_name_order_keeps_dob_family", person("Smith", "William"), BlockKind.DOB_FAMILY),
]  # fmt: skip


@pytest.mark.parametrize(
    ("buyer", "kind"), [s[1:] for s in SINGLE_ERRORS], ids=[s[0] for s in SINGLE_ERRORS]
)
def test_a_single_field_error_still_shares_a_key(buyer: Identity, kind: BlockKind) -> None:
    assert kind in shared_kinds(buyer, RECORD)


def test_day_month_swapped_date_is_looked_up() -> None:
    assert dates_of_birth(date(1980, 5, 3)) == (date(1980, 5, 3), date(1980, 3, 5))
    buyer, record = (
        person("Wiliam", "Smith", date(1980, 5, 3)),
        person("William", "Smith", date(1980, 3, 5)),
    )
    assert BlockKind.DOB_FAMILY in shared_kinds(buyer, record)


def test_same_day_and_month_has_one_reading() -> None:
    assert dates_of_birth(date(1980, 3, 3)) == (date(1980, 3, 3),)


def test_day_above_twelve_has_no_swapped_reading() -> None:
    assert dates_of_birth(date(1980, 3, 15)) == (date(1980, 3, 15),)


def test_given_and_middle_swap_is_looked_up() -> None:
    buyer = person("James", "Smith", middle="William")
    assert BlockKind.DOB_GIVEN in shared_kinds(buyer, person("William", "Smith", date(1980, 3, 15)))


def test_every_record_alias_is_filed() -> None:
    record = person("William", "Smith", aliases=(PersonName("Vasily", "Kuznetsov"),))
    assert BlockKind.DOB_FAMILY in shared_kinds(person("Vasily", "Kuznetsov"), record)


def test_every_buyer_alias_is_looked_up() -> None:
    buyer = person("Bob", "Jones", aliases=(PersonName("William", "Smith"),))
    assert BlockKind.DOB_FAMILY in shared_kinds(buyer, RECORD)


def test_query_readings() -> None:
    query = build_query(person("John", "Smith", middle="Paul"))
    assert [v.orientation for v in query.names] == list(Orientation)


def test_identifier_keys() -> None:
    record = normalise_identity(
        person("A", "B", ssn="123456780", id_document=licence("D1"), fbi_number="F1")
    )
    kinds = {key_kind(k) for k in record_keys(record)}
    assert {BlockKind.SSN, BlockKind.ID_DOCUMENT, BlockKind.FBI_NUMBER} <= kinds


def test_garbage_name_gives_no_name_keys() -> None:
    record = normalise_identity(Identity(PersonName("😀", "🙂"), DOB, Sex.UNKNOWN))
    assert {key_kind(k) for k in record_keys(record)} == {BlockKind.DOB_SEX}


def test_every_name_wrong_keeps_date_and_sex() -> None:
    buyer = person("Qilliam", "Xmyth", sex=Sex.MALE)
    assert shared_kinds(buyer, RECORD) == {BlockKind.DOB_SEX}


def test_a_buyer_of_unstated_sex_looks_up_every_sex() -> None:
    buyer = person("Qilliam", "Xmyth", sex=Sex.UNKNOWN)
    assert BlockKind.DOB_SEX in shared_kinds(buyer, RECORD)
    assert BlockKind.DOB_SEX in shared_kinds(person("Q", "X"), person("A", "B", sex=Sex.UNKNOWN))
