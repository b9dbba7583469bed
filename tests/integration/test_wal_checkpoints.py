"""A serving process copies SQLite's write-ahead log into the database file in a thread of
its own (adapters/db/engine.py `WalCheckpointer`), so no check's commit has to do it.

What must hold: commits leave the checkpointing to the thread (the automatic threshold is
only a safety net), the thread's rounds do reach the database file, checks go on being
written while it runs, and it starts only where there is such a log and stops cleanly.
"""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine, text

from transfercheck.adapters.db.engine import (
    WAL_AUTOCHECKPOINT_PAGES,
    WalCheckpointer,
    make_engine,
)
from transfercheck.bootstrap import Application
from transfercheck.entrypoints import cli

LIVENESS_SECONDS = 10.0  # a bound for the thread's first rounds, not a timing figure


def file_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)"))
    return engine


def write(engine: Engine, rows: int, size: int = 4096) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO notes (body) VALUES (randomblob(:size))"),
            [{"size": size}] * rows,
        )


def checkpointer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "wal-checkpoint"]


def test_connections_leave_checkpoints_to_the_thread(tmp_path: Path) -> None:
    engine = file_engine(tmp_path)
    with engine.connect() as connection:
        pages = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()
        mode = connection.execute(text("PRAGMA journal_mode")).scalar_one()
    assert pages == WAL_AUTOCHECKPOINT_PAGES
    assert mode == "wal"
    # 1,500 pages written: SQLite's default (1,000) would have checkpointed inside a commit.
    database = tmp_path / "wal.db"
    before = database.stat().st_size
    write(engine, 1_500)
    assert database.stat().st_size == before  # still all in the log
    engine.dispose()


def test_a_checkpoint_copies_the_log_into_the_database(tmp_path: Path) -> None:
    engine = file_engine(tmp_path)
    write(engine, 200)
    busy, logged, copied = WalCheckpointer(engine).checkpoint()
    assert (busy, copied) == (0, logged)
    assert logged >= 200
    assert (tmp_path / "wal.db").stat().st_size > 200 * 4096
    engine.dispose()


def test_the_thread_checkpoints_while_checks_are_written(tmp_path: Path) -> None:
    engine = file_engine(tmp_path)
    database = tmp_path / "wal.db"
    before = database.stat().st_size
    checkpointer = WalCheckpointer(engine, interval=0.05).start()
    try:
        deadline = time.monotonic() + LIVENESS_SECONDS
        written = 0
        while database.stat().st_size <= before and time.monotonic() < deadline:
            write(engine, 20)  # writers are never held up by the rounds
            written += 20
            time.sleep(0.01)
        assert database.stat().st_size > before, "no round reached the database file"
    finally:
        checkpointer.stop()
    assert not checkpointer_threads()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar_one() == written
    engine.dispose()


def test_nothing_is_started_for_a_database_without_such_a_log() -> None:
    engine = make_engine("sqlite://")
    checkpointer = WalCheckpointer(engine, interval=0.01).start()
    assert not checkpointer_threads()
    checkpointer.stop()  # stopping what never ran is harmless
    engine.dispose()


def test_serving_checkpoints_while_it_serves_and_stops_after(
    application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    running: list[bool] = []

    def serve_briefly(*_: object, **__: object) -> None:
        running.append(bool(checkpointer_threads()))

    monkeypatch.setattr(uvicorn, "run", serve_briefly)
    try:
        cli._serve(application, None, None)
    finally:
        gc.unfreeze()  # `serve` freezes the start-up heap; this test process lives on
    assert running == [True]
    assert not checkpointer_threads()
