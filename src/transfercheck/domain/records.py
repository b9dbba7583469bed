"""Prohibiting records: what an agency says about a person, and what became of it.

Categories follow 18 U.S.C. 922(g)(1)-(9) and 922(n). Whether a record prohibits on a
given day is decided by the rules (domain.rules), not here: a record only states facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from transfercheck.domain.identities import Identity


class Category(StrEnum):
    FELONY_CONVICTION = "922g1"  # crime punishable by imprisonment for more than one year
    FUGITIVE = "922g2"
    UNLAWFUL_DRUG_USER = "922g3"
    MENTAL_HEALTH = "922g4"  # adjudicated mental defective or committed
    UNLAWFUL_ALIEN = "922g5"
    DISHONORABLE_DISCHARGE = "922g6"
    RENOUNCED_CITIZENSHIP = "922g7"
    PROTECTION_ORDER = "922g8"
    DOMESTIC_VIOLENCE_MISDEMEANOR = "922g9"
    UNDER_INDICTMENT = "922n"


class Disposition(StrEnum):
    CONVICTED = "convicted"
    PENDING = "pending"
    ACQUITTED = "acquitted"
    DISMISSED = "dismissed"
    UNKNOWN = "unknown"  # the arrest is on file but the court outcome never arrived


class ReliefType(StrEnum):
    EXPUNGEMENT = "expungement"
    SET_ASIDE = "set_aside"
    PARDON = "pardon"
    RIGHTS_RESTORED = "rights_restored"


class SourceAgencyType(StrEnum):
    COURT = "court"
    POLICE = "police"
    MENTAL_HEALTH_BOARD = "mental_health_board"
    MILITARY = "military"
    IMMIGRATION = "immigration"


class RecordChange(StrEnum):
    """How a record came to be in a version: the agency's own verbs."""

    CREATED = "created"
    CORRECTED = "corrected"
    DISPOSITION_ADDED = "disposition_added"
    RELIEVED = "relieved"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Relief:
    """Relief from a disability (18 U.S.C. 921(a)(20), 921(a)(33)(B)(ii), 925(c))."""

    type: ReliefType
    granted_on: date
    # A pardon or restoration can expressly keep the firearms ban; then it relieves nothing.
    keeps_firearm_ban: bool = False


@dataclass(frozen=True)
class ProhibitingRecord:
    record_id: str  # the system's own id
    agency_record_id: str  # the submitting agency's id, unique per agency
    source_agency: str
    source_agency_type: SourceAgencyType
    jurisdiction: str  # where the record was made (state code, or "US")
    category: Category
    subject: Identity
    event_date: date  # arrest, adjudication, order issued, discharge, ...
    disposition: Disposition = Disposition.UNKNOWN
    disposition_date: date | None = None
    expiry_date: date | None = None  # e.g. a protection order's end
    relief: Relief | None = None
    description: str = ""
