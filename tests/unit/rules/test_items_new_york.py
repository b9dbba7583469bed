"""New York, SAFE Act (L. 2013, ch. 1): every clause of Penal Law 265.00(22) and (23),
with an item it prohibits and a look-alike it allows, as encoded in NY.toml."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import firearm
from tests.unit.rules.item_rows import Row, check_row, row
from transfercheck.domain.errors import ValidationFailed
from transfercheck.domain.rules import RuleBook

PISTOL = {"firearm_class": "pistol", "overall": 8.0, "barrel": 4.5, "weight": 25.0}
SHOTGUN = {"firearm_class": "shotgun", "overall": 46.0, "barrel": 26.0}

ROWS = [
    # (a) semiautomatic rifle, ability to accept a detachable magazine, one characteristic
    row("265.00(22)(a)", True, "detachable magazine and a pistol grip",
        firearm(features=["pistol_grip"]), "a pistol grip protruding beneath the action"),
    row("265.00(22)(a)", True, "a muzzle brake counts, with the flash suppressor (vi)",
        firearm(features=["muzzle_brake"]), "a muzzle brake"),
    row("265.00(22)(a)", True, "a rimfire rifle too: no centerfire condition",
        firearm(ignition="rimfire", features=["thumbhole_stock"]), "a thumbhole stock"),
    row("265.00(22)(a)", False, "a fixed-magazine rifle with a pistol grip",
        firearm(magazine="fixed", features=["pistol_grip"]),
        "the clause needs a detachable magazine"),
    row("265.00(22)(a)", False, "a bolt-action rifle with a pistol grip",
        firearm(action="bolt", features=["pistol_grip"]), "bolt-action, not semi-automatic"),
    row("265.00(22)(a)", False, "a featureless detachable-magazine rifle",
        firearm(), "has none of the listed characteristics"),
    # (b) semiautomatic shotgun: (i)-(iii) stocks and grips, (iv) fixed > 7, (v) detachable
    row("265.00(22)(b)(i-iii)", True, "a folding stock",
        firearm(**SHOTGUN, magazine="tubular", capacity=5, features=["folding_stock"]),
        "a folding stock"),
    row("265.00(22)(b)(i-iii)", False, "a pistol grip is not on the shotgun list",
        firearm(**SHOTGUN, magazine="tubular", capacity=5, features=["pistol_grip"]),
        "has none of the listed characteristics"),
    row("265.00(22)(b)(iv)", True, "a fixed magazine of 8 rounds, above the limit of 7",
        firearm(**SHOTGUN, magazine="tubular", capacity=8), "holds 8 rounds, more than 7"),
    row("265.00(22)(b)(iv)", False, "a fixed magazine of 7 rounds, at the limit",
        firearm(**SHOTGUN, magazine="tubular", capacity=7), "holds 7 rounds, not more than 7"),
    row("265.00(22)(b)(iv)", False, "a fixed magazine of 6 rounds, below the limit",
        firearm(**SHOTGUN, magazine="tubular", capacity=6), "holds 6 rounds, not more than 7"),
    row("265.00(22)(b)(v)", True, "a semiautomatic shotgun with a detachable magazine",
        firearm(**SHOTGUN, capacity=5), "has a detachable magazine"),
    row("265.00(22)(b)(v)", False, "a pump shotgun with a detachable magazine",
        firearm(**SHOTGUN, action="pump", capacity=5), "pump-action, not semi-automatic"),
    # (c) semiautomatic pistol, detachable magazine, one characteristic; (vii) 50 oz
    row("265.00(22)(c)", True, "a threaded barrel",
        firearm(**PISTOL, features=["threaded_barrel"]), "a threaded barrel"),
    row("265.00(22)(c)", False, "a pistol with a fixed magazine and a threaded barrel",
        firearm(**PISTOL, magazine="fixed", features=["threaded_barrel"]),
        "the clause needs a detachable magazine"),
    row("265.00(22)(c)", False, "a plain service pistol",
        firearm(**PISTOL), "has none of the listed characteristics"),
    row("265.00(22)(c)(vii)", True, "a pistol of 50 oz unloaded",
        firearm(**{**PISTOL, "weight": 50.0}), "unloaded weight 50 oz, at least 50 oz"),
    row("265.00(22)(c)(vii)", False, "a pistol of 49.9 oz",
        firearm(**{**PISTOL, "weight": 49.9}), "unloaded weight 49.9 oz, not at least 50 oz"),
    # (d) revolving cylinder shotgun
    row("265.00(22)(d)", True, "a revolving cylinder shotgun",
        firearm(**SHOTGUN, action="revolver", magazine="none"), "a shotgun; revolving-cylinder"),
    row("265.00(22)(d)", False, "a revolver that is a pistol",
        firearm(**PISTOL, action="revolver", magazine="none"), "a pistol, not a shotgun"),
    # (23) large capacity ammunition feeding device: more than ten rounds
    row("265.00(23)", True, "11 rounds, above the limit", firearm(capacity=11),
        "holds 11 rounds, more than 10"),
    row("265.00(23)", False, "10 rounds, at the limit", firearm(capacity=10),
        "holds 10 rounds, not more than 10"),
    row("265.00(23)", False, "9 rounds, below the limit", firearm(capacity=9),
        "holds 9 rounds, not more than 10"),
    row("265.00(23)", False, "a .22 rimfire tubular magazine of 15 rounds",
        firearm(magazine="tubular", capacity=15, ignition="rimfire", action="lever"),
        "excepted: an attached tubular device for .22 caliber rimfire"),
]  # fmt: skip


@pytest.mark.parametrize("case", ROWS)
def test_new_york_clause(book: RuleBook, case: Row) -> None:
    check_row(book, "NY", case)


def test_the_safe_act_applies_from_15_january_2013(book: RuleBook) -> None:
    rifle = firearm(features=["pistol_grip"])  # one feature: the 1994 federal test needed two
    rules = book.item_rules("NY")
    assert not rules.classify(rifle, date(2013, 1, 14)).prohibited
    assert rules.classify(rifle, date(2013, 1, 15)).prohibited


def test_a_grandfathered_assault_weapon_may_be_kept_but_not_transferred(book: RuleBook) -> None:
    rifle = firearm(features=["pistol_grip"], possessed_since=date(2010, 5, 1))
    [finding] = book.item_rules("NY").classify(rifle, date(2024, 6, 3)).prohibiting
    assert finding.clause == "265.00(22)(a)"
    assert "400.00(16-a)" in finding.explanation
    assert "does not extend to a transfer" in finding.explanation
    assert "its owner may keep it" in finding.explanation


@pytest.mark.parametrize(
    ("on", "prohibited"),
    [
        pytest.param(date(2014, 1, 14), False, id="last day pre-1994 magazines were exempt"),
        pytest.param(date(2014, 1, 15), True, id="from 15 January 2014 they are banned too"),
    ],
)
def test_pre_1994_magazines_were_exempt_for_the_first_year(
    book: RuleBook, on: date, prohibited: bool
) -> None:
    made_1990 = firearm(capacity=30, manufactured_on=date(1990, 3, 1))
    assessment = book.item_rules("NY").classify(made_1990, on)
    assert assessment.prohibited is prohibited
    if not prohibited:
        finding = next(f for f in assessment.findings if f.clause == "265.00(23)")
        assert "grandfathered: made by 1990-03-01" in finding.explanation


def test_a_pistol_without_its_weight_cannot_be_judged(book: RuleBook) -> None:
    plain = firearm(**{**PISTOL, "weight": None})
    with pytest.raises(ValidationFailed) as caught:
        book.item_rules("NY").classify(plain, date(2024, 6, 3))
    [problem] = caught.value.problems
    assert problem.location == "item.weight_oz"
    assert "N.Y. Penal Law 265.00(22)(c)(vii)" in problem.message
