"""Who may use the system: dealers (tenants), their API keys and human users with roles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    DEALER_CLERK = "dealer_clerk"  # submits and reads its own dealer's checks
    EXAMINER = "examiner"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"


# Staff read criminal-justice information: for them a password alone never opens a
# session, a one-time code from a second factor must come with it (CJIS IA-2(1)).
SECOND_FACTOR_ROLES = frozenset({Role.EXAMINER, Role.SUPERVISOR, Role.AUDITOR})


@dataclass(frozen=True)
class Dealer:
    dealer_id: str
    name: str
    license_number: str  # the Federal Firearms Licence number


@dataclass(frozen=True)
class Agency:
    """A records agency (court, police, mental-health board, military, immigration): it
    submits, corrects and relieves only its own records."""

    agency_id: str
    name: str
    agency_type: str  # a domain.records.SourceAgencyType value
    jurisdiction: str


@dataclass(frozen=True)
class User:
    user_id: str
    username: str
    role: Role
    dealer_id: str | None  # set for dealer clerks only


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
