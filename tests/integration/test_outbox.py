"""Late denials become retrieval referrals: one durable outbox row, delivered by the worker
to a local webhook receiver once, across a receiver outage and a worker restart."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.builders import identity, record
from tests.conftest import DealerAccount, MovableClock, StaffAccount, add_records, submit
from tests.receiver import Receiver, running_receiver
from transfercheck.adapters.webhooks import signature
from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.review import OverrideReason
from transfercheck.services import review
from transfercheck.services.worker import Round, run_round

BUYER = identity("William", "Smith", date(1980, 3, 14))
SECRET = "shared-webhook-secret"
# Wednesday 2 December 2026, 10:00 in New York: the check of Tuesday 24 November could
# be handed over from Tuesday 1 December.
AFTER_THE_DATE = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path, receiver: Receiver) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'transfercheck.db'}",
        data_dir=tmp_path,
        environment="test",
        law_enforcement_webhook_url=f"{receiver.url}/referrals",
        webhook_secret=SECRET,
    )


def deny(application: Application, examiner: StaffAccount, ntn: str) -> None:
    now = application.clock()
    review.claim(application.review, examiner.user, ntn, now)
    with application.unit_of_work() as uow:
        current = uow.reviews.state(ntn).version  # type: ignore[union-attr]
    review.decide(application.review, examiner.user, ntn, current, CheckStatus.DENIED, "922g1", now)


def test_a_late_denial_is_referred_once_across_an_outage_and_a_worker_restart(
    application: Application,
    settings: Settings,
    clock: MovableClock,
    receiver: Receiver,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
) -> None:
    add_records(application, record(BUYER))
    ntn = submit(application, dealer_a, BUYER).ntn
    clock.now = AFTER_THE_DATE
    deny(application, examiner, ntn)
    with application.unit_of_work() as uow:
        (referral,) = uow.outbox.all("retrieval_referral")
    assert referral.delivered_at is None

    receiver.fail_next = 1  # the police endpoint is down for the first attempt
    assert run_round(application.review, application.delivery, clock()) == Round(0, 0, 1)
    application.close()  # the worker stops; only the database remains

    restarted = bootstrap(settings, clock, load_index=False)
    try:
        assert run_round(restarted.review, restarted.delivery, clock()) == Round(0, 0, 0)
        clock.advance(timedelta(seconds=30))  # the first retry is due
        assert run_round(restarted.review, restarted.delivery, clock()) == Round(0, 1, 0)
        clock.advance(timedelta(hours=3))
        assert run_round(restarted.review, restarted.delivery, clock()) == Round(0, 0, 0)
        with restarted.unit_of_work() as uow:
            (sent,) = uow.outbox.all("retrieval_referral")
    finally:
        restarted.close()

    assert sent.attempts == 2
    assert [d.status for d in receiver.deliveries] == [503, 200]
    (arrived,) = receiver.accepted
    assert arrived.path == "/referrals"
    assert arrived.body["id"] == referral.message_id == arrived.headers["Idempotency-Key"]
    expected = signature(SECRET, arrived.raw)
    assert hmac.compare_digest(arrived.headers["X-Transfercheck-Signature"], expected)
    payload = arrived.body["payload"]
    assert (payload["ntn"], payload["jurisdiction"], payload["reason"]) == (
        ntn,
        "TX",
        "922g1",
    )
    assert payload["dealer_license"] == "9-99-999-01-1A-0000A"
    assert b"Smith" not in arrived.raw  # the buyer is found through the NTN, not the message


def test_a_denial_in_time_makes_no_referral_and_the_dealer_hears_of_it(
    application: Application,
    clock: MovableClock,
    receiver: Receiver,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
) -> None:
    with application.unit_of_work() as uow:
        uow.accounts.set_dealer_webhook(dealer_a.dealer_id, f"{receiver.url}/dealer")
        uow.commit()
    add_records(application, record(BUYER))
    ntn = submit(application, dealer_a, BUYER).ntn
    deny(application, examiner, ntn)
    assert run_round(application.review, application.delivery, clock()) == Round(0, 1, 0)
    (arrived,) = receiver.accepted
    assert arrived.path == "/dealer"
    assert arrived.body["kind"] == "check_resolved"
    assert (arrived.body["payload"]["ntn"], arrived.body["payload"]["status"]) == (ntn, "DENIED")


def test_reversing_a_late_denial_withdraws_the_referral(
    application: Application,
    clock: MovableClock,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
    supervisor: StaffAccount,
) -> None:
    add_records(application, record(BUYER))
    ntn = submit(application, dealer_a, BUYER).ntn
    clock.now = AFTER_THE_DATE
    deny(application, examiner, ntn)
    with application.unit_of_work() as uow:
        current = uow.reviews.state(ntn).version  # type: ignore[union-attr]
    review.override(
        application.review, supervisor.user, ntn, current, CheckStatus.PROCEED,
        OverrideReason.NEW_INFORMATION, "fingerprints exclude the buyer", clock(),
    )  # fmt: skip
    with application.unit_of_work() as uow:
        kinds = [m.kind for m in uow.outbox.all()]
    assert sorted(kinds) == ["referral_withdrawn", "retrieval_referral"]
