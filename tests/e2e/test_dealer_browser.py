"""A dealer's clerk in a real browser: log in, run a check, read the answer."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.builders import identity, record
from tests.conftest import PASSWORD, DealerAccount, add_records
from transfercheck.bootstrap import Application

pytestmark = pytest.mark.browser

# Set TC_SCREENSHOTS=docs/images to refresh the README's pictures.
SCREENSHOTS = os.environ.get("TC_SCREENSHOTS")


def shoot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def log_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I have read the notice").check()
    page.get_by_role("button", name="Log in").click()


def fill_buyer(page: Any, given: str) -> None:
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill("Smyth")
    page.get_by_label("Date of birth").fill("1980-03-14")
    page.get_by_label("State of transfer").fill("TX")


def test_clerk_checks_a_buyer_and_sees_the_answer(
    browser_page: Any, application: Application, dealer_a: DealerAccount
) -> None:
    page = browser_page
    add_records(application, record(identity("William", "Smith", date(1980, 3, 14))))
    log_in(page, dealer_a.username)
    fill_buyer(page, "Bill")
    page.get_by_label("Firearm").select_option("handgun")
    shoot(page, "dealer-check-form")
    page.get_by_role("button", name="Submit check").click()
    status = page.get_by_role("status")
    assert status.inner_text() == "DELAYED"
    assert "you may transfer on" in page.content()
    shoot(page, "dealer-check-result")
    page.get_by_role("link", name="New check").click()
    assert page.get_by_role("cell", name="DELAYED").count() == 1


def test_form_errors_are_shown_beside_the_fields(
    browser_page: Any, dealer_a: DealerAccount
) -> None:
    page = browser_page
    log_in(page, dealer_a.username)
    fill_buyer(page, "B1ll")
    page.get_by_role("button", name="Submit check").click()
    assert "The check was not submitted" in page.get_by_role("alert").inner_text()
    assert page.locator("#given_name").get_attribute("aria-invalid") == "true"
