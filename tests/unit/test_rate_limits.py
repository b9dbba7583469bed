"""The sliding-window limiter of the public endpoints, on a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.builders import identity
from tests.conftest import MovableClock
from transfercheck.entrypoints import rate_limits
from transfercheck.entrypoints.rate_limits import CertificateLimits, RateLimited, SlidingWindow


def test_a_window_slides_and_says_how_long_to_wait() -> None:
    clock = MovableClock(datetime(2026, 11, 24, tzinfo=UTC))
    window = SlidingWindow(3, timedelta(minutes=10), clock)
    for minute in (0, 4, 8):
        clock.now = datetime(2026, 11, 24, 0, minute, tzinfo=UTC)
        window.hit("a")
    with pytest.raises(RateLimited) as caught:
        window.hit("a")
    assert caught.value.retry_after_seconds == 120  # the first hit leaves the window at 0:10
    window.hit("b")  # other keys are counted apart
    clock.advance(timedelta(minutes=2))
    window.hit("a")  # the 0:00 hit has slid out; refused tries were not counted
    with pytest.raises(RateLimited):
        window.hit("a")


def test_stale_keys_are_swept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rate_limits, "MAX_KEYS", 2)
    clock = MovableClock()
    window = SlidingWindow(1, timedelta(minutes=1), clock)
    window.hit("a")
    window.hit("b")
    clock.advance(timedelta(minutes=2))
    window.hit("c")
    assert set(window._hits) == {"c"}


def test_identities_are_counted_under_a_keyed_digest() -> None:
    limits = CertificateLimits(MovableClock())
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"):
        limits.self_check(address, identity("Ana", "Lopez"))
    with pytest.raises(RateLimited):
        limits.self_check("10.0.0.6", identity("ANA", "LOPEZ"))
    keys = set(limits.self_checks_per_identity._hits)
    assert len(keys) == 1
    assert not any("Lopez" in key or "lopez" in key for key in keys)
