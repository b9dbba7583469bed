"""Who is signed in, and the anti-forgery token on every form (SR-11).

Two doors lead in: dealers at /login and staff (examiners, supervisors) at /review/login.
Each has its own cookie, sent only under its own path, so one kind of session never
stands in for the other; both go through the code below.

Signed in, a state-changing form carries its session's token. Before there is a session
(the login forms, the public private-sale pages) a form carries a signed double-submit
pair instead: a random value in a SameSite=Strict cookie, and in the form its HMAC under
a key derived from the signing key, so another site can neither read nor forge the pair.
That also stops login forgery: another site cannot sign a victim in as its own user.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from transfercheck.bootstrap import Application
from transfercheck.domain.accounts import Role, Session
from transfercheck.domain.errors import NotAuthenticated
from transfercheck.entrypoints.api.dependencies import application
from transfercheck.entrypoints.web.templating import templates
from transfercheck.services import accounts

AppDep = Annotated[Application, Depends(application)]
FORM_COOKIE = "tc_form"
FORM_FIELD = "form_token"
NOTICE_NOT_ACKNOWLEDGED = "Accept the system-use notice to log in."


def csrf_ok(session: Session, token: str) -> bool:
    return hmac.compare_digest(session.csrf_token.encode(), token.encode())


# ── The double-submit pair, for forms shown before a session exists ──────────────────


def _form_key(app: Application) -> bytes:
    raw = app.certificates.private_key.private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return hashlib.sha256(b"transfercheck public form token\0" + raw).digest()


def _signed(app: Application, nonce: str) -> str:
    return hmac.new(_form_key(app), nonce.encode(), hashlib.sha256).hexdigest()


def form_pair_ok(request: Request, app: Application, token: str) -> bool:
    nonce = request.cookies.get(FORM_COOKIE, "")
    return bool(nonce) and hmac.compare_digest(_signed(app, nonce), token)


def page_with_form_token(
    request: Request,
    app: Application,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    """Render with a form token, setting the cookie half when the browser has none."""
    nonce = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request, template, {FORM_FIELD: _signed(app, nonce), **context}, status_code=status_code
    )
    response.set_cookie(
        FORM_COOKIE,
        nonce,
        httponly=True,
        samesite="strict",
        secure=app.settings.secure_cookies,
        path="/",
    )
    return response


def expired_form() -> Response:
    return Response("invalid form token: reload the page and try again", status_code=403)


# ── Sessions behind a door ───────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Door:
    """One way in: its cookie (sent only under `path`), who may pass, and where it leads."""

    cookie: str
    path: str
    roles: frozenset[Role]
    login_url: str
    landing_url: str
    login_template: str
    failure: str
    context: dict[str, Any] = field(default_factory=dict)  # extra template values


def resume(door: Door, request: Request, app: Application) -> Session | None:
    """The live session behind this door's cookie, or None (no cookie, expired, wrong role)."""
    token = request.cookies.get(door.cookie)
    if not token:
        return None
    try:
        session = accounts.resume_session(
            token,
            app.unit_of_work,
            app.clock(),
            timedelta(minutes=app.settings.session_idle_minutes),
            timedelta(hours=app.settings.session_max_hours),
        )
    except NotAuthenticated:
        return None
    return session if session.user.role in door.roles else None


def login_page(
    door: Door, request: Request, app: Application, error: str | None = None, status_code: int = 200
) -> Response:
    context = {"session": None, "error": error, **door.context}
    return page_with_form_token(request, app, door.login_template, context, status_code)


def log_in(
    door: Door,
    request: Request,
    app: Application,
    credentials: tuple[str, str, str],
    form_token: str,
    acknowledged: bool,
) -> Response:
    """Check the form pair and the acknowledged system-use notice, then the user name,
    password and one-time code; on success set the door's cookie and go to its landing
    page. A failure of the credentials says the same whatever failed."""
    # Neither refusal looks at the credentials, so neither counts toward the lockout.
    if not form_pair_ok(request, app, form_token):
        return login_page(door, request, app, "The form expired. Please try again.", 403)
    if not acknowledged:  # CJIS AC-8: the notice is accepted before every log-on
        return login_page(door, request, app, NOTICE_NOT_ACKNOWLEDGED, 400)
    username, password, code = credentials
    try:
        new = accounts.log_in(username, password, app.unit_of_work, app.clock(), code)
    except NotAuthenticated:
        return login_page(door, request, app, door.failure, 401)
    if new.session.user.role not in door.roles:
        # A dealer clerk's password is no way into the queue, nor a supervisor's onto the
        # dealer pages: the session just opened is closed again.
        accounts.log_out(new.token, app.unit_of_work)
        return login_page(door, request, app, door.failure, 401)
    response = RedirectResponse(door.landing_url, status_code=303)
    response.set_cookie(
        door.cookie,
        new.token,
        httponly=True,
        samesite="strict",
        secure=app.settings.secure_cookies,
        path=door.path,
    )
    return response


def log_out(
    door: Door, request: Request, app: Application, session: Session, csrf: str
) -> Response:
    if not csrf_ok(session, csrf):
        return Response("invalid form token", status_code=403)
    accounts.log_out(request.cookies.get(door.cookie, ""), app.unit_of_work)
    response = RedirectResponse(door.login_url, status_code=303)
    response.delete_cookie(door.cookie, path=door.path)
    return response


def add_door_routes(router: APIRouter, door: Door) -> None:
    """The door's log-in form (GET, POST /login) and log-out (POST /logout) on its router.

    One form serves both doors: the one-time code is optional here and required by
    `accounts.log_in` of the roles that have a second factor."""

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, app: AppDep) -> Response:
        return login_page(door, request, app)

    @router.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        app: AppDep,
        username: Annotated[str, Form(max_length=64)],
        password: Annotated[str, Form(max_length=256)],
        code: Annotated[str, Form(max_length=16)] = "",
        form_token: Annotated[str, Form(max_length=128)] = "",
        acknowledge: Annotated[str, Form(max_length=8)] = "",
    ) -> Response:
        credentials = (username, password, code)
        return log_in(door, request, app, credentials, form_token, acknowledge == "yes")

    @router.post("/logout")
    def logout(request: Request, app: AppDep, csrf: Annotated[str, Form()] = "") -> Response:
        session = resume(door, request, app)
        if session is None:  # nobody to log out: the log-in form, as any page would answer
            return RedirectResponse(door.login_url, status_code=303)
        return log_out(door, request, app, session, csrf)
