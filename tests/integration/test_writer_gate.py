"""SQLite writers of one process take turns on the writer gate (adapters/db/engine.py).

What must hold: concurrent writers all succeed, in some order, with nothing lost; and a
finished transaction, committed, rolled back or failed, always gives the gate back. A
leaked gate would hold every later write for the busy timeout, so the threads below are
given far less than that to finish; the bound is a liveness check, not a timing figure.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from transfercheck.adapters.db.engine import BUSY_TIMEOUT_SECONDS, make_engine
from transfercheck.adapters.db.migrate import migrate
from transfercheck.adapters.db.tables import audit_events, dealers
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.services.audit import verify_audit_log

NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)
LIVENESS_SECONDS = BUSY_TIMEOUT_SECONDS / 3


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    migrate(engine)
    return engine


def append(engine: Engine, n: int, commit: bool = True) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.audit.append(AuditEvent(EventType.LOGIN_FAILED, "test", "user", f"u{n}"), NOW)
        if commit:
            uow.commit()


def entries(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(audit_events)).scalar_one()


def write_in_another_thread(engine: Engine) -> bool:
    """True if another thread's write succeeds well within the busy timeout."""
    done = threading.Event()

    def write() -> None:
        append(engine, 999)
        done.set()

    worker = threading.Thread(target=write)
    worker.start()
    worker.join(LIVENESS_SECONDS)
    return done.is_set()


def test_concurrent_writers_all_succeed_and_the_chain_holds(engine: Engine) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda n: append(engine, n), range(200)))
    assert entries(engine) == 200
    assert verify_audit_log(lambda: SqlUnitOfWork(engine)).ok


def test_a_rolled_back_transaction_gives_the_gate_back(engine: Engine) -> None:
    append(engine, 1, commit=False)
    assert write_in_another_thread(engine)
    assert entries(engine) == 1  # only the other thread's


def fail_after_first_write(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.audit.append(AuditEvent(EventType.LOGIN_FAILED, "test", "user", "u1"), NOW)
        raise RuntimeError("the service failed after its first write")


def test_a_failed_transaction_gives_the_gate_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError):
        fail_after_first_write(engine)
    assert write_in_another_thread(engine)


def test_a_connection_that_wrote_and_committed_gives_the_gate_back(engine: Engine) -> None:
    with engine.begin() as connection:  # the path of bulk imports, outside a unit of work
        connection.execute(
            dealers.insert(),
            {"dealer_id": "D-1", "name": "Dealer", "license_number": "1-23", "created_at": NOW},
        )
    assert write_in_another_thread(engine)


def test_a_writer_waits_for_the_open_transaction_then_goes_ahead(engine: Engine) -> None:
    holder = SqlUnitOfWork(engine).__enter__()
    holder.audit.append(AuditEvent(EventType.LOGIN_FAILED, "test", "user", "u1"), NOW)
    waiting = threading.Thread(target=append, args=(engine, 2))
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive()  # held at the gate while the first transaction is open
    holder.commit()
    holder.__exit__(None, None, None)
    waiting.join(LIVENESS_SECONDS)
    assert not waiting.is_alive()
    assert entries(engine) == 2


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_works_too(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    append(engine, 1)
    assert entries(engine) == 1
