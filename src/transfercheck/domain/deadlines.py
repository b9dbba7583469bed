"""The clock of a delayed check: when the dealer may transfer, and when the open file closes.

- Default proceed: after N business days without a denial (3 federal, 18 U.S.C.
  922(t)(1)(B)(ii)); `domain.calendar` counts them, the rules say N per jurisdiction.
- Enhanced check of a buyer under 21: when the system finds cause to research a possibly
  disqualifying juvenile record, it tells the dealer within the 3 business days and the
  window grows to 10 business days in total (18 U.S.C. 922(t)(1)(C), added by the
  Bipartisan Safer Communities Act of 2022).
- Retention: an open check that nobody decided is closed and purged after a number of
  calendar days (88 federal: the FBI purges open NICS files on day 88).

What the dealer sees follows from the status and the date alone, so no job has to run
for a check to become "open: transfer may proceed". Nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from transfercheck.domain.calendar import BusinessCalendar
from transfercheck.domain.determinations import CheckStatus


@dataclass(frozen=True)
class EnhancedCheckRule:
    """The longer window for buyers under `under_age`, in force from `effective_from`."""

    under_age: int
    business_days: int
    citation: str
    effective_from: date


# Pub. L. 117-159, signed 25 June 2022 (section 12001); ATF's 27 CFR 478.102 follows it.
ENHANCED_CHECK = EnhancedCheckRule(
    under_age=21,
    business_days=10,
    citation="18 U.S.C. 922(t)(1)(C) (Bipartisan Safer Communities Act, 2022); 27 CFR 478.102",
    effective_from=date(2022, 6, 25),
)


def open_check_expires_on(submitted_on: date, retention_days: int) -> date:
    """The day an undecided check closes: `retention_days` calendar days after the check."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    return submitted_on + timedelta(days=retention_days)


def enhanced_check_refusal(
    submitted_on: date, buyer_age: int | None, today: date, may_transfer_on: date | None
) -> str | None:
    """Why the enhanced-check window may not be applied now, or None when it may."""
    rule = ENHANCED_CHECK
    if may_transfer_on is None:
        return "only an open check has a window to extend"
    if buyer_age is None or buyer_age >= rule.under_age:
        return f"the enhanced check applies only to buyers under {rule.under_age}"
    if submitted_on < rule.effective_from:
        return f"the enhanced check applies to checks from {rule.effective_from}"
    if today >= may_transfer_on:
        return "the dealer must be told within the first window, which has passed"
    return None


def enhanced_check_deadline(
    calendar: BusinessCalendar, submitted_on: date, may_transfer_on: date
) -> date | None:
    """The default-proceed date with the enhanced window, or None if it is not later than
    the date already set (the window was extended before, or the state's is longer)."""
    extended = calendar.default_proceed_date(submitted_on, ENHANCED_CHECK.business_days)
    return extended if extended > may_transfer_on else None


def business_days_left(calendar: BusinessCalendar, today: date, may_transfer_on: date) -> int:
    """Business days on which a denial still arrives in time: from today (if open) up to
    the day before the dealer may transfer. 0 once the date has come."""
    left, day = 0, today
    while day < may_transfer_on:
        left += calendar.is_business_day(day)
        day += timedelta(days=1)
    return left


def is_late(decided_on: date, may_transfer_on: date | None) -> bool:
    """A decision on or after the default-proceed date: the firearm may be gone already."""
    return may_transfer_on is not None and decided_on >= may_transfer_on


class DealerState(StrEnum):
    """What the dealer is told about a check today."""

    PROCEED = "proceed"
    DENIED = "denied"
    DELAYED = "delayed"  # open, before the default-proceed date: do not transfer yet
    OPEN_MAY_PROCEED = "open_may_proceed"  # open, and the date has come
    EXPIRED = "expired"  # closed undecided after the retention period


DEALER_LABELS = {
    DealerState.PROCEED: "Proceed",
    DealerState.DENIED: "Denied",
    DealerState.DELAYED: "Delayed",
    DealerState.OPEN_MAY_PROCEED: "Open: transfer may proceed",
    DealerState.EXPIRED: "Closed without an answer",
}


def dealer_state(status: CheckStatus, may_transfer_on: date | None, today: date) -> DealerState:
    if status is CheckStatus.DELAYED:
        if may_transfer_on is not None and today >= may_transfer_on:
            return DealerState.OPEN_MAY_PROCEED
        return DealerState.DELAYED
    return {
        CheckStatus.PROCEED: DealerState.PROCEED,
        CheckStatus.DENIED: DealerState.DENIED,
        CheckStatus.EXPIRED: DealerState.EXPIRED,
    }[status]


def may_transfer_now(state: DealerState) -> bool:
    return state in (DealerState.PROCEED, DealerState.OPEN_MAY_PROCEED)
