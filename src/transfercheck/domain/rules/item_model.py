"""Item rules as typed values: clauses of weapon and magazine laws, parsed from rules files.

A clause is one definition in a law ("a semiautomatic rifle that can accept a detachable
magazine and has one of: ..."). It holds *conditions*, all of which must hold for the
clause to reach an item; *exceptions*, any one of which takes the item back out (the
law's own exclusions, e.g. a .22 rimfire tubular magazine); and at most one *grandfather*
clause, which may let an item possessed (or made) by a date be kept, and sometimes be
transferred. Conditions are generic (class, action, magazine, ignition, capacity,
lengths, weight, features, named models), so a new law is a new rules file, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from transfercheck.domain.items import (
    Action,
    Feature,
    FirearmClass,
    Ignition,
    Item,
    MagazineType,
    normalise_make,
    normalise_model,
)
from transfercheck.domain.rules.effective import Effective


class Bans(StrEnum):
    """What a clause keeps from being transferred."""

    WEAPON = "weapon"  # the firearm itself (an "assault weapon")
    MAGAZINE = "magazine"  # its magazine (a "large-capacity magazine")


class GrandfatherBasis(StrEnum):
    POSSESSED_SINCE = "possessed_since"  # the transferor held the item by the date
    MANUFACTURED_ON = "manufactured_on"  # the item was made by the date


@dataclass(frozen=True)
class NamedModel:
    """One entry of a named-model list. No makes: any maker. A series: every model whose
    normalised name starts with this one (e.g. 'AR-15' covers 'AR-15A2')."""

    model: str
    makes: tuple[str, ...] = ()
    series: bool = False

    def matches(self, item: Item) -> bool:
        makes = {normalise_make(m) for m in self.makes}
        if makes and normalise_make(item.make) not in makes:
            return False
        listed, given = normalise_model(self.model), normalise_model(item.model)
        return given.startswith(listed) if self.series else given == listed

    def __str__(self) -> str:
        maker = " / ".join(self.makes)
        text = f"{maker} {self.model}" if maker else f"{self.model} (any maker)"
        return f"{text} series" if self.series else text


@dataclass(frozen=True)
class Conditions:
    """What an item must be for a clause (or an exception) to reach it. A None or empty
    field sets no condition. `features` lists the law's characteristics, each a set of
    features that count once together (e.g. "a folding or telescoping stock"); at least
    `min_features` of them must be present."""

    classes: frozenset[FirearmClass] | None = None
    actions: frozenset[Action] | None = None
    magazines: frozenset[MagazineType] | None = None
    ignitions: frozenset[Ignition] | None = None
    capacity_over: int | None = None
    overall_length_under: float | None = None
    barrel_length_under: float | None = None
    weight_oz_at_least: float | None = None
    features: tuple[frozenset[Feature], ...] = ()
    min_features: int = 1
    models: tuple[NamedModel, ...] = ()


@dataclass(frozen=True)
class ItemException:
    """An exclusion written into the law: an item meeting these conditions is not reached."""

    label: str
    citation: str
    conditions: Conditions


@dataclass(frozen=True)
class Grandfather:
    """Items possessed (or made) on or before a date stay lawful; `allows_transfer` says
    whether they may also be transferred, or only kept by their owner."""

    on_or_before: date
    basis: GrandfatherBasis
    allows_transfer: bool
    citation: str


@dataclass(frozen=True)
class ItemClause:
    jurisdiction: str
    clause_id: str
    bans: Bans
    label: str
    citation: str
    effective: Effective
    conditions: Conditions
    exceptions: tuple[ItemException, ...] = ()
    grandfather: Grandfather | None = None
