"""Each condition of a clause, tested on an item and said in words.

A test holds, fails, or cannot be decided because the description leaves out a fact it
needs (an optional field such as the ignition or the overall length); then it names that
field, so the caller can ask for it instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from transfercheck.domain.items import (
    ACTION_WORDS,
    FEATURE_WORDS,
    MAGAZINE_WORDS,
    Feature,
    Item,
    MagazineType,
)
from transfercheck.domain.rules.item_model import Conditions


@dataclass(frozen=True)
class Test:
    holds: bool | None  # None: the description lacks `missing`
    words: str
    missing: str | None = None
    features: tuple[Feature, ...] = ()  # the features that made a feature test hold


def tests(conditions: Conditions, item: Item) -> Iterator[Test]:
    """The outcome of every condition that is set, in a fixed, readable order."""
    for test in _TESTS:
        outcome = test(conditions, item)
        if outcome is not None:
            yield outcome


def _alternatives(words: Iterable[str], conjunction: str = "or") -> str:
    listed = sorted(words)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + f" {conjunction} " + listed[-1]


def _class(c: Conditions, item: Item) -> Test | None:
    if c.classes is None:
        return None
    given = item.firearm_class.value
    if item.firearm_class in c.classes:
        return Test(True, f"a {given}")
    return Test(False, f"a {given}, not a {_alternatives(x.value for x in c.classes)}")


def _action(c: Conditions, item: Item) -> Test | None:
    if c.actions is None:
        return None
    given = ACTION_WORDS[item.action]
    if item.action in c.actions:
        return Test(True, given)
    return Test(False, f"{given}, not {_alternatives(ACTION_WORDS[a] for a in c.actions)}")


def _magazine(c: Conditions, item: Item) -> Test | None:
    if c.magazines is None:
        return None
    given = MAGAZINE_WORDS[item.magazine]
    if item.magazine in c.magazines:
        return Test(True, f"has {given}")
    wanted = _alternatives(MAGAZINE_WORDS[m] for m in c.magazines)
    return Test(False, f"has {given}; the clause needs {wanted}")


def _ignition(c: Conditions, item: Item) -> Test | None:
    if c.ignitions is None:
        return None
    wanted = _alternatives(i.value for i in c.ignitions)
    if item.ignition is None:
        return Test(None, f"ignition not given (the clause needs {wanted})", "ignition")
    if item.ignition in c.ignitions:
        return Test(True, item.ignition.value)
    return Test(False, f"{item.ignition.value}, not {wanted}")


def _capacity(c: Conditions, item: Item) -> Test | None:
    limit = c.capacity_over
    if limit is None:
        return None
    rounds = item.magazine_capacity
    if item.magazine is MagazineType.NONE or rounds is None:
        return Test(False, "has no magazine")
    if rounds > limit:
        return Test(True, f"its magazine holds {rounds} rounds, more than {limit}")
    return Test(False, f"its magazine holds {rounds} rounds, not more than {limit}")


def _measure(
    name: str, words: str, unit: str, below: bool
) -> Callable[[float | None, float | None], Test | None]:
    """A test of one measurement against a limit: under it (`below`) or at least it."""

    def test(limit: float | None, value: float | None) -> Test | None:
        if limit is None:
            return None
        relation = "under" if below else "at least"
        if value is None:
            wanted = f"{relation} {limit:g} {unit}"
            return Test(None, f"{words} not given (the clause asks for {wanted})", name)
        holds = value < limit if below else value >= limit
        negation = "" if holds else "not "
        return Test(holds, f"{words} {value:g} {unit}, {negation}{relation} {limit:g} {unit}")

    return test


_overall = _measure("overall_length_in", "overall length", "in", below=True)
_barrel = _measure("barrel_length_in", "barrel length", "in", below=True)
_weight = _measure("weight_oz", "unloaded weight", "oz", below=False)


def _lengths(c: Conditions, item: Item) -> Test | None:
    return _overall(c.overall_length_under, item.overall_length_in)


def _barrel_length(c: Conditions, item: Item) -> Test | None:
    return _barrel(c.barrel_length_under, item.barrel_length_in)


def _weight_test(c: Conditions, item: Item) -> Test | None:
    return _weight(c.weight_oz_at_least, item.weight_oz)


def _features(c: Conditions, item: Item) -> Test | None:
    if not c.features:
        return None
    present = [sorted(group & item.features) for group in c.features]
    counted = [found for found in present if found]
    matched = tuple(feature for found in counted for feature in found)
    need = c.min_features
    listed = "; ".join(_alternatives(FEATURE_WORDS[f] for f in g) for g in c.features)
    has = _alternatives((FEATURE_WORDS[f] for f in matched), "and")
    if len(counted) >= need:
        words = f"has {has} (the clause needs {need} of its listed characteristics)"
        return Test(True, words, features=matched)
    if not counted:
        return Test(False, f"has none of the listed characteristics ({listed})")
    words = f"has only {len(counted)} of the listed characteristics ({has}); {need} are needed"
    return Test(False, words)


def _models(c: Conditions, item: Item) -> Test | None:
    if not c.models:
        return None
    named = f"{item.make} {item.model}"
    entry = next((m for m in c.models if m.matches(item)), None)
    if entry is None:
        return Test(False, f"{named} is not on the list of named models")
    return Test(True, f"{named} is on the list of named models as {entry}")


_TESTS: tuple[Callable[[Conditions, Item], Test | None], ...] = (
    _class,
    _action,
    _magazine,
    _ignition,
    _models,
    _capacity,
    _lengths,
    _barrel_length,
    _weight_test,
    _features,
)
