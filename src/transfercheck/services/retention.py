"""Open checks that nobody decided are closed when their retention runs out (the FBI
purges open NICS files on day 88): the status becomes EXPIRED, the identifying side is
deleted, NTN, date, dealer and outcome stay. Run by the worker; time is passed in."""

from __future__ import annotations

from datetime import datetime

from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.review import RETENTION_EXPIRED
from transfercheck.services.resolution import after_resolution
from transfercheck.services.review import ReviewContext


def expire_open_checks(context: ReviewContext, now: datetime, batch: int = 200) -> int:
    """Close every open check whose `expires_on` has come; returns how many were closed."""
    today = context.local_date(now)
    with context.unit_of_work() as uow:
        due = uow.reviews.expirable(today, batch)
    closed = 0
    for ntn in due:  # one transaction each: a failure leaves the others done
        with context.unit_of_work() as uow:
            before = uow.reviews.state(ntn)
            if before is None or not uow.reviews.resolve_by_system(
                ntn, now, CheckStatus.EXPIRED, RETENTION_EXPIRED
            ):
                continue  # decided meanwhile
            uow.reviews.purge_subject(ntn)
            event = AuditEvent(
                EventType.CHECK_EXPIRED,
                "system",
                "check",
                ntn,
                CheckStatus.EXPIRED.value,
                {"reason": RETENTION_EXPIRED},
            )
            uow.audit.append(event, now)
            after = uow.reviews.state(ntn)
            assert after is not None
            after_resolution(uow, before, after, now, today)
            uow.commit()
            closed += 1
    return closed
