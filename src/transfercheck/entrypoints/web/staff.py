"""Sign-in for examiners and supervisors: a password and a one-time code (TOTP).

Their session travels in its own cookie, sent only to /review, so a dealer's session and
a staff session never stand in for each other. Every page dependency checks the role.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from transfercheck.bootstrap import Application
from transfercheck.domain.accounts import Role, Session
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.errors import NotAuthenticated
from transfercheck.domain.review import REVIEW_ROLES
from transfercheck.entrypoints.api.dependencies import application
from transfercheck.entrypoints.web.security import csrf_ok
from transfercheck.services import accounts

router = APIRouter(prefix="/review", include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files(__package__) / "templates"))
STAFF_COOKIE = "tc_staff"
LOGOUT = "/review/logout"
_LOGIN_FAILED = "Invalid user name, password or one-time code."

AppDep = Annotated[Application, Depends(application)]


class StaffLoginRequired(Exception):
    """The app turns it into a redirect to the staff login page."""


class StaffForbidden(Exception):
    """Signed in, but the role may not do this; the app answers 403 with a page."""

    def __init__(self, session: Session) -> None:
        self.session = session


def staff_session(request: Request, app: AppDep) -> Session:
    token = request.cookies.get(STAFF_COOKIE)
    if not token:
        raise StaffLoginRequired
    settings = app.settings
    try:
        session = accounts.resume_session(
            token,
            app.unit_of_work,
            app.clock(),
            timedelta(minutes=settings.session_idle_minutes),
            timedelta(hours=settings.session_max_hours),
        )
    except NotAuthenticated as error:
        raise StaffLoginRequired from error
    if session.user.role not in REVIEW_ROLES:
        raise StaffLoginRequired
    return session


StaffDep = Annotated[Session, Depends(staff_session)]


def supervisor_session(session: StaffDep, app: AppDep) -> Session:
    if session.user.role is not Role.SUPERVISOR:
        with app.unit_of_work() as uow:
            user_id = session.user.user_id
            event = AuditEvent(EventType.AUTHZ_DENIED, f"user:{user_id}", "route", "supervisor")
            uow.audit.append(event, app.clock())
            uow.commit()
        raise StaffForbidden(session)
    return session


SupervisorDep = Annotated[Session, Depends(supervisor_session)]


def render(
    request: Request, name: str, session: Session | None, status_code: int = 200, **context: Any
) -> Response:
    return templates.TemplateResponse(
        request,
        name,
        {"session": session, "logout_action": LOGOUT, "staff": True, **context},
        status_code=status_code,
    )


def message_page(
    request: Request, session: Session, title: str, text: str, status_code: int
) -> Response:
    return render(request, "review_message.html", session, status_code, title=title, text=text)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return render(request, "staff_login.html", None, error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    app: AppDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    code: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    try:
        new = accounts.log_in(username, password, app.unit_of_work, app.clock(), code)
    except NotAuthenticated:
        new = None
    if new is None or new.session.user.role not in REVIEW_ROLES:
        if new is not None:  # a dealer clerk's password is no way into the queue
            accounts.log_out(new.token, app.unit_of_work)
        return render(request, "staff_login.html", None, 401, error=_LOGIN_FAILED)
    response = RedirectResponse("/review/queue", status_code=303)
    response.set_cookie(
        STAFF_COOKIE,
        new.token,
        httponly=True,
        samesite="strict",
        secure=app.settings.secure_cookies,
        path="/review",
    )
    return response


@router.post("/logout")
def logout(
    request: Request, app: AppDep, session: StaffDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    if not csrf_ok(session, csrf):
        return Response("invalid form token", status_code=403)
    accounts.log_out(request.cookies.get(STAFF_COOKIE, ""), app.unit_of_work)
    response = RedirectResponse("/review/login", status_code=303)
    response.delete_cookie(STAFF_COOKIE, path="/review")
    return response
