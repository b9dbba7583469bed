"""Idempotency under concurrency: the unique constraint, not luck, keeps one check per key."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier

from sqlalchemy import text

from tests.builders import identity
from tests.conftest import make_dealer
from transfercheck.bootstrap import Application
from transfercheck.domain.checks import CheckRequest, FirearmCategory, Transfer, TransferType
from transfercheck.services.intake import submit_check

THREADS = 20


def test_simultaneous_retries_store_one_check_and_agree_on_the_ntn(
    application: Application,
) -> None:
    dealer = make_dealer(application, "A")
    transfer = Transfer(
        identity("Ana", "Lopez", date(1990, 2, 2)),
        FirearmCategory.LONG_GUN,
        TransferType.DEALER_SALE,
        "TX",
    )
    request = CheckRequest(dealer.dealer_id, transfer, "same-key-everywhere")
    start = Barrier(THREADS)
    now = application.clock()

    def submit(_: int) -> str:
        start.wait()
        result = submit_check(
            request, application.checking, application.unit_of_work, now, now.date()
        )
        return result.check.ntn

    with ThreadPoolExecutor(THREADS) as pool:
        ntns = set(pool.map(submit, range(THREADS)))
    assert len(ntns) == 1
    with application.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM checks")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM check_subjects")).scalar_one() == 1
