"""The data set's shape: its size is what was asked, in bounded batches."""

from __future__ import annotations

import pytest

from transfercheck.synthetic import DatasetSpec, stream_dataset
from transfercheck.synthetic.dataset import MAX_SIZE

from .conftest import REFERENCE_DATE


@pytest.mark.parametrize(
    ("n_records", "n_buyers", "message"),
    [(0, 10, "n_records"), (10, -1, "n_buyers"), (MAX_SIZE, 1, "at most")],
)
def test_impossible_sizes_are_refused(n_records: int, n_buyers: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DatasetSpec(1, n_records, n_buyers, REFERENCE_DATE)


def test_a_stream_can_be_read_twice_with_the_same_result() -> None:
    stream = stream_dataset(2, 300, 50, REFERENCE_DATE)
    first, second = list(stream.batches()), list(stream.batches())
    assert first == second
    assert sum(len(b.records) for b in first) == 300
    assert sum(len(b.buyers) for b in first) == 50
