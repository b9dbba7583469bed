"""Dealer pages: log in, submit a check, see the answer and the list of own checks.

Every form carries the session's anti-forgery token; a POST without it changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from transfercheck.bootstrap import Application
from transfercheck.domain.accounts import Role, Session
from transfercheck.domain.checks import CheckRequest, FirearmCategory, TransferType
from transfercheck.domain.errors import (
    IdempotencyConflict,
    NotFound,
    ValidationFailed,
)
from transfercheck.domain.items import Action, Feature, FirearmClass, Ignition, MagazineType
from transfercheck.entrypoints.api.dependencies import application
from transfercheck.entrypoints.api.schemas import CheckCreate, CheckPublic
from transfercheck.entrypoints.web import security
from transfercheck.entrypoints.web.security import csrf_ok
from transfercheck.entrypoints.web.templating import templates
from transfercheck.services.checks import get_check, list_checks
from transfercheck.services.intake import submit_check

router = APIRouter(include_in_schema=False)
DEALER_DOOR = security.Door(
    cookie="tc_session",
    path="/",
    roles=frozenset({Role.DEALER_CLERK}),
    login_url="/login",
    landing_url="/checks",
    login_template="login.html",
    failure="Invalid user name or password.",
)

AppDep = Annotated[Application, Depends(application)]


class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect to the login page."""


def current_session(request: Request, app: AppDep) -> Session:
    session = security.resume(DEALER_DOOR, request, app)
    if session is None or session.user.dealer_id is None:
        raise LoginRequired
    return session


SessionDep = Annotated[Session, Depends(current_session)]


def _dealer(session: Session) -> str:
    assert session.user.dealer_id is not None  # guaranteed by current_session
    return session.user.dealer_id


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/checks", status_code=303)


security.add_door_routes(router, DEALER_DOOR)


@router.get("/checks", response_class=HTMLResponse)
def checks_page(request: Request, app: AppDep, session: SessionDep) -> Response:
    return _checks_page(request, app, session, form={}, errors={})


@router.post("/checks", response_class=HTMLResponse)
async def submit_check_form(request: Request, app: AppDep, session: SessionDep) -> Response:
    raw = await request.form()
    features = [str(v) for v in raw.getlist(FEATURES_FIELD)]
    form = {k: str(v) for k, v in raw.items() if k != FEATURES_FIELD}
    if not csrf_ok(session, form.pop("csrf", "")):
        return Response("invalid form token", status_code=403)
    key = form.pop("idempotency_key", "") or secrets.token_urlsafe(16)
    errors: dict[str, str] = {}
    try:
        body = CheckCreate.model_validate(_form_to_body(form, features), strict=False)
        now = app.clock()
        request_ = CheckRequest(_dealer(session), body.to_transfer(), key)
        submitted = submit_check(request_, app.checking, app.unit_of_work, now, app.today(now))
    except ValidationError as error:
        errors = {_form_key(e["loc"]): _plain(str(e["msg"])) for e in error.errors()}
    except ValidationFailed as error:
        errors = {_form_key(p.location.split(".")): p.message for p in error.problems}
    except IdempotencyConflict:
        errors = {"form": "This form was already submitted; reload the page for a new check."}
    if errors:
        return _checks_page(
            request,
            app,
            session,
            form={**form, "idempotency_key": key},
            errors=errors,
            status_code=422,
            features=features,
        )
    return RedirectResponse(f"/checks/{submitted.check.ntn}", status_code=303)


@router.get("/checks/{ntn}", response_class=HTMLResponse)
def check_page(ntn: str, request: Request, app: AppDep, session: SessionDep) -> Response:
    try:
        check = get_check(_dealer(session), ntn, app.unit_of_work)
    except NotFound:
        return templates.TemplateResponse(
            request, "not_found.html", {"session": session}, status_code=404
        )
    return templates.TemplateResponse(
        request,
        "check.html",
        {"session": session, "check": CheckPublic.of(check, app.today(app.clock()))},
    )


def _checks_page(
    request: Request,
    app: Application,
    session: Session,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
    features: Sequence[str] = (),
) -> Response:
    today = app.today(app.clock())
    mine = list_checks(_dealer(session), app.unit_of_work, 25)
    recent = [CheckPublic.of(c, today) for c in mine]
    context: dict[str, Any] = {
        "session": session,
        "form": form,
        "errors": errors,
        "checks": recent,
        "idempotency_key": form.get("idempotency_key") or secrets.token_urlsafe(16),
        "firearm_categories": list(FirearmCategory),
        "transfer_types": list(TransferType),
        "item_choices": ITEM_CHOICES,
        "features": list(Feature),
        "chosen_features": set(features),
    }
    return templates.TemplateResponse(request, "checks.html", context, status_code=status_code)


# The item's fields on the form are "item_" + the API's field name; features are checkboxes.
FEATURES_FIELD = "item_features"
ITEM_CHOICES: dict[str, list[str]] = {
    "class": [c.value for c in FirearmClass],
    "action": [a.value for a in Action],
    "magazine": [m.value for m in MagazineType],
    "ignition": [i.value for i in Ignition],
}
_ITEM_TEXT = ("class", "action", "magazine", "ignition", "make", "model")
_ITEM_DATES = ("possessed_since", "manufactured_on")
_ITEM_NUMBERS = ("overall_length_in", "barrel_length_in", "weight_oz")


def _form_key(location: Sequence[str | int]) -> str:
    """The form field a problem belongs to: item_<field> for the item, seller_<field> for
    the seller, else the last part of its location."""
    parts = [str(p) for p in location if not isinstance(p, int)]
    if parts[:1] == ["item"]:
        return "item_" + (parts[1] if len(parts) > 1 else "class")
    if "seller" in parts and parts[-1] != "seller":
        return "seller_" + parts[-1]
    return parts[-1] if parts else "form"


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ")


def _number(text: str, whole: bool) -> object:
    """A number typed in a form; text that is not one goes on, to be refused by name."""
    try:
        return int(text) if whole else float(text)
    except ValueError:
        return text


def _item_from_form(form: dict[str, str], features: list[str]) -> dict[str, Any] | None:
    """The item's fields, or None when the form describes no item (no item test)."""
    given = {
        name: form.get(f"item_{name}", "").strip()
        for name in (*_ITEM_TEXT, *_ITEM_DATES, *_ITEM_NUMBERS, "magazine_capacity")
    }
    if not any(given.values()) and not features:
        return None
    item: dict[str, Any] = {name: value for name, value in given.items() if value}
    if "magazine_capacity" in item:
        item["magazine_capacity"] = _number(item["magazine_capacity"], whole=True)
    for name in _ITEM_NUMBERS:
        if name in item:
            item[name] = _number(item[name], whole=False)
    item["features"] = features
    return item


def _form_to_body(form: dict[str, str], features: list[str]) -> dict[str, Any]:
    """Flat form fields -> the API's body shape; empty optional fields mean 'not given'."""

    def optional(name: str) -> str | None:
        value = form.get(name, "").strip()
        return value or None

    id_number = optional("id_number")
    seller = None
    if any(optional(f"seller_{name}") for name in ("given_name", "family_name", "id_number")):
        seller = {
            "given_name": form.get("seller_given_name", ""),
            "family_name": form.get("seller_family_name", ""),
            "date_of_birth": form.get("seller_date_of_birth", ""),
            "id_document": {
                "type": form.get("seller_id_type", "drivers_license"),
                "number": form.get("seller_id_number", ""),
                "issuer": form.get("seller_id_issuer", ""),
            },
        }
    return {
        "buyer": {
            "given_name": form.get("given_name", ""),
            "middle_name": optional("middle_name"),
            "family_name": form.get("family_name", ""),
            "date_of_birth": form.get("date_of_birth", ""),
            "sex": form.get("sex", ""),
            "state_of_residence": optional("state_of_residence"),
            "ssn": optional("ssn"),
            "id_document": (
                {
                    "type": form.get("id_type", ""),
                    "number": id_number,
                    "issuer": form.get("id_issuer", ""),
                }
                if id_number
                else None
            ),
        },
        "firearm_category": form.get("firearm_category", ""),
        "transfer_type": form.get("transfer_type", "dealer_sale"),
        "jurisdiction": form.get("jurisdiction", ""),
        "item": _item_from_form(form, features),
        "seller": seller,
    }
