"""The ports the services need, so they depend on behaviour, not on adapters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from transfercheck.adapters.db.outbox import OutboxMessage
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.identities import Identity
from transfercheck.domain.matches import Candidate

# Services run against the real unit of work (SQLite in tests): no hand-written fake needed.
UnitOfWorkFactory = Callable[[], SqlUnitOfWork]


class CandidateFinder(Protocol):
    """The identity index: finds the records that may be the buyer's."""

    @property
    def model_version(self) -> str: ...

    def find_candidates(
        self, buyer: Identity, min_probability: float = 0.0, limit: int = 50
    ) -> list[Candidate]: ...


class Transport(Protocol):
    """Delivers one outbox message to a URL; raises DeliveryFailed when it did not arrive."""

    def send(self, url: str, message: OutboxMessage) -> None: ...
