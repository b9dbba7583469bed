"""Examiner pages: the queue of delayed checks, claims, the evidence page and decisions;
supervisors also reassign and override. Server-rendered, no script.

Every POST carries the session's anti-forgery token and, where it changes a check, the
version the page showed; a refused change (another examiner was first, the page was
stale) answers 409 with a page that says why, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from transfercheck.domain.checks import is_valid_ntn
from transfercheck.domain.determinations import CheckStatus, ReasonCode
from transfercheck.domain.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from transfercheck.domain.review import (
    LABELS,
    REVIEW_ROLES,
    DenyReason,
    OverrideReason,
    ProceedReason,
    QueueFilter,
    ReassignReason,
)
from transfercheck.domain.rules import TRANSFER_JURISDICTIONS
from transfercheck.entrypoints.web.security import csrf_ok
from transfercheck.entrypoints.web.staff import (
    AppDep,
    StaffDep,
    SupervisorDep,
    message_page,
    render,
)
from transfercheck.services import review
from transfercheck.services.dispositions import request_disposition
from transfercheck.services.evidence import load_evidence

router = APIRouter(prefix="/review", include_in_schema=False)
Csrf = Annotated[str, Form()]
Version = Annotated[int, Form(ge=1)]
NOTICES = {
    "empty": "No open check is waiting to be claimed.",
    "released": "The claim was released; the check is back in the queue.",
}


@router.get("")
def home() -> RedirectResponse:
    return RedirectResponse("/review/queue", status_code=303)


@router.get("/queue", response_class=HTMLResponse)
def queue_page(
    request: Request,
    app: AppDep,
    session: StaffDep,
    jurisdiction: Annotated[str, Query(max_length=2)] = "",
    reason: Annotated[str, Query(max_length=32)] = "",
    notice: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    where = QueueFilter(
        jurisdiction if jurisdiction in TRANSFER_JURISDICTIONS else None,
        ReasonCode(reason) if reason in {r.value for r in ReasonCode} else None,
    )
    queue = review.queue(app.review, session.user, where, app.clock())
    return render(
        request,
        "queue.html",
        session,
        wide=True,
        queue=queue,
        where=where,
        now=app.clock(),
        jurisdictions=sorted(TRANSFER_JURISDICTIONS),
        reasons=[r for r in ReasonCode if r is not ReasonCode.UNDERAGE],
        notice=NOTICES.get(notice),
    )


@router.post("/next")
def claim_next(request: Request, app: AppDep, session: StaffDep, csrf: Csrf = "") -> Response:
    return _act(request, session, csrf, lambda: _next(app, session), "/review/queue?notice=empty")


@router.post("/checks/{ntn}/claim")
def claim(ntn: str, request: Request, app: AppDep, session: StaffDep, csrf: Csrf = "") -> Response:
    def act() -> None:
        review.claim(app.review, session.user, ntn, app.clock())

    return _act(request, session, csrf, act, _evidence(ntn))


@router.get("/checks/{ntn}", response_class=HTMLResponse)
def evidence_page(ntn: str, request: Request, app: AppDep, session: StaffDep) -> Response:
    if not is_valid_ntn(ntn):
        return message_page(request, session, "No such check", "There is no such check.", 404)
    try:
        evidence = load_evidence(app.review, session.user, ntn, app.clock())
    except (Conflict, NotFound) as error:
        return _refused(request, session, error)
    with app.unit_of_work() as uow:
        colleagues = [
            u
            for u in uow.accounts.users_with_roles(REVIEW_ROLES)
            if u.user_id != session.user.user_id
        ]
    return render(
        request,
        "evidence.html",
        session,
        wide=True,
        e=evidence,
        labels=LABELS,
        deny_reasons=list(DenyReason),
        proceed_reasons=list(ProceedReason),
        override_reasons=list(OverrideReason),
        reassign_reasons=list(ReassignReason),
        colleagues=colleagues,
    )


@router.post("/checks/{ntn}/decide")
def decide(
    ntn: str,
    request: Request,
    app: AppDep,
    session: StaffDep,
    version: Version,
    outcome: Annotated[CheckStatus, Form()],
    reason: Annotated[str, Form(max_length=32)],
    csrf: Csrf = "",
) -> Response:
    def act() -> None:
        review.decide(app.review, session.user, ntn, version, outcome, reason, app.clock())

    return _act(request, session, csrf, act, _evidence(ntn))


@router.post("/checks/{ntn}/release")
def release(
    ntn: str, request: Request, app: AppDep, session: StaffDep, csrf: Csrf = ""
) -> Response:
    def act() -> None:
        review.release(app.review, session.user, ntn, app.clock())

    return _act(request, session, csrf, act, "/review/queue?notice=released")


@router.post("/checks/{ntn}/extend")
def extend(
    ntn: str, request: Request, app: AppDep, session: StaffDep, version: Version, csrf: Csrf = ""
) -> Response:
    def act() -> None:
        review.extend_for_under_21(app.review, session.user, ntn, version, app.clock())

    return _act(request, session, csrf, act, _evidence(ntn))


@router.post("/checks/{ntn}/dispositions")
def ask_agency(
    ntn: str,
    request: Request,
    app: AppDep,
    session: StaffDep,
    version: Version,
    record_id: Annotated[str, Form(max_length=40)],
    csrf: Csrf = "",
) -> Response:
    base = app.settings.base_url

    def act() -> None:
        request_disposition(
            app.review,
            session.user,
            ntn,
            version,
            record_id,
            lambda request_id: f"{base}/v1/disposition-requests/{request_id}/answer",
            app.clock(),
        )

    return _act(request, session, csrf, act, _evidence(ntn))


@router.post("/checks/{ntn}/reassign")
def reassign(
    ntn: str,
    request: Request,
    app: AppDep,
    session: SupervisorDep,
    version: Version,
    to_user: Annotated[str, Form(max_length=32)],
    reason: Annotated[ReassignReason, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Csrf = "",
) -> Response:
    def act() -> None:
        review.reassign(app.review, session.user, ntn, version, to_user, reason, note, app.clock())

    return _act(request, session, csrf, act, _evidence(ntn))


@router.post("/checks/{ntn}/override")
def override(
    ntn: str,
    request: Request,
    app: AppDep,
    session: SupervisorDep,
    version: Version,
    outcome: Annotated[CheckStatus, Form()],
    reason: Annotated[OverrideReason, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Csrf = "",
) -> Response:
    def act() -> None:
        review.override(app.review, session.user, ntn, version, outcome, reason, note, app.clock())

    return _act(request, session, csrf, act, _evidence(ntn))


def _evidence(ntn: str) -> str:
    return f"/review/checks/{ntn}"


def _next(app: AppDep, session: StaffDep) -> str | None:
    ntn = review.claim_next(app.review, session.user, app.clock())
    return _evidence(ntn) if ntn else None


def _act(
    request: Request,
    session: StaffDep,
    csrf: str,
    action: Callable[[], object],
    done: str,
) -> Response:
    """Run a state-changing action behind the anti-forgery check; redirect on success (or
    to where the action says), explain a refusal on a page."""
    if not csrf_ok(session, csrf):
        return Response("invalid form token", status_code=403)
    try:
        target = action()
    except (Conflict, NotFound, ValidationFailed, Forbidden) as error:
        return _refused(request, session, error)
    return RedirectResponse(target if isinstance(target, str) else done, status_code=303)


def _refused(request: Request, session: StaffDep, error: Exception) -> Response:
    if isinstance(error, Conflict):
        return message_page(request, session, "Not changed", str(error), 409)
    if isinstance(error, NotFound):
        return message_page(request, session, "No such check", "There is no such check.", 404)
    if isinstance(error, Forbidden):
        return message_page(request, session, "Not allowed", str(error), 403)
    assert isinstance(error, ValidationFailed)
    text = "; ".join(f"{p.location.replace('_', ' ')}: {p.message}" for p in error.problems)
    return message_page(request, session, "Not changed", text, 422)
