"""Classify an item: may it be transferred in a jurisdiction (or under a proposal) on a date?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from transfercheck.domain.determinations import ItemAssessment
from transfercheck.domain.errors import NotFound, Problem, ValidationFailed
from transfercheck.domain.items import Item, item_problems
from transfercheck.domain.rules import RuleBook
from transfercheck.domain.rules.items import ItemRuleSet


@dataclass(frozen=True)
class Classification:
    rules: ItemRuleSet  # what was applied: its code, name, and whether it is a proposal
    assessment: ItemAssessment
    rules_version: str


def classify_item(rule_book: RuleBook, item: Item, jurisdiction: str, on: date) -> Classification:
    """Judge `item` under `jurisdiction`'s weapon and magazine rules in force on `on`.
    Raises ValidationFailed naming each bad or missing field."""
    problems = item_problems(item, on)
    rules: ItemRuleSet | None = None
    try:
        rules = rule_book.item_rules(jurisdiction)
    except NotFound:
        proposals = ", ".join(sorted(rule_book.proposals))
        problems.append(
            Problem(
                "jurisdiction",
                f"unknown jurisdiction {jurisdiction!r}; expected a state or territory code, "
                f"US, or a proposal ({proposals})",
            )
        )
    if problems or rules is None:
        raise ValidationFailed(problems)
    return Classification(rules, rules.classify(item, on), rule_book.version)
