"""The instant check end to end on synthetic data: accuracy against ground truth, and speed.

    .venv/bin/python bench/instant_check.py [--records 100000] [--buyers 5000] [--seed 7]

Generates a data set with the project's generator, loads its records into a real SQLite
database and the in-memory index, then runs every buyer through the same service the API
calls (`services.intake.submit_check`) and compares each determination with the truth:

- a buyer *should be stopped* when one of the buyer's own records prohibits or lacks its
  disposition on the check date (as the rules engine reads it);
- a *clean* buyer has no such record and is old enough for the firearm.

It prints, overall and per name-origin group: how many buyers who should be stopped were
(DELAYED or DENIED), how many clean buyers were delayed or denied, and the latency of whole
checks (matching, rules, storage) in-process. No figure here is asserted by a test.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path

from transfercheck.bootstrap import Application, bootstrap
from transfercheck.config import Settings
from transfercheck.domain.accounts import Dealer
from transfercheck.domain.checks import CheckRequest
from transfercheck.domain.determinations import CheckStatus, ReasonCode, RecordEffect
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.services import accounts
from transfercheck.services.intake import submit_check
from transfercheck.synthetic import Buyer, BuyerTruth, Dataset, generate_dataset

REFERENCE_DATE = date(2026, 11, 24)


@dataclass(frozen=True)
class Outcome:
    truth: BuyerTruth
    should_stop: bool
    underage: bool
    status: CheckStatus
    reasons: tuple[ReasonCode, ...]
    seconds: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--buyers", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    dataset = generate_dataset(args.seed, args.records, args.buyers, REFERENCE_DATE)
    print(
        f"generated {args.records:,} records, {args.buyers:,} buyers "
        f"in {time.perf_counter() - started:.1f} s"
    )
    with tempfile.TemporaryDirectory() as directory:
        application = _load(dataset, Path(directory))
        outcomes = _run_buyers(dataset, application)
        application.close()
    _report(outcomes)


def _load(dataset: Dataset, directory: Path) -> Application:
    settings = Settings(
        database_url=f"sqlite:///{directory / 'bench.db'}",
        data_dir=directory,
        environment="test",
    )
    now = datetime.combine(REFERENCE_DATE, clock_time(15), tzinfo=UTC)
    application = bootstrap(settings, clock=lambda: now)
    records = dataset.records
    started = time.perf_counter()
    with application.unit_of_work() as uow:
        uow.records.add_many(records, now)
        uow.commit()
    stored = time.perf_counter()
    application.index_records(list(records))
    indexed = time.perf_counter()
    print(
        f"stored in {stored - started:.1f} s, indexed in {indexed - stored:.1f} s "
        f"({len(records) / (indexed - stored):,.0f} records/s)"
    )
    accounts.create_dealer(
        Dealer("D-BENCH", "Bench dealer", "9-99-999-01-1Z-99999"), application.unit_of_work, now
    )
    return application


def _run_buyers(dataset: Dataset, application: Application) -> list[Outcome]:
    person_of = {t.agency_record_id: t.person_id for t in dataset.record_truth}
    records_of: dict[str, list[ProhibitingRecord]] = defaultdict(list)
    for record in dataset.records:
        records_of[person_of[record.agency_record_id]].append(record)
    truth_of = {t.buyer_id: t for t in dataset.buyer_truth}
    now = application.clock()
    today = application.today(now)
    outcomes = []
    for buyer in dataset.buyers:
        truth = truth_of[buyer.buyer_id]
        should_stop, underage = _expected(buyer, records_of[truth.person_id], application, today)
        request = CheckRequest("D-BENCH", buyer.transfer, f"bench-{buyer.buyer_id}")
        started = time.perf_counter()
        check = submit_check(
            request, application.checking, application.unit_of_work, now, today
        ).check
        seconds = time.perf_counter() - started
        outcomes.append(
            Outcome(
                truth,
                should_stop,
                underage,
                check.determination.status,
                check.determination.reasons,
                seconds,
            )
        )
    return outcomes


def _expected(
    buyer: Buyer, own_records: list[ProhibitingRecord], application: Application, today: date
) -> tuple[bool, bool]:
    transfer = buyer.transfer
    rules = application.checking.rule_book.for_jurisdiction(transfer.jurisdiction)
    effects = {rules.assess(r, today, transfer.jurisdiction).effect for r in own_records}
    age = rules.assess_age(
        transfer.buyer.date_of_birth, today, transfer.firearm_category, transfer.transfer_type
    )
    return bool(effects - {RecordEffect.NONE}), age.underage


def _report(outcomes: list[Outcome]) -> None:
    stop = [o for o in outcomes if o.should_stop]
    clean = [o for o in outcomes if not o.should_stop and not o.underage]
    stopped = [o for o in stop if o.status is not CheckStatus.PROCEED]
    print(f"\nbuyers: {len(outcomes):,}  should be stopped: {len(stop):,}  clean: {len(clean):,}")
    print(f"should-stop buyers DELAYED or DENIED (recall): {_share(len(stopped), len(stop))}")
    denied_by_record = [o for o in outcomes if ReasonCode.PROHIBITING_RECORD in o.reasons]
    right = [o for o in denied_by_record if o.should_stop]
    print(
        "record denials that were right (precision):    "
        f"{_share(len(right), len(denied_by_record))}"
    )
    print(
        f"clean buyers DELAYED (false delays):           "
        f"{_share(sum(o.status is CheckStatus.DELAYED for o in clean), len(clean))}"
    )
    print(
        f"clean buyers DENIED (must be 0):               "
        f"{sum(o.status is CheckStatus.DENIED for o in clean)}"
    )
    immediate = sum(o.status is not CheckStatus.DELAYED for o in outcomes)
    print(f"immediate determinations (PROCEED or DENIED):  {_share(immediate, len(outcomes))}")
    print(
        "outcomes by buyer kind:",
        dict(sorted(Counter((o.truth.kind.value, o.status.value) for o in outcomes).items())),
    )

    print("\nper name-origin group:   clean n  false-delay   stop n   missed")
    for origin in sorted({o.truth.origin.value for o in outcomes}):
        group_clean = [o for o in clean if o.truth.origin.value == origin]
        group_stop = [o for o in stop if o.truth.origin.value == origin]
        delays = sum(o.status is CheckStatus.DELAYED for o in group_clean)
        missed = sum(o.status is CheckStatus.PROCEED for o in group_stop)
        print(
            f"  {origin:<14} {len(group_clean):>8}  {_share(delays, len(group_clean)):>11}"
            f" {len(group_stop):>8}  {_share(missed, len(group_stop)):>7}"
        )

    latencies = sorted(o.seconds * 1000 for o in outcomes)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"\nwhole check in-process (match + rules + SQLite commit): median "
        f"{statistics.median(latencies):.2f} ms, p99 {p99:.2f} ms, "
        f"{len(latencies) / sum(latencies) * 1000:,.0f} checks/s sequential"
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:6.2%} ({part}/{whole})" if whole else "n/a"


if __name__ == "__main__":
    main()
