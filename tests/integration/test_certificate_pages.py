"""The public pages of private sales: forms need their signed double-submit pair, and the
pages say no more than the API does."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import DealerAccount
from tests.integration.test_web_pages import form, log_in
from tests.web import form_token
from transfercheck.adapters.db.tables import audit_events, certificates
from transfercheck.bootstrap import Application

BUYER = {
    "given_name": "Ana",
    "family_name": "Lopez",
    "date_of_birth": "1990-02-02",
    "sex": "F",
    "id_type": "drivers_license",
    "id_number": "TX04417293",
    "id_issuer": "TX",
    "jurisdiction": "TX",
}


def counts(application: Application) -> tuple[int, int]:
    with application.engine.connect() as connection:
        return (
            connection.execute(select(func.count()).select_from(certificates)).scalar_one(),
            connection.execute(select(func.count()).select_from(audit_events)).scalar_one(),
        )


def issue(client: TestClient) -> str:
    token = form_token(client, "/self-check")
    page = client.post("/self-check", data={**BUYER, "form_token": token})
    assert page.status_code == 200
    assert "CERTIFICATE ISSUED" in page.text
    assert "<svg" in page.text
    match = re.search(r'data-testid="certificate-code">([^<]+)<', page.text)
    assert match
    return match.group(1)


def test_a_form_without_its_pair_changes_nothing(
    client: TestClient, application: Application
) -> None:
    before = counts(application)
    assert client.post("/self-check", data=BUYER).status_code == 403
    token = form_token(client, "/self-check")
    assert client.post("/self-check", data={**BUYER, "form_token": "0" * 64}).status_code == 403
    stranger = TestClient(client.app)  # another browser: no cookie, a token copied from a page
    assert stranger.post("/self-check", data={**BUYER, "form_token": token}).status_code == 403
    assert client.post("/certificates/revoke", data={"code": "x"}).status_code == 403
    assert client.post("/certificates/verify", data={"code": "x"}).status_code == 403
    assert counts(application) == before


def test_self_check_verify_and_withdraw_through_the_pages(client: TestClient) -> None:
    code = issue(client)
    token = form_token(client, "/certificates/verify")
    fact = {"fact": "date_of_birth", "date_of_birth": "1990-02-02"}
    valid = client.post("/certificates/verify", data={"form_token": token, "code": code, **fact})
    assert ">VALID<" in valid.text
    by_id = {"fact": "id_last_digits", "id_last_digits": "7293"}
    assert (
        ">VALID<"
        in client.post(
            "/certificates/verify", data={"form_token": token, "code": code, **by_id}
        ).text
    )
    unanswerable = client.post("/certificates/verify", data={"form_token": token, "code": code})
    assert unanswerable.status_code == 422
    revoke = {"code": code, "date_of_birth": "1990-02-02", "id_number": "TX04417293"}
    done = client.post(
        "/certificates/revoke",
        data={"form_token": form_token(client, "/certificates/revoke"), **revoke},
    )
    assert "WITHDRAWN" in done.text
    revoked = client.post("/certificates/verify", data={"form_token": token, "code": code, **fact})
    assert ">REVOKED<" in revoked.text


def test_form_errors_and_the_neutral_refusal(client: TestClient) -> None:
    token = form_token(client, "/self-check")
    missing_id = client.post("/self-check", data={**BUYER, "id_number": "", "form_token": token})
    assert missing_id.status_code == 422
    assert 'id="id_number-error"' in missing_id.text
    child = client.post(
        "/self-check", data={**BUYER, "date_of_birth": "2015-01-01", "form_token": token}
    )
    assert "NO CERTIFICATE" in child.text
    assert "under the minimum age" in child.text


def test_pages_are_rate_limited_with_retry_after(client: TestClient) -> None:
    token = form_token(client, "/certificates/verify")
    data = {"form_token": token, "code": "7QK3M-0XW2D-HB8FA", "date_of_birth": "1990-02-02"}
    for _ in range(10):
        assert client.post("/certificates/verify", data=data).status_code == 200
    limited = client.post("/certificates/verify", data=data)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many requests" in limited.text


def test_offline_checklist_and_private_sales_pages(client: TestClient) -> None:
    offline = client.get("/certificates/offline")
    assert "-----BEGIN PUBLIC KEY-----" in offline.text
    assert "cannot know" in offline.text
    assert "revoked" in offline.text
    assert offline.headers["content-security-policy"].startswith("default-src 'self'")
    sales = client.get("/private-sales?jurisdiction=FL")
    assert "first cousin" in sales.text
    assert "30 days" in sales.text
    assert client.get("/private-sales?jurisdiction=ZZ").status_code == 200


def test_the_dealer_page_shows_seller_errors_beside_the_seller_fields(
    client: TestClient, dealer_a: DealerAccount
) -> None:
    csrf = log_in(client, dealer_a.username)
    response = client.post(
        "/checks",
        data=form(
            csrf,
            transfer_type="private_via_dealer",
            seller_given_name="Zeb",
            seller_family_name="Quartermaine",
            seller_date_of_birth=date(1961, 7, 4).isoformat(),
            seller_id_number="NJ5550",
            seller_id_issuer="TX",
        ),
    )
    assert response.status_code == 422
    assert "TX does not record the seller of a private transfer" in response.text
