"""Minimum ages by firearm category: federal 922(b)(1), raised by states such as Florida."""

from __future__ import annotations

from datetime import date

import pytest

from transfercheck.domain.checks import FirearmCategory, TransferType
from transfercheck.domain.rules import RuleBook

LONG, HAND, OTHER = FirearmCategory.LONG_GUN, FirearmCategory.HANDGUN, FirearmCategory.OTHER
SALE = TransferType.DEALER_SALE
ON = date(2024, 6, 3)
FEDERAL = "18 U.S.C. 922(b)(1)"
FLORIDA = "Fla. Stat. 790.065(13)"
FL_START = date(2018, 3, 9)


def born(years_before: int, on: date = ON, days_later: int = 0) -> date:
    """A birthday `years_before` years before `on`, moved `days_later` days later."""
    return date.fromordinal(on.replace(year=on.year - years_before).toordinal() + days_later)


AGE_ROWS = [
    pytest.param("TX", LONG, born(18, days_later=1), ON, 17, 18, True,
                 id="17 may not buy a long gun from a dealer (922(b)(1))"),
    pytest.param("TX", LONG, born(18), ON, 18, 18, False,
                 id="18 on the birthday may buy a long gun (922(b)(1))"),
    pytest.param("TX", HAND, born(21, days_later=1), ON, 20, 21, True,
                 id="20 may not buy a handgun from a dealer (922(b)(1))"),
    pytest.param("TX", HAND, born(21), ON, 21, 21, False,
                 id="21 may buy a handgun (922(b)(1))"),
    pytest.param("TX", OTHER, born(20), ON, 20, 21, True,
                 id="a frame or receiver needs 21, as 'other than a shotgun or rifle'"),
    pytest.param("WY", LONG, born(18), ON, 18, 18, False,
                 id="a state without a file applies the federal 18 for long guns"),
    pytest.param("FL", LONG, born(20, on=FL_START), FL_START, 20, 21, True,
                 id="Florida: 20 may not buy a long gun from 2018-03-09 (790.065(13))"),
    pytest.param("FL", LONG, born(20, on=FL_START), date(2018, 3, 8), 19, 18, False,
                 id="Florida: the day before 2018-03-09 the federal 18 applied"),
    pytest.param("FL", LONG, born(21), ON, 21, 21, False,
                 id="Florida: 21 may buy a long gun (790.065(13))"),
    pytest.param("TX", LONG, date(2004, 2, 29), date(2022, 2, 28), 17, 18, True,
                 id="born 29 Feb 2004: still 17 on 28 Feb 2022, a common year"),
    pytest.param("TX", LONG, date(2004, 2, 29), date(2022, 3, 1), 18, 18, False,
                 id="born 29 Feb 2004: 18 on 1 Mar 2022, a common year"),
    pytest.param("TX", HAND, date(2000, 2, 29), date(2021, 3, 1), 21, 21, False,
                 id="born 29 Feb 2000: 21 on 1 Mar 2021 for a handgun"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "firearm", "date_of_birth", "on", "age", "minimum", "underage"), AGE_ROWS
)
def test_assess_age(
    book: RuleBook,
    code: str,
    firearm: FirearmCategory,
    date_of_birth: date,
    on: date,
    age: int,
    minimum: int,
    underage: bool,
) -> None:
    result = book.for_jurisdiction(code).assess_age(date_of_birth, on, firearm, SALE)
    assert (result.buyer_age, result.minimum_age, result.underage) == (age, minimum, underage)
    assert result.citation


MINIMUM_ROWS = [
    pytest.param("TX", LONG, ON, 18, FEDERAL, id="federal long gun 18"),
    pytest.param("TX", HAND, ON, 21, FEDERAL, id="federal handgun 21"),
    pytest.param("TX", OTHER, ON, 21, FEDERAL, id="federal other 21"),
    pytest.param("FL", LONG, FL_START, 21, FLORIDA, id="Florida raises long guns to 21"),
    pytest.param("FL", LONG, date(2018, 3, 8), 18, FEDERAL, id="Florida long gun before the act"),
    pytest.param("FL", HAND, ON, 21, f"{FEDERAL}; {FLORIDA}", id="both laws set 21: both cited"),
    pytest.param("TX", LONG, date(1998, 11, 29), 0, "no minimum age in force",
                 id="before NICS this file has no age rule"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "firearm", "on", "minimum", "citation"), MINIMUM_ROWS)
def test_minimum_age_and_citation(
    book: RuleBook, code: str, firearm: FirearmCategory, on: date, minimum: int, citation: str
) -> None:
    assert book.for_jurisdiction(code).minimum_age(firearm, SALE, on) == (minimum, citation)


@pytest.mark.parametrize("transfer_type", list(TransferType))
@pytest.mark.parametrize(("firearm", "minimum"), [(LONG, 18), (HAND, 21), (OTHER, 21)])
def test_every_transfer_type_goes_through_a_dealer(
    book: RuleBook, transfer_type: TransferType, firearm: FirearmCategory, minimum: int
) -> None:
    assert book.for_jurisdiction("NY").minimum_age(firearm, transfer_type, ON)[0] == minimum
