"""Outbox retries back off by doubling, up to an hour, and never overflow."""

from __future__ import annotations

from datetime import timedelta

import pytest

from transfercheck.services.outbox import retry_delay


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [
        (1, timedelta(seconds=30)),
        (2, timedelta(minutes=1)),
        (3, timedelta(minutes=2)),
        (7, timedelta(minutes=32)),
        (8, timedelta(hours=1)),
        (10_000, timedelta(hours=1)),
    ],
)
def test_retry_delay(attempts: int, delay: timedelta) -> None:
    assert retry_delay(attempts) == delay
