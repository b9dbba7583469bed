"""Checks on the meaning of a rules file, after its layout is known to be right.

- The jurisdiction code is US or a state/territory code, and matches the file name; a
  proposal's code is a base (US or a state) and a name, e.g. US-AWB2013.
- No two entries about the same thing are in force on the same day (ambiguous).
- A conviction_category names another category with an entry in the same file.
- The federal file covers every category, every firearm category and transfer type, the
  default-proceed window and the open-check retention.
- A state only adds to federal law: it may raise a minimum age or lengthen the
  default-proceed window, never lower them (a state cannot authorise what 18 U.S.C.
  922(b)(1) and 922(t) forbid). Its prohibition entries are applied *in addition* to the
  federal ones (the stricter result wins, see `ruleset`), so they cannot weaken them.

The item (weapon and magazine) rules have their own checks, in `item_checks`.

Each problem is a key path and a message; `parsing` turns the path into a line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from transfercheck.domain.checks import FirearmCategory, TransferType
from transfercheck.domain.records import Category
from transfercheck.domain.rules import item_checks
from transfercheck.domain.rules.effective import Effective
from transfercheck.domain.rules.jurisdictions import TRANSFER_JURISDICTIONS
from transfercheck.domain.rules.locate import KeyPath
from transfercheck.domain.rules.model import FEDERAL, JurisdictionRules
from transfercheck.domain.rules.schema import MinimumAgeEntry, RulesFile
from transfercheck.domain.rules.schema_base import Entry

Finding = tuple[KeyPath, str]


def check(layout: RulesFile, source: str, federal: JurisdictionRules | None) -> list[Finding]:
    findings = [
        *_code(layout, source),
        *_overlaps(layout),
        *_conviction_links(layout),
        *item_checks.check(layout),
    ]
    if layout.jurisdiction.code == FEDERAL:
        findings += _federal_coverage(layout)
    elif federal is not None:
        findings += _not_below_federal(layout, federal)
    return findings


def transfer_types(entry: MinimumAgeEntry) -> frozenset[TransferType]:
    """The transfer types an age entry covers; all of them when it names none."""
    return frozenset(entry.transfer_types) if entry.transfer_types else frozenset(TransferType)


def _effective(entry: Entry) -> Effective:
    return Effective(entry.effective_from, entry.effective_until)


_PROPOSAL_NAME = re.compile(r"^[A-Z0-9]{1,24}$")


def proposal_base(code: str) -> str | None:
    """The jurisdiction a proposal's code builds on (US-AWB2013 -> US); None if malformed."""
    base, dash, name = code.partition("-")
    known = base == FEDERAL or base in TRANSFER_JURISDICTIONS
    return base if dash and known and _PROPOSAL_NAME.match(name) else None


def _code(layout: RulesFile, source: str) -> Iterator[Finding]:
    code = layout.jurisdiction.code
    where: KeyPath = ("jurisdiction", "code")
    if layout.jurisdiction.proposal:
        if proposal_base(code) is None:
            yield (
                where,
                (
                    f"a proposal's code is US or a state code, a hyphen and a name in capitals "
                    f"and digits (e.g. US-AWB2013), not {code!r}"
                ),
            )
    elif code != FEDERAL and code not in TRANSFER_JURISDICTIONS:
        yield where, f"unknown jurisdiction {code!r}; expected US or a state/territory code"
    file_name = source.replace("\\", "/").rsplit("/", 1)[-1]
    if file_name.endswith(".toml") and file_name != f"{code}.toml":
        yield where, f"{code!r} does not match the file name {file_name}"


def _overlaps(layout: RulesFile) -> Iterator[Finding]:
    yield from _same_time(
        "default_proceed", [(i, "", _effective(e)) for i, e in enumerate(layout.default_proceed)]
    )
    yield from _same_time(
        "open_check_retention",
        [(i, "", _effective(e)) for i, e in enumerate(layout.open_check_retention)],
    )
    yield from _same_time(
        "prohibitions",
        [(i, e.category, _effective(e)) for i, e in enumerate(layout.prohibitions)],
    )
    ages = enumerate(layout.minimum_ages)
    yield from _same_time(
        "minimum_ages",
        [(i, (e.firearm, t), _effective(e)) for i, e in ages for t in sorted(transfer_types(e))],
    )


def _same_time(section: str, keyed: list[tuple[int, object, Effective]]) -> Iterator[Finding]:
    """Entries about the same thing whose dates overlap: each later one is reported once."""
    reported: set[int] = set()
    for n, (i, key, effective) in enumerate(keyed):
        for j, other_key, other in keyed[:n]:
            if j != i and i not in reported and key == other_key and effective.overlaps(other):
                reported.add(i)
                yield (section, i), f"in force on the same days as {section}[{j}]"


def _conviction_links(layout: RulesFile) -> Iterator[Finding]:
    """A conviction_category must have its own entry in the same file, so that each
    jurisdiction's assessment stays within its own rules."""
    known = {e.category for e in layout.prohibitions}
    for i, entry in enumerate(layout.prohibitions):
        target = entry.conviction_category
        if target is not None and (target not in known or target == entry.category):
            yield (
                ("prohibitions", i, "conviction_category"),
                f"{target.value!r} must name another category with an entry in this file",
            )


def _federal_coverage(layout: RulesFile) -> Iterator[Finding]:
    covered = {e.category for e in layout.prohibitions}
    for category in Category:
        if category not in covered:
            yield ("prohibitions",), f"no entry for category {category.value}"
    ages = {(e.firearm, t) for e in layout.minimum_ages for t in transfer_types(e)}
    for firearm in FirearmCategory:
        for kind in TransferType:
            if (firearm, kind) not in ages:
                yield ("minimum_ages",), f"no entry for {firearm.value} by {kind.value}"
    if not layout.default_proceed:
        yield ("default_proceed",), "the federal file needs at least one entry"
    if not layout.open_check_retention:
        yield ("open_check_retention",), "the federal file needs at least one entry"


def _not_below_federal(layout: RulesFile, federal: JurisdictionRules) -> Iterator[Finding]:
    yield from _ages_not_below(layout, federal)
    yield from _window_not_shorter(layout, federal)


def _ages_not_below(layout: RulesFile, federal: JurisdictionRules) -> Iterator[Finding]:
    for i, entry in enumerate(layout.minimum_ages):
        lower = (
            rule
            for rule in federal.minimum_ages
            if rule.firearm == entry.firearm
            and rule.transfer_types & transfer_types(entry)
            and rule.effective.overlaps(_effective(entry))
            and entry.age < rule.minimum_age
        )
        floor = next(lower, None)
        if floor is not None:
            yield (
                ("minimum_ages", i, "age"),
                f"{entry.age} is below the federal minimum of {floor.minimum_age} for "
                f"{entry.firearm.value} ({floor.citation}); a state may only raise it",
            )


def _window_not_shorter(layout: RulesFile, federal: JurisdictionRules) -> Iterator[Finding]:
    for i, window in enumerate(layout.default_proceed):
        longer = (
            rule
            for rule in federal.default_proceed
            if rule.effective.overlaps(_effective(window)) and window.business_days < rule.days
        )
        floor = next(longer, None)
        if floor is not None:
            yield (
                ("default_proceed", i, "business_days"),
                f"{window.business_days} is shorter than the federal {floor.days} business "
                f"days ({floor.citation}); a state may only lengthen it",
            )
