"""Importing records files: every bad row reported, all-or-nothing by default, idempotent."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.builders import identity, record
from transfercheck.adapters.interchange import RECORD_FIELDS, record_to_row
from transfercheck.adapters.record_files import read_rows
from transfercheck.bootstrap import Application
from transfercheck.services.records import import_records


def good_rows(n: int) -> list[dict[str, Any]]:
    return [
        record_to_row(record(identity("Jon", f"Doe{chr(97 + i)}", date(1970, 1, 1 + i))))
        for i in range(n)
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=RECORD_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return path


def mixed_rows() -> list[dict[str, Any]]:
    rows = good_rows(4)
    rows[1]["date_of_birth"] = "1970-02-30"
    rows[2]["category"] = "922x"
    rows[3]["name"] = "no comma here"
    return rows


@pytest.mark.parametrize("writer", [write_jsonl, write_csv], ids=["jsonl", "csv"])
def test_file_with_bad_rows_imports_nothing_and_reports_each(
    application: Application, tmp_path: Path, writer: Any
) -> None:
    suffix = ".jsonl" if writer is write_jsonl else ".csv"
    path = writer(tmp_path / f"records{suffix}", mixed_rows())
    report = import_records(read_rows(path), application.unit_of_work, application.clock())
    first_data_line = 1 if suffix == ".jsonl" else 2
    assert not report.applied
    assert report.imported == 0
    assert [str(p) for p in report.problems] == [
        f"line {first_data_line + 1}, field date_of_birth: "
        "Input should be a valid date or datetime, day value is outside expected range",
        f"line {first_data_line + 2}, field category: "
        "Input should be '922g1', '922g2', '922g3', '922g4', '922g5', '922g6', '922g7', "
        "'922g8', '922g9' or '922n'",
        f"line {first_data_line + 3}, field name: must be written 'FAMILY, GIVEN MIDDLE'",
    ]
    with application.unit_of_work() as uow:
        assert uow.records.count() == 0


def test_skip_imports_only_the_good_rows(application: Application, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", mixed_rows())
    report = import_records(
        read_rows(path), application.unit_of_work, application.clock(), skip_bad_rows=True
    )
    assert (report.imported, report.rejected_rows) == (1, 3)
    with application.unit_of_work() as uow:
        assert uow.records.count() == 1


def test_importing_the_same_file_twice_changes_nothing(
    application: Application, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", good_rows(5))
    first = import_records(read_rows(path), application.unit_of_work, application.clock())
    second = import_records(read_rows(path), application.unit_of_work, application.clock())
    assert (first.imported, second.imported, second.already_on_file) == (5, 0, 5)
    with application.unit_of_work() as uow:
        assert uow.records.count() == 5


def test_duplicate_agency_id_in_one_file_is_a_bad_row(
    application: Application, tmp_path: Path
) -> None:
    rows = good_rows(2)
    rows[1]["agency_record_id"] = rows[0]["agency_record_id"]
    path = write_jsonl(tmp_path / "r.jsonl", rows)
    report = import_records(read_rows(path), application.unit_of_work, application.clock())
    assert report.rejected_rows == 1
    assert not report.applied
    assert "appears twice" in str(report.problems[0])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param("not json", "not valid JSON", id="not JSON"),
        pytest.param("[1, 2]", "must be a JSON object", id="array"),
    ],
)
def test_unparsable_lines_are_reported(
    application: Application, tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(good_rows(1)[0]) + "\n" + line + "\n")
    report = import_records(read_rows(path), application.unit_of_work, application.clock())
    assert report.problems[0].location == "line 2"
    assert message in report.problems[0].message


def test_unknown_column_is_named(application: Application, tmp_path: Path) -> None:
    row = {**good_rows(1)[0], "favourite_colour": "blue"}
    report = import_records(
        read_rows(write_jsonl(tmp_path / "r.jsonl", [row])),
        application.unit_of_work,
        application.clock(),
    )
    assert str(report.problems[0]).startswith("line 1, field favourite_colour: unknown field")
