"""Rules file text -> `JurisdictionRules`, or a `RulesFileError` naming every problem.

Pure: the caller reads the file and passes its text and name. A problem's location names
the line where it could be found and the key path, e.g. `line 12, minimum_ages[0].age`,
so the error reads `FL.toml: line 12, minimum_ages[0].age: must be an integer between 0
and 120`. Checks, in order: TOML syntax; the layout (`schema`); then the meaning of the
entries (`consistency`), which needs the federal rules to judge a state file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from transfercheck.domain.errors import Problem, RulesFileError
from transfercheck.domain.records import ReliefType
from transfercheck.domain.rules import consistency, private_transfers
from transfercheck.domain.rules.effective import Effective
from transfercheck.domain.rules.locate import KeyLines, PathPart
from transfercheck.domain.rules.model import (
    AgeRule,
    DaysRule,
    Expiry,
    JurisdictionRules,
    ProhibitionRule,
)
from transfercheck.domain.rules.schema import (
    MinimumAgeEntry,
    ProhibitionEntry,
    RulesFile,
)
from transfercheck.domain.rules.schema_base import Entry


def parse_rules(
    text: str, source: str, federal: JurisdictionRules | None = None
) -> JurisdictionRules:
    """Parse one rules file. `federal` is required to check a state file against it."""
    data = _load_toml(text, source)
    lines = KeyLines(text)
    # The private-transfer section has its own layout and checks (rules.private_transfers).
    private_data = data.pop(private_transfers.SECTION, None)
    private, private_problems = _validate_private_transfers(private_data, lines)
    layout = _validate_layout(data, source, lines, private_problems)
    findings = [
        *consistency.check(layout, source, federal),
        *private_transfers.check(private, layout.jurisdiction.code, federal),
    ]
    problems = [Problem(_where(lines, path), message) for path, message in findings]
    if problems:
        raise RulesFileError(source, problems)
    return replace(
        _to_rules(layout, source),
        private_transfers=private_transfers.to_terms(layout.jurisdiction.code, private),
    )


def _load_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesFileError(source, [_syntax_problem(str(error))]) from error


_AT = re.compile(r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def _syntax_problem(text: str) -> Problem:
    match = _AT.match(text)
    if match is None:
        return Problem("TOML syntax", text)
    where = f"line {match['line']}, column {match['column']}"
    return Problem(where, f"TOML syntax: {match['message']}")


def _validate_layout(
    data: dict[str, Any], source: str, lines: KeyLines, earlier: list[Problem]
) -> RulesFile:
    try:
        layout = RulesFile.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(_where(lines, detail["loc"]), _message(detail)) for detail in error.errors()
        ]
        raise RulesFileError(source, earlier + problems) from error
    if earlier:
        raise RulesFileError(source, earlier)
    return layout


def _validate_private_transfers(
    data: object, lines: KeyLines
) -> tuple[private_transfers.Section | None, list[Problem]]:
    if data is None:
        return None, []
    try:
        return private_transfers.Section.model_validate(data), []
    except ValidationError as error:
        prefix = (private_transfers.SECTION,)
        return None, [
            Problem(
                _where(lines, prefix + tuple(detail["loc"])),
                _message(detail, private_transfers.Section),
            )
            for detail in error.errors()
        ]


def _where(lines: KeyLines, path: Sequence[PathPart]) -> str:
    key = _dotted(path) or "(file)"
    line = lines.line_of(path)
    return key if line is None else f"line {line}, {key}"


def _dotted(path: Sequence[PathPart]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_MESSAGES = {
    "missing": "is required",
    "int_type": "must be an integer",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "date_type": "must be a TOML date such as 2018-03-09 (without quotes)",
    "list_type": "must be an array (for entries, write [[name]] before each one)",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "float_type": "must be a number",
    "string_pattern_mismatch": "must be 1 to 64 letters, digits and . : / - ( )",
}

# The thing an entry of a list names, for "unknown feature 'x'" rather than "unknown features".
_NOUNS = {
    "classes": "class",
    "actions": "action",
    "magazines": "magazine type",
    "ignitions": "ignition",
    "features": "feature",
}


def _message(detail: ErrorDetails, root: type[BaseModel] = RulesFile) -> str:
    kind = detail["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(detail["loc"][:-1], root)
        return "unknown key" + (f"; expected one of: {', '.join(allowed)}" if allowed else "")
    if kind in ("enum", "literal_error"):
        name = next((p for p in reversed(detail["loc"]) if isinstance(p, str)), "value")
        name = _NOUNS.get(name, name)
        expected = (detail.get("ctx") or {}).get("expected", "")
        return f"unknown {name} {detail['input']!r}; expected {expected}"
    if kind == "value_error":
        return detail["msg"].removeprefix("Value error, ")
    return _MESSAGES.get(kind, detail["msg"])


def _allowed_keys(path: Sequence[PathPart], root: type[BaseModel]) -> list[str]:
    """The keys the schema allows at `path`, to suggest the right spelling."""
    model: type[BaseModel] | None = root
    for part in path:
        if model is None:
            return []
        if isinstance(part, str):
            field = model.model_fields.get(part)
            model = _model_in(field.annotation) if field else None
    return sorted(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _to_rules(layout: RulesFile, source: str) -> JurisdictionRules:
    code = layout.jurisdiction.code
    return JurisdictionRules(
        code=code,
        name=layout.jurisdiction.name,
        source=source,
        default_proceed=tuple(
            DaysRule(code, e.business_days, e.citation, _effective(e))
            for e in layout.default_proceed
        ),
        open_check_retention=tuple(
            DaysRule(code, e.days, e.citation, _effective(e)) for e in layout.open_check_retention
        ),
        prohibitions=tuple(_prohibition(code, e) for e in layout.prohibitions),
        minimum_ages=tuple(_age(code, e) for e in layout.minimum_ages),
        item_rules=tuple(e.to_clause(code) for e in layout.item_rules),
        proposal=layout.jurisdiction.proposal,
        note=layout.jurisdiction.note,
    )


def _effective(entry: Entry) -> Effective:
    return Effective(entry.effective_from, entry.effective_until)


def _prohibition(code: str, entry: ProhibitionEntry) -> ProhibitionRule:
    return ProhibitionRule(
        jurisdiction=code,
        category=entry.category,
        label=entry.label,
        citation=entry.citation,
        requires_final_disposition=entry.requires_final_disposition,
        pending_case_prohibits=entry.pending_case_prohibits,
        expires=Expiry(entry.expires),
        relieved_by=frozenset(ReliefType(r) for r in entry.relieved_by),
        effective=_effective(entry),
        lapses_after_years=entry.lapses_after_years,
        conviction_category=entry.conviction_category,
    )


def _age(code: str, entry: MinimumAgeEntry) -> AgeRule:
    return AgeRule(
        jurisdiction=code,
        firearm=entry.firearm,
        minimum_age=entry.age,
        transfer_types=consistency.transfer_types(entry),
        citation=entry.citation,
        effective=_effective(entry),
    )
