"""Comparison levels and weights for all candidates of many buyers at once, in NumPy.

The rules are those of `comparisons` (which stays the reference; a test holds the two
equal); only the shape differs. Every candidate of every buyer in a batch is one row; the
fields that do not depend on how the names are read (date of birth, sex, identifiers) are
array comparisons of the candidates' columns against their buyer's values, here; the name
fields, which depend on how the names are read, are `name_scoring`'s. The prior, set by
the size of the index, completes the match weight. A single check is a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from transfercheck.matching.blocking import document_digest, text_digest
from transfercheck.matching.comparisons import (
    NO_EVIDENCE,
    DobLevel,
    SexLevel,
    SsnLevel,
)
from transfercheck.matching.model import MatchModel
from transfercheck.matching.name_scoring import best_names, found_id, level_weights
from transfercheck.matching.pool import EMPTY
from transfercheck.matching.query import Query
from transfercheck.matching.table import SEX_CODES, RecordTable, yyyymmdd

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]

# Levels as plain ints: enum attribute look-ups cost more than the array work here.
_DOB_DAY_MONTH_SWAPPED = int(DobLevel.DAY_MONTH_SWAPPED)
_DOB_DISAGREE = int(DobLevel.DISAGREE)
_DOB_EXACT = int(DobLevel.EXACT)
_DOB_TYPO = int(DobLevel.TYPO)
_SEX_AGREE = int(SexLevel.AGREE)
_SEX_DISAGREE = int(SexLevel.DISAGREE)
_SSN_DISAGREE = int(SsnLevel.DISAGREE)
_SSN_EXACT = int(SsnLevel.EXACT)
_SSN_TYPO = int(SsnLevel.TYPO)

NAME_FIELDS = 4


@dataclass(frozen=True)
class Scores:
    """Per candidate (all buyers of a batch, grouped by buyer): levels, weights, reading."""

    rows: NDArray[np.int32]
    query: Ints  # which buyer of the batch
    gamma: NDArray[np.int8]  # (n, 9), NO_EVIDENCE where a side lacks the field
    weights: Floats  # (n, 9), 0 where no evidence
    orientation_bits: Floats
    total: Floats  # match weight, prior included
    variant: Ints  # index into the buyer's query.names; -1 when no names were compared
    name_row: Ints  # the record's name row compared; -1 likewise
    record_swapped: Bools  # the record's given and middle names were read swapped
    term_frequency_bits: Floats  # (n, 3): adjustment of the given, middle and family weights
    relatives_bits: Floats  # included in orientation_bits: the twins-and-siblings term
    prior_weight: float  # for the size of the index scored against


def score_batch(
    model: MatchModel,
    table: RecordTable,
    queries: Sequence[Query],
    rows: Sequence[NDArray[np.int32]],
    records: int = 0,
) -> Scores:
    """Levels and weights of every candidate row of every buyer; `records` is the size of
    the index, which sets the prior (see `MatchModel.prior_weight_for`)."""
    query = np.repeat(np.arange(len(queries)), [len(r) for r in rows])
    all_rows = np.concatenate(rows) if rows else np.zeros(0, np.int32)
    all_rows = all_rows.astype(np.int32, copy=False)
    rest = _identity_levels(table, queries, query, all_rows)  # (n, 5)
    rest_weights = level_weights(model, rest, NAME_FIELDS)
    names = best_names(model, table, queries, query, all_rows, rest)
    gamma = np.concatenate([names.levels, rest], axis=1).astype(np.int8)
    weights = np.concatenate([names.weights, rest_weights], axis=1)
    prior = model.prior_weight_for(records)
    total = prior + weights.sum(axis=1) + names.bits
    return Scores(all_rows, query, gamma, weights, names.bits, total, names.variant,
                  names.name_row, names.swapped, names.term_frequency_bits,
                  names.relatives_bits, prior)  # fmt: skip


# The fields that do not depend on the name reading -------------------------------------


def _identity_levels(
    table: RecordTable, queries: Sequence[Query], query: Ints, rows: NDArray[np.int32]
) -> Ints:
    buyers = [q.identity for q in queries]
    column, pool = table.column, table.pool

    def per_candidate(values: list[int], dtype: type[np.generic]) -> NDArray[np.generic]:
        return np.asarray(values, dtype)[query]

    levels = np.empty((len(rows), 5), np.int64)
    dob = per_candidate([yyyymmdd(b.date_of_birth) for b in buyers], np.int64)
    levels[:, 0] = dob_levels(dob, column("dob")[rows])
    sex = per_candidate([SEX_CODES[b.sex] for b in buyers], np.int64)
    levels[:, 1] = _sex_levels(sex, column("sex")[rows])
    ssn = per_candidate([int(b.ssn) if b.ssn else 0 for b in buyers], np.int64)
    levels[:, 2] = ssn_levels(ssn, column("ssn")[rows])
    issuers = [
        found_id(pool.find(f"{d.kind}:{d.issuer}")) if (d := b.id_document) else EMPTY
        for b in buyers
    ]
    digests = [document_digest(d) if (d := b.id_document) else 0 for b in buyers]
    levels[:, 3] = _document_levels(
        per_candidate(issuers, np.int64),
        per_candidate(digests, np.uint64),
        column("doc_issuer")[rows],
        column("doc_digest")[rows],
    )
    fbi = per_candidate([text_digest(b.fbi_number) if b.fbi_number else 0 for b in buyers],
                        np.uint64)  # fmt: skip
    records = column("fbi_digest")[rows]
    levels[:, 4] = np.where((records == 0) | (fbi == 0), NO_EVIDENCE, (records != fbi) * 1)
    return levels


def dob_levels(buyer: NDArray[np.generic], records: NDArray[np.generic]) -> Ints:
    """`comparisons.compare_dob` for dates as yyyymmdd integers (buyer's per candidate)."""
    b, r = np.asarray(buyer, np.int64), np.asarray(records, np.int64)
    by, bm, bd = b // 10000, b // 100 % 100, b % 100
    ry, rm, rd = r // 10000, r // 100 % 100, r % 100
    level = np.full(len(r), _DOB_DISAGREE, np.int64)
    one_part = ((ry != by).astype(np.int64) + (rm != bm) + (rd != bd)) == 1
    if one_part.any():
        at = np.flatnonzero(one_part)
        year = (ry[at] != by[at]) & ((np.abs(ry[at] - by[at]) == 1) | _one_slip(ry[at], by[at], 4))
        month = (rm[at] != bm[at]) & _one_slip(rm[at], bm[at], 2)
        day = (rd[at] != bd[at]) & _one_slip(rd[at], bd[at], 2)
        level[at[year | month | day]] = _DOB_TYPO
    level[(ry == by) & (rm == bd) & (rd == bm)] = _DOB_DAY_MONTH_SWAPPED
    level[r == b] = _DOB_EXACT
    return level


def ssn_levels(buyer: NDArray[np.generic], records: NDArray[np.generic]) -> Ints:
    """`comparisons.compare_ssn` for SSNs as numbers (0 for none)."""
    b, r = np.asarray(buyer, np.int64), np.asarray(records, np.int64)
    level = np.full(len(r), _SSN_DISAGREE, np.int64)
    both = np.flatnonzero((r != 0) & (b != 0) & (r != b))
    if len(both):
        level[both[_one_slip(r[both], b[both], 9)]] = _SSN_TYPO
    level[r == b] = _SSN_EXACT
    level[(r == 0) | (b == 0)] = NO_EVIDENCE
    return level


def _one_slip(values: Ints, others: Ints, width: int) -> Bools:
    """Digit strings of `width` digits one substitution or one adjacent swap apart."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    a = (values[:, None] // powers) % 10
    b = (others[:, None] // powers) % 10
    differ = a != b
    count = differ.sum(axis=1)
    swap = differ[:, :-1] & differ[:, 1:] & (a[:, :-1] == b[:, 1:]) & (a[:, 1:] == b[:, :-1])
    slip: Bools = (count == 1) | ((count == 2) & swap.any(axis=1))
    return slip


def _sex_levels(buyer: NDArray[np.generic], records: NDArray[np.uint8]) -> Ints:
    level = np.where(records == buyer, _SEX_AGREE, _SEX_DISAGREE).astype(np.int64)
    level[(records == 0) | (buyer == 0)] = NO_EVIDENCE
    return level


def _document_levels(
    issuer: NDArray[np.generic],
    digest: NDArray[np.generic],
    issuers: NDArray[np.int32],
    digests: NDArray[np.uint64],
) -> Ints:
    # Different issuers or kinds are different documents, not a disagreement.
    level = np.where(digests == digest, 0, 1).astype(np.int64)
    level[(issuers != issuer) | (issuers == EMPTY)] = NO_EVIDENCE
    return level
