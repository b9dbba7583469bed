"""Does one prohibiting record prohibit a transfer on a given day, under one rule?

The questions are asked in a fixed order; the first that settles the record wins:

1. Not yet: an event after the transfer date was not in effect on it.
2. Case ended: an acquittal or dismissal leaves neither a conviction nor a pending case.
3. Expired: a temporary disability (e.g. a protection order, 922(g)(8), binding only
   while in force) ends after the record's expiry date; NICS purges such records itself
   once they no longer disqualify (28 CFR 25.9(a)).
4. Lapsed: an inference that lasts a fixed time, e.g. unlawful drug use inferred from
   evidence within the past year (27 CFR 478.11).
5. Relieved: expungement, set-aside, pardon or restored rights granted on or before the
   date lift a conviction's disability, unless the relief expressly keeps the firearms
   ban (18 U.S.C. 921(a)(20), 921(a)(33)(B)(ii)).
6. Undecided: a category that needs a conviction, with the outcome pending or unknown,
   needs its disposition (the examiner asks the court). So does a pending-case category
   (922(n)) when it is unknown whether the case is still open.
7. Otherwise the record prohibits.

How each disposition reads, by the rule's flags:
- requires_final_disposition: convicted prohibits; pending or unknown needs disposition.
- pending_case_prohibits: pending prohibits; unknown needs disposition; convicted is
  assessed under `conviction_category` when the rule names one.
- neither: the record is itself the finding (warrant, adjudication, order, discharge,
  status), so any disposition but acquitted or dismissed prohibits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

from transfercheck.domain.determinations import RecordAssessment, RecordEffect
from transfercheck.domain.records import (
    Category,
    Disposition,
    ProhibitingRecord,
    Relief,
    ReliefType,
)
from transfercheck.domain.rules.model import Expiry, ProhibitionRule

Outcome = tuple[RecordEffect, str]
_Step = Callable[[ProhibitingRecord, date, ProhibitionRule], Outcome | None]
_UNRESOLVED = (Disposition.PENDING, Disposition.UNKNOWN)


def assess_record(
    record: ProhibitingRecord, on: date, rules: Mapping[Category, ProhibitionRule]
) -> RecordAssessment | None:
    """Assess `record` under the rules in force on `on`; None if none covers its category."""
    rule = rules.get(record.category)
    if rule is None:
        return None
    target = rules.get(rule.conviction_category) if rule.conviction_category else None
    if target is not None and record.disposition is Disposition.CONVICTED:
        inner = _assess(record, on, target)
        lead = f"{_title(rule)}: the case ended in a conviction, assessed as {target.category}."
        return replace(inner, explanation=f"{lead} {inner.explanation}")
    return _assess(record, on, rule)


def _assess(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> RecordAssessment:
    steps: tuple[_Step, ...] = (_not_yet, _case_ended, _expired, _lapsed, _relieved, _undecided)
    for step in steps:
        outcome = step(record, on, rule)
        if outcome is not None:
            return _assessment(record, rule, outcome)
    return _assessment(record, rule, (RecordEffect.PROHIBITS, _prohibits(record, on, rule)))


def _assessment(
    record: ProhibitingRecord, rule: ProhibitionRule, outcome: Outcome
) -> RecordAssessment:
    effect, text = outcome
    return RecordAssessment(record.record_id, effect, f"{_title(rule)}: {text}", rule.citation)


def _title(rule: ProhibitionRule) -> str:
    return f"{rule.label} ({rule.category.value})"


def _not_yet(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> Outcome | None:
    if record.event_date <= on:
        return None
    return RecordEffect.NONE, (
        f"the recorded event of {record.event_date} is after {on}, "
        "so the record was not yet in effect on that date."
    )


def _case_ended(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> Outcome | None:
    ended = {Disposition.ACQUITTED: "an acquittal", Disposition.DISMISSED: "a dismissal"}
    if record.disposition not in ended:
        return None
    when = f" on {record.disposition_date}" if record.disposition_date else ""
    return RecordEffect.NONE, (
        f"the case ended in {ended[record.disposition]}{when}; "
        "with no conviction and no pending case it does not prohibit."
    )


def _expired(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> Outcome | None:
    expiry = record.expiry_date
    if rule.expires is not Expiry.AT_RECORD_EXPIRY or expiry is None or expiry >= on:
        return None
    return RecordEffect.NONE, (
        f"it expired on {expiry}, before {on}; this category prohibits only while in force."
    )


def _lapsed(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> Outcome | None:
    years = rule.lapses_after_years
    if years is None:
        return None
    latest = max(record.event_date, record.disposition_date or record.event_date)
    if on <= _add_years(latest, years):
        return None
    span = "1 year" if years == 1 else f"{years} years"
    return RecordEffect.NONE, (
        f"its latest evidence, of {latest}, is more than {span} old on {on}; "
        "the rule infers a current disability only from evidence within that time."
    )


def _add_years(start: date, years: int) -> date:
    """The same day `years` later; 29 February falls to 1 March in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def _relieved(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> Outcome | None:
    relief = record.relief
    if relief is None or relief.granted_on > on or relief.keeps_firearm_ban:
        return None
    if relief.type not in rule.relieved_by:
        return None
    return RecordEffect.NONE, f"{_relief(relief)} lifts the firearms disability of this record."


def _undecided(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> Outcome | None:
    disposition = record.disposition
    if rule.requires_final_disposition and disposition in _UNRESOLVED:
        return RecordEffect.NEEDS_DISPOSITION, (
            f"the case of {record.event_date} has no final disposition ({disposition.value}); "
            "only a conviction prohibits, so the court outcome must be obtained."
        )
    if rule.pending_case_prohibits and disposition is Disposition.UNKNOWN:
        return RecordEffect.NEEDS_DISPOSITION, (
            f"it is unknown whether the case of {record.event_date} is still pending; "
            "only a pending case prohibits, so its status must be obtained."
        )
    return None


def _prohibits(record: ProhibitingRecord, on: date, rule: ProhibitionRule) -> str:
    return f"{_fact(record, rule)}{_relief_note(record, on)} It prohibits receiving a firearm."


def _fact(record: ProhibitingRecord, rule: ProhibitionRule) -> str:
    if record.disposition is Disposition.CONVICTED:
        when = f" on {record.disposition_date}" if record.disposition_date else ""
        return f"convicted{when} (case of {record.event_date})."
    if rule.pending_case_prohibits:
        return f"the case of {record.event_date} is pending."
    until = f", in force until {record.expiry_date}" if record.expiry_date else ""
    if rule.expires is Expiry.NEVER:
        until = ""
    return f"recorded on {record.event_date}{until}."


def _relief_note(record: ProhibitingRecord, on: date) -> str:
    relief = record.relief
    if relief is None:
        return ""
    if relief.granted_on > on:
        return f" The {_relief(relief)} came after {on}."
    if relief.keeps_firearm_ban:
        return f" The {_relief(relief)} expressly keeps the firearms ban."
    return f" The {_relief(relief)} does not lift this category."


_RELIEF_NAMES = {
    ReliefType.EXPUNGEMENT: "expungement",
    ReliefType.SET_ASIDE: "set-aside",
    ReliefType.PARDON: "pardon",
    ReliefType.RIGHTS_RESTORED: "restoration of rights",
}


def _relief(relief: Relief) -> str:
    return f"relief by {_RELIEF_NAMES[relief.type]} granted on {relief.granted_on}"
