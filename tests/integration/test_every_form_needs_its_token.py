"""Every state-changing page route refuses a post without its form's token (SR-11).

The routes are found by walking the web package, so a new form without an entry below
fails the first test. Each route is posted twice with well-formed fields: with a forged
token it must answer 403 and change nothing; with the page's real token the same fields
must get past the guard (the control that proves the 403 came from the token).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

import transfercheck.entrypoints.web as web
from tests.builders import identity, record
from tests.conftest import (
    PASSWORD,
    DealerAccount,
    MovableClock,
    StaffAccount,
    add_records,
    submit,
)
from tests.integration.test_certificate_pages import BUYER as SELF_CHECK
from tests.web import form_token, submit_login
from transfercheck.adapters.db.tables import audit_events, certificates, checks, sessions
from transfercheck.bootstrap import Application
from transfercheck.services import review

BUYER = identity("William", "Smith", date(1980, 3, 14))
DEALER_CHECK = {
    "given_name": "Maria",
    "family_name": "Lopez",
    "date_of_birth": "1985-05-05",
    "sex": "F",
    "firearm_category": "long_gun",
    "transfer_type": "dealer_sale",
    "jurisdiction": "TX",
}
CODE = "7QK3M-0XW2D-HB8FA"

# The fields of each form, apart from its token; {ntn}, {version}, {record} and {examiner}
# are filled in from the state the test sets up.
FORMS: dict[str, dict[str, str]] = {
    "/login": {"username": "clerk-a", "password": PASSWORD, "acknowledge": "yes"},
    "/logout": {},
    "/checks": DEALER_CHECK,
    "/self-check": SELF_CHECK,
    "/certificates/verify": {"code": CODE, "fact": "date_of_birth", "date_of_birth": "1990-02-02"},
    "/certificates/revoke": {"code": CODE, "date_of_birth": "1990-02-02", "id_number": "TX0441"},
    "/review/login": {
        "username": "supervisor-1",
        "password": PASSWORD,
        "code": "{code}",
        "acknowledge": "yes",
    },
    "/review/logout": {},
    "/review/next": {},
    "/review/checks/{ntn}/claim": {},
    "/review/checks/{ntn}/decide": {"version": "{version}", "outcome": "DENIED", "reason": "922g1"},
    "/review/checks/{ntn}/release": {},
    "/review/checks/{ntn}/extend": {"version": "{version}"},
    "/review/checks/{ntn}/dispositions": {"version": "{version}", "record_id": "{record}"},
    "/review/checks/{ntn}/reassign": {
        "version": "{version}",
        "to_user": "{examiner}",
        "reason": "workload",
        "note": "leave",
    },
    "/review/checks/{ntn}/override": {
        "version": "{version}",
        "outcome": "PROCEED",
        "reason": "examiner_error",
        "note": "second look",
    },
}
# Forms shown before a session exists carry the signed pair; the others the session's token.
PAIR_FORMS = {
    "/login",
    "/review/login",
    "/self-check",
    "/certificates/verify",
    "/certificates/revoke",
}


def web_post_routes() -> set[str]:
    found = set()
    for module in pkgutil.iter_modules(web.__path__):
        router = getattr(importlib.import_module(f"{web.__name__}.{module.name}"), "router", None)
        for route in getattr(router, "routes", []):
            if isinstance(route, APIRoute) and "POST" in route.methods:
                found.add(route.path)
    return found


def test_every_post_route_of_the_pages_is_listed_here() -> None:
    assert web_post_routes() == set(FORMS)


@dataclass
class World:
    client: TestClient
    application: Application
    ntn: str
    record_id: str
    examiner: StaffAccount
    supervisor: StaffAccount
    clock: MovableClock
    dealer_csrf: str
    staff_csrf: str

    def fill(self, path: str) -> tuple[str, dict[str, str]]:
        with self.application.unit_of_work() as uow:
            state = uow.reviews.state(self.ntn)
        assert state is not None
        values = {
            "ntn": self.ntn,
            "version": str(state.version),
            "record": self.record_id,
            "examiner": self.examiner.user.user_id,
            "code": self.supervisor.code(self.clock()),
        }
        fields = {name: value.format(**values) for name, value in FORMS[path].items()}
        return path.format(**values), fields

    def fingerprint(self) -> tuple[object, ...]:
        with self.application.engine.connect() as connection:
            counts = tuple(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (audit_events, certificates, checks, sessions)
            )
        with self.application.unit_of_work() as uow:
            return counts, uow.reviews.state(self.ntn)


def token_of(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, name
    return found.group(1)


@pytest.fixture
def world(
    client: TestClient,
    application: Application,
    clock: MovableClock,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
    supervisor: StaffAccount,
) -> World:
    prohibited = record(BUYER)
    add_records(application, prohibited)
    ntn = submit(application, dealer_a, BUYER).ntn
    review.claim(application.review, supervisor.user, ntn, clock())
    dealer_page = submit_login(client, "/login", username=dealer_a.username, password=PASSWORD)
    staff_page = submit_login(
        client,
        "/review/login",
        username=supervisor.user.username,
        password=PASSWORD,
        code=supervisor.code(clock()),
    )
    clock.advance(timedelta(seconds=31))  # the next one-time code, for the /review/login control
    return World(
        client,
        application,
        ntn,
        prohibited.record_id,
        examiner,
        supervisor,
        clock,
        token_of(dealer_page.text, "csrf"),
        token_of(staff_page.text, "csrf"),
    )


def refused_for_its_token(response_text: str) -> bool:
    return "form token" in response_text or "The form expired" in response_text


@pytest.mark.parametrize("path", sorted(FORMS))
def test_a_forged_token_is_refused_and_changes_nothing(world: World, path: str) -> None:
    url, fields = world.fill(path)
    if path in PAIR_FORMS:
        form_token(world.client, path)  # the browser holds its half
        forged = {**fields, "form_token": "0" * 64}
    else:
        forged = {**fields, "csrf": "forged"}
    before = world.fingerprint()

    response = world.client.post(url, data=forged, follow_redirects=False)

    assert response.status_code == 403
    assert refused_for_its_token(response.text)
    assert world.fingerprint() == before

    if path in PAIR_FORMS:
        real = {**fields, "form_token": form_token(world.client, path)}
    else:
        token = world.staff_csrf if path.startswith("/review") else world.dealer_csrf
        real = {**fields, "csrf": token}
    control = world.client.post(url, data=real, follow_redirects=False)
    assert not refused_for_its_token(control.text), control.text
    assert "application/json" not in control.headers.get("content-type", ""), control.text
