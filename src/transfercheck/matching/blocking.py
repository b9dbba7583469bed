"""Blocking keys: cheap keys that two records of one person almost surely share.

Only records that share at least one key with the buyer are scored. The keys are chosen
so that an error in any *single* field still leaves a shared key:

    dob_family     date of birth + family-name code   survives an error in the given name
    dob_given      date of birth + given-name code    survives an error in the family name
    name_year      family + given code + birth year   survives an error in month or day
    name_monthday  family + given code + month-day    survives an error in the year
    dob_middle     date of birth + middle-name code   survives errors in given AND family
                                                      name (e.g. a married name and a typo)
    dob_sex        date of birth + sex                survives errors in every name (two typos,
                                                      a married name and a typo)
    ssn, id_document, fbi_number                      survive errors in names and date

Keys are 64-bit integers, not strings: the kind in the top four bits, then the parts packed
in fixed bit fields (a date as its ordinal, a Soundex code as letter * 1000 + digits, an SSN
as its number). They are exact, need no hashing, sort as NumPy uint64 and cost 8 bytes.
ID document and FBI numbers are free text: they are packed as a 56-bit BLAKE2b digest, so
the index never holds them in clear (a chance collision only adds a candidate to score).

Codes are Soundex (coarse on purpose: Smith/Smyth, Mohammed/Muhammad, Jon/John agree).
A family name gives one code per form (joined, without particles, each compound part);
the buyer's given name also gives the codes of its nickname forms (Bill -> William), and
of its initial, so records that carry only "W." are found too. Records store only their
own codes; the buyer side expands, which keeps the index small.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from enum import IntEnum
from functools import lru_cache

from transfercheck.domain.identities import Sex
from transfercheck.matching.nickname_table import related_names
from transfercheck.matching.normalise import (
    DocumentKey,
    NormalisedIdentity,
    NormalisedName,
    family_forms,
)
from transfercheck.matching.phonetic import blocking_code
from transfercheck.matching.query import Query

_KIND_SHIFT = 60
_CODE_BITS = 15  # a Soundex code as a number is below 26 * 1000 < 2^15
_DATE_SHIFT = 20  # a date ordinal (below 2^20) sits above a code
_DIGEST_MASK = (1 << 56) - 1
_SEX_CODES = {Sex.UNKNOWN: 0, Sex.MALE: 1, Sex.FEMALE: 2}
DIGEST_MARK = "#"


class BlockKind(IntEnum):
    DOB_FAMILY = 1
    DOB_GIVEN = 2
    NAME_YEAR = 3
    NAME_MONTHDAY = 4
    DOB_MIDDLE = 5
    SSN = 6
    ID_DOCUMENT = 7
    FBI_NUMBER = 8
    DOB_SEX = 9


_KINDS = {kind: int(kind) << _KIND_SHIFT for kind in BlockKind}


def key_kind(key: int) -> BlockKind:
    """The kind of a blocking key (its top four bits)."""
    return BlockKind(int(key) >> _KIND_SHIFT)


def describe_key(key: int) -> str:
    """A readable form of a key for reports ("dob_family|1900-01-01|D000")."""
    kind, rest = key_kind(key), int(key) & ((1 << _KIND_SHIFT) - 1)
    low, code_mask = rest & ((1 << _CODE_BITS) - 1), (1 << _CODE_BITS) - 1
    if kind is BlockKind.DOB_SEX:
        return f"dob_sex|{date.fromordinal(rest >> _DATE_SHIFT).isoformat()}|{low}"
    if kind in (BlockKind.DOB_FAMILY, BlockKind.DOB_GIVEN, BlockKind.DOB_MIDDLE):
        day = date.fromordinal(rest >> _DATE_SHIFT).isoformat()
        return f"{kind.name.lower()}|{day}|{_code_text(low)}"
    if kind in (BlockKind.NAME_YEAR, BlockKind.NAME_MONTHDAY):
        family = _code_text((rest >> (2 * _CODE_BITS)) & code_mask)
        given = _code_text((rest >> _CODE_BITS) & code_mask)
        return f"{kind.name.lower()}|{family}|{given}|{low}"
    return f"{kind.name.lower()}|#{rest:x}"


def record_keys(identity: NormalisedIdentity) -> frozenset[int]:
    """Every key a stored record is filed under: each of its names, its identifiers."""
    names = ((n.first_given, n.first_middle, n.family) for n in identity.names)
    dob, sex = identity.date_of_birth, identity.sex
    return frozenset(filed_keys(identifier_keys(identity), dob, sex, names))


def filed_keys(
    identifiers: Iterable[int],
    dob: date,
    sex: Sex,
    names: Iterable[tuple[str, str, tuple[str, ...]]],
) -> set[int]:
    """`record_keys` from a record's parts: identifier keys, date of birth, sex, and each
    name's first given name, first middle name and family words."""
    keys: set[int] = set(identifiers)
    keys.add(_dob_sex(dob, _SEX_CODES[sex]))
    for first_given, first_middle, family in names:
        given = word_code(first_given)
        keys.update(_name_keys(_family_numbers(family), (given,) if given else (), dob))
        keys.update(_middle_keys(first_middle, dob))
    return keys


def query_keys(query: Query) -> frozenset[int]:
    """Every key to look up for a buyer: all name readings, both date readings, aliases."""
    keys: set[int] = set(identifier_keys(query.identity))
    sex = _SEX_CODES[query.identity.sex]
    for dob in query.dates_of_birth:
        # Records whose sex is not stated are looked up too; an unknown buyer sees all.
        keys.update(_dob_sex(dob, code) for code in ((sex, 0) if sex else (0, 1, 2)))
    for variant in query.names:
        families = _family_numbers(variant.name.family)
        givens = _expanded_given_numbers(variant.name.first_given)
        for dob in query.dates_of_birth:
            keys.update(_name_keys(families, givens, dob))
            keys.update(_middle_keys(variant.name.first_middle, dob))
    return frozenset(keys)


def identifier_keys(identity: NormalisedIdentity) -> list[int]:
    return identifier_keys_of(identity.ssn, identity.id_document, identity.fbi_number)


def identifier_keys_of(
    ssn: str | None, document: DocumentKey | None, fbi_number: str | None
) -> list[int]:
    """The keys of normalised identifiers (each may be missing)."""
    keys = []
    if ssn:
        keys.append(_key(BlockKind.SSN, int(ssn)))
    if document:
        keys.append(_key(BlockKind.ID_DOCUMENT, document_digest(document)))
    if fbi_number:
        keys.append(_key(BlockKind.FBI_NUMBER, text_digest(fbi_number)))
    return keys


def document_digest(document: DocumentKey) -> int:
    """56 bits that stand for a document (kind, issuer and number together)."""
    if document.number.startswith(DIGEST_MARK):  # rebuilt from the index: already a digest
        return int(document.number[1:], 16)
    return text_digest(str(document))


def text_digest(text: str) -> int:
    """A stable 56-bit digest of an identifier (never zero, so zero can mean "none").

    Normalised identifiers hold only letters and digits, so "#" followed by hex digits
    can only be a digest that the index handed back (see `table.RecordTable.identity`).
    """
    if text.startswith(DIGEST_MARK):
        return int(text[1:], 16)
    digest = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
    return (digest & _DIGEST_MASK) or 1


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


@lru_cache(maxsize=1 << 18)
def word_code(word: str) -> int:
    """The Soundex code of a word as a number (0 for an empty word)."""
    return code_number(blocking_code(word)) if word else 0


@lru_cache(maxsize=1 << 16)
def _family_numbers(family: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(sorted({word_code(form) for form in family_forms(family)} - {0}))


@lru_cache(maxsize=1 << 16)
def _expanded_given_numbers(first: str) -> tuple[int, ...]:
    if not first:
        return ()
    return tuple(sorted({word_code(w) for w in (first, first[0], *related_names(first))} - {0}))


def code_number(code: str) -> int:
    """A Soundex code as a number: letter * 1000 + its three digits (1-based letter)."""
    return (ord(code[0]) - 64) * 1000 + int(code[1:4])


def _code_text(number: int) -> str:
    return f"{chr(number // 1000 + 64)}{number % 1000:03d}" if number else ""


def _key(kind: BlockKind, rest: int) -> int:
    return _KINDS[kind] | rest


def _dob_sex(dob: date, sex_code: int) -> int:
    return _KINDS[BlockKind.DOB_SEX] | (dob.toordinal() << _DATE_SHIFT) | sex_code


def _middle_keys(first_middle: str, dob: date) -> Iterator[int]:
    # Initials are too common to block on; a full middle name is nearly as good as a given.
    if len(first_middle) > 1:
        day = dob.toordinal() << _DATE_SHIFT
        yield _KINDS[BlockKind.DOB_MIDDLE] | day | word_code(first_middle)


def _name_keys(families: Sequence[int], givens: Sequence[int], dob: date) -> Iterator[int]:
    """Keys from code numbers (all non-zero) and a date; plain integer arithmetic."""
    day = dob.toordinal() << _DATE_SHIFT
    year, month_day = dob.year, dob.month * 100 + dob.day
    dob_family, dob_given = _KINDS[BlockKind.DOB_FAMILY] | day, _KINDS[BlockKind.DOB_GIVEN] | day
    name_year, name_md = _KINDS[BlockKind.NAME_YEAR], _KINDS[BlockKind.NAME_MONTHDAY]
    for family in families:
        yield dob_family | family
    for given in givens:
        yield dob_given | given
    for family in families:
        for given in givens:
            names = ((family << _CODE_BITS) | given) << _CODE_BITS
            yield name_year | names | year
            yield name_md | names | month_day
