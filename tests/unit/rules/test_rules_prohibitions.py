"""Does a record prohibit on the transfer date? One row per policy, each citing its basis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from transfercheck.domain.determinations import RecordEffect
from transfercheck.domain.identities import Identity, PersonName, Sex
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    Relief,
    ReliefType,
    SourceAgencyType,
)
from transfercheck.domain.rules import RuleBook, RuleSet

ON = date(2024, 6, 3)  # the transfer date of every row
EVENT = date(2020, 1, 15)
DAY = timedelta(days=1)
PROHIBITS, NEEDS, NONE = (
    RecordEffect.PROHIBITS,
    RecordEffect.NEEDS_DISPOSITION,
    RecordEffect.NONE,
)
C, D = Category, Disposition


def make_record(category: Category, disposition: Disposition, **fields: Any) -> ProhibitingRecord:
    values: dict[str, Any] = {"event_date": EVENT, **fields}
    return ProhibitingRecord(
        record_id="r-1",
        agency_record_id="A-1",
        source_agency="Synthetic County Court",
        source_agency_type=SourceAgencyType.COURT,
        jurisdiction="TX",
        category=category,
        subject=Identity(PersonName("Sam", "Example"), date(1980, 5, 1), Sex.UNKNOWN),
        disposition=disposition,
        **values,
    )


@dataclass(frozen=True)
class Row:
    category: Category
    disposition: Disposition
    expected: RecordEffect
    cites: str  # a fragment the assessment's citation must contain
    fields: dict[str, Any] = field(default_factory=dict)


def assess(rules: RuleSet, row: Row) -> Any:
    return rules.assess(make_record(row.category, row.disposition, **row.fields), ON, "TX")


CONVICTION_CATEGORIES = [
    (C.FELONY_CONVICTION, "922(g)(1)"),
    (C.DOMESTIC_VIOLENCE_MISDEMEANOR, "922(g)(9)"),
]

DISPOSITION_ROWS = (
    [
        pytest.param(
            Row(cat, D.CONVICTED, PROHIBITS, cite, {"disposition_date": date(2020, 6, 1)}),
            id=f"{cat.value} conviction with final disposition prohibits ({cite})",
        )
        for cat, cite in CONVICTION_CATEGORIES
    ]
    + [
        pytest.param(
            Row(cat, disposition, NEEDS, cite),
            id=f"{cat.value} arrest with {disposition.value} disposition needs it ({cite})",
        )
        for cat, cite in CONVICTION_CATEGORIES
        for disposition in (D.UNKNOWN, D.PENDING)
    ]
    + [
        pytest.param(
            Row(cat, disposition, NONE, cite, {"disposition_date": date(2020, 6, 1)}),
            id=f"{cat.value} {disposition.value}: no conviction, no prohibition ({cite})",
        )
        for cat, cite in CONVICTION_CATEGORIES
        for disposition in (D.ACQUITTED, D.DISMISSED)
    ]
    + [
        pytest.param(
            Row(C.UNDER_INDICTMENT, D.PENDING, PROHIBITS, "922(n)"),
            id="922n pending indictment prohibits receipt (922(n))",
        ),
        pytest.param(
            Row(C.UNDER_INDICTMENT, D.UNKNOWN, NEEDS, "922(n)"),
            id="922n indictment of unknown status needs its disposition (922(n))",
        ),
        pytest.param(
            Row(C.UNDER_INDICTMENT, D.DISMISSED, NONE, "922(n)"),
            id="922n dismissed indictment no longer prohibits (922(n))",
        ),
        pytest.param(
            Row(C.UNDER_INDICTMENT, D.ACQUITTED, NONE, "922(n)"),
            id="922n acquittal ends the indictment (922(n))",
        ),
        pytest.param(
            Row(C.UNDER_INDICTMENT, D.CONVICTED, PROHIBITS, "922(g)(1)"),
            id="922n indictment ending in conviction is a 922(g)(1) conviction (921(a)(14))",
        ),
        pytest.param(
            Row(
                C.UNDER_INDICTMENT,
                D.CONVICTED,
                NONE,
                "921(a)(20)",
                {"relief": Relief(ReliefType.PARDON, date(2023, 1, 1))},
            ),
            id="922n conviction later pardoned is relieved as a 922(g)(1) conviction (921(a)(20))",
        ),
        pytest.param(
            Row(C.FUGITIVE, D.UNKNOWN, PROHIBITS, "922(g)(2)"),
            id="fugitive warrant on file prohibits (922(g)(2))",
        ),
        pytest.param(
            Row(C.FUGITIVE, D.UNKNOWN, NONE, "922(g)(2)", {"expiry_date": ON - DAY}),
            id="fugitive warrant cleared before the date no longer prohibits (922(g)(2))",
        ),
        pytest.param(
            Row(C.MENTAL_HEALTH, D.UNKNOWN, PROHIBITS, "922(g)(4)"),
            id="mental-health adjudication prohibits without a conviction (922(g)(4))",
        ),
        pytest.param(
            Row(C.UNLAWFUL_ALIEN, D.UNKNOWN, PROHIBITS, "922(g)(5)"),
            id="unlawful immigration status prohibits (922(g)(5))",
        ),
        pytest.param(
            Row(C.UNLAWFUL_ALIEN, D.UNKNOWN, NONE, "922(g)(5)", {"expiry_date": date(2023, 1, 1)}),
            id="immigration status that ended before the date no longer prohibits (922(g)(5))",
        ),
        pytest.param(
            Row(C.DISHONORABLE_DISCHARGE, D.UNKNOWN, PROHIBITS, "922(g)(6)"),
            id="dishonorable discharge prohibits (922(g)(6))",
        ),
        pytest.param(
            Row(
                C.DISHONORABLE_DISCHARGE,
                D.UNKNOWN,
                PROHIBITS,
                "922(g)(6)",
                {"expiry_date": ON - DAY},
            ),
            id="dishonorable discharge is permanent: an expiry date does not end it (922(g)(6))",
        ),
        pytest.param(
            Row(C.RENOUNCED_CITIZENSHIP, D.UNKNOWN, PROHIBITS, "922(g)(7)"),
            id="renounced citizenship prohibits (922(g)(7))",
        ),
    ]
)


@pytest.mark.parametrize("row", DISPOSITION_ROWS)
def test_category_and_disposition(book: RuleBook, row: Row) -> None:
    result = assess(book.for_jurisdiction("TX"), row)
    assert result.effect is row.expected, result.explanation
    assert row.cites in result.citation
    assert result.record_id == "r-1"
    assert result.explanation


PROTECTION_ORDER_ROWS = [
    pytest.param(ON - DAY, NONE, id="order expired the day before: not in force (922(g)(8))"),
    pytest.param(ON, PROHIBITS, id="order expiring on the date is still in force (922(g)(8))"),
    pytest.param(ON + DAY, PROHIBITS, id="order expiring the day after prohibits (922(g)(8))"),
    pytest.param(None, PROHIBITS, id="order with no end date prohibits (922(g)(8))"),
]


@pytest.mark.parametrize(("expiry", "expected"), PROTECTION_ORDER_ROWS)
def test_protection_order_binds_only_while_in_force(
    book: RuleBook, expiry: date | None, expected: RecordEffect
) -> None:
    record = make_record(C.PROTECTION_ORDER, D.UNKNOWN, expiry_date=expiry)
    result = book.for_jurisdiction("TX").assess(record, ON, "TX")
    assert result.effect is expected, result.explanation
    assert "922(g)(8)" in result.citation


DRUG_USE_ROWS = [
    pytest.param({"event_date": ON - timedelta(days=30)}, PROHIBITS,
                 id="drug-use evidence a month old prohibits (27 CFR 478.11)"),
    pytest.param({"event_date": date(2023, 6, 3)}, PROHIBITS,
                 id="drug-use evidence exactly one year old still prohibits (27 CFR 478.11)"),
    pytest.param({"event_date": date(2023, 6, 2)}, NONE,
                 id="drug-use evidence a year and a day old has lapsed (27 CFR 478.11)"),
    pytest.param({"event_date": date(2021, 3, 1), "disposition_date": date(2024, 1, 10)},
                 PROHIBITS, id="drug conviction within the year counts from its date (ATF)"),
    pytest.param({"event_date": ON - DAY, "expiry_date": ON - DAY}, NONE,
                 id="drug-use record the agency ended before the date (27 CFR 478.11)"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "expected"), DRUG_USE_ROWS)
def test_drug_user_inference_lasts_one_year(
    book: RuleBook, fields: dict[str, Any], expected: RecordEffect
) -> None:
    disposition = D.CONVICTED if "disposition_date" in fields else D.UNKNOWN
    record = make_record(C.UNLAWFUL_DRUG_USER, disposition, **fields)
    result = book.for_jurisdiction("TX").assess(record, ON, "TX")
    assert result.effect is expected, result.explanation
    assert "478.11" in result.citation


@pytest.mark.parametrize("category", list(Category), ids=lambda c: f"{c.value} event in future")
def test_event_after_the_date_was_not_yet_in_effect(book: RuleBook, category: Category) -> None:
    record = make_record(category, D.CONVICTED, event_date=ON + DAY, disposition_date=ON + DAY)
    result = book.for_jurisdiction("TX").assess(record, ON, "TX")
    assert result.effect is NONE
    assert "not yet in effect" in result.explanation


def _relief_rows() -> list[Any]:
    rows = []
    for category, cite in CONVICTION_CATEGORIES:
        for kind in ReliefType:
            name = f"{category.value} {kind.value}"
            rows += [
                pytest.param(category, Relief(kind, ON - DAY), NONE,
                             id=f"{name} before the date lifts it ({cite})"),
                pytest.param(category, Relief(kind, ON), NONE,
                             id=f"{name} on the date lifts it ({cite})"),
                pytest.param(category, Relief(kind, ON + DAY), PROHIBITS,
                             id=f"{name} after the date does not yet apply ({cite})"),
                pytest.param(category, Relief(kind, ON - DAY, keeps_firearm_ban=True), PROHIBITS,
                             id=f"{name} keeping the firearms ban relieves nothing ({cite})"),
            ]  # fmt: skip
    return rows


@pytest.mark.parametrize(("category", "relief", "expected"), _relief_rows())
def test_relief_from_a_conviction(
    book: RuleBook, category: Category, relief: Relief, expected: RecordEffect
) -> None:
    record = make_record(category, D.CONVICTED, disposition_date=EVENT, relief=relief)
    result = book.for_jurisdiction("TX").assess(record, ON, "TX")
    assert result.effect is expected, result.explanation


OTHER_RELIEF_ROWS = [
    pytest.param(C.MENTAL_HEALTH, D.UNKNOWN, Relief(ReliefType.EXPUNGEMENT, EVENT), NONE,
                 id="expunged commitment is deemed not to have occurred (Pub. L. 110-180 101(c))"),
    pytest.param(C.MENTAL_HEALTH, D.UNKNOWN, Relief(ReliefType.PARDON, EVENT), PROHIBITS,
                 id="a pardon does not lift a mental-health adjudication (922(g)(4))"),
    pytest.param(C.DISHONORABLE_DISCHARGE, D.UNKNOWN, Relief(ReliefType.PARDON, EVENT),
                 PROHIBITS, id="no relief type lifts a dishonorable discharge (925(c) unfunded)"),
    pytest.param(C.FELONY_CONVICTION, D.UNKNOWN, Relief(ReliefType.EXPUNGEMENT, EVENT), NONE,
                 id="an expunged arrest needs no disposition (921(a)(20))"),
    pytest.param(C.FELONY_CONVICTION, D.UNKNOWN, Relief(ReliefType.PARDON, EVENT, True), NEEDS,
                 id="relief that keeps the ban leaves the arrest needing its outcome"),
]  # fmt: skip


@pytest.mark.parametrize(("category", "disposition", "relief", "expected"), OTHER_RELIEF_ROWS)
def test_relief_by_category(
    book: RuleBook,
    category: Category,
    disposition: Disposition,
    relief: Relief,
    expected: RecordEffect,
) -> None:
    record = make_record(category, disposition, relief=relief)
    assert book.for_jurisdiction("TX").assess(record, ON, "TX").effect is expected


def test_explanation_reads_for_an_examiner(book: RuleBook) -> None:
    record = make_record(
        C.FELONY_CONVICTION,
        D.CONVICTED,
        disposition_date=date(2020, 6, 1),
        relief=Relief(ReliefType.PARDON, date(2022, 2, 2), keeps_firearm_ban=True),
    )
    result = book.for_jurisdiction("TX").assess(record, ON, "TX")
    assert result.explanation == (
        "Convicted of a crime punishable by more than one year (922g1): convicted on "
        "2020-06-01 (case of 2020-01-15). The relief by pardon granted on 2022-02-02 "
        "expressly keeps the firearms ban. It prohibits receiving a firearm."
    )
    assert result.citation == "18 U.S.C. 922(g)(1); 921(a)(20)"


def test_before_nics_no_rule_is_in_force(book: RuleBook) -> None:
    record = make_record(C.FELONY_CONVICTION, D.CONVICTED, event_date=date(1990, 1, 1))
    result = book.for_jurisdiction("TX").assess(record, date(1998, 11, 29), "TX")
    assert result.effect is NONE
    assert "No rule" in result.explanation


def test_rules_of_one_jurisdiction_refuse_another(book: RuleBook) -> None:
    record = make_record(C.FELONY_CONVICTION, D.CONVICTED)
    with pytest.raises(ValueError, match="rules of FL"):
        book.for_jurisdiction("FL").assess(record, ON, "GA")


STRICTER_STATE = """
[jurisdiction]
code = "CA"
name = "Test state adding to federal prohibitions (not real law)"

[[prohibitions]]
category = "922g3"
label = "Test: drug use within five years"
citation = "Test Code 1"
requires_final_disposition = false
pending_case_prohibits = false
expires = "at_record_expiry"
lapses_after_years = 5
relieved_by = []
effective_from = 2000-01-01

[[prohibitions]]
category = "922g9"
label = "Test: domestic violence, no relief"
citation = "Test Code 2"
requires_final_disposition = true
pending_case_prohibits = false
expires = "never"
relieved_by = []
effective_from = 2000-01-01

[[prohibitions]]
category = "922g8"
label = "Test: weaker protection-order rule"
citation = "Test Code 3"
requires_final_disposition = false
pending_case_prohibits = false
expires = "at_record_expiry"
lapses_after_years = 1
relieved_by = []
effective_from = 2000-01-01
"""


@pytest.fixture(scope="module")
def overlay_book(federal_text: str) -> RuleBook:
    return RuleBook.from_sources({"US.toml": federal_text, "CA.toml": STRICTER_STATE})


ADDITIVE_ROWS = [
    pytest.param(C.UNLAWFUL_DRUG_USER, D.UNKNOWN, {"event_date": date(2021, 1, 1)}, PROHIBITS,
                 NONE, "Test Code 1", id="state adds a longer drug-use window"),
    pytest.param(C.DOMESTIC_VIOLENCE_MISDEMEANOR, D.CONVICTED,
                 {"relief": Relief(ReliefType.PARDON, EVENT)}, PROHIBITS, NONE, "Test Code 2",
                 id="state withholds relief that federal law grants"),
    pytest.param(C.PROTECTION_ORDER, D.UNKNOWN, {"expiry_date": ON + DAY}, PROHIBITS,
                 PROHIBITS, "922(g)(8)", id="a weaker state rule cannot lift a federal one"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("category", "disposition", "fields", "in_state", "federal_only", "cites"), ADDITIVE_ROWS
)
def test_state_rules_only_add(
    overlay_book: RuleBook,
    category: Category,
    disposition: Disposition,
    fields: dict[str, Any],
    in_state: RecordEffect,
    federal_only: RecordEffect,
    cites: str,
) -> None:
    record = make_record(category, disposition, **fields)
    state = overlay_book.for_jurisdiction("CA").assess(record, ON, "CA")
    assert state.effect is in_state, state.explanation
    assert cites in state.citation
    assert overlay_book.for_jurisdiction("NV").assess(record, ON, "NV").effect is federal_only
