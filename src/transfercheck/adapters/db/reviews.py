"""The examiners' workflow in the database: the queue, claims, decisions, agency requests.

Every change to a check is one conditional UPDATE whose WHERE clause states what the
change assumes (still DELAYED, claimed by this examiner, the version the page showed).
The database evaluates it under the row's write lock (PostgreSQL re-checks the clause
after waiting for a concurrent writer; SQLite lets one writer at a time in), so when two
examiners act at once exactly one UPDATE matches a row and the other changes nothing.
Methods return whether their UPDATE won; they never decide anything themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, String, cast, func, insert, or_, select, update

from transfercheck.adapters.db import codec
from transfercheck.adapters.db.tables import check_subjects, checks, disposition_requests
from transfercheck.domain.checks import FirearmCategory, Transfer, TransferType
from transfercheck.domain.determinations import (
    AgeAssessment,
    CheckStatus,
    Finding,
    ReasonCode,
)
from transfercheck.domain.identities import Identity
from transfercheck.domain.records import Disposition
from transfercheck.domain.review import Claim, QueueCounts, QueueFilter, ReviewState

_DELAYED = CheckStatus.DELAYED.value


@dataclass(frozen=True)
class StoredSubject:
    """A check's identifying side: who, what, and what the matcher and rules said."""

    transfer: Transfer
    findings: tuple[Finding, ...]
    age: AgeAssessment | None
    notes: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class DispositionRequest:
    request_id: str
    ntn: str
    record_id: str
    requested_by: str | None  # None: the system asked, at intake
    requested_at: datetime
    token_hash: str
    answered_at: datetime | None
    disposition: Disposition | None
    disposition_date: date | None


class ReviewRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    # ── reading ───────────────────────────────────────────────────────────────────────

    def state(self, ntn: str) -> ReviewState | None:
        row = self._db.execute(_states().where(checks.c.ntn == ntn)).first()
        return _state(row) if row else None

    def queue(self, where: QueueFilter, limit: int) -> list[ReviewState]:
        """Open checks, the nearest deadline first."""
        query = (
            _filtered(_states(), where)
            .order_by(checks.c.may_transfer_on, checks.c.submitted_at, checks.c.ntn)
            .limit(limit)
        )
        return [_state(row) for row in self._db.execute(query)]

    def counts(
        self, where: QueueFilter, today: date, near_cutoff: date, now: datetime
    ) -> QueueCounts:
        claimed = (checks.c.claimed_by.is_not(None)) & (checks.c.claim_expires_at > now)
        query = _filtered(
            select(
                func.count().label("open"),
                func.count().filter(checks.c.may_transfer_on <= near_cutoff).label("near"),
                func.count().filter(checks.c.may_transfer_on <= today).label("past"),
                func.count().filter(~claimed).label("unclaimed"),
            ).select_from(checks.outerjoin(check_subjects)),
            where,
        )
        row = self._db.execute(query).one()
        return QueueCounts(row.open, row.near - row.past, row.past, row.unclaimed)

    def next_claimable(self, now: datetime) -> str | None:
        """The open, unclaimed check with the nearest deadline. On PostgreSQL the row stays
        locked until commit and rows other workers hold are skipped; SQLite has no row
        locks (one writer at a time), so there the caller's conditional UPDATE decides."""
        query = (
            select(checks.c.ntn)
            .where(checks.c.status == _DELAYED, _claimable(now))
            .order_by(checks.c.may_transfer_on, checks.c.submitted_at, checks.c.ntn)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        return self._db.execute(query).scalar_one_or_none()

    def subject(self, ntn: str) -> StoredSubject | None:
        row = self._db.execute(select(check_subjects).where(check_subjects.c.ntn == ntn)).first()
        if row is None:
            return None
        transfer = Transfer(
            codec.identity_from_json(row.buyer),
            FirearmCategory(row.firearm_category),
            TransferType(row.transfer_type),
            row.jurisdiction,
        )
        return StoredSubject(
            transfer,
            codec.findings_from_json(row.findings),
            codec.age_from_json(row.age),
            tuple(row.notes or ()),
        )

    def open_buyers(self) -> list[tuple[str, Identity]]:
        """(NTN, buyer) of every open check whose identifying side is still kept."""
        query = (
            select(checks.c.ntn, check_subjects.c.buyer)
            .select_from(checks.join(check_subjects))
            .where(checks.c.status == _DELAYED)
        )
        return [(row.ntn, codec.identity_from_json(row.buyer)) for row in self._db.execute(query)]

    def expirable(self, today: date, limit: int) -> list[str]:
        query = (
            select(checks.c.ntn)
            .where(checks.c.status == _DELAYED, checks.c.expires_on <= today)
            .order_by(checks.c.expires_on, checks.c.ntn)
            .limit(limit)
        )
        return list(self._db.execute(query).scalars())

    # ── conditional changes: True when this call changed the row ─────────────────────────

    def claim(self, ntn: str, user_id: str, now: datetime, until: datetime) -> bool:
        """Take (or renew) the claim, unless another examiner holds a live one."""
        return self._change(
            ntn,
            [checks.c.status == _DELAYED, or_(_claimable(now), checks.c.claimed_by == user_id)],
            claimed_by=user_id,
            claim_expires_at=until,
        )

    def release(self, ntn: str, user_id: str) -> bool:
        return self._change(
            ntn,
            [checks.c.status == _DELAYED, checks.c.claimed_by == user_id],
            claimed_by=None,
            claim_expires_at=None,
        )

    def reassign(self, ntn: str, version: int, to_user: str, until: datetime) -> bool:
        return self._change(
            ntn,
            [checks.c.status == _DELAYED, checks.c.version == version],
            claimed_by=to_user,
            claim_expires_at=until,
        )

    def touch_claimed(self, ntn: str, user_id: str, version: int, now: datetime) -> bool:
        """Bump the version under a live claim: the guard of changes made elsewhere (a
        disposition request) that must not race with a decision."""
        return self._change(ntn, _held(user_id, version, now))

    def extend(
        self, ntn: str, user_id: str, version: int, now: datetime, may_transfer_on: date
    ) -> bool:
        return self._change(ntn, _held(user_id, version, now), may_transfer_on=may_transfer_on)

    def decide(
        self, ntn: str, user_id: str, version: int, now: datetime, outcome: CheckStatus, reason: str
    ) -> bool:
        """An examiner's decision: only under their own live claim, on the version seen."""
        return self._resolve(ntn, _held(user_id, version, now), outcome, now, user_id, reason)

    def override(
        self, ntn: str, user_id: str, version: int, now: datetime, outcome: CheckStatus, reason: str
    ) -> bool:
        """A supervisor's decision over the claim, or over an examiner's decision; never
        over their own (no one approves their own override)."""
        guard = [
            checks.c.version == version,
            or_(
                checks.c.status == _DELAYED,
                checks.c.resolved_at.is_not(None) & (checks.c.status != CheckStatus.EXPIRED),
            ),
            or_(checks.c.resolved_by.is_(None), checks.c.resolved_by != f"user:{user_id}"),
        ]
        return self._resolve(ntn, guard, outcome, now, user_id, reason)

    def resolve_by_system(self, ntn: str, now: datetime, outcome: CheckStatus, reason: str) -> bool:
        return self._resolve(ntn, [checks.c.status == _DELAYED], outcome, now, None, reason)

    def reevaluate(
        self, ntn: str, reasons: Iterable[ReasonCode], findings: tuple[Finding, ...]
    ) -> bool:
        """New reasons for a check that stays open; the findings as now assessed."""
        changed = self._change(
            ntn, [checks.c.status == _DELAYED], reasons=[r.value for r in reasons]
        )
        if changed:
            self.set_findings(ntn, findings)
        return changed

    def set_findings(self, ntn: str, findings: tuple[Finding, ...]) -> None:
        self._db.execute(
            update(check_subjects)
            .where(check_subjects.c.ntn == ntn)
            .values(findings=codec.findings_to_json(findings))
        )

    def add_note(self, ntn: str, note: dict[str, str]) -> None:
        notes = self._db.execute(
            select(check_subjects.c.notes).where(check_subjects.c.ntn == ntn)
        ).scalar_one_or_none()
        self._db.execute(
            update(check_subjects)
            .where(check_subjects.c.ntn == ntn)
            .values(notes=[*(notes or []), note])
        )

    def purge_subject(self, ntn: str) -> None:
        self._db.execute(check_subjects.delete().where(check_subjects.c.ntn == ntn))

    def _resolve(
        self,
        ntn: str,
        guard: list[Any],
        outcome: CheckStatus,
        now: datetime,
        user_id: str | None,
        reason: str,
    ) -> bool:
        return self._change(
            ntn,
            guard,
            status=outcome.value,
            resolved_at=now,
            resolved_by=f"user:{user_id}" if user_id else "system",
            resolution_reason=reason,
            claimed_by=None,
            claim_expires_at=None,
        )

    def _change(self, ntn: str, guard: list[Any], **values: Any) -> bool:
        result = self._db.execute(
            update(checks)
            .where(checks.c.ntn == ntn, *guard)
            .values(version=checks.c.version + 1, **values)
        )
        return result.rowcount == 1

    # ── disposition requests ─────────────────────────────────────────────────────────

    def add_request(self, request: DispositionRequest) -> None:
        self._db.execute(
            insert(disposition_requests).values(
                request_id=request.request_id,
                ntn=request.ntn,
                record_id=request.record_id,
                requested_by=request.requested_by,
                requested_at=request.requested_at,
                token_hash=request.token_hash,
            )
        )

    def requests_for(self, ntn: str) -> list[DispositionRequest]:
        rows = self._db.execute(
            select(disposition_requests)
            .where(disposition_requests.c.ntn == ntn)
            .order_by(disposition_requests.c.requested_at)
        )
        return [_request(row) for row in rows]

    def request(self, request_id: str) -> DispositionRequest | None:
        row = self._db.execute(
            select(disposition_requests).where(disposition_requests.c.request_id == request_id)
        ).first()
        return _request(row) if row else None

    def answer_request(
        self, request_id: str, now: datetime, disposition: Disposition, on: date | None
    ) -> bool:
        """Record the agency's answer; False if it was answered already (answers once)."""
        result = self._db.execute(
            update(disposition_requests)
            .where(
                disposition_requests.c.request_id == request_id,
                disposition_requests.c.answered_at.is_(None),
            )
            .values(answered_at=now, disposition=disposition.value, disposition_date=on)
        )
        return result.rowcount == 1


def _claimable(now: datetime) -> Any:
    return or_(checks.c.claimed_by.is_(None), checks.c.claim_expires_at <= now)


def _held(user_id: str, version: int, now: datetime) -> list[Any]:
    return [
        checks.c.status == _DELAYED,
        checks.c.claimed_by == user_id,
        checks.c.claim_expires_at > now,
        checks.c.version == version,
    ]


def _states() -> Any:
    return select(checks, check_subjects.c.jurisdiction).select_from(
        checks.outerjoin(check_subjects)
    )


def _filtered(query: Any, where: QueueFilter) -> Any:
    query = query.where(checks.c.status == _DELAYED)
    if where.jurisdiction:
        query = query.where(check_subjects.c.jurisdiction == where.jurisdiction)
    if where.reason:
        # Reasons are a JSON list of enum values; as text each one appears quoted, on
        # SQLite and PostgreSQL alike.
        query = query.where(cast(checks.c.reasons, String).like(f'%"{where.reason.value}"%'))
    return query


def _state(row: Any) -> ReviewState:
    claim = None
    if row.claimed_by is not None and row.claim_expires_at is not None:
        claim = Claim(row.claimed_by, codec.utc(row.claim_expires_at))
    return ReviewState(
        ntn=row.ntn,
        dealer_id=row.dealer_id,
        submitted_at=codec.utc(row.submitted_at),
        status=CheckStatus(row.status),
        reasons=tuple(ReasonCode(r) for r in row.reasons),
        may_transfer_on=row.may_transfer_on,
        expires_on=row.expires_on,
        jurisdiction=row.jurisdiction,
        claim=claim,
        version=row.version,
        resolution=codec.resolution_from(row),
    )


def _request(row: Any) -> DispositionRequest:
    return DispositionRequest(
        request_id=row.request_id,
        ntn=row.ntn,
        record_id=row.record_id,
        requested_by=row.requested_by,
        requested_at=codec.utc(row.requested_at),
        token_hash=row.token_hash,
        answered_at=codec.utc(row.answered_at) if row.answered_at else None,
        disposition=Disposition(row.disposition) if row.disposition else None,
        disposition_date=row.disposition_date,
    )
