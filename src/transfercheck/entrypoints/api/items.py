"""`/v1/items/classify`: may this item be transferred here, and which clause says so?"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from transfercheck.entrypoints.api.checks import ERROR_RESPONSES
from transfercheck.entrypoints.api.dependencies import AppDep, DealerId, require_json
from transfercheck.entrypoints.api.item_schemas import ClassificationOut, ClassifyIn
from transfercheck.services.items import classify_item

router = APIRouter(prefix="/v1/items", tags=["items"])


@router.post(
    "/classify",
    response_model=ClassificationOut,
    response_model_by_alias=True,
    dependencies=[Depends(require_json)],
    responses=ERROR_RESPONSES,
)
def classify(body: ClassifyIn, dealer: DealerId, app: AppDep) -> ClassificationOut:
    """Say whether an item is allowed or prohibited in a jurisdiction on a date, with every
    clause in force: which ones prohibit it, with the features that made them, and why the
    others do not. Nothing is stored."""
    on = body.on or app.today(app.clock())
    result = classify_item(app.checking.rule_book, body.item.to_item(), body.jurisdiction, on)
    return ClassificationOut.of(result)
