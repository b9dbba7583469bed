"""The instant check over HTTP, on a real SQLite file: the behaviours issue 2 names."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.builders import check_body, identity, record
from tests.conftest import DealerAccount, add_records
from transfercheck.bootstrap import Application
from transfercheck.domain.identities import Sex
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    Relief,
    ReliefType,
)

PROHIBITED = identity("William", "Smith", date(1980, 3, 14), ssn="900123456")


def post_check(
    client: TestClient, dealer: DealerAccount, body: dict[str, Any], key: str = "key-1"
) -> httpx.Response:
    return client.post("/v1/checks", json=body, headers={**dealer.headers, "Idempotency-Key": key})


def test_felony_conviction_with_agreeing_ssn_is_denied_without_record_details(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    add_records(application, record(PROHIBITED))
    response = post_check(client, dealer_a, check_body(PROHIBITED))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "DENIED"
    assert set(body) == {
        "ntn",
        "status",
        "state",
        "may_transfer_now",
        "submitted_at",
        "may_transfer_on",
        "resolved_at",
        "message",
    }
    assert "922" not in response.text
    assert "record" not in response.text.lower()


def test_nickname_and_misspelt_surname_still_find_the_prohibited_person(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    """'Bill Smyth' with William Smith's date of birth and SSN is William Smith."""
    add_records(application, record(PROHIBITED))
    buyer = identity("Bill", "Smyth", date(1980, 3, 14), ssn="900123456")
    assert post_check(client, dealer_a, check_body(buyer)).json()["status"] == "DENIED"


def test_name_and_dob_match_without_identifier_delays_rather_than_denies(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    add_records(application, record(PROHIBITED))
    buyer = identity("Bill", "Smyth", date(1980, 3, 14))
    body = post_check(client, dealer_a, check_body(buyer)).json()
    assert body["status"] == "DELAYED"


def test_arrest_without_disposition_delays_with_deadline_across_thanksgiving(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    """Checked Tuesday 24 Nov 2026: Wed (1), Thanksgiving closed, Fri (2), Mon (3):
    the dealer may transfer on Tuesday 1 December."""
    add_records(application, record(PROHIBITED, disposition=Disposition.UNKNOWN))
    body = post_check(client, dealer_a, check_body(PROHIBITED)).json()
    assert body["status"] == "DELAYED"
    assert body["may_transfer_on"] == "2026-12-01"


@pytest.mark.parametrize(
    "stale_record",
    [
        pytest.param(
            record(
                PROHIBITED,
                category=Category.PROTECTION_ORDER,
                disposition=Disposition.UNKNOWN,
                event_date=date(2024, 1, 10),
                expiry_date=date(2025, 1, 10),
            ),
            id="expired protection order (922(g)(8) binds only while in force)",
        ),
        pytest.param(
            record(PROHIBITED, relief=Relief(ReliefType.EXPUNGEMENT, date(2020, 5, 1))),
            id="expunged conviction (921(a)(20))",
        ),
        pytest.param(
            record(PROHIBITED, relief=Relief(ReliefType.PARDON, date(2021, 7, 4))),
            id="pardoned conviction (921(a)(20))",
        ),
        pytest.param(
            record(PROHIBITED, disposition=Disposition.ACQUITTED),
            id="acquittal",
        ),
    ],
)
def test_records_that_no_longer_prohibit_let_the_check_proceed(
    client: TestClient,
    application: Application,
    dealer_a: DealerAccount,
    stale_record: ProhibitingRecord,
) -> None:
    add_records(application, stale_record)
    assert post_check(client, dealer_a, check_body(PROHIBITED)).json()["status"] == "PROCEED"


def test_relief_that_keeps_the_firearm_ban_still_denies(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    relief = Relief(ReliefType.RIGHTS_RESTORED, date(2020, 5, 1), keeps_firearm_ban=True)
    add_records(application, record(PROHIBITED, relief=relief))
    assert post_check(client, dealer_a, check_body(PROHIBITED)).json()["status"] == "DENIED"


def test_clean_buyer_with_a_common_name_and_another_dob_proceeds(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    namesakes = [
        record(identity("Maria", "Garcia", date(1970 + i, 1 + i % 12, 1 + i), sex=Sex.FEMALE))
        for i in range(10)
    ]
    add_records(application, *namesakes)
    buyer = identity("Maria", "Garcia", date(1991, 8, 23), sex=Sex.FEMALE)
    assert post_check(client, dealer_a, check_body(buyer)).json()["status"] == "PROCEED"


def test_twin_with_other_given_name_is_not_stopped_by_the_siblings_record(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    add_records(application, record(PROHIBITED))
    twin = identity("Robert", "Smith", date(1980, 3, 14))
    assert post_check(client, dealer_a, check_body(twin)).json()["status"] == "PROCEED"


def test_underage_handgun_buyer_is_denied(client: TestClient, dealer_a: DealerAccount) -> None:
    buyer = identity("Tyler", "Nguyen", date(2006, 1, 5))  # 20 on the check date
    body = check_body(buyer, firearm_category="handgun")
    assert post_check(client, dealer_a, body).json()["status"] == "DENIED"
    assert post_check(client, dealer_a, check_body(buyer), key="k2").json()["status"] == "PROCEED"


def test_idempotent_retry_returns_the_same_ntn_and_stores_one_check(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    body = check_body(identity("Ana", "Lopez", date(1990, 2, 2)))
    first = post_check(client, dealer_a, body, key="retry-me")
    second = post_check(client, dealer_a, body, key="retry-me")
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert count_rows(application, "checks") == 1


def test_reused_key_with_a_different_body_is_refused_and_stores_nothing(
    client: TestClient, application: Application, dealer_a: DealerAccount
) -> None:
    post_check(client, dealer_a, check_body(identity("Ana", "Lopez")), key="same")
    response = post_check(client, dealer_a, check_body(identity("Ana", "Lopes")), key="same")
    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_key_reused"
    assert count_rows(application, "checks") == 1


def test_same_key_from_two_dealers_makes_two_checks(
    client: TestClient, dealer_a: DealerAccount, dealer_b: DealerAccount
) -> None:
    body = check_body(identity("Ana", "Lopez"))
    a = post_check(client, dealer_a, body, key="shared").json()["ntn"]
    b = post_check(client, dealer_b, body, key="shared").json()["ntn"]
    assert a != b


def test_dealer_reads_own_check_but_not_another_dealers(
    client: TestClient, dealer_a: DealerAccount, dealer_b: DealerAccount
) -> None:
    ntn = post_check(client, dealer_a, check_body(identity())).json()["ntn"]
    own = client.get(f"/v1/checks/{ntn}", headers=dealer_a.headers)
    assert own.status_code == 200
    assert own.json()["ntn"] == ntn
    foreign = client.get(f"/v1/checks/{ntn}", headers=dealer_b.headers)
    missing = client.get("/v1/checks/ZZZZZZZZZZ", headers=dealer_b.headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    listed = client.get("/v1/checks", headers=dealer_b.headers).json()["checks"]
    assert listed == []


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no credentials"),
        pytest.param({"Authorization": "Bearer tc_000000000000_wrong"}, id="unknown key"),
        pytest.param({"Authorization": "Basic dXNlcjpwYXNz"}, id="wrong scheme"),
        pytest.param({"Authorization": "Bearer not-a-key"}, id="malformed key"),
    ],
)
def test_requests_without_a_valid_api_key_are_refused(
    client: TestClient,
    application: Application,
    dealer_a: DealerAccount,
    headers: dict[str, str],
) -> None:
    response = client.post(
        "/v1/checks", json=check_body(identity()), headers={**headers, "Idempotency-Key": "k"}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert count_rows(application, "checks") == 0


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/checks" in spec["paths"]
    assert "/v1/checks/{ntn}" in spec["paths"]


def test_health_endpoints(client: TestClient) -> None:
    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").json() == {"status": "ready"}


def count_rows(application: Application, table: str) -> int:
    from sqlalchemy import text

    with application.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608
