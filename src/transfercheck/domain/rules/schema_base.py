"""What every section of a rules file shares: strict parsing, ranges, the common entry keys."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator


class Strict(BaseModel):
    """TOML types as they are (no coercion), no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def within(value: int, low: int, high: int, what: str) -> int:
    if not low <= value <= high:
        raise ValueError(f"must be {what} between {low} and {high}")
    return value


def cited(value: str) -> str:
    if not value.strip():
        raise ValueError("must cite the legal basis")
    return value


class Entry(Strict):
    """What every rule entry carries: its legal basis and when it is in force."""

    citation: str
    effective_from: date
    effective_until: date | None = None

    @field_validator("citation")
    @classmethod
    def _cited(cls, value: str) -> str:
        return cited(value)

    @field_validator("effective_until")
    @classmethod
    def _after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("effective_from")
        if value is not None and isinstance(start, date) and value < start:
            raise ValueError(f"{value.isoformat()} is before effective_from {start.isoformat()}")
        return value
