"""The Charleston gap closed: an arrest with no outcome delays a check; the examiner asks
the record's agency; the agency's answer re-evaluates the check."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import identity, record
from tests.conftest import DealerAccount, MovableClock, StaffAccount, add_records, submit
from transfercheck.bootstrap import Application
from transfercheck.domain.audit import EventType
from transfercheck.domain.determinations import CheckStatus, ReasonCode
from transfercheck.domain.errors import Conflict, ValidationFailed
from transfercheck.domain.records import Disposition
from transfercheck.services import review
from transfercheck.services.dispositions import NewRequest, request_disposition

# The buyer's SSN agrees with the arrest record's: only the missing outcome delays.
BUYER = identity("Dylan", "Rourke", date(1994, 4, 3), ssn="900555123")
AFTER_THE_DATE = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def ntn(application: Application, dealer_a: DealerAccount) -> str:
    # These tests are about the examiner's own request: intake does not ask the agency here
    # (the request intake makes itself is tested in test_rap_back.py).
    application.checking = replace(application.checking, answer_url=None)
    arrest = record(BUYER, disposition=Disposition.UNKNOWN, event_date=date(2015, 2, 28))
    add_records(application, arrest)
    check = submit(application, dealer_a, BUYER)
    assert check.determination.reasons == (ReasonCode.MISSING_DISPOSITION,)
    return check.ntn


def ask(application: Application, examiner: StaffAccount, ntn: str) -> NewRequest:
    now = application.clock()
    with application.unit_of_work() as uow:
        claimed = uow.reviews.state(ntn).claim  # type: ignore[union-attr]
    if claimed is None:
        review.claim(application.review, examiner.user, ntn, now)
    with application.unit_of_work() as uow:
        state, subject = uow.reviews.state(ntn), uow.reviews.subject(ntn)
    assert state is not None
    assert subject is not None
    return request_disposition(
        application.review,
        examiner.user,
        ntn,
        state.version,
        subject.findings[0].record_id,
        lambda request_id: f"http://tc.test/v1/disposition-requests/{request_id}/answer",
        now,
    )


def answer(client: TestClient, request: NewRequest, token: str | None = None, **body: Any) -> Any:
    return client.post(
        f"/v1/disposition-requests/{request.request_id}/answer",
        json=body,
        headers={"Authorization": f"Bearer {token or request.answer_token}"},
    )


def test_the_request_reaches_the_agency_without_the_buyer(
    application: Application, ntn: str, examiner: StaffAccount
) -> None:
    request = ask(application, examiner, ntn)
    with application.unit_of_work() as uow:
        (message,) = uow.outbox.all("disposition_request")
        (stored,) = uow.reviews.requests_for(ntn)
    assert message.channel == "agency"
    assert message.payload["answer_token"] == request.answer_token
    assert stored.token_hash != request.answer_token
    assert "Rourke" not in str(message.payload)
    assert "900555123" not in str(message.payload)


def test_a_conviction_after_the_default_proceed_date_denies_and_refers(
    application: Application,
    client: TestClient,
    clock: MovableClock,
    dealer_a: DealerAccount,
    ntn: str,
    examiner: StaffAccount,
) -> None:
    request = ask(application, examiner, ntn)
    clock.now = AFTER_THE_DATE  # the dealer could already hand over the firearm
    response = answer(client, request, disposition="convicted", disposition_date="2015-09-01")
    assert response.status_code == 200
    assert response.json() == {"request_id": request.request_id, "status": "answered"}
    dealer = client.get(f"/v1/checks/{ntn}", headers=dealer_a.headers).json()
    assert dealer["status"] == "DENIED"
    with application.unit_of_work() as uow:
        state = uow.reviews.state(ntn)
        referrals = uow.outbox.all("retrieval_referral")
        subject = uow.reviews.subject(ntn)
    assert state is not None
    assert state.resolution is not None
    assert (state.resolution.resolved_by, state.resolution.reason) == (
        "system",
        "disposition_received",
    )
    assert len(referrals) == 1
    assert subject is not None
    assert subject.findings[0].assessment.effect.value == "prohibits"
    again = answer(client, request, disposition="acquitted", disposition_date="2015-09-01")
    assert again.status_code == 409


def test_an_acquittal_lets_the_check_proceed(
    application: Application,
    client: TestClient,
    dealer_a: DealerAccount,
    ntn: str,
    examiner: StaffAccount,
) -> None:
    request = ask(application, examiner, ntn)
    assert answer(
        client, request, disposition="acquitted", disposition_date="2015-06-01"
    ).is_success
    dealer = client.get(f"/v1/checks/{ntn}", headers=dealer_a.headers).json()
    assert (dealer["status"], dealer["may_transfer_now"]) == ("PROCEED", True)


def test_a_pending_case_keeps_the_check_open_with_the_examiner(
    application: Application, client: TestClient, ntn: str, examiner: StaffAccount
) -> None:
    request = ask(application, examiner, ntn)
    assert answer(client, request, disposition="pending").is_success
    with application.unit_of_work() as uow:
        state = uow.reviews.state(ntn)
    assert state is not None
    assert state.status is CheckStatus.DELAYED
    assert state.reasons == (ReasonCode.MISSING_DISPOSITION,)


def test_only_the_requests_token_answers_it(
    application: Application, client: TestClient, ntn: str, examiner: StaffAccount
) -> None:
    request = ask(application, examiner, ntn)
    forged = answer(client, request, token="x" * 43, disposition="acquitted")
    assert forged.status_code == 401
    assert answer(client, request, disposition="convicted").status_code == 422  # no date
    with pytest.raises(ValidationFailed, match="asked already"):
        ask(application, examiner, ntn)


def test_only_the_claim_holder_asks_and_a_refusal_is_audited(
    application: Application, ntn: str, examiner: StaffAccount, examiner_2: StaffAccount
) -> None:
    review.claim(application.review, examiner.user, ntn, application.clock())
    with pytest.raises(Conflict, match="Another examiner"):
        ask(application, examiner_2, ntn)
    with application.unit_of_work() as uow:
        last = list(uow.audit.entries())[-1].event
        assert uow.outbox.all() == []
    assert (last.type, last.outcome) == (EventType.DISPOSITION_REQUESTED, "refused")
