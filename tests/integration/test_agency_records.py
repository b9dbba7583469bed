"""A records agency keeps its own records: submit, correct, dispose, relieve, expire; every
change is a version, reaches the live index at once, and re-decides later checks."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import check_body, identity, record
from tests.conftest import AgencyAccount, DealerAccount, MovableClock
from transfercheck.adapters.interchange import record_to_row
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.domain.records import Disposition

PERSON = identity("William", "Smith", date(1980, 3, 14), ssn="900123456")


def row(
    agency: AgencyAccount, agency_record_id: str = "CR-2015-001", **changes: Any
) -> dict[str, Any]:
    base = replace(
        record(PERSON), agency_record_id=agency_record_id, source_agency=agency.agency_id
    )
    return {**record_to_row(base), **changes}


def check(client: TestClient, dealer: DealerAccount, key: str) -> str:
    response = client.post(
        "/v1/checks", json=check_body(PERSON), headers={**dealer.headers, "Idempotency-Key": key}
    )
    return str(response.json()["status"])


def test_a_submitted_conviction_denies_the_next_check_without_a_restart(
    client: TestClient, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    assert check(client, dealer_a, "before") == "PROCEED"
    created = client.post("/v1/records", json=row(court), headers=court.headers)
    assert created.status_code == 201
    assert check(client, dealer_a, "after") == "DENIED"


def test_submitting_the_same_record_twice_changes_nothing(
    client: TestClient, court: AgencyAccount
) -> None:
    first = client.post("/v1/records", json=row(court), headers=court.headers)
    again = client.post("/v1/records", json=row(court), headers=court.headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["version"] == 1
    clash = client.post("/v1/records", json=row(court, category="922g9"), headers=court.headers)
    assert clash.status_code == 409


def test_an_expungement_turns_a_later_check_into_proceed_and_history_keeps_both(
    client: TestClient, application: Application, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    client.post("/v1/records", json=row(court), headers=court.headers)
    assert check(client, dealer_a, "k1") == "DENIED"
    relief = {"type": "expungement", "granted_on": "2026-11-20"}
    response = client.post("/v1/records/CR-2015-001/relief", json=relief, headers=court.headers)
    assert response.json()["version"] == 2
    assert check(client, dealer_a, "k2") == "PROCEED"
    history = client.get("/v1/records/CR-2015-001/history", headers=court.headers).json()
    assert [(v["version"], v["change"]) for v in history] == [(1, "created"), (2, "relieved")]
    assert history[0]["record"]["relief_type"] is None
    assert history[1]["record"]["relief_type"] == "expungement"


def test_status_answers_for_any_date(client: TestClient, court: AgencyAccount) -> None:
    client.post("/v1/records", json=row(court), headers=court.headers)
    client.post(
        "/v1/records/CR-2015-001/relief",
        json={"type": "pardon", "granted_on": "2026-01-15"},
        headers=court.headers,
    )
    url = "/v1/records/CR-2015-001/status"
    before = client.get(url, params={"on": "2025-12-31"}, headers=court.headers).json()
    after = client.get(url, params={"on": "2026-01-15"}, headers=court.headers).json()
    now = client.get(url, headers=court.headers).json()
    assert (before["effect"], after["effect"], now["effect"]) == ("prohibits", "none", "none")


def test_a_disposition_answer_turns_a_delay_into_a_denial(
    client: TestClient, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    arrest = row(court, disposition="unknown", disposition_date=None)
    client.post("/v1/records", json=arrest, headers=court.headers)
    assert check(client, dealer_a, "k1") == "DELAYED"
    waiting = client.get("/v1/records?missing_disposition=true", headers=court.headers).json()
    assert [w["agency_record_id"] for w in waiting] == ["CR-2015-001"]
    answer = {"disposition": "convicted", "disposition_date": "2016-02-01"}
    client.post("/v1/records/CR-2015-001/disposition", json=answer, headers=court.headers)
    assert check(client, dealer_a, "k2") == "DENIED"
    assert client.get("/v1/records?missing_disposition=true", headers=court.headers).json() == []


def test_a_corrected_date_of_birth_is_found_under_the_new_date(
    client: TestClient, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    wrong = row(court, date_of_birth="1981-03-14", ssn=None)
    client.post("/v1/records", json=wrong, headers=court.headers)
    assert check(client, dealer_a, "k1") != "DENIED"
    fixed = row(court)
    assert (
        client.put("/v1/records/CR-2015-001", json=fixed, headers=court.headers).status_code == 200
    )
    assert check(client, dealer_a, "k2") == "DENIED"


def test_an_agency_cannot_see_or_touch_another_agencys_record(
    client: TestClient, court: AgencyAccount, other_court: AgencyAccount
) -> None:
    client.post("/v1/records", json=row(court), headers=court.headers)
    h = other_court.headers
    attempts = [
        client.get("/v1/records/CR-2015-001", headers=h),
        client.get("/v1/records/CR-2015-001/history", headers=h),
        client.put("/v1/records/CR-2015-001", json=row(other_court), headers=h),
        client.post(
            "/v1/records/CR-2015-001/relief",
            json={"type": "pardon", "granted_on": "2026-01-01"},
            headers=h,
        ),
        client.post(
            "/v1/records/CR-2015-001/expiry", json={"expiry_date": "2026-01-01"}, headers=h
        ),
    ]
    assert [a.status_code for a in attempts] == [404] * 5
    foreign = client.post("/v1/records", json=row(court, "CR-X"), headers=h)
    assert foreign.status_code == 422
    assert "must be your agency" in json.dumps(foreign.json())


def test_dealer_and_agency_keys_do_not_cross(
    client: TestClient, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    assert client.post("/v1/records", json=row(court), headers=dealer_a.headers).status_code == 403
    response = client.post(
        "/v1/checks", json=check_body(PERSON), headers={**court.headers, "Idempotency-Key": "x"}
    )
    assert response.status_code == 403


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def test_bulk_upload_all_or_nothing_then_skip_then_idempotent(
    client: TestClient, court: AgencyAccount
) -> None:
    rows = [row(court, f"CR-{n}") for n in range(4)]
    rows[2]["event_date"] = "not a date"
    headers = {**court.headers, "Content-Type": "application/x-ndjson"}
    refused = client.post("/v1/records/imports", content=jsonl(rows), headers=headers).json()
    assert (refused["applied"], refused["imported"], refused["rejected_rows"]) == (False, 0, 1)
    assert refused["problems"][0]["location"] == "line 3, field event_date"
    skipped = client.post(
        "/v1/records/imports?skip_bad_rows=true", content=jsonl(rows), headers=headers
    ).json()
    assert (skipped["applied"], skipped["imported"]) == (True, 3)
    again = client.post(
        "/v1/records/imports?skip_bad_rows=true", content=jsonl(rows), headers=headers
    ).json()
    assert (again["imported"], again["already_on_file"]) == (0, 3)
    quality = client.get("/v1/agency/quality", headers=court.headers).json()
    assert quality["records"] == 3
    assert quality["by_category"] == {"922g1": 3}
    assert [r["rejected_rows"] for r in quality["recent_imports"]] == [1, 1, 1]


def test_bulk_upload_of_another_agencys_rows_is_refused(
    client: TestClient, court: AgencyAccount, other_court: AgencyAccount
) -> None:
    headers = {**other_court.headers, "Content-Type": "application/x-ndjson"}
    body = jsonl([row(court, "CR-1")])
    result = client.post("/v1/records/imports", content=body, headers=headers).json()
    assert result["applied"] is False
    assert result["problems"] == [
        {
            "location": "line 1, field source_agency",
            "message": "must be your agency, 'TX-HARRIS-COURT'",
        }
    ]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        pytest.param(
            "/v1/records/CR-2015-001/disposition",
            {"disposition": "convicted", "disposition_date": "2000-01-01"},
            id="disposition before the arrest",
        ),
        pytest.param(
            "/v1/records/CR-2015-001/relief",
            {"type": "amnesty", "granted_on": "2020-01-01"},
            id="unknown relief",
        ),
        pytest.param(
            "/v1/records/CR-2015-001/expiry", {"expiry_date": 20200101}, id="number for a date"
        ),
        pytest.param(
            "/v1/records/CR-2015-001/relief",
            {"type": "pardon", "granted_on": "2020-01-01", "status": "x"},
            id="unknown field",
        ),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(
    client: TestClient, court: AgencyAccount, path: str, body: dict[str, Any]
) -> None:
    client.post("/v1/records", json=row(court), headers=court.headers)
    assert client.post(path, json=body, headers=court.headers).status_code == 422
    history = client.get("/v1/records/CR-2015-001/history", headers=court.headers).json()
    assert len(history) == 1


def test_a_restart_rebuilds_the_index_to_the_same_state(
    client: TestClient, application: Application, court: AgencyAccount
) -> None:
    client.post("/v1/records", json=row(court), headers=court.headers)
    client.post(
        "/v1/records/CR-2015-001/disposition",
        json={"disposition": "dismissed", "disposition_date": "2016-01-01"},
        headers=court.headers,
    )
    restarted = bootstrap(application.settings, MovableClock())
    try:
        assert len(restarted.index) == len(application.index) == 1
        with restarted.unit_of_work() as uow:
            stored = uow.records.get_by_agency_id(court.agency_id, "CR-2015-001")
        assert stored is not None
        assert stored.record.disposition is Disposition.DISMISSED
    finally:
        restarted.close()


def test_the_openapi_schema_shows_names_as_the_text_agencies_send(client: TestClient) -> None:
    row = client.get("/openapi.json").json()["components"]["schemas"]["RecordRow"]
    assert row["properties"]["name"]["type"] == "string"
    assert row["properties"]["aliases"]["items"]["type"] == "string"
    # and the text is what the API takes
    example = row["properties"]["name"]["examples"][0]
    assert example == "SMITH, WILLIAM JAMES"
