"""The name fields of many candidates at once: given, middle and family name and suffix.

Every name of every candidate is read as entered and with given and middle names swapped;
every reading of every buyer's names (as entered, swapped, aliases) is paired with those of
the buyer's candidates, as a flat list of pairs. String similarity is worked out once per
distinct pair of texts, behind a vectorised filter that sets plain disagreements aside;
term frequency, the full-name term and the twins-and-siblings term adjust the weights; the
best reading per candidate is picked as the one-by-one matcher did (highest weight, ties to
the plainest reading). `scoring` adds the other fields and the prior.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from transfercheck.domain.identities import Sex
from transfercheck.matching.comparisons import (
    JW_SIMILAR,
    LOOSE_GIVEN_LEVELS,
    NO_EVIDENCE,
    DobLevel,
    FamilyLevel,
    GivenLevel,
    MiddleLevel,
    SexLevel,
    SuffixLevel,
    family_words_level,
    given_word_level,
    one_edit_neighbours,
)
from transfercheck.matching.model import MatchModel
from transfercheck.matching.nickname_table import related_names
from transfercheck.matching.normalise import NormalisedName, family_forms
from transfercheck.matching.phonetic import comparison_code
from transfercheck.matching.pool import EMPTY, StringPool
from transfercheck.matching.query import Orientation, Query
from transfercheck.matching.table import (
    SUFFIX_CODES,
    NameFrequencies,
    PairCounts,
    RecordTable,
    pair_key,
)

Ints = NDArray[np.int64]
AnyInts = NDArray[np.integer[Any]]  # levels as scored (int64) or as fitted (int8)
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]

# Levels as plain ints: enum attribute look-ups cost more than the array work here.
_DOB_DAY_MONTH_SWAPPED = int(DobLevel.DAY_MONTH_SWAPPED)
_DOB_EXACT = int(DobLevel.EXACT)
_FAMILY_DISAGREE = int(FamilyLevel.DISAGREE)
_FAMILY_EXACT = int(FamilyLevel.EXACT)
_FAMILY_MARRIED_NAME = int(FamilyLevel.MARRIED_NAME)
_FAMILY_TYPO = int(FamilyLevel.TYPO)
_GIVEN_DISAGREE = int(GivenLevel.DISAGREE)
_GIVEN_EXACT = int(GivenLevel.EXACT)
_GIVEN_TYPO = int(GivenLevel.TYPO)
_LOOSE_GIVEN = np.array([int(level) for level in LOOSE_GIVEN_LEVELS], np.int64)
_GIVEN_ONE_EDIT = int(GivenLevel.ONE_EDIT)
_FAMILY_ONE_EDIT = int(FamilyLevel.ONE_EDIT)
# Family levels of one name written two ways.
_SAME_FAMILY_NAME = np.array([int(level) for level in (FamilyLevel.COMPOUND, FamilyLevel.TYPO,
                             FamilyLevel.ONE_EDIT)], np.int64)  # fmt: skip
_MIDDLE_DISAGREE = int(MiddleLevel.DISAGREE)
_MIDDLE_EXACT = int(MiddleLevel.EXACT)
_MIDDLE_INITIAL = int(MiddleLevel.INITIAL)
_SEX_AGREE = int(SexLevel.AGREE)
_SEX_DISAGREE = int(SexLevel.DISAGREE)
_SUFFIX_AGREE = int(SuffixLevel.AGREE)
_SUFFIX_DISAGREE = int(SuffixLevel.DISAGREE)

NAME_FIELDS = 4
_PSEUDO_NAMES = 2000.0  # term-frequency shrinkage: see NameFrequencies.share
_PSEUDO_FAMILY = 500.0  # ... and of a share among the records of one family name
_CLOSE_GIVEN = np.array([int(level) for level in (GivenLevel.NICKNAME, GivenLevel.TYPO,
                         GivenLevel.SIMILAR)], np.int64)  # fmt: skip
_FAMILY_AGREES = np.array([int(FamilyLevel.EXACT), int(FamilyLevel.COMPOUND)], np.int64)
_UNKNOWN_TEXT = -2  # a buyer's text the pool has never seen: equal to no record's


def level_weights(model: MatchModel, levels: Ints, first_field: int) -> Floats:
    """The weights of a block of fields' levels (columns from `first_field` on)."""
    weights = model.weight_table()[first_field : first_field + levels.shape[1]]
    picked = weights[np.arange(levels.shape[1]), np.where(levels < 0, 0, levels)]
    return np.where(levels < 0, 0.0, picked)


def found_id(string_id: int | None) -> int:
    """A pool id, or an id no record has for a text the pool has never seen."""
    return _UNKNOWN_TEXT if string_id is None else string_id


@dataclass(frozen=True)
class _Readings:
    """The record side's name readings, one entry per (name row, orientation), grouped by
    candidate in the one-by-one order: each alias as entered, then given/middle swapped."""

    owner: Ints  # candidate position
    name_row: Ints
    swapped: Bools
    given: Ints  # pool id of the first given word
    given_joined: Ints  # pool id of all given words run together
    middle: Ints  # pool id of the first middle word
    family: Ints  # pool id of the family words
    suffix: Ints


@dataclass(frozen=True)
class _BuyerReadings:
    """Every buyer's name readings, flattened (start[q] is buyer q's first)."""

    start: Ints
    count: Ints
    given: list[str]
    given_id: Ints
    given_joined_id: Ints
    middle: list[str]
    middle_id: Ints
    middle_letter: Ints
    family: list[str]
    family_id: Ints  # pool id of the family words, or an id no record has
    suffix: Ints
    bits: Floats
    swapped: Bools  # any swap of the buyer's names
    given_middle_swapped: Bools
    female: Bools  # the buyer says female
    given_known: Bools  # some record carries the reading's first given name
    family_known: Bools  # some record carries the reading's family name


@dataclass(frozen=True)
class NameResult:
    levels: Ints
    weights: Floats
    bits: Floats
    variant: Ints
    name_row: Ints
    swapped: Bools
    term_frequency_bits: Floats  # (n, 3): given, middle, family
    relatives_bits: Floats


def _record_readings(table: RecordTable, rows: NDArray[np.int32]) -> _Readings:
    pool = table.pool
    first, second = pool.first_word.view(), pool.second_word.view()
    starts = table.column("name_start")[rows].astype(np.int64)
    counts = table.column("name_count")[rows].astype(np.int64)
    owner = np.repeat(np.arange(len(rows)), counts)
    name_row = starts[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    given, middle = table.name_column("given")[name_row], table.name_column("middle")[name_row]
    family = table.name_column("family")[name_row]
    present = np.flatnonzero((given != EMPTY) | (family != EMPTY))
    owner, name_row, given, middle, family = (
        a[present] for a in (owner, name_row, given, middle, family)
    )
    has_middle = middle != EMPTY
    pick = np.flatnonzero(has_middle | (second[given] != EMPTY))
    swapped_first = np.where(has_middle, first[middle], second[given])[pick]
    both = np.concatenate([np.arange(len(owner)), pick])
    is_swapped = np.zeros(len(both), np.bool_)
    is_swapped[len(owner) :] = True
    order = np.lexsort((is_swapped, name_row[both], owner[both]))
    as_entered_given = first[given]
    swapped_joined = np.where(
        has_middle, pool.joined.view()[middle], pool.rest_joined.view()[given]
    )
    g = np.concatenate([as_entered_given, swapped_first])
    gj = np.concatenate([pool.joined.view()[given], swapped_joined[pick]])
    m = np.concatenate([np.where(has_middle, first[middle], second[given]), as_entered_given[pick]])
    chosen = both[order]
    return _Readings(
        owner=owner[chosen].astype(np.int64),
        name_row=name_row[chosen].astype(np.int64),
        swapped=is_swapped[order],
        given=g[order].astype(np.int64),
        given_joined=gj[order].astype(np.int64),
        middle=m[order].astype(np.int64),
        family=family[chosen].astype(np.int64),
        suffix=table.name_column("suffix")[name_row[chosen]].astype(np.int64),
    )


def _buyer_readings(
    model: MatchModel, table: RecordTable, queries: Sequence[Query]
) -> _BuyerReadings:
    pool = table.pool
    variants = [v for q in queries for v in q.names]
    female = [q.identity.sex is Sex.FEMALE for q in queries for _ in q.names]
    count = np.array([len(q.names) for q in queries], np.int64)
    names = [v.name for v in variants]

    def ids(texts: list[str]) -> Ints:
        return np.array([found_id(pool.find(t)) for t in texts], np.int64)

    given = [n.first_given for n in names]
    middle = [n.first_middle for n in names]
    family = [" ".join(n.family) for n in names]
    frequencies = table.frequencies
    given_id = ids(given)
    return _BuyerReadings(
        start=np.cumsum(count) - count,
        count=count,
        given=given,
        given_id=given_id,
        given_joined_id=ids(["".join(n.given) for n in names]),
        middle=middle,
        middle_id=ids(middle),
        middle_letter=np.array([ord(m[0]) if m else -1 for m in middle], np.int64),
        family=family,
        family_id=ids(family),
        suffix=np.array([SUFFIX_CODES[n.suffix] for n in names], np.int64),
        bits=np.array([model.orientation_weight(v.orientation) for v in variants]),
        swapped=np.array([v.orientation is not Orientation.AS_ENTERED for v in variants], bool),
        given_middle_swapped=np.array(
            [v.orientation is Orientation.GIVEN_MIDDLE_SWAPPED for v in variants], bool
        ),
        female=np.array(female, bool),
        given_known=frequencies.carried(given_id),
        family_known=_family_known(frequencies, pool, names),
    )


def _family_known(
    frequencies: NameFrequencies, pool: StringPool, names: list[NormalisedName]
) -> Bools:
    """Per reading, whether its family name is carried by some record: the whole of it, or
    else every word of it (a compound of two real surnames is no slip, even when no record
    carries that very compound)."""
    whole = frequencies.carried(np.array([found_id(pool.find(" ".join(n.family))) for n in names],
                                         np.int64))  # fmt: skip
    for i in np.flatnonzero(~whole).tolist():
        words = names[i].family
        ids = np.array([found_id(pool.find(w)) for w in words], np.int64)
        whole[i] = bool(len(words) > 1 and frequencies.carried(ids).all())
    return whole


def readings_known(table: RecordTable, queries: Sequence[Query]) -> Bools:
    """Per reading of every buyer (in the order of their `names`): whether some record
    carries its first given name (column 0) and its family name (column 1)."""
    pool = table.pool
    names = [v.name for q in queries for v in q.names]
    given = np.array([found_id(pool.find(n.first_given)) for n in names], np.int64)
    known = np.empty((len(names), 2), np.bool_)
    known[:, 0] = table.frequencies.carried(given)
    known[:, 1] = _family_known(table.frequencies, pool, names)
    return known


def best_names(
    model: MatchModel,
    table: RecordTable,
    queries: Sequence[Query],
    query: Ints,
    rows: NDArray[np.int32],
    rest: Ints,
) -> NameResult:
    """The name levels of each candidate's best reading, with weights and which it was."""
    n = len(rows)
    result = NameResult(np.full((n, NAME_FIELDS), NO_EVIDENCE, np.int64),
                         np.zeros((n, NAME_FIELDS)), np.zeros(n), np.full(n, -1, np.int64),
                         np.full(n, -1, np.int64), np.zeros(n, np.bool_),
                         np.zeros((n, 3)), np.zeros(n))  # fmt: skip
    readings = _record_readings(table, rows)
    buyers = _buyer_readings(model, table, queries)
    # One pair per (record reading, buyer reading of that candidate's buyer), v fastest.
    per_reading = buyers.count[query[readings.owner]]
    pair_r = np.repeat(np.arange(len(readings.owner)), per_reading)
    if not len(pair_r):
        return result
    local_v = np.arange(len(pair_r)) - np.repeat(np.cumsum(per_reading) - per_reading, per_reading)
    pair_v = buyers.start[query[readings.owner[pair_r]]] + local_v
    levels = _pair_levels(table.pool, buyers, readings, pair_v, pair_r, rest[:, 1])
    field_w = level_weights(model, levels, 0)
    tf_bits = _term_frequency_bits(model, table, readings, pair_r, levels)
    _given_in_community_bits(model, table, buyers, readings, pair_v, pair_r, levels, tf_bits)
    _close_given_in_family_bits(model, table, readings, pair_r, levels, tf_bits)
    tf_bits += _unknown_name_bits(model, buyers, pair_v, levels)
    tf_bits += _one_edit_bits(model, table, buyers, pair_v, levels)
    field_w[:, :3] += tf_bits
    swap_bits = model.orientation_weight(Orientation.GIVEN_MIDDLE_SWAPPED)
    bits = buyers.bits[pair_v] + np.where(readings.swapped[pair_r], swap_bits, 0.0)
    relatives = np.where(
        relatives_pattern(levels[:, 0], levels[:, 2], rest[readings.owner[pair_r], 0]),
        model.relatives_bits,
        0.0,
    )
    bits = bits + relatives
    total = field_w.sum(axis=1) + bits
    total[~_allowed(buyers, readings, pair_v, pair_r, levels[:, 0])] = -np.inf
    owner = readings.owner[pair_r]
    reading_start = np.cumsum(per_reading) - per_reading
    chosen = _pick_best(total, owner, local_v, pair_r, reading_start, n)
    found = np.flatnonzero(chosen >= 0)
    pick = chosen[found]
    result.levels[found] = levels[pick]
    result.weights[found] = field_w[pick]
    result.bits[found] = bits[pick]
    result.variant[found] = local_v[pick]
    result.name_row[found] = readings.name_row[pair_r[pick]]
    result.swapped[found] = readings.swapped[pair_r[pick]]
    result.term_frequency_bits[found] = tf_bits[pick]
    result.relatives_bits[found] = relatives[pick]
    return result


def relatives_pattern(given: AnyInts, family: AnyInts, dob: AnyInts) -> Bools:
    """Given names differ while family name and date of birth agree: twins, siblings. The
    one definition of the pattern, for scoring (the twins-and-siblings term, and the place
    of birth that counts for nothing there) and for fitting (`training`)."""
    pattern: Bools = (
        (given == _GIVEN_DISAGREE)
        & np.isin(family, _FAMILY_AGREES)
        & ((dob == _DOB_EXACT) | (dob == _DOB_DAY_MONTH_SWAPPED))
    )
    return pattern


def _term_frequency_bits(
    model: MatchModel, table: RecordTable, readings: _Readings, pair_r: Ints, levels: Ints
) -> Floats:
    """Per pair, the term-frequency adjustment of the given, middle and family weights."""
    bits = np.zeros((len(pair_r), 3))
    for field_index, (field, values) in enumerate(
        (
            ("given_name", readings.given),
            ("middle_name", readings.middle),
            ("family_name", readings.family),
        )
    ):
        spec = model.term_frequency_for(field)
        exact = np.flatnonzero(levels[:, field_index] == 0)
        if spec is None or not len(exact):
            continue
        average = model.fields[field_index].levels[0].u
        share = table.frequencies.share(field, values[pair_r[exact]], average, _PSEUDO_NAMES)
        bits[exact, field_index] = np.log2(average / np.maximum(share, spec.min_frequency))
    _community_bits(model, table, readings, pair_r, levels, bits)
    return bits


def _community_bits(
    model: MatchModel, table: RecordTable, readings: _Readings, pair_r: Ints, levels: Ints,
    bits: Floats,
) -> None:  # fmt: skip
    """Names run in communities (Linh and Nguyen, Wei and Wang, Van and Pham), so once one
    name agrees, a second agreeing name is likelier by chance than its share of the index
    says. Two corrections, each measured on the index (the other records carrying the
    pair) and never a gain:

    - given and family names both agree exactly: the family weight loses
      log2(f_given * f_family / f_pair), what the pair's share exceeds independence by;
    - the middle name agrees exactly beside an agreeing given or family name: the middle
      weight loses the same excess for that pair (the larger of the two when both agree).
      Vietnamese men are nearly all Van and women Thi: beside Pham, Van says almost nothing.
    """
    given_exact, middle_exact, family_exact = (levels[:, f] == 0 for f in range(3))
    both = np.flatnonzero(given_exact & family_exact)
    if len(both):
        bits[both, 2] += _pair_excess_bits(
            model, table, "given_name", readings.given[pair_r[both]],
            "family_name", readings.family[pair_r[both]],
        )  # fmt: skip
    middle_bits = np.zeros(len(levels))
    with_given = np.flatnonzero(middle_exact & given_exact)
    if len(with_given):
        middle_bits[with_given] = _pair_excess_bits(
            model, table, "given_name", readings.given[pair_r[with_given]],
            "middle_name", readings.middle[pair_r[with_given]], base="given_name",
        )  # fmt: skip
    with_family = np.flatnonzero(middle_exact & family_exact)
    if len(with_family):
        excess = _pair_excess_bits(
            model, table, "middle_name", readings.middle[pair_r[with_family]],
            "family_name", readings.family[pair_r[with_family]], base="family_name",
        )  # fmt: skip
        middle_bits[with_family] = np.minimum(middle_bits[with_family], excess)
    bits[:, 1] += middle_bits


def _given_in_community_bits(
    model: MatchModel, table: RecordTable, buyers: _BuyerReadings, readings: _Readings,
    v: Ints, r: Ints, levels: Ints, bits: Floats,
) -> None:  # fmt: skip
    """The given name agrees exactly and the family name does not: the chance that a
    stranger carries that given name is its share among people of the buyer's community,
    not among the whole index. Given names run in communities: Lei is one Chinese man in
    eleven and one record in three hundred, so beside Tian it says far less than its
    share of the index makes it say; beside Smith, about what it says anyway. The given
    weight loses the excess of (given name, family name) over independence:

    - one family name written two ways (a compound part, a slip, one letter): read with
      the record's family name and with the buyer's (the slip may be on either side), the
      larger loss of the two;
    - two family names (similar, a married name, another name): read with the buyer's
      (when some record carries it). The record's is another family's; were it read, a
      record whose very name a relative shares would lose to a stranger.

    An exact family agreement has its own term (`_community_bits`)."""
    given_exact = levels[:, 0] == _GIVEN_EXACT
    family = levels[:, 2]
    near = np.isin(family, _SAME_FAMILY_NAME)
    other = np.flatnonzero(given_exact & (family > _FAMILY_EXACT))
    if not len(other):
        return
    given = readings.given[r[other]]
    excess = np.zeros(len(other))
    by_record = np.flatnonzero(near[other])
    record_family = readings.family[r[other[by_record]]]
    excess[by_record] = _pair_excess_bits(model, table, "given_name", given[by_record],
                                          "family_name", record_family)  # fmt: skip
    buyer_family = buyers.family_id[v[other]]
    in_pool = np.flatnonzero(buyer_family >= 0)
    if len(in_pool):
        read_by_buyer = _pair_excess_bits(model, table, "given_name", given[in_pool],
                                          "family_name", buyer_family[in_pool])  # fmt: skip
        excess[in_pool] = np.minimum(excess[in_pool], read_by_buyer)
    bits[other, 0] += excess


def _close_given_in_family_bits(
    model: MatchModel, table: RecordTable, readings: _Readings, r: Ints, levels: Ints,
    bits: Floats,
) -> None:  # fmt: skip
    """The family name agrees and the given name only nearly (a nickname, a slip, a
    similar name): a stranger of that family name with a given name that close to the
    buyer's is at least as likely as a stranger of that family name carrying the record's
    given name. So the level's u gives way to that name's share among the other records of
    the family name (shrunk toward u by 500 records' worth), where it is larger: beside
    Pham, Trong for a Trung on the form is one Vietnamese man in thirty; never a gain."""
    spec = model.term_frequency_for("given_name")
    family_agrees = np.isin(levels[:, 2], _FAMILY_AGREES)
    close = np.flatnonzero(family_agrees & np.isin(levels[:, 0], _CLOSE_GIVEN))
    if spec is None or not len(close):
        return
    frequencies = table.frequencies
    given, family = readings.given[r[close]], readings.family[r[close]]
    carrying = frequencies.records_carrying("family_name", family)
    together = frequencies.full_names.get(pair_key(given, family))
    u = np.array([model.fields[0].levels[level].u for level in levels[close, 0].tolist()])
    share = (np.maximum(together - 1, 0) + _PSEUDO_FAMILY * u) / (
        np.maximum(carrying - 1, 0) + _PSEUDO_FAMILY
    )
    bits[close, 0] += np.minimum(0.0, np.log2(u / share))


_PAIR_COUNTS = {
    ("given_name", "family_name"): "full_names",
    ("given_name", "middle_name"): "given_middle",
    ("middle_name", "family_name"): "middle_family",
}


def _pair_excess_bits(
    model: MatchModel, table: RecordTable, first: str, first_ids: Ints, second: str,
    second_ids: Ints, base: str = "family_name",
) -> Floats:  # fmt: skip
    """min(0, log2(f_first * f_second / f_pair)) per pair of values: how much likelier the
    two names are together than apart. f_pair counts the other records carrying both (the
    record compared counts itself once) over the records carrying a `base` name, shrunk
    toward independence as term frequency is."""
    zero = np.zeros(len(first_ids))
    first_tf, second_tf = model.term_frequency_for(first), model.term_frequency_for(second)
    if first_tf is None or second_tf is None or not len(first_ids):
        return zero
    frequencies = table.frequencies
    index = {"given_name": 0, "middle_name": 1, "family_name": 2}
    u_first = model.fields[index[first]].levels[0].u
    u_second = model.fields[index[second]].levels[0].u
    f_first = frequencies.share(first, first_ids, u_first, _PSEUDO_NAMES)
    f_second = frequencies.share(second, second_ids, u_second, _PSEUDO_NAMES)
    independent = f_first * f_second
    total = max(frequencies.totals[base], 1)
    counter: PairCounts = getattr(frequencies, _PAIR_COUNTS[(first, second)])
    others = np.maximum(counter.get(pair_key(first_ids, second_ids)) - 1, 0)
    together = (others + _PSEUDO_NAMES * independent) / (total + _PSEUDO_NAMES)
    excess: Floats = np.minimum(0.0, np.log2(independent / together))
    return excess


def _one_edit_bits(
    model: MatchModel, table: RecordTable, buyers: _BuyerReadings, v: Ints, levels: Ints
) -> Floats:
    """Term frequency for short names one letter apart (the one_edit level).

    Whether a stranger's name is one letter from the buyer's depends on the name: few
    names are one letter from Smith, many are from Lei (Wei, Mei, Lai, Li) or Tan (Gan,
    Han, Fan, Tang), and they are carried by the same communities. So, as for an exact
    agreement, the level's u (measured on random pairs) gives way to the share of records
    whose name is one letter from the buyer's, counted in the index in use, and the weight
    moves by log2(u / share), shrunk toward u like the other term frequencies."""
    bits = np.zeros((len(v), 3))
    for column, field, texts, level in (
        (0, "given_name", buyers.given, _GIVEN_ONE_EDIT),
        (2, "family_name", buyers.family, _FAMILY_ONE_EDIT),
    ):
        at = np.flatnonzero(levels[:, column] == level)
        spec = model.term_frequency_for(field)
        if spec is None or not len(at):
            continue
        u = model.fields[column].levels[level].u
        shares: dict[str, float] = {}
        for i in at.tolist():
            text = texts[v[i]]
            if text not in shares:
                shares[text] = _neighbour_share(table, field, text, u)
            bits[i, column] = np.log2(u / max(shares[text], spec.min_frequency))
    return bits


def _neighbour_share(table: RecordTable, field: str, text: str, average: float) -> float:
    """The share of records whose `field` is one letter from `text` at the one_edit level."""
    neighbours = one_edit_neighbours(text, field == "family_name")
    ids = np.array([found_id(table.pool.find(n)) for n in neighbours], np.int64)
    return table.frequencies.share_of_any(field, ids[ids >= 0], average, _PSEUDO_NAMES)


def _unknown_name_bits(model: MatchModel, buyers: _BuyerReadings, v: Ints, levels: Ints) -> Floats:
    """Per pair, the unknown-name term on the given and family weights (columns 0 and 2).

    A given or family name that disagrees tells a different story depending on whether
    the buyer's name is one some record in the index carries. A name no record carries is
    most often a slip on the form ("Dn" for Don, "Mmo" for Mo) that the typo rules could
    not bridge, so a disagreement with it is weaker evidence against; a name others carry
    is likelier another person's name, so the disagreement is stronger evidence. The two
    adjustments are fitted without labels (see `training.unknown_name_terms`).
    """
    bits = np.zeros((len(v), 3))
    for column, field, known, disagree in (
        (0, "given_name", buyers.given_known, _GIVEN_DISAGREE),
        (2, "family_name", buyers.family_known, _FAMILY_DISAGREE),
    ):
        term = model.unknown_name_for(field)
        if term is None:
            continue
        at = np.flatnonzero(levels[:, column] == disagree)
        bits[at, column] = np.where(known[v[at]], term.known_bits, term.unknown_bits)
    return bits


def _pair_levels(
    pool: StringPool, buyers: _BuyerReadings, readings: _Readings, v: Ints, r: Ints, sex: Ints
) -> Ints:
    """Levels (given, middle, family, suffix) of every pair."""
    levels = np.empty((len(v), NAME_FIELDS), np.int64)
    given = _text_levels(pool, buyers.given, v, readings.given[r], family=False)
    exact = (readings.given_joined[r] == buyers.given_joined_id[v]) | (
        readings.given[r] == buyers.given_id[v]
    )
    given[exact & (given != NO_EVIDENCE)] = _GIVEN_EXACT
    loose = np.isin(given, _LOOSE_GIVEN)
    given[loose & (sex[readings.owner[r]] == _SEX_DISAGREE)] = _GIVEN_DISAGREE
    levels[:, 0] = given
    middle = readings.middle[r]
    letters = pool.first_letter.view()[middle]
    level = np.where(letters == buyers.middle_letter[v], _MIDDLE_INITIAL, _MIDDLE_DISAGREE)
    level[middle == buyers.middle_id[v]] = _MIDDLE_EXACT
    level[(middle == EMPTY) | (buyers.middle_letter[v] < 0)] = NO_EVIDENCE
    levels[:, 1] = level
    family = _text_levels(pool, buyers.family, v, readings.family[r], family=True)
    women = (sex[readings.owner[r]] == _SEX_AGREE) & buyers.female[v]
    family[women & (family == _FAMILY_DISAGREE)] = _FAMILY_MARRIED_NAME
    levels[:, 2] = family
    suffix, buyer_suffix = readings.suffix[r], buyers.suffix[v]
    level = np.where(suffix == buyer_suffix, _SUFFIX_AGREE, _SUFFIX_DISAGREE)
    level[(suffix == 0) | (buyer_suffix == 0)] = NO_EVIDENCE
    levels[:, 3] = level
    return levels


def _text_levels(
    pool: StringPool, buyer_texts: list[str], v: Ints, record_ids: Ints, family: bool
) -> Ints:
    """Given-name (or family-name) levels per pair, computed once per distinct pair.

    Most distinct pairs are plain disagreements (strangers found by their date of birth),
    so a vectorised filter sets those aside first: only pairs within one edit, close by
    Jaro-Winkler, of the same sound code, with an initial, a nickname, or (family names)
    several forms go through the exact rules of `comparisons`. The filter lets through
    every pair the rules could rate above DISAGREE, so the result is the same.
    """
    distinct: dict[str, int] = {}
    buyer_index = np.array([distinct.setdefault(t, len(distinct)) for t in buyer_texts], np.int64)
    texts = list(distinct)
    width = len(pool) + 1
    keys, inverse = np.unique(buyer_index[v] * width + record_ids, return_inverse=True)
    b, r = keys // width, keys % width
    out = np.full(len(keys), NO_EVIDENCE, np.int64)
    present = np.flatnonzero((np.array([bool(t) for t in texts])[b]) & (r != EMPTY))
    if not len(present):
        empty: Ints = out[inverse.reshape(-1)]
        return empty
    b, r = b[present], r[present]
    maybe = _may_agree(pool, texts, b, r, family)
    out[present] = _FAMILY_DISAGREE if family else _GIVEN_DISAGREE
    level = family_words_level if family else given_word_level
    for i in np.flatnonzero(maybe).tolist():
        out[present[i]] = level(texts[b[i]], pool.text(r[i]))
    levels: Ints = out[inverse.reshape(-1)]
    return levels


def _may_agree(pool: StringPool, texts: list[str], b: Ints, r: Ints, family: bool) -> Bools:
    sounds = np.array([_sound(t) for t in texts], np.uint32)
    if family:
        return _family_may_agree(pool, texts, b, r, sounds)
    gap = _lengths(texts)[b] - pool.length.view()[r]
    maybe: Bools = _close([texts[i] for i in b.tolist()], pool.texts(r), gap)
    maybe |= sounds[b] == pool.sound.view()[r]
    short = np.array([len(t) == 1 for t in texts])
    maybe |= short[b] | (pool.length.view()[r] == 1)
    width = len(pool) + 1
    nick = [i * width + n for i, t in enumerate(texts) for n in _related_ids(pool, t)]
    if nick:
        maybe |= np.isin(b * width + r, np.array(nick, np.int64))
    return maybe


def _lengths(texts: list[str]) -> Ints:
    return np.fromiter(map(len, texts), np.int64, len(texts))


def _close(buyers: list[str], records: list[str], gap: Ints) -> Bools:
    """Pairs within one edit or close by Jaro-Winkler: every pair a typo or similar level
    needs (a cheap superset, tested for all pairs at once). Edits are counted only where
    Jaro-Winkler is low and the lengths differ by at most one (else they cannot be one
    edit apart): most pairs are strangers, and this halves the work on them."""
    cutoff = JW_SIMILAR - 1e-6
    jw = process.cpdist(buyers, records, scorer=JaroWinkler.similarity, score_cutoff=cutoff,
                        dtype=np.float64)  # fmt: skip
    close: Bools = jw >= cutoff
    rest = np.flatnonzero(~close & (np.abs(gap) <= 1)).tolist()
    if rest:
        edits = process.cpdist([buyers[i] for i in rest], [records[i] for i in rest],
                               scorer=OSA.distance, score_cutoff=1)  # fmt: skip
        close[rest] = edits <= 1
    return close


def _family_may_agree(
    pool: StringPool, texts: list[str], b: Ints, r: Ints, sounds: NDArray[np.uint32]
) -> Bools:
    """`_may_agree` for family names. The rules compare every form of one name (Garcia Lopez:
    garcialopez, garcia, lopez) with every form of the other, so the filter does too: the
    names run together first, then, for the pairs where either name has several forms,
    every form of one against every form of the other, all at once."""
    record_sound = pool.sound.view()[r]
    joined = [t.replace(" ", "") for t in texts]
    records = pool.joined.view()[r]
    gap = _lengths(joined)[b] - pool.length.view()[records]
    maybe: Bools = _close([joined[i] for i in b.tolist()], pool.texts(records), gap)
    maybe |= sounds[b] == record_sound
    buyer_forms = _Forms([_forms_of(t) for t in texts])
    record_forms = pool.forms.view()[r]  # a name of one form has only its words run together
    several = np.flatnonzero(~maybe & ((buyer_forms.count[b] > 1) | (record_forms > 1)))
    if not len(several):
        return maybe
    distinct, local = np.unique(r[several], return_inverse=True)
    on_record = _Forms([_forms_of(text) for text in pool.texts(distinct)])
    rb, rr = b[several], local.reshape(-1)
    per = buyer_forms.count[rb] * on_record.count[rr]
    owner = np.repeat(np.arange(len(several)), per)
    within = np.arange(len(owner)) - np.repeat(np.cumsum(per) - per, per)
    x = buyer_forms.start[rb[owner]] + within // on_record.count[rr[owner]]
    y = on_record.start[rr[owner]] + within % on_record.count[rr[owner]]
    gap = buyer_forms.length[x] - on_record.length[y]
    close = _close(buyer_forms.text[x].tolist(), on_record.text[y].tolist(), gap)
    close |= buyer_forms.sound[x] == on_record.sound[y]
    found = np.zeros(len(several), np.bool_)
    np.logical_or.at(found, owner, close)
    maybe[several] = found
    return maybe


class _Forms:
    """The family-name forms of some names, flattened: name i's are text[start[i]:][:count[i]]."""

    def __init__(self, forms: list[tuple[tuple[str, ...], tuple[int, ...]]]) -> None:
        self.count = np.array([len(texts) for texts, _ in forms], np.int64)
        self.start = np.cumsum(self.count) - self.count
        self.text = np.array([f for texts, _ in forms for f in texts] or [""], dtype=object)
        self.sound = np.array([s for _, sounds in forms for s in sounds] or [0], np.uint32)
        self.length = _lengths(self.text.tolist())


@lru_cache(maxsize=1 << 16)
def _forms_of(family: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A family name's forms (sorted) and their sound codes; the same names recur."""
    forms = tuple(sorted(family_forms(tuple(family.split(" ")))))
    return forms, tuple(_sound(form) for form in forms)


def _related_ids(pool: StringPool, text: str) -> list[int]:
    return [found for name in related_names(text) if (found := pool.find(name)) is not None]


@lru_cache(maxsize=1 << 16)
def _sound(text: str) -> int:
    return zlib.crc32(comparison_code(text.replace(" ", "")).encode()) if text else 0


def _allowed(buyers: _BuyerReadings, readings: _Readings, v: Ints, r: Ints, given: Ints) -> Bools:
    """Which pairs count (the one-by-one matcher's `_credible`): swapping both sides at
    once compares nothing new, and a given/middle swap counts only when the swapped given
    names agree well (else it would merely hide a disagreement: twins Jared and Daniel
    Jake would pass for one person)."""
    record_swapped = readings.swapped[r]
    needs_strong = buyers.given_middle_swapped[v] | record_swapped
    strong = (given >= _GIVEN_EXACT) & (given <= _GIVEN_TYPO)  # exact, nickname or typo
    allowed: Bools = ~(buyers.swapped[v] & record_swapped) & (strong | ~needs_strong)
    return allowed


def _pick_best(
    total: Floats, owner: Ints, local_v: Ints, pair_r: Ints, reading_start: Ints, n: int
) -> Ints:
    """Per candidate, the pair of its best reading (-1 when none counts).

    Highest weight wins; among equal weights the first in the one-by-one order (buyer
    reading first, then the record's reading), so the lowest (v, r).
    """
    best = np.full(n, -np.inf)
    np.maximum.at(best, owner, total)
    winner = (total == best[owner]) & np.isfinite(total)
    span = len(pair_r) + 1
    order = np.where(winner, local_v * span + pair_r, np.iinfo(np.int64).max)
    first = np.full(n, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first, owner, order)
    pair_of = np.full(n, -1, np.int64)
    found = np.flatnonzero(first != np.iinfo(np.int64).max)
    # Pairs are grouped by record reading with v fastest: pair = first pair of r, plus v.
    r, v = first[found] % span, first[found] // span
    pair_of[found] = reading_start[r] + v
    return pair_of
