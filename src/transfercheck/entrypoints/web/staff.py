"""Sign-in for examiners and supervisors: a password and a one-time code (TOTP).

Their session travels in its own cookie, sent only to /review, so a dealer's session and
a staff session never stand in for each other. Every page dependency checks the role.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from transfercheck.bootstrap import Application
from transfercheck.domain.accounts import Role, Session
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.review import REVIEW_ROLES
from transfercheck.entrypoints.api.dependencies import application
from transfercheck.entrypoints.web import security
from transfercheck.entrypoints.web.templating import templates

router = APIRouter(prefix="/review", include_in_schema=False)
LOGOUT = "/review/logout"
_PAGE_CONTEXT = {"logout_action": LOGOUT, "staff": True}
STAFF_DOOR = security.Door(
    cookie="tc_staff",
    path="/review",
    roles=frozenset(REVIEW_ROLES),
    login_url="/review/login",
    landing_url="/review/queue",
    login_template="staff_login.html",
    failure="Invalid user name, password or one-time code.",
    context=_PAGE_CONTEXT,
)

AppDep = Annotated[Application, Depends(application)]


class StaffLoginRequired(Exception):
    """The app turns it into a redirect to the staff login page."""


class StaffForbidden(Exception):
    """Signed in, but the role may not do this; the app answers 403 with a page."""

    def __init__(self, session: Session) -> None:
        self.session = session


def staff_session(request: Request, app: AppDep) -> Session:
    session = security.resume(STAFF_DOOR, request, app)
    if session is None:
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
        {"session": session, **_PAGE_CONTEXT, **context},
        status_code=status_code,
    )


def message_page(
    request: Request, session: Session, title: str, text: str, status_code: int
) -> Response:
    return render(request, "review_message.html", session, status_code, title=title, text=text)


security.add_door_routes(router, STAFF_DOOR)
