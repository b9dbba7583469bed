"""Checks on the meaning of the item rules in a rules file, after their layout is right.

- A clause id is in force at most once on any day (a clause that changes is closed with
  effective_until and written again from the next day, under the same id).
- A weapon clause names classes or models: with neither it would reach every firearm. A
  magazine clause sets capacity_over: magazine laws are capacity limits.
- min_features needs features, and cannot ask for more characteristics than are listed;
  no feature is listed twice in one clause (it would count twice).
- An exception sets at least one condition (an empty one would take every item out).
- A grandfather date is not after the clause stops being in force.
- A proposal file holds item rules only: it never governs a transfer's person rules.

Item clauses are additive (any clause in force that reaches an item prohibits it), so a
state file cannot weaken a federal clause: nothing here needs the federal file.
"""

from __future__ import annotations

from collections.abc import Iterator

from transfercheck.domain.rules.effective import Effective
from transfercheck.domain.rules.item_schema import ConditionsEntry, ItemRuleEntry
from transfercheck.domain.rules.locate import KeyPath
from transfercheck.domain.rules.schema import RulesFile
from transfercheck.domain.rules.schema_base import Entry

Finding = tuple[KeyPath, str]
SECTION = "item_rules"
PERSON_SECTIONS = ("default_proceed", "open_check_retention", "prohibitions", "minimum_ages")


def check(layout: RulesFile) -> Iterator[Finding]:
    yield from _ids_in_force_once(layout.item_rules)
    for i, entry in enumerate(layout.item_rules):
        where: KeyPath = (SECTION, i)
        yield from _reach(entry, where)
        yield from _features(entry, where)
        for j, exception in enumerate(entry.exceptions):
            if not exception.sets_a_condition():
                yield (*where, "exceptions", j), "must set at least one condition"
            yield from _features(exception, (*where, "exceptions", j))
        yield from _grandfather(entry, where)
    if layout.jurisdiction.proposal:
        yield from _item_rules_only(layout)


def _effective(entry: Entry) -> Effective:
    return Effective(entry.effective_from, entry.effective_until)


def _ids_in_force_once(entries: list[ItemRuleEntry]) -> Iterator[Finding]:
    for n, entry in enumerate(entries):
        earlier = next(
            (
                j
                for j, other in enumerate(entries[:n])
                if other.id == entry.id and _effective(other).overlaps(_effective(entry))
            ),
            None,
        )
        if earlier is not None:
            message = f"{entry.id!r} is in force on the same days as {SECTION}[{earlier}]"
            yield (SECTION, n, "id"), message


def _reach(entry: ItemRuleEntry, where: KeyPath) -> Iterator[Finding]:
    if entry.bans == "weapon" and entry.classes is None and entry.models is None:
        yield where, "a weapon clause must set classes or models, or it would reach every firearm"
    if entry.bans == "magazine" and entry.capacity_over is None:
        yield where, "a magazine clause must set capacity_over"


def _features(entry: ConditionsEntry, where: KeyPath) -> Iterator[Finding]:
    groups, least = entry.features or [], entry.min_features
    if least is not None and not groups:
        yield (*where, "min_features"), "needs features to count"
    elif least is not None and not 1 <= least <= len(groups):
        count = len(groups)
        yield (*where, "min_features"), f"must be between 1 and {count}, the characteristics listed"
    seen: set[str] = set()
    for group in groups:
        for feature in group:
            if feature in seen:
                yield (*where, "features"), f"{feature.value!r} is listed twice"
            seen.add(feature)


def _grandfather(entry: ItemRuleEntry, where: KeyPath) -> Iterator[Finding]:
    rule, until = entry.grandfather, entry.effective_until
    if rule is not None and until is not None and rule.on_or_before > until:
        yield (
            (*where, "grandfather", "on_or_before"),
            (f"{rule.on_or_before.isoformat()} is after effective_until {until.isoformat()}"),
        )


def _item_rules_only(layout: RulesFile) -> Iterator[Finding]:
    for section in PERSON_SECTIONS:
        if getattr(layout, section):
            yield (section,), "a proposal file may hold item rules only"
