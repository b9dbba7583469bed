"""The private-transfer section of a rules file: how a sale between two private persons
is checked in a jurisdiction, and which such transfers need no check at all.

    [[private_transfers.terms]]
    certificates_offered = true          # or false: through a dealer only
    certificate_validity_days = 30
    seller_identity_recorded = false     # does a dealer record the private seller?
    exempt_relationships = ["spouse", "parent", "child"]
    citation = "..."
    effective_from = 2026-01-01

This section has its own layout, checks and queries here, apart from the person rules, so
that the other sections of the same files can grow without touching it. A state's entry in
force replaces the federal one on that day, and may only be stricter: a shorter validity,
no certificates where federal terms offer them, the seller recorded where federal terms do
not, and fewer exempt relationships. A jurisdiction with no terms in force offers no
certificate, exempts nothing and records no seller: the safe reading of silence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from transfercheck.domain.checks import Transfer, TransferType
from transfercheck.domain.errors import Problem
from transfercheck.domain.identities import identity_problems
from transfercheck.domain.rules.effective import Effective
from transfercheck.domain.rules.locate import KeyPath
from transfercheck.domain.rules.model import JurisdictionRules
from transfercheck.domain.rules.schema_base import Entry

SECTION = "private_transfers"
MAX_VALIDITY_DAYS = 90


class Relationship(StrEnum):
    """How the buyer is related to the seller (as the 2013 family exemption lists them)."""

    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    AUNT_OR_UNCLE = "aunt_or_uncle"
    NIECE_OR_NEPHEW = "niece_or_nephew"
    FIRST_COUSIN = "first_cousin"
    UNRELATED = "unrelated"  # never exempt: the case universal checks exist for


class Route(StrEnum):
    DEALER = "dealer"  # seller and buyer meet at a dealer, who runs the check
    CERTIFICATE = "certificate"  # the buyer self-checks; the seller verifies the code


@dataclass(frozen=True)
class PrivateTransferTerms:
    jurisdiction: str
    certificates_offered: bool
    certificate_validity_days: int
    seller_identity_recorded: bool
    exempt_relationships: frozenset[Relationship]
    citation: str
    effective: Effective


# With no terms in force, nothing is offered and nothing is exempt.
NO_TERMS_CITATION = "no private-transfer terms in force"


@dataclass(frozen=True)
class Requirement:
    """What a private transfer needs in a jurisdiction, and on what authority."""

    check_required: bool
    routes: tuple[Route, ...]  # empty when no check is required
    citation: str


def requirement(terms: PrivateTransferTerms | None, relationship: Relationship) -> Requirement:
    """Does a private transfer between persons so related need a check, and how?"""
    if terms is None:
        return Requirement(True, (Route.DEALER,), NO_TERMS_CITATION)
    if relationship in terms.exempt_relationships:
        return Requirement(False, (), terms.citation)
    routes = (Route.DEALER, Route.CERTIFICATE) if terms.certificates_offered else (Route.DEALER,)
    return Requirement(True, routes, terms.citation)


def seller_problems(
    transfer: Transfer, terms: PrivateTransferTerms | None, today: date
) -> list[Problem]:
    """The seller is given exactly when the rules record it: never more than they require."""
    private = transfer.transfer_type is TransferType.PRIVATE_VIA_DEALER
    recorded = private and terms is not None and terms.seller_identity_recorded
    seller = transfer.seller
    if seller is None:
        if not recorded:
            return []
        assert terms is not None
        why = f"{transfer.jurisdiction} records the seller of a private transfer ({terms.citation})"
        return [Problem("seller", f"is required: {why}")]
    if not private:
        return [Problem("seller", "only a private transfer has a seller; leave it out")]
    if not recorded:
        return [
            Problem(
                "seller",
                f"{transfer.jurisdiction} does not record the seller of a private transfer; "
                "leave it out",
            )
        ]
    problems = identity_problems(seller, today, "seller")
    if seller.id_document is None:
        problems.append(Problem("seller.id_document", "is required with the seller"))
    return problems


def terms_on(layers: Sequence[JurisdictionRules], on: date) -> PrivateTransferTerms | None:
    """The terms in force on `on`: the state's own entry first, else the federal one."""
    for layer in reversed(layers):
        for terms in layer.private_transfers:
            if terms.effective.covers(on):
                return terms
    return None


# ── Layout ──────────────────────────────────────────────────────────────────────────

LaxRelationship = Annotated[Relationship, Field(strict=False)]


class TermsEntry(Entry):
    certificates_offered: bool
    certificate_validity_days: int
    seller_identity_recorded: bool
    exempt_relationships: list[LaxRelationship]

    @field_validator("certificate_validity_days")
    @classmethod
    def _days(cls, value: int) -> int:
        if not 1 <= value <= MAX_VALIDITY_DAYS:
            raise ValueError(f"must be an integer between 1 and {MAX_VALIDITY_DAYS}")
        return value

    @field_validator("exempt_relationships")
    @classmethod
    def _related(cls, value: list[Relationship]) -> list[Relationship]:
        if Relationship.UNRELATED in value:
            raise ValueError("'unrelated' cannot be exempt: that is the sale a check is for")
        if len(set(value)) != len(value):
            raise ValueError("names a relationship twice")
        return value


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    terms: list[TermsEntry] = []


def to_terms(code: str, section: Section | None) -> tuple[PrivateTransferTerms, ...]:
    if section is None:
        return ()
    return tuple(
        PrivateTransferTerms(
            jurisdiction=code,
            certificates_offered=e.certificates_offered,
            certificate_validity_days=e.certificate_validity_days,
            seller_identity_recorded=e.seller_identity_recorded,
            exempt_relationships=frozenset(e.exempt_relationships),
            citation=e.citation,
            effective=Effective(e.effective_from, e.effective_until),
        )
        for e in section.terms
    )


# ── Meaning ─────────────────────────────────────────────────────────────────────────

Finding = tuple[KeyPath, str]


def check(
    section: Section | None, code: str, federal: JurisdictionRules | None
) -> Iterator[Finding]:
    """Problems of meaning: overlapping entries, and a state laxer than federal terms."""
    if section is None:
        return
    entries = [Effective(e.effective_from, e.effective_until) for e in section.terms]
    for i, effective in enumerate(entries):
        clash = next((j for j in range(i) if entries[j].overlaps(effective)), None)
        if clash is not None:
            where = f"{SECTION}.terms[{clash}]"
            yield (SECTION, "terms", i), f"in force on the same days as {where}"
    if federal is not None:
        for i, entry in enumerate(section.terms):
            yield from _not_laxer(i, entry, federal)


def _not_laxer(i: int, entry: TermsEntry, federal: JurisdictionRules) -> Iterator[Finding]:
    effective = Effective(entry.effective_from, entry.effective_until)
    for floor in federal.private_transfers:
        if not floor.effective.overlaps(effective):
            continue
        path: KeyPath = (SECTION, "terms", i)
        if entry.certificate_validity_days > floor.certificate_validity_days:
            yield (
                (*path, "certificate_validity_days"),
                f"{entry.certificate_validity_days} is longer than the federal "
                f"{floor.certificate_validity_days} days; a state may only shorten it",
            )
        if entry.certificates_offered and not floor.certificates_offered:
            yield (*path, "certificates_offered"), "federal terms offer no certificates"
        if floor.seller_identity_recorded and not entry.seller_identity_recorded:
            yield (
                (*path, "seller_identity_recorded"),
                "federal terms record the seller; a state may not stop it",
            )
        extra = sorted(set(entry.exempt_relationships) - floor.exempt_relationships)
        if extra:
            yield (
                (*path, "exempt_relationships"),
                f"{', '.join(extra)} not exempt under federal terms; a state may only narrow "
                "the exemptions",
            )
