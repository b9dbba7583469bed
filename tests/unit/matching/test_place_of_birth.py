"""The place of birth: its weight, weighed among the people of the record's family name,
its counts kept through inserts, deletes and snapshots, and its explanation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.unit.matching.matching_helpers import person
from transfercheck.domain.identities import Identity
from transfercheck.matching import (
    IdentityIndex,
    Matcher,
    load_default_model,
    load_snapshot,
    save_snapshot,
)
from transfercheck.matching.comparisons import PLACE_OF_BIRTH, PlaceLevel
from transfercheck.matching.query import build_query

MODEL = load_default_model()
STATES = ["AL", "AZ", "CO", "CT", "GA", "IA", "ID", "IN", "KS", "KY", "LA", "MD", "ME", "MN",
          "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "OK", "OR", "PA", "RI",
          "SC", "SD", "TN", "UT", "VA", "VT", "WA", "WI", "WV", "WY", "AK", "AR"]  # fmt: skip


def index_of(people: list[Identity]) -> IdentityIndex:
    index = IdentityIndex()
    index.add_many((f"o{i}", p) for i, p in enumerate(people))
    return index


def community() -> list[Identity]:
    """Nguyens nearly all born in Vietnam; Smiths born all over, one to a state."""
    day = date(1950, 1, 1)
    nguyens = [person("Minh", "Nguyen", day + timedelta(days=i), place_of_birth="Vietnam")
               for i in range(60)]  # fmt: skip
    smiths = [person("John", "Smith", day + timedelta(days=i), place_of_birth=state)
              for i, state in enumerate(STATES)]  # fmt: skip
    return nguyens + smiths


def place_of(index: IdentityIndex, target: Identity, buyer: Identity) -> tuple[int, float, float]:
    """The target's place level, place weight and place term bits for the buyer."""
    index.add("target", target)
    scores, _ = Matcher(MODEL, index).score_queries([build_query(buyer)])
    at = index.record_ids(scores.rows).index("target")
    return (int(scores.gamma[at][PLACE_OF_BIRTH]), float(scores.weights[at][PLACE_OF_BIRTH]),
            float(scores.term_frequency_bits[at][3]))  # fmt: skip


def place_explained(index: IdentityIndex, buyer: Identity) -> str:
    """What the examiner reads about the place of birth of the record "target"."""
    found = Matcher(MODEL, index).find_candidates(buyer)
    evidence = next(c for c in found if c.record_id == "target").evidence
    return next(e for e in evidence if e.field == "place_of_birth").explanation


def level_weight(level: PlaceLevel) -> float:
    return MODEL.level_weight(PLACE_OF_BIRTH, int(level))


def test_born_where_most_of_the_family_name_were_born_counts_less() -> None:
    nguyen = person("Thanh", "Nguyen", place_of_birth="Viet Nam")
    level, weight, term = place_of(index_of(community()), nguyen, nguyen)
    assert level == PlaceLevel.EXACT
    # P(Vietnam | Nguyen) is near one here: the agreement says almost nothing.
    assert term < -3.0
    assert weight == pytest.approx(level_weight(PlaceLevel.EXACT) + term)
    assert weight < 1.0


def test_a_place_rare_among_the_family_name_keeps_the_level_weight_and_no_more() -> None:
    smith = person("Jane", "Smith", place_of_birth="Texas")
    level, weight, term = place_of(index_of(community()), smith, smith)
    assert level == PlaceLevel.EXACT
    assert term == 0.0  # one Smith in forty born in Texas: no bonus for rarity either
    assert weight == pytest.approx(level_weight(PlaceLevel.EXACT))


def test_a_different_place_counts_against_and_a_missing_one_not_at_all() -> None:
    record = person("Jane", "Smith", place_of_birth="TX")
    elsewhere = person("Jane", "Smith", place_of_birth="Ohio")
    level, weight, _ = place_of(index_of(community()), record, elsewhere)
    assert (level, weight) == (PlaceLevel.DISAGREE, level_weight(PlaceLevel.DISAGREE))
    assert weight < -3.0
    unknown = person("Jane", "Smith", place_of_birth="USA")
    level, weight, _ = place_of(index_of(community()), record, unknown)
    assert (level, weight) == (-1, 0.0)


def test_counts_follow_inserts_deletes_and_snapshots(tmp_path: Path) -> None:
    index = index_of(community())
    frequencies = index.table.frequencies
    vietnam = index.table.pool.find("VNM")
    nguyen = index.table.pool.find("nguyen")
    assert vietnam is not None
    assert nguyen is not None
    key = np.array([(vietnam << 32) | nguyen], np.int64)
    assert frequencies.birthplaces[vietnam] == 60
    assert frequencies.birthplace_family.get(key)[0] == 60
    index.remove("o0")
    index.update("o1", person("Minh", "Nguyen", place_of_birth="CA"))
    assert frequencies.birthplaces[vietnam] == 58
    assert frequencies.birthplace_family.get(key)[0] == 58
    assert frequencies.birthplace_total == 58 + len(STATES) + 1
    save_snapshot(index, tmp_path / "index")
    loaded = load_snapshot(tmp_path / "index").table.frequencies
    assert loaded.birthplaces[vietnam] == 58
    assert loaded.birthplace_family.get(key)[0] == 58
    assert loaded.birthplace_total == frequencies.birthplace_total


def test_the_explanation_names_both_places_and_the_community() -> None:
    index = index_of(community())
    index.add("target", person("Thanh", "Nguyen", place_of_birth="VNM"))
    buyer = person("Thanh", "Nguyen", place_of_birth="Vietnam")
    place = place_explained(index, buyer)
    assert place.startswith("Place of birth agrees")
    assert "Viet Nam" in place
    assert "many people of the record's family name were born there" in place
    other = person("Thanh", "Nguyen", place_of_birth="Houston, TX")
    place = place_explained(index, other)
    assert place.startswith("Places of birth differ")
    assert "TX" in place
    assert "Viet Nam" in place


def test_twins_born_in_one_place_are_not_told_apart_by_it() -> None:
    # Given names differ beside family name and date of birth: twins or siblings, who were
    # born in one place. Their agreeing place must not outweigh the different given name.
    index = index_of(community())
    twin = person("Jacob", "Miller", date(1990, 4, 1), place_of_birth="OH")
    brother = person("Thomas", "Miller", date(1990, 4, 1), place_of_birth="Ohio")
    level, weight, _ = place_of(index, twin, brother)
    assert (level, weight) == (PlaceLevel.EXACT, 0.0)
    place = place_explained(index, brother)
    assert "twins and siblings share a place of birth" in place
    # Born elsewhere, the same pair still counts the difference against.
    elsewhere = person("Thomas", "Miller", date(1990, 4, 1), place_of_birth="Utah")
    level, weight, _ = place_of(index_of(community()), twin, elsewhere)
    assert (level, weight) == (PlaceLevel.DISAGREE, level_weight(PlaceLevel.DISAGREE))
