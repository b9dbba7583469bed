"""The tamper-evident audit trail: past-tense facts, chained by hashes.

Each entry names ids (NTN, dealer, user, record), never personal data, so purging a buyer's
identity never breaks the chain (28 CFR 25.9(b)). Entry n stores
`sha256(hash(n-1) || canonical(entry n))`: changing, removing, reordering or truncating any
entry shows at the first entry whose hash no longer follows (NIST SP 800-53 AU-9, AU-10).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

GENESIS_HASH = "0" * 64


class EventType(StrEnum):
    CHECK_SUBMITTED = "check_submitted"
    RECORDS_IMPORTED = "records_imported"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    RECORD_CREATED = "record_created"
    RECORD_CHANGED = "record_changed"
    SELF_CHECK_RUN = "self_check_run"
    CERTIFICATE_VERIFIED = "certificate_verified"
    CERTIFICATE_REVOKED = "certificate_revoked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    OTP_REPLAY = "otp_replay"
    AUTHZ_DENIED = "authz_denied"
    # The examiners' workflow: every action, with its reason category.
    CHECK_CLAIMED = "check_claimed"
    CHECK_RELEASED = "check_released"
    CHECK_REASSIGNED = "check_reassigned"
    EVIDENCE_VIEWED = "evidence_viewed"
    CHECK_DECIDED = "check_decided"
    CHECK_OVERRIDDEN = "check_overridden"
    DEADLINE_EXTENDED = "deadline_extended"
    DISPOSITION_REQUESTED = "disposition_requested"
    DISPOSITION_ANSWERED = "disposition_answered"
    CHECK_REEVALUATED = "check_reevaluated"
    CHECK_EXPIRED = "check_expired"
    REFERRAL_CREATED = "retrieval_referral_created"
    MESSAGE_DELIVERED = "message_delivered"


@dataclass(frozen=True)
class AuditEvent:
    """A fact to record: who did what to which object, and how it ended."""

    type: EventType
    actor: str  # "dealer:D-1", "user:U-7", "agency:...", "system"
    object_type: str  # "check", "record_batch", "user", ...
    object_id: str
    outcome: str = "ok"
    details: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """An event as stored: its place in the chain, its time and its hashes."""

    seq: int
    occurred_at: datetime
    event: AuditEvent
    prev_hash: str
    entry_hash: str


def canonical(seq: int, occurred_at: datetime, event: AuditEvent) -> bytes:
    """The bytes that are hashed: stable key order, UTC time to the microsecond."""
    return json.dumps(
        {
            "seq": seq,
            "occurred_at": occurred_at.isoformat(timespec="microseconds"),
            "type": event.type.value,
            "actor": event.actor,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "outcome": event.outcome,
            "details": dict(event.details),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def chain_hash(prev_hash: str, seq: int, occurred_at: datetime, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(seq, occurred_at, event)).hexdigest()


@dataclass(frozen=True)
class ChainVerdict:
    entries: int
    first_bad_seq: int | None  # None when the whole chain verifies
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify_chain(entries: Iterable[AuditEntry], head_seq: int, head_hash: str) -> ChainVerdict:
    """Check every link, then that the chain ends where the head says (no truncation)."""
    prev_hash, expected_seq, count = GENESIS_HASH, 1, 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return ChainVerdict(count, expected_seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != prev_hash:
            return ChainVerdict(count, entry.seq, "does not follow the previous entry")
        if chain_hash(prev_hash, entry.seq, entry.occurred_at, entry.event) != entry.entry_hash:
            return ChainVerdict(count, entry.seq, "its content no longer matches its hash")
        prev_hash, expected_seq = entry.entry_hash, expected_seq + 1
    if (expected_seq - 1, prev_hash) != (head_seq, head_hash):
        return ChainVerdict(count, expected_seq, f"the log ends early: the head is at {head_seq}")
    return ChainVerdict(count, None)
