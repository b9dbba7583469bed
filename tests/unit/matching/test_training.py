"""Fitting without labels: EM recovers a known mixture; the prior per check; the
twins-and-siblings term; term frequency makes a common name count for less."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.unit.matching.matching_helpers import person
from transfercheck.matching import IdentityIndex, Matcher, load_default_model
from transfercheck.matching.comparisons import (
    COMPARISONS,
    GIVEN_NAME,
    NO_EVIDENCE,
    PLACE_OF_BIRTH,
    GivenLevel,
    PlaceLevel,
)
from transfercheck.matching.query import build_query
from transfercheck.matching.training import (
    check_pairs_and_names_known,
    expectation_maximisation,
    level_frequencies,
    matches_per_check,
    relatives_bits,
    unknown_name_terms,
)

MODEL = load_default_model()


def mixture(
    n: int, prior: float, seed: int
) -> tuple[np.ndarray, list[list[float]], list[list[float]]]:
    """Gamma vectors drawn from known m and u (fields independent given the class)."""
    gamma, m, u, _ = labelled_mixture(n, prior, seed)
    return gamma, m, u


def labelled_mixture(
    n: int, prior: float, seed: int
) -> tuple[np.ndarray, list[list[float]], list[list[float]], np.ndarray]:
    """`mixture`, and which pairs are true matches."""
    rng = np.random.default_rng(seed)
    m = [[0.9] + [0.1 / (len(c.labels) - 1)] * (len(c.labels) - 1) for c in COMPARISONS]
    u = [[0.05] + [0.95 / (len(c.labels) - 1)] * (len(c.labels) - 1) for c in COMPARISONS]
    match = rng.random(n) < prior
    gamma = np.empty((n, len(COMPARISONS)), np.int8)
    for f, comparison in enumerate(COMPARISONS):
        levels = len(comparison.labels)
        gamma[match, f] = rng.choice(levels, int(match.sum()), p=m[f])
        gamma[~match, f] = rng.choice(levels, int((~match).sum()), p=u[f])
    gamma[rng.random(n) < 0.1, 1] = NO_EVIDENCE  # a field often missing is no evidence
    return gamma, m, u, match


def test_em_recovers_a_known_mixture() -> None:
    gamma, m, u = mixture(40_000, 0.3, seed=1)
    fit = expectation_maximisation(gamma, MODEL)
    assert fit.prior == pytest.approx(0.3, abs=0.02)
    for f in range(len(COMPARISONS)):
        assert fit.m[f][0] == pytest.approx(m[f][0], abs=0.03)
        assert fit.u[f][0] == pytest.approx(u[f][0], abs=0.03)


def test_level_frequencies_ignore_missing_fields_and_sum_to_one() -> None:
    gamma, _, _ = mixture(2_000, 0.5, seed=2)
    for shares in level_frequencies(gamma):
        assert sum(shares) == pytest.approx(1.0)


def test_matches_per_check_is_the_sum_of_posteriors_per_check() -> None:
    gamma, m, u = mixture(20_000, 0.25, seed=3)
    fitted = replace(MODEL, fields=tuple(
        replace(spec, levels=tuple(
            replace(level, m=m[f][i], u=u[f][i]) for i, level in enumerate(spec.levels)
        )) for f, spec in enumerate(MODEL.fields)
    ))  # fmt: skip
    # 20,000 candidate pairs over 2,000 checks, a quarter of them true: 2.5 per check.
    assert matches_per_check(fitted, gamma, checks=2_000) == pytest.approx(2.5, rel=0.08)


UNKNOWN_SPLITS = [
    # (case, share of true pairs' disagreements with an unknown name, of false pairs')
    ("slips_are_unknown_names", 0.6, 0.05),
    ("unknown_names_no_likelier_in_true_pairs", 0.1, 0.1),
]


@pytest.mark.parametrize(
    ("true_share", "false_share"),
    [c[1:] for c in UNKNOWN_SPLITS],
    ids=[c[0] for c in UNKNOWN_SPLITS],
)
def test_unknown_name_terms_recover_a_known_split(true_share: float, false_share: float) -> None:
    gamma, _, _, match = labelled_mixture(60_000, 0.3, seed=4)
    rng = np.random.default_rng(5)
    unknown = rng.random(len(gamma)) < np.where(match, true_share, false_share)
    known = np.stack([~unknown, ~unknown], axis=1)
    fit = expectation_maximisation(gamma, MODEL)
    for term in unknown_name_terms(fit, gamma, known):
        expected_unknown = max(0.0, np.log2(true_share / false_share))
        expected_known = min(0.0, np.log2((1 - true_share) / (1 - false_share)))
        assert term.unknown_bits == pytest.approx(expected_unknown, abs=0.3), term.field
        assert term.known_bits == pytest.approx(expected_known, abs=0.15), term.field


def test_the_twins_pattern_is_penalised_when_commoner_than_chance() -> None:
    u = [[lv.u for lv in spec.levels] for spec in MODEL.fields]  # chance agreement is rare
    twins = np.zeros((50, len(COMPARISONS)), np.int8)
    twins[:, 0] = 5  # given names differ; family name and date of birth agree (level 0)
    bits, seen = relatives_bits(twins, sampled=100, records=1000, u=u)
    assert seen == 50
    assert bits < 0
    assert relatives_bits(twins[:0], sampled=100, records=1000, u=u)[0] == 0.0


def test_em_sees_no_place_of_birth_for_twins_as_scoring_weighs_none() -> None:
    # A twin's place agrees as surely as the person's: EM must not read it as a match.
    index = IdentityIndex()
    index.add("twin", person("Jacob", "Miller", place_of_birth="OH"))
    index.add("stranger", person("Jacob", "Mills", place_of_birth="OH"))
    queries = [build_query(person("Thomas", "Miller", place_of_birth="Ohio")),
               build_query(person("Jacob", "Milles", place_of_birth="Ohio"))]  # fmt: skip
    gamma, _ = check_pairs_and_names_known(Matcher(MODEL, index), queries)
    twins = gamma[gamma[:, GIVEN_NAME] == GivenLevel.DISAGREE]
    others = gamma[gamma[:, GIVEN_NAME] != GivenLevel.DISAGREE]
    assert len(twins)
    assert len(others)
    assert (twins[:, PLACE_OF_BIRTH] == NO_EVIDENCE).all()
    assert (others[:, PLACE_OF_BIRTH] == PlaceLevel.EXACT).all()


def test_term_frequency_makes_a_common_name_count_for_less() -> None:
    index = IdentityIndex()
    index.add_many((f"s{i}", person(f"Name{i:04d}x", "Smith")) for i in range(3000))
    index.add("rare", person("William", "Zbikowski"))
    index.add("common", person("William", "Smith"))
    matcher = Matcher(MODEL, index)
    weights = {}
    for buyer, record_id in ((person("William", "Zbikowski"), "rare"),
                             (person("William", "Smith"), "common")):  # fmt: skip
        found = next(c for c in matcher.find_candidates(buyer) if c.record_id == record_id)
        family = next(e for e in found.evidence if e.field == "family_name")
        weights[record_id] = family.weight
        note = "a rare name here" if record_id == "rare" else "a common name here"
        assert note in family.explanation
    assert weights["rare"] > weights["common"] + 5
