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
    rows_read: int = 0
    imported: int = 0
    already_on_file: int = 0
    rejected_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

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
) -> ImportReport:
    """Import in one transaction; `on_imported` sees the new records after the commit."""
    report = ImportReport()
    seen: set[tuple[str, str]] = set()
    imported: list[ProhibitingRecord] = []
    batch: list[ParsedRow] = []
    with unit_of_work() as uow:

        def flush() -> None:
            new = _new_records(batch, uow, seen, report)
            report.imported += uow.records.add_many(new, now)
            if on_imported:
                imported.extend(new)
            batch.clear()

        for parsed in rows:
            report.rows_read += 1
            if parsed.row is None:
                report.reject(parsed)
            elif report.rejected_rows == 0 or skip_bad_rows:
                batch.append(parsed)
            if len(batch) >= BATCH_SIZE:
                flush()
            if on_progress and report.rows_read % 1000 == 0:
                on_progress(report.rows_read)
        flush()
        if report.rejected_rows and not skip_bad_rows:
            report.imported = 0
            return report  # leaving the unit of work rolls everything back
        uow.audit.append(
            AuditEvent(
                EventType.RECORDS_IMPORTED,
                actor=actor,
                object_type="record_batch",
                object_id=f"{report.imported}-records",
                details={
                    "imported": report.imported,
                    "already_on_file": report.already_on_file,
                    "rejected_rows": report.rejected_rows,
                },
            ),
            now,
        )
        uow.commit()
        report.applied = True
    if on_progress:
        on_progress(report.rows_read)
    if on_imported and imported:
        on_imported(imported)
    return report


def _new_records(
    batch: list[ParsedRow], uow: SqlUnitOfWork, seen: set[tuple[str, str]], report: ImportReport
) -> list[ProhibitingRecord]:
    by_agency: dict[str, list[ParsedRow]] = {}
    for parsed in batch:
        assert parsed.row is not None
        by_agency.setdefault(parsed.row.source_agency, []).append(parsed)
    new: list[ProhibitingRecord] = []
    for agency, group in by_agency.items():
        ids = [p.row.agency_record_id for p in group if p.row]
        on_file = uow.records.existing_agency_ids(agency, ids)
        for parsed in group:
            assert parsed.row is not None
            key = (agency, parsed.row.agency_record_id)
            if parsed.row.agency_record_id in on_file:
                report.already_on_file += 1
            elif key in seen:
                report.reject(
                    ParsedRow(
                        parsed.line,
                        None,
                        (
                            Problem(
                                f"line {parsed.line}, field agency_record_id",
                                f"{key[1]!r} appears twice in this file",
                            ),
                        ),
                    )
                )
            else:
                seen.add(key)
                new.append(parsed.row.to_record(uuid.uuid4().hex))
    return new
