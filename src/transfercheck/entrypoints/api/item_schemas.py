"""Bodies of `POST /v1/items/classify`. Strict like the checks: unknown fields are an error."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from transfercheck.domain.determinations import ClauseFinding, ItemStatus
from transfercheck.entrypoints.api.schemas import IsoDate, ItemIn, StrictBody
from transfercheck.services.items import Classification

ClassificationCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,24})?$")]


class ClassifyIn(StrictBody):
    item: ItemIn
    jurisdiction: ClassificationCode = Field(
        description="A state or territory code, US for federal law alone, or a proposal "
        "such as US-AWB2013"
    )
    on: IsoDate | None = Field(
        default=None, alias="date", description="The transfer date; default today"
    )


class ClauseOut(BaseModel):
    jurisdiction: str
    clause: str
    citation: str
    label: str
    bans: str = Field(description="'weapon' or 'magazine'")
    explanation: str
    features: list[str] = Field(description="The features that made the clause reach the item")

    @classmethod
    def of(cls, finding: ClauseFinding) -> ClauseOut:
        return cls(
            jurisdiction=finding.jurisdiction,
            clause=finding.clause,
            citation=finding.citation,
            label=finding.label,
            bans=finding.bans,
            explanation=finding.explanation,
            features=list(finding.features),
        )


class ClassificationOut(BaseModel):
    jurisdiction: str
    jurisdiction_name: str
    proposal: bool = Field(description="True for a bill that never became law")
    note: str | None
    on: date = Field(serialization_alias="date")
    status: ItemStatus
    prohibited_by: list[ClauseOut] = Field(description="The clauses that prohibit the item")
    not_applying: list[ClauseOut] = Field(
        description="Every other clause in force, and why it does not reach the item"
    )
    rules_version: str

    @classmethod
    def of(cls, result: Classification) -> ClassificationOut:
        assessment = result.assessment
        return cls(
            jurisdiction=result.rules.jurisdiction,
            jurisdiction_name=result.rules.name,
            proposal=result.rules.proposal,
            note=result.rules.note or None,
            on=assessment.on,
            status=assessment.status,
            prohibited_by=[ClauseOut.of(f) for f in assessment.findings if f.prohibits],
            not_applying=[ClauseOut.of(f) for f in assessment.findings if not f.prohibits],
            rules_version=result.rules_version,
        )
