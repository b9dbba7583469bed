"""Rows of the per-law tables: one clause, one item, what the clause says and why.

Each law's table has, for every clause, an item the clause prohibits and a look-alike it
allows (the look-alike is allowed overall, not only by that clause). A row's `because` is
a phrase the clause's explanation must contain: the reason is part of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from transfercheck.domain.items import Item
from transfercheck.domain.rules import RuleBook

ON = date(2024, 6, 3)  # a Monday, long after every law in these tables took effect


@dataclass(frozen=True)
class Row:
    clause: str
    prohibits: bool
    item: Item
    because: str
    on: date = ON


def row(clause: str, prohibits: bool, what: str, item: Item, because: str, on: date = ON) -> Any:
    verdict = "prohibits" if prohibits else "allows"
    return pytest.param(Row(clause, prohibits, item, because, on), id=f"{clause} {verdict}: {what}")


def check_row(book: RuleBook, code: str, case: Row) -> None:
    assessment = book.item_rules(code).classify(case.item, case.on)
    judged = {f.clause: f for f in assessment.findings}
    assert case.clause in judged, f"{case.clause} was not in force on {case.on}"
    finding = judged[case.clause]
    assert finding.prohibits is case.prohibits, finding.explanation
    assert case.because in finding.explanation, finding.explanation
    assert assessment.prohibited is case.prohibits, [f.clause for f in assessment.prohibiting]
    if case.prohibits:
        assert finding.citation
        assert finding.label
