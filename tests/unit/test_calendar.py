"""Business days and the default-proceed date (18 U.S.C. 922(t)(1)(B)(ii); 27 CFR 478.102).

The day of the check never counts; the dealer may transfer on the day after the last
business day. Closed: weekends and federal holidays on their observed dates.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transfercheck.domain.calendar import BusinessCalendar, federal_holidays

CALENDAR = BusinessCalendar()

PROCEED_ROWS = [
    pytest.param(date(2024, 5, 2), date(2024, 5, 8),
                 id="delayed Thursday may transfer Wednesday (ATF Q&A, 478.102 Example 1)"),
    pytest.param(date(2024, 5, 3), date(2024, 5, 9), id="delayed Friday may transfer Thursday"),
    pytest.param(date(2024, 5, 6), date(2024, 5, 10), id="delayed Monday may transfer Friday"),
    pytest.param(date(2024, 5, 7), date(2024, 5, 11),
                 id="delayed Tuesday may transfer Saturday: the next calendar day"),
    pytest.param(date(2024, 5, 4), date(2024, 5, 9),
                 id="delayed Saturday: Mon, Tue, Wed count; transfer Thursday"),
    pytest.param(date(2024, 11, 26), date(2024, 12, 3),
                 id="Thanksgiving Thu 2024-11-28 is closed: delayed Tuesday -> next Tuesday"),
    pytest.param(date(2024, 12, 23), date(2024, 12, 28),
                 id="Christmas Wed 2024-12-25 is closed: delayed Monday -> Saturday"),
    pytest.param(date(2021, 12, 29), date(2022, 1, 5),
                 id="New Year's Day 2022 observed Fri 2021-12-31: delayed Wed -> next Wed"),
    pytest.param(date(2021, 6, 16), date(2021, 6, 23),
                 id="Juneteenth 2021 observed Fri 2021-06-18: delayed Wed -> next Wed"),
    pytest.param(date(2021, 7, 1), date(2021, 7, 8),
                 id="Independence Day 2021 observed Mon 07-05: delayed Thu -> next Thu"),
]  # fmt: skip


@pytest.mark.parametrize(("submitted_on", "may_transfer_on"), PROCEED_ROWS)
def test_default_proceed_date_after_three_business_days(
    submitted_on: date, may_transfer_on: date
) -> None:
    assert CALENDAR.default_proceed_date(submitted_on, 3) == may_transfer_on


CLOSED_ROWS = [
    pytest.param(date(2021, 12, 31), id="New Year's Day observed on Friday 31 Dec 2021"),
    pytest.param(date(2021, 6, 18), id="Juneteenth observed on Friday 18 Jun 2021"),
    pytest.param(date(2024, 6, 19), id="Juneteenth 2024"),
    pytest.param(date(2021, 7, 5), id="Independence Day observed on Monday 5 Jul 2021"),
    pytest.param(date(2024, 11, 28), id="Thanksgiving 2024"),
    pytest.param(date(2024, 12, 25), id="Christmas 2024"),
    pytest.param(date(2024, 6, 1), id="a Saturday"),
    pytest.param(date(2024, 6, 2), id="a Sunday"),
]


@pytest.mark.parametrize("day", CLOSED_ROWS)
def test_closed_days(day: date) -> None:
    assert not CALENDAR.is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2024, 6, 3), id="an ordinary Monday"),
        pytest.param(date(2020, 6, 19), id="Juneteenth 2020: not yet a federal holiday"),
        pytest.param(date(2021, 7, 2), id="the Friday before an observed Monday holiday"),
    ],
)
def test_open_days(day: date) -> None:
    assert CALENDAR.is_business_day(day)


def test_add_business_days() -> None:
    assert CALENDAR.add_business_days(date(2024, 6, 3), 0) == date(2024, 6, 3)
    assert CALENDAR.add_business_days(date(2024, 6, 7), 1) == date(2024, 6, 10)
    assert CALENDAR.add_business_days(date(2024, 12, 20), 10) == date(2025, 1, 7)


def test_extra_closed_days_count_as_closed() -> None:
    calendar = BusinessCalendar(extra_closed=[date(2024, 12, 24)])  # e.g. an executive order
    assert calendar.default_proceed_date(date(2024, 12, 23), 3) == date(2024, 12, 31)


def test_longer_windows_such_as_ten_business_days() -> None:
    # 478.102 Example 2: delayed Thursday the 10th, ten business days elapse on Thursday
    # the 24th, transfer on Friday the 25th.
    assert CALENDAR.default_proceed_date(date(2025, 4, 10), 10) == date(2025, 4, 25)
    # Columbus Day (Mon 2024-10-14) pushes the same count one day later.
    assert CALENDAR.default_proceed_date(date(2024, 10, 10), 10) == date(2024, 10, 26)


def test_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        CALENDAR.add_business_days(date(2024, 1, 2), -1)
    with pytest.raises(ValueError, match="at least 1"):
        CALENDAR.default_proceed_date(date(2024, 1, 2), 0)


def test_holidays_are_cached_per_year() -> None:
    assert federal_holidays(2030) is federal_holidays(2030)
    assert date(2021, 12, 31) in federal_holidays(2021)


@settings(max_examples=200, deadline=None)
@given(
    submitted_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    business_days=st.integers(min_value=1, max_value=10),
)
def test_default_proceed_follows_exactly_n_business_days(
    submitted_on: date, business_days: int
) -> None:
    proceed = CALENDAR.default_proceed_date(submitted_on, business_days)
    last = proceed - timedelta(days=1)
    assert CALENDAR.is_business_day(last)
    between = (submitted_on + timedelta(days=k) for k in range(1, (last - submitted_on).days + 1))
    assert sum(CALENDAR.is_business_day(day) for day in between) == business_days
