"""Minimum ages for a dealer transfer, by firearm category.

Federal floor, 18 U.S.C. 922(b)(1) (27 CFR 478.99(b)): a licensee may not sell or deliver
a shotgun or rifle to anyone under 18, nor any other firearm (handguns, frames, receivers)
to anyone under 21. A state may set a higher age (e.g. Florida: 21 for every firearm from
9 March 2018, Fla. Stat. 790.065(13)). The minimum that applies is the highest of every
rule in force, and its citation names each rule that sets it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from transfercheck.domain.checks import FirearmCategory, TransferType
from transfercheck.domain.determinations import AgeAssessment
from transfercheck.domain.identities import age_on
from transfercheck.domain.rules.model import AgeRule

NO_MINIMUM = "no minimum age in force"


def minimum_age(
    rules: Iterable[AgeRule], firearm: FirearmCategory, transfer_type: TransferType, on: date
) -> tuple[int, str]:
    """The highest minimum age in force on `on`, and the citations that set it."""
    in_force = [
        rule
        for rule in rules
        if rule.firearm is firearm
        and transfer_type in rule.transfer_types
        and rule.effective.covers(on)
    ]
    if not in_force:
        return 0, NO_MINIMUM
    highest = max(rule.minimum_age for rule in in_force)
    citations = dict.fromkeys(r.citation for r in in_force if r.minimum_age == highest)
    return highest, "; ".join(citations)


def assess_age(
    rules: Iterable[AgeRule],
    date_of_birth: date,
    on: date,
    firearm: FirearmCategory,
    transfer_type: TransferType,
) -> AgeAssessment:
    """The buyer's completed years on `on` against the minimum (29 Feb: 1 Mar counts)."""
    minimum, citation = minimum_age(rules, firearm, transfer_type, on)
    return AgeAssessment(age_on(date_of_birth, on), minimum, citation)
