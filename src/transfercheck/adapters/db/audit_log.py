"""The audit log in the database: appended in the caller's transaction, never updated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from transfercheck.adapters.db.codec import utc
from transfercheck.adapters.db.tables import audit_events, audit_head
from transfercheck.domain.audit import AuditEntry, AuditEvent, EventType, chain_hash


class AuditLogRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def append(self, event: AuditEvent, now: datetime) -> AuditEntry:
        """Chain `event` after the last entry. Commits or rolls back with the caller's change,
        so a decision is never stored without its audit entry (fail closed)."""
        # Touch the head first: this takes the lock that orders concurrent appends, and
        # reads the head under it in the same statement.
        seq, prev_hash = self._db.execute(_LOCK_HEAD).one()
        entry = AuditEntry(
            seq + 1, now, event, prev_hash, chain_hash(prev_hash, seq + 1, now, event)
        )
        self._db.execute(
            _INSERT_EVENT,
            {
                "seq": entry.seq,
                "occurred_at": now,
                "event_type": event.type.value,
                "actor": event.actor,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "outcome": event.outcome,
                "details": dict(event.details),
                "prev_hash": prev_hash,
                "entry_hash": entry.entry_hash,
            },
        )
        self._db.execute(_MOVE_HEAD, {"new_seq": entry.seq, "new_hash": entry.entry_hash})
        return entry

    def head(self) -> tuple[int, str]:
        seq, entry_hash = self._db.execute(
            select(audit_head.c.seq, audit_head.c.entry_hash).where(audit_head.c.id == 1)
        ).one()
        return int(seq), str(entry_hash)

    def entries(self, batch_size: int = 10_000) -> Iterator[AuditEntry]:
        result = self._db.execution_options(yield_per=batch_size).execute(
            select(audit_events).order_by(audit_events.c.seq)
        )
        for row in result:
            event = AuditEvent(
                EventType(row.event_type),
                row.actor,
                row.object_type,
                row.object_id,
                row.outcome,
                row.details,
            )
            yield AuditEntry(row.seq, utc(row.occurred_at), event, row.prev_hash, row.entry_hash)


# Built once: the audit append runs in every check's transaction.
_LOCK_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == 1)
    .values(seq=audit_head.c.seq)
    .returning(audit_head.c.seq, audit_head.c.entry_hash)
)
_INSERT_EVENT = insert(audit_events)
_MOVE_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == 1)
    .values(seq=bindparam("new_seq"), entry_hash=bindparam("new_hash"))
)
