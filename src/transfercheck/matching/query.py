"""A buyer's identity prepared for look-up: every name in every plausible orientation.

Forms and agencies disagree on which name goes where, so a buyer is looked up as entered,
with given and family names swapped, and with given and middle names swapped, for the
primary name and for every alias. The date of birth is also tried with day and month
swapped, a common slip between US and European date order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from transfercheck.domain.identities import Identity
from transfercheck.matching.normalise import (
    NormalisedIdentity,
    NormalisedName,
    normalise_identity,
    swap_given_family,
    swap_given_middle,
)


class Orientation(StrEnum):
    AS_ENTERED = "as_entered"
    GIVEN_MIDDLE_SWAPPED = "given_middle_swapped"
    GIVEN_FAMILY_SWAPPED = "given_family_swapped"


@dataclass(frozen=True)
class NameVariant:
    """One way of reading one of the buyer's names."""

    name: NormalisedName
    orientation: Orientation
    alias_number: int  # 0 for the primary name, n for the n-th alias


@dataclass(frozen=True)
class Query:
    identity: NormalisedIdentity
    names: tuple[NameVariant, ...]
    dates_of_birth: tuple[date, ...]  # as entered first, then the day/month-swapped reading


def build_query(buyer: Identity | NormalisedIdentity) -> Query:
    """Normalise the buyer once and list every name reading and date reading to try."""
    identity = buyer if isinstance(buyer, NormalisedIdentity) else normalise_identity(buyer)
    variants: list[NameVariant] = []
    for number, name in enumerate(identity.names):
        if name.is_empty:
            continue
        variants.extend(NameVariant(n, o, number) for o, n in orientations(name))
    return Query(identity, tuple(variants), dates_of_birth(identity.date_of_birth))


def orientations(name: NormalisedName) -> list[tuple[Orientation, NormalisedName]]:
    """The name as entered, then each swapped reading that differs from it."""
    readings = [(Orientation.AS_ENTERED, name)]
    for orientation, swapped in (
        (Orientation.GIVEN_MIDDLE_SWAPPED, swap_given_middle(name)),
        (Orientation.GIVEN_FAMILY_SWAPPED, swap_given_family(name)),
    ):
        if swapped is not None and swapped != name:
            readings.append((orientation, swapped))
    return readings


def dates_of_birth(entered: date) -> tuple[date, ...]:
    """The date as entered and, when it can be read both ways, with day and month swapped."""
    if entered.day > 12 or entered.day == entered.month:
        return (entered,)
    # Both parts are 1-12 here, so the swapped reading is always a valid date.
    return (entered, entered.replace(month=entered.day, day=entered.month))
