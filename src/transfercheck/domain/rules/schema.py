"""The layout of a rules file, validated with pydantic (strict: TOML types, no unknown keys).

    [jurisdiction]              code and name
    [[default_proceed]]         business days before a delayed check may proceed
    [[open_check_retention]]    days an open check is kept
    [[prohibitions]]            one entry per category (922g1..922g9, 922n)
    [[minimum_ages]]            one entry per firearm category
    [[item_rules]]              weapon and magazine clauses (see `item_schema`)

Every entry has `citation`, `effective_from` and optionally `effective_until`, written
as TOML dates (2018-03-09, no quotes). These models only check shape and ranges; the
meaning across entries and files is checked in `parsing` and `book`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from transfercheck.domain.checks import FirearmCategory, TransferType
from transfercheck.domain.records import Category, ReliefType
from transfercheck.domain.rules.item_schema import ItemRuleEntry
from transfercheck.domain.rules.schema_base import Entry
from transfercheck.domain.rules.schema_base import Strict as _Strict
from transfercheck.domain.rules.schema_base import within as _within

# Enums arrive from TOML as strings; strict mode would insist on enum instances.
LaxCategory = Annotated[Category, Field(strict=False)]
LaxRelief = Annotated[ReliefType, Field(strict=False)]
LaxFirearm = Annotated[FirearmCategory, Field(strict=False)]
LaxTransferType = Annotated[TransferType, Field(strict=False)]

MAX_AGE = 120
MAX_BUSINESS_DAYS = 30
MAX_RETENTION_DAYS = 3650


class JurisdictionHeader(_Strict):
    code: str
    name: str
    proposal: bool = False  # a bill that never became law: classify only, no transfers
    note: str = ""  # shown with every classification under this file

    @field_validator("code", "name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class DefaultProceedEntry(Entry):
    business_days: int

    @field_validator("business_days")
    @classmethod
    def _range(cls, value: int) -> int:
        return _within(value, 1, MAX_BUSINESS_DAYS, "an integer")


class RetentionEntry(Entry):
    days: int

    @field_validator("days")
    @classmethod
    def _range(cls, value: int) -> int:
        return _within(value, 1, MAX_RETENTION_DAYS, "an integer")


class ProhibitionEntry(Entry):
    category: LaxCategory
    label: str
    requires_final_disposition: bool
    pending_case_prohibits: bool
    expires: Literal["never", "at_record_expiry"]
    relieved_by: list[LaxRelief]
    lapses_after_years: int | None = None
    conviction_category: LaxCategory | None = None

    @field_validator("lapses_after_years")
    @classmethod
    def _years(cls, value: int | None) -> int | None:
        return None if value is None else _within(value, 1, 100, "an integer")

    @field_validator("pending_case_prohibits")
    @classmethod
    def _one_disposition_mode(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("requires_final_disposition") is True:
            raise ValueError("cannot be true when requires_final_disposition is true")
        return value


class MinimumAgeEntry(Entry):
    firearm: LaxFirearm
    age: int
    transfer_types: list[LaxTransferType] | None = None  # None: every transfer type

    @field_validator("age")
    @classmethod
    def _range(cls, value: int) -> int:
        return _within(value, 0, MAX_AGE, "an integer")

    @field_validator("transfer_types")
    @classmethod
    def _some(cls, value: list[TransferType] | None) -> list[TransferType] | None:
        if value == []:
            raise ValueError("must name at least one transfer type, or be left out for all")
        return value


class RulesFile(_Strict):
    jurisdiction: JurisdictionHeader
    default_proceed: list[DefaultProceedEntry] = Field(default_factory=list)
    open_check_retention: list[RetentionEntry] = Field(default_factory=list)
    prohibitions: list[ProhibitionEntry] = Field(default_factory=list)
    minimum_ages: list[MinimumAgeEntry] = Field(default_factory=list)
    item_rules: list[ItemRuleEntry] = Field(default_factory=list)
