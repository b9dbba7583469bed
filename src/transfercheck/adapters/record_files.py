"""Reading records files (CSV or JSON Lines) row by row, validating every field.

Each bad row is reported with its line number, field and reason; a file is streamed, so its
size is bounded by the disk, not by memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from transfercheck.adapters.interchange import RECORD_FIELDS
from transfercheck.domain.errors import Problem
from transfercheck.domain.identities import (
    IdDocument,
    IdDocumentType,
    Identity,
    PersonName,
    Sex,
    name_problems,
)
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    Relief,
    ReliefType,
    SourceAgencyType,
)

FileFormat = Literal["csv", "jsonl"]


def parse_ncic_name(text: str) -> PersonName:
    """'FAMILY, GIVEN MIDDLE' -> PersonName; raises ValueError with the reason."""
    family, comma, rest = text.partition(",")
    if not comma:
        raise ValueError("must be written 'FAMILY, GIVEN MIDDLE'")
    given, _, middle = rest.strip().partition(" ")
    name = PersonName(given=given.strip(), family=family.strip(), middle=middle.strip() or None)
    for part in (name.family, name.given, name.middle):
        if part is not None and (problems := name_problems(part)):
            raise ValueError(f"{part!r} {problems[0]}")
    return name


# Names travel as text in the NCIC order; the model holds them parsed. The schema says text,
# so OpenAPI shows what a client sends, not the parsed object.
NcicName = Annotated[
    PersonName,
    WithJsonSchema(
        {
            "type": "string",
            "description": "FAMILY, GIVEN MIDDLE",
            "examples": ["SMITH, WILLIAM JAMES"],
        }
    ),
]


class RecordRow(BaseModel):
    """One row of a records file, validated field by field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency_record_id: str = Field(min_length=1, max_length=64)
    source_agency: str = Field(min_length=1, max_length=200)
    source_agency_type: SourceAgencyType
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    category: Category
    event_date: date
    disposition: Disposition = Disposition.UNKNOWN
    disposition_date: date | None = None
    expiry_date: date | None = None
    relief_type: ReliefType | None = None
    relief_date: date | None = None
    relief_keeps_firearm_ban: bool | None = None
    description: str | None = Field(default=None, max_length=2000)
    name: NcicName
    aliases: list[NcicName] = Field(default_factory=list, max_length=20)
    date_of_birth: date
    sex: Sex
    place_of_birth: str | None = Field(default=None, max_length=64)
    state_of_residence: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    ssn: str | None = Field(default=None, pattern=r"^[0-9]{9}$")
    id_document_type: IdDocumentType | None = None
    id_document_number: str | None = Field(default=None, max_length=32)
    id_document_issuer: str | None = Field(default=None, pattern=r"^[A-Z]{2,3}$")
    fbi_number: str | None = Field(default=None, pattern=r"^[A-Z0-9]{1,16}$")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_missing(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> PersonName:
        return parse_ncic_name(str(value))

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, value: Any) -> list[PersonName]:
        if value is None:
            return []
        items = value.split(";") if isinstance(value, str) else value
        return [parse_ncic_name(str(item)) for item in items if str(item).strip()]

    @field_validator("ssn", mode="before")
    @classmethod
    def _ssn_digits(cls, value: Any) -> Any:
        return value.replace("-", "") if isinstance(value, str) else value

    def cross_field_problems(self) -> list[tuple[str, str]]:
        problems = []
        if self.disposition_date and self.disposition_date < self.event_date:
            problems.append(("disposition_date", "is before event_date"))
        if self.relief_type and not self.relief_date:
            problems.append(("relief_date", "is required with relief_type"))
        id_parts = (self.id_document_type, self.id_document_number, self.id_document_issuer)
        if any(id_parts) and not all(id_parts):
            problems.append(("id_document_type", "type, number and issuer go together"))
        return problems

    def to_record(self, record_id: str) -> ProhibitingRecord:
        doc = None
        if self.id_document_type and self.id_document_number and self.id_document_issuer:
            doc = IdDocument(
                self.id_document_type, self.id_document_number, self.id_document_issuer
            )
        relief = None
        if self.relief_type and self.relief_date:
            relief = Relief(self.relief_type, self.relief_date, bool(self.relief_keeps_firearm_ban))
        return ProhibitingRecord(
            record_id=record_id,
            agency_record_id=self.agency_record_id,
            source_agency=self.source_agency,
            source_agency_type=self.source_agency_type,
            jurisdiction=self.jurisdiction,
            category=self.category,
            subject=Identity(
                name=self.name,
                aliases=tuple(self.aliases),
                date_of_birth=self.date_of_birth,
                sex=self.sex,
                place_of_birth=self.place_of_birth,
                state_of_residence=self.state_of_residence,
                ssn=self.ssn,
                id_document=doc,
                fbi_number=self.fbi_number,
            ),
            event_date=self.event_date,
            disposition=self.disposition,
            disposition_date=self.disposition_date,
            expiry_date=self.expiry_date,
            relief=relief,
            description=self.description or "",
        )


@dataclass(frozen=True)
class ParsedRow:
    line: int
    row: RecordRow | None  # None when the row is bad
    problems: tuple[Problem, ...]


def detect_format(path: Path) -> FileFormat:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise ValueError(f"{path.name}: unknown file type {suffix!r}; use .csv or .jsonl")


def read_rows(path: Path, file_format: FileFormat | None = None) -> Iterator[ParsedRow]:
    """Every row of the file, validated, in order. Never raises for a bad row."""
    file_format = file_format or detect_format(path)
    raw = _csv_rows(path) if file_format == "csv" else _jsonl_rows(path)
    for line, data, error in raw:
        if error:
            yield ParsedRow(line, None, (Problem(f"line {line}", error),))
        else:
            yield validate_row(line, data)


def validate_row(line: int, data: dict[str, Any]) -> ParsedRow:
    try:
        row = RecordRow.model_validate(data)
    except ValidationError as error:
        problems = tuple(
            Problem(f"line {line}, field {_field(e['loc'])}", _message(e)) for e in error.errors()
        )
        return ParsedRow(line, None, problems)
    cross = row.cross_field_problems()
    if cross:
        return ParsedRow(line, None, tuple(Problem(f"line {line}, field {f}", m) for f, m in cross))
    return ParsedRow(line, row, ())


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(row)"


def _message(error: Any) -> str:
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        return f"unknown field; expected one of: {', '.join(RECORD_FIELDS)}"
    return message.removeprefix("Value error, ")


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any], str | None]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"agency_record_id", "name", "date_of_birth"} - set(reader.fieldnames or ())
        if missing:
            yield 1, {}, f"header lacks required columns: {', '.join(sorted(missing))}"
            return
        for row in reader:
            if None in row:
                yield reader.line_num, {}, "more values than header columns"
                continue
            yield reader.line_num, dict(row), None


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any], str | None]]:
    with path.open(encoding="utf-8-sig") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield line_number, {}, f"not valid JSON: {error.msg} (column {error.colno})"
                continue
            if not isinstance(data, dict):
                yield line_number, {}, "each line must be a JSON object"
                continue
            yield line_number, data, None
