"""The clock of a delayed check: enhanced window for buyers under 21, retention, what the
dealer is told on each day, and how many business days an examiner has left."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from transfercheck.domain.calendar import BusinessCalendar
from transfercheck.domain.deadlines import (
    DealerState,
    business_days_left,
    dealer_state,
    enhanced_check_deadline,
    enhanced_check_refusal,
    is_late,
    may_transfer_now,
    open_check_expires_on,
)
from transfercheck.domain.determinations import CheckStatus

CALENDAR = BusinessCalendar()
# Tuesday 24 November 2026; Thanksgiving is Thursday 26th: Wed 25, Fri 27, Mon 30 count.
TUESDAY = date(2026, 11, 24)
MAY_TRANSFER = date(2026, 12, 1)


def test_the_three_day_window_skips_thanksgiving_and_the_weekend() -> None:
    assert CALENDAR.default_proceed_date(TUESDAY, 3) == MAY_TRANSFER


def test_the_enhanced_window_is_ten_business_days_in_total() -> None:
    # Wed 25, Fri 27, Mon 30, Tue 1, Wed 2, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9 Dec.
    assert enhanced_check_deadline(CALENDAR, TUESDAY, MAY_TRANSFER) == date(2026, 12, 10)


def test_the_enhanced_window_across_christmas_and_new_year() -> None:
    # From Mon 21 Dec 2026: Christmas Fri 25 Dec and New Year's Day Fri 1 Jan are closed.
    submitted = date(2026, 12, 21)
    three = CALENDAR.default_proceed_date(submitted, 3)
    assert three == date(2026, 12, 25)  # Tue, Wed, Thu count; the dealer may go on Friday
    assert enhanced_check_deadline(CALENDAR, submitted, three) == date(2027, 1, 7)


def test_the_enhanced_window_applies_once() -> None:
    extended = date(2026, 12, 10)
    assert enhanced_check_deadline(CALENDAR, TUESDAY, extended) is None


@pytest.mark.parametrize(
    ("age", "submitted", "today", "refused"),
    [
        pytest.param(19, TUESDAY, TUESDAY, None, id="19-year-old, first day: allowed"),
        pytest.param(20, TUESDAY, date(2026, 11, 30), None, id="last business day: allowed"),
        pytest.param(21, TUESDAY, TUESDAY, "under 21", id="21 or older: refused"),
        pytest.param(None, TUESDAY, TUESDAY, "under 21", id="age unknown: refused"),
        pytest.param(19, TUESDAY, MAY_TRANSFER, "has passed", id="after the window: refused"),
        pytest.param(19, date(2022, 6, 24), date(2022, 6, 24), "from 2022-06-25",
                     id="before the Act: refused"),
    ],
)  # fmt: skip
def test_who_and_when_the_enhanced_check_may_be_applied(
    age: int | None, submitted: date, today: date, refused: str | None
) -> None:
    deadline = CALENDAR.default_proceed_date(submitted, 3)
    reason = enhanced_check_refusal(submitted, age, today, deadline)
    if refused is None:
        assert reason is None
    else:
        assert reason is not None
        assert refused in reason


def test_open_checks_expire_after_88_calendar_days() -> None:
    assert open_check_expires_on(TUESDAY, 88) == date(2027, 2, 20)
    with pytest.raises(ValueError, match="at least 1"):
        open_check_expires_on(TUESDAY, 0)


@pytest.mark.parametrize(
    ("status", "today", "state"),
    [
        (CheckStatus.DELAYED, TUESDAY, DealerState.DELAYED),
        (CheckStatus.DELAYED, date(2026, 11, 30), DealerState.DELAYED),
        (CheckStatus.DELAYED, MAY_TRANSFER, DealerState.OPEN_MAY_PROCEED),
        (CheckStatus.DELAYED, date(2027, 1, 4), DealerState.OPEN_MAY_PROCEED),
        (CheckStatus.DENIED, MAY_TRANSFER, DealerState.DENIED),
        (CheckStatus.PROCEED, TUESDAY, DealerState.PROCEED),
        (CheckStatus.EXPIRED, date(2027, 2, 20), DealerState.EXPIRED),
    ],
)
def test_what_the_dealer_is_told_each_day(
    status: CheckStatus, today: date, state: DealerState
) -> None:
    assert dealer_state(status, MAY_TRANSFER, today) is state


def test_only_proceed_and_an_open_check_past_its_date_allow_a_transfer() -> None:
    allowed = {s for s in DealerState if may_transfer_now(s)}
    assert allowed == {DealerState.PROCEED, DealerState.OPEN_MAY_PROCEED}


@pytest.mark.parametrize(
    ("today", "left"),
    [
        (TUESDAY, 4),  # Tue 24 (today, open), Wed 25, Fri 27, Mon 30
        (date(2026, 11, 26), 2),  # Thanksgiving: Fri 27 and Mon 30 remain
        (date(2026, 11, 28), 1),  # Saturday: Monday remains
        (date(2026, 11, 30), 1),  # Monday, the last day
        (MAY_TRANSFER, 0),
        (MAY_TRANSFER + timedelta(days=5), 0),
    ],
)
def test_business_days_left_to_decide(today: date, left: int) -> None:
    assert business_days_left(CALENDAR, today, MAY_TRANSFER) == left


def test_a_decision_from_the_default_proceed_date_on_is_late() -> None:
    assert not is_late(date(2026, 11, 30), MAY_TRANSFER)
    assert is_late(MAY_TRANSFER, MAY_TRANSFER)
    assert not is_late(MAY_TRANSFER, None)
