"""An agency's own records: submit one, correct it, add its disposition, relieve, expire.

Every change is a new version (who, when, what) written with its audit entry in one
transaction, and reaches the live matching index through `on_changed` after the commit.
An agency reaches only the records it submitted: another agency's record id is simply
"not found".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from transfercheck.adapters.db.repositories import RecordVersion, VersionedRecord
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.adapters.record_files import RecordRow
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.determinations import RecordAssessment, RecordEffect
from transfercheck.domain.errors import Conflict, NotFound, Problem, ValidationFailed
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    RecordChange,
    Relief,
)
from transfercheck.domain.rules import RuleBook
from transfercheck.services.ports import UnitOfWorkFactory

OnChanged = Callable[[ProhibitingRecord], None]


@dataclass(frozen=True)
class RecordState:
    record: ProhibitingRecord
    version: int
    created: bool = False


def submit_record(
    agency_id: str,
    row: RecordRow,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    on_changed: OnChanged,
) -> RecordState:
    """Create the record; the same submission again changes nothing (idempotent by the
    agency's record id), a different one under the same id is a conflict."""
    if row.source_agency != agency_id:
        raise ValidationFailed([Problem("source_agency", f"must be your agency, {agency_id!r}")])
    with unit_of_work() as uow:
        existing = uow.records.get_by_agency_id(agency_id, row.agency_record_id)
        if existing is not None:
            if existing.record == row.to_record(existing.record.record_id):
                return RecordState(existing.record, existing.version)
            raise Conflict(
                "record_exists",
                f"record {row.agency_record_id!r} exists with other content; "
                "correct it instead of submitting it again",
            )
        record = row.to_record(uuid.uuid4().hex)
        uow.records.add_many([record], now)
        uow.records.add_version(record, 1, now, f"agency:{agency_id}", RecordChange.CREATED)
        uow.audit.append(_event(EventType.RECORD_CREATED, agency_id, record, "created"), now)
        uow.commit()
    on_changed(record)
    return RecordState(record, 1, created=True)


def correct_record(
    agency_id: str,
    agency_record_id: str,
    corrected: RecordRow,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    on_changed: OnChanged,
) -> RecordState:
    """Replace the record's content with the corrected row (same agency and id)."""
    if (corrected.source_agency, corrected.agency_record_id) != (agency_id, agency_record_id):
        raise ValidationFailed(
            [Problem("agency_record_id", "a correction keeps the record's agency and id")]
        )
    return _change(
        agency_id,
        agency_record_id,
        lambda record: corrected.to_record(record.record_id),
        RecordChange.CORRECTED,
        unit_of_work,
        now,
        on_changed,
    )


def add_disposition(
    agency_id: str,
    agency_record_id: str,
    disposition: Disposition,
    disposition_date: date,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    on_changed: OnChanged,
) -> RecordState:
    def apply(record: ProhibitingRecord) -> ProhibitingRecord:
        if disposition_date < record.event_date:
            raise ValidationFailed([Problem("disposition_date", "is before the event date")])
        return replace(record, disposition=disposition, disposition_date=disposition_date)

    return _change(
        agency_id,
        agency_record_id,
        apply,
        RecordChange.DISPOSITION_ADDED,
        unit_of_work,
        now,
        on_changed,
    )


def relieve(
    agency_id: str,
    agency_record_id: str,
    relief: Relief,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    on_changed: OnChanged,
) -> RecordState:
    """Record an expungement, set-aside, pardon or restoration of rights."""
    return _change(
        agency_id,
        agency_record_id,
        lambda record: replace(record, relief=relief),
        RecordChange.RELIEVED,
        unit_of_work,
        now,
        on_changed,
    )


def expire(
    agency_id: str,
    agency_record_id: str,
    expiry_date: date,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    on_changed: OnChanged,
) -> RecordState:
    """End a record that lapses (a warrant served, an order ended) on `expiry_date`."""
    return _change(
        agency_id,
        agency_record_id,
        lambda record: replace(record, expiry_date=expiry_date),
        RecordChange.EXPIRED,
        unit_of_work,
        now,
        on_changed,
    )


def get_record(
    agency_id: str, agency_record_id: str, unit_of_work: UnitOfWorkFactory
) -> RecordState:
    with unit_of_work() as uow:
        found = _owned(uow, agency_id, agency_record_id)
    return RecordState(found.record, found.version)


def record_history(
    agency_id: str, agency_record_id: str, unit_of_work: UnitOfWorkFactory
) -> list[RecordVersion]:
    with unit_of_work() as uow:
        found = _owned(uow, agency_id, agency_record_id)
        return uow.records.versions(found.record.record_id)


def record_status(
    agency_id: str,
    agency_record_id: str,
    on: date,
    jurisdiction: str | None,
    rule_book: RuleBook,
    unit_of_work: UnitOfWorkFactory,
) -> RecordAssessment:
    """Was (or is) the record prohibiting on `on`, for a transfer in `jurisdiction`?"""
    record = get_record(agency_id, agency_record_id, unit_of_work).record
    if jurisdiction is None:
        rules = rule_book.for_record(record.jurisdiction)
        return rules.assess(record, on, rules.jurisdiction)
    try:
        rules = rule_book.for_jurisdiction(jurisdiction)
    except NotFound as error:
        raise ValidationFailed(
            [Problem("jurisdiction", f"{jurisdiction!r} is not a state of transfer")]
        ) from error
    return rules.assess(record, on, jurisdiction)


def _change(
    agency_id: str,
    agency_record_id: str,
    apply: Callable[[ProhibitingRecord], ProhibitingRecord],
    change: RecordChange,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    on_changed: OnChanged,
) -> RecordState:
    with unit_of_work() as uow:
        current = _owned(uow, agency_id, agency_record_id)
        updated = apply(current.record)
        state = store_change(uow, current, updated, f"agency:{agency_id}", change, now)
        uow.commit()
    on_changed(updated)
    return state


def store_change(
    uow: SqlUnitOfWork,
    current: VersionedRecord,
    updated: ProhibitingRecord,
    actor: str,
    change: RecordChange,
    now: datetime,
) -> RecordState:
    """Write a record's new state as its next version, with its audit entry, in the
    caller's transaction. Every path that changes a record goes through here."""
    if not uow.records.has_version(updated.record_id, current.version):
        # Bulk imports skip the first version; keep it before it is overwritten.
        uow.records.add_version(current.record, current.version, now, actor, "imported")
    if not uow.records.replace(updated, current.version, now):
        raise Conflict("stale_record", "the record changed meanwhile; read it again and retry")
    uow.records.add_version(updated, current.version + 1, now, actor, change)
    audit = AuditEvent(
        EventType.RECORD_CHANGED,
        actor=actor,
        object_type="record",
        object_id=updated.record_id,
        outcome=change,
        details={"category": updated.category.value},
    )
    uow.audit.append(audit, now)
    return RecordState(updated, current.version + 1)


def _owned(uow: SqlUnitOfWork, agency_id: str, agency_record_id: str) -> VersionedRecord:
    found = uow.records.get_by_agency_id(agency_id, agency_record_id)
    if found is None:
        raise NotFound("record", agency_record_id)
    return found


def _event(
    event_type: EventType, agency_id: str, record: ProhibitingRecord, outcome: str
) -> AuditEvent:
    return AuditEvent(
        event_type,
        actor=f"agency:{agency_id}",
        object_type="record",
        object_id=record.record_id,
        outcome=outcome,
        details={"category": record.category.value},
    )


@dataclass(frozen=True)
class MissingDisposition:
    agency_record_id: str
    category: Category
    event_date: date
    age_days: int


@dataclass(frozen=True)
class QualityReport:
    agency_id: str
    records: int
    by_category: dict[str, int]
    missing_disposition: int
    recent_imports: list[dict[str, object]]

    @property
    def missing_disposition_share(self) -> float:
        return self.missing_disposition / self.records if self.records else 0.0


def _lacks_disposition(record: ProhibitingRecord, rule_book: RuleBook, today: date) -> bool:
    """The rules, not a list here, say which records wait for a court's outcome."""
    rules = rule_book.for_record(record.jurisdiction)
    effect = rules.assess(record, today, rules.jurisdiction).effect
    return effect is RecordEffect.NEEDS_DISPOSITION


def missing_dispositions(
    agency_id: str, today: date, rule_book: RuleBook, unit_of_work: UnitOfWorkFactory
) -> list[MissingDisposition]:
    """The agency's arrests still waiting for their court outcome, oldest first."""
    with unit_of_work() as uow:
        waiting = [
            MissingDisposition(
                r.agency_record_id, r.category, r.event_date, (today - r.event_date).days
            )
            for r in uow.records.by_agency(agency_id)
            if _lacks_disposition(r, rule_book, today)
        ]
    return sorted(waiting, key=lambda m: -m.age_days)


def quality_report(
    agency_id: str, today: date, rule_book: RuleBook, unit_of_work: UnitOfWorkFactory
) -> QualityReport:
    by_category: dict[str, int] = {}
    total = missing = 0
    with unit_of_work() as uow:
        for record in uow.records.by_agency(agency_id):
            total += 1
            by_category[record.category.value] = by_category.get(record.category.value, 0) + 1
            missing += _lacks_disposition(record, rule_book, today)
        imports = uow.records.import_reports(agency_id)
    return QualityReport(agency_id, total, dict(sorted(by_category.items())), missing, imports)
