"""Importing prohibiting records from an agency's file.

By default a file is applied all-or-nothing: one bad row and nothing is imported. With
`skip_bad_rows` the good rows go in and the bad ones are reported. Rows already on file
(same agency and agency record id) are left as they are, so importing a file twice
changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.adapters.record_files import ParsedRow
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.errors import Problem
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.services.ports import UnitOfWorkFactory

BATCH_SIZE = 5_000
MAX_REPORTED_PROBLEMS = 1_000


@dataclass
class ImportReport:
    import_id: str
    rows_read: int = 0
    imported: int = 0
    already_on_file: int = 0
    rejected_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    def as_row(self, agency_id: str | None, now: datetime) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "source_agency": agency_id,
            "created_at": now,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "already_on_file": self.already_on_file,
            "rejected_rows": self.rejected_rows,
            "applied": self.applied,
            "problems": [{"location": p.location, "message": p.message} for p in self.problems],
        }

    def reject(self, row: ParsedRow) -> None:
        self.rejected_rows += 1
        room = MAX_REPORTED_PROBLEMS - len(self.problems)
        self.problems.extend(row.problems[: max(room, 0)])


def import_records(
    rows: Iterable[ParsedRow],
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    skip_bad_rows: bool = False,
    on_progress: Callable[[int], None] | None = None,
    on_imported: Callable[[list[ProhibitingRecord]], None] | None = None,
    actor: str = "operator:cli",
    agency_id: str | None = None,
) -> ImportReport:
    """Import in one transaction; `on_imported` sees the new records after the commit.

    With `agency_id` (an agency's own upload) every row must be that agency's. Memory stays
    bounded whatever the file's size: rows go to the database in batches, and a repeated
    id is recognised there, by the import that brought it.
    """
    report = ImportReport(import_id=uuid.uuid4().hex)
    imported: list[ProhibitingRecord] = []
    batch: list[ParsedRow] = []
    with unit_of_work() as uow:

        def flush() -> None:
            new = _new_records(batch, uow, report)
            report.imported += uow.records.add_many(new, now, report.import_id)
            if on_imported:
                imported.extend(new)
            batch.clear()

        for parsed in rows:
            report.rows_read += 1
            parsed = _owned_by(parsed, agency_id)
            if parsed.row is None:
                report.reject(parsed)
            elif report.rejected_rows == 0 or skip_bad_rows:
                batch.append(parsed)
            if len(batch) >= BATCH_SIZE:
                flush()
            if on_progress and report.rows_read % 1000 == 0:
                on_progress(report.rows_read)
        flush()
        report.applied = not report.rejected_rows or skip_bad_rows
        if report.applied:
            uow.audit.append(_imported_event(report, actor), now)
            uow.records.add_import_report(report.as_row(agency_id, now))
            uow.commit()
    if not report.applied:
        report.imported = 0
        _keep_failed_report(report, agency_id, unit_of_work, now)
    if on_progress:
        on_progress(report.rows_read)
    if on_imported and imported and report.applied:
        on_imported(imported)
    return report


def _owned_by(parsed: ParsedRow, agency_id: str | None) -> ParsedRow:
    if agency_id is None or parsed.row is None or parsed.row.source_agency == agency_id:
        return parsed
    problem = Problem(
        f"line {parsed.line}, field source_agency", f"must be your agency, {agency_id!r}"
    )
    return ParsedRow(parsed.line, None, (problem,))


def _keep_failed_report(
    report: ImportReport, agency_id: str | None, unit_of_work: UnitOfWorkFactory, now: datetime
) -> None:
    """A refused file changes no record, but the agency's quality report remembers why."""
    with unit_of_work() as uow:
        uow.records.add_import_report(report.as_row(agency_id, now))
        uow.commit()


def _imported_event(report: ImportReport, actor: str) -> AuditEvent:
    return AuditEvent(
        EventType.RECORDS_IMPORTED,
        actor=actor,
        object_type="record_import",
        object_id=report.import_id,
        details={
            "imported": report.imported,
            "already_on_file": report.already_on_file,
            "rejected_rows": report.rejected_rows,
        },
    )


def _new_records(
    batch: list[ParsedRow], uow: SqlUnitOfWork, report: ImportReport
) -> list[ProhibitingRecord]:
    by_agency: dict[str, list[ParsedRow]] = {}
    for parsed in batch:
        assert parsed.row is not None
        by_agency.setdefault(parsed.row.source_agency, []).append(parsed)
    new: list[ProhibitingRecord] = []
    for agency, group in by_agency.items():
        ids = [p.row.agency_record_id for p in group if p.row]
        on_file = uow.records.existing_agency_ids(agency, ids)
        in_batch: set[str] = set()
        for parsed in group:
            assert parsed.row is not None
            agency_record_id = parsed.row.agency_record_id
            repeated = agency_record_id in in_batch or (
                on_file.get(agency_record_id, "") == report.import_id
            )
            if repeated:
                report.reject(_repeated(parsed.line, agency_record_id))
            elif agency_record_id in on_file:
                report.already_on_file += 1
            else:
                in_batch.add(agency_record_id)
                new.append(parsed.row.to_record(uuid.uuid4().hex))
    return new


def _repeated(line: int, agency_record_id: str) -> ParsedRow:
    problem = Problem(
        f"line {line}, field agency_record_id", f"{agency_record_id!r} appears twice in this file"
    )
    return ParsedRow(line, None, (problem,))
