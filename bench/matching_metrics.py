"""Accuracy figures of a matcher on the generator's truth (shared by both engines).

A buyer's determination is read from the candidates alone, as the service reads them,
taking every record as prohibiting (the rules engine is not what is measured here):
DENIED when a candidate has p >= 0.999 and an agreeing identifier, DELAYED when a
candidate has p >= 0.1, PROCEED otherwise.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

DELAY, DENY = 0.1, 0.999
SAMPLE = "clean-added"  # clean buyers added per group: in the group figures only
BINS = (0.0, 0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0000001)


@dataclass(frozen=True)
class Pair:
    buyer_id: str
    record_id: str
    probability: float
    identifier_agrees: bool


@dataclass(frozen=True)
class BuyerFacts:
    buyer_id: str
    kind: str  # clean, prohibited, lookalike-*
    origin: str
    own_records: frozenset[str]  # the index's records of this very person


@dataclass
class Accuracy:
    stop: int = 0  # prohibited buyers (their records are in the index)
    stopped: int = 0  # ... DELAYED or DENIED
    found: int = 0  # ... with an own record at p >= DELAY
    clean: int = 0
    clean_delayed: int = 0
    clean_denied: int = 0
    lookalikes: int = 0
    lookalikes_delayed: int = 0
    lookalikes_denied: int = 0
    sample_denied: int = 0  # added clean buyers DENIED
    denials: int = 0
    right_denials: int = 0
    immediate: int = 0
    buyers: int = 0
    by_origin: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    reliability: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in BINS[1:]])

    def row(self) -> dict[str, float]:
        return {
            "recall": _rate(self.stopped, self.stop),
            "matched": _rate(self.found, self.stop),
            "deny_precision": _rate(self.right_denials, self.denials),
            "false_delay": _rate(self.clean_delayed, self.clean),
            "clean_denied": float(self.clean_denied),
            "lookalike_delay": _rate(self.lookalikes_delayed, self.lookalikes),
            "lookalike_denied": float(self.lookalikes_denied),
            "sample_denied": float(self.sample_denied),
            "immediate": _rate(self.immediate, self.buyers),
        }


def judge(facts: Iterable[BuyerFacts], pairs: Iterable[Pair]) -> Accuracy:
    """Determinations and their correctness for every buyer."""
    by_buyer: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_buyer[pair.buyer_id].append(pair)
    out = Accuracy()
    for buyer in facts:
        found = by_buyer.get(buyer.buyer_id, [])
        deny = [p for p in found if p.probability >= DENY and p.identifier_agrees]
        delay = any(p.probability >= DELAY for p in found)
        groups = out.by_origin[buyer.origin]
        if buyer.kind == SAMPLE:  # the added clean buyers: their group's figures only
            groups["sample"] += 1
            groups["sample_delayed"] += delay
            out.sample_denied += bool(deny)
            continue
        _reliability(out, buyer, found)
        out.buyers += 1
        out.immediate += bool(deny) or not delay
        out.denials += bool(deny)
        out.right_denials += bool(deny) and all(p.record_id in buyer.own_records for p in deny)
        if buyer.kind == "prohibited":
            out.stop += 1
            out.stopped += delay
            out.found += any(
                p.probability >= DELAY and p.record_id in buyer.own_records for p in found
            )
            groups["stop"] += 1
            groups["missed"] += not delay
        elif buyer.kind == "clean":
            out.clean += 1
            out.clean_delayed += delay and not deny
            out.clean_denied += bool(deny)
            groups["clean"] += 1
            groups["false_delay"] += delay
        else:
            out.lookalikes += 1
            out.lookalikes_delayed += delay and not deny
            out.lookalikes_denied += bool(deny)
    return out


def _reliability(out: Accuracy, buyer: BuyerFacts, found: list[Pair]) -> None:
    for pair in found:
        for b in range(len(BINS) - 1):
            if BINS[b] <= pair.probability < BINS[b + 1]:
                out.reliability[b][0] += 1
                out.reliability[b][1] += pair.record_id in buyer.own_records
                break


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")
