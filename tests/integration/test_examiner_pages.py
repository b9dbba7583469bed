"""The examiner pages over HTTP: login with a one-time code, role checks on every route,
anti-forgery tokens on every form, the queue, the evidence page and decisions."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.builders import identity, record
from tests.conftest import (
    PASSWORD,
    DealerAccount,
    MovableClock,
    StaffAccount,
    add_records,
    submit,
)
from tests.web import submit_login
from transfercheck.bootstrap import Application
from transfercheck.domain.audit import EventType

BUYER = identity("William", "Smith", date(1980, 3, 14))


def staff_log_in(client: TestClient, staff: StaffAccount, clock: MovableClock) -> str:
    """Log in on the staff page; return the anti-forgery token of the queue page."""
    response = submit_login(
        client,
        "/review/login",
        username=staff.user.username,
        password=PASSWORD,
        code=staff.code(clock()),
    )
    assert response.status_code == 200, response.text
    assert response.url.path == "/review/queue"
    found = re.search(r'name="csrf" value="([^"]+)"', response.text)
    assert found
    return found.group(1)


def form_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, name
    return found.group(1)


@pytest.fixture
def ntn(application: Application, dealer_a: DealerAccount) -> str:
    add_records(application, record(BUYER))
    return submit(application, dealer_a, BUYER).ntn


def test_staff_pages_need_a_staff_login(client: TestClient, ntn: str) -> None:
    for path in ("/review/queue", f"/review/checks/{ntn}"):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/review/login")


def test_the_login_needs_the_one_time_code(
    client: TestClient, clock: MovableClock, examiner: StaffAccount, dealer_a: DealerAccount
) -> None:
    no_code = submit_login(
        client, "/review/login", username=examiner.user.username, password=PASSWORD
    )
    clerk = submit_login(
        client, "/review/login", username=dealer_a.username, password=PASSWORD, code="123456"
    )
    assert no_code.status_code == clerk.status_code == 401
    assert no_code.text == clerk.text  # nothing tells which part was wrong
    staff_log_in(client, examiner, clock)
    cookie = next(c for c in client.cookies.jar if c.name == "tc_staff")
    assert cookie.path == "/review"


def test_an_examiner_claims_reads_the_evidence_and_denies(
    client: TestClient,
    clock: MovableClock,
    ntn: str,
    examiner: StaffAccount,
    dealer_a: DealerAccount,
) -> None:
    csrf = staff_log_in(client, examiner, clock)
    queue = client.get("/review/queue").text
    assert ntn in queue
    assert "possible match" in queue
    page = client.post(f"/review/checks/{ntn}/claim", data={"csrf": csrf})
    assert page.url.path == f"/review/checks/{ntn}"
    assert "Given name agrees" in page.text  # the matcher's own words, field by field
    assert "Travis County District Court" in page.text  # the record's history
    assert "18 U.S.C. 922(g)(1)" in page.text  # what the rules say, with the citation
    decided = client.post(
        f"/review/checks/{ntn}/decide",
        data={
            "csrf": csrf,
            "version": form_value(page.text, "version"),
            "outcome": "DENIED",
            "reason": "922g1",
        },
    )
    assert decided.status_code == 200
    assert 'role="status">DENIED' in decided.text
    dealer = client.get(f"/v1/checks/{ntn}", headers=dealer_a.headers).json()
    assert dealer["status"] == "DENIED"


def test_a_second_examiner_is_told_the_check_is_taken(
    client: TestClient,
    application: Application,
    clock: MovableClock,
    ntn: str,
    examiner: StaffAccount,
    examiner_2: StaffAccount,
) -> None:
    csrf = staff_log_in(client, examiner, clock)
    client.post(f"/review/checks/{ntn}/claim", data={"csrf": csrf})
    client.cookies.clear()
    csrf = staff_log_in(client, examiner_2, clock)
    assert "Claimed by U-examiner-1" in client.get("/review/queue").text
    taken = client.post(f"/review/checks/{ntn}/claim", data={"csrf": csrf})
    assert taken.status_code == 409
    assert "Another examiner holds this check" in taken.text
    assert client.get(f"/review/checks/{ntn}").status_code == 409  # no evidence without it


def test_forms_without_the_token_change_nothing_and_get_never_decides(
    client: TestClient,
    application: Application,
    clock: MovableClock,
    ntn: str,
    examiner: StaffAccount,
) -> None:
    staff_log_in(client, examiner, clock)
    assert client.post(f"/review/checks/{ntn}/claim", data={"csrf": "forged"}).status_code == 403
    with application.unit_of_work() as uow:
        state = uow.reviews.state(ntn)
    assert state is not None
    assert state.claim is None
    assert client.get(f"/review/checks/{ntn}/decide").status_code == 405


@pytest.mark.parametrize("action", ["reassign", "override"])
def test_only_supervisors_reassign_and_override(
    client: TestClient,
    application: Application,
    clock: MovableClock,
    ntn: str,
    examiner: StaffAccount,
    action: str,
) -> None:
    csrf = staff_log_in(client, examiner, clock)
    response = client.post(
        f"/review/checks/{ntn}/{action}",
        data={
            "csrf": csrf,
            "version": "1",
            "to_user": examiner.user.user_id,
            "outcome": "DENIED",
            "reason": "workload" if action == "reassign" else "examiner_error",
            "note": "trying",
        },
    )
    assert response.status_code == 403
    with application.unit_of_work() as uow:
        kinds = [e.event.type for e in uow.audit.entries()]
        state = uow.reviews.state(ntn)
    assert kinds[-1] is EventType.AUTHZ_DENIED
    assert state is not None
    assert state.version == 1


def test_a_supervisor_overrides_from_the_evidence_page(
    client: TestClient, clock: MovableClock, ntn: str, supervisor: StaffAccount
) -> None:
    csrf = staff_log_in(client, supervisor, clock)
    page = client.get(f"/review/checks/{ntn}")
    assert page.status_code == 200  # supervisors read any check
    response = client.post(
        f"/review/checks/{ntn}/override",
        data={
            "csrf": csrf,
            "version": form_value(page.text, "version"),
            "outcome": "PROCEED",
            "reason": "new_information",
            "note": "the court confirms the record is another man's",
        },
    )
    assert 'role="status">PROCEED' in response.text
    assert "the court confirms the record is another man&#39;s" in response.text


def test_the_queue_filters_by_jurisdiction_and_reason(
    client: TestClient, clock: MovableClock, ntn: str, examiner: StaffAccount
) -> None:
    staff_log_in(client, examiner, clock)
    assert ntn in client.get("/review/queue?jurisdiction=TX&reason=possible_match").text
    assert ntn not in client.get("/review/queue?jurisdiction=FL").text
    assert ntn not in client.get("/review/queue?reason=missing_disposition").text
