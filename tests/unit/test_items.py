"""The item description: make and model names compared loosely, impossible descriptions
refused with the field named."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.builders import firearm
from transfercheck.domain.items import item_problems, normalise_make, normalise_model
from transfercheck.domain.rules.item_model import NamedModel

ON = date(2024, 6, 3)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("AR-15", "ar15"), ("ar 15", "ar15"), ("AR15", "ar15"), ("M-11/9", "m119"),
     ("ＡＲ－１５", "ar15"), ("SPAS_12", "spas12")],
)  # fmt: skip
def test_model_names_ignore_case_spaces_and_punctuation(written: str, expected: str) -> None:
    assert normalise_model(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("Colt", "colt"), ("COLT Inc.", "colt"), ("Heckler & Koch", "hecklerkoch"),
     ("Military Armament Corp.", "militaryarmament"), ("Co", "co")],
)  # fmt: skip
def test_maker_names_also_drop_company_words(written: str, expected: str) -> None:
    assert normalise_make(written) == expected


@pytest.mark.parametrize(
    ("entry", "make", "model", "matches"),
    [
        pytest.param(NamedModel("AR-15", ("Colt",), series=True), "colt", "AR15A2 HBAR", True,
                     id="a series takes every variation"),
        pytest.param(NamedModel("AR-15", ("Colt",)), "Colt", "AR-15A2", False,
                     id="an exact entry takes only that model"),
        pytest.param(NamedModel("AR-15", ("Colt",), series=True), "Acme", "AR-15", False,
                     id="the maker must agree when the entry names one"),
        pytest.param(NamedModel("UZI", series=True), "IWI", "Uzi Pro", True,
                     id="no maker named: any maker"),
        pytest.param(NamedModel("AR-15", ("Colt",), series=True), "Colt", "AR-1", False,
                     id="a shorter name is not in the series"),
    ],
)  # fmt: skip
def test_named_model_entries(entry: NamedModel, make: str, model: str, matches: bool) -> None:
    assert entry.matches(firearm(make=make, model=model)) is matches


BAD = [
    pytest.param(firearm(capacity=0), "magazine_capacity", "from 1 to 1000", id="capacity 0"),
    pytest.param(firearm(capacity=-1), "magazine_capacity", "from 1 to 1000", id="capacity -1"),
    pytest.param(firearm(capacity=10**9), "magazine_capacity", "from 1 to 1000",
                 id="capacity 10^9"),
    pytest.param(firearm(capacity=None), "magazine_capacity", "is required",
                 id="a magazine without a capacity"),
    pytest.param(replace(firearm(magazine="none"), magazine_capacity=5), "magazine_capacity",
                 "must be left out", id="a capacity without a magazine"),
    pytest.param(firearm(make="  "), "make", "a letter or digit", id="blank make"),
    pytest.param(firearm(model="-/-"), "model", "a letter or digit", id="punctuation-only model"),
    pytest.param(firearm(model="AR\u202e15"), "model", "control or invisible",
                 id="an invisible character"),
    pytest.param(firearm(model="x" * 101), "model", "at most 100", id="a 101-character model"),
    pytest.param(firearm(overall=0.0), "overall_length_in", "more than 0", id="zero length"),
    pytest.param(firearm(barrel=-3.0), "barrel_length_in", "more than 0", id="negative barrel"),
    pytest.param(firearm(overall=20.0, barrel=21.0), "barrel_length_in",
                 "longer than the overall length", id="barrel longer than the firearm"),
    pytest.param(firearm(weight=5000.0), "weight_oz", "at most 1600", id="a 300 lb pistol"),
    pytest.param(firearm(possessed_since=date(2024, 6, 4)), "possessed_since",
                 "after the transfer date", id="possessed after the transfer"),
    pytest.param(firearm(manufactured_on=date(1066, 10, 14)), "manufactured_on",
                 "before 1800-01-01", id="made before 1800"),
    pytest.param(firearm(possessed_since=date(2000, 1, 1), manufactured_on=date(2001, 1, 1)),
                 "possessed_since", "before manufactured_on", id="possessed before it was made"),
]  # fmt: skip


@pytest.mark.parametrize(("item", "field", "message"), BAD)
def test_impossible_descriptions_name_the_field(item: object, field: str, message: str) -> None:
    problems = item_problems(item, ON)  # type: ignore[arg-type]
    assert [p.location for p in problems] == [f"item.{field}"]
    assert message in problems[0].message


def test_a_plain_description_has_no_problem() -> None:
    assert item_problems(firearm(), ON) == []
    assert item_problems(firearm(magazine="none", action="break_action"), ON) == []
