"""Engine creation: SQLite gets WAL, foreign keys, full sync and a writer gate; other URLs
pass through. A serving process also checkpoints SQLite's log in the background."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 15
# One connection per request thread (AnyIO runs sync endpoints on up to 40) without waiting
# on the pool: SQLite connections are cheap, and in WAL mode readers never block each other.
SQLITE_POOL_SIZE = 10
SQLITE_POOL_OVERFLOW = 40
# SQLite copies its write-ahead log into the database when a commit finds the log past this
# many pages. Raised from 1,000 to a safety net: a serving process checkpoints in the
# background (`WalCheckpointer`) long before; other processes (worker, import) rarely reach it.
WAL_AUTOCHECKPOINT_PAGES = 10_000
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_GATE_HELD = "transfercheck.writer_gate_held"


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    in_memory = not _is_sqlite_file(url)
    if not in_memory:
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
    # An in-memory database lives in one connection per thread (SQLAlchemy's default
    # pool for it); only a file gets the connection pool.
    pool = (
        {} if in_memory else {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_OVERFLOW}
    )
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, **pool)
    event.listen(engine, "connect", _sqlite_pragmas)
    WriterGate().attach(engine)
    return engine


def _is_sqlite_file(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged check survives a power loss, not only a crash (SQLite docs).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    # Deleted identity data is overwritten, not left in free pages (28 CFR 25.9(b)).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


class WriterGate:
    """Writers of this process take turns on a lock before SQLite's own.

    SQLite lets one transaction write at a time. A second writer waits in SQLite's busy
    handler, which sleeps between retries in steps growing to 100 ms, so under a steady
    stream of checks most of a check's time went to sleeping past the moment the lock was
    free (measured with a sampling profiler at 50 checks/s: the first INSERT of a check
    waited longer than its matching took). Here a transaction takes the gate at its first
    write and gives it back when its connection is returned, after the commit or rollback,
    so the next writer starts at once.
    Other processes (the worker, an import) still meet SQLite's lock and busy handler. If
    the gate is not free within the busy timeout, the write goes ahead to SQLite's lock,
    which then decides as before: the gate can delay a write, never deadlock one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        # Given back when the connection returns to the pool, which is after its commit or
        # rollback has finished: the Connection's own commit event fires before the commit
        # reaches SQLite, and a writer let in then would only meet SQLite's lock.
        event.listen(engine.pool, "checkin", self._checkin)

    def _before_execute(
        self,
        connection: Connection,
        _cursor: Any,
        statement: str,
        *_: Any,
    ) -> None:
        if connection.info.get(_GATE_HELD) or not statement.lstrip().upper().startswith(_WRITES):
            return
        if self._lock.acquire(timeout=BUSY_TIMEOUT_SECONDS):
            connection.info[_GATE_HELD] = True

    def _checkin(self, _dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_GATE_HELD, False):
            self._lock.release()


class WalCheckpointer:
    """Copies SQLite's write-ahead log into the database file every `interval` seconds, in a
    thread of its own.

    Left to itself, SQLite checkpoints inside the commit that finds the log long: that
    commit then copies and syncs megabytes while its check holds the writer gate, and every
    check behind it waits. Under 50 checks/s at 1,000,000 records the slowest checks
    (100-160 ms) came in bursts every 7 s, one per checkpoint; with checkpoints off, the
    bursts were gone (bench/http_load.py). Here a PASSIVE checkpoint takes no gate, waits
    for no reader or writer (it copies what it can and leaves the rest for the next round),
    and SQLite does the copying and syncing with the GIL released.
    """

    def __init__(self, engine: Engine, interval: float = 1.0) -> None:
        self._engine = engine
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    def start(self) -> WalCheckpointer:
        """Start the rounds; a no-op but for a SQLite file (nothing else has such a log)."""
        if _is_sqlite_file(self._engine.url):
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, pages in the log, pages copied) as SQLite says."""
        with self._engine.connect() as connection:
            busy, logged, copied = connection.exec_driver_sql(
                "PRAGMA wal_checkpoint(PASSIVE)"
            ).one()
        return int(busy), int(logged), int(copied)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self.checkpoint()
            except SQLAlchemyError as error:  # the next round tries again; never stop serving
                log.warning("WAL checkpoint failed: %s", error)
