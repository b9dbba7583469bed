"""The clock of a delayed check, end to end: tests move the server's clock across weekends
and federal holidays and read what the dealer's API says each day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.builders import identity, record
from tests.conftest import (
    DealerAccount,
    MovableClock,
    StaffAccount,
    add_records,
    submit,
)
from transfercheck.bootstrap import Application
from transfercheck.domain.audit import EventType
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.errors import ValidationFailed
from transfercheck.services import review
from transfercheck.services.retention import expire_open_checks

ADULT = identity("William", "Smith", date(1980, 3, 14))
YOUNG = identity("Tyler", "Smith", date(2006, 1, 10))  # 20 on 24 November 2026


def new_york(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in New York in winter (UTC-5), as the server's UTC clock."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) + timedelta(hours=5)


def dealer_view(client: TestClient, dealer: DealerAccount, ntn: str) -> dict[str, object]:
    response = client.get(f"/v1/checks/{ntn}", headers=dealer.headers)
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize(
    ("submitted", "may_transfer_on"),
    [
        pytest.param(date(2026, 11, 24), date(2026, 12, 1), id="Tue before Thanksgiving"),
        pytest.param(date(2026, 11, 27), date(2026, 12, 3), id="Fri after Thanksgiving"),
        pytest.param(date(2026, 12, 23), date(2026, 12, 30), id="Wed before Christmas"),
        pytest.param(date(2027, 1, 15), date(2027, 1, 22), id="Fri before Martin Luther King Day"),
        pytest.param(date(2026, 11, 28), date(2026, 12, 3), id="Saturday: Mon-Wed count"),
    ],
)
def test_default_proceed_dates_across_weekends_and_holidays(
    application: Application,
    clock: MovableClock,
    client: TestClient,
    dealer_a: DealerAccount,
    submitted: date,
    may_transfer_on: date,
) -> None:
    add_records(application, record(ADULT))
    clock.now = new_york(submitted, 16)
    ntn = submit(application, dealer_a, ADULT).ntn
    assert dealer_view(client, dealer_a, ntn)["may_transfer_on"] == may_transfer_on.isoformat()
    clock.now = new_york(may_transfer_on - timedelta(days=1), 23, 59)
    view = dealer_view(client, dealer_a, ntn)
    assert (view["state"], view["may_transfer_now"]) == ("delayed", False)
    clock.now = new_york(may_transfer_on, 0, 0)
    view = dealer_view(client, dealer_a, ntn)
    assert (view["status"], view["state"], view["may_transfer_now"]) == (
        "DELAYED",
        "open_may_proceed",
        True,
    )
    assert "Open: transfer may proceed" in str(view["message"])


def test_the_enhanced_check_gives_a_buyer_under_21_ten_business_days(
    application: Application,
    clock: MovableClock,
    client: TestClient,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
) -> None:
    add_records(application, record(YOUNG), record(ADULT))
    young = submit(application, dealer_a, YOUNG).ntn
    adult = submit(application, dealer_a, ADULT).ntn
    context = application.review
    for ntn in (young, adult):
        review.claim(context, examiner.user, ntn, clock())
    with application.unit_of_work() as uow:
        versions = {n: uow.reviews.state(n).version for n in (young, adult)}  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed, match="under 21"):
        review.extend_for_under_21(context, examiner.user, adult, versions[adult], clock())
    until = review.extend_for_under_21(context, examiner.user, young, versions[young], clock())
    # Wed 25, Fri 27, Mon 30 Nov, Tue 1 ... Wed 9 Dec: ten business days, Thanksgiving shut.
    assert until == date(2026, 12, 10)
    with pytest.raises(ValidationFailed, match="extended already"):
        review.extend_for_under_21(context, examiner.user, young, versions[young] + 1, clock())
    clock.now = new_york(date(2026, 12, 1), 9)
    assert dealer_view(client, dealer_a, young)["state"] == "delayed"
    assert dealer_view(client, dealer_a, adult)["state"] == "open_may_proceed"
    clock.now = new_york(date(2026, 12, 10), 9)
    assert dealer_view(client, dealer_a, young)["state"] == "open_may_proceed"
    with application.unit_of_work() as uow:
        kinds = [e.event.type for e in uow.audit.entries() if e.event.object_id == young]
    assert EventType.DEADLINE_EXTENDED in kinds


def test_the_window_cannot_be_extended_once_it_has_passed(
    application: Application,
    clock: MovableClock,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
) -> None:
    add_records(application, record(YOUNG))
    ntn = submit(application, dealer_a, YOUNG).ntn
    clock.now = new_york(date(2026, 12, 1), 9)
    review.claim(application.review, examiner.user, ntn, clock())
    with application.unit_of_work() as uow:
        current = uow.reviews.state(ntn).version  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed, match="has passed"):
        review.extend_for_under_21(application.review, examiner.user, ntn, current, clock())


def test_an_open_check_expires_after_88_days_and_loses_its_identity(
    application: Application,
    clock: MovableClock,
    client: TestClient,
    dealer_a: DealerAccount,
) -> None:
    add_records(application, record(ADULT))
    ntn = submit(application, dealer_a, ADULT).ntn  # Tue 24 Nov 2026: expires 20 Feb 2027
    clock.now = new_york(date(2027, 2, 19), 23, 59)
    assert expire_open_checks(application.review, clock()) == 0
    clock.now = new_york(date(2027, 2, 20), 0, 1)
    assert expire_open_checks(application.review, clock()) == 1
    assert expire_open_checks(application.review, clock()) == 0
    view = dealer_view(client, dealer_a, ntn)
    assert (view["status"], view["state"], view["may_transfer_now"]) == (
        "EXPIRED",
        "expired",
        False,
    )
    with application.unit_of_work() as uow:
        assert uow.reviews.subject(ntn) is None
        state = uow.reviews.state(ntn)
        kinds = [e.event.type for e in uow.audit.entries() if e.event.object_id == ntn]
    assert state is not None
    assert state.status is CheckStatus.EXPIRED
    assert kinds[-1] is EventType.CHECK_EXPIRED
