"""Writing a data set to a folder, batch by batch, in the project's interchange formats.

Files (UTF-8, one JSON object per line unless noted):

- records.jsonl: one `record_to_row(record)` per line, the format `record_files` reads;
- records.csv: the same rows as CSV (only when asked for), aliases joined by ";";
- buyers.jsonl: {"buyer_id", "buyer": identity_to_api(identity), "firearm_category",
  "transfer_type", "jurisdiction"}, i.e. a `POST /v1/checks` body plus its id;
- truth.jsonl: per buyer, who they really are and what was garbled (see BuyerTruth);
- record_truth.jsonl: per record, {"agency_record_id", "source_agency", "person_id",
  "variations"};
- manifest.json, written last, so a folder without one is an interrupted write.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import faker
import nicknames

from transfercheck.adapters.interchange import RECORD_FIELDS, identity_to_api, record_to_row
from transfercheck.synthetic.buyers import Buyer, BuyerTruth
from transfercheck.synthetic.dataset import Batch, Dataset, DatasetStream
from transfercheck.synthetic.records import RecordTruth

# Bump whenever the same seed starts giving different data. The name lists come from
# Faker and the nicknames package, so the manifest records their versions too.
GENERATOR_VERSION = "2"

Progress = Callable[[int], None]  # called with the number of records written so far

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_JSONL = ("records.jsonl", "buyers.jsonl", "truth.jsonl", "record_truth.jsonl")


def write_dataset(
    source: Dataset | DatasetStream,
    out_dir: Path,
    *,
    with_csv: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write every file into `out_dir` (created if missing) and return the manifest.

    `progress`, if given, is called after each batch with the total number of records
    written so far (not a delta), ending at the data set's record count.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "manifest.json").unlink(missing_ok=True)  # until this write is complete
    names = (*_JSONL, "records.csv") if with_csv else _JSONL
    tally = _Tally()
    with ExitStack() as stack:
        files = {n: stack.enter_context(_open(out_dir / n)) for n in names}
        if with_csv:
            _csv_writer(files["records.csv"]).writerow(RECORD_FIELDS)
        for batch in source.batches():
            _write_batch(batch, files)
            tally.add(batch)
            if progress:
                progress(tally.counts["records"])
    manifest = _manifest(source, names, tally)
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


@dataclass
class _Tally:
    counts: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)

    def add(self, batch: Batch) -> None:
        self.counts.update(
            records=len(batch.records),
            buyers=len(batch.buyers),
            people=len(batch.people),
            people_with_records=len({t.person_id for t in batch.record_truth}),
        )
        self.kinds.update(t.kind.value for t in batch.buyer_truth)
        self.categories.update(r.category.value for r in batch.records)


def _open(path: Path) -> IO[str]:
    return path.open("w", encoding="utf-8", newline="")


def _csv_writer(handle: IO[str]) -> Any:
    return csv.writer(handle, lineterminator="\n")


def _write_batch(batch: Batch, files: dict[str, IO[str]]) -> None:
    rows = [record_to_row(r) for r in batch.records]
    files["records.jsonl"].writelines(_dumps(row) + "\n" for row in rows)
    files["buyers.jsonl"].writelines(_dumps(buyer_row(b)) + "\n" for b in batch.buyers)
    files["truth.jsonl"].writelines(_dumps(truth_row(t)) + "\n" for t in batch.buyer_truth)
    files["record_truth.jsonl"].writelines(
        _dumps(record_truth_row(t)) + "\n" for t in batch.record_truth
    )
    if "records.csv" in files:
        table = _csv_writer(files["records.csv"])
        table.writerows([_csv_value(row[f]) for f in RECORD_FIELDS] for row in rows)


def buyer_row(buyer: Buyer) -> dict[str, Any]:
    transfer = buyer.transfer
    return {
        "buyer_id": buyer.buyer_id,
        "buyer": identity_to_api(transfer.buyer),
        "firearm_category": transfer.firearm_category.value,
        "transfer_type": transfer.transfer_type.value,
        "jurisdiction": transfer.jurisdiction,
    }


def truth_row(truth: BuyerTruth) -> dict[str, Any]:
    return {
        "buyer_id": truth.buyer_id,
        "kind": truth.kind.value,
        "person_id": truth.person_id,
        "origin": truth.origin.value,
        "corruptions": [c.value for c in truth.corruptions],
        "identifiers": list(truth.identifiers),
        "has_records": truth.has_records,
        "agency_record_ids": list(truth.agency_record_ids),
        "lookalike_of": truth.lookalike_of,
    }


def record_truth_row(truth: RecordTruth) -> dict[str, Any]:
    return {
        "agency_record_id": truth.agency_record_id,
        "source_agency": truth.source_agency,
        "person_id": truth.person_id,
        "variations": [v.value for v in truth.variations],
    }


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _manifest(
    source: Dataset | DatasetStream, files: tuple[str, ...], tally: _Tally
) -> dict[str, Any]:
    spec = source.spec
    return {
        "generator": "transfercheck.synthetic",
        "generator_version": GENERATOR_VERSION,
        "faker_version": faker.VERSION,
        "nicknames_version": nicknames.__version__,
        "seed": spec.seed,
        "reference_date": spec.reference_date.isoformat(),
        "counts": {
            key: tally.counts[key] for key in ("records", "buyers", "people", "people_with_records")
        },
        "buyer_kinds": dict(sorted(tally.kinds.items())),
        "categories": dict(sorted(tally.categories.items())),
        "files": [*files, "manifest.json"],
    }
