"""The private-transfer section of the rules files: terms, exemptions, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from transfercheck.domain.errors import RulesFileError
from transfercheck.domain.rules import JurisdictionRules, RuleBook, parse_rules
from transfercheck.domain.rules.private_transfers import (
    NO_TERMS_CITATION,
    Relationship,
    Route,
    requirement,
    terms_on,
)

ON = date(2026, 11, 24)


def state_text(body: str, code: str = "FL") -> str:
    return f'[jurisdiction]\ncode = "{code}"\nname = "Test"\n{body}'


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


def problems_of(text: str, federal: JurisdictionRules | None) -> list[str]:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, "FL.toml", federal)
    return [str(problem) for problem in caught.value.problems]


SHIPPED_EXEMPT = {
    Relationship.SPOUSE,
    Relationship.PARENT,
    Relationship.CHILD,
    Relationship.SIBLING,
    Relationship.GRANDPARENT,
    Relationship.GRANDCHILD,
    Relationship.AUNT_OR_UNCLE,
    Relationship.NIECE_OR_NEPHEW,
    Relationship.FIRST_COUSIN,
}

TERMS = """
[[private_transfers.terms]]
certificates_offered = false
certificate_validity_days = 10
seller_identity_recorded = true
exempt_relationships = ["spouse", "parent", "child"]
citation = "Test Code 9"
effective_from = 2026-06-01
"""


def state_book(federal_text: str, body: str = TERMS, code: str = "NJ") -> RuleBook:
    return RuleBook.from_sources({"US.toml": federal_text, f"{code}.toml": state_text(body, code)})


# ── The shipped federal terms, one exemption rule at a time ────────────────────────


@pytest.mark.parametrize("relationship", list(Relationship))
def test_each_relationship_under_the_shipped_terms(
    book: RuleBook, relationship: Relationship
) -> None:
    terms = terms_on(book.for_jurisdiction("TX").layers, ON)
    assert terms is not None
    needed = requirement(terms, relationship)
    if relationship in SHIPPED_EXEMPT:
        assert (needed.check_required, needed.routes) == (False, ())
    else:
        assert needed.check_required
        assert needed.routes == (Route.DEALER, Route.CERTIFICATE)
    assert "Manchin-Toomey" in needed.citation


def test_shipped_terms(book: RuleBook) -> None:
    terms = terms_on(book.for_jurisdiction("FL").layers, ON)
    assert terms is not None
    assert terms.jurisdiction == "US"
    assert terms.certificates_offered
    assert terms.certificate_validity_days == 30
    assert not terms.seller_identity_recorded
    assert terms.exempt_relationships == SHIPPED_EXEMPT


def test_before_any_terms_a_private_transfer_goes_through_a_dealer(book: RuleBook) -> None:
    assert terms_on(book.for_jurisdiction("TX").layers, date(2025, 12, 31)) is None
    for relationship in Relationship:
        needed = requirement(None, relationship)
        assert (needed.check_required, needed.routes) == (True, (Route.DEALER,))
        assert needed.citation == NO_TERMS_CITATION


# ── A state's own terms ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("relationship", list(Relationship))
def test_a_state_narrows_the_exemptions_and_allows_only_the_dealer_route(
    federal_text: str, relationship: Relationship
) -> None:
    book = state_book(federal_text)
    terms = terms_on(book.for_jurisdiction("NJ").layers, ON)
    assert terms is not None
    assert terms.jurisdiction == "NJ"
    needed = requirement(terms, relationship)
    exempt = relationship in {Relationship.SPOUSE, Relationship.PARENT, Relationship.CHILD}
    assert needed.check_required is not exempt
    assert needed.routes == (() if exempt else (Route.DEALER,))
    assert needed.citation == "Test Code 9"


def test_a_state_entry_applies_only_from_its_date(federal_text: str) -> None:
    book = state_book(federal_text)
    before = terms_on(book.for_jurisdiction("NJ").layers, date(2026, 5, 31))
    assert before is not None
    assert before.jurisdiction == "US"
    other_state = terms_on(book.for_jurisdiction("NY").layers, ON)
    assert other_state is not None
    assert other_state.jurisdiction == "US"


def test_a_file_without_the_section_has_no_terms(federal: JurisdictionRules) -> None:
    assert federal.private_transfers
    assert parse_rules(state_text(""), "FL.toml", federal).private_transfers == ()


# ── What is refused ─────────────────────────────────────────────────────────────────

ERROR_ROWS = [
    pytest.param("= 10", "= 91", "certificate_validity_days",
                 "private_transfers.terms[0].certificate_validity_days: must be an integer "
                 "between 1 and 90", id="validity out of range"),
    pytest.param('"child"]', '"child", "unrelated"]', "exempt_relationships",
                 "private_transfers.terms[0].exempt_relationships: 'unrelated' cannot be exempt",
                 id="unrelated cannot be exempt"),
    pytest.param('"child"]', '"child", "spouse"]', "exempt_relationships",
                 "private_transfers.terms[0].exempt_relationships: names a relationship twice",
                 id="a relationship twice"),
    pytest.param('"child"]', '"child", "friend"]', "exempt_relationships",
                 "private_transfers.terms[0].exempt_relationships[3]: unknown "
                 "exempt_relationships 'friend'", id="unknown relationship"),
    pytest.param("seller_identity_recorded = true\n", "", "[[private_transfers.terms]]",
                 "private_transfers.terms[0].seller_identity_recorded: is required",
                 id="a required key is missing"),
    pytest.param("= 10", "= 10\nvalid_days = 3", "valid_days",
                 "private_transfers.terms[0].valid_days: unknown key; expected one of: "
                 "certificate_validity_days, certificates_offered", id="unknown key"),
    pytest.param("= false", '= "no"', "certificates_offered",
                 "private_transfers.terms[0].certificates_offered: must be true or false",
                 id="not a boolean"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "marker", "expected"), ERROR_ROWS)
def test_each_problem_names_line_and_key(
    federal: JurisdictionRules, old: str, new: str, marker: str, expected: str
) -> None:
    text = state_text(TERMS.replace(old, new))
    [problem] = problems_of(text, federal)
    assert problem.startswith(f"line {line_of(text, marker)}, {expected}"), problem


LAXER_ROWS = [
    pytest.param("= 10", "= 31", "certificate_validity_days",
                 "31 is longer than the federal 30 days", id="a longer validity"),
    pytest.param('"child"]', '"child", "first_cousin", "sibling"]', "exempt_relationships", None,
                 id="federal exemptions may be kept"),
    pytest.param("seller_identity_recorded = true", "seller_identity_recorded = false",
                 "seller_identity_recorded", None, id="the seller need not be recorded"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "marker", "expected"), LAXER_ROWS)
def test_a_state_may_only_be_stricter(
    federal: JurisdictionRules, old: str, new: str, marker: str, expected: str | None
) -> None:
    text = state_text(TERMS.replace(old, new))
    if expected is None:
        assert parse_rules(text, "FL.toml", federal).private_transfers
        return
    [problem] = problems_of(text, federal)
    assert problem.startswith(f"line {line_of(text, marker)}, private_transfers.terms[0]")
    assert expected in problem


def test_a_state_may_not_add_exemptions_offer_certificates_or_stop_recording(
    federal_text: str,
) -> None:
    strict_federal = federal_text.replace(
        "certificates_offered = true", "certificates_offered = false"
    ).replace("seller_identity_recorded = false", "seller_identity_recorded = true")
    federal = parse_rules(strict_federal, "US.toml")
    laxer = TERMS.replace("certificates_offered = false", "certificates_offered = true").replace(
        "seller_identity_recorded = true", "seller_identity_recorded = false"
    )
    problems = problems_of(state_text(laxer), federal)
    assert any("certificates_offered: federal terms offer no certificates" in p for p in problems)
    assert any("seller_identity_recorded: federal terms record the seller" in p for p in problems)
    narrow_federal = parse_rules(
        federal_text.replace('"spouse", "parent", "child", ', ""), "US.toml"
    )
    [problem] = problems_of(state_text(TERMS), narrow_federal)
    assert "exempt_relationships: child, parent, spouse not exempt under federal terms" in problem


def test_terms_in_force_on_the_same_days_are_ambiguous(federal: JurisdictionRules) -> None:
    second = TERMS.replace("2026-06-01", "2027-01-01")
    text = state_text(TERMS + second)
    [problem] = problems_of(text, federal)
    assert problem.endswith(
        "private_transfers.terms[1]: in force on the same days as private_transfers.terms[0]"
    )
    closed = TERMS.replace("effective_from", "effective_until = 2026-12-31\neffective_from")
    assert len(parse_rules(state_text(closed + second), "FL.toml", federal).private_transfers) == 2


def test_section_and_layout_problems_are_reported_together(federal: JurisdictionRules) -> None:
    text = state_text(TERMS.replace("= 10", "= 0") + '\n[extra]\nkey = "x"\n')
    problems = problems_of(text, federal)
    assert len(problems) == 2
