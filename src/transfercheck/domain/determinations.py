"""PROCEED / DENIED / DELAYED: the answer to a check, with its reasons.

The rules say what each candidate record means; this module turns candidates, record
assessments and the age test into one determination. It is a decision, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from transfercheck.domain.matches import FieldEvidence


class CheckStatus(StrEnum):
    PROCEED = "PROCEED"
    DENIED = "DENIED"
    DELAYED = "DELAYED"  # open: an examiner researches it until it is decided or expires
    # Set only by the examiner workflow, never by `determine`: an open check that ran out
    # its retention undecided (NICS purges such files on day 88) and was closed and purged.
    EXPIRED = "EXPIRED"


class ReasonCode(StrEnum):
    PROHIBITING_RECORD = "prohibiting_record"  # identified match to an active, final record
    POSSIBLE_MATCH = "possible_match"  # a prohibiting record may be the buyer's: research
    MISSING_DISPOSITION = "missing_disposition"  # a matched record lacks its court outcome
    UNDERAGE = "underage"  # below the minimum age for this firearm here
    PROHIBITED_ITEM = "prohibited_item"  # the item may not be transferred here, whoever buys


class RecordEffect(StrEnum):
    PROHIBITS = "prohibits"
    NEEDS_DISPOSITION = "needs_disposition"
    NONE = "none"


@dataclass(frozen=True)
class RecordAssessment:
    """What the rules say one record means on the transfer date, and why."""

    record_id: str
    effect: RecordEffect
    explanation: str
    citation: str


@dataclass(frozen=True)
class Finding:
    """A candidate record: how likely it is the buyer's, and what it means if it is.

    `evidence` is the matcher's field-by-field account of the probability, kept so that an
    examiner later sees exactly what the matcher saw (it names no identifier values)."""

    record_id: str
    match_probability: float
    identifier_agrees: bool
    assessment: RecordAssessment
    evidence: tuple[FieldEvidence, ...] = ()


@dataclass(frozen=True)
class AgeAssessment:
    buyer_age: int
    minimum_age: int
    citation: str

    @property
    def underage(self) -> bool:
        return self.buyer_age < self.minimum_age


class ItemStatus(StrEnum):
    ALLOWED = "allowed"
    PROHIBITED = "prohibited"


@dataclass(frozen=True)
class ClauseFinding:
    """What one weapon or magazine clause in force says about the item, and why."""

    jurisdiction: str
    clause: str
    citation: str
    label: str
    bans: str  # "weapon" or "magazine"
    prohibits: bool
    explanation: str
    features: tuple[str, ...] = ()  # the features that made the clause reach the item


@dataclass(frozen=True)
class ItemAssessment:
    """Whether an item may be transferred in a jurisdiction on a date: every clause in
    force, the prohibiting ones first."""

    jurisdiction: str
    on: date
    status: ItemStatus
    findings: tuple[ClauseFinding, ...]

    @property
    def prohibited(self) -> bool:
        return self.status is ItemStatus.PROHIBITED

    @property
    def prohibiting(self) -> tuple[ClauseFinding, ...]:
        return tuple(f for f in self.findings if f.prohibits)


@dataclass(frozen=True)
class MatchThresholds:
    """Match probabilities at which a prohibiting record delays, and may deny, a check."""

    delay: float
    deny: float

    def __post_init__(self) -> None:
        if not 0.0 < self.delay <= self.deny < 1.0:
            raise ValueError("thresholds must satisfy 0 < delay <= deny < 1")


@dataclass(frozen=True)
class Determination:
    status: CheckStatus
    reasons: tuple[ReasonCode, ...]
    may_transfer_on: date | None  # DELAYED only: the default-proceed date
    findings: tuple[Finding, ...]
    age: AgeAssessment | None = None
    item: ItemAssessment | None = None
    expires_on: date | None = None  # DELAYED only: the open check closes undecided that day


def determine(
    findings: list[Finding],
    age: AgeAssessment | None,
    thresholds: MatchThresholds,
    default_proceed_on: date,
    item: ItemAssessment | None = None,
    expires_on: date | None = None,
) -> Determination:
    """Combine the findings into one answer.

    DENIED needs certainty about the person: a probability at the deny threshold *and* an
    exactly agreeing unique identifier (SSN, ID document, FBI number). Name and date of
    birth alone can at most delay, because namesakes cannot be told apart without them.
    A prohibited item is DENIED whoever the buyer is: no buyer may receive it there.
    """
    relevant = tuple(
        f
        for f in sorted(findings, key=lambda f: f.match_probability, reverse=True)
        if f.match_probability >= thresholds.delay and f.assessment.effect is not RecordEffect.NONE
    )
    deny: list[ReasonCode] = []
    delay: list[ReasonCode] = []
    if item is not None and item.prohibited:
        deny.append(ReasonCode.PROHIBITED_ITEM)
    if age is not None and age.underage:
        deny.append(ReasonCode.UNDERAGE)
    for finding in relevant:
        if finding.assessment.effect is RecordEffect.NEEDS_DISPOSITION:
            delay.append(ReasonCode.MISSING_DISPOSITION)
        elif finding.match_probability >= thresholds.deny and finding.identifier_agrees:
            deny.append(ReasonCode.PROHIBITING_RECORD)
        else:
            delay.append(ReasonCode.POSSIBLE_MATCH)
    if deny:
        reasons = _unique(deny + delay)
        return Determination(CheckStatus.DENIED, reasons, None, relevant, age, item)
    if delay:
        return Determination(
            CheckStatus.DELAYED,
            _unique(delay),
            default_proceed_on,
            relevant,
            age,
            item,
            expires_on=expires_on,
        )
    return Determination(CheckStatus.PROCEED, (), None, relevant, age, item)


def _unique(codes: list[ReasonCode]) -> tuple[ReasonCode, ...]:
    return tuple(dict.fromkeys(codes))
