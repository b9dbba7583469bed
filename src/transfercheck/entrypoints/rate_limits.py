"""Rate limits for the public certificate pages and API: per client address and per code
or identity, with 429 and Retry-After beyond them.

A small sliding-window limiter in this process, rather than the `limits` package, because
the clock must be the application's (tests move it instead of sleeping) and the state is
a few counters. It holds per process: a deployment with several processes divides the
limits by their number or moves the counters to a shared store (docs/certificates.md).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from transfercheck.domain.identities import Identity

Clock = Callable[[], datetime]
MAX_KEYS = 100_000  # beyond this, stale keys are swept before a new one is added


class RateLimited(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"too many requests; retry after {retry_after_seconds} s")


class SlidingWindow:
    """At most `limit` hits per key in any `window`."""

    def __init__(self, limit: int, window: timedelta, clock: Clock) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._hits: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one hit, or raise RateLimited (and count nothing) when over the limit."""
        now = self._clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= MAX_KEYS:
                    self._sweep(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                wait = (hits[0] + self.window - now).total_seconds()
                raise RateLimited(max(1, math.ceil(wait)))
            hits.append(now)

    def _sweep(self, now: datetime) -> None:
        stale = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]
        for key in stale:
            del self._hits[key]


@dataclass
class CertificateLimits:
    """The limits of the public certificate endpoints (the arithmetic is in the docs)."""

    clock: Clock
    self_checks_per_address: SlidingWindow = field(init=False)
    self_checks_per_identity: SlidingWindow = field(init=False)
    verifications_per_address: SlidingWindow = field(init=False)
    verifications_per_code: SlidingWindow = field(init=False)
    # Identities are counted under a keyed digest, so the counters hold no personal data.
    _salt: bytes = field(init=False, default_factory=lambda: secrets.token_bytes(16))

    def __post_init__(self) -> None:
        hour, day = timedelta(hours=1), timedelta(days=1)
        self.self_checks_per_address = SlidingWindow(10, hour, self.clock)
        self.self_checks_per_identity = SlidingWindow(5, day, self.clock)
        self.verifications_per_address = SlidingWindow(30, hour, self.clock)
        self.verifications_per_code = SlidingWindow(10, hour, self.clock)

    def self_check(self, address: str, buyer: Identity) -> None:
        self.self_checks_per_address.hit(address)
        self.self_checks_per_identity.hit(self._identity_key(buyer))

    def verification(self, address: str, code_key: str) -> None:
        self.verifications_per_address.hit(address)
        self.verifications_per_code.hit(code_key)

    def _identity_key(self, buyer: Identity) -> str:
        text = "\0".join(
            (buyer.name.given.casefold(), buyer.name.family.casefold(), str(buyer.date_of_birth))
        )
        return hashlib.blake2b(text.encode(), key=self._salt, digest_size=16).hexdigest()
