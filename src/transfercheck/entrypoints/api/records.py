"""`/v1/records`: a records agency submits, corrects and relieves its own records."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel

from transfercheck.adapters.interchange import record_to_row
from transfercheck.adapters.record_files import RecordRow, read_rows
from transfercheck.domain.errors import NotAuthenticated, Problem, ValidationFailed
from transfercheck.domain.records import Disposition, ProhibitingRecord, Relief, ReliefType
from transfercheck.entrypoints.api.dependencies import AppDep
from transfercheck.entrypoints.api.schemas import ErrorBody, IsoDate, StrictBody
from transfercheck.services import agency_records as service
from transfercheck.services.accounts import authenticate_agency_key
from transfercheck.services.records import import_records

router = APIRouter(prefix="/v1", tags=["records"])

AgencyRecordId = Annotated[str, PathParam(pattern=r"^[\x21-\x7e]{1,64}$")]
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 413, 415, 422)
}


def agency_id(app: AppDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """The records agency behind `Authorization: Bearer <agency API key>`."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("send 'Authorization: Bearer <API key>'")
    return authenticate_agency_key(token.strip(), app.unit_of_work)


AgencyId = Annotated[str, Depends(agency_id)]


class RecordPublic(BaseModel):
    record_id: str
    version: int
    record: dict[str, Any]

    @classmethod
    def of(cls, state: service.RecordState) -> RecordPublic:
        return cls(
            record_id=state.record.record_id,
            version=state.version,
            record=record_to_row(state.record),
        )


class DispositionIn(StrictBody):
    disposition: Disposition
    disposition_date: IsoDate


class ReliefIn(StrictBody):
    type: ReliefType
    granted_on: IsoDate
    keeps_firearm_ban: bool = False


class ExpiryIn(StrictBody):
    expiry_date: IsoDate


def _index(app: AppDep) -> service.OnChanged:
    def on_changed(record: ProhibitingRecord) -> None:
        app.index_records([record])

    return on_changed


@router.post("/records", status_code=201, response_model=RecordPublic, responses=_ERRORS)
def submit(body: RecordRow, agency: AgencyId, app: AppDep, response: Response) -> RecordPublic:
    """Submit one record. The same record again changes nothing (200)."""
    state = service.submit_record(agency, body, app.unit_of_work, app.clock(), _index(app))
    if not state.created:
        response.status_code = 200
    return RecordPublic.of(state)


@router.get("/records/{agency_record_id}", response_model=RecordPublic, responses=_ERRORS)
def read(agency_record_id: AgencyRecordId, agency: AgencyId, app: AppDep) -> RecordPublic:
    return RecordPublic.of(service.get_record(agency, agency_record_id, app.unit_of_work))


@router.put("/records/{agency_record_id}", response_model=RecordPublic, responses=_ERRORS)
def correct(
    agency_record_id: AgencyRecordId, body: RecordRow, agency: AgencyId, app: AppDep
) -> RecordPublic:
    """Correct a record: send the whole corrected row."""
    state = service.correct_record(
        agency, agency_record_id, body, app.unit_of_work, app.clock(), _index(app)
    )
    return RecordPublic.of(state)


@router.post(
    "/records/{agency_record_id}/disposition", response_model=RecordPublic, responses=_ERRORS
)
def disposition(
    agency_record_id: AgencyRecordId, body: DispositionIn, agency: AgencyId, app: AppDep
) -> RecordPublic:
    state = service.add_disposition(
        agency,
        agency_record_id,
        body.disposition,
        body.disposition_date,
        app.unit_of_work,
        app.clock(),
        _index(app),
    )
    return RecordPublic.of(state)


@router.post("/records/{agency_record_id}/relief", response_model=RecordPublic, responses=_ERRORS)
def relief(
    agency_record_id: AgencyRecordId, body: ReliefIn, agency: AgencyId, app: AppDep
) -> RecordPublic:
    """Record an expungement, set-aside, pardon or restoration of rights."""
    granted = Relief(body.type, body.granted_on, body.keeps_firearm_ban)
    state = service.relieve(
        agency, agency_record_id, granted, app.unit_of_work, app.clock(), _index(app)
    )
    return RecordPublic.of(state)


@router.post("/records/{agency_record_id}/expiry", response_model=RecordPublic, responses=_ERRORS)
def expiry(
    agency_record_id: AgencyRecordId, body: ExpiryIn, agency: AgencyId, app: AppDep
) -> RecordPublic:
    state = service.expire(
        agency, agency_record_id, body.expiry_date, app.unit_of_work, app.clock(), _index(app)
    )
    return RecordPublic.of(state)


@router.get("/records/{agency_record_id}/history", responses=_ERRORS)
def history(
    agency_record_id: AgencyRecordId, agency: AgencyId, app: AppDep
) -> list[dict[str, Any]]:
    """Every version of the record: who changed it, when, how, and the row after."""
    return [
        {
            "version": v.version,
            "changed_at": v.changed_at,
            "changed_by": v.changed_by,
            "change": v.change,
            "record": v.snapshot,
        }
        for v in service.record_history(agency, agency_record_id, app.unit_of_work)
    ]


@router.get("/records/{agency_record_id}/status", responses=_ERRORS)
def status(
    agency_record_id: AgencyRecordId,
    agency: AgencyId,
    app: AppDep,
    on: Annotated[date | None, Query(description="Default: today")] = None,
    jurisdiction: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
) -> dict[str, str]:
    """Whether the record prohibits on a date (now, or any day in the past or future)."""
    day = on or app.today(app.clock())
    assessment = service.record_status(
        agency, agency_record_id, day, jurisdiction, app.checking.rule_book, app.unit_of_work
    )
    return {
        "on": day.isoformat(),
        "effect": assessment.effect.value,
        "explanation": assessment.explanation,
        "citation": assessment.citation,
    }


@router.get("/records", responses=_ERRORS)
def missing(
    agency: AgencyId,
    app: AppDep,
    missing_disposition: Annotated[bool, Query()],
) -> list[dict[str, Any]]:
    """The agency's records still waiting for a court's outcome, oldest first."""
    if not missing_disposition:
        raise ValidationFailed([Problem("missing_disposition", "only 'true' is supported")])
    today = app.today(app.clock())
    return [
        {
            "agency_record_id": m.agency_record_id,
            "category": m.category.value,
            "event_date": m.event_date,
            "age_days": m.age_days,
        }
        for m in service.missing_dispositions(
            agency, today, app.checking.rule_book, app.unit_of_work
        )
    ]


@router.get("/agency/quality", responses=_ERRORS)
def quality(agency: AgencyId, app: AppDep) -> dict[str, Any]:
    """Counts by category, the share missing a disposition, and recent imports' rejections."""
    report = service.quality_report(
        agency, app.today(app.clock()), app.checking.rule_book, app.unit_of_work
    )
    return {
        "agency_id": report.agency_id,
        "records": report.records,
        "by_category": report.by_category,
        "missing_disposition": report.missing_disposition,
        "missing_disposition_share": round(report.missing_disposition_share, 4),
        "recent_imports": report.recent_imports,
    }


_FORMATS = {"text/csv": "csv", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl"}


@router.post("/records/imports", responses=_ERRORS)
async def bulk_import(
    request: Request,
    agency: AgencyId,
    app: AppDep,
    skip_bad_rows: bool = False,
    content_type: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Upload a CSV or JSON Lines file of records; streamed to disk, then applied in one
    transaction (all-or-nothing unless `skip_bad_rows`)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in _FORMATS:
        raise ValidationFailed(
            [Problem("content-type", f"send one of: {', '.join(sorted(_FORMATS))}")]
        )
    suffix = ".csv" if _FORMATS[media] == "csv" else ".jsonl"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"upload{suffix}"
        with path.open("wb") as spool:
            async for chunk in request.stream():
                spool.write(chunk)
        report = import_records(
            read_rows(path),
            app.unit_of_work,
            app.clock(),
            skip_bad_rows=skip_bad_rows,
            on_imported=app.index_records,
            actor=f"agency:{agency}",
            agency_id=agency,
        )
    return {
        "import_id": report.import_id,
        "applied": report.applied,
        "rows_read": report.rows_read,
        "imported": report.imported,
        "already_on_file": report.already_on_file,
        "rejected_rows": report.rejected_rows,
        "problems": [{"location": p.location, "message": p.message} for p in report.problems],
    }
