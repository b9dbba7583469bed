"""Written files: deterministic bytes, the interchange fields, readable by the project."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from transfercheck.adapters.interchange import RECORD_FIELDS, identity_to_api
from transfercheck.adapters.record_files import read_rows
from transfercheck.synthetic import (
    BuyerKind,
    Dataset,
    generate_dataset,
    stream_dataset,
    write_dataset,
)
from transfercheck.synthetic import dataset as dataset_module

from .conftest import REFERENCE_DATE

_FILES = ("records.jsonl", "buyers.jsonl", "truth.jsonl", "record_truth.jsonl", "manifest.json")


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(tmp_path: Path, name: str, seed: int) -> Path:
    out = tmp_path / name
    write_dataset(stream_dataset(seed, 1_500, 300, REFERENCE_DATE), out, with_csv=True)
    return out


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first, again, other = (_write(tmp_path, n, s) for n, s in (("a", 3), ("b", 3), ("c", 4)))
    for name in (*_FILES, "records.csv"):
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    for name in ("records.jsonl", "buyers.jsonl", "truth.jsonl"):
        assert (first / name).read_bytes() != (other / name).read_bytes(), name


def test_a_stream_writes_what_the_in_memory_data_set_writes(tmp_path: Path) -> None:
    write_dataset(generate_dataset(3, 1_500, 300, REFERENCE_DATE), tmp_path / "m", with_csv=True)
    streamed = _write(tmp_path, "s", 3)
    for name in (*_FILES, "records.csv"):
        assert (tmp_path / "m" / name).read_bytes() == (streamed / name).read_bytes(), name


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate_dataset(seed=11, n_records=3_000, n_buyers=600, reference_date=REFERENCE_DATE)


@pytest.fixture(scope="module")
def written(small: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("written")
    write_dataset(small, out, with_csv=True)
    return out


def test_records_have_exactly_the_interchange_fields(written: Path, small: Dataset) -> None:
    rows = _lines(written / "records.jsonl")
    assert len(rows) == len(small.records)
    assert all(tuple(row) == RECORD_FIELDS for row in rows)
    with (written / "records.csv").open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert tuple(table[0]) == RECORD_FIELDS
    assert len(table) == len(rows) + 1


@pytest.mark.parametrize("name", ["records.jsonl", "records.csv"])
def test_the_project_reads_every_record_without_a_problem(written: Path, name: str) -> None:
    problems = [p for row in read_rows(written / name) for p in row.problems]
    assert problems == []


def test_buyers_are_check_requests(written: Path, small: Dataset) -> None:
    rows = _lines(written / "buyers.jsonl")
    api_fields = set(identity_to_api(small.buyers[0].transfer.buyer))
    assert len(rows) == len(small.buyers)
    for row in rows:
        assert set(row) == {
            "buyer_id",
            "buyer",
            "firearm_category",
            "transfer_type",
            "jurisdiction",
        }
        assert set(row["buyer"]) == api_fields


def test_truth_files_cover_every_buyer_and_record(written: Path) -> None:
    buyer_ids = [row["buyer_id"] for row in _lines(written / "buyers.jsonl")]
    truth = _lines(written / "truth.jsonl")
    assert [row["buyer_id"] for row in truth] == buyer_ids
    assert {row["kind"] for row in truth} == {k.value for k in BuyerKind}
    record_ids = [row["agency_record_id"] for row in _lines(written / "records.jsonl")]
    owners = _lines(written / "record_truth.jsonl")
    assert [row["agency_record_id"] for row in owners] == record_ids
    by_record = {row["agency_record_id"]: row["person_id"] for row in owners}
    for row in truth:
        assert row["has_records"] == bool(row["agency_record_ids"])
        assert all(by_record[r] == row["person_id"] for r in row["agency_record_ids"])


def test_manifest_counts_what_was_written(written: Path, small: Dataset) -> None:
    manifest = json.loads((written / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 11
    assert manifest["reference_date"] == REFERENCE_DATE.isoformat()
    assert manifest["counts"]["records"] == len(_lines(written / "records.jsonl"))
    assert manifest["counts"]["buyers"] == len(_lines(written / "buyers.jsonl"))
    assert manifest["counts"]["people"] == len(small.people)
    assert sum(manifest["categories"].values()) == len(small.records)
    assert all((written / name).exists() for name in manifest["files"])


def test_progress_reports_records_written_so_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dataset_module, "BATCH_RECORDS", 100)
    seen: list[int] = []
    write_dataset(stream_dataset(1, 250, 30, REFERENCE_DATE), tmp_path, progress=seen.append)
    assert seen == [100, 200, 250]
    assert len(_lines(tmp_path / "buyers.jsonl")) == 30
