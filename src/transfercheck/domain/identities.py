"""Who a person says they are: names, date of birth, descriptors and identifiers.

An Identity is what a buyer writes on the form or what an agency puts on a record. It is
the input to matching, never a claim that two identities are the same person.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from transfercheck.domain.errors import Problem


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class IdDocumentType(StrEnum):
    DRIVERS_LICENSE = "drivers_license"
    STATE_ID = "state_id"
    PASSPORT = "passport"
    MILITARY_ID = "military_id"


@dataclass(frozen=True)
class PersonName:
    given: str
    family: str
    middle: str | None = None

    def __str__(self) -> str:
        parts = [self.given, self.middle, self.family]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class IdDocument:
    """A government photo ID; the number is unique only together with its type and issuer."""

    type: IdDocumentType
    number: str
    issuer: str  # two-letter state code, or a country code for passports


@dataclass(frozen=True)
class Identity:
    name: PersonName
    date_of_birth: date
    sex: Sex
    aliases: tuple[PersonName, ...] = ()
    place_of_birth: str | None = None  # state code or country name
    state_of_residence: str | None = None
    id_document: IdDocument | None = None
    ssn: str | None = None  # nine digits, no dashes
    fbi_number: str | None = None  # the FBI's Universal Control Number, on criminal records

    @property
    def all_names(self) -> tuple[PersonName, ...]:
        return (self.name, *self.aliases)


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years on `on`. A 29 February birthday completes a year on 1 March."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


# Letters and combining marks of any script, plus the punctuation real names use.
_NAME_PUNCTUATION = frozenset(" -'.,")


def name_problems(value: str, limit: int = 100) -> list[str]:
    """Why `value` cannot be a person's name part (empty list when it can)."""
    if not value.strip():
        return ["must not be empty"]
    if len(value) > limit:
        return [f"must be at most {limit} characters"]
    bad = sorted(
        {
            ch
            for ch in value
            if ch not in _NAME_PUNCTUATION and unicodedata.category(ch)[0] not in ("L", "M")
        }
    )
    if bad:
        shown = ", ".join(repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}" for ch in bad)
        return [
            f"may contain only letters, spaces, hyphens, apostrophes and periods (found {shown})"
        ]
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):
        return ["must contain a letter"]
    return []


def identity_problems(identity: Identity, today: date, location: str = "buyer") -> list[Problem]:
    """What makes an identity impossible to check; empty when it can be checked."""
    problems: list[Problem] = []
    for field_name, value in (
        ("given_name", identity.name.given),
        ("family_name", identity.name.family),
    ):
        problems += [Problem(f"{location}.{field_name}", m) for m in name_problems(value)]
    if identity.name.middle is not None:
        problems += [
            Problem(f"{location}.middle_name", m) for m in name_problems(identity.name.middle)
        ]
    if identity.date_of_birth > today:
        problems.append(Problem(f"{location}.date_of_birth", "must not be in the future"))
    elif age_on(identity.date_of_birth, today) > 120:
        problems.append(Problem(f"{location}.date_of_birth", "gives an age over 120 years"))
    return problems
