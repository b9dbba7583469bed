"""What an examiner reads before deciding: the buyer beside each candidate record, field by
field, with the matcher's explanation of every field, the record's history and what the
rules say about it. Reading it is audited like any other access to a check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from transfercheck.adapters.db.reviews import DispositionRequest
from transfercheck.domain.accounts import Role, User
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.checks import Transfer
from transfercheck.domain.deadlines import (
    ENHANCED_CHECK,
    business_days_left,
    enhanced_check_refusal,
)
from transfercheck.domain.determinations import AgeAssessment, CheckStatus, Finding
from transfercheck.domain.errors import Conflict, NotFound
from transfercheck.domain.identities import Identity
from transfercheck.domain.matches import FieldEvidence
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.domain.review import REVIEW_ROLES, ReviewState
from transfercheck.services.review import ReviewContext, require_role

# (label, field name the matcher uses) in the order an examiner compares them.
COMPARED = (
    ("Given name", "given_name"),
    ("Middle name", "middle_name"),
    ("Family name", "family_name"),
    ("Date of birth", "date_of_birth"),
    ("Sex", "sex"),
    ("SSN", "ssn"),
    ("ID document", "id_document"),
    ("FBI number", "fbi_number"),
    ("Place of birth", "place_of_birth"),
    ("State of residence", "state_of_residence"),
)


@dataclass(frozen=True)
class FieldRow:
    label: str
    buyer: str
    record: str
    evidence: tuple[FieldEvidence, ...]


@dataclass(frozen=True)
class Candidate:
    finding: Finding
    record: ProhibitingRecord | None  # None if the record was withdrawn since
    rows: tuple[FieldRow, ...]
    other_evidence: tuple[FieldEvidence, ...]  # base rate, how the names were read
    requests: tuple[DispositionRequest, ...]


@dataclass(frozen=True)
class Evidence:
    state: ReviewState
    transfer: Transfer | None  # None once the identifying side is purged
    age: AgeAssessment | None
    candidates: tuple[Candidate, ...]
    notes: tuple[dict[str, str], ...]
    business_days_left: int
    may_decide: bool  # the viewer holds the claim
    enhanced_check_refusal: str | None  # None: the viewer may apply the enhanced check
    enhanced_check_citation: str = ENHANCED_CHECK.citation


def load_evidence(context: ReviewContext, user: User, ntn: str, now: datetime) -> Evidence:
    require_role(user, REVIEW_ROLES)
    with context.unit_of_work() as uow:
        state = uow.reviews.state(ntn)
        if state is None:
            raise NotFound("check", ntn)
        if not _may_read(state, user, now):
            raise Conflict("not_claimed", "Claim the check to read its evidence.")
        subject = uow.reviews.subject(ntn)
        findings = subject.findings if subject else ()
        records = uow.records.get_many([f.record_id for f in findings])
        requests = uow.reviews.requests_for(ntn)
        uow.audit.append(
            AuditEvent(EventType.EVIDENCE_VIEWED, f"user:{user.user_id}", "check", ntn), now
        )
        uow.commit()
    today = context.local_date(now)
    holds = state.claim is not None and state.claim.held_by(user.user_id, now)
    buyer = subject.transfer.buyer if subject else None
    candidates = tuple(_candidate(f, records.get(f.record_id), buyer, requests) for f in findings)
    refusal = (
        "claim the check first"
        if not holds
        else enhanced_check_refusal(
            context.local_date(state.submitted_at),
            subject.age.buyer_age if subject and subject.age else None,
            today,
            state.may_transfer_on,
        )
    )
    left = (
        business_days_left(context.calendar, today, state.may_transfer_on)
        if state.may_transfer_on
        else 0
    )
    return Evidence(
        state=state,
        transfer=subject.transfer if subject else None,
        age=subject.age if subject else None,
        candidates=candidates,
        notes=subject.notes if subject else (),
        business_days_left=left,
        may_decide=holds and state.status is CheckStatus.DELAYED,
        enhanced_check_refusal=refusal,
    )


def _may_read(state: ReviewState, user: User, now: datetime) -> bool:
    """The claim holder, whoever answered the check, and supervisors."""
    if user.role is Role.SUPERVISOR:
        return True
    if state.claim is not None and state.claim.held_by(user.user_id, now):
        return True
    return state.resolution is not None and state.resolution.resolved_by == f"user:{user.user_id}"


def _candidate(
    finding: Finding,
    record: ProhibitingRecord | None,
    buyer: Identity | None,
    requests: list[DispositionRequest],
) -> Candidate:
    by_field: dict[str, list[FieldEvidence]] = {}
    for entry in finding.evidence:
        by_field.setdefault(entry.field, []).append(entry)
    rows = tuple(
        FieldRow(
            label,
            _shown(buyer, field),
            _shown(record.subject if record else None, field),
            tuple(by_field.pop(field, ())),
        )
        for label, field in COMPARED
    )
    other = tuple(entry for entries in by_field.values() for entry in entries)
    mine = tuple(r for r in requests if r.record_id == finding.record_id)
    return Candidate(finding, record, rows, other, mine)


def _shown(identity: Identity | None, field: str) -> str:
    """A field as an examiner sees it. Identifier numbers show their last four characters:
    whether they agree is the matcher's explanation, the screen need not carry them whole."""
    if identity is None:
        return ""
    name, doc = identity.name, identity.id_document
    values = {
        "given_name": name.given,
        "middle_name": name.middle or "",
        "family_name": name.family,
        "date_of_birth": identity.date_of_birth.isoformat(),
        "sex": identity.sex.value,
        "ssn": _last_four(identity.ssn),
        "id_document": f"{doc.type.value} {doc.issuer} {_last_four(doc.number)}" if doc else "",
        "fbi_number": _last_four(identity.fbi_number),
        "place_of_birth": identity.place_of_birth or "",
        "state_of_residence": identity.state_of_residence or "",
    }
    return values[field]


def _last_four(value: str | None) -> str:
    if not value:
        return ""
    return "•" * max(len(value) - 4, 0) + value[-4:]
