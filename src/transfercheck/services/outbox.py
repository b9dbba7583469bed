"""Messages to the outside world: written in the transaction of their cause, then delivered
by the worker with retries (the transactional outbox).

A message is never sent for a change that rolled back, and never lost because a process
died: the row is durable before anything is sent. Delivery is at least once: a crash
between sending and marking sends again, so every delivery carries the message id for
the receiver to deduplicate. Messages name ids, never a buyer's identity.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from transfercheck.adapters.db.outbox import OutboxMessage
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.errors import DeliveryFailed
from transfercheck.services.ports import Transport, UnitOfWorkFactory

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)  # retries never stop: a retrieval referral must arrive


class Channel(StrEnum):
    LAW_ENFORCEMENT = "law_enforcement"  # recipient: the jurisdiction of the transfer
    DEALER = "dealer"  # recipient: the dealer id; URL from the dealer's settings
    AGENCY = "agency"  # recipient: the agency that holds the record


class Kind(StrEnum):
    RETRIEVAL_REFERRAL = "retrieval_referral"
    REFERRAL_WITHDRAWN = "referral_withdrawn"
    CHECK_RESOLVED = "check_resolved"
    DEADLINE_EXTENDED = "deadline_extended"
    DISPOSITION_REQUEST = "disposition_request"


def enqueue(
    uow: SqlUnitOfWork,
    kind: Kind,
    channel: Channel,
    recipient: str,
    payload: dict[str, Any],
    dedupe_key: str,
    now: datetime,
) -> OutboxMessage:
    """Add a message in the caller's transaction. `dedupe_key` is unique: the same cause
    cannot enqueue twice, whatever retries happen upstream."""
    message = OutboxMessage(
        message_id=f"M-{secrets.token_hex(8)}",
        kind=kind.value,
        channel=channel.value,
        recipient=recipient,
        payload=payload,
        created_at=now,
    )
    uow.outbox.add(message, dedupe_key)
    return message


@dataclass(frozen=True)
class DeliveryContext:
    unit_of_work: UnitOfWorkFactory
    transport: Transport
    # URLs of the fixed channels (law enforcement, agencies); dealers register their own.
    routes: Mapping[str, str | None]
    lease: timedelta = timedelta(minutes=2)


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int
    failed: int


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling up to an hour, then hourly."""
    delay: timedelta = FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 7)  # 7: past an hour
    return min(delay, LAST_RETRY)


def deliver_due(context: DeliveryContext, now: datetime, limit: int = 50) -> DeliveryReport:
    with context.unit_of_work() as uow:
        leased = uow.outbox.lease_due(now, now + context.lease, limit)
        uow.commit()
    delivered = failed = 0
    for message in leased:
        if _deliver(context, message, now):
            delivered += 1
        else:
            failed += 1
    return DeliveryReport(delivered, failed)


def _deliver(context: DeliveryContext, message: OutboxMessage, now: datetime) -> bool:
    try:
        url = _url(context, message)
        if url is None:
            raise DeliveryFailed(f"no endpoint configured for {message.channel}")
        context.transport.send(url, message)
    except DeliveryFailed as error:
        log.warning("outbox %s (%s) not delivered: %s", message.message_id, message.kind, error)
        with context.unit_of_work() as uow:
            uow.outbox.mark_failed(
                message.message_id, now + retry_delay(message.attempts + 1), str(error)
            )
            uow.commit()
        return False
    with context.unit_of_work() as uow:
        if uow.outbox.mark_delivered(message.message_id, now):
            uow.audit.append(_delivered_event(message), now)
        uow.commit()
    return True


def _url(context: DeliveryContext, message: OutboxMessage) -> str | None:
    if message.channel == Channel.DEALER:
        with context.unit_of_work() as uow:
            return uow.accounts.dealer_webhook(message.recipient)
    return context.routes.get(message.channel)


def _delivered_event(message: OutboxMessage) -> AuditEvent:
    return AuditEvent(
        EventType.MESSAGE_DELIVERED,
        actor="system",
        object_type="outbox_message",
        object_id=message.message_id,
        details={"kind": message.kind, "channel": message.channel, "attempt": message.attempts + 1},
    )
