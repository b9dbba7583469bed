"""The examiners' side of a delayed check: claims, decisions and the reasons they give.

Values and rules only. The guarantee that two examiners never decide the same check is
not here but in the database: every change is a conditional update on the check's status,
claim and version (see `adapters.db.reviews`), so the loser of a race changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from transfercheck.domain.accounts import Role
from transfercheck.domain.checks import Resolution
from transfercheck.domain.deadlines import is_late
from transfercheck.domain.determinations import CheckStatus, ReasonCode

REVIEW_ROLES = frozenset({Role.EXAMINER, Role.SUPERVISOR})


class DenyReason(StrEnum):
    """Why a check was denied: the prohibition, as NICS counts its denials."""

    CONVICTION = "922g1"
    FUGITIVE = "922g2"
    DRUG_USER = "922g3"
    MENTAL_HEALTH = "922g4"
    UNLAWFUL_ALIEN = "922g5"
    DISHONORABLE_DISCHARGE = "922g6"
    RENOUNCED_CITIZENSHIP = "922g7"
    PROTECTION_ORDER = "922g8"
    DOMESTIC_VIOLENCE = "922g9"
    INDICTMENT = "922n"
    UNDERAGE = "underage"
    STATE_PROHIBITION = "state_prohibition"


class ProceedReason(StrEnum):
    """Why a delayed check may proceed after all."""

    NOT_THE_BUYER = "not_the_buyer"  # the record is someone else's (a namesake, a relative)
    NOT_PROHIBITING = "not_prohibiting"  # the buyer's record, but it does not prohibit
    DISPOSITION_CLEARS = "disposition_clears"  # acquittal, dismissal, relief, expiry


class OverrideReason(StrEnum):
    EXAMINER_ERROR = "examiner_error"
    NEW_INFORMATION = "new_information"
    POLICY_REVIEW = "policy_review"


class ReassignReason(StrEnum):
    WORKLOAD = "workload"
    ABSENCE = "absence"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    EXPERTISE = "expertise"


# Reasons the system itself gives when it closes a check.
DISPOSITION_RECEIVED = "disposition_received"  # an agency's answer settled the check
RETENTION_EXPIRED = "retention_expired"
RECORD_ARRIVED = "record_arrived"  # a record added or changed after the check (rap back)

LABELS: dict[str, str] = {
    "922g1": "Crime punishable by more than one year (922(g)(1))",
    "922g2": "Fugitive from justice (922(g)(2))",
    "922g3": "Unlawful drug user (922(g)(3))",
    "922g4": "Adjudicated mental defective or committed (922(g)(4))",
    "922g5": "Unlawfully present alien (922(g)(5))",
    "922g6": "Dishonorable discharge (922(g)(6))",
    "922g7": "Renounced citizenship (922(g)(7))",
    "922g8": "Protection order (922(g)(8))",
    "922g9": "Misdemeanour crime of domestic violence (922(g)(9))",
    "922n": "Under indictment (922(n))",
    "underage": "Under the minimum age (922(b)(1) or state law)",
    "state_prohibition": "Prohibited by state law",
    "not_the_buyer": "The record is not the buyer's",
    "not_prohibiting": "The record does not prohibit",
    "disposition_clears": "The disposition or relief clears the record",
    "examiner_error": "Examiner error",
    "new_information": "New information",
    "policy_review": "Policy review",
    "workload": "Workload",
    "absence": "Examiner absent",
    "conflict_of_interest": "Conflict of interest",
    "expertise": "Needs other expertise",
    DISPOSITION_RECEIVED: "Agency answered the disposition request",
    RETENTION_EXPIRED: "Retention period ran out",
    RECORD_ARRIVED: "A record was added or changed after the check",
}


def reason_fits(outcome: CheckStatus, reason: str) -> bool:
    """A denial needs a prohibition; a proceed needs a reason that clears the buyer."""
    allowed = {CheckStatus.DENIED: DenyReason, CheckStatus.PROCEED: ProceedReason}.get(outcome)
    return allowed is not None and reason in {r.value for r in allowed}


def firearm_may_be_gone(previous: CheckStatus, may_transfer_on: date | None, today: date) -> bool:
    """Was the dealer free to transfer before this denial? Yes after a PROCEED, and after
    the default-proceed date of an open check (the Charleston case): then a denial must
    become a retrieval referral to law enforcement."""
    if previous is CheckStatus.PROCEED:
        return True
    return previous is CheckStatus.DELAYED and is_late(today, may_transfer_on)


@dataclass(frozen=True)
class Claim:
    """An examiner's lock on a check. It lapses on its own, so a check left claimed by
    someone who went home returns to the queue."""

    user_id: str
    expires_at: datetime

    def held_by(self, user_id: str, now: datetime) -> bool:
        return self.user_id == user_id and now < self.expires_at

    def active(self, now: datetime) -> bool:
        return now < self.expires_at


@dataclass(frozen=True)
class ReviewState:
    """A check as the queue and the evidence page see it: outcome side only, no identity."""

    ntn: str
    dealer_id: str
    submitted_at: datetime
    status: CheckStatus
    reasons: tuple[ReasonCode, ...]
    may_transfer_on: date | None
    expires_on: date | None
    jurisdiction: str | None  # None once the identifying side is purged
    claim: Claim | None
    version: int
    resolution: Resolution | None

    def claimed_by_other(self, user_id: str, now: datetime) -> bool:
        return self.claim is not None and self.claim.active(now) and self.claim.user_id != user_id


@dataclass(frozen=True)
class QueueFilter:
    jurisdiction: str | None = None
    reason: ReasonCode | None = None


@dataclass(frozen=True)
class QueueCounts:
    open: int
    near_deadline: int  # at most one business day left to answer in time
    past_deadline: int  # the dealer may already transfer
    unclaimed: int
