"""The hash chain (domain.audit): any change to the log shows at the first bad entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from transfercheck.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditEvent,
    EventType,
    chain_hash,
    verify_chain,
)

T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        event = AuditEvent(EventType.CHECK_SUBMITTED, "dealer:D-1", "check", f"NTN{seq:07d}")
        at = T0 + timedelta(seconds=seq)
        entry = AuditEntry(seq, at, event, prev, chain_hash(prev, seq, at, event))
        entries.append(entry)
        prev = entry.entry_hash
    return entries


def verdict_of(entries: list[AuditEntry], head: AuditEntry) -> tuple[bool, int | None]:
    result = verify_chain(entries, head.seq, head.entry_hash)
    return result.ok, result.first_bad_seq


def test_an_untouched_chain_verifies() -> None:
    entries = chain(5)
    assert verdict_of(entries, entries[-1]) == (True, None)


def test_an_empty_log_verifies_against_an_empty_head() -> None:
    assert verify_chain([], 0, GENESIS_HASH).ok


def altered_content(entries: list[AuditEntry]) -> list[AuditEntry]:
    changed = replace(entries[2].event, outcome="PROCEED")
    return [*entries[:2], replace(entries[2], event=changed), *entries[3:]]


def deleted(entries: list[AuditEntry]) -> list[AuditEntry]:
    return [*entries[:2], *entries[3:]]


def reordered(entries: list[AuditEntry]) -> list[AuditEntry]:
    return [*entries[:2], entries[3], entries[2], *entries[4:]]


def rehashed_without_chain(entries: list[AuditEntry]) -> list[AuditEntry]:
    """An attacker recomputes entry 3's own hash but cannot fix every later link."""
    entry = entries[2]
    event = replace(entry.event, outcome="PROCEED")
    forged = replace(
        entry, event=event, entry_hash=chain_hash(entry.prev_hash, 3, entry.occurred_at, event)
    )
    return [*entries[:2], forged, *entries[3:]]


@pytest.mark.parametrize(
    ("tamper", "first_bad"),
    [
        pytest.param(altered_content, 3, id="a flipped field"),
        pytest.param(deleted, 3, id="a deleted entry"),
        pytest.param(reordered, 3, id="two entries swapped"),
        pytest.param(rehashed_without_chain, 4, id="one entry re-hashed"),
    ],
)
def test_tampering_is_reported_at_the_first_bad_entry(
    tamper: Callable[[list[AuditEntry]], list[AuditEntry]], first_bad: int
) -> None:
    entries = chain(6)
    assert verdict_of(tamper(entries), entries[-1]) == (False, first_bad)


def test_a_truncated_log_is_reported() -> None:
    entries = chain(6)
    assert verdict_of(entries[:4], entries[-1]) == (False, 5)
