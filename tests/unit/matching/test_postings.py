"""The fenced search of the posting keys answers exactly as numpy's searchsorted."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transfercheck.matching.postings import FENCE, FENCED_FROM, Postings, fenced_search

# Small values so that keys repeat (blocks) and needles often hit, miss and fall between.
small_keys = st.lists(st.integers(0, 300), max_size=FENCE * 5)
needles = st.lists(st.integers(0, 310), max_size=60)


@settings(max_examples=300, deadline=None)
@given(small_keys, needles, st.sampled_from(["left", "right"]))
def test_fenced_search_equals_searchsorted(
    keys: list[int], wanted: list[int], side: Literal["left", "right"]
) -> None:
    sorted_keys = np.array(sorted(keys), np.uint64)
    found = np.array(wanted, np.uint64)
    fences = np.ascontiguousarray(sorted_keys[::FENCE])
    expected = np.searchsorted(sorted_keys, found, side=side)
    assert fenced_search(sorted_keys, fences, found, side).tolist() == expected.tolist()


@pytest.mark.parametrize("size", [0, 1, FENCE - 1, FENCE, FENCE + 1, FENCE * 3])
def test_blocks_at_fence_edges_are_found_whole(size: int) -> None:
    # One key repeated across fence boundaries: its block must come back whole.
    keys = np.array([1] * 3 + [5] * size + [9] * 2, np.uint64)
    postings = Postings()
    postings.add_many(np.arange(len(keys), dtype=np.int32), keys)
    found = dict(postings.lookup(np.array([5, 1, 9, 7], np.uint64)))
    assert len(found.get(5, [])) == size
    assert len(found[1]) == 3
    assert len(found[9]) == 2
    assert 7 not in found


@pytest.mark.parametrize("needles", [5, FENCED_FROM + 100])
def test_lookups_agree_whichever_search_they_use(needles: int) -> None:
    # A single buyer's few keys take plain binary search, a batch the fenced one.
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 5_000, 20_000).astype(np.uint64)
    postings = Postings()
    postings.add_many(np.arange(len(keys), dtype=np.int32), keys)
    wanted = rng.integers(0, 5_100, needles).astype(np.uint64)
    blocks = postings.lookup_many(wanted)
    found = {
        int(wanted[blocks.key_at[b]]): sorted(
            blocks.rows[blocks.start[b] : blocks.start[b + 1]].tolist()
        )
        for b in range(len(blocks.key_at))
    }
    expected = {int(k): sorted(np.flatnonzero(keys == k).tolist()) for k in set(wanted.tolist())}
    assert found == {k: rows for k, rows in expected.items() if rows}


@pytest.mark.parametrize("needles", [5, FENCED_FROM + 100])
def test_rows_filed_one_at_a_time_are_found_with_the_merged_ones(needles: int) -> None:
    # A running service files each new record in the delta; its look-ups must see both.
    rng = np.random.default_rng(11)
    keys = rng.integers(0, 3_000, 10_000).astype(np.uint64)
    postings = Postings()
    postings.add_many(np.arange(8_000, dtype=np.int32), keys[:8_000])
    for row in range(8_000, 10_000):
        postings.add(row, frozenset({int(keys[row]), 5_000 + row % 7}))  # some keys only here
    wanted = np.concatenate([rng.integers(0, 3_100, needles), [5_003]]).astype(np.uint64)
    blocks = postings.lookup_many(wanted)
    found = {
        int(wanted[blocks.key_at[b]]): sorted(
            blocks.rows[blocks.start[b] : blocks.start[b + 1]].tolist()
        )
        for b in range(len(blocks.key_at))
    }
    filed = [(int(k), row) for row, k in enumerate(keys.tolist())]
    filed += [(5_000 + row % 7, row) for row in range(8_000, 10_000)]
    expected = {k: sorted(row for key, row in filed if key == k) for k in set(wanted.tolist())}
    assert found == {k: rows for k, rows in expected.items() if rows}
    assert len(found[5_003]) > 0
