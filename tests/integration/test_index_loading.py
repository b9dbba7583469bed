"""Start-up loads the index snapshot and catches up with the database (services/index_loading).

What must hold: the index a server starts with always equals a fresh build from the
database, whatever changed since the snapshot; a snapshot that cannot be trusted is
rebuilt, never read.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, delete

from tests.builders import identity, record
from transfercheck.adapters.db.engine import make_engine
from transfercheck.adapters.db.migrate import migrate
from transfercheck.adapters.db.tables import prohibiting_records
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.matching import IdentityIndex
from transfercheck.services.index_loading import IndexSource, LoadedIndex, load_or_build_index

NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)
PEOPLE = [
    identity("William", "Smith", date(1980, 3, 14)),
    identity("Ana", "Lopez", date(1990, 2, 2), middle="Maria"),
    identity("Nguyen", "Van An", date(1975, 7, 9)),
    identity("Priya", "Raman", date(1988, 11, 30)),
]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'records.db'}")
    migrate(engine)
    return engine


def store(engine: Engine, *records: ProhibitingRecord) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.records.add_many(records, NOW)
        uow.commit()


def start(engine: Engine, snapshot: Path) -> LoadedIndex:
    return load_or_build_index(lambda: SqlUnitOfWork(engine), snapshot)


def contents(index: IdentityIndex) -> dict[str, object]:
    """Every record id with its normalised identity: what look-ups can find."""
    rows = np.flatnonzero(index.live.view()).astype(np.int32)
    return {record_id: index.identity(record_id) for record_id in index.record_ids(rows)}


def fresh_build(engine: Engine) -> dict[str, object]:
    return contents(load_or_build_index(lambda: SqlUnitOfWork(engine), None).index)


def test_the_first_start_builds_and_the_next_loads_the_snapshot(
    engine: Engine, tmp_path: Path
) -> None:
    store(engine, *(record(p) for p in PEOPLE))
    snapshot = tmp_path / "index"

    first = start(engine, snapshot)
    second = start(engine, snapshot)

    assert (first.source, first.snapshot_written) == (IndexSource.DATABASE, True)
    assert (second.source, second.changes_applied, second.snapshot_written) == (
        IndexSource.SNAPSHOT,
        0,
        False,
    )
    assert contents(second.index) == contents(first.index) == fresh_build(engine)


def test_records_added_changed_and_gone_since_the_snapshot_are_caught_up(
    engine: Engine, tmp_path: Path
) -> None:
    kept, changed, gone = record(PEOPLE[0]), record(PEOPLE[1]), record(PEOPLE[2])
    store(engine, kept, changed, gone)
    snapshot = tmp_path / "index"
    start(engine, snapshot)

    added = record(PEOPLE[3])
    store(engine, added)
    renamed = dataclasses.replace(
        changed, subject=identity("Ana", "Lopez-Garcia", date(1990, 2, 2))
    )
    with SqlUnitOfWork(engine) as uow:
        assert uow.records.replace(renamed, 1, NOW)  # the one path that changes a record
        uow.commit()
    with engine.begin() as connection:
        connection.execute(
            delete(prohibiting_records).where(prohibiting_records.c.record_id == gone.record_id)
        )

    caught_up = start(engine, snapshot)

    assert caught_up.source is IndexSource.SNAPSHOT
    assert caught_up.changes_applied == 3
    assert caught_up.snapshot_written
    assert contents(caught_up.index) == fresh_build(engine)
    assert caught_up.index.identity(changed.record_id).names[0].family == ("lopez", "garcia")
    assert gone.record_id not in caught_up.index
    # The snapshot written after catching up needs nothing more at the next start.
    assert start(engine, snapshot).changes_applied == 0


def test_a_snapshot_of_other_matching_code_is_rebuilt_not_read(
    engine: Engine, tmp_path: Path
) -> None:
    store(engine, *(record(p) for p in PEOPLE))
    snapshot = tmp_path / "index"
    start(engine, snapshot)
    manifest = snapshot / "manifest.json"
    written = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**written, "code": "0" * 64}))

    again = start(engine, snapshot)

    assert again.source is IndexSource.DATABASE
    assert contents(again.index) == fresh_build(engine)
    assert start(engine, snapshot).source is IndexSource.SNAPSHOT  # rewritten by this code


@pytest.mark.parametrize("damage", ["postings.keys.npy", "extra.record_ids.npy"])
def test_a_damaged_snapshot_is_rebuilt(engine: Engine, tmp_path: Path, damage: str) -> None:
    store(engine, *(record(p) for p in PEOPLE))
    snapshot = tmp_path / "index"
    start(engine, snapshot)
    (snapshot / damage).unlink()

    again = start(engine, snapshot)

    assert again.source is IndexSource.DATABASE
    assert contents(again.index) == fresh_build(engine)


def test_a_snapshot_that_cannot_be_written_does_not_stop_the_start(
    engine: Engine, tmp_path: Path
) -> None:
    store(engine, record(PEOPLE[0]))
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")

    loaded = start(engine, blocked / "index")

    assert (loaded.source, loaded.snapshot_written) == (IndexSource.DATABASE, False)
    assert len(loaded.index) == 1


def test_a_snapshot_of_an_empty_database_takes_the_first_import(
    engine: Engine, tmp_path: Path
) -> None:
    # The demo's path: a first start before any record, then an import, then a restart.
    snapshot = tmp_path / "index"
    assert start(engine, snapshot).snapshot_written
    store(engine, *(record(identity(f"Given{n}", "Family", date(1970, 1, 1 + n % 28)))
                    for n in range(60)))  # fmt: skip

    loaded = start(engine, snapshot)

    assert (loaded.source, loaded.changes_applied) == (IndexSource.SNAPSHOT, 60)
    assert contents(loaded.index) == fresh_build(engine)
