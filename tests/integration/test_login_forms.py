"""Both login forms refuse a post that did not come from their own page (SR-11).

A forged login would sign the victim's browser in as the forger's user. Refused, it
changes nothing: no session cookie, no audit entry, nothing toward the lockout; and the
refusal page carries a fresh token, so a person whose form had expired can go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, DealerAccount, MovableClock, StaffAccount
from tests.web import form_token, submit_login
from transfercheck.bootstrap import Application
from transfercheck.entrypoints.api.app import create_app
from transfercheck.entrypoints.web.security import NOTICE_NOT_ACKNOWLEDGED

Door = tuple[str, str, str, Callable[[], dict[str, str]]]  # url, cookie, landing, fields


@pytest.fixture(params=["dealer", "staff"])
def door(
    request: pytest.FixtureRequest,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
    clock: MovableClock,
) -> Door:
    if request.param == "dealer":
        return (
            "/login",
            "tc_session",
            "/checks",
            lambda: {
                "username": dealer_a.username,
                "password": PASSWORD,
                "acknowledge": "yes",
            },
        )
    return (
        "/review/login",
        "tc_staff",
        "/review/queue",
        lambda: {
            "username": examiner.user.username,
            "password": PASSWORD,
            "code": examiner.code(clock()),
            "acknowledge": "yes",
        },
    )


@pytest.fixture
def other_browser(application: Application) -> Iterator[TestClient]:
    with TestClient(create_app(application)) as second:
        yield second


def audit_length(application: Application) -> int:
    with application.unit_of_work() as uow:
        return len(list(uow.audit.entries()))


def failed_logins(application: Application, username: str) -> int:
    with application.unit_of_work() as uow:
        found = uow.accounts.credentials(username)
        assert found is not None
        return found.failed_logins


def signed_in(client: TestClient, cookie: str) -> bool:
    return any(c.name == cookie for c in client.cookies.jar)


@pytest.mark.parametrize("how", ["no token", "made-up token", "another browser's token"])
def test_a_login_without_its_own_form_token_changes_nothing(
    client: TestClient,
    other_browser: TestClient,
    application: Application,
    door: Door,
    how: str,
) -> None:
    url, cookie, _, fields = door
    form_token(client, url)  # this browser has the cookie half of its own pair
    token = {
        "no token": "",
        "made-up token": "0" * 64,
        "another browser's token": form_token(other_browser, url),
    }[how]
    before = audit_length(application)
    wrong_password = {**fields(), "password": "not-the-password"}

    refused = client.post(url, data={**wrong_password, "form_token": token})
    forged = client.post(url, data={**fields(), "form_token": token}, follow_redirects=False)

    assert refused.status_code == forged.status_code == 403
    assert "The form expired" in refused.text
    assert not signed_in(client, cookie)
    assert audit_length(application) == before
    assert failed_logins(application, fields()["username"]) == 0


def test_a_browser_without_the_cookie_half_is_refused(
    application: Application, other_browser: TestClient, door: Door
) -> None:
    url, cookie, _, fields = door
    token = form_token(other_browser, url)
    with TestClient(create_app(application)) as fresh:
        response = fresh.post(url, data={**fields(), "form_token": token}, follow_redirects=False)
        assert response.status_code == 403
        assert not signed_in(fresh, cookie)


def test_the_refusal_page_carries_a_fresh_token_that_works(client: TestClient, door: Door) -> None:
    url, cookie, landing, fields = door
    refused = client.post(url, data=fields())
    assert refused.status_code == 403
    token = refused.text.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(url, data={**fields(), "form_token": token})
    assert response.status_code == 200
    assert response.url.path == landing
    assert signed_in(client, cookie)


def test_a_login_without_the_notice_accepted_changes_nothing(
    client: TestClient, application: Application, door: Door
) -> None:
    url, cookie, _, fields = door
    before = audit_length(application)

    refused = submit_login(client, url, **{**fields(), "acknowledge": ""})

    assert refused.status_code == 400
    assert NOTICE_NOT_ACKNOWLEDGED in refused.text
    assert not signed_in(client, cookie)
    assert audit_length(application) == before
    assert failed_logins(application, fields()["username"]) == 0


@pytest.mark.parametrize(
    ("url", "login"), [("/logout", "/login"), ("/review/logout", "/review/login")]
)
def test_a_log_out_without_a_session_leads_to_the_log_in_form(
    client: TestClient, url: str, login: str
) -> None:
    response = client.post(url, data={"csrf": "anything"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, login)
