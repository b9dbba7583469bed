"""Building in bulk: sorted runs, chunks, and the bulk path equal to the one-record path."""

from __future__ import annotations

import gc
import sys
from dataclasses import replace
from datetime import date
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transfercheck.domain.identities import IdDocument, IdDocumentType, Identity, PersonName, Sex
from transfercheck.matching import IdentityIndex
from transfercheck.matching.normalise import normalise_identity
from transfercheck.matching.record_ids import RecordIds
from transfercheck.matching.sorted_runs import SortedRuns
from transfercheck.matching.table import PairCounts
from transfercheck.synthetic.dataset import stream_dataset

chunks = st.lists(st.lists(st.integers(0, 40), max_size=30), max_size=25)


@settings(max_examples=200, deadline=None)
@given(chunks)
def test_runs_hold_every_pair_in_stable_key_order(parts: list[list[int]]) -> None:
    runs = SortedRuns()
    filed: list[tuple[int, int]] = []  # (key, value) in filing order
    for part in parts:
        values = list(range(len(filed), len(filed) + len(part)))
        runs.add(np.array(part, np.uint64), np.array(values, np.int64))
        filed += zip(part, values, strict=True)
        sizes = [len(keys) for keys, _ in runs.runs]
        # Each run is more than twice the next: at most about log2(n) runs to search.
        assert all(a > 2 * b for a, b in pairwise(sizes))
        assert sum(sizes) == len(filed)
    merged = runs.take_all()
    expected = sorted(filed, key=lambda pair: pair[0])  # stable: filing order within a key
    if merged is None:
        assert not filed
        return
    assert list(zip(merged[0].tolist(), merged[1].tolist(), strict=True)) == expected
    assert runs.runs == []


def _dataset(records: int) -> list[tuple[str, Identity]]:
    stream = stream_dataset(3, records, 5, date(2026, 1, 15))
    return [(r.record_id, r.subject) for batch in stream.batches() for r in batch.records]


def _assert_same_arrays(expected: IdentityIndex, got: IdentityIndex) -> None:
    """The two indexes would write the same snapshot, array for array."""
    want, have = expected.to_arrays(), got.to_arrays()
    assert want.keys() == have.keys()
    for name, array in want.items():
        assert np.array_equal(array, have[name]), name


def test_an_index_filed_in_chunks_equals_one_filed_at_once() -> None:
    records = _dataset(1_500)
    at_once, in_chunks = IdentityIndex(), IdentityIndex()
    at_once.add_many(records)
    for start in range(0, len(records), 97):
        in_chunks.add_many(records[start : start + 97])
    _assert_same_arrays(at_once, in_chunks)


def test_ids_in_runs_not_merged_yet_are_found_and_replaced() -> None:
    records = _dataset(300)
    index = IdentityIndex()
    for start in range(0, 300, 40):
        index.add_many(records[start : start + 40])
    assert len(index.ids._runs.runs) > 1  # the case under test: several runs pending
    record_id, identity = records[5]
    assert record_id in index
    index.add_many([(record_id, records[250][1])])
    assert len(index) == 300
    assert record_id in index.lookup(records[250][1]).record_ids
    assert record_id not in index.lookup(identity).record_ids


def test_record_ids_found_in_every_run_and_after_the_merge() -> None:
    ids = RecordIds()
    names = [f"id-{i}" for i in range(500)]
    for start in range(0, 500, 23):
        ids.append_many(names[start : start + 23])
    live = np.ones(500, np.bool_)
    assert [ids.row_of(n, live) for n in names] == list(range(500))
    assert ids.maybe_present([*names, "absent"]) == [True] * 500 + [False]
    ids.merge()
    assert [ids.row_of(n, live) for n in names] == list(range(500))


def test_pair_counts_filed_in_bulk_are_counted_at_the_next_read() -> None:
    counts = PairCounts()
    bulk = np.arange(40_000, dtype=np.int64) % 1_000  # each key 40 times
    counts.add(bulk, +1)
    counts.add(bulk[:20_000], -1)  # each key 20 times fewer
    counts.add(np.array([5, 5], np.int64), +1)  # a small change, through the dict
    found = counts.get(np.array([0, 5, 999, 1_000], np.int64))
    assert found.tolist() == [20, 22, 20, 0]


def test_the_bulk_path_files_exactly_what_the_one_record_path_files() -> None:
    records = _dataset(2_000)
    odd = Identity(
        name=PersonName("Junior", "Smith Jr", "Lee"),  # a lone "Junior" is a given name
        date_of_birth=date(1980, 2, 3),
        sex=Sex.UNKNOWN,
        aliases=(PersonName("J.", "O'Brien-Garcia", None), PersonName("Junior", "Smith Jr", "Lee"),
                 PersonName("🙂", "", None), PersonName("Ann Marie", "de la Cruz", "III")),
        id_document=IdDocument(IdDocumentType.PASSPORT, "x12-345", "mx"),
        ssn="000-12-3456",  # a placeholder: no SSN
        fbi_number=" ab-123 ",
        place_of_birth="Los Angeles, Calif., California",
    )  # fmt: skip
    records.append(("odd", odd))
    records.append(("no place", replace(odd, place_of_birth="U.S.A.")))
    bulk, reference = IdentityIndex(), IdentityIndex()
    bulk.add_many(records)
    reference.add_many((i, normalise_identity(p)) for i, p in records)
    _assert_same_arrays(reference, bulk)


def test_no_cycle_collection_runs_while_a_chunk_is_filed() -> None:
    records = _dataset(200)
    during: list[int] = []  # generations collected inside the filing of a chunk

    def watch(phase: str, info: dict[str, int]) -> None:
        frames = sys._getframe(1)
        while frames is not None:
            if frames.f_code.co_name == "_file_chunk":
                during.append(info["generation"])
                return
            frames = frames.f_back

    threshold = gc.get_threshold()
    gc.set_threshold(1)  # collect at every allocation, where collection is allowed
    gc.callbacks.append(watch)
    try:
        IdentityIndex().add_many(records)
    finally:
        gc.callbacks.remove(watch)
        gc.set_threshold(*threshold)
    assert during == []


def test_a_build_leaves_the_cycle_collector_as_it_found_it() -> None:
    records = _dataset(50)
    index = IdentityIndex()
    index.add_many(records)
    assert gc.isenabled()
    # What the build left is frozen: no later collection walks it again.
    assert gc.is_tracked(index.postings)
    assert not any(o is index.postings for o in gc.get_objects())
    with pytest.raises(AttributeError):
        IdentityIndex().add_many([("bad", object())])  # type: ignore[list-item]
    assert gc.isenabled()
    gc.disable()
    try:
        IdentityIndex().add_many(records)
        assert not gc.isenabled()
    finally:
        gc.enable()
