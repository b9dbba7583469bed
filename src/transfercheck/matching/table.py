"""Normalised identities as columns: one row per record, one name row per name it holds.

A record row holds the date of birth (as the integer yyyymmdd), sex, SSN (as a number),
the document's issuer (interned) and a digest of its number, a digest of the FBI number,
the place of birth (interned), and where its names start in the name rows. A name row
holds its parts as interned string ids: given, middle and family names (words joined by
spaces), the suffix as a small code, and the text as entered for explanations. Everything
is fixed-width NumPy, so a batch of candidates is gathered with one fancy index per
column, and the table saves as plain arrays.

The index never holds an ID document or FBI number in clear, only a 56-bit digest: enough
to tell equal from different, and an examiner is never shown the number anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from transfercheck.domain.identities import PersonName, Sex
from transfercheck.matching.blocking import document_digest, text_digest
from transfercheck.matching.columns import GrowableColumn
from transfercheck.matching.normalise import (
    DocumentKey,
    NormalisedIdentity,
    NormalisedName,
    build_name,
)
from transfercheck.matching.pool import EMPTY, StringPool

SEX_CODES: dict[Sex, int] = {Sex.UNKNOWN: 0, Sex.MALE: 1, Sex.FEMALE: 2}
SEXES: tuple[Sex, ...] = (Sex.UNKNOWN, Sex.MALE, Sex.FEMALE)
SUFFIXES: tuple[str, ...] = ("", "jr", "sr", "ii", "iii", "iv")
SUFFIX_CODES: dict[str, int] = {s: i for i, s in enumerate(SUFFIXES)}

RECORD_COLUMNS: dict[str, str] = {
    "dob": "int32",  # yyyymmdd
    "sex": "uint8",  # SEX_CODES
    "ssn": "uint32",  # the nine digits as a number; 0 for none
    "doc_issuer": "int32",  # pool id of "kind:issuer"; 0 for none
    "doc_digest": "uint64",  # digest of the whole document key; 0 for none
    "fbi_digest": "uint64",  # 0 for none
    "birthplace": "int32",  # pool id of the place of birth (`normalise_place`); 0 for none
    "name_start": "int64",  # first name row
    "name_count": "uint8",
}
NAME_COLUMNS: dict[str, str] = {
    "given": "int32",
    "middle": "int32",
    "family": "int32",
    "suffix": "uint8",
    "shown_given": "int32",
    "shown_middle": "int32",
    "shown_family": "int32",
}


@dataclass(frozen=True)
class EncodedRecord:
    """One record's column values, before they are appended."""

    record: tuple[int, ...]  # in RECORD_COLUMNS order, name_start left as 0
    names: tuple[tuple[int, ...], ...]  # one tuple per name, in NAME_COLUMNS order


class RecordTable:
    def __init__(self) -> None:
        self.pool = StringPool()
        self.records = {n: GrowableColumn(t) for n, t in RECORD_COLUMNS.items()}
        self.names = {n: GrowableColumn(t) for n, t in NAME_COLUMNS.items()}
        self.frequencies = NameFrequencies()

    def __len__(self) -> int:
        return len(self.records["dob"])

    @property
    def nbytes(self) -> int:
        columns = [*self.records.values(), *self.names.values()]
        return sum(c.nbytes for c in columns) + self.pool.nbytes() + self.frequencies.nbytes

    def column(self, name: str) -> NDArray[Any]:
        return self.records[name].view()

    def name_column(self, name: str) -> NDArray[Any]:
        return self.names[name].view()

    def encode(self, identity: NormalisedIdentity) -> EncodedRecord:
        doc = identity.id_document
        record = (
            yyyymmdd(identity.date_of_birth),
            SEX_CODES[identity.sex],
            int(identity.ssn) if identity.ssn else 0,
            self.pool.intern(f"{doc.kind}:{doc.issuer}") if doc else EMPTY,
            document_digest(doc) if doc else 0,
            text_digest(identity.fbi_number) if identity.fbi_number else 0,
            self.pool.intern(identity.place_of_birth) if identity.place_of_birth else EMPTY,
            0,
            len(identity.names),
        )
        return EncodedRecord(record, tuple(self._encode_name(n) for n in identity.names))

    def append(self, encoded: Sequence[EncodedRecord]) -> int:
        """Append records; returns the row of the first."""
        first, name_row = len(self), len(self.names["given"])
        starts = []
        for item in encoded:
            starts.append(name_row)
            name_row += len(item.names)
        for i, (name, column) in enumerate(self.records.items()):
            values = starts if name == "name_start" else [e.record[i] for e in encoded]
            column.extend(np.asarray(values, column.dtype))
        for i, column in enumerate(self.names.values()):
            column.extend(np.asarray([n[i] for e in encoded for n in e.names], column.dtype))
        rows = np.arange(first, len(self), dtype=np.int64)
        self.frequencies.count(self, rows, +1)
        return first

    def forget(self, row: int) -> None:
        """Take a record's names out of the frequency counts (the row itself stays)."""
        self.frequencies.count(self, np.array([row], np.int64), -1)

    def identity(self, row: int) -> NormalisedIdentity:
        """The stored identity of a row, rebuilt (document and FBI numbers as digests)."""
        col = {n: c.view()[row] for n, c in self.records.items()}
        start, count = int(col["name_start"]), int(col["name_count"])
        names = tuple(self.name(i) for i in range(start, start + count))
        issuer = int(col["doc_issuer"])
        document = None
        if issuer:
            kind, _, issued_by = self.pool.text(issuer).partition(":")
            document = DocumentKey(kind, issued_by, f"#{int(col['doc_digest']):014x}")
        return NormalisedIdentity(
            names=names,
            date_of_birth=from_yyyymmdd(int(col["dob"])),
            sex=SEXES[int(col["sex"])],
            ssn=f"{int(col['ssn']):09d}" if col["ssn"] else None,
            id_document=document,
            fbi_number=f"#{int(col['fbi_digest']):014x}" if col["fbi_digest"] else None,
            place_of_birth=self.pool.text(int(col["birthplace"])) or None,
        )

    def name(self, name_row: int) -> NormalisedName:
        text = self.pool.text
        col = {n: int(c.view()[name_row]) for n, c in self.names.items()}
        shown = PersonName(
            text(col["shown_given"]), text(col["shown_family"]), text(col["shown_middle"]) or None
        )
        return build_name(
            _words(text(col["given"])),
            _words(text(col["middle"])),
            _words(text(col["family"])),
            SUFFIXES[col["suffix"]],
            shown,
        )

    def kept(self, rows: NDArray[np.int64]) -> RecordTable:
        """A table of only these rows, in order (the pool is shared, not copied)."""
        table = RecordTable.__new__(RecordTable)
        table.pool = self.pool
        starts = self.column("name_start")[rows].astype(np.int64)
        counts = self.column("name_count")[rows].astype(np.int64)
        ends = np.cumsum(counts)
        name_rows = np.repeat(starts - (ends - counts), counts) + np.arange(
            int(ends[-1]) if len(ends) else 0
        )
        table.records = {
            n: GrowableColumn.of(c.view()[rows].copy()) for n, c in self.records.items()
        }
        table.records["name_start"] = GrowableColumn.of(ends - counts)
        table.names = {
            n: GrowableColumn.of(c.view()[name_rows].copy()) for n, c in self.names.items()
        }
        table.frequencies = self.frequencies
        return table

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        arrays = {f"record.{n}": c.view() for n, c in self.records.items()}
        arrays.update({f"name.{n}": c.view() for n, c in self.names.items()})
        arrays.update({f"pool.{n}": a for n, a in self.pool.to_arrays().items()})
        arrays.update({f"frequency.{n}": a for n, a in self.frequencies.to_arrays().items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[Any]]) -> RecordTable:
        table = cls.__new__(cls)
        pool = {k.removeprefix("pool."): v for k, v in arrays.items() if k.startswith("pool.")}
        table.pool = StringPool.from_arrays(pool)
        table.records = {n: GrowableColumn.of(arrays[f"record.{n}"]) for n in RECORD_COLUMNS}
        table.names = {n: GrowableColumn.of(arrays[f"name.{n}"]) for n in NAME_COLUMNS}
        table.frequencies = NameFrequencies.from_arrays(
            {
                k.removeprefix("frequency."): v
                for k, v in arrays.items()
                if k.startswith("frequency.")
            }
        )
        return table

    def _encode_name(self, name: NormalisedName) -> tuple[int, ...]:
        intern = self.pool.intern
        return (
            intern(" ".join(name.given)),
            intern(" ".join(name.middle)),
            intern(" ".join(name.family)),
            SUFFIX_CODES[name.suffix],
            intern(name.shown.given),
            intern(name.shown.middle or ""),
            intern(name.shown.family),
        )


def yyyymmdd(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def from_yyyymmdd(value: int) -> date:
    return date(value // 10000, value // 100 % 100, value % 100)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(" ")) if text else ()


_FREQUENCY_FIELDS = ("given_name", "middle_name", "family_name")


class NameFrequencies:
    """How many records carry each first given, first middle and family name (by pool id).

    Kept up to date on every insert and delete, so term-frequency weights always reflect
    the index in use; a record counts once per value however many aliases repeat it.
    Pairs of names are counted too (given with family, given with middle, middle with
    family): names run in communities, so how often two names go together says how much
    the second adds once the first agrees. Places of birth are counted alone and with
    each family name, for the same reason: beside Nguyen, born in Vietnam is no surprise.
    """

    def __init__(self) -> None:
        self.counts = {f: np.zeros(0, np.int32) for f in _FREQUENCY_FIELDS}
        self.totals = dict.fromkeys(_FREQUENCY_FIELDS, 0)
        self.full_names = PairCounts()  # (first given, family) together
        self.given_middle = PairCounts()  # (first given, first middle) together
        self.middle_family = PairCounts()  # (first middle, family) together
        self.birthplaces = np.zeros(0, np.int32)  # records born in each place (pool id)
        self.birthplace_total = 0  # records with a place of birth
        self.birthplace_family = PairCounts()  # (place of birth, family) together

    @property
    def nbytes(self) -> int:
        pairs = sum(counter.nbytes for counter in self._pairs().values())
        counts = sum(int(c.nbytes) for c in self.counts.values()) + self.birthplaces.nbytes
        return counts + pairs

    def carried(self, ids: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Whether any record carries each value as a given, middle or family name (pool
        ids; ids the pool lacks are negative). Any field: forms put names in either place."""
        found: NDArray[np.bool_] = np.zeros(len(ids), np.bool_)
        for counts in self.counts.values():
            inside = (ids >= 0) & (ids < len(counts))
            found[inside] |= counts[ids[inside]] > 0
        return found

    def full_name_share(
        self, given: NDArray[np.int64], family: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        """The share of records carrying this first given name and family name together."""
        counts = self.full_names.get(pair_key(given, family))
        share: NDArray[np.float64] = counts / max(self.totals["family_name"], 1)
        return share

    def share(
        self, field: str, ids: NDArray[np.int64], average: float, pseudo: float
    ) -> NDArray[np.float64]:
        """The share of names that carry each value, shrunk toward `average` as if
        `pseudo` more names had been counted at that share: in a small index a name seen
        twice in ten records is not thereby common, and in a large one the counts rule."""
        known = self.records_carrying(field, ids).astype(np.float64)
        share: NDArray[np.float64] = (known + pseudo * average) / (self.totals[field] + pseudo)
        return share

    def share_of_any(
        self, field: str, ids: NDArray[np.int64], average: float, pseudo: float
    ) -> float:
        """`share` of the names that carry any of these values (distinct ids), together."""
        known = float(self.records_carrying(field, ids).sum())
        return (known + pseudo * average) / (self.totals[field] + pseudo)

    def records_carrying(self, field: str, ids: NDArray[np.int64]) -> NDArray[np.int64]:
        """How many records carry each value (0 for ids the counts have not reached)."""
        counts = self.counts[field]
        if not len(counts):
            return np.zeros(len(ids), np.int64)
        known: NDArray[np.int64] = np.where(
            ids < len(counts), counts[np.minimum(ids, len(counts) - 1)], 0
        )
        return known

    def count(self, table: RecordTable, rows: NDArray[np.int64], step: int) -> None:
        if not len(rows):
            return
        size = len(table.pool)
        for field, counts in self.counts.items():
            self.counts[field] = _grown(counts, size)
        self.birthplaces = _grown(self.birthplaces, size)
        starts = table.column("name_start")[rows].astype(np.int64)
        counts = table.column("name_count")[rows].astype(np.int64)
        owner = np.repeat(np.arange(len(rows)), counts)
        name_rows = (
            starts[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        pool = table.pool
        given = table.name_column("given")[name_rows]
        middle = table.name_column("middle")[name_rows]
        values = {
            "given_name": pool.first_word.view()[given],
            "middle_name": np.where(
                middle != EMPTY, pool.first_word.view()[middle], pool.second_word.view()[given]
            ),
            "family_name": table.name_column("family")[name_rows],
        }
        for field, ids in values.items():
            added = self._add(self.counts[field], owner, ids.astype(np.int64), step)
            self.totals[field] += step * added
        given, middle, family = (
            values[f].astype(np.int64) for f in ("given_name", "middle_name", "family_name")
        )
        for counter, first, second in (
            (self.full_names, given, family),
            (self.given_middle, given, middle),
            (self.middle_family, middle, family),
        ):
            named = (first != EMPTY) & (second != EMPTY)
            pairs = pair_key(first, second)
            distinct = np.unique(np.stack([owner[named], pairs[named]], axis=1), axis=0)
            counter.add(distinct[:, 1], step)
        born = table.column("birthplace")[rows].astype(np.int64)
        np.add.at(self.birthplaces, born[born != EMPTY], step)
        self.birthplace_total += step * int((born != EMPTY).sum())
        place = born[owner]
        named = (place != EMPTY) & (family != EMPTY)
        pairs = pair_key(place, family)
        distinct = np.unique(np.stack([owner[named], pairs[named]], axis=1), axis=0)
        self.birthplace_family.add(distinct[:, 1], step)

    @staticmethod
    def _add(
        counts: NDArray[np.int32], owner: NDArray[np.int64], ids: NDArray[np.int64], step: int
    ) -> int:
        pairs = np.unique(np.stack([owner, ids], axis=1)[ids != EMPTY], axis=0)
        np.add.at(counts, pairs[:, 1], step)
        return len(pairs)

    def _pairs(self) -> dict[str, PairCounts]:
        return {
            "full_name": self.full_names,
            "given_middle": self.given_middle,
            "middle_family": self.middle_family,
            "birthplace_family": self.birthplace_family,
        }

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        # Without the spare room the counts grow by (it depends on how the records came in).
        arrays: dict[str, NDArray[Any]] = {f: np.trim_zeros(c, "b") for f, c in self.counts.items()}
        arrays["birthplace"] = np.trim_zeros(self.birthplaces, "b")
        for name, counter in self._pairs().items():
            arrays[f"{name}_keys"], arrays[f"{name}_counts"] = counter.arrays()
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[Any]]) -> NameFrequencies:
        frequencies = cls()
        frequencies.counts = {f: np.array(arrays[f]) for f in _FREQUENCY_FIELDS}
        frequencies.totals = {f: int(c.sum()) for f, c in frequencies.counts.items()}
        frequencies.birthplaces = np.array(arrays["birthplace"])
        frequencies.birthplace_total = int(frequencies.birthplaces.sum())
        (frequencies.full_names, frequencies.given_middle, frequencies.middle_family,
         frequencies.birthplace_family) = (
            # Every count is there: a snapshot of other matching code is refused on load.
            PairCounts.of(np.array(arrays[f"{name}_keys"]), np.array(arrays[f"{name}_counts"]))
            for name in ("full_name", "given_middle", "middle_family", "birthplace_family")
        )  # fmt: skip
        return frequencies


def _grown(counts: NDArray[np.int32], size: int) -> NDArray[np.int32]:
    """Counts with room for `size` ids (doubling, so that growth is amortised)."""
    if len(counts) >= size:
        return counts
    return np.concatenate([counts, np.zeros(max(size, 2 * len(counts)) - len(counts), np.int32)])


def pair_key(first: NDArray[np.int64], second: NDArray[np.int64]) -> NDArray[np.int64]:
    """One 64-bit key for two pool ids, as `PairCounts` counts them."""
    key: NDArray[np.int64] = (first << 32) | second
    return key


class PairCounts:
    """Counts by 64-bit key: sorted NumPy arrays plus a small dict of recent changes,
    merged in one pass when it grows (12 bytes a key, not a Python dict's hundred). Bulk
    changes (a build) wait as arrays until the next read, so a build in chunks counts once
    at the end instead of re-sorting every count per chunk."""

    _MERGE = 65_536

    def __init__(self) -> None:
        self.keys = np.zeros(0, np.int64)
        self.counts = np.zeros(0, np.int32)
        self._delta: dict[int, int] = {}
        self._bulk: list[tuple[NDArray[np.int64], int]] = []

    @classmethod
    def of(cls, keys: NDArray[np.int64], counts: NDArray[np.int32]) -> PairCounts:
        pairs = cls()
        pairs.keys, pairs.counts = keys, counts
        return pairs

    @property
    def nbytes(self) -> int:
        bulk = sum(int(keys.nbytes) for keys, _ in self._bulk)
        return int(self.keys.nbytes + self.counts.nbytes) + 100 * len(self._delta) + bulk

    def add(self, keys: NDArray[np.int64], step: int) -> None:
        if len(keys) > self._MERGE // 4:  # a bulk load: counted at the next read
            self._bulk.append((keys, step))
            return
        for key in keys.tolist():
            self._delta[key] = self._delta.get(key, 0) + step
        if len(self._delta) >= self._MERGE:
            self._merge()

    def get(self, keys: NDArray[np.int64]) -> NDArray[np.int64]:
        if self._bulk:
            self._merge()
        found = np.zeros(len(keys), np.int64)
        if len(self.keys):
            at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            hit = self.keys[at] == keys
            found[hit] = self.counts[at[hit]]
        if self._delta:
            found += np.array([self._delta.get(k, 0) for k in keys.tolist()], np.int64)
        return found

    def arrays(self) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
        self._merge()
        return self.keys, self.counts

    def _merge(self) -> None:
        if not (self._delta or self._bulk):
            return
        keys = [np.fromiter(self._delta, np.int64, len(self._delta))]
        steps = [np.fromiter(self._delta.values(), np.int64, len(self._delta))]
        keys += [k for k, _ in self._bulk]
        steps += [np.full(len(k), step, np.int64) for k, step in self._bulk]
        self._delta.clear()
        self._bulk.clear()
        every = np.concatenate([self.keys, *keys])
        counts = np.concatenate([self.counts.astype(np.int64), *steps])
        unique, inverse = np.unique(every, return_inverse=True)
        weights = counts.astype(np.float64)  # exact: counts stay far below 2^53
        total = np.bincount(inverse.reshape(-1), weights, len(unique)).astype(np.int64)
        keep = total > 0
        self.keys, self.counts = unique[keep], total[keep].astype(np.int32)
