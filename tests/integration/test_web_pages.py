"""The dealer's web pages: log in, submit a check, see the answer and own checks only."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from tests.builders import identity, record
from tests.conftest import PASSWORD, DealerAccount, add_records
from tests.web import submit_login
from transfercheck.bootstrap import Application


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in and return the page's anti-forgery token."""
    response = submit_login(client, "/login", username=username, password=password)
    assert response.status_code == 200, response.text  # followed the redirect to /checks
    match = re.search(r'name="csrf" value="([^"]+)"', response.text)
    assert match
    return match.group(1)


def form(csrf: str, **overrides: str) -> dict[str, str]:
    return {
        "csrf": csrf,
        "given_name": "William",
        "family_name": "Smith",
        "date_of_birth": "1980-03-14",
        "sex": "M",
        "ssn": "900-12-3456",
        "firearm_category": "long_gun",
        "transfer_type": "dealer_sale",
        "jurisdiction": "TX",
        **overrides,
    }


def test_pages_need_a_login(client: TestClient) -> None:
    response = client.get("/checks", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_wrong_password_is_refused_with_a_generic_message(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    wrong = submit_login(client, "/login", username=dealer_a.username, password="nope-nope")
    unknown = submit_login(client, "/login", username="nobody", password="nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text == unknown.text


def test_account_locks_after_five_failures(client: TestClient, dealer_a: DealerAccount) -> None:
    for _ in range(5):
        submit_login(client, "/login", username=dealer_a.username, password="wrong-pass")
    locked = submit_login(client, "/login", username=dealer_a.username, password=PASSWORD)
    assert locked.status_code == 401


def test_dealer_submits_a_check_and_sees_the_result_and_the_list(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    add_records(
        application, record(identity("William", "Smith", date(1980, 3, 14), ssn="900123456"))
    )
    csrf = log_in(client, dealer_a.username)
    result = client.post("/checks", data=form(csrf))
    assert result.status_code == 200
    assert "DENIED" in result.text
    ntn = re.search(r'class="ntn">([0-9A-Z]{10})<', result.text)
    assert ntn
    listing = client.get("/checks")
    assert ntn.group(1) in listing.text


def test_form_errors_name_the_field_and_store_nothing(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    csrf = log_in(client, dealer_a.username)
    response = client.post(
        "/checks", data=form(csrf, date_of_birth="2099-01-01", jurisdiction="ZZ")
    )
    assert response.status_code == 422
    assert "date of birth: must not be in the future" in response.text
    assert "unknown jurisdiction" in response.text
    assert "No checks yet" in response.text


def test_form_without_the_anti_forgery_token_changes_nothing(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    log_in(client, dealer_a.username)
    response = client.post("/checks", data=form("forged"))
    assert response.status_code == 403
    assert "No checks yet" in client.get("/checks").text


def test_dealer_cannot_open_another_dealers_check_page(
    client: TestClient, dealer_a: DealerAccount, dealer_b: DealerAccount
) -> None:
    csrf = log_in(client, dealer_a.username)
    result = client.post("/checks", data=form(csrf))
    ntn = re.search(r'class="ntn">([0-9A-Z]{10})<', result.text)
    assert ntn
    client.cookies.clear()
    log_in(client, dealer_b.username)
    assert client.get(f"/checks/{ntn.group(1)}").status_code == 404


def test_logout_ends_the_session(client: TestClient, dealer_a: DealerAccount) -> None:
    csrf = log_in(client, dealer_a.username)
    client.post("/logout", data={"csrf": csrf})
    assert client.get("/checks", follow_redirects=False).status_code == 303
