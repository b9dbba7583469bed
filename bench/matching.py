"""The matcher at scale: build, snapshot, latency, throughput, accuracy on the hard mix.

    .venv/bin/python bench/matching.py [--sizes 100000,1000000] [--ten-million]
        [--buyers 20000] [--seed 7] [--timed 2000]

For each size, the project's generator streams a data set (records and the hard mix of
buyers: prohibited people with realistic form errors, clean buyers, twins, fathers and
sons, similar names; every name-origin group) into a fresh index with `add_many`. The
script then saves a snapshot and loads it back memory-mapped, and runs every buyer through
the loaded index: one check at a time for latency (the first `--timed` buyers), in batches
of 1,000 for throughput, and all of them for accuracy against the generator's truth
(see `matching_metrics`). Generation time is not counted in the build time.

Splink 5 on DuckDB and the FEBRL4 data set are not part of this script yet; see
docs/performance.md for what is measured and what is not.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from matching_metrics import BINS, Accuracy, BuyerFacts, Pair, judge

from transfercheck.domain.identities import Identity
from transfercheck.matching import (
    IdentityIndex,
    Matcher,
    load_default_model,
    load_snapshot,
    save_snapshot,
)
from transfercheck.matching.model import probabilities
from transfercheck.matching.query import build_query
from transfercheck.synthetic import stream_dataset

REFERENCE_DATE = date(2026, 11, 24)
BATCH = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--ten-million", action="store_true", help="add a 10,000,000 index")
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timed", type=int, default=2000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([10_000_000] if args.ten_million else [])
    print(f"load average at start: {_load()}")
    for size in sizes:
        run(size, args)


def run(size: int, args: argparse.Namespace) -> None:
    print(f"\n=== {size:,} records, {args.buyers:,} buyers (seed {args.seed}) ===")
    index, buyers, facts, build = _build(size, args)
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        save_snapshot(index, Path(directory) / "index")
        saved = time.perf_counter() - started
        del index
        started = time.perf_counter()
        loaded = load_snapshot(Path(directory) / "index")
        reload = time.perf_counter() - started
        _report_build(loaded, size, build, saved, reload)
        matcher = Matcher(load_default_model(), loaded)
        _speed(matcher, buyers, args.timed)
        accuracy = judge(facts, _pairs(matcher, buyers))
        _report_accuracy(accuracy)
    print(f"load average at end: {_load()}")


def _build(
    size: int, args: argparse.Namespace
) -> tuple[IdentityIndex, list[tuple[str, Identity]], list[BuyerFacts], float]:
    index = IdentityIndex()
    building = 0.0
    buyers: list[tuple[str, Identity]] = []
    facts: list[BuyerFacts] = []
    for batch in stream_dataset(args.seed, size, args.buyers, REFERENCE_DATE).batches():
        started = time.perf_counter()
        index.add_many((r.record_id, r.subject) for r in batch.records)
        building += time.perf_counter() - started
        record_of = {r.agency_record_id: r.record_id for r in batch.records}
        for buyer, truth in zip(batch.buyers, batch.buyer_truth, strict=True):
            buyers.append((buyer.buyer_id, buyer.transfer.buyer))
            own = frozenset(record_of[a] for a in truth.agency_record_ids if a in record_of)
            facts.append(BuyerFacts(buyer.buyer_id, truth.kind.value, truth.origin.value, own))
    return index, buyers, facts, building


def _report_build(
    index: IdentityIndex, size: int, build: float, saved: float, reload: float
) -> None:
    memory = index.memory()
    total = sum(memory.values())
    parts = ", ".join(f"{k} {v / size:.0f}" for k, v in memory.items())
    print(f"build (normalise + index, generation excluded): {build:.1f} s "
          f"({size / build:,.0f} records/s)")  # fmt: skip
    print(f"snapshot save {saved:.1f} s, load {reload:.2f} s (memory-mapped)")
    print(f"index memory: {total / size:.0f} bytes/record ({parts})")
    print(f"process peak RSS so far: {_max_rss_mb():,.0f} MB (generator objects included)")


def _speed(matcher: Matcher, buyers: list[tuple[str, Identity]], timed: int) -> None:
    identities = [b for _, b in buyers]
    for buyer in identities[:200]:  # warm the caches as a running service has them
        matcher.search(buyer, 0.1)
    latencies = []
    for buyer in identities[:timed]:
        started = time.perf_counter()
        matcher.search(buyer, 0.1)
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"one check: median {statistics.median(latencies) * 1e3:.2f} ms, "
          f"p99 {p99 * 1e3:.2f} ms ({len(latencies):,} checks, one at a time)")  # fmt: skip
    started = time.perf_counter()
    for at in range(0, len(identities), BATCH):
        matcher.search_many(identities[at : at + BATCH], 0.1)
    seconds = time.perf_counter() - started
    print(f"batch throughput: {len(identities) / seconds:,.0f} checks/s "
          f"(batches of {BATCH:,}, one process)")  # fmt: skip


def _pairs(matcher: Matcher, buyers: list[tuple[str, Identity]]) -> list[Pair]:
    pairs = []
    for at in range(0, len(buyers), BATCH):
        chunk = buyers[at : at + BATCH]
        scores, _ = matcher.score_queries([build_query(b) for _, b in chunk])
        chance = probabilities(scores.total)
        ids = matcher.index.record_ids(scores.rows)
        model = matcher.model
        agree = [model.identifier_agrees(tuple(int(g) for g in row)) for row in scores.gamma]
        keep = np.flatnonzero(chance >= BINS[1])
        for i in keep.tolist():
            buyer_id = chunk[int(scores.query[i])][0]
            pairs.append(Pair(buyer_id, ids[i], float(chance[i]), agree[i]))
    return pairs


def _report_accuracy(accuracy: Accuracy) -> None:
    row = accuracy.row()
    print(f"prohibited buyers DELAYED or DENIED (recall at the delay threshold): "
          f"{row['recall']:.2%} of {accuracy.stop:,}")  # fmt: skip
    print(f"  ... with one of their own records at p >= 0.1: {row['matched']:.2%}")
    print(f"record denials that were right (precision at the deny threshold): "
          f"{row['deny_precision']:.2%} of {accuracy.denials:,}")  # fmt: skip
    print(f"clean buyers DELAYED: {row['false_delay']:.2%} of {accuracy.clean:,}; "
          f"DENIED: {accuracy.clean_denied}")  # fmt: skip
    print(f"look-alikes (twins, fathers and sons, similar names) DELAYED: "
          f"{row['lookalike_delay']:.2%} of {accuracy.lookalikes:,}; DENIED: "
          f"{accuracy.lookalikes_denied}")  # fmt: skip
    print(f"immediate determinations (PROCEED or DENIED): {row['immediate']:.2%}")
    print("per name-origin group:    clean   false delay    stop    missed")
    for origin, counts in sorted(accuracy.by_origin.items()):
        delays = _share(counts["false_delay"], counts["clean"])
        missed = _share(counts["missed"], counts["stop"])
        print(f"  {origin:<14} {counts['clean']:>8} {delays:>12} {counts['stop']:>7} {missed:>9}")
    print("reliability (candidate pairs at p >= 0.001): predicted range, pairs, share true")
    for b, (count, true) in enumerate(accuracy.reliability):
        if count:
            print(
                f"  [{BINS[b]:.3f}, {min(BINS[b + 1], 1.0):.3f}) {count:>8,} {true / count:>9.3f}"
            )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2%}" if whole else "n/a"


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
