"""The outbox table: messages written with the change that causes them, sent later.

A worker leases due messages (a conditional UPDATE of `lease_until`, after `FOR UPDATE
SKIP LOCKED` on PostgreSQL), sends them, then marks them delivered or schedules a retry.
Two workers never hold the same message at once; a worker that dies mid-send leaves a
lease that lapses, so the message is sent again (at least once; receivers deduplicate on
the message id, which every delivery carries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from transfercheck.adapters.db.codec import utc
from transfercheck.adapters.db.tables import outbox


@dataclass(frozen=True)
class OutboxMessage:
    message_id: str
    kind: str  # retrieval_referral, check_resolved, disposition_request, ...
    channel: str  # law_enforcement, dealer, agency
    recipient: str  # a jurisdiction, a dealer id, an agency name
    payload: dict[str, Any]
    created_at: datetime
    attempts: int = 0
    delivered_at: datetime | None = None
    last_error: str | None = None


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, message: OutboxMessage, dedupe_key: str) -> None:
        self._db.execute(
            insert(outbox).values(
                message_id=message.message_id,
                kind=message.kind,
                channel=message.channel,
                recipient=message.recipient,
                dedupe_key=dedupe_key,
                payload=message.payload,
                created_at=message.created_at,
                attempts=0,
                next_attempt_at=message.created_at,
            )
        )

    def lease_due(self, now: datetime, until: datetime, limit: int) -> list[OutboxMessage]:
        due = (
            select(outbox.c.message_id)
            .where(
                outbox.c.delivered_at.is_(None),
                outbox.c.next_attempt_at <= now,
                or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now),
            )
            .order_by(outbox.c.next_attempt_at, outbox.c.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        leased = [
            message_id
            for message_id in list(self._db.execute(due).scalars())
            if self._lease(message_id, now, until)
        ]
        return self.by_ids(leased)

    def _lease(self, message_id: str, now: datetime, until: datetime) -> bool:
        result = self._db.execute(
            update(outbox)
            .where(
                outbox.c.message_id == message_id,
                outbox.c.delivered_at.is_(None),
                or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now),
            )
            .values(lease_until=until)
        )
        return result.rowcount == 1

    def mark_delivered(self, message_id: str, now: datetime) -> bool:
        result = self._db.execute(
            update(outbox)
            .where(outbox.c.message_id == message_id, outbox.c.delivered_at.is_(None))
            .values(
                delivered_at=now, attempts=outbox.c.attempts + 1, lease_until=None, last_error=None
            )
        )
        return result.rowcount == 1

    def mark_failed(self, message_id: str, retry_at: datetime, error: str) -> None:
        self._db.execute(
            update(outbox)
            .where(outbox.c.message_id == message_id, outbox.c.delivered_at.is_(None))
            .values(
                attempts=outbox.c.attempts + 1,
                next_attempt_at=retry_at,
                lease_until=None,
                last_error=error[:200],
            )
        )

    def by_ids(self, message_ids: list[str]) -> list[OutboxMessage]:
        if not message_ids:
            return []
        rows = self._db.execute(
            select(outbox)
            .where(outbox.c.message_id.in_(message_ids))
            .order_by(outbox.c.created_at, outbox.c.message_id)
        )
        return [_message(row) for row in rows]

    def all(self, kind: str | None = None) -> list[OutboxMessage]:
        query = select(outbox).order_by(outbox.c.created_at, outbox.c.message_id)
        if kind is not None:
            query = query.where(outbox.c.kind == kind)
        return [_message(row) for row in self._db.execute(query)]

    def has_message(self, dedupe_prefix: str) -> bool:
        query = select(outbox.c.message_id).where(outbox.c.dedupe_key.startswith(dedupe_prefix))
        return self._db.execute(query.limit(1)).first() is not None

    def pending_count(self) -> int:
        query = select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        return int(self._db.execute(query).scalar_one())


def _message(row: Any) -> OutboxMessage:
    return OutboxMessage(
        message_id=row.message_id,
        kind=row.kind,
        channel=row.channel,
        recipient=row.recipient,
        payload=row.payload,
        created_at=utc(row.created_at),
        attempts=row.attempts,
        delivered_at=utc(row.delivered_at) if row.delivered_at else None,
        last_error=row.last_error,
    )
