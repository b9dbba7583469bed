"""The model file: the shipped one loads, and every kind of bad file is named clearly."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from importlib import resources
from typing import Any

import numpy as np
import pytest

from transfercheck.matching.comparisons import COMPARISONS, NO_EVIDENCE
from transfercheck.matching.model import (
    DEFAULT_MODEL_FILE,
    ModelFileError,
    load_default_model,
    model_from_json,
    parse_model,
    probability,
)


def shipped() -> dict[str, Any]:
    models = resources.files("transfercheck.matching").joinpath("models")
    text = models.joinpath(DEFAULT_MODEL_FILE).read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def test_shipped_model_loads() -> None:
    model = load_default_model()
    assert model.version == "fs-v5"
    assert [f.field for f in model.fields] == [c.field for c in COMPARISONS]
    assert model.notes


def test_every_level_of_the_shipped_model_has_a_note() -> None:
    for spec in load_default_model().fields:
        assert spec.note
        assert all(level.note for level in spec.levels)


def level(data: dict[str, Any], field: str, label: str) -> dict[str, Any]:
    levels: list[dict[str, Any]] = data["fields"][field]["levels"]
    return next(lv for lv in levels if lv["label"] == label)


def drop_level(data: dict[str, Any]) -> None:
    data["fields"]["sex"]["levels"].pop()


def rename_level(data: dict[str, Any]) -> None:
    level(data, "sex", "agree")["label"] = "same"


def reorder_levels(data: dict[str, Any]) -> None:
    data["fields"]["sex"]["levels"].reverse()


def m_zero(data: dict[str, Any]) -> None:
    level(data, "sex", "agree")["m"] = 0


def u_above_one(data: dict[str, Any]) -> None:
    level(data, "sex", "agree")["u"] = 1.5


def m_not_a_number(data: dict[str, Any]) -> None:
    level(data, "sex", "agree")["m"] = "0.9"


def m_boolean(data: dict[str, Any]) -> None:
    level(data, "sex", "agree")["m"] = True


def m_not_summing_to_one(data: dict[str, Any]) -> None:
    level(data, "sex", "agree")["m"] = 0.5


def drop_field(data: dict[str, Any]) -> None:
    del data["fields"]["ssn"]


def add_field(data: dict[str, Any]) -> None:
    data["fields"]["eye_colour"] = copy.deepcopy(data["fields"]["sex"])


def identifier_flag_on_a_name(data: dict[str, Any]) -> None:
    data["fields"]["given_name"]["unique_identifier"] = True


def identifier_flag_off_ssn(data: dict[str, Any]) -> None:
    data["fields"]["ssn"]["unique_identifier"] = False


def prior_one(data: dict[str, Any]) -> None:
    data["prior"]["lambda"] = 1


def prior_missing(data: dict[str, Any]) -> None:
    del data["prior"]


def version_empty(data: dict[str, Any]) -> None:
    data["version"] = " "


def wrong_format(data: dict[str, Any]) -> None:
    data["format"] = "splink"


def orientation_bonus(data: dict[str, Any]) -> None:
    data["name_orientations"]["given_family_swapped"]["bits"] = 2.0


def orientation_unknown(data: dict[str, Any]) -> None:
    data["name_orientations"]["family_middle_swapped"] = {"bits": -1.0}


def level_not_an_object(data: dict[str, Any]) -> None:
    data["fields"]["sex"]["levels"][0] = 0.9


def unknown_name_on_a_middle_name(data: dict[str, Any]) -> None:
    data["unknown_names"]["middle_name"] = {"unknown_bits": 1.0, "known_bits": -1.0}


def unknown_name_bits_negative(data: dict[str, Any]) -> None:
    data["unknown_names"]["given_name"]["unknown_bits"] = -1.0


def known_name_bits_positive(data: dict[str, Any]) -> None:
    data["unknown_names"]["family_name"]["known_bits"] = 0.5


def unknown_names_not_an_object(data: dict[str, Any]) -> None:
    data["unknown_names"] = [1.0, -1.0]


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("missing_level_is_named", drop_level, "fields.sex.levels", "missing level(s): disagree"),
    ("unknown_level_is_named", rename_level, "fields.sex.levels", "unknown level(s): same"),
    ("levels_out_of_order", reorder_levels, "fields.sex.levels", "must be in this order"),
    ("m_of_zero_is_refused", m_zero, "fields.sex.levels[0].m", "(0, 1]"),
    ("u_above_one_is_refused", u_above_one, "fields.sex.levels[0].u", "(0, 1]"),
    ("m_as_text_is_refused", m_not_a_number, "fields.sex.levels[0].m", "(0, 1]"),
    ("m_as_boolean_is_refused", m_boolean, "fields.sex.levels[0].m", "(0, 1]"),
    ("m_must_sum_to_one", m_not_summing_to_one, "fields.sex", "m values sum to 0.5"),
    ("missing_field_is_named", drop_field, "fields.ssn", "missing field"),
    ("unknown_field_is_named", add_field, "fields.eye_colour", "unknown field"),
    ("a_name_cannot_be_an_identifier", identifier_flag_on_a_name,
     "fields.given_name.unique_identifier", "must be false"),
    ("ssn_must_stay_an_identifier", identifier_flag_off_ssn, "fields.ssn.unique_identifier",
     "must be true"),
    ("prior_must_be_below_one", prior_one, "prior.lambda", "strictly between 0 and 1"),
    ("prior_is_required", prior_missing, "prior.lambda", "strictly between 0 and 1"),
    ("version_is_required", version_empty, "version", "non-empty"),
    ("format_is_checked", wrong_format, "format", "transfercheck/fs-model@1"),
    ("orientation_cannot_add_evidence", orientation_bonus,
     "name_orientations.given_family_swapped.bits", "<= 0"),
    ("unknown_orientation_is_named", orientation_unknown,
     "name_orientations.family_middle_swapped", "unknown"),
    ("level_must_be_an_object", level_not_an_object, "fields.sex.levels[0]", "must be an object"),
    ("unknown_name_only_for_given_and_family", unknown_name_on_a_middle_name,
     "unknown_names.middle_name", "applies only to"),
    ("an_unknown_name_cannot_count_against", unknown_name_bits_negative,
     "unknown_names.given_name.unknown_bits", ">= 0"),
    ("a_known_name_cannot_count_for", known_name_bits_positive,
     "unknown_names.family_name.known_bits", "<= 0"),
    ("unknown_names_must_be_an_object", unknown_names_not_an_object, "unknown_names",
     "must be an object"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("breaks", "location", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_model_is_refused_with_location(
    breaks: Callable[[dict[str, Any]], None], location: str, message: str
) -> None:
    data = shipped()
    breaks(data)
    with pytest.raises(ModelFileError) as caught:
        parse_model(data, "test.json")
    found = [p for p in caught.value.problems if p.location == location]
    assert found, caught.value.problems
    assert any(message in p.message for p in found), found
    assert str(caught.value).startswith("test.json: ")


def test_every_problem_is_reported_at_once() -> None:
    data = shipped()
    wrong_format(data)
    drop_field(data)
    m_zero(data)
    with pytest.raises(ModelFileError) as caught:
        parse_model(data)
    assert len(caught.value.problems) >= 3


def test_invalid_json_is_refused_with_its_line() -> None:
    with pytest.raises(ModelFileError) as caught:
        model_from_json('{\n "format": ', "bad.json")
    assert caught.value.problems[0].location == "line 2"


def test_not_an_object_is_refused() -> None:
    with pytest.raises(ModelFileError):
        parse_model([1, 2, 3])


def test_weight_is_log2_of_m_over_u() -> None:
    model = load_default_model()
    spec = model.fields[0].levels[0]
    assert spec.weight == pytest.approx(math.log2(spec.m / spec.u))
    assert model.level_weight(0, NO_EVIDENCE) == 0.0


def test_prior_weight_is_log_odds_of_lambda() -> None:
    model = load_default_model()
    assert 2**model.prior_weight == pytest.approx(model.prior / (1 - model.prior))


def test_batch_weights_equal_one_by_one_weights() -> None:
    model = load_default_model()
    rng = np.random.default_rng(1)
    sizes = [len(f.levels) for f in model.fields]
    gammas = np.array([[rng.integers(-1, n) for n in sizes] for _ in range(200)])
    batch = model.match_weights(gammas)
    single = [model.match_weight(list(map(int, row))) for row in gammas]
    assert batch == pytest.approx(single)


def test_identifier_agrees_only_on_an_exact_identifier_level() -> None:
    model = load_default_model()
    fields = [c.field for c in COMPARISONS]
    gamma = [0] * len(fields)
    for field in ("ssn", "id_document", "fbi_number"):
        gamma[fields.index(field)] = 1 if field == "ssn" else NO_EVIDENCE
    assert not model.identifier_agrees(gamma)  # names, date and an SSN typo: no identifier
    gamma[fields.index("fbi_number")] = 0
    assert model.identifier_agrees(gamma)


PROBABILITIES = [
    ("zero_bits_is_even_odds", 0.0, 0.5),
    ("one_bit_is_two_to_one", 1.0, 2 / 3),
    ("minus_one_bit_is_one_to_two", -1.0, 1 / 3),
    ("huge_weight_is_certainty_without_overflow", 1e6, 1.0),
    ("huge_negative_weight_is_zero_without_underflow_error", -1e6, 0.0),
]


@pytest.mark.parametrize(
    ("weight", "expected"), [p[1:] for p in PROBABILITIES], ids=[p[0] for p in PROBABILITIES]
)
def test_probability(weight: float, expected: float) -> None:
    assert probability(weight) == pytest.approx(expected, abs=1e-300)
