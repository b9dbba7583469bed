"""Missing dispositions: an examiner asks the record's agency, the agency answers, the
answer re-evaluates the check.

This is the Charleston gap: an arrest on file with no outcome, and nobody asking the
right agency before the default-proceed date. A request names the record, never the
buyer; the agency answers with the request's one-time token (only its hash is kept),
the record gets its disposition, and the check is assessed again by the same rules and
the same `determine` as at intake. When that settles it (a conviction with an agreeing
identifier denies; an acquittal with nothing else left proceeds), the system answers the
check itself, with the same consequences as an examiner's decision: after the
default-proceed date a denial becomes a retrieval referral.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from transfercheck.adapters.db.reviews import DispositionRequest
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.accounts import User
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.determinations import (
    CheckStatus,
    Determination,
    Finding,
    RecordEffect,
    determine,
)
from transfercheck.domain.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    Problem,
    ValidationFailed,
)
from transfercheck.domain.records import Disposition, ProhibitingRecord, RecordChange
from transfercheck.domain.review import DISPOSITION_RECEIVED, REVIEW_ROLES, ReviewState
from transfercheck.services.agency_records import store_change
from transfercheck.services.outbox import Channel, Kind, enqueue
from transfercheck.services.resolution import after_resolution
from transfercheck.services.review import (
    ReviewContext,
    audited_refusal,
    claim_refusal,
    require_role,
)

if TYPE_CHECKING:  # intake asks for dispositions itself, so it cannot be imported here
    from transfercheck.services.intake import CheckingContext

ANSWERS = (Disposition.CONVICTED, Disposition.ACQUITTED, Disposition.DISMISSED, Disposition.PENDING)


@dataclass(frozen=True)
class NewRequest:
    request_id: str
    answer_token: str  # travels to the agency in the outbox message; never stored as is


def request_disposition(
    context: ReviewContext,
    user: User,
    ntn: str,
    version: int,
    record_id: str,
    answer_url: Callable[[str], str],
    now: datetime,
) -> NewRequest:
    require_role(user, REVIEW_ROLES)
    with context.unit_of_work() as uow:
        subject = uow.reviews.subject(ntn)
        if subject is None or record_id not in {f.record_id for f in subject.findings}:
            raise NotFound("candidate record", record_id)
        asked = uow.reviews.requests_for(ntn)
        if any(r.record_id == record_id and not r.answered_at for r in asked):
            raise ValidationFailed([Problem("record_id", "the agency was asked already")])
        record = uow.records.get_many([record_id]).get(record_id)
        if record is None:
            raise NotFound("record", record_id)
        refusal = claim_refusal(uow, user, ntn, version, now)
        if refusal is None:
            new = NewRequest(f"DR-{secrets.token_hex(8)}", secrets.token_urlsafe(32))
            _record_request(uow, new, user.user_id, ntn, record, answer_url(new.request_id), now)
            uow.commit()
            return new
    raise audited_refusal(context, EventType.DISPOSITION_REQUESTED, user, ntn, now, refusal)


def ask_for_missing_dispositions(
    uow: SqlUnitOfWork,
    ntn: str,
    findings: Sequence[Finding],
    records: Mapping[str, ProhibitingRecord],
    answer_url: Callable[[str], str],
    now: datetime,
) -> None:
    """A check delayed by records without their court outcome asks each record's agency
    for it at once, in the check's own transaction; the answer re-decides the check."""
    for finding in findings:
        record = records.get(finding.record_id)
        if record is not None and finding.assessment.effect is RecordEffect.NEEDS_DISPOSITION:
            new = NewRequest(f"DR-{secrets.token_hex(8)}", secrets.token_urlsafe(32))
            _record_request(uow, new, None, ntn, record, answer_url(new.request_id), now)


def _record_request(
    uow: SqlUnitOfWork,
    new: NewRequest,
    requested_by: str | None,  # None: the system asked, at intake
    ntn: str,
    record: ProhibitingRecord,
    answer_url: str,
    now: datetime,
) -> None:
    uow.reviews.add_request(
        DispositionRequest(
            new.request_id, ntn, record.record_id, requested_by, now, _hash(new.answer_token),
            None, None, None,
        )
    )  # fmt: skip
    payload = {
        "request_id": new.request_id,
        "agency": record.source_agency,
        "agency_record_id": record.agency_record_id,
        "category": record.category.value,
        "event_date": record.event_date.isoformat(),
        "answer_url": answer_url,
        "answer_token": new.answer_token,
        "answers": [a.value for a in ANSWERS],
    }
    enqueue(
        uow,
        Kind.DISPOSITION_REQUEST,
        Channel.AGENCY,
        record.source_agency,
        payload,
        f"{Kind.DISPOSITION_REQUEST.value}:{new.request_id}",
        now,
    )
    details = {"request_id": new.request_id, "record_id": record.record_id}
    uow.audit.append(
        AuditEvent(
            EventType.DISPOSITION_REQUESTED,
            f"user:{requested_by}" if requested_by else "system",
            "check",
            ntn,
            "ok",
            details,
        ),
        now,
    )


def answer_disposition(
    checking: CheckingContext,
    context: ReviewContext,
    request_id: str,
    token: str,
    disposition: Disposition,
    disposition_date: date | None,
    now: datetime,
) -> None:
    """The agency's answer. Each request is answered once; the token proves who answers."""
    with context.unit_of_work() as uow:
        request = uow.reviews.request(request_id)
        if request is None or not hmac.compare_digest(request.token_hash, _hash(token)):
            raise NotAuthenticated("unknown request or wrong token")
        _validate(disposition, disposition_date)
        if not uow.reviews.answer_request(request_id, now, disposition, disposition_date):
            raise Conflict("answered", "this request was answered already")
        _record_the_answer(uow, request.record_id, disposition, disposition_date, now)
        # Rows are locked in the order every other change takes them (the check, then its
        # subject, then the audit head), so concurrent transactions cannot deadlock.
        _reevaluate(uow, checking, context, request.ntn, now)
        uow.audit.append(
            AuditEvent(
                EventType.DISPOSITION_ANSWERED,
                f"agency-request:{request_id}",
                "check",
                request.ntn,
                disposition.value,
                {"record_id": request.record_id},
            ),
            now,
        )
        uow.commit()


def _validate(disposition: Disposition, disposition_date: date | None) -> None:
    if disposition not in ANSWERS:
        raise ValidationFailed([Problem("disposition", "is not a final or pending outcome")])
    if disposition is not Disposition.PENDING and disposition_date is None:
        raise ValidationFailed([Problem("disposition_date", "is required for this outcome")])


def _reevaluate(
    uow: SqlUnitOfWork,
    checking: CheckingContext,
    context: ReviewContext,
    ntn: str,
    now: datetime,
) -> None:
    before, subject = uow.reviews.state(ntn), uow.reviews.subject(ntn)
    if before is None or subject is None or before.status is not CheckStatus.DELAYED:
        return  # answered meanwhile, or purged: the record is updated all the same
    assert before.may_transfer_on is not None  # every open check has its date
    transfer = subject.transfer
    on = context.local_date(before.submitted_at)  # the rules of the transfer's day
    rules = checking.rule_book.for_jurisdiction(transfer.jurisdiction)
    records = uow.records.get_many([f.record_id for f in subject.findings])
    findings = tuple(
        replace(f, assessment=rules.assess(records[f.record_id], on, transfer.jurisdiction))
        if f.record_id in records
        else f
        for f in subject.findings
    )
    # A delayed check never had a prohibited item (that denies at intake): no item here.
    result = determine(
        list(findings),
        subject.age,
        checking.thresholds,
        before.may_transfer_on,
        expires_on=before.expires_on,
    )
    settle(uow, before, result, findings, DISPOSITION_RECEIVED, now, context)


def settle(
    uow: SqlUnitOfWork,
    before: ReviewState,
    result: Determination,
    findings: tuple[Finding, ...],
    reason: str,
    now: datetime,
    context: ReviewContext,
) -> bool:
    """Apply a new determination of an open check made by the system (an agency's answer,
    a record arriving): still DELAYED updates its reasons; an answer closes it, with what
    follows (a retrieval referral after the default-proceed date, the dealer's notice).
    True when the check changed."""
    ntn = before.ntn
    if result.status is CheckStatus.DELAYED:
        if not uow.reviews.reevaluate(ntn, result.reasons, findings):
            return False
        _system_event(uow, EventType.CHECK_REEVALUATED, ntn, result, reason, now)
        return True
    if not uow.reviews.resolve_by_system(ntn, now, result.status, reason):
        return False
    uow.reviews.set_findings(ntn, findings)
    _system_event(uow, EventType.CHECK_DECIDED, ntn, result, reason, now)
    after = uow.reviews.state(ntn)
    assert after is not None
    after_resolution(uow, before, after, now, context.local_date(now))
    return True


def _system_event(
    uow: SqlUnitOfWork,
    event: EventType,
    ntn: str,
    result: Determination,
    reason: str,
    now: datetime,
) -> None:
    details = {"reason": reason, "reasons": ",".join(r.value for r in result.reasons)}
    uow.audit.append(AuditEvent(event, "system", "check", ntn, result.status.value, details), now)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _record_the_answer(
    uow: SqlUnitOfWork, record_id: str, disposition: Disposition, on: date | None, now: datetime
) -> None:
    """The record now says how the case ended: a new version, like any agency change."""
    current = uow.records.get_versioned(record_id)
    if current is None:  # the request's foreign key makes this impossible
        raise NotFound("record", record_id)
    updated = replace(current.record, disposition=disposition, disposition_date=on)
    actor = f"agency:{current.record.source_agency}"
    store_change(uow, current, updated, actor, RecordChange.DISPOSITION_ADDED, now)
