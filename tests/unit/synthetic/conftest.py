"""One mid-sized data set shared by the tests that only read it (generating it takes ~2 s)."""

from __future__ import annotations

from datetime import date

import pytest

from transfercheck.synthetic import Dataset, generate_dataset

REFERENCE_DATE = date(2025, 6, 1)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """20,000 records (two batches) and 4,000 buyers."""
    return generate_dataset(
        seed=11, n_records=20_000, n_buyers=4_000, reference_date=REFERENCE_DATE
    )
