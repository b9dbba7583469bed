"""Identity sanity rules (domain.identities): what can be checked at all."""

from __future__ import annotations

from datetime import date

import pytest

from transfercheck.domain.identities import age_on, name_problems


@pytest.mark.parametrize(
    "name",
    [
        "O'Brien",
        "García López",
        "Nguyễn",
        "de la Cruz",
        "Smith-Jones",
        "J.",
        "Zoë",
        "Ólafsdóttir",
        "Мария",
    ],
)
def test_real_names_are_accepted(name: str) -> None:
    assert name_problems(name) == []


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("a" * 101, "at most 100"),
        ("Ann3", "found '3'"),
        ("An\u200dn", "U+200D"),
        ("--", "must contain a letter"),
        ("<script>", "found '<'"),
    ],
)
def test_impossible_names_are_refused_with_the_reason(name: str, problem: str) -> None:
    assert problem in name_problems(name)[0]


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 11, 24), date(2026, 11, 24), 18),  # birthday itself completes the year
        (date(2008, 11, 25), date(2026, 11, 24), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # leapling: not yet on 28 February
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_counts_completed_years(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age
