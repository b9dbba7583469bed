"""The background worker's round: close expired open checks, deliver due messages.

Everything it works on is in the database, so a worker can stop at any point and a new
one (on this or another machine) picks up where it left off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from transfercheck.services.outbox import DeliveryContext, deliver_due
from transfercheck.services.retention import expire_open_checks
from transfercheck.services.review import ReviewContext


@dataclass(frozen=True)
class Round:
    expired: int
    delivered: int
    failed: int


def run_round(review: ReviewContext, delivery: DeliveryContext, now: datetime) -> Round:
    expired = expire_open_checks(review, now)
    report = deliver_due(delivery, now)
    return Round(expired, report.delivered, report.failed)
