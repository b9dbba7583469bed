"""The Assault Weapons Ban of 2013 (S. 150), a proposal (US-AWB2013.toml): classified as if
enacted on 24 January 2013, clause by clause; never a transfer jurisdiction."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import firearm
from tests.unit.rules.item_rows import Row, check_row, row
from transfercheck.domain.errors import NotFound
from transfercheck.domain.rules import RuleBook

PISTOL = {"firearm_class": "pistol", "overall": 8.0, "barrel": 4.5}
SHOTGUN = {"firearm_class": "shotgun", "overall": 46.0, "barrel": 26.0}
CODE = "US-AWB2013"

ROWS = [
    row("921(a)(36)(A)", True, "one feature: a pistol grip", firearm(features=["pistol_grip"]),
        "a pistol grip"),
    row("921(a)(36)(A)", True, "a thumbhole stock is a pistol grip in the bill",
        firearm(features=["thumbhole_stock"]), "a thumbhole stock"),
    row("921(a)(36)(A)", True, "a detachable stock", firearm(features=["detachable_stock"]),
        "a detachable stock"),
    row("921(a)(36)(A)", False, "a flash suppressor is not on the 2013 list",
        firearm(features=["flash_suppressor"]), "has none of the listed characteristics"),
    row("921(a)(36)(A)", False, "a bayonet mount is not on the 2013 list",
        firearm(features=["bayonet_mount"]), "has none of the listed characteristics"),
    row("921(a)(36)(A)", False, "a pistol grip on a fixed-magazine rifle",
        firearm(magazine="fixed", features=["pistol_grip"]),
        "the clause needs a detachable magazine"),
    row("921(a)(36)(A)", False, "grandfathered: possessed before enactment",
        firearm(features=["pistol_grip"], possessed_since=date(2012, 12, 1)),
        "such items may still be transferred"),
    row("921(a)(36)(B)", True, "a fixed magazine of 11",
        firearm(magazine="fixed", capacity=11), "holds 11 rounds, more than 10"),
    row("921(a)(36)(B)", False, "a fixed magazine of 10",
        firearm(magazine="fixed", capacity=10), "holds 10 rounds, not more than 10"),
    row("921(a)(36)(B)", False, "a fixed magazine of 9",
        firearm(magazine="fixed", capacity=9), "holds 9 rounds, not more than 10"),
    row("921(a)(36)(B)", False, "a .22 rimfire tube of 15",
        firearm(magazine="tubular", capacity=15, ignition="rimfire"),
        "excepted: an attached tubular device for .22 caliber rimfire"),
    row("921(a)(36)-pistol", True, "a semiautomatic version of an automatic firearm",
        firearm(**PISTOL, features=["semiauto_version_of_automatic"]), "an automatic firearm"),
    row("921(a)(36)-pistol", False, "a plain pistol", firearm(**PISTOL),
        "has none of the listed characteristics"),
    row("921(a)(36)-pistol-fixed", True, "a fixed magazine of 11",
        firearm(**PISTOL, magazine="fixed", capacity=11), "holds 11 rounds, more than 10"),
    row("921(a)(36)-pistol-fixed", False, "a fixed magazine of 10",
        firearm(**PISTOL, magazine="fixed", capacity=10), "holds 10 rounds, not more than 10"),
    row("921(a)(36)-pistol-fixed", False, "a fixed magazine of 9",
        firearm(**PISTOL, magazine="fixed", capacity=9), "holds 9 rounds, not more than 10"),
    row("921(a)(36)-shotgun", True, "a pistol grip",
        firearm(**SHOTGUN, magazine="tubular", capacity=5, features=["pistol_grip"]),
        "a pistol grip"),
    row("921(a)(36)-shotgun", False, "no listed feature",
        firearm(**SHOTGUN, magazine="tubular", capacity=5),
        "has none of the listed characteristics"),
    row("921(a)(36)-shotgun-fixed", True, "a 6-round tube",
        firearm(**SHOTGUN, magazine="tubular", capacity=6), "holds 6 rounds, more than 5"),
    row("921(a)(36)-shotgun-fixed", False, "a 5-round tube",
        firearm(**SHOTGUN, magazine="tubular", capacity=5), "holds 5 rounds, not more than 5"),
    row("921(a)(36)-shotgun-fixed", False, "a 4-round tube",
        firearm(**SHOTGUN, magazine="tubular", capacity=4), "holds 4 rounds, not more than 5"),
    row("921(a)(36)-shotgun-detach", True, "a detachable magazine", firearm(**SHOTGUN, capacity=5),
        "has a detachable magazine"),
    row("921(a)(36)-shotgun-detach", False, "a pump shotgun's detachable magazine",
        firearm(**SHOTGUN, action="pump", capacity=5), "pump-action, not semi-automatic"),
    row("921(a)(36)-revolving", True, "a revolving cylinder shotgun",
        firearm(**SHOTGUN, action="revolver", magazine="none"), "revolving-cylinder"),
    row("921(a)(36)-revolving", False, "a revolver pistol",
        firearm(**PISTOL, action="revolver", magazine="none"), "a pistol, not a shotgun"),
    row("LCAFD-over-10", True, "11 rounds", firearm(capacity=11), "holds 11 rounds, more than 10"),
    row("LCAFD-over-10", False, "10 rounds, at the limit", firearm(capacity=10),
        "holds 10 rounds, not more than 10"),
    row("LCAFD-over-10", False, "9 rounds", firearm(capacity=9),
        "holds 9 rounds, not more than 10"),
]  # fmt: skip


@pytest.mark.parametrize("case", ROWS)
def test_proposal_clause(book: RuleBook, case: Row) -> None:
    check_row(book, CODE, case)


def test_the_proposal_is_marked_and_is_no_transfer_jurisdiction(book: RuleBook) -> None:
    rules = book.item_rules(CODE)
    assert rules.proposal
    assert "never became law" in rules.note
    with pytest.raises(NotFound):
        book.for_jurisdiction(CODE)
    assert CODE in book.classification_codes
    assert CODE not in book.jurisdictions


def test_magazines_owned_on_enactment_could_be_kept_not_sold(book: RuleBook) -> None:
    held = firearm(capacity=30, possessed_since=date(2010, 1, 1))
    [finding] = book.item_rules(CODE).classify(held, date(2014, 6, 2)).prohibiting
    assert finding.clause == "LCAFD-over-10"
    assert "does not extend to a transfer" in finding.explanation


def test_before_its_hypothetical_enactment_nothing_is_banned(book: RuleBook) -> None:
    rifle = firearm(capacity=30, features=["pistol_grip"])
    assert not book.item_rules(CODE).classify(rifle, date(2013, 1, 23)).prohibited
    assert book.item_rules(CODE).classify(rifle, date(2013, 1, 24)).prohibited
