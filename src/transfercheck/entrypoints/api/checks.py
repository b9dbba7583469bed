"""`/v1/checks`: submit a check and read your own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from transfercheck.domain.checks import CheckRequest
from transfercheck.entrypoints.api.dependencies import AppDep, DealerId, require_json
from transfercheck.entrypoints.api.schemas import CheckCreate, CheckList, CheckPublic, ErrorBody
from transfercheck.services.checks import MAX_PAGE_SIZE, get_check, list_checks
from transfercheck.services.intake import submit_check

router = APIRouter(prefix="/v1/checks", tags=["checks"])

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description="A fresh key per check; a retry with the same key returns the same NTN",
    ),
]

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    404: {"model": ErrorBody},
    413: {"model": ErrorBody},
    415: {"model": ErrorBody},
    422: {"model": ErrorBody},
    503: {"model": ErrorBody},
}


@router.post(
    "",
    status_code=201,
    response_model=CheckPublic,
    dependencies=[Depends(require_json)],
    responses={
        200: {"model": CheckPublic, "description": "A replay of an earlier request"},
        **ERROR_RESPONSES,
    },
)
def create_check(
    body: CheckCreate,
    idempotency_key: IdempotencyKey,
    dealer: DealerId,
    app: AppDep,
    response: Response,
) -> CheckPublic:
    """Run a background check on a buyer for a transfer. Answers PROCEED, DENIED or DELAYED
    with an NTN; a DENIED answer carries no record details."""
    now = app.clock()
    request = CheckRequest(dealer, body.to_transfer(), idempotency_key)
    submitted = submit_check(request, app.checking, app.unit_of_work, now, app.today(now))
    if submitted.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return CheckPublic.of(submitted.check, app.today(now))


@router.get("/{ntn}", response_model=CheckPublic, responses=ERROR_RESPONSES)
def read_check(ntn: str, dealer: DealerId, app: AppDep) -> CheckPublic:
    """The check as it stands today: a delayed check may have been answered since, or
    reached its default-proceed date ("open: transfer may proceed")."""
    return CheckPublic.of(get_check(dealer, ntn, app.unit_of_work), app.today(app.clock()))


@router.get("", response_model=CheckList, responses=ERROR_RESPONSES)
def read_checks(
    dealer: DealerId,
    app: AppDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CheckList:
    checks = list_checks(dealer, app.unit_of_work, limit, offset)
    today = app.today(app.clock())
    return CheckList(checks=[CheckPublic.of(c, today) for c in checks], limit=limit, offset=offset)
