"""Federal law (US.toml): no weapon or magazine ban today; the 1994 ban (18 U.S.C.
921(a)(30)-(31), 922(v)-(w)) for transfers up to 12 September 2004, clause by clause."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import firearm
from tests.unit.rules.item_rows import Row, check_row, row
from transfercheck.domain.rules import RuleBook

IN_1999 = date(1999, 6, 1)  # the ban in force, and the file's history begun
PISTOL = {"firearm_class": "pistol", "overall": 11.0, "barrel": 5.0, "weight": 40.0}
SHOTGUN = {"firearm_class": "shotgun", "overall": 46.0, "barrel": 26.0}

ROWS = [
    # (30)(A) named firearms (and series of them); grandfathered ones may be transferred
    row("921(a)(30)(A)", True, "a Norinco AK-47S",
        firearm(magazine="fixed", make="Norinco", model="AK-47S"), "Norinco", IN_1999),
    row("921(a)(30)(A)", True, "a featureless Colt AR-15",
        firearm(make="Colt", model="AR-15"), "Colt AR-15 series", IN_1999),
    row("921(a)(30)(A)", False, "a Colt AR-15 possessed on 13 September 1994",
        firearm(make="Colt", model="AR-15", possessed_since=date(1994, 9, 13)),
        "But grandfathered: possessed since 1994-09-13", IN_1999),
    row("921(a)(30)(A)", False, "a Colt AR-10 is not named", firearm(make="Colt", model="AR-10"),
        "is not on the list of named models", IN_1999),
    row("921(a)(30)(A)(ix)", True, "a revolving cylinder shotgun",
        firearm(**SHOTGUN, action="revolver", magazine="none"), "revolving-cylinder", IN_1999),
    row("921(a)(30)(A)(ix)", False, "a revolver pistol",
        firearm(**PISTOL, action="revolver", magazine="none"), "a pistol, not a shotgun", IN_1999),
    # (30)(B) rifles: detachable magazine and TWO characteristics
    row("921(a)(30)(B)", True, "a pistol grip and a bayonet mount",
        firearm(features=["pistol_grip", "bayonet_mount"]),
        "a bayonet mount and a pistol grip protruding beneath the action", IN_1999),
    row("921(a)(30)(B)", False, "a pistol grip alone",
        firearm(features=["pistol_grip"]), "has only 1 of the listed characteristics", IN_1999),
    row("921(a)(30)(B)", False, "a flash suppressor on a threaded barrel counts once (iv)",
        firearm(features=["flash_suppressor", "threaded_barrel"]),
        "has only 1 of the listed characteristics", IN_1999),
    row("921(a)(30)(B)", False, "two features, but a fixed magazine",
        firearm(magazine="fixed", features=["pistol_grip", "bayonet_mount"]),
        "the clause needs a detachable magazine", IN_1999),
    # (30)(C) pistols: two of five characteristics, the weight one of them
    row("921(a)(30)(C)", True, "a threaded barrel and a barrel shroud",
        firearm(**PISTOL, features=["threaded_barrel", "barrel_shroud"]),
        "a barrel shroud and a threaded barrel", IN_1999),
    row("921(a)(30)(C)", False, "a threaded barrel alone, 40 oz",
        firearm(**PISTOL, features=["threaded_barrel"]),
        "has only 1 of the listed characteristics", IN_1999),
    row("921(a)(30)(C)(iv)", True, "50 oz and a magazine outside the grip",
        firearm(**{**PISTOL, "weight": 50.0}, features=["magazine_outside_grip"]),
        "unloaded weight 50 oz, at least 50 oz", IN_1999),
    row("921(a)(30)(C)(iv)", False, "49 oz and a magazine outside the grip",
        firearm(**{**PISTOL, "weight": 49.0}, features=["magazine_outside_grip"]),
        "unloaded weight 49 oz, not at least 50 oz", IN_1999),
    # (30)(D) shotguns: two of four characteristics, two of them about the magazine
    row("921(a)(30)(D)", True, "a folding stock and a pistol grip",
        firearm(**SHOTGUN, magazine="tubular", capacity=5,
                features=["folding_stock", "pistol_grip"]), "a folding stock and a pistol grip",
        IN_1999),
    row("921(a)(30)(D)", False, "a folding stock alone, 5-round tube",
        firearm(**SHOTGUN, magazine="tubular", capacity=5, features=["folding_stock"]),
        "has only 1 of the listed characteristics", IN_1999),
    row("921(a)(30)(D)(iii)", True, "a 6-round tube and a pistol grip",
        firearm(**SHOTGUN, magazine="tubular", capacity=6, features=["pistol_grip"]),
        "holds 6 rounds, more than 5", IN_1999),
    row("921(a)(30)(D)(iii)", False, "a 5-round tube and a pistol grip",
        firearm(**SHOTGUN, magazine="tubular", capacity=5, features=["pistol_grip"]),
        "holds 5 rounds, not more than 5", IN_1999),
    row("921(a)(30)(D)(iii)", False, "a 4-round tube and a pistol grip",
        firearm(**SHOTGUN, magazine="tubular", capacity=4, features=["pistol_grip"]),
        "holds 4 rounds, not more than 5", IN_1999),
    row("921(a)(30)(D)(iv)", True, "a detachable magazine and a telescoping stock",
        firearm(**SHOTGUN, capacity=5, features=["telescoping_stock"]), "a telescoping stock",
        IN_1999),
    row("921(a)(30)(D)(iv)", False, "a detachable magazine and no listed feature",
        firearm(**SHOTGUN, capacity=5), "has none of the listed characteristics", IN_1999),
    # (31) large capacity ammunition feeding devices made after 13 September 1994
    row("921(a)(31)", True, "11 rounds, made in 1995",
        firearm(capacity=11, manufactured_on=date(1995, 1, 2)), "after the grandfather date",
        IN_1999),
    row("921(a)(31)", False, "11 rounds, made on 13 September 1994",
        firearm(capacity=11, manufactured_on=date(1994, 9, 13)),
        "But grandfathered: made by 1994-09-13", IN_1999),
    row("921(a)(31)", False, "made date unknown but possessed since 1993",
        firearm(capacity=30, possessed_since=date(1993, 1, 1)),
        "But grandfathered: made by 1993-01-01", IN_1999),
    row("921(a)(31)", False, "10 rounds, at the limit", firearm(capacity=10),
        "holds 10 rounds, not more than 10", IN_1999),
    row("921(a)(31)", False, "9 rounds, below the limit", firearm(capacity=9),
        "holds 9 rounds, not more than 10", IN_1999),
    row("921(a)(31)", False, "a .22 rimfire tube of 15",
        firearm(action="lever", magazine="tubular", capacity=15, ignition="rimfire"),
        "excepted: an attached tubular device for .22 caliber rimfire", IN_1999),
]  # fmt: skip


@pytest.mark.parametrize("case", ROWS)
def test_federal_1994_clause(book: RuleBook, case: Row) -> None:
    check_row(book, "US", case)


def test_federal_law_today_bans_no_item(book: RuleBook) -> None:
    everything = firearm(
        capacity=100,
        features=["pistol_grip", "folding_stock", "flash_suppressor", "bayonet_mount"],
        make="Colt",
        model="AR-15",
    )
    for code in ("US", "TX", "FL"):
        assessment = book.item_rules(code).classify(everything, date(2024, 6, 3))
        assert not assessment.prohibited
        assert assessment.findings == ()  # no clause in force at all


@pytest.mark.parametrize(
    ("on", "prohibited"),
    [
        pytest.param(date(2004, 9, 12), True, id="last day of the 1994 ban"),
        pytest.param(date(2004, 9, 13), False, id="repealed by its own terms, 13 Sep 2004"),
    ],
)
def test_the_1994_ban_expired_on_13_september_2004(
    book: RuleBook, on: date, prohibited: bool
) -> None:
    rifle = firearm(capacity=30, features=["pistol_grip", "flash_suppressor"])
    assert book.item_rules("TX").classify(rifle, on).prohibited is prohibited
