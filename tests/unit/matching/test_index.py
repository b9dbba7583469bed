"""The identity index: add, replace, remove, and huge blocks never used alone."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tests.unit.matching.matching_helpers import DOB, matcher_for, person
from transfercheck.domain.identities import PersonName
from transfercheck.matching import IdentityIndex
from transfercheck.matching.blocking import identifier_keys
from transfercheck.matching.normalise import normalise_identity


def test_add_find_and_remove() -> None:
    index = IdentityIndex()
    index.add("r1", person("William", "Smith"))
    assert len(index) == 1
    assert "r1" in index
    assert index.candidate_ids(person("Bill", "Smith")) == {"r1"}
    assert index.remove("r1") is True
    assert len(index) == 0
    assert index.candidate_ids(person("Bill", "Smith")) == set()


def test_removing_an_unknown_record_is_harmless() -> None:
    assert IdentityIndex().remove("nope") is False


def test_adding_an_existing_id_replaces_the_identity() -> None:
    index = IdentityIndex()
    index.add("r1", person("William", "Smith"))
    index.add("r1", person("Maria", "Garcia", date(1990, 1, 2)))
    assert len(index) == 1
    assert index.candidate_ids(person("William", "Smith")) == set()
    assert index.candidate_ids(person("Maria", "Garcia", date(1990, 1, 2))) == {"r1"}


def test_removal_empties_the_blocks_and_compaction_drops_them() -> None:
    index = IdentityIndex()
    smith = person("William", "Smith", ssn="123456780")
    index.add("r1", smith)
    (ssn_key,) = identifier_keys(normalise_identity(smith))
    assert index.block_size(ssn_key) == 1
    index.remove("r1")
    assert index.block_size(ssn_key) == 0
    index.compact()
    assert len(index.postings) == 0  # no key outlives its last record


def test_record_aliases_are_indexed() -> None:
    index = IdentityIndex()
    index.add("r1", person("William", "Smith", aliases=(PersonName("Vasily", "Kuznetsov"),)))
    assert index.candidate_ids(person("Vasily", "Kuznetsov")) == {"r1"}


def test_stored_identity_is_normalised() -> None:
    index = IdentityIndex()
    index.add("r1", person("Nguyễn", "Trần"))
    assert index.identity("r1").names[0].family == ("tran",)
    with pytest.raises(KeyError):
        index.identity("r2")


def test_max_block_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_block_size"):
        IdentityIndex(max_block_size=0)


def crowded_index(cap: int) -> IdentityIndex:
    """Many records sharing a placeholder family name and date of birth ("Doe", 1900-01-01),
    so the date-and-family block is far over the cap; plus the record we want to find."""
    index = IdentityIndex(max_block_size=cap)
    for i in range(cap * 3):
        index.add(f"doe-{i}", person(f"Person{i:04d}x", "Doe", date(1900, 1, 1)))
    index.add("target", person("William", "Doe", date(1900, 1, 1), middle="Quentin"))
    return index


def test_oversized_block_is_not_used_alone_but_the_match_comes_through_another_key() -> None:
    index = crowded_index(cap=20)
    # "Bill" is a nickname: the huge dob+family block is skipped, dob+given finds the target.
    found = index.lookup(person("Bill", "Doe", date(1900, 1, 1)))
    assert "target" in found.record_ids
    assert len(found.record_ids) < 10
    assert any(key.startswith("dob_family|1900-01-01|") for key in found.oversized_keys)
    assert index.oversized_block_uses == len(found.oversized_keys)


def test_given_name_typo_in_a_crowded_block_comes_through_the_middle_name() -> None:
    index = crowded_index(cap=20)
    found = index.lookup(person("Xilliam", "Doe", date(1900, 1, 1), middle="Quentin"))
    assert "target" in found.record_ids
    assert found.oversized_keys


def test_oversized_blocks_that_corroborate_each_other_are_used() -> None:
    index = IdentityIndex(max_block_size=1)
    index.add("a", person("Anna", "Doe", date(1900, 1, 1)))
    index.add("b", person("Anna", "Doe", date(1900, 1, 1)))
    found = index.lookup(person("Anna", "Doe", date(1900, 1, 1)))
    assert found.record_ids == {"a", "b"}  # every key is over the cap, but two agree
    assert len(found.oversized_keys) >= 2


def test_an_unshared_oversized_block_is_skipped_and_reported() -> None:
    # The honest limit: a buyer whose only shared key is a huge block gets no candidates
    # from it, and the caller is told which key was skipped.
    matcher = matcher_for({f"d{i}": person(f"Name{i:03d}q", "Doe", DOB) for i in range(30)},
                          max_block_size=10)  # fmt: skip
    search = matcher.search(person("Zed", "Doe", DOB))
    assert search.oversized_blocks
    assert search.candidates == ()


def test_add_many_replaces_ids_already_in_the_index() -> None:
    index = IdentityIndex()
    index.add("r1", person("William", "Smith"))
    index.add_many(
        [
            ("r1", person("Maria", "Garcia", date(1990, 1, 2))),
            ("r2", person("A", "B", date(1970, 5, 5))),
        ]
    )
    assert len(index) == 2
    assert index.candidate_ids(person("William", "Smith")) == set()
    assert index.candidate_ids(person("Maria", "Garcia", date(1990, 1, 2))) == {"r1"}


def test_name_frequencies_follow_inserts_and_deletes() -> None:
    index = IdentityIndex()
    index.add_many((f"s{i}", person("John", "Smith", middle="Lee")) for i in range(3))
    index.add("g", person("Maria", "Garcia"))
    frequencies, pool = index.table.frequencies, index.table.pool
    smith = np.array([pool.find("smith")], np.int64)
    assert frequencies.share("family_name", smith, 0.0, 0.0)[0] == pytest.approx(3 / 4)
    index.remove("s0")
    assert frequencies.share("family_name", smith, 0.0, 0.0)[0] == pytest.approx(2 / 3)
    lee = np.array([pool.find("lee")], np.int64)
    assert frequencies.share("middle_name", lee, 0.0, 0.0)[0] == pytest.approx(1.0)
