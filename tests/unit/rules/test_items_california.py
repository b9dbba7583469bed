"""California: the named list of Penal Code 30510, the features of 30515 and the magazine
limit of 32310 (16740), clause by clause, as encoded in CA.toml."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import firearm
from tests.unit.rules.item_rows import Row, check_row, row
from transfercheck.domain.errors import ValidationFailed
from transfercheck.domain.rules import RuleBook

PISTOL = {"firearm_class": "pistol", "overall": 8.0, "barrel": 4.5}
SHOTGUN = {"firearm_class": "shotgun", "overall": 46.0, "barrel": 26.0}
PLAIN = {"magazine": "fixed", "capacity": 10}  # featureless, fixed 10: no 30515 clause reaches it

ROWS = [
    # 30510(a) named rifles, whatever their features; "series" takes variations
    row("30510(a)", True, "a featureless Colt AR-15A3, written 'colt' 'ar15 a3'",
        firearm(**PLAIN, make="colt", model="ar15 a3"), "named models as Colt AR-15"),
    row("30510(a)", True, "an AK of any maker",
        firearm(**PLAIN, make="Arsenal", model="AKM-47"), "as AK (any maker) series"),
    row("30510(a)", True, "Heckler & Koch 91, the maker written with 'Inc.'",
        firearm(**PLAIN, make="Heckler & Koch, Inc.", model="91"), "on the list of named models"),
    row("30510(a)", False, "a Colt AR-10 is not an AR-15",
        firearm(**PLAIN, make="Colt", model="AR-10"), "is not on the list of named models"),
    row("30510(a)", False, "an AR-15 by another maker is not the named Colt",
        firearm(**PLAIN, make="Acme Arms", model="AR-15"), "is not on the list of named models"),
    row("30510(a)(11)", True, "an SKS with a detachable magazine",
        firearm(make="Norinco", model="SKS"), "SKS (any maker) series"),
    row("30510(a)(11)", False, "an SKS with its fixed magazine",
        firearm(**PLAIN, make="Norinco", model="SKS"), "the clause needs a detachable magazine"),
    # 30510(b) named pistols, 30510(c) named shotguns
    row("30510(b)", True, "an Intratec TEC-9", firearm(**PISTOL, make="Intratec", model="TEC-9"),
        "Intratec TEC-9 series"),
    row("30510(b)", False, "a plain Glock 17", firearm(**PISTOL, make="Glock", model="17"),
        "is not on the list of named models"),
    row("30510(c)", True, "a Franchi SPAS 12, even pump-operated",
        firearm(**SHOTGUN, action="pump", magazine="tubular", capacity=8, make="Franchi",
                model="SPAS-12"), "Franchi SPAS 12"),
    row("30510(c)", False, "another Franchi shotgun",
        firearm(**SHOTGUN, action="pump", magazine="tubular", capacity=4, make="Franchi",
                model="Affinity 3"), "is not on the list of named models"),
    # 30515(a)(1)-(3) semiautomatic centerfire rifles
    row("30515(a)(1)", True, "detachable magazine and a pistol grip",
        firearm(features=["pistol_grip"]), "a pistol grip protruding beneath the action"),
    row("30515(a)(1)", True, "a forward pistol grip", firearm(features=["forward_grip"]),
        "a forward or second handgrip"),
    row("30515(a)(1)", False, "the same rifle in rimfire",
        firearm(ignition="rimfire", features=["pistol_grip"]), "rimfire, not centerfire"),
    row("30515(a)(1)", False, "a fixed-magazine rifle with a pistol grip",
        firearm(**PLAIN, features=["pistol_grip"]), "the clause needs a detachable magazine"),
    row("30515(a)(1)", False, "a muzzle brake is not a flash suppressor",
        firearm(features=["muzzle_brake"]), "has none of the listed characteristics"),
    row("30515(a)(2)", True, "a fixed magazine of 11 rounds, above the limit",
        firearm(magazine="fixed", capacity=11), "holds 11 rounds, more than 10"),
    row("30515(a)(2)", False, "a fixed magazine of 10 rounds, at the limit",
        firearm(magazine="fixed", capacity=10), "holds 10 rounds, not more than 10"),
    row("30515(a)(2)", False, "a fixed magazine of 9 rounds, below the limit",
        firearm(magazine="fixed", capacity=9), "holds 9 rounds, not more than 10"),
    row("30515(a)(3)", True, "29.5 inches overall", firearm(**PLAIN, overall=29.5, barrel=16.1),
        "overall length 29.5 in, under 30 in"),
    row("30515(a)(3)", False, "30 inches overall, at the limit",
        firearm(**PLAIN, overall=30.0, barrel=16.1), "overall length 30 in, not under 30 in"),
    # 30515(a)(4)-(5) semiautomatic pistols
    row("30515(a)(4)", True, "a threaded barrel", firearm(**PISTOL, features=["threaded_barrel"]),
        "a threaded barrel"),
    row("30515(a)(4)", True, "a magazine outside the grip",
        firearm(**PISTOL, features=["magazine_outside_grip"]), "outside the pistol grip"),
    row("30515(a)(4)", False, "a fixed-magazine pistol with a threaded barrel",
        firearm(**PISTOL, magazine="fixed", features=["threaded_barrel"]),
        "the clause needs a detachable magazine"),
    row("30515(a)(5)", True, "a fixed magazine of 11", firearm(**PISTOL, magazine="fixed",
        capacity=11), "holds 11 rounds, more than 10"),
    row("30515(a)(5)", False, "a fixed magazine of 10", firearm(**PISTOL, magazine="fixed",
        capacity=10), "holds 10 rounds, not more than 10"),
    row("30515(a)(5)", False, "a fixed magazine of 9", firearm(**PISTOL, magazine="fixed",
        capacity=9), "holds 9 rounds, not more than 10"),
    # 30515(a)(6)-(8) shotguns
    row("30515(a)(6)", True, "a folding stock and a pistol grip",
        firearm(**SHOTGUN, magazine="tubular", capacity=4,
                features=["folding_stock", "pistol_grip"]), "a folding stock and a pistol grip"),
    row("30515(a)(6)", False, "a folding stock alone",
        firearm(**SHOTGUN, magazine="tubular", capacity=4, features=["folding_stock"]),
        "has only 1 of the listed characteristics (a folding stock); 2 are needed"),
    row("30515(a)(7)", True, "a semiautomatic shotgun with a detachable magazine",
        firearm(**SHOTGUN, capacity=5), "has a detachable magazine"),
    row("30515(a)(7)", False, "a pump shotgun with a detachable magazine",
        firearm(**SHOTGUN, action="pump", capacity=5), "pump-action, not semi-automatic"),
    row("30515(a)(8)", True, "a revolving cylinder shotgun",
        firearm(**SHOTGUN, action="revolver", magazine="none"), "revolving-cylinder"),
    row("30515(a)(8)", False, "a revolver pistol",
        firearm(**PISTOL, action="revolver", magazine="none"), "a pistol, not a shotgun"),
    # 32310 large-capacity magazines (16740): more than ten rounds
    row("32310", True, "11 rounds, above the limit", firearm(capacity=11),
        "holds 11 rounds, more than 10"),
    row("32310", False, "10 rounds, at the limit", firearm(capacity=10),
        "holds 10 rounds, not more than 10"),
    row("32310", False, "9 rounds, below the limit", firearm(capacity=9),
        "holds 9 rounds, not more than 10"),
    row("32310", False, "a .22 tube of 15 rounds",
        firearm(action="bolt", magazine="tubular", capacity=15, ignition="rimfire"),
        "excepted: a .22 caliber tube ammunition feeding device (Cal. Penal Code 16740(b))"),
    row("32310", False, "a lever-action tube of 12 rounds",
        firearm(action="lever", magazine="tubular", capacity=12),
        "excepted: a tubular magazine contained in a lever-action firearm"),
    row("32310", True, "a pump shotgun's 12-round tube has no exception",
        firearm(**SHOTGUN, action="pump", magazine="tubular", capacity=12),
        "holds 12 rounds, more than 10"),
]  # fmt: skip


@pytest.mark.parametrize("case", ROWS)
def test_california_clause(book: RuleBook, case: Row) -> None:
    check_row(book, "CA", case)


@pytest.mark.parametrize(
    ("on", "prohibited"),
    [
        pytest.param(date(1999, 12, 31), False, id="30515 not yet in force on 31 Dec 1999"),
        pytest.param(date(2000, 1, 1), True, id="30515 in force from 1 Jan 2000"),
    ],
)
def test_the_features_test_applies_from_1_january_2000(
    book: RuleBook, on: date, prohibited: bool
) -> None:
    # One feature: the federal test of the time needed two, so only 30515 can reach it.
    rifle = firearm(features=["pistol_grip"])
    assert book.item_rules("CA").classify(rifle, on).prohibited is prohibited


def test_no_grandfather_clause_reaches_a_transfer_in_california(book: RuleBook) -> None:
    old = firearm(capacity=30, features=["pistol_grip"], possessed_since=date(1995, 1, 1))
    prohibiting = book.item_rules("CA").classify(old, date(2024, 6, 3)).prohibiting
    assert {f.clause for f in prohibiting} == {"30515(a)(1)", "32310"}


@pytest.mark.parametrize(
    ("item", "field"),
    [
        pytest.param(firearm(ignition=None, features=["pistol_grip"]), "item.ignition",
                     id="30515(a)(1) needs the ignition"),
        pytest.param(firearm(**PLAIN, overall=None), "item.overall_length_in",
                     id="30515(a)(3) needs the overall length"),
        pytest.param(firearm(magazine="tubular", action="pump", capacity=12, ignition=None),
                     "item.ignition", id="16740(b) needs the ignition of a tube over 10"),
    ],
)  # fmt: skip
def test_a_fact_a_clause_needs_is_asked_for(book: RuleBook, item: object, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        book.item_rules("CA").classify(item, date(2024, 6, 3))  # type: ignore[arg-type]
    assert [p.location for p in caught.value.problems] == [field]
    assert "is needed to judge this item under Cal. Penal Code" in caught.value.problems[0].message


def test_an_unknown_fact_is_not_asked_for_when_another_clause_prohibits(book: RuleBook) -> None:
    rifle = firearm(capacity=30, ignition=None, overall=None, features=["pistol_grip"])
    assessment = book.item_rules("CA").classify(rifle, date(2024, 6, 3))
    assert [f.clause for f in assessment.prohibiting] == ["32310"]


def test_one_exception_that_holds_is_enough_even_if_another_cannot_be_judged(
    book: RuleBook,
) -> None:
    # 16740(b) needs the ignition; 16740(c), a lever action's tube, does not.
    lever = firearm(action="lever", magazine="tubular", capacity=12, ignition=None)
    assessment = book.item_rules("CA").classify(lever, date(2024, 6, 3))
    assert not assessment.prohibited
