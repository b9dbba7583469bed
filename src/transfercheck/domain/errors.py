"""The exception tree of transfercheck.

    TransferCheckError
     ├── ValidationFailed        input broke a rule; carries every problem with its location
     ├── NotFound                unknown id, or an id that belongs to someone else (same error)
     ├── NotAuthenticated        no or bad credentials
     ├── Forbidden               authenticated, but the role may not do this
     ├── IdempotencyConflict     an idempotency key was reused with a different request
     ├── Conflict                the object changed, or someone else holds it (a claimed or
     │                           already decided check): nothing was changed
     ├── RulesFileError          a jurisdiction rules file is malformed (file and key named)
     ├── ServiceUnavailable      a dependency (database, index) is down; never fail open
     └── DeliveryFailed          an outbox message did not reach its endpoint (retried)

Errors carry data, never HTTP status codes: the entry points map them in one place.
A denial or a delay is a *decision*, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass


class TransferCheckError(Exception):
    """Base of every error transfercheck raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a dotted path or a line/field) and what."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ValidationFailed(TransferCheckError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class NotFound(TransferCheckError):
    def __init__(self, what: str, key: str) -> None:
        self.what = what
        self.key = key
        super().__init__(f"no {what} {key!r}")


class NotAuthenticated(TransferCheckError):
    pass


class Forbidden(TransferCheckError):
    pass


class IdempotencyConflict(TransferCheckError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"idempotency key {key!r} was already used with a different request; "
            "use a new key for a new check"
        )


class Conflict(TransferCheckError):
    """The state the caller acted on is gone: another examiner claimed or decided the check,
    or the page was stale. `reason` is a short code the edges turn into a message."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        super().__init__(detail)


class RulesFileError(TransferCheckError):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


class ServiceUnavailable(TransferCheckError):
    def __init__(self, component: str, retry_after_seconds: int = 5) -> None:
        self.component = component
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"{component} is unavailable")


class DeliveryFailed(TransferCheckError):
    pass
