"""Colorado, HB 13-1224: large-capacity magazines (C.R.S. 18-12-301, 18-12-302), clause by
clause, as encoded in CO.toml. Colorado has no assault-weapon ban."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import firearm
from tests.unit.rules.item_rows import Row, check_row, row
from transfercheck.domain.rules import RuleBook

SHOTGUN = {"firearm_class": "shotgun", "overall": 46.0, "barrel": 26.0}

ROWS = [
    # 301(2)(a)(I): a fixed or detachable magazine of more than fifteen rounds
    row("18-12-301(2)(a)(I)", True, "16 rounds, above the limit", firearm(capacity=16),
        "holds 16 rounds, more than 15"),
    row("18-12-301(2)(a)(I)", False, "15 rounds, at the limit", firearm(capacity=15),
        "holds 15 rounds, not more than 15"),
    row("18-12-301(2)(a)(I)", False, "14 rounds, below the limit", firearm(capacity=14),
        "holds 14 rounds, not more than 15"),
    row("18-12-301(2)(a)(I)", True, "a fixed magazine counts too",
        firearm(magazine="fixed", capacity=20), "holds 20 rounds, more than 15"),
    row("18-12-301(2)(a)(I)", False, "a .22 rimfire tube of 17 rounds, 301(2)(b)(II)",
        firearm(action="pump", magazine="tubular", capacity=17, ignition="rimfire"),
        "excepted: an attached tubular device for .22 caliber rimfire"),
    row("18-12-301(2)(a)(I)", False, "a lever-action tube of 16 rounds, 301(2)(b)(III)",
        firearm(action="lever", magazine="tubular", capacity=16),
        "excepted: a tubular magazine contained in a lever-action firearm"),
    row("18-12-301(2)(a)(I)", False, "an assault-style rifle with a 15-round magazine",
        firearm(capacity=15, features=["pistol_grip", "flash_suppressor", "telescoping_stock"]),
        "not more than 15"),
    # 301(2)(a)(III): a nontubular detachable shotgun magazine of more than eight shells
    row("18-12-301(2)(a)(III)", True, "a 9-shell shotgun box magazine",
        firearm(**SHOTGUN, capacity=9), "holds 9 rounds, more than 8"),
    row("18-12-301(2)(a)(III)", False, "an 8-shell shotgun box magazine, at the limit",
        firearm(**SHOTGUN, capacity=8), "holds 8 rounds, not more than 8"),
    row("18-12-301(2)(a)(III)", False, "a 7-shell shotgun box magazine, below the limit",
        firearm(**SHOTGUN, capacity=7), "holds 7 rounds, not more than 8"),
    row("18-12-301(2)(a)(III)", False, "a 9-round rifle magazine is not a shotgun's",
        firearm(capacity=9), "a rifle, not a shotgun"),
]  # fmt: skip


@pytest.mark.parametrize("case", ROWS)
def test_colorado_clause(book: RuleBook, case: Row) -> None:
    check_row(book, "CO", case)


@pytest.mark.parametrize(
    ("on", "prohibited"),
    [
        pytest.param(date(2013, 6, 30), False, id="the day before HB 13-1224 took effect"),
        pytest.param(date(2013, 7, 1), True, id="1 July 2013, the effective date"),
    ],
)
def test_the_limit_applies_from_1_july_2013(book: RuleBook, on: date, prohibited: bool) -> None:
    assert book.item_rules("CO").classify(firearm(capacity=30), on).prohibited is prohibited


@pytest.mark.parametrize(
    "possessed_since",
    [
        pytest.param(date(2012, 5, 1), id="owned before 1 July 2013"),
        pytest.param(date(2013, 7, 1), id="owned on 1 July 2013"),
        pytest.param(None, id="possession date not given"),
    ],
)
def test_a_grandfathered_magazine_may_be_kept_but_not_transferred(
    book: RuleBook, possessed_since: date | None
) -> None:
    # 18-12-302(2)(a) lets the owner on 1 July 2013 keep it while in continuous
    # possession; the ban on selling or transferring it (302(1)(a)) still applies.
    magazine = firearm(capacity=30, possessed_since=possessed_since)
    [finding] = book.item_rules("CO").classify(magazine, date(2024, 6, 3)).prohibiting
    assert "C.R.S. 18-12-302(2)(a)" in finding.explanation
    assert "does not extend to a transfer" in finding.explanation
    kept = "its owner may keep it" in finding.explanation
    assert kept is (possessed_since is not None)
