"""`/v1/disposition-requests`: a records agency answers a request for a missing
disposition, with the one-time token the request came with. The answer never tells the
agency how the check ends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path
from pydantic import BaseModel

from transfercheck.domain.records import Disposition
from transfercheck.entrypoints.api.dependencies import AppDep, bearer_token, require_json
from transfercheck.entrypoints.api.schemas import ErrorBody, IsoDate, StrictBody
from transfercheck.services.dispositions import answer_disposition

router = APIRouter(prefix="/v1/disposition-requests", tags=["records agencies"])


class DispositionAnswer(StrictBody):
    disposition: Disposition
    disposition_date: IsoDate | None = None


class AnswerReceipt(BaseModel):
    request_id: str
    status: str


@router.post(
    "/{request_id}/answer",
    response_model=AnswerReceipt,
    dependencies=[Depends(require_json)],
    responses={code: {"model": ErrorBody} for code in (401, 409, 415, 422)},
)
def answer(
    request_id: Annotated[str, Path(pattern=r"^DR-[0-9a-f]{16}$")],
    body: DispositionAnswer,
    app: AppDep,
    authorization: Annotated[str | None, Header()] = None,
) -> AnswerReceipt:
    """Record how the case ended (`convicted`, `acquitted`, `dismissed`, or `pending`);
    authenticate with `Authorization: Bearer <answer_token>` from the request."""
    answer_disposition(
        app.checking,
        app.review,
        request_id,
        bearer_token(authorization, "answer token"),
        body.disposition,
        body.disposition_date,
        app.clock(),
    )
    return AnswerReceipt(request_id=request_id, status="answered")
