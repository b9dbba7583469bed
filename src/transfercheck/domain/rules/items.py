"""The clause engine: may this item be transferred here on this date, and why (not)?

Every clause in force on the transfer date, federal first, then the state's (or the
proposal's), judges the item on its own. A clause reaches the item when all its
conditions hold and none of its exceptions does; a grandfather clause then either takes
the item back out (when the law lets grandfathered items be *transferred*) or only adds a
note (when it lets their owner keep them). Clauses are additive, like the person rules: a
state adds prohibitions, it cannot lift a federal one. The item is PROHIBITED when any
clause reaches it, ALLOWED otherwise.

A clause that cannot be decided because the description leaves out a fact it needs (and
no other clause prohibits the item anyway) is not guessed: the answer is a validation
error naming the missing field and the law that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from transfercheck.domain.determinations import ClauseFinding, ItemAssessment, ItemStatus
from transfercheck.domain.errors import Problem, ValidationFailed
from transfercheck.domain.items import Item
from transfercheck.domain.rules.item_conditions import Test, tests
from transfercheck.domain.rules.item_model import (
    Grandfather,
    GrandfatherBasis,
    ItemClause,
    ItemException,
)


@dataclass(frozen=True)
class Judgement:
    """A clause's finding, or the fields it still needs (then `finding` is None)."""

    clause: ItemClause
    finding: ClauseFinding | None
    missing: tuple[str, ...] = ()


def judge(clause: ItemClause, item: Item) -> Judgement:
    """What one clause says about the item (its dates are the caller's business)."""
    results = list(tests(clause.conditions, item))
    failed = next((t for t in results if t.holds is False), None)
    if failed is not None:
        return _found(clause, False, f"Does not apply: {failed.words}.")
    missing = _missing(results)
    if missing:
        return Judgement(clause, None, missing)
    reach = "; ".join(t.words for t in results)
    features = tuple(f.value for t in results for f in t.features)
    outcomes = [(exception, _exception(exception, item)) for exception in clause.exceptions]
    excepted = next((e for e, outcome in outcomes if outcome is True), None)
    if excepted is not None:
        why = f"{reach}; but excepted: {excepted.label} ({excepted.citation})."
        return _found(clause, False, why, features)
    unsure = tuple(
        name for _, outcome in outcomes if isinstance(outcome, tuple) for name in outcome
    )
    if unsure:
        return Judgement(clause, None, tuple(dict.fromkeys(unsure)))
    return _grandfathered(clause, item, reach, features)


def _found(
    clause: ItemClause, prohibits: bool, explanation: str, features: tuple[str, ...] = ()
) -> Judgement:
    finding = ClauseFinding(
        jurisdiction=clause.jurisdiction,
        clause=clause.clause_id,
        citation=clause.citation,
        label=clause.label,
        bans=clause.bans.value,
        prohibits=prohibits,
        explanation=explanation,
        features=features if prohibits else (),
    )
    return Judgement(clause, finding)


def _missing(results: Iterable[Test]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.missing for t in results if t.missing))


def _exception(exception: ItemException, item: Item) -> bool | tuple[str, ...]:
    """True when the exception takes the item out, False when not, else the missing fields."""
    results = list(tests(exception.conditions, item))
    if any(t.holds is False for t in results):
        return False
    return _missing(results) or True


def _grandfathered(
    clause: ItemClause, item: Item, reach: str, features: tuple[str, ...]
) -> Judgement:
    rule = clause.grandfather
    what = f"{clause.label}: {reach}."
    if rule is None:
        return _found(clause, True, what, features)
    if not rule.allows_transfer:
        return _found(clause, True, f"{what} {_kept_only(rule, item)}", features)
    held = _grandfather_date(rule, item)
    limit, verb = rule.on_or_before.isoformat(), _basis_words(rule)
    if held is None:
        note = (
            f"No {rule.basis.value.replace('_', ' ')} date was given: an item {verb} "
            f"{limit} or earlier could be transferred ({rule.citation})."
        )
        return _found(clause, True, f"{what} {note}", features)
    if held > rule.on_or_before:
        note = f"The item was {verb} {held.isoformat()}, after the grandfather date {limit}."
        return _found(clause, True, f"{what} {note}", features)
    note = (
        f"But grandfathered: {verb} {held.isoformat()}, on or before {limit}, and such "
        f"items may still be transferred ({rule.citation})."
    )
    return _found(clause, False, f"{what} {note}")


def _kept_only(rule: Grandfather, item: Item) -> str:
    """The note for a grandfather clause that lets an owner keep an item, not transfer it."""
    limit, verb = rule.on_or_before.isoformat(), _basis_words(rule)
    note = (
        f"Its grandfather clause ({rule.citation}) lets an owner keep an item {verb} "
        f"{limit} or earlier, but does not extend to a transfer."
    )
    held = _grandfather_date(rule, item)
    if held is not None and held <= rule.on_or_before:
        note += f" This item was {verb} {held.isoformat()}: its owner may keep it."
    return note


def _grandfather_date(rule: Grandfather, item: Item) -> date | None:
    if rule.basis is GrandfatherBasis.POSSESSED_SINCE:
        return item.possessed_since
    # An item possessed by a date was made by then too.
    return item.manufactured_on or item.possessed_since


def _basis_words(rule: Grandfather) -> str:
    return "possessed since" if rule.basis is GrandfatherBasis.POSSESSED_SINCE else "made by"


def classify(
    clauses: Iterable[ItemClause], item: Item, on: date, jurisdiction: str
) -> ItemAssessment:
    """Judge the item under every clause in force on `on`; raises ValidationFailed naming
    the missing fields when the answer depends on facts the description left out."""
    judgements = [judge(c, item) for c in clauses if c.effective.covers(on)]
    findings = [j.finding for j in judgements if j.finding is not None]
    prohibiting = [f for f in findings if f.prohibits]
    undecided = [j for j in judgements if j.finding is None]
    if undecided and not prohibiting:
        raise ValidationFailed(_needed(undecided))
    status = ItemStatus.PROHIBITED if prohibiting else ItemStatus.ALLOWED
    others = [f for f in findings if not f.prohibits]
    return ItemAssessment(jurisdiction, on, status, tuple(prohibiting + others))


def _needed(undecided: list[Judgement]) -> list[Problem]:
    laws: dict[str, list[str]] = {}
    for judgement in undecided:
        for name in judgement.missing:
            laws.setdefault(name, []).append(judgement.clause.citation)
    return [
        Problem(
            f"item.{name}", "is needed to judge this item under " + "; ".join(dict.fromkeys(cited))
        )
        for name, cited in laws.items()
    ]


@dataclass(frozen=True)
class ItemRuleSet:
    """The item clauses that apply in one jurisdiction (or under one proposal)."""

    jurisdiction: str
    name: str
    clauses: tuple[ItemClause, ...]  # federal first
    proposal: bool = False
    note: str = ""

    def classify(self, item: Item, on: date) -> ItemAssessment:
        return classify(self.clauses, item, on, self.jurisdiction)
