"""Rap back: a record that arrives or changes after a check decides that check again.

A new felony for a buyer whose delayed check has passed its default-proceed date denies it
and makes exactly one retrieval referral; a relief that cleared the only reason for a delay
lets the check proceed; a record about someone else changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.builders import check_body, identity, record
from tests.conftest import AgencyAccount, DealerAccount, MovableClock
from transfercheck.adapters.interchange import record_to_row
from transfercheck.bootstrap import Application

BUYER = identity("William", "Smith", date(1980, 3, 14), ssn="900123456")


def row(
    agency: AgencyAccount, agency_record_id: str, subject: Any = BUYER, **changes: Any
) -> dict[str, Any]:
    base = replace(
        record(subject), agency_record_id=agency_record_id, source_agency=agency.agency_id
    )
    return {**record_to_row(base), **changes}


def submit(client: TestClient, dealer: DealerAccount, key: str) -> dict[str, Any]:
    headers = {**dealer.headers, "Idempotency-Key": key}
    return dict(client.post("/v1/checks", json=check_body(BUYER), headers=headers).json())


def status_of(client: TestClient, dealer: DealerAccount, ntn: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/checks/{ntn}", headers=dealer.headers).json())


def delayed_by_an_open_arrest(
    client: TestClient, court: AgencyAccount, dealer: DealerAccount
) -> dict[str, Any]:
    """The common start: an arrest with no disposition on file, then the buyer's check."""
    open_arrest = row(court, "AR-1", disposition="unknown", disposition_date=None)
    client.post("/v1/records", json=open_arrest, headers=court.headers)
    return submit(client, dealer, "k1")


def referrals(application: Application) -> int:
    with application.engine.connect() as db:
        query = text("SELECT count(*) FROM outbox WHERE kind = 'retrieval_referral'")
        return int(db.execute(query).scalar_one())


def test_a_felony_arriving_after_the_default_proceed_date_denies_and_refers_once(
    client: TestClient,
    application: Application,
    clock: MovableClock,
    court: AgencyAccount,
    dealer_a: DealerAccount,
) -> None:
    arrest = row(court, "AR-1", disposition="unknown", disposition_date=None)
    client.post("/v1/records", json=arrest, headers=court.headers)
    check = submit(client, dealer_a, "k1")
    assert check["status"] == "DELAYED"
    clock.advance(timedelta(days=8))  # past 2026-12-01: the dealer may have transferred
    felony = row(court, "CR-9", event_date="2026-10-01", disposition_date="2026-11-02")
    assert client.post("/v1/records", json=felony, headers=court.headers).status_code == 201
    assert status_of(client, dealer_a, check["ntn"])["status"] == "DENIED"
    assert referrals(application) == 1
    client.post("/v1/records", json=felony, headers=court.headers)  # the same record again
    assert referrals(application) == 1


def test_a_felony_arriving_before_the_default_proceed_date_denies_without_referral(
    client: TestClient, application: Application, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    check = delayed_by_an_open_arrest(client, court, dealer_a)
    client.post("/v1/records", json=row(court, "CR-9"), headers=court.headers)
    assert status_of(client, dealer_a, check["ntn"])["status"] == "DENIED"
    assert referrals(application) == 0


def test_an_expungement_of_the_only_record_lets_the_open_check_proceed(
    client: TestClient, application: Application, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    check = delayed_by_an_open_arrest(client, court, dealer_a)
    assert check["status"] == "DELAYED"
    relief = {"type": "expungement", "granted_on": "2026-11-20"}
    client.post("/v1/records/AR-1/relief", json=relief, headers=court.headers)
    assert status_of(client, dealer_a, check["ntn"])["status"] == "PROCEED"


def test_a_record_about_someone_else_leaves_the_check_alone(
    client: TestClient, application: Application, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    check = delayed_by_an_open_arrest(client, court, dealer_a)
    stranger = identity("Maria", "Garcia", date(1991, 8, 23), ssn="900765432")
    client.post("/v1/records", json=row(court, "CR-2", subject=stranger), headers=court.headers)
    after = status_of(client, dealer_a, check["ntn"])
    assert (after["status"], after["resolved_at"]) == ("DELAYED", None)


def test_a_delay_for_a_missing_disposition_asks_the_agency_whose_answer_decides_it(
    client: TestClient, application: Application, court: AgencyAccount, dealer_a: DealerAccount
) -> None:
    check = delayed_by_an_open_arrest(client, court, dealer_a)
    assert check["status"] == "DELAYED"
    with application.engine.connect() as db:
        requests = db.execute(
            text("SELECT request_id, requested_by FROM disposition_requests")
        ).all()
        payload = db.execute(
            text("SELECT payload FROM outbox WHERE kind = 'disposition_request'")
        ).scalar_one()
    assert [r.requested_by for r in requests] == [None]  # asked by the system
    sent = json.loads(payload) if isinstance(payload, str) else payload
    assert sent["agency"] == court.agency_id
    assert sent["agency_record_id"] == "AR-1"
    answer = client.post(
        f"/v1/disposition-requests/{sent['request_id']}/answer",
        json={"disposition": "convicted", "disposition_date": "2016-02-01"},
        headers={"Authorization": f"Bearer {sent['answer_token']}"},
    )
    assert answer.status_code == 200, answer.text
    assert status_of(client, dealer_a, check["ntn"])["status"] == "DENIED"
