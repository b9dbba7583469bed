"""Whole checks over HTTP at a steady rate: intake, matching, rules and storage, on loopback.

    .venv/bin/python bench/http_load.py [--records 1000000] [--rate 50] [--seconds 60]
                                        [--keep var/load]  # reuse data and snapshot

Generates a data set with the project's generator, stores its records in a fresh SQLite
file, creates a dealer with an API key, starts `transfercheck serve` on 127.0.0.1 (which
loads its index snapshot, or builds it from the database, as in production), then sends
the data set's buyers as `POST /v1/checks` at `--rate` requests per second for `--seconds`
seconds, each in its own task, so a slow answer does not slow the sender. The load is
bounded (rate x seconds requests, a deadline for the whole run), goes to 127.0.0.1 only,
and the server this script started is stopped at the end. It prints latency (median, p99,
max), statuses, and when the slowest 1% were sent.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from transfercheck.adapters.db.engine import make_engine
from transfercheck.adapters.db.migrate import migrate
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.accounts import Dealer
from transfercheck.domain.checks import Transfer
from transfercheck.services import accounts
from transfercheck.synthetic import stream_dataset

HOST = "127.0.0.1"  # loopback only, by design
REFERENCE_DATE = date(2026, 11, 24)
DEALER = Dealer("D-LOAD", "Load test dealer", "9-99-999-01-1L-00001")
READY_TIMEOUT = 3600.0  # building a million-record index from the database takes minutes
WARM_UP_SECONDS = 2.0  # the steady state is reported apart from the first seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", type=Path, help="a folder to keep the database and index snapshot in, and "
        "to reuse on the next run with the same --records and --seed (a server restart)",
    )  # fmt: skip
    args = parser.parse_args()
    count = int(args.rate * args.seconds)
    with tempfile.TemporaryDirectory() as name:
        directory = args.keep or Path(name)
        directory.mkdir(parents=True, exist_ok=True)
        database = f"sqlite:///{directory / 'load.db'}"
        started = time.perf_counter()
        key, bodies = _prepared(directory, database, args, count)
        print(f"{args.records:,} records ready in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        server = _start(database, directory, args.port)
        try:
            _wait_ready(args.port, server)
            print(f"server ready {time.perf_counter() - started:.0f} s after it was started")
            # The sender's own collector paused it 60 ms every few seconds (a full pass over
            # the prepared bodies), which showed as slow checks: measure the server only.
            gc.collect()
            gc.freeze()
            results = asyncio.run(_load(args.port, key, bodies, args.rate))
        finally:
            server.terminate()
            server.wait(timeout=30)
    _report(results, args.rate, load_average=_load_average())


def _prepared(
    directory: Path, database: str, args: argparse.Namespace, count: int
) -> tuple[str, list[dict[str, Any]]]:
    """The stored data set, from an earlier run kept in `directory` if it matches."""
    marker = directory / "prepared.json"
    wanted = {"records": args.records, "seed": args.seed}
    if marker.exists():
        kept = json.loads(marker.read_text())
        if kept["data_set"] == wanted and len(kept["bodies"]) >= count:
            return kept["key"], kept["bodies"][:count]
        raise SystemExit(f"{directory} holds another data set; use an empty folder")
    key, bodies = _prepare(database, args.records, count, args.seed)
    marker.write_text(json.dumps({"data_set": wanted, "key": key, "bodies": bodies}))
    return key, bodies


def _prepare(
    database: str, records: int, count: int, seed: int
) -> tuple[str, list[dict[str, Any]]]:
    engine = make_engine(database)
    migrate(engine)
    now = datetime.now(UTC)
    bodies: list[dict[str, Any]] = []
    for batch in stream_dataset(seed, records, count, REFERENCE_DATE).batches():
        with SqlUnitOfWork(engine) as uow:
            uow.records.add_many(list(batch.records), now)
            uow.commit()
        bodies.extend(_body(b.transfer) for b in batch.buyers)
    accounts.create_dealer(DEALER, lambda: SqlUnitOfWork(engine), now)
    key = accounts.issue_api_key(DEALER.dealer_id, lambda: SqlUnitOfWork(engine), now)
    engine.dispose()
    return key, bodies[:count]


def _body(transfer: Transfer) -> dict[str, Any]:
    buyer = transfer.buyer
    document = buyer.id_document
    return {
        "buyer": {
            "given_name": buyer.name.given,
            "middle_name": buyer.name.middle,
            "family_name": buyer.name.family,
            "date_of_birth": buyer.date_of_birth.isoformat(),
            "sex": buyer.sex.value,
            "state_of_residence": buyer.state_of_residence,
            "ssn": buyer.ssn,
            "id_document": (
                {"type": document.type.value, "number": document.number, "issuer": document.issuer}
                if document
                else None
            ),
        },
        "firearm_category": transfer.firearm_category.value,
        "transfer_type": transfer.transfer_type.value,
        "jurisdiction": transfer.jurisdiction,
    }


def _start(database: str, directory: Path, port: int) -> subprocess.Popen[bytes]:
    environment = dict(os.environ, TC_DATABASE_URL=database, TC_DATA_DIR=str(directory),
                       TC_ENVIRONMENT="test")  # fmt: skip
    command = [str(Path(sys.executable).with_name("transfercheck")), "serve",
               "--host", HOST, "--port", str(port)]  # fmt: skip
    return subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=sys.stderr)


def _wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before it was ready")
        try:
            if httpx.get(f"http://{HOST}:{port}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(2)
    raise SystemExit("the server was not ready in time")


async def _load(
    port: int, key: str, bodies: list[dict[str, Any]], rate: float
) -> list[tuple[float, int, float]]:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", headers=headers,
                                 limits=limits, timeout=30) as client:  # fmt: skip
        started = time.perf_counter()
        run = secrets.token_hex(4)  # fresh idempotency keys: a kept database is not replayed
        tasks = []
        for i, body in enumerate(bodies):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_send(client, body, f"load-{run}-{i}")))
        return await asyncio.gather(*tasks)


async def _send(
    client: httpx.AsyncClient, body: dict[str, Any], key: str
) -> tuple[float, int, float]:
    started = time.perf_counter()
    try:
        response = await client.post("/v1/checks", json=body, headers={"Idempotency-Key": key})
        status = response.status_code
    except httpx.HTTPError:
        status = 0
    return time.perf_counter() - started, status, started


def _report(results: list[tuple[float, int, float]], rate: float, load_average: str) -> None:
    latencies = sorted(seconds * 1000 for seconds, status, _ in results if status in (200, 201))
    statuses = Counter(status for _, status, _ in results)
    print(f"requests: {len(results):,} at {rate:g}/s; statuses: {dict(sorted(statuses.items()))}")
    if latencies:
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"whole check over HTTP: median {statistics.median(latencies):.1f} ms, "
              f"p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms")  # fmt: skip
        # When the slowest answers were asked for: a burst at the start is warm-up, spread
        # out is the steady state.
        first = min(sent for _, _, sent in results)
        slowest = sorted(results, reverse=True)[: max(1, len(results) // 100)]
        seconds_in = sorted(round(sent - first, 1) for _, _, sent in slowest)
        print(f"the slowest 1% were sent at (seconds into the run): {seconds_in}")
        steady = sorted(
            seconds * 1000
            for seconds, status, sent in results
            if status in (200, 201) and sent - first >= WARM_UP_SECONDS
        )
        if steady:
            p99_steady = steady[min(len(steady) - 1, int(len(steady) * 0.99))]
            print(f"after the first {WARM_UP_SECONDS:g} s: median {statistics.median(steady):.1f}"
                  f" ms, p99 {p99_steady:.1f} ms")  # fmt: skip
    print(f"load average at the end: {load_average}")


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
