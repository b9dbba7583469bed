"""Fitting the Fellegi-Sunter model on unlabelled data: u by random sampling, m by EM.

The recipe is the one the record-linkage literature and Splink use, on the index itself:

- u (how often two different people agree at a level by chance) is counted on random
  pairs of records: almost all random pairs are different people.
- m (how often one person's two records fall on a level) is estimated by expectation
  maximisation on the pairs that blocking brings together when each record of a sample is
  looked up in the index: a mixture of the same person filed by several agencies (with
  their variations) and of different people who share a key (relatives, namesakes). EM
  separates the two without labels, assuming the fields are independent given the class.
- the prior, the expected number of true matches per check, is estimated by EM on the
  candidate pairs of a sample of checks with m and u held fixed: the mean posterior
  probability of the candidates, summed per check. No label enters anywhere.

Gamma vectors come from `Matcher.score_queries`, so the levels are exactly those the
matcher uses, best name reading included.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from transfercheck.matching.blocking import BlockKind, key_kind, query_keys
from transfercheck.matching.comparisons import (
    COMPARISONS,
    DATE_OF_BIRTH,
    FAMILY_NAME,
    GIVEN_NAME,
    NO_EVIDENCE,
    PLACE_OF_BIRTH,
    DobLevel,
    FamilyLevel,
    GivenLevel,
)
from transfercheck.matching.matcher import Matcher
from transfercheck.matching.model import MatchModel, UnknownName
from transfercheck.matching.name_scoring import readings_known, relatives_pattern
from transfercheck.matching.query import Query, build_query
from transfercheck.matching.scoring import score_batch

Gammas = NDArray[np.int8]
_SMOOTHING = 0.5  # pseudo-count per level, so an unseen level keeps a small probability
_MIN_PROBABILITY = 1e-9
_BATCH = 2000


@dataclass(frozen=True)
class Fit:
    """m and u per field and level (in the order of COMPARISONS), and the pair prior."""

    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    prior: float  # of the pairs the fit ran on
    iterations: int
    pairs: int


def self_queries(matcher: Matcher, rows: Sequence[int]) -> list[Query]:
    """Queries made of stored records, to look the index up against itself."""
    table = matcher.index.table
    return [build_query(table.identity(int(row))) for row in rows]


def blocked_pairs(matcher: Matcher, sample: int, rng: random.Random) -> Gammas:
    """Gamma vectors of the pairs blocking finds for a sample of stored records (self
    pairs left out)."""
    live = np.flatnonzero(matcher.index.live.view())
    rows = sorted(rng.sample(live.tolist(), min(sample, len(live))))
    parts: list[Gammas] = []
    for start in range(0, len(rows), _BATCH):
        chunk = rows[start : start + _BATCH]
        scores, _ = matcher.score_queries(self_queries(matcher, chunk))
        own = np.asarray(chunk, np.int64)[scores.query]
        parts.append(scores.gamma[scores.rows != own])
    return np.concatenate(parts) if parts else np.zeros((0, len(COMPARISONS)), np.int8)


def random_pairs(matcher: Matcher, count: int, rng: random.Random, per_query: int = 100) -> Gammas:
    """Gamma vectors of about `count` random pairs of distinct stored records (each
    sampled record against `per_query` others, so a record is normalised once)."""
    live = np.flatnonzero(matcher.index.live.view())
    generator = np.random.default_rng(rng.getrandbits(64))
    left = generator.choice(live, max(1, count // per_query))
    parts: list[Gammas] = []
    for start in range(0, len(left), _BATCH // per_query + 1):
        chunk = left[start : start + _BATCH // per_query + 1]
        queries = self_queries(matcher, chunk.tolist())
        rows = []
        for own in chunk.tolist():
            others = generator.choice(live, per_query).astype(np.int32)
            rows.append(others[others != own])
        table = matcher.index.table
        parts.append(score_batch(matcher.model, table, queries, rows, len(matcher.index)).gamma)
    return np.concatenate(parts)


def check_pairs(matcher: Matcher, queries: Sequence[Query]) -> Gammas:
    """Gamma vectors of the candidates the name keys give for a sample of checks (see
    `check_pairs_and_names_known`)."""
    return check_pairs_and_names_known(matcher, queries)[0]


def check_pairs_and_names_known(
    matcher: Matcher, queries: Sequence[Query]
) -> tuple[Gammas, NDArray[np.bool_]]:
    """Gamma vectors of the candidates the name keys give for a sample of checks, and per
    pair whether some record carries the compared buyer reading's given name (column 0)
    and family name (column 1).

    The date-and-sex key is left out here: it brings in many strangers born the same day,
    pairs that agree on the date only because the key asked for it. EM assumes fields are
    independent given the class; those pairs break that and drag m of the name levels up.
    Blocking decides which pairs are scored, not how they are weighed, so the weights
    fitted without that key apply with it.
    """
    parts: list[Gammas] = []
    known: list[NDArray[np.bool_]] = []
    index, table = matcher.index, matcher.index.table
    for start in range(0, len(queries), _BATCH):
        chunk = queries[start : start + _BATCH]
        keys = [[k for k in query_keys(q) if key_kind(k) is not BlockKind.DOB_SEX] for q in chunk]
        rows = [found.rows for found in index.lookup_rows_many(keys)]
        scores = score_batch(matcher.model, table, chunk, rows, len(index))
        parts.append(scores.gamma)
        per_reading = readings_known(table, chunk)
        first_reading = np.cumsum([len(q.names) for q in chunk]) - [len(q.names) for q in chunk]
        reading = first_reading[scores.query] + np.maximum(scores.variant, 0)
        known.append(per_reading[reading] if len(reading) else np.zeros((0, 2), np.bool_))
    if not parts:
        return np.zeros((0, len(COMPARISONS)), np.int8), np.zeros((0, 2), np.bool_)
    return _places_of_kin_unseen(np.concatenate(parts)), np.concatenate(known)


def _places_of_kin_unseen(gamma: Gammas) -> Gammas:
    """The place of birth set to no evidence where the names and date say twins or
    siblings (given names differ, family name and date agree), as scoring weighs it there:
    they were born in one place. Left in, the agreeing place makes EM take the training
    checks' twins for matches, and m of a different given name rises (-6.7 to -5.1 bits)."""
    kin = relatives_pattern(gamma[:, GIVEN_NAME], gamma[:, FAMILY_NAME], gamma[:, DATE_OF_BIRTH])
    out = gamma.copy()
    out[kin, PLACE_OF_BIRTH] = NO_EVIDENCE
    return out


def level_frequencies(
    gamma: Gammas, weights: NDArray[np.float64] | None = None
) -> list[list[float]]:
    """Per field, the (weighted, smoothed) share of pairs at each level, no evidence aside."""
    out = []
    w = np.ones(len(gamma)) if weights is None else weights
    for f, comparison in enumerate(COMPARISONS):
        n_levels = len(comparison.labels)
        seen = gamma[:, f] != NO_EVIDENCE
        counts = np.bincount(gamma[seen, f].astype(np.int64), w[seen], minlength=n_levels)
        smoothed = (counts + _SMOOTHING) / (counts.sum() + _SMOOTHING * n_levels)
        out.append([max(float(x), _MIN_PROBABILITY) for x in smoothed])
    return out


def expectation_maximisation(
    gamma: Gammas, start: MatchModel, iterations: int = 40, tolerance: float = 1e-7
) -> Fit:
    """m, u and the prior of a two-class mixture over these pairs, started from `start`."""
    m = [[lv.m for lv in f.levels] for f in start.fields]
    u = [[lv.u for lv in f.levels] for f in start.fields]
    prior = 0.5
    done = 0
    while done < iterations:
        done += 1
        posterior = _posterior(gamma, m, u, prior)
        new_prior = float(posterior.mean())
        m = level_frequencies(gamma, posterior)
        u = level_frequencies(gamma, 1.0 - posterior)
        converged = abs(new_prior - prior) < tolerance
        prior = new_prior
        if converged:
            break
    return Fit(tuple(map(tuple, m)), tuple(map(tuple, u)), prior, done, len(gamma))


def matches_per_check(model: MatchModel, gamma: Gammas, checks: int) -> float:
    """Expected true matches per check: EM for the prior alone, m and u held fixed.

    With m and u fixed, EM's update of the prior of the candidate pairs is the mean
    posterior; iterated to its fixed point, the sum of posteriors over the candidates of
    all checks, divided by the number of checks, is the expected matches per check.
    """
    m = [[lv.m for lv in f.levels] for f in model.fields]
    u = [[lv.u for lv in f.levels] for f in model.fields]
    prior = 0.01
    for _ in range(200):
        new_prior = float(_posterior(gamma, m, u, prior).mean())
        if abs(new_prior - prior) < 1e-10:
            break
        prior = new_prior
    return prior * len(gamma) / checks


def _posterior(
    gamma: Gammas, m: list[list[float]], u: list[list[float]], prior: float
) -> NDArray[np.float64]:
    log_ratio = np.full(len(gamma), np.log(prior / (1.0 - prior)))
    for f in range(gamma.shape[1]):
        levels = gamma[:, f].astype(np.int64)
        seen = levels != NO_EVIDENCE
        ratio = np.log(np.asarray(m[f])) - np.log(np.asarray(u[f]))
        log_ratio[seen] += ratio[levels[seen]]
    posterior: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(log_ratio, -700, 700)))
    return posterior


def unknown_name_terms(
    fit: Fit, gamma: Gammas, known: NDArray[np.bool_]
) -> tuple[UnknownName, ...]:
    """The unknown-name term of the given and family names, fitted without labels.

    Among the candidate pairs whose field disagrees, the EM mixture's posterior says how
    much of each side is true matches: the share of true pairs whose buyer name no record
    carries, against the share of false pairs, gives the bits for an unknown name
    (log2 of the ratio, >= 0) and for a known one (log2 of the ratio of the rest, <= 0).
    Whether a name is carried is a fact of the buyer, independent of the record under
    the false class, so the blocked pairs measure it as well as random pairs would.
    """
    m = [list(level) for level in fit.m]
    u = [list(level) for level in fit.u]
    posterior = _posterior(gamma, m, u, fit.prior)
    out = []
    for column, field, disagree in (
        (GIVEN_NAME, "given_name", GivenLevel.DISAGREE),
        (FAMILY_NAME, "family_name", FamilyLevel.DISAGREE),
    ):
        differ = gamma[:, column] == disagree
        unknown = differ & ~known[:, 0 if column == GIVEN_NAME else 1]
        true_share = (posterior[unknown].sum() + _SMOOTHING) / (posterior[differ].sum() + 1.0)
        false_share = ((1 - posterior[unknown]).sum() + _SMOOTHING) / (
            (1 - posterior[differ]).sum() + 1.0
        )
        out.append(
            UnknownName(
                field,
                max(0.0, float(np.log2(true_share / false_share))),
                min(0.0, float(np.log2((1 - true_share) / (1 - false_share)))),
            )
        )
    return tuple(out)


def relatives_bits(
    self_pairs: Gammas, sampled: int, records: int, u: list[list[float]]
) -> tuple[float, int]:
    """The twins-and-siblings term, measured on the index: how much commoner the pattern
    "given names differ, family name and date of birth agree" is among pairs of records
    than the product of the three u values predicts. Returns (bits <= 0, pairs seen).

    The pattern's pairs are counted among the blocked pairs of `sampled` records against
    the whole index (blocking finds every pair sharing family name and date); almost all
    are different people, since one person's records rarely carry two given names.
    """
    pattern = relatives_pattern(self_pairs[:, GIVEN_NAME], self_pairs[:, FAMILY_NAME],
                                self_pairs[:, DATE_OF_BIRTH])  # fmt: skip
    seen = int(pattern.sum())
    if not seen:
        return 0.0, 0
    observed = seen / (sampled * max(records - 1, 1))
    g, f, d = u[0], u[2], u[4]
    predicted = g[GivenLevel.DISAGREE] * (f[FamilyLevel.EXACT] + f[FamilyLevel.COMPOUND])
    predicted *= d[DobLevel.EXACT] + d[DobLevel.DAY_MONTH_SWAPPED]
    return min(0.0, float(np.log2(predicted / observed))), seen
