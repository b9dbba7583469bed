"""Business days, and the date a delayed check may proceed by default.

18 U.S.C. 922(t)(1)(B)(ii) lets a dealer transfer when 3 business days, "meaning a day on
which State offices are open", pass without a denial. As ATF and the FBI count them
(27 CFR 478.102(a), Example 1), the day of the check is not one of them, and the dealer
may transfer on the day after the last one: a check delayed on Thursday may proceed on
Wednesday, one delayed on Friday on Thursday, one delayed on Tuesday on Saturday.

Closed days here are Saturdays, Sundays and the federal holidays on their observed dates
(from the `holidays` package), plus any extra closures the caller names. The time is
always passed in; nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def federal_holidays(year: int) -> frozenset[date]:
    """The federal holidays, as observed, that fall in `year`.

    Built from three years so that a holiday observed across a year boundary (New Year's
    Day 2022, a Saturday, observed on Friday 31 December 2021) is never missed.
    """
    observed = holidays.country_holidays("US", years=range(year - 1, year + 2), observed=True)
    return frozenset(day for day in observed if day.year == year)


class BusinessCalendar:
    """Weekdays that are not federal holidays (observed) nor an `extra_closed` day."""

    def __init__(self, extra_closed: Iterable[date] = ()) -> None:
        self._extra_closed = frozenset(extra_closed)

    def is_business_day(self, day: date) -> bool:
        if day.weekday() >= _SATURDAY or day in self._extra_closed:
            return False
        return day not in federal_holidays(day.year)

    def add_business_days(self, start: date, n: int) -> date:
        """The n-th business day after `start` (`start` itself never counts); n=0: start."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n > 0:
            day += _ONE_DAY
            if self.is_business_day(day):
                n -= 1
        return day

    def default_proceed_date(self, submitted_on: date, business_days: int) -> date:
        """The first day a delayed check may proceed: the day after the last business day."""
        if business_days < 1:
            raise ValueError("business_days must be at least 1")
        return self.add_business_days(submitted_on, business_days) + _ONE_DAY
