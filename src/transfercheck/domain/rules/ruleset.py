"""The rules that apply to transfers in one jurisdiction: federal law plus the state's.

Rules are additive. For an item, every weapon and magazine clause of every layer judges
it, and any one that reaches it prohibits it (`items`). For a record, each layer
(federal, then state) that covers its category assesses it and the most severe effect
wins (PROHIBITS over NEEDS_DISPOSITION over NONE), so a state can add to federal law but
never take from it. For ages the
highest minimum wins; for the default-proceed window and the open-check retention the
state's entry, when it has one in force, replaces the federal one (a state window is
checked at load time to be no shorter than the federal one). Those two are also offered
as properties, "as the rules now stand", for callers that do not ask about a past date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from transfercheck.domain.checks import FirearmCategory, TransferType
from transfercheck.domain.determinations import (
    AgeAssessment,
    ItemAssessment,
    RecordAssessment,
    RecordEffect,
)
from transfercheck.domain.items import Item
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.domain.rules import age, items
from transfercheck.domain.rules.model import AgeRule, DaysRule, JurisdictionRules
from transfercheck.domain.rules.prohibitions import assess_record

_Section = Callable[[JurisdictionRules], tuple[DaysRule, ...]]
_SEVERITY = {RecordEffect.NONE: 0, RecordEffect.NEEDS_DISPOSITION: 1, RecordEffect.PROHIBITS: 2}


@dataclass(frozen=True)
class RuleSet:
    """Federal rules, overlaid by the rules of `jurisdiction` when it has its own file."""

    jurisdiction: str
    layers: tuple[JurisdictionRules, ...]  # federal first

    def assess(
        self, record: ProhibitingRecord, on: date, transfer_jurisdiction: str
    ) -> RecordAssessment:
        """What `record` means for a transfer in `transfer_jurisdiction` on `on`."""
        if transfer_jurisdiction != self.jurisdiction:
            raise ValueError(
                f"rules of {self.jurisdiction} asked about a transfer in {transfer_jurisdiction}"
            )
        found = [a for a in self._layer_assessments(record, on) if a is not None]
        if not found:
            return RecordAssessment(
                record.record_id,
                RecordEffect.NONE,
                f"No rule for category {record.category.value} was in force on {on}.",
                "",
            )
        return max(found, key=lambda a: _SEVERITY[a.effect])  # first (federal) on ties

    def _layer_assessments(
        self, record: ProhibitingRecord, on: date
    ) -> Iterator[RecordAssessment | None]:
        for layer in self.layers:
            rules = {r.category: r for r in layer.prohibitions if r.effective.covers(on)}
            yield assess_record(record, on, rules)

    def minimum_age(
        self, firearm: FirearmCategory, transfer_type: TransferType, on: date
    ) -> tuple[int, str]:
        """(age, citation): the youngest buyer a dealer may transfer `firearm` to on `on`."""
        return age.minimum_age(self._age_rules(), firearm, transfer_type, on)

    def assess_age(
        self,
        date_of_birth: date,
        on: date,
        firearm: FirearmCategory,
        transfer_type: TransferType,
    ) -> AgeAssessment:
        return age.assess_age(self._age_rules(), date_of_birth, on, firearm, transfer_type)

    def _age_rules(self) -> Iterator[AgeRule]:
        return (rule for layer in self.layers for rule in layer.minimum_ages)

    def classify_item(self, item: Item, on: date) -> ItemAssessment:
        """May `item` be transferred here on `on`? (see `domain.rules.items`)"""
        clauses = (clause for layer in self.layers for clause in layer.item_rules)
        return items.classify(clauses, item, on, self.jurisdiction)

    @property
    def default_proceed_business_days(self) -> int:
        """Business days after which a delayed check may proceed, as the rules now stand
        (the value in force from the latest entry's start; see `..._on` for a date)."""
        return self._current("default-proceed window", _default_proceed).days

    def default_proceed_business_days_on(self, on: date) -> int:
        """Business days after which a delayed check may proceed on `on`: 3 under federal
        law (18 U.S.C. 922(t)(1)(B)(ii)), or a state's own longer window."""
        return self._days_in_force("default-proceed window", on, _default_proceed).days

    @property
    def open_check_retention_days(self) -> int:
        """Days an open (delayed, unresolved) check is kept, as the rules now stand."""
        return self._current("open-check retention", _retention).days

    def open_check_retention_days_on(self, on: date) -> int:
        """Days an open check opened on `on` is kept before it is purged (federal: 88)."""
        return self._days_in_force("open-check retention", on, _retention).days

    def _current(self, what: str, section: _Section) -> DaysRule:
        starts = [rule.effective.start for layer in self.layers for rule in section(layer)]
        if not starts:
            raise ValueError(f"no {what} in {self.jurisdiction}")
        return self._days_in_force(what, max(starts), section)

    def _days_in_force(self, what: str, on: date, section: _Section) -> DaysRule:
        for layer in reversed(self.layers):  # the state's own entry first
            for rule in section(layer):
                if rule.effective.covers(on):
                    return rule
        raise ValueError(f"no {what} in force in {self.jurisdiction} on {on}")


def _default_proceed(layer: JurisdictionRules) -> tuple[DaysRule, ...]:
    return layer.default_proceed


def _retention(layer: JurisdictionRules) -> tuple[DaysRule, ...]:
    return layer.open_check_retention
