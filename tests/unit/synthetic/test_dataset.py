"""The data set's shape: its size is what was asked, in bounded batches."""

from __future__ import annotations

from collections import Counter

import pytest

from transfercheck.synthetic import (
    BuyerKind,
    Dataset,
    DatasetSpec,
    NameOrigin,
    clean_buyers_by_origin,
    stream_dataset,
)
from transfercheck.synthetic.dataset import MAX_PER_ORIGIN, MAX_SIZE

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


def test_clean_buyers_by_origin_fill_every_group_and_share_no_identifier(
    dataset: Dataset,
) -> None:
    buyers, truths = clean_buyers_by_origin(dataset.spec, 40)
    assert Counter(t.origin for t in truths) == dict.fromkeys(NameOrigin, 40)
    assert {t.kind for t in truths} == {BuyerKind.CLEAN}
    assert not any(t.has_records for t in truths)
    assert not {t.person_id for t in truths} & {p.person_id for p in dataset.people}
    assert not {b.buyer_id for b in buyers} & {b.buyer_id for b in dataset.buyers}
    given = [b.transfer.buyer for b in buyers]
    on_file = [p.identity for p in dataset.people]
    for field in ("ssn", "id_document"):
        theirs = {getattr(i, field) for i in given} - {None}
        assert theirs, field  # some buyers write it down
        assert not theirs & {getattr(i, field) for i in on_file}, field
    again, _ = clean_buyers_by_origin(dataset.spec, 40)
    assert again == buyers


@pytest.mark.parametrize("per_origin", [-1, MAX_PER_ORIGIN + 1])
def test_impossible_group_sizes_are_refused(dataset: Dataset, per_origin: int) -> None:
    with pytest.raises(ValueError, match="per_origin"):
        clean_buyers_by_origin(dataset.spec, per_origin)
