"""Public pages of private sales, without a login: a buyer's self-check and certificate,
a seller's verification, the offline checklist, and the holder's revocation.

Forms carry the signed double-submit pair of `security` (there is no session to tie a
token to); a POST without a matching pair changes nothing (403).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from transfercheck.bootstrap import Application
from transfercheck.domain import certificate_codes
from transfercheck.domain.certificates import FactKind
from transfercheck.domain.checks import FirearmCategory
from transfercheck.domain.errors import NotFound, ValidationFailed
from transfercheck.domain.rules.private_transfers import Relationship, terms_on
from transfercheck.entrypoints.api.certificates import (
    SELF_CHECK_MESSAGES,
    SelfCheckIn,
    client_address,
    code_key,
)
from transfercheck.entrypoints.rate_limits import CertificateLimits, RateLimited
from transfercheck.entrypoints.web import security
from transfercheck.services import certificates as service

router = APIRouter(include_in_schema=False)


def _app(request: Request) -> Application:
    found: Application = request.app.state.application
    return found


def _limits(request: Request) -> CertificateLimits:
    found: CertificateLimits = request.app.state.certificate_limits
    return found


def _form_ok(request: Request, form: dict[str, str]) -> bool:
    return security.form_pair_ok(request, _app(request), form.pop(security.FORM_FIELD, ""))


def _page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    context = {"session": None, **context}
    return security.page_with_form_token(request, _app(request), template, context, status_code)


def _slow_down(request: Request, limited: RateLimited) -> Response:
    response = _page(request, "rate_limited.html", {"seconds": limited.retry_after_seconds}, 429)
    response.headers["Retry-After"] = str(limited.retry_after_seconds)
    return response


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


# ── Self-check ───────────────────────────────────────────────────────────────────────


@router.get("/self-check", response_class=HTMLResponse)
def self_check_page(request: Request) -> Response:
    return _page(request, "self_check.html", {"form": {}, "errors": {}})


@router.post("/self-check", response_class=HTMLResponse)
async def self_check_form(request: Request) -> Response:
    form = await _form(request)
    if not _form_ok(request, form):
        return security.expired_form()
    app = _app(request)
    errors: dict[str, str] = {}
    try:
        body = SelfCheckIn.model_validate(_self_check_body(form), strict=False)
        buyer = body.buyer.to_identity()
        _limits(request).self_check(client_address(request), buyer)
        now = app.clock()
        result = service.self_check(
            service.SelfCheckRequest(buyer, body.jurisdiction),
            app.checking,
            app.certificates,
            app.unit_of_work,
            now,
            app.today(now),
        )
    except RateLimited as limited:
        return _slow_down(request, limited)
    except ValidationError as error:
        errors = {_field(str(e["loc"][-1])): _text(e["msg"]) for e in error.errors()}
    except ValidationFailed as error:
        errors = {_field(p.location.split(".")[-1]): p.message for p in error.problems}
    if errors:
        return _page(request, "self_check.html", {"form": form, "errors": errors}, 422)
    return _page(request, "certificate.html", _result_context(result))


# The API body nests the ID document; the form has flat fields.
_FORM_FIELDS = {"id_document": "id_number", "number": "id_number", "issuer": "id_issuer"}


def _field(name: str) -> str:
    return _FORM_FIELDS.get(name, name)


def _text(message: str) -> str:
    return message.removeprefix("Value error, ")


def _self_check_body(form: dict[str, str]) -> dict[str, Any]:
    def optional(name: str) -> str | None:
        return form.get(name, "").strip() or None

    return {
        "buyer": {
            "given_name": form.get("given_name", ""),
            "middle_name": optional("middle_name"),
            "family_name": form.get("family_name", ""),
            "date_of_birth": form.get("date_of_birth", ""),
            "sex": form.get("sex", ""),
            "state_of_residence": optional("state_of_residence"),
            "id_document": {
                "type": form.get("id_type", ""),
                "number": form.get("id_number", "").strip(),
                "issuer": form.get("id_issuer", "").strip().upper(),
            },
        },
        "jurisdiction": form.get("jurisdiction", "").strip().upper(),
    }


def _result_context(result: service.SelfCheckResult) -> dict[str, Any]:
    context: dict[str, Any] = {
        "outcome": result.outcome.value,
        "message": SELF_CHECK_MESSAGES[result.outcome],
        "reference": result.reference,
        "reasons": [r.value.replace("_", " ") for r in result.reasons],
        "certificate": None,
    }
    issued = result.certificate
    if issued is not None:
        qr = segno.make(issued.token, error="m")
        context["certificate"] = {
            "code": certificate_codes.formatted(issued.code),
            "token": issued.token,
            "qr_svg": qr.svg_inline(scale=3, title="certificate token"),
            "expires_at": issued.claims.expires_at,
            "jurisdiction": issued.claims.jurisdiction,
            "scope": _scope_text(issued.claims.scope),
        }
    return context


def _scope_text(scope: frozenset[FirearmCategory]) -> str:
    names = {
        FirearmCategory.HANDGUN: "handguns",
        FirearmCategory.LONG_GUN: "long guns",
        FirearmCategory.OTHER: "other firearms",
    }
    return ", ".join(names[c] for c in sorted(scope)) if scope else ""


# ── Verification ─────────────────────────────────────────────────────────────────────

STATUS_TEXT = {
    "valid": "VALID",
    "expired": "EXPIRED",
    "revoked": "REVOKED",
    "not_found": "NOT FOUND",
}


@router.get("/certificates/verify", response_class=HTMLResponse)
def verify_page(request: Request) -> Response:
    return _page(request, "verify.html", {"form": {"fact": "date_of_birth"}, "result": None})


@router.post("/certificates/verify", response_class=HTMLResponse)
async def verify_form(request: Request) -> Response:
    form = await _form(request)
    if not _form_ok(request, form):
        return security.expired_form()
    app = _app(request)
    fact = _fact(form)
    if fact is None or not form.get("code", "").strip() or len(form["code"]) > 400:
        error = "Enter the code and the buyer's date of birth or the last 4 ID characters."
        return _page(request, "verify.html", {"form": form, "result": None, "error": error}, 422)
    try:
        _limits(request).verification(client_address(request), code_key(form["code"]))
    except RateLimited as limited:
        return _slow_down(request, limited)
    result = service.verify(form["code"], *fact, app.certificates, app.unit_of_work, app.clock())
    shown = {
        "status": result.status.value,
        "text": STATUS_TEXT[result.status.value],
        "jurisdiction": result.jurisdiction,
        "scope": _scope_text(result.scope),
    }
    return _page(request, "verify.html", {"form": form, "result": shown})


def _fact(form: dict[str, str]) -> tuple[FactKind, date | str] | None:
    if form.get("fact") == FactKind.ID_LAST_DIGITS.value:
        tail = form.get("id_last_digits", "").strip()
        return (FactKind.ID_LAST_DIGITS, tail) if tail.isalnum() and len(tail) <= 4 else None
    try:
        return FactKind.DATE_OF_BIRTH, date.fromisoformat(form.get("date_of_birth", ""))
    except ValueError:
        return None


# ── Offline checklist, revocation, what a private transfer needs ─────────────────────


@router.get("/certificates/offline", response_class=HTMLResponse)
def offline_page(request: Request) -> Response:
    app = _app(request)
    return _page(request, "offline.html", {"public_key": app.certificates.public_key_pem})


@router.get("/certificates/revoke", response_class=HTMLResponse)
def revoke_page(request: Request) -> Response:
    return _page(request, "revoke.html", {"form": {}, "done": None})


@router.post("/certificates/revoke", response_class=HTMLResponse)
async def revoke_form(request: Request) -> Response:
    form = await _form(request)
    if not _form_ok(request, form):
        return security.expired_form()
    app = _app(request)
    try:
        _limits(request).verification(client_address(request), code_key(form.get("code", "")))
        born = date.fromisoformat(form.get("date_of_birth", ""))
    except RateLimited as limited:
        return _slow_down(request, limited)
    except ValueError:
        return _page(request, "revoke.html", {"form": form, "done": False}, 422)
    done = service.revoke_by_holder(
        form.get("code", "")[:400],
        born,
        form.get("id_number", "")[:32],
        app.certificates,
        app.unit_of_work,
        app.clock(),
    )
    return _page(request, "revoke.html", {"form": {}, "done": done}, 200 if done else 404)


@router.get("/private-sales", response_class=HTMLResponse)
def private_sales_page(request: Request) -> Response:
    """The front door of private sales: the two routes and this state's exemptions."""
    app = _app(request)
    code = request.query_params.get("jurisdiction", "TX").upper()
    try:
        rules = app.checking.rule_book.for_jurisdiction(code)
    except NotFound:
        code, rules = "TX", app.checking.rule_book.for_jurisdiction("TX")
    terms = terms_on(rules.layers, app.today(app.clock()))
    exempt = sorted(terms.exempt_relationships) if terms else []
    context = {
        "jurisdiction": code,
        "terms": terms,
        "exempt": [r.value.replace("_", " ") for r in exempt if r is not Relationship.UNRELATED],
    }
    return _page(request, "private_sales.html", context)
