"""A private sale in a real browser: the buyer self-checks and gets a certificate, the seller
verifies it; a record then arrives for the buyer and the same verification says revoked; a
tampered code fails; an expired certificate says expired."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.builders import identity, record
from tests.conftest import MovableClock
from transfercheck.adapters.interchange import record_to_row
from transfercheck.adapters.record_files import read_rows
from transfercheck.bootstrap import Application
from transfercheck.domain import certificate_codes
from transfercheck.services.records import import_records

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("TC_SCREENSHOTS")


def shoot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def self_check(page: Any, given: str, family: str, born: str, id_number: str) -> str:
    page.goto("/self-check")
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label("ID number").fill(id_number)
    page.get_by_label("ID issuer").fill("TX")
    page.get_by_label("State of the sale").fill("TX")
    page.get_by_role("button", name="Check me").click()
    assert page.get_by_role("status").inner_text() == "CERTIFICATE ISSUED"
    return str(page.get_by_test_id("certificate-code").inner_text())


def verify(page: Any, code: str, born: str) -> str:
    page.goto("/certificates/verify")
    page.get_by_label("Code").fill(code)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_role("button", name="Verify").click()
    return str(page.get_by_role("status").inner_text())


def test_certificate_verified_then_revoked_by_an_arriving_record(
    browser_page: Any, application: Application, tmp_path: Path
) -> None:
    page = browser_page
    code = self_check(page, "Ana", "Lopez", "1990-02-02", "TX04417293")
    assert page.locator("figure.qr svg").count() == 1
    shoot(page, "buyer-certificate")

    assert verify(page, code, "1990-02-02") == "VALID"
    shoot(page, "seller-verification")
    assert verify(page, code, "1990-02-03") == "NOT FOUND"

    # The buyer's record arrives as an agency's file, through the real import service.
    buyer = identity("Ana", "Lopez", date(1990, 2, 2), id_number="TX04417293")
    arriving = tmp_path / "records.jsonl"
    arriving.write_text(json.dumps(record_to_row(record(buyer))) + "\n")
    report = import_records(
        read_rows(arriving), application.unit_of_work, application.clock(),
        on_imported=application.index_records,
    )  # fmt: skip
    assert report.imported == 1
    assert verify(page, code, "1990-02-02") == "REVOKED"

    tampered = _tamper(code)
    assert verify(page, tampered, "1990-02-02") == "NOT FOUND"


def test_an_expired_certificate_says_expired(
    browser_page: Any, application: Application, clock: MovableClock
) -> None:
    page = browser_page
    code = self_check(page, "Zoe", "Whitfield", "1975-08-09", "TX77001234")
    clock.advance(timedelta(days=31))
    assert verify(page, code, "1975-08-09") == "EXPIRED"


def _tamper(code: str) -> str:
    """Change one symbol of the code's random part, keeping its check symbol."""
    symbols = code.replace("-", "")
    alphabet = certificate_codes.ALPHABET
    swapped = alphabet[(alphabet.index(symbols[3]) + 1) % len(alphabet)]
    return certificate_codes.formatted(symbols[:3] + swapped + symbols[4:])
