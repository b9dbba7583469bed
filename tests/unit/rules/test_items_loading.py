"""Item rules in rules files: a new jurisdiction is a new file, and a wrong one is refused
at load with the file, the line, the key and the problem."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import firearm
from transfercheck.domain.errors import RulesFileError
from transfercheck.domain.rules import JurisdictionRules, RuleBook, parse_rules

CLAUSE = """
[[item_rules]]
id = "2C:39-1(w)"
bans = "weapon"
label = "Test rifle clause"
citation = "Test Code 1"
effective_from = 2020-01-01
classes = ["rifle"]
actions = ["semi_automatic"]
magazines = ["detachable"]
features = [["folding_stock", "telescoping_stock"], "pistol_grip", "bayonet_mount"]
min_features = 2
"""


def state_text(body: str = CLAUSE, code: str = "NJ", header: str = "") -> str:
    return f'[jurisdiction]\ncode = "{code}"\nname = "Test"\n{header}{body}'


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


def problems_of(text: str, federal: JurisdictionRules, source: str = "NJ.toml") -> list[str]:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, source, federal)
    return [str(problem) for problem in caught.value.problems]


# ── A new jurisdiction is a new file ─────────────────────────────────────────────────


def test_a_new_state_is_a_new_file(federal_text: str) -> None:
    book = RuleBook.from_sources({"US.toml": federal_text, "NJ.toml": state_text()})
    rules = book.item_rules("NJ")
    on = date(2024, 6, 3)
    two = firearm(features=["folding_stock", "pistol_grip"])
    one_counted_once = firearm(features=["folding_stock", "telescoping_stock"])
    assert [f.clause for f in rules.classify(two, on).prohibiting] == ["2C:39-1(w)"]
    assert not rules.classify(one_counted_once, on).prohibited
    assert not rules.classify(two, date(2019, 12, 31)).prohibited
    assert not book.item_rules("PA").classify(two, on).prohibited  # no file: federal only


def test_a_state_proposal_overlays_its_state(federal_text: str) -> None:
    proposal = state_text(
        CLAUSE.replace("min_features = 2", "min_features = 1").replace("2C:39-1(w)", "bill-1"),
        code="NJ-A1234",
        header="proposal = true\nnote = 'A bill, not law.'\n",
    )
    book = RuleBook.from_sources(
        {"US.toml": federal_text, "NJ.toml": state_text(), "NJ-A1234.toml": proposal}
    )
    rules = book.item_rules("NJ-A1234")
    assert rules.proposal
    assert rules.note == "A bill, not law."
    found = rules.classify(firearm(features=["pistol_grip"]), date(2024, 6, 3))
    assert [f.clause for f in found.prohibiting] == ["bill-1"]
    assert {c.jurisdiction for c in rules.clauses} == {"US", "NJ", "NJ-A1234"}


def test_a_state_cannot_lift_a_federal_clause(federal_text: str) -> None:
    # A state exception only qualifies the state's own clause: the federal 1994 clause
    # still reaches the item on a date it was in force.
    relaxed = CLAUSE + (
        "[[item_rules.exceptions]]\nlabel = 'all rifles'\ncitation = 'T'\nclasses = ['rifle']\n"
    )
    book = RuleBook.from_sources({"US.toml": federal_text, "NJ.toml": state_text(relaxed)})
    rifle = firearm(features=["pistol_grip", "bayonet_mount"])
    prohibiting = book.item_rules("NJ").classify(rifle, date(2000, 6, 1)).prohibiting
    assert [f.clause for f in prohibiting] == ["921(a)(30)(B)"]


# ── What is refused ─────────────────────────────────────────────────────────────────

ERROR_ROWS = [
    pytest.param('"pistol_grip", "bayonet_mount"]', '"pistol_grp", "bayonet_mount"]', "features",
                 "item_rules[0].features: unknown feature 'pistol_grp'; expected ",
                 id="unknown feature"),
    pytest.param('classes = ["rifle"]', 'classes = ["carbine"]', "classes",
                 "item_rules[0].classes[0]: unknown class 'carbine'; expected 'rifle', ",
                 id="unknown class"),
    pytest.param('bans = "weapon"', 'bans = "gun"', "bans",
                 "item_rules[0].bans: unknown bans 'gun'; expected 'weapon' or 'magazine'",
                 id="unknown kind of ban"),
    pytest.param('citation = "Test Code 1"\n', "", "[[item_rules]]",
                 "item_rules[0].citation: is required", id="a clause without its citation"),
    pytest.param('classes = ["rifle"]', 'classes = ["rifle"]\ncapacity_over = -1',
                 "capacity_over",
                 "item_rules[0].capacity_over: must be a number of rounds between 0 and 1000",
                 id="a negative capacity"),
    pytest.param('classes = ["rifle"]', 'classes = ["rifle"]\ncapacity_over = "10"',
                 "capacity_over", "item_rules[0].capacity_over: must be an integer",
                 id="a quoted capacity"),
    pytest.param('classes = ["rifle"]', 'classes = ["rifle"]\noverall_length_under = 0',
                 "overall_length_under",
                 "item_rules[0].overall_length_under: must be more than 0 and at most 100 inches",
                 id="a zero length"),
    pytest.param("min_features = 2", "min_features = 4", "min_features",
                 "item_rules[0].min_features: must be between 1 and 3", id="min_features too high"),
    pytest.param('"bayonet_mount"]', '"bayonet_mount", "pistol_grip"]', "features",
                 "item_rules[0].features: 'pistol_grip' is listed twice",
                 id="a feature that would count twice"),
    pytest.param('magazines = ["detachable"]', "magazines = []", "magazines",
                 "item_rules[0].magazines: must name at least one, or be left out",
                 id="an empty list is not 'any'"),
    pytest.param('classes = ["rifle"]\n', "", "[[item_rules]]",
                 "item_rules[0]: a weapon clause must set classes or models",
                 id="a weapon clause that would reach every firearm"),
    pytest.param('bans = "weapon"', 'bans = "magazine"', "[[item_rules]]",
                 "item_rules[0]: a magazine clause must set capacity_over",
                 id="a magazine clause without a capacity"),
    pytest.param('id = "2C:39-1(w)"', 'id = "2C 39"', "id =",
                 "item_rules[0].id: must be 1 to 64 letters, digits and . : / - ( )",
                 id="an id with a space"),
    pytest.param("min_features = 2", "min_features = 2\nfeature_count = 2", "feature_count",
                 "item_rules[0].feature_count: unknown key; expected one of: actions, bans, ",
                 id="unknown key, with the allowed keys"),
    pytest.param("min_features = 2",
                 "min_features = 2\n[[item_rules.exceptions]]\nlabel = 'x'\ncitation = 'y'",
                 "[[item_rules.exceptions]]",
                 "item_rules[0].exceptions[0]: must set at least one condition",
                 id="an exception that would take every item out"),
    pytest.param("min_features = 2",
                 "min_features = 2\n[item_rules.grandfather]\non_or_before = 2013-07-01\n"
                 "basis = 'owned'\nallows_transfer = false\ncitation = 'y'", "basis",
                 "item_rules[0].grandfather.basis: unknown basis 'owned'; expected "
                 "'possessed_since' or 'manufactured_on'", id="unknown grandfather basis"),
    pytest.param("min_features = 2",
                 "min_features = 2\neffective_until = 2020-12-31\n"
                 "[item_rules.grandfather]\non_or_before = 2021-01-01\n"
                 "basis = 'possessed_since'\nallows_transfer = false\ncitation = 'y'",
                 "on_or_before", "item_rules[0].grandfather.on_or_before: 2021-01-01 is after "
                 "effective_until 2020-12-31", id="a grandfather date after the clause ends"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "marker", "expected"), ERROR_ROWS)
def test_each_item_rule_problem_names_line_and_key(
    federal: JurisdictionRules, old: str, new: str, marker: str, expected: str
) -> None:
    assert old in CLAUSE
    text = state_text(CLAUSE.replace(old, new))
    [problem] = problems_of(text, federal)
    assert problem.startswith(f"line {line_of(text, marker)}, {expected}"), problem


def test_a_clause_id_in_force_twice_is_ambiguous(federal: JurisdictionRules) -> None:
    text = state_text(CLAUSE + CLAUSE.replace("2020-01-01", "2022-01-01"))
    [problem] = problems_of(text, federal)
    second_id = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("id =")][1]
    assert problem == (
        f"line {second_id}, item_rules[1].id: '2C:39-1(w)' is in force on the same days as "
        "item_rules[0]"
    )
    closed = CLAUSE.replace("effective_from", "effective_until = 2021-12-31\neffective_from")
    later = CLAUSE.replace("2020-01-01", "2022-01-01")
    assert len(parse_rules(state_text(closed + later), "NJ.toml", federal).item_rules) == 2


@pytest.mark.parametrize(
    ("code", "header", "body", "message"),
    [
        pytest.param("US_AWB", "proposal = true\n", CLAUSE, "a proposal's code is US or a state",
                     id="a proposal code needs base-NAME"),
        pytest.param("ZZ-BILL", "proposal = true\n", CLAUSE, "a proposal's code is US or a state",
                     id="a proposal's base must be a jurisdiction"),
        pytest.param("US-BILL1", "", CLAUSE, "unknown jurisdiction 'US-BILL1'",
                     id="a hyphenated code that is not marked as a proposal"),
        pytest.param("US-BILL1", "proposal = true\n",
                     "[[minimum_ages]]\nfirearm = 'handgun'\nage = 25\ncitation = 'T'\n"
                     "effective_from = 2020-01-01\n",
                     "minimum_ages: a proposal file may hold item rules only",
                     id="a proposal governs no transfer"),
    ],
)  # fmt: skip
def test_proposal_file_problems(
    federal: JurisdictionRules, code: str, header: str, body: str, message: str
) -> None:
    problems = problems_of(state_text(body, code, header), federal, f"{code}.toml")
    assert any(message in p for p in problems), problems


def test_the_book_names_the_bad_file_first(federal_text: str) -> None:
    bad = state_text(CLAUSE.replace('"bayonet_mount"]', '"bayonet"]'))
    with pytest.raises(RulesFileError) as caught:
        RuleBook.from_sources({"US.toml": federal_text, "NJ.toml": bad})
    assert str(caught.value).startswith(f"NJ.toml: line {line_of(bad, 'features')}, ")
