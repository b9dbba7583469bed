"""`/v1/certificates` and `/v1/private-transfers`: the public, login-free API of private
sales. A buyer self-checks, a seller verifies, a holder revokes; anyone reads the public
key and what a private transfer needs. Rate-limited per address and per code or identity.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field, StringConstraints, model_validator

from transfercheck.domain import certificate_codes
from transfercheck.domain.certificates import FactKind, VerificationStatus
from transfercheck.domain.checks import FirearmCategory
from transfercheck.domain.errors import NotFound, Problem, ValidationFailed
from transfercheck.domain.rules.private_transfers import Relationship, Route, requirement, terms_on
from transfercheck.entrypoints.api.dependencies import AppDep, require_json
from transfercheck.entrypoints.api.schemas import BuyerIn, ErrorBody, IsoDate, StateCode, StrictBody
from transfercheck.entrypoints.rate_limits import CertificateLimits
from transfercheck.services import certificates as service

router = APIRouter(tags=["private transfers"])

_ERRORS: dict[int | str, dict[str, object]] = {
    413: {"model": ErrorBody},
    415: {"model": ErrorBody},
    422: {"model": ErrorBody},
    429: {"model": ErrorBody, "description": "Too many requests; see Retry-After"},
    503: {"model": ErrorBody},
}
CodeText = Annotated[str, StringConstraints(min_length=1, max_length=400)]
IdText = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 -]{1,32}$")]


def limits(request: Request) -> CertificateLimits:
    found: CertificateLimits = request.app.state.certificate_limits
    return found


LimitsDep = Annotated[CertificateLimits, Depends(limits)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def code_key(presented: str) -> str:
    """What the per-code limit counts: the code, however it was typed."""
    return certificate_codes.canonical(presented) or presented.strip().upper()[:64]


# ── Bodies ───────────────────────────────────────────────────────────────────────────


class SelfCheckIn(StrictBody):
    buyer: BuyerIn = Field(description="Yourself, as on your photo ID; id_document is required")
    jurisdiction: StateCode = Field(description="The state where you mean to buy")


class SelfCheckOut(BaseModel):
    outcome: service.SelfCheckOutcome
    reference: str
    message: str
    code: str | None = Field(None, description="Give this to the seller with your ID")
    token: str | None = Field(None, description="The signed certificate, for offline checks")
    expires_at: datetime | None = None
    jurisdiction: str | None = None
    firearm_categories: list[FirearmCategory] = []
    reasons: list[str] = []


class VerifyIn(StrictBody):
    code: CodeText = Field(description="The code, or the whole token from the QR code")
    date_of_birth: IsoDate | None = None
    id_last_digits: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,4}$")] | None = None

    @model_validator(mode="after")
    def _one_fact(self) -> VerifyIn:
        if (self.date_of_birth is None) == (self.id_last_digits is None):
            raise ValueError("give exactly one of date_of_birth and id_last_digits")
        return self

    @property
    def fact(self) -> tuple[FactKind, date | str]:
        if self.date_of_birth is not None:
            return FactKind.DATE_OF_BIRTH, self.date_of_birth
        assert self.id_last_digits is not None
        return FactKind.ID_LAST_DIGITS, self.id_last_digits


class VerificationOut(BaseModel):
    status: VerificationStatus
    jurisdiction: str | None = Field(None, description="Where a valid certificate holds")
    firearm_categories: list[FirearmCategory] = []


class RevokeIn(StrictBody):
    code: CodeText
    date_of_birth: IsoDate
    id_number: IdText


class RevokeOut(BaseModel):
    status: Literal["revoked"]


class RequirementOut(BaseModel):
    jurisdiction: str
    relationship: Relationship
    check_required: bool
    routes: list[Route]
    certificate_validity_days: int | None
    citation: str


# ── Routes ───────────────────────────────────────────────────────────────────────────

SELF_CHECK_MESSAGES = {
    service.SelfCheckOutcome.ISSUED: "Certificate issued. Show the seller the code and your ID.",
    service.SelfCheckOutcome.NOT_OFFERED: (
        "This state does not offer certificates: a private sale goes through a dealer."
    ),
    service.SelfCheckOutcome.UNDERAGE: "You are under the minimum age for every firearm here.",
    service.SelfCheckOutcome.DENIED: (
        "Denied: a prohibiting record matches the identifier you gave. You may appeal, "
        "quoting the reference."
    ),
    service.SelfCheckOutcome.DELAYED: (
        "A record needs research before a certificate can be issued. A dealer's check can "
        "still be run; you may ask for a review quoting the reference."
    ),
    service.SelfCheckOutcome.NOT_ISSUED: (
        "No certificate can be issued online from these details. This alone does not mean "
        "anyone is prohibited. You can still buy through a dealer."
    ),
}


@router.post(
    "/v1/certificates/self-check",
    response_model=SelfCheckOut,
    status_code=200,
    dependencies=[Depends(require_json)],
    responses={201: {"model": SelfCheckOut, "description": "A certificate"}, **_ERRORS},
)
def self_check(
    body: SelfCheckIn, request: Request, response: Response, app: AppDep, limit: LimitsDep
) -> SelfCheckOut:
    """Check yourself; on PROCEED get a signed certificate. Details of any other answer
    are given only when the ID you enter agrees with a matched record."""
    buyer = body.buyer.to_identity()
    limit.self_check(client_address(request), buyer)
    now = app.clock()
    result = service.self_check(
        service.SelfCheckRequest(buyer, body.jurisdiction),
        app.checking,
        app.certificates,
        app.unit_of_work,
        now,
        app.today(now),
    )
    out = SelfCheckOut(
        outcome=result.outcome,
        reference=result.reference,
        message=SELF_CHECK_MESSAGES[result.outcome],
        reasons=[r.value for r in result.reasons],
    )
    if result.certificate is None:
        return out
    response.status_code = 201
    claims = result.certificate.claims
    return out.model_copy(
        update={
            "code": certificate_codes.formatted(result.certificate.code),
            "token": result.certificate.token,
            "expires_at": claims.expires_at,
            "jurisdiction": claims.jurisdiction,
            "firearm_categories": sorted(claims.scope),
        }
    )


@router.post(
    "/v1/certificates/verify",
    response_model=VerificationOut,
    dependencies=[Depends(require_json)],
    responses=_ERRORS,
)
def verify(body: VerifyIn, request: Request, app: AppDep, limit: LimitsDep) -> VerificationOut:
    """A seller's check: valid, expired, revoked or not found. Nothing about the seller or
    the firearm is asked for or kept."""
    limit.verification(client_address(request), code_key(body.code))
    kind, value = body.fact
    result = service.verify(body.code, kind, value, app.certificates, app.unit_of_work, app.clock())
    return VerificationOut(
        status=result.status,
        jurisdiction=result.jurisdiction,
        firearm_categories=sorted(result.scope),
    )


@router.post(
    "/v1/certificates/revoke",
    response_model=RevokeOut,
    dependencies=[Depends(require_json)],
    responses={404: {"model": ErrorBody}, **_ERRORS},
)
def revoke(body: RevokeIn, request: Request, app: AppDep, limit: LimitsDep) -> RevokeOut:
    """The holder withdraws their certificate (code, date of birth and whole ID number)."""
    limit.verification(client_address(request), code_key(body.code))
    if not service.revoke_by_holder(
        body.code,
        body.date_of_birth,
        body.id_number,
        app.certificates,
        app.unit_of_work,
        app.clock(),
    ):
        raise NotFound("certificate", "")
    return RevokeOut(status="revoked")


@router.get("/v1/certificates/public-key", response_class=PlainTextResponse)
def public_key(app: AppDep) -> PlainTextResponse:
    """The Ed25519 public key (PEM) that verifies certificate tokens offline."""
    return PlainTextResponse(app.certificates.public_key_pem, media_type="application/x-pem-file")


@router.get("/v1/private-transfers/requirement", response_model=RequirementOut, responses=_ERRORS)
def private_transfer_requirement(
    app: AppDep,
    jurisdiction: Annotated[str, Query(pattern=r"^[A-Z]{2}$")],
    relationship: Relationship = Relationship.UNRELATED,
) -> RequirementOut:
    """Does a private transfer between persons so related need a check here, and how?"""
    try:
        rules = app.checking.rule_book.for_jurisdiction(jurisdiction)
    except NotFound:
        problem = Problem("jurisdiction", f"unknown jurisdiction {jurisdiction!r}")
        raise ValidationFailed([problem]) from None
    terms = terms_on(rules.layers, app.today(app.clock()))
    needed = requirement(terms, relationship)
    offered = terms is not None and terms.certificates_offered
    return RequirementOut(
        jurisdiction=jurisdiction,
        relationship=relationship,
        check_required=needed.check_required,
        routes=list(needed.routes),
        certificate_validity_days=terms.certificate_validity_days if offered and terms else None,
        citation=needed.citation,
    )
