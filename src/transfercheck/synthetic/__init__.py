"""Synthetic people, prohibiting records and buyers with known ground truth.

Nothing here is real personal data: names come from Faker's lists, SSNs from the never-issued
900-999 areas, every other identifier from a seeded permutation. The same seed always gives
the same bytes (for the same Faker and nicknames versions, which the manifest records).

    dataset = generate_dataset(seed=1, n_records=100_000, n_buyers=10_000,
                               reference_date=date(2025, 1, 1))
    write_dataset(dataset, Path("out"))                 # or stream_dataset(...) for big sizes
"""

from transfercheck.synthetic.buyers import Buyer, BuyerKind, BuyerTruth
from transfercheck.synthetic.corruption import Corruption
from transfercheck.synthetic.dataset import (
    Batch,
    Dataset,
    DatasetSpec,
    DatasetStream,
    clean_buyers_by_origin,
    generate_dataset,
    stream_dataset,
)
from transfercheck.synthetic.names import NameOrigin
from transfercheck.synthetic.people import Person
from transfercheck.synthetic.records import RecordTruth
from transfercheck.synthetic.writer import GENERATOR_VERSION, Progress, write_dataset

__all__ = [
    "GENERATOR_VERSION",
    "Batch",
    "Buyer",
    "BuyerKind",
    "BuyerTruth",
    "Corruption",
    "Dataset",
    "DatasetSpec",
    "DatasetStream",
    "NameOrigin",
    "Person",
    "Progress",
    "RecordTruth",
    "clean_buyers_by_origin",
    "generate_dataset",
    "stream_dataset",
    "write_dataset",
]
