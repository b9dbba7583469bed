"""Start-up: the identity index from its snapshot, brought up to date with the database.

Building the index from the database normalises every record again, minutes at a million
records; a snapshot loads memory-mapped in under a second. The snapshot carries each
record's version as it was indexed, so at start-up the records table's (id, version) list
is compared with it and only the records added, changed or gone since are applied. With
no usable snapshot (none yet, another format, other matching code, unreadable) the index
is built from the database. Either way, when the index had to change, a fresh snapshot is
written for the next start (atomically: a process starting meanwhile reads the old one).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from transfercheck.matching import IdentityIndex, SnapshotError, save_snapshot
from transfercheck.matching.snapshot import load_snapshot_with_extra
from transfercheck.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

_IDS, _VERSIONS = "record_ids", "record_versions"
_CHUNK = 5_000  # records fetched per query when catching up


class IndexSource(StrEnum):
    SNAPSHOT = "snapshot"
    DATABASE = "database"


@dataclass(frozen=True)
class LoadedIndex:
    index: IdentityIndex
    source: IndexSource
    changes_applied: int  # records added, replaced or removed after loading the snapshot
    snapshot_written: bool


def load_or_build_index(unit_of_work: UnitOfWorkFactory, snapshot: Path | None) -> LoadedIndex:
    """The index of every record in the database, from `snapshot` where it can be used."""
    if snapshot is not None and snapshot.exists():
        try:
            index, extra = load_snapshot_with_extra(snapshot)
            known = _Versions(extra[_IDS], extra[_VERSIONS])
        except (SnapshotError, KeyError, OSError, ValueError) as error:
            log.warning("index snapshot %s not used (%s); building from the database",
                        snapshot, error)  # fmt: skip
        else:
            current, applied = _catch_up(index, known, unit_of_work)
            written = applied > 0 and _save(index, current, snapshot)
            log.info("index: %d records from snapshot %s, %d changes since", len(index),
                     snapshot, applied)  # fmt: skip
            return LoadedIndex(index, IndexSource.SNAPSHOT, applied, written)
    index, current = _build(unit_of_work)
    written = snapshot is not None and _save(index, current, snapshot)
    log.info("index: %d records built from the database", len(index))
    return LoadedIndex(index, IndexSource.DATABASE, 0, written)


@dataclass(frozen=True)
class _Versions:
    """Record ids (fixed-width bytes) and their versions, sorted by id."""

    ids: NDArray[np.bytes_]
    versions: NDArray[np.int64]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, int]]) -> _Versions:
        listed = list(pairs)
        ids = np.array([i.encode() for i, _ in listed], dtype="S40").reshape(-1)
        versions = np.array([v for _, v in listed], np.int64)
        order = np.argsort(ids, kind="stable")
        return cls(ids[order], versions[order])

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {_IDS: self.ids, _VERSIONS: self.versions}


def _build(unit_of_work: UnitOfWorkFactory) -> tuple[IdentityIndex, _Versions]:
    index = IdentityIndex()
    versions: list[tuple[str, int]] = []

    def items() -> Iterable[tuple[str, Any]]:
        with unit_of_work() as uow:
            for found in uow.records.iter_all_versioned():
                versions.append((found.record.record_id, found.version))
                yield found.record.record_id, found.record.subject

    # One bulk build: far faster than record-by-record inserts into the index.
    index.add_many(items())
    return index, _Versions.of(versions)


def _catch_up(
    index: IdentityIndex, known: _Versions, unit_of_work: UnitOfWorkFactory
) -> tuple[_Versions, int]:
    """Apply to `index` what changed in the database since the snapshot; the versions now."""
    with unit_of_work() as uow:
        current = _Versions.of(uow.records.all_versions())
    if len(known.ids):
        at = np.minimum(np.searchsorted(known.ids, current.ids), len(known.ids) - 1)
        unchanged = (known.ids[at] == current.ids) & (known.versions[at] == current.versions)
    else:
        unchanged = np.zeros(len(current.ids), np.bool_)
    stale = [i.decode() for i in current.ids[~unchanged].tolist()]
    gone = [i.decode() for i in known.ids[~np.isin(known.ids, current.ids)].tolist()]
    for record_id in gone:
        index.remove(record_id)
    for start in range(0, len(stale), _CHUNK):
        with unit_of_work() as uow:
            records = uow.records.get_many(stale[start : start + _CHUNK])
        # In bulk, as a build does: a changed record's old row is replaced.
        index.add_many((record_id, record.subject) for record_id, record in records.items())
    return current, len(gone) + len(stale)


def _save(index: IdentityIndex, versions: _Versions, snapshot: Path) -> bool:
    try:
        save_snapshot(index, snapshot, versions.arrays())
    except OSError as error:  # the service runs without; the next start builds again
        log.warning("index snapshot %s not written: %s", snapshot, error)
        return False
    return True
