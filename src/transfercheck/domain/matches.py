"""What the matcher says about one candidate record: a probability and its evidence.

These are values the matching engine produces and the determination consumes; the
engine itself lives in `transfercheck.matching`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldEvidence:
    """How one field compared, and how much that moved the match weight (in bits)."""

    field: str  # "given_name", "family_name", "date_of_birth", "ssn", ...
    level: str  # short label of the comparison level, e.g. "nickname", "day/month swapped"
    weight: float  # log2(m/u) of that level; positive is evidence for a match
    explanation: str  # a sentence an examiner understands


@dataclass(frozen=True)
class Candidate:
    record_id: str
    probability: float  # calibrated probability that buyer and record subject are one person
    match_weight: float  # total log2 Bayes factor, prior included
    identifier_agrees: bool  # an SSN, ID document or FBI number agrees exactly
    evidence: tuple[FieldEvidence, ...]
