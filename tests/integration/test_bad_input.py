"""Every kind of bad input is refused with the field and the problem, and stores nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.builders import check_body, identity
from tests.conftest import DealerAccount
from transfercheck.bootstrap import Application


def valid_body() -> dict[str, Any]:
    return check_body(identity("Ana", "Lopez", date(1990, 2, 2)))


def with_buyer(**changes: Any) -> dict[str, Any]:
    body = valid_body()
    body["buyer"].update(changes)
    return body


def with_top(**changes: Any) -> dict[str, Any]:
    return {**valid_body(), **changes}


BAD_BODIES = [
    pytest.param(with_buyer(given_name=""), "given_name", id="empty name"),
    pytest.param(with_buyer(given_name="   "), "given_name", id="spaces-only name"),
    pytest.param(with_buyer(family_name="x" * 10_000), "family_name", id="10,000-char name"),
    pytest.param(with_buyer(given_name="Ana\x00"), "given_name", id="NUL in name"),
    pytest.param(with_buyer(given_name="Ana\r\nX"), "given_name", id="CR/LF in name"),
    pytest.param(with_buyer(given_name="A\u202ena"), "given_name", id="RTL override"),
    pytest.param(with_buyer(given_name="An\u200da"), "given_name", id="zero-width joiner"),
    pytest.param(with_buyer(given_name="' OR 1=1--"), "given_name", id="SQL injection"),
    pytest.param(with_buyer(family_name="<script>"), "family_name", id="script tag"),
    pytest.param(with_buyer(family_name="{{7*7}}"), "family_name", id="template injection"),
    pytest.param(with_buyer(given_name="😀"), "given_name", id="emoji"),
    pytest.param(with_buyer(given_name=123), "given_name", id="number for a name"),
    pytest.param(with_buyer(date_of_birth="2099-01-01"), "date_of_birth", id="future DOB"),
    pytest.param(with_buyer(date_of_birth="2023-02-29"), "date_of_birth", id="29 Feb non-leap"),
    pytest.param(with_buyer(date_of_birth="0000-00-00"), "date_of_birth", id="zero date"),
    pytest.param(with_buyer(date_of_birth="1880-01-01"), "date_of_birth", id="age over 120"),
    pytest.param(with_buyer(date_of_birth=19900202), "date_of_birth", id="number for a date"),
    pytest.param(with_buyer(sex="X"), "sex", id="unknown sex code"),
    pytest.param(with_buyer(ssn="000-12-3456"), "ssn", id="impossible SSN"),
    pytest.param(with_buyer(ssn="12345"), "ssn", id="short SSN"),
    pytest.param(with_buyer(ssn="٣٣٣٣٣٣٣٣٣"), "ssn", id="non-ASCII digits"),
    pytest.param(with_top(jurisdiction="ZZ"), "jurisdiction", id="unknown jurisdiction"),
    pytest.param(with_top(jurisdiction="tx"), "jurisdiction", id="lower-case jurisdiction"),
    pytest.param(with_top(firearm_category="bazooka"), "firearm_category", id="unknown firearm"),
    pytest.param(with_top(status="PROCEED"), "status", id="client sets status"),
    pytest.param(with_top(dealer_id="D-TEST-B"), "dealer_id", id="client sets dealer"),
    pytest.param(with_buyer(decision="PROCEED"), "decision", id="extra buyer field"),
    pytest.param(
        {"buyer": [], "firearm_category": "handgun", "jurisdiction": "TX"},
        "buyer",
        id="array for object",
    ),
    pytest.param(
        {k: v for k, v in valid_body().items() if k != "buyer"}, "buyer", id="missing buyer"
    ),
    pytest.param(with_top(buyer=None), "buyer", id="null buyer"),
]


def stored_rows(application: Application) -> tuple[int, int]:
    with application.engine.connect() as connection:
        checks = connection.execute(text("SELECT count(*) FROM checks")).scalar_one()
        subjects = connection.execute(text("SELECT count(*) FROM check_subjects")).scalar_one()
    return int(checks), int(subjects)


def post(
    client: TestClient,
    dealer: DealerAccount,
    content: bytes,
    content_type: str = "application/json",
) -> Any:
    headers = {**dealer.headers, "Idempotency-Key": "bad-1", "Content-Type": content_type}
    return client.post("/v1/checks", content=content, headers=headers)


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_bad_body_is_rejected_naming_the_field_and_stores_nothing(
    client: TestClient,
    application: Application,
    dealer_a: DealerAccount,
    body: dict[str, Any],
    field: str,
) -> None:
    response = post(client, dealer_a, json.dumps(body).encode())
    assert response.status_code == 422, response.text
    payload = response.json()
    assert payload["error"] == "validation_failed"
    assert any(field in map(str, problem["loc"]) for problem in payload["detail"]), payload
    assert all(problem["msg"] for problem in payload["detail"])
    assert stored_rows(application) == (0, 0)


@pytest.mark.parametrize(
    ("content", "content_type", "status", "error"),
    [
        pytest.param(
            b'{"buyer": ', "application/json", 422, "validation_failed", id="malformed JSON"
        ),
        pytest.param(
            b"buyer=Ana",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
            id="form body",
        ),
        pytest.param(b"{}", "text/plain", 415, "unsupported_media_type", id="text/plain"),
        pytest.param(b" " * 70_000, "application/json", 413, "body_too_large", id="oversized"),
    ],
)
def test_malformed_requests_are_refused_and_store_nothing(
    client: TestClient,
    application: Application,
    dealer_a: DealerAccount,
    content: bytes,
    content_type: str,
    status: int,
    error: str,
) -> None:
    response = post(client, dealer_a, content, content_type)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert stored_rows(application) == (0, 0)


@pytest.mark.parametrize("key", ["", "x" * 129, "with space", "ключ"])
def test_bad_idempotency_key_is_refused(
    client: TestClient, application: Application, dealer_a: DealerAccount, key: str
) -> None:
    # Sent as raw UTF-8 bytes: a client may put anything on the wire.
    headers: dict[str, str | bytes] = {**dealer_a.headers, "Idempotency-Key": key.encode()}
    response = client.post("/v1/checks", json=valid_body(), headers=headers)
    assert response.status_code == 422
    assert stored_rows(application) == (0, 0)


def test_missing_idempotency_key_is_refused(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    response = client.post("/v1/checks", json=valid_body(), headers=dealer_a.headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in json.dumps(response.json()["detail"])


@pytest.mark.parametrize("limit", ["0", "101", "1000000000", "ten"])
def test_page_size_is_bounded(client: TestClient, dealer_a: DealerAccount, limit: str) -> None:
    response = client.get(f"/v1/checks?limit={limit}", headers=dealer_a.headers)
    assert response.status_code == 422


def test_errors_do_not_echo_the_input(client: TestClient, dealer_a: DealerAccount) -> None:
    body = with_buyer(given_name="<script>alert(1)</script>")
    response = post(client, dealer_a, json.dumps(body).encode())
    assert "alert(1)" not in response.text


def test_security_headers_on_success_and_error(client: TestClient) -> None:
    for response in (client.get("/health/live"), client.get("/nope")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
