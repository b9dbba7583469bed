"""How findings become PROCEED / DENIED / DELAYED (domain.determinations.determine)."""

from __future__ import annotations

from datetime import date

import pytest

from transfercheck.domain.determinations import (
    AgeAssessment,
    CheckStatus,
    ClauseFinding,
    Finding,
    ItemAssessment,
    ItemStatus,
    MatchThresholds,
    ReasonCode,
    RecordAssessment,
    RecordEffect,
    determine,
)

THRESHOLDS = MatchThresholds(delay=0.5, deny=0.99)
DEADLINE = date(2026, 12, 1)


def finding(p: float, effect: RecordEffect, identifier: bool = False) -> Finding:
    return Finding("r1", p, identifier, RecordAssessment("r1", effect, "why", "18 U.S.C. 922"))


CASES = [
    ("no candidates: proceed", [], None, CheckStatus.PROCEED, ()),
    (
        "certain match with identifier to active record: deny",
        [finding(0.999, RecordEffect.PROHIBITS, identifier=True)],
        None,
        CheckStatus.DENIED,
        (ReasonCode.PROHIBITING_RECORD,),
    ),
    (
        "certain name+DOB match without identifier: only delay (namesakes)",
        [finding(0.999, RecordEffect.PROHIBITS)],
        None,
        CheckStatus.DELAYED,
        (ReasonCode.POSSIBLE_MATCH,),
    ),
    (
        "ambiguous match to active record: delay",
        [finding(0.7, RecordEffect.PROHIBITS, identifier=True)],
        None,
        CheckStatus.DELAYED,
        (ReasonCode.POSSIBLE_MATCH,),
    ),
    (
        "match to a record lacking its disposition: delay",
        [finding(0.999, RecordEffect.NEEDS_DISPOSITION, identifier=True)],
        None,
        CheckStatus.DELAYED,
        (ReasonCode.MISSING_DISPOSITION,),
    ),
    (
        "weak match below the delay threshold: proceed",
        [finding(0.3, RecordEffect.PROHIBITS, identifier=True)],
        None,
        CheckStatus.PROCEED,
        (),
    ),
    (
        "certain match to a record that no longer prohibits: proceed",
        [finding(0.999, RecordEffect.NONE, identifier=True)],
        None,
        CheckStatus.PROCEED,
        (),
    ),
    (
        "underage: deny whatever the records say",
        [],
        AgeAssessment(20, 21, "18 U.S.C. 922(b)(1)"),
        CheckStatus.DENIED,
        (ReasonCode.UNDERAGE,),
    ),
    (
        "deny outranks delay, both reasons kept",
        [
            finding(0.999, RecordEffect.PROHIBITS, identifier=True),
            finding(0.8, RecordEffect.NEEDS_DISPOSITION),
        ],
        None,
        CheckStatus.DENIED,
        (ReasonCode.PROHIBITING_RECORD, ReasonCode.MISSING_DISPOSITION),
    ),
]


@pytest.mark.parametrize(
    ("policy", "findings", "age", "status", "reasons"), CASES, ids=[c[0] for c in CASES]
)
def test_determination(
    policy: str,
    findings: list[Finding],
    age: AgeAssessment | None,
    status: CheckStatus,
    reasons: tuple[ReasonCode, ...],
) -> None:
    result = determine(findings, age, THRESHOLDS, DEADLINE)
    assert (result.status, result.reasons) == (status, reasons)
    assert result.may_transfer_on == (DEADLINE if status is CheckStatus.DELAYED else None)


def test_findings_below_the_delay_threshold_are_not_kept() -> None:
    result = determine([finding(0.2, RecordEffect.PROHIBITS)], None, THRESHOLDS, DEADLINE)
    assert result.findings == ()


@pytest.mark.parametrize(("delay", "deny"), [(0.0, 0.9), (0.9, 0.5), (0.5, 1.0)])
def test_thresholds_must_be_ordered_probabilities(delay: float, deny: float) -> None:
    with pytest.raises(ValueError, match="thresholds"):
        MatchThresholds(delay, deny)


def item(status: ItemStatus) -> ItemAssessment:
    clause = ClauseFinding(
        "NY", "265.00(23)", "N.Y. Penal Law 265.00(23)", "LCAFD", "magazine",
        status is ItemStatus.PROHIBITED, "holds 30 rounds, more than 10",
    )  # fmt: skip
    return ItemAssessment("NY", date(2026, 11, 24), status, (clause,))


@pytest.mark.parametrize(
    ("findings", "others"),
    [
        pytest.param([], (), id="a clean buyer"),
        pytest.param([finding(0.7, RecordEffect.PROHIBITS)], (ReasonCode.POSSIBLE_MATCH,),
                     id="a buyer who would be delayed"),
    ],
)  # fmt: skip
def test_a_prohibited_item_is_denied_whoever_the_buyer_is(
    findings: list[Finding], others: tuple[ReasonCode, ...]
) -> None:
    result = determine(findings, None, THRESHOLDS, DEADLINE, item(ItemStatus.PROHIBITED))
    assert result.status is CheckStatus.DENIED
    assert result.reasons == (ReasonCode.PROHIBITED_ITEM, *others)
    assert result.may_transfer_on is None
    assert result.item is not None
    assert result.item.prohibited


def test_an_allowed_item_changes_nothing() -> None:
    result = determine([], None, THRESHOLDS, DEADLINE, item(ItemStatus.ALLOWED))
    assert (result.status, result.reasons) == (CheckStatus.PROCEED, ())
