"""Comparison levels: how well one field of a buyer agrees with the same field of a record.

Each field has ordered levels, 0 the strongest agreement and the last a disagreement. A
pair of identities compares to a *gamma vector*: one level per field, or NO_EVIDENCE when
a side lacks the field (a missing middle name says nothing either way). The model turns
each level into a weight; this module only decides levels, so an EM fit can re-estimate
every weight from the same gamma vectors.

Thresholds follow common record-linkage practice: Jaro-Winkler 0.92 catches one slip in a
name of average length, 0.80 catches spelling variants. Two swapped neighbouring letters
are a typo at any length. Any other single edit counts as a typo only for names of four
letters or more that keep their first letter: in short names one edit makes a different
name (Tom/Tim), and twins often get rhyming names (Jason/Mason).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import cached_property, lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from transfercheck.domain.identities import Sex
from transfercheck.matching.nickname_table import are_nicknames
from transfercheck.matching.normalise import NormalisedIdentity, NormalisedName, family_forms
from transfercheck.matching.phonetic import comparison_code

NO_EVIDENCE = -1

JW_TYPO = 0.92
JW_SIMILAR = 0.80
# Jaro-Winkler of "wei"/"wdi" is 0.8 in exact arithmetic but 0.7999999999999999 in floats.
_EPSILON = 1e-9
TYPO_MIN_LENGTH = 4


class GivenLevel(IntEnum):
    EXACT = 0
    NICKNAME = 1
    TYPO = 2
    SIMILAR = 3
    INITIAL = 4
    DISAGREE = 5
    ONE_EDIT = 6  # short names one letter apart (Tan/Gan) that no level above takes


class MiddleLevel(IntEnum):
    EXACT = 0
    INITIAL = 1
    DISAGREE = 2


class FamilyLevel(IntEnum):
    EXACT = 0
    COMPOUND = 1
    TYPO = 2
    SIMILAR = 3
    DISAGREE = 4
    MARRIED_NAME = 5  # differ, and both sides are women: a name changed at marriage
    ONE_EDIT = 6  # short names one letter apart (Tan/Gan) that no level above takes


# Given-name levels that agree only loosely: between two sexes they are two names (Paul, Paula).
LOOSE_GIVEN_LEVELS = (GivenLevel.TYPO, GivenLevel.SIMILAR, GivenLevel.ONE_EDIT)


class SuffixLevel(IntEnum):
    AGREE = 0
    DISAGREE = 1


class DobLevel(IntEnum):
    EXACT = 0
    DAY_MONTH_SWAPPED = 1
    TYPO = 2
    DISAGREE = 3


class SexLevel(IntEnum):
    AGREE = 0
    DISAGREE = 1


class SsnLevel(IntEnum):
    EXACT = 0
    TYPO = 1
    DISAGREE = 2


class DocumentLevel(IntEnum):
    EXACT = 0
    DISAGREE = 1


class FbiLevel(IntEnum):
    EXACT = 0
    DISAGREE = 1


class PlaceLevel(IntEnum):
    EXACT = 0
    DISAGREE = 1


@dataclass(frozen=True)
class Comparison:
    """A field and its ordered levels; the model file must list exactly these labels."""

    field: str
    levels: type[IntEnum]
    unique_identifier: bool = False  # an exact agreement identifies the person

    @cached_property  # read for every field of every candidate explained
    def labels(self) -> tuple[str, ...]:
        return tuple(level.name.lower() for level in self.levels)


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("given_name", GivenLevel),
    Comparison("middle_name", MiddleLevel),
    Comparison("family_name", FamilyLevel),
    Comparison("suffix", SuffixLevel),
    Comparison("date_of_birth", DobLevel),
    Comparison("sex", SexLevel),
    Comparison("ssn", SsnLevel, unique_identifier=True),
    Comparison("id_document", DocumentLevel, unique_identifier=True),
    Comparison("fbi_number", FbiLevel, unique_identifier=True),
    Comparison("place_of_birth", PlaceLevel),
)
FIELDS: tuple[str, ...] = tuple(c.field for c in COMPARISONS)
NAME_FIELD_COUNT = 4  # the first four fields depend on which name reading is compared
# Positions in a gamma vector, in the order of COMPARISONS.
(GIVEN_NAME, MIDDLE_NAME, FAMILY_NAME, SUFFIX, DATE_OF_BIRTH, SEX, SSN, ID_DOCUMENT, FBI_NUMBER,
 PLACE_OF_BIRTH) = range(len(COMPARISONS))  # fmt: skip


def compare_names(buyer: NormalisedName, record: NormalisedName) -> tuple[int, ...]:
    """Levels of the name fields (given, middle, family, suffix) for one name reading."""
    return (
        compare_given(buyer, record),
        compare_middle(buyer, record),
        compare_family(buyer, record),
        compare_suffix(buyer, record),
    )


def compare_identities(buyer: NormalisedIdentity, record: NormalisedIdentity) -> tuple[int, ...]:
    """Levels of the fields that do not depend on the name reading."""
    return (
        compare_dob(buyer.date_of_birth, record.date_of_birth),
        compare_sex(buyer.sex, record.sex),
        compare_ssn(buyer.ssn, record.ssn),
        compare_document(buyer, record),
        compare_exact(buyer.fbi_number, record.fbi_number),
        compare_exact(buyer.place_of_birth, record.place_of_birth),
    )


def given_name_given_sex(
    names: tuple[int, ...], identity: tuple[int, ...], buyer_sex: Sex = Sex.UNKNOWN
) -> tuple[int, ...]:
    """Name levels corrected for sex: near-identical given names of two sexes differ, and
    a woman's family name may have changed at marriage.

    Michael and Michelle, Daniel and Danielle, Paul and Paula are one slip apart but are the
    male and female forms of a name, the way parents name boy-girl twins. When the sexes
    disagree, a given name that agrees only by a slip or by sound counts as different.
    A family name that differs is strong evidence against for men, much weaker for women,
    who change it at marriage: when both sides are women it gets a level of its own.
    """
    sex, given = identity[SEX - NAME_FIELD_COUNT], names[GIVEN_NAME]
    out = list(names)
    if sex == SexLevel.DISAGREE and given in LOOSE_GIVEN_LEVELS:
        out[GIVEN_NAME] = GivenLevel.DISAGREE
    women = sex == SexLevel.AGREE and buyer_sex is Sex.FEMALE
    if women and names[FAMILY_NAME] == FamilyLevel.DISAGREE:
        out[FAMILY_NAME] = FamilyLevel.MARRIED_NAME
    return tuple(out)


def compare_given(buyer: NormalisedName, record: NormalisedName) -> int:
    a, b = buyer.first_given, record.first_given
    if not a or not b:
        return NO_EVIDENCE
    if "".join(buyer.given) == "".join(record.given):
        return GivenLevel.EXACT
    return given_word_level(a, b)


@lru_cache(maxsize=1 << 18)
def given_word_level(a: str, b: str) -> int:
    """The level of two first given names (both present); cached, as names recur."""
    if a == b:
        return GivenLevel.EXACT
    if are_nicknames(a, b):
        return GivenLevel.NICKNAME
    if len(a) == 1 or len(b) == 1:
        return GivenLevel.INITIAL if a[0] == b[0] else GivenLevel.DISAGREE
    if is_typo(a, b):
        return GivenLevel.TYPO
    if is_similar(a, b):
        return GivenLevel.SIMILAR
    return GivenLevel.ONE_EDIT if OSA.distance(a, b) == 1 else GivenLevel.DISAGREE


def compare_middle(buyer: NormalisedName, record: NormalisedName) -> int:
    a, b = buyer.first_middle, record.first_middle
    if not a or not b:
        return NO_EVIDENCE
    if a == b:
        return MiddleLevel.EXACT
    return MiddleLevel.INITIAL if a[0] == b[0] else MiddleLevel.DISAGREE


def compare_family(buyer: NormalisedName, record: NormalisedName) -> int:
    if not buyer.family or not record.family:
        return NO_EVIDENCE
    return family_words_level(" ".join(buyer.family), " ".join(record.family))


@lru_cache(maxsize=1 << 18)
def family_words_level(a: str, b: str) -> int:
    """The level of two family names given as their words joined by spaces (both present)."""
    a_words, b_words = tuple(a.split(" ")), tuple(b.split(" "))
    if "".join(a_words) == "".join(b_words):
        return FamilyLevel.EXACT
    a_forms, b_forms = family_forms(a_words), family_forms(b_words)
    if a_forms & b_forms:
        return FamilyLevel.COMPOUND
    similar = one_edit = False
    for x in a_forms:
        for y in b_forms:  # one Jaro-Winkler per pair serves both levels
            close = JaroWinkler.similarity(x, y)
            if close >= JW_TYPO - _EPSILON or _one_slip(x, y):
                return FamilyLevel.TYPO
            similar = similar or close >= JW_SIMILAR - _EPSILON
            similar = similar or comparison_code(x) == comparison_code(y)
            one_edit = one_edit or OSA.distance(x, y) == 1
    if similar:
        return FamilyLevel.SIMILAR
    return FamilyLevel.ONE_EDIT if one_edit else FamilyLevel.DISAGREE


@lru_cache(maxsize=1 << 14)
def one_edit_neighbours(text: str, family: bool) -> tuple[str, ...]:
    """Every spelling one letter from `text` that the rules rate one_edit against it (for
    its term frequency: how many records carry such a neighbour)."""
    letters = string.ascii_lowercase
    cuts = [(text[:i], text[i:]) for i in range(len(text) + 1)]
    spellings = {a + b[1:] for a, b in cuts if b}
    spellings |= {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    spellings |= {a + c + b[1:] for a, b in cuts if b for c in letters}
    spellings |= {a + c + b for a, b in cuts for c in letters}
    spellings.discard(text)
    level, one_edit = (
        (family_words_level, FamilyLevel.ONE_EDIT) if family
        else (given_word_level, GivenLevel.ONE_EDIT)
    )  # fmt: skip
    return tuple(sorted(s for s in spellings if s and level(text, s) == one_edit))


def compare_suffix(buyer: NormalisedName, record: NormalisedName) -> int:
    if not buyer.suffix or not record.suffix:
        return NO_EVIDENCE
    return SuffixLevel.AGREE if buyer.suffix == record.suffix else SuffixLevel.DISAGREE


def compare_dob(buyer: date, record: date) -> int:
    if buyer == record:
        return DobLevel.EXACT
    if (buyer.year, buyer.month, buyer.day) == (record.year, record.day, record.month):
        return DobLevel.DAY_MONTH_SWAPPED
    return DobLevel.TYPO if _dob_typo(buyer, record) else DobLevel.DISAGREE


def compare_sex(buyer: Sex, record: Sex) -> int:
    if Sex.UNKNOWN in (buyer, record):
        return NO_EVIDENCE
    return SexLevel.AGREE if buyer == record else SexLevel.DISAGREE


def compare_ssn(buyer: str | None, record: str | None) -> int:
    if not buyer or not record:
        return NO_EVIDENCE
    if buyer == record:
        return SsnLevel.EXACT
    # Same length, so distance 1 is one wrong digit or two adjacent digits swapped.
    return SsnLevel.TYPO if OSA.distance(buyer, record) == 1 else SsnLevel.DISAGREE


def compare_document(buyer: NormalisedIdentity, record: NormalisedIdentity) -> int:
    a, b = buyer.id_document, record.id_document
    # Documents from different issuers (a Texas and a California licence) are simply
    # different documents: a person may hold both, so that is no disagreement.
    if a is None or b is None or (a.kind, a.issuer) != (b.kind, b.issuer):
        return NO_EVIDENCE
    return DocumentLevel.EXACT if a.number == b.number else DocumentLevel.DISAGREE


def compare_exact(buyer: str | None, record: str | None) -> int:
    if not buyer or not record:
        return NO_EVIDENCE
    return 0 if buyer == record else 1


def is_typo(a: str, b: str) -> bool:
    """One slip of the keyboard: very close by Jaro-Winkler, two neighbouring letters swapped
    (Cai/Aci), or one other edit in a longer name that keeps its first letter."""
    return JaroWinkler.similarity(a, b) >= JW_TYPO - _EPSILON or _one_slip(a, b)


def _one_slip(a: str, b: str) -> bool:
    """`is_typo` without its Jaro-Winkler test."""
    if OSA.distance(a, b) != 1:
        return False
    if len(a) == len(b) and sorted(a) == sorted(b):
        return True  # a transposition rarely turns one real name into another
    return min(len(a), len(b)) >= TYPO_MIN_LENGTH and a[0] == b[0]


def is_similar(a: str, b: str) -> bool:
    """A spelling variant: close by Jaro-Winkler, or the same NYSIIS sound code."""
    close = JaroWinkler.similarity(a, b) >= JW_SIMILAR - _EPSILON
    return close or comparison_code(a) == comparison_code(b)


def _dob_typo(buyer: date, record: date) -> bool:
    parts = [
        (x, y, width)
        for x, y, width in (
            (buyer.year, record.year, 4),
            (buyer.month, record.month, 2),
            (buyer.day, record.day, 2),
        )
        if x != y
    ]
    if len(parts) != 1:
        return False
    x, y, width = parts[0]
    if width == 4 and abs(x - y) == 1:
        return True
    return OSA.distance(f"{x:0{width}d}", f"{y:0{width}d}") == 1
