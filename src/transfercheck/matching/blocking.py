"""Blocking keys: cheap keys that two records of one person almost surely share.

Only records that share at least one key with the buyer are scored. The keys are chosen
so that an error in any *single* field still leaves a shared key:

    dob_family     date of birth + family-name code   survives an error in the given name
    dob_given      date of birth + given-name code    survives an error in the family name
    name_year      family + given code + birth year   survives an error in month or day
    name_monthday  family + given code + month-day    survives an error in the year
    dob_middle     date of birth + middle-name code   survives errors in given AND family
                                                      name (e.g. a married name and a typo)
    ssn, id_document, fbi_number                      survive errors in names and date

Codes are Soundex (coarse on purpose: Smith/Smyth, Mohammed/Muhammad, Jon/John agree).
A family name gives one code per form (joined, without particles, each compound part);
the buyer's given name also gives the codes of its nickname forms (Bill -> William), and
of its initial, so records that carry only "W." are found too. Records store only their
own codes; the buyer side expands, which keeps the index small.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum

from transfercheck.matching.nickname_table import related_names
from transfercheck.matching.normalise import NormalisedIdentity, NormalisedName
from transfercheck.matching.phonetic import blocking_code
from transfercheck.matching.query import Query


class BlockKind(StrEnum):
    DOB_FAMILY = "dob_family"
    DOB_GIVEN = "dob_given"
    NAME_YEAR = "name_year"
    NAME_MONTHDAY = "name_monthday"
    DOB_MIDDLE = "dob_middle"
    SSN = "ssn"
    ID_DOCUMENT = "id_document"
    FBI_NUMBER = "fbi_number"


def key_kind(key: str) -> BlockKind:
    """The kind of a blocking key (the text before the first '|')."""
    return BlockKind(key.split("|", 1)[0])


def record_keys(identity: NormalisedIdentity) -> frozenset[str]:
    """Every key a stored record is filed under: each of its names, its identifiers."""
    keys: set[str] = set(identifier_keys(identity))
    dob = identity.date_of_birth
    for name in identity.names:
        keys.update(_name_keys(family_codes(name), {_given_code(name)}, dob))
        keys.update(_middle_keys(name, dob))
    return frozenset(keys)


def query_keys(query: Query) -> frozenset[str]:
    """Every key to look up for a buyer: all name readings, both date readings, aliases."""
    keys: set[str] = set(identifier_keys(query.identity))
    for variant in query.names:
        families = family_codes(variant.name)
        givens = expanded_given_codes(variant.name)
        for dob in query.dates_of_birth:
            keys.update(_name_keys(families, givens, dob))
            keys.update(_middle_keys(variant.name, dob))
    return frozenset(keys)


def identifier_keys(identity: NormalisedIdentity) -> Iterator[str]:
    if identity.ssn:
        yield f"{BlockKind.SSN}|{identity.ssn}"
    if identity.id_document:
        yield f"{BlockKind.ID_DOCUMENT}|{identity.id_document}"
    if identity.fbi_number:
        yield f"{BlockKind.FBI_NUMBER}|{identity.fbi_number}"


def family_codes(name: NormalisedName) -> set[str]:
    """One code per form of the family name ("De la Cruz": delacruz and cruz)."""
    return {code for form in name.family_forms if (code := blocking_code(form))}


def expanded_given_codes(name: NormalisedName) -> set[str]:
    """The given name's code, its nickname forms' codes and its initial's code."""
    first = name.first_given
    if not first:
        return set()
    words = {first, first[0], *related_names(first)}
    return {blocking_code(word) for word in words}


def _middle_keys(name: NormalisedName, dob: date) -> Iterator[str]:
    # Initials are too common to block on; a full middle name is nearly as good as a given.
    if len(name.first_middle) > 1:
        yield f"{BlockKind.DOB_MIDDLE}|{dob.isoformat()}|{blocking_code(name.first_middle)}"


def _given_code(name: NormalisedName) -> str:
    return blocking_code(name.first_given)


def _name_keys(families: Iterable[str], givens: Iterable[str], dob: date) -> Iterator[str]:
    families, givens = [f for f in families if f], [g for g in givens if g]
    iso, year, month_day = dob.isoformat(), f"{dob.year:04d}", f"{dob.month:02d}{dob.day:02d}"
    for family in families:
        yield f"{BlockKind.DOB_FAMILY}|{iso}|{family}"
    for given in givens:
        yield f"{BlockKind.DOB_GIVEN}|{iso}|{given}"
    for family in families:
        for given in givens:
            yield f"{BlockKind.NAME_YEAR}|{family}|{given}|{year}"
            yield f"{BlockKind.NAME_MONTHDAY}|{family}|{given}|{month_day}"
