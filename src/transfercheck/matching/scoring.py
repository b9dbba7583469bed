"""Comparison levels and weights for all candidates of many buyers at once, in NumPy.

The rules are those of `comparisons` (which stays the reference; a test holds the two
equal); only the shape differs. Every candidate of every buyer in a batch is one row; the
fields that do not depend on how the names are read (date of birth, sex, identifiers) are
array comparisons of the candidates' columns against their buyer's values, here; the name
fields, which depend on how the names are read, are `name_scoring`'s. The place of birth is
weighed against the family name read (`_birthplace_bits`). The prior, set by the size of
the index, completes the match weight. A single check is a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from transfercheck.matching.blocking import document_digest, text_digest
from transfercheck.matching.comparisons import (
    NAME_FIELD_COUNT,
    NO_EVIDENCE,
    PLACE_OF_BIRTH,
    DobLevel,
    PlaceLevel,
    SexLevel,
    SsnLevel,
)
from transfercheck.matching.model import MatchModel
from transfercheck.matching.name_scoring import best_names, found_id, level_weights
from transfercheck.matching.pool import EMPTY
from transfercheck.matching.query import Query
from transfercheck.matching.table import SEX_CODES, RecordTable, pair_key, yyyymmdd

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
_PLACE_EXACT = int(PlaceLevel.EXACT)

NAME_FIELDS = NAME_FIELD_COUNT
_IDENTITY_FIELDS = PLACE_OF_BIRTH + 1 - NAME_FIELDS
_PSEUDO_PLACES = 2000.0  # shrinkage of a place's share of the index, as for names
_PSEUDO_NEIGHBOURS = 20.0  # ... and of its share among the records of one family name


@dataclass(frozen=True)
class Scores:
    """Per candidate (all buyers of a batch, grouped by buyer): levels, weights, reading."""

    rows: NDArray[np.int32]
    query: Ints  # which buyer of the batch
    gamma: NDArray[np.int8]  # (n, 10), NO_EVIDENCE where a side lacks the field
    weights: Floats  # (n, 10), 0 where no evidence
    orientation_bits: Floats
    total: Floats  # match weight, prior included
    variant: Ints  # index into the buyer's query.names; -1 when no names were compared
    name_row: Ints  # the record's name row compared; -1 likewise
    record_swapped: Bools  # the record's given and middle names were read swapped
    term_frequency_bits: Floats  # (n, 4): adjustment of given, middle, family, birthplace
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
    rest = _identity_levels(table, queries, query, all_rows)  # (n, 6)
    rest_weights = level_weights(model, rest, NAME_FIELDS)
    names = best_names(model, table, queries, query, all_rows, rest)
    place = _birthplace_bits(model, table, all_rows, rest[:, PLACE_OF_BIRTH - NAME_FIELDS],
                             names.name_row, names.relatives_bits != 0)  # fmt: skip
    rest_weights[:, PLACE_OF_BIRTH - NAME_FIELDS] += place
    gamma = np.concatenate([names.levels, rest], axis=1).astype(np.int8)
    weights = np.concatenate([names.weights, rest_weights], axis=1)
    prior = model.prior_weight_for(records)
    total = prior + weights.sum(axis=1) + names.bits
    term_bits = np.concatenate([names.term_frequency_bits, place[:, None]], axis=1)
    return Scores(all_rows, query, gamma, weights, names.bits, total, names.variant,
                  names.name_row, names.swapped, term_bits, names.relatives_bits,
                  prior)  # fmt: skip


# The fields that do not depend on the name reading -------------------------------------


def _identity_levels(
    table: RecordTable, queries: Sequence[Query], query: Ints, rows: NDArray[np.int32]
) -> Ints:
    buyers = [q.identity for q in queries]
    column, pool = table.column, table.pool

    def per_candidate(values: list[int], dtype: type[np.generic]) -> NDArray[np.generic]:
        return np.asarray(values, dtype)[query]

    levels = np.empty((len(rows), _IDENTITY_FIELDS), np.int64)
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
    place = per_candidate([found_id(pool.find(b.place_of_birth)) if b.place_of_birth else EMPTY
                           for b in buyers], np.int64)  # fmt: skip
    born = column("birthplace")[rows]
    levels[:, 5] = np.where((born == EMPTY) | (place == EMPTY), NO_EVIDENCE, (born != place) * 1)
    return levels


def _birthplace_bits(
    model: MatchModel,
    table: RecordTable,
    rows: NDArray[np.int32],
    level: Ints,
    name_row: Ints,
    relatives: Bools,
) -> Floats:
    """An agreeing place of birth, weighed among the people of the record's family name.

    Where people were born runs with their names: most Nguyens abroad were born in
    Vietnam, and a Wang's China is no coincidence once the names agree. So an agreement is
    worth log2(m / P(place | family name)), the place's share among the other records of
    that family name (shrunk toward its share of the index), where that share is above
    the level's u; never more than the level's own weight (a rare place is no bonus: one
    slip in either record, and the rarest place is the commonest error). Where the names
    and date say twins or siblings (`relatives`), it is worth nothing: they were born in
    one place, so it cannot tell them from the person."""
    bits = np.zeros(len(rows))
    kin = np.flatnonzero((level == _PLACE_EXACT) & relatives)
    bits[kin] = -model.level_weight(PLACE_OF_BIRTH, _PLACE_EXACT)
    agree = np.flatnonzero((level == _PLACE_EXACT) & (name_row >= 0) & ~relatives)
    if not len(agree) or model.term_frequency_for("family_name") is None:
        return bits
    frequencies = table.frequencies
    u = model.fields[PLACE_OF_BIRTH].levels[_PLACE_EXACT].u
    place = table.column("birthplace")[rows[agree]].astype(np.int64)
    family = table.name_column("family")[name_row[agree]].astype(np.int64)
    born = max(frequencies.birthplace_total, 1)
    place_share = (frequencies.birthplaces[place] + _PSEUDO_PLACES * u) / (born + _PSEUDO_PLACES)
    # The records of that family name that give a place of birth, the record itself aside.
    coverage = born / max(len(table), 1)
    named = np.maximum(frequencies.records_carrying("family_name", family) - 1, 0) * coverage
    together = np.maximum(frequencies.birthplace_family.get(pair_key(place, family)) - 1, 0)
    within = (together + _PSEUDO_NEIGHBOURS * place_share) / (named + _PSEUDO_NEIGHBOURS)
    bits[agree] = np.minimum(0.0, np.log2(u / within))
    return bits


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
