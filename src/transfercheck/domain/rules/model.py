"""The typed, frozen rules of one jurisdiction, as parsed from its rules file.

A rules file holds *entries*; each entry carries its legal citation and the dates between
which it is in force, so that "the rules in force on date D" has one answer. The federal
file (US) is the floor; a state file overlays it and may only be stricter (see
`transfercheck.domain.rules.book`).

Dates are inclusive on both ends: an entry is in force from `effective_from` through
`effective_until`, or indefinitely when `effective_until` is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from transfercheck.domain.checks import FirearmCategory, TransferType
from transfercheck.domain.records import Category, ReliefType
from transfercheck.domain.rules.effective import Effective
from transfercheck.domain.rules.item_model import ItemClause

if TYPE_CHECKING:  # the section's own module imports this one
    from transfercheck.domain.rules.private_transfers import PrivateTransferTerms

FEDERAL = "US"


class Expiry(StrEnum):
    """Whether a record of a category can stop prohibiting without relief."""

    NEVER = "never"  # a permanent disability: only relief (if any) lifts it
    AT_RECORD_EXPIRY = "at_record_expiry"  # ends after the record's own expiry_date


@dataclass(frozen=True)
class ProhibitionRule:
    """How records of one category prohibit a transfer (18 U.S.C. 922(g), 922(n)).

    - requires_final_disposition: only a conviction prohibits; an arrest whose outcome is
      pending or unknown needs its disposition before a decision (922(g)(1), (g)(9)).
    - pending_case_prohibits: an open case prohibits by itself (922(n): under indictment).
    - conviction_category: when such a case ends in conviction, the record is assessed
      under this category's rule instead (an indictment is for a crime punishable by more
      than one year, 18 U.S.C. 921(a)(14), so a conviction falls under 922(g)(1)).
    - expires / lapses_after_years: when the record stops prohibiting by itself.
    - relieved_by: the kinds of relief that lift the disability, unless the relief
      expressly keeps the firearms ban (921(a)(20), 921(a)(33)(B)(ii)).
    """

    jurisdiction: str
    category: Category
    label: str
    citation: str
    requires_final_disposition: bool
    pending_case_prohibits: bool
    expires: Expiry
    relieved_by: frozenset[ReliefType]
    effective: Effective
    lapses_after_years: int | None = None
    conviction_category: Category | None = None


@dataclass(frozen=True)
class AgeRule:
    """The youngest buyer a dealer may transfer a firearm of one category to."""

    jurisdiction: str
    firearm: FirearmCategory
    minimum_age: int
    transfer_types: frozenset[TransferType]
    citation: str
    effective: Effective


@dataclass(frozen=True)
class DaysRule:
    """A number of days set by law: the default-proceed window, the open-check retention."""

    jurisdiction: str
    days: int
    citation: str
    effective: Effective


@dataclass(frozen=True)
class JurisdictionRules:
    """Everything one rules file says: person rules and item (weapon, magazine) rules.
    A proposal (a bill that never became law) holds item rules only and governs no
    transfer; it can only be asked to classify an item."""

    code: str
    name: str
    source: str
    default_proceed: tuple[DaysRule, ...] = ()
    open_check_retention: tuple[DaysRule, ...] = ()
    prohibitions: tuple[ProhibitionRule, ...] = ()
    minimum_ages: tuple[AgeRule, ...] = ()
    item_rules: tuple[ItemClause, ...] = ()
    proposal: bool = False
    note: str = ""
    private_transfers: tuple[PrivateTransferTerms, ...] = ()  # see rules.private_transfers

    @property
    def is_federal(self) -> bool:
        return self.code == FEDERAL
