"""The SQL unit of work: one transaction, the repositories that share it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from transfercheck.adapters.db.audit_log import AuditLogRepository
from transfercheck.adapters.db.certificates import CertificateRepository
from transfercheck.adapters.db.outbox import OutboxRepository
from transfercheck.adapters.db.repositories import (
    AccountRepository,
    CheckRepository,
    RecordRepository,
)
from transfercheck.adapters.db.reviews import ReviewRepository
from transfercheck.domain.errors import ServiceUnavailable


class SqlUnitOfWork:
    """`with uow:` opens a transaction; leaving without `commit()` rolls it back."""

    records: RecordRepository
    checks: CheckRepository
    accounts: AccountRepository
    audit: AuditLogRepository
    certificates: CertificateRepository
    reviews: ReviewRepository
    outbox: OutboxRepository

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self._connection = self._engine.connect()
            self._connection.begin()
        except OperationalError as error:
            raise ServiceUnavailable("database") from error
        self.records = RecordRepository(self._connection)
        self.checks = CheckRepository(self._connection)
        self.accounts = AccountRepository(self._connection)
        self.audit = AuditLogRepository(self._connection)
        self.certificates = CertificateRepository(self._connection)
        self.reviews = ReviewRepository(self._connection)
        self.outbox = OutboxRepository(self._connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._connection is not None
        try:
            self._connection.rollback()  # a no-op after commit()
        finally:
            self._connection.close()
            self._connection = None

    def commit(self) -> None:
        assert self._connection is not None
        self._connection.commit()
