"""Bulk import of a records file: time and peak memory (memory must not grow with the file).

    .venv/bin/python bench/import_records.py [--records 1000000] [--keep DIR]

Writes a synthetic records file with the project's generator (in a child process, so its
memory does not count), then imports it into a fresh SQLite database through the same
service the CLI and the agency upload use, and prints rows per second and the peak resident
memory of this process before and after the import.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from transfercheck.adapters.db.engine import make_engine
from transfercheck.adapters.db.migrate import migrate
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.adapters.record_files import read_rows
from transfercheck.services.records import import_records


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "transfercheck.entrypoints.cli",
                "generate",
                "--out",
                str(out),
                "--records",
                str(args.records),
                "--buyers",
                "0",
                "--reference-date",
                "2026-11-24",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        file = out / "records.jsonl"
        print(
            f"wrote {args.records:,} rows ({file.stat().st_size / 2**20:,.0f} MiB) "
            f"in {time.perf_counter() - started:.0f} s"
        )
        engine = make_engine(f"sqlite:///{out / 'import.db'}")
        migrate(engine)
        before = peak_mib()
        started = time.perf_counter()
        report = import_records(read_rows(file), lambda: SqlUnitOfWork(engine), datetime.now(UTC))
        seconds = time.perf_counter() - started
        engine.dispose()
    print(
        f"imported {report.imported:,} rows in {seconds:.0f} s "
        f"({report.imported / seconds:,.0f} rows/s); applied={report.applied}"
    )
    print(f"peak resident memory: {before:,.0f} MiB before the import, {peak_mib():,.0f} MiB after")


if __name__ == "__main__":
    main()
