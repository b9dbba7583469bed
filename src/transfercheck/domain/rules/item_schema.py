"""The layout of the item rules in a rules file, and its conversion to typed clauses.

    [[item_rules]]                  one clause of a weapon or magazine law
    id, bans, label, citation, effective_from, effective_until
    classes, actions, magazines, ignitions          lists: the item must be one of them
    capacity_over                                   the magazine holds more rounds than this
    overall_length_under, barrel_length_under       inches
    weight_oz_at_least                              unloaded weight, ounces
    features = ["pistol_grip", ["folding_stock", "telescoping_stock"], ...]
                                                    the law's characteristics; a list inside
                                                    counts once ("a folding or telescoping
                                                    stock"); at least min_features (1) of them
    models = [{ makes = ["Colt"], model = "AR-15", series = true }, ...]
    [[item_rules.exceptions]]       label, citation and conditions as above
    [item_rules.grandfather]        on_or_before, basis, allows_transfer, citation

Shape and ranges only; the meaning across entries is checked in `item_checks`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, TypeVar

from pydantic import BeforeValidator, Field, field_validator

from transfercheck.domain.items import (
    MAX_CAPACITY,
    MAX_LENGTH_IN,
    MAX_WEIGHT_OZ,
    Action,
    Feature,
    FirearmClass,
    Ignition,
    MagazineType,
    normalise_model,
)
from transfercheck.domain.rules.effective import Effective
from transfercheck.domain.rules.item_model import (
    Bans,
    Conditions,
    Grandfather,
    GrandfatherBasis,
    ItemClause,
    ItemException,
    NamedModel,
)
from transfercheck.domain.rules.schema_base import Entry, Strict, cited, within

T = TypeVar("T")

LaxClass = Annotated[FirearmClass, Field(strict=False)]
LaxAction = Annotated[Action, Field(strict=False)]
LaxMagazine = Annotated[MagazineType, Field(strict=False)]
LaxIgnition = Annotated[Ignition, Field(strict=False)]
LaxFeature = Annotated[Feature, Field(strict=False)]
CLAUSE_ID = r"^[A-Za-z0-9][A-Za-z0-9().:/-]{0,63}$"


def _one_or_more(value: object) -> object:
    """Let a characteristic be written as one feature name, or as a list counted once;
    name an unknown feature here, where the problem is still the file's own words."""
    if not isinstance(value, list):
        return value
    groups = [[entry] if isinstance(entry, str) else entry for entry in value]
    known = {f.value for f in Feature}
    names = [name for group in groups if isinstance(group, list) for name in group]
    unknown = [name for name in names if isinstance(name, str) and name not in known]
    if unknown:
        expected = ", ".join(sorted(known))
        raise ValueError(f"unknown feature {unknown[0]!r}; expected one of: {expected}")
    return groups


Characteristics = Annotated[list[list[LaxFeature]], BeforeValidator(_one_or_more)]


def _measure(value: float | None, high: float, unit: str) -> float | None:
    if value is not None and not 0 < value <= high:
        raise ValueError(f"must be more than 0 and at most {high:g} {unit}")
    return value


class ModelEntry(Strict):
    model: str
    makes: list[str] = Field(default_factory=list)
    series: bool = False

    @field_validator("model")
    @classmethod
    def _named(cls, value: str) -> str:
        if not normalise_model(value):
            raise ValueError("must contain a letter or digit")
        return value

    @field_validator("makes")
    @classmethod
    def _makers(cls, value: list[str]) -> list[str]:
        if any(not normalise_model(make) for make in value):
            raise ValueError("each maker must contain a letter or digit")
        return value


class ConditionsEntry(Strict):
    classes: list[LaxClass] | None = None
    actions: list[LaxAction] | None = None
    magazines: list[LaxMagazine] | None = None
    ignitions: list[LaxIgnition] | None = None
    capacity_over: int | None = None
    overall_length_under: float | None = None
    barrel_length_under: float | None = None
    weight_oz_at_least: float | None = None
    features: Characteristics | None = None
    min_features: int | None = None
    models: list[ModelEntry] | None = None

    @field_validator("classes", "actions", "magazines", "ignitions", "features", "models")
    @classmethod
    def _not_empty(cls, value: list[object] | None) -> list[object] | None:
        if value is not None and not value:
            raise ValueError("must name at least one, or be left out")
        return value

    @field_validator("capacity_over")
    @classmethod
    def _capacity(cls, value: int | None) -> int | None:
        return None if value is None else within(value, 0, MAX_CAPACITY, "a number of rounds")

    @field_validator("overall_length_under", "barrel_length_under")
    @classmethod
    def _length(cls, value: float | None) -> float | None:
        return _measure(value, MAX_LENGTH_IN, "inches")

    @field_validator("weight_oz_at_least")
    @classmethod
    def _weight(cls, value: float | None) -> float | None:
        return _measure(value, MAX_WEIGHT_OZ, "ounces")

    def to_conditions(self) -> Conditions:
        return Conditions(
            classes=_chosen(self.classes),
            actions=_chosen(self.actions),
            magazines=_chosen(self.magazines),
            ignitions=_chosen(self.ignitions),
            capacity_over=self.capacity_over,
            overall_length_under=self.overall_length_under,
            barrel_length_under=self.barrel_length_under,
            weight_oz_at_least=self.weight_oz_at_least,
            features=tuple(frozenset(group) for group in self.features or []),
            min_features=self.min_features or 1,
            models=tuple(NamedModel(m.model, tuple(m.makes), m.series) for m in self.models or []),
        )

    def sets_a_condition(self) -> bool:
        return any(getattr(self, name) is not None for name in CONDITION_KEYS)


CONDITION_KEYS = tuple(ConditionsEntry.model_fields)


def _chosen(values: list[T] | None) -> frozenset[T] | None:
    return None if values is None else frozenset(values)


class ExceptionEntry(ConditionsEntry):
    label: str
    citation: str

    @field_validator("label")
    @classmethod
    def _labelled(cls, value: str) -> str:
        return _not_blank(value)

    @field_validator("citation")
    @classmethod
    def _cited(cls, value: str) -> str:
        return cited(value)

    def to_exception(self) -> ItemException:
        return ItemException(self.label, self.citation, self.to_conditions())


class GrandfatherEntry(Strict):
    on_or_before: date
    basis: Literal["possessed_since", "manufactured_on"]
    allows_transfer: bool
    citation: str

    @field_validator("citation")
    @classmethod
    def _cited(cls, value: str) -> str:
        return cited(value)

    def to_grandfather(self) -> Grandfather:
        basis = GrandfatherBasis(self.basis)
        return Grandfather(self.on_or_before, basis, self.allows_transfer, self.citation)


class ItemRuleEntry(Entry, ConditionsEntry):
    id: Annotated[str, Field(pattern=CLAUSE_ID)]
    bans: Literal["weapon", "magazine"]
    label: str
    exceptions: list[ExceptionEntry] = Field(default_factory=list)
    grandfather: GrandfatherEntry | None = None

    @field_validator("label")
    @classmethod
    def _labelled(cls, value: str) -> str:
        return _not_blank(value)

    def to_clause(self, jurisdiction: str) -> ItemClause:
        return ItemClause(
            jurisdiction=jurisdiction,
            clause_id=self.id,
            bans=Bans(self.bans),
            label=self.label,
            citation=self.citation,
            effective=Effective(self.effective_from, self.effective_until),
            conditions=self.to_conditions(),
            exceptions=tuple(e.to_exception() for e in self.exceptions),
            grandfather=self.grandfather.to_grandfather() if self.grandfather else None,
        )


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value
