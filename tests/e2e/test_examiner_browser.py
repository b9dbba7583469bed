"""Examiners in a real browser: log in with a password and a one-time code, claim a
delayed check, read the evidence, deny it; the dealer's page shows DENIED; a second
examiner cannot claim it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from tests.builders import identity, record
from tests.conftest import (
    PASSWORD,
    DealerAccount,
    MovableClock,
    StaffAccount,
    add_records,
    submit,
)
from tests.e2e.test_dealer_browser import shoot
from transfercheck.bootstrap import Application
from transfercheck.domain.records import Category, Disposition

pytestmark = pytest.mark.browser


def staff_log_in(page: Any, staff: StaffAccount, clock: MovableClock) -> None:
    page.goto("/review/login")
    page.get_by_label("User name").fill(staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("One-time code").fill(staff.code(clock()))
    page.get_by_label("I have read the notice").check()
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", name="Delayed checks").is_visible()


def seed_queue(application: Application, clock: MovableClock, dealer: DealerAccount) -> str:
    """A few delayed checks of different ages and reasons; returns the one to work on."""
    today = clock()
    william = identity("William", "Smith", date(1980, 3, 14), middle="James", ssn="900123456")
    conviction = replace(
        record(william), description="Possession with intent to distribute (synthetic)"
    )
    arrest = record(
        identity("Dylan", "Rourke", date(1994, 4, 3), ssn="900555123"),
        category=Category.FELONY_CONVICTION,
        disposition=Disposition.UNKNOWN,
        event_date=date(2015, 2, 28),
    )
    young = record(identity("Tyler", "Brooks", date(2006, 1, 10)))
    order = record(identity("Maria", "Lopez", date(1975, 8, 2)), category=Category.PROTECTION_ORDER)
    add_records(application, conviction, arrest, young, order)
    clock.now = today - timedelta(days=7)  # Tuesday 17 November: the dealer may transfer
    submit(application, dealer, identity("Maria", "Lopes", date(1975, 8, 2)))
    clock.now = today - timedelta(days=5)  # Thursday 19 November: one business day left
    submit(application, dealer, identity("Dylan", "Rourke", date(1994, 4, 3), ssn="900555123"))
    clock.now = today - timedelta(days=1)
    submit(application, dealer, identity("Tyler", "Brooks", date(2006, 1, 10)))
    clock.now = today
    return submit(application, dealer, identity("Bill", "Smyth", date(1980, 3, 14))).ntn


def test_an_examiner_denies_a_delayed_check_and_a_second_cannot_claim_it(
    browser_page: Any,
    live_server: str,
    application: Application,
    clock: MovableClock,
    dealer_a: DealerAccount,
    examiner: StaffAccount,
    examiner_2: StaffAccount,
) -> None:
    ntn = seed_queue(application, clock, dealer_a)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_log_in(page, examiner, clock)
    second = page.context.browser.new_page(base_url=live_server)
    staff_log_in(second, examiner_2, clock)  # this queue still offers the claim
    shoot(page, "examiner-queue")

    page.get_by_role("button", name=f"Claim {ntn}").click()
    candidate = page.get_by_role("region", name="Candidate record")
    text = candidate.inner_text()
    assert "match probability" in text
    assert "Bill" in text
    assert "William" in text  # the buyer beside the record, field by field
    assert "nickname" in text.lower()  # with the matcher's explanation
    assert "18 U.S.C. 922(g)(1)" in text  # and what the rules say
    shoot(page, "examiner-evidence")

    second.get_by_role("button", name=f"Claim {ntn}").click()
    assert "Another examiner holds this check" in second.get_by_role("alert").inner_text()

    page.get_by_label("Prohibition").select_option("922g1")
    page.get_by_role("button", name="Deny").click()
    assert page.get_by_role("status").inner_text() == "DENIED"

    dealer = page.context.browser.new_page(base_url=live_server)
    dealer.goto(f"/checks/{ntn}")
    dealer.get_by_label("User name").fill(dealer_a.username)
    dealer.get_by_label("Password").fill(PASSWORD)
    dealer.get_by_label("I have read the notice").check()
    dealer.get_by_role("button", name="Log in").click()
    dealer.goto(f"/checks/{ntn}")
    assert dealer.get_by_role("status").inner_text() == "DENIED"

    second.goto("/review/queue")
    assert ntn not in second.locator("table.queue").inner_text()
    second.goto(f"/review/checks/{ntn}")
    assert "Claim the check" in second.get_by_role("alert").inner_text()
