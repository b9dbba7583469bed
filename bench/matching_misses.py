"""Show the buyers the matcher got wrong in a kept benchmark run, with the evidence.

    python bench/matching.py --sizes 1000000 --no-splink --no-febrl --keep var/bench
    python bench/matching_misses.py var/bench/1000000 [--clean] [--origin chinese]

For each prohibited buyer who was not stopped (or, with --clean, each clean buyer who was
delayed), prints the buyer, their own records and the best-scoring candidate with every
field's level and weight: what to look at before changing a comparison or the model.
The index is the kept snapshot, the code is the current one (a snapshot of other matching
code is refused), and every person is the generator's synthetic data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from matching import _sample, _undump
from matching_metrics import DELAY, SAMPLE, BuyerFacts

from transfercheck.domain.identities import Identity
from transfercheck.matching import Matcher, load_default_model, load_snapshot
from transfercheck.matching.normalise import NormalisedIdentity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="a size's folder of a --keep run")
    parser.add_argument("--clean", action="store_true", help="clean buyers who were delayed "
                        "(of the mix and those added per group)")  # fmt: skip
    parser.add_argument("--origin", help="only this name-origin group")
    args = parser.parse_args()
    index = load_snapshot(args.directory / "index")
    matcher = Matcher(load_default_model(), index)
    buyers: dict[str, Identity] = dict(_undump(args.directory / "buyers.pickle"))
    buyers.update(_sample(args.directory))
    facts: list[BuyerFacts] = _undump(args.directory / "facts.pickle")
    shown = 0
    for fact in facts:
        if args.origin and fact.origin != args.origin:
            continue
        if fact.kind not in (("clean", SAMPLE) if args.clean else ("prohibited",)):
            continue
        search = matcher.search(buyers[fact.buyer_id], 0.0, limit=5)
        delayed = any(c.probability >= DELAY for c in search.candidates)
        if delayed != args.clean:
            continue
        shown += 1
        print(f"\n--- {fact.kind} buyer {fact.buyer_id} ({fact.origin})")
        print("buyer:  ", _describe(buyers[fact.buyer_id]))
        for record_id in sorted(fact.own_records):
            print("own:    ", _describe(index.identity(record_id)))
        for candidate in search.candidates[:3]:
            own = "own" if candidate.record_id in fact.own_records else "other"
            record = _describe(index.identity(candidate.record_id))
            print(f"  {own} p={candidate.probability:.4f} {record}")
            for evidence in candidate.evidence:
                print(f"      {evidence.field:<14} {evidence.level:<18} {evidence.weight:+6.2f}")
    print(f"\n{shown} buyers shown")


def _describe(identity: Identity | NormalisedIdentity) -> str:
    """A buyer as entered or a record as stored: names, date of birth, sex, SSN if any."""
    if isinstance(identity, Identity):
        names = identity.all_names
    else:
        names = tuple(name.shown for name in identity.names)
    ssn = f" ssn={identity.ssn}" if identity.ssn else ""
    text = "; ".join(str(name) for name in names)
    return f"{text} | {identity.date_of_birth} {identity.sex.value}{ssn}"


if __name__ == "__main__":
    main()
