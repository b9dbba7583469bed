"""The days on which a rules entry is in force.

Dates are inclusive on both ends: an entry is in force from `start` through `until`, or
indefinitely when `until` is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Effective:
    """The days on which an entry is in force: `start` through `until`, both inclusive."""

    start: date
    until: date | None = None

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.until is None or on <= self.until)

    def overlaps(self, other: Effective) -> bool:
        starts_before_other_ends = other.until is None or self.start <= other.until
        ends_after_other_starts = self.until is None or other.start <= self.until
        return starts_before_other_ends and ends_after_other_starts

    def __str__(self) -> str:
        end = self.until.isoformat() if self.until else "open-ended"
        return f"{self.start.isoformat()} to {end}"
